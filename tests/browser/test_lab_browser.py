"""Lesson 03 in a real browser: JupyterLab runs every cell without an error, and the
spectral-radius slider redraws the gradient plot.

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

# JupyterLab user settings for the test server: no news or update toasts over the
# notebook, and no autosave (the notebook is a temporary copy anyway).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}

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
    served = tmp_path / "notebooks"
    served.mkdir()
    shutil.copy2(ROOT / "notebooks" / NOTEBOOK, served / NOTEBOOK)
    home = tmp_path / "jupyter"
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
    )
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
            # Should JupyterLab ask for a kernel, take the one it proposes (the notebook's).
            page.add_locator_handler(
                page.locator(".jp-Dialog", has_text="Select Kernel"),
                lambda dialog: dialog.locator(".jp-mod-accept").click(),
            )
            yield page, console_errors
        finally:
            browser.close()


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
