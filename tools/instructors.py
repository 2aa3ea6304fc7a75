"""The generated parts of ``notebooks/INSTRUCTORS.md``: a one-day timetable and the
lessons at a glance, rewritten between markers by ``python -m tools.course_runner
stamp`` (``make course``) from the notebooks and the measured ``build/timings.json``.

A lesson's slot is the time to walk through its prose (:data:`WORDS_PER_MINUTE`), plus
its measured full-mode run time, plus :data:`MINUTES_PER_EXERCISE` per exercise check,
rounded up to 5 minutes. Breaks go in at lesson boundaries: coffee after about 90
minutes of teaching, lunch at the first boundary from 12:00. Lessons that would end
after :data:`DAY_END` are listed as optional. Lessons are read from the notebooks
folder, so a new one is scheduled without editing anything here.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from tools.lessons import lessons

__all__ = ["TIMETABLE", "GLANCE", "lesson_facts", "timetable", "glance", "stamp_guide"]

TIMETABLE = ("<!-- timetable:begin -->", "<!-- timetable:end -->")
GLANCE = ("<!-- lessons:begin -->", "<!-- lessons:end -->")
WORDS_PER_MINUTE = 100  # walking a class through the prose, with questions
MINUTES_PER_EXERCISE = 5
UNMEASURED_MINUTES = 5  # run time assumed for a lesson `make course` has not timed yet
DAY_START, LUNCH_FROM, DAY_END = 9 * 60, 12 * 60, 17 * 60 + 30
COFFEE, LUNCH, TEACH_BEFORE_COFFEE = 15, 60, 90


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def lesson_facts(path: Path, timings: dict) -> dict:
    """Title, objectives, exercise names, words, run seconds (or None) and the slot."""
    import nbformat

    if not isinstance(timings, dict):
        raise TypeError(f"timings must be the 'notebooks' dict of timings.json; got {timings!r}.")
    nb = nbformat.read(path, as_version=4)
    head = nb.cells[0].source if nb.cells else ""
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    exercises = list(dict.fromkeys(re.findall(r"\b(\w+)\.check\(", code)))
    entry = timings.get(path.name)
    seconds = entry["seconds"] if entry and entry.get("ok") else None
    words = len(markdown.split())
    run = seconds / 60 if seconds is not None else UNMEASURED_MINUTES
    raw = words / WORDS_PER_MINUTE + run + MINUTES_PER_EXERCISE * max(len(exercises), 1)
    return {
        "name": path.name,
        "title": head.splitlines()[0].lstrip("#").strip() if head else path.stem,
        "objectives": [ln[2:].rstrip(";.") for ln in head.splitlines() if ln.startswith("- ")],
        "exercises": exercises,
        "words": words,
        "seconds": seconds,
        "slot": 5 * math.ceil(raw / 5),
    }


def timetable(facts: list[dict], measured: dict) -> str:
    """The timetable as Markdown, from :func:`lesson_facts` rows."""
    if not isinstance(facts, list) or not isinstance(measured, dict):
        raise TypeError("facts must be a list of lesson_facts() dicts and measured a dict.")
    rows = ["| time | session | minutes | of which running cells |", "|---|---|---|---|"]
    now, taught, lunch_done, optional = DAY_START, 0, False, []
    for fact in facts:
        if not lunch_done and now >= LUNCH_FROM:
            rows.append(f"| {_clock(now)} | lunch | {LUNCH} | |")
            now, taught, lunch_done = now + LUNCH, 0, True
        elif taught >= TEACH_BEFORE_COFFEE:
            rows.append(f"| {_clock(now)} | coffee break | {COFFEE} | |")
            now, taught = now + COFFEE, 0
        if now + fact["slot"] > DAY_END:
            optional.append(fact)
            continue
        run = "not measured" if fact["seconds"] is None else f"{fact['seconds'] / 60:.1f} min"
        link = f"[{fact['title']}]({fact['name']})"
        rows.append(f"| {_clock(now)} | {link} | {fact['slot']} | {run} |")
        now, taught = now + fact["slot"], taught + fact["slot"]
    rows.append(f"| {_clock(now)} | questions, wrap-up | 15 | |")
    lines = list(rows)
    machine = measured.get("machine", {})
    lines += [
        "",
        "Run times: full mode, as each lesson's title cell states them, measured by "
        f"`make course` ({machine.get('cpu_count', '?')} CPUs, Python "
        f"{machine.get('python', '?')}; the latest run {measured.get('date', '?')[:10]}: a "
        "lesson not run then keeps the time of its own last run). "
        f"Minutes per lesson = prose at {WORDS_PER_MINUTE} words a minute + run time + "
        f"{MINUTES_PER_EXERCISE} per exercise, rounded up to 5.",
    ]
    if any(f["seconds"] is None for f in facts):
        lines.append(
            f"Lessons marked 'not measured' are counted at {UNMEASURED_MINUTES} minutes of "
            "running: run `make course` for real numbers."
        )
    if optional:
        names = ", ".join(f"[{f['title']}]({f['name']})" for f in optional)
        lines.append(f"Do not fit before {_clock(DAY_END)}: {names}. Set them as homework.")
    return "\n".join(lines)


def glance(facts: list[dict]) -> str:
    """Per lesson: objectives and the exercise checks it contains."""
    parts = []
    for fact in facts:
        parts.append(f"### {fact['title']}\n")
        parts += [f"- {objective}" for objective in fact["objectives"]]
        checks = ", ".join(f"`{name}`" for name in fact["exercises"]) or "none"
        parts.append(f"\nExercise checks: {checks}.\n")
    return "\n".join(parts).rstrip()


def _replace(text: str, markers: tuple[str, str], body: str) -> str:
    begin, end = markers
    if begin not in text or end not in text:
        return text
    before, rest = text.split(begin, 1)
    return before + begin + "\n" + body + "\n" + end + rest.split(end, 1)[1]


def stamp_guide(folder: Path, timings_path: Path, guide: Path) -> bool:
    """Rewrite the generated parts of ``guide``; ``False`` when it or the timings are absent."""

    if not guide.is_file() or not timings_path.is_file():
        return False
    measured = json.loads(timings_path.read_text())
    facts = [lesson_facts(path, measured.get("notebooks", {})) for path in lessons(folder)]
    text = guide.read_text(encoding="utf-8")
    new = _replace(_replace(text, TIMETABLE, timetable(facts, measured)), GLANCE, glance(facts))
    if new != text:
        guide.write_text(new, encoding="utf-8")
        print(f"updated {guide}")
    return True
