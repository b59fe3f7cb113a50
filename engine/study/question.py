"""A quiz question and how an answer to it is checked: the type every question generator returns.

Its own module so the generators (`quiz.py` for the study content, `scenarios.py` for the decision
engine's scenarios) both depend on it and never on each other.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """A multiple-choice question (`options` non-empty, `answer` the right index) or a numeric one."""

    kind: str
    topic: str
    item: str
    prompt: str
    answer: float
    options: tuple[str, ...] = ()
    tolerance: float = 0.0
    explanation: str = ""

    @property
    def numeric(self) -> bool:
        return not self.options


def check(question: Question, response: int | float | None) -> bool:
    """True when `response` (an option index, or a number) is right; None counts as wrong."""
    if response is None:
        return False
    if question.numeric:
        return abs(float(response) - question.answer) <= question.tolerance
    return int(response) == int(question.answer)


def choice(
    kind: str, topic: str, item: str, prompt: str, right: str, wrong: Sequence[str], rng: random.Random,
    explanation: str = "",
) -> Question:
    """A multiple-choice question with the right option shuffled among up to three distinct wrong ones."""
    distractors = [w for w in dict.fromkeys(wrong) if w != right][:3]
    options = [right, *distractors]
    rng.shuffle(options)
    return Question(kind, topic, item, prompt, float(options.index(right)), tuple(options), 0.0, explanation)
