"""The function kind: a learner's function run against a reference on generated cases.

Exported by the package, :mod:`course_utils.exercises`; how to declare one: see
:mod:`course_utils.exercises.core`.

It is longer than the course's 300-line guide because it is one class,
``FunctionExercise``, whose diagnoses (exceptions, time-outs, inputs changed in place, a
swapped return order, a wrong value per case) each take a few lines.
"""

from __future__ import annotations

import copy
import inspect
import itertools
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from course_utils.core.validation import check_int, check_number
from course_utils.exercises.answers import check_tolerances, compare
from course_utils.exercises.core import Exercise
from course_utils.exercises.feedback import Feedback
from course_utils.exercises.sandbox import call_learner, learner_line, safe_str
from course_utils.exercises.words import describe, kind_phrase, sentence, summarize

__all__ = ["FunctionExercise"]


class FunctionExercise(Exercise):
    """A learner function checked against ``reference`` on generated cases.

    ``cases``: ``cases(rng) -> dict`` called ``n_cases`` times with
    ``numpy.random.default_rng(seed)``, or a fixed list of dicts.
    ``edge_cases``: dicts tried first. Each dict maps argument names to values
    in parameter order; functions are called positionally on deep copies.
    Outputs are compared like :class:`ValueExercise` answers. Each call may
    take ``time_limit`` seconds. ``mistakes``: ``Mistake(wrong_function,
    message)``, shown when the learner's outputs match the wrong function's on
    every case. The default solution is the reference's source, with a
    leading ``_`` dropped from its name.

    Two diagnoses need no declaration: a function that returns the right values
    in another order (a tuple or list of 2-4 outputs) is told so, naming the
    outputs when ``output_names`` is given (``("y_t", "s_next")``); a function
    that changes its inputs in place (the caller's arrays) is rejected, unless
    ``allow_in_place=True``. A declared ``Mistake`` whose wrong function changes
    its inputs in the same way keeps its own message.
    """

    kind = "function"

    def __init__(
        self,
        *,
        name: str,
        reference: Callable,
        cases: Callable | Sequence[Mapping],
        edge_cases: Sequence[Mapping] = (),
        n_cases: int = 10,
        seed: int = 0,
        rtol: float = 1e-5,
        atol: float = 1e-8,
        check_dtype: bool = True,
        time_limit: float = 3.0,
        output_names: Sequence[str] | None = None,
        allow_in_place: bool = False,
        **common,
    ):
        super().__init__(name=name, **common)
        if output_names is not None:
            if isinstance(output_names, str) or not isinstance(output_names, Sequence):
                raise TypeError(
                    f"output_names must be a list of strings such as ('y_t', 's_next'); "
                    f"got {describe(output_names)}."
                )
            if not all(isinstance(item, str) and item for item in output_names):
                raise TypeError(f"output_names must hold non-empty strings; got {output_names!r}.")
            output_names = tuple(output_names)
        self.output_names = output_names
        if not isinstance(allow_in_place, bool):
            raise TypeError(f"allow_in_place must be True or False; got {allow_in_place!r}.")
        self.allow_in_place = allow_in_place
        if not callable(reference):
            raise TypeError(f"reference must be a function; got {describe(reference)}.")
        if not callable(cases) and not isinstance(cases, Sequence):
            raise TypeError(
                f"cases must be a function of an rng or a list of dicts; got {describe(cases)}."
            )
        for i, mistake in enumerate(self.mistakes):
            if mistake.predicate is not None or not callable(mistake.answer):
                raise TypeError(
                    f"mistakes[{i}] of {name!r} must be Mistake(wrong_function, message): "
                    "a function exercise recognises mistakes by a wrong implementation."
                )
        self.reference = reference
        self._case_source = cases
        self._edge_cases = list(edge_cases)
        self.n_cases = check_int("n_cases", n_cases, minimum=0)
        self.seed = check_int("seed", seed, minimum=0)
        self.rtol, self.atol = check_tolerances(rtol, atol)
        self.check_dtype = bool(check_dtype)
        self.time_limit = check_number("time_limit", time_limit, minimum=0, strict_minimum=True)
        self._cases: list[dict] | None = None
        self._outputs: dict[int, list] = {}  # id(function) -> outputs, for trusted functions
        self._mutates: dict[int, list] = {}  # id(function) -> changed argument per case

    def _reference_answer(self) -> Callable:
        return self.reference

    def cases(self) -> list[dict]:
        """Edge cases, then the generated ones (the same on every call)."""
        if self._cases is None:
            if callable(self._case_source):
                rng = np.random.default_rng(self.seed)
                generated = [self._case_source(rng) for _ in range(self.n_cases)]
            else:
                generated = list(self._case_source)
            cases = self._edge_cases + generated
            if not cases:
                raise ValueError(f"{self.name!r} has no cases: give cases or edge_cases.")
            for i, case in enumerate(cases):
                if not isinstance(case, Mapping):
                    raise TypeError(
                        f"case {i} of {self.name!r} must be a dict of argument "
                        f"name -> value; got {describe(case)}."
                    )
            self._cases = [dict(case) for case in cases]
        return self._cases

    def _trusted_outputs(self, function: Callable) -> list:
        """Outputs of the reference or a known wrong implementation (cached)."""
        key = id(function)
        if key not in self._outputs:
            outputs, changed = [], []
            for case in self.cases():
                args = copy.deepcopy(tuple(case.values()))
                try:
                    outputs.append(function(*args))
                except Exception as error:
                    outputs.append(error)
                changed.append(self._changed_argument(case, args))
            self._outputs[key] = outputs
            self._mutates[key] = changed
        return self._outputs[key]

    def _changed_argument(self, case: dict, args: tuple) -> str | None:
        """The name of the first argument that a call changed in place, or None."""
        for (key, original), after in zip(case.items(), args, strict=True):
            if not _same(original, after):
                return key
        return None

    def _compare(self, expected: object, got: object) -> str | None:
        if isinstance(expected, Exception):
            return "the reference raised"
        return compare(
            expected,
            got,
            rtol=self.rtol,
            atol=self.atol,
            check_dtype=self.check_dtype,
            name="your output",
        )

    @staticmethod
    def _case_text(case: dict) -> str:
        return ", ".join(f"{key}={summarize(value, 60)}" for key, value in case.items())

    def _evaluate(self, answer: object) -> Feedback:
        if not callable(answer):
            return self.incorrect(
                f"Pass the function itself: `ex.{self.name}.check({self.name})`, with no "
                f"parentheses after `{self.name}`. You passed {describe(answer)}."
            )
        outputs, printed, changed = [], "", []
        for case in self.cases():
            args = copy.deepcopy(tuple(case.values()))
            outcome = call_learner(answer, args, time_limit=self.time_limit)
            printed = printed or outcome.printed
            if outcome.timed_out:
                return self._timed_out(case, outcome.stoppable)
            if isinstance(outcome.error, NotImplementedError):
                return self.not_attempted(
                    "Your function still raises NotImplementedError: replace that line with "
                    "your solution, run its cell, then run this check again."
                )
            if outcome.error is not None:
                return self._raised(outcome.error, case)
            outputs.append(outcome.value)
            changed.append(self._changed_argument(case, args))
        expected = self._trusted_outputs(self.reference)
        if not self.allow_in_place and any(changed):
            return self._in_place(outputs, changed)
        failure = next(
            (
                (case, want, got, problem)
                for case, want, got in zip(self.cases(), expected, outputs, strict=True)
                if (problem := self._compare(want, got))
            ),
            None,
        )
        if failure is None:
            return self.correct()
        for mistake in self.mistakes:
            if self._matches(mistake.answer, outputs):
                return self.incorrect(mistake.message)
        order = self._swapped_order(expected, outputs)
        if order is not None:
            return self.incorrect(order)
        case, want, got, problem = failure
        output, want, got, problem = self._first_wrong_output(want, got, problem)
        details = f"inputs:   {self._case_text(case)}\n"
        details += f"output:   {output}\n" if output else ""
        details += f"expected: {summarize(want)}\ngot:      {summarize(got)}"
        if printed:
            shown = "\n".join(printed.splitlines()[:5])
            details += f"\n\nYour function printed (hidden during the check):\n{shown}"
        lead = (
            f"Wrong result on a test case: {output} differs."
            if output
            else "Wrong result on a test case."
        )
        return self.incorrect(f"{lead} {sentence(problem)}", details)

    def _first_wrong_output(self, want: object, got: object, problem: str):
        """For several outputs (a tuple or list of the right length): the name of the first
        one that differs, its expected and returned values, and the problem in its name.
        Otherwise ``(None, want, got, problem)`` unchanged."""
        if not (
            isinstance(want, (tuple, list))
            and isinstance(got, (tuple, list))
            and len(want) == len(got) >= 2
        ):
            return None, want, got, problem
        names = (
            self.output_names if self.output_names and len(self.output_names) == len(want) else None
        )
        for i, (expected, returned) in enumerate(zip(want, got, strict=True)):
            name = names[i] if names else f"output {i + 1}"
            item_problem = compare(
                expected, returned, rtol=self.rtol, atol=self.atol,
                check_dtype=self.check_dtype, name=name,
            )  # fmt: skip
            if item_problem:
                return name, expected, returned, item_problem
        return None, want, got, problem

    def _matches(self, function: Callable, outputs: list) -> bool:
        wrong = self._trusted_outputs(function)
        return all(self._compare(w, got) is None for w, got in zip(wrong, outputs, strict=True))

    def _in_place(self, outputs: list, changed: list) -> Feedback:
        for mistake in self.mistakes:  # a declared in-place mistake keeps its message
            if self._matches(mistake.answer, outputs) and any(self._mutates[id(mistake.answer)]):
                return self.incorrect(mistake.message)
        argument = next(name for name in changed if name)
        return self.incorrect(
            f"Your function changed its argument `{argument}` in place: the caller's data "
            "were modified. Leave the inputs as they are and return new values: for "
            "example `g * scale` builds a new array, while `g *= scale` or `g[...] = ...` "
            "overwrites the caller's."
        )

    def _swapped_order(self, expected: list, outputs: list) -> str | None:
        """A message when the outputs are the right values in another order."""
        first = expected[0]
        if not isinstance(first, (tuple, list)) or not 2 <= len(first) <= 4:
            return None
        size = len(first)
        if not all(isinstance(got, (tuple, list)) and len(got) == size for got in outputs):
            return None
        for order in itertools.permutations(range(size)):
            if order == tuple(range(size)):
                continue
            if all(
                not isinstance(want, Exception)
                and all(self._compare(want[j], got[i]) is None for i, j in enumerate(order))
                for want, got in zip(expected, outputs, strict=True)
            ):
                names = self.output_names or tuple(f"output {i + 1}" for i in range(size))
                yours = ", ".join(names[j] for j in order)
                return (
                    f"Right values, wrong order: you returned ({yours}); the expected order "
                    f"is ({', '.join(names)})."
                )
        return None

    def _timed_out(self, case: dict, stoppable: bool) -> Feedback:
        message = (
            f"Your function took longer than {self.time_limit:g} s on one case and was "
            "stopped. Look for a loop that never ends (a `while` whose condition never "
            "changes?) or work that grows much faster than the input."
        )
        if not stoppable:
            message += (
                " It may still be running in the background (Python cannot stop a "
                "thread): restart the kernel if the notebook gets slow."
            )
        return self.error(message, f"inputs: {self._case_text(case)}")

    def _raised(self, error: BaseException, case: dict) -> Feedback:
        line = learner_line(error)
        details = f"inputs: {self._case_text(case)}"
        if line is None:
            message = (
                f"Calling your function as {self.name}({', '.join(case)}) raised {safe_str(error)}."
            )
            if isinstance(error, TypeError):
                message += f" It should take {len(case)} arguments, in this order."
            return self.error(message, details)
        return self.error(f"Your function raised {safe_str(error)}.", f"{line}\n\n{details}")

    def _default_answer_format(self) -> str:
        phrase = kind_phrase(self._trusted_outputs(self.reference)[0], self.output_names)
        return f"a function that returns {phrase}." if phrase else ""

    def _default_solution(self) -> str:
        try:
            source = textwrap.dedent(inspect.getsource(self.reference))
        except (OSError, TypeError):
            return f"# see {getattr(self.reference, '__qualname__', 'the reference')}"
        return re.sub(r"^def _(\w)", r"def \1", source, count=1, flags=re.MULTILINE)


def _same(original: object, after: object) -> bool:
    """Whether a call left an argument as it was (arrays, lists, dicts compared
    element by element; anything else by ``==``, and equal when that fails)."""
    try:
        if isinstance(original, np.ndarray):
            return (
                isinstance(after, np.ndarray)
                and original.shape == after.shape
                and np.array_equal(original, after, equal_nan=original.dtype.kind in "fc")
            )
        if isinstance(original, (list, tuple)):
            return (
                isinstance(after, type(original))
                and len(original) == len(after)
                and all(_same(a, b) for a, b in zip(original, after, strict=True))
            )
        if isinstance(original, dict):
            return original.keys() == after.keys() and all(
                _same(value, after[key]) for key, value in original.items()
            )
        if isinstance(original, float) and np.isnan(original):
            return isinstance(after, float) and np.isnan(after)
        return bool(original == after)
    except Exception:
        return True
