"""Latency and memory against sequence length, set against the attention rule's length and memory thresholds.

Accuracy can be trained only at short lengths on 2 cores, so the rule's "over 512 tokens" and "8 GB" edges
are checked where they come from: cost. The bank stores one run of the Lab's scaling experiment (an LSTM
and a self-attention layer timed per batch from 128 to 4,096 tokens, memory computed from tensor shapes and
checked against a measurement) and this module reads it against the thresholds, which come from the rules
file, and carries the memory arithmetic to a BERT-base sized model (engine.lab.transformer_memory), an
estimate and labelled so. Pure Python: reading the bank imports no TensorFlow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..lab.scaling import memory as transformer_memory
from ..lab.scaling.experiment import ScalingResult
from ..tables import Tables, load_tables

ESTIMATE_BATCHES = (32, 8)  # the rule's memory argument at a usual fine-tuning batch, and a small one


@dataclass(frozen=True)
class CostThresholds:
    longest_fitting: int  # the rule's last length that is not "very long" (512)
    memory_gb: float  # the rule's GPU memory edge (8)


def cost_thresholds(decision: str = "attention_vs_transformer", tables: Tables | None = None) -> CostThresholds:
    """The length and memory edges of the decision's rules, read from its inputs' bins (not written here)."""
    tables = tables or load_tables()
    table = tables.decisions[decision]

    def edges(question: str) -> list[float]:
        return sorted({e for inp in table.inputs if question in inp.questions for b in inp.bins
                       for e in (b.at_least, b.below) if abs(e) != float("inf")})

    (length,), (memory,) = edges("max_length"), edges("gpu_memory_gb")
    return CostThresholds(int(length) - 1, float(memory))  # bins say "below 513": 512 is the last that fits


def time_crossover(result: ScalingResult) -> tuple[int | None, int | None]:
    """(last length where attention was clearly faster than the LSTM, first where it was clearly slower):
    clearly = its slowest round beats the other's fastest. None where no such length was measured."""
    by = {(r.layer, r.seq_len): r for r in result.rows}
    lengths = sorted({r.seq_len for r in result.rows})
    faster = [n for n in lengths if by["MultiHeadAttention", n].ms_high < by["LSTM", n].ms_low]
    slower = [n for n in lengths if by["MultiHeadAttention", n].ms_low > by["LSTM", n].ms_high]
    return (max(faster) if faster else None), (min(slower) if slower else None)


def length_at_memory(budget_gb: float, batch: int, longest: int = 65_536) -> int | None:
    """The longest sequence whose BERT-base training estimate fits `budget_gb` at `batch` (None: even 1 token
    does not fit; `longest` when everything up to it fits). GB here is GiB, as GPU makers' figures are."""
    if transformer_memory.estimate(1, batch).training_gib > budget_gb:
        return None
    low, high = 1, longest
    while low < high:  # the estimate grows with the length: bisect the last length that fits
        mid = (low + high + 1) // 2
        low, high = (mid, high) if transformer_memory.estimate(mid, batch).training_gib <= budget_gb else (low, mid - 1)
    return low


def estimate_curve(lengths: tuple[int, ...] = (128, 256, 512, 1024, 2048, 4096)) -> list[dict[str, Any]]:
    """BERT-base training memory (GiB, estimate) per length and batch, for the chart."""
    return [{"seq_len": n, "batch": b, "training_gib": transformer_memory.estimate(n, b).training_gib}
            for b in ESTIMATE_BATCHES for n in lengths]


def describe_scaling(document: Mapping[str, Any], tables: Tables | None = None) -> list[str]:
    """Sentences: the measured growth, where attention became slower, and the memory estimate, each next to
    the rule's threshold."""
    if "scaling" not in document:
        return []
    result = ScalingResult.from_dict(document["scaling"])
    edge = cost_thresholds(document["decision"], tables)
    n, gb = edge.longest_fitting, edge.memory_gb
    by = {(r.layer, r.seq_len): r for r in result.rows}
    lines = [f"Measured cost (one layer of each kind, batch {result.batch_size}, {result.d_model} dimensions, "
             f"{result.repeats} rounds, on a CPU): {result.verdict}"]
    if ("LSTM", n) in by:
        rnn, att = by["LSTM", n], by["MultiHeadAttention", n]
        lines.append(f"At the rule's {n} tokens: self-attention {att.ms_per_batch:.1f} ms per batch "
                     f"({att.ms_low:.1f} to {att.ms_high:.1f}), LSTM {rnn.ms_per_batch:.1f} ms "
                     f"({rnn.ms_low:.1f} to {rnn.ms_high:.1f}); one attention score tensor "
                     f"{att.attention_matrix_mb:.2f} MB, at {2 * n:,} tokens four times that "
                     f"({4 * att.attention_matrix_mb:.2f} MB).")
    if result.memory_check:  # the measured dots on the memory chart, against the computed lines
        lines.append(f"Memory check: {result.memory_check}")
    faster, slower = time_crossover(result)
    if slower is not None:
        where = f"between {faster:,} and {slower:,} tokens" if faster is not None and faster < slower else \
            f"by {slower:,} tokens already"
        side = "above" if (faster or 0) >= n else ("below" if slower <= n else "around")
        lines.append(f"Time: self-attention became clearly slower than the LSTM {where}, {side} the rule's {n}. "
                     "The rule's edge is about memory, and on a GPU, where attention's work runs in parallel, the "
                     "time balance differs, so this small CPU layer does not locate the edge; it shows the quadratic "
                     "term taking over.")
    else:
        lines.append(f"Time: self-attention was never clearly slower than the LSTM up to "
                     f"{max(r.seq_len for r in result.rows):,} tokens on this machine, so time alone does not "
                     f"support an edge at {n} tokens here; memory does (below).")
    fits = {b: length_at_memory(gb, b) for b in ESTIMATE_BATCHES}
    small, usual = ESTIMATE_BATCHES[-1], ESTIMATE_BATCHES[0]
    lines.append(
        f"Memory (BERT-base estimate, training with Adam, float32): {gb:g} GB holds sequences up to about "
        + " and ".join(f"{fits[b]:,} tokens at batch {b}" if fits[b] else f"none at batch {b}"
                       for b in ESTIMATE_BATCHES)
        + f"; at the rule's {n} tokens training needs {transformer_memory.estimate(n, usual).training_gib:.0f} GiB "
        f"at batch {usual} and {transformer_memory.estimate(n, small).training_gib:.1f} GiB at batch {small}. "
        + memory_verdict(fits[small], n, gb, small))
    lines.extend(result.estimate_text[-1:])  # why 512: where the n x n tensors start to dominate
    return lines


def memory_verdict(fits: int | None, n: int, gb: float, batch: int) -> str:
    """Does the estimated edge of `gb` at a small batch sit near the rule's length edge `n` (within 1.5x)?"""
    if fits is None:
        return f"Not even one token fits in {gb:g} GB at batch {batch}, so the estimate cannot place the edge."
    if n / 1.5 <= fits <= n * 1.5:
        return (f"So at a small batch the {gb:g} GB edge falls near {fits:,} tokens, close to the rule's {n}: the "
                f"two thresholds describe the same limit. At a usual batch it comes much earlier.")
    return (f"So at a small batch the {gb:g} GB edge falls near {fits:,} tokens, far from the rule's {n}: on this "
            "estimate the two thresholds do not describe the same limit.")
