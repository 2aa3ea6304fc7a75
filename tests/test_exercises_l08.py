"""Lesson 08's exercises, both ways: each solution pasted into its student stub passes,
and the typical wrong answers get a message that names the mistake."""

import nbformat
import numpy as np
import pytest

from course_utils.exercises.core import exercises_in
from course_utils.lessons.l08_applications import exercises as ex
from tools.student import strip_solutions

NOTEBOOK = "notebooks/08_applications_and_attention.ipynb"


def _stub_cells():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = {}
    for cell in nb.cells:
        for exercise in exercises_in(ex):
            if cell.cell_type == "code" and f"ex.{exercise.name}.check(" in cell.source:
                cells[exercise.name] = strip_solutions(cell.source)
    return cells


STUBS = _stub_cells()


@pytest.mark.parametrize("exercise", exercises_in(ex), ids=lambda e: e.name)
def test_solution_pasted_into_its_stub_passes(exercise):
    stub = STUBS[exercise.name]  # the student edition's cell
    check_line = next(line for line in stub.splitlines() if f"ex.{exercise.name}.check(" in line)
    solution = exercise._solution_text or exercise._default_solution()
    pasted = (
        solution
        + "\n"
        + check_line.replace(".check(", ".evaluate(").replace(
            f"ex.{exercise.name}", f"feedback = ex.{exercise.name}", 1
        )
    )
    namespace = {"np": np, "ex": ex}
    exec(compile(pasted, f"<{exercise.name} pasted>", "exec"), namespace)
    assert namespace["feedback"].status == "correct", namespace["feedback"].text()
    before = {"np": np, "ex": ex}
    exec(compile(stub.replace(".check(", ".evaluate("), "<stub>", "exec"), before)
    assert exercise.evaluate(None).status == "not_attempted"


def test_forgotten_target_months_are_named_not_subtracted():
    for wrong in (56, 57):
        message = ex.count_train_windows.evaluate(wrong).message
        assert "12 target months" in message and "too large" not in message
    assert "24 input months" in ex.count_train_windows.evaluate(69).message


def test_masked_softmax_rejects_an_unstable_version():
    def unstable(scores, mask):
        weights = np.exp(np.where(mask, scores, -np.inf))
        return weights / weights.sum()

    with np.errstate(over="ignore", invalid="ignore"):
        feedback = ex.masked_softmax.evaluate(unstable)
    assert feedback.status == "incorrect" and "Numerically unstable" in feedback.message


def test_masked_softmax_accepts_a_very_negative_constant_for_padding():
    def with_constant(scores, mask):
        scores = np.where(mask, scores, -1e30)
        weights = np.exp(scores - scores.max())
        return weights / weights.sum()

    assert ex.masked_softmax.evaluate(with_constant).status == "correct"


def test_right_pad_both_ways():
    def loop_version(ids):
        out = np.zeros_like(ids)
        for i, row in enumerate(ids):
            kept = [v for v in row if v != 0]
            out[i, : len(kept)] = kept
        return out

    assert ex.right_pad.evaluate(loop_version).status == "correct"
    reversed_rows = ex.right_pad.evaluate(lambda ids: ids[:, ::-1])
    assert reversed_rows.status == "incorrect" and "backwards" in reversed_rows.message
    left_again = ex.right_pad.evaluate(lambda ids: ids)  # changed nothing
    assert left_again.status == "incorrect"


@pytest.mark.parametrize(
    "answer, words",
    [
        ("Because attention has more parameters.", "more parameters"),
        ("Because the attention model has more parameters, so it can learn more.", "parameters"),
        ("I think the answer depends on many things and on what the data are like.", "receives"),
        ("Without attention everything must go through the encoder's last state.", "attention"),
    ],
)
def test_why_attention_helps_rejects_wrong_or_vague_reasons(answer, words):
    feedback = ex.why_attention_helps.evaluate(answer)
    assert feedback.status == "incorrect" and words in feedback.message


def test_why_attention_helps_accepts_the_two_ideas_in_other_words():
    answer = (
        "The plain decoder must squeeze the whole date into the encoder's fixed-size last "
        "state, which gets harder as filler piles up; attention lets every output step look "
        "at all the encoder states and pick the digits it needs."
    )
    assert ex.why_attention_helps.evaluate(answer).status == "correct"


def test_why_attention_helps_is_not_fooled_by_the_word_context_vector():
    answer = "Attention has more parameters and a bigger context vector, so it learns more."
    feedback = ex.why_attention_helps.evaluate(answer)
    assert feedback.status == "incorrect" and "parameters" in feedback.message
