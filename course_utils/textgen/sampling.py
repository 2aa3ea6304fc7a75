"""Turning a model's logits into the next token: temperature and top-k sampling.

Explained in ``notebooks/06_text_generation.ipynb``. NumPy only.

* ``temperature`` divides the logits: below 1 sharpens the distribution, above 1
  flattens it, and as it goes to 0 sampling becomes argmax (greedy decoding);
* ``top_k`` keeps the k most likely tokens and renormalises, so nothing outside
  them can ever be drawn.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int, check_number

__all__ = ["distribution", "sample"]


def distribution(logits, *, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """The probabilities that :func:`sample` draws from, float64, shape of ``logits``.

    ``logits``: ``(vocab,)`` or ``(batch, vocab)``. Raises ``ValueError`` for
    ``temperature <= 0`` and ``top_k < 1``.
    """
    logits = np.asarray(check_array("logits", logits, kind="any"), dtype=np.float64)
    if logits.ndim not in (1, 2) or logits.shape[-1] < 1:
        raise ValueError(f"logits must have shape (vocab,) or (batch, vocab); got {logits.shape}.")
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite.")
    temperature = check_number("temperature", temperature, minimum=0, strict_minimum=True)
    scaled = logits / temperature  # (..., vocab)
    if top_k is not None:
        top_k = check_int("top_k", top_k, minimum=1)
        if top_k < scaled.shape[-1]:
            # keep the k largest logits of each row (ties: the lower id), drop the rest
            order = np.argsort(-scaled, axis=-1, kind="stable")  # (..., vocab)
            keep = np.zeros(scaled.shape, dtype=bool)
            np.put_along_axis(keep, order[..., :top_k], True, axis=-1)
            scaled = np.where(keep, scaled, -np.inf)
    scaled = scaled - scaled.max(axis=-1, keepdims=True)  # largest is 0: no overflow
    weights = np.exp(scaled)  # (..., vocab)
    return weights / weights.sum(axis=-1, keepdims=True)


def sample(
    logits,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    rng: int | np.random.Generator = 0,
):
    """Draw token ids from ``logits`` after temperature and top-k.

    ``logits`` ``(vocab,)`` gives an ``int``; ``(batch, vocab)`` an int array ``(batch,)``.
    ``rng``: a seed or a ``numpy.random.Generator`` (pass the same generator on every
    step of a generation loop).
    """
    probs = distribution(logits, temperature=temperature, top_k=top_k)  # (..., vocab)
    if isinstance(rng, np.random.Generator):
        generator = rng
    else:
        generator = np.random.default_rng(check_int("rng", rng, minimum=0))
    rows = np.atleast_2d(probs)  # (batch, vocab)
    cumulative = np.cumsum(rows, axis=-1)  # (batch, vocab)
    draws = generator.random((rows.shape[0], 1))  # (batch, 1)
    ids = np.minimum((cumulative < draws * cumulative[:, -1:]).sum(axis=-1), rows.shape[1] - 1)
    ids = np.where(rows[np.arange(len(ids)), ids] > 0, ids, rows.argmax(axis=-1))  # never a 0
    return int(ids[0]) if probs.ndim == 1 else ids.astype(np.int64)
