"""Unit tests of the exercise core: each kind, the sandbox, display and progress."""

import threading
import time
import types

import numpy as np
import pytest

from course_utils.exercises import (
    ChoiceExercise,
    Feedback,
    FunctionExercise,
    Mistake,
    ReflectionExercise,
    ValueExercise,
    progress_for,
)
from course_utils.exercises.compare import compare
from course_utils.exercises.display import Panel
from course_utils.exercises.sandbox import call_learner, learner_line

# --- value ------------------------------------------------------------------


def make_array_exercise(**extra):
    return ValueExercise(name="hidden_states", answer=np.arange(6.0).reshape(2, 3), **extra)


def test_value_scalar_with_tolerance():
    exercise = ValueExercise(name="spectral_radius", answer=0.9, rtol=1e-3, atol=0.0)
    assert exercise.evaluate(0.9004).passed
    assert exercise.evaluate(np.float32(0.9)).passed
    assert exercise.evaluate(np.array(0.9)).passed
    feedback = exercise.evaluate(0.95)
    assert feedback.status == "incorrect"
    assert "0.05 too large" in feedback.message
    assert "remove the quotes" in exercise.evaluate("0.9").message
    assert "single number" in exercise.evaluate(np.array([0.9])).message
    assert "expected a number" in exercise.evaluate(True).message


def test_value_array_checks_shape_then_dtype_then_values():
    exercise = make_array_exercise()
    assert exercise.evaluate(np.arange(6.0).reshape(2, 3)).passed
    assert exercise.evaluate(np.arange(6.0).reshape(2, 3).tolist()).passed
    message = exercise.evaluate(np.arange(6.0).reshape(3, 2)).message
    assert "shape (3, 2)" in message and "transposed" in message
    message = exercise.evaluate(np.arange(6).reshape(2, 3)).message
    assert "integers" in message and "astype(float)" in message
    wrong = np.arange(6.0).reshape(2, 3)
    wrong[1, 2] = 7.5
    message = exercise.evaluate(wrong).message
    assert "Element [1, 2]" in message and "7.5" in message and "off by 2.5" in message
    assert "1 of 6 elements" in message
    wrong[0, 0] = np.nan
    assert "NaN" in exercise.evaluate(wrong).message
    assert "rows of different lengths" in exercise.evaluate([[1.0, 2.0], [3.0]]).message


def test_value_array_dtype_check_can_be_turned_off():
    assert make_array_exercise(check_dtype=False).evaluate(np.arange(6).reshape(2, 3)).passed


def test_value_lazy_answer_is_computed_once():
    calls = []

    def compute():
        calls.append(1)
        return 3

    exercise = ValueExercise(name="lazy", answer=compute)
    assert not calls
    assert exercise.evaluate(3).passed and exercise.evaluate(3).passed
    assert calls == [1]


def test_value_mistakes_known_value_and_predicate():
    exercise = ValueExercise(
        name="sequence_shape",
        answer=(32, 50, 8),
        mistakes=[
            Mistake((50, 32, 8), "time-major"),
            Mistake.when(lambda a: len(a) == 2, "three axes", example=(32, 50)),
        ],
    )
    assert exercise.evaluate((50, 32, 8)).message == "time-major"
    assert exercise.evaluate([50, 32, 8]).message == "time-major"
    assert exercise.evaluate((1, 2)).message == "three axes"
    assert exercise.evaluate(7).status == "incorrect"  # the predicate raised: no match
    assert "Item [2] of your answer is 9" in exercise.evaluate((32, 50, 9)).message
    assert exercise.wrong_answers() == [((50, 32, 8), "time-major"), ((32, 50), "three axes")]


def test_compare_nested_and_other_types():
    assert compare({"h": np.zeros(2), "c": 1.0}, {"h": np.zeros(2), "c": 1.0}) is None
    assert "missing ['c']" in compare({"h": 1, "c": 2}, {"h": 1})
    assert "expected True or False" in compare(True, 1)
    assert compare("tanh", " tanh ") is None
    assert "expected a string" in compare("tanh", 3)


# --- function ---------------------------------------------------------------


def _step(x, h, W):
    return np.tanh(x + h @ W)


def make_function_exercise(**extra):
    options = {
        "name": "elman_step",
        "reference": _step,
        "cases": lambda rng: {
            "x": rng.normal(size=(2, 3)),
            "h": rng.normal(size=(2, 3)),
            "W": rng.normal(size=(3, 3)),
        },
        "edge_cases": [{"x": np.zeros((1, 3)), "h": np.zeros((1, 3)), "W": np.eye(3)}],
        "n_cases": 5,
        "mistakes": [
            Mistake(lambda x, h, W: x + h @ W, "You forgot the tanh."),
            Mistake(lambda x, h, W: np.tanh(x + h @ W.T), "Multiply by W, not by W.T."),
        ],
    }
    options.update(extra)
    return FunctionExercise(**options)


def test_function_correct_and_renamed_parameters():
    exercise = make_function_exercise()
    assert exercise.evaluate(lambda a, b, c: np.tanh(a + b @ c)).passed
    assert len(exercise.cases()) == 6
    assert exercise.cases() is exercise.cases()  # generated once, with the seed


def test_function_mistakes_get_their_message():
    exercise = make_function_exercise()
    for wrong, message in exercise.wrong_answers():
        assert exercise.evaluate(wrong).message == message


def test_function_generic_failure_shows_the_case():
    feedback = make_function_exercise().evaluate(lambda x, h, W: np.tanh(x + h @ W) + 0.5)
    assert feedback.status == "incorrect"
    assert "Element [0, 0] of your output" in feedback.message
    assert "inputs:" in feedback.details and "expected:" in feedback.details
    assert "got:" in feedback.details


def test_function_learner_error_shows_learner_line():
    def elman_step(x, h, W):
        scale = 1 / 0  # the learner's own bug
        return scale

    feedback = make_function_exercise().evaluate(elman_step)
    assert feedback.status == "error"
    assert "ZeroDivisionError" in feedback.message
    assert "scale = 1 / 0" in feedback.details
    assert "test_exercises.py" in feedback.details


def test_function_learner_error_inside_numpy_points_at_learner():
    def elman_step(x, h, W):
        return np.tanh(x @ h)  # shapes do not fit

    feedback = make_function_exercise().evaluate(elman_step)
    assert feedback.status == "error"
    assert "return np.tanh(x @ h)" in feedback.details


def test_function_wrong_signature_is_explained():
    feedback = make_function_exercise().evaluate(lambda x, h: x)
    assert feedback.status == "error"
    assert "elman_step(x, h, W)" in feedback.message and "3 arguments" in feedback.message


def test_function_not_attempted_and_not_a_function():
    def elman_step(x, h, W):
        raise NotImplementedError("Write your solution here")

    exercise = make_function_exercise()
    assert exercise.evaluate(elman_step).status == "not_attempted"
    feedback = exercise.evaluate(np.zeros((2, 3)))
    assert feedback.status == "incorrect"
    assert "no parentheses" in feedback.message


def test_function_endless_loop_is_stopped():
    def elman_step(x, h, W):
        while True:
            pass

    start = time.monotonic()
    feedback = make_function_exercise(time_limit=0.2).evaluate(elman_step)
    assert time.monotonic() - start < 5
    assert feedback.status == "error" and "longer than 0.2 s" in feedback.message


def test_function_loop_that_swallows_the_interrupt_is_stopped():
    def elman_step(x, h, W):
        while True:
            try:
                time.sleep(0.01)
            except BaseException:  # a learner's bare except
                pass

    feedback = make_function_exercise(time_limit=0.2).evaluate(elman_step)
    assert feedback.status == "error" and "longer than" in feedback.message


def test_function_time_limit_in_a_thread_falls_back():
    results = []

    def slow(x, h, W):
        time.sleep(1.0)

    thread = threading.Thread(
        target=lambda: results.append(make_function_exercise(time_limit=0.1).evaluate(slow))
    )
    thread.start()
    thread.join(10)
    assert results and results[0].status == "error"
    assert "background" in results[0].message


def test_function_output_is_hidden_and_reported():
    def elman_step(x, h, W):
        print("debugging", x.shape)
        return x

    feedback = make_function_exercise().evaluate(elman_step)
    assert "debugging" in feedback.details


def test_function_inputs_are_copied():
    def elman_step(x, h, W):
        x += 1  # mutates its input
        return np.tanh(x - 1 + h @ W)

    assert make_function_exercise().evaluate(elman_step).passed


def test_function_rejects_predicate_mistakes():
    with pytest.raises(TypeError, match="wrong_function"):
        make_function_exercise(mistakes=[Mistake.when(callable, "x", example=len)])


def test_function_solution_drops_leading_underscore(capsys):
    make_function_exercise().solution()
    assert "def step(x, h, W):" in capsys.readouterr().out


def test_sandbox_restores_previous_alarm_handler():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    assert call_learner(lambda: 5, (), time_limit=1.0).value == 5
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_learner_line_skips_library_frames():
    try:
        np.zeros(2) @ np.zeros(3)
    except ValueError as error:
        line = learner_line(error)
    assert line is not None and "np.zeros(2) @ np.zeros(3)" in line


# --- choice -----------------------------------------------------------------


def make_choice():
    return ChoiceExercise(
        name="why_recurrence",
        options={"a": "reuse weights", "b": "more parameters", "c": "parallel"},
        answer="a",
        explanations={"b": "No new parameters per step.", "c": "Steps are sequential."},
    )


def test_choice_labels_are_forgiving():
    exercise = make_choice()
    for answer in ("a", "A", "(a)", " a. "):
        assert exercise.evaluate(answer).passed, answer
    assert exercise.evaluate("B").message == "No new parameters per step."
    assert "no option 'z'" in exercise.evaluate("z").message
    assert "as a string" in exercise.evaluate(2).message


def test_choice_validates_its_declaration():
    with pytest.raises(ValueError, match="answer"):
        ChoiceExercise(name="x", options={"a": "1", "b": "2"}, answer="c")
    with pytest.raises(ValueError):
        ChoiceExercise(name="x", options={"a": "1", "b": "2"}, answer="a", explanations={"a": "?"})
    with pytest.raises(ValueError, match="at least 2"):
        ChoiceExercise(name="x", options={"a": "1"}, answer="a")


# --- reflection -------------------------------------------------------------


def make_reflection(**extra):
    return ReflectionExercise(
        name="window_vs_state",
        prompt="Why?",
        discussion="Because the state carries the past.",
        **extra,
    )


def test_reflection_needs_some_text_then_shows_discussion():
    exercise = make_reflection(min_length=20)
    assert exercise.evaluate("   ").status == "not_attempted"
    assert exercise.evaluate("...").status == "not_attempted"
    assert exercise.evaluate("too short").status == "incorrect"
    assert "in quotes" in exercise.evaluate(3).message
    feedback = exercise.evaluate("The hidden state remembers older steps.")
    assert feedback.passed and "the state carries the past" in feedback.message


def test_reflection_mistake_nudges():
    exercise = make_reflection(
        mistakes=[
            Mistake.when(
                lambda text: "magic" in text,
                "Say how, not just that.",
                example="It is magic, really, truly magic.",
            )
        ]
    )
    assert (
        exercise.evaluate("It is magic, really, truly magic.").message == "Say how, not just that."
    )


# --- declaration checks, display and progress -------------------------------


@pytest.mark.parametrize("name", ["q 1", "", "_hidden", 3])
def test_exercise_names_must_be_identifiers(name):
    with pytest.raises(ValueError, match="name"):
        ValueExercise(name=name, answer=1)


def test_hints_are_tiered(capsys):
    exercise = ValueExercise(name="n", answer=1, hints=["first", "second"])
    exercise.hint()
    assert "hint 1 of 2" in capsys.readouterr().out
    exercise.hint(2)
    assert "second" in capsys.readouterr().out
    exercise.hint(9)
    assert "only 2" in capsys.readouterr().out
    with pytest.raises(TypeError, match="level"):
        exercise.hint("2")


def test_check_prints_text_once_and_returns_none(capsys):
    exercise = ValueExercise(name="n", answer=1)
    assert exercise.check(1) is None
    out = capsys.readouterr().out
    assert out.count("[PASS] n: Correct") == 1
    exercise.check()
    assert "[NOT ATTEMPTED]" in capsys.readouterr().out


def test_feedback_html_has_colour_and_escapes():
    feedback = Feedback("n", "incorrect", "a <b> `code`", details="x < y")
    html = feedback._repr_html_()
    assert "#e53935" in html and "&lt;b&gt;" in html and "<code>code</code>" in html
    assert "x &lt; y" in html
    assert "#43a047" in Feedback("n", "correct", "")._repr_html_()
    assert "#9e9e9e" in Feedback("n", "not_attempted", "")._repr_html_()
    with pytest.raises(ValueError):
        Feedback("n", "great", "")
    with pytest.raises(ValueError):
        Panel("shiny", "t")


def test_progress_counts_attempts(capsys):
    module = types.ModuleType("fake_lesson")
    module.alpha = ValueExercise(name="alpha", answer=1)
    module.beta = ValueExercise(name="beta", answer=2, hints=["h"])
    import sys

    sys.modules["fake_lesson"] = module
    try:
        module.alpha.evaluate(0)
        module.alpha.evaluate(1)
        module.beta.evaluate(...)
        module.beta.hint()
        capsys.readouterr()
        progress_for("fake_lesson")()
        out = capsys.readouterr().out
    finally:
        del sys.modules["fake_lesson"]
    assert "1 of 2 passed" in out
    assert "[x] alpha  passed (2 attempts)" in out
    assert "[ ] beta   not tried yet; 1 hint" in out
