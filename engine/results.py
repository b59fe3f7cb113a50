"""What the engine returns: recommendations that can explain themselves as Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .answers import Assumption, Value


@dataclass(frozen=True)
class ConditionCheck:
    """One condition of the fired rule, with the user's answer read against it."""

    input: str
    label: str
    answer: str
    read_as: str
    read_as_label: str
    expected: tuple[str, ...]
    expected_labels: tuple[str, ...]
    met: bool
    assumed: bool


@dataclass(frozen=True)
class RuleCheck:
    """Whether one rule of the table matched the answers, and on which inputs it failed."""

    rule: str
    choice: str
    matched: bool
    failed_on: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    """A choice not recommended here, and when it would be the better one."""

    choice: str
    label: str
    when: str


@dataclass(frozen=True)
class Remedy:
    """A further pick of a table whose hit policy collects every matching rule, in rank order."""

    choice: str
    label: str
    rule_id: str
    because: str


@dataclass(frozen=True)
class Recommendation:
    """The answer to one decision: the choice, why, the rule behind it and what else to consider."""

    decision: str
    title: str
    choice: str
    choice_label: str
    rule_id: str
    because: str
    basis: str
    hit_policy: str
    trace: tuple[ConditionCheck, ...]
    alternatives: tuple[Alternative, ...]
    also: tuple[Remedy, ...]
    assumptions: tuple[Assumption, ...]
    rules_checked: tuple[RuleCheck, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_markdown(self, level: int = 2) -> str:
        h = "#" * level
        lines = [f"{h} {self.title}: **{self.choice_label}**", "", self.because, ""]
        if self.also:
            lines.append("Also worth doing, in this order:")
            lines += [f"{i}. **{r.label}**: {r.because}" for i, r in enumerate(self.also, start=2)]
            lines.append("")
        lines += [f"Rule `{self.rule_id}` fired ({self.basis}; hit policy: {self.hit_policy}).", ""]
        if self.trace:
            lines += ["| Input | Your answer | Read as | Rule needs | Holds |", "|---|---|---|---|---|"]
            for c in self.trace:
                answer = f"{c.answer} (assumed)" if c.assumed else c.answer
                lines.append(f"| {c.label} | {answer} | {c.read_as_label} | {' or '.join(c.expected_labels)} | "
                             f"{'yes' if c.met else 'no'} |")
        else:
            lines.append("This rule has no conditions: it applies to any answers.")
        lines += ["", "Alternatives:"]
        lines += [f"- **{a.label}** would be better {_lower_first(a.when)}" for a in self.alternatives]
        if self.assumptions:
            lines += ["", "Assumed because not answered:"]
            lines += [f"- `{a.question}`: {a.note}" for a in self.assumptions]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Advice:
    """Recommendations for one set of answers, one per decision asked about."""

    answers: Mapping[str, Value]
    given: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]

    def __getitem__(self, decision: str) -> Recommendation:
        for rec in self.recommendations:
            if rec.decision == decision:
                return rec
        raise KeyError(decision)

    def choices(self) -> dict[str, str]:
        """Decision id to recommended choice id: the short form used by tests and comparisons."""
        return {r.decision: r.choice for r in self.recommendations}

    def to_dict(self) -> dict[str, Any]:
        return {
            "answers": dict(self.answers),
            "answered": list(self.given),
            "recommendations": [r.to_dict() for r in self.recommendations],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_markdown(self, title: str = "Deep learning advisor: recommendations") -> str:
        parts = [f"# {title}", "", "Your answers:", ""]
        parts += [f"- `{k}`: {_show(v)}{'' if k in self.given else ' (assumed)'}" for k, v in self.answers.items()]
        parts.append("")
        parts += [r.to_markdown(level=2) for r in self.recommendations]
        return "\n".join(parts)


def _show(value: Value) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
