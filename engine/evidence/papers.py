"""Every decision's published results in one table, each beside what the evidence bank measured.

The rows and their readers live with their decisions (`LabDecision.papers`, engine/lab/results/published.py
says what a row is); this module gathers them, loads the bank documents they read, and prints the table.
`python -m engine evidence --papers` shows it; so does the Lab page. Pure Python: no TensorFlow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..lab.decisions import LAB
from ..lab.results.published import Bank, Paper

PAPERS: tuple[Paper, ...] = tuple(paper for decision in LAB.values() for paper in decision.papers)


def table(bank: Bank) -> list[dict[str, str]]:
    """One row per published result: its source, the result, the status and what was measured."""
    return [paper.row(bank) for paper in PAPERS]


def markdown(rows: list[Mapping[str, Any]]) -> str:
    lines = ["| Decision | Published result | Source | Here | What was measured |", "|---|---|---|---|---|"]
    for row in rows:
        cells = [row["decision"].replace("_", " "), row["result"], row["source"], row["status"], row["measured"]]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)
