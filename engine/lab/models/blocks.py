"""The Transformer block the architecture comparison's three models share.

One block: multi-head attention (self-attention when `context` is `h`, cross-attention otherwise,
causally masked on request), a residual and layer norm, a 4x feed-forward, another residual and layer
norm. Encoder-only, decoder-only and encoder-decoder models differ only in how they wire these blocks
(engine/lab/decisions/transformer_architecture.py). Imports Keras: import only from training code.
"""

from __future__ import annotations

from keras import layers


def transformer_block(h, context, d_model: int, heads: int, name: str, causal: bool):
    """Attend from `h` to `context` (causally if asked), then feed forward; residuals and layer norm around both."""
    attended = layers.MultiHeadAttention(heads, key_dim=d_model // heads, name=f"{name}_attention")(
        h, context, use_causal_mask=causal)
    h = layers.Add(name=f"{name}_residual_1")([h, attended])
    h = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_norm_1")(h)
    ff = layers.Dense(d_model, name=f"{name}_project")(
        layers.Dense(4 * d_model, activation="relu", name=f"{name}_feed_forward")(h))
    h = layers.Add(name=f"{name}_residual_2")([h, ff])
    return layers.LayerNormalization(epsilon=1e-6, name=f"{name}_norm_2")(h)
