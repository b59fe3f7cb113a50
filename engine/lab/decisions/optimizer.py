"""SGD, momentum, RMSprop, Adam or AdamW: the same small network trained by each optimizer.

Each optimizer runs at a learning rate it is normally used with (engine.lab.models.optimizers), on 1,000
cleanly labelled digits that any decent optimizer can fit, so what differs is how soon the loss falls
and how much state each keeps per weight (counted on the Keras optimizer itself).
"""

from __future__ import annotations

from ..models.optimizers import SETTINGS as OPTIMIZERS
from ..models.optimizers import epochs_to_shared_target
from ..results.judging import CLOSE, TIE, Check, Measured, Situation, at_least, cannot, parts
from ..results.power import power
from ..results.published import STATUS, Bank, Finding, Paper, mean, measurement, not_measured, paired
from .base import CandidateSpec, LabDecision, Sweep, TrainConfig


def build_model(options, data, name):
    """A small MLP (two Dense(64) layers) that any decent optimizer can fit: what differs is speed and state."""
    import keras
    from keras import layers

    x = data["x_train"]
    inputs = keras.Input(shape=x.shape[1:], dtype="float32", name="inputs")
    h = inputs if x.ndim == 2 else layers.Flatten(name="flatten")(inputs)
    for i in (1, 2):
        h = layers.Dense(64, activation="relu", name=f"hidden_{i}")(h)
    outputs = layers.Dense(data["n_classes"], activation="softmax", name="classes")(h)
    return keras.Model(inputs, outputs, name=name)


def judge(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    """Speed to a shared target loss, final accuracy against the best, and (for SGD) state kept per weight."""
    me = results[choice]
    target, reach = epochs_to_shared_target({c: r.extras.get("val_losses") or [] for c, r in results.items()})
    if target is None:
        return cannot("No validation loss was measured.")

    def faster(a: str, b: str) -> bool:  # `a` reached the target in fewer epochs than `b` (never = infinitely many)
        ea, eb = reach.get(a), reach.get(b)
        return ea is not None and (eb is None or ea < eb)

    best = max(r.acc for r in results.values())
    close = at_least("within 3 points of the best final accuracy", me.acc, best, -CLOSE)
    plain = results.get("sgd")
    if choice == "sgd":
        return parts(close,
                     ("keeps no state per weight", me.extras.get("optimizer_state_values", 1) == 0))
    if plain is None:
        return cannot("Plain SGD, the baseline, was not measured.")
    if choice == "adamw":
        adam = results.get("adam")
        if adam is None:
            return cannot("Adam was not measured to compare with.")
        return parts(at_least("at least as accurate as Adam", me.acc, adam.acc, -TIE),
                     ("reaches the target loss sooner than plain SGD", faster(choice, "sgd")))
    return parts(("reaches the target loss sooner than plain SGD", faster(choice, "sgd")),
                 close)


def extras(spec, model, data, history, initial) -> dict:
    """How many numbers the optimizer keeps for these weights, counted on the Keras optimizer."""
    from ..models.optimizers import state_values

    return {"optimizer_state_values": state_values(model.optimizer, model.trainable_weights)}



def adam_faster_than_sgd(bank: Bank) -> Finding:
    """Kingma & Ba: Adam reaches a low loss in fewer epochs than plain SGD (here: lower validation loss after
    2 epochs, with each optimizer at its usual learning rate)."""
    found = measurement(bank, "optimizer_digits")
    if found is None:
        return not_measured("optimizer-on-digits")
    early = found["extra"]["val_loss@2"]
    diff = power(paired(early["sgd"], early["adam"]), 0.0)
    text = (f"Validation loss after 2 epochs on 1,000 clean digits: Adam {mean(early['adam']):.3f}, plain SGD "
            f"{mean(early['sgd']):.3f} (mean of {len(found['seeds'])} seeds; SGD minus Adam "
            f"{diff.difference.mean:+.3f}, 95% interval {diff.difference.low:+.3f} to "
            f"{diff.difference.high:+.3f}); final test accuracy Adam {mean(found['metric']['adam']):.1%}, "
            f"SGD {mean(found['metric']['sgd']):.1%}.")
    return Finding(STATUS.get(diff.outcome, "too few seeds to tell"), text)


DECISION = LabDecision(
    id="optimizer",
    candidates=tuple(
        CandidateSpec("optimizer", choice, setting.label,
                      f"the same network trained with {setting.describe()}; it keeps {setting.slots_per_weight} "
                      "extra value(s) per weight", {"optimizer": choice})
        for choice, setting in OPTIMIZERS.items()
    ),
    # Each optimizer runs at its own usual learning rate (models/optimizers.py); this one is not used.
    train=TrainConfig(epochs=12, batch_size=32, learning_rate=1e-3),
    datasets=("digits_clean",),
    build=build_model,
    claims={
        "sgd": "Plain SGD with a sensible learning rate ends up about as accurate as the adaptive methods and "
               "keeps no state per weight.",
        "sgd_momentum": "Momentum gets SGD to a good loss sooner, at one extra value per weight.",
        "rmsprop": "RMSprop's per-weight step sizes get to a good loss sooner than plain SGD.",
        "adam": "Adam gets to a good loss quickly with little tuning (at two extra values per weight).",
        "adamw": "AdamW (decoupled weight decay) converges like Adam and is at least as accurate.",
    },
    judge=judge,
    extras=extras,
    measurements=(
        # Each optimizer at its usual learning rate (the paper's claim is about usual settings), 12 epochs.
        Sweep("optimizer", "digits_clean", "train", "labelled_examples", "training examples", (1000,),
              name="optimizer_digits", patience=None, learning_rate_factors=(), metric="test_accuracy",
              extra_metrics=("val_accuracy", "val_loss@2")),
    ),
    papers=(Paper("adam", "optimizer", "Kingma & Ba 2015",
                  "Adam reaches a low loss in fewer epochs than plain SGD on a small MLP.", adam_faster_than_sgd),),
)
