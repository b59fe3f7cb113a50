"""How cost grows with sequence length: a recurrent layer against self-attention, measured per batch.

The claim under test: attention's time and memory grow with the square of the length, an RNN's linearly.
Lengths run up to 4,096 tokens, where attention's n x n score tensor dominates its cost (at short lengths
fixed overheads and the linear projections do). Each of `repeats` rounds times every length (the fastest
of two calls, so a moment's interference from another process counts less); the growth exponent is fitted on
the longest lengths in each round, and the rounds give its 95% interval (`scaling_fit.py`).

Memory: each tensor the layer creates has a size that can be computed exactly (batch x heads x n x n x
4 bytes for the scores), which is repeatable and monotone; it is checked against a measurement, the growth
of this process's peak resident memory during one call (Linux: the peak is reset through
/proc/self/clear_refs), which is noisy for small tensors and reliable for the large ones. Finally the same
arithmetic is carried to a BERT-base sized model (`transformer_memory.py`), labelled as an estimate.
No TensorFlow at import; `measure_scaling` imports it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import pandas as pd

from . import fit as scaling_fit
from . import memory as transformer_memory

DEFAULT_LENGTHS = (128, 256, 512, 1024, 2048, 4096)
DEFAULT_SETTINGS = {"batch_size": 2, "d_model": 32, "num_heads": 2, "repeats": 5}
FIT_POINTS = 3  # the exponent is fitted on this many of the longest lengths
CALLS_PER_ROUND = 2  # timed calls per length and round; the fastest counts
CLAIM = "Attention's cost grows with the square of the sequence length (O(n^2)); an RNN's grows linearly (O(n))."

LAYER_NAMES = {"LSTM": "LSTM (recurrent)", "MultiHeadAttention": "Self-attention"}
# What the results table calls each field: people read these, code keeps the short names.
DISPLAY_NAMES = {
    "layer": "Layer",
    "seq_len": "Sequence length (tokens)",
    "ms_per_batch": "Time per batch (ms, median of rounds)",
    "ms_low": "Fastest round (ms)",
    "ms_high": "Slowest round (ms)",
    "peak_mb": "Peak memory growth (MB, measured)",
    "computed_mb": "Tensors created (MB, computed)",
    "attention_matrix_mb": "Attention scores (MB, computed)",
}


@dataclass(frozen=True)
class ScalingRow:
    layer: str  # "LSTM" or "MultiHeadAttention"
    seq_len: int
    ms_per_batch: float  # median over rounds
    peak_mb: float | None  # growth of peak resident memory during the first call; None where not measurable
    attention_matrix_mb: float  # computed size of one score tensor (0 for the RNN)
    ms_low: float = 0.0  # fastest and slowest round
    ms_high: float = 0.0
    computed_mb: float = 0.0  # computed size of every tensor the call creates whose size depends on n


@dataclass(frozen=True)
class ScalingResult:
    rows: list[ScalingRow]
    batch_size: int
    d_model: int
    num_heads: int
    wall_seconds: float
    claim: str = CLAIM
    exponents: dict[str, float] = field(default_factory=dict)  # fitted slope of log(cost) vs log(length)
    verdict: str = ""
    intervals: dict[str, list[float]] = field(default_factory=dict)  # 95% interval of each exponent
    fit_lengths: list[int] = field(default_factory=list)  # the lengths the exponents were fitted on
    repeats: int = 0
    agrees: bool | None = None
    memory_check: str = ""
    estimate: dict = field(default_factory=dict)  # BERT-base memory estimate at 512 and 1,024 tokens
    estimate_text: list[str] = field(default_factory=list)

    def to_records(self) -> pd.DataFrame:
        """One row per layer and length, with the short field names (for charts and code)."""
        return pd.DataFrame([asdict(row) for row in self.rows])

    def to_frame(self) -> pd.DataFrame:
        """The results table as people read it: human column names and layer names."""
        frame = self.to_records()[list(DISPLAY_NAMES)]
        frame["layer"] = frame["layer"].map(lambda name: LAYER_NAMES.get(name, name))
        return frame.rename(columns=DISPLAY_NAMES)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ScalingResult:
        known = {f.name for f in fields(cls)}
        rows = [ScalingRow(**row) for row in data["rows"]]
        return cls(**{**{k: v for k, v in data.items() if k in known}, "rows": rows})


def _rss_kb(field_name: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_growth_mb(run) -> float | None:
    if not _reset_peak():
        return None
    before = _rss_kb("VmRSS")
    run()
    peak = _rss_kb("VmHWM")
    return None if before is None or peak is None else max(peak - before, 0) / 1024.0


def computed_mb(layer: str, n: int, batch: int, d_model: int, heads: int) -> tuple[float, float]:
    """(every n-dependent tensor one call creates, one attention score tensor), in MB, float32.

    Self-attention: the query, key and value projections, the attention output and its projection (5 x
    batch x n x d_model) plus one score tensor (batch x heads x n x n); the measured peak, about one score
    tensor, shows the softmax does not hold a second n x n buffer at the same time in inference. LSTM: its
    output sequence (batch x n x units); its per-step gates are reused, so they do not grow with n.
    """
    if layer == "LSTM":
        return batch * n * d_model * 4 / 2**20, 0.0
    scores = batch * heads * n * n * 4
    return (5 * batch * n * d_model * 4 + scores) / 2**20, scores / 2**20


def measure_scaling(lengths, batch_size, d_model, num_heads, repeats,
                    on_step: Callable[[], None] = lambda: None) -> ScalingResult:
    """The measurement itself, in this process (imports TensorFlow); `on_step` is called after every timed call."""
    lengths = tuple(sorted(set(int(n) for n in lengths)))
    import keras
    import numpy as np
    import tensorflow as tf

    started = time.perf_counter()
    keras.utils.set_random_seed(0)
    lstm = keras.layers.LSTM(d_model, return_sequences=True)
    attention = keras.layers.MultiHeadAttention(num_heads, key_dim=d_model // num_heads)
    spec = [tf.TensorSpec([batch_size, None, d_model], tf.float32)]

    @tf.function(input_signature=spec)
    def run_lstm(x):
        return lstm(x)

    @tf.function(input_signature=spec)
    def run_attention(x):
        return attention(x, x)

    rows, times = [], {}
    for name, call in (("LSTM", run_lstm), ("MultiHeadAttention", run_attention)):  # small-memory layer first
        call(tf.zeros([batch_size, lengths[0], d_model]))  # trace once; any length reuses the graph
        inputs = {n: tf.constant(np.random.default_rng(n).normal(size=(batch_size, n, d_model)).astype("float32"))
                  for n in lengths}
        rounds, peaks = [[0.0] * len(lengths) for _ in range(repeats)], {}
        for r in range(repeats):
            for i, n in enumerate(lengths):
                if r == 0:
                    # Only the first call at a new, larger size shows its memory: TensorFlow keeps what it
                    # reserved for later calls in this process, so repeats would read zero.
                    peaks[n] = _peak_growth_mb(lambda call=call, x=inputs[n]: call(x).numpy())
                best = float("inf")
                for _ in range(CALLS_PER_ROUND):
                    t0 = time.perf_counter()
                    call(inputs[n]).numpy()
                    best = min(best, time.perf_counter() - t0)
                    on_step()  # progress, for the training worker's watchdog
                rounds[r][i] = 1000 * best
        times[name] = rounds
        for i, n in enumerate(lengths):
            per_round = [run[i] for run in rounds]
            total, scores = computed_mb(name, n, batch_size, d_model, num_heads)
            rows.append(ScalingRow(name, n, statistics.median(per_round), peaks[n], scores,
                                   min(per_round), max(per_round), total))
        del inputs
    keras.backend.clear_session()
    return summarise(rows, times, lengths, batch_size, d_model, num_heads, repeats,
                     time.perf_counter() - started)


def summarise(rows: list[ScalingRow], times: dict[str, list[list[float]]], lengths: tuple[int, ...],
              batch_size: int, d_model: int, num_heads: int, repeats: int, wall_seconds: float) -> ScalingResult:
    """Exponents, verdict, memory check and the BERT-base estimate from measured rows (no TensorFlow)."""
    fitted = {name: scaling_fit.fit_exponent(lengths, runs, FIT_POINTS) for name, runs in times.items()}
    exponents = {f"{name} time": e.value for name, e in fitted.items()}
    intervals = {f"{name} time": [e.low, e.high] for name, e in fitted.items()}
    memory = memory_exponent([r for r in rows if r.layer == "MultiHeadAttention"], lengths)
    if memory is not None:
        exponents["MultiHeadAttention memory"] = memory.value
        intervals["MultiHeadAttention memory"] = [memory.low, memory.high]
    agrees, judged = scaling_fit.judge(fitted["LSTM"], fitted["MultiHeadAttention"])
    estimate = {str(n): transformer_memory.estimate(n).to_dict() for n in (512, 1024)}
    return ScalingResult(rows, batch_size, d_model, num_heads, wall_seconds, exponents=exponents,
                         verdict=_verdict(rows, judged, lengths), intervals=intervals,
                         fit_lengths=list(scaling_fit.upper_range(lengths, FIT_POINTS)), repeats=repeats,
                         agrees=agrees, memory_check=memory_check(rows, lengths), estimate=estimate,
                         estimate_text=transformer_memory.argue_thresholds())


def memory_exponent(rows: list[ScalingRow], lengths) -> scaling_fit.Exponent | None:
    """The exponent of measured peak memory on the upper range, when every reading there is at least 1 MB
    (smaller readings are below the allocator's granularity and would bend the fit)."""
    upper = scaling_fit.upper_range(tuple(lengths), FIT_POINTS)
    peaks = {r.seq_len: r.peak_mb for r in rows}
    if any((peaks.get(n) or 0.0) < 1.0 for n in upper):
        return None
    return scaling_fit.fit_exponent(upper, [[peaks[n] for n in upper]], FIT_POINTS)


def memory_check(rows: list[ScalingRow], lengths) -> str:
    """Does the measured peak at the longest length agree with the computed tensor sizes?"""
    attention = {r.seq_len: r for r in rows if r.layer == "MultiHeadAttention"}
    longest = attention[max(lengths)]
    if longest.peak_mb is None:
        return ("Peak memory could not be measured on this platform; the memory figures are the tensors' "
                "computed sizes.")
    ratio = longest.peak_mb / longest.computed_mb
    if ratio < 0.1:
        return (f"At {longest.seq_len:,} tokens the measured growth was {longest.peak_mb:.0f} MB against "
                f"{longest.computed_mb:,.0f} MB computed: this process had already reserved that memory in an "
                "earlier measurement and reuses it, so the reading says nothing here (a fresh worker measures "
                "it); read the computed sizes.")
    readings = [attention[n].peak_mb or 0.0 for n in scaling_fit.upper_range(tuple(lengths), FIT_POINTS)]
    monotone = all(a <= b for a, b in zip(readings, readings[1:], strict=False))
    agreement = "agrees with" if 0.5 <= ratio <= 2 else "does not agree with"
    return (f"At {longest.seq_len:,} tokens one self-attention call raised peak memory by {longest.peak_mb:,.0f} MB "
            f"(measured), {ratio:.2f} times the {longest.computed_mb:,.0f} MB its tensors take by computation: the "
            f"measurement {agreement} the computed size (within a factor of 2, allowing for the framework's own "
            "buffers). Over the longest lengths the readings "
            + ("rise with the length." if monotone else "do not rise steadily, so read the computed sizes."))


def _verdict(rows: list[ScalingRow], judged: str, lengths) -> str:
    longest = {r.layer: r for r in rows if r.seq_len == lengths[-1]}
    rnn, att = longest["LSTM"], longest["MultiHeadAttention"]
    parts = [f"Fitted on {', '.join(f'{n:,}' for n in scaling_fit.upper_range(lengths, FIT_POINTS))} tokens, "
             "time per batch grew as length^p (p = 1 linear, 2 quadratic). " + judged]
    if att.ms_per_batch < rnn.ms_per_batch:
        parts.append(f"Attention was still faster at {lengths[-1]:,} tokens ({att.ms_per_batch:.1f} vs "
                     f"{rnn.ms_per_batch:.1f} ms): it runs in parallel while the LSTM goes step by step.")
    else:
        crossover = next((r.seq_len for r in rows if r.layer == "MultiHeadAttention" and r.ms_per_batch > next(
            q.ms_per_batch for q in rows if q.layer == "LSTM" and q.seq_len == r.seq_len)), None)
        parts.append(f"Attention became slower than the LSTM from {crossover:,} tokens on ({att.ms_per_batch:.1f} "
                     f"vs {rnn.ms_per_batch:.1f} ms at {lengths[-1]:,}); below that its parallelism wins.")
    return " ".join(parts)
