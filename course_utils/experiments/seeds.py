"""Summaries of the same experiment repeated over several seeds.

Lesson 02 (``notebooks/02_jordan_networks.ipynb``) compares networks over seeds with
these: :func:`format_mean_std` for a table cell, :func:`clearly_lower` for a verdict that
does not over-read a small difference, and :func:`format_table` to print the table.
"""

from __future__ import annotations

import numpy as np

from course_utils.validation import check_array, check_int, check_number

__all__ = ["clearly_lower", "format_mean_std", "format_table", "mean_std"]


def _values(name: str, values) -> np.ndarray:
    values = check_array(name, np.asarray(values, dtype=float), ndim=1, dims="(seeds,)")
    if values.size == 0:
        raise ValueError(f"{name} must hold at least one value.")
    return values


def mean_std(values) -> tuple[float, float]:
    """Mean and sample standard deviation (``ddof=1``; 0 for a single value) of one value
    per seed: the course's one "mean ± std" (the verdicts use the same spread)."""
    values = _values("values", values)
    std = float(values.std(ddof=1)) if values.size > 1 else 0.0
    return float(values.mean()), std


def format_mean_std(values, digits: int = 3) -> str:
    """``"mean ± std"`` of one value per seed, as text (:func:`mean_std`)."""
    digits = check_int("digits", digits, minimum=0, maximum=10)
    mean, std = mean_std(values)
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def clearly_lower(a, b, z: float = 2.0) -> bool:
    """True when the mean of ``a`` is below the mean of ``b`` by more than ``z`` standard errors.

    The standard error of the difference is ``sqrt(var_a / n_a + var_b / n_b)``
    (sample variances; a single value counts as variance 0). With few seeds this is a
    rough guide, not a significance test: it says "the gap is large next to the spread".
    """
    a, b = _values("a", a), _values("b", b)
    z = check_number("z", z, minimum=0.0)
    var_a = a.var(ddof=1) if a.size > 1 else 0.0
    var_b = b.var(ddof=1) if b.size > 1 else 0.0
    gap = b.mean() - a.mean()
    return bool(gap > 0 and gap > z * np.sqrt(var_a / a.size + var_b / b.size))


def format_table(header, rows) -> str:
    """A plain-text table: ``header`` is a list of column titles, ``rows`` a list of lists.

    The first column is left-aligned, the others right-aligned; cells are converted with ``str``.
    """
    if not isinstance(header, (list, tuple)) or not header:
        raise TypeError(f"header must be a non-empty list of column titles; got {header!r}.")
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be a list of lists; got {type(rows).__name__}.")
    table = [[str(cell) for cell in header]]
    for i, row in enumerate(rows):
        if not isinstance(row, (list, tuple)) or len(row) != len(header):
            raise ValueError(f"rows[{i}] must have {len(header)} cells like header; got {row!r}.")
        table.append([str(cell) for cell in row])
    widths = [max(len(line[c]) for line in table) for c in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if c == 0 else cell.rjust(w)
            for c, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
