"""The command line as a user runs it: `python -m engine ...`, its output, messages and exit status (in the test
process through tests/cli_support.py; the entry point itself once in a subprocess)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_support import engine_cli as run

ROOT = Path(__file__).resolve().parents[2]


def test_the_entry_point_prints_one_line_and_exits_2_on_bad_input():
    out = subprocess.run([sys.executable, "-m", "engine", "recommend", "-a", "vocab=5"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.startswith("error: Unknown question 'vocab'")
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_questions_json_lists_every_question_with_its_bins_and_users():
    out = run("questions", "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    # text_encoding and sequence_model read it for the n-gram baseline note (examples per word)
    assert rows["typical_length"]["used_by"] == ["text_encoding", "sequence_model"]
    assert rows["max_length"]["used_by"] == ["attention_vs_transformer"]
    bins = next(r for r in rows["typical_length"]["bins"] if r["input"] == "length")["bins"]
    assert [(b["id"], b["at_least"], b["below"]) for b in bins] == [
        ("short", None, 10), ("medium", 10, 50), ("long", 50, None)]
    assert rows["encoding_need"]["options"][-1] == "no_preference"


def test_recommend_json_is_a_stable_document():
    out = run("recommend", "--answer", "vocab_size=300", "-a", "encoding_need=simplicity", "--decision",
              "text_encoding", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"answers", "answered", "recommendations", "conflicts"}
    (rec,) = doc["recommendations"]
    assert {"decision", "choice", "rule_id", "because", "alternatives", "trace", "assumptions"} <= set(rec)
    assert (rec["decision"], rec["choice"], rec["rule_id"]) == ("text_encoding", "one_hot", "te-small-simple")
    assert rec["trace"][0] == {
        "input": "vocabulary", "label": "Vocabulary", "answer": "300 distinct tokens", "read_as": "small",
        "read_as_label": "small (under 1,000 tokens)", "expected": ["small"],
        "expected_labels": ["small (under 1,000 tokens)"], "met": True, "assumed": False}


def test_recommend_prints_markdown_by_default():
    out = run("recommend", "-a", "typical_length=5", "-a", "max_length=5")
    assert out.returncode == 0
    assert "## Sequence model: **SimpleRNN**" in out.stdout
    assert "Rule `sm-short` fired" in out.stdout


def test_check_passes_on_the_shipped_rules():
    out = run("check")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("complete, no unintended overlap") == 6


@pytest.mark.parametrize(("args", "message"), [
    (["recommend", "-a", "vocab=5"], "error: Unknown question 'vocab'"),
    (["recommend", "-a", "vocab_size=-5"], "error: vocab_size: expected a whole number from 1 to 10,000,000"),
    (["recommend", "-a", "gpu_memory_gb=lots"], "error: gpu_memory_gb: expected a number from 0 to 4,096 (GB)"),
    (["recommend", "-a", "vocab_size"], "error: --answer 'vocab_size': expected KEY=VALUE"),
    (["recommend", "-d", "optimiser"], "error: Unknown decision 'optimiser'; expected one of text_encoding"),
])
def test_bad_input_is_one_line_with_exit_status_2(args, message):
    out = run(*args)
    assert out.returncode == 2
    assert out.stderr.startswith(message)
    assert out.stderr.count("\n") == 1
    assert "Traceback" not in out.stderr
