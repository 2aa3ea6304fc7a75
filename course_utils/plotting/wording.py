"""Words for figure sentences (private to :mod:`course_utils.plotting`): each plotting
function says what its figure shows with :func:`~course_utils.plotting.common.describe`,
and these helpers keep those sentences short and alike."""

from __future__ import annotations

import numpy as np


def num(value: float) -> str:
    """A number in at most three significant digits (``0.00123``, ``1.23e+04``, ``12``)."""
    return f"{float(value):.3g}"


def trend(values) -> str:
    """``falls from A to B`` / ``rises from A to B`` / ``stays at B`` over ``values``; a
    peak (or dip) beyond both ends is named, so a rise and fall never reads as a fall."""
    values = np.asarray(values, dtype=float)  # (n,)
    first, last = float(values[0]), float(values[-1])
    finite = values[np.isfinite(values)]  # (finite,)
    top, bottom = (float(finite.max()), float(finite.min())) if finite.size else (last, last)
    span = max(abs(first), abs(last), 1e-12)
    if top > max(first, last) + 0.05 * span:
        at = int(np.nanargmax(values)) + 1
        return f"rises from {first:.4g} to {top:.4g} (point {at} of {len(values)}), then falls to {last:.4g}"
    if bottom < min(first, last) - 0.05 * span:
        at = int(np.nanargmin(values)) + 1
        return f"falls from {first:.4g} to {bottom:.4g} (point {at} of {len(values)}), then rises to {last:.4g}"
    if len(values) < 2 or np.isclose(first, last, rtol=1e-3, atol=1e-12):
        return f"stays at {last:.4g}"
    return f"{'falls' if last < first else 'rises'} from {first:.4g} to {last:.4g}"


def last_finite(values) -> tuple[int, float] | None:
    """``(index, value)`` of the last finite entry of ``values``, or ``None``."""
    values = np.asarray(values, dtype=float)  # (n,)
    finite = np.flatnonzero(np.isfinite(values))
    return None if finite.size == 0 else (int(finite[-1]), float(values[finite[-1]]))


def best(scores: dict, *, lowest: bool = True) -> str:
    """The key of ``scores`` with the lowest (or highest) value."""
    return (min if lowest else max)(scores, key=scores.get)
