"""Structure every lesson notebook shares (the template set by lessons 00-02)."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from tools.course_runner import stated_seconds
from tools.first_cell import TEMPLATE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TIMINGS = ROOT / "build" / "timings.json"


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_is_the_template(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.source == TEMPLATE, f"run `python -m tools.first_cell` to fix {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_structure(path):
    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0]
    assert title.cell_type == "markdown" and title.source.startswith("# ")
    assert "**Run time:**" in title.source and "**Prerequisites:**" in title.source
    assert not re.search(r"\*\*Run time:\*\*[^\n]*\d (?:s|min)\(", title.source), "space before ("
    objectives = [ln for ln in title.source.splitlines() if ln.startswith("- ")]
    assert 3 <= len(objectives) <= 5, "three to five learning objectives"
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## Summary" in markdown
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert code.count(".check(") >= 3, "at least three exercises"
    assert "tf_keras" not in code and "from tensorflow import keras" not in code
    builds = nb.metadata.get("course", {}).get("builds", "")
    assert builds, "metadata course.builds feeds the README's 'what you build' column"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_cleared_or_from_a_real_run(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not any(o.get("output_type") == "error" for o in cell.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_short_cells(path):
    nb = nbformat.read(path, as_version=4)
    lengths = sorted(len(c.source.splitlines()) for c in nb.cells if c.cell_type == "code")
    assert lengths[len(lengths) // 2] <= 5, "median code cell at most 5 lines"
    # One cell may show the lesson's central loop in full (issue 16): up to 30 lines.
    assert lengths[-1] <= 30, "no code cell over 30 lines"
    assert len(lengths) < 2 or lengths[-2] <= 22, "only one cell (the loop) over 22 lines"


@pytest.mark.skipif(not TIMINGS.exists(), reason="build/timings.json appears after `make course`")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stated_run_time_matches_measured(path):
    timings = json.loads(TIMINGS.read_text())
    if timings.get("mode") != "full" or path.name not in timings["notebooks"]:
        pytest.skip("no full-mode timing for this notebook")
    measured = timings["notebooks"][path.name]["seconds"]
    stated = stated_seconds(nbformat.read(path, as_version=4).cells[0].source)
    assert stated is not None, f"{path.name}: run `python -m tools.course_runner stamp`"
    assert abs(stated - measured) <= max(30.0, 0.5 * measured), (
        f"{path.name} states {stated:.0f} s but `make course` measured {measured:.0f} s; "
        "run `python -m tools.course_runner stamp`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_summary_is_rendered_from_the_lessons_verdicts(path):
    """The summary states no outcome by hand: the code cell after "## Summary" renders it
    with course_utils.verdicts.show_summary from the verdicts the lesson computed."""
    cells = nbformat.read(path, as_version=4).cells
    heading = next(
        i for i, c in enumerate(cells) if c.cell_type == "markdown" and "## Summary" in c.source
    )
    code = next((c for c in cells[heading + 1 :] if c.cell_type == "code"), None)
    assert code is not None and "show_summary(" in code.source, (
        f"{path.name}: the cell after '## Summary' must render it with show_summary(verdicts)"
    )
