"""Outcome recording (course_utils/exercises/outcomes.py) and the learner's progress report.

In this process: what the progress file holds after checks, hints and a solution; that a
corrupt file, an unwritable place or a broken setting warns once and never stops a check;
the switch; the grader's log. In a notebook (a fresh kernel running lesson 00's real
exercises): the file and ``course_utils.progress()``, recording on and off.
"""

from __future__ import annotations

import json
import sys
import types
import warnings

import nbformat
import pytest

from course_utils.exercises import ValueExercise, outcomes, progress_for
from course_utils.exercises.outcomes import load_progress, progress_path, record
from course_utils.exercises.progress_report import progress_report


@pytest.fixture
def lesson(monkeypatch, tmp_path):
    """A made-up lesson module with two exercises, recording into ``tmp_path``."""
    module = types.ModuleType("course_utils.lessons.l42_made_up.exercises")
    module.alpha = ValueExercise(name="alpha", answer=1, hints=["one", "two"])
    module.beta = ValueExercise(name="beta", answer=2)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    progress_for(module.__name__)
    monkeypatch.setenv("COURSE_RECORD", "on")
    monkeypatch.setenv("COURSE_RECORD_FILE", str(tmp_path / "progress.json"))
    monkeypatch.delenv("COURSE_GRADER_LOG", raising=False)
    monkeypatch.setattr("course_utils.exercises.outcomes._warned", set())
    return module


def test_progress_for_tells_each_exercise_its_lesson(lesson):
    assert lesson.alpha.lesson == lesson.beta.lesson == "lesson42"


def test_checks_hints_and_solutions_are_recorded(lesson, tmp_path):
    lesson.alpha.evaluate(...)  # the stub as shipped: touches nothing
    assert not (tmp_path / "progress.json").exists()
    lesson.alpha.evaluate(3)
    lesson.alpha.hint()
    lesson.alpha.evaluate(1)
    lesson.beta.solution()
    entries = json.loads((tmp_path / "progress.json").read_text())["lessons"]["lesson42"]
    alpha, beta = entries["alpha"], entries["beta"]
    assert (alpha["status"], alpha["attempts"], alpha["hints"]) == ("passed", 2, 1)
    assert alpha["last_status"] == "correct" and not alpha["solution_seen"]
    assert (beta["status"], beta["attempts"], beta["solution_seen"]) == ("untouched", 0, True)
    report = progress_report({"lesson42": ["alpha", "beta", "gamma"]}).text()
    assert "lesson42: 1 of 3 passed, 0 tried, 2 untouched" in report
    assert "[x] alpha  passed (2 checks); 1 hint" in report
    assert "[ ] beta   untouched; solution viewed" in report
    assert "[ ] gamma  untouched" in report
    assert "nothing is sent anywhere" in report


def test_a_later_session_adds_to_the_file(lesson, tmp_path):
    lesson.beta.evaluate(5)
    lesson.beta.reset_progress()  # a new session: the kernel forgot, the file did not
    lesson.beta.evaluate(6)
    beta = load_progress(tmp_path / "progress.json")["lessons"]["lesson42"]["beta"]
    assert (beta["status"], beta["attempts"], beta["last_status"]) == ("tried", 2, "incorrect")
    text = progress_report({"lesson42": ["beta"]}).text()
    assert "tried 2 times, not passed yet (last: incorrect)" in text


def test_switched_off_nothing_is_written(lesson, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RECORD", "off")
    assert lesson.alpha.evaluate(1).passed
    assert not (tmp_path / "progress.json").exists()
    assert "Recording is off (COURSE_RECORD=off)" in progress_report({"lesson42": []}).text()


def test_a_corrupt_file_is_set_aside_with_one_warning(lesson, tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("{not json")
    with pytest.warns(RuntimeWarning, match="could not be read.*moved to.*progress.json.corrupt"):
        assert lesson.alpha.evaluate(1).passed
    assert (tmp_path / "progress.json.corrupt").read_text() == "{not json"
    assert load_progress(path)["lessons"]["lesson42"]["alpha"]["status"] == "passed"
    path.write_text('{"format": 99}')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lesson.beta.evaluate(2)
    assert any("not a progress file" in str(w.message) for w in caught)


def test_an_unwritable_place_warns_once_and_the_checks_go_on(lesson, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a file where a folder should be: not writable, even as root
    monkeypatch.setenv("COURSE_RECORD_FILE", str(blocker / "progress.json"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert lesson.alpha.evaluate(1).passed
        assert lesson.beta.evaluate(0).status == "incorrect"
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "could not be saved" in messages[0]
    assert "COURSE_RECORD=off" in messages[0]


def test_a_misspelt_switch_warns_and_records(lesson, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RECORD", "of")
    with pytest.warns(RuntimeWarning, match="COURSE_RECORD='of' is neither on nor off"):
        lesson.alpha.evaluate(1)
    assert (tmp_path / "progress.json").exists()


def test_the_grader_log_gets_one_line_per_event(lesson, tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("COURSE_GRADER_LOG", str(log))
    lesson.beta.evaluate(...)
    lesson.beta.evaluate(3)
    lesson.beta.solution()
    assert lesson.alpha.reference_answer() == 1 and lesson.alpha.solution_code() == "alpha = 1"
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(e["event"], e["exercise"], e["status"]) for e in lines] == [
        ("check", "beta", "not_attempted"),
        ("check", "beta", "incorrect"),
        ("solution", "beta", None),  # not also solution_code: solution() uses its own
        ("reference_answer", "alpha", None),
        ("solution_code", "alpha", None),
    ]
    assert lines[1]["lesson"] == "lesson42" and "Not quite" in lines[1]["text"]
    assert lines[2]["solution_seen"] is True


def test_an_exercise_outside_a_lesson_records_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RECORD", "on")
    monkeypatch.setenv("COURSE_RECORD_FILE", str(tmp_path / "progress.json"))
    record(ValueExercise(name="loose", answer=1), "check")
    assert not (tmp_path / "progress.json").exists()


def test_the_default_place_is_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_RECORD_FILE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert progress_path() == tmp_path / "rnn-course" / "progress.json"
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert str(progress_path()) == "/content/rnn-course-progress.json"
    assert "files.download" in progress_report({}).text()


@pytest.fixture
def shell(monkeypatch, tmp_path):
    """An IPython shell in this process (no kernel), history in memory."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    shell = InteractiveShell.instance(config=config, user_module=types.ModuleType("graded"))
    shell.user_ns["cell_number"] = lambda: outcomes._cell()[0]
    yield shell
    InteractiveShell.clear_instance()


#: IPython 8 increments ``execution_count`` after the cell, 9.8 and later before it:
#: this cell puts the count back where IPython 8 has it while a cell runs.
AS_IPYTHON_8 = """\
count = get_ipython().execution_count
get_ipython().execution_count = {count}
seen = cell_number()
get_ipython().execution_count = count
"""


@pytest.mark.parametrize("ipython_8", [False, True])
def test_the_cell_number_is_the_cell_s_in_n_whatever_ipython_s_counting(shell, ipython_8):
    shell.run_cell("x = 1", store_history=True)
    shell.run_cell("y = 2", store_history=True, silent=True)  # not numbered: no In[n]
    running = shell.execution_count  # the number the next cell gets (In [2])
    code = AS_IPYTHON_8.format(count=running) if ipython_8 else "seen = cell_number()"
    result = shell.run_cell(code, store_history=True)
    assert result.error_in_exec is None
    assert shell.user_ns["seen"] == result.execution_count == running == 2


def test_the_running_cell_s_id_is_what_the_front_end_sent(shell):
    assert outcomes._cell_id() is None  # no kernel: no request to read it from
    parent = {"metadata": {"cellId": "a1b2c3"}}  # JupyterLab's execute_request
    shell.kernel = types.SimpleNamespace(get_parent=lambda: parent)
    assert outcomes._cell_id() == "a1b2c3"
    parent["metadata"] = {}  # a front end that sends none
    assert outcomes._cell_id() is None


def test_the_report_links_each_check_cell_where_it_was_told_one(lesson, monkeypatch):
    monkeypatch.setattr(outcomes, "_cell", lambda: (4, "42_made_up.ipynb"))
    monkeypatch.setattr(outcomes, "_cell_id", lambda: "cell-7")
    lesson.alpha.evaluate(1)
    monkeypatch.setattr(outcomes, "_cell_id", lambda: None)  # Colab, a terminal
    lesson.beta.evaluate(5)
    report = progress_report({"lesson42": ["alpha", "beta"]})
    page = report._repr_html_()
    assert '<a href="42_made_up.ipynb#cell-id=cell-7">alpha</a>' in page
    assert "#cell-id=" not in page.split("cell-7")[1]  # beta: no cell id, no link
    assert "42_made_up.ipynb#cell-id" not in report.text()
    assert "%env COURSE_RECORD=off" in report.text()


def test_the_report_refuses_a_list(lesson):
    with pytest.raises(TypeError, match="exercises must map a lesson"):
        progress_report(["alpha"])


# --- in a notebook -------------------------------------------------------------

CELLS = [
    "from course_utils.lessons.l00_start_here import exercises as ex",
    "ex.sequence_shape.check((32, 50, 100))",
    "ex.count_rnn_params.check(lambda input_size, hidden_size: 0)\nex.count_rnn_params.hint()",
    "import course_utils\n\ncourse_utils.progress()",
]


def _run(env: dict) -> list[str]:
    """Run :data:`CELLS` in a fresh kernel with ``env``; each cell's text and HTML."""
    from nbclient import NotebookClient
    from test_every_exercise import _kernel_manager, _shut_down_after

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    manager = _kernel_manager()
    client = NotebookClient(notebook, km=manager, timeout=300)
    with _shut_down_after(manager):
        client.execute(env=env)
    texts = []
    for cell in notebook.cells:
        parts = []
        for output in cell.outputs:
            parts.append(output.get("text", ""))
            parts += [str(v) for v in output.get("data", {}).values()]
        texts.append("\n".join(parts))
    return texts


@pytest.mark.slow
def test_in_a_notebook_the_file_and_the_report_work_and_switch_off(tmp_path):
    import os

    path = tmp_path / "progress.json"
    env = dict(os.environ, COURSE_RECORD="on", COURSE_RECORD_FILE=str(path), COURSE_FAST="1")
    outputs = _run(env)
    lesson00 = json.loads(path.read_text())["lessons"]["lesson00"]
    assert lesson00["sequence_shape"]["status"] == "passed"
    assert (lesson00["count_rnn_params"]["status"], lesson00["count_rnn_params"]["hints"]) == (
        "tried",
        1,
    )
    assert "lesson00: 1 of 5 passed, 1 tried, 3 untouched" in outputs[3]
    assert "tried 1 time, not passed yet (last: incorrect); 1 hint" in outputs[3]
    assert "lesson09: 0 of" in outputs[3]  # every lesson, the untouched ones too
    path.unlink()
    outputs = _run(dict(env, COURSE_RECORD="off"))
    assert not path.exists()
    assert "[PASS]" in outputs[1] or "Correct" in outputs[1]
    assert "Recording is off" in outputs[3] and "lesson00: 0 of 5 passed" in outputs[3]
