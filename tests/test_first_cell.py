"""The first cell of every lesson: installs the course's release once per Colab runtime."""

import os
import re
import subprocess
import sys
import types
from importlib import metadata
from pathlib import Path

import pytest

from course_utils import __version__
from tools.first_cell import REF, TEMPLATE

ROOT = Path(__file__).resolve().parents[1]


def test_version_is_the_one_in_pyproject_and_the_tag_follows_it():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(rf'^version = "{re.escape(__version__)}"$', pyproject, re.M)
    assert REF == f"v{__version__}" and f'COURSE_VERSION = "{__version__}"' in TEMPLATE
    assert "@main" not in TEMPLATE  # never a moving branch


class _Done:
    def __init__(self, returncode):
        self.returncode = returncode


def _fake_version(monkeypatch, installed):
    """What ``metadata.distributions(name="rnn-course")`` finds: nothing, or that version."""

    def distributions(name):
        assert name == "rnn-course"
        return [] if installed is None else [types.SimpleNamespace(version=installed)]

    monkeypatch.setattr(metadata, "distributions", distributions)


@pytest.mark.parametrize(
    "installed, installs", [(None, True), ("0.0.1", True), (__version__, False)]
)
def test_installs_only_when_this_version_is_missing(monkeypatch, installed, installs):
    calls = []
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(subprocess, "run", lambda cmd, **k: calls.append(cmd) or _Done(0))
    _fake_version(monkeypatch, installed)
    setup_part = TEMPLATE.split("import course_utils")[0]  # the install, not setup()
    exec(compile(setup_part, "first-cell", "exec"), {})
    assert len(calls) == int(installs)
    if installs:
        assert calls[0][-1].endswith(f"@v{__version__}") and "[" not in calls[0][-1]


def test_a_failed_install_stops_with_one_sentence(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(subprocess, "run", lambda cmd, **k: _Done(1))
    monkeypatch.setenv("COURSE_REPO_URL", "https://example.org/someone/rnn-course.git")
    _fake_version(monkeypatch, None)
    with pytest.raises(SystemExit) as stop:
        exec(compile(TEMPLATE.split("import course_utils")[0], "first-cell", "exec"), {})
    message = str(stop.value)
    assert f"tag v{__version__} of https://example.org/someone/rnn-course.git" in message
    assert "not be released yet" in message and "Ask your instructor" in message
    assert "\n" not in message and "Traceback" not in message


@pytest.mark.slow
def test_a_missing_tag_gives_the_sentence_with_a_real_pip(tmp_path):
    """The real pip against a repository without the tag (a local git repository, so no
    network): the cell stops with the sentence; pip's own error stays captured."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    cell = TEMPLATE.split("import course_utils")[0].replace(
        f'COURSE_VERSION = "{__version__}"', 'COURSE_VERSION = "99.0.0"'
    )
    script = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('g')\n" + cell
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "COURSE_REPO_URL": f"file://{repo}"},
    )  # fmt: skip
    assert done.returncode == 1
    assert f"Could not install tag v99.0.0 of file://{repo}" in done.stderr
    assert "Traceback" not in done.stderr


def test_nothing_is_installed_outside_colab(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("pip ran outside Colab"))
    exec(compile(TEMPLATE.split("import course_utils")[0], "first-cell", "exec"), {})


@pytest.mark.slow
def test_the_first_cell_prints_nothing_on_stderr_in_a_fresh_kernel():
    """TensorFlow's load notices (oneDNN, absl) come before its logging reads
    TF_CPP_MIN_LOG_LEVEL: setup() holds them back, so the first cell shows only the
    versions line, never a red block."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TEMPLATE)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
        patch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)  # as a learner's kernel starts
        NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    stderr = [o.get("text", "") for o in outputs if o.get("name") == "stderr"]
    assert stderr == [], f"the first cell printed on stderr: {stderr}"
    assert any("TensorFlow" in o.get("text", "") for o in outputs)  # the versions line
