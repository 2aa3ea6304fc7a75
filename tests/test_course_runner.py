"""course_runner: stated run times are parsed and stamped without mangling the title."""

import json

import nbformat
import pytest

from tools.course_runner import RUNTIME_PATTERN, format_minutes, stamp, stated_seconds
from tools.first_cell import SITE_URL


@pytest.mark.parametrize(
    "text, seconds",
    [("**Run time:** not yet measured (full mode)", None),
     ("**Run time:** about 1.5 min (full mode)", 90.0),
     ("**Run time:** about 14 s (full mode)", 14.0)],
)  # fmt: skip
def test_stated_seconds(text, seconds):
    assert stated_seconds(text) == seconds


def test_format_minutes():
    assert (format_minutes(14.2), format_minutes(207.7)) == ("14 s", "3.5 min")


def test_stamp_keeps_the_text_after_the_time(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    title = "# 07 · X\n**Run time:** not yet measured (full mode, 2-core CPU)"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(title)])
    nbformat.write(nb, folder / "07_x.ipynb")
    timings = tmp_path / "timings.json"
    timings.write_text(json.dumps({"notebooks": {"07_x.ipynb": {"seconds": 90, "ok": True}}}))
    readme = tmp_path / "README.md"
    readme.write_text("<!-- lesson-table:begin -->\n<!-- lesson-table:end -->\n")
    for _ in range(2):  # stamping twice changes nothing more
        stamp(folder, timings, readme)
        head = nbformat.read(folder / "07_x.ipynb", as_version=4).cells[0].source
        assert "**Run time:** about 1.5 min (full mode, 2-core CPU)" in head
    assert "| 1.5 min |" in readme.read_text()
    assert RUNTIME_PATTERN.search(head)


def test_stamp_without_timings_keeps_the_stated_times_and_links_each_executed_page(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    title = "# 07 · X\n**Run time:** about 1.5 min (full mode, 2-core CPU)"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(title)])
    nbformat.write(nb, folder / "07_x.ipynb")
    readme = tmp_path / "README.md"
    readme.write_text("<!-- lesson-table:begin -->\n<!-- lesson-table:end -->\n")
    stamp(folder, tmp_path / "no-timings.json", readme)
    row = readme.read_text().splitlines()[3]
    assert row.endswith("| 1.5 min |")
    assert f"[executed]({SITE_URL}07_x.html)" in row
