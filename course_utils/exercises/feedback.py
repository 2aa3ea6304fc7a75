"""What a check says: :class:`Feedback` (the verdict on one answer), :class:`Mistake`
(a typical wrong answer and the message that names it) and :class:`Idea` (an idea a
free-text answer must hold). :mod:`.core` builds exercises from these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from course_utils.exercises.display import Panel

__all__ = ["Feedback", "Idea", "Mistake", "STATUSES"]

STATUSES = ("correct", "incorrect", "not_attempted", "error", "noted")
_HEADLINES = {
    "correct": "Correct",
    "incorrect": "Not quite",
    "not_attempted": "Not attempted yet",
    "error": "Your code did not finish",
    "noted": "Noted (not graded)",
}


# --- feedback and mistakes --------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer. ``check()`` shows it; ``evaluate()`` returns it."""

    exercise: str
    status: str
    message: str
    details: str = ""
    help: str = ""  # shown last: how to get a hint (failures only)

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
            footer=self.help,
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


@dataclass(frozen=True)
class Idea:
    """An idea a free-text answer must contain, recognised by regular expressions.

    ``Idea(description, patterns, message=None)``: the answer holds the idea when
    any of ``patterns`` (case-insensitive :func:`re.search`) matches it.
    ``description`` completes "Your answer does not yet say ..."; ``message``
    replaces that whole sentence when given. Example::

        Idea("where the memory lives", [r"output", r"target"])
    """

    description: str
    patterns: tuple[str, ...]
    message: str | None = None

    def __init__(self, description: str, patterns: Sequence[str], message: str | None = None):
        _check_text("description", description, allow_empty=False)
        if isinstance(patterns, str) or not isinstance(patterns, Sequence) or not patterns:
            raise TypeError(
                f"patterns must be a non-empty list of regular expressions; got {patterns!r}."
            )
        for i, pattern in enumerate(patterns):
            _check_text(f"patterns[{i}]", pattern, allow_empty=False)
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"patterns[{i}] {pattern!r} is not a regex: {error}.") from None
        if message is not None:
            _check_text("message", message, allow_empty=False)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "patterns", tuple(patterns))
        object.__setattr__(self, "message", message)

    def found_in(self, text: str) -> bool:
        """Whether ``text`` expresses this idea."""
        return any(re.search(pattern, text, flags=re.IGNORECASE) for pattern in self.patterns)

    def missing_message(self) -> str:
        return self.message or f"Your answer does not yet say {self.description}."


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
