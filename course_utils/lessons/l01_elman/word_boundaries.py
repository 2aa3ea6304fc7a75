"""Elman's (1990) word-boundary experiment: where in a letter stream is the next letter hard?

Lesson 01 (``notebooks/01_elman_networks.ipynb``) trains an Elman network to predict the
next letter of sentences spelt out without spaces (``tasks.letter_stream``). These
helpers turn its predictions into the measurements the lesson reports:

* :func:`cross_entropy_per_step` - the error of every prediction, in nats;
* :func:`position_in_word` - 0 for the first letter of a word, 1 for the second, ...;
* :func:`error_by_letter_position` - the mean error at each position in a word;
* :func:`onset_and_inside` - mean error at word onsets and at every other letter.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int

__all__ = [
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
