"""Lesson 07's committed measurements: the architecture grid and its two follow-ups."""

from __future__ import annotations

from course_utils.core.results import load_results
from course_utils.lessons.l07_choosing.analysis import validate_grid
from course_utils.lessons.l07_choosing.harness import migrate_grid

__all__ = ["load_grid", "load_probes"]


def load_grid(name: str = "architecture_grid") -> dict:
    """The committed grid ``benchmarks/results/<name>.json``, migrated to the current
    schema (:func:`migrate_grid`) and checked against it."""
    return validate_grid(migrate_grid(load_results(name)))


def load_probes(name: str = "architecture_probes") -> dict:
    """The committed follow-ups (``order_lr``, ``data_sweep``) of the architecture grid."""
    probes = load_results(name)
    for key in ("order_lr", "data_sweep"):
        if key not in probes:
            raise ValueError(f"{name}.json has no {key!r} entry; run benchmarks/{name}.py.")
    return probes
