"""The study snippets as one notebook: valid, every snippet verbatim after what it shows and corrects; and,
executed headless, every snippet prints in the notebook what it prints alone."""

from __future__ import annotations

import nbformat
import pytest

from engine.study.notebook import snippets_notebook


def test_the_notebook_is_every_snippet_as_it_is(content):
    book = snippets_notebook(content)
    nbformat.validate(book)
    assert book.metadata.kernelspec.name == "python3"
    cells = book.cells
    assert len(cells) == 1 + 2 * len(content.commands)
    corrected = {e.snippet: e for e in content.errata if e.snippet}
    for k, command in enumerate(content.commands):
        about, source = cells[1 + 2 * k], cells[2 + 2 * k]
        assert about.cell_type == "markdown" and about.source.startswith(f"## {command.title}")
        assert command.summary in about.source and f"`snippets/{command.snippet}`" in about.source
        assert source.cell_type == "code"
        assert source.source == content.snippet_path(command).read_text(encoding="utf-8").strip("\n")
        if command.snippet in corrected:
            assert corrected[command.snippet].correction in about.source
    assert corrected  # some snippets are the runnable form of a correction, and say so


@pytest.mark.slow
def test_the_notebook_runs_and_every_snippet_prints_what_it_promises(content, tmp_path):
    from tests.notebook_support import execute, printed
    from tests.study.test_snippets import EXPECTED

    book = snippets_notebook(content)
    execute(book, tmp_path, timeout=300)
    for k, command in enumerate(content.commands):
        out = printed(book.cells[2 + 2 * k])
        assert EXPECTED[command.snippet] in out, f"{command.snippet}:\n{out}"
