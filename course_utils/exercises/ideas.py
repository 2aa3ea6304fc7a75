"""Judge a free-text answer by the ideas it affirms: every graded written answer of the
course (lessons 00, 01, 02, 07 and 08) is built from these.

An idea is a list of lower-case stems matched at the start of a word ("remember" also
matches "remembers", "any" does not match "many"). A :class:`Reading` says whom the
answer is about (``subject``: the RNN, attention) and which model the question sets
against it (``contrast``: the window model, the plain decoder), and reads the answer
clause by clause (:mod:`.clauses`). An idea is

- *affirmed* when a clause about the subject names it without negation ("it keeps a
  hidden state", "it never forgets", "it is not limited to 5 steps"), or names it as a
  condition ("fails when the past is not in its outputs");
- *denied* when it is named only under negation ("the RNN does not keep a state");
- *absent* otherwise. Clauses about the contrast model count for neither: "the window
  model cannot see step t-6" neither denies nor affirms what the RNN can do.

Three kinds of ``Mistake.when`` are built from a reading: :meth:`Reading.denies` (the
answer denies the idea: it is told so, plainly), :meth:`Reading.missing` (the answer
does not affirm it: list it after ``denies`` so that a denial gets its own message) and
:meth:`Reading.restates` (the answer affirms the claim the exercise asks the learner to
correct). A grader of this kind reads sentences, not meaning, and can be fooled; the
discussion shown after a pass is there to compare with. How to write one, and the tests
it needs: ``CONTRIBUTING-exercises.md``, "Graded free text".
"""

from __future__ import annotations

from collections.abc import Sequence

from course_utils.exercises.clauses import affirms, clauses, stem_pattern
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.kinds import ReflectionExercise

__all__ = [
    "AFFIRMED",
    "ABSENT",
    "DENIED",
    "GradedTextExercise",
    "Reading",
    "denies",
    "mentions",
    "missing",
    "restates",
]

AFFIRMED, DENIED, ABSENT = "affirmed", "denied", "absent"


def _stems(name: str, words) -> tuple[str, ...]:
    if isinstance(words, str) or not isinstance(words, Sequence) or not words:
        raise TypeError(f"{name} must be a non-empty list of lower-case words; got {words!r}.")
    if not all(isinstance(w, str) and w.strip() for w in words):
        raise TypeError(f"{name} must hold non-empty strings; got {words!r}.")
    return tuple(w.lower() for w in words)


def mentions(text: str, words: Sequence[str]) -> bool:
    """True when a word of ``text`` starts with one of ``words`` (case-insensitive),
    whatever the sentence says about it."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}.")
    return bool(stem_pattern(_stems("words", words)).search(text.lower()))


class Reading:
    """How to read one exercise's answers: ``subject`` stems name what the learner's
    ideas are about, ``contrast`` stems the model the question sets against it. Both
    may be empty (then every clause is about the subject). ``denials_win``: an idea
    denied in one clause counts as denied even where other clauses name its words (for
    ideas whose words also serve other ideas: "it does *not* come from the order ... words
    followed by the same words" denies the source, though "followed" names it)."""

    def __init__(
        self, subject: Sequence[str] = (), contrast: Sequence[str] = (), *, denials_win=False
    ):
        self.subject = _stems("subject", subject) if subject else ()
        self.contrast = _stems("contrast", contrast) if contrast else ()
        self.denials_win = bool(denials_win)

    def contrast_claims(self, text: str, words: Sequence[str]) -> bool:
        """Whether a clause about the *contrast* model affirms one of ``words`` ("the window
        model can use older steps too"): the answer gives the contrast what it lacks."""
        pattern = stem_pattern(_stems("words", words))
        return any(
            c.role == "contrast" and affirms(c, pattern) is True and not c.conditional
            for c in clauses(text, self.subject, self.contrast)
        )

    def __repr__(self) -> str:
        return f"Reading(subject={list(self.subject)}, contrast={list(self.contrast)})"

    def status(self, text: str, words: Sequence[str], opposite: Sequence[str] = ()) -> str:
        """:data:`AFFIRMED`, :data:`DENIED` or :data:`ABSENT`: what ``text`` says of the
        idea ``words`` in its clauses about the subject. ``opposite``: words for the
        contrary of the idea ("limited to", "only the last"): denying one affirms the
        idea ("it is not limited to 5 steps"), affirming one denies it."""
        pattern = stem_pattern(_stems("words", words))
        against = stem_pattern(_stems("opposite", opposite)) if opposite else None
        seen = set()
        for clause in clauses(text, self.subject, self.contrast):
            if clause.role == "subject":
                seen.add(affirms(clause, pattern))
                if against is not None:
                    said = affirms(clause, against)
                    seen.add(None if said is None else not said)
        if True in seen and not (self.denials_win and False in seen):
            return AFFIRMED
        return DENIED if False in seen else ABSENT

    def claims(self, text: str, words: Sequence[str]) -> bool:
        """Whether some clause of ``text``, about either model, affirms one of ``words``
        (a condition does not count: "if it were given labels" claims nothing)."""
        pattern = stem_pattern(_stems("words", words))
        return any(
            pattern.search(c.text) and c.negations % 2 == 0
            for c in clauses(text, self.subject, self.contrast)
        )

    def missing(
        self, words: Sequence[str], message: str, *, example: str, opposite: Sequence[str] = ()
    ) -> Mistake:
        """A mistake for answers that do not affirm the idea ``words`` (absent or denied:
        declare :meth:`denies` first, so that a denial gets its own message)."""
        stems, against = _stems("words", words), tuple(opposite)
        return Mistake.when(
            lambda text: self.status(text, stems, against) != AFFIRMED, message, example=example
        )

    def denies(
        self, words: Sequence[str], message: str, *, example: str, opposite: Sequence[str] = ()
    ) -> Mistake:
        """A mistake for answers that name the idea ``words`` only to deny it ("the RNN
        does *not* keep a state"), or affirm its ``opposite``. Say so in ``message``,
        and name the idea."""
        stems, against = _stems("words", words), tuple(opposite)
        return Mistake.when(
            lambda text: self.status(text, stems, against) == DENIED, message, example=example
        )

    def restates(
        self,
        claim_words: Sequence[Sequence[str]],
        message: str,
        *,
        unless: Sequence[str],
        example: str,
    ) -> Mistake:
        """A mistake for answers that affirm every group of ``claim_words`` (the claim to
        correct, about either model) and do not affirm ``unless`` (the idea that
        corrects it)."""
        if isinstance(claim_words, str) or not claim_words:
            raise TypeError("claim_words must be a non-empty list of word lists.")
        groups = [_stems(f"claim_words[{i}]", g) for i, g in enumerate(claim_words)]
        fixes = _stems("unless", unless)
        return Mistake.when(
            lambda text: (
                all(self.claims(text, g) for g in groups) and self.status(text, fixes) != AFFIRMED
            ),
            message,
            example=example,
        )


_PLAIN = Reading()


def missing(words: Sequence[str], message: str, *, example: str) -> Mistake:
    """:meth:`Reading.missing` for an answer with no contrast model."""
    return _PLAIN.missing(words, message, example=example)


def denies(words: Sequence[str], message: str, *, example: str) -> Mistake:
    """:meth:`Reading.denies` for an answer with no contrast model."""
    return _PLAIN.denies(words, message, example=example)


def restates(
    claim_words: Sequence[Sequence[str]], message: str, *, unless: Sequence[str], example: str
) -> Mistake:
    """:meth:`Reading.restates` for an answer with no contrast model."""
    return _PLAIN.restates(claim_words, message, unless=unless, example=example)


class GradedTextExercise(ReflectionExercise):
    """A written answer that is graded: the ``mistakes`` (built with a :class:`Reading`)
    must all stay silent for it to pass. Only the "too short" message differs from a
    reflection's, which says that there is no wrong answer."""

    def _too_short(self) -> str:
        return (
            f"Write a little more: at least {self.min_length} characters, in full sentences "
            "that name the ideas the question asks for."
        )
