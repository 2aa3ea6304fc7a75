"""Lessons 05 and 06's exercises, both ways (issue 18).

* every exercise's ``solution()`` pasted into its student-edition stub passes;
* every question is visible in the notebook, and its answer format is stated;
* the "apply it" exercises (``kept_after_hold``, ``pad_right``) and ``choose_a_cell`` give
  a message that names the mistake for their typical wrong answers;
* ``choose_a_cell`` is judged on the lesson's measurements: the claims the lesson
  measured otherwise, and a reply that says nothing, are rejected.
"""

from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest

from course_utils.exercises.core import exercises_in
from course_utils.lessons.l05_gru import exercises as lesson05
from course_utils.lessons.l06_text_generation import exercises as lesson06
from tools.student import student_notebook

ROOT = Path(__file__).resolve().parents[1]
LESSONS = {
    lesson05: ROOT / "notebooks" / "05_gru.ipynb",
    lesson06: ROOT / "notebooks" / "06_text_generation.ipynb",
}
CASES = [(module, exercise) for module in LESSONS for exercise in exercises_in(module)]
IDS = [exercise.name for _, exercise in CASES]


def _cells(module):
    return nbformat.read(LESSONS[module], as_version=4).cells


def _solution_text(exercise) -> str:
    return exercise._solution_text or exercise._default_solution()


@pytest.mark.parametrize(("module", "exercise"), CASES, ids=IDS)
def test_solution_pasted_into_the_student_stub_passes(module, exercise):
    student = student_notebook(nbformat.read(LESSONS[module], as_version=4))
    stubs = [c for c in student.cells if f"ex.{exercise.name}.check(" in c.source]
    assert len(stubs) == 1, f"one stub cell checks {exercise.name}"
    stub = stubs[0].source
    check_line = next(ln for ln in stub.splitlines() if ln.startswith(f"ex.{exercise.name}.check("))
    namespace = {"ex": module, "np": np}
    exec(compile(stub, "stub", "exec"), namespace)  # the stub alone: not attempted
    assert not exercise.evaluate(namespace.get(check_line.split("(", 1)[1].rstrip(")"))).passed
    pasted = _solution_text(exercise) + "\n" + check_line
    namespace = {"ex": module, "np": np}  # a fresh cell: only what the lesson imported
    exec(compile(pasted, "pasted", "exec"), namespace)
    answer = namespace[check_line.split("(", 1)[1].rstrip(")")]
    assert exercise.evaluate(answer).passed, pasted


@pytest.mark.parametrize(("module", "exercise"), CASES, ids=IDS)
def test_question_is_visible_before_the_stub(module, exercise):
    cells = _cells(module)
    at = next(i for i, c in enumerate(cells) if f"ex.{exercise.name}.check(" in c.source)
    before = cells[max(0, at - 3) : at]
    shown = any(f"ex.{exercise.name}.question()" in c.source for c in before)
    described = any(
        c.cell_type == "markdown"
        and ("?" in c.source or f"write `{exercise.name}(" in c.source.lower())
        for c in before
    )
    assert shown or described, f"{exercise.name}: no question shown or described before its stub"


FORMATS = {
    "gru_param_count": "integer",
    "two_biases": "label",
    "kept_after_hold": "fraction",
    "choose_a_cell": "string",
    "bits_from_loss": "float",
    "perplexity_from_bits": "number",
    "greedy_repeats": "label",
    "pad_right": "integer NumPy array",
}


@pytest.mark.parametrize(("module", "exercise"), CASES, ids=IDS)
def test_answer_format_is_stated(module, exercise):
    if exercise.name not in FORMATS:  # functions whose signature and prompt say it all
        assert exercise.kind == "function"
        return
    cells = _cells(module)
    at = next(i for i, c in enumerate(cells) if f"ex.{exercise.name}.check(" in c.source)
    text = " ".join(c.source for c in cells[max(0, at - 4) : at]) + exercise.prompt
    assert FORMATS[exercise.name] in text


@pytest.mark.parametrize(("module", "exercise"), CASES, ids=IDS)
def test_every_hint_stops_before_the_code(module, exercise):
    solution_lines = [
        ln.strip()
        for ln in _solution_text(exercise).splitlines()
        if ln.strip() and not ln.strip().startswith(("def ", "import ", "#"))
    ]
    for hint in exercise.hints:
        for line in solution_lines:
            assert line.split("#")[0].strip() not in hint, (exercise.name, hint)


# --- the apply-it exercises, both ways ----------------------------------------------


@pytest.mark.parametrize(
    ("answer", "names"),
    [
        (0.98**40, None),
        (0.0, "1 - z"),
        (0.02**40, "1 - z"),
        (0.2, "linearly"),
        (0.98, "one step"),
        (44.57, "not a percentage"),
    ],
)
def test_kept_after_hold(answer, names):
    feedback = lesson05.kept_after_hold.evaluate(answer)
    if names is None:
        assert feedback.passed
    else:
        assert not feedback.passed and names in feedback.message


def test_kept_after_hold_runs_as_predicted_on_the_engine():
    from course_utils import numpy_rnn

    cell = numpy_rnn.GRU(input_size=1, hidden_size=1, seed=0)
    for name in cell.params:
        cell.params[name][...] = 0.0
    cell.params["b_xz"][...] = np.log(0.98 / 0.02)  # z = 0.98
    h = cell(np.zeros((1, 40, 1)), h0=np.ones((1, 1)))  # (1, 40, 1)
    assert h[0, -1, 0] == pytest.approx(lesson05.kept_after_hold.reference_answer())


def test_two_biases_names_the_wrong_claims():
    assert lesson05.two_biases.evaluate("c").passed
    everything = lesson05.two_biases.evaluate("b")
    assert not everything.passed and "only the candidate" in everything.message
    nothing = lesson05.two_biases.evaluate("a")
    assert not nothing.passed and "b_hh sits inside the product" in nothing.message


def _fold_recurrent_bias(cell, block, x):
    """max |output change| after moving block's recurrent bias into its input bias."""
    before = cell(x)  # (batch, time, hidden)
    saved = {name: value.copy() for name, value in cell.params.items()}
    cell.params[f"b_x{block}"][...] += cell.params[f"b_h{block}"]
    cell.params[f"b_h{block}"][...] = 0.0
    change = float(np.abs(cell(x) - before).max())
    for name, value in saved.items():
        cell.params[name][...] = value
    return change


def test_two_biases_answer_holds_on_the_engine():
    """Only the candidate's recurrent bias changes the function when folded."""
    from course_utils import numpy_rnn

    cell = numpy_rnn.GRU(input_size=2, hidden_size=4, reset_after=True, seed=0)
    rng = np.random.default_rng(0)
    for name in cell.params:
        cell.params[name][...] = 0.5 * rng.standard_normal(cell.params[name].shape)
    x = rng.standard_normal((3, 10, 2))  # (batch, time, input)
    assert _fold_recurrent_bias(cell, "z", x) < 1e-12
    assert _fold_recurrent_bias(cell, "r", x) < 1e-12
    assert _fold_recurrent_bias(cell, "h", x) > 0.1


def _pad_pre(contexts, width):
    return keras.utils.pad_sequences(contexts, maxlen=width)  # padding and truncating "pre"


@pytest.mark.parametrize(
    ("function", "names"),
    [
        (lesson06._pad_right, None),
        (
            lambda c, w: keras.utils.pad_sequences(c, maxlen=w, padding="post", truncating="pre"),
            None,
        ),
        (_pad_pre, "before the words"),
        (
            lambda c, w: keras.utils.pad_sequences(c, maxlen=w, padding="post", truncating="post"),
            "first words",
        ),
    ],
)
def test_pad_right(function, names):
    feedback = lesson06.pad_right.evaluate(function)
    if names is None:
        assert feedback.passed, feedback.message
    else:
        assert not feedback.passed and names in feedback.message


def test_pad_right_does_not_accept_everything():
    assert not lesson06.pad_right.evaluate(lambda c, w: np.zeros((len(c), w), int)).passed
    assert not lesson06.pad_right.evaluate(lambda c, w: None).passed


# --- choose_a_cell, judged on the measurements ----------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("a GRU because it is faster to train", "trains faster"),
        ("LSTM, because it is better on long sequences", "better on long sequences"),
        ("I think the answer depends on many things and on what the data are like.", "measure"),
        ("The GRU is a quarter smaller, so I pick it and time it against the LSTM.", "quarter"),
        ("The article says the GRU is better, so I pick it.", "article"),
    ],
)
def test_choose_a_cell_rejects_what_the_lesson_measured_otherwise(text, names):
    feedback = lesson05.choose_a_cell.evaluate(text)
    assert not feedback.passed and names in feedback.message


@pytest.mark.parametrize(
    "text",
    [
        lesson05.choose_a_cell.reference_answer(),
        "A GRU: it was not faster per epoch here, but it solved T=200. I would still train "
        "both over three seeds on my task and compare their metric and time.",
        "Either. The LSTM is not better on long sequences in these runs, so I would measure "
        "both with the same budget and a few seeds.",
    ],
)
def test_choose_a_cell_accepts_answers_grounded_in_the_measurements(text):
    assert lesson05.choose_a_cell.evaluate(text).passed


def test_gru_new_state_names_the_convention_without_the_formula():
    swapped = lesson05.gru_new_state.evaluate(lambda z, h, n: (1 - z) * h + z * n)
    assert not swapped.passed
    assert "Chung et al." in swapped.message and "Cho et al. (2014, eq. 7)" in swapped.message
    assert "z * h_prev + (1 - z)" not in swapped.message


@pytest.mark.parametrize(
    ("function", "names"),
    [
        (lambda m, n, ra: 3 * (n * m + n * n + (1 if ra else 2) * n), "swapped"),
        (lambda m, n, ra: 4 * (n * m + n * n + (2 if ra else 1) * n), "four blocks"),
        (lambda m, n, ra: 3 * (n * m + n * n), "biases"),
        (lambda m, n, ra: 3 * (n * m + (2 if ra else 1) * n), "recurrent kernels"),
    ],
)
def test_gru_param_count_diagnoses(function, names):
    feedback = lesson05.gru_param_count.evaluate(function)
    assert not feedback.passed and names in feedback.message
