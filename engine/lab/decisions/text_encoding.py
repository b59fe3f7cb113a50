"""One-hot, a learned embedding, or pretrained vectors: the same text classifier with one of three encodings.

Trained on made-up topic sentences with few labels (the default) or on real English (the standard
library's docstrings, with GloVe as the pretrained vectors). Everything after the encoding (an average
over the real tokens, one hidden layer) is the same for all three.
"""

from __future__ import annotations

from ..results.judging import TIE, Check, Measured, Situation, at_least, best_other, cannot, more_than, parts
from .base import DataNeeds, LabDecision, Sweep, TrainConfig, specs


def build_model(options, data, name):
    """Token ids -> one-hot, learned or pretrained vectors -> average over real tokens -> Dense(32) -> softmax."""
    import keras
    from keras import layers

    from ..models.layers import OneHot

    inputs = keras.Input(shape=data["x_train"].shape[1:], dtype="int32", name="tokens")
    if options["encoding"] == "one_hot":
        h = OneHot(data["vocab_size"], name="one_hot")(inputs)
    elif options["encoding"] == "learned":
        h = layers.Embedding(data["vocab_size"], options["embedding_dim"], mask_zero=True, name="embedding")(inputs)
    else:
        # "vectors": "word2vec" is the home-made candidate (word2vec on this data's training texts only).
        vectors = data["word2vec"] if options.get("vectors") == "word2vec" else data["vectors"]
        embedding = layers.Embedding(data["vocab_size"], vectors.shape[1], mask_zero=True,
                                     trainable=options["trainable"], name="pretrained_embedding")
        h = embedding(inputs)
        # Set after building rather than via a Constant initializer, which would copy the matrix into the config.
        embedding.set_weights([vectors])
    h = layers.GlobalAveragePooling1D(name="average")(h)  # masked: padding does not dilute the average
    h = layers.Dense(32, activation="relu", name="hidden")(h)
    outputs = layers.Dense(data["n_classes"], activation="softmax", name="classes")(h)
    return keras.Model(inputs, outputs, name=name)


def judge(results: dict[str, Measured], choice: str, situation: Situation) -> Check:
    me = results[choice]
    if choice == "pretrained_embedding":
        learned = results.get("learned_embedding")
        if learned is None:
            return cannot("No embedding learned from scratch was measured to compare with.")
        return parts(more_than("more accurate than an embedding learned from scratch", me.acc, learned.acc, TIE))
    other = best_other(results, choice)
    if other is None:
        return cannot("No alternative was measured.")
    return parts(at_least("about as accurate as the best alternative", me.acc, other.acc, -TIE))


DECISION = LabDecision(
    id="text_encoding",
    candidates=specs(
        "text_encoding",
        ("one_hot", "One-hot", "each token becomes a vocabulary-sized 0/1 vector (nothing learned in the encoding)",
         {"encoding": "one_hot"}),
        ("learned_embedding", "Learned embedding",
         "an Embedding layer initialised at random and learned from the labelled set only",
         {"encoding": "learned", "embedding_dim": 32}),
        ("pretrained_embedding", "Pretrained embedding (frozen)",
         "an Embedding layer holding pretrained vectors (GloVe on English text), kept frozen",
         {"encoding": "pretrained", "embedding_dim": 32, "trainable": False}),
    ),
    train=TrainConfig(epochs=15, batch_size=32, learning_rate=1e-2),
    datasets=("topics", "stdlib_docs"),
    build=build_model,
    claims={
        "one_hot": "With a small vocabulary, one-hot vectors are the simplest encoding and work fine.",
        "learned_embedding": "With a large vocabulary, a learned embedding gives compact vectors that capture "
                             "word similarity (but needs a lot of data to learn from scratch).",
        "pretrained_embedding": "With little labelled data, pretrained embeddings transfer what was learned from "
                                "unlabelled text and beat embeddings learned from scratch.",
    },
    judge=judge,
    needs=DataNeeds(input_kinds=("tokens",), pretrained_vectors=True, one_hot_vocabulary=True),
    sweep=Sweep("text_encoding", "stdlib_docs", "labelled", "labelled_examples", "labelled examples",
                (35, 70, 175, 350, 700, 1260), base_answers={"vocab_size": 5000, "encoding_need": "semantic_meaning"},
                effect=TIE, chance=1 / 7,
                note="Real English (Python's own docstrings, 7 topics); the pretrained candidate is frozen GloVe. The "
                     "set has 1,260 training paragraphs, so the sweep stops well below the rule's 10,000: it shows "
                     "whether pretrained vectors win with little data, not where learned ones take over."),
)
