"""Settings are read when asked: importing any module of course_utils reads no file.

Two checks, each in a fresh interpreter:

* a copy of the package alone (no ``benchmarks/results``, no ``datasets/``, no
  ``pyproject.toml`` beside it) imports every module: nothing needs a results file to load;
* in the clone, an audit hook records every file opened while every module is imported:
  none but Python's own (source, bytecode, packages' metadata) may be opened.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Imports every module of course_utils, recording the files opened meanwhile; prints JSON.
IMPORT_ALL = r"""
import importlib, json, os, pkgutil, sys
opened = []
root = os.path.realpath(sys.argv[1])
libraries = os.path.realpath(sys.prefix)  # the installed packages' own data (matplotlibrc, ...)
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        path = os.path.realpath(args[0])
        ours = path.startswith(root) and not path.startswith(libraries)
        metadata = ".egg-info" + os.sep in path  # the editable install's, which JAX reads
        if ours and not metadata and not path.endswith((".py", ".pyc")) and os.path.isfile(path):
            opened.append(path)
sys.addaudithook(hook)
import course_utils
failed = {}
def skipped(name):  # walk_packages could not import a package: record why
    failed[name] = "%s: %s" % sys.exc_info()[:2]
for info in pkgutil.walk_packages(course_utils.__path__, "course_utils.", onerror=skipped):
    try:
        importlib.import_module(info.name)
    except Exception as error:  # noqa: BLE001 - report every module that fails
        failed[info.name] = f"{type(error).__name__}: {error}"
print(json.dumps({"failed": failed, "opened": sorted(set(opened)), "file": course_utils.__file__}))
"""


def _import_all(cwd: Path, root: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(cwd), "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, str(root)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_module_imports_without_any_results_file(tmp_path):
    shutil.copytree(
        ROOT / "course_utils",
        tmp_path / "course_utils",
        ignore=shutil.ignore_patterns("__pycache__", "_results"),
    )
    report = _import_all(tmp_path, tmp_path)
    assert report["file"].startswith(str(tmp_path)), report["file"]  # the copy, not the clone
    assert report["failed"] == {}


def test_importing_every_module_opens_no_file_of_the_course():
    report = _import_all(ROOT, ROOT)
    assert report["failed"] == {}
    assert report["opened"] == [], "read at import: " + ", ".join(report["opened"])
