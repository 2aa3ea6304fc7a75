"""Run the whole course and keep the stated run times honest (``make course``).

``python -m tools.course_runner run`` executes every lesson notebook
from a fresh kernel in full mode (or ``--fast``) into ``build/executed/`` and
writes ``build/timings.json`` with the seconds each took. Instructors pre-run
the course with it before a workshop.

``python -m tools.course_runner stamp`` then writes the measured times
into each lesson's title cell and the README's lesson table, so no run time in
the course is typed by hand. ``tests/test_notebooks_meta.py`` flags a lesson
whose stated time is far from the measured one whenever ``timings.json`` exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path

from tools.first_cell import colab_link, site_link
from tools.instructors import stamp_guide
from tools.lessons import lessons

__all__ = ["run", "stamp", "format_minutes", "stated_seconds", "RUNTIME_PATTERN"]

ROOT = Path(__file__).resolve().parent.parent
# In a title cell: "**Run time:** about 2 min (full mode, 2-core CPU, measured by `make course`)"
RUNTIME_PATTERN = re.compile(
    r"\*\*Run time:\*\* (?:about )?(?P<value>[\d.]+|not yet measured)(?: (?P<unit>min|s)\b)?"
)
README_BEGIN, README_END = "<!-- lesson-table:begin -->", "<!-- lesson-table:end -->"


def format_minutes(seconds: float) -> str:
    """Human run time: ``"45 s"`` under a minute, else minutes with one decimal."""
    return f"{seconds:.0f} s" if seconds < 60 else f"{seconds / 60:.1f} min"


def stated_seconds(text: str) -> float | None:
    """Parse the run time stated in a title cell; ``None`` when not measured yet."""
    match = RUNTIME_PATTERN.search(text)
    if not match or match["value"] == "not yet measured":
        return None
    value = float(match["value"])
    return value * 60 if match["unit"] == "min" else value


def _machine() -> dict:
    from course_utils.core.environment import machine_description

    return machine_description(libraries=False)


def run(folder: Path, out: Path, *, fast: bool, timeout: int, only: list[str]) -> dict:
    import nbformat
    from nbclient import NotebookClient

    out.mkdir(parents=True, exist_ok=True)
    os.environ["COURSE_FAST"] = "1" if fast else "0"
    timings_path = out.parent / ("timings-fast.json" if fast else "timings.json")
    previous = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    results = previous.get("notebooks", {})
    for path in lessons(folder):
        if only and not any(key in path.name for key in only):
            continue
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(folder)}},
        )
        start = time.perf_counter()
        error = None
        try:
            client.execute()
        except Exception as exc:  # record and go on with the other lessons
            error = f"{type(exc).__name__}: {str(exc)[-500:]}"
        seconds = time.perf_counter() - start
        nbformat.write(nb, out / path.name)
        results[path.name] = {
            "seconds": round(seconds, 1),
            "ok": error is None,
            "error": error,
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        print(f"{path.name:<40} {format_minutes(seconds):>9}  {'ok' if not error else 'FAILED'}")
    report = {
        "mode": "fast" if fast else "full",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": _machine(),
        "notebooks": results,
    }
    timings_path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {timings_path}")
    return report


def _title(nb) -> str:
    first = nb.cells[0].source.splitlines()[0] if nb.cells else ""
    return first.lstrip("# ").strip()


COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def stamp(folder: Path, timings_path: Path, readme: Path) -> None:
    """Write measured full-mode times into title cells and the README table.

    Without ``timings_path`` (no ``make course`` run here) the table is rebuilt from the
    times the title cells already state, so its links can change without a full run.
    """
    import nbformat

    timings = json.loads(timings_path.read_text())["notebooks"] if timings_path.is_file() else {}
    rows = ["| lesson | what you build | full-mode run time (2-core CPU) |", "|---|---|---|"]
    for path in lessons(folder):
        nb = nbformat.read(path, as_version=4)
        entry = timings.get(path.name)
        measured = format_minutes(entry["seconds"]) if entry and entry["ok"] else None
        if not timings and stated_seconds(nb.cells[0].source) is not None:
            measured = format_minutes(stated_seconds(nb.cells[0].source))
        head = nb.cells[0]
        if measured and RUNTIME_PATTERN.search(head.source):
            new = RUNTIME_PATTERN.sub(f"**Run time:** about {measured}", head.source, count=1)
            if new != head.source:
                head.source = new
                nbformat.write(nb, path)
        builds = nb.metadata.get("course", {}).get("builds", "")
        badge = (
            f"[executed]({site_link(path.name)}) "
            f"[![Open in Colab]({COLAB_BADGE})]({colab_link(path.name)}) "
            f"[student edition]({colab_link(path.name, 'student')})"
        )
        rows.append(
            f"| [{_title(nb)}](notebooks/{path.name}) {badge} | {builds} | "
            f"{measured or 'not yet measured'} |"
        )
    text = readme.read_text()
    if README_BEGIN in text and README_END in text:
        before, rest = text.split(README_BEGIN, 1)
        after = rest.split(README_END, 1)[1]
        readme.write_text(
            before + README_BEGIN + "\n" + "\n".join(rows) + "\n" + README_END + after
        )
        print(f"updated {readme}")
    if timings:
        stamp_guide(folder, timings_path, folder / "INSTRUCTORS.md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.course_runner")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="execute every lesson into build/executed/")
    r.add_argument("--fast", action="store_true", help="COURSE_FAST=1 instead of full mode")
    r.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    r.add_argument("--only", nargs="*", default=[], help="substrings of notebook names")
    sub.add_parser("stamp", help="write build/timings.json into title cells and README")
    args = parser.parse_args(argv)
    if args.command == "run":
        out = ROOT / "build" / ("executed-fast" if args.fast else "executed")
        report = run(ROOT / "notebooks", out, fast=args.fast, timeout=args.timeout, only=args.only)
        return 0 if all(v["ok"] for v in report["notebooks"].values()) else 1
    stamp(ROOT / "notebooks", ROOT / "build" / "timings.json", ROOT / "README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
