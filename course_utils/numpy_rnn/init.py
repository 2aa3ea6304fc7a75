"""Weight initialisers that match the Keras defaults for recurrent layers.

=========================  ===============================  ==========================
tensor                     Keras default                    here
=========================  ===============================  ==========================
input kernel ``W_x*``      ``glorot_uniform``               :func:`glorot_uniform`
recurrent kernel ``W_h*``  ``orthogonal``                   :func:`orthogonal`
bias ``b_*``               ``zeros``                        :func:`zeros`
LSTM forget-gate bias      ``unit_forget_bias=True`` -> 1   ``ones`` in ``LSTM``
=========================  ===============================  ==========================

Keras draws one kernel for all gates at once, e.g. an LSTM kernel of shape
``(input_size, 4 * hidden_size)``. The cells here do the same and then cut the
block into per-gate matrices, so the spread of every ``W_x*`` equals Keras's.
Every function takes a ``numpy.random.Generator``: nothing is random by accident.
"""

from __future__ import annotations

import numpy as np

__all__ = ["glorot_uniform", "orthogonal", "zeros"]


def glorot_uniform(shape: tuple[int, int], rng: np.random.Generator, dtype="float64") -> np.ndarray:
    """Uniform on ``[-limit, limit]`` with ``limit = sqrt(6 / (fan_in + fan_out))``.

    Glorot & Bengio (2010). ``shape`` is ``(fan_in, fan_out)``.
    """
    fan_in, fan_out = shape
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)  # (fan_in, fan_out)


def orthogonal(shape: tuple[int, int], rng: np.random.Generator, dtype="float64") -> np.ndarray:
    """A matrix with orthonormal rows or columns (whichever are fewer), as Keras's ``Orthogonal``.

    Saxe et al. (2014). QR-decompose a Gaussian matrix and fix the signs of ``R``'s
    diagonal so that the result is uniformly distributed over orthogonal matrices.
    """
    rows, cols = shape
    flat = rng.standard_normal((max(rows, cols), min(rows, cols)))  # tall matrix
    q, r = np.linalg.qr(flat)  # q: (max, min) with orthonormal columns
    q = q * np.sign(np.diag(r))  # make the decomposition unique
    if rows < cols:
        q = q.T  # (rows, cols) with orthonormal rows
    return np.ascontiguousarray(q, dtype=dtype)  # (rows, cols)


def zeros(shape, dtype="float64") -> np.ndarray:
    """All zeros: the Keras default bias."""
    return np.zeros(shape, dtype=dtype)
