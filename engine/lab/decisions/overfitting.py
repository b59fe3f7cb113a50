"""Dropout, L1, L2, early stopping or more data: one over-sized network with one remedy added at a time.

Trained on few handwritten digits with a fifth of the training labels wrong, so an unremedied network
memorises them. Each remedy is judged on a test split that chose nothing (early stopping picks its
epoch on the other half of the validation digits).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..results.judging import (
    GAP_NARROWER,
    NOT_WORSE,
    SMALLER,
    SPARSER,
    Check,
    Measured,
    Situation,
    at_least,
    cannot,
    more_than,
    parts,
)
from ..results.power import power
from ..results.published import STATUS, Bank, Finding, Paper, mean, not_measured, paired, point
from ..results.records import CandidateResult
from .base import DataNeeds, LabDecision, Sweep, TrainConfig, specs


def build_model(options, data, name):
    """Inputs -> two Dense(256) layers, each with the candidate's penalty and dropout, if any -> softmax."""
    import keras
    from keras import layers, regularizers

    x = data["x_train"]
    if data.get("vocab_size"):  # token ids: embed and average over the real tokens
        inputs = keras.Input(shape=x.shape[1:], dtype="int32", name="tokens")
        h = layers.GlobalAveragePooling1D(name="average")(
            layers.Embedding(data["vocab_size"], 32, mask_zero=True, name="embedding")(inputs))
    else:
        inputs = keras.Input(shape=x.shape[1:], dtype="float32", name="inputs")
        h = layers.Flatten(name="flatten")(inputs) if x.ndim > 2 else inputs
    l1, l2 = options.get("l1", 0.0), options.get("l2", 0.0)
    penalty = regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None
    for i in (1, 2):
        h = layers.Dense(256, activation="relu", kernel_regularizer=penalty, name=f"hidden_{i}")(h)
        if options.get("dropout"):
            h = layers.Dropout(options["dropout"], name=f"dropout_{i}")(h)
    outputs = layers.Dense(data["n_classes"], activation="softmax", name="classes")(h)
    return keras.Model(inputs, outputs, name=name)


def judge(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    base, me = results.get("no_remedy"), results[choice]
    if base is None or base.gap is None or me.gap is None:
        return cannot("The baseline's or this remedy's gap was not measured.")
    if choice == "no_remedy":
        return parts(("training accuracy well above validation accuracy (gap of 5 points or more)",
                      base.gap >= 0.05))
    not_worse = at_least("validation accuracy not lower than the baseline's", me.acc, base.acc, -NOT_WORSE)
    # "narrower": the baseline's gap exceeds this remedy's by more than GAP_NARROWER
    narrower = more_than("a narrower train-validation gap than the baseline", base.gap, me.gap, GAP_NARROWER)
    if choice in ("dropout", "more_data"):
        return parts(narrower, not_worse)
    if choice == "l1":
        zero, zero_base = me.extras.get("near_zero_weights"), base.extras.get("near_zero_weights")
        if zero is None or zero_base is None:
            return cannot("The weights' sparsity was not measured.")
        return parts(more_than("more weights near zero than without L1", zero, zero_base, SPARSER),
                     ("a gap no wider than the baseline's", me.gap <= base.gap), not_worse)
    if choice == "l2":
        size, size_base = me.extras.get("mean_abs_weight"), base.extras.get("mean_abs_weight")
        if size is None or size_base is None:
            return cannot("The weights' size was not measured.")
        return parts(("smaller weights than without L2", size < size_base * SMALLER), narrower, not_worse)
    # early stopping: judged on the test split, which played no part in choosing the epoch
    if me.test_accuracy is None or base.test_accuracy is None or me.test_loss is None or base.test_loss is None:
        return cannot("No held-out test split was scored, so the kept epoch cannot be judged fairly.")
    return parts(("stopped before the last epoch", me.epochs_run < base.epochs_run),
                 ("lower test loss than training to the end", me.test_loss < base.test_loss),
                 at_least("test accuracy not lower than training to the end", me.test_accuracy, base.test_accuracy,
                          -NOT_WORSE))


def extras(spec, model, data, history, initial) -> dict:
    """The hidden weights' size and sparsity (what L2 and L1 claim to change), and where early stopping stopped."""
    import numpy as np

    from ..models.probes import weight_stats

    found = weight_stats(model)
    if spec.options.get("early_stopping") and history:
        losses = [h.val_loss for h in history if h.val_loss is not None]
        found["best_epoch"] = int(np.argmin(losses)) + 1 if losses else None
        found["epochs_run"] = len(history)
    return found


def describe(candidate: CandidateResult) -> str:
    if candidate.gap is None:
        return f"{candidate.seconds_per_epoch:.2f} s/epoch"
    test = candidate.spread("test_accuracy")
    return f"gap {candidate.gap:.1%}" + (f", test {test.mean:.1%}" if test else "")


def measured_answers(candidates: Sequence[CandidateResult]) -> dict:
    """The baseline's own symptoms as measured in this run (percent, as the interview asks)."""
    base = next((c for c in candidates if c.choice == "no_remedy"), None)
    if base is None or base.train_accuracy is None or base.val_accuracy is None:
        return {}
    losses = [h.val_loss for h in base.history if h.val_loss is not None]
    rising = bool(losses) and losses[-1] > min(losses) * 1.05
    return {"train_accuracy": round(100 * base.train_accuracy, 1), "val_accuracy": round(100 * base.val_accuracy, 1),
            "val_loss_rising": rising}



def dropout_reduces_overfitting(bank: Bank) -> Finding:
    """Srivastava et al.: dropout reduces overfitting of large networks on small data (better test accuracy)."""
    found = point(bank, "overfitting", min)
    if found is None:
        return not_measured("overfitting sweep")
    gain = power(paired(found["metric"]["dropout"], found["metric"]["no_remedy"]), 0.0)
    gap = mean(found.get("extra", {}).get("gap", {}).get("no_remedy", [0.0]))
    text = (f"At {found['x']:g} training digits (a fifth of them mislabelled) the unremedied network's train-"
            f"validation gap is {gap:+.1%}; dropout minus no remedy on test accuracy {gain.difference.mean:+.3f} "
            f"(95% interval {gain.difference.low:+.3f} to {gain.difference.high:+.3f}).")
    return Finding(STATUS.get(gain.outcome, "too few seeds to tell"), text)


DECISION = LabDecision(
    id="overfitting",
    candidates=specs(
        "overfitting",
        ("no_remedy", "No remedy (baseline)", "the over-sized network on the small training sample, nothing added", {}),
        ("dropout", "Dropout 0.5", "Dropout(0.5) after each hidden layer", {"dropout": 0.5}),
        ("l1", "L1 penalty", "an L1 weight penalty (1e-4) on each hidden layer", {"l1": 1e-4}),
        ("l2", "L2 penalty", "an L2 weight penalty (1e-3) on each hidden layer", {"l2": 1e-3}),
        ("early_stopping", "Early stopping",
         "stop when validation loss has not improved for 5 epochs, keep the best weights", {"early_stopping": 5}),
        ("more_data", "More data", "the same network trained on a larger sample of the same data", {"more_data": True}),
    ),
    train=TrainConfig(epochs=15, batch_size=32, learning_rate=1e-2),
    datasets=("digits", "topics"),
    build=build_model,
    claims={
        "no_remedy": "An over-sized network on little data memorises it: training accuracy high, validation low.",
        "dropout": "When training accuracy is high and validation accuracy low, dropout narrows the gap.",
        "more_data": "When training accuracy is high and validation accuracy low, more data narrows the gap.",
        "l1": "An L1 penalty drives unneeded weights to zero (sparse weights).",
        "l2": "An L2 penalty keeps the weights small, which limits overfitting.",
        "early_stopping": "When validation loss starts rising, early stopping halts training and keeps the best "
                          "weights.",
    },
    judge=judge,
    needs=DataNeeds(more_data_split=True, hold_out_test=True),
    # The rules' `l1_l2` choice is answered by training both penalties side by side.
    aliases={"l1_l2": ("l1", "l2")},
    score_train_accuracy=True,
    extras=extras,
    describe=describe,
    measured_answers=measured_answers,
    papers=(Paper("dropout", "overfitting", "Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov 2014",
                  "Dropout reduces overfitting of large networks trained on small data.",
                  dropout_reduces_overfitting),),
    notes=("Half of the validation set is held out as a test split: early stopping chooses its epoch on the other "
           "half, and every candidate's test accuracy is scored on this one.",),
    sweep=Sweep("overfitting", "digits", "train", "labelled_examples", "training examples",
                (50, 100, 200, 400, 800), settings={"more": 1197}, metric="test_accuracy",
                extra_metrics=("gap", "train_accuracy", "val_accuracy", "epochs_run", "learning_rate_factor"),
                base_answers={"more_data_available": "no", "val_loss_rising": "no", "large_weights": "no"},
                level_input="gap", level_metric="gap", level_scale=100.0, level_candidate="no_remedy",
                baseline="no_remedy", effect=GAP_NARROWER, chance=0.1,
                # The remedies are the decision: every candidate trains the same 15 epochs (early stopping is
                # one of them), each at its best learning rate of the grid.
                patience=None,
                note="Handwritten digits with a fifth of the training labels wrong, an over-sized network (two "
                     "layers of 256), 15 epochs. Training accuracy is measured on those wrong labels too, so a model "
                     "that does not memorise them scores below its validation accuracy (clean labels) and the gap "
                     "turns negative: that is the model not overfitting, not an error. Each remedy is scored on a "
                     "test half of the validation digits that chose nothing (early stopping picks its epoch on the "
                     "other half). 'More data' trains on all 1,197 training digits at every point, so it is the same "
                     "reference line throughout."),
)
