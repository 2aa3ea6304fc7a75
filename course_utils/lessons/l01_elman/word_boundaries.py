"""Elman's (1990) word-boundary experiment: where in a letter stream is the next letter hard?

Lesson 01 (``notebooks/01_elman_networks.ipynb``) trains an Elman network to predict the
next letter of sentences spelt out without spaces (``tasks.letter_stream``). These
helpers turn its predictions into the measurements the lesson reports:

* :func:`cross_entropy_per_step` - the error of every prediction, in nats;
* :func:`position_in_word` - 0 for the first letter of a word, 1 for the second, ...;
* :func:`error_by_letter_position` - the mean error at each position in a word;
* :func:`onset_and_inside` - mean error at word onsets and at every other letter;
* :func:`bigram_cross_entropy` - the same error for a baseline that knows only which
  letter follows which (counts of letter pairs in the training stream).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int, check_number

__all__ = [
    "bigram_cross_entropy",
    "cross_entropy_per_step",
    "error_by_letter_position",
    "onset_and_inside",
    "position_in_word",
]


def cross_entropy_per_step(logits, targets) -> np.ndarray:
    """``-log p(true next letter)`` at every step, from logits and one-hot targets.

    logits, targets: ``(streams, time, classes)``. Returns ``(streams, time)``.
    """
    logits = check_array("logits", logits, ndim=3, dims="(streams, time, classes)")
    targets = check_array("targets", targets, shape=logits.shape, dims="like logits")
    z = logits - logits.max(axis=-1, keepdims=True)  # (streams, time, classes)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))  # (streams, time, classes)
    return -(targets * log_probs).sum(axis=-1)  # (streams, time)


def bigram_cross_entropy(x_train, y_train, x_test, y_test, *, smoothing: float = 1.0):
    """``-log p(true next letter)`` at every test step for a count-based bigram model.

    The model predicts the next letter from the current one only: ``p(next | current)``
    is the share of ``current -> next`` pairs among the training stream's pairs that
    start with ``current``, with ``smoothing`` added to every count (so no letter gets
    probability 0). x_*, y_*: ``(streams, time, letters)`` one-hot inputs and next-letter
    targets, as ``tasks.letter_stream`` returns. Returns ``(streams, time)`` in nats, like
    :func:`cross_entropy_per_step`.
    """
    x_train = check_array("x_train", x_train, ndim=3, dims="(streams, time, letters)")
    y_train = check_array("y_train", y_train, shape=x_train.shape, dims="like x_train")
    letters = x_train.shape[2]
    x_test = check_array("x_test", x_test, ndim=3, shape=(None, None, letters),
                         dims="(streams, time, letters)")  # fmt: skip
    y_test = check_array("y_test", y_test, shape=x_test.shape, dims="like x_test")
    smoothing = check_number("smoothing", smoothing, minimum=0, strict_minimum=True)
    counts = np.einsum("sti,stj->ij", x_train, y_train, dtype=np.float64)  # (letters, letters)
    pairs = counts + smoothing  # (letters, letters): no pair has probability 0
    probs = pairs / pairs.sum(axis=1, keepdims=True)  # (letters, letters): p(next | current)
    predicted = x_test @ probs  # (streams, time, letters): the current letter's row
    return -(y_test * np.log(predicted)).sum(axis=-1)  # (streams, time)


def _word_start(word_start) -> np.ndarray:
    word_start = check_array("word_start", word_start, ndim=1, kind="any", dims="(letters,)")
    if word_start.dtype != bool:
        raise TypeError(f"word_start must be a bool array; got dtype {word_start.dtype}.")
    if word_start.size == 0 or not word_start[0]:
        raise ValueError("word_start must be non-empty and True at the first letter.")
    return word_start


def position_in_word(word_start) -> np.ndarray:
    """For each letter, its position in its word (0 = first letter). ``(letters,)`` ints."""
    word_start = _word_start(word_start)
    index = np.arange(word_start.size)  # (letters,)
    last_start = np.maximum.accumulate(np.where(word_start, index, 0))  # (letters,)
    return index - last_start


def _errors_and_targets(errors, word_start):
    errors = check_array("errors", errors, ndim=1, dims="(time,)")
    word_start = _word_start(word_start)
    if word_start.size != errors.size + 1:
        raise ValueError(
            f"word_start must have one entry per letter, {errors.size + 1} (one more than "
            f"errors, since step t predicts letter t + 1); got {word_start.size}."
        )
    return errors, word_start


def onset_and_inside(errors, word_start) -> tuple[float, float]:
    """Mean error when the predicted letter starts a word, and when it does not.

    errors: ``(time,)``, the error of the prediction at step t, whose target is letter
    t + 1; word_start: ``(time + 1,)`` bools, one per letter of the stream.
    """
    errors, word_start = _errors_and_targets(errors, word_start)
    onset = word_start[1:]  # (time,): is the predicted letter a word onset?
    if onset.all() or not onset.any():
        raise ValueError("the stream needs both word onsets and letters inside words.")
    return float(errors[onset].mean()), float(errors[~onset].mean())


def error_by_letter_position(errors, word_start, max_position: int = 6) -> np.ndarray:
    """Mean error at positions 0 .. max_position - 1 of a word (NaN where none occur)."""
    errors, word_start = _errors_and_targets(errors, word_start)
    max_position = check_int("max_position", max_position, minimum=1)
    position = position_in_word(word_start)[1:]  # (time,): position of the predicted letter
    return np.array(
        [
            errors[position == k].mean() if np.any(position == k) else np.nan
            for k in range(max_position)
        ]
    )  # (max_position,)
