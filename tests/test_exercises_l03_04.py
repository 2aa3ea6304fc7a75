"""Lessons 03 and 04: every exercise as the learner meets it in the student edition.

* Each exercise's own ``solution()`` text, pasted into its student stub, passes.
* Each exercise's question is visible in the notebook and its answer format is stated.
* The "apply it" exercises (``per_tensor_step_bound``, ``stuck_gate``) pass their answer
  and name the mistake of a typical wrong one.
* ``clip_global_norm`` rejects a version that changes the caller's arrays in place;
  ``memory_after_hold`` names a percentage.
"""

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_utils.lessons.l03_gradients import exercises as lesson03
from course_utils.lessons.l04_lstm import exercises as lesson04
from tools.student import strip_solutions

ROOT = Path(__file__).resolve().parents[1]
LESSONS = {
    "03_vanishing_exploding_gradients.ipynb": lesson03,
    "04_lstm.ipynb": lesson04,
}
CHECK = re.compile(r"ex\.(\w+)\.check\((\w+)\)")


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _exercise_cells(notebook: str):
    nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in cell.source:
            match = CHECK.search(cell.source)
            if match is None:  # a function cell, checked in the next cell
                cell = nbformat.v4.new_code_cell(cell.source + "\n" + nb.cells[index + 1].source)
                match = CHECK.search(cell.source)
            assert match, f"{notebook} cell {index}: a solution cell without ex.NAME.check(...)"
            yield nb, index, cell, match.group(1), match.group(2)


CASES = [(notebook, name) for notebook in LESSONS for _, _, _, name, _ in _exercise_cells(notebook)]


def _solution_text(exercise) -> str:
    if exercise._solution_text is not None:
        return exercise._solution_text
    return exercise._default_solution()


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_solution_pasted_into_student_stub_passes(notebook, name):
    module = LESSONS[notebook]
    cell = next(c for _, _, c, n, _ in _exercise_cells(notebook) if n == name)
    stub = strip_solutions(cell.source)
    assert "# BEGIN SOLUTION" not in stub
    exercise = getattr(module, name)
    # The learner replaces the stub by the solution: here the solution runs just before the
    # check line, so it overrides whatever the stub defined, under the stub's names.
    lines = stub.splitlines()
    at = next(i for i, line in enumerate(lines) if f"ex.{name}.check(" in line)
    source = "\n".join(lines[:at] + _solution_text(exercise).splitlines() + lines[at:])
    source = source.replace(f"ex.{name}.check(", f"feedback = ex.{name}.evaluate(")
    namespace = {"np": np, "ex": module, "sigmoid": _sigmoid}
    exec(compile(source, f"<{notebook}:{name}>", "exec"), namespace)
    assert namespace["feedback"].status == "correct", namespace["feedback"].text()


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_student_stub_alone_is_not_attempted(notebook, name):
    module = LESSONS[notebook]
    cell = next(c for _, _, c, n, _ in _exercise_cells(notebook) if n == name)
    source = strip_solutions(cell.source).replace(
        f"ex.{name}.check(", f"feedback = ex.{name}.evaluate("
    )
    namespace = {"np": np, "ex": module, "sigmoid": _sigmoid}
    exec(compile(source, f"<stub {name}>", "exec"), namespace)
    assert namespace["feedback"].status == "not_attempted"


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_question_and_answer_format_are_visible(notebook, name):
    nb, index, _, _, _ = next(c for c in _exercise_cells(notebook) if c[3] == name)
    before = nb.cells[max(0, index - 3) : index]
    shown = " ".join(c.source for c in before)
    asked = f"ex.{name}.question()" in shown or "### Exercise" in shown
    assert asked, f"{name}: no question shown in the cells before its check"
    exercise = getattr(LESSONS[notebook], name)
    formats = ("a float", "a string", "an int", "list of NumPy arrays", "NumPy array", "a fraction")
    stated = " ".join([shown, exercise.prompt])
    assert any(f in stated for f in formats), f"{name}: answer format not stated"


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_every_exercise_has_a_hint_cell(notebook, name):
    nb, index, _, _, _ = next(c for c in _exercise_cells(notebook) if c[3] == name)
    after = " ".join(c.source for c in nb.cells[index + 1 : index + 4])
    assert f"ex.{name}.hint()" in after


def test_apply_it_exercises_both_ways():
    step = lesson03.per_tensor_step_bound
    assert step.evaluate(0.1 * np.sqrt(5)).status == "correct"
    wrong = step.evaluate(0.1)  # the global-clipping bound
    assert wrong.status == "incorrect" and "GLOBAL clipping" in wrong.message
    stuck = lesson04.stuck_gate
    assert stuck.evaluate("b").status == "correct"
    wrong = stuck.evaluate("a")  # "the gradients explode"
    assert wrong.status == "incorrect" and "vanishes, not one that explodes" in wrong.message


def test_clip_global_norm_rejects_in_place_changes():
    def in_place(grads, max_norm):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        for g in grads:
            g *= min(1.0, max_norm / norm)
        return grads

    feedback = lesson03.clip_global_norm.evaluate(in_place)
    assert feedback.status == "incorrect" and "changes the arrays" in feedback.message


def test_clip_global_norm_names_a_returned_norm():
    def with_norm(grads, max_norm):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * min(1.0, max_norm / norm) for g in grads], norm

    feedback = lesson03.clip_global_norm.evaluate(with_norm)
    assert feedback.status == "incorrect" and "without the norm" in feedback.message


def test_memory_after_hold_names_a_percentage():
    feedback = lesson04.memory_after_hold.evaluate(100 * 0.95**50)
    assert "fraction, not a percentage" in feedback.message


def test_far_off_values_are_never_called_close():
    for exercise, value in [
        (lesson03.one_number_mse, 0.5),
        (lesson03.spectral_radius, 3.0),
        (lesson03.per_tensor_step_bound, 2.0),
    ]:
        feedback = exercise.evaluate(value)
        assert feedback.status == "incorrect"
        assert "Close" not in feedback.message and "hint()" in feedback.message
