"""Delayed echo: the target at step t is the input bit from ``delay`` steps earlier.

Lesson 00 uses it as the smallest task that needs memory. A network that sees only
the current input can do no better than this task's majority answer, always 0: the
first ``delay`` targets are 0 and the others are random bits, so its expected
accuracy is ``(delay + (length - delay) / 2) / length`` (derived and printed in the
lesson), not one half. A recurrent network can echo the bit exactly.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_int
from course_utils.tasks._rng import as_generator

__all__ = ["delayed_echo"]


def delayed_echo(n_sequences: int, length: int, delay: int = 2, seed=0):
    """Random bits and their echo ``delay`` steps later.

    Returns ``(x, y)``, both float32 of shape ``(n_sequences, length, 1)``;
    ``y[:, t] = x[:, t - delay]`` and ``y[:, :delay] = 0``.
    """
    n_sequences = check_int("n_sequences", n_sequences, minimum=1)
    length = check_int("length", length, minimum=1)
    delay = check_int("delay", delay, minimum=0)
    if delay >= length:
        raise ValueError(f"delay must be smaller than length ({length}); got {delay}.")
    rng = as_generator(seed)
    x = rng.integers(0, 2, size=(n_sequences, length, 1)).astype("float32")  # (n, T, 1)
    y = np.zeros_like(x)  # (n, T, 1)
    y[:, delay:] = x[:, : length - delay]
    return x, y
