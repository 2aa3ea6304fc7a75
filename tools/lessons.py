"""The lesson notebooks, in order: what every maintainer tool iterates over."""

from __future__ import annotations

from pathlib import Path

__all__ = ["lessons"]


def lessons(folder: Path) -> list[Path]:
    """``NN_*.ipynb`` in ``folder``, sorted by their number."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))
