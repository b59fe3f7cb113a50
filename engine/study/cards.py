"""Turn study content into flashcards: one question side and one Markdown answer side per fact.

A card's `key` ("concept:dropout", "table:optimizers/adam", ...) is what the progress store keys
reviews by, so keys must stay stable when wording changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import StudyContent

KINDS = ("concept", "table", "gotcha", "formula", "command", "erratum")


@dataclass(frozen=True)
class Flashcard:
    """One reviewable card; `front` is the prompt and `back` the answer, both Markdown."""

    key: str
    kind: str
    topic: str
    day: str
    front: str
    back: str


def build_cards(content: StudyContent) -> list[Flashcard]:
    """Every flashcard the content yields, in a stable order (file order within each kind)."""
    cards: list[Flashcard] = []
    for c in content.concepts:
        back = f"{c.definition}\n\n**Used for:** {c.use_case}"
        cards.append(Flashcard(f"concept:{c.id}", "concept", c.topic, c.day, f"What is **{c.asked}**?", back))
    for table in content.tables:
        for row in table.rows:
            lines = [f"- **{column}:** {value}" for column, value in zip(table.columns, row.values, strict=True)]
            if row.note:
                lines.append(f"\n_{row.note}_")
            front = f"{table.title}: what are the trade-offs of **{row.name}**?"
            if table.columns[0] != "Pros":
                front = f"{table.title}: how do the two compare on **{row.name}**?"
            cards.append(
                Flashcard(f"table:{table.id}/{row.id}", "table", table.topic, table.day, front, "\n".join(lines))
            )
    for g in content.gotchas:
        back = f"**Do instead:** {g.right}\n\n**Why:** {g.why}"
        if g.right_code:
            back += f"\n\n```python\n{g.right_code}\n```"
        # Titles keep their case ("key_dim in MultiHeadAttention"); lower-casing them garbled names.
        front = f"Common mistake: **{g.title}**. What is wrong with this habit?\n\n> {g.wrong}"
        cards.append(Flashcard(f"gotcha:{g.id}", "gotcha", g.topic, g.day, front, back))
    for f in content.formulas:
        symbols = "\n".join(f"- `{name}`: {meaning}" for name, meaning in f.symbols.items())
        back = f"`{f.expression}`\n\n{symbols}\n\n{f.explanation}"
        cards.append(Flashcard(f"formula:{f.id}", "formula", f.topic, f.day, f"Write down: **{f.name}**", back))
    for cmd in content.commands:
        back = f"```python\n{cmd.key_api}\n```\n\n{cmd.summary} (snippet `{cmd.snippet}`)"
        front = f"**{cmd.title}** in Keras 3: what is the key code?"
        cards.append(Flashcard(f"command:{cmd.id}", "command", cmd.topic, cmd.day, front, back))
    days = {t.id: t.day for t in content.topics}
    for e in content.errata:
        front = f"The cheatsheet says (in {e.where}):\n\n> `{e.source_says}`\n\nWhat is wrong?"
        back = f"**Correct:** {e.correction}\n\n**Why:** {e.why}"
        cards.append(Flashcard(f"erratum:{e.id}", "erratum", e.topic, days[e.topic], front, back))
    return cards


def filter_cards(
    cards: list[Flashcard], topics: set[str] | None = None, days: set[str] | None = None
) -> list[Flashcard]:
    """Cards whose topic and day are in the given sets (None or empty means no filter)."""
    return [
        card
        for card in cards
        if (not topics or card.topic in topics) and (not days or card.day in days)
    ]
