"""Losses that return their gradient too: ``loss, d_predictions = loss_fn(...)``.

Both average over every position (batch, and time if present), like Keras's
``SparseCategoricalCrossentropy(from_logits=True)`` and ``MeanSquaredError`` with the
default ``"sum_over_batch_size"`` reduction, so the numbers match Keras's.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array

__all__ = ["mean_squared_error", "softmax", "softmax_cross_entropy"]


def softmax(logits) -> np.ndarray:
    """Softmax over the last axis, shifted by the max so ``exp`` never overflows."""
    logits = check_array("logits", logits)
    z = logits - logits.max(axis=-1, keepdims=True)  # (..., classes)
    e = np.exp(z)  # (..., classes)
    return e / e.sum(axis=-1, keepdims=True)  # (..., classes)


def softmax_cross_entropy(logits, targets) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of ``softmax(logits)`` against ``targets``; returns ``(loss, dlogits)``.

    logits: ``(..., classes)`` float array, e.g. ``(batch, time, vocab)``.
    targets: integer class ids of shape ``logits.shape[:-1]``, or a float array of
        probabilities (e.g. one-hot) of the same shape as ``logits``.
    The gradient is the famous ``(softmax(logits) - one_hot(targets)) / N`` with
    ``N`` the number of positions.
    """
    logits = check_array("logits", logits, dims="(..., classes)")
    if logits.ndim < 1:
        raise ValueError(f"logits must have at least one axis (classes); got shape {logits.shape}.")
    targets = check_array("targets", targets, kind="any")
    classes = logits.shape[-1]
    if np.issubdtype(targets.dtype, np.integer):
        if targets.shape != logits.shape[:-1]:
            raise ValueError(
                f"integer targets must have shape {logits.shape[:-1]} (logits without the class "
                f"axis); got {targets.shape}."
            )
        if targets.size and (targets.min() < 0 or targets.max() >= classes):
            raise ValueError(
                f"targets must be class ids in [0, {classes - 1}]; got values from "
                f"{targets.min()} to {targets.max()}."
            )
        one_hot = np.eye(classes, dtype=logits.dtype)[targets]  # (..., classes)
    elif np.issubdtype(targets.dtype, np.floating):
        if targets.shape != logits.shape:
            raise ValueError(
                f"float targets (probabilities) must have the shape of logits {logits.shape}; "
                f"got {targets.shape}."
            )
        one_hot = targets.astype(logits.dtype, copy=False)
    else:
        raise TypeError(
            f"targets must be integer class ids or float probabilities; got dtype {targets.dtype}."
        )
    n = logits.size // classes  # number of positions averaged over
    z = logits - logits.max(axis=-1, keepdims=True)  # (..., classes)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))  # (..., classes)
    loss = -float((one_hot * log_probs).sum()) / n
    dlogits = (np.exp(log_probs) * one_hot.sum(axis=-1, keepdims=True) - one_hot) / n
    return loss, dlogits.astype(logits.dtype, copy=False)


def mean_squared_error(predictions, targets) -> tuple[float, np.ndarray]:
    """Mean of ``(predictions - targets)**2`` over every element; returns ``(loss, dpred)``."""
    predictions = check_array("predictions", predictions)
    targets = check_array("targets", targets, shape=predictions.shape, dims="like predictions")
    diff = predictions - targets  # (...)
    loss = float(np.mean(diff**2))
    return loss, (2.0 / diff.size) * diff
