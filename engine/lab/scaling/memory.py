"""An estimate, from tensor sizes, of the memory a BERT-base sized encoder needs, set against the rules' thresholds.

Nothing here is measured: it counts the float32 tensors a model of the given shape must hold. The Lab's
scaling experiment measures a small layer; this carries the same arithmetic to a realistic model so the
rules' "over 512 tokens" and "8 GB of GPU memory" thresholds can be argued with numbers. The counts are a
floor: frameworks add workspace, fragmentation and copies on top.

Assumptions (stated so they can be disputed): float32 (4 bytes); training with Adam keeps weights, gradients
and two moment estimates (4 copies of the parameters); for the backward pass each layer keeps two n x n
tensors per head (the softmax probabilities and their dropped-out copy) and about 20 hidden-sized vectors per
token (inputs of the Q/K/V projections, Q, K, V, the attention output and its projection, two layer-norm
inputs and outputs, the 4x-wide feed-forward input and activation). Inference keeps one layer's tensors at
a time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

GIB = 2**30
BYTES = 4  # float32
LINEAR_VECTORS_PER_TOKEN = 20  # hidden-sized activations kept per token and layer for the backward pass
N2_TENSORS_PER_HEAD = 2  # softmax probabilities and their dropout output


@dataclass(frozen=True)
class EncoderShape:
    layers: int = 12
    heads: int = 12
    hidden: int = 768
    feed_forward: int = 3072
    vocabulary: int = 30_522
    max_positions: int = 512
    name: str = "BERT-base"

    def parameters(self) -> int:
        h, f = self.hidden, self.feed_forward
        embeddings = (self.vocabulary + self.max_positions + 2) * h + 2 * h
        per_layer = 4 * (h * h + h) + (h * f + f) + (f * h + h) + 2 * 2 * h
        return embeddings + self.layers * per_layer + (h * h + h)  # + the pooler


BERT_BASE = EncoderShape()


@dataclass(frozen=True)
class MemoryEstimate:
    shape: str
    seq_len: int
    batch: int
    attention_scores_gib: float  # one layer's score tensor: batch x heads x n x n x 4 bytes
    attention_kept_gib: float  # n x n tensors kept for training, all layers
    linear_kept_gib: float  # hidden-sized activations kept for training, all layers
    weights_and_optimizer_gib: float  # weights, gradients, two Adam moments
    training_gib: float
    inference_gib: float
    quadratic_share: float  # share of the kept activations that grows with n^2

    def to_dict(self) -> dict:
        return asdict(self)


def estimate(seq_len: int, batch: int = 32, shape: EncoderShape = BERT_BASE) -> MemoryEstimate:
    n, b = int(seq_len), int(batch)
    if n < 1 or b < 1:
        raise ValueError(f"sequence length and batch must be at least 1; got {n} and {b}")
    scores = b * shape.heads * n * n * BYTES
    attention_kept = shape.layers * N2_TENSORS_PER_HEAD * scores
    linear_kept = shape.layers * b * n * LINEAR_VECTORS_PER_TOKEN * shape.hidden * BYTES
    weights = shape.parameters() * BYTES
    training = 4 * weights + attention_kept + linear_kept
    inference = weights + N2_TENSORS_PER_HEAD * scores + b * n * LINEAR_VECTORS_PER_TOKEN * shape.hidden * BYTES
    return MemoryEstimate(shape.name, n, b, scores / GIB, attention_kept / GIB, linear_kept / GIB,
                          4 * weights / GIB, training / GIB, inference / GIB,
                          attention_kept / (attention_kept + linear_kept))


def quadratic_takes_over(shape: EncoderShape = BERT_BASE) -> int:
    """The length from which the n^2 tensors kept per token outweigh the linear ones (independent of batch):
    2 * heads * n  >=  20 * hidden."""
    return -(-LINEAR_VECTORS_PER_TOKEN * shape.hidden // (N2_TENSORS_PER_HEAD * shape.heads))


def largest_batch(seq_len: int, budget_gib: float, shape: EncoderShape = BERT_BASE) -> int:
    """The largest batch whose training estimate fits `budget_gib` (0 when not even one example fits)."""
    fixed = estimate(seq_len, 1, shape)
    per_example = fixed.training_gib - fixed.weights_and_optimizer_gib
    room = budget_gib - fixed.weights_and_optimizer_gib
    return max(int(room // per_example), 0) if room > 0 else 0


def argue_thresholds(gpu_gib: float = 8.0, long_tokens: int = 512, batch: int = 32,
                     shape: EncoderShape = BERT_BASE) -> list[str]:
    """Sentences setting the rules' thresholds against the estimate (numbers computed here, labelled as such)."""
    at = estimate(long_tokens, batch, shape)
    double = estimate(2 * long_tokens, batch, shape)
    cross = quadratic_takes_over(shape)
    fits = largest_batch(long_tokens, gpu_gib, shape)
    return [
        f"Estimate, not a measurement ({shape.name}: {shape.layers} layers, {shape.heads} heads, hidden "
        f"{shape.hidden}, {shape.parameters() / 1e6:.0f} M parameters, float32, batch {batch}).",
        f"At {long_tokens} tokens one layer's attention scores take {batch} x {shape.heads} x {long_tokens} x "
        f"{long_tokens} x 4 bytes = {at.attention_scores_gib:.2f} GiB; training keeps "
        f"{at.attention_kept_gib:.1f} GiB of such n x n tensors over {shape.layers} layers, plus "
        f"{at.linear_kept_gib:.1f} GiB of per-token activations and {at.weights_and_optimizer_gib:.1f} GiB of "
        f"weights and optimizer state: about {at.training_gib:.0f} GiB in all, "
        + ("over" if at.training_gib > gpu_gib else "within") + f" an {gpu_gib:.0f} GB card.",
        f"So {gpu_gib:.0f} GB fine-tunes {shape.name} at {long_tokens} tokens only with a batch of at most about "
        f"{fits} (or mixed precision, gradient checkpointing, or accumulating small batches). The memory count is a "
        "floor and this batch a ceiling: Google's BERT README measured a largest batch of 6 at 512 tokens on "
        f"a 12 GB GPU (TensorFlow 1.11), where this estimate would allow {largest_batch(long_tokens, 12.0, shape)}. "
        f"The rules' {gpu_gib:.0f} GB threshold is therefore a floor for fine-tuning at small batches, not a "
        "generous budget.",
        f"The n x n tensors outweigh the per-token ones from about {cross} tokens (where 2 x {shape.heads} x n "
        f"passes 20 x {shape.hidden}): at {long_tokens} tokens they are {at.quadratic_share:.0%} of the kept "
        f"activations, at {2 * long_tokens} already {double.quadratic_share:.0%}, and doubling the length from "
        f"{long_tokens} to {2 * long_tokens} takes training from {at.training_gib:.0f} to "
        f"{double.training_gib:.0f} GiB. That is why {long_tokens} tokens is a sensible edge for \"very long\": "
        "past it, memory grows mostly with the square of the length.",
    ]
