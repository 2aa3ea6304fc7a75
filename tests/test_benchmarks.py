"""The benchmark scripts: each runs at its smallest size (``--smoke``) and writes the one
header schema of ``benchmarks/common.py``; the committed results have that header too.

Every script runs in a fresh process (``python -m benchmarks.<name> --smoke --out ...``)
in fast mode, offline, into ``tmp_path``: a test never writes to ``benchmarks/results/``.
The grid's smoke run resumes a copy of the committed grid, so resuming is tested on a
real file too.
"""

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import common, scan_timing, textgen

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SCRIPTS = sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py") if p.stem != "__init__")
SCRIPTS.remove("common")  # the shared module, not a benchmark
COMMIT = re.compile(r"[0-9a-f]{40}(\+dirty)?")
#: Results written by a script of another name.
WRITTEN_BY = {
    "adding_revival": "adding_problem",
    **{Path(f).stem: "textgen_backends" for f in textgen.BACKEND_CHECKS.values()},
    "textgen_backends_lesson_gru_256_1min": "textgen_backends",  # a re-check after the race
}

#: (script, arguments before --smoke, JSON name, keys the course reads besides the header)
SMOKE = [
    ("adding_problem", [], "adding_problem", ["budget", "seeds", "summary", "runs"]),
    ("applications", [], "applications", ["config", "seeds", "forecast", "brackets", "dates"]),
    ("architecture_grid", [], "architecture_grid", ["schema", "created", "updated", "rows"]),
    ("architecture_probes", [], "architecture_probes", ["order_lr", "data_sweep"]),
    ("forget_bias", [], "forget_bias", ["config", "seeds", "runs", "summary"]),
    ("lstm_vs_gru", [], "lstm_vs_gru", ["config", "seeds", "clipping", "runs", "timing"]),
    ("numpy_vs_keras", [], "numpy_vs_keras", ["results"]),
    ("scan_timing", [], "scan_timing", ["protocol", "lengths"]),
    ("selective_copy", [], "selective_copy", ["budget", "seeds", "runs"]),
    ("textgen", ["race"], "textgen", ["minutes", "runs", "summary", "load_average_1min"]),
    ("textgen_backends", [], "textgen_backends", ["minutes", "runs"]),
    ("textgen_levers", [], "textgen_levers", ["minutes", "runs"]),
    ("textgen_recipe", [], "textgen_recipe", ["settings", "steps_per_epoch", "epochs"]),
    ("textgen_tune", [], "textgen_tune", ["minutes", "runs", "summary", "protocol"]),
    ("textgen_width", [], "textgen_width", ["seconds", "runs"]),
    ("timing", [], "timing", ["protocol", "cases"]),
]
#: Scripts that record the machine's load: their header has ``load_average``.
RECORDS_LOAD = {
    "adding_problem", "architecture_grid", "scan_timing", "selective_copy", "textgen",
    "textgen_backends", "textgen_levers", "textgen_recipe", "textgen_tune", "textgen_width",
    "timing",
}  # fmt: skip
#: They refuse the generated fallback.
NEEDS_SHAKESPEARE = {
    "textgen",
    "textgen_backends",
    "textgen_levers",
    "textgen_recipe",
    "textgen_tune",
    "textgen_width",
}


@pytest.fixture(scope="session")
def pycache(tmp_path_factory) -> Path:
    """One bytecode cache for every script's process, in pytest's temporary folder: each
    fresh process imports TensorFlow, and compiling its modules again every time (as in a
    virtual environment installed without bytecode) would take most of the time."""
    return tmp_path_factory.mktemp("pycache")


def _env(pycache: Path | None = None) -> dict:
    env = dict(os.environ, COURSE_FAST="1", TF_CPP_MIN_LOG_LEVEL="2", COURSE_OFFLINE="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if pycache is not None:  # written there only, never beside the sources
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    shared = ROOT.parent / "shared" / "data"
    if "COURSE_DATA_DIR" not in env and shared.is_dir():
        env["COURSE_DATA_DIR"] = str(shared)  # as tools/course.py test does
    return env


def _shakespeare(env: dict) -> bool:
    data = env.get("COURSE_DATA_DIR")
    return bool(data) and (Path(data) / "tinyshakespeare.txt").is_file()


def _run(pycache: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{script}", *args],
        cwd=ROOT,
        env=_env(pycache),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (
        f"{script} {args} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    )
    return done


def check_header(report: dict, script: str, *, committed: bool = False) -> None:
    """The header of ``benchmarks/common.py``; a committed report may lack a command or a
    commit (made before they were recorded) only if its ``header_note`` says so."""
    for key in common.HEADER:
        assert key in report, f"no {key!r} in the header"
    command, commit = report["command"], report["commit"]
    if command is None or commit is None:
        note = report.get("header_note", "")
        assert committed and "not recorded" in note, f"command or commit missing: {note!r}"
    if command is not None:
        assert command.startswith(f"python -m benchmarks.{script}"), command
    if commit is not None:
        assert COMMIT.fullmatch(commit), commit
    assert isinstance(report["machine"], dict) and report["machine"]["cpu_count"] >= 1
    date = dt.datetime.fromisoformat(report["date"])
    assert date.utcoffset() == dt.timedelta(0), report["date"]  # UTC
    for entry in report.get("load_average", []):
        assert set(entry) == {"before", "after"}
        assert all(v is None or len(v) == 3 for v in entry.values())
    for earlier in report.get("resumed_from", []):
        assert earlier["command"].startswith(f"python -m benchmarks.{script}")
        dt.datetime.fromisoformat(earlier["date"])


# --- the shared module ---------------------------------------------------------------


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = common.write(tmp_path / "deep" / "r.json", {"a": 1})
    assert json.loads(path.read_text()) == {"a": 1}
    with pytest.raises(TypeError):
        common.write(path, {"a": object()})  # not JSON: the old file stays whole
    assert json.loads(path.read_text()) == {"a": 1}
    assert [p.name for p in path.parent.iterdir()] == ["r.json"]


def test_read_says_what_is_wrong(tmp_path):
    assert common.read(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ValueError, match="bad.json is not valid JSON"):
        common.read(tmp_path / "bad.json")
    (tmp_path / "list.json").write_text("[]")
    with pytest.raises(ValueError, match="JSON object"):
        common.read(tmp_path / "list.json")


def test_resume_keeps_results_and_lists_earlier_headers(tmp_path):
    path = tmp_path / "r.json"
    first = {"command": "python -m benchmarks.x", "date": "d1", "commit": None, "machine": {}}
    old = first | {"resumed_from": {"command": "python -m benchmarks.x", "date": "d0"}}
    old |= {"budget": 1, "runs": [1], "notes": ["n"], "load_average": [{"before": [1, 1, 1]}]}
    common.write(path, old)
    new = {"command": "python -m benchmarks.x --resume", "date": "d2", "budget": 2, "runs": []}
    assert common.resume(dict(new), path, same=["budget"], keep=["runs"]) is None
    new |= {"budget": 1, "load_average": [{"before": [2, 2, 2], "after": None}]}
    assert common.resume(new, path, same=["budget"], keep=["runs"]) == old
    assert new["runs"] == [1] and new["notes"] == ["n"] and new["date"] == "d2"
    assert [e["date"] for e in new["resumed_from"]] == ["d0", "d1"]
    assert new["load_average"] == [{"before": [1, 1, 1]}, {"before": [2, 2, 2], "after": None}]


def test_parser_options_are_the_same_everywhere():
    parser = common.Parser("x", "Doc.", out=RESULTS / "x.json", smoke={"seeds": [0]}, resume=False)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    args = parser.parse_args(["--output", "/tmp/o.json", "--smoke", "--seeds", "3"])
    assert args.out == Path("/tmp/o.json") and args.seeds == [3] and not args.resume
    assert args.command == "python -m benchmarks.x --output /tmp/o.json --smoke --seeds 3"
    assert parser.parse_args(["--smoke", "--out", "/tmp/o.json"]).seeds == [0]
    assert parser.parse_args(["--resume"]).resume and not parser.parse_args(["--fresh"]).resume
    for argv in (
        ["--smoke"],
        ["--smoke", "--out", str(RESULTS / "y.json")],
        ["--resume", "--fresh"],
    ):
        with pytest.raises(SystemExit):
            parser.parse_args(argv)
    with pytest.raises(ValueError, match="resume"):
        common.Parser("x", "Doc.", out=None, smoke={}, resume="yes")
    with pytest.raises(ValueError, match="command"):
        common.header("python benchmarks/x.py")


def test_git_commit_marks_the_checkout_or_is_none(tmp_path):
    if shutil.which("git") and common.git_commit() is not None:
        assert COMMIT.fullmatch(common.git_commit())
    assert common.git_commit(tmp_path) is None  # not a repository


def test_every_script_uses_the_shared_module():
    for script in SCRIPTS:
        source = (ROOT / "benchmarks" / f"{script}.py").read_text()
        assert "common.Parser(" in source and "common.write(" in source, script
        assert "write_text(" not in source and "isoformat(" not in source, script
    assert sorted({s for s, *_ in SMOKE}) == SCRIPTS  # every script has a smoke test below


# --- the committed results -----------------------------------------------------------


@pytest.mark.parametrize("path", sorted(RESULTS.glob("*.json")), ids=lambda p: p.stem)
def test_committed_results_have_the_header(path):
    script = WRITTEN_BY.get(path.stem, path.stem)
    if script not in SCRIPTS:
        pytest.skip(f"{path.name} is not written by a script in benchmarks/")
    check_header(json.loads(path.read_text()), script, committed=True)


# --- each script at its smallest size ------------------------------------------------


def _grid_resumed(committed: dict, grid: dict) -> None:
    """The smoke slice is added to a copy of the committed grid; all else is kept."""
    assert grid["rows"][:-1] == committed["rows"] and grid["rows"][-1]["fast"]
    assert grid["created"] == committed["created"] and grid["notes"] == committed["notes"]
    kept = [k for k in [*common.HEADER, "header_note"] if k in committed]
    assert grid["resumed_from"][-1] == {k: committed[k] for k in kept}
    assert grid["runs"][:-1] == committed["runs"] and grid["runs"][-1]["started"] == grid["date"]
    assert grid["load_average"][:-1] == committed["load_average"]


#: Smoke runs that resume a copy of the committed file, and what they must keep.
RESUMED = {"architecture_grid": _grid_resumed}


def _scan_timing_alternates(report: dict) -> None:
    """No layer always gets the first slot: it alternates over the processes, and each
    process's recorded (timed) order starts with its own first layer."""
    assert "warmup" in report["protocol"]
    for processes in report["lengths"].values():
        firsts = [p["first"] for p in sorted(processes, key=lambda p: p["process"])]
        assert firsts == list(scan_timing.FIRST[: len(firsts)]), firsts
        assert all(p["order"][0] == p["first"] for p in processes)


#: Further checks of a smoke run's report, by its name.
CHECKS = {"scan_timing": _scan_timing_alternates}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("script", "args", "name", "keys"), SMOKE, ids=[f"{s}-{n}" for s, _, n, _ in SMOKE]
)
def test_smallest_run_writes_the_header_and_the_results(
    tmp_path, pycache, script, args, name, keys
):
    if script in NEEDS_SHAKESPEARE and not _shakespeare(_env()):
        pytest.skip("Tiny Shakespeare is not available offline (set COURSE_DATA_DIR)")
    out = tmp_path / f"{name}.json"
    if name in RESUMED:
        shutil.copy(RESULTS / f"{name}.json", out)
    _run(pycache, script, *args, "--smoke", "--out", str(out))
    report = json.loads(out.read_text())
    check_header(report, script)
    assert report["command"].endswith(f"--smoke --out {out}")
    if shutil.which("git") and common.git_commit() is not None:
        assert report["commit"] is not None
    for key in [*keys, "load_average"] if script in RECORDS_LOAD else keys:
        assert report.get(key), f"{name}.json has no {key!r}"
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".png"] == [out.name]
    if name in RESUMED:
        RESUMED[name](json.loads((RESULTS / f"{name}.json").read_text()), report)
    if name in CHECKS:
        CHECKS[name](report)
