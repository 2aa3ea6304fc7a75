"""Argument checks shared by every public function in ``course_utils``.

Each check raises ``TypeError`` (wrong kind of object) or ``ValueError`` (right
kind, wrong value) with a message that names the argument, says what was given
and what was expected. Never use ``assert`` for user input.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "check_str",
    "check_rnn_layer",
    "check_layer_activation",
    "check_array",
    "check_choice",
    "check_int",
    "check_number",
]


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def check_str(name: str, value: object) -> str:
    """Return ``value`` if it is a ``str``; otherwise raise ``TypeError`` naming ``name``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; got {_describe(value)}.")
    return value


def check_int(
    name: str, value: object, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` as an ``int``; reject bools, floats and out-of-range values."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {_describe(value)}.")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {value}.")
    return value


def check_number(
    name: str,
    value: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
) -> float:
    """Return ``value`` as a finite ``float`` within the given bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {_describe(value)}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}.")
    if minimum is not None:
        too_small = value <= minimum if strict_minimum else value < minimum
        if too_small:
            op = ">" if strict_minimum else ">="
            raise ValueError(f"{name} must be {op} {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {value}.")
    return value


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise list the valid ones."""
    choices = list(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {choices}; got {_describe(value)}.")
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; expected one of {choices}.")
    return value


def check_array(
    name: str,
    value: object,
    *,
    ndim: int | None = None,
    shape: Sequence[int | None] | None = None,
    kind: str = "float",
    allow_nonfinite: bool = False,
    dims: str | None = None,
) -> np.ndarray:
    """Validate an array argument and return it as a NumPy array.

    Parameters
    ----------
    name: the argument's name, used in messages.
    ndim: required rank, or None.
    shape: required shape; ``None`` entries match any size.
    kind: ``"float"`` (integers are rejected: cast with ``.astype(float)``),
        ``"int"`` or ``"any"``.
    allow_nonfinite: accept NaN and inf (default: reject them).
    dims: human names of the axes, e.g. ``"(batch, time, input_size)"``.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array; got {_describe(value)}.")
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()  # a TensorFlow/Keras tensor
    try:
        array = np.asarray(value)
    except Exception as error:  # ragged lists and the like
        raise TypeError(f"{name} must be array-like; got {_describe(value)} ({error}).") from None
    if array.dtype == object:
        raise TypeError(f"{name} must be a numeric array; got {_describe(value)}.")
    where = f" {dims}" if dims else ""
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            f"{name} must have rank {ndim}{where}; got shape {array.shape} (rank {array.ndim})."
        )
    if shape is not None:
        ok = len(shape) == array.ndim and all(
            want is None or want == got for want, got in zip(shape, array.shape, strict=False)
        )
        if not ok:
            wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {wanted}{where}; got {array.shape}.")
    if kind == "float":
        if array.dtype == bool or not np.issubdtype(array.dtype, np.floating):
            raise TypeError(
                f"{name} must be a float array; got dtype {array.dtype}. "
                f"Convert it first, e.g. {name}.astype('float32')."
            )
    elif kind == "int":
        if not np.issubdtype(array.dtype, np.integer):
            raise TypeError(f"{name} must be an integer array; got dtype {array.dtype}.")
    elif kind != "any":
        raise ValueError(f"kind must be 'float', 'int' or 'any'; got {kind!r}.")
    if not allow_nonfinite and np.issubdtype(array.dtype, np.floating):
        bad = ~np.isfinite(array)
        if bad.any():
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{name} contains {int(bad.sum())} NaN or inf value(s), first at index {first}; "
                "expected finite numbers."
            )
    return array


# --- Keras layers (Keras is imported only when these run) -------------------------


def check_rnn_layer(layer, cell_types: tuple, expected: str):
    """Check that ``layer`` is a built, forward-running Keras RNN whose cell is one of ``cell_types``.

    Returns ``layer.cell``. Raises ``TypeError`` for the wrong kind of layer and
    ``ValueError`` for an unbuilt or backwards-running one.
    """
    import keras

    cell = getattr(layer, "cell", None)
    if not isinstance(layer, keras.layers.RNN) or not isinstance(cell, cell_types):
        got = type(layer).__name__
        if cell is not None:
            got += f" with cell {type(cell).__name__}"
        raise TypeError(f"layer must be {expected}; got {got}.")
    if not cell.built:
        raise ValueError(
            f"layer {layer.name!r} has no weights yet; build it first, e.g. "
            "layer.build((None, None, input_size)) or call it on a batch."
        )
    if getattr(layer, "go_backwards", False):
        raise ValueError(f"layer {layer.name!r} has go_backwards=True; expected False.")
    return cell


def check_layer_activation(layer, attribute: str, expected: tuple[str, ...]) -> str:
    """Return the name of ``layer.cell.<attribute>`` if it is one of ``expected``."""
    import keras

    name = keras.activations.serialize(getattr(layer.cell, attribute))
    if not isinstance(name, str) or name not in expected:
        raise ValueError(
            f"layer {layer.name!r} has {attribute}={name!r}; expected {attribute} in "
            f"{list(expected)}."
        )
    return name
