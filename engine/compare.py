"""Compare scenarios: the same questions answered two or three ways, recommended side by side."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .answers import Answers, display, read_answers
from .recommend import recommend
from .results import Advice
from .tables import Tables, load_tables


@dataclass(frozen=True)
class Comparison:
    """Recommendations for several named scenarios, with what differs between them."""

    names: tuple[str, ...]
    advices: tuple[Advice, ...]
    tables: Tables

    def differing_answers(self) -> list[str]:
        """Question ids whose (effective) answer is not the same in every scenario."""
        return [q for q in self.tables.questions if len({a.answers[q] for a in self.advices}) > 1]

    def differing_decisions(self) -> list[str]:
        """Decision ids whose recommended choice is not the same in every scenario."""
        return [r.decision for r in self.advices[0].recommendations
                if len({a[r.decision].choice for a in self.advices}) > 1]

    def answer_rows(self) -> list[dict[str, Any]]:
        rows = []
        for qid, q in self.tables.questions.items():
            row: dict[str, Any] = {"Question": q.label}
            for name, advice in zip(self.names, self.advices, strict=True):
                shown = display(q, advice.answers[qid])
                row[name] = shown if qid in advice.given else f"{shown} (default)"
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenarios": [{"name": n, **a.to_dict()} for n, a in zip(self.names, self.advices, strict=True)],
            "differing_answers": self.differing_answers(),
            "differing_decisions": self.differing_decisions(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_markdown(self) -> str:
        changed_q = set(self.differing_answers())
        changed_d = set(self.differing_decisions())
        head = "| | " + " | ".join(self.names) + " |"
        rule = "|---" * (len(self.names) + 1) + "|"
        lines = ["# Deep learning advisor: scenario comparison", "",
                 "Rows in **bold** differ between scenarios.", "", "## Answers", "", head, rule]
        for qid, row in zip(self.tables.questions, self.answer_rows(), strict=True):
            label = f"**{row['Question']}**" if qid in changed_q else row["Question"]
            lines.append(f"| {label} | " + " | ".join(str(row[n]) for n in self.names) + " |")
        lines += ["", "## Recommendations", "", head, rule]
        for rec in self.advices[0].recommendations:
            label = f"**{rec.title}**" if rec.decision in changed_d else rec.title
            lines.append(f"| {label} | " + " | ".join(a[rec.decision].choice_label for a in self.advices) + " |")
        stories = [(n, c) for n, a in zip(self.names, self.advices, strict=True) for c in a.conflicts]
        if stories:
            lines += ["", "## One scenario, one story", ""]
            lines += [f"- **{name}**: {c.sentence()}" for name, c in stories]
        lines += ["", "## Reasons", ""]
        for rec in self.advices[0].recommendations:
            lines += [f"### {rec.title}", ""]
            for name, advice in zip(self.names, self.advices, strict=True):
                r = advice[rec.decision]
                lines.append(f"- **{name}**: {r.choice_label} (rule `{r.rule_id}`): {r.because}")
            lines.append("")
        return "\n".join(lines)


def compare(scenarios: Sequence[tuple[str, Mapping[str, object] | Answers]], tables: Tables | None = None,
            ) -> Comparison:
    """Recommend for each (name, answers) scenario; raises AnswerError naming a bad answer."""
    tables = tables or load_tables()
    advices = tuple(recommend(a if isinstance(a, Answers) else read_answers(a, tables), tables=tables)
                    for _, a in scenarios)
    return Comparison(names=tuple(n for n, _ in scenarios), advices=advices, tables=tables)
