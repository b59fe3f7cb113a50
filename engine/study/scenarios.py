"""'Which would you use?' quiz questions whose answer key is the decision engine itself.

A scenario is a random but valid set of answers to the questions one decision reads; the right
option is whatever `engine.recommend` picks for it. Quiz and advisor therefore cannot disagree:
change a decision table and the quiz follows.
"""

from __future__ import annotations

import math
import random

from .. import recommend
from ..answers import check_answers, display
from ..decisions import BY_ID
from ..schema import Question as AskedQuestion
from ..tables import Tables, load_tables
from .question import Question, choice

# Multipliers around each bin edge: values just below, at and above a threshold are the ones
# that tell whether a learner knows where the line is.
AROUND_EDGE = (0.5, 0.9, 1.0, 1.2, 2.0, 5.0)


def scenario_question(rng: random.Random, tables: Tables | None = None, decision: str | None = None) -> Question:
    """A multiple-choice scenario for `decision` (random if None); raises ValueError if none is valid."""
    tables = tables or load_tables()
    decision = decision or rng.choice(list(tables.decisions))
    table = tables.decisions[decision]
    asked = [q for q in tables.questions.values() if q.id in {x for i in table.inputs for x in i.questions}]
    for _attempt in range(100):
        raw = {q.id: sample_answer(q, tables, rng) for q in asked}
        answers, errors = check_answers({k: v for k, v in raw.items() if v is not None}, tables)
        if not errors:
            break
    else:
        raise ValueError(f"could not generate valid answers for decision {decision!r}")
    rec = recommend(answers, decision, tables)[decision]
    facts = "\n".join(
        f"- **{q.label}:** {display(q, answers.values[q.id])}" for q in asked if q.id in answers.given
    ) or "- (no constraints: every question left at its default)"
    labels = [c.label for c in table.choices.values()]
    wrong = rng.sample([label for label in labels if label != rec.choice_label], min(3, len(labels) - 1))
    return choice(
        "scenario", topic_for(decision), f"decision:{decision}/{rec.rule_id}",
        f"**{table.title}: {table.asks}**\n\n{facts}", rec.choice_label, wrong, rng,
        f"{rec.because} (rule `{rec.rule_id}`, {rec.basis})",
    )


def sample_answer(q: AskedQuestion, tables: Tables, rng: random.Random) -> object:
    """A plausible answer to one question, drawn near the thresholds the decision tables use."""
    if q.optional and rng.random() < 0.2:
        return None
    if q.type == "boolean":
        return rng.random() < 0.5
    if q.type == "choice":
        return rng.choice(q.options).value
    low, high = float(q.min or 0), float(q.max or 0)
    edges = [
        edge
        for table in tables.decisions.values()
        for inp in table.inputs
        if q.id in inp.questions
        for b in inp.bins
        for edge in (b.at_least, b.below)
        if math.isfinite(edge)
    ]
    value = rng.choice(edges) * rng.choice(AROUND_EDGE) if edges else rng.uniform(low, high)
    value = min(max(value, low), high)
    return int(round(value)) if q.type == "integer" else round(value, 3)


def topic_for(decision: str) -> str:
    """The study topic a decision belongs to, so scenario answers count towards topic mastery."""
    return BY_ID[decision].topic
