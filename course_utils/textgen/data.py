"""Text data for lesson 06: a character vocabulary, ``tf.data`` pipelines, word n-grams.

Explained in ``notebooks/06_text_generation.ipynb``:

* :class:`CharVocabulary` turns text into integer ids and back;
* :func:`split_text` keeps the last part of a corpus as held-out text;
* :func:`char_dataset` is the shuffled pipeline (windows -> shuffle -> batch -> prefetch);
* :func:`stateful_char_dataset` feeds ``batch_size`` contiguous streams, so that the
  state left by one batch is the right start for the next (stateful truncated BPTT);
* :func:`word_ngram_sequences` makes the padded n-gram prefixes of the word-level model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.core.validation import check_array, check_int, check_number

__all__ = [
    "CharVocabulary",
    "split_text",
    "char_dataset",
    "stateful_char_dataset",
    "word_ngram_sequences",
]


def _check_text(name: str, text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str; got {type(text).__name__}.")
    if not text:
        raise ValueError(f"{name} must not be empty.")
    return text


@dataclass(frozen=True)
class CharVocabulary:
    """The sorted characters of a corpus; a character's id is its position."""

    chars: tuple[str, ...]

    def __post_init__(self):
        if not isinstance(self.chars, tuple) or not self.chars:
            raise TypeError("chars must be a non-empty tuple of one-character strings.")
        if any(not isinstance(c, str) or len(c) != 1 for c in self.chars):
            raise ValueError("chars must contain single characters only.")
        if len(set(self.chars)) != len(self.chars):
            raise ValueError("chars must not repeat a character.")

    @classmethod
    def from_text(cls, text: str) -> CharVocabulary:
        """Every distinct character of ``text``, in code-point order."""
        return cls(tuple(sorted(set(_check_text("text", text)))))

    @property
    def size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """``text`` -> int32 ids, shape ``(len(text),)``; unknown characters raise ``ValueError``."""
        _check_text("text", text)
        table = {c: i for i, c in enumerate(self.chars)}
        unknown = sorted(set(text) - table.keys())
        if unknown:
            raise ValueError(
                f"text contains characters outside the vocabulary: {unknown[:10]!r}; "
                f"expected only the {self.size} characters the vocabulary was built from."
            )
        return np.fromiter((table[c] for c in text), dtype=np.int32, count=len(text))

    def decode(self, ids) -> str:
        """Integer ids -> text."""
        ids = check_array("ids", ids, ndim=1, kind="int")
        if ids.size and (ids.min() < 0 or ids.max() >= self.size):
            raise ValueError(
                f"ids must lie in [0, {self.size}); got values in [{ids.min()}, {ids.max()}]."
            )
        return "".join(self.chars[i] for i in ids)


def split_text(text: str, held_out: float = 0.1) -> tuple[str, str]:
    """``(train, held_out_text)``: the last ``held_out`` share of ``text`` is held out.

    A contiguous tail, not random windows, so no held-out character was ever a
    training character's neighbour.
    """
    _check_text("text", text)
    held_out = check_number("held_out", held_out, minimum=0, maximum=0.5, strict_minimum=True)
    cut = int(round(len(text) * (1 - held_out)))
    if cut < 2 or len(text) - cut < 2:
        raise ValueError(f"text of {len(text)} characters is too short to hold out {held_out}.")
    return text[:cut], text[cut:]


def split_train_validation_test(
    text: str, validation: float = 0.05, test: float = 0.05
) -> tuple[str, str, str]:
    """``(train, validation, test)``: contiguous pieces, in that order, of ``text``.

    The character-model race (``benchmarks/textgen.py``) tunes on ``validation`` and
    reports on ``test``; lesson 06 trains on ``train`` and scores on ``test`` the same way.
    """
    _check_text("text", text)
    validation = check_number("validation", validation, minimum=0, maximum=0.5, strict_minimum=True)
    test = check_number("test", test, minimum=0, maximum=0.5, strict_minimum=True)
    cut_val = int(round(len(text) * (1 - validation - test)))
    cut_test = int(round(len(text) * (1 - test)))
    if cut_val < 2 or cut_test - cut_val < 2 or len(text) - cut_test < 2:
        raise ValueError(
            f"text of {len(text)} characters is too short to split off validation {validation} "
            f"and test {test}."
        )
    return text[:cut_val], text[cut_val:cut_test], text[cut_test:]


def char_dataset(
    ids,
    seq_length: int,
    batch_size: int,
    *,
    shuffle: bool = True,
    seed: int = 0,
    buffer_size: int = 10_000,
):
    """Windows of ``seq_length + 1`` ids -> ``(input, target)`` shifted by one, shuffled, batched.

    Yields int32 ``(batch_size, seq_length)`` pairs forever (``repeat``); an epoch is
    ``(len(ids) - 1) // (seq_length + 1) // batch_size`` batches. The pipeline is
    windows -> (shuffle) -> batch -> prefetch, the shape of TensorFlow's text tutorial.
    """
    import tensorflow as tf

    ids = check_array("ids", ids, ndim=1, kind="int")
    seq_length = check_int("seq_length", seq_length, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    check_int("seed", seed, minimum=0)
    check_int("buffer_size", buffer_size, minimum=1)
    if len(ids) < (seq_length + 1) * batch_size:
        raise ValueError(
            f"ids has {len(ids)} elements; one batch needs "
            f"(seq_length + 1) * batch_size = {(seq_length + 1) * batch_size}."
        )
    windows = tf.data.Dataset.from_tensor_slices(ids.astype(np.int32))
    windows = windows.batch(seq_length + 1, drop_remainder=True)  # (seq_length + 1,)
    pairs = windows.map(lambda w: (w[:-1], w[1:]))  # (seq_length,) input, target shifted by one
    if shuffle:
        pairs = pairs.shuffle(buffer_size, seed=seed, reshuffle_each_iteration=True)
    return pairs.batch(batch_size, drop_remainder=True).repeat().prefetch(tf.data.AUTOTUNE)


def stateful_char_dataset(ids, seq_length: int, batch_size: int, *, seed: int = 0):
    """Batches for stateful training: row ``b`` of batch ``k + 1`` continues row ``b`` of batch ``k``.

    The ids are cut into ``batch_size`` contiguous streams; batch ``k`` holds the
    ``k``-th ``seq_length`` steps of every stream. Each pass starts the streams at a
    new random offset (``0 <= offset < seq_length``), so the windows' borders move.
    Returns ``(dataset, batches_per_pass)``; the dataset repeats forever.
    """
    import tensorflow as tf

    ids = check_array("ids", ids, ndim=1, kind="int")
    seq_length = check_int("seq_length", seq_length, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    per_pass = (len(ids) - seq_length - 1) // (batch_size * seq_length)
    if per_pass < 1:
        raise ValueError(
            f"ids has {len(ids)} elements; stateful batches need at least "
            f"(batch_size + 1) * seq_length + 1 = {(batch_size + 1) * seq_length + 1}."
        )
    span = per_pass * seq_length  # steps in each stream
    all_ids = tf.constant(ids, dtype=tf.int32)

    def one_pass(index):
        offset = tf.random.stateless_uniform(
            [], seed=[seed, index], maxval=seq_length, dtype=tf.int32
        )

        def streams(start):  # (per_pass, batch, seq_length)
            block = tf.reshape(
                all_ids[start : start + batch_size * span], (batch_size, per_pass, seq_length)
            )
            return tf.transpose(block, (1, 0, 2))

        return tf.data.Dataset.from_tensor_slices((streams(offset), streams(offset + 1)))

    passes = tf.data.Dataset.range(2**31).map(lambda i: tf.cast(i, tf.int32))
    return passes.flat_map(one_pass).prefetch(tf.data.AUTOTUNE), per_pass


def word_ngram_sequences(lines, vectorizer, *, max_length: int | None = None):
    """Every prefix of every line, as right-padded ids: ``(inputs, next_word)``.

    ``vectorizer`` is an adapted ``keras.layers.TextVectorization`` (``output_mode="int"``).
    A line ``w1 w2 w3`` gives the n-grams ``w1 w2`` and ``w1 w2 w3``. Each n-gram keeps its
    last ``max_length`` words (default: the longest n-gram); its last word is the target
    and the words before it, the context, are padded with 0 *after* the words
    (``pad_sequences(..., padding="post")``) to ``max_length - 1`` columns.

    Right padding with at least one real word per row is what a masked recurrent layer
    needs everywhere: cuDNN (Keras's LSTM/GRU on a GPU) accepts only right-padded masks
    and rejects rows that are all padding. With the mask, the layer's last output is its
    state after the last real word. Returns int32 ``(n, max_length - 1)`` and ``(n,)``.
    """
    import keras

    if isinstance(lines, str) or not all(isinstance(line, str) for line in lines):
        raise TypeError("lines must be a list of str (one sentence or line each).")
    if not hasattr(vectorizer, "get_vocabulary"):
        raise TypeError(
            f"vectorizer must be an adapted keras.layers.TextVectorization; "
            f"got {type(vectorizer).__name__}."
        )
    ngrams = []
    for line in lines:
        ids = [int(i) for i in np.asarray(vectorizer(line)) if i != 0]  # 0 pads
        ngrams.extend(ids[:end] for end in range(2, len(ids) + 1))
    if not ngrams:
        raise ValueError("lines gave no n-grams: every line needs at least two words.")
    longest = max(len(g) for g in ngrams)
    max_length = longest if max_length is None else check_int("max_length", max_length, minimum=2)
    kept = [g[-max_length:] for g in ngrams]  # context (>= 1 word) + target
    contexts = keras.utils.pad_sequences(
        [g[:-1] for g in kept], maxlen=max_length - 1, padding="post", truncating="pre"
    ).astype(np.int32)  # (n, max_length - 1): words first, then zeros
    targets = np.array([g[-1] for g in kept], dtype=np.int32)  # (n,)
    return contexts, targets
