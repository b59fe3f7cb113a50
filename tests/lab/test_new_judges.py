"""The optimizer and Transformer-architecture judges: every branch, both outcomes, on made-up numbers."""

import pytest

from engine.lab.data.lookahead import causal_ceiling
from engine.lab.decisions import lab_decision
from engine.lab.results.judging import Measured, Situation

SIT = Situation(seq_len=12, n_classes=2, n_train=2000, vocab_size=17)


def opt(choice, acc, losses, state=1):
    return Measured(choice=choice, label=choice, val_accuracy=acc,
                    extras={"val_losses": losses, "optimizer_state_values": state})


FAST, SLOW, NEVER = [1.0, 0.3, 0.2, 0.2], [2.0, 1.5, 1.0, 0.5], [2.0, 1.9, 1.8, 1.7]


def optimizer(choice, *measured):
    return lab_decision("optimizer").judge({r.choice: r for r in measured}, choice, SIT)


@pytest.mark.parametrize("choice", ["adam", "sgd_momentum", "rmsprop"])
@pytest.mark.parametrize(("mine", "sgd", "acc", "expected"), [
    (FAST, SLOW, 0.95, True),  # sooner than SGD and as accurate
    (SLOW, FAST, 0.95, False),  # SGD got there first
    (FAST, SLOW, 0.85, False),  # fast but clearly less accurate than the best
    (FAST, NEVER, 0.95, True),  # SGD never reached the target: reaching it at all is sooner
])
def test_adaptive_and_momentum_must_be_faster_than_sgd_and_about_as_accurate(choice, mine, sgd, acc, expected):
    check = optimizer(choice, opt(choice, acc, mine), opt("sgd", 0.95, sgd, state=0), opt("adamw", 0.95, FAST))
    assert check.agrees is expected


def test_no_epoch_at_all_reaching_the_target_is_not_sooner():
    check = optimizer("adam", opt("adam", 0.95, NEVER), opt("sgd", 0.95, NEVER, state=0),
                      opt("rmsprop", 0.95, [0.1, 0.1, 0.1, 0.1]))
    assert check.agrees is False


@pytest.mark.parametrize(("acc", "state", "expected"), [(0.94, 0, True), (0.80, 0, False), (0.94, 100, False)])
def test_sgd_must_be_close_to_the_best_and_keep_no_state(acc, state, expected):
    assert optimizer("sgd", opt("sgd", acc, SLOW, state=state), opt("adam", 0.95, FAST)).agrees is expected


@pytest.mark.parametrize(("adamw", "expected"), [(0.95, True), (0.90, False)])
def test_adamw_must_match_adam(adamw, expected):
    check = optimizer("adamw", opt("adamw", adamw, FAST), opt("adam", 0.95, FAST), opt("sgd", 0.95, SLOW, state=0))
    assert check.agrees is expected


def test_optimizer_without_its_baseline_cannot_be_judged():
    assert optimizer("adam", opt("adam", 0.95, FAST), opt("rmsprop", 0.95, SLOW)).agrees is None
    assert optimizer("adamw", opt("adamw", 0.95, FAST), opt("sgd", 0.9, SLOW, state=0)).agrees is None
    assert optimizer("adam", opt("adam", 0.9, [])).agrees is None  # no losses measured at all


def tag(choice, acc, params):
    return Measured(choice=choice, label=choice, val_accuracy=acc, params=params)


def arch(choice, *measured):
    return lab_decision("transformer_architecture").judge({r.choice: r for r in measured}, choice, SIT)


@pytest.mark.parametrize(("enc", "both", "enc_params", "expected"), [
    (0.99, 0.99, 100, True),
    (0.60, 0.99, 100, False),  # not clearly past the ceiling of 54.2%
    (0.90, 0.99, 100, False),  # clearly behind the encoder-decoder
    (0.99, 0.99, 500, False),  # not smaller than the encoder-decoder
])
def test_encoder_only_must_pass_the_ceiling_match_the_encoder_decoder_and_be_smaller(enc, both, enc_params, expected):
    check = arch("encoder_only", tag("encoder_only", enc, enc_params), tag("encoder_decoder", both, 300),
                 tag("decoder_only", 0.54, 100))
    assert check.agrees is expected


@pytest.mark.parametrize(("acc", "expected"), [(0.99, True), (causal_ceiling(12), False)])
def test_encoder_decoder_must_pass_the_causal_ceiling(acc, expected):
    assert arch("encoder_decoder", tag("encoder_decoder", acc, 300), tag("encoder_only", 0.99, 100)).agrees is expected


def test_decoder_claim_is_about_generation_and_cannot_be_tested_on_tagging():
    check = arch("decoder_only", tag("decoder_only", 0.54, 100), tag("encoder_only", 0.99, 100))
    assert check.agrees is None and "54.2%" in check.untestable
