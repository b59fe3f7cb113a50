"""Load all study material from `rules/study/` and check it across files before anyone uses it.

Per-file shape is checked by the pydantic models in `schema.py`; this module adds the checks that
need several files at once: ids are unique, every topic is declared, each item's day is its topic's
day, and every snippet an item points to exists. All problems are reported together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..datafile import load
from ..errors import RulesError
from .schema import (
    Command,
    CommandsFile,
    Concept,
    ConceptsFile,
    ErrataFile,
    Erratum,
    Formula,
    FormulasFile,
    Gotcha,
    GotchasFile,
    ProsConsFile,
    ProsConsTable,
    Tagged,
    Topic,
    TopicsFile,
)

ROOT = Path(__file__).resolve().parents[2]
STUDY_DIR = ROOT / "rules" / "study"
SNIPPETS_DIR = ROOT / "snippets"

FILES = {
    "topics": "topics.toml",
    "concepts": "concepts.toml",
    "tables": "pros_cons.toml",
    "gotchas": "gotchas.toml",
    "formulas": "formulas.toml",
    "commands": "commands.toml",
    "errata": "errata.toml",
}


@dataclass(frozen=True)
class StudyContent:
    """Everything a learner can study, validated; items keep the order of their files."""

    topics: tuple[Topic, ...]
    concepts: tuple[Concept, ...]
    tables: tuple[ProsConsTable, ...]
    gotchas: tuple[Gotcha, ...]
    formulas: tuple[Formula, ...]
    commands: tuple[Command, ...]
    errata: tuple[Erratum, ...]
    snippets_dir: Path

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id (KeyError if unknown; loaded content has no unknown topics)."""
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def topic_name(self, topic_id: str) -> str:
        return self.topic(topic_id).name

    def snippet_path(self, command: Command) -> Path:
        return self.snippets_dir / command.snippet


def load_content(folder: Path = STUDY_DIR, snippets_dir: Path = SNIPPETS_DIR) -> StudyContent:
    """Read, validate and cross-check every study file; raise RulesError listing all problems."""
    problems: list[str] = []
    parsed: dict[str, object] = {}
    models = {
        "topics": TopicsFile,
        "concepts": ConceptsFile,
        "tables": ProsConsFile,
        "gotchas": GotchasFile,
        "formulas": FormulasFile,
        "commands": CommandsFile,
        "errata": ErrataFile,
    }
    for key, model in models.items():
        try:
            parsed[key] = load(model, folder / FILES[key])
        except RulesError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RulesError(problems)

    content = StudyContent(
        topics=parsed["topics"].topics,  # type: ignore[attr-defined]
        concepts=parsed["concepts"].concepts,  # type: ignore[attr-defined]
        tables=parsed["tables"].tables,  # type: ignore[attr-defined]
        gotchas=parsed["gotchas"].gotchas,  # type: ignore[attr-defined]
        formulas=parsed["formulas"].formulas,  # type: ignore[attr-defined]
        commands=parsed["commands"].commands,  # type: ignore[attr-defined]
        errata=parsed["errata"].errata,  # type: ignore[attr-defined]
        snippets_dir=snippets_dir,
    )
    problems = cross_check(content)
    if problems:
        raise RulesError(problems)
    return content


def cross_check(content: StudyContent) -> list[str]:
    """Problems that only show when the files are read together, one sentence each."""
    problems: list[str] = []
    problems += duplicate_ids(FILES["topics"], "topic", (t.id for t in content.topics))
    days = {topic.id: topic.day for topic in content.topics}
    tagged: list[tuple[str, str, Iterable[Tagged]]] = [
        (FILES["concepts"], "concept", content.concepts),
        (FILES["tables"], "table", content.tables),
        (FILES["gotchas"], "gotcha", content.gotchas),
        (FILES["formulas"], "formula", content.formulas),
        (FILES["commands"], "command", content.commands),
    ]
    for file_name, kind, items in tagged:
        items = list(items)
        problems += duplicate_ids(file_name, kind, (item.id for item in items))
        for item in items:
            if item.topic not in days:
                problems.append(unknown_topic(file_name, kind, item.id, item.topic, days))
            elif item.day != days[item.topic]:
                problems.append(
                    f'{file_name}: {kind} "{item.id}" is tagged {item.day} but its topic '
                    f'"{item.topic}" belongs to {days[item.topic]} (see {FILES["topics"]}); '
                    "make the two agree."
                )
    for table in content.tables:
        problems += duplicate_ids(FILES["tables"], f'row of table "{table.id}"', (r.id for r in table.rows))
    for command in content.commands:
        if not (content.snippets_dir / command.snippet).is_file():
            problems.append(
                f'{FILES["commands"]}: command "{command.id}" names snippet "{command.snippet}", '
                f"which is not a file in {content.snippets_dir}."
            )
    problems += duplicate_ids(FILES["errata"], "erratum", (e.id for e in content.errata))
    for erratum in content.errata:
        if erratum.topic not in days:
            problems.append(unknown_topic(FILES["errata"], "erratum", erratum.id, erratum.topic, days))
        if erratum.snippet and not (content.snippets_dir / erratum.snippet).is_file():
            problems.append(
                f'{FILES["errata"]}: erratum "{erratum.id}" names snippet "{erratum.snippet}", '
                f"which is not a file in {content.snippets_dir}."
            )
    return problems


def duplicate_ids(file_name: str, kind: str, ids: Iterable[str]) -> list[str]:
    counts = Counter(ids)
    return [
        f'{file_name}: {kind} id "{item_id}" is used {count} times; ids must be unique.'
        for item_id, count in counts.items()
        if count > 1
    ]


def unknown_topic(file_name: str, kind: str, item_id: str, topic: str, days: dict[str, str]) -> str:
    known = ", ".join(sorted(days))
    return (
        f'{file_name}: {kind} "{item_id}", field "topic": expected one of the topics declared in '
        f'{FILES["topics"]} ({known}); found "{topic}".'
    )
