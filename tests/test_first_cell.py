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
