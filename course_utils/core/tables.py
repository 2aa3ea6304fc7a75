"""Summaries of the same experiment repeated over several seeds.

Lesson 02 (``notebooks/02_jordan_networks.ipynb``) prints its tables with these:
:func:`format_mean_std` for a table cell (the statistics core's spread) and
:func:`format_table`. Verdicts come from :mod:`course_utils.core.evidence`.
"""

from __future__ import annotations

from course_utils.core.evidence import spread
from course_utils.core.validation import check_int

__all__ = ["format_mean_std", "format_table"]


def format_mean_std(values, digits: int = 3) -> str:
    """``"mean ± std"`` of one value per seed, as a table cell: the statistics core's one
    spread (:func:`course_utils.core.evidence.spread`, sample std), with ``digits`` decimals."""
    digits = check_int("digits", digits, minimum=0, maximum=10)
    s = spread(values)
    return s.text(digits, fixed=True, counted=s.n == 1)  # a single value says "1 seed"


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
