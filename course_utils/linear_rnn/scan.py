"""The linear recurrence ``h_t = a_t * h_{t-1} + b_t``: a loop, and a parallel scan.

Both take ``a`` and ``b`` of shape ``(batch, time, units)`` (elementwise, "diagonal"
recurrences; real or complex) and an optional ``h0`` ``(batch, units)`` (zeros by
default), and return every state, ``(batch, time, units)``.

The scan rests on one operator. A step is the map ``h -> a h + b``, written ``(a, b)``;
doing ``(a1, b1)`` and then ``(a2, b2)`` is the map ``h -> a2 (a1 h + b1) + b2``:

    (a1, b1) o (a2, b2) = (a1 a2, a2 b1 + b2)

This composition is associative, so the prefixes ``(a_1, b_1) o ... o (a_t, b_t)`` can
be computed in any grouping: :func:`scan_parallel` does it in ``ceil(log2 T)`` rounds
(Hillis & Steele 1986), each round one vectorised operation over all steps.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array

__all__ = ["combine", "scan_loop", "scan_parallel"]


def _checked(name: str, value, **kwargs) -> np.ndarray:
    """A float or complex array, finite (complex: the LRU's eigenvalues)."""
    array = check_array(name, value, kind="any", **kwargs)
    if not np.issubdtype(array.dtype, np.inexact):
        raise TypeError(
            f"{name} must be a float or complex array; got dtype {array.dtype}. "
            f"Convert it first, e.g. {name}.astype('float64')."
        )
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or inf values; the recurrence needs finite ones.")
    return array


def _inputs(a, b, h0):
    a = _checked("a", a, ndim=3, dims="(batch, time, units)")
    b = _checked("b", b, ndim=3, shape=a.shape, dims="like a")
    if h0 is None:
        h0 = np.zeros((a.shape[0], a.shape[2]), dtype=np.result_type(a, b))  # (batch, units)
    else:
        h0 = _checked("h0", h0, ndim=2, shape=(a.shape[0], a.shape[2]), dims="(batch, units)")
    return a, b, h0


def combine(first, second):
    """``first`` then ``second``, each a pair ``(a, b)`` of arrays: ``(a1 a2, a2 b1 + b2)``."""
    (a1, b1), (a2, b2) = first, second
    return a1 * a2, a2 * b1 + b2


def scan_loop(a, b, h0=None) -> np.ndarray:
    """Every state of ``h_t = a_t * h_{t-1} + b_t``, one step after another."""
    a, b, h = _inputs(a, b, h0)
    states = []
    for t in range(a.shape[1]):
        h = a[:, t] * h + b[:, t]  # (batch, units)
        states.append(h)
    return np.stack(states, axis=1)  # (batch, time, units)


def scan_parallel(a, b, h0=None) -> np.ndarray:
    """The same states by a Hillis-Steele inclusive scan: ``ceil(log2 T)`` rounds, in
    round ``k`` every step ``t >= 2**k`` composes with the prefix ending ``2**k`` earlier."""
    a, b, h0 = _inputs(a, b, h0)
    dtype = np.result_type(a, b, h0)
    b = b.astype(dtype)  # (batch, time, units), a copy
    b[:, 0] = a[:, 0] * h0 + b[:, 0]  # fold h0 into the first step
    a = a.astype(dtype)  # (batch, time, units), a copy
    shift = 1
    while shift < a.shape[1]:
        a_prev, b_prev = a[:, :-shift], b[:, :-shift]  # (batch, time - shift, units)
        a_new, b_new = combine((a_prev, b_prev), (a[:, shift:], b[:, shift:]))
        a[:, shift:], b[:, shift:] = a_new, b_new
        shift *= 2
    return b  # (batch, time, units): the b of each prefix is its state
