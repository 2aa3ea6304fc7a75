"""tools.book: `make site` builds every lesson as a page with an "Open in Colab" button."""

import html
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils import __version__
from tools import book as site
from tools.lessons import lessons

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lessons(ROOT / "notebooks")


def test_config_and_toc_are_generated_from_the_notebooks(tmp_path):
    used = site.stage(tmp_path / "src", notebooks=ROOT / "notebooks", executed=None)
    names = [page for page, _ in used]
    assert names[: len(LESSONS)] == [p.name for p in LESSONS]
    toc = site.toc(names)
    assert toc["root"] == "index"
    assert [c["file"] for c in toc["chapters"]][: len(LESSONS)] == [p.stem for p in LESSONS]
    config = site.config()
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["launch_buttons"]["colab_url"] == site.COLAB_URL
    assert config["repository"]["path_to_book"] == "notebooks"
    for name in ("_config.yml", "_toc.yml", "index.md"):
        assert (tmp_path / "src" / name).is_file()
    index = (tmp_path / "src" / "index.md").read_text()
    for path in LESSONS:
        assert f"]({path.name})" in index and site.title(path) in index


def test_colab_link_matches_the_readme_badges():
    link = site.colab_link("04_lstm.ipynb")
    # The release tag the first cell installs (RELEASING.md), not a moving branch.
    base = f"https://colab.research.google.com/github/rnn-course/rnn-course/blob/v{__version__}/"
    assert link == base + "notebooks/04_lstm.ipynb"
    assert site.colab_link("04_lstm.ipynb", "student") == base + "student/04_lstm.ipynb"
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert f"]({link})" in readme and f"]({base}student/04_lstm.ipynb)" in readme
    for bad in ("04_lstm", "../x.ipynb", 4):
        with pytest.raises(ValueError, match="notebook"):
            site.colab_link(bad)
    with pytest.raises(ValueError, match="folder"):
        site.colab_link("04_lstm.ipynb", "solutions")


def _notebook(path, code, outputs=()):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99 · Test"), nbformat.v4.new_code_cell(code)]
    nb.cells[1].outputs = list(outputs)
    nbformat.write(nb, path)


def test_executed_copy_is_used_only_while_its_code_is_current(tmp_path):
    notebooks, executed = tmp_path / "notebooks", tmp_path / "executed"
    notebooks.mkdir()
    executed.mkdir()
    _notebook(notebooks / "99_test.ipynb", "x = 1")
    assert site._source_for(notebooks / "99_test.ipynb", executed) == notebooks / "99_test.ipynb"
    out = nbformat.v4.new_output("stream", name="stdout", text="1\n")
    _notebook(executed / "99_test.ipynb", "x = 1", [out])
    assert site._source_for(notebooks / "99_test.ipynb", executed) == executed / "99_test.ipynb"
    site._page(notebooks / "99_test.ipynb", executed / "99_test.ipynb", tmp_path / "page.ipynb")
    page = nbformat.read(tmp_path / "page.ipynb", as_version=4)
    assert page.cells[1].outputs[0]["text"] == "1\n"  # the run's output, the current cells
    _notebook(notebooks / "99_test.ipynb", "x = 2")  # lesson edited since `make course`
    assert site._source_for(notebooks / "99_test.ipynb", executed) == notebooks / "99_test.ipynb"
    assert site._source_for(notebooks / "99_test.ipynb", None) == notebooks / "99_test.ipynb"


@pytest.mark.slow
def test_site_builds_a_page_per_lesson_with_a_colab_button(tmp_path):
    try:
        import jupyter_book  # noqa: F401
    except ImportError:
        pytest.fail("jupyter-book is missing: `make test` installs the `site` extra")
    out = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "tools.book", "build", "--out", str(out), "--no-executed"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    index = (out / "index.html").read_text(encoding="utf-8")
    for path in LESSONS:
        page = out / f"{path.stem}.html"
        assert page.is_file(), f"no page for {path.name}"
        text = page.read_text(encoding="utf-8")
        heading = site.title(path)
        assert heading.split(" · ")[0].isdigit(), heading
        assert html.escape(heading, quote=False) in text, f"{path.name}: title {heading!r}"
        assert site.colab_link(path.name) in text, f"{path.name}: no Colab launch link"
        assert f'href="{path.stem}.html"' in index


def test_tensorflow_start_up_log_is_left_out_of_pages():
    from nbformat.v4 import new_output

    from tools.book import _is_library_log

    log = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    log += "I0000 00:00:1.0   1 port.cc:153] oneDNN custom operations are on. ...\n"
    assert _is_library_log(new_output("stream", name="stderr", text=log))
    mixed = log + "UserWarning: something the learner should see\n"
    assert not _is_library_log(new_output("stream", name="stderr", text=mixed))
    assert not _is_library_log(new_output("stream", name="stdout", text=log))
