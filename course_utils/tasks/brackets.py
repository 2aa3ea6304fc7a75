"""Matched brackets: a labelling task where the future decides the label (lesson 08).

Each position of a random string of "(", ")" and "x" gets label 1 when its
bracket belongs to a matched pair and 0 otherwise ("x" is always 0). For a ")"
the past is enough: it is matched when an unmatched "(" is open before it. For a
"(" only the *future* can tell whether a ")" will come to close it, so a
left-to-right RNN can only guess there, while a bidirectional one can know.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.core.validation import check_array, check_int, check_number
from course_utils.tasks._rng import as_generator

__all__ = [
    "BRACKET_CHARS",
    "BracketData",
    "accuracy_by_kind",
    "bracket_labels",
    "bracket_sequences",
]

BRACKET_CHARS = "()x"


def bracket_labels(text: str) -> np.ndarray:
    """1 for each bracket that belongs to a matched pair, else 0: int8 ``(len(text),)``.

    >>> bracket_labels("(()x(").tolist()
    [0, 1, 1, 0, 0]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}.")
    bad = set(text) - set(BRACKET_CHARS)
    if bad:
        raise ValueError(f"text may contain only {BRACKET_CHARS!r}; got {sorted(bad)}.")
    labels = np.zeros(len(text), dtype="int8")  # (time,)
    open_positions = []  # a stack of unmatched "("
    for t, char in enumerate(text):
        if char == "(":
            open_positions.append(t)
        elif char == ")" and open_positions:
            labels[open_positions.pop()] = 1  # the "(" learns it is matched only now
            labels[t] = 1
    return labels


@dataclass(frozen=True)
class BracketData:
    """``x`` one-hot float32 (n, length, 3); ``y`` float32 (n, length, 1); the ``texts``."""

    x: np.ndarray
    y: np.ndarray
    texts: list[str]

    def opening_mask(self) -> np.ndarray:
        """True where the character is "(": the positions whose label needs the future."""
        return self.x[..., 0] == 1  # (n, length)

    def closing_mask(self) -> np.ndarray:
        """True where the character is ")": the past alone decides these labels."""
        return self.x[..., 1] == 1  # (n, length)


def bracket_sequences(n: int, length: int, seed=0, p_bracket: float = 0.8) -> BracketData:
    """``n`` random strings of ``length`` characters; each is a bracket with probability
    ``p_bracket`` ("(" or ")" equally likely), else "x"."""
    n = check_int("n", n, minimum=1)
    length = check_int("length", length, minimum=1)
    p_bracket = check_number("p_bracket", p_bracket, minimum=0.0, maximum=1.0)
    rng = as_generator(seed)
    probs = [p_bracket / 2, p_bracket / 2, 1 - p_bracket]
    ids = rng.choice(3, size=(n, length), p=probs)  # (n, length)
    texts = ["".join(BRACKET_CHARS[i] for i in row) for row in ids]
    x = np.eye(3, dtype="float32")[ids]  # (n, length, 3)
    y = np.stack([bracket_labels(t) for t in texts]).astype("float32")[..., None]  # (n, length, 1)
    return BracketData(x, y, texts)


def accuracy_by_kind(probabilities, data: BracketData) -> dict[str, float]:
    """Accuracy on "(" positions (need the future) and on ")" positions (past is enough).

    ``probabilities`` are a model's outputs for ``data.x``, shape (n, length) or (n, length, 1).
    """
    probabilities = check_array("probabilities", probabilities)
    if probabilities.size != data.y.size:
        raise ValueError(
            f"probabilities must have one value per position {data.y.shape[:2]}; "
            f"got shape {probabilities.shape}."
        )
    probabilities = probabilities.reshape(data.y.shape[:2])  # (n, length)
    correct = (probabilities > 0.5) == (data.y[..., 0] > 0.5)  # (n, length)
    return {
        '"(" needs the future': float(correct[data.opening_mask()].mean()),
        '")" past is enough': float(correct[data.closing_mask()].mean()),
    }
