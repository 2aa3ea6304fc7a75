"""Shared helper: turn a seed or Generator into a Generator."""

from __future__ import annotations

import numbers

import numpy as np


def as_generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """``seed`` may be an int, a ``numpy.random.Generator`` or ``None`` (fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be an int or a numpy.random.Generator; got {type(seed).__name__}.")
