"""Recommendations explain themselves: Markdown for people, JSON for programs."""

import json

from engine import recommend


def test_markdown_names_choice_rule_trace_alternatives_and_assumptions():
    md = recommend({"vocab_size": 300, "encoding_need": "simplicity"}, "text_encoding").to_markdown()
    assert "## Text encoding: **One-hot encoding**" in md
    assert "Rule `te-small-simple` fired (row 1 of the cheatsheet's table 'Choosing a Text Encoding'" in md
    assert "| Vocabulary | 300 distinct tokens | small (under 1,000 tokens) | small (under 1,000 tokens) | yes |" in md
    assert "- **Learned word embeddings** would be better when you have a large vocabulary" in md
    assert "- Labelled examples: not answered; assumed 5,000 examples (the default)" in md


def test_json_round_trips_and_lists_what_was_answered():
    advice = recommend({"typical_length": 8, "max_length": 9})
    doc = json.loads(advice.to_json())
    assert doc["answered"] == ["typical_length", "max_length"]
    assert [r["choice"] for r in doc["recommendations"]] == list(advice.choices().values())


def test_trace_marks_assumed_answers():
    rec = recommend({"typical_length": 8}, "sequence_model")["sequence_model"]
    by_input = {c.input: c for c in rec.trace}
    assert not by_input["length"].assumed
    assert by_input["need"].assumed


def test_every_rule_is_reported_as_checked_with_why_it_did_not_match():
    rec = recommend({"typical_length": 8}, "sequence_model")["sequence_model"]
    checked = {c.rule: c for c in rec.rules_checked}
    assert checked["sm-short"].matched
    assert checked["sm-long-default"].failed_on == ("length",)
