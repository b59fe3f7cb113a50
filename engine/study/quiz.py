"""Quiz questions generated from the study content (the question type and answer checking are in `question.py`).

Kinds: term -> definition, definition -> term, "what is wrong here?" (gotchas and errata),
formula drills (a computed number), and "which would you use?" scenarios (see `scenarios.py`,
whose answer key is the decision engine). Every question carries its topic and item so answers
can feed the per-topic progress.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .content import StudyContent
from .formulas import GENERATORS
from .question import Question, choice
from .scenarios import scenario_question

KIND_LABELS = {
    "term-to-definition": "Term → definition",
    "definition-to-term": "Definition → term",
    "whats-wrong": "What is wrong here?",
    "formula": "Formula drill",
    "scenario": "Which would you use?",
}


def _others(items: Sequence, current: object, rng: random.Random, count: int = 3) -> list:
    pool = [item for item in items if item is not current]
    return rng.sample(pool, min(count, len(pool)))


def term_to_definition(content: StudyContent, rng: random.Random) -> Question:
    concept = rng.choice(content.concepts)
    wrong = [c.definition for c in _others(content.concepts, concept, rng)]
    return choice(
        "term-to-definition", concept.topic, f"concept:{concept.id}",
        f"Which definition fits **{concept.term}**?", concept.definition, wrong, rng,
        f"Used for: {concept.use_case}",
    )


def definition_to_term(content: StudyContent, rng: random.Random) -> Question:
    concept = rng.choice(content.concepts)
    wrong = [c.term for c in _others(content.concepts, concept, rng)]
    return choice(
        "definition-to-term", concept.topic, f"concept:{concept.id}",
        f"Which term is defined here?\n\n> {concept.definition}", concept.term, wrong, rng,
        concept.definition,
    )


def whats_wrong(content: StudyContent, rng: random.Random) -> Question:
    """Show a wrong habit (a gotcha) or a wrong line of the cheatsheet (an erratum); pick the fix."""
    if rng.random() < 0.5:
        gotcha = rng.choice(content.gotchas)
        shown = f"> {gotcha.wrong}"
        if gotcha.wrong_code:
            shown += f"\n\n```python\n{gotcha.wrong_code}\n```"
        wrong = [g.right for g in _others(content.gotchas, gotcha, rng)]
        return choice(
            "whats-wrong", gotcha.topic, f"gotcha:{gotcha.id}",
            f"What is wrong here, and what should be done instead?\n\n{shown}", gotcha.right, wrong, rng,
            gotcha.why,
        )
    erratum = rng.choice(content.errata)
    wrong = [e.correction for e in _others(content.errata, erratum, rng)]
    return choice(
        "whats-wrong", erratum.topic, f"erratum:{erratum.id}",
        f"The cheatsheet ({erratum.where}) says:\n\n```\n{erratum.source_says}\n```\n\nWhat is the correction?",
        erratum.correction, wrong, rng, erratum.why,
    )


def formula_drill(content: StudyContent, rng: random.Random) -> Question:
    formula = rng.choice([f for f in content.formulas if f.quiz])
    drill = GENERATORS[formula.quiz](rng)  # type: ignore[index]
    return Question(
        "formula", formula.topic, f"formula:{formula.id}", drill.prompt, drill.answer, (), drill.tolerance,
        drill.solution,
    )


CONTENT_KINDS = {
    "term-to-definition": term_to_definition,
    "definition-to-term": definition_to_term,
    "whats-wrong": whats_wrong,
    "formula": formula_drill,
}


def make_question(kind: str, content: StudyContent, rng: random.Random) -> Question:
    """A new question of `kind` (one of KIND_LABELS)."""
    if kind == "scenario":
        return scenario_question(rng)
    if kind not in CONTENT_KINDS:
        raise ValueError(f"unknown quiz kind {kind!r}; expected one of {', '.join(KIND_LABELS)}")
    return CONTENT_KINDS[kind](content, rng)
