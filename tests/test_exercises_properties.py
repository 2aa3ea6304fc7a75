"""Whatever a learner passes, evaluate() and check() answer with feedback, never an
exception and never a hang."""

import time

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_utils.exercises import (
    ChoiceExercise,
    FunctionExercise,
    Mistake,
    ReflectionExercise,
    ValueExercise,
)
from course_utils.exercises.core import STATUSES
from course_utils.lessons import all_exercises

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class Hostile:
    """An object whose every protocol method raises."""

    def __getattr__(self, name):
        raise RuntimeError(f"no {name}")

    def __eq__(self, other):
        raise RuntimeError("no ==")

    def __len__(self):
        raise RuntimeError("no len")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __bool__(self):
        raise RuntimeError("no bool")

    __hash__ = object.__hash__


def _raises(*args):
    raise ValueError("learner bug")


def _slow(*args):
    time.sleep(0.3)
    return 0


def _returns_hostile(*args):
    return Hostile()


def _exits(*args):
    raise SystemExit(3)


scalars = st.one_of(
    st.none(),
    st.just(...),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(),
)
arrays = hnp.arrays(
    dtype=st.sampled_from(
        [
            np.float64,
            np.float32,
            np.int64,
            np.bool_,
            np.complex128,
            np.dtype("U3"),
            np.dtype(object),
        ]
    ),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
)
nested = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=8,
)
quick_functions = st.sampled_from(
    [
        _raises,
        _returns_hostile,
        _exits,
        lambda *a: None,
        lambda *a: a,
        lambda: 1,
        lambda *a: np.zeros((2, 2)),
        print,
    ]
)
functions = st.one_of(quick_functions, st.just(_slow))
answers = st.one_of(scalars, arrays, nested, functions, st.builds(Hostile))
quick_answers = st.one_of(scalars, arrays, nested, quick_functions, st.builds(Hostile))


def _function_exercise():
    return FunctionExercise(
        name="elman_step",
        reference=lambda x, h: np.tanh(x + h),
        cases=lambda rng: {"x": rng.normal(size=(2, 3)), "h": rng.normal(size=(2, 3))},
        n_cases=2,
        time_limit=0.05,
        mistakes=[Mistake(lambda x, h: x + h, "no tanh"), Mistake(lambda x, h: x, "no h")],
    )


EXERCISES = [
    ValueExercise(name="number", answer=0.5),
    ValueExercise(
        name="matrix",
        answer=np.eye(2),
        mistakes=[Mistake.when(lambda a: a.shape == (3, 3), "too big", example=np.eye(3))],
    ),
    ValueExercise(name="shape", answer=(2, 3, 4), mistakes=[Mistake((3, 2, 4), "swapped")]),
    ValueExercise(name="labels", answer={"a": 1, "b": [1.0, 2.0]}),
    _function_exercise(),
    ChoiceExercise(name="pick", options={"a": "x", "b": "y"}, answer="a"),
    ReflectionExercise(name="think", discussion="A discussion long enough."),
]
LESSON_EXERCISES = list(all_exercises().values())  # their time limits are longer: no _slow


def _assert_sane(feedback):
    assert feedback.status in STATUSES
    assert isinstance(feedback.message, str) and feedback.message
    assert isinstance(feedback.passed, bool)
    feedback.text()
    feedback._repr_html_()


@FUZZ
@given(answer=answers, which=st.integers(0, len(EXERCISES) - 1))
def test_evaluate_never_raises(answer, which):
    _assert_sane(EXERCISES[which].evaluate(answer))


@FUZZ
@given(answer=quick_answers, which=st.integers(0, len(LESSON_EXERCISES) - 1))
def test_lesson_exercises_never_raise(answer, which):
    _assert_sane(LESSON_EXERCISES[which].evaluate(answer))


@FUZZ
@given(answer=answers)
def test_check_never_raises_and_prints_once(answer, capsys):
    exercise = EXERCISES[0]
    assert exercise.check(answer) is None
    out = capsys.readouterr().out
    assert out.count("number: ") == 1


@FUZZ
@given(answer=functions)
def test_function_checks_finish_quickly(answer):
    start = time.monotonic()
    feedback = EXERCISES[4].evaluate(answer)
    assert feedback.status in {"incorrect", "error"}
    assert time.monotonic() - start < 2


@FUZZ
@given(
    expected=st.floats(min_value=1e-6, max_value=1e6) | st.floats(min_value=-1e6, max_value=-1e-6),
    factor=st.floats(min_value=-100, max_value=100).filter(lambda f: abs(f - 1) > 0.5),
)
def test_far_numbers_are_never_called_close(expected, factor):
    feedback = ValueExercise(name="number", answer=expected).evaluate(expected * factor)
    assert feedback.status == "incorrect"
    assert "close (within" not in feedback.message
    assert feedback.text().endswith(feedback.help) and feedback.help


@FUZZ
@given(expected=st.floats(min_value=0.01, max_value=1e4), offset=st.floats(0.005, 0.045))
def test_near_numbers_are_close_and_name_the_direction(expected, offset):
    exercise = ValueExercise(name="number", answer=expected, rtol=1e-3)
    above = exercise.evaluate(expected * (1 + offset)).message
    below = exercise.evaluate(expected * (1 - offset)).message
    assert "close (within 5%), but too large" in above
    assert "close (within 5%), but too small" in below
