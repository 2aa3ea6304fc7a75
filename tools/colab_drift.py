"""Has Google Colab's runtime moved away from ``tests/colab_runtime.txt``?

    python tools/colab_drift.py                  # compare with Colab's newest published lists
    python tools/colab_drift.py --write          # ... and move the pin file to Colab's versions
    python tools/colab_drift.py --source DIR     # read pip-freeze.txt, os-info.txt from DIR
    python tools/colab_drift.py --json           # the comparison as JSON

Colab publishes its runtime in github.com/googlecolab/backend-info: ``pip-freeze.txt``
(``name==version`` lines, a few ``name @ url`` lines, ``#`` comments) and ``os-info.txt``
(``Ubuntu ...``, ``Python 3.13.15``, ...). The newest commit of its main branch is asked
from GitHub's API and both files are read at that commit; when the API cannot answer they
are read from the branch and the date they were read stands for the commit.

Compared are Colab's Python (major.minor) and every package the pin file lists: a changed
version, a package gone from Colab's list. The ones the course imports or runs under
(``IMPORTANT``) are printed first. A pin line marked ``# not in Colab's list`` (jedi) is
expected to be absent. ``--write`` rewrites the pin file's versions, its ``# python:`` line
and its ``# Source:`` sentence, and nothing else; a package Colab dropped stays pinned and is
reported. A dependency a new version newly needs is not found here: ``tests/test_colab_path.py``
installing the replica shows it. Standard library only.

Exit codes: 0 no drift, 1 drift found (also after ``--write``), 2 a list could not be read.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import textwrap
import urllib.request
from pathlib import Path
from typing import NamedTuple

try:
    from tools.colab_lists import (
        Entry,
        minor,
        normalize,
        parse_os_info,
        parse_pins,
        parse_requirements,
    )
except ModuleNotFoundError:  # run as `python tools/colab_drift.py`: tools/ is sys.path[0]
    from colab_lists import Entry, minor, normalize, parse_os_info, parse_pins, parse_requirements

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "tests" / "colab_runtime.txt"
REPO = "googlecolab/backend-info"
RAW = "https://raw.githubusercontent.com/" + REPO + "/{ref}/{name}"
API = "https://api.github.com/repos/" + REPO + "/commits/main"
FILES = ("pip-freeze.txt", "os-info.txt")
SOURCE = f"Source: github.com/{REPO} ({', '.join(FILES)})"
NOT_IN_COLAB = "# not in Colab's list"
MOVABLE = ("python", "changed", "listed")  # the kinds --write applies
NO_BREAKS = {"break_long_words": False, "break_on_hyphens": False}  # a sha, a URL stay whole
#: What the course imports (pyproject's dependencies, TensorFlow) or its lessons run under.
IMPORTANT = {
    "tensorflow", "keras", "numpy", "matplotlib", "ipywidgets", "tqdm", "scipy",
    "threadpoolctl", "ipykernel", "ipython", "widgetsnbextension", "notebook", "traitlets",
}  # fmt: skip
IMPORTANT_PREFIXES = ("jupyter", "nb")  # jupyter-client, jupyterlab-widgets, nbformat, ...


class Change(NamedTuple):
    """A difference: kind is python, changed, removed, listed (marked absent, now listed)
    or unpinnable (Colab installs it from a URL that names no version)."""

    name: str
    kind: str
    pinned: str
    colab: str | None
    important: bool


def is_important(name: str) -> bool:
    """True for a package the course imports directly or a Jupyter package it runs under."""
    key = normalize(name)
    return key in IMPORTANT or key.startswith(IMPORTANT_PREFIXES)


def compare(python: str, pins: dict[str, Entry], colab_python: str, colab: dict[str, Entry]):
    """The changes that matter to the course: Python first, then important packages."""
    if not isinstance(python, str) or not re.fullmatch(r"\d+\.\d+", python):
        raise ValueError(f"python must be the pinned 'X.Y', got {python!r}")
    first = []
    if minor(colab_python) != python:
        first.append(Change("python", "python", python, minor(colab_python), True))
    changes = []
    for key, pin in pins.items():
        now = colab.get(key)
        marked = pin.comment.startswith(NOT_IN_COLAB)
        if now is None:
            kind = None if marked else "removed"
        elif now.version is None:
            kind = "unpinnable"
        else:
            kind = "listed" if marked else ("changed" if now.version != pin.version else None)
        if kind:
            version = now and (now.version or f"@ {now.url}")
            changes.append(Change(pin.name, kind, pin.version, version, is_important(pin.name)))
    return first + sorted(changes, key=lambda c: (not c.important, normalize(c.name)))


def describe(change: Change) -> str:
    """One line per change, ``!`` marking the important ones."""
    mark = "!" if change.important else " "
    if change.kind == "removed":
        what = f"{change.pinned}, no longer in Colab's list (kept in the pin file)"
    elif change.kind == "listed":
        what = f"{change.pinned} -> {change.colab} (marked not in Colab's list, now listed)"
    elif change.kind == "unpinnable":
        what = f"{change.pinned}, Colab installs {change.colab} (no version: pin kept)"
    else:
        what = f"{change.pinned} -> {change.colab}"
    return f"  {mark} {change.name}: {what}"


def provenance(commit: dict | None, read_on: datetime.date, local: bool = False) -> list[str]:
    """The pin file's ``# Source:`` sentence, wrapped as comment lines: the commit when known,
    else the date the lists were read (from the main branch, or from ``local`` copies)."""
    if not isinstance(read_on, datetime.date):
        raise TypeError(f"read_on must be a datetime.date, got {read_on!r}")
    if commit is not None and not {"sha", "date", "subject"} <= set(commit):
        raise ValueError(f"commit must have a sha, date and subject, got {commit!r}")
    if commit:
        subject = commit["subject"].replace('"', "'")  # a '")' ends the sentence only
        text = f'{SOURCE}, commit {commit["sha"]} of {commit["date"]} ("{subject}").'
    else:
        where = "copies" if local else "main branch"
        text = f"{SOURCE}, {where} as read on {read_on.isoformat()}."
    return textwrap.wrap(text, 92, initial_indent="# ", subsequent_indent="# ", **NO_BREAKS)


def _source_block(lines: list[str], origin: str) -> tuple[int, int]:
    start = next((i for i, ln in enumerate(lines) if ln.startswith("# " + SOURCE)), None)
    if start is None:
        raise ValueError(f"{origin} must have a '# {SOURCE}...' sentence")
    for end in range(start, len(lines)):
        if not lines[end].startswith("#"):
            break
        if re.search(r'("\)|\d{4}-\d{2}-\d{2})\.$', lines[end]):
            return start, end + 1
    raise ValueError(f"{origin}: the '# Source:' sentence does not end with a commit or date")


def rewrite(text: str, origin: str, changes: list[Change], source: list[str]) -> str:
    """The pin file with each changed version, the python line and the source sentence."""
    entries = parse_requirements(text, origin)  # TypeError unless text is a str
    lines = text.splitlines()
    start, end = _source_block(lines, origin)
    new = {normalize(c.name): c for c in changes if c.kind in MOVABLE[1:]}
    python = next((c.colab for c in changes if c.kind == "python"), None)
    for entry in entries.values():
        change = new.get(normalize(entry.name))
        if change:
            keep = "" if change.kind == "listed" else entry.comment
            lines[entry.lineno - 1] = f"{entry.name}=={change.colab}" + (keep and "  " + keep)
    if python:
        lines = [f"# python: {python}" if ln.startswith("# python:") else ln for ln in lines]
    return "\n".join(lines[:start] + source + lines[end:]) + "\n"


def _read(url: str, timeout: float) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def latest_commit(timeout: float) -> dict | None:
    """sha, date and subject of backend-info's newest commit on main, None if unknown."""
    try:
        data = json.loads(_read(API, timeout))
        return {
            "sha": data["sha"],
            "date": data["commit"]["committer"]["date"][:10],
            "subject": data["commit"]["message"].splitlines()[0].strip(),
        }
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        print(
            f"note: backend-info's newest commit is unknown ({error}); reading main",
            file=sys.stderr,
        )
        return None


def read_lists(source: Path | None, timeout: float) -> tuple[dict[str, str], dict | None, str]:
    """({file name: text}, the commit or None, where they came from); OSError if unreadable."""
    if source is not None:
        texts = {}
        for name in FILES:
            try:
                texts[name] = (Path(source) / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise OSError(f"could not read {Path(source) / name}: {error}") from None
        return texts, None, str(source)
    commit = latest_commit(timeout)
    ref = commit["sha"] if commit else "main"
    texts = {}
    for name in FILES:
        url = RAW.format(ref=ref, name=name)
        try:
            texts[name] = _read(url, timeout)
        except (OSError, UnicodeDecodeError) as error:  # URLError, timeouts are OSErrors
            reason = getattr(error, "reason", error)
            raise OSError(f"could not read {url}: {reason} (offline? try --source DIR)") from None
    return texts, commit, f"github.com/{REPO}@{ref}"


def _parser() -> argparse.ArgumentParser:
    first = __doc__.split("\n")[0]
    parser = argparse.ArgumentParser(prog="python tools/colab_drift.py", description=first)
    parser.add_argument("--source", type=Path, help="a folder with pip-freeze.txt, os-info.txt")
    parser.add_argument(
        "--pins", type=Path, default=PINS, help="the pin file (default: %(default)s)"
    )
    parser.add_argument("--write", action="store_true", help="rewrite the pin file on drift")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per download")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        texts, commit, where = read_lists(args.source, args.timeout)
        colab = parse_requirements(texts["pip-freeze.txt"], "pip-freeze.txt")
        colab_python = parse_os_info(texts["os-info.txt"], "os-info.txt")
        pin_text = args.pins.read_text(encoding="utf-8")
        python, pins = parse_pins(pin_text, str(args.pins))
        changes = compare(python, pins, colab_python, colab)
        written = False
        if args.write and any(c.kind in MOVABLE for c in changes):
            source = provenance(commit, datetime.date.today(), args.source is not None)
            args.pins.write_text(rewrite(pin_text, str(args.pins), changes, source), "utf-8")
            written = True
    except (OSError, ValueError) as error:
        print(f"colab_drift: {error}", file=sys.stderr)
        if args.json:
            print(json.dumps({"error": str(error)}))
        return 2
    if args.json:
        changed = [c._asdict() for c in changes]
        summary = dict(source=where, commit=commit, pins=str(args.pins), python=python)
        summary.update(colab_python=colab_python, drift=bool(changes), written=written)
        print(json.dumps({**summary, "changes": changed}, indent=2))
    elif not changes:
        print(
            f"No drift: {args.pins.name} matches Colab's runtime ({where}, Python {colab_python})."
        )
    else:
        print(f"Colab's runtime has moved from {args.pins.name} ({where}); ! = the course uses it:")
        print("\n".join(describe(c) for c in changes))
        if written:
            print(f"Rewrote {args.pins}: review the diff, run tests/test_colab_path.py, commit.")
        elif args.write:
            print(f"Nothing to rewrite in {args.pins}: no pinned version moved.")
        else:
            print("Run `python tools/colab_drift.py --write` to move the pin file.")
    return 1 if changes else 0


if __name__ == "__main__":
    sys.exit(main())
