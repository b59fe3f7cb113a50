"""One scenario, one story: overridden goals, beyond-the-cheatsheet notes, cross-decision consistency, reports."""

import json
import re
import shutil

import pytest

from engine import load_tables, recommend
from engine.checks import check_consistency
from engine.tables import RULES_DIR
from tests.cli_support import engine_cli

MOVIE_REVIEWS = {"labelled_examples": 3000, "vocab_size": 25_000, "typical_length": 230, "max_length": 900,
                 "architecture_need": "best_performance", "gpu_memory_gb": 4}
PHONE = {"latency_budget_ms": 20.0, "gpu_memory_gb": 0.0}  # the Compare page's "Phone, 20 ms" preset


def test_movie_reviews_name_fine_tuning_and_the_goal_that_lost():
    advice = recommend(MOVIE_REVIEWS)
    att = advice["attention_vs_transformer"]
    assert (att.choice, att.rule_id) == ("lstm", "at-long-limited")
    [lost] = att.overridden
    assert lost.goal == "What the model is for: The best accuracy on an NLP task"
    assert lost.constraint == ("Longest input: very long (over 512 tokens) and "
                               "GPU memory: limited (under 8 GB, or no GPU)")
    assert lost.rule_id == "at-long-limited"
    assert lost.would_change == ("Longest input: up to 512 tokens", "GPU memory: sufficient (8 GB or more)")
    notes = {n.id: n for n in att.beyond_the_cheatsheet}
    assert "fine-tune a small pretrained transformer encoder" in notes["bc-finetune-encoder"].text.lower()
    assert "512" in notes["bc-finetune-encoder"].text
    md = advice.to_markdown()
    assert "**A goal lost here.** Your goal (What the model is for: The best accuracy on an NLP task) lost to a " \
           "hard constraint (Longest input: very long (over 512 tokens) and GPU memory: limited" in md
    assert "Beyond the cheatsheet (current practice the source does not cover):" in md
    # Sequences of 230 tokens with 3,000 examples: the n-gram baseline applies too (ratio about 13).
    assert "bc-ngram-mlp" in [n.id for n in advice["text_encoding"].beyond_the_cheatsheet]


def test_phone_preset_tells_one_story():
    advice = recommend({**MOVIE_REVIEWS, **PHONE})
    assert advice["attention_vs_transformer"].choice == "gru_or_small_rnn"
    assert advice["sequence_model"].choice == "lstm"
    [conflict] = [c for c in advice.conflicts if c.aspect == "recurrent_layer"]
    assert conflict.relation == "latency-picks-the-layer"
    assert conflict.resolve == {"sequence_model": "gru"}
    assert conflict.sentence().endswith("So for sequence model, use GRU.")
    assert "## One scenario, one story" in advice.to_markdown()


def test_a_consistent_scenario_has_no_conflicts():
    advice = recommend(PHONE)  # defaults: typical length 40 reads as medium, so the sequence model is a GRU too
    assert advice["sequence_model"].choice == "gru"
    assert advice.conflicts == ()
    assert "One scenario, one story" not in advice.to_markdown()


def test_consistency_check_passes_and_catches_an_unreconciled_contradiction(tmp_path):
    assert check_consistency(load_tables()) == []
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("study"))
    path = rules / "consistency.toml"
    text = path.read_text()
    start = text.index('[[relations]]\nid = "latency-picks-the-layer"')
    path.write_text(text[:start] + text[text.index("[[relations]]", start + 1):])
    assert check_consistency(load_tables(rules)) == [
        "consistency.toml: sequence_model can recommend lstm while attention_vs_transformer recommends "
        "gru_or_small_rnn in one scenario (they disagree on recurrent_layer), and no relation reconciles the two."]


def test_a_relation_naming_an_unknown_choice_is_a_clear_error(tmp_path):
    from engine import RulesError

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("study"))
    path = rules / "consistency.toml"
    path.write_text(path.read_text().replace('resolve = { sequence_model = "gru" }',
                                             'resolve = { sequence_model = "grue" }', 1))
    with pytest.raises(RulesError, match='relation "latency-picks-the-layer": expected a choice of sequence_model'):
        load_tables(rules)


def test_json_carries_beyond_the_cheatsheet_and_overridden_for_every_recommendation():
    out = engine_cli("recommend", "--json", *[f"-a{k}={v}" for k, v in MOVIE_REVIEWS.items()])
    assert out.returncode == 0, out.stderr
    recs = {r["decision"]: r for r in json.loads(out.stdout)["recommendations"]}
    assert set(recs) == set(load_tables().decisions)
    for rec in recs.values():
        assert isinstance(rec["beyond_the_cheatsheet"], list) and isinstance(rec["overridden"], list)
        assert all({"text", "source"} <= set(n) for n in rec["beyond_the_cheatsheet"])
    assert recs["transformer_architecture"]["beyond_the_cheatsheet"] == []
    assert recs["optimizer"]["overridden"] == []
    [lost] = recs["attention_vs_transformer"]["overridden"]
    assert {k: lost[k] for k in ("goal", "rule_id")} == {
        "goal": "What the model is for: The best accuracy on an NLP task", "rule_id": "at-long-limited"}
    assert lost["constraint"].startswith("Longest input: very long")


@pytest.mark.parametrize("decision", ["optimizer", "transformer_architecture"])
def test_cli_recommends_the_new_decisions(decision):
    out = engine_cli("recommend", "--decision", decision, "--json")
    assert out.returncode == 0, out.stderr
    [rec] = json.loads(out.stdout)["recommendations"]
    assert rec["choice"] in load_tables().decisions[decision].choices


def numbered_lists_start_at_one_after_a_blank_line(md: str) -> None:
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\d+\. ", line) and (i == 0 or not re.match(r"\d+\. ", lines[i - 1])):
            assert line.startswith("1. "), line
            assert lines[i - 1] == "", f"no blank line before the list starting {line!r}"


OVERFITTING = {"train_accuracy": 98, "val_accuracy": 70, "val_loss_rising": "yes", "large_weights": "yes",
               "more_data_available": "yes"}


def test_report_lists_start_at_1_after_a_blank_line():
    md = recommend(OVERFITTING).to_markdown()
    assert "Also worth doing, in this order:\n\n1. **Dropout**" in md
    numbered_lists_start_at_one_after_a_blank_line(md)
    out = engine_cli("recommend", *[f"-a{k}={v}" for k, v in OVERFITTING.items()])
    assert out.returncode == 0, out.stderr
    numbered_lists_start_at_one_after_a_blank_line(out.stdout)
    assert "\n\n1. **Dropout**" in out.stdout


def internal_ids() -> set[str]:
    """Ids a person should never read in prose: questions, options, bins, decisions and choices."""
    t = load_tables()
    ids = set(t.questions) | set(t.decisions) | {o.value for q in t.questions.values() for o in q.options}
    ids |= {c for d in t.decisions.values() for c in d.choices}
    ids |= {b.id for d in t.decisions.values() for i in d.inputs for b in i.bins}
    return {i for i in ids if "_" in i}  # ids without one ("simple", "labels") are also plain English words


@pytest.mark.parametrize("answers", [{}, MOVIE_REVIEWS, {**MOVIE_REVIEWS, **PHONE}, OVERFITTING,
                                     {"spare_weight_copies": 0, "model_family": "transformer", "task": "labels"}])
def test_no_ids_in_the_markdown_report_outside_code(answers):
    md = recommend(answers).to_markdown()
    # Code blocks may hold ids (a command line); inline code only a rule's name (kebab-case), never an id.
    prose = re.sub(r"`[a-z0-9]+(-[a-z0-9]+)+`", "", re.sub(r"```.*?```", "", md, flags=re.S))
    found = set(re.findall(r"\b\w+\b", prose)) & internal_ids()
    assert not found, found


def test_when_lifting_one_constraint_is_not_enough_the_next_one_is_named():
    rec = recommend({**MOVIE_REVIEWS, **PHONE, "gpu_memory_gb": 4}, "attention_vs_transformer")[
        "attention_vs_transformer"]
    [lost] = rec.overridden
    assert (lost.rule_id, lost.would_change) == ("at-latency", ())
    assert lost.also_blocked_by == ("Longest input: very long (over 512 tokens) and "
                                    "GPU memory: limited (under 8 GB, or no GPU)")
    assert "Lifting this constraint alone is not enough: the next one in line (Longest input" in lost.sentence()


def test_comparison_report_tells_each_scenarios_story():
    from engine import compare

    md = compare([("Movie reviews", MOVIE_REVIEWS), ("On a phone", {**MOVIE_REVIEWS, **PHONE})]).to_markdown()
    assert "## One scenario, one story\n\n- **On a phone**: Sequence model recommends LSTM" in md
    assert "- **Movie reviews**:" not in md.split("## One scenario, one story")[1].split("## Reasons")[0]


def test_an_answer_equal_to_the_default_is_an_answer_not_an_assumption():
    # The form sends what the user saw and left as it was (a switch already on): that is an answer.
    advice = recommend({"lengths_vary": True, "sequence_need": "no_preference"}, "sequence_model")
    assert {"lengths_vary", "sequence_need"} <= set(advice.given)
    assumed = [a.question for a in advice["sequence_model"].assumptions]
    assert "lengths_vary" not in assumed and "sequence_need" not in assumed
    md = advice.to_markdown()
    assert "- Lengths vary: yes\n" in md and "- Lengths vary: yes (assumed)" not in md
