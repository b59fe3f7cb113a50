"""Every judge, every branch, both outcomes, on made-up numbers (no TensorFlow), and the k-of-n count."""

import pytest

from engine.lab.decisions import lab_decision
from engine.lab.results.judging import Measured, Situation
from engine.lab.results.records import CandidateResult, EpochMetrics, SeedRun
from engine.lab.results.stats import spread, t_quantile
from engine.lab.results.verdicts import tally

SIT = Situation(seq_len=30, n_classes=2, n_train=100, vocab_size=50)


def m(choice, acc=0.8, **kw):
    return Measured(choice=choice, label=choice, val_accuracy=acc, **kw)


def agrees(decision, choice, *measured):
    return lab_decision(decision).judge({r.choice: r for r in measured}, choice, SIT).agrees


# ------------------------------------------------------------------ text encoding
@pytest.mark.parametrize(("pre", "learned", "expected"), [(0.95, 0.80, True), (0.81, 0.80, False),
                                                          (0.70, 0.80, False)])
def test_pretrained_must_beat_the_embedding_learned_from_scratch(pre, learned, expected):
    assert agrees("text_encoding", "pretrained_embedding", m("pretrained_embedding", pre),
                  m("learned_embedding", learned), m("one_hot", 0.99)) is expected


def test_pretrained_without_a_learned_embedding_cannot_be_judged():
    assert agrees("text_encoding", "pretrained_embedding", m("pretrained_embedding"), m("one_hot")) is None


@pytest.mark.parametrize("choice", ["one_hot", "learned_embedding"])
@pytest.mark.parametrize(("mine", "expected"), [(0.79, True), (0.70, False)])
def test_one_hot_and_learned_must_be_about_as_accurate_as_the_best_alternative(choice, mine, expected):
    others = [m(c, 0.80) for c in ("one_hot", "learned_embedding", "pretrained_embedding") if c != choice]
    assert agrees("text_encoding", choice, m(choice, mine), *others) is expected
    assert agrees("text_encoding", choice, m(choice, mine)) is None  # nothing to compare with


# ------------------------------------------------------------------ sequence model
def seq(simple=(0.6, 0.02), lstm=(0.9, 0.08), gru=(0.9, 0.06), params=(1000, 4000, 3000)):
    return [m("simple_rnn", simple[0], seconds_per_epoch=simple[1], params=params[0]),
            m("lstm", lstm[0], seconds_per_epoch=lstm[1], params=params[1]),
            m("gru", gru[0], seconds_per_epoch=gru[1], params=params[2])]


def test_gru_claim_needs_accuracy_parameters_and_speed():
    assert agrees("sequence_model", "gru", *seq()) is True
    assert agrees("sequence_model", "gru", *seq(gru=(0.80, 0.06))) is False  # clearly less accurate
    assert agrees("sequence_model", "gru", *seq(gru=(0.9, 0.10))) is False  # slower than the LSTM
    assert agrees("sequence_model", "gru", *seq(gru=(0.9, 0.075))) is False  # 6% faster: within the load's noise
    assert agrees("sequence_model", "gru", *seq(gru=(0.9, 0.072))) is True  # 10% faster
    assert agrees("sequence_model", "gru", *seq(params=(1000, 3000, 4000))) is False  # more parameters


def test_gru_and_lstm_both_at_chance_cannot_show_about_as_well():
    assert agrees("sequence_model", "gru", *seq(simple=(0.95, 0.02), lstm=(0.50, 0.08), gru=(0.50, 0.06))) is None
    assert agrees("sequence_model", "gru", seq()[0], seq()[2]) is None  # no LSTM


def test_near_chance_is_read_against_the_most_common_class_when_the_split_is_lopsided():
    models = seq(simple=(0.95, 0.02), lstm=(0.62, 0.08), gru=(0.62, 0.06))
    judge = lab_decision("sequence_model").judge
    assert judge({r.choice: r for r in models}, "gru", SIT).agrees is True  # 62% is learning on a 50/50 split
    lopsided = Situation(seq_len=30, n_classes=2, n_train=100, vocab_size=50, majority=0.6)
    assert judge({r.choice: r for r in models}, "gru", lopsided).agrees is None  # a constant guess scores 60%


def test_lstm_must_clearly_beat_the_simple_rnn():
    assert agrees("sequence_model", "lstm", *seq()) is True
    assert agrees("sequence_model", "lstm", *seq(simple=(0.88, 0.02))) is False
    assert agrees("sequence_model", "lstm", seq()[1], seq()[2]) is None


def test_simple_rnn_must_be_about_as_accurate_and_the_fastest():
    assert agrees("sequence_model", "simple_rnn", *seq(simple=(0.89, 0.02))) is True
    assert agrees("sequence_model", "simple_rnn", *seq(simple=(0.60, 0.02))) is False  # lost accuracy
    assert agrees("sequence_model", "simple_rnn", *seq(simple=(0.89, 0.09))) is False  # not the fastest
    assert agrees("sequence_model", "simple_rnn", seq()[0]) is None


# ------------------------------------------------------------------ overfitting
def base(gap=0.20, acc=0.75, **kw):
    return m("no_remedy", acc, train_accuracy=acc + gap, **kw)


def test_baseline_must_overfit():
    assert agrees("overfitting", "no_remedy", base(0.20)) is True
    assert agrees("overfitting", "no_remedy", base(0.02)) is False
    assert agrees("overfitting", "no_remedy", m("no_remedy", 0.8)) is None  # no training accuracy, no gap


@pytest.mark.parametrize("choice", ["dropout", "more_data"])
def test_dropout_and_more_data_must_narrow_the_gap_without_losing_accuracy(choice):
    assert agrees("overfitting", choice, base(), m(choice, 0.80, train_accuracy=0.85)) is True
    assert agrees("overfitting", choice, base(), m(choice, 0.75, train_accuracy=0.94)) is False  # gap as wide
    assert agrees("overfitting", choice, base(), m(choice, 0.60, train_accuracy=0.62)) is False  # accuracy lost


def test_l1_must_make_weights_sparse_and_not_widen_the_gap():
    b = base(extras={"near_zero_weights": 0.01})

    def l1(zero, val, train):
        return m("l1", val, train_accuracy=train, extras={"near_zero_weights": zero})

    assert agrees("overfitting", "l1", b, l1(0.30, 0.76, 0.90)) is True
    assert agrees("overfitting", "l1", b, l1(0.02, 0.76, 0.90)) is False  # not sparser
    assert agrees("overfitting", "l1", b, l1(0.30, 0.70, 0.99)) is False  # wider gap, lower accuracy
    assert agrees("overfitting", "l1", b, m("l1", 0.76, train_accuracy=0.9)) is None  # sparsity not measured


def test_l2_must_shrink_weights_and_narrow_the_gap():
    b = base(extras={"mean_abs_weight": 0.10})

    def l2(size, val, train):
        return m("l2", val, train_accuracy=train, extras={"mean_abs_weight": size})

    assert agrees("overfitting", "l2", b, l2(0.05, 0.78, 0.85)) is True
    assert agrees("overfitting", "l2", b, l2(0.099, 0.78, 0.85)) is False  # weights not smaller
    assert agrees("overfitting", "l2", b, l2(0.05, 0.75, 0.95)) is False  # gap not narrower
    assert agrees("overfitting", "l2", b, m("l2", 0.78, train_accuracy=0.85)) is None


def test_early_stopping_is_scored_on_the_test_split():
    b = base(epochs_run=15, test_loss=1.2, test_accuracy=0.74)

    def es(run, loss, acc):
        return m("early_stopping", 0.8, train_accuracy=0.8, epochs_run=run, test_loss=loss, test_accuracy=acc)

    assert agrees("overfitting", "early_stopping", b, es(7, 0.8, 0.80)) is True
    assert agrees("overfitting", "early_stopping", b, es(15, 0.8, 0.80)) is False  # never stopped
    assert agrees("overfitting", "early_stopping", b, es(7, 1.3, 0.80)) is False  # worse test loss
    assert agrees("overfitting", "early_stopping", b, es(7, 0.8, 0.70)) is False  # worse test accuracy
    assert agrees("overfitting", "early_stopping", base(epochs_run=15), es(7, 0.8, 0.8)) is None  # no test split


# ------------------------------------------------------------------ attention vs Transformer
def att(transformer=(0.95, 0.30, 0.7, 9000), lstm=0.85, attn=(0.9, 0.2), gru=(0.8, 0.5, 2000)):
    return [m("transformer", transformer[0], seconds_per_epoch=transformer[1], latency_ms_per_example=transformer[2],
              params=transformer[3]),
            m("lstm", lstm), m("rnn_with_attention", attn[0], seconds_per_epoch=attn[1]),
            m("gru_or_small_rnn", gru[0], latency_ms_per_example=gru[1], params=gru[2])]


def test_transformer_must_be_at_least_as_accurate_as_the_rest():
    assert agrees("attention_vs_transformer", "transformer", *att()) is True
    assert agrees("attention_vs_transformer", "transformer", *att(transformer=(0.80, 0.3, 0.7, 9000))) is False


def test_rnn_with_attention_must_beat_the_lstm_and_cost_less_than_the_transformer():
    assert agrees("attention_vs_transformer", "rnn_with_attention", *att()) is True
    assert agrees("attention_vs_transformer", "rnn_with_attention", *att(attn=(0.85, 0.2))) is False
    assert agrees("attention_vs_transformer", "rnn_with_attention", *att(attn=(0.9, 0.4))) is False
    assert agrees("attention_vs_transformer", "rnn_with_attention", *att(attn=(0.9, 0.28))) is False  # 7% less
    assert agrees("attention_vs_transformer", "rnn_with_attention", *att()[2:]) is None  # no Transformer


def test_small_gru_must_answer_faster_and_be_smaller():
    assert agrees("attention_vs_transformer", "gru_or_small_rnn", *att()) is True
    assert agrees("attention_vs_transformer", "gru_or_small_rnn", *att(gru=(0.8, 1.5, 2000))) is False
    assert agrees("attention_vs_transformer", "gru_or_small_rnn", *att(gru=(0.8, 0.5, 20000))) is False


def test_lstm_memory_claim_is_not_testable_in_a_short_run():
    assert agrees("attention_vs_transformer", "lstm", *att()) is None


# ------------------------------------------------------------------ k of n
@pytest.mark.parametrize(("outcomes", "expected"), [
    ([True, True, True], True), ([True, True, False], True), ([True, False, False], False),
    ([True, True, False, False, True], None), ([True] * 4 + [False], True), ([True, None, None], True),
    ([None, None], None), ([True, False], None), ([False], False), ([True], True)])
def test_a_claim_agrees_only_in_a_clear_majority_of_seeds(outcomes, expected):
    assert tally(outcomes) is expected


def candidate(choice, recommended, accs, seconds=0.05, params=1000):
    runs = [SeedRun(seed=s, history=[EpochMetrics(epoch=1, loss=0.5, accuracy=a, val_accuracy=a)], val_loss=0.5,
                    val_accuracy=a, train_accuracy=a, seconds_per_epoch=seconds) for s, a in enumerate(accs)]
    return CandidateResult(choice=choice, label=choice.upper(), changes="", recommended=recommended, runs=runs,
                           params=params, trainable_params=params, code="")


def test_the_verdict_counts_seeds_and_says_so():
    judge = lab_decision("sequence_model").verdict
    held = judge([candidate("simple_rnn", False, [0.6, 0.6, 0.6], 0.02),
                  candidate("lstm", True, [0.9, 0.9, 0.62], 0.08)], SIT, stopped=False)
    assert held.agrees is True and held.holds_in == 2 and held.seeds == 3 and held.per_seed == [True, True, False]
    assert "held in 2 of 3 seeds" in held.text
    split = judge([candidate("simple_rnn", False, [0.6] * 4, 0.02),
                   candidate("lstm", True, [0.9, 0.9, 0.6, 0.6], 0.08)], SIT, stopped=False)
    # 2 of 4 seeds, and a spread (+0.15 +/- 0.28) far wider than the 5 points the claim needs: cannot tell
    assert split.agrees is None and split.holds_in == 2 and split.too_few_seeds
    assert split.text.startswith("Too few seeds to tell") and "about 47 seeds would tell" in split.text


def test_seeds_that_could_not_test_the_claim_are_counted_apart_and_said():
    """Three seeds, the SimpleRNN measured in two: the count is out of the two that could test the claim, and
    the sentence says the third could not, rather than reading as a 2-seed run."""
    verdict = lab_decision("sequence_model").verdict(
        [candidate("simple_rnn", False, [0.6, 0.6], 0.02), candidate("lstm", True, [0.6, 0.6, 0.9], 0.08)],
        SIT, stopped=False)
    assert verdict.per_seed == [False, False, None] and verdict.seeds == 2 and verdict.agrees is False
    assert "held in 0 of 2 seeds that could test it (1 of 3 could not)" in verdict.text


def test_a_difference_clearly_smaller_than_the_claim_needs_is_a_no_not_too_few_seeds():
    judge = lab_decision("sequence_model").verdict
    flat = judge([candidate("simple_rnn", False, [0.60, 0.61, 0.59, 0.60], 0.02),
                  candidate("lstm", True, [0.61, 0.61, 0.60, 0.60], 0.08)], SIT, stopped=False)
    assert flat.agrees is False and not flat.too_few_seeds and "does NOT agree" in flat.text
    assert any("clearly smaller than the claim needs" in line for line in flat.power)


def test_a_part_without_a_difference_that_clearly_fails_decides_against_whatever_the_spread():
    judge = lab_decision("sequence_model").verdict
    gru = candidate("gru", True, [0.9, 0.6, 0.9], 0.08, params=5000)  # more parameters than the LSTM: fails
    verdict = judge([candidate("lstm", False, [0.6, 0.9, 0.6], 0.08, params=4000), gru], SIT, stopped=False)
    assert verdict.agrees is False and not verdict.too_few_seeds


def test_every_candidate_at_chance_is_too_little_training_not_a_no():
    judge = lab_decision("sequence_model").verdict
    idle = judge([candidate("simple_rnn", False, [0.50, 0.52, 0.49], 0.02),
                  candidate("lstm", True, [0.51, 0.53, 0.50], 0.08)], SIT, stopped=False)
    assert idle.agrees is None and idle.too_little_training and not idle.too_few_seeds
    assert idle.text.startswith("Too little training to tell: every candidate stayed within 5 points of chance (50%, "
                                "one in 2 classes)")
    assert "more epochs or more training examples would tell, more seeds would not" in idle.text
    assert idle.power == []  # differences between models that learned nothing are not set against the claim
    # One candidate learned (0.62 is past 55%): a real result, judged as usual (the LSTM fell short).
    learned = judge([candidate("simple_rnn", False, [0.62, 0.63, 0.61], 0.02),
                     candidate("lstm", True, [0.51, 0.53, 0.50], 0.08)], SIT, stopped=False)
    assert learned.agrees is False and not learned.too_little_training
    # A 60/40 validation split: always guessing the larger class scores 60%, so 0.62 is nothing learned.
    lopsided = Situation(seq_len=30, n_classes=2, n_train=100, majority=0.6)
    guessed = judge([candidate("simple_rnn", False, [0.62, 0.63, 0.61], 0.02),
                     candidate("lstm", True, [0.60, 0.61, 0.60], 0.08)], lopsided, stopped=False)
    assert guessed.too_little_training and "(60%, what always guessing the most common class scores)" in guessed.text
    ten = Situation(seq_len=0, n_classes=10, n_train=100)  # chance is 10% for ten classes: 0.5 is learning
    assert not judge([candidate("simple_rnn", False, [0.50] * 3, 0.02), candidate("lstm", True, [0.51] * 3, 0.08)],
                     ten, stopped=False).too_little_training


def test_power_sentences_name_what_the_seeds_could_detect_and_what_the_claim_needs():
    judge = lab_decision("sequence_model").verdict
    held = judge([candidate("simple_rnn", False, [0.6, 0.6, 0.6], 0.02),
                  candidate("lstm", True, [0.9, 0.92, 0.91], 0.08)], SIT, stopped=False)
    assert held.agrees is True
    (line,) = held.power
    assert line.startswith("Clearly more accurate than the SimpleRNN: +0.310") and "the claim needs +0.050" in line


def test_spread_uses_a_t_interval():
    s = spread([0.8, 0.9, 1.0])
    assert s.mean == pytest.approx(0.9) and s.minimum == 0.8 and s.maximum == 1.0
    assert s.high - s.mean == pytest.approx(t_quantile(2) * 0.1 / 3 ** 0.5)
    assert spread([0.5]).low is None and spread([None]) is None


# ------------------------------------------------------------------ the speed judge
@pytest.mark.parametrize(("wall", "cpu", "expected"), [
    ((0.10, 0.20), (0.10, 0.20), True),  # both say the GRU is twice as fast
    ((0.10, 0.20), (0.19, 0.20), False),  # wall says faster (load during the LSTM's turn), CPU says the same
    ((0.25, 0.20), (0.12, 0.20), True),  # wall says slower (load during the GRU's turn), CPU says 40% less
])
def test_speed_is_judged_on_cpu_time_when_the_interleaved_timing_measured_it(wall, cpu, expected):
    gru = m("gru", 0.9, seconds_per_epoch=wall[0], cpu_seconds_per_epoch=cpu[0], params=100)
    lstm = m("lstm", 0.9, seconds_per_epoch=wall[1], cpu_seconds_per_epoch=cpu[1], params=200)
    check = lab_decision("sequence_model").judge({"gru": gru, "lstm": lstm}, "gru", SIT)
    speed = next(p for p in check.parts if "faster per epoch" in p.name)
    assert speed.held is expected


def test_without_cpu_times_speed_falls_back_to_wall_time():
    gru = m("gru", 0.9, seconds_per_epoch=0.10, params=100)
    lstm = m("lstm", 0.9, seconds_per_epoch=0.20, cpu_seconds_per_epoch=0.10, params=200)  # only one side timed
    check = lab_decision("sequence_model").judge({"gru": gru, "lstm": lstm}, "gru", SIT)
    assert next(p for p in check.parts if "faster per epoch" in p.name).held is True
