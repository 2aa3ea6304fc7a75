"""The four kinds of exercise: a value, a function, a choice, a reflection.

(:class:`FunctionExercise` lives in :mod:`course_utils.exercises.function_kind`; the
package, :mod:`course_utils.exercises`, exports all four.)

How to declare each one, with examples: see :mod:`course_utils.exercises.core`.

It is a few lines longer than the course's 300-line guide: the three declarative kinds
share the answer-format and feedback helpers, and each is a short class.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from course_utils.core.validation import check_choice, check_int
from course_utils.exercises.answers import check_tolerances, compare
from course_utils.exercises.core import Exercise
from course_utils.exercises.feedback import Feedback, Idea
from course_utils.exercises.words import describe, kind_phrase, sentence, summarize

__all__ = [
    "VAGUE_ANSWER",
    "ChoiceExercise",
    "ReflectionExercise",
    "ValueExercise",
]


# --- a value ----------------------------------------------------------------


class ValueExercise(Exercise):
    """A value compared with ``answer`` within ``rtol``/``atol``.

    ``answer``: a number, string, bool, NumPy array, or a tuple/list/dict of
    those; or a zero-argument callable that computes it on first use.
    Arrays are checked for shape, then dtype kind (unless
    ``check_dtype=False``), then values. ``mistakes``: ``Mistake(wrong_value,
    message)`` or ``Mistake.when(predicate, message, example=...)``.
    """

    kind = "value"

    def __init__(
        self,
        *,
        name: str,
        answer: object,
        rtol: float = 1e-5,
        atol: float = 1e-8,
        check_dtype: bool = True,
        **common,
    ):
        super().__init__(name=name, **common)
        self._answer = answer
        self._answer_is_lazy = callable(answer)
        self.rtol, self.atol = check_tolerances(rtol, atol)
        self.check_dtype = bool(check_dtype)

    def _reference_answer(self) -> object:
        if self._answer_is_lazy:
            self._answer = self._answer()
            self._answer_is_lazy = False
        return self._answer

    def _compare(self, expected: object, got: object) -> str | None:
        return compare(
            expected,
            got,
            rtol=self.rtol,
            atol=self.atol,
            check_dtype=self.check_dtype,
            name="your answer",
        )

    def _evaluate(self, answer: object) -> Feedback:
        problem = self._compare(self._reference_answer(), answer)
        if problem is None:
            return self.correct()
        for mistake in self.mistakes:
            if mistake.predicate is not None:
                if mistake.matches_by_predicate(answer):
                    return self.incorrect(mistake.message)
            elif self._compare(mistake.answer, answer) is None:
                return self.incorrect(mistake.message)
        return self.incorrect(sentence(problem))

    def _default_solution(self) -> str:
        return f"{self.name} = {summarize(self._reference_answer(), limit=2000)}"

    def _default_answer_format(self) -> str:
        answer = self._reference_answer()
        phrase = kind_phrase(answer)
        proportion = re.search(r"fraction|share|proportion|percent", self.prompt, re.IGNORECASE)
        if phrase == "a number (a float)" and proportion and 0 <= abs(float(answer)) <= 1:
            phrase += ": a fraction between 0 and 1, not a percentage (0.25, not 25)"
        return phrase


# --- a choice ---------------------------------------------------------------


def _label(answer: str) -> str:
    return answer.strip().strip("().").strip().lower()


class ChoiceExercise(Exercise):
    """One option among labelled ``options`` (``{"a": "text", ...}``).

    ``answer``: the right label. ``explanations``: ``{wrong_label: why it is
    wrong}``; each becomes a typical wrong answer with its own message.
    Learners answer with the label as a string: ``"b"``, ``"(b)"`` and ``"B"``
    all count.
    """

    kind = "choice"

    def __init__(
        self,
        *,
        name: str,
        options: Mapping[str, str],
        answer: str,
        explanations: Mapping[str, str] | None = None,
        **common,
    ):
        if common.get("mistakes"):
            raise TypeError(
                "ChoiceExercise takes explanations={wrong_label: message}, not mistakes."
            )
        super().__init__(name=name, **common)
        if not isinstance(options, Mapping) or len(options) < 2:
            raise ValueError(
                f"options must be a dict of at least 2 label -> text; got {options!r}."
            )
        labels = [_label(str(label)) for label in options]
        if len(set(labels)) != len(labels) or not all(labels):
            raise ValueError(f"option labels must be distinct and non-empty; got {list(options)}.")
        self.options = {_label(label): str(text) for label, text in options.items()}
        self.answer = check_choice(
            "answer", _label(answer) if isinstance(answer, str) else answer, self.options
        )
        explanations = dict(explanations or {})
        for label, text in explanations.items():
            check_choice("explanations label", _label(label), set(self.options) - {self.answer})
            if not isinstance(text, str) or not text.strip():
                raise TypeError(f"explanations[{label!r}] must be a non-empty string.")
        self.explanations = {_label(label): text for label, text in explanations.items()}

    def _reference_answer(self) -> str:
        return self.answer

    def wrong_answers(self) -> list[tuple[object, str]]:
        return list(self.explanations.items())

    def _labels(self) -> str:
        return ", ".join(f"'{label}'" for label in self.options)

    def _evaluate(self, answer: object) -> Feedback:
        if not isinstance(answer, str):
            return self.incorrect(
                f"Answer with the label of one option, as a string: one of "
                f"{self._labels()}. You passed {describe(answer)}."
            )
        label = _label(answer)
        if label not in self.options:
            return self.incorrect(
                f"There is no option {answer.strip()!r}: choose one of {self._labels()}."
            )
        if label == self.answer:
            return self.correct(f"({label}) {self.options[label]}")
        return self.incorrect(
            self.explanations.get(
                label,
                f"({label}) is not the best answer. Read the options again, or ask for a hint.",
            )
        )

    def _question_text(self) -> str:
        options = "\n".join(f"({label}) {text}" for label, text in self.options.items())
        return f"{self.prompt}\n{options}".strip()

    def _default_answer_format(self) -> str:
        first = next(iter(self.options))
        return (
            f"the label of one option, as a string in quotes: one of {self._labels()} "
            f'(for example `answer = "{first}"`).'
        )

    def _default_solution(self) -> str:
        return f"({self.answer}) {self.options[self.answer]}"


# --- free text: graded on ideas, or an ungraded reflection ----------------------

_TOO_SHORT_EXAMPLE = "Not sure."
#: An answer that says nothing; a graded free-text check must not accept it.
VAGUE_ANSWER = "I think the answer depends on many things and on what the data are like."


class ReflectionExercise(Exercise):
    """A free-text answer, graded or not.

    Graded (``required`` ideas and/or ``mistakes`` given): the text passes when
    it holds every :class:`~course_utils.exercises.feedback.Idea` in ``required`` and
    matches no ``Mistake.when(predicate, message, example=...)``; then the
    ``discussion`` is shown. ``misconceptions``: answers that restate the claim
    the exercise corrects; the check must not accept them (the tests feed them,
    and the sentence :data:`VAGUE_ANSWER`).

    Ungraded (neither given, or ``graded=False``): any text of ``min_length``
    characters is *noted*, never called correct: the feedback says it is not
    graded and shows the discussion.
    """

    kind = "reflection"

    def __init__(
        self,
        *,
        name: str,
        discussion: str,
        min_length: int = 20,
        model_answer: str | None = None,
        required: Sequence[Idea] = (),
        misconceptions: Sequence[str] = (),
        graded: bool | None = None,
        **common,
    ):
        super().__init__(name=name, discussion=discussion, **common)
        if not self.discussion.strip():
            raise ValueError("discussion must not be empty: it is what a reflection shows.")
        self.min_length = check_int("min_length", min_length, minimum=len(_TOO_SHORT_EXAMPLE) + 1)
        self.model_answer = discussion if model_answer is None else model_answer
        if len(self.model_answer.strip()) < self.min_length:
            raise ValueError(
                f"model_answer must have at least min_length={self.min_length} characters."
            )
        for i, mistake in enumerate(self.mistakes):
            if mistake.predicate is None:
                raise TypeError(f"mistakes[{i}] of {name!r} must be Mistake.when(predicate, ...).")
        if isinstance(required, Idea) or not isinstance(required, Sequence):
            raise TypeError(f"required must be a list of Idea; got {describe(required)}.")
        for i, idea in enumerate(required):
            if not isinstance(idea, Idea):
                raise TypeError(f"required[{i}] must be an Idea; got {describe(idea)}.")
        self.required = list(required)
        if isinstance(misconceptions, str) or not isinstance(misconceptions, Sequence):
            raise TypeError(
                f"misconceptions must be a list of strings; got {describe(misconceptions)}."
            )
        for i, text in enumerate(misconceptions):
            if not isinstance(text, str) or not text.strip():
                raise TypeError(f"misconceptions[{i}] must be a non-empty string; got {text!r}.")
        self.misconceptions = list(misconceptions)
        judges = bool(self.required or self.mistakes)
        if graded is None:
            graded = judges
        if not isinstance(graded, bool):
            raise TypeError(f"graded must be True, False or None; got {graded!r}.")
        if graded and not judges:
            raise ValueError(
                f"{name!r}: a graded free-text check must judge something: give required=[Idea"
                "(...)] and/or mistakes=[Mistake.when(...)], or graded=False for a reflection."
            )
        if not graded and self.required:
            raise ValueError(f"{name!r}: required ideas need graded=True (or leave it out).")
        self.graded = graded

    def _reference_answer(self) -> str:
        return self.model_answer

    def _too_short(self) -> str:
        return (
            f"Write a little more: at least {self.min_length} characters. The point is to "
            "put your idea into words before the discussion."
        )

    def _not_text(self) -> str:
        return 'Free text is a string: write it in quotes, e.g. `answer = "I think ..."`.'

    def wrong_answers(self) -> list[tuple[object, str]]:
        return [
            (_TOO_SHORT_EXAMPLE, self._too_short()),
            (42, self._not_text()),
        ] + super().wrong_answers()

    def _evaluate(self, answer: object) -> Feedback:
        if not isinstance(answer, str):
            return self.incorrect(self._not_text(), f"You passed {describe(answer)}.")
        text = answer.strip()
        if len(text) < self.min_length:
            return self.incorrect(self._too_short(), f"Yours has {len(text)} characters.")
        for mistake in self.mistakes:
            if mistake.matches_by_predicate(text):
                return self.incorrect(mistake.message)
        if not self.graded:
            return self.noted(
                "This question is not graded: there is no single right answer to check. "
                f"Compare your answer with this discussion: {self.discussion}"
            )
        missing = [idea for idea in self.required if not idea.found_in(text)]
        if missing:
            return self.incorrect(missing[0].missing_message())
        return self.correct("Compare with this discussion:", praise="Well reasoned.")

    def _default_answer_format(self) -> str:
        if self.graded:
            return 'a sentence or two, as a string in quotes (`answer = "..."`).'
        return (
            "a sentence or two, as a string in quotes; not graded (there is no single "
            "right answer), the discussion follows."
        )

    def _default_solution(self) -> str:
        return "" if self.model_answer == self.discussion else self.model_answer
