"""Comparisons: differences found, exported as Markdown and JSON."""

import json

from engine import compare


def test_differences_between_scenarios_are_found_and_exported():
    comparison = compare([("today", {"vocab_size": 300}), ("phone", {"vocab_size": 300, "latency_budget_ms": 20})])
    assert comparison.differing_answers() == ["latency_budget_ms"]
    assert comparison.differing_decisions() == ["attention_vs_transformer"]
    md = comparison.to_markdown()
    assert "| **Latency budget** | not given (default) | 20 ms |" in md
    assert "| **Attention vs Transformer** | RNN/LSTM with attention | GRU or small RNN |" in md
    assert "- **phone**: GRU or small RNN (rule `at-latency`)" in md
    doc = json.loads(comparison.to_json())
    assert [s["name"] for s in doc["scenarios"]] == ["today", "phone"]
    assert doc["differing_decisions"] == ["attention_vs_transformer"]


def test_the_same_value_answered_or_defaulted_is_not_a_difference():
    comparison = compare([("a", {}), ("b", {"gpu_memory_gb": 0.0, "vocab_size": 20_000})])
    assert comparison.differing_answers() == []
