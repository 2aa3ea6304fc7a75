"""The lesson -> files table in ARCHITECTURE.md is the tree's, and every lesson has a room."""

from pathlib import Path

from course_utils import lessons
from tools.layout import BEGIN, END, lesson_rows, render, table_markdown
from tools.lessons import lessons as lesson_notebooks

ROOT = Path(__file__).resolve().parents[1]


def test_the_architecture_table_matches_the_tree():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    expected = render(text, table_markdown(lesson_rows()))
    assert text == expected, "run `python -m tools.layout --write` and commit ARCHITECTURE.md"


def test_every_notebook_has_one_room_and_every_room_a_notebook():
    notebooks = {p.name[:2] for p in lesson_notebooks(ROOT / "notebooks")}
    rooms = {room[1:3] for room in lessons.rooms()}
    assert notebooks == rooms
    for row in lesson_rows():
        assert "exercises.py" in row["files"], f"{row['room']} has no exercises.py"


def test_render_replaces_only_the_marked_block():
    text = f"head\n{BEGIN}\nold\n{END}\ntail\n"
    assert render(text, "new") == f"head\n{BEGIN}\nnew\n{END}\ntail\n"
