"""Verdicts computed from a run's own numbers, set against the cheatsheet's claim for each choice.

Each judge returns (agrees, sentence). `agrees` is None when this run cannot test the claim
(for example a memory claim about 512+ token sequences in a 40-token run); the text then says so.
"""

from __future__ import annotations

from collections.abc import Callable

from .datasets import LabData
from .results import CandidateResult, Verdict

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
}

MARGIN = 0.02  # accuracy differences below this are treated as a tie (noise of a brief run)


def default_recommendation(decision: str, data: LabData) -> tuple[str, ...]:
    """What the cheatsheet's table would pick for this data, used when the caller names no choice."""
    if decision == "sequence_model":
        length = data.seq_len
        return ("simple_rnn",) if length < 10 else ("lstm",) if length >= 50 else ("gru",)
    if decision == "text_encoding":
        if len(data.x_train) < 1000:
            return ("pretrained_embedding",)
        return ("one_hot",) if data.vocab_size <= 100 else ("learned_embedding",)
    if decision == "overfitting":
        return ("dropout",)
    return ("transformer",)


def _acc(r: CandidateResult) -> float:
    return r.val_accuracy if r.val_accuracy is not None else float("nan")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _best_other(results: dict[str, CandidateResult], choice: str) -> CandidateResult:
    return max((r for c, r in results.items() if c != choice), key=_acc)


Judge = Callable[[dict[str, CandidateResult], str, LabData], tuple[bool | None, str]]


def _text_encoding(results, choice, data):
    me, other = results[choice], _best_other(results, choice)
    diff = _acc(me) - _acc(other)
    said = (f"{me.label} reached {_pct(me.val_accuracy)} validation accuracy against {_pct(other.val_accuracy)} "
            f"for the best alternative ({other.label}), with {len(data.x_train)} labelled examples "
            f"and a vocabulary of {data.vocab_size}.")
    if choice == "pretrained_embedding":
        agrees = diff > MARGIN
        why = "" if agrees else (" The labelled set may be large enough, or the corpus too small or unlike it, "
                                 "for the pretrained vectors to add anything.")
        return agrees, said + why
    agrees = diff > -MARGIN
    why = "" if agrees else (" With this little labelled data, encodings learned from it alone fall behind; "
                             "the cheatsheet itself warns that embeddings need large data.")
    return agrees, said + why


def first_step_ratio(profile: list[float] | None) -> float | None:
    """How strongly the output depends on the first step relative to the last (gradient norms)."""
    if not profile or profile[-1] <= 0:
        return None
    return profile[0] / profile[-1]


def _gradient_note(results: dict[str, CandidateResult]) -> str:
    parts, initial = [], {}
    for r in results.values():
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


def _sequence_model(results, choice, data):
    me = results[choice]
    simple = results.get("simple_rnn")
    gated = max((results[c] for c in ("lstm", "gru") if c in results), key=_acc, default=None)
    profile = _gradient_note(results)
    lead = f"At {data.seq_len} steps: " + ", ".join(
        f"{r.label} {_pct(r.val_accuracy)} ({r.seconds_per_epoch:.2f} s/epoch)" for r in results.values()) + "."
    if choice == "simple_rnn":
        fastest = min(results.values(), key=lambda r: r.seconds_per_epoch)
        agrees = gated is None or _acc(me) >= _acc(gated) - 0.03
        why = "" if agrees else (f" The sequences are {data.seq_len} steps long, beyond the short range where the "
                                 "claim applies; the plain RNN lost the early signal.")
        return agrees, lead + f" Fastest per epoch: {fastest.label}." + why + profile
    if choice == "lstm" or gated is None or simple is None:
        agrees = simple is None or _acc(me) > _acc(simple) + 0.05
        why = "" if agrees else (" The gated model did not pull ahead in this brief run: at short lengths the plain "
                                 "RNN is not yet hurt, and at very long ones gated units need more epochs too.")
        return agrees, lead + why + profile
    lstm = results.get("lstm")
    agrees = lstm is None or (_acc(me) >= _acc(lstm) - 0.03 and me.params < lstm.params)
    detail = f" GRU has {me.params:,} parameters, LSTM {lstm.params:,}." if lstm else ""
    why = "" if agrees else " In this run the GRU fell clearly behind the LSTM."
    return agrees, lead + detail + why + profile


def _overfitting(results, choice, data):
    base = results.get("no_remedy")
    me = results[choice]
    gaps = ", ".join(f"{r.label} {_pct(r.gap)} gap / {_pct(r.val_accuracy)} val" for r in results.values())
    lead = f"Training minus validation accuracy: {gaps}."
    if base is None or me.gap is None or base.gap is None:
        return None, lead + " The baseline did not finish, so the remedy cannot be compared."
    if choice == "no_remedy":
        agrees = base.gap > 0.05
        return agrees, lead + ("" if agrees else " The baseline barely overfits here, so remedies have little to fix.")
    if choice in ("dropout", "more_data"):
        agrees = me.gap < base.gap - 0.03 and _acc(me) >= _acc(base) - 0.01
        why = "" if agrees else " This run did not show the gap narrowing; the baseline may not overfit enough here."
        return agrees, lead + why
    if choice == "l1":
        zero, zero_base = me.extras.get("near_zero_weights", 0.0), base.extras.get("near_zero_weights", 0.0)
        agrees = zero > zero_base + 0.05
        return agrees, lead + (f" Hidden weights near zero (|w| < 0.001): {zero:.0%} with L1 against "
                               f"{zero_base:.0%} without." + ("" if agrees else " L1 did not make them sparse here."))
    if choice == "l2":
        size, size_base = me.extras.get("mean_abs_weight", 0.0), base.extras.get("mean_abs_weight", 0.0)
        agrees = size < size_base * 0.9
        return agrees, lead + (f" Mean |weight|: {size:.4f} with L2 against {size_base:.4f} without."
                               + ("" if agrees else " L2 did not shrink them noticeably here."))
    stopped_at, run = me.extras.get("best_epoch"), len(me.history)
    agrees = run < len(base.history) and (me.val_loss or 0.0) <= (base.val_loss or 0.0)
    detail = (f" Early stopping ran {run} of {len(base.history)} epochs and kept epoch {stopped_at}'s weights "
              f"(validation loss {me.val_loss:.3f} against {base.val_loss:.3f} at the baseline's end).")
    return agrees, lead + detail + ("" if agrees else " Validation loss never rose for long enough to stop.")


def _attention(results, choice, data):
    me = results[choice]
    lead = f"At up to {data.seq_len} tokens: " + ", ".join(
        f"{r.label} {_pct(r.val_accuracy)}, {r.latency_ms_per_example or 0:.2f} ms/example" for r in results.values()
    ) + "."
    if choice == "transformer":
        other = _best_other(results, choice)
        agrees = _acc(me) >= _acc(other) - 0.01
        why = "" if agrees else f" {other.label} did better in this brief run on this small task."
        return agrees, lead + why
    if choice == "rnn_with_attention":
        plain = results.get("lstm")
        agrees = plain is None or _acc(me) > _acc(plain) + MARGIN
        why = "" if agrees else (" Adding attention did not beat the plain LSTM here: at this length the LSTM's "
                                 "state carries enough, and attention helps most when the tokens that matter are "
                                 "far apart in long sequences.")
        return agrees, lead + why
    if choice == "lstm":
        return None, lead + (" This run's sequences are short; the memory claim is about 512+ tokens and is "
                             "measured by the scaling experiment, not by this comparison.")
    transformer = results.get("transformer")
    if transformer is None or me.latency_ms_per_example is None or transformer.latency_ms_per_example is None:
        return None, lead + " No Transformer latency to compare with."
    agrees = me.latency_ms_per_example < transformer.latency_ms_per_example
    why = "" if agrees else (" On a CPU, one example at a time, the recurrent loop's per-step cost outweighs "
                             "attention's quadratic cost at these short lengths; the claim needs longer sequences "
                             "or compares against bigger Transformers.")
    return agrees, lead + f" Size on disk: {me.size_bytes or 0:,} vs {transformer.size_bytes or 0:,} bytes." + why


JUDGES: dict[str, Judge] = {"text_encoding": _text_encoding, "sequence_model": _sequence_model,
                            "overfitting": _overfitting, "attention_vs_transformer": _attention}


def judge(decision: str, candidates: list[CandidateResult], data: LabData, stopped: bool) -> Verdict:
    """The verdict on the recommended candidate(s), from this run's numbers."""
    results = {r.choice: r for r in candidates if r.history}
    chosen = [r.choice for r in candidates if r.recommended]
    claim = " ".join(CLAIMS[decision][c] for c in chosen)
    if not chosen:
        return Verdict(text="No candidate was marked as recommended.", claim="", agrees=None)
    missing = [c for c in chosen if c not in results]
    if missing or len(results) < 2:
        return Verdict(text="The run stopped before the recommended model and an alternative were measured; "
                            "nothing to conclude.", claim=claim, agrees=None)
    verdicts = [JUDGES[decision](results, choice, data) for choice in chosen]
    texts = [text for _, text in verdicts]
    answers = [agrees for agrees, _ in verdicts]
    agrees = None if None in answers else all(answers)
    if agrees is True:
        head = "This run agrees with the cheatsheet."
    elif agrees is False:
        head = "This run does NOT agree with the cheatsheet."
    else:
        head = "This run cannot test the cheatsheet's claim."
    if stopped:
        head += " (Stopped early: the numbers cover only the epochs that ran.)"
    return Verdict(text=" ".join([head, *dict.fromkeys(texts)]), claim=claim, agrees=agrees)
