"""The exercise core: instant feedback that teaches, declared as data.

A lesson's exercises live in ``course_utils/exercises/lessonNN.py``, one module
per notebook, and the notebook imports them as ``ex``::

    from course_utils.exercises import lesson00 as ex

    ex.count_rnn_params.check(count_rnn_params)  # shows the feedback box
    ex.count_rnn_params.hint()                   # hint 1; ex.count_rnn_params.hint(2): the next
    ex.count_rnn_params.solution()               # the reference solution
    ex.progress()                                # what passed in this lesson, this session

Answers are always passed explicitly; nothing reads the notebook's globals.

Learner API (every kind)
------------------------
``check(answer)``
    Shows the feedback and returns ``None``: a green box when correct, red when
    not, orange when the learner's code raised or ran too long, grey when not
    attempted yet. In a Jupyter kernel it is an HTML box (``IPython.display``),
    elsewhere plain text on stdout. It returns nothing, so the box is never shown
    twice when ``check`` is the last line of a cell.
``evaluate(answer) -> Feedback``
    The same verdict without showing it, for tests: ``.status`` is one of
    ``"correct"``, ``"incorrect"``, ``"not_attempted"``, ``"error"``; also
    ``.message``, ``.details`` and ``.passed``. Never raises.
``hint(level=1)``, ``solution()``, ``question()``
    Show the tiered hints, the solution, the prompt (with a choice's options).

``None``, ``...``, an empty string and a function that raises
``NotImplementedError`` all count as "not attempted yet" (what the student
edition's stubs produce). Exceptions in learner code become feedback that
shows the learner's own line; a learner function that runs longer than
``time_limit`` seconds per call is stopped: by a ``SIGALRM`` timer on Unix in
the main thread (where Jupyter runs cells), otherwise by no longer waiting for
a worker thread, which Python cannot kill (the feedback says so; see
:mod:`.sandbox`).

Progress (``ex.progress()`` in a lesson module, ``course_utils.exercises.progress()``
for every lesson imported so far) lists what passed in this Python session,
counting every ``check``/``evaluate`` that was not "not attempted", plus hints
and solutions viewed. It lives in memory only, on the exercise objects: no
files, no network.

Writing a lesson module
-----------------------
Import the pieces with::

    from course_utils.exercises.core import Mistake, progress_for
    from course_utils.exercises.kinds import (
        ChoiceExercise, FunctionExercise, ReflectionExercise, ValueExercise)

Name each exercise for what it checks (``spectral_radius``, never ``q1``); the
module attribute and ``name=`` must agree. Every exercise declares at least two
typical wrong answers, each with its own teaching message; the generic test
``tests/test_exercises_lessons.py`` finds every ``lesson*`` module and checks
that the reference passes and that each wrong answer gets its message. Each
kind's keyword arguments: see its class. All kinds take ``name``, ``prompt``,
``hints`` (list, easiest first), ``solution`` (text or code shown by
``solution()``; each kind has a sensible default) and ``discussion`` (shown
once the answer is correct). ``Exercise.wrong_answers()`` lists the typical
wrong answers the tests feed in: every ``Mistake`` (``Mistake.when`` needs an
``example`` for this), every explained wrong option of a choice, and a
reflection's built-in "too short" and "not text" answers.

A value, compared with a tolerance (arrays: shape, then dtype kind, then values)::

    sequence_shape = ValueExercise(
        name="sequence_shape",
        prompt="Shape of a batch of 32 sentences of 50 words, 100 features per word?",
        answer=(32, 50, 100),  # or a zero-argument callable, computed on first use
        rtol=1e-5, atol=1e-8,
        mistakes=[
            Mistake((50, 32, 100), "That is time-major; Keras puts the batch axis first."),
            Mistake.when(lambda a: len(a) == 2, "Three axes: batch, time, features.",
                         example=(32, 50)),
        ],
        hints=["Keras RNN inputs are (batch, time, features)."],
    )

A function, run against a reference on generated cases (edge cases first)::

    def _count_rnn_params(input_size, hidden_size):  # "_" is dropped in solution()
        return hidden_size * (input_size + hidden_size + 1)

    count_rnn_params = FunctionExercise(
        name="count_rnn_params",
        reference=_count_rnn_params,
        cases=lambda rng: {"input_size": int(rng.integers(1, 50)),
                           "hidden_size": int(rng.integers(1, 50))},
        edge_cases=[{"input_size": 1, "hidden_size": 1}],
        n_cases=10, seed=0, time_limit=3.0,
        mistakes=[Mistake(lambda m, h: h * (m + h), "You forgot the bias: one per unit.")],
    )

Cases are dicts of argument name -> value, in parameter order; the learner's
function is called positionally (so it may name its parameters differently),
on deep copies. A mistake here is a known *wrong implementation*: when the
learner's function agrees with it on every case, its message is shown.

A choice among labelled options; each wrong option explains itself::

    why_recurrence = ChoiceExercise(
        name="why_recurrence",
        options={"a": "To reuse the same weights at every time step.",
                 "b": "To add parameters for each time step."},
        answer="a",
        explanations={"b": "Recurrence adds no parameters per step: W_hh is shared."},
    )

A reflection: any answer of ``min_length`` characters passes and unlocks the
discussion (``Mistake.when`` predicates may still nudge)::

    window_vs_state = ReflectionExercise(
        name="window_vs_state",
        prompt="What can an RNN remember that a 5-step window model cannot?",
        discussion="The window forgets everything older than 5 steps; ...",
        min_length=40,
    )

Lesson modules end with ``progress = progress_for(__name__)``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType

from course_utils.exercises.display import Panel, show
from course_utils.exercises.sandbox import safe_str
from course_utils.validation import check_int

__all__ = ["Exercise", "Feedback", "Mistake", "exercises_in", "progress_for", "progress_panel"]

STATUSES = ("correct", "incorrect", "not_attempted", "error")
_HEADLINES = {
    "correct": "Correct",
    "incorrect": "Not quite",
    "not_attempted": "Not attempted yet",
    "error": "Your code did not finish",
}
NOT_ATTEMPTED = "Replace the `...` with your answer, then run this cell again."


# --- feedback and mistakes --------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer. ``check()`` shows it; ``evaluate()`` returns it."""

    exercise: str
    status: str
    message: str
    details: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}; got {self.status!r}.")

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    def panel(self) -> Panel:
        return Panel(
            self.status,
            f"{self.exercise}: {_HEADLINES[self.status]}",
            self.message,
            details=self.details,
        )

    def text(self) -> str:
        return self.panel().text()

    def _repr_html_(self) -> str:
        return self.panel()._repr_html_()

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self.text())


_NO_PREDICATE = None


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer and what to teach when a learner gives it.

    ``Mistake(answer, message)``: a known wrong answer; for a value exercise a
    wrong value (compared with the exercise's tolerance), for a function
    exercise a wrong implementation. ``Mistake.when(predicate, message,
    example=...)``: any answer for which ``predicate(answer)`` is true; the
    ``example`` is what the tests feed in to prove the message is reachable.
    """

    answer: object
    message: str
    predicate: Callable[[object], object] | None = field(default=_NO_PREDICATE, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.message, str) or not self.message.strip():
            raise TypeError(f"Mistake message must be a non-empty string; got {self.message!r}.")
        if self.predicate is not None and not callable(self.predicate):
            raise TypeError(f"Mistake predicate must be callable; got {self.predicate!r}.")

    @classmethod
    def when(
        cls, predicate: Callable[[object], object], message: str, *, example: object
    ) -> Mistake:
        """A mistake recognised by ``predicate``; ``example`` must satisfy it."""
        return cls(answer=example, message=message, predicate=predicate)

    def matches_by_predicate(self, answer: object) -> bool:
        """``predicate(answer)``, with any exception in it counting as no match."""
        try:
            return bool(self.predicate(answer))
        except Exception:
            return False


def _check_text(name: str, value: object, *, allow_empty: bool = True) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string; got {type(value).__name__} {value!r}.")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must not be empty.")
    return value


def _is_placeholder(answer: object) -> bool:
    return (
        answer is None
        or answer is Ellipsis
        or (isinstance(answer, str) and answer.strip() in {"", "..."})
    )


# --- the base class ---------------------------------------------------------


class Exercise:
    """What every kind shares: check/evaluate/hint/solution and session progress.

    Subclasses implement ``_evaluate(answer) -> Feedback`` (placeholders are
    handled here), ``reference_answer()``, ``wrong_answers()`` and
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
    ):
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise ValueError(
                f"name must be a public Python identifier named for what the exercise checks "
                f"(e.g. 'spectral_radius'); got {name!r}."
            )
        self.name = name
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
        self.reset_progress()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    # --- what tests need ----------------------------------------------------
    def reference_answer(self) -> object:
        """An answer that passes (a value, a function, a label or a text)."""
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
        self._record(feedback)
        return feedback

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

    # --- question, hints and solution ---------------------------------------
    def question(self) -> None:
        """Show the exercise's prompt."""
        show(Panel("info", self.name, self._question_text() or "(no prompt: see the notebook)"))

    def _question_text(self) -> str:
        return self.prompt

    def hint(self, level: int = 1) -> None:
        """Show hint ``level`` (1 = gentlest)."""
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
        more = (
            f"\nMore help: `ex.{self.name}.hint({shown + 1})`." if shown < len(self.hints) else ""
        )
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
        text = self._solution_text if self._solution_text is not None else self._default_solution()
        show(Panel("solution", f"{self.name}: solution", self.discussion, code=text))

    def _default_solution(self) -> str:
        return ""

    # --- progress -----------------------------------------------------------
    def reset_progress(self) -> None:
        """Forget this session's attempts (for tests)."""
        self.attempts = 0
        self.ever_passed = False
        self.last_status: str | None = None
        self.hints_seen = 0
        self.solution_seen = False

    def _record(self, feedback: Feedback) -> None:
        if feedback.status == "not_attempted":
            return
        self.attempts += 1
        self.last_status = feedback.status
        self.ever_passed = self.ever_passed or feedback.passed


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


def progress_panel(modules: Sequence[ModuleType]) -> Panel:
    """A summary of the session's attempts on every exercise in ``modules``."""
    rows, passed, total = [], 0, 0
    for module in modules:
        exercises = exercises_in(module)
        short = module.__name__.rsplit(".", 1)[-1]
        for exercise in exercises:
            mark = True if exercise.ever_passed else (False if exercise.attempts else None)
            name = f"{short}.{exercise.name}" if len(modules) > 1 else exercise.name
            rows.append((mark, name, _progress_note(exercise)))
        passed += sum(exercise.ever_passed for exercise in exercises)
        total += len(exercises)
    where = (
        modules[0].__name__.rsplit(".", 1)[-1] if len(modules) == 1 else f"{len(modules)} lessons"
    )
    title = f"Progress, {where}: {passed} of {total} passed in this session"
    return Panel("info", title, "" if rows else "No exercises imported yet.", rows=rows)


def progress_for(module_name: str) -> Callable[[], None]:
    """Make a lesson module's ``progress()``: ``progress = progress_for(__name__)``."""

    def progress() -> None:
        """Show which of this lesson's exercises passed in this session (memory only)."""
        show(progress_panel([sys.modules[module_name]]))

    return progress
