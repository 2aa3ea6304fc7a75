"""The project's own files agree with each other (pyproject, environment.yml, Makefile)."""

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python >= 3.11; CI runs 3.11

ROOT = Path(__file__).resolve().parents[1]


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_environment_yml_consistent_with_pyproject():
    text = (ROOT / "environment.yml").read_text()
    project = _pyproject()["project"]
    python = re.search(r"^\s*- python=(\d+)\.(\d+)", text, re.M)
    assert python, "environment.yml must pin python"
    minimum = tuple(
        int(v) for v in re.search(r">=\s*(\d+)\.(\d+)", project["requires-python"]).groups()
    )
    assert tuple(int(v) for v in python.groups()) >= minimum
    extras = re.search(r"-e \.\[([\w,]+)\]", text)
    assert extras, "environment.yml must install the course with pip -e .[extras]"
    for extra in extras.group(1).split(","):
        assert extra in project["optional-dependencies"], f"extra {extra!r} not in pyproject"
    for line in text.splitlines():  # every dependency line says why it is there
        if re.match(r"^\s*-\s", line):
            assert "#" in line, f"environment.yml line without a reason: {line!r}"


def test_tensorflow_is_an_extra_not_a_bare_requirement():
    project = _pyproject()["project"]
    assert not any(dep.startswith("tensorflow") for dep in project["dependencies"])
    assert any(d.startswith("tensorflow-cpu") for d in project["optional-dependencies"]["cpu"])
    assert any(d.startswith("tensorflow>") for d in project["optional-dependencies"]["gpu"])
    assert any(d.startswith("keras>=3") for d in project["dependencies"])
    # TensorFlow's stable wheels cover CPython 3.10-3.13 (tests/test_platforms.py resolves them).
    assert project["requires-python"] == ">=3.10,<3.14"
    for extra, needed in {
        "lab": ["jupyterlab"],
        "test": ["pytest", "nbval", "pytest-xdist", "hypothesis", "ruff"],
    }.items():
        names = [re.split(r"[<>=\[ ]", d)[0] for d in project["optional-dependencies"][extra]]
        assert set(needed) <= set(names)


def test_makefile_targets_and_ci():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab:", "test:", "course:", "clean:", "student:"):
        assert re.search(rf"^{target}", makefile, re.M), target
    launcher = (ROOT / "tools" / "course.py").read_text()  # make lab/test call it
    assert "COURSE := $(PYTHON) tools/course.py" in makefile
    assert "$(COURSE) lab" in makefile and "$(COURSE) test" in makefile
    assert "--nbval-lax" in launcher and "--nbval-current-env" in launcher
    assert "--sanitize-with" in launcher and 'COURSE_FAST="1"' in launcher
    assert "TF_ENABLE_ONEDNN_OPTS" not in makefile + launcher
    # CI runs the form that also works without make (Windows): python tools/course.py test.
    assert "tools/course.py test" in (ROOT / ".ci" / "run").read_text()


def test_license_states_both_licences():
    text = (ROOT / "LICENSE").read_text()
    assert "MIT License" in text and "CC BY 4.0" in text
