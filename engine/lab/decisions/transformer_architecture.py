"""Encoder-only, decoder-only or encoder-decoder: Transformers of one size that differ in what each token sees.

Trained on look-ahead tagging (each token's tag is its right neighbour's parity), where a causal decoder
is capped at a computed ceiling. Also measured: how much attention each position puts on its right
neighbour, and one example's attention matrix, from the trained first self-attention layer.
"""

from __future__ import annotations

from ..data.lookahead import causal_ceiling
from ..results.judging import CLEAR_WIN, CLOSE, Check, Measured, Situation, at_least, cannot, parts
from ..results.power import power
from ..results.published import STATUS, Bank, Finding, Paper, mean, measurement, not_measured, paired
from .base import DataNeeds, LabDecision, Sweep, TrainConfig, specs


def build_model(options, data, name):
    """Token and position embedding -> Transformer block(s) with the architecture's masks -> a tag per token."""
    import keras
    from keras import layers

    from ..models.blocks import transformer_block
    from ..models.layers import TokenAndPositionEmbedding

    seq_len = data["x_train"].shape[1]
    inputs = keras.Input(shape=(seq_len,), dtype="int32", name="tokens")
    h = TokenAndPositionEmbedding(data["vocab_size"], seq_len, 32, name="embedding")(inputs)
    if options["arch"] == "encoder_only":
        h = transformer_block(h, h, 32, 4, "self", causal=False)  # every token sees every other
    elif options["arch"] == "decoder_only":
        h = transformer_block(h, h, 32, 4, "self", causal=True)  # each token sees only itself and the past
    else:
        memory = transformer_block(h, h, 32, 4, "self", causal=False)  # the encoder
        d = transformer_block(h, h, 32, 4, "decoder", causal=True)  # a causal decoder over the same tokens
        h = transformer_block(d, memory, 32, 4, "cross", causal=False)  # cross-attention to the encoder
    outputs = layers.Dense(data["n_classes"], activation="softmax", name="classes")(h)
    return keras.Model(inputs, outputs, name=name)


def judge(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    """On look-ahead tagging: who passes the causal ceiling, and at what size."""
    me = results[choice]
    ceiling = causal_ceiling(situation.seq_len) if situation.seq_len >= 2 else 0.5
    if choice == "decoder_only":
        return cannot(f"The claim is about open-ended generation; this task is tagging, where a causal decoder "
                      f"cannot pass {ceiling:.1%} (it never sees the token to the right).")
    past = at_least(f"clearly past the causal ceiling of {ceiling:.1%}", me.acc, ceiling, CLEAR_WIN)
    if choice == "encoder_only":
        both = results.get("encoder_decoder")
        if both is None:
            return parts(past)
        return parts(past, at_least("about as accurate as the encoder-decoder", me.acc, both.acc, -CLOSE),
                     ("fewer parameters than the encoder-decoder", me.params < both.params))
    return parts(past)


def extras(spec, model, data, history, initial) -> dict:
    """The trained first self-attention layer's weights: the share on the right neighbour, and one example."""
    from ..data.lookahead import attention_rows, right_neighbour_share
    from ..models.probes import attention_scores

    scores = attention_scores(model, data.x_val[:64], causal=spec.options["arch"] == "decoder_only")
    return {"right_neighbour_attention": right_neighbour_share(scores),
            "attention_example": {"tokens": [int(t) for t in data.x_val[0]],
                                  "weights": attention_rows(scores, 0).round(3).tolist()}}



def bidirectional_context(bank: Bank) -> Finding:
    """Devlin et al. (BERT): bidirectional context beats left-to-right context on token-level tasks."""
    found = measurement(bank, "lookahead_tagging")
    if found is None:
        return not_measured("look-ahead tagging")
    enc, dec = found["metric"]["encoder_only"], found["metric"]["decoder_only"]
    diff = power(paired(enc, dec), 0.0)
    ceiling = causal_ceiling(int(bank["lookahead_tagging"]["sweep"]["settings"].get("seq_len", 12)))
    text = (f"Tagging each token by its right neighbour: encoder-only {mean(enc):.1%}, decoder-only {mean(dec):.1%} "
            f"(its ceiling {ceiling:.1%}); difference {diff.difference.mean:+.3f} (95% interval "
            f"{diff.difference.low:+.3f} to {diff.difference.high:+.3f}). A task built to need the right context, so "
            "this shows the mechanism, not BERT's benchmark gains.")
    return Finding(STATUS.get(diff.outcome, "too few seeds to tell"), text)


DECISION = LabDecision(
    id="transformer_architecture",
    candidates=specs(
        "transformer_architecture",
        ("encoder_only", "Encoder-only (BERT-like)",
         "one self-attention block where every token sees every other (bidirectional)", {"arch": "encoder_only"}),
        ("decoder_only", "Decoder-only (GPT-like)",
         "the same block with a causal mask: each token sees itself and the tokens before it",
         {"arch": "decoder_only"}),
        ("encoder_decoder", "Encoder-decoder (T5-like)",
         "an encoder block, a causal decoder block over the same tokens, and cross-attention from the decoder to "
         "the encoder", {"arch": "encoder_decoder"}),
    ),
    train=TrainConfig(epochs=10, batch_size=64, learning_rate=5e-3),
    datasets=("lookahead_tags",),
    build=build_model,
    claims={
        "encoder_only": "For classification and tagging an encoder-only model fits: it reads context on both "
                        "sides, and needs no decoder.",
        "decoder_only": "For open-ended generation a decoder-only model fits: it predicts each token from the "
                        "ones before it.",
        "encoder_decoder": "For sequence-to-sequence tasks an encoder-decoder reads the whole input, then writes "
                           "the output attending to it.",
    },
    judge=judge,
    needs=DataNeeds(input_kinds=("tokens",)),
    extras=extras,
    measurements=(
        Sweep("transformer_architecture", "lookahead_tags", "examples", "labelled_examples", "sequences", (2500,),
              name="lookahead_tagging", candidates=("encoder_only", "decoder_only"), epochs=20,
              # A tag per token: the runner's rescoring of restored weights and of a test split reads one label
              # per example, so this measurement trains its 20 epochs at the usual rate and is scored on the
              # validation split, which chose nothing here (no early stopping, no rate picked).
              patience=None, learning_rate_factors=(), test_split=False,
              metric="val_accuracy", extra_metrics=("epochs_run",)),
    ),
    papers=(Paper("bidirectional", "transformer_architecture", "Devlin, Chang, Lee & Toutanova 2019",
                  "Bidirectional (encoder) context beats left-to-right (decoder) context on token-level tasks.",
                  bidirectional_context),),
)
