"""One judge per decision: does one seed's numbers bear out the cheatsheet's claim for a choice? (pure Python)

A judge tests every part its claim names (accuracy, and speed, size, sparsity or gap where the claim
names them) and returns a `Check`: each part with whether it held, or the reason this seed cannot test
the claim at all. `verdicts.py` runs the judge once per seed and counts in how many seeds it held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..data.lookahead import causal_ceiling
from ..models.optimizers import epochs_to_shared_target

TIE = 0.02  # accuracy differences below this are a tie (a brief run's noise)
CLOSE = 0.03  # "about as accurate as": within 3 accuracy points
CLEAR_WIN = 0.05  # "learns what the other cannot": ahead by 5 points or more
GAP_NARROWER = 0.03  # a remedy "narrows the gap" when it is 3 points narrower than the baseline's
NOT_WORSE = 0.01  # a remedy must not cost more than 1 point of accuracy on held-out data
SPARSER = 0.05  # L1: at least 5 percentage points more weights near zero than without it
SMALLER = 0.9  # L2: mean |weight| at most 90% of the baseline's
SAME_SPEED = 1.05  # "fastest": within 5% of the fastest alternative's time per epoch
# "Faster per epoch than X": at most 90% of X's time. A brief run's epoch times are wall-clock medians taken
# minutes apart, and machine load moved the GRU-vs-LSTM order between runs (0.25 vs 0.20 s in one, the reverse
# in another): a smaller difference is not evidence of speed either way.
FASTER = 0.9


@dataclass(frozen=True)
class Measured:
    """One candidate's numbers in one seed (what a judge reads)."""

    choice: str
    label: str
    val_accuracy: float | None = None
    val_loss: float | None = None
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    test_loss: float | None = None
    params: int = 0
    seconds_per_epoch: float = 0.0
    latency_ms_per_example: float | None = None
    epochs_run: int = 0
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        if self.train_accuracy is None or self.val_accuracy is None:
            return None
        return self.train_accuracy - self.val_accuracy

    @property
    def acc(self) -> float:
        return self.val_accuracy if self.val_accuracy is not None else float("nan")


@dataclass(frozen=True)
class Situation:
    """What the data trained on was like (for the texts, and for chance level)."""

    seq_len: int = 0
    n_classes: int = 2
    n_train: int = 0
    vocab_size: int = 0


@dataclass(frozen=True)
class Part:
    name: str  # one part of the claim, e.g. "fewer parameters than the LSTM"
    held: bool


@dataclass(frozen=True)
class Check:
    parts: tuple[Part, ...] = ()
    untestable: str = ""  # why this seed cannot test the claim; empty when it can

    @property
    def agrees(self) -> bool | None:
        return None if self.untestable or not self.parts else all(p.held for p in self.parts)


def cannot(why: str) -> Check:
    return Check(untestable=why)


def parts(*items: tuple[str, bool]) -> Check:
    return Check(parts=tuple(Part(name, bool(held)) for name, held in items))


def _best_other(results: dict[str, Measured], choice: str) -> Measured | None:
    others = [r for c, r in results.items() if c != choice and r.val_accuracy is not None]
    return max(others, key=lambda r: r.acc, default=None)


def _learned_something(r: Measured, situation: Situation) -> bool:
    return r.acc > 1.0 / max(situation.n_classes, 1) + CLEAR_WIN


def text_encoding(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    me = results[choice]
    if choice == "pretrained_embedding":
        learned = results.get("learned_embedding")
        if learned is None:
            return cannot("No embedding learned from scratch was measured to compare with.")
        return parts(("more accurate than an embedding learned from scratch", me.acc > learned.acc + TIE))
    other = _best_other(results, choice)
    if other is None:
        return cannot("No alternative was measured.")
    return parts(("about as accurate as the best alternative", me.acc >= other.acc - TIE))


def sequence_model(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    me = results[choice]
    simple, lstm = results.get("simple_rnn"), results.get("lstm")
    if choice == "simple_rnn":
        gated = [results[c] for c in ("lstm", "gru") if c in results]
        if not gated:
            return cannot("No gated model was measured to compare with.")
        best = max(gated, key=lambda r: r.acc)
        fastest_other = min(r.seconds_per_epoch for r in gated)
        return parts(("about as accurate as the better gated model (LSTM or GRU)", me.acc >= best.acc - CLOSE),
                     ("the fastest per epoch", me.seconds_per_epoch <= fastest_other * SAME_SPEED))
    if choice == "lstm":
        if simple is None:
            return cannot("No SimpleRNN was measured to compare with.")
        return parts(("clearly more accurate than the SimpleRNN", me.acc > simple.acc + CLEAR_WIN))
    if lstm is None:
        return cannot("No LSTM was measured to compare with.")
    if not _learned_something(lstm, situation) and not _learned_something(me, situation):
        return cannot("Neither the GRU nor the LSTM learned the task (both near chance), so 'about as well' says "
                      "nothing.")
    return parts(("about as accurate as the LSTM", me.acc >= lstm.acc - CLOSE),
                 ("fewer parameters than the LSTM", me.params < lstm.params),
                 ("at least 10% faster per epoch than the LSTM",
                  me.seconds_per_epoch <= lstm.seconds_per_epoch * FASTER))


def overfitting(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    base, me = results.get("no_remedy"), results[choice]
    if base is None or base.gap is None or me.gap is None:
        return cannot("The baseline's or this remedy's gap was not measured.")
    if choice == "no_remedy":
        return parts(("training accuracy well above validation accuracy (gap of 5 points or more)",
                      base.gap >= 0.05))
    not_worse = ("validation accuracy not lower than the baseline's", me.acc >= base.acc - NOT_WORSE)
    narrower = ("a narrower train-validation gap than the baseline", me.gap < base.gap - GAP_NARROWER)
    if choice in ("dropout", "more_data"):
        return parts(narrower, not_worse)
    if choice == "l1":
        zero, zero_base = me.extras.get("near_zero_weights"), base.extras.get("near_zero_weights")
        if zero is None or zero_base is None:
            return cannot("The weights' sparsity was not measured.")
        return parts(("more weights near zero than without L1", zero > zero_base + SPARSER),
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
                 ("test accuracy not lower than training to the end", me.test_accuracy >= base.test_accuracy
                  - NOT_WORSE))


def attention(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    me = results[choice]
    transformer = results.get("transformer")
    if choice == "transformer":
        other = _best_other(results, choice)
        if other is None:
            return cannot("No alternative was measured.")
        return parts(("at least as accurate as the best alternative", me.acc >= other.acc - TIE))
    if choice == "lstm":
        return cannot("The claim is about memory at over 512 tokens; this comparison's sequences are shorter. The "
                      "scaling experiment measures memory against length.")
    if transformer is None:
        return cannot("No Transformer was measured to compare with.")
    if choice == "rnn_with_attention":
        plain = results.get("lstm")
        if plain is None:
            return cannot("No plain LSTM was measured to compare with.")
        return parts(("more accurate than the LSTM alone", me.acc > plain.acc + TIE),
                     ("at least 10% less training time per epoch than the Transformer",
                      me.seconds_per_epoch <= transformer.seconds_per_epoch * FASTER))
    if me.latency_ms_per_example is None or transformer.latency_ms_per_example is None:
        return cannot("No latency was measured.")
    return parts(("lower latency per example than the Transformer",
                  me.latency_ms_per_example < transformer.latency_ms_per_example),
                 ("fewer parameters than the Transformer", me.params < transformer.params))


def optimizer(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    """Speed to a shared target loss, final accuracy against the best, and (for SGD) state kept per weight."""
    me = results[choice]
    target, reach = epochs_to_shared_target({c: r.extras.get("val_losses") or [] for c, r in results.items()})
    if target is None:
        return cannot("No validation loss was measured.")

    def faster(a: str, b: str) -> bool:  # `a` reached the target in fewer epochs than `b` (never = infinitely many)
        ea, eb = reach.get(a), reach.get(b)
        return ea is not None and (eb is None or ea < eb)

    close = me.acc >= max(r.acc for r in results.values()) - CLOSE
    plain = results.get("sgd")
    if choice == "sgd":
        return parts(("within 3 points of the best final accuracy", close),
                     ("keeps no state per weight", me.extras.get("optimizer_state_values", 1) == 0))
    if plain is None:
        return cannot("Plain SGD, the baseline, was not measured.")
    if choice == "adamw":
        adam = results.get("adam")
        if adam is None:
            return cannot("Adam was not measured to compare with.")
        return parts(("at least as accurate as Adam", me.acc >= adam.acc - TIE),
                     ("reaches the target loss sooner than plain SGD", faster(choice, "sgd")))
    return parts(("reaches the target loss sooner than plain SGD", faster(choice, "sgd")),
                 ("within 3 points of the best final accuracy", close))


def transformer_architecture(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    """On look-ahead tagging: who passes the causal ceiling, and at what size."""
    me = results[choice]
    ceiling = causal_ceiling(situation.seq_len) if situation.seq_len >= 2 else 0.5
    if choice == "decoder_only":
        return cannot(f"The claim is about open-ended generation; this task is tagging, where a causal decoder "
                      f"cannot pass {ceiling:.1%} (it never sees the token to the right).")
    past = ("clearly past the causal ceiling of " + f"{ceiling:.1%}", me.acc >= ceiling + CLEAR_WIN)
    if choice == "encoder_only":
        both = results.get("encoder_decoder")
        if both is None:
            return parts(past)
        return parts(past, ("about as accurate as the encoder-decoder", me.acc >= both.acc - CLOSE),
                     ("fewer parameters than the encoder-decoder", me.params < both.params))
    return parts(past)


Judge = Callable[[dict[str, Measured], str, Situation], Check]
JUDGES: dict[str, Judge] = {"text_encoding": text_encoding, "sequence_model": sequence_model,
                            "overfitting": overfitting, "attention_vs_transformer": attention,
                            "optimizer": optimizer, "transformer_architecture": transformer_architecture}
