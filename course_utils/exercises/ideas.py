"""Judge a free-text answer by the ideas it names (used by lessons 00-02's written answers).

A written answer is graded, not just collected: :func:`missing` builds a
``Mistake.when`` that fires when none of the words of an idea appear, and
:func:`restates` one that fires when the answer repeats the claim the exercise asks
the learner to correct. Word lists are lower-case stems matched at the start of a
word, so "remember" also matches "remembers" but "any" does not match "many". A grader of this kind can be fooled by an
answer that names the right words for the wrong reasons; the discussion shown after
a pass is there to compare with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from course_utils.exercises.feedback import Mistake
from course_utils.exercises.kinds import ReflectionExercise

__all__ = ["GradedTextExercise", "mentions", "missing", "restates"]


def _stems(name: str, words) -> tuple[str, ...]:
    if isinstance(words, str) or not isinstance(words, Sequence) or not words:
        raise TypeError(f"{name} must be a non-empty list of lower-case words; got {words!r}.")
    if not all(isinstance(w, str) and w.strip() for w in words):
        raise TypeError(f"{name} must hold non-empty strings; got {words!r}.")
    return tuple(w.lower() for w in words)


def mentions(text: str, words: Sequence[str]) -> bool:
    """True when a word of ``text`` starts with one of ``words`` (case-insensitive)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}.")
    lower = text.lower()
    return any(re.search(r"\b" + re.escape(w), lower) for w in _stems("words", words))


def missing(words: Sequence[str], message: str, *, example: str) -> Mistake:
    """A mistake for answers that name none of ``words`` (an idea the answer needs)."""
    stems = _stems("words", words)
    return Mistake.when(lambda text: not mentions(text, stems), message, example=example)


def restates(
    claim_words: Sequence[Sequence[str]], message: str, *, unless: Sequence[str], example: str
) -> Mistake:
    """A mistake for answers that name every group of ``claim_words`` (the claim to
    correct) and none of ``unless`` (the idea that corrects it)."""
    if isinstance(claim_words, str) or not claim_words:
        raise TypeError("claim_words must be a non-empty list of word lists.")
    groups = [_stems(f"claim_words[{i}]", g) for i, g in enumerate(claim_words)]
    fixes = _stems("unless", unless)
    return Mistake.when(
        lambda text: all(mentions(text, g) for g in groups) and not mentions(text, fixes),
        message,
        example=example,
    )


class GradedTextExercise(ReflectionExercise):
    """A written answer that is graded: the ``mistakes`` (built with :func:`missing` and
    :func:`restates`) must all stay silent for it to pass. Only the "too short" message
    differs from a reflection's, which says that there is no wrong answer."""

    def _too_short(self) -> str:
        return (
            f"Write a little more: at least {self.min_length} characters, in full sentences "
            "that name the ideas the question asks for."
        )
