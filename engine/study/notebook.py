"""Every snippet of the study material as one Jupyter notebook: a Markdown cell per snippet, then its code.

The Markdown cell says what the snippet shows (its title, topic, day and summary, the line to remember) and,
where the snippet is the runnable form of a correction, what the source cheatsheet said and what was
corrected. The code cell is the snippet file as it is, the same text the Review page shows and its *Run*
button runs, so the notebook cannot drift from the snippets the test suite runs.
"""

from __future__ import annotations

from collections import defaultdict

from nbformat import NotebookNode

from ..notebooks import code, markdown, notebook
from .content import StudyContent
from .schema import Command, Erratum

INTRO = (
    "# Keras 3 snippets\n\n"
    "Every command of the study material rewritten as runnable Keras 3 code (TensorFlow 2.21), one cell per "
    "snippet, each the project's `snippets/` file as it is. A snippet imports what it needs, so each cell runs on "
    "its own; run them in any order. Where the source cheatsheet had the code wrong or outdated, the cell above "
    "the snippet says what it said and what was corrected.\n\n"
    "TensorFlow takes a few seconds to load on the first snippet that uses it; the few that write files write "
    "them to temporary folders.")


def _corrections(errata: list[Erratum]) -> str:
    parts = []
    for erratum in errata:
        parts.append(f"**Corrected from the cheatsheet** ({erratum.where}). It says:\n\n```text\n"
                     f"{erratum.source_says.strip()}\n```\n\n{erratum.correction} {erratum.why}")
    return "\n\n".join(parts)


def _about(content: StudyContent, command: Command, errata: list[Erratum]) -> str:
    text = (f"## {command.title}\n\n*{content.topic_name(command.topic)}, {command.day}.* {command.summary}\n\n"
            f"The line to remember: `{command.key_api}`\n\nFile: `snippets/{command.snippet}`")
    return text + (f"\n\n{_corrections(errata)}" if errata else "")


def snippets_notebook(content: StudyContent) -> NotebookNode:
    """One notebook of every snippet, in the order of the study material (the week's order)."""
    fixed: dict[str, list[Erratum]] = defaultdict(list)
    for erratum in content.errata:
        if erratum.snippet:
            fixed[erratum.snippet].append(erratum)
    cells = [markdown(INTRO)]
    for command in content.commands:
        source = content.snippet_path(command).read_text(encoding="utf-8")
        cells += [markdown(_about(content, command, fixed[command.snippet])), code(source)]
    return notebook(cells)
