"""tools/slides.py without a browser: markdown and maths, the slides a lesson gives, a deck.

(tests/browser/test_slides_offline.py reads a deck in Chromium, offline.)"""

import nbformat

from tools import slides
from tools.book import FIGURE_PREFIX


def test_markdown_keeps_maths_for_mathjax_and_dollars_elsewhere():
    text = "Run `echo $HOME`; prices $5 and $10; escaped \\$x\\$; maths $h_t$ and $$x^2$$."
    out = slides._markdown(text)
    assert "<code>echo $HOME</code>" in out and "prices $5 and $10" in out
    assert "escaped $x$" in out
    assert '<span class="math">\\(h_t\\)</span>' in out
    assert '<span class="math">\\[x^2\\]</span>' in out


def _lesson(executed: bool):
    nb = nbformat.v4.new_notebook()
    figure = nbformat.v4.new_code_cell("plot()")
    summary = nbformat.v4.new_code_cell("show_summary(verdicts)")
    if executed:
        png = {"image/png": "iVBOR", "text/plain": "<Figure>"}
        said = f"{FIGURE_PREFIX}Loss & accuracy fall.\n"
        figure.outputs = [
            nbformat.v4.new_output("display_data", data=png),
            nbformat.v4.new_output("display_data", data=png),
            nbformat.v4.new_output("stream", name="stdout", text=said),
        ]
        summary.outputs = [
            nbformat.v4.new_output("display_data", data={"text/markdown": "- **holds**: x"})
        ]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · Test\n\n**In this lesson you will**\n- see $x$"),
        nbformat.v4.new_markdown_cell("## Setup"),
        nbformat.v4.new_markdown_cell("## 1. A figure"),
        figure,
        nbformat.v4.new_markdown_cell("## Summary\n\nWhat was measured:"),
        summary,
        nbformat.v4.new_code_cell("ex.progress()"),
    ]
    return nb


def test_an_executed_lesson_gives_title_figure_and_summary_slides():
    title, figure, summary = slides.slides_of(_lesson(executed=True))
    assert "<h1>99 · Test</h1>" in title and "\\(x\\)" in title
    assert "<h2>1. A figure</h2>" in figure and figure.count("<img") == 1  # the first figure
    assert 'alt="Loss &amp; accuracy fall."' in figure  # escaped once, not twice
    assert "<strong>holds</strong>" in summary and "progress" not in summary


def test_a_lesson_not_run_says_so_and_has_no_figure_slide():
    shown = slides.slides_of(_lesson(executed=False))
    assert len(shown) == 2 and slides.NOT_RUN in shown[1]


def test_a_deck_loads_nothing_from_the_network():
    deck = slides.deck("99 · Test", slides.slides_of(_lesson(True)), "mathjax/MathJax.js")
    head = deck.split("<body>")[0]
    assert "http" not in deck.replace("data:image", "") and "mathjax/MathJax.js?config=" in head
    assert deck.count("<section>") == 3
