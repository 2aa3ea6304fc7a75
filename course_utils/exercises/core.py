"""The exercise core: instant feedback that teaches, declared as data.

A lesson's exercises live in ``course_utils/lessons/lNN_topic/exercises.py``, one module
per notebook, and the notebook imports them as ``ex``::

    from course_utils.lessons.l00_start_here import exercises as ex

    ex.count_rnn_params.question()               # the question and the answer format
    ex.count_rnn_params.check(count_rnn_params)  # shows the feedback box
    ex.count_rnn_params.hint()                   # a nudge; call again for the next hint
    ex.count_rnn_params.solution()               # the reference solution
    ex.progress()                                # what passed in this lesson, this session

Answers are always passed explicitly; nothing reads the notebook's globals.
``check(answer)`` shows the verdict; ``evaluate(answer) -> Feedback`` returns it
(``.status``: ``"correct"``, ``"incorrect"``, ``"not_attempted"``, ``"error"``
or ``"noted"`` for an ungraded reflection) and never raises. Every failure ends
with how to get a hint. ``None``, ``...``, an empty string and a function that
raises ``NotImplementedError`` count as "not attempted yet" (what the student
edition's stubs produce). Learner code runs under a time limit and its
exceptions become feedback (see :mod:`.sandbox`). ``ex.progress()`` shows this
session's attempts; each outcome is also recorded in a local progress file (read by
``course_utils.progress()``; ``COURSE_RECORD=off`` switches it off) and, under the
grader, in its log (:mod:`.outcomes`).

What a check returns (:class:`Feedback`) and the typical mistakes and required ideas
it is built from (:class:`Mistake`, :class:`Idea`) are in :mod:`.feedback`. The kinds
(:mod:`.kinds`): ``ValueExercise``, ``FunctionExercise``,
``ChoiceExercise`` and ``ReflectionExercise`` (free text: graded on required
ideas and declared misconceptions, or an explicitly ungraded reflection).

How to write a lesson's exercises (answer formats, hint tiers, what a free-text
check must judge, typical mistakes, and the test that runs every exercise in its
notebook): see ``CONTRIBUTING-exercises.md`` at the root of the repository.

It is longer than the course's 300-line guide because the Exercise base class is one
class whose methods (evaluate, check, hint tiers, solution, progress) share its state;
the lesson progress panel beside it is about 60 lines.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from course_utils.core.validation import check_int
from course_utils.exercises.display import Panel, show
from course_utils.exercises.feedback import (  # noqa: F401  (re-exported: the exercise API)
    STATUSES,
    Feedback,
    Idea,
    Mistake,
    _check_text,
    _is_placeholder,
)
from course_utils.exercises.outcomes import record
from course_utils.exercises.sandbox import safe_str

__all__ = [
    "Exercise",
    "exercises_in",
    "progress_for",
    "progress_panel",
]

#: After this many failed attempts the help line also points to ``solution()``.
SOLUTION_AFTER = 3
NOT_ATTEMPTED = "Replace the `...` with your answer, then run this cell again."


# --- the base class ---------------------------------------------------------


class Exercise:
    """What every kind shares: check/evaluate/hint/solution and session progress.

    Subclasses implement ``_evaluate(answer) -> Feedback`` (placeholders are
    handled here), ``_reference_answer()``, ``wrong_answers()`` and
    ``_default_solution()``.
    """

    kind = "exercise"

    def __init__(
        self,
        *,
        name: str,
        prompt: str = "",
        hints: Sequence[str] = (),
        solution: str | None = None,
        discussion: str = "",
        mistakes: Sequence[Mistake] = (),
        answer_format: str | None = None,
    ):
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise ValueError(
                f"name must be a public Python identifier named for what the exercise checks "
                f"(e.g. 'spectral_radius'); got {name!r}."
            )
        self.name = name
        self.lesson: str | None = None  # "lesson03", set by progress_for; outcomes recorded
        self.prompt = _check_text("prompt", prompt)
        if isinstance(hints, str):
            raise TypeError("hints must be a list of strings, easiest first; got one string.")
        self.hints = [
            _check_text(f"hints[{i}]", hint, allow_empty=False) for i, hint in enumerate(hints)
        ]
        self._solution_text = None if solution is None else _check_text("solution", solution)
        self.discussion = _check_text("discussion", discussion)
        for i, mistake in enumerate(mistakes):
            if not isinstance(mistake, Mistake):
                raise TypeError(f"mistakes[{i}] must be a Mistake; got {type(mistake).__name__}.")
        self.mistakes = list(mistakes)
        self._answer_format = (
            None if answer_format is None else _check_text("answer_format", answer_format)
        )
        self.reset_progress()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    # --- what tests need ----------------------------------------------------
    def reference_answer(self) -> object:
        """An answer that passes (a value, a function, a label or a text).

        A call is recorded, as ``solution()`` is (:mod:`.outcomes`), so that the grader
        can report a notebook that asked for it; the checks use ``_reference_answer()``.
        """
        record(self, "reference_answer")
        return self._reference_answer()

    def _reference_answer(self) -> object:
        raise NotImplementedError

    def wrong_answers(self) -> list[tuple[object, str]]:
        """``(answer, message)`` pairs: each answer must get that specific message."""
        return [(mistake.answer, mistake.message) for mistake in self.mistakes]

    # --- verdicts -----------------------------------------------------------
    def evaluate(self, answer: object = None) -> Feedback:
        """The verdict on ``answer``, not shown. Never raises (but KeyboardInterrupt)."""
        try:
            if _is_placeholder(answer):
                feedback = self.not_attempted(NOT_ATTEMPTED)
            else:
                feedback = self._evaluate(answer)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # a checker must never crash the notebook
            feedback = Feedback(
                self.name,
                "error",
                f"This answer could not be checked ({safe_str(error)}). Check that it is "
                "the kind of object the exercise asks for, or ask for help.",
            )
        if feedback.status in {"incorrect", "error"}:
            feedback = dataclasses.replace(feedback, help=self.help_line())
        self._record(feedback)
        return feedback

    def help_line(self) -> str:
        """How to get help, shown at the end of every failure."""
        if self.hints:
            line = f"Stuck? `ex.{self.name}.hint()` gives a nudge"
            line += "; call it again for more." if len(self.hints) > 1 else "."
        else:
            line = f"Stuck? `ex.{self.name}.solution()` shows a worked answer."
        if self.hints and self.attempts + 1 >= SOLUTION_AFTER and not self.ever_passed:
            line += f" After a few tries, `ex.{self.name}.solution()` shows a worked answer."
        return line

    def check(self, answer: object = None) -> None:
        """Show the verdict on ``answer`` (HTML box in Jupyter, text elsewhere)."""
        show(self.evaluate(answer))

    def _evaluate(self, answer: object) -> Feedback:
        raise NotImplementedError

    def correct(self, extra: str = "", *, praise: str = "Well done.") -> Feedback:
        message = " ".join(part for part in (praise, extra, self.discussion) if part)
        return Feedback(self.name, "correct", message)

    def incorrect(self, message: str, details: str = "") -> Feedback:
        return Feedback(self.name, "incorrect", message, details)

    def not_attempted(self, message: str) -> Feedback:
        return Feedback(self.name, "not_attempted", message)

    def error(self, message: str, details: str = "") -> Feedback:
        return Feedback(self.name, "error", message, details)

    def noted(self, message: str) -> Feedback:
        """An ungraded answer: recorded, never called correct."""
        return Feedback(self.name, "noted", message)

    # --- question, hints and solution ---------------------------------------
    def question(self) -> None:
        """Show the exercise's prompt and the answer format."""
        show(Panel("info", self.name, self.question_text()))

    def question_text(self) -> str:
        """The prompt, followed by the answer format (what ``question()`` shows)."""
        body = self._question_text() or "(no prompt: see the notebook)"
        answer_format = self.answer_format()
        return f"{body}\nAnswer format: {answer_format}" if answer_format else body

    def _question_text(self) -> str:
        return self.prompt

    def answer_format(self) -> str:
        """What kind of answer the check expects, in words: ``answer_format=`` when
        given, otherwise what the kind derives from the reference answer."""
        if self._answer_format is not None:
            return self._answer_format
        try:
            return self._default_answer_format()
        except Exception:  # a reference that cannot be described: say nothing
            return ""

    def _default_answer_format(self) -> str:
        return ""

    def hint(self, level: int | None = None) -> None:
        """Show the next hint (1 = a nudge, later ones the idea; never the full code).

        ``hint()`` shows hint 1, then hint 2 on the next call, and so on;
        ``hint(level)`` shows that one.
        """
        if level is None:
            level = min(self.hints_seen + 1, max(len(self.hints), 1))
        level = check_int("level", level, minimum=1)
        if not self.hints:
            show(
                Panel(
                    "hint",
                    f"{self.name}: no hints",
                    f"This exercise has no hints; `ex.{self.name}.solution()` shows the answer.",
                )
            )
            return
        shown = min(level, len(self.hints))
        self.hints_seen = max(self.hints_seen, shown)
        note = f" (there are only {len(self.hints)})" if level > len(self.hints) else ""
        if shown < len(self.hints):
            more = f"\nMore help: call `ex.{self.name}.hint()` again for hint {shown + 1}."
        else:
            more = f"\nThat was the last hint; `ex.{self.name}.solution()` shows a worked answer."
        record(self, "hint")
        show(
            Panel(
                "hint",
                f"{self.name}: hint {shown} of {len(self.hints)}{note}",
                self.hints[shown - 1] + more,
            )
        )

    def solution(self) -> None:
        """Show the reference solution (and the discussion, if any)."""
        self.solution_seen = True
        record(self, "solution")
        show(
            Panel("solution", f"{self.name}: solution", self.discussion, code=self._solution_code())
        )

    def solution_code(self) -> str:
        """The text ``solution()`` shows: code to paste into the stub (or the answer).

        A call is recorded, as ``solution()`` is, for the grader to report.
        """
        record(self, "solution_code")
        return self._solution_code()

    def _solution_code(self) -> str:
        return self._solution_text if self._solution_text is not None else self._default_solution()

    def _default_solution(self) -> str:
        return ""

    # --- progress -----------------------------------------------------------
    def reset_progress(self) -> None:
        """Forget this session's attempts (for tests)."""
        self.attempts = 0
        self.ever_passed = False
        self.ever_noted = False
        self.last_feedback: Feedback | None = None
        self.last_status: str | None = None
        self.hints_seen = 0
        self.solution_seen = False

    def _record(self, feedback: Feedback) -> None:
        self.last_feedback = feedback  # also "not attempted": the tests read it
        record(self, "check", feedback)  # the progress file and the grader's log
        if feedback.status == "not_attempted":
            return
        self.attempts += 1
        self.last_status = feedback.status
        self.ever_passed = self.ever_passed or feedback.passed
        self.ever_noted = self.ever_noted or feedback.status == "noted"


def exercises_in(module: ModuleType) -> list[Exercise]:
    """The public exercises defined in ``module``, in definition order."""
    return [
        value
        for key, value in vars(module).items()
        if isinstance(value, Exercise) and not key.startswith("_")
    ]


def _progress_note(exercise: Exercise) -> str:
    if exercise.attempts == 0:
        note = "not tried yet"
    elif exercise.ever_noted and not exercise.ever_passed:
        note = "answered (not graded)"
    elif exercise.ever_passed:
        note = f"passed ({exercise.attempts} attempt{'s' * (exercise.attempts > 1)})"
    else:
        note = (
            f"tried {exercise.attempts} time{'s' * (exercise.attempts > 1)}, "
            f"last: {exercise.last_status.replace('_', ' ')}"
        )
    if exercise.hints_seen:
        note += f"; {exercise.hints_seen} hint{'s' * (exercise.hints_seen > 1)}"
    if exercise.solution_seen:
        note += "; solution viewed"
    return note


def lesson_key(module: ModuleType | str) -> str:
    """``"lesson03"`` for lesson 03's exercises (``course_utils.lessons.l03_gradients.exercises``).

    A module outside a lesson's room keeps the last part of its name.
    """
    name = module if isinstance(module, str) else module.__name__
    parts = name.split(".")
    if len(parts) >= 3 and parts[-3] == "lessons" and re.fullmatch(r"l\d\d_\w+", parts[-2]):
        return f"lesson{parts[-2][1:3]}"
    return parts[-1]


def progress_panel(modules: Sequence[ModuleType]) -> Panel:
    """A summary of the session's attempts on every exercise in ``modules``."""
    rows, passed, noted, total = [], 0, 0, 0
    for module in modules:
        exercises = exercises_in(module)
        short = lesson_key(module)
        for exercise in exercises:
            done = exercise.ever_passed or exercise.ever_noted
            mark = True if done else (False if exercise.attempts else None)
            name = f"{short}.{exercise.name}" if len(modules) > 1 else exercise.name
            rows.append((mark, name, _progress_note(exercise)))
        passed += sum(exercise.ever_passed for exercise in exercises)
        noted += sum(exercise.ever_noted and not exercise.ever_passed for exercise in exercises)
        total += len(exercises)
    where = lesson_key(modules[0]) if len(modules) == 1 else f"{len(modules)} lessons"
    title = f"Progress, {where}: {passed} of {total} passed in this session"
    if noted:
        title += f", {noted} answered (not graded)"
    return Panel("info", title, "" if rows else "No exercises imported yet.", rows=rows)


def progress_for(module_name: str) -> Callable[[], None]:
    """Make a lesson module's ``progress()``: ``progress = progress_for(__name__)``.

    Called last in the module, it also tells each of the module's exercises its lesson
    (``"lesson03"``), under which its outcomes are recorded (:mod:`.outcomes`).
    """
    module = sys.modules.get(module_name)
    for exercise in exercises_in(module) if module is not None else []:
        exercise.lesson = lesson_key(module_name)

    def progress() -> None:
        """Show which of this lesson's exercises passed in this session (memory only)."""
        show(progress_panel([sys.modules[module_name]]))

    return progress
