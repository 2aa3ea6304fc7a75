"""Lesson 05 (and 07): next-character windows for the character-level model.

:func:`char_lm_data` cuts a text into non-overlapping windows and returns a
:class:`CharData`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.core.validation import check_int, check_number

__all__ = ["CharData", "char_lm_data"]


# --- data for the character model -------------------------------------------------------


@dataclass(frozen=True)
class CharData:
    """Next-character windows: ``x[:, t]`` is a character id, ``y[:, t]`` the one after it."""

    x_train: np.ndarray  # (windows, seq_length) int32
    y_train: np.ndarray  # (windows, seq_length) int32
    x_val: np.ndarray  # (windows, seq_length) int32
    y_val: np.ndarray  # (windows, seq_length) int32
    vocab: str  # every character, in id order

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)


def char_lm_data(
    text: str, *, n_chars: int, seq_length: int = 100, val_fraction: float = 0.1
) -> CharData:
    """Cut the first ``n_chars`` characters of ``text`` into non-overlapping windows.

    The last ``val_fraction`` of the slice is held out for validation (the split is
    by position, so no validation text is seen in training). The vocabulary is every
    character of the slice, sorted.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}.")
    n_chars = check_int("n_chars", n_chars, minimum=2)
    seq_length = check_int("seq_length", seq_length, minimum=1)
    val_fraction = check_number(
        "val_fraction", val_fraction, minimum=0.0, maximum=0.5, strict_minimum=True
    )
    piece = text[:n_chars]
    n_val = int(len(piece) * val_fraction)
    if n_val < seq_length + 1 or len(piece) - n_val < seq_length + 1:
        raise ValueError(
            f"n_chars={n_chars} (text has {len(text)} characters) is too short for two "
            f"windows of seq_length={seq_length} with val_fraction={val_fraction}; "
            "expected more text or shorter windows."
        )
    vocab = "".join(sorted(set(piece)))
    lookup = {ch: i for i, ch in enumerate(vocab)}
    ids = np.array([lookup[ch] for ch in piece], dtype="int32")  # (n_chars,)

    def windows(part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        count = (len(part) - 1) // seq_length
        stop = count * seq_length
        x = part[:stop].reshape(count, seq_length)  # (windows, seq_length)
        y = part[1 : stop + 1].reshape(count, seq_length)  # (windows, seq_length)
        return x, y

    x_train, y_train = windows(ids[: len(ids) - n_val])
    x_val, y_val = windows(ids[len(ids) - n_val :])
    return CharData(x_train, y_train, x_val, y_val, vocab)
