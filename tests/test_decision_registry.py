"""One decision, one place: the registry lists every rules file, and a decision's id is written only where
CONTRIBUTING.md says a new decision is added (so that guide's file count stays true)."""

from __future__ import annotations

import ast
from pathlib import Path

from engine.decisions import BY_ID, LAB, ORDER
from engine.tables import NOT_DECISIONS, RULES_DIR

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app.py", "pages", "ui", "engine")
# Where a decision's id may appear as a string besides the registry and its own Lab module, and why.
ALLOWED = {
    ("engine/__init__.py", "text_encoding"): "a docstring example",
    ("engine/lab/__init__.py", "sequence_model"): "a docstring example",
    ("engine/evidence/scaling_evidence.py", "attention_vs_transformer"): "the cost thresholds are that rule's",
    ("ui/decision_views.py", "optimizer"): "an optional view of a decision's extra measurements",
    ("ui/decision_views.py", "transformer_architecture"): "an optional view of a decision's extra measurements",
    ("engine/lab/running/runner.py", "optimizer"): "a candidate option's key (which optimizer trains it)",
    ("engine/lab/codegen/script.py", "optimizer"): "a candidate option's key (which optimizer trains it)",
    ("engine/lab/running/comparison.py", "optimizer"): "a candidate option's key (its optimizer's usual rate)",
    ("engine/lab/running/stacked.py", "optimizer"): "a stopped seed's snapshot key (its optimizer's slots)",
    ("engine/lab/decisions/text_encoding.py", "sequence_model"):
        "the GRU on the docstrings is trained by the sequence-model decision, measured for this one's paper",
}


def test_the_registry_lists_every_rules_file_once():
    files = sorted(p.stem for p in RULES_DIR.glob("*.toml") if p.name not in NOT_DECISIONS)
    assert sorted(ORDER) == files and len(set(ORDER)) == len(ORDER)


def test_the_lab_registry_has_exactly_the_decisions_marked_lab_in_the_same_order():
    from engine.lab.decisions import LAB as MODULES

    assert tuple(MODULES) == LAB
    for decision, found in MODULES.items():
        assert found.id == decision and Path(found.build.__code__.co_filename).stem == decision
        assert set(found.claims) == {c.choice for c in found.candidates}
        assert found.datasets, decision


def _string_literals(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_a_decision_id_is_written_only_in_the_registry_and_its_own_module():
    files = [p for source in SOURCES for p in ([ROOT / source] if (ROOT / source).is_file()
                                                else sorted((ROOT / source).rglob("*.py")))]
    found = []
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        if relative == "engine/decisions.py":
            continue
        for decision in set(BY_ID) & _string_literals(path):
            if relative != f"engine/lab/decisions/{decision}.py" and (relative, decision) not in ALLOWED:
                found.append(f"{relative} names {decision!r}")
    assert not found, "read the decision from the registry instead:\n" + "\n".join(sorted(found))
