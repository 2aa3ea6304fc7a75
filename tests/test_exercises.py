"""Unit tests of the exercise core: each kind, the sandbox, display and progress."""

import threading
import time
import types

import numpy as np
import pytest

from course_utils.exercises import (
    VAGUE_ANSWER,
    ChoiceExercise,
    Feedback,
    FunctionExercise,
    Idea,
    Mistake,
    ReflectionExercise,
    ValueExercise,
    progress_for,
)
from course_utils.exercises.answers import compare, is_close
from course_utils.exercises.display import _TONES as TONES
from course_utils.exercises.display import Panel
from course_utils.exercises.sandbox import call_learner, learner_line
from course_utils.exercises.words import kind_phrase

# --- value ------------------------------------------------------------------


def make_array_exercise(**extra):
    return ValueExercise(name="hidden_states", answer=np.arange(6.0).reshape(2, 3), **extra)


def test_value_scalar_with_tolerance():
    exercise = ValueExercise(name="spectral_radius", answer=0.9, rtol=1e-3, atol=0.0)
    assert exercise.evaluate(0.9004).passed
    assert exercise.evaluate(np.float32(0.9)).passed
    assert exercise.evaluate(np.array(0.9)).passed
    feedback = exercise.evaluate(0.92)  # 2 % off: a slip
    assert feedback.status == "incorrect"
    assert "close (within 5%), but too large" in feedback.message
    assert "not close (more than 5% off)" in exercise.evaluate(0.95).message  # 6 % off
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


def test_function_inputs_are_copied_and_changes_in_place_are_rejected():
    def elman_step(x, h, W):
        x += 1  # mutates its input
        return np.tanh(x - 1 + h @ W)

    feedback = make_function_exercise().evaluate(elman_step)
    assert feedback.status == "incorrect"
    assert "changed its argument `x` in place" in feedback.message
    assert make_function_exercise(allow_in_place=True).evaluate(elman_step).passed
    with pytest.raises(TypeError, match="allow_in_place"):
        make_function_exercise(allow_in_place="yes")


def _scale_all(grads, factor):
    return [g * factor for g in grads]


def _scale_in_place(grads, factor):
    for g in grads:
        g *= factor
    return grads


def _grads_case(rng):
    return {"grads": [rng.normal(size=3), rng.normal(size=(2, 2))], "factor": 0.5}


def test_function_declared_in_place_mistake_keeps_its_message():
    exercise = FunctionExercise(
        name="scale_all",
        reference=_scale_all,
        cases=_grads_case,
        n_cases=3,
        mistakes=[
            Mistake(_scale_in_place, "`g *= factor` changes the caller's gradients."),
            Mistake(lambda grads, factor: grads, "You forgot the factor."),
        ],
    )
    assert exercise.evaluate(_scale_all).passed
    assert exercise.evaluate(_scale_in_place).message == (
        "`g *= factor` changes the caller's gradients."
    )

    def other_in_place(grads, factor):
        grads[0][0] = 99.0
        return [g * factor for g in grads]

    assert "argument `grads` in place" in exercise.evaluate(other_in_place).message


def _pair(x, s):
    return np.tanh(x + s), 0.5 * s + x


def _pair_case(rng):
    return {"x": rng.normal(size=(2, 3)), "s": rng.normal(size=(2, 3))}


def test_function_swapped_outputs_are_named():
    named = FunctionExercise(
        name="jordan_step",
        reference=_pair,
        cases=_pair_case,
        n_cases=3,
        output_names=("y_t", "s_next"),
    )
    swapped = named.evaluate(lambda x, s: _pair(x, s)[::-1])
    assert swapped.status == "incorrect"
    assert "you returned (s_next, y_t); the expected order is (y_t, s_next)" in swapped.message
    unnamed = FunctionExercise(name="pair", reference=_pair, cases=_pair_case, n_cases=3)
    assert "(output 2, output 1)" in unnamed.evaluate(lambda x, s: _pair(x, s)[::-1]).message
    assert "Wrong result" in unnamed.evaluate(lambda x, s: (x, s)).message
    with pytest.raises(TypeError, match="output_names"):
        FunctionExercise(name="p", reference=_pair, cases=_pair_case, output_names="y_t")


def test_function_generic_failure_names_and_shows_the_first_wrong_output():
    named = FunctionExercise(
        name="jordan_step",
        reference=_pair,
        cases=_pair_case,
        n_cases=3,
        output_names=("y_t", "s_next"),
    )
    feedback = named.evaluate(lambda x, s: (np.tanh(x + s), 0.5 * s - x))  # s_next wrong
    assert feedback.message.startswith("Wrong result on a test case: s_next differs.")
    assert "Element [0, 0] of s_next" in feedback.message
    assert "output:   s_next" in feedback.details
    case = named.cases()[0]
    right = np.array2string(0.5 * case["s"] + case["x"], precision=4, separator=", ")
    assert right.splitlines()[0] in feedback.details  # the preview is s_next, not y_t
    unnamed = FunctionExercise(name="pair", reference=_pair, cases=_pair_case, n_cases=3)
    assert "output 2 differs" in unnamed.evaluate(lambda x, s: (np.tanh(x + s), x)).message


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


def test_ungraded_reflection_is_noted_never_correct():
    exercise = make_reflection(min_length=20)
    assert not exercise.graded
    assert exercise.evaluate("   ").status == "not_attempted"
    assert exercise.evaluate("...").status == "not_attempted"
    assert exercise.evaluate("too short").status == "incorrect"
    assert "in quotes" in exercise.evaluate(3).message
    feedback = exercise.evaluate("The hidden state remembers older steps.")
    assert feedback.status == "noted" and not feedback.passed
    assert "not graded" in feedback.message and "the state carries the past" in feedback.message
    assert "Correct" not in feedback.text() and "Noted (not graded)" in feedback.text()
    assert "not graded" in exercise.answer_format()


def make_graded(**extra):
    return ReflectionExercise(
        name="folklore_claim",
        prompt="Correct the claim.",
        discussion="Memory lives where the outputs can show it.",
        model_answer="A Jordan network remembers only what its outputs showed.",
        required=[
            Idea("where the memory lives", [r"output", r"target"]),
            Idea("which network", [r"jordan"], message="Name the network you mean."),
        ],
        misconceptions=["Jordan networks suit summarised representations."],
        **extra,
    )


def test_graded_free_text_needs_every_required_idea():
    exercise = make_graded()
    assert exercise.graded
    assert exercise.evaluate(exercise.reference_answer()).passed
    for text in exercise.misconceptions + [VAGUE_ANSWER]:
        assert exercise.evaluate(text).status == "incorrect", text
    assert exercise.evaluate(VAGUE_ANSWER).message == (
        "Your answer does not yet say where the memory lives."
    )
    assert exercise.evaluate("Its outputs carry the memory, nothing else.").message == (
        "Name the network you mean."
    )
    assert "Correct" in exercise.evaluate("The Jordan net keeps its outputs.").text()


def test_free_text_declarations_are_checked():
    with pytest.raises(ValueError, match="must judge something"):
        make_reflection(graded=True)
    with pytest.raises(ValueError, match="graded=True"):
        make_graded(graded=False)
    with pytest.raises(TypeError, match="required"):
        make_reflection(required=Idea("x", ["x"]))
    with pytest.raises(TypeError, match=r"required\[0\]"):
        make_reflection(required=["output"])
    with pytest.raises(TypeError, match="misconceptions"):
        make_reflection(misconceptions="one claim")
    with pytest.raises(TypeError, match="patterns"):
        Idea("x", "output")
    with pytest.raises(ValueError, match="not a regex"):
        Idea("x", ["("])
    with pytest.raises(ValueError, match="description"):
        Idea(" ", ["x"])


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
    out = capsys.readouterr().out
    assert "hint 1 of 2" in out and "call `ex.n.hint()` again" in out
    exercise.hint()  # again: the next one
    out = capsys.readouterr().out
    assert "second" in out and "last hint" in out and "ex.n.solution()" in out
    exercise.hint()  # stays on the last
    assert "hint 2 of 2" in capsys.readouterr().out
    exercise.hint(1)
    assert "first" in capsys.readouterr().out
    exercise.hint(9)
    assert "only 2" in capsys.readouterr().out
    with pytest.raises(TypeError, match="level"):
        exercise.hint("2")


def test_every_failure_ends_with_how_to_get_help():
    exercise = ValueExercise(name="n", answer=1.0, hints=["a nudge", "the idea"])
    feedback = exercise.evaluate(5.0)
    assert feedback.help == "Stuck? `ex.n.hint()` gives a nudge; call it again for more."
    assert feedback.text().endswith(feedback.help)
    assert "call it again for more." in feedback._repr_html_().rsplit("<div", 1)[-1]
    exercise.evaluate(4.0)
    third = exercise.evaluate(3.0)
    assert "After a few tries, `ex.n.solution()`" in third.help
    assert exercise.evaluate(1.0).help == ""  # success: no help line
    no_hints = ValueExercise(name="m", answer=1.0)
    assert "`ex.m.solution()` shows a worked answer" in no_hints.evaluate(2.0).help
    raised = FunctionExercise(name="f", reference=abs, cases=[{"x": 1}], hints=["h"])
    assert raised.evaluate(lambda x: 1 / 0).help.startswith("Stuck? `ex.f.hint()`")
    assert exercise.evaluate(...).help == ""  # not attempted: nothing failed yet


def test_close_means_within_a_few_per_cent_and_far_answers_get_a_direction():
    exercise = ValueExercise(name="baseline_mse", answer=1 / 6, rtol=5e-3)
    for far in (1.0, 0.5, 0.05):
        message = exercise.evaluate(far).message
        assert "close" not in message.replace("not close", ""), message
        assert "not close (more than 5% off)" in message
    assert "too large" in exercise.evaluate(1.0).message
    assert "too small" in exercise.evaluate(0.05).message
    assert "close (within 5%), but too large" in exercise.evaluate(0.17).message  # 2 % off
    assert "not close" in exercise.evaluate(0.2).message  # 20 % off: not a slip
    assert "wrong sign" in exercise.evaluate(-1 / 6).message
    assert "0.833" not in exercise.evaluate(1.0).message  # no difference to subtract


def test_percentage_and_fraction_mixups_are_named():
    fraction = ValueExercise(name="memory_after_hold", answer=0.95**50, rtol=1e-3)
    message = fraction.evaluate(100 * 0.95**50).message
    assert "Is that a percentage?" in message and "0.0769" not in message
    percent = ValueExercise(name="accuracy_percent", answer=62.0)
    assert "Is that a fraction?" in percent.evaluate(0.62).message


def test_is_close_and_kind_phrase_validate():
    assert is_close(1.04, 1.0) and not is_close(1.06, 1.0) and is_close(0.0, 0.0)
    with pytest.raises(TypeError, match="value"):
        is_close("1", 1.0)
    with pytest.raises(ValueError, match="atol"):
        is_close(1.0, 1.0, atol=-1)
    assert kind_phrase((1.0, 2.0), ("y_t", "s_next")) == "a tuple (y_t, s_next)"
    assert kind_phrase([np.zeros(2), np.ones(3)]) == "a list of NumPy arrays"
    assert kind_phrase(0.25) == "a number (a float)"
    assert kind_phrase(3) == "a whole number (an int)"
    with pytest.raises(TypeError, match="names"):
        kind_phrase((1, 2), "ab")


def test_question_states_the_answer_format(capsys):
    choice = make_choice()
    choice.question()
    out = capsys.readouterr().out
    assert "Answer format: the label of one option" in out and "'a', 'b', 'c'" in out
    function = FunctionExercise(name="clip", reference=_scale_all, cases=_grads_case)
    assert function.answer_format() == "a function that returns a list of NumPy arrays."
    share = ValueExercise(name="v", answer=0.3, prompt="What fraction is left?")
    assert "a fraction between 0 and 1, not a percentage" in share.answer_format()
    assert ValueExercise(name="mse", answer=0.3).answer_format() == "a number (a float)"
    custom = ValueExercise(name="w", answer=3, answer_format="an int, in bits")
    assert custom.question_text().endswith("Answer format: an int, in bits")


def test_solution_code_is_what_solution_shows(capsys):
    exercise = ValueExercise(name="baseline", answer=0.5, solution="baseline = 1 / 2")
    assert exercise.solution_code() == "baseline = 1 / 2"
    exercise.solution()
    assert "baseline = 1 / 2" in capsys.readouterr().out


@pytest.mark.parametrize("tone", sorted(TONES))
def test_panels_use_only_ascii_glyphs(tone):
    panel = Panel(tone, "title", "body", rows=[(True, "a", "b"), (False, "c", "d")], footer="f")
    rendered = panel._repr_html_() + panel.text()
    assert "&#" not in rendered
    assert all(ord(char) < 128 for char in rendered), rendered


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


def test_progress_shows_a_noted_reflection_as_answered_not_passed(capsys):
    module = types.ModuleType("fake_reflections")
    module.think = make_reflection()
    import sys

    sys.modules["fake_reflections"] = module
    try:
        module.think.evaluate("The hidden state remembers older steps.")
        capsys.readouterr()
        progress_for("fake_reflections")()
        out = capsys.readouterr().out
    finally:
        del sys.modules["fake_reflections"]
    assert "0 of 1 passed in this session, 1 answered (not graded)" in out
    assert "[x] window_vs_state  answered (not graded)" in out
