"""Runnable checks behind errata.toml: each test shows, on the installed Keras 3 / TensorFlow, that
the cheatsheet's version is wrong or outdated and that the correction the project teaches (the one
its snippet uses) works. errata.toml names these tests; the coverage test checks each one exists.

TensorFlow starts in the `keras` fixture, not at import, so collecting this file for the fast
subset (`-m "not slow"`) does not start it.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

pytestmark = [
    pytest.mark.slow,
    # Keras' own HDF5 code trips a NumPy 2 deprecation notice; it is not what these tests are about.
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tf(keras):
    return pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def layers(keras):
    return keras.layers


def test_gradient_tape_method_is_singular(tf):
    assert not hasattr(tf.GradientTape, "gradients")
    w = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        loss = w * w
    assert float(tape.gradient(loss, [w])[0]) == pytest.approx(6.0)


def test_l2_regularizer_adds_lambda_sum_of_squares_to_the_loss(keras, layers):
    # The correction `keras.regularizers.l2(0.001)` (the cheatsheet's `.12(...)` does not even parse),
    # used as regularization.py uses it: the layer's penalty lands in model.losses.
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, kernel_regularizer=keras.regularizers.l2(0.001))])
    model(np.zeros((1, 3), "float32"))
    kernel = keras.ops.convert_to_numpy(model.layers[0].kernel)
    penalty = float(sum(keras.ops.convert_to_numpy(loss) for loss in model.losses))
    assert penalty == pytest.approx(0.001 * float(np.sum(kernel**2)), rel=1e-5)
    assert penalty > 0


def test_keras3_has_no_text_tokenizer(keras, layers):
    with pytest.raises(ModuleNotFoundError):
        __import__("keras.preprocessing.text")
    legacy = __import__("keras.src.legacy.preprocessing.text", fromlist=["Tokenizer"])
    assert "DEPRECATED" in (legacy.Tokenizer.__doc__ or "")
    # The correction, as in text_vectorization.py: adapt builds the vocabulary, calling the layer maps text to ids.
    vectorizer = layers.TextVectorization(output_sequence_length=4)
    vectorizer.adapt(["the cat sat", "the dog"])
    ids = keras.ops.convert_to_numpy(vectorizer(["the zebra sat"])).tolist()[0]
    vocab = vectorizer.get_vocabulary()
    assert ids == [vocab.index("the"), 1, vocab.index("sat"), 0]  # unseen -> 1 ([UNK]), padding -> 0


def test_legacy_word_index_starts_at_one(layers):
    legacy = __import__("keras.src.legacy.preprocessing.text", fromlist=["Tokenizer"])
    tokenizer = legacy.Tokenizer()
    tokenizer.fit_on_texts(["a b c", "a b"])
    assert min(tokenizer.word_index.values()) == 1
    assert max(tokenizer.word_index.values()) == len(tokenizer.word_index)  # needs input_dim = len + 1
    # The correction: TextVectorization's vocabulary_size() already counts padding (0) and [UNK] (1).
    vectorizer = layers.TextVectorization()
    vectorizer.adapt(["a b c", "a b"])
    assert vectorizer.get_vocabulary()[:2] == ["", "[UNK]"]
    assert vectorizer.vocabulary_size() == 3 + 2


def test_embedding_input_length_is_deprecated(keras, layers):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layers.Embedding(10, 4, input_length=5)
    assert any("input_length" in str(w.message) and "deprecated" in str(w.message) for w in caught)
    # The correction: the length comes from keras.Input, as in embedding_layer.py.
    model = keras.Sequential([keras.Input(shape=(5,), dtype="int32"), layers.Embedding(input_dim=10, output_dim=4)])
    assert model.output_shape == (None, 5, 4)


def test_pad_sequences_lives_in_keras_utils(keras):
    padded = keras.utils.pad_sequences([[1, 2], [3]], maxlen=3, padding="post")
    assert padded.tolist() == [[1, 2, 0], [3, 0, 0]]


def test_input_shape_on_layer_warns(keras, layers):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.Sequential([layers.Dense(2, input_shape=(3,))])
    assert any("input_shape" in str(w.message) for w in caught)
    with warnings.catch_warnings(record=True) as caught:  # the correction, as in autoencoder.py: no warning
        warnings.simplefilter("always")
        model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2)])
    assert not any("input_shape" in str(w.message) for w in caught)
    assert model.output_shape == (None, 2)


@pytest.fixture
def tiny_model(keras, layers):
    return keras.Sequential([keras.Input((3,)), layers.Dense(2)])


def test_save_to_folder_raises(tiny_model, tmp_path):
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        tiny_model.save(str(tmp_path / "model_dir"))
    tiny_model.save(str(tmp_path / "model.keras"))


def test_load_model_reads_back_the_keras_file(keras, tiny_model, tmp_path):
    # The correction keras.models.load_model('model.keras'), on a file saved as save_load.py saves it.
    path = str(tmp_path / "model.keras")
    tiny_model.save(path)
    restored = keras.models.load_model(path)
    x = np.random.rand(4, 3).astype("float32")
    assert np.allclose(restored.predict(x, verbose=0), tiny_model.predict(x, verbose=0))


def test_save_weights_needs_weights_h5(tiny_model, tmp_path):
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        tiny_model.save_weights(str(tmp_path / "weights.h5"))
    tiny_model.save_weights(str(tmp_path / "model.weights.h5"))


def test_position_embedding_outside_a_layer_is_not_trained(keras, tf, layers):
    inputs = keras.Input((None,), dtype="int32")
    tokens = layers.Embedding(50, 8)(inputs)
    positions = layers.Embedding(10, 8)(tf.range(10))  # the cheatsheet's pattern, with the name fixed
    model = keras.Model(inputs, tokens + positions)
    assert len(model.trainable_weights) == 1  # only the token table: the position vectors are constants
    with pytest.raises(Exception, match="Incompatible shapes"):
        model(np.zeros((2, 7), "int32"))


def test_rnn_without_return_sequences_cannot_feed_lstm(keras, layers):
    with pytest.raises(ValueError, match="expected ndim=3"):
        keras.Sequential([keras.Input((5, 3)), layers.SimpleRNN(4), layers.LSTM(4)])
    stacked = keras.Sequential([keras.Input((5, 3)), layers.LSTM(4, return_sequences=True), layers.LSTM(4)])
    assert stacked.output_shape == (None, 4)


def test_masking_after_embedding_masks_nothing(keras, layers):
    ids = np.array([[3, 4, 0, 0]])
    embedded = layers.Embedding(10, 4)(ids)
    assert bool(np.all(keras.ops.convert_to_numpy(layers.Masking(0.0).compute_mask(embedded))))
    mask = layers.Embedding(10, 4, mask_zero=True).compute_mask(ids)
    assert keras.ops.convert_to_numpy(mask).tolist() == [[True, True, False, False]]


def test_multi_head_key_dim_must_be_int_but_is_free(layers):
    with pytest.raises(ValueError, match="key_dim"):
        layers.MultiHeadAttention(num_heads=4, key_dim=32 / 4)
    x = np.random.rand(1, 5, 32).astype("float32")
    for key_dim in (8, 32, 3):
        assert tuple(layers.MultiHeadAttention(num_heads=4, key_dim=key_dim)(x, x).shape) == (1, 5, 32)


def test_keras_sgd_momentum_is_not_the_ema_form(keras):
    beta, lr, g = 0.9, 0.1, 2.0
    w = keras.Variable(np.array([1.0], "float32"))
    opt = keras.optimizers.SGD(learning_rate=lr, momentum=beta)
    for _ in range(2):
        opt.apply_gradients([(keras.ops.convert_to_tensor([g]), w)])
    v = 0.0  # Keras form: v = beta*v - lr*g; w = w + v
    expected = 1.0
    for _ in range(2):
        v = beta * v - lr * g
        expected += v
    ema_v, ema_w = 0.0, 1.0  # the cheatsheet's EMA form
    for _ in range(2):
        ema_v = beta * ema_v + (1 - beta) * g
        ema_w -= lr * ema_v
    assert float(w.numpy()[0]) == pytest.approx(expected, rel=1e-5)
    assert float(w.numpy()[0]) != pytest.approx(ema_w, rel=1e-2)


def test_keras_l2_penalty_is_lambda_sum_of_squares(keras):
    weights = np.array([[1.0, -2.0], [0.5, 3.0]], "float32")
    penalty = float(keras.regularizers.l2(0.01)(weights))
    assert penalty == pytest.approx(0.01 * float(np.sum(weights**2)), rel=1e-6)


def test_lstm_has_four_weight_blocks_gru_three(layers):
    lstm, gru = layers.LSTM(8), layers.GRU(8)
    x = np.zeros((1, 3, 5), "float32")
    lstm(x)
    gru(x)
    assert tuple(lstm.weights[0].shape) == (5, 4 * 8)
    assert tuple(gru.weights[0].shape) == (5, 3 * 8)


def test_adam_keeps_two_slots_per_weight(keras):
    w = keras.Variable(np.ones(3, "float32"))
    adam, sgd = keras.optimizers.Adam(), keras.optimizers.SGD()
    adam.build([w])
    sgd.build([w])
    per_weight = [v for v in adam.variables if tuple(v.shape) == (3,)]
    assert len(per_weight) == 2
    assert not [v for v in sgd.variables if tuple(v.shape) == (3,)]


def test_stop_gradient_blocks_the_gradient(tf):
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        loss = w * tf.stop_gradient(w)
    assert float(tape.gradient(loss, w)) == pytest.approx(2.0)  # only the unblocked path counts
