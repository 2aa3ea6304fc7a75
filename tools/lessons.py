"""The lesson notebooks, in order: what every maintainer tool iterates over.

A lesson is ``NN_topic.ipynb``; an appendix to lesson ``NN`` is ``NNx_topic.ipynb`` (a
lowercase letter after the number, e.g. ``06b_benchmark_race.ipynb``). An appendix shares
its lesson's room (``course_utils/lessons/lNN_*``) and is run, timed, stamped, listed and
published like a lesson; it needs no exercises of its own (``tests/test_notebooks_meta.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["APPENDIX", "PATTERNS", "is_appendix", "lessons"]

#: Lessons, then appendices; sorted together, ``06b_...`` comes after ``06_...``.
PATTERNS = ("[0-9][0-9]_*.ipynb", "[0-9][0-9][a-z]_*.ipynb")
APPENDIX = re.compile(r"\d\d[a-z]_")


def lessons(folder: Path) -> list[Path]:
    """``NN_*.ipynb`` and ``NNx_*.ipynb`` in ``folder``, sorted by their number."""
    return sorted(p for pattern in PATTERNS for p in Path(folder).glob(pattern))


def is_appendix(path: Path | str) -> bool:
    """Whether a notebook is an appendix to a lesson (``06b_benchmark_race.ipynb``)."""
    return APPENDIX.match(Path(path).name) is not None
