"""Lessons in a real browser: a lesson opens with no dialog and no prompt over it (the
settings `make lab` ships in tools/lab_settings/), lesson 03 runs every cell without an
error and its spectral-radius slider redraws the gradient plot, and a long cell shows a
progress bar and a loss curve that grows in one figure while it runs.

Playwright drives Debian's Chromium (``/usr/bin/chromium``; ``.ci/run`` installs it
with apt). Playwright's own browser download is not used. The server serves a
temporary copy of the lesson, so nothing JupyterLab saves can reach the committed
notebook, whose outputs stay cleared. Screenshots go to ``build/screenshots/``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "03_vanishing_exploding_gradients.ipynb"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RUN_TIMEOUT_S = 600  # lesson 03 takes about a minute in fast mode; CI shares 2 cores
SLIDER_PRESSES = 3  # ArrowRight presses on the rho slider (step 0.05): 1.00 -> 1.15

# JupyterLab user settings for the test server: no autosave (the notebook is a temporary
# copy anyway). The news prompt and the kernel dialog are left to the overrides that
# `make lab` installs (tools/lab_settings/overrides.json): those are what is tested.
LAB_SETTINGS = {"@jupyterlab/docmanager-extension/plugin": {"autosave": False}}
OVERRIDES = ROOT / "tools" / "lab_settings" / "overrides.json"
# Anything that would cover a lesson when it opens: a modal dialog (such as "Select
# Kernel") or a notification toast (such as the Jupyter news question).
COVERING = ".jp-Dialog, .jp-toast-message, .Toastify__toast"
# A long cell of a temporary notebook: a bar over seeds, then a tiny character model
# trained for a time budget through the course's train_for (bar + live loss curve).
PROGRESS_NOTEBOOK = "progress_check.ipynb"
PROGRESS_CELLS = [
    "import time\nfrom course_utils.core.progress import progress\n"
    "for seed in progress(range(12), desc='seeds', unit='seed'):\n    time.sleep(1.0)",
    "import keras, numpy as np\n"
    "from course_utils.textgen import char_dataset, char_model, compile_char_model, train_for\n"
    "ids = np.random.default_rng(0).integers(0, 20, 20_000).astype('int32')\n"
    "model = char_model(20, embedding_dim=8, hidden_size=16)\n"
    "compile_char_model(model, learning_rate=0.01, clipnorm=1.0)\n"
    "data = char_dataset(ids, 32, 16, seed=0)\n"
    "log = train_for(model, data, minutes=0.4, report_every=5)",
]

# Everything the test reads from the page in one call. textContent (not innerText)
# works for cells outside the viewport too, whatever JupyterLab's windowing mode.
# JupyterLab 4 renders an error output with the stderr renderer, so the page cannot
# tell a traceback from a warning; the error outputs are read from the notebook's
# model instead (window.jupyterapp, which --LabApp.expose_app_in_browser provides).
STATE_JS = """(path) => {
  const nb = document.querySelector('.jp-NotebookPanel .jp-Notebook');
  const app = window.jupyterapp;
  if (!nb || !app) return null;
  const indicator = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
  const texts = (selector) => [...nb.querySelectorAll(selector)].map((e) => e.textContent);
  const errors = [];
  for (const panel of app.shell.widgets('main')) {
    if (!panel.context || panel.context.path !== path || !panel.content.model) continue;
    const cells = panel.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
      const outputs = cells.get(i).type === 'code' ? cells.get(i).outputs : null;
      for (let j = 0; outputs && j < outputs.length; j++) {
        const out = outputs.get(j).toJSON();
        if (out.output_type === 'error') errors.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
      }
    }
  }
  return {
    prompts: texts('.jp-CodeCell .jp-InputArea-prompt').map((t) => t.trim()),
    status: indicator ? indicator.getAttribute('data-status') : null,
    errors,
    stderr: texts('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'),
    outputs: texts('.jp-OutputArea-output').join('\\n'),
    body: document.body.textContent,
  };
}"""
BAD_TEXT = (
    "Traceback (most recent call last)",
    "Error displaying widget",
    "Error rendering",
    "Javascript Error",
)


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip(
        "Chromium is not installed (looked for /usr/bin/chromium and `chromium` on PATH); "
        "install it with `apt-get install chromium` (.ci/run does)"
    )


def _jupyter() -> list[str]:
    venv_jupyter = ROOT / ".venv" / "bin" / "jupyter"
    if venv_jupyter.exists():
        return [str(venv_jupyter)]
    pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (the `lab` extra)")
    return [sys.executable, "-m", "jupyter"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_state(path: Path) -> list:
    """Execution counts and outputs of a notebook's code cells (prose edits do not count)."""
    cells = json.loads(path.read_text())["cells"]
    return [(c.get("execution_count"), c.get("outputs")) for c in cells if c["cell_type"] == "code"]


def _die_with_parent() -> None:
    # Linux: should pytest itself be killed, the server still gets its SIGTERM.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _stop(proc: subprocess.Popen) -> None:
    # SIGTERM lets the server shut its kernels down (they run in their own sessions).
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def lab_server(tmp_path):
    """A JupyterLab server on 127.0.0.1 without a token, serving a temporary copy of
    lesson 03 from the project's environment, in fast mode; yields its base URL."""
    import nbformat

    served = tmp_path / "notebooks"
    served.mkdir()
    shutil.copy2(ROOT / "notebooks" / NOTEBOOK, served / NOTEBOOK)
    check = nbformat.v4.new_notebook(metadata={"kernelspec": KERNELSPEC})
    check.cells = [nbformat.v4.new_code_cell(code) for code in PROGRESS_CELLS]
    nbformat.write(check, served / PROGRESS_NOTEBOOK)
    home = tmp_path / "jupyter"
    # The overrides exactly as `make lab` installs them, into this server's own folder.
    sys.path.insert(0, str(ROOT))
    from tools.course import install_lab_settings

    app_settings = install_lab_settings(home / "venv", OVERRIDES).parent
    for plugin, values in LAB_SETTINGS.items():
        file = home / "lab-settings" / f"{plugin}.jupyterlab-settings"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(values))
    # Own runtime, config, data and settings folders: the user's Jupyter setup (kernel
    # specs, server config, saved workspaces) cannot change what this test sees.
    # COURSE_DATA_DIR and COURSE_CACHE_DIR (tests/conftest.py) pass through from os.environ.
    env = dict(
        os.environ,
        COURSE_FAST="1",
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        # The kernels import this checkout's course_utils, as a learner's clone does.
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    # A learner's JupyterLab is no CI run: progress bars show (course_utils.core.progress).
    for name in ("CI", "COURSE_PROGRESS"):
        env.pop(name, None)
    port = _free_port()
    command = [
        *_jupyter(),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.app_settings_dir={app_settings}",
        f"--ServerApp.root_dir={served}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "jupyter-lab.log"
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            command,
            cwd=served,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"jupyter lab exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"no /api/status:\n{log.read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        yield {"url": base, "log": log}
    finally:
        _stop(proc)


@pytest.fixture
def lab_page():
    """A headless Chromium page, and the list its console errors are collected in."""
    chromium = _chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (the `test` extra)"
    )
    console_errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
            page.on("pageerror", lambda e: console_errors.append(f"pageerror: {e}"))
            yield page, console_errors
        finally:
            browser.close()


KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def _assert_nothing_covers(page) -> None:
    """No dialog (such as "Select Kernel") and no toast (such as the news prompt) shows."""
    page.wait_for_timeout(3000)  # the news question arrives a moment after start-up
    shown = [el.inner_text()[:200] for el in page.locator(COVERING).all() if el.is_visible()]
    assert not shown, f"something covers the lesson when it opens: {shown}"


def _state(page) -> dict:
    state = page.evaluate(STATE_JS, NOTEBOOK)
    assert state is not None, "no notebook panel, or JupyterLab did not expose window.jupyterapp"
    return state


def _wait_for_run_all(page, n_code_cells: int, timeout_s: float) -> dict:
    """Poll until the kernel is idle and no cell is queued, and either every code cell
    has an execution count or a cell failed (Run All stops there)."""
    deadline, settled = time.monotonic() + timeout_s, 0
    while time.monotonic() < deadline:
        state = _state(page)
        numbered = sum(bool(re.fullmatch(r"\[\d+\]:", p)) for p in state["prompts"])
        queued = any("*" in p for p in state["prompts"])
        assert state["status"] not in ("dead", "autorestarting"), f"the kernel {state['status']}"
        finished = numbered == n_code_cells or state["errors"]
        settled = settled + 1 if state["status"] == "idle" and not queued and finished else 0
        if settled >= 2:
            return state
        time.sleep(1.0)
    raise AssertionError(
        f"Run All did not finish in {timeout_s:.0f} s: kernel {state['status']}, "
        f"{numbered} of {n_code_cells} code cells numbered, prompts {state['prompts']}"
    )


@pytest.mark.slow
def test_lesson03_runs_in_jupyterlab_and_slider_redraws(lab_page, lab_server):
    # lab_page first: without Chromium or playwright the test skips before a server starts.
    from playwright.sync_api import expect

    page, console_errors = lab_page

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "lab_lesson03_failure.png").unlink(missing_ok=True)  # from an earlier run
    committed = ROOT / "notebooks" / NOTEBOOK
    committed_state = _run_state(committed)
    n_code_cells = len(committed_state)
    try:
        page.goto(f"{lab_server['url']}/lab/tree/{NOTEBOOK}", timeout=120_000)
        notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
        expect(notebook.locator(".jp-CodeCell")).to_have_count(n_code_cells, timeout=120_000)
        indicator = page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator")
        expect(indicator).to_have_attribute("data-status", "idle", timeout=180_000)
        _assert_nothing_covers(page)

        # Run > Run All Cells, from the menu bar, with the notebook active.
        notebook.locator(".jp-Cell .jp-InputArea-prompt").first.click()
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        state = _wait_for_run_all(page, n_code_cells, RUN_TIMEOUT_S)
        page.screenshot(path=SCREENSHOTS / "lab_lesson03_after_run.png")

        assert not state["errors"], "\n".join(
            ["a cell raised:", *state["errors"], *(t[-3000:] for t in state["stderr"])]
        )
        for text in BAD_TEXT:
            assert text not in state["outputs"], f"{text!r} in the outputs:\n" + "\n---\n".join(
                s[-3000:] for s in state["stderr"]
            )
            if text != "Traceback (most recent call last)":  # the page itself, not code
                assert text not in state["body"], f"{text!r} on the page"
        assert all(re.fullmatch(r"\[\d+\]:", p) for p in state["prompts"]), state["prompts"]

        # The spectral-radius explorer: a slider labelled with rho and a plot below it.
        label = page.locator(".widget-label", has_text="spectral radius")
        slider = page.locator(".widget-slider", has=label)
        expect(slider).to_have_count(1)
        cell = notebook.locator(".jp-CodeCell", has=slider)
        widget = cell.locator(".jp-OutputArea-output", has=slider)
        image = cell.locator(".widget-output img")
        summary = cell.locator(".widget-html")
        readout = slider.locator(".widget-readout")
        widget.scroll_into_view_if_needed()
        expect(image).to_have_count(1)
        expect(readout).to_have_text("1.00")
        expect(summary).to_contain_text("ρ = 1.00")
        assert image.evaluate("img => img.naturalWidth") > 0, "the plot image is empty"
        before = image.get_attribute("src")
        widget.screenshot(path=SCREENSHOTS / "lab_widget_before.png")

        handle = slider.locator(".noUi-handle")
        handle.focus()
        for _ in range(SLIDER_PRESSES):
            handle.press("ArrowRight")
        rho = f"{1.0 + 0.05 * SLIDER_PRESSES:.2f}"
        expect(readout).to_have_text(rho)
        # The kernel redraws on each change; the summary line is written with the plot.
        expect(summary).to_contain_text(f"ρ = {rho}", timeout=120_000)
        expect(indicator).to_have_attribute("data-status", "idle", timeout=120_000)
        expect(image).to_have_count(1)
        after = image.get_attribute("src")
        assert after.startswith("data:image/png"), after[:80]
        assert after != before, "moving the spectral-radius slider did not change the plot"
        widget.screenshot(path=SCREENSHOTS / "lab_widget_after.png")

        state = _state(page)
        assert not state["errors"], state["errors"]
        assert not any(text in state["body"] for text in BAD_TEXT[1:]), "widget error on page"
    except BaseException:
        with contextlib.suppress(Exception):
            page.screenshot(path=SCREENSHOTS / "lab_lesson03_failure.png")
        print("browser console errors:", *console_errors[-20:], sep="\n  ")
        print("jupyter lab log (tail):\n", lab_server["log"].read_text()[-4000:])
        raise
    assert _run_state(committed) == committed_state, "outputs were saved into notebooks/"


@pytest.mark.slow
def test_long_cell_shows_a_progress_bar_and_a_growing_loss_curve(lab_page, lab_server):
    from playwright.sync_api import expect

    page, console_errors = lab_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(f"{lab_server['url']}/lab/tree/{PROGRESS_NOTEBOOK}", timeout=120_000)
        notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
        cells = notebook.locator(".jp-CodeCell")
        expect(cells).to_have_count(len(PROGRESS_CELLS), timeout=120_000)
        indicator = page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator")
        expect(indicator).to_have_attribute("data-status", "idle", timeout=180_000)
        _assert_nothing_covers(page)

        notebook.locator(".jp-Cell .jp-InputArea-prompt").first.click()
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()

        # Cell 1 sleeps 12 s over 12 seeds: its bar must show while it runs.
        seeds_bar = cells.nth(0).locator(".widget-hprogress, .widget-progress")
        expect(seeds_bar.first).to_be_visible(timeout=120_000)
        assert cells.nth(0).locator(".jp-InputArea-prompt").inner_text().strip() == "[*]:"
        expect(cells.nth(0)).to_contain_text(re.compile(r"\b([3-9]|1[0-1])/12\b"), timeout=30_000)
        page.screenshot(path=SCREENSHOTS / "lab_progress_bar_mid_run.png")

        # Cell 2 trains for 0.4 min: a bar over the budget, and one figure redrawn in place.
        train = cells.nth(1)
        expect(train.locator(".widget-hprogress, .widget-progress").first).to_be_visible(
            timeout=180_000
        )
        image = train.locator(".jp-OutputArea-output img")
        expect(image).to_have_count(1, timeout=120_000)
        first = image.get_attribute("src")
        deadline = time.monotonic() + 60
        while image.get_attribute("src") == first and time.monotonic() < deadline:
            time.sleep(1.0)
        assert image.count() == 1, "the live loss curve drew a new figure instead of redrawing"
        assert image.get_attribute("src") != first, "the live loss curve did not grow"
        train.screenshot(path=SCREENSHOTS / "lab_live_loss_mid_run.png")
        expect(indicator).to_have_attribute("data-status", "idle", timeout=300_000)
        expect(image).to_have_count(1)
        assert re.fullmatch(r"\[\d+\]:", train.locator(".jp-InputArea-prompt").inner_text().strip())
        state = page.evaluate(STATE_JS, PROGRESS_NOTEBOOK)
        assert state is not None and not state["errors"], state and state["errors"]
    except BaseException:
        with contextlib.suppress(Exception):
            page.screenshot(path=SCREENSHOTS / "lab_progress_failure.png")
        print("browser console errors:", *console_errors[-20:], sep="\n  ")
        print("jupyter lab log (tail):\n", lab_server["log"].read_text()[-4000:])
        raise
