"""The course website read in Chromium with the network off: the maths is rendered, every
image loads (figures carry their summary sentence as alt text), every lesson page is
reachable from the index and has its Colab launch button, and a quiz answered wrong, then
right, says what the notebook's check says.

The site is built from the committed lessons; one lesson gets an "executed copy" made
here with a real matplotlib figure, its printed ``Figure: ...`` summary and a progress
widget, standing in for ``make course``'s ``build/executed/`` (running the course here
would take an hour). With ``COURSE_SITE_EXECUTED=build/executed`` (after ``make course``)
every other lesson is shown with its real outputs. Screenshots go to ``build/screenshots/``.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urldefrag

import nbformat
import pytest

from tools import book
from tools.lessons import lessons

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
LESSONS = lessons(ROOT / "notebooks")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SENTENCE = "Loss per epoch: training falls from 1 to 0.25."

# What a page reports: MathJax's state, the maths it typeset and any it left raw, and
# every image with its load state and alt text.
PAGE_JS = """() => {
  // Sphinx's maths elements (HTML-CSS output adds spans of class "math" inside its own)
  const maths = [...document.querySelectorAll('.math')].filter((m) => !m.closest('.MathJax'));
  const rendered = maths.filter((m) => m.querySelector('.MathJax, .MathJax_Display, .mjx-chtml, mjx-container'));
  return {
    mathjax: typeof window.MathJax !== 'undefined' && !!window.MathJax.Hub,
    maths: maths.length,
    rendered: rendered.length,
    raw: maths.filter((m) => !rendered.includes(m)).map((m) => m.textContent.slice(0, 80)),
    images: [...document.images].map((i) => ({
      src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0, alt: i.alt,
    })),
    links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
  };
}"""
# MathJax 2 is done when its queue has run the initial typeset.
MATHJAX_DONE_JS = """() => !window.MathJax || !window.MathJax.Hub ||
  (window.MathJax.Hub.queue && window.MathJax.Hub.queue.pending === 0 &&
   window.MathJax.Hub.queue.running === 0 && !!document.querySelector('.MathJax, .mjx-chtml'))"""


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip(
        "Chromium is not installed (looked for /usr/bin/chromium and `chromium` on PATH); "
        "install it with `apt-get install chromium` (.ci/run does)"
    )


def _figure_png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 2, 3], [1.0, 0.5, 0.25], marker="o")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _executed_copy(lesson: Path, executed: Path) -> None:
    """``lesson`` with outputs in its last code cell: a progress widget, a figure, its sentence."""
    nb = nbformat.read(lesson, as_version=4)
    cell = [c for c in nb.cells if c.cell_type == "code"][-1]
    widget = {"model_id": "0", "version_major": 2, "version_minor": 0}
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": widget, "text/plain": "bar"},
        ),
        nbformat.v4.new_output(
            "display_data", data={"image/png": _figure_png(), "text/plain": "<Figure>"}
        ),
        nbformat.v4.new_output("stream", name="stdout", text=f"{book.FIGURE_PREFIX}{SENTENCE}\n"),
    ]
    nbformat.write(nb, executed / lesson.name)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    chromium = _chromium()
    pytest.importorskip("jupyter_book", reason="jupyter-book is not installed (the `site` extra)")
    if book.find_mathjax() is None:
        pytest.skip(
            "no local MathJax 2 to build the offline site with: install the site extra "
            "(jupyter-server-mathjax) or set COURSE_MATHJAX (docs/site.md)"
        )
    tmp = tmp_path_factory.mktemp("site")
    executed = tmp / "executed"
    executed.mkdir()
    real = os.environ.get("COURSE_SITE_EXECUTED")  # e.g. build/executed after `make course`
    if real:  # every lesson's real outputs and the run's timings, but for the stand-in
        for path in Path(real).glob("*.ipynb"):
            shutil.copyfile(path, executed / path.name)
        if (Path(real).parent / "timings.json").is_file():
            shutil.copyfile(Path(real).parent / "timings.json", tmp / "timings.json")
    _executed_copy(LESSONS[1], executed)
    index = book.build(tmp / "site", executed=executed)
    return {"index": index, "chromium": chromium, "figure_page": LESSONS[1].stem}


@pytest.mark.slow
def test_site_reads_offline_with_maths_images_and_every_lesson(site):
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (the `test` extra)"
    )
    out = site["index"].parent
    cdn = [p.name for p in out.rglob("*.html") if "cdn.jsdelivr.net/npm/mathjax" in p.read_text()]
    assert not cdn, f"pages that load MathJax from a CDN: {cdn}"
    requests: list[str] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=site["chromium"], headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})

            def refuse_network(route):  # about:blank is MathJax's font probe, not the network
                if route.request.url.startswith(("file:", "about:", "data:")):
                    route.continue_()
                else:
                    requests.append(route.request.url)
                    route.abort()

            context.route("**/*", refuse_network)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(site["index"].as_uri())
            links = {urldefrag(h)[0] for h in page.evaluate(PAGE_JS)["links"]}
            missing = [p.stem for p in LESSONS if f"{p.stem}.html" not in links]
            assert not missing, f"lessons not linked from the index: {missing}"

            maths_pages, report = [], {}
            for lesson in LESSONS:
                page.goto((out / f"{lesson.stem}.html").as_uri())
                heading = page.locator("h1").first.inner_text()
                hrefs = page.evaluate(PAGE_JS)["links"]
                assert any(book.COLAB_URL in h and lesson.name in h for h in hrefs), lesson.stem
                assert any(book.BINDER_URL in h for h in hrefs), f"{lesson.stem}: no Binder button"
                assert book.title(lesson).split(" · ")[1] in heading, (lesson.stem, heading)
                page.wait_for_function(MATHJAX_DONE_JS, timeout=60_000)
                state = page.evaluate(PAGE_JS)
                report[lesson.stem] = state
                broken = [i["src"] for i in state["images"] if not i["ok"]]
                assert not broken, f"{lesson.stem}: images that did not load: {broken}"
                assert not state["raw"], f"{lesson.stem}: maths left raw: {state['raw'][:3]}"
                if state["maths"]:
                    assert state["mathjax"], f"{lesson.stem}: maths but no MathJax loaded"
                    maths_pages.append(lesson.stem)
            assert maths_pages, "no lesson page has any maths: the check would prove nothing"

            figure = report[site["figure_page"]]
            alts = [i["alt"] for i in figure["images"] if i["src"] and ".png" in i["src"]]
            assert SENTENCE in alts, f"the figure's alt text: {alts}"
            page.goto((out / f"{site['figure_page']}.html").as_uri())
            assert "application/vnd.jupyter.widget-view" not in page.content()

            page.goto((out / f"{maths_pages[0]}.html").as_uri())
            page.wait_for_function(MATHJAX_DONE_JS, timeout=60_000)
            page.locator(".math .MathJax").first.scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOTS / "site_maths_offline.png")
        finally:
            browser.close()
    (SCREENSHOTS / "site_offline_report.json").write_text(
        json.dumps({"refused_requests": requests, "maths_pages": maths_pages}, indent=2)
    )
    assert not requests, f"the site asked the network for: {requests[:10]}"


QUIZ_FEEDBACK_JS = """(name) => {
  const box = [...document.querySelectorAll('.course-quiz')]
    .find((b) => JSON.parse(b.getAttribute('data-quiz')).name === name);
  const said = box.querySelector('.quiz-feedback');
  return {text: said.textContent, passed: said.classList.contains('quiz-correct')};
}"""


@pytest.mark.slow
def test_quizzes_and_launch_buttons_on_the_offline_site(site):
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (the `test` extra)"
    )
    from course_utils.exercises import exercises_in
    from tools import quizzes

    lesson = LESSONS[0]
    module = quizzes.exercise_module(nbformat.read(lesson, as_version=4))
    bank = {e.name: e for e in exercises_in(module) if quizzes.is_quiz(e)}
    choice = next(e for e in bank.values() if e.kind == "choice")
    number = next(e for e in bank.values() if e.kind == "value")
    page_path = site["index"].parent / f"{lesson.stem}.html"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=site["chromium"], headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(page_path.as_uri())
            links = page.evaluate(PAGE_JS)["links"]
            assert any(book.COLAB_URL in h and lesson.name in h for h in links), links[:20]
            shown = page.locator(".course-quiz").count()
            assert shown == len(bank), f"{shown} quizzes on the page, {len(bank)} in the bank"

            wrong = next(iter(choice.explanations))
            box = page.locator(
                ".course-quiz", has=page.locator(f"input[name='quiz-{choice.name}']")
            )
            box.locator(f"input[value='{wrong}']").check()
            box.locator(".quiz-check").click()
            said = page.evaluate(QUIZ_FEEDBACK_JS, choice.name)
            shown = lambda message: message.replace("`", "")  # noqa: E731 (code spans as <code>)
            assert not said["passed"] and said["text"] == shown(choice.evaluate(wrong).message)
            box.scroll_into_view_if_needed()
            page.screenshot(path=SCREENSHOTS / "site_quiz_wrong.png")
            box.locator(f"input[value='{choice.answer}']").check()
            box.locator(".quiz-check").click()
            said = page.evaluate(QUIZ_FEEDBACK_JS, choice.name)
            assert said["passed"] and said["text"] == shown(choice.evaluate(choice.answer).message)
            page.screenshot(path=SCREENSHOTS / "site_quiz_right.png")
            box.locator(".quiz-hint").click()
            assert box.locator(".quiz-hints li").first.inner_text() == shown(choice.hints[0])

            answer = float(number.reference_answer())
            tries = [answer, 100 * answer, answer * 1.02, -answer, answer * 3]
            rules = [m for m in number.mistakes if m.predicate is not None]
            tries = [v for v in tries if not any(m.matches_by_predicate(v) for m in rules)]
            tries += [m.answer for m in number.mistakes]  # a rule's example stands for it
            box = (
                page.locator(".course-quiz")
                .filter(has=page.locator(".quiz-number"))
                .filter(has_text=number.name)
            )
            for value in tries:
                box.locator(".quiz-number").fill(repr(float(value)))
                box.locator(".quiz-check").click()
                said = page.evaluate(QUIZ_FEEDBACK_JS, number.name)
                expected = number.evaluate(float(value))
                assert said["text"] == shown(expected.message), (value, said, expected.message)
                assert said["passed"] == (expected.status == "correct"), value
        finally:
            browser.close()
