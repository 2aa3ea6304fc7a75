"""The learner's progress across sessions, read from the progress file.

``course_utils.progress()`` shows, per lesson, which exercises passed, were tried and not
passed yet, or are untouched, from the file every check writes (:mod:`.outcomes`). Each
lesson's notebook is linked when a check recorded its name (JupyterLab and VS Code say
it; Colab does not). A link to the exercise's own cell is not feasible: neither
JupyterLab nor Colab opens a notebook at a cell from a link, so the report names the
exercise, which is in its check cell (``ex.NAME.check(...)``), for the notebook's search.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from course_utils.exercises.display import Panel
from course_utils.exercises.outcomes import (
    COLAB_DOWNLOAD,
    load_progress,
    progress_path,
    recording,
)

__all__ = ["ProgressReport", "progress_report"]

_MARK = {"passed": True, "answered": True, "tried": False}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _note(entry: Mapping) -> str:
    status = entry.get("status", "untouched")
    attempts = int(entry.get("attempts", 0))
    if status == "passed":
        note = f"passed ({_plural(attempts, 'check')})"
    elif status == "answered":
        note = "answered (not graded)"
    elif status == "tried":
        last = str(entry.get("last_status", "incorrect")).replace("_", " ")
        note = f"tried {_plural(attempts, 'time')}, not passed yet (last: {last})"
    else:
        note = "untouched"
    if entry.get("hints"):
        note += f"; {_plural(int(entry['hints']), 'hint')}"
    if entry.get("solution_seen"):
        note += "; solution viewed"
    return note


class ProgressReport:
    """One panel per lesson, and where the file is. Shown as HTML in Jupyter, text elsewhere."""

    def __init__(self, panels: list[tuple[Panel, str | None]], footer: str):
        self.panels = panels  # (panel, the lesson's notebook when known)
        self.footer = footer

    def text(self) -> str:
        parts = [panel.text() for panel, _ in self.panels]
        return "\n\n".join([*parts, self.footer])

    def _repr_html_(self) -> str:
        parts = []
        for panel, notebook in self.panels:
            if notebook:
                link = html.escape(notebook, quote=True)
                parts.append(f'<div>Open <a href="{link}" target="_blank">{link}</a></div>')
            parts.append(panel._repr_html_())
        parts.append(f"<pre>{html.escape(self.footer)}</pre>")
        return "".join(parts)


def _footer(path: Path, on: bool) -> str:
    lines = [f"Progress file: {path} (on this machine only; nothing is sent anywhere)."]
    if not on:
        lines.append("Recording is off (COURSE_RECORD=off): new checks are not saved.")
    else:
        lines.append("To stop recording, set the environment variable COURSE_RECORD=off.")
    if "google.colab" in sys.modules:
        lines.append(f"It is deleted with this Colab runtime; to keep it: {COLAB_DOWNLOAD}")
    return "\n".join(lines)


def progress_report(
    exercises: Mapping[str, Sequence[str]], path: Path | str | None = None
) -> ProgressReport:
    """The report for ``exercises`` (``{"lesson00": ["sequence_shape", ...]}``, every
    lesson's exercise names) from the progress file at ``path`` (default: where checks
    record, :func:`~course_utils.exercises.outcomes.progress_path`)."""
    if not isinstance(exercises, Mapping):
        raise TypeError(
            f"exercises must map a lesson ('lesson00') to its exercise names; got "
            f"{type(exercises).__name__}."
        )
    path = progress_path() if path is None else Path(path)
    recorded = load_progress(path)["lessons"]
    panels = []
    for lesson, names in exercises.items():
        entries = recorded.get(lesson, {})
        entries = entries if isinstance(entries, dict) else {}
        rows, counts = [], {"passed": 0, "tried": 0, "untouched": 0}
        for name in names:
            entry = entries.get(name) if isinstance(entries.get(name), dict) else {}
            status = entry.get("status", "untouched")
            mark = _MARK.get(status)
            counts[{True: "passed", False: "tried", None: "untouched"}[mark]] += 1
            rows.append((mark, name, _note(entry)))
        title = (
            f"{lesson}: {counts['passed']} of {len(names)} passed, {counts['tried']} tried, "
            f"{counts['untouched']} untouched"
        )
        notebooks = [e.get("notebook") for e in entries.values() if isinstance(e, dict)]
        notebook = next((n for n in reversed(notebooks) if isinstance(n, str) and n), None)
        panels.append((Panel("info", title, rows=rows), notebook))
    return ProgressReport(panels, _footer(path, recording()))
