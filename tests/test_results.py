"""course_utils.core.results finds committed benchmark JSON in a clone and in an installed package."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course_utils.core import results

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = sorted(p.stem for p in (ROOT / "benchmarks" / "results").glob("*.json"))


def test_there_are_committed_results():
    assert {"adding_problem", "forget_bias", "lstm_vs_gru", "textgen"} <= set(COMMITTED)


@pytest.mark.parametrize("name", COMMITTED)
def test_load_results_reads_the_clone(name):
    path = ROOT / "benchmarks" / "results" / f"{name}.json"
    assert results.results_path(name) == path
    assert results.load_results(name) == json.loads(path.read_text(encoding="utf-8"))


def test_search_order_in_a_clone():
    labels = [label for label, _ in results.search_dirs()]
    assert labels == ["repository", "package"]
    assert set(COMMITTED) <= set(results.available())
    assert "architecture_grid" in results.available()  # lesson 07 reads it


def _installed_layout(tmp_path, monkeypatch, *, repo: bool, packaged: dict):
    """Point the module at a fake installation: site-packages/course_utils/_results, and
    optionally a clone around it (pyproject.toml + benchmarks/results)."""
    root = tmp_path / "site"
    package = root / "course_utils"
    (package / "_results").mkdir(parents=True)
    for name, data in packaged.items():
        (package / "_results" / f"{name}.json").write_text(json.dumps(data))
    if repo:
        (root / "pyproject.toml").write_text("")
        (root / "benchmarks" / "results").mkdir(parents=True)
    monkeypatch.setattr(results, "_ROOT", root)
    monkeypatch.setattr(results, "_PACKAGE", package)
    return root, package


def test_packaged_copy_is_used_without_a_clone(tmp_path, monkeypatch):
    _, package = _installed_layout(tmp_path, monkeypatch, repo=False, packaged={"textgen": [1]})
    assert [label for label, _ in results.search_dirs()] == ["package"]
    assert results.results_path("textgen") == package / "_results" / "textgen.json"
    assert results.load_results("textgen") == [1]
    # absent results say how to produce them
    with pytest.raises(FileNotFoundError, match="benchmarks.forget_bias"):
        results.load_results("forget_bias")


def test_clone_comes_before_the_packaged_copy(tmp_path, monkeypatch):
    root, _ = _installed_layout(tmp_path, monkeypatch, repo=True, packaged={"textgen": "old"})
    (root / "benchmarks" / "results" / "textgen.json").write_text(json.dumps("new"))
    assert results.load_results("textgen") == "new"


def test_missing_file_names_both_places_and_the_command(tmp_path, monkeypatch):
    _, package = _installed_layout(tmp_path, monkeypatch, repo=False, packaged={})
    with pytest.raises(FileNotFoundError) as info:
        results.load_results("architecture_grid")
    text = str(info.value)
    assert "python -m benchmarks.architecture_grid" in text
    assert "benchmarks/results" in text and str(package / "_results") in text


def test_a_new_benchmark_script_is_a_valid_name(tmp_path, monkeypatch):
    root, _ = _installed_layout(tmp_path, monkeypatch, repo=True, packaged={})
    (root / "benchmarks" / "brand_new.py").write_text("")
    assert "brand_new" in results.available()
    with pytest.raises(FileNotFoundError, match="python -m benchmarks.brand_new"):
        results.results_path("brand_new")


@pytest.mark.parametrize("bad", ["nope", "../pyproject", "forget_bias.json", ""])
def test_unknown_names_list_the_available_ones(bad):
    with pytest.raises(ValueError, match="forget_bias") as info:
        results.load_results(bad)
    assert repr(bad) in str(info.value)


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match="results name"):
        results.results_path(Path("forget_bias"))


def _pip_env():
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_the_wheel_ships_the_results(tmp_path):
    """A non-editable install (Colab) gets benchmarks/results/*.json as package data."""
    source = tmp_path / "src"
    for part in ("pyproject.toml", "setup.py", "README.md", "course_utils", "benchmarks/results"):
        target = source / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.write_bytes((ROOT / part).read_bytes())
    out = tmp_path / "wheels"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        env=_pip_env(),
        timeout=600,
    )
    if proc.returncode != 0 and "setuptools" in proc.stderr and "No matching" in proc.stderr:
        pytest.skip(f"pip cannot get the build backend (no network or cache): {proc.stderr[-300:]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = out.glob("rnn_course-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in COMMITTED:
        assert f"course_utils/_results/{name}.json" in names
    assert "course_utils/data/co2_mauna_loa.csv" in names
    assert "course_utils/core/results.py" in names
    assert not any(n.startswith("benchmarks/") for n in names)


def test_results_hold_no_statistics():
    """Agreement moved to the statistics core (course_utils.core.evidence.agreement)."""
    import course_utils.core.results as results

    assert not hasattr(results, "agreement") and not hasattr(results, "AGREEMENT_RULE")
