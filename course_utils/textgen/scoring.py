"""Cross-entropy of next-character predictions: the one scoring rule of lesson 06.

:func:`course_utils.textgen.train.bits_per_char` (RNNs) and
:func:`course_utils.textgen.transformer.transformer_bits_per_char` both use it.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["LN2", "cross_entropy", "window_pieces"]

LN2 = math.log(2.0)


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Nats per position: ``-log softmax(logits)[target]``, in float64 for stability."""
    z = logits.astype(np.float64)  # (rows, time, vocab)
    z = z - z.max(axis=-1, keepdims=True)
    log_norm = np.log(np.exp(z).sum(axis=-1))  # (rows, time)
    return log_norm - np.take_along_axis(z, targets[..., None], axis=-1)[..., 0]  # nats


def window_pieces(inputs: np.ndarray, targets: np.ndarray, window: int, start: int = 0):
    """Positions ``start:`` of every row, cut into windows of ``window`` (the last of each
    row shorter when the rest does not divide): ``[(x, y), ...]``, each ``(windows, w)``.

    Scoring every piece covers exactly the positions a carried score with ``burn_in=start``
    covers, so the two scores can be compared position for position.
    """
    length = inputs.shape[1]
    usable = (length - start) // window * window
    pieces = []
    if usable:
        end = start + usable
        pieces.append(
            (inputs[:, start:end].reshape(-1, window), targets[:, start:end].reshape(-1, window))
        )  # (rows * usable / window, window) each
    if start + usable < length:
        pieces.append((inputs[:, start + usable :], targets[:, start + usable :]))  # the tails
    return pieces
