"""Every row of the cheatsheet's tables, and every threshold edge, as a user scenario."""

import pytest

from engine import recommend

# (decision, answers, expected choice, expected rule) — one per seed row, in the seed's words.
SEED_ROWS = [
    # Choosing a Text Encoding
    ("text_encoding", {"vocab_size": 300, "encoding_need": "simplicity"}, "one_hot", "te-small-simple"),
    ("text_encoding", {"vocab_size": 50_000, "labelled_examples": 200_000, "encoding_need": "semantic_meaning"},
     "learned_embedding", "te-large-ample"),
    ("text_encoding", {"labelled_examples": 800, "encoding_need": "transfer_learning"},
     "pretrained_embedding", "te-transfer"),
    # Choosing a Sequential Model
    ("sequence_model", {"typical_length": 6, "max_length": 8, "sequence_need": "simple_architecture"},
     "simple_rnn", "sm-short"),
    ("sequence_model", {"typical_length": 200, "max_length": 400, "sequence_need": "long_term_memory"},
     "lstm", "sm-memory"),
    ("sequence_model", {"typical_length": 30, "lengths_vary": "yes", "sequence_need": "efficient_training"},
     "gru", "sm-varying-efficient"),
    # Handling Overfitting
    ("overfitting", {"train_accuracy": 99, "val_accuracy": 80}, "dropout", "of-gap-dropout"),
    ("overfitting", {"train_accuracy": 99, "val_accuracy": 80, "more_data_available": "yes"},
     "more_data", "of-gap-more-data"),
    ("overfitting", {"large_weights": "yes"}, "l1_l2", "of-large-weights"),
    ("overfitting", {"val_loss_rising": "yes"}, "early_stopping", "of-val-loss"),
    # Choosing Attention vs Transformer
    ("attention_vs_transformer", {"architecture_need": "seq2seq_with_context", "gpu_memory_gb": 4},
     "rnn_with_attention", "at-seq2seq-moderate"),
    ("attention_vs_transformer", {"architecture_need": "best_performance", "gpu_memory_gb": 24},
     "transformer", "at-best-sufficient"),
    # Transformer architectures (Pros & Cons)
    ("transformer_architecture", {"task": "labels"}, "encoder_only", "ta-labels"),
    ("transformer_architecture", {"task": "open_generation"}, "decoder_only", "ta-generation"),
    ("transformer_architecture", {"task": "sequence_to_sequence"}, "encoder_decoder", "ta-seq2seq"),
    # Optimizer (Pros & Cons): SGD for low memory, Adam(W) for Transformers, RMSprop for RNNs
    ("optimizer", {"spare_weight_copies": 0}, "sgd", "opt-no-room"),
    ("optimizer", {"model_family": "transformer"}, "adamw", "opt-transformer"),
    ("optimizer", {"model_family": "recurrent", "spare_weight_copies": 1}, "rmsprop", "opt-one-slot-recurrent"),
    ("attention_vs_transformer", {"typical_length": 300, "max_length": 4000, "gpu_memory_gb": 2},
     "lstm", "at-long-limited"),
    ("attention_vs_transformer", {"latency_budget_ms": 20, "gpu_memory_gb": 80,
                                  "architecture_need": "best_performance"}, "gru_or_small_rnn", "at-latency"),
]


@pytest.mark.parametrize(("decision", "answers", "choice", "rule"), SEED_ROWS)
def test_every_seed_row_is_reachable(decision, answers, choice, rule):
    rec = recommend(answers, decision)[decision]
    assert (rec.choice, rec.rule_id) == (choice, rule)
    assert rec.because


def test_every_seed_row_has_a_scenario():
    from engine import load_tables

    covered = {(d, r) for d, _, _, r in SEED_ROWS}
    tables = load_tables()
    for table in tables.decisions.values():
        rows = {rule.seed_row for rule in table.rules if (table.id, rule.id) in covered and rule.seed_row}
        assert rows == set(range(1, table.seed_rows + 1)), table.id


# Threshold edges: the value just below, at and above each threshold.
EDGES = [
    ("text_encoding", {"vocab_size": 999, "encoding_need": "simplicity"}, "one_hot"),
    ("text_encoding", {"vocab_size": 1000, "labelled_examples": 50_000, "encoding_need": "simplicity"},
     "learned_embedding"),
    ("text_encoding", {"vocab_size": 5000, "labelled_examples": 9_999}, "pretrained_embedding"),
    ("text_encoding", {"vocab_size": 5000, "labelled_examples": 10_000}, "learned_embedding"),
    ("sequence_model", {"typical_length": 9}, "simple_rnn"),
    ("sequence_model", {"typical_length": 10}, "gru"),  # exactly 10 is not "under 10"
    ("sequence_model", {"typical_length": 49}, "gru"),
    ("sequence_model", {"typical_length": 50}, "lstm"),  # "50+" includes 50
    ("attention_vs_transformer", {"max_length": 512, "gpu_memory_gb": 2}, "rnn_with_attention"),
    ("attention_vs_transformer", {"max_length": 513, "gpu_memory_gb": 2}, "lstm"),  # "> 512"
    ("attention_vs_transformer", {"max_length": 2000, "gpu_memory_gb": 7.9}, "lstm"),
    ("attention_vs_transformer", {"max_length": 2000, "gpu_memory_gb": 8}, "transformer"),
    ("attention_vs_transformer", {"latency_budget_ms": 49.9, "gpu_memory_gb": 40}, "gru_or_small_rnn"),
    ("attention_vs_transformer", {"latency_budget_ms": 50, "gpu_memory_gb": 40}, "transformer"),
    ("overfitting", {"train_accuracy": 90, "val_accuracy": 85.1}, "early_stopping"),  # gap 4.9: healthy
    ("overfitting", {"train_accuracy": 90, "val_accuracy": 85}, "dropout"),  # gap exactly 5
    ("overfitting", {"train_accuracy": 80, "val_accuracy": 90}, "early_stopping"),  # negative gap
]


@pytest.mark.parametrize(("decision", "answers", "choice"), EDGES)
def test_threshold_edges(decision, answers, choice):
    assert recommend(answers, decision)[decision].choice == choice


def test_uncovered_answers_still_get_a_reason_saying_how_it_was_decided():
    rec = recommend({"typical_length": 20}, "sequence_model")["sequence_model"]
    assert rec.choice == "gru"
    assert "gap in the cheatsheet" in rec.because
    assert rec.basis.startswith("our extension")


def test_several_overfitting_symptoms_give_ranked_remedies():
    advice = recommend({"train_accuracy": 98, "val_accuracy": 70, "val_loss_rising": "yes",
                        "large_weights": "yes", "more_data_available": "yes"}, "overfitting")
    rec = advice["overfitting"]
    assert [rec.choice] + [r.choice for r in rec.also] == ["more_data", "dropout", "early_stopping", "l1_l2"]
    assert rec.alternatives == ()  # every remedy was picked


def test_one_set_of_answers_feeds_every_decision():
    advice = recommend({"typical_length": 300, "max_length": 3000, "gpu_memory_gb": 0})
    assert advice.choices() == {
        "text_encoding": "pretrained_embedding", "sequence_model": "lstm",
        "overfitting": "early_stopping", "attention_vs_transformer": "lstm",
        "transformer_architecture": "encoder_only", "optimizer": "adam",
    }


def test_changing_one_answer_changes_only_the_decisions_that_read_it():
    before = recommend({"vocab_size": 500}).choices()
    after = recommend({"vocab_size": 500, "typical_length": 5, "max_length": 5}).choices()
    changed = {d for d in before if before[d] != after[d]}
    assert changed == {"sequence_model"}
