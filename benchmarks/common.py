"""What every benchmark script shares: its options, the JSON header, safe writing, resuming.

A script ``python -m benchmarks.<name>`` writes one JSON report, by default
``benchmarks/results/<name>.json``, which the lessons read with
``course_utils.core.results.load_results(name)``. Every report starts with the same header
(:func:`header`):

- ``command``: the command line that was run, ``python -m benchmarks.<name> ARGS``;
- ``machine``: ``course_utils.core.environment.machine_description()`` (a script may add keys);
- ``date``: when this run started, UTC, ISO 8601 to the second;
- ``commit``: ``git rev-parse HEAD`` of this checkout, ending in ``+dirty`` when tracked
  files outside ``benchmarks/results/`` have uncommitted changes (a run rewrites its own
  results, which must not count); ``None`` where git or the repository is missing;
- ``load_average`` (only the scripts that record the machine's load): one
  ``{"before": [1, 5, 15 min], "after": [...]}`` per run whose results the file holds.

The header always describes the run that wrote the file. A run that resumes an earlier
report (:func:`resume`) keeps that report's results and lists its header, and the
headers it had itself resumed from, under ``resumed_from``, oldest first.

:func:`write` replaces a report atomically: a temporary file in the same folder, then
``os.replace``, so an interrupted run never leaves half a JSON file.

:class:`Parser` gives every script the same options: ``--out PATH`` (``--output`` is
accepted too), ``--smoke`` (the smallest run of the whole script, for tests; it must
write outside ``benchmarks/results/``) and, for a script that resumes, ``--resume`` and
``--fresh``, one of which is the script's documented default.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from course_utils.core.results import QUIET_SHARE as _QUIET_SHARE

__all__ = [
    "HEADER",
    "RESULTS",
    "Parser",
    "git_commit",
    "header",
    "load_average",
    "now",
    "read",
    "record_load",
    "resume",
    "write",
]

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
#: The keys every report starts with (``load_average`` is added by the scripts that measure it).
HEADER = ("command", "machine", "date", "commit")


def now() -> str:
    """The current time, UTC, ISO 8601 to the second: ``2026-12-06T20:37:20+00:00``."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def git_commit(root: Path = ROOT) -> str | None:
    """``git rev-parse HEAD`` of ``root``, ``+dirty`` appended when tracked files outside
    ``benchmarks/results/`` differ from it; ``None`` without git or outside a repository."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if not commit:
        return None
    changes = git(
        "status", "--porcelain", "--untracked-files=no", "--", ".", ":!benchmarks/results"
    )
    return commit + "+dirty" if changes else commit


def load_average() -> list[float] | None:
    """The machine's 1-, 5- and 15-minute load averages (None where the OS has none)."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):  # Windows
        return None


#: A run is "quiet" when other processes used at most this share of the machine's CPU
#: time while it ran (:func:`others_cpu_share`); the lessons print the same constant.
QUIET_SHARE = _QUIET_SHARE


def _usable_cpus() -> set[int] | None:
    """The cores this process may run on (its affinity; None where the OS does not say)."""
    try:
        return set(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS, Windows
        return None


def cpu_snapshot() -> dict | None:
    """The wall clock, this process's CPU seconds and the busy CPU seconds of the cores it
    may run on (Linux's ``/proc/stat``, one ``cpuN`` line per core; None elsewhere):
    :func:`others_cpu_share` compares two. Counting only those cores keeps a container
    that sees the host's ``/proc/stat`` from charging other tenants' cores to this run."""
    usable = _usable_cpus()
    try:
        lines = Path("/proc/stat").read_text().splitlines()
        ticks = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None
    busy, cores = 0, 0
    for line in lines:
        name, *fields = line.split()
        if not (name.startswith("cpu") and name[3:].isdigit()):
            continue
        if usable is not None and int(name[3:]) not in usable:
            continue
        values = [int(v) for v in fields[:8]]
        busy += sum(values) - values[3] - values[4]  # all but idle and iowait (user .. steal)
        cores += 1
    if cores == 0:
        return None
    return {
        "wall": time.perf_counter(),
        "own": time.process_time(),
        "busy": busy / ticks,
        "cores": cores,
    }


def others_cpu_share(start: dict | None) -> float | None:
    """The share of the CPU time of this process's cores that other processes used since
    ``start`` (a :func:`cpu_snapshot`): 0 on a quiet machine, whatever this process does.
    The kernel counts in clock ticks (10 ms), so over a window of a few ticks the raw ratio
    can leave [0, 1]; it is clipped there (the runs it screens last minutes)."""
    end = cpu_snapshot()
    if not start or not end or end["wall"] <= start["wall"]:
        return None
    others = (end["busy"] - start["busy"]) - (end["own"] - start["own"])
    share = others / ((end["wall"] - start["wall"]) * end["cores"])
    return round(min(1.0, max(0.0, share)), 4)


def header(command: str, *, machine: dict | None = None, load: bool = False) -> dict:
    """The header of a new report (see the module docstring), taken now, at the start.

    ``command`` is ``args.command`` from :class:`Parser`; ``machine`` adds keys to
    ``machine_description()``; ``load`` starts a ``load_average`` entry (its ``"after"``
    is filled by :func:`record_load`).
    """
    if not isinstance(command, str) or not command.startswith("python -m benchmarks."):
        raise ValueError(f"command must be 'python -m benchmarks.<name> ...'; got {command!r}.")
    if machine is not None and not isinstance(machine, dict):
        raise TypeError(f"machine must be a dict of extra machine facts or None; got {machine!r}.")
    from course_utils.core.environment import machine_description

    report = {
        "command": command,
        "machine": {**machine_description(), **(machine or {})},
        "date": now(),
        "commit": git_commit(),
    }
    if load:
        report["load_average"] = [{"before": load_average(), "after": None}]
    return report


def run_child(cmd: Sequence[str], env: dict | None = None) -> dict:
    """Run one measuring process (a script's ``--one`` mode) and return the JSON object on
    the last line of its output; its stderr's tail is passed on, so progress stays visible.
    ``env``: the child's whole environment (default: this process's)."""
    done = subprocess.run(list(cmd), check=True, capture_output=True, text=True, env=env)
    sys.stderr.write(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def record_load(report: dict) -> None:
    """Set this run's ``load_average`` ``"after"`` to the load now (call before a write)."""
    entries = report.get("load_average")
    if not isinstance(entries, list) or not entries:
        raise ValueError("report has no load_average entries; make it with header(load=True).")
    entries[-1]["after"] = load_average()


def write(path: Path, report: dict) -> Path:
    """Write ``report`` as JSON to ``path`` atomically (a temporary file in the same folder,
    then ``os.replace``); create the folder if needed. Returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=1) + "\n"  # before the temporary file: may raise
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read(path: Path) -> dict | None:
    """The report at ``path``, or None when there is no file; ValueError if it is not one."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path} is not valid JSON ({error}); move it away or use --fresh."
        ) from None
    if not isinstance(report, dict):
        raise ValueError(f"{path} must hold a JSON object (a report); got {type(report).__name__}.")
    return report


def resume(report: dict, path: Path, *, same: Sequence[str] = (), keep: Sequence[str] = ()):
    """Carry the results of the earlier report at ``path`` into the new ``report``.

    Only when the earlier report exists and agrees with ``report`` on every key of
    ``same`` (the settings that make its runs comparable): its ``keep`` keys and its
    ``notes`` are copied into ``report``, its ``load_average`` entries put before this
    run's, and its header appended to ``report["resumed_from"]``. Returns the earlier
    report, or None (saying why on stdout) when nothing was carried.
    """
    old = read(path)
    if old is None:
        return None
    differ = [key for key in same if old.get(key) != report.get(key)]
    if differ:
        print(f"not resuming {path}: its {', '.join(differ)} differ from this run's", flush=True)
        return None
    for key in (*keep, "notes"):
        if key in old:
            report[key] = old[key]
    if isinstance(report.get("load_average"), list) and isinstance(old.get("load_average"), list):
        report["load_average"] = old["load_average"] + report["load_average"]
    earlier = old.get("resumed_from", [])
    earlier = [earlier] if isinstance(earlier, dict) else list(earlier)
    report["resumed_from"] = [
        *earlier,
        {key: old[key] for key in (*HEADER, "header_note") if key in old},
    ]
    print(f"resuming {path}: its results kept", flush=True)
    return old


def _shown(value) -> str:
    """An option's value as typed on a command line: ``[0, 1]`` -> ``0 1``."""
    return " ".join(map(str, value)) if isinstance(value, list) else str(value)


class Parser(argparse.ArgumentParser):
    """``argparse`` with the options every benchmark shares.

    ``name``: the script (``"adding_problem"``); ``doc``: its docstring (the first line
    is the description); ``out``: the default ``--out``; ``smoke``: option values that
    ``--smoke`` uses instead of the defaults (options given on the command line win);
    ``resume``: None for a script that never resumes, else whether it resumes by default.
    Parsed arguments also carry ``command``, the command line for :func:`header`.
    """

    def __init__(
        self, name: str, doc: str, *, out: Path | None, smoke: dict, resume: bool | None = None
    ):
        super().__init__(prog=f"python -m benchmarks.{name}", description=doc.splitlines()[0])
        if not isinstance(smoke, dict):
            raise TypeError(f"smoke must be a dict of option -> smallest value; got {smoke!r}.")
        if resume not in (None, True, False):
            raise ValueError(f"resume must be None, True or False; got {resume!r}.")
        self.name, self.smoke = name, smoke
        shown = out.relative_to(ROOT) if out is not None and out.is_relative_to(ROOT) else out
        self.add_argument(
            "--out", "--output", dest="out", type=Path, default=out,
            help=f"where the JSON goes (default: {shown or 'its file in benchmarks/results/'})",
        )  # fmt: skip
        implied = ", ".join(f"--{key.replace('_', '-')} {_shown(v)}" for key, v in smoke.items())
        implied = f"; implies {implied} unless given" if implied else ""
        self.add_argument(
            "--smoke", action="store_true",
            help="the smallest run of the whole script, for tests (its docstring says what "
            "shrinks); needs --out outside benchmarks/results/" + implied,
        )  # fmt: skip
        if resume is not None:
            default = " (the default)"
            how = self.add_mutually_exclusive_group()
            how.add_argument(
                "--resume", dest="resume", action="store_true", default=resume,
                help="keep the runs already in --out, do the rest" + default * resume,
            )  # fmt: skip
            how.add_argument(
                "--fresh", dest="resume", action="store_false",
                help="start over, ignoring the runs in --out" + default * (not resume),
            )  # fmt: skip

    def parse_args(self, args=None, namespace=None):
        argv = list(sys.argv[1:] if args is None else args)
        parsed = super().parse_args(argv, namespace)
        parsed.command = shlex.join(["python", "-m", f"benchmarks.{self.name}", *argv])
        if parsed.smoke:
            out = parsed.out.resolve() if parsed.out is not None else None
            if out is None or out.is_relative_to(RESULTS):
                self.error(
                    f"--smoke needs --out PATH outside {RESULTS}: a smoke run is too small "
                    f"to replace committed results; got --out {parsed.out}."
                )
            for key, value in self.smoke.items():
                if getattr(parsed, key) == self.get_default(key):
                    setattr(parsed, key, value)
        return parsed
