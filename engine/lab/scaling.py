"""How cost grows with sequence length: a recurrent layer against self-attention, measured per batch.

The claim under test: attention's time and memory grow with the square of the length, an RNN's linearly.
Time is the median of several forward passes of one compiled call; memory is the growth of this process's
peak resident memory during one pass (Linux: the peak is reset through /proc/self/clear_refs).
No TensorFlow at import; `scaling_experiment` imports it.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import TrainingError
from .heartbeat import tick
from .queue import training_queue
from .worker import shared_worker

DEFAULT_LENGTHS = (64, 128, 256, 512, 1024)
CLAIM = "Attention's cost grows with the square of the sequence length (O(n^2)); an RNN's grows linearly (O(n))."


@dataclass(frozen=True)
class ScalingRow:
    layer: str  # "LSTM" or "MultiHeadAttention"
    seq_len: int
    ms_per_batch: float
    peak_mb: float | None  # growth of peak resident memory during one pass; None where not measurable
    attention_matrix_mb: float  # computed size of the score tensor (0 for the RNN), for reference


@dataclass(frozen=True)
class ScalingResult:
    rows: list[ScalingRow]
    batch_size: int
    d_model: int
    num_heads: int
    wall_seconds: float
    claim: str = CLAIM
    exponents: dict[str, float] = field(default_factory=dict)  # fitted slope of log(time) vs log(length)
    verdict: str = ""

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(row) for row in self.rows])

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ScalingResult:
        return cls(**{**data, "rows": [ScalingRow(**row) for row in data["rows"]]})


def _slope(lengths: list[int], values: list[float]) -> float:
    xs, ys = [math.log(n) for n in lengths], [math.log(max(v, 1e-9)) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


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


def scaling_experiment(lengths: tuple[int, ...] = DEFAULT_LENGTHS, batch_size: int = 8, d_model: int = 32,
                       num_heads: int = 4, repeats: int = 3, isolate: bool = True) -> ScalingResult:
    """Time and memory per batch for an LSTM and a self-attention layer at each length (inference).

    Runs in the training worker process by default (like `train_comparison`), so the caller's memory
    and the memory measurement are not mixed up; `isolate=False` measures in this process.
    """
    lengths = tuple(sorted(set(int(n) for n in lengths)))
    if not lengths or lengths[0] < 2 or lengths[-1] > 4096:
        raise TrainingError(f"Sequence lengths must be between 2 and 4096; got {list(lengths)}.")
    request = {"lengths": list(lengths), "batch_size": batch_size, "d_model": d_model, "num_heads": num_heads,
               "repeats": repeats}
    with training_queue().turn("scaling"):
        if isolate:
            return ScalingResult.from_dict(shared_worker().call({"kind": "scaling", **request}))
        return measure_scaling(**request)


def measure_scaling(lengths, batch_size, d_model, num_heads, repeats) -> ScalingResult:
    """The measurement itself, in this process (imports TensorFlow)."""
    lengths = tuple(lengths)
    import keras
    import numpy as np
    import tensorflow as tf

    started = time.perf_counter()
    keras.utils.set_random_seed(0)
    lstm = keras.layers.LSTM(d_model, return_sequences=True)
    attention = keras.layers.MultiHeadAttention(num_heads, key_dim=d_model // num_heads)
    spec = [tf.TensorSpec([batch_size, None, d_model], tf.float32)]
    layers = {
        "LSTM": tf.function(lambda x: lstm(x), input_signature=spec),
        "MultiHeadAttention": tf.function(lambda x: attention(x, x), input_signature=spec),
    }
    rows = []
    for name, call in layers.items():  # every length of the small-memory layer first, ascending
        call(tf.zeros([batch_size, lengths[0], d_model]))  # trace once; any length reuses the graph
        for n in lengths:
            x = tf.constant(np.random.default_rng(n).normal(size=(batch_size, n, d_model)).astype("float32"))
            peak = _peak_growth_mb(lambda call=call, x=x: call(x).numpy())
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                call(x).numpy()
                times.append(time.perf_counter() - t0)
                tick()  # progress for the worker's watchdog
            scores_mb = batch_size * num_heads * n * n * 4 / 2**20 if name != "LSTM" else 0.0
            rows.append(ScalingRow(name, n, 1000 * statistics.median(times), peak, scores_mb))
    keras.backend.clear_session()
    exponents = {}
    for name in layers:
        mine = [r for r in rows if r.layer == name]
        exponents[f"{name} time"] = _slope([r.seq_len for r in mine], [r.ms_per_batch for r in mine])
        # Readings under 1 MB are below the allocator's granularity and would bend the fit.
        usable = [r for r in mine if (r.peak_mb or 0) >= 1.0]
        if len(usable) >= 2:
            exponents[f"{name} memory"] = _slope([r.seq_len for r in usable], [r.peak_mb for r in usable])
    return ScalingResult(rows, batch_size, d_model, num_heads, time.perf_counter() - started,
                         exponents=exponents, verdict=_verdict(rows, exponents, lengths))


def _verdict(rows: list[ScalingRow], exponents: dict[str, float], lengths) -> str:
    longest = {r.layer: r for r in rows if r.seq_len == lengths[-1]}
    rnn, att = longest["LSTM"], longest["MultiHeadAttention"]
    parts = [f"From {lengths[0]} to {lengths[-1]} tokens, time per batch grew as length^"
             f"{exponents['LSTM time']:.2f} for the LSTM and length^{exponents['MultiHeadAttention time']:.2f} "
             f"for self-attention (1 = linear, 2 = quadratic)."]
    if rnn.peak_mb is not None and att.peak_mb is not None:
        parts.append(f"At {lengths[-1]} tokens one pass raised peak memory by {att.peak_mb:.1f} MB for attention "
                     f"(its score tensor alone is {att.attention_matrix_mb:.1f} MB) and by {rnn.peak_mb:.1f} MB for "
                     "the LSTM.")
    if att.ms_per_batch < rnn.ms_per_batch:
        parts.append(f"Attention was still faster at {lengths[-1]} tokens ({att.ms_per_batch:.1f} vs "
                     f"{rnn.ms_per_batch:.1f} ms): it runs in parallel while the LSTM goes step by step.")
    else:
        crossover = next((r.seq_len for r in rows if r.layer == "MultiHeadAttention" and r.ms_per_batch > next(
            q.ms_per_batch for q in rows if q.layer == "LSTM" and q.seq_len == r.seq_len)), None)
        parts.append(f"Attention became slower than the LSTM from {crossover} tokens on ({att.ms_per_batch:.1f} vs "
                     f"{rnn.ms_per_batch:.1f} ms at {lengths[-1]}); below that its parallelism wins.")
    return " ".join(parts)
