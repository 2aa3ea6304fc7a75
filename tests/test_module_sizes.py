"""Modules stay small: one over about 300 lines says in its docstring why it is longer.

The guide (ARCHITECTURE.md, ../shared/STYLE.md) is ~300 lines a module. A longer one
must carry a sentence containing "300-line" in its docstring that gives the reason, so
that growth past the guide is a decision someone wrote down, not an accident.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 320  # "about 300"
MODULES = sorted(ROOT.glob("course_utils/**/*.py")) + sorted(ROOT.glob("tools/**/*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_long_modules_give_their_reason(path):
    lines = len(path.read_text().splitlines())
    if lines <= LIMIT:
        return
    docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
    assert "300-line" in docstring, (
        f"{path.relative_to(ROOT)} has {lines} lines: split it along its sections, or say in "
        "its docstring why it is longer than the course's 300-line guide"
    )
