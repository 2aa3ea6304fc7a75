"""Exercises with instant feedback: the machinery every lesson's ``exercises.py`` uses.

Each lesson's exercises live in its room. In a notebook::

    from course_utils.lessons.l00_start_here import exercises as ex
    ex.sequence_shape.check(sequence_shape)

How to use them: :mod:`course_utils.exercises.core`; how to write them (answer
formats, hint tiers, free-text checks, typical mistakes, the all-exercise test):
``CONTRIBUTING-exercises.md`` at the repository root. Every room's ``exercises`` module is
found by :func:`course_utils.lessons.lesson_modules`, so the generic tests cover new lessons
at once.
"""

from __future__ import annotations

import sys

from course_utils.exercises.core import (
    Exercise,
    exercises_in,
    lesson_key,
    progress_for,
    progress_panel,
)
from course_utils.exercises.display import show
from course_utils.exercises.feedback import Feedback, Idea, Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.kinds import (
    VAGUE_ANSWER,
    ChoiceExercise,
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
    "exercises_in",
    "lesson_key",
    "progress",
    "progress_for",
]


def progress() -> None:
    """Show what passed in this session, for every lesson module imported so far."""
    modules = [
        sys.modules[name]
        for name in sorted(sys.modules)
        if name.startswith("course_utils.lessons.") and name.endswith(".exercises")
    ]
    show(progress_panel(modules))
