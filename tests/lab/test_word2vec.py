"""Word vectors trained here on the unlabelled corpus: same-topic words end up closer than other-topic words."""

import numpy as np
import pytest

from engine.lab.data.generators import make_topic_texts

pytestmark = [pytest.mark.training,
              pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from engine.lab.data.samples import token_ids as _ids
    from engine.lab.data.samples import vectorizer
    from engine.lab.data.word2vec import cached_word2vec

    corpus, _, topics = make_topic_texts(3000, seed=1, max_len=16)
    layer = vectorizer(corpus, 16)
    vocabulary = layer.get_vocabulary()
    cache = tmp_path_factory.mktemp("cache")
    vectors = cached_word2vec(_ids(layer, corpus), len(vocabulary), seed=0, cache_dir=cache)
    return vectors, vocabulary, topics, cache, _ids(layer, corpus)


def test_words_of_one_topic_are_closer_than_words_of_different_topics(trained):
    from engine.lab.data.word2vec import cosine

    vectors, vocabulary, topics, _, _ = trained
    index = {w: i for i, w in enumerate(vocabulary)}
    common = [[index[w] for w in words[:10] if w in index] for words in topics]  # the frequent ones
    same = [cosine(vectors, a, b) for group in common for a in group for b in group if a < b]
    other = [cosine(vectors, a, b) for g1 in range(len(common)) for g2 in range(g1 + 1, len(common))
             for a in common[g1] for b in common[g2]]
    assert np.mean(same) > np.mean(other) + 0.3, (np.mean(same), np.mean(other))
    # and for each word, its nearest neighbours are mostly from its own topic
    from engine.lab.data.word2vec import nearest

    word = topics[0][0]
    neighbours = [w for w, _ in nearest(vectors, vocabulary, word, k=5)]
    assert sum(w in topics[0] for w in neighbours) >= 4, neighbours


def test_vectors_are_cached_under_the_runs_root_and_reused(trained):
    from engine.lab.data.word2vec import cached_word2vec

    vectors, vocabulary, _, cache, ids = trained
    files = list(cache.glob("word2vec-*.npy"))
    assert len(files) == 1
    again = cached_word2vec(ids, len(vocabulary), seed=0, cache_dir=cache)
    np.testing.assert_array_equal(again, vectors)
    assert len(list(cache.glob("*"))) == 1  # reused, no temporary left behind
