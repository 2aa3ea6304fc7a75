"""Exercises with instant feedback, one module per lesson.

In a notebook::

    from course_utils.exercises import lesson00 as ex
    ex.sequence_shape.check(sequence_shape)

How to use them: :mod:`course_utils.exercises.core`; how to write them (answer
formats, hint tiers, free-text checks, typical mistakes, the all-exercise test):
``CONTRIBUTING-exercises.md`` at the repository root. Every ``lesson*`` module in this package is
found by :func:`lesson_modules`, so the generic tests cover new lessons at once.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType

from course_utils.exercises.core import (
    Exercise,
    Feedback,
    Idea,
    Mistake,
    exercises_in,
    progress_for,
    progress_panel,
)
from course_utils.exercises.display import show
from course_utils.exercises.kinds import (
    VAGUE_ANSWER,
    ChoiceExercise,
    FunctionExercise,
    ReflectionExercise,
    ValueExercise,
)

__all__ = [
    "VAGUE_ANSWER",
    "ChoiceExercise",
    "Exercise",
    "Feedback",
    "FunctionExercise",
    "Idea",
    "Mistake",
    "ReflectionExercise",
    "ValueExercise",
    "all_exercises",
    "exercises_in",
    "lesson_modules",
    "progress",
    "progress_for",
]


def lesson_modules() -> list[ModuleType]:
    """Import and return every ``lesson*`` module of this package, in name order."""
    names = sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name.startswith("lesson")
    )
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def all_exercises() -> dict[str, Exercise]:
    """Every exercise of every lesson module, keyed ``"lesson00.sequence_shape"``."""
    return {
        f"{module.__name__.rsplit('.', 1)[-1]}.{exercise.name}": exercise
        for module in lesson_modules()
        for exercise in exercises_in(module)
    }


def progress() -> None:
    """Show what passed in this session, for every lesson module imported so far."""
    prefix = f"{__name__}.lesson"
    modules = [sys.modules[name] for name in sorted(sys.modules) if name.startswith(prefix)]
    show(progress_panel(modules))
