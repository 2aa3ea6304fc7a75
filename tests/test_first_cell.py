"""The first cell of every lesson: installs the course's release once per Colab runtime."""

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


@pytest.mark.parametrize(
    "installed, installs", [(None, True), ("0.0.1", True), (__version__, False)]
)
def test_installs_only_when_this_version_is_missing(monkeypatch, installed, installs):
    calls = []
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(subprocess, "run", lambda cmd, check: calls.append(cmd))

    def version(name):
        assert name == "rnn-course"
        if installed is None:
            raise metadata.PackageNotFoundError(name)
        return installed

    monkeypatch.setattr(metadata, "version", version)
    setup_part = TEMPLATE.split("import course_utils")[0]  # the install, not setup()
    exec(compile(setup_part, "first-cell", "exec"), {})
    assert len(calls) == int(installs)
    if installs:
        assert calls[0][-1].endswith(f"@v{__version__}") and "[" not in calls[0][-1]


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
