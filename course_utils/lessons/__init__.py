"""One room per lesson: ``lNN_topic/`` holds everything that lesson alone uses.

A room has the lesson's exercises (``exercises.py``, always), and as the lesson needs them
its verdicts (``verdicts.py``), figures (``plots.py``) and the helpers that repeat the
lesson's loop over seeds and sizes (``experiments.py`` or a module named for its topic).
Rooms never import each other: what two lessons share lives below, in the core, the
models and data, the shared runs (``experiments/``, ``textgen/``) or the shared
presentation (``plotting/``, ``exercises/``, ``verdicts.py``). ``tests/test_import_rules.py``
keeps the layers and the rooms apart; ARCHITECTURE.md's lesson -> files table is generated
by ``tools/layout.py`` and kept true by ``tests/test_layout.py``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

from course_utils.exercises.core import Exercise, exercises_in, lesson_key

__all__ = ["ROOM", "all_exercises", "lesson_modules", "rooms"]

#: A room's folder name: ``l`` + the lesson's two digits + ``_`` + its topic.
ROOM = re.compile(r"l(\d\d)_[a-z0-9_]+")


def rooms() -> list[str]:
    """The rooms' folder names, in lesson order (``["l00_start_here", "l01_elman", ...]``)."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if info.ispkg and ROOM.fullmatch(info.name)
    )


def lesson_modules() -> list[ModuleType]:
    """Import and return every room's ``exercises`` module, in lesson order."""
    return [importlib.import_module(f"{__name__}.{room}.exercises") for room in rooms()]


def all_exercises() -> dict[str, Exercise]:
    """Every exercise of every lesson, keyed ``"lesson00.sequence_shape"``."""
    return {
        f"{lesson_key(module)}.{exercise.name}": exercise
        for module in lesson_modules()
        for exercise in exercises_in(module)
    }
