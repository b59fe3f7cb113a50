"""What the engine returns: recommendations that can explain themselves as Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
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
class BeyondNote:
    """Current practice past the cheatsheet, labelled as such: what to consider, when, and on whose authority."""

    id: str
    text: str
    source: str
    applies_when: str


@dataclass(frozen=True)
class Override:
    """A goal the user stated that lost to a hard constraint, and which answers would let it win."""

    goal: str
    constraint: str
    rule_id: str
    goal_choice: str
    goal_choice_label: str
    would_change: tuple[str, ...]
    also_blocked_by: str = ""  # the next constraint in line, when lifting this one alone would not be enough

    def sentence(self) -> str:
        if self.would_change:
            change = " It would win with " + ", or ".join(self.would_change) + "."
        elif self.also_blocked_by:
            change = (f" Lifting this constraint alone is not enough: the next one in line ({self.also_blocked_by}) "
                      "would still decide.")
        else:
            change = " No single change of that constraint's answers would let it win."
        return (f"Your goal ({self.goal}) lost to a hard constraint ({self.constraint}); without it the advisor "
                f"would recommend {self.goal_choice_label}.{change}")


@dataclass(frozen=True)
class Conflict:
    """Two recommendations of one scenario that tell different stories, and how they are reconciled."""

    decisions: tuple[str, str]
    titles: tuple[str, str]
    choices: tuple[str, str]
    labels: tuple[str, str]
    aspect: str
    relation: str
    explain: str
    resolve: dict[str, str]
    resolve_labels: dict[str, str]

    def sentence(self) -> str:
        head = (f"{self.titles[0]} recommends {self.labels[0]} while {self.titles[1]} recommends "
                f"{self.labels[1]}.")
        then = "".join(f" So for {self.titles[self.decisions.index(d)].lower()}, use {label}."
                       for d, label in self.resolve_labels.items())
        return f"{head} {self.explain}{then}"


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
    beyond_the_cheatsheet: tuple[BeyondNote, ...] = ()
    overridden: tuple[Override, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def matched(self) -> tuple[str, ...]:
        """Every rule whose conditions hold, in file order (under 'first' only the first one wins)."""
        return tuple(r.rule for r in self.rules_checked if r.matched)

    def to_markdown(self, level: int = 2) -> str:
        h = "#" * level
        lines = [f"{h} {self.title}: **{self.choice_label}**", "", self.because, ""]
        for o in self.overridden:
            lines += [f"**A goal lost here.** {o.sentence()}", ""]
        if self.also:
            lines += ["Also worth doing, in this order:", ""]
            lines += [f"{i}. **{r.label}**: {r.because}" for i, r in enumerate(self.also, start=1)]
            lines.append("")
        if self.beyond_the_cheatsheet:
            lines += ["Beyond the cheatsheet (current practice the source does not cover):", ""]
            lines += [f"- **{n.applies_when}**: {n.text} *Source: {n.source}.*" for n in self.beyond_the_cheatsheet]
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
        if self.alternatives:
            lines += ["", "Alternatives:", ""]
            lines += [f"- **{a.label}** would be better {_lower_first(a.when)}" for a in self.alternatives]
        if self.assumptions:
            lines += ["", "Assumed because not answered:", ""]
            lines += [f"- {a.label or a.question}: {a.note}" for a in self.assumptions]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Advice:
    """Recommendations for one set of answers, one per decision asked about."""

    answers: Mapping[str, Value]
    given: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    conflicts: tuple[Conflict, ...] = ()
    shown: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # question id -> (label, answer as read)

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
            "conflicts": [asdict(c) for c in self.conflicts],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_markdown(self, title: str = "Deep learning advisor: recommendations") -> str:
        parts = [f"# {title}", "", "Your answers:", ""]
        for k, v in self.answers.items():
            label, answer = self.shown.get(k, (k, _show(v)))
            parts.append(f"- {label}: {answer}{'' if k in self.given else ' (assumed)'}")
        parts.append("")
        if self.conflicts:
            parts += ["## One scenario, one story", "",
                      "Some recommendations below answer different questions and seem to disagree; here is how "
                      "they fit together:", ""]
            parts += [f"- {c.sentence()}" for c in self.conflicts]
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
