"""The optimizer decision's candidates: each optimizer at its usual settings, its state size, time to a target loss.

A comparison of optimizers is only fair when each one runs at a learning rate it is normally used with:
plain SGD at Adam's 1e-3 would crawl and prove nothing. The rates below are the Keras defaults (which are
the values the original papers and most tutorials use), except SGD's, where 0.05 is the usual starting
point for a small MLP with a batch of 32 (Keras' 0.01 is tuned for nothing in particular). The Lab says so
next to the results. Keras is imported inside `make_optimizer` only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

K = TypeVar("K")


@dataclass(frozen=True)
class OptimizerSetting:
    """How one optimizer choice is built, and how many values it keeps per trainable weight."""

    choice: str
    label: str
    learning_rate: float
    keras_class: str  # the class in keras.optimizers
    slots_per_weight: int  # extra float state per weight: momentum buffer, squared-gradient average, ...
    options: tuple[tuple[str, Any], ...] = ()

    def describe(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.options)
        return f"{self.label} (learning rate {self.learning_rate:g}{', ' + extra if extra else ''})"


SETTINGS: dict[str, OptimizerSetting] = {
    s.choice: s
    for s in (
        OptimizerSetting("sgd", "SGD", 0.05, "SGD", 0),
        OptimizerSetting("sgd_momentum", "SGD + momentum", 0.05, "SGD", 1, (("momentum", 0.9),)),
        OptimizerSetting("rmsprop", "RMSprop", 1e-3, "RMSprop", 1),
        OptimizerSetting("adam", "Adam", 1e-3, "Adam", 2),
        # Decoupled weight decay (Loshchilov & Hutter, 2019): the decay is applied to the weights directly,
        # not added to the gradient that Adam then rescales per weight.
        OptimizerSetting("adamw", "AdamW", 1e-3, "AdamW", 2, (("weight_decay", 0.01),)),
    )
}


def make_optimizer(choice: str, learning_rate: float | None = None):
    """A fresh Keras optimizer for `choice` at its setting's learning rate (or the one given)."""
    import keras

    setting = SETTINGS[choice]
    rate = setting.learning_rate if learning_rate is None else learning_rate
    return getattr(keras.optimizers, setting.keras_class)(rate, **dict(setting.options))


def state_values(optimizer, trainable_weights: Sequence[Any]) -> int:
    """How many numbers `optimizer` keeps for these weights (its slot variables), measured on the optimizer.

    Counts the optimizer's own variables after `build`, leaving out its scalar bookkeeping (the step
    counter and the learning rate), so SGD counts 0, momentum one value per weight and Adam two.
    """
    if not getattr(optimizer, "built", False):
        optimizer.build(list(trainable_weights))
    total = 0
    for variable in optimizer.variables:
        size = 1
        for dim in variable.shape:
            size *= int(dim)
        if len(variable.shape) == 0:  # iterations, learning rate: one number each, not per weight
            continue
        total += size
    return total


def epochs_to_target(losses: Sequence[float | None], target: float) -> int | None:
    """The first epoch (1-based) whose loss is at or below `target`; None when no epoch reached it."""
    for epoch, loss in enumerate(losses, start=1):
        if loss is not None and loss <= target:
            return epoch
    return None


def seconds_to_target(losses: Sequence[float | None], seconds: Sequence[float], target: float) -> float | None:
    """Training time until the first epoch at or below `target`, summing each epoch's seconds."""
    epoch = epochs_to_target(losses, target)
    return None if epoch is None else float(sum(seconds[:epoch]))


def shared_target(best_losses: Sequence[float | None], slack: float = 1.10) -> float | None:
    """One target loss for all candidates: 10% above the median of their best validation losses.

    Half the candidates or more reach it by construction, so "epochs to target" compares speed where
    it can, and a candidate that never gets there is reported as not reaching it rather than dropped.
    """
    finished = sorted(loss for loss in best_losses if loss is not None)
    if not finished:
        return None
    middle = len(finished) // 2
    median = finished[middle] if len(finished) % 2 else (finished[middle - 1] + finished[middle]) / 2
    return median * slack


def epochs_to_shared_target(histories: Mapping[K, Sequence[float | None]]) -> tuple[float | None, dict[K, int | None]]:
    """The shared target over several loss histories (epochs without a loss skipped), and each one's epochs to it."""
    best = [min(v for v in losses if v is not None) for losses in histories.values()
            if any(v is not None for v in losses)]
    target = shared_target(best)
    if target is None:
        return None, dict.fromkeys(histories)
    return target, {key: epochs_to_target(losses, target) for key, losses in histories.items()}
