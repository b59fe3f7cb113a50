"""A corpus of broken rules files: each must fail to load with a message naming file, item and field."""

import shutil

import pytest

from engine import RulesError, load_tables
from engine.tables import RULES_DIR

# (case, file, text to replace, replacement, expected fragments of the message)
CASES = [
    ("toml syntax", "text_encoding.toml", 'hit_policy = "unique"', "hit_policy = unique",
     ["text_encoding.toml: not valid TOML", "line"]),
    ("not utf-8", "overfitting.toml", "Handling overfitting", "Handling \udcff overfitting",
     ["overfitting.toml: not valid UTF-8"]),
    ("unknown field", "text_encoding.toml", 'seed_rows = 3', 'seed_rows = 3\ncolour = "red"',
     ['text_encoding.toml: top level, field "colour": is not a known field']),
    ("missing field", "sequence_model.toml", 'asks = "Which recurrent layer should read the sequence?"\n', "",
     ['sequence_model.toml: top level, field "asks": is required but missing']),
    ("bad hit policy", "sequence_model.toml", 'hit_policy = "unique"', 'hit_policy = "priority"',
     ['sequence_model.toml: top level, field "hit_policy"', "'unique', 'first' or 'collect'", "found 'priority'"]),
    ("rule field typo", "sequence_model.toml", 'choice = "simple_rnn"\nbecause', 'choise = "simple_rnn"\nbecause',
     ['sequence_model.toml: rules[0] (id "sm-short"), field "choise": is not a known field',
      'rules[0] (id "sm-short"), field "choice": is required but missing']),
    ("short reason", "overfitting.toml", 'because = "Nothing you reported', 'because = "Fine."\nxbecause = "',
     ['rules[4] (id "of-no-symptom"), field "because": string should have at least 20 characters']),
    ("bad rule id", "overfitting.toml", 'id = "of-val-loss"', 'id = "Of Val Loss"',
     ['overfitting.toml: rules[2] (id "Of Val Loss"), field "id": string should match pattern']),
    ("unknown choice", "text_encoding.toml", 'choice = "one_hot"', 'choice = "onehot"',
     ['text_encoding.toml: rule "te-small-simple", field "choice": expected one of',
      "found 'onehot'"]),
    ("unknown input in when", "text_encoding.toml", 'when = { vocabulary = "small", need = "semantic_meaning" }',
     'when = { vocab = "small", need = "semantic_meaning" }',
     ['text_encoding.toml: rule "te-small-semantic", field "when": expected inputs', "found 'vocab'"]),
    ("unknown value in when", "sequence_model.toml", 'when = { length = "medium", need = "no_preference" }',
     'when = { length = "mid", need = "no_preference" }',
     ['sequence_model.toml: rule "sm-medium-default", field "when.length": expected values', "found 'mid'"]),
    ("unknown alternative", "text_encoding.toml", "alternatives.learned_embedding = \"When you have 10,000",
     "alternatives.bert = \"When you have 10,000",
     ['text_encoding.toml: rule "te-transfer", field "alternatives"', "found 'bert'"]),
    ("id differs from file name", "overfitting.toml", 'id = "overfitting"', 'id = "over_fitting"',
     ['overfitting.toml: field "id": must match the file name "overfitting"']),
    ("duplicate rule id", "overfitting.toml", 'id = "of-val-loss"', 'id = "sm-short"',
     ['sequence_model.toml: rule "sm-short": id already used in overfitting.toml']),
    ("gap between bins", "sequence_model.toml", '{ id = "long", label = "long (50 tokens or more)", at_least = 50 }',
     '{ id = "long", label = "long (50 tokens or more)", at_least = 60 }',
     ['sequence_model.toml: input "length": bins "medium" (below 50) and "long" (from 60) do not meet: '
      "answers between them fall in no bin"]),
    ("overlapping bins", "sequence_model.toml", '{ id = "long", label = "long (50 tokens or more)", at_least = 50 }',
     '{ id = "long", label = "long (50 tokens or more)", at_least = 40 }',
     ["fall in two bins"]),
    ("bin not covering the start", "text_encoding.toml",
     '{ id = "small", label = "small (under 1,000 tokens)", below = 1_000 }',
     '{ id = "small", label = "small (under 1,000 tokens)", at_least = 10, below = 1_000 }',
     ['text_encoding.toml: input "vocabulary": answers from 1 to 10 fall in no bin']),
    ("empty bin", "text_encoding.toml", 'below = 1_000 },', 'at_least = 1_000, below = 1_000 },',
     ["text_encoding.toml: inputs[0] (id \"vocabulary\").bins[0] (id \"small\")",
      "bin 'small' needs at_least < below"]),
    ("unknown question", "text_encoding.toml", 'question = "vocab_size"', 'question = "vocabulary_size"',
     ['text_encoding.toml: input "vocabulary": refers to unknown question \'vocabulary_size\'']),
    ("choice question binned", "text_encoding.toml", 'question = "encoding_need"',
     'question = "encoding_need"\nbins = [{ id = "x", label = "x" }]',
     ['input "need": only numeric answers are binned']),
    ("numeric question without bins", "overfitting.toml", 'question = "large_weights"',
     'question = "labelled_examples"',
     ['overfitting.toml: input "weights": reads the numeric question \'labelled_examples\', so it needs \'bins\'']),
    ("seed row out of range", "overfitting.toml", "seed_row = 2", "seed_row = 7",
     ['overfitting.toml: rule "of-large-weights", field "seed_row": the seed table has 3 rows; found 7']),
    ("missing_bin without optional question", "overfitting.toml", 'question = "val_loss_rising"',
     'question = "val_loss_rising"\nmissing_bin = "unknown"', ["'missing_bin' names the value"]),
    ("question default out of range", "questions.toml", "default = 20_000", "default = 0",
     ['questions.toml: questions[0] (id "vocab_size"): default 0 must be a number between min and max']),
    ("default not an option", "questions.toml", 'default = "no_preference"\noptions = [\n    { value = "simplicity"',
     'default = "whatever"\noptions = [\n    { value = "simplicity"',
     ['questions[5] (id "encoding_need"): default \'whatever\' is not one of the options']),
    ("optional with default", "questions.toml", "optional = true\nwhen_missing = \"no hard latency limit\"",
     "optional = true\ndefault = 10.0\nwhen_missing = \"no hard latency limit\"",
     ['(id "latency_budget_ms"): a question is either optional (no default) or has a default']),
    ("unknown step", "questions.toml", 'step = "deployment"', 'step = "hardware"',
     ['questions.toml: question "gpu_memory_gb", field "step": expected one of']),
    ("duplicate question id", "questions.toml", 'id = "labelled_examples"', 'id = "vocab_size"',
     ['questions.toml: question "vocab_size": id is used more than once']),
    ("not_below unknown", "questions.toml", 'not_below = "typical_length"', 'not_below = "typical"',
     ['questions.toml: question "max_length", field "not_below": expected the id of a numeric question']),
    ("wrong type", "questions.toml", "min = 1\nmax = 10_000_000", 'min = "one"\nmax = 10_000_000',
     ['questions.toml: questions[0] (id "vocab_size"), field "min": input should be a valid number']),
]


@pytest.mark.parametrize(("case", "file", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_rules_file_gives_a_clear_message(tmp_path, case, file, old, new, expected):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules, ignore=shutil.ignore_patterns("study"))
    path = rules / file
    text = path.read_text()
    assert old in text, f"{case}: the fixture's text to replace is not in {file}"
    path.write_bytes(text.replace(old, new, 1).encode("utf-8", "surrogateescape"))
    with pytest.raises(RulesError) as info:
        load_tables(rules)
    message = str(info.value)
    for fragment in expected:
        assert fragment in message, f"{case}: {fragment!r} not in:\n{message}"
    assert "Traceback" not in message


def test_missing_rules_folder_is_reported(tmp_path):
    with pytest.raises(RulesError, match="questions.toml: file not found"):
        load_tables(tmp_path)
