"""Describing a learner's answer in words: its kind, its shape, a short summary.

Used by :mod:`.answers` (what differs between an answer and the expected value) and by
the exercise kinds' feedback.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["KIND_NAMES", "describe", "kind_phrase", "sentence", "summarize", "to_numpy"]

KIND_NAMES = {
    "b": "booleans",
    "i": "integers",
    "u": "integers",
    "f": "floating-point numbers",
    "c": "complex numbers",
}


def sentence(text: str) -> str:
    """``text`` with a capital first letter (messages are built lowercase-first)."""
    return text[:1].upper() + text[1:]


def describe(value: object) -> str:
    """A short phrase for messages: ``"the string '28'"``, ``"a function"``, ..."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"the bool {value}"
    if isinstance(value, str):
        text = value if len(value) <= 30 else value[:27] + "..."
        return f"the string {text!r}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, numbers.Number):
        return f"the {type(value).__name__} {value!r}"
    if isinstance(value, (list, tuple, dict, set)):
        return f"a {type(value).__name__} of {len(value)} items"
    if callable(value):
        return f"the function {getattr(value, '__name__', type(value).__name__)}"
    return f"an object of type {type(value).__name__}"


def kind_phrase(value: object, names: tuple[str, ...] | None = None) -> str:
    """What kind of object ``value`` is, for an answer format, without giving it away:
    ``"a number (a float)"``, ``"a NumPy array"``, ``"a tuple (s_next, y_t)"``."""
    if names is not None and (
        not isinstance(names, (tuple, list)) or not all(isinstance(n, str) for n in names)
    ):
        raise TypeError(f"names must be a tuple of strings or None; got {names!r}.")
    value = to_numpy(value)
    if isinstance(value, (bool, np.bool_)):
        return "True or False"
    if isinstance(value, np.ndarray):
        return "a NumPy array" if value.ndim else "a number (a float)"
    if isinstance(value, numbers.Integral):
        return "a whole number (an int)"
    if isinstance(value, numbers.Real):
        return "a number (a float)"
    if isinstance(value, str):
        return "a string in quotes"
    if isinstance(value, (tuple, list)):
        kind = type(value).__name__
        if names and len(names) == len(value):
            return f"a {kind} ({', '.join(names)})"
        items = {_item_word(item) for item in value}
        if len(items) == 1 and value:
            return f"a {kind} of {items.pop()}"
        return f"a {kind}"
    if isinstance(value, dict):
        return "a dict"
    return ""


def _item_word(value: object) -> str:
    value = to_numpy(value)
    if isinstance(value, np.ndarray):
        return "NumPy arrays"
    if isinstance(value, (bool, np.bool_)):
        return "bools"
    if isinstance(value, numbers.Integral):
        return "ints"
    if isinstance(value, numbers.Real):
        return "numbers"
    if isinstance(value, str):
        return "strings"
    return "values"


def summarize(value: object, limit: int = 200) -> str:
    """A compact, truncated rendering of a case input or output."""
    if isinstance(value, np.ndarray):
        if value.size <= 12:
            text = np.array2string(value, precision=4, separator=", ")
        else:
            text = f"<array of shape {value.shape}, dtype {value.dtype}>"
    else:
        try:
            text = repr(value)
        except Exception:
            text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def to_numpy(value: object) -> object:
    """TensorFlow/Keras tensors become NumPy arrays; anything else is returned as is."""
    if isinstance(value, np.ndarray):
        return value
    try:
        return value.numpy() if callable(getattr(value, "numpy", None)) else value
    except Exception:  # an odd object: compare it as it is
        return value
