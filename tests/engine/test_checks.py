"""The static checks catch incomplete, overlapping and dead tables, and pass the shipped ones."""

import shutil

import pytest

from engine import check_all, load_tables
from engine.recommend import matches
from engine.tables import RULES_DIR


@pytest.fixture
def rules_copy(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target, ignore=shutil.ignore_patterns("study"))
    return target


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"fixture edit did not apply: {old!r}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_tables_pass_every_check():
    assert check_all(load_tables()) == []


def test_incomplete_table_is_reported_with_an_example(rules_copy):
    # Drop the rule for small vocabularies that want meaning: those answers now match nothing.
    path = rules_copy / "text_encoding.toml"
    text = path.read_text()
    start = text.index('[[rules]]\nid = "te-small-semantic"')
    end = text.index("[[rules]]", start + 1)
    path.write_text(text[:start] + text[end:])
    problems = check_all(load_tables(rules_copy))
    assert problems == ["text_encoding.toml: incomplete: 2 of 16 answer combinations match no rule, for example "
                        "(vocabulary=small, data=limited, need=semantic_meaning); "
                        "(vocabulary=small, data=ample, need=semantic_meaning)."]


def test_overlap_under_unique_policy_is_reported(rules_copy):
    edit(rules_copy / "sequence_model.toml", 'when = { length = "medium", need = "no_preference" }',
         'when = { length = ["medium", "long"], need = "no_preference" }')
    problems = check_all(load_tables(rules_copy))
    assert len(problems) == 1
    assert problems[0].startswith("sequence_model.toml: overlap: rules sm-long-default, sm-medium-default all match")
    assert "hit policy 'unique' allows one" in problems[0]


def test_shadowed_rule_under_first_policy_can_never_fire(rules_copy):
    # A catch-all placed first shadows every later rule.
    edit(rules_copy / "attention_vs_transformer.toml", 'when = { latency = "critical" }', "when = {}")
    problems = check_all(load_tables(rules_copy))
    assert 'attention_vs_transformer.toml: rule "at-long-limited" can never fire: every answer it matches is caught ' \
           "by an earlier rule." in problems
    assert any("row 3 of the cheatsheet's table" in p for p in problems)


def test_overlap_is_fine_under_collect_and_reported_under_unique(rules_copy, tmp_path):
    # Widen the no-symptom rule so it also matches answers with a rising validation loss, where
    # of-val-loss fires too: two rules now match the same answers (both recommend early stopping).
    path = rules_copy / "overfitting.toml"
    edit(path, 'when = { gap = ["small", "not_measured"], val_loss = "no", weights = "no" }',
         'when = { gap = ["small", "not_measured"], weights = "no" }')
    tables = load_tables(rules_copy)
    table = tables.decisions["overfitting"]
    facts = {"gap": "small", "val_loss": "yes", "weights": "no", "more_data": "no"}
    assert [r.id for r in table.rules if matches(r, facts)] == ["of-val-loss", "of-no-symptom"]  # the overlap
    assert table.hit_policy == "collect"
    assert check_all(tables) == []  # under 'collect' every matching rule is meant to fire

    unique = tmp_path / "unique"  # a second folder: load_tables caches per folder
    shutil.copytree(rules_copy, unique)
    edit(unique / "overfitting.toml", 'hit_policy = "collect"', 'hit_policy = "unique"')
    problems = check_all(load_tables(unique))
    assert any(p.startswith("overfitting.toml: overlap: rules ") and "of-val-loss" in p and "of-no-symptom" in p
               and "hit policy 'unique' allows one" in p for p in problems), problems


def test_check_command_exits_non_zero_on_a_bad_table(rules_copy, monkeypatch, capsys):
    from engine import cli, tables

    edit(rules_copy / "sequence_model.toml", 'when = { length = "medium", need = "no_preference" }',
         'when = { length = "long", need = "no_preference" }')
    monkeypatch.setattr(tables, "RULES_DIR", rules_copy)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "sequence_model.toml: incomplete" in err
