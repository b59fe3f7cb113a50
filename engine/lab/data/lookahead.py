"""The Transformer-architecture comparison's task: tag each token by the token to its right.

Each example is a sequence of random tokens; the tag of a position is the parity (odd or even) of the
*next* token, and the last position, which has no right neighbour, is tagged by its own parity. A
bidirectional encoder sees the right neighbour and can reach 100%. A causally masked decoder never sees
it: the next token is drawn independently of everything before it, so no decoder can beat a coin toss on
the first L-1 positions, and its accuracy is capped at (L-1)/L * 1/2 + 1/L, computed by `causal_ceiling`.
An encoder-decoder reads the whole input through cross-attention, so it can solve the task as well, at
about twice the parameters. NumPy only; the Keras models are in `arch_models.py`.
"""

from __future__ import annotations

import numpy as np

VOCAB = 17  # ids 1..16 are tokens (eight odd, eight even), 0 is padding and never used here


def make_lookahead_tags(examples: int, seq_len: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`examples` sequences of `seq_len` tokens and their tags (0 = even, 1 = odd), both int32."""
    if seq_len < 2:
        raise ValueError(f"seq_len must be at least 2 so a token has a right neighbour; got {seq_len}.")
    rng = np.random.default_rng(seed)
    x = rng.integers(1, VOCAB, size=(examples, seq_len), dtype=np.int32)
    right = np.concatenate([x[:, 1:], x[:, -1:]], axis=1)  # the last token is its own "right neighbour"
    return x, (right % 2).astype(np.int32)


def causal_ceiling(seq_len: int) -> float:
    """The best token accuracy any model that sees only the left context can expect on this task."""
    return ((seq_len - 1) * 0.5 + 1.0) / seq_len


def attention_rows(scores: np.ndarray, example: int = 0, head: int | None = None) -> np.ndarray:
    """One example's attention matrix (query position x key position), averaged over heads unless one is named.

    `scores` has the shape Keras' MultiHeadAttention returns: (batch, heads, queries, keys).
    """
    chosen = scores[example]
    matrix = chosen.mean(axis=0) if head is None else chosen[head]
    return np.asarray(matrix, dtype=float)


def right_neighbour_share(scores: np.ndarray) -> float:
    """The average attention weight each position puts on its right neighbour (chance is 1 / length).

    A model that learned this task's rule looks one step to the right; this is the number that says
    whether the heat map shows that, across all examples and heads rather than one picked by eye.
    """
    length = scores.shape[-1]
    queries = np.arange(length - 1)
    return float(scores[..., queries, queries + 1].mean())
