"""The one list of decisions: their order, icons, study topics and whether the Lab trains them.

Everything that enumerates decisions reads this module: the rules loader (display order), the Advisor's
icons and *Show me* buttons, the Lab's registry (`engine.lab.decisions`), and the study topics. It imports
nothing, so the Advisor's first screen pays nothing for it. A decision's title, questions and rules are
in its `rules/<id>.toml`; its Lab comparison, when it has one, is `engine/lab/decisions/<id>.py`.
"""

from __future__ import annotations

from typing import NamedTuple


class Decision(NamedTuple):
    id: str  # the rules file's name and the id used everywhere else
    icon: str  # a Material icon, as Streamlit writes it
    topic: str  # the study topic its quiz answers count towards (rules/study/*.toml)
    lab: bool  # whether the Lab has a comparison for it (engine/lab/decisions/<id>.py)


REGISTRY: tuple[Decision, ...] = (
    Decision("text_encoding", ":material/translate:", "embeddings", lab=True),
    Decision("sequence_model", ":material/timeline:", "rnn", lab=True),
    Decision("overfitting", ":material/healing:", "regularization", lab=True),
    Decision("attention_vs_transformer", ":material/hub:", "attention", lab=True),
    Decision("transformer_architecture", ":material/account_tree:", "transformers", lab=True),
    Decision("optimizer", ":material/speed:", "optimization", lab=True),
)

ORDER: tuple[str, ...] = tuple(d.id for d in REGISTRY)
LAB: tuple[str, ...] = tuple(d.id for d in REGISTRY if d.lab)
BY_ID: dict[str, Decision] = {d.id: d for d in REGISTRY}


def icon(decision: str) -> str:
    """The decision's icon, or nothing for an id this registry does not know (a rules file added alone)."""
    found = BY_ID.get(decision)
    return found.icon if found else ""
