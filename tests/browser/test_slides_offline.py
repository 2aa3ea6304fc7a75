"""A lesson's slide deck (``make slides``, tools/slides.py) read in Chromium offline: the
title slide first, a figure slide whose image loads with its summary as alt text, maths
typeset by the local MathJax, and keyboard navigation. One lesson gets an "executed copy"
with a real figure in its first section, standing in for ``make course``. Screenshots go to
``build/screenshots/``.
"""

from __future__ import annotations

import nbformat
import pytest
from test_site_offline import (  # tests/browser is on sys.path (pytest prepend mode)
    CHROMIUM_ARGS,
    MATHJAX_DONE_JS,
    SCREENSHOTS,
    SENTENCE,
    _chromium,
    _figure_png,
)

from tools import book, slides
from tools.lessons import lessons

LESSON = next(p for p in lessons(slides.ROOT / "notebooks") if p.name.startswith("09_"))


def _executed(tmp_path):
    """The lesson with a figure and its sentence in the first code cell of a section."""
    nb = nbformat.read(LESSON, as_version=4)
    start = next(i for i, c in enumerate(nb.cells) if slides.SECTION.search(c.source))
    cell = next(c for c in nb.cells[start:] if c.cell_type == "code")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"image/png": _figure_png(), "text/plain": "f"}
        ),
        nbformat.v4.new_output("stream", name="stdout", text=f"{book.FIGURE_PREFIX}{SENTENCE}\n"),
    ]
    executed = tmp_path / "executed"
    executed.mkdir()
    nbformat.write(nb, executed / LESSON.name)
    return executed, slides.SECTION.search(nb.cells[start].source)["title"]


@pytest.mark.slow
def test_a_deck_reads_offline_with_its_figure_and_maths(tmp_path):
    chromium = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if book.find_mathjax() is None:
        pytest.skip("no local MathJax 2 (the site extra's jupyter-server-mathjax)")
    executed, heading = _executed(tmp_path)
    decks = slides.build(tmp_path / "slides", executed)
    deck = next(d for d in decks if d.stem == LESSON.stem)
    assert len(decks) == len(lessons(slides.ROOT / "notebooks"))
    assert "http" not in deck.read_text().split("<body>")[0]  # nothing fetched at view time
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    requests = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(("file:", "about:", "data:"))
                    else (requests.append(route.request.url), route.abort())
                ),
            )
            page = context.new_page()
            page.goto(deck.as_uri())
            page.wait_for_function(MATHJAX_DONE_JS, timeout=60_000)
            first = page.locator("section.on")
            assert book.title(LESSON).split(" · ")[1] in first.locator("h1").inner_text()
            assert first.locator(".MathJax").count() > 0, "the title slide's maths was not typeset"
            page.screenshot(path=SCREENSHOTS / "slides_title.png")
            page.keyboard.press("ArrowRight")
            figure = page.locator("section.on")
            assert heading in figure.locator("h2").inner_text()
            image = figure.locator("img")
            assert image.get_attribute("alt") == SENTENCE
            assert page.evaluate("(i) => i.complete && i.naturalWidth > 0", image.element_handle())
            page.screenshot(path=SCREENSHOTS / "slides_figure.png")
            page.keyboard.press("ArrowLeft")
            assert page.locator("section.on h1").count() == 1
        finally:
            browser.close()
    assert not requests, f"the deck asked the network for: {requests}"
