"""The optimizer and Transformer-architecture decisions, rule by rule and at every threshold edge."""

import pytest

from engine import recommend

# (answers, expected choice, expected rule): every optimizer rule, and each edge of "room" (0 | 1 | 2+).
OPTIMIZER = [
    ({"spare_weight_copies": 0}, "sgd", "opt-no-room"),
    ({"spare_weight_copies": 0, "model_family": "transformer", "fine_tuning": "yes"}, "sgd", "opt-no-room"),
    ({"spare_weight_copies": 1, "model_family": "recurrent"}, "rmsprop", "opt-one-slot-recurrent"),
    ({"spare_weight_copies": 1, "model_family": "transformer"}, "sgd_momentum", "opt-one-slot"),
    ({"spare_weight_copies": 1}, "sgd_momentum", "opt-one-slot"),
    ({"spare_weight_copies": 2, "model_family": "recurrent"}, "adam", "opt-recurrent"),  # exactly 2: Adam fits
    ({"spare_weight_copies": 2, "fine_tuning": "yes"}, "adamw", "opt-finetune"),
    ({"spare_weight_copies": 8, "fine_tuning": "yes", "model_family": "transformer"}, "adamw", "opt-finetune"),
    ({"fine_tuning": "yes", "model_family": "recurrent"}, "adam", "opt-recurrent"),
    ({"fine_tuning": "yes", "model_family": "simple"}, "sgd_momentum", "opt-simple"),
    ({"model_family": "transformer"}, "adamw", "opt-transformer"),
    ({"model_family": "simple"}, "sgd_momentum", "opt-simple"),
    ({}, "adam", "opt-default"),
]


@pytest.mark.parametrize(("answers", "choice", "rule"), OPTIMIZER)
def test_optimizer_rules(answers, choice, rule):
    rec = recommend(answers, "optimizer")["optimizer"]
    assert (rec.choice, rec.rule_id) == (choice, rule)


@pytest.mark.parametrize(("task", "choice"), [("labels", "encoder_only"), ("open_generation", "decoder_only"),
                                              ("sequence_to_sequence", "encoder_decoder")])
def test_transformer_architecture_follows_the_task(task, choice):
    assert recommend({"task": task}, "transformer_architecture")["transformer_architecture"].choice == choice


def test_unanswered_task_is_assumed_and_said_so():
    rec = recommend({}, "transformer_architecture")["transformer_architecture"]
    assert rec.choice == "encoder_only"
    assert [a.label for a in rec.assumptions] == ["Task"]


def test_memory_beats_a_stated_model_family_and_says_what_would_change_it():
    rec = recommend({"spare_weight_copies": 0, "model_family": "transformer"}, "optimizer")["optimizer"]
    assert rec.choice == "sgd"
    [lost] = rec.overridden
    assert lost.goal == "Model you plan to train: A Transformer"
    assert lost.constraint == "Room for optimizer state: none (0 extra copies of the weights)"
    assert lost.rule_id == "opt-no-room"
    assert lost.goal_choice == "adamw"
    assert lost.would_change == ("Room for optimizer state: two or more extra copies of the weights",)


def test_no_override_without_a_stated_goal_or_when_the_goal_wins():
    assert recommend({"spare_weight_copies": 0}, "optimizer")["optimizer"].overridden == ()
    # Stating the default ("not decided yet") is not a goal that can be lost.
    stated_default = {"spare_weight_copies": 0, "model_family": "not_decided"}
    assert recommend(stated_default, "optimizer")["optimizer"].overridden == ()
    assert recommend({"model_family": "transformer"}, "optimizer")["optimizer"].overridden == ()
    # Hit policies other than 'first' have no constraints that override goals.
    assert recommend({"encoding_need": "simplicity"}, "text_encoding")["text_encoding"].overridden == ()


def test_adamw_note_is_labelled_beyond_the_cheatsheet_only_when_adamw_is_picked():
    adamw = recommend({"model_family": "transformer"}, "optimizer")["optimizer"]
    assert [n.id for n in adamw.beyond_the_cheatsheet] == ["bc-adamw-decoupled"]
    assert "Loshchilov" in adamw.beyond_the_cheatsheet[0].source
    assert recommend({}, "optimizer")["optimizer"].beyond_the_cheatsheet == ()


@pytest.mark.parametrize(("examples", "length", "shown"), [
    (1_499, 1, True),      # ratio 1,499: under 1,500
    (1_500, 1, False),     # exactly 1,500 is not under
    (3_000, 230, True),    # the movie reviews: about 13
    (600_000, 100, False), # 6,000
])
def test_ngram_baseline_note_at_the_1500_ratio(examples, length, shown):
    for decision in ("text_encoding", "sequence_model"):
        rec = recommend({"labelled_examples": examples, "typical_length": length, "max_length": max(length, 1)},
                        decision)[decision]
        assert ("bc-ngram-mlp" in [n.id for n in rec.beyond_the_cheatsheet]) is shown


@pytest.mark.parametrize(("vocab", "shown"), [(29_999, False), (30_000, True)])
def test_subword_note_from_30000_tokens(vocab, shown):
    rec = recommend({"vocab_size": vocab, "labelled_examples": 50_000}, "text_encoding")["text_encoding"]
    assert ("bc-subword" in [n.id for n in rec.beyond_the_cheatsheet]) is shown


@pytest.mark.parametrize(("examples", "shown"), [(9_999, True), (10_000, False)])
def test_finetuning_notes_for_limited_labels(examples, shown):
    advice = recommend({"labelled_examples": examples, "architecture_need": "best_performance", "gpu_memory_gb": 4})
    assert ("bc-contextual" in [n.id for n in advice["text_encoding"].beyond_the_cheatsheet]) is shown
    att = [n.id for n in advice["attention_vs_transformer"].beyond_the_cheatsheet]
    assert ("bc-finetune-encoder" in att) is shown


def test_finetuning_note_needs_the_best_performance_goal():
    rec = recommend({"labelled_examples": 500}, "attention_vs_transformer")["attention_vs_transformer"]
    assert "bc-finetune-encoder" not in [n.id for n in rec.beyond_the_cheatsheet]
