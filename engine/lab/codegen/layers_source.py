"""The model section of a generated script: the same layers `builders.py` makes, written out as code.

No TensorFlow here: custom layer classes are copied from `layers.py` as text (read from the file),
so rendering a script never imports Keras.
"""

from __future__ import annotations

import ast
from pathlib import Path

from ..data.datasets import LabData
from ..decisions.specs import CandidateSpec

RNN_CLASSES = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def source_of(module: str, name: str) -> str:
    """Source of a top-level class, function or assignment in a sibling module, read without importing it."""
    text = (Path(__file__).resolve().parents[1] / module).read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        names = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        if getattr(node, "name", None) == name or name in names:
            start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
            return "\n".join(text.splitlines()[start - 1:node.end_lineno])
    raise KeyError(f"{name} not found in {module}")


def word2vec_helpers() -> list[str]:
    return [source_of("data/word2vec.py", n) for n in ("SETTINGS", "skipgram_pairs", "train_word2vec")]


def _custom(name: str) -> str:
    source = source_of("models/layers.py", name)
    return source.replace("package=PACKAGE", 'package="dl_advisor"').replace("ops.", "keras.ops.")


def _input(data: LabData) -> str:
    if data.input_kind == "tokens":
        return f'inputs = keras.Input(shape=({data.seq_len},), dtype="int32")  # padded token ids, 0 = padding'
    shape = ", ".join(str(d) for d in data.x_train.shape[1:])
    return f"inputs = keras.Input(shape=({shape},))"


def model_code(spec: CandidateSpec, data: LabData) -> tuple[list[str], str]:
    """(custom layer sources, code that builds `model`)."""
    o, helpers, lines = spec.options, [], [_input(data)]
    embed = "h = layers.Embedding(VOCAB_SIZE, 32, mask_zero=True)(inputs)  # mask_zero: padding is ignored"
    if spec.decision == "text_encoding":
        if o["encoding"] == "one_hot":
            helpers.append(_custom("OneHot"))
            lines.append("h = OneHot(VOCAB_SIZE)(inputs)  # one 0/1 vector per token, padding masked")
        elif o["encoding"] == "learned":
            lines.append(embed.replace("32", str(o["embedding_dim"])))
        else:
            lines += [f"pretrained = layers.Embedding(VOCAB_SIZE, vectors.shape[1], mask_zero=True, "
                      f"trainable={o['trainable']})",
                      "h = pretrained(inputs)",
                      "pretrained.set_weights([vectors])  # frozen word2vec vectors" if not o["trainable"]
                      else "pretrained.set_weights([vectors])  # word2vec vectors, fine-tuned"]
        lines += ["h = layers.GlobalAveragePooling1D()(h)  # averages over real tokens only",
                  'h = layers.Dense(32, activation="relu")(h)']
    elif spec.decision == "sequence_model":
        lines.append(embed if data.input_kind == "tokens" else "h = inputs")
        stack = int(o.get("stack", 1))
        for depth in range(stack):
            more = depth < stack - 1
            lines.append(f"h = layers.{RNN_CLASSES[o['cell']]}({o['units']}"
                         + (", return_sequences=True)(h)  # the next layer needs every step" if more else ")(h)"))
    elif spec.decision == "overfitting":
        if data.input_kind == "tokens":
            lines += [embed, "h = layers.GlobalAveragePooling1D()(h)"]
        else:
            lines.append("h = inputs" if data.input_kind == "flat" else "h = layers.Flatten()(inputs)")
        l1, l2 = o.get("l1", 0.0), o.get("l2", 0.0)
        reg = f", kernel_regularizer=keras.regularizers.L1L2(l1={l1}, l2={l2})" if (l1 or l2) else ""
        for _ in range(2):
            lines.append(f'h = layers.Dense(256, activation="relu"{reg})(h)')
            if o.get("dropout"):
                lines.append(f"h = layers.Dropout({o['dropout']})(h)")
    elif spec.decision == "optimizer":
        lines.append("h = inputs")
        lines += ['h = layers.Dense(64, activation="relu")(h)'] * 2
    elif spec.decision == "transformer_architecture":
        helpers.append(_custom("TokenAndPositionEmbedding"))
        helpers.append(source_of("models/blocks.py", "_block"))
        arch = o["arch"]
        lines.append(f"h = TokenAndPositionEmbedding(VOCAB_SIZE, {data.seq_len}, 32)(inputs)")
        if arch == "encoder_only":
            lines.append('h = _block(h, h, 32, 4, "self", causal=False)  # every token sees every other')
        elif arch == "decoder_only":
            lines.append('h = _block(h, h, 32, 4, "self", causal=True)  # each token sees only itself and the past')
        else:
            lines += ['memory = _block(h, h, 32, 4, "self", causal=False)  # the encoder',
                      'd = _block(h, h, 32, 4, "decoder", causal=True)  # a causal decoder over the same tokens',
                      'h = _block(d, memory, 32, 4, "cross", causal=False)  # cross-attention to the encoder']
    else:
        arch = o["arch"]
        if arch == "transformer":
            helpers.append(_custom("TokenAndPositionEmbedding"))
            d, heads, rate = o["d_model"], o["num_heads"], o["dropout"]
            lines += [
                f"h = TokenAndPositionEmbedding(VOCAB_SIZE, {data.seq_len}, {d})(inputs)",
                f"attended = layers.MultiHeadAttention({heads}, key_dim={d // heads}, dropout={rate})(h, h)"
                "  # key_dim = d_model // heads",
                f"h = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([h, layers.Dropout({rate})(attended)]))",
                f'ff = layers.Dense({4 * d}, activation="relu")(h)  # feed-forward, 4x wider',
                f"ff = layers.Dropout({rate})(layers.Dense({d})(ff))",
                "h = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([h, ff]))  # residual + norm",
                "h = layers.GlobalAveragePooling1D()(h)",
            ]
        elif arch == "rnn_attention":
            lines += [embed, f"states = layers.LSTM({o['units']}, return_sequences=True)(h)",
                      "h = layers.Attention()([states, states])  # dot-product attention over the LSTM states",
                      "h = layers.GlobalAveragePooling1D()(h)"]
        else:
            lines += [embed, f"h = layers.{RNN_CLASSES[o['cell']]}({o['units']})(h)"]
    lines += [f'outputs = layers.Dense({data.n_classes}, activation="softmax")(h)',
              f'model = keras.Model(inputs, outputs, name="{spec.choice}")']
    return helpers, "\n".join(lines)
