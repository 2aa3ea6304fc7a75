"""The three tasks of Elman (1990), "Finding structure in time", as data generators.

* :func:`temporal_xor` - a bit stream in which every third bit is the XOR of the two before it.
* :func:`letter_sequence` - consonants b, d, g, each followed by its vowel run
  (b -> ba, d -> dii, g -> guuu), letters coded as binary feature vectors.
* :func:`word_sequence` - sentences of :mod:`course_utils.core.grammar` joined into one
  stream of one-hot words, for next-word prediction.
* :func:`letter_stream` - the same sentences spelt out letter by letter with no spaces,
  for Elman's word-boundary experiment (next-letter error peaks at word onsets).

All return ``(x, y)`` with ``y`` the next element of the stream (next-step prediction),
shaped ``(1, time, features)`` so they feed a recurrent layer directly.
"""

from __future__ import annotations

import numpy as np

from course_utils.core import grammar
from course_utils.core.validation import check_int
from course_utils.tasks._rng import as_generator

__all__ = [
    "temporal_xor",
    "LETTER_FEATURES",
    "FEATURE_NAMES",
    "CONSONANT_PATTERNS",
    "letter_sequence",
    "word_sequence",
    "LETTERS",
    "letter_stream",
]


def temporal_xor(n_triplets: int, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """A stream of ``3 * n_triplets`` bits: two random bits, then their XOR, repeated.

    Returns ``x`` of shape ``(1, 3n - 1, 1)`` and ``y = x`` shifted by one step, so
    ``y[0, t]`` is the bit that follows ``x[0, t]``. The position of a target within
    its triplet is ``(t + 1) % 3``; position 2 is the predictable XOR bit.
    """
    n_triplets = check_int("n_triplets", n_triplets, minimum=1)
    rng = as_generator(seed)
    pairs = rng.integers(0, 2, size=(n_triplets, 2))  # (n, 2)
    bits = np.concatenate([pairs, pairs[:, :1] ^ pairs[:, 1:]], axis=1).reshape(-1)  # (3n,)
    stream = bits.astype("float32")[None, :, None]  # (1, 3n, 1)
    return stream[:, :-1], stream[:, 1:]


# Six binary features per letter (our own coding in the spirit of Elman's table).
FEATURE_NAMES = ("consonant", "vowel", "interrupted", "high", "back", "voiced")
LETTER_FEATURES: dict[str, tuple[int, ...]] = {
    "b": (1, 0, 1, 0, 0, 1),
    "d": (1, 0, 1, 1, 0, 1),
    "g": (1, 0, 1, 0, 1, 1),
    "a": (0, 1, 0, 0, 1, 1),
    "i": (0, 1, 0, 1, 0, 1),
    "u": (0, 1, 0, 1, 1, 1),
}
CONSONANT_PATTERNS = {"b": "ba", "d": "dii", "g": "guuu"}


def letter_sequence(n_consonants: int, seed=0) -> tuple[np.ndarray, np.ndarray, str]:
    """Random consonants, each expanded to its pattern (b -> ba, d -> dii, g -> guuu).

    Returns ``(x, y, letters)``: ``x`` of shape ``(1, L - 1, 6)`` holds the feature
    vectors, ``y`` the next letter's features, and ``letters`` the string itself
    (``letters[t + 1]`` is the letter predicted at step ``t``).
    """
    n_consonants = check_int("n_consonants", n_consonants, minimum=1)
    rng = as_generator(seed)
    consonants = rng.choice(list(CONSONANT_PATTERNS), size=n_consonants)
    letters = "".join(CONSONANT_PATTERNS[c] for c in consonants)
    features = np.array([LETTER_FEATURES[ch] for ch in letters], dtype="float32")  # (L, 6)
    return features[None, :-1], features[None, 1:], letters


def word_sequence(n_sentences: int, seed=0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Grammar sentences as one stream of one-hot words (no sentence markers, as in Elman).

    Returns ``(x, y, words)``: ``x`` of shape ``(1, W - 1, V)`` with ``V`` the size of
    :data:`course_utils.core.grammar.VOCABULARY`, ``y`` the next word's one-hot vector, and
    the list of words in the stream.
    """
    n_sentences = check_int("n_sentences", n_sentences, minimum=1)
    words = [w for s in grammar.sample_sentences(n_sentences, as_generator(seed)) for w in s]
    if len(words) < 2:  # pragma: no cover - every sentence has two words or more
        raise ValueError("need at least two words")
    index = {w: i for i, w in enumerate(grammar.VOCABULARY)}
    onehot = np.eye(len(grammar.VOCABULARY), dtype="float32")[[index[w] for w in words]]  # (W, V)
    return onehot[None, :-1], onehot[None, 1:], words


# Every letter that occurs in the grammar's words, in alphabetical order.
LETTERS: str = "".join(sorted(set("".join(grammar.VOCABULARY))))


def letter_stream(n_sentences: int, seed=0) -> tuple[np.ndarray, np.ndarray, str, np.ndarray]:
    """Grammar sentences spelt out as one stream of letters, without spaces or full stops.

    Elman (1990) trained a network to predict the next letter of such a stream and
    found that its error rises at the first letter of a word and falls inside the word.
    Letters are one-hot over :data:`LETTERS`. Returns ``(x, y, letters, word_start)``:
    ``x`` of shape ``(1, L - 1, len(LETTERS))``, ``y`` the next letter's one-hot vector,
    ``letters`` the stream as a string, and ``word_start`` a bool array ``(L,)`` that is
    True where a word (and so possibly a sentence) begins. The letter predicted at step
    ``t`` is ``letters[t + 1]``, a word onset when ``word_start[t + 1]``.
    """
    n_sentences = check_int("n_sentences", n_sentences, minimum=1)
    words = [w for s in grammar.sample_sentences(n_sentences, as_generator(seed)) for w in s]
    letters = "".join(words)
    word_start = np.zeros(len(letters), dtype=bool)  # (L,)
    word_start[np.cumsum([0] + [len(w) for w in words[:-1]])] = True
    index = {ch: i for i, ch in enumerate(LETTERS)}
    onehot = np.eye(len(LETTERS), dtype="float32")[[index[ch] for ch in letters]]  # (L, letters)
    return onehot[None, :-1], onehot[None, 1:], letters, word_start
