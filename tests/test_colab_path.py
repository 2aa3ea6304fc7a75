"""Colab as it ships, replayed: every lesson runs in a replica of Colab's runtime.

The replica is a fresh virtual environment on Colab's Python (3.13 today) holding Colab's
own versions of every package the course imports or needs (``tests/colab_runtime.txt``,
taken from Colab's published package list: tensorflow 2.20.0, keras 3.13.2, numpy 2.1.3,
ipywidgets 7.7.1, ipython 7.34.0, ipykernel 6.17.1, ...). ``google.colab`` is importable
and imported at kernel start, as on Colab, by a stand-in module and a ``.pth`` line.

Then, from a folder outside the repository, every lesson runs in fast mode with its real
first cell (``tools.first_cell.TEMPLATE``), which installs the course from a
``file://`` clone at its release tag (created in the clone as RELEASING.md says). The
tests assert that:

* ``pip freeze`` after differs from before only by the course itself: installing it
  changes none of Colab's packages (no ipywidgets 8, no second TensorFlow);
* no cell of any lesson errors, the first lesson installs the course and the later ones
  skip the install (the version is already importable);
* each widget of the course builds and reacts to a value change under ipywidgets 7.7,
  and tqdm's notebook bar works there.

The clone is of the repository's HEAD commit: uncommitted changes are not tested here.
Installing the replica downloads about 700 MB the first time (pip caches it after).
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from course_utils import __version__
from tools.first_cell import TEMPLATE
from tools.lessons import lessons

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "tests" / "colab_runtime.txt"
LESSONS = [p.name for p in lessons(ROOT / "notebooks")]  # appendices (06b_...) included
STANDIN = '"""Stand-in for Colab\'s google.colab module (tests/test_colab_path.py)."""\n'
INSTALL_LINE = f"Installing rnn-course {__version__}"
CHECK_CELL = """\
import json, sys
import course_utils, ipywidgets, keras, tensorflow
print("COLAB-CHECK " + json.dumps({
    "prefix": sys.prefix, "course_utils": course_utils.__file__,
    "versions": [tensorflow.__version__, keras.__version__, ipywidgets.__version__],
}))"""
# Colab's ipykernel 6.17 under Python 3.13 has, rarely, lost a reply: kernel and client both
# idle until the cell timeout. A run that times out is started again once, from a fresh
# kernel (a notebook that really hangs times out twice and fails); errors are never retried.
RUNNER = """\
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError
for attempt in (1, 2):
    nb = nbformat.read(sys.argv[1], as_version=4)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": "."}}).execute()
        break
    except CellTimeoutError:
        print(f"attempt {attempt}: a cell timed out", file=sys.stderr)
        if attempt == 2:
            raise
    finally:
        nbformat.write(nb, sys.argv[2])
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to clone the course"),
]


def colab_pins(path: Path = PINS) -> tuple[str, list[str]]:
    """(Colab's Python version, the ``name==version`` lines) from the pinned list."""
    text = path.read_text()
    python = re.search(r"^# python: (\d+\.\d+)$", text, re.M)
    assert python, f"{path} must name Colab's Python in a '# python: X.Y' line"
    pins = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return python.group(1), pins


def _find_python(version: str) -> str | None:
    """An interpreter of that version that runs (pyenv's shims may not: they are skipped)."""
    pattern = os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")
    candidates = sorted(glob.glob(pattern)) + sorted(glob.glob(f"/opt/python*/bin/python{version}"))
    candidates += [p for p in [shutil.which(f"python{version}")] if p]
    for candidate in candidates:
        proc = subprocess.run([candidate, "-c", "import venv"], capture_output=True)
        if proc.returncode == 0:
            return candidate
    return None


def _env(**extra) -> dict:
    drop = ("PYTHONPATH", "COURSE_DATA_DIR", "VIRTUAL_ENV", "PIP_CONSTRAINT")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PIP_CONSTRAINT"] = ""  # this machine's pip caps torch; Colab's pip has no such file
    env.update(extra)
    return env


def _run(cmd, *, timeout=1800, check=True, **kwargs):
    proc = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kwargs
    )
    if check and proc.returncode != 0:
        pytest.fail(
            f"{cmd[:4]} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return proc


def _freeze(python: Path) -> dict[str, str]:
    lines = _run([python, "-m", "pip", "freeze", "--all"], env=_env()).stdout.splitlines()
    found = {}
    for line in lines:
        name, _, version = line.partition("==") if "==" in line else line.partition(" @ ")
        found[name.strip().lower().replace("_", "-")] = version.strip()
    return found


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """The replica: a venv with Colab's packages, a clone of HEAD tagged as a release."""
    version, pins = colab_pins()
    base = _find_python(version)
    if base is None:
        message = f"Colab's Python {version} is not installed here (tests/colab_runtime.txt)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("colab")
    git = ["git", "-c", "safe.directory=*"]
    head = _run([*git, "-C", ROOT, "rev-parse", "HEAD"]).stdout.strip()
    clone = tmp / "clone"
    _run([*git, "clone", "-q", f"file://{ROOT}", clone])
    _run([*git, "-C", clone, "checkout", "-q", "-B", "main", head])
    _run([*git, "-C", clone, "tag", "-f", f"v{__version__}", head])  # the release step

    venv = tmp / "colab-venv"
    _run([base, "-m", "venv", venv])
    python = venv / "bin" / "python"
    pip_pin = next((p for p in pins if p.startswith("pip==")), "pip==24.1.2")
    _run([python, "-m", "pip", "install", "-q", pip_pin], env=_env())
    _run([python, "-m", "pip", "install", "-q", "-r", PINS], env=_env())
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(_run([python, "-c", purelib]).stdout.strip())
    (site / "google" / "colab").mkdir(parents=True, exist_ok=True)
    (site / "google" / "colab" / "__init__.py").write_text(STANDIN)
    (site / "colab_standin.pth").write_text("import google.colab\n")  # imported at start

    workdir = tmp / "work"  # not the repository: nothing is importable from here
    workdir.mkdir()
    missing = _run([python, "-c", "import course_utils"], check=False, env=_env(), cwd=workdir)
    assert "No module named 'course_utils'" in missing.stderr
    env = _env(
        COURSE_REPO_URL=f"file://{clone}",
        COURSE_FAST="1",
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
    )
    if (ROOT.parent / "shared" / "data").is_dir():  # what Colab would have downloaded
        env["COURSE_DATA_DIR"] = str(ROOT.parent / "shared" / "data")
    return {
        "python": python,
        "venv": venv,
        "site": site,
        "clone": clone,
        "workdir": workdir,
        "env": env,
        "pins": pins,
        "before": _freeze(python),
        "installed": False,
        "ran": set(),
    }


def _texts(nb) -> list[str]:
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


def _execute(colab, nb, name: str):
    path = colab["workdir"] / name
    nbformat.write(nb, path)
    executed = colab["workdir"] / f"executed-{name}"
    start = time.perf_counter()
    proc = _run(
        [colab["python"], "-c", RUNNER, path, executed],
        cwd=colab["workdir"],
        env=colab["env"],
        check=False,
    )
    seconds = time.perf_counter() - start
    colab.setdefault("times", {})[name] = round(seconds, 1)
    print(f"\n{name}: {seconds:.0f} s in the Colab replica (fast mode)")
    done = nbformat.read(executed, as_version=4) if executed.exists() else None
    errors = [
        "\n".join(o["traceback"])[-2000:]
        for c in (done.cells if done else [])
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert proc.returncode == 0 and not errors, (name, proc.stderr[-2000:], errors)
    return done


def test_pinned_list_matches_colab_versions_we_rely_on():
    version, pins = colab_pins()
    assert version == "3.13"
    for pin in ("tensorflow==2.20.0", "keras==3.13.2", "numpy==2.1.3", "ipywidgets==7.7.1"):
        assert pin in pins, pin


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_on_colab_as_it_ships(colab, name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source == TEMPLATE, f"{name}: the first cell is not the template"
    nb.cells.append(nbformat.v4.new_code_cell(CHECK_CELL))
    done = _execute(colab, nb, name)
    texts = _texts(done)
    joined = "\n".join(texts)
    if colab["installed"]:
        assert INSTALL_LINE not in joined, f"{name} reinstalled the course in the same runtime"
    else:
        assert INSTALL_LINE in joined, f"{name}: the first cell did not install the course"
        colab["installed"] = True
    facts = json.loads(next(t for t in texts if t.startswith("COLAB-CHECK ")).split(" ", 1)[1])
    assert Path(facts["prefix"]) == colab["venv"]  # the kernel ran in the replica
    assert Path(facts["course_utils"]).is_relative_to(colab["site"])  # installed, not the clone
    pinned = {p.split("==")[0]: p.split("==")[1] for p in colab["pins"]}
    assert facts["versions"] == [pinned["tensorflow"], pinned["keras"], pinned["ipywidgets"]]
    colab["ran"].add(name)


WIDGET_CELLS = [
    """\
import ipywidgets, json
from course_utils.lessons.l03_gradients.explorer import gradient_explorer
explorer = gradient_explorer(rho=1.0, length=20)
before = explorer.data["summary"]
explorer.rho.value = 0.5  # what moving the slider does
after = explorer.data["summary"]
report = {"ipywidgets": ipywidgets.__version__, "explorer": [before != after, after]}""",
    """\
import keras
from course_utils.textgen.data import CharVocabulary
from course_utils.textgen.generate import inference_model
from course_utils.textgen.model import char_model
from course_utils.lessons.l06_text_generation.widget import generation_widget
vocab = CharVocabulary.from_text("ROMEO: abcde\\n")
keras.utils.set_random_seed(0)
box = generation_widget(inference_model(char_model(vocab.size, embedding_dim=4, hidden_size=8)),
                        vocab, prompt="abc", length=30)
box.controls["length"].value = 10
box.button.click()
report["generator"] = box.output.outputs[-1]["text"]""",
    """\
from tqdm.auto import tqdm
bar = tqdm(total=3, desc="epochs")
for _ in range(3):
    bar.update(1)
bar.close()
import tqdm.notebook
report["tqdm"] = [isinstance(bar, tqdm.notebook.tqdm),
                  isinstance(bar.container, ipywidgets.HBox), bar.n]
print("WIDGETS " + json.dumps(report))""",
]


def test_widgets_build_and_react_under_colabs_ipywidgets(colab):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(TEMPLATE)]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in WIDGET_CELLS]
    texts = _texts(_execute(colab, nb, "widgets.ipynb"))
    report = json.loads(next(t for t in texts if t.startswith("WIDGETS ")).split(" ", 1)[1])
    assert report["ipywidgets"] == "7.7.1"
    changed, summary = report["explorer"]
    assert changed and "0.5" in summary, summary
    # "abc" and 10 sampled characters (a sampled newline included), then the widget's "\n"
    assert report["generator"].startswith("abc") and len(report["generator"]) == 14
    assert report["tqdm"] == [True, True, 3]  # tqdm's notebook bar, an ipywidgets HBox


def test_installing_the_course_changes_no_colab_package(colab):
    if not colab["ran"]:
        pytest.skip("no lesson ran in the replica in this session (run the whole file)")
    after = _freeze(colab["python"])
    before = colab["before"]
    changed = {n: (before[n], after[n]) for n in before if n in after and before[n] != after[n]}
    removed = sorted(set(before) - set(after))
    added = sorted(set(after) - set(before))
    diff = {"added": {n: after[n] for n in added}, "changed": changed, "removed": removed}
    print("pip freeze diff:", diff)
    report = ROOT / "build" / "colab_replica.json"  # for the maintainer's notes; not committed
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps({"pip_freeze_diff": diff, "lesson_seconds": colab.get("times", {}),
                                  "pins": colab["pins"]}, indent=2))  # fmt: skip
    assert not changed and not removed, f"Colab's packages were changed: {changed} {removed}"
    assert added == ["rnn-course"], f"packages added besides the course: {added}"
