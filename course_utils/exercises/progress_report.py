"""The learner's progress across sessions, read from the progress file.

``course_utils.progress()`` shows, per lesson, which exercises passed, were tried and not
passed yet, or are untouched, from the file every check writes (:mod:`.outcomes`).

Links, where the kernel was told enough to make one:

* each lesson's notebook, when a check recorded its name (JupyterLab and VS Code tell
  the kernel; Colab does not);
* each exercise's check cell, ``NOTEBOOK#cell-id=ID``, when a check also recorded its
  cell's id (JupyterLab sends it with each execution). JupyterLab 4 opens a notebook
  scrolled to the cell such a link names (jupyterlab PR #13285); other front ends open
  the notebook at its top. The course's tests check the links' text, not a browser
  following them.

Colab has cell links too (``#scrollTo=`` and its own cell id), but they need the
notebook's Colab address, which its kernel is not told: there the report has no links,
and names each exercise, whose check cell (``ex.NAME.check(...)``) the notebook's search
finds.
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

    def __init__(self, panels: list[tuple[Panel, str | None]], footer: str, cells: Sequence = ()):
        self.panels = panels  # (panel, the lesson's notebook when known)
        self.footer = footer
        self.cells = list(cells)  # per panel: [(exercise, "NOTEBOOK#cell-id=ID")]

    def text(self) -> str:
        parts = [panel.text() for panel, _ in self.panels]
        return "\n\n".join([*parts, self.footer])

    def _repr_html_(self) -> str:
        parts = []
        cells = self.cells or [[] for _ in self.panels]
        for (panel, notebook), links in zip(self.panels, cells, strict=True):
            if notebook:
                link = html.escape(notebook, quote=True)
                parts.append(f'<div>Open <a href="{link}" target="_blank">{link}</a></div>')
            if links:
                anchors = ", ".join(
                    f'<a href="{html.escape(href, quote=True)}">{html.escape(name)}</a>'
                    for name, href in links
                )
                parts.append(f"<div>Go to the check of {anchors}</div>")
            parts.append(panel._repr_html_())
        parts.append(f"<pre>{html.escape(self.footer)}</pre>")
        return "".join(parts)


def _footer(path: Path, on: bool) -> str:
    lines = [f"Progress file: {path} (on this machine only; nothing is sent anywhere)."]
    if not on:
        lines.append("Recording is off (COURSE_RECORD=off): new checks are not saved.")
    else:
        lines.append(
            "To stop recording, run `%env COURSE_RECORD=off` in a cell (or set the "
            "environment variable COURSE_RECORD=off before starting Jupyter)."
        )
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
    panels, cells = [], []
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
        links = [(name, _cell_link(entries.get(name))) for name in names]
        cells.append([(name, link) for name, link in links if link])
    return ProgressReport(panels, _footer(path, recording()), cells)


def _cell_link(entry: object) -> str | None:
    """``NOTEBOOK#cell-id=ID`` for an exercise whose check recorded both, else None."""
    if not isinstance(entry, dict):
        return None
    notebook, cell_id = entry.get("notebook"), entry.get("cell_id")
    if not (isinstance(notebook, str) and notebook and isinstance(cell_id, str) and cell_id):
        return None
    return f"{notebook}#cell-id={cell_id}"
