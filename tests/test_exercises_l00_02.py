"""Lessons 00-02's exercises, as a learner meets them in the student edition.

* every exercise's own ``solution()``, pasted into the stub that
  ``python -m tools.student`` makes, passes its check;
* every exercise's question is shown in the notebook (a ``question()`` cell or the
  markdown before the stub) and the notebook states the answer format;
* free-text checks judge something: a vague answer and a restated claim fail;
* each lesson has an "apply it" exercise whose typical wrong answers get a message
  that names the mistake.
"""

import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_utils.exercises import exercises_in
from course_utils.exercises.ideas import mentions, missing, restates
from course_utils.lessons.l00_start_here import exercises as lesson00
from course_utils.lessons.l01_elman import exercises as lesson01
from course_utils.lessons.l02_jordan import exercises as lesson02
from tools.student import student_notebook

ROOT = Path(__file__).resolve().parents[1]
LESSONS = {
    "00_start_here.ipynb": lesson00,
    "01_elman_networks.ipynb": lesson01,
    "02_jordan_networks.ipynb": lesson02,
}
CASES = [(nb, ex.name) for nb, module in LESSONS.items() for ex in exercises_in(module)]
VAGUE = "I think the answer depends on many things and on what the data are like."
FORMAT_WORDS = ("string", "number", "tuple", "integer", "array", "a function", "sentences")


def _notebook(name):
    return nbformat.read(ROOT / "notebooks" / name, as_version=4)


def _check_cell(cells, name):
    """Index of the cell that calls ``ex.<name>.check(...)``, and the checked expression."""
    for i, cell in enumerate(cells):
        match = re.search(rf"ex\.{name}\.check\((.+)\)\s*$", cell.source, re.MULTILINE)
        if cell.cell_type == "code" and match:
            return i, match.group(1)
    raise AssertionError(f"no cell calls ex.{name}.check(...)")


def _solution_text(exercise):
    if exercise._solution_text is not None:
        return exercise._solution_text
    return exercise._default_solution()


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_solution_pasted_into_the_student_stub_passes(notebook, name):
    exercise = getattr(LESSONS[notebook], name)
    student = student_notebook(_notebook(notebook), name=notebook)
    index, expression = _check_cell(student.cells, name)
    namespace = {"np": np, "ex": LESSONS[notebook]}
    if exercise.kind in ("choice", "reflection"):
        # The stub assigns one name; the learner replaces its `...` with the answer.
        stub = ast.parse(student.cells[index].source).body[0]
        target = stub.targets[0].id
        namespace[target] = exercise.reference_answer()
    else:
        exec(_solution_text(exercise), namespace)  # what the learner pastes
    feedback = exercise.evaluate(eval(expression, namespace))
    assert feedback.passed, f"{name}: pasting solution() gives {feedback.text()}"


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_stub_is_not_attempted_in_the_student_edition(notebook, name):
    student = student_notebook(_notebook(notebook), name=notebook)
    index, expression = _check_cell(student.cells, name)
    source = student.cells[index].source
    assert "# your answer here" in source or "NotImplementedError" in "".join(
        c.source for c in student.cells[max(0, index - 1) : index + 1]
    )


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_question_and_answer_format_are_visible(notebook, name):
    cells = _notebook(notebook).cells
    index, _ = _check_cell(cells, name)
    before = cells[max(0, index - 4) : index + 1]
    shown = any(f"ex.{name}.question()" in c.source for c in before)
    markdown = " ".join(c.source for c in before if c.cell_type == "markdown").lower()
    assert shown or f"`{name}(" in markdown, f"{name}: its question is never shown"
    visible = markdown + (" " + getattr(LESSONS[notebook], name).prompt.lower() if shown else "")
    assert any(word in visible for word in FORMAT_WORDS) or "def " in cells[index].source, (
        f"{name}: the markdown before the exercise does not state the answer format"
    )


FREE_TEXT = [
    (lesson00.window_vs_state, "The RNN is just a window model with a longer window."),
    (lesson01.hidden_clusters, "The network was given the word classes as labels."),
    (
        lesson02.folklore_claim,
        "Elman networks suit fine-grained temporal dependencies and Jordan networks suit "
        "tasks that need a summarised representation.",
    ),
]


@pytest.mark.parametrize(("exercise", "restated"), FREE_TEXT, ids=lambda e: getattr(e, "name", ""))
def test_free_text_checks_judge_something(exercise, restated):
    assert exercise.evaluate(exercise.reference_answer()).passed
    assert exercise.evaluate(VAGUE).status == "incorrect"
    assert exercise.evaluate(restated).status == "incorrect"


def test_every_failure_of_a_free_text_check_names_what_is_missing():
    feedback = lesson02.folklore_claim.evaluate(FREE_TEXT[2][1])
    assert "restates the article's claim" in feedback.message


APPLY_IT = [
    (lesson00.memoryless_accuracy, 0.75, 0.575, "figure for delay 3"),
    (lesson00.memoryless_accuracy, 0.75, 75, "not a percentage"),
    (lesson01.stream_error, 3 / 16, 1 / 6, "one bit in three"),
    (lesson01.stream_error, 3 / 16, 0.25, "guessing 0.5 at every position"),
    (lesson02.state_unit_limit, 5.0, 1.8, "You added two terms"),
    (lesson02.state_unit_limit, 5.0, 1.0, "mu = 0"),
]


@pytest.mark.parametrize(("exercise", "right", "wrong", "message"), APPLY_IT)
def test_apply_it_exercises_both_ways(exercise, right, wrong, message):
    assert exercise.evaluate(right).passed
    feedback = exercise.evaluate(wrong)
    assert feedback.status == "incorrect" and message in feedback.message


def test_apply_it_exercise_in_every_lesson():
    for module in LESSONS.values():
        assert any("apply it" in e.prompt.lower() or "predict, then run" in e.prompt.lower()
                   for e in exercises_in(module)), module.__name__  # fmt: skip


def test_jordan_step_swapped_return_is_named():
    def swapped(x_t, s_t, W_xh, W_sh, b_h, W_hy, b_y, mu):
        h_t = np.tanh(x_t @ W_xh + s_t @ W_sh + b_h)
        y_t = h_t @ W_hy + b_y
        return mu * s_t + y_t, y_t

    feedback = lesson02.jordan_step.evaluate(swapped)
    assert "You returned (s_next, y_t); the exercise expects (y_t, s_next)" in feedback.message


def test_elman_forward_catches_a_state_that_is_never_carried():
    def frozen(x, h0, W_xh, W_hh, b_h):
        return np.stack([np.tanh(x[:, t] @ W_xh + h0 @ W_hh + b_h) for t in range(x.shape[1])], 1)

    assert "never carried forward" in lesson01.elman_forward.evaluate(frozen).message


@pytest.mark.parametrize("module", list(LESSONS.values()), ids=lambda m: m.__name__)
def test_hints_are_not_the_full_code(module):
    for exercise in exercises_in(module):
        for hint in exercise.hints:
            assert "return " not in hint and "for t in range" not in hint, (exercise.name, hint)


# --- ideas.py ------------------------------------------------------------------------


def test_mentions_matches_at_word_starts():
    assert mentions("It remembers the past", ["remember"])
    assert not mentions("many things", ["any"])


@pytest.mark.parametrize(
    "call",
    [
        lambda: mentions(3, ["a"]),
        lambda: mentions("text", "a"),
        lambda: missing([], "m", example="x"),
        lambda: restates("claim", "m", unless=["a"], example="x"),
        lambda: restates([["a"]], "m", unless=[""], example="x"),
    ],
)
def test_ideas_reject_bad_arguments(call):
    with pytest.raises(TypeError):
        call()


def test_graded_text_never_says_there_is_no_wrong_answer():
    for exercise, _ in FREE_TEXT:
        feedback = exercise.evaluate("Not sure.")
        assert feedback.status == "incorrect" and "no wrong answer" not in feedback.message


def test_elman_forward_names_a_time_major_answer_and_its_cases_separate_the_axes():
    def time_major(x, h0, W_xh, W_hh, b_h):
        states, h = [], h0
        for t in range(x.shape[1]):
            h = np.tanh(x[:, t] @ W_xh + h @ W_hh + b_h)
            states.append(h)
        return np.stack(states, axis=0)  # (time, batch, hidden): the classic slip

    assert "time-major" in lesson01.elman_forward.evaluate(time_major).message
    for case in lesson01.elman_forward.cases():
        batch, time, _ = case["x"].shape
        assert len({batch, time, case["x"].shape[2], case["W_hh"].shape[0]}) == 4
