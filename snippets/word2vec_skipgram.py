"""
Title: Word2Vec skip-gram with negative sampling, in miniature
Topic: Text encodings & embeddings (Wednesday)

Skip-gram learns a vector per word by predicting which words appear around a centre word
(CBOW does the reverse: predict the centre word from its context). Each (centre, context) pair
is a positive example; random words give negative examples. The dot product of the two words'
vectors, through a sigmoid, says "were these seen together?". Words used in similar contexts end
up with similar vectors. With large corpora, vector arithmetic such as king - man + woman lands
near queen; a toy corpus like this one only shows neighbours forming.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

sentences = [
    "the king rules the kingdom", "the queen rules the kingdom",
    "the man walks in the city", "the woman walks in the city",
    "a king and a queen", "a man and a woman",
    "the dog chases the cat", "the cat chases the mouse",
] * 20
vocab = sorted({w for s in sentences for w in s.split()})
index = {w: i for i, w in enumerate(vocab)}

# Skip-gram pairs: (centre, context) for every word within 2 positions, plus 2 negatives each.
centres, contexts, labels = [], [], []
for sentence in sentences:
    ids = [index[w] for w in sentence.split()]
    for i, centre in enumerate(ids):
        for j in range(max(0, i - 2), min(len(ids), i + 3)):
            if i != j:
                centres += [centre] * 3
                contexts += [ids[j], *rng.integers(0, len(vocab), 2)]
                labels += [1, 0, 0]
centres, contexts, labels = np.array(centres), np.array(contexts), np.array(labels, dtype="float32")
print(f"{len(vocab)} words, {int(labels.sum())} positive and {int((1 - labels).sum())} negative pairs")

dim = 8
centre_in, context_in = keras.Input(shape=(), dtype="int32"), keras.Input(shape=(), dtype="int32")
centre_emb = layers.Embedding(len(vocab), dim, name="word_vectors")
score = layers.Dot(axes=1)([centre_emb(centre_in), layers.Embedding(len(vocab), dim)(context_in)])
model = keras.Model([centre_in, context_in], layers.Activation("sigmoid")(score))
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
history = model.fit([centres, contexts], labels, epochs=5, batch_size=256, verbose=0)
print("loss per epoch:", [round(v, 3) for v in history.history["loss"]])

vectors = keras.ops.convert_to_numpy(centre_emb.embeddings)
unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
for word in ["king", "man", "cat"]:
    sims = unit @ unit[index[word]]
    nearest = [vocab[i] for i in np.argsort(-sims)[1:4]]
    print(f"nearest to {word!r}: {nearest}")
