"""Helpers for copying weights between the NumPy cells and Keras layers.

Keras is imported inside the functions, so ``import course_utils.numpy_rnn`` stays
fast and works without TensorFlow.
"""

from __future__ import annotations

import numpy as np

__all__ = ["keras_dtype", "to_numpy"]


def to_numpy(variable, dtype) -> np.ndarray:
    """A Keras variable as a NumPy array of ``dtype`` (a copy)."""
    import keras

    return np.array(keras.ops.convert_to_numpy(variable), dtype=dtype)


def keras_dtype(cell_dtype: np.dtype, dtype) -> str:
    """The dtype name for a new Keras layer: ``dtype`` if given, else the cell's."""
    return np.dtype(cell_dtype if dtype is None else dtype).name
