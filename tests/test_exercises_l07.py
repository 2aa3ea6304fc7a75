"""Lesson 07's exercises, both ways: each solution pasted into its student stub passes,
each question is shown with its answer format, and typical wrong answers get a message
that names the mistake."""

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_utils.exercises.core import exercises_in
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.kinds import ChoiceExercise
from course_utils.lessons.l07_choosing import exercises as ex
from tools.student import strip_solutions

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_choosing_an_architecture.ipynb"
EXERCISES = {e.name: e for e in exercises_in(ex)}


def _cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def _check_cell(name: str) -> tuple[int, str]:
    cells = _cells()
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and f"ex.{name}.check(" in cell.source:
            return i, cell.source
    raise AssertionError(f"no cell checks ex.{name}")


def _pasted(name: str) -> str:
    """The student stub of ``name``'s cell with the exercise's own solution pasted in."""
    exercise = EXERCISES[name]
    _, source = _check_cell(name)
    stub = strip_solutions(source)
    if isinstance(exercise, FunctionExercise):
        solution = exercise._solution_text or exercise._default_solution()
        lines, out, skipping = stub.splitlines(), [], False
        for line in lines:
            if line.startswith(f"def {name}("):
                out.append(solution.rstrip())
                skipping = True
            elif skipping and (line.startswith(" ") or not line.strip()):
                continue
            else:
                skipping = False
                out.append(line)
        return "\n".join(out)
    answer = exercise.answer if isinstance(exercise, ChoiceExercise) else exercise.model_answer
    assert "...  # your answer here" in stub
    return stub.replace("...  # your answer here", repr(answer))


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_solution_pasted_into_its_student_stub_passes(name):
    source = _pasted(name).replace(f"ex.{name}.check(", f"_feedback = ex.{name}.evaluate(")
    namespace = {"ex": ex}
    exec(compile(source, f"<{name} pasted>", "exec"), namespace)  # noqa: S102
    assert namespace["_feedback"].passed, namespace["_feedback"].message


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_question_shown_and_answer_format_stated(name):
    index, _ = _check_cell(name)
    before = _cells()[max(0, index - 4) : index]
    assert any(f"ex.{name}.question()" in c.source for c in before if c.cell_type == "code")
    text = " ".join(c.source for c in before if c.cell_type == "markdown").lower()
    assert "answer format" in text, f"{name}: state the answer format before the stub"


def test_apply_it_diagnose_plateau_both_ways():
    assert ex.diagnose_plateau.evaluate("c").passed
    capacity = ex.diagnose_plateau.evaluate("a")
    assert not capacity.passed and "capacity is not what is missing" in capacity.message
    longer = ex.diagnose_plateau.evaluate("b")
    assert not longer.passed and "ln 4" in longer.message and "one seed" in longer.message


def test_diagnose_plateau_feedback_matches_the_committed_runs():
    """(b)'s feedback: one committed LSTM(64) seed left the plateau, the others did not;
    the probe's quarter learning rate solved every seed."""
    from course_utils.lessons import l07_choosing as compare

    grid = compare.load_grid()
    spec = compare.TASKS["temporal_order"]
    runs = [r for r in compare.current_rows(grid)
            if (r["task"], r["cell"], r["size"]) == ("temporal_order", "lstm", 64)]  # fmt: skip
    plateau = np.log(4)
    escaped = [r for r in runs if r["metric"] >= spec.solved
               and any(abs(h - plateau) < 0.01 for h in r["history"][:3])]  # fmt: skip
    stuck = [r for r in runs if r["metric"] < spec.solved
             and abs(r["history"][-1] - plateau) < 0.01]  # fmt: skip
    assert len(escaped) == 1 and len(stuck) == len(runs) - 1
    probes = compare.load_probes()["order_lr"]["rows"]
    quarter = [r for r in probes if r["learning_rate"] == spec.learning_rate * 16 / 64]
    assert quarter and all(r["metric"] >= spec.solved for r in quarter)


def _clipped(metric, chance, best):
    return min(1.0, max(0.0, (metric - chance) / (best - chance)))


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_clipped, "clipped"),
        (lambda metric, chance, best: 1 - metric / chance, "perfect score"),
        (lambda metric, chance, best: (best - metric) / (best - chance), "still missing"),
        (lambda metric, chance, best: metric / best, "plain ratio"),
    ],
)
def test_gap_closed_wrong_answers_are_named_not_called_close(wrong, words):
    feedback = ex.gap_closed.evaluate(wrong)
    assert not feedback.passed and words in feedback.message
    assert "Close, but" not in feedback.message


def test_gap_closed_keeps_the_sign_below_chance():
    assert ex.gap_closed.evaluate(
        lambda metric, chance, best: (metric - chance) / (best - chance)
    ).passed
    assert any(c["metric"] > c["chance"] > c["best"] for c in ex.gap_closed.cases())


@pytest.mark.parametrize(
    "answer, status, words",
    [
        ("The GRU is better because its validation loss is lower, so I believe it.", "incorrect", "mistake"),
        ("GRU was better, a lower validation loss means it learned more than the LSTM did.", "incorrect", "one run"),
        ("I think the answer depends on many things and on what the data are like.", "incorrect", "repeat"),
        ("Run each model five times with different seeds and average the losses.", "incorrect", "noise"),
        (
            "Rerun both with several seeds, same data and budget, and check whether the gap "
            "between the means is larger than the seed-to-seed spread.",
            "correct",
            "",
        ),
    ],
)  # fmt: skip
def test_one_seed_is_judged_on_repeats_and_spread(answer, status, words):
    feedback = ex.one_seed.evaluate(answer)
    assert feedback.status == status
    assert words in feedback.message


def test_pareto_front_hint_is_not_the_code():
    assert all("<=" not in hint and "costs[" not in hint for hint in ex.pareto_front.hints)
    assert all(re.search(r"\bbest - chance\b", hint) is None for hint in ex.gap_closed.hints)
