"""
Title: Byte-pair encoding (BPE) from scratch
Topic: Tokenization (Wednesday)

BPE learns a sub-word vocabulary: start from single characters, count every adjacent pair of
symbols in the corpus, merge the most frequent pair into one new symbol, and repeat. A word never
seen in training is then split into the longest known pieces instead of becoming [UNK].
Which pieces appear depends on frequencies in the corpus, not on grammar: BPE does not know that
"un" is a prefix unless the data makes it frequent. (Real projects use trained tokenizers such as
SentencePiece or Hugging Face tokenizers; this pure-Python loop shows the idea.)
"""

from collections import Counter
from itertools import pairwise

corpus = "low lower lowest newer newest wider widest happy unhappy happiness unhappiness kind unkind"
END = "</w>"  # marks the end of a word so "est" at the end differs from "est" inside a word

# Each word as a tuple of symbols, with its count.
words = Counter(tuple(word) + (END,) for word in corpus.split())


def pair_counts(vocab):
    pairs = Counter()
    for symbols, count in vocab.items():
        for pair in pairwise(symbols):
            pairs[pair] += count
    return pairs


def merge(vocab, pair):
    merged = {}
    for symbols, count in vocab.items():
        out, i = [], 0
        while i < len(symbols):
            if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
                out.append(symbols[i] + symbols[i + 1])
                i += 2
            else:
                out.append(symbols[i])
                i += 1
        merged[tuple(out)] = count
    return merged


merges = []
for step in range(25):
    pairs = pair_counts(words)
    if not pairs:
        break
    best, freq = max(pairs.items(), key=lambda item: (item[1], item[0]))
    words = merge(words, best)
    merges.append(best)
    if step < 8:
        print(f"merge {step + 1:2d}: {best[0]!r} + {best[1]!r} (seen {freq} times)")

print(f"... {len(merges)} merges learned")


def tokenize(word):
    """Apply the learned merges, in the order they were learned, to a new word."""
    symbols = tuple(word) + (END,)
    for pair in merges:
        symbols = tuple(merge({symbols: 1}, pair))[0]
    return list(symbols)


for word in ["lowest", "unhappiness", "unkindest", "slower"]:
    print(f"{word:12} -> {tokenize(word)}")
