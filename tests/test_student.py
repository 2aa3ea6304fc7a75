"""The student edition: solutions become stubs, outputs go, learner work is safe."""

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools.student import (
    MARKER_FILE,
    StudentEditionError,
    _with_stable_ids,
    main,
    strip_solutions,
    student_notebook,
    write_student_edition,
)

RAISE = 'raise NotImplementedError("Write your solution here")'

# --- one cell ---------------------------------------------------------------


def test_top_level_block_becomes_one_stub_per_name():
    source = (
        "x = 1\n# BEGIN SOLUTION\nimport math\nshape = (32, 50, 8)\nh, c = 0, 1\n"
        "total += 2\nW[0] = 3\nshape = 4\n# END SOLUTION\nprint(shape)"
    )
    assert strip_solutions(source) == (
        "x = 1\nimport math\nshape = ...  # your answer here\nh = ...  # your answer here\n"
        "c = ...  # your answer here\ntotal = ...  # your answer here\nprint(shape)"
    )


def test_names_assigned_inside_compound_statements_are_found():
    source = "# BEGIN SOLUTION\nif True:\n    answer = 1\nelse:\n    answer = 2\n# END SOLUTION"
    assert strip_solutions(source) == "answer = ...  # your answer here"


def test_block_inside_function_raises_at_the_right_indentation():
    source = (
        "class Cell:\n    def step(self, x):\n        h = x\n        # BEGIN SOLUTION\n"
        "        for t in range(3):\n            h = h + 1\n        return h\n"
        "        # END SOLUTION\n"
    )
    assert strip_solutions(source) == (
        f"class Cell:\n    def step(self, x):\n        h = x\n        {RAISE}\n"
    )


def test_block_in_a_top_level_loop_is_not_a_function_body():
    source = "for i in range(3):\n    # BEGIN SOLUTION\n    total = i\n    # END SOLUTION\n"
    assert strip_solutions(source) == "for i in range(3):\n    total = ...  # your answer here\n"


def test_function_defined_in_a_block_keeps_its_signature():
    source = "# BEGIN SOLUTION\ndef count(m: int, h=2) -> int:\n    return h * m\n# END SOLUTION"
    assert strip_solutions(source) == f"def count(m: int, h=2) -> int:\n    {RAISE}"


def test_block_without_names_becomes_ellipsis():
    assert strip_solutions("# BEGIN SOLUTION\nprint(1)\n# END SOLUTION") == (
        "...  # your answer here"
    )


def test_cell_without_markers_is_unchanged():
    source = "x = 1\n\n# a comment\n"
    assert strip_solutions(source) == source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# BEGIN SOLUTION\nx = 1", "line 1 has no matching '# END SOLUTION'"),
        ("x = 1\n# END SOLUTION", "line 2 has no '# BEGIN SOLUTION'"),
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "nested"),
    ],
)
def test_unbalanced_markers_name_the_place(source, expected):
    with pytest.raises(StudentEditionError, match=expected) as error:
        strip_solutions(source, where="nb.ipynb, cell 3")
    assert str(error.value).startswith("nb.ipynb, cell 3")


def test_unparsable_top_level_block_is_an_error():
    with pytest.raises(StudentEditionError, match="not valid Python"):
        strip_solutions("x = max(\n# BEGIN SOLUTION\n1, 2)\n# END SOLUTION")


# --- notebooks and folders --------------------------------------------------


# In a kernel too, an endless loop is stopped and a learner's error shows their line.
LOOP_CELL = """from course_utils.exercises import FunctionExercise
loop = FunctionExercise(name="loop", reference=abs, cases=[{"x": 1}], time_limit=0.2)
def forever(x):
    while True:
        pass
loop.check(forever)
def buggy(x):
    return x / 0
loop.check(buggy)"""


def sample_notebook():
    solved = new_code_cell(
        "# BEGIN SOLUTION\nsequence_shape = (32, 50, 100)\n# END SOLUTION",
        execution_count=3,
        outputs=[new_output("stream", name="stdout", text="hi\n")],
        metadata={"tags": ["exercise"]},
    )
    return new_notebook(
        cells=[
            new_markdown_cell("# Sample\n# BEGIN SOLUTION is just prose here"),
            new_code_cell("from course_utils.lessons.l00_start_here import exercises as ex"),
            solved,
            new_code_cell("ex.sequence_shape.check(sequence_shape)"),
            new_code_cell(
                "def count_rnn_params(input_size, hidden_size):\n"
                "    # BEGIN SOLUTION\n"
                "    return hidden_size * (input_size + hidden_size + 1)\n"
                "    # END SOLUTION"
            ),
            new_code_cell("ex.count_rnn_params.check(count_rnn_params)"),
            new_code_cell(
                "# BEGIN SOLUTION\nanswer = 'a'\n# END SOLUTION\nex.weights_over_time.check(answer)"
            ),
            new_code_cell(LOOP_CELL),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "course": {"lesson": 0},
        },
    )


def make_course(folder, name="00_start_here.ipynb"):
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(sample_notebook(), folder / name)
    (folder / "INSTRUCTORS.md").write_text("notes for teachers")
    return folder


def test_student_notebook_clears_outputs_and_keeps_the_rest():
    original = sample_notebook()
    student = student_notebook(original, name="sample.ipynb")
    cell = student.cells[2]
    assert cell.source == "sequence_shape = ...  # your answer here"
    assert cell.outputs == [] and cell.execution_count is None
    assert cell.metadata == {"tags": ["exercise"]} and cell.id == original.cells[2].id
    assert student.cells[0] == original.cells[0]  # markdown untouched
    assert student.metadata == original.metadata
    assert original.cells[2].outputs, "the instructor notebook is not modified"
    assert "+ 1" not in nbformat.writes(student)


def test_student_notebook_errors_name_notebook_and_cell():
    notebook = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("# BEGIN SOLUTION")])
    with pytest.raises(StudentEditionError, match=r"sample.ipynb, cell 2 \(id "):
        student_notebook(notebook, name="sample.ipynb")


def test_write_student_edition_writes_only_notebooks(tmp_path):
    course = make_course(tmp_path / "notebooks")
    make_course(course / "extra", "01_more.ipynb")
    (course / ".ipynb_checkpoints").mkdir()
    nbformat.write(sample_notebook(), course / ".ipynb_checkpoints" / "00-checkpoint.ipynb")
    out = tmp_path / "student"
    written = write_student_edition([course], out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "00_start_here.ipynb",
        "extra/01_more.ipynb",
    ]
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == [
        MARKER_FILE,
        "00_start_here.ipynb",
        "01_more.ipynb",
    ]
    marker = json.loads((out / MARKER_FILE).read_text())
    assert set(marker["files"]) == {"00_start_here.ipynb", "extra/01_more.ipynb"}


def test_the_pages_the_lessons_link_to_are_shipped_and_guarded(tmp_path):
    course = make_course(tmp_path / "notebooks")
    (course / "GLOSSARY.md").write_text("# Glossary\n")
    out = tmp_path / "student"
    write_student_edition([course], out)
    assert (out / "GLOSSARY.md").read_text() == "# Glossary\n"
    assert not (out / "INSTRUCTORS.md").exists()
    assert "GLOSSARY.md" in json.loads((out / MARKER_FILE).read_text())["files"]
    write_student_edition([course], out)  # regenerating an unedited edition is fine
    (out / "GLOSSARY.md").write_text("my notes")
    with pytest.raises(StudentEditionError, match="GLOSSARY.md"):
        write_student_edition([course], out)


def test_regenerating_an_unedited_edition_is_allowed_and_removes_stale_files(tmp_path):
    course = make_course(tmp_path / "notebooks")
    make_course(course, "99_old.ipynb")
    out = tmp_path / "student"
    write_student_edition([course], out)
    (course / "99_old.ipynb").unlink()
    (out / ".ipynb_checkpoints").mkdir()  # Jupyter's, not the learner's work
    (out / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    write_student_edition([course], out)
    assert not (out / "99_old.ipynb").exists()
    assert (out / "00_start_here.ipynb").exists()


def test_refuses_a_folder_with_other_files(tmp_path):
    course = make_course(tmp_path / "notebooks")
    out = tmp_path / "student"
    out.mkdir()
    (out / "my_notes.txt").write_text("mine")
    with pytest.raises(StudentEditionError, match="my_notes.txt.*another --out folder"):
        write_student_edition([course], out)
    assert sorted(p.name for p in out.iterdir()) == ["my_notes.txt"]


def test_refuses_to_overwrite_edited_work(tmp_path):
    course = make_course(tmp_path / "notebooks")
    out = tmp_path / "student"
    write_student_edition([course], out)
    edited = out / "00_start_here.ipynb"
    edited.write_text(edited.read_text().replace("# your answer here", "(32, 50, 100)"))
    before = edited.read_bytes()
    with pytest.raises(StudentEditionError, match="00_start_here.ipynb changed since"):
        write_student_edition([course], out)
    assert edited.read_bytes() == before
    (out / "new_work.ipynb").write_text("{}")
    with pytest.raises(StudentEditionError, match="new_work.ipynb is not part"):
        write_student_edition([course], out)


def test_refuses_a_tampered_marker(tmp_path):
    course = make_course(tmp_path / "notebooks")
    out = tmp_path / "student"
    write_student_edition([course], out)
    (out / MARKER_FILE).write_text(json.dumps({"files": {"../escape.ipynb": "0"}}))
    with pytest.raises(StudentEditionError, match="cannot be read"):
        write_student_edition([course], out)


def test_nothing_is_written_when_a_notebook_is_unbalanced(tmp_path):
    course = make_course(tmp_path / "notebooks")
    broken = new_notebook(cells=[new_code_cell("# END SOLUTION")])
    nbformat.write(broken, course / "05_broken.ipynb")
    out = tmp_path / "student"
    with pytest.raises(StudentEditionError, match="05_broken.ipynb, cell 1"):
        write_student_edition([course], out)
    assert not out.exists()


def test_cli(tmp_path, capsys):
    course = make_course(tmp_path / "notebooks")
    out = tmp_path / "student"
    assert main([str(course), "--out", str(out)]) == 0
    assert "Wrote 1 student notebook" in capsys.readouterr().out
    (out / "stray.txt").write_text("x")
    assert main([str(course), "--out", str(out)]) == 1
    assert "error: refusing" in capsys.readouterr().err
    assert main([str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 1


@pytest.mark.slow
def test_student_edition_runs_and_reports_not_attempted(tmp_path):
    from nbclient import NotebookClient

    course = make_course(tmp_path / "notebooks")
    out = tmp_path / "student"
    write_student_edition([course], out)
    results = {}
    for name, path in [
        ("student", out / "00_start_here.ipynb"),
        ("instructor", course / "00_start_here.ipynb"),
    ]:
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        results[name] = [
            output["data"]["text/plain"]
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if output["output_type"] == "display_data"
        ]
        assert not [
            o for c in notebook.cells for o in c.get("outputs", []) if o["output_type"] == "error"
        ]
    checks, (looped, raised) = results["student"][:3], results["student"][3:]
    assert all("[NOT ATTEMPTED]" in text for text in checks), checks
    assert all("[PASS]" in text for text in results["instructor"][:3]), results["instructor"]
    assert "longer than 0.2 s" in looped
    assert "Line 8 of your cell, in buggy" in raised and "return x / 0" in raised


# --- a committable student edition: the same bytes on every run ---------------


def _raw_notebook_without_ids() -> dict:
    """nbformat 4.5 JSON whose cells lack ids, with what a run leaves behind."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"widgets": {"state": {"x": 1}}, "course": {"lesson": 0}},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
            {
                "cell_type": "code",
                "metadata": {"execution": {"iopub.status.busy": "2026-11-30T10:00:00"}},
                "execution_count": 4,
                "outputs": [],
                "source": "# BEGIN SOLUTION\nanswer = 'a'\n# END SOLUTION",
            },
            {
                "cell_type": "code",
                "metadata": {"ExecuteTime": {"end_time": "2026"}, "tags": ["keep"]},
                "execution_count": 5,
                "outputs": [],
                "source": "ex.why_recurrence.check(answer)",
            },
        ],
    }


def _edition_bytes(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_student_edition_is_the_same_bytes_on_every_run(tmp_path):
    course = make_course(tmp_path / "notebooks")
    (course / "01_no_ids.ipynb").write_text(json.dumps(_raw_notebook_without_ids()))
    first, second = tmp_path / "first", tmp_path / "second"
    write_student_edition([course], first)
    write_student_edition([course], second)
    assert _edition_bytes(first) == _edition_bytes(second)
    before = _edition_bytes(first)
    write_student_edition([course], first)  # regenerating in place changes nothing
    assert _edition_bytes(first) == before
    notebook = json.loads((first / "01_no_ids.ipynb").read_text())
    ids = [cell["id"] for cell in notebook["cells"]]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids)
    assert "widgets" not in notebook["metadata"] and notebook["metadata"]["course"]
    assert [cell["metadata"] for cell in notebook["cells"]] == [{}, {}, {"tags": ["keep"]}]


def test_stable_ids_depend_on_the_path_and_keep_existing_ones():
    data = _raw_notebook_without_ids()
    data["cells"][0]["id"] = "given"
    one = _with_stable_ids(json.loads(json.dumps(data)), "00.ipynb")
    two = _with_stable_ids(json.loads(json.dumps(data)), "01.ipynb")
    assert one["cells"][0]["id"] == "given" == two["cells"][0]["id"]
    assert one["cells"][1]["id"] != two["cells"][1]["id"]
    old = dict(data, nbformat_minor=4)
    assert "id" not in _with_stable_ids(json.loads(json.dumps(old)), "x")["cells"][1]


def test_the_course_student_edition_is_deterministic(tmp_path):
    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    first, second = tmp_path / "first", tmp_path / "second"
    assert main([str(notebooks), "--out", str(first)]) == 0
    assert main([str(notebooks), "--out", str(second)]) == 0
    assert _edition_bytes(first) == _edition_bytes(second)


def test_the_committed_student_edition_is_the_generators_output(tmp_path):
    """student/ is committed (Colab's "student edition" links open it); it must be exactly
    what `make student` writes from notebooks/ now."""
    root = Path(__file__).resolve().parent.parent
    fresh = tmp_path / "student"
    assert main([str(root / "notebooks"), "--out", str(fresh)]) == 0
    committed = _edition_bytes(root / "student")
    assert set(committed) == set(_edition_bytes(fresh)), "run `make student` and commit student/"
    for name, data in _edition_bytes(fresh).items():
        assert committed[name] == data, f"student/{name} is stale: run `make student`, commit"
