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
    assert site.source_for(notebooks / "99_test.ipynb", executed) == notebooks / "99_test.ipynb"
    out = nbformat.v4.new_output("stream", name="stdout", text="1\n")
    _notebook(executed / "99_test.ipynb", "x = 1", [out])
    assert site.source_for(notebooks / "99_test.ipynb", executed) == executed / "99_test.ipynb"
    timings = {
        "mode": "full",
        "date": "2026-12-07T10:00:00+00:00",
        "machine": {"cpu": "AMD EPYC", "cpu_count": 2, "python": "3.11.7", "platform": "Linux"},
        "notebooks": {"99_test.ipynb": {"seconds": 90.0, "ok": True}},
    }
    site._page(
        notebooks / "99_test.ipynb", executed / "99_test.ipynb", tmp_path / "page.ipynb", timings
    )
    page = nbformat.read(tmp_path / "page.ipynb", as_version=4)
    assert page.cells[2].outputs[0]["text"] == "1\n"  # the run's output, the current cells
    assert page.cells[1].source == (  # under the title: where the outputs come from
        "*Outputs produced by `make course` (full mode) on 2026-12-07, on AMD EPYC, 2 CPUs, "
        "Python 3.11.7, Linux; this lesson ran in 1.5 min.*"
    )
    site._page(notebooks / "99_test.ipynb", notebooks / "99_test.ipynb", tmp_path / "bare.ipynb")
    bare = nbformat.read(tmp_path / "bare.ipynb", as_version=4).cells[1].source
    assert bare.startswith("*No outputs on this page")
    assert site.provenance(None).startswith("No outputs: this site was built without")
    _notebook(notebooks / "99_test.ipynb", "x = 2")  # lesson edited since `make course`
    assert site.source_for(notebooks / "99_test.ipynb", executed) == notebooks / "99_test.ipynb"
    assert site.source_for(notebooks / "99_test.ipynb", None) == notebooks / "99_test.ipynb"


@pytest.mark.slow
def test_site_builds_a_page_per_lesson_with_a_colab_button(tmp_path):
    try:
        import jupyter_book  # noqa: F401
    except ImportError:
        pytest.fail("jupyter-book is missing: `make test` installs the `site` extra")
    out = tmp_path / "site"
    # Maths offline is tests/browser/test_site_offline.py's job; here, without a local
    # MathJax, the pages are built with the CDN one.
    cdn = [] if site.find_mathjax() else ["--allow-cdn"]
    proc = subprocess.run(
        [sys.executable, "-m", "tools.book", "build", "--out", str(out), "--no-executed", *cdn],
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
        assert heading.split(" · ")[0] == path.name.split("_")[0], heading  # "06" or "06b"
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


def test_figure_summaries_become_alt_text_and_widgets_are_left_out(tmp_path):
    from nbformat.v4 import new_output

    image = new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})
    said = new_output("stream", name="stdout", text="x = 1\nFigure: Loss falls from 2 to 1.\n")
    assert site.figure_alt([image, said]) == "Loss falls from 2 to 1."
    assert site.figure_alt([said]) is None  # no image, nothing to describe
    assert site.figure_alt([image]) is None
    bar = new_output("display_data", data={site.WIDGET_VIEW: {"model_id": "1"}, "text/plain": "x"})
    assert not site._shown(bar) and site._shown(image) and site._shown(said)

    notebooks, executed = tmp_path / "notebooks", tmp_path / "executed"
    notebooks.mkdir()
    executed.mkdir()
    _notebook(notebooks / "99_test.ipynb", "plot()")
    _notebook(executed / "99_test.ipynb", "plot()", [bar, image, said])
    site._page(notebooks / "99_test.ipynb", executed / "99_test.ipynb", tmp_path / "page.ipynb")
    cell = nbformat.read(tmp_path / "page.ipynb", as_version=4).cells[2]
    assert cell.metadata["mystnb"]["image"]["alt"] == "Loss falls from 2 to 1."
    assert [o["output_type"] for o in cell.outputs] == ["display_data", "stream"]


def test_local_mathjax_is_found_copied_and_configured(tmp_path):
    fake = tmp_path / "mathjax"
    for part in site.MATHJAX_PARTS:
        target = fake / part
        if "." in Path(part).name:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("// stand-in")
        else:
            target.mkdir(parents=True, exist_ok=True)
            (target / "x.js").write_text("// stand-in")
    assert site.find_mathjax([tmp_path / "nothing", fake]) == fake
    assert site.find_mathjax([tmp_path / "nothing"]) is None
    used = site.stage(tmp_path / "src", notebooks=ROOT / "notebooks", executed=None, mathjax=fake)
    assert used and (tmp_path / "src" / site.STATIC_SOURCE / "mathjax" / "MathJax.js").is_file()
    sphinx = site.config(mathjax=True)["sphinx"]["config"]
    assert sphinx["mathjax_path"] == f"mathjax/MathJax.js?config={site.MATHJAX_COMBINED}"
    assert "://" not in sphinx["mathjax_path"]
    assert sphinx["mathjax2_config"]["jax"] == ["input/TeX", "output/HTML-CSS"]
    assert "mathjax_path" not in site.config()["sphinx"]["config"]


def test_build_refuses_to_fall_back_to_a_cdn_silently(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "find_mathjax", lambda candidates=None: None)
    with pytest.raises(RuntimeError, match="jupyter-server-mathjax"):
        site.build(tmp_path / "site", executed=None)


def test_book_uses_only_jupyter_books_public_command():
    source = (ROOT / "tools" / "book.py").read_text()
    assert "jupyter_book.sphinx" not in source and "build_sphinx" not in source
