"""Verdicts from a run's own numbers: each seed judged against the cheatsheet's claim, then counted.

How a verdict is reached: the decision's judge (`judges.py`) tests every part of the claim in each seed on
its own. The claim *agrees* when it held in at least two thirds of the seeds that could test it (2 of 3,
4 of 5), *does not agree* when it failed in at least two thirds, and is *inconclusive* (None) otherwise, or
when no seed could test it. With one seed the verdict is that seed's outcome, and the text says that one
seed is weak evidence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .judging import JUDGES, Check, Measured, Situation
from .records import CandidateResult, SeedRun, Verdict

CLEAR_MAJORITY = 2 / 3

# The cheatsheet's claim for each choice, in the project's words.
CLAIMS: dict[str, dict[str, str]] = {
    "text_encoding": {
        "one_hot": "With a small vocabulary, one-hot vectors are the simplest encoding and work fine.",
        "learned_embedding": "With a large vocabulary, a learned embedding gives compact vectors that capture "
                             "word similarity (but needs a lot of data to learn from scratch).",
        "pretrained_embedding": "With little labelled data, pretrained embeddings transfer what was learned from "
                                "unlabelled text and beat embeddings learned from scratch.",
    },
    "sequence_model": {
        "simple_rnn": "For short sequences (under 10 tokens) a SimpleRNN is enough and the fastest.",
        "lstm": "For long sequences (50+ tokens) an LSTM's gates keep the gradient alive, so it learns "
                "long-range dependencies a SimpleRNN cannot.",
        "gru": "A GRU does about as well as an LSTM with fewer parameters and faster training.",
    },
    "overfitting": {
        "no_remedy": "An over-sized network on little data memorises it: training accuracy high, validation low.",
        "dropout": "When training accuracy is high and validation accuracy low, dropout narrows the gap.",
        "more_data": "When training accuracy is high and validation accuracy low, more data narrows the gap.",
        "l1": "An L1 penalty drives unneeded weights to zero (sparse weights).",
        "l2": "An L2 penalty keeps the weights small, which limits overfitting.",
        "early_stopping": "When validation loss starts rising, early stopping halts training and keeps the best "
                          "weights.",
    },
    "attention_vs_transformer": {
        "rnn_with_attention": "Attention on top of an RNN models context better than the RNN alone, at less "
                              "compute than a full Transformer.",
        "transformer": "A Transformer gives the best accuracy when memory allows.",
        "lstm": "For very long sequences (over 512 tokens) with little memory, an RNN's linear memory beats "
                "attention's quadratic memory.",
        "gru_or_small_rnn": "When latency is critical, a GRU or small RNN answers faster and is smaller than a "
                            "Transformer.",
    },
    "optimizer": {
        "sgd": "Plain SGD with a sensible learning rate ends up about as accurate as the adaptive methods and "
               "keeps no state per weight.",
        "sgd_momentum": "Momentum gets SGD to a good loss sooner, at one extra value per weight.",
        "rmsprop": "RMSprop's per-weight step sizes get to a good loss sooner than plain SGD.",
        "adam": "Adam gets to a good loss quickly with little tuning (at two extra values per weight).",
        "adamw": "AdamW (decoupled weight decay) converges like Adam and is at least as accurate.",
    },
    "transformer_architecture": {
        "encoder_only": "For classification and tagging an encoder-only model fits: it reads context on both "
                        "sides, and needs no decoder.",
        "decoder_only": "For open-ended generation a decoder-only model fits: it predicts each token from the "
                        "ones before it.",
        "encoder_decoder": "For sequence-to-sequence tasks an encoder-decoder reads the whole input, then writes "
                           "the output attending to it.",
    },
}

def first_step_ratio(profile: list[float] | None) -> float | None:
    """How strongly the output depends on the first step relative to the last (gradient norms)."""
    if not profile or profile[-1] <= 0:
        return None
    return profile[0] / profile[-1]


def _gradient_note(candidates: Sequence[CandidateResult]) -> str:
    """The first seed's gradient profiles (at initialisation and after training), when measured."""
    parts, initial = [], {}
    for r in candidates:
        init = first_step_ratio(r.extras.get("gradient_profile"))
        trained = first_step_ratio(r.extras.get("gradient_profile_trained"))
        if init is not None and trained is not None:
            initial[r.choice] = init
            parts.append(f"{r.label} {init:.0e} at initialisation, {trained:.0e} after training")
    if not parts:
        return ""
    note = " Gradient reaching the first step, relative to the last step: " + "; ".join(parts) + "."
    gated = [initial[c] for c in ("lstm", "gru") if c in initial]
    if "simple_rnn" in initial and gated and max(gated) < initial["simple_rnn"]:
        note += (" At initialisation the gated units pass even less gradient back to the start than the "
                 "plain RNN, so their advantage is learned by the gates during training, not present from the start.")
    return note



def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def measured(candidate: CandidateResult, run: SeedRun) -> Measured:
    return Measured(choice=candidate.choice, label=candidate.label, val_accuracy=run.val_accuracy,
                    val_loss=run.val_loss, train_accuracy=run.train_accuracy, test_accuracy=run.test_accuracy,
                    test_loss=run.test_loss, params=candidate.params, seconds_per_epoch=run.seconds_per_epoch,
                    latency_ms_per_example=run.latency_ms_per_example, epochs_run=len(run.history),
                    extras={**run.extras, "val_losses": [h.val_loss for h in run.history]})


def by_seed(candidates: Sequence[CandidateResult]) -> dict[int, dict[str, Measured]]:
    """For each seed, every candidate measured in it."""
    seeds: dict[int, dict[str, Measured]] = {}
    for c in candidates:
        for run in c.runs:
            if run.history:
                seeds.setdefault(run.seed, {})[c.choice] = measured(c, run)
    return seeds


def tally(outcomes: Sequence[bool | None]) -> bool | None:
    """True when held in a clear majority (>= 2/3) of the seeds that tested it, False when failed in one, else None."""
    tested = [o for o in outcomes if o is not None]
    if not tested:
        return None
    held = sum(tested)
    if held >= math.ceil(CLEAR_MAJORITY * len(tested) - 1e-9):
        return True
    if len(tested) - held >= math.ceil(CLEAR_MAJORITY * len(tested) - 1e-9):
        return False
    return None


def _means(candidates: Sequence[CandidateResult], decision: str) -> str:
    def one(c: CandidateResult) -> str:
        text = f"{c.label} {_pct(c.val_accuracy)}"
        if decision == "overfitting" and c.gap is not None:
            text += f" (gap {_pct(c.gap)}" + (f", test {_pct(c.spread('test_accuracy').mean)}"
                                               if c.spread("test_accuracy") else "") + ")"
        elif decision == "attention_vs_transformer" and c.latency_ms_per_example is not None:
            text += f" ({c.latency_ms_per_example:.2f} ms/example)"
        else:
            text += f" ({c.seconds_per_epoch:.2f} s/epoch)"
        return text

    return "Mean validation accuracy over seeds: " + ", ".join(one(c) for c in candidates if c.runs) + "."


def _judged(decision: str, choice: str, seeds: dict[int, dict[str, Measured]], situation: Situation
            ) -> tuple[list[bool | None], list[Check]]:
    checks = [JUDGES[decision](results, choice, situation) for results in seeds.values() if choice in results]
    return [c.agrees for c in checks], checks


def _parts_text(checks: list[Check]) -> str:
    counts: dict[str, list[bool]] = {}
    for check in checks:
        for part in check.parts:
            counts.setdefault(part.name, []).append(part.held)
    if not counts:
        return ""
    return " Part by part: " + "; ".join(f"{name}: {sum(h)} of {len(h)}" for name, h in counts.items()) + "."


def _head(agrees: bool | None, held: int, tested: int, total: int) -> str:
    if tested == 0:
        return "This run cannot test the cheatsheet's claim."
    count = f"it held in {held} of {tested} seed{'s' if tested != 1 else ''}"
    if tested == 1:
        word = "agrees" if agrees else "does NOT agree"
        return f"This run {word} with the cheatsheet ({count}; one seed is weak evidence, try 3 or more)."
    if agrees is True:
        return f"This run agrees with the cheatsheet: {count}, a clear majority."
    if agrees is False:
        return f"This run does NOT agree with the cheatsheet: {count}."
    untested = f" ({total - tested} could not test it)" if total > tested else ""
    return (f"Inconclusive: {count}{untested}, not a clear majority either way, so the seeds disagree and "
            "this run cannot settle the claim.")


def judge(decision: str, candidates: list[CandidateResult], situation: Situation, stopped: bool) -> Verdict:
    """The verdict on the recommended candidate(s): judged per seed, then counted (see the module docstring)."""
    chosen = [c.choice for c in candidates if c.recommended]
    claim = " ".join(CLAIMS[decision][c] for c in chosen)
    if not chosen:
        return Verdict(text="No candidate was marked as recommended.", claim="", agrees=None)
    seeds = by_seed(candidates)
    measured_any = {choice for results in seeds.values() for choice in results}
    if any(c not in measured_any for c in chosen) or len(measured_any) < 2:
        return Verdict(text="The run stopped before the recommended model and an alternative were measured; "
                            "nothing to conclude.", claim=claim, agrees=None)
    per_seed: list[bool | None] = []
    texts, all_checks = [], []
    for choice in chosen:
        outcomes, checks = _judged(decision, choice, seeds, situation)
        all_checks.extend(checks)
        if not per_seed:
            per_seed = outcomes
        else:  # several recommended choices (L1 and L2): a seed holds when every one held there
            per_seed = [None if a is None or b is None else a and b for a, b in zip(per_seed, outcomes, strict=False)]
        texts.extend(c.untestable for c in checks if c.untestable)
    agrees = tally(per_seed)
    tested = [o for o in per_seed if o is not None]
    head = _head(agrees, sum(tested), len(tested), len(per_seed))
    if stopped:
        head += " (Stopped early: the numbers cover only the epochs that ran.)"
    body = [_means(candidates, decision) + _parts_text(all_checks), *dict.fromkeys(texts)]
    if decision == "sequence_model":
        body.append(_gradient_note(candidates).strip())
    return Verdict(text=" ".join([head, *[b for b in body if b]]), claim=claim, agrees=agrees,
                   holds_in=sum(tested), seeds=len(tested), per_seed=per_seed)
