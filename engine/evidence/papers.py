"""Published results, one or two per decision, set beside what this project's own measurements show.

Each row names a qualitative result from the literature (in the project's words), reads the evidence bank
(the decision's sweep, or an extra measurement stored in evidence/papers.json) and says one of:

- "reproduced": the measurement shows the published effect, with the seeds' 95% intervals deciding it;
- "not reproduced": the measurement decides against it, and the row says what was measured instead;
- "too few seeds to tell": the intervals are wider than the effect (power.py), and about how many would;
- "out of reach here": the run could not get where the result lives (too little training within the epoch
  cap, or a scale two cores cannot train), with what it would take.

The readings are rules on numbers, tested on made-up banks for every outcome (tests/evidence/test_papers.py).
Pure Python: reading rows imports no TensorFlow.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..lab.results.power import NEAR_CHANCE, power
from ..lab.results.stats import spread

Bank = Mapping[str, Mapping[str, Any]]  # decision (or "papers") -> its stored document
SOLVED = 0.9  # a binary task counts as solved at 90% test accuracy (chance is 50%)
COMPARABLE = 0.03  # "comparable": the paired difference's interval lies within +/- 3 points


@dataclass(frozen=True)
class Finding:
    status: str  # reproduced, not reproduced, too few seeds to tell, out of reach here, not measured
    text: str


@dataclass(frozen=True)
class Paper:
    id: str
    decision: str
    source: str
    result: str  # the published qualitative result, in the project's words
    read: Callable[[Bank], Finding]

    def row(self, bank: Bank) -> dict[str, str]:
        found = self.read(bank)
        return {"id": self.id, "decision": self.decision, "source": self.source, "result": self.result,
                "status": found.status, "measured": found.text}


def _point(bank: Bank, decision: str, at: Callable[[Sequence[float]], float]) -> Mapping[str, Any] | None:
    document = bank.get(decision)
    if not document or not document.get("points"):
        return None
    xs = [p["x"] for p in document["points"]]
    return next(p for p in document["points"] if p["x"] == at(xs))


def _metric(point: Mapping[str, Any], choice: str, document: Mapping[str, Any]) -> list[float]:
    return list(point["metric"][choice])


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values)


def _capped(point: Mapping[str, Any], choice: str, cap: int | None) -> bool:
    """Whether the candidate's seeds mostly ran to the epoch cap (still improving when training stopped)."""
    epochs = point.get("extra", {}).get("epochs", {}).get(choice)
    if not epochs or cap is None:
        return False
    return sum(e >= cap for e in epochs) * 2 > len(epochs)


def _not_measured(decision: str) -> Finding:
    return Finding("not measured", f"The {decision} bank has no stored sweep here; build it with `python -m engine "
                                   f"evidence --build --decision {decision}`.")


def adding_problem(bank: Bank) -> Finding:
    """LSTM and GRU solve the adding problem at T >= 100; a tanh RNN stays at the trivial baseline."""
    document = bank.get("sequence_model")
    point = _point(bank, "sequence_model", max)
    if point is None or point["x"] < 100:
        return _not_measured("sequence_model")
    cap = document["sweep"].get("max_epochs")
    acc = {c: _mean(_metric(point, c, document)) for c in ("simple_rnn", "lstm", "gru")}
    gated_solved = [c for c in ("lstm", "gru") if acc[c] >= SOLVED]
    rnn_at_chance = acc["simple_rnn"] <= 0.5 + NEAR_CHANCE
    text = (f"At T = {point['x']:g}: test accuracy LSTM {acc['lstm']:.1%}, GRU {acc['gru']:.1%}, SimpleRNN "
            f"{acc['simple_rnn']:.1%} (mean of {len(point['seeds'])} seeds; solved means {SOLVED:.0%}, chance 50%).")
    if len(gated_solved) == 2 and rnn_at_chance:
        return Finding("reproduced", text)
    unsolved = [c for c in ("lstm", "gru") if c not in gated_solved]
    if unsolved and all(_capped(point, c, cap) for c in unsolved):
        return Finding("out of reach here", text + f" The unsolved gated cells were still improving at the cap of "
                       f"{cap} epochs; the published runs trained for tens of thousands of steps, {_cost(point, cap)}")
    if len(gated_solved) == 2:
        return Finding("not reproduced", text + " The tanh RNN learned more than the trivial baseline here.")
    return Finding("not reproduced", text + " The gated cells stopped improving before solving it (early stopping "
                   "on validation), so more epochs at these settings would not have helped.")


def _cost(point: Mapping[str, Any], cap: int | None) -> str:
    seconds = point.get("seconds")
    if not seconds or not cap:
        return "more than this machine was given."
    return (f"so 10 times the cap would take about {10 * seconds / 60:.0f} minutes for this point on this "
            "machine, out of reach for a bank that must rebuild in under 45 minutes.")


def gru_vs_lstm(bank: Bank) -> Finding:
    """Chung et al.: GRU comparable to LSTM, and both above a tanh RNN, on long-memory tasks."""
    document = bank.get("sequence_model")
    point = _point(bank, "sequence_model", max)
    if point is None:
        return _not_measured("sequence_model")
    gru, lstm, rnn = (_metric(point, c, document) for c in ("gru", "lstm", "simple_rnn"))
    close = power([a - b for a, b in zip(gru, lstm, strict=True)], 0.0)
    above = [power([a - b for a, b in zip(g, rnn, strict=True)], 0.0) for g in (gru, lstm)]
    text = (f"At T = {point['x']:g}: GRU minus LSTM {close.difference.mean:+.3f} (95% interval "
            f"{close.difference.low:+.3f} to {close.difference.high:+.3f}); GRU and LSTM minus SimpleRNN "
            f"{above[0].difference.mean:+.3f} and {above[1].difference.mean:+.3f}.")
    comparable = close.difference.low >= -COMPARABLE and close.difference.high <= COMPARABLE
    both_above = all(a.outcome == "above" for a in above)
    if comparable and both_above:
        return Finding("reproduced", text)
    if not both_above and all(a.outcome != "below" and a.difference.low <= 0 for a in above):
        return Finding("not reproduced", text + " Neither gated cell was clearly above the tanh RNN at this length.")
    if (close.difference.high - close.difference.low) / 2 > COMPARABLE and both_above:
        return Finding("too few seeds to tell", text + " Both are above the tanh RNN, but the GRU-LSTM interval is "
                       f"wider than the +/-{COMPARABLE:.2f} that 'comparable' needs.")
    return Finding("not reproduced", text + " The GRU and the LSTM differ by more than 'comparable' allows.")


def pretrained_small_data(bank: Bank) -> Finding:
    """Pretrained vectors help most when labelled data is scarce, and the help shrinks as it grows."""
    document = bank.get("text_encoding")
    if not document or len(document.get("points", [])) < 2:
        return _not_measured("text_encoding")
    points = sorted(document["points"], key=lambda p: p["x"])
    first, last = points[0], points[-1]
    gains = [power([a - b for a, b in zip(p["metric"]["pretrained_embedding"], p["metric"]["learned_embedding"],
                                             strict=True)], 0.0) for p in (first, last)]
    text = (f"Frozen GloVe minus a learned embedding: {gains[0].difference.mean:+.3f} at {first['x']:g} labelled "
            f"examples (95% interval {gains[0].difference.low:+.3f} to {gains[0].difference.high:+.3f}), "
            f"{gains[1].difference.mean:+.3f} at {last['x']:g} ({gains[1].difference.low:+.3f} to "
            f"{gains[1].difference.high:+.3f}).")
    if gains[0].outcome == "above" and gains[1].difference.mean < gains[0].difference.mean:
        return Finding("reproduced", text)
    if gains[0].outcome == "too_few_seeds":
        return Finding("too few seeds to tell", text + " At the smallest size the interval spans zero and is too "
                       f"wide to tell ({gains[0].sentence('the gain')})")
    return Finding("not reproduced", text + " With the least labelled data the pretrained vectors were not "
                   "clearly better here (these docstrings' words are close to, but not, GloVe's news and "
                   "Wikipedia English; 86% of the vocabulary is covered).")


def _extra(bank: Bank, key: str) -> Mapping[str, Any] | None:
    papers = bank.get("papers") or {}
    return papers.get("measurements", {}).get(key)


def order_blind_beats_sequence(bank: Bank) -> Finding:
    """Google's text-classification guide: with samples/words-per-sample under 1,500, an order-blind n-gram
    model beats a sequence model on real text."""
    found = _extra(bank, "stdlib_docs_gru")
    document = bank.get("text_encoding")
    point = _point(bank, "text_encoding", max) if document else None
    if found is None or point is None:
        return _not_measured("papers (stdlib_docs GRU) and text_encoding")
    sequence = found["metric"]["gru"]
    blind = point["metric"]["learned_embedding"]
    ratio = found.get("samples_per_word")
    diff = power([a - b for a, b in zip(blind, sequence, strict=True)], 0.0)
    text = (f"Real English (Python's docstrings), {point['x']:g} labelled paragraphs, S/W = {ratio:.0f}: averaged "
            f"learned embeddings (order-blind) {statistics.fmean(blind):.1%} against a GRU over the same "
            f"embeddings {statistics.fmean(sequence):.1%}; difference {diff.difference.mean:+.3f} (95% interval "
            f"{diff.difference.low:+.3f} to {diff.difference.high:+.3f}).")
    status = {"above": "reproduced", "below": "not reproduced"}.get(diff.outcome, "too few seeds to tell")
    return Finding(status, text)


def dropout_reduces_overfitting(bank: Bank) -> Finding:
    """Srivastava et al.: dropout reduces overfitting of large networks on small data (better test accuracy)."""
    point = _point(bank, "overfitting", min)
    if point is None:
        return _not_measured("overfitting")
    gain = power([a - b for a, b in zip(point["metric"]["dropout"], point["metric"]["no_remedy"], strict=True)], 0.0)
    gap = spread(point.get("extra", {}).get("gap", {}).get("no_remedy", []))
    text = (f"At {point['x']:g} training digits (a fifth mislabelled), no remedy's train-validation gap "
            f"{gap.mean:+.1%}; dropout minus no remedy on test accuracy {gain.difference.mean:+.3f} (95% interval "
            f"{gain.difference.low:+.3f} to {gain.difference.high:+.3f}).") if gap else ""
    status = {"above": "reproduced", "below": "not reproduced"}.get(gain.outcome, "too few seeds to tell")
    return Finding(status, text)


def quadratic_attention(bank: Bank) -> Finding:
    """Vaswani et al.: self-attention's cost per layer grows with the square of the length, a recurrent layer's
    linearly."""
    document = bank.get("attention_vs_transformer")
    scaling = (document or {}).get("scaling")
    if not scaling:
        return _not_measured("attention_vs_transformer")
    low_rnn, high_rnn = scaling["intervals"]["LSTM time"]
    low_att, high_att = scaling["intervals"]["MultiHeadAttention time"]
    text = (f"Time per batch fitted as length^p from {scaling['fit_lengths'][0]:,} to {scaling['fit_lengths'][-1]:,} "
            f"tokens: LSTM p in {low_rnn:.2f}-{high_rnn:.2f}, self-attention p in {low_att:.2f}-{high_att:.2f} "
            f"(95% intervals over {scaling['repeats']} rounds).")
    if high_rnn < 1.5 < low_att:
        return Finding("reproduced", text)
    if low_att <= 1.5 <= high_att or low_rnn <= 1.5 <= high_rnn:
        return Finding("too few seeds to tell", text + " An interval spans 1.5, so linear and quadratic cannot be "
                       "told apart for that layer; more rounds on a quieter machine would tell.")
    return Finding("not reproduced", text)


def adam_faster_than_sgd(bank: Bank) -> Finding:
    """Kingma & Ba: Adam reaches a low training loss in fewer epochs than SGD on an MLP for digits."""
    found = _extra(bank, "optimizer_digits")
    if found is None:
        return _not_measured("papers (optimizer on digits)")
    adam, sgd = found["epochs_to_target"]["adam"], found["epochs_to_target"]["sgd"]
    cap = found["epochs"]
    sgd = [cap + 1 if e is None else e for e in sgd]  # never reached: counted as after the last epoch
    adam = [cap + 1 if e is None else e for e in adam]
    diff = power([s - a for s, a in zip(sgd, adam, strict=True)], 0.0)
    text = (f"Epochs to the shared target loss on 1,000 clean digits: Adam {statistics.fmean(adam):.1f}, plain SGD "
            f"{statistics.fmean(sgd):.1f} (mean of {len(adam)} seeds; SGD minus Adam {diff.difference.mean:+.1f}, "
            f"95% interval {diff.difference.low:+.1f} to {diff.difference.high:+.1f}).")
    status = {"above": "reproduced", "below": "not reproduced"}.get(diff.outcome, "too few seeds to tell")
    return Finding(status, text)


def bidirectional_context(bank: Bank) -> Finding:
    """Devlin et al. (BERT): bidirectional context beats left-to-right context on token-level tasks."""
    found = _extra(bank, "lookahead_tagging")
    if found is None:
        return _not_measured("papers (look-ahead tagging)")
    enc, dec = found["metric"]["encoder_only"], found["metric"]["decoder_only"]
    diff = power([a - b for a, b in zip(enc, dec, strict=True)], 0.0)
    text = (f"Tagging each token by its right neighbour: encoder-only {statistics.fmean(enc):.1%}, decoder-only "
            f"{statistics.fmean(dec):.1%} (its ceiling {found['ceiling']:.1%}); difference {diff.difference.mean:+.3f} "
            f"(95% interval {diff.difference.low:+.3f} to {diff.difference.high:+.3f}). A task built to need the "
            "right context, so this shows the mechanism, not BERT's benchmark gains.")
    status = {"above": "reproduced", "below": "not reproduced"}.get(diff.outcome, "too few seeds to tell")
    return Finding(status, text)


PAPERS: tuple[Paper, ...] = (
    Paper("adding_problem", "sequence_model",
          "Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015; Arjovsky, Shah & Bengio 2016",
          "On the adding problem with T >= 100 steps, LSTM (and GRU) learn it while a tanh RNN stays at the trivial "
          "baseline.", adding_problem),
    Paper("gru_vs_lstm", "sequence_model", "Chung, Gulcehre, Cho & Bengio 2014",
          "GRU performs comparably to LSTM, and both clearly above a tanh RNN.", gru_vs_lstm),
    Paper("order_blind", "text_encoding", "Google, Text classification guide (2018)",
          "When samples divided by words per sample is under 1,500, an order-blind n-gram model beats a sequence "
          "model.", order_blind_beats_sequence),
    Paper("pretrained_small", "text_encoding", "Pennington et al. 2014 (GloVe); Kim 2014; Howard & Ruder 2018",
          "Pretrained word vectors help most when labelled data is scarce; the help shrinks as labels grow.",
          pretrained_small_data),
    Paper("dropout", "overfitting", "Srivastava, Hinton et al. 2014",
          "Dropout reduces overfitting of large networks trained on small data.", dropout_reduces_overfitting),
    Paper("quadratic_attention", "attention_vs_transformer", "Vaswani et al. 2017",
          "A self-attention layer's cost grows with the square of the sequence length, a recurrent layer's "
          "linearly.", quadratic_attention),
    Paper("adam", "optimizer", "Kingma & Ba 2015",
          "Adam reaches a low loss in fewer epochs than plain SGD on a small MLP.", adam_faster_than_sgd),
    Paper("bidirectional", "transformer_architecture", "Devlin, Chang, Lee & Toutanova 2019",
          "Bidirectional (encoder) context beats left-to-right (decoder) context on token-level tasks.",
          bidirectional_context),
)


def table(bank: Bank) -> list[dict[str, str]]:
    return [paper.row(bank) for paper in PAPERS]
