"""tools.instructors: the generated timetable in notebooks/INSTRUCTORS.md."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from tools import instructors as ins
from tools.lessons import lessons

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "notebooks" / "INSTRUCTORS.md"


def _lesson(folder: Path, number: int, words: int = 300, checks: int = 3) -> Path:
    nb = nbformat.v4.new_notebook()
    head = f"# {number:02d} · Lesson {number}\n\n**In this lesson you will**\n- do a;\n- do b.\n"
    nb.cells = [
        nbformat.v4.new_markdown_cell(head),
        nbformat.v4.new_markdown_cell(" ".join(["word"] * words)),
        nbformat.v4.new_code_cell("\n".join(f"ex.task{i}.check(x)" for i in range(checks))),
    ]
    path = folder / f"{number:02d}_lesson.ipynb"
    nbformat.write(nb, path)
    return path


def test_lesson_facts(tmp_path):
    path = _lesson(tmp_path, 3, words=1500, checks=4)
    facts = ins.lesson_facts(path, {path.name: {"seconds": 330.0, "ok": True}})
    assert facts["title"] == "03 · Lesson 3"
    assert facts["objectives"] == ["do a", "do b"]
    assert facts["exercises"] == ["task0", "task1", "task2", "task3"]
    # 1500+ words at 100 a minute (15.1) + 5.5 min running + 4 x 5 exercises -> 45
    assert facts["seconds"] == 330.0 and facts["slot"] == 45
    failed = ins.lesson_facts(path, {path.name: {"seconds": 1.0, "ok": False}})
    assert failed["seconds"] is None  # a failed run is not a measurement
    with pytest.raises(TypeError, match="timings"):
        ins.lesson_facts(path, [])


def test_timetable_places_breaks_and_flags_what_does_not_fit(tmp_path):
    paths = [_lesson(tmp_path, n, words=2900, checks=5) for n in range(12)]
    timings = {p.name: {"seconds": 600.0, "ok": True} for p in paths[:-1]}
    measured = {"date": "2026-01-02T03:04:05", "machine": {"cpu_count": 2}, "notebooks": timings}
    facts = [ins.lesson_facts(p, timings) for p in paths]
    text = ins.timetable(facts, measured)
    assert text.startswith("| time | session |")
    assert "| 09:00 | [00 · Lesson 0](00_lesson.ipynb) | 65 |" in text
    assert "coffee break" in text and "| lunch | 60 |" in text
    lunch = re.search(r"\| (\d\d):(\d\d) \| lunch", text)
    assert 12 <= int(lunch.group(1)) < 13
    assert "Set them as homework" in text and "11 · Lesson 11" in text.split("Do not fit")[1]
    assert "2026-01-02" in text and "not measured" in text


def test_stamp_guide_rewrites_only_between_markers(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _lesson(folder, 0)
    _lesson(folder, 7)
    timings = tmp_path / "timings.json"
    timings.write_text(json.dumps({"date": "2026-01-01", "notebooks": {}}))
    guide = folder / "INSTRUCTORS.md"
    begin, end = ins.TIMETABLE
    gbegin, gend = ins.GLANCE
    guide.write_text(f"intro\n{begin}\nold\n{end}\nmiddle\n{gbegin}\nold\n{gend}\nnotes\n")
    assert ins.stamp_guide(folder, timings, guide)
    text = guide.read_text()
    assert text.startswith("intro\n") and "middle" in text and text.endswith("notes\n")
    assert "old" not in text and "07 · Lesson 7" in text and "`task0`" in text
    assert not ins.stamp_guide(folder, tmp_path / "missing.json", guide)


def test_committed_guide_has_markers_and_a_note_for_every_lesson():
    text = GUIDE.read_text(encoding="utf-8")
    for marker in (*ins.TIMETABLE, *ins.GLANCE):
        assert text.count(marker) == 1, marker
    notes = text.split("## Teaching notes", 1)[1]
    for path in lessons(ROOT / "notebooks"):
        assert f"**{path.name[:2]} · " in notes, f"no teaching note for {path.name}"
    for command in ("make offline-pack", "make student", "course_utils.core.datasets prefetch"):
        assert command in text
