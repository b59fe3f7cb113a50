"""One-hot, a learned embedding, or pretrained vectors: the same text classifier with one of three encodings.

Trained on made-up topic sentences with few labels (the default) or on real English (the standard
library's docstrings, with GloVe as the pretrained vectors). Everything after the encoding (an average
over the real tokens, one hidden layer) is the same for all three.
"""

from __future__ import annotations

from ..results.judging import TIE, Check, Measured, Situation, at_least, best_other, cannot, more_than, parts
from ..results.power import power
from ..results.published import STATUS, Bank, Finding, Paper, mean, measurement, not_measured, paired, point
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



def pretrained_small_data(bank: Bank) -> Finding:
    """Pretrained vectors help most when labelled data is scarce, and the help shrinks as it grows."""
    document = bank.get("text_encoding")
    if not document or len(document.get("points", [])) < 2:
        return not_measured("text_encoding sweep")
    first, last = (point(bank, "text_encoding", at) for at in (min, max))
    gains = [power(paired(p["metric"]["pretrained_embedding"], p["metric"]["learned_embedding"]), 0.0)
             for p in (first, last)]
    text = (f"Frozen GloVe minus a learned embedding: {gains[0].difference.mean:+.3f} at {first['x']:g} labelled "
            f"examples (95% interval {gains[0].difference.low:+.3f} to {gains[0].difference.high:+.3f}), "
            f"{gains[1].difference.mean:+.3f} at {last['x']:g} ({gains[1].difference.low:+.3f} to "
            f"{gains[1].difference.high:+.3f}).")
    if gains[0].outcome == "above" and gains[1].difference.mean < gains[0].difference.mean:
        return Finding("reproduced", text)
    if gains[0].outcome == "too_few_seeds":
        return Finding("too few seeds to tell", text + " " + gains[0].sentence("At the smallest size, the gain"))
    return Finding("not reproduced", text + " With the least labelled data the pretrained vectors were not clearly "
                   "better here.")


def order_blind_beats_sequence(bank: Bank) -> Finding:
    """Google's text-classification guide: with samples / words-per-sample under 1,500, an order-blind model beats
    a sequence model on real text."""
    gru = measurement(bank, "stdlib_docs_gru")
    found = point(bank, "text_encoding", max)
    if gru is None or found is None:
        return not_measured("GRU-on-real-text")
    words = mean(gru.get("extra", {}).get("answer:typical_length", {}).get("gru", [0.0])) or 1.0
    blind, sequence = found["metric"]["learned_embedding"], gru["metric"]["gru"]
    diff = power(paired(blind, sequence), 0.0)
    text = (f"Real English (Python's docstrings), {found['x']:g} labelled paragraphs of about {words:.0f} words "
            f"(S/W = {found['x'] / words:.0f}): averaged learned embeddings, blind to word order, "
            f"{mean(blind):.1%} against a GRU reading the same words in order {mean(sequence):.1%}; difference "
            f"{diff.difference.mean:+.3f} (95% interval {diff.difference.low:+.3f} to {diff.difference.high:+.3f}).")
    return Finding(STATUS.get(diff.outcome, "too few seeds to tell"), text)


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
    measurements=(
        # Google's guide compares an order-blind model with a sequence model on real text: the sequence model's
        # GRU on the same docstrings, the same seeds and the same protocol as this decision's sweep at 1,260.
        Sweep("sequence_model", "stdlib_docs", "labelled", "labelled_examples", "labelled examples", (1260,),
              name="stdlib_docs_gru", candidates=("gru",), epochs=30, metric="test_accuracy",
              extra_metrics=("val_accuracy", "epochs_run", "learning_rate_factor", "answer:typical_length")),
    ),
    papers=(
        Paper("order_blind", "text_encoding", "Google, Text classification guide (2018)",
              "When samples divided by words per sample is under 1,500, an order-blind (n-gram) model beats a "
              "sequence model.", order_blind_beats_sequence),
        Paper("pretrained_small", "text_encoding", "Pennington et al. 2014 (GloVe); Kim 2014; Howard & Ruder 2018",
              "Pretrained word vectors help most when labelled data is scarce; the help shrinks as labels grow.",
              pretrained_small_data),
    ),
    sweep=Sweep("text_encoding", "stdlib_docs", "labelled", "labelled_examples", "labelled examples",
                (35, 70, 175, 350, 700, 1260), base_answers={"vocab_size": 5000, "encoding_need": "semantic_meaning"},
                effect=TIE, chance=1 / 7, epochs=30, metric="test_accuracy",
                extra_metrics=("val_accuracy", "epochs_run", "learning_rate_factor"),
                note="Real English (Python's own docstrings, 7 topics); the pretrained candidate is frozen GloVe. The "
                     "set has 1,260 training paragraphs, so the sweep stops well below the rule's 10,000: it shows "
                     "whether pretrained vectors win with little data, not where learned ones take over."),
)
