"""Temporal order: classify a sequence by the order of two symbols far apart.

After Hochreiter & Schmidhuber (1997), experiment 6a, in a simplified form. A
sequence of ``length`` symbols is mostly noise (``a``, ``b``, ``c``, ``d``). Two
*relevant* symbols, each ``X`` or ``Y``, sit at random positions: the first in
10-20 % of the sequence, the second in 50-60 %. The class says which pair it was:
``XX -> 0``, ``XY -> 1``, ``YX -> 2``, ``YY -> 3``. Guessing scores 0.25; a model
that remembers only the later symbol scores 0.5; only one that carries the first
symbol across the whole gap reaches 1.0.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_int
from course_utils.tasks._rng import as_generator

__all__ = ["ORDER_CLASSES", "ORDER_SYMBOLS", "SOLVED_ORDER_ACCURACY", "temporal_order"]

#: Symbols in one-hot order: four distractors, then the two relevant symbols.
ORDER_SYMBOLS = ("a", "b", "c", "d", "X", "Y")
#: Class index -> the pair of relevant symbols, in order.
ORDER_CLASSES = ("XX", "XY", "YX", "YY")
#: The course's one definition of "solved" for temporal order: held-out accuracy of at
#: least 0.9. Guessing scores 0.25 and remembering only the later symbol 0.5; at 0.9 a
#: model must carry the first symbol across the gap on at least 80 % of the sequences
#: (a model that carries it on a share p and guesses it on the rest scores 0.5 + p / 2).
SOLVED_ORDER_ACCURACY = 0.9


def temporal_order(n_sequences: int, length: int = 50, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Return one-hot ``x`` of shape ``(n, length, 6)`` (float32) and labels ``y`` ``(n,)``.

    ``y`` is an int32 class in ``0..3`` (see :data:`ORDER_CLASSES`). ``length`` must be
    at least 10, so that the two windows for the relevant symbols are apart.
    """
    n_sequences = check_int("n_sequences", n_sequences, minimum=1)
    length = check_int("length", length, minimum=10)
    rng = as_generator(seed)
    symbols = rng.integers(0, 4, size=(n_sequences, length))  # (n, T) distractors a-d
    first = rng.integers(length // 10, max(length // 5, length // 10 + 1), size=n_sequences)  # (n,)
    second = rng.integers(length // 2, max(3 * length // 5, length // 2 + 1), size=n_sequences)
    pair = rng.integers(0, 2, size=(n_sequences, 2))  # (n, 2): 0 = X, 1 = Y
    rows = np.arange(n_sequences)
    symbols[rows, first] = 4 + pair[:, 0]
    symbols[rows, second] = 4 + pair[:, 1]
    x = np.eye(len(ORDER_SYMBOLS), dtype="float32")[symbols]  # (n, T, 6)
    y = (2 * pair[:, 0] + pair[:, 1]).astype("int32")  # (n,)
    return x, y
