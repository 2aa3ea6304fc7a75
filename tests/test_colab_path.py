"""The Colab path, end to end, in a fresh virtual environment that stands in for Colab.

The environment gets only what Colab preinstalls and the course relies on: TensorFlow,
NumPy, matplotlib and ipywidgets (plus ipykernel and nbclient to run a notebook). Colab
ships the full ``tensorflow`` wheel; ``tensorflow-cpu`` stands in for it here (same
Python package, no CUDA), at the version this test runs with, so pip's cache has it.

Then the notebooks' real first cell (``course_utils.first_cell.TEMPLATE``) runs with
``google.colab`` faked in ``sys.modules`` and ``COURSE_REPO_URL`` pointing at a local
``git clone`` of this repository, so it pip-installs the course from git exactly as
Colab does, and one lesson runs in fast mode from a folder outside the repository.

The clone is of the repository's HEAD commit, with ``main`` at HEAD: uncommitted changes
are not tested here (commit first). ``COURSE_COLAB_REPO`` names another repository to
clone. Takes a few minutes, mostly installing TensorFlow.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

from course_utils.first_cell import TEMPLATE

ROOT = Path(__file__).resolve().parents[1]
# Lesson 04 reads committed benchmark JSON (forget_bias) through course_utils.results.
LESSON = "04_lstm.ipynb"
PRESENT = ["numpy", "matplotlib", "ipywidgets", "ipykernel", "nbclient"]
TENSORFLOWS = {
    "tensorflow",
    "tensorflow-cpu",
    "tensorflow-gpu",
    "tensorflow-intel",
    "tensorflow-macos",
    "tf-nightly",
    "tf-nightly-cpu",
    "tf-keras",
    "tf_keras",
}
FAKE_COLAB = 'import sys, types\n\nsys.modules["google.colab"] = types.ModuleType("google.colab")'
CHECK_CELL = """\
import importlib.metadata, json, sys
from course_utils import forecasting, results

dist = importlib.metadata.distribution("rnn-course")
print("COLAB-CHECK " + json.dumps({
    "prefix": sys.prefix,
    "course_utils": course_utils.__file__,
    "results": str(results.results_path("forget_bias")),
    "labels": [label for label, _ in results.search_dirs()],
    "co2_rows": len(forecasting.load_co2().ppm),
    "direct_url": json.loads(dist.read_text("direct_url.json") or "{}"),
}))"""
# What a lesson prints when data or results are missing (course_utils.datasets, lesson loaders).
FALLBACK_WORDS = ("OFFLINE:", "Falling back", "FileNotFoundError", "Traceback")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to clone the course"),
]


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_DATA_DIR")}
    env.update(extra)
    return env


def _run(cmd, *, timeout=900, check=True, **kwargs):
    proc = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kwargs
    )
    if check and proc.returncode != 0:
        pytest.fail(
            f"{cmd[:4]} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return proc


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


def _inspect(python: Path) -> dict:
    """name -> (version, dist-info folder, (inode, mtime) of its RECORD) for every package."""
    report = json.loads(_run([python, "-m", "pip", "inspect", "--local"], env=_env()).stdout)
    found = {}
    for dist in report["installed"]:
        name = dist["metadata"]["name"].lower().replace("_", "-")
        record = Path(dist["metadata_location"]) / "RECORD"
        stat = record.stat() if record.exists() else None
        found[name] = (
            dist["metadata"]["version"],
            dist["metadata_location"],
            (stat.st_ino, stat.st_mtime_ns) if stat else None,
        )
    return found


def _clone(tmp_path: Path) -> Path:
    source = Path(os.environ.get("COURSE_COLAB_REPO", ROOT))
    git = ["git", "-c", "safe.directory=*"]  # CI's clone may belong to another user
    head = _run([*git, "-C", source, "rev-parse", "HEAD"]).stdout.strip()
    clone = tmp_path / "clone"
    _run([*git, "clone", "-q", f"file://{source}", clone])
    _run(["git", "-C", clone, "checkout", "-q", "-B", "main", head])
    return clone


def _tensorflow_version() -> str:
    for name in ("tensorflow-cpu", "tensorflow"):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    pytest.fail("no TensorFlow in the test environment: `make test` installs tensorflow-cpu")


def _colab_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "colab-venv"
    _run([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    # Colab's pip is recent; the one ensurepip bundles may be too old for git+file:// URLs.
    _run([python, "-m", "pip", "install", "-q", f"pip=={metadata.version('pip')}"], env=_env())
    pins = [f"tensorflow-cpu=={_tensorflow_version()}"]
    pins += [f"{name}=={metadata.version(name)}" for name in PRESENT]
    proc = _run([python, "-m", "pip", "install", "-q", *pins], check=False, env=_env())
    if proc.returncode != 0:
        if not _pypi_reachable():
            pytest.skip(
                "no network to PyPI and pip could not install the Colab stand-in "
                f"({' '.join(pins)}) from its cache or configured indexes: {proc.stderr[-500:]}"
            )
        pytest.fail(f"pip install {' '.join(pins)} failed:\n{proc.stderr[-3000:]}")
    return python


def _lesson_copy(clone: Path, workdir: Path) -> Path:
    nb = nbformat.read(clone / "notebooks" / LESSON, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    assert nb.cells[first].source == TEMPLATE, "the lesson's first cell is not the template"
    nb.cells.insert(first, nbformat.v4.new_code_cell(FAKE_COLAB))
    nb.cells.append(nbformat.v4.new_code_cell(CHECK_CELL))
    path = workdir / LESSON
    nbformat.write(nb, path)
    return path


RUNNER = """\
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
try:
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": "."}}).execute()
finally:
    nbformat.write(nb, sys.argv[2])
"""


def _outputs(nb) -> list[str]:
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts.append(out["text"])
            elif out.get("output_type") == "error":
                texts.append("\n".join(out["traceback"]))
            else:
                texts.append(str(out.get("data", {}).get("text/plain", "")))
    return texts


def test_first_cell_installs_the_course_on_colab_and_a_lesson_runs(tmp_path):
    clone = _clone(tmp_path)
    python = _colab_venv(tmp_path)
    venv = python.parent.parent
    workdir = tmp_path / "work"  # not the repository: nothing is importable from here
    workdir.mkdir()
    missing = _run([python, "-c", "import course_utils"], check=False, env=_env(), cwd=workdir)
    assert missing.returncode != 0 and "No module named 'course_utils'" in missing.stderr

    before = _inspect(python)
    lesson = _lesson_copy(clone, workdir)
    env = _env(
        COURSE_REPO_URL=f"file://{clone}",
        COURSE_FAST="1",
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
        JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
    )
    executed = workdir / "executed.ipynb"
    proc = _run(
        [python, "-c", RUNNER, lesson, executed], cwd=workdir, env=env, timeout=1800, check=False
    )
    nb = nbformat.read(executed, as_version=4) if executed.exists() else None
    texts = _outputs(nb) if nb else []
    assert proc.returncode == 0, (proc.stderr[-3000:], texts[-3:])

    after = _inspect(python)
    # TensorFlow (and Keras, NumPy) are Colab's: not reinstalled, upgraded or duplicated.
    assert {n for n in after if n in TENSORFLOWS} == {n for n in before if n in TENSORFLOWS}
    assert {n for n in after if n in TENSORFLOWS} == {"tensorflow-cpu"}
    for name in ("tensorflow-cpu", "keras", "numpy"):
        assert after[name] == before[name], f"{name} was changed: {before[name]} -> {after[name]}"
    assert "rnn-course" in after and "rnn-course" not in before

    check = next(t for t in texts if t.startswith("COLAB-CHECK "))
    facts = json.loads(check.removeprefix("COLAB-CHECK ").strip())
    site = Path(after["rnn-course"][1]).parent
    assert Path(facts["prefix"]) == venv  # the kernel ran in the Colab stand-in
    assert Path(facts["course_utils"]).is_relative_to(site)  # installed, not the clone
    assert Path(facts["results"]) == site / "course_utils" / "_results" / "forget_bias.json"
    assert facts["labels"] == ["package"]
    assert facts["co2_rows"] > 100  # the packaged CO2 CSV was found
    assert facts["direct_url"]["url"] == f"file://{clone}"
    assert facts["direct_url"]["vcs_info"]["vcs"] == "git"
    joined = "\n".join(texts)
    assert "python -m benchmarks.forget_bias" in joined  # the committed numbers were shown
    for word in FALLBACK_WORDS:
        assert word not in joined, f"{word!r} in the lesson's output"
