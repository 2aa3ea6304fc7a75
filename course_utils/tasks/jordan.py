"""Running parity: a task whose memory is visible in its own outputs (lesson 02).

The target at step ``t`` is the parity (XOR) of every input bit so far. Everything
the network must remember about the past is the previous target, so a Jordan
network, which feeds its previous output back, has exactly the memory it needs:
``y_t = y_{t-1} XOR x_t``. Temporal XOR (:func:`course_utils.tasks.temporal_xor`)
is the opposite case: the bit that must be remembered never appears in an output.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_int
from course_utils.tasks._rng import as_generator

__all__ = ["running_parity"]


def running_parity(n_sequences: int, length: int, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Random bits and the parity of all bits up to and including each step.

    Returns ``(x, y)``, both float32 of shape ``(n_sequences, length, 1)``, with
    ``y[:, t] = (x[:, 0] + ... + x[:, t]) % 2``.
    """
    n_sequences = check_int("n_sequences", n_sequences, minimum=1)
    length = check_int("length", length, minimum=1)
    rng = as_generator(seed)
    bits = rng.integers(0, 2, size=(n_sequences, length, 1))  # (n, T, 1)
    parity = np.cumsum(bits, axis=1) % 2  # (n, T, 1)
    return bits.astype("float32"), parity.astype("float32")
