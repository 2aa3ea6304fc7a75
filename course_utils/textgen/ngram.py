"""A count-based character n-gram model: the baseline any trained character model must beat.

Lesson 06's appendix (``notebooks/06b_benchmark_race.ipynb``) prints it beside the race: it
needs no training, only counting, so it shows what "a few minutes of training" buys over
the statistics of the last few characters. NumPy only.

:func:`ngram_bits_per_char` counts, in the training ids, how often each character follows
each context of ``context`` characters, and scores held-out rows (from
:func:`course_utils.textgen.held_out_rows`) with add-``alpha`` smoothing:
``p(c | ctx) = (count(ctx, c) + alpha) / (count(ctx) + alpha * vocab_size)``.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int, check_number

__all__ = ["ngram_bits_per_char"]


def _codes(ids: np.ndarray, context: int, vocab_size: int) -> np.ndarray:
    """One int64 code per position ``t >= context``: the ids ``t - context .. t`` in base V."""
    code = np.zeros(len(ids) - context, dtype=np.int64)
    for k in range(context + 1):
        code = code * vocab_size + ids[k : len(ids) - context + k]
    return code  # (len(ids) - context,)


def _lookup(table: np.ndarray, counts: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``counts`` of ``keys`` in the sorted ``table``; 0 for keys not in it."""
    where = np.clip(np.searchsorted(table, keys), 0, max(len(table) - 1, 0))
    found = table[where] == keys if len(table) else np.zeros(len(keys), bool)
    return np.where(found, counts[where], 0)


def ngram_bits_per_char(
    train_ids,
    rows,
    *,
    context: int,
    vocab_size: int,
    alpha: float = 0.1,
    burn_in: int = 100,
) -> float:
    """Held-out bits per character of an add-``alpha`` ``context``-character count model.

    ``train_ids``: 1-D int ids to count in. ``rows``: ``(rows, length + 1)`` held-out ids
    (:func:`~course_utils.textgen.held_out_rows`); target ``t`` of a row (its character
    ``t + 1``) is predicted from the ``context`` characters before it, and targets
    ``burn_in`` onwards are scored, the same positions as the race's carried score.
    """
    train_ids = check_array("train_ids", train_ids, ndim=1, kind="int")
    rows = check_array("rows", rows, ndim=2, kind="int", dims="(rows, length + 1)")
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    context = check_int("context", context, minimum=0, maximum=8)  # codes fit in int64
    alpha = check_number("alpha", alpha, minimum=0.0, strict_minimum=True)
    burn_in = check_int("burn_in", burn_in, minimum=max(context - 1, 0), maximum=rows.shape[1] - 2)
    if max(train_ids.max(), rows.max()) >= vocab_size or min(train_ids.min(), rows.min()) < 0:
        raise ValueError(f"ids must lie in [0, {vocab_size}); got values outside it.")
    train_ids, rows = train_ids.astype(np.int64), rows.astype(np.int64)
    full, full_counts = np.unique(_codes(train_ids, context, vocab_size), return_counts=True)
    ctx = np.unique(full // vocab_size)  # the contexts seen, sorted
    ctx_counts = np.bincount(np.searchsorted(ctx, full // vocab_size), weights=full_counts)
    # scored targets: row positions burn_in + 1 .. end, each with its `context` predecessors
    held = np.concatenate([_codes(r, context, vocab_size)[burn_in + 1 - context :] for r in rows])
    n_full = _lookup(full, full_counts, held)  # (scored,)
    n_ctx = _lookup(ctx, ctx_counts, held // vocab_size)
    p = (n_full + alpha) / (n_ctx + alpha * vocab_size)
    return float(-np.log2(p).mean())
