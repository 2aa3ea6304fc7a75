"""The course's one table builder, and the one table cell for values over seeds.

:func:`table` lays out every table the course prints or displays: ``style="text"`` for
``print`` (aligned columns under a dashed rule), ``style="markdown"`` for
``IPython.display.Markdown`` and the website. Lesson helpers choose the rows and
columns; this module only lays them out. :func:`format_mean_std` is the cell for one
value per seed (the statistics core's spread). Verdicts come from
:mod:`course_utils.core.evidence`.
"""

from __future__ import annotations

from course_utils.core.evidence import spread
from course_utils.core.validation import check_choice, check_int

__all__ = ["STYLES", "format_mean_std", "table"]

STYLES = ("text", "markdown")


def format_mean_std(values, digits: int = 3) -> str:
    """``"mean ± std"`` of one value per seed, as a table cell: the statistics core's one
    spread (:func:`course_utils.core.evidence.spread`, sample std), with ``digits`` decimals."""
    digits = check_int("digits", digits, minimum=0, maximum=10)
    s = spread(values)
    return s.text(digits, fixed=True, counted=s.n == 1)  # a single value says "1 seed"


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(header, rows, *, style: str = "text", align: str | None = None) -> str:
    """A table of ``rows`` (lists of cells, converted with ``str``) under ``header``.

    style: ``"text"`` (columns padded to their widest cell, a dashed rule under the
    header) or ``"markdown"`` (a pipe table; ``|`` and newlines in cells are escaped).
    align: one ``"l"`` or ``"r"`` per column for ``"text"``; by default the first column
    is left-aligned and the others right-aligned. An empty header cell is allowed (a
    row-label column, or marks such as "<- chosen"); the text rule skips it.
    """
    check_choice("style", style, STYLES)
    if not isinstance(header, (list, tuple)) or not header:
        raise TypeError(f"header must be a non-empty list of column titles; got {header!r}.")
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be a list of lists; got {type(rows).__name__}.")
    lines = [[str(cell) for cell in header]]
    for i, row in enumerate(rows):
        if not isinstance(row, (list, tuple)) or len(row) != len(header):
            raise ValueError(f"rows[{i}] must have {len(header)} cells like header; got {row!r}.")
        lines.append([str(cell) for cell in row])
    if style == "markdown":
        out = ["| " + " | ".join(_markdown_cell(c) for c in line) + " |" for line in lines]
        out.insert(1, "|" + "---|" * len(header))
        return "\n".join(out)
    align = align or "l" + "r" * (len(header) - 1)
    if not isinstance(align, str) or len(align) != len(header) or set(align) - {"l", "r"}:
        raise ValueError(f"align must be one 'l' or 'r' per column ({len(header)}); got {align!r}.")
    widths = [max(len(line[c]) for line in lines) for c in range(len(header))]
    out = [
        "  ".join(
            cell.ljust(w) if a == "l" else cell.rjust(w)
            for cell, w, a in zip(line, widths, align, strict=True)
        ).rstrip()
        for line in lines
    ]
    rule = "  ".join(("-" if title else " ") * w for title, w in zip(lines[0], widths, strict=True))
    out.insert(1, rule.rstrip())  # no rule under an untitled column (a mark, a note)
    return "\n".join(out)
