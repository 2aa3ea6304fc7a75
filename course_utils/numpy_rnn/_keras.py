"""Helpers for copying weights between the NumPy cells and Keras layers.

Keras is imported inside the functions, so ``import course_utils.numpy_rnn`` stays
fast and works without TensorFlow.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_activation", "check_layer", "to_numpy"]


def check_layer(layer, cell_types: tuple, expected: str):
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


def check_activation(layer, attribute: str, expected: tuple[str, ...]) -> str:
    """Return the name of ``layer.cell.<attribute>`` if it is one of ``expected``."""
    import keras

    name = keras.activations.serialize(getattr(layer.cell, attribute))
    if not isinstance(name, str) or name not in expected:
        raise ValueError(
            f"layer {layer.name!r} has {attribute}={name!r}; the NumPy engine supports "
            f"{attribute} in {list(expected)}."
        )
    return name


def to_numpy(variable, dtype) -> np.ndarray:
    """A Keras variable as a NumPy array of ``dtype`` (a copy)."""
    import keras

    return np.array(keras.ops.convert_to_numpy(variable), dtype=dtype)


def keras_dtype(cell_dtype: np.dtype, dtype) -> str:
    """The dtype name for a new Keras layer: ``dtype`` if given, else the cell's."""
    return np.dtype(cell_dtype if dtype is None else dtype).name
