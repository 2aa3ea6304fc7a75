"""The adding problem of Hochreiter & Schmidhuber (1997), in the form of Arjovsky et al. (2016).

Hochreiter & Schmidhuber place the markers, draw the values and scale the target
differently; Arjovsky, Shah & Bengio (2016) describe this simpler form.

Each sequence has ``length`` steps and two input channels: a random number in
[0, 1) and a marker that is 1 at exactly two positions (one in each half of the
sequence) and 0 elsewhere. The target is the sum of the two marked numbers. A model
that ignores the inputs and predicts the mean target, 1, scores MSE = Var(u1 + u2)
= 2 * (1/12) = 1/6: the baseline a network must beat to show it has memory.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_int
from course_utils.tasks._rng import as_generator

__all__ = ["adding_problem", "BASELINE_MSE", "SOLVED_MSE"]

BASELINE_MSE = 1.0 / 6.0

#: The course's one definition of "solved" for the adding problem, used by every lesson:
#: test MSE below a tenth of the baseline (1/60 = 0.0167), i.e. the model explains at least
#: 90 % of the target's variance. Predicting one of the two numbers and the mean of the
#: other leaves Var(u) = 1/12 = 0.083, so a model under 1/60 must be using both numbers.
SOLVED_MSE = BASELINE_MSE / 10


def adding_problem(n_sequences: int, length: int, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Return ``x`` of shape ``(n, length, 2)`` and ``y`` of shape ``(n, 1)``, float32."""
    n_sequences = check_int("n_sequences", n_sequences, minimum=1)
    length = check_int("length", length, minimum=2)
    rng = as_generator(seed)
    values = rng.random((n_sequences, length))  # (n, T)
    half = length // 2
    first = rng.integers(0, half, size=n_sequences)  # (n,)
    second = rng.integers(half, length, size=n_sequences)  # (n,)
    markers = np.zeros((n_sequences, length))  # (n, T)
    rows = np.arange(n_sequences)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1).astype("float32")  # (n, T, 2)
    y = (values[rows, first] + values[rows, second])[:, None].astype("float32")  # (n, 1)
    return x, y
