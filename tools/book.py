"""``make site``: the whole course as a website in ``build/site/``, built and read offline.

``python -m tools.book build`` stages the lessons in ``build/site-src/``
with a generated ``_config.yml`` and ``_toc.yml`` (every ``notebooks/NN_*.ipynb``,
so a new lesson appears without editing anything) and builds HTML with Jupyter
Book 1's public command, ``jupyter-book build`` (the ``site`` extra; why Jupyter
Book 1 and not 2: ``docs/site.md``). Nothing is executed: a lesson that ``make course``
has run and whose code is unchanged is shown from ``build/executed/`` with its
outputs; otherwise the committed notebook (no outputs) is shown. Each lesson page
has an "Open in Colab" launch button for the repository in
:data:`tools.first_cell.REPO_URL`.

Offline: MathJax is served from a local copy inside the site (:func:`find_mathjax`: the
``jupyter-server-mathjax`` package, installable on every OS with pip), never from a CDN; a figure's summary sentence (printed as ``Figure: ...`` by
:func:`course_utils.plotting.show`) becomes its image's alt text; progress-bar
widgets, which need a live kernel, are left out of the pages.

It is longer than the course's 300-line guide because the site is built in stages that
share the staging folder's layout: find and copy MathJax, stage each page with its
filtered outputs and alt text, write the configuration, run ``jupyter-book build``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools.first_cell import REF, REPO_URL, colab_link
from tools.lessons import lessons
from tools.quizzes import QUIZ_SCRIPT, add_quizzes

__all__ = [
    "COLAB_URL",
    "build",
    "colab_link",
    "config",
    "copy_mathjax",
    "find_mathjax",
    "figure_alt",
    "provenance",
    "source_for",
    "stage",
    "title",
    "toc",
]

ROOT = Path(__file__).resolve().parent.parent
COLAB_URL = "https://colab.research.google.com"
BINDER_URL = "https://mybinder.org"
#: notebooks/ pages shown after the lessons, when present, with their titles.
EXTRA_PAGES = {"GLOSSARY.md": "Glossary", "INSTRUCTORS.md": "Instructor guide"}
FIGURE_PREFIX = "Figure: "  # course_utils.plotting.common.FIGURE_PREFIX (tools import no lessons)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The Python package whose ``static/`` folder is a MathJax 2.7 that works offline
#: (``jupyter-server-mathjax``, in the ``site`` extra; pure Python, every OS, no apt).
MATHJAX_PACKAGE = "jupyter_server_mathjax"
#: Its combined configuration: TeX input and HTML-CSS output in one file (the package
#: ships HTML-CSS's code only inside it), with STIX-Web fonts.
MATHJAX_COMBINED = "TeX-AMS-MML_HTMLorMML-full"
#: The parts of it the site needs (about 2 MB; the accessibility extensions are left out).
MATHJAX_PARTS = (
    "MathJax.js",
    f"config/{MATHJAX_COMBINED}.js",
    "extensions/TeX",
    "extensions/tex2jax.js",
    "extensions/MathMenu.js",
    "extensions/MathZoom.js",
    "extensions/fast-preview.js",
    "extensions/AssistiveMML.js",
    "jax/element",
    "jax/input/TeX",
    "jax/output/HTML-CSS",
    "fonts/HTML-CSS/STIX-Web/woff",
)
MATHJAX_STATIC = "mathjax"  # inside the site's _static/
#: The staging folder that holds it. Not ``_static``: Jupyter Book 1 adds a script tag
#: for every ``.js`` file under a ``_static`` folder of the book, which would load all
#: of MathJax's parts on every page. Sphinx copies this folder's contents to ``_static/``.
STATIC_SOURCE = "_course_static"
#: MathJax 2's configuration: TeX input, HTML-CSS output (STIX-Web fonts), only the elements that
#: MyST marks as maths (\(...\) and \[...\] inside class "math"), no menu, no
#: request to any server.
MATHJAX2_CONFIG = {
    "jax": ["input/TeX", "output/HTML-CSS"],
    "extensions": ["tex2jax.js"],
    "TeX": {"extensions": ["AMSmath.js", "AMSsymbols.js", "noErrors.js", "noUndefined.js"]},
    "tex2jax": {
        "inlineMath": [["\\(", "\\)"]],
        "displayMath": [["\\[", "\\]"]],
        "processEscapes": False,
        "ignoreClass": "tex2jax_ignore|mathjax_ignore|document",
        "processClass": "tex2jax_process|mathjax_process|math|output_area",
    },
    "HTML-CSS": {"availableFonts": [], "webFont": "STIX-Web", "imageFont": None},
    "menuSettings": {"assistiveMML": False},
    "showMathMenu": False,
    "messageStyle": "none",
}


def title(path: str | Path) -> str:
    """A lesson's title: its first line, ``# NN · Title``, without the ``#``."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0].source.splitlines()[0] if nb.cells else ""
    return first.lstrip("#").strip()


def _packaged_mathjax() -> Path | None:
    """The ``static/`` folder of :data:`MATHJAX_PACKAGE` if it is installed (not imported:
    importing it would start loading Jupyter Server)."""
    import importlib.util

    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def find_mathjax(candidates=None) -> Path | None:
    """A local MathJax 2 folder (one holding ``MathJax.js`` and the combined configuration
    :data:`MATHJAX_COMBINED`), or ``None``.

    ``$COURSE_MATHJAX`` first, then the installed :data:`MATHJAX_PACKAGE` (or ``candidates``).
    """
    if candidates is None:
        env = os.environ.get("COURSE_MATHJAX")
        candidates = [Path(env)] if env else []
        candidates += [p for p in [_packaged_mathjax()] if p is not None]
    for folder in candidates:
        folder = Path(folder)
        if (folder / "MathJax.js").is_file() and (
            folder / "config" / f"{MATHJAX_COMBINED}.js"
        ).is_file():
            return folder
    return None


def copy_mathjax(source: Path, static: Path) -> None:
    target = static / MATHJAX_STATIC
    for part in MATHJAX_PARTS:
        origin = source / part
        if origin.is_dir():
            shutil.copytree(origin, target / part, symlinks=False, dirs_exist_ok=True)
        elif origin.is_file():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target / part)
        else:
            raise FileNotFoundError(f"{source} is not a complete MathJax 2: it lacks {part}.")


def config(*, mathjax: bool = False) -> dict:
    """Jupyter Book 1's ``_config.yml``: no execution, Colab launch buttons.

    With ``mathjax``, maths is rendered by the copy of MathJax in ``_static/`` (see
    :func:`find_mathjax`); without, by Sphinx's default, MathJax from a CDN.
    """
    sphinx = {
        "html_show_copyright": False,
        "html_static_path": [STATIC_SOURCE],
        "html_js_files": [QUIZ_SCRIPT.name],  # the quizzes (tools/quizzes.py)
    }
    if mathjax:
        sphinx |= {
            "mathjax_path": f"{MATHJAX_STATIC}/MathJax.js?config={MATHJAX_COMBINED}",
            "mathjax2_config": MATHJAX2_CONFIG,
            "mathjax3_config": None,
            "myst_update_mathjax": False,
        }
    return {
        "title": "rnn-course: recurrent neural networks, built from scratch and measured",
        "author": "rnn-course contributors",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "repository": {
            "url": REPO_URL.removesuffix(".git"),
            "path_to_book": "notebooks",
            "branch": REF,
        },
        "launch_buttons": {
            "colab_url": COLAB_URL,
            "binderhub_url": BINDER_URL,  # builds binder/ (the locked environment)
            "notebook_interface": "classic",
        },
        "html": {"use_repository_button": True, "home_page_in_navbar": True},
        "sphinx": {"config": sphinx},
    }


def toc(pages: list[str]) -> dict:
    """``_toc.yml``: the generated home page, then ``pages`` (file names) in order."""
    return {
        "format": "jb-book",
        "root": "index",
        "chapters": [{"file": Path(page).stem} for page in pages],
    }


def _code(path: Path) -> list[str]:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def source_for(notebook: Path, executed: Path | None) -> Path:
    """The executed copy when it exists and has the same code, else the notebook."""
    if executed is not None:
        copy = executed / notebook.name
        if copy.is_file() and _code(copy) == _code(notebook):
            return copy
    return notebook


def figure_alt(outputs) -> str | None:
    """The alt text for a cell's images: its printed ``Figure: ...`` sentences, or ``None``."""
    has_image = any(
        o.get("output_type") in ("display_data", "execute_result")
        and "image/png" in o.get("data", {})
        for o in outputs
    )
    if not has_image:
        return None
    sentences = [
        line[len(FIGURE_PREFIX) :].strip()
        for o in outputs
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
        for line in o.get("text", "").splitlines()
        if line.startswith(FIGURE_PREFIX)
    ]
    return " ".join(sentences) or None


def _shown(output) -> bool:
    """Outputs a static page can show: not TensorFlow's start-up log, not a widget."""
    if _is_library_log(output):
        return False
    return WIDGET_VIEW not in output.get("data", {})  # a progress bar needs a live kernel


def provenance(timings: dict | None, notebook: str | None = None) -> str:
    """Where a page's outputs come from: the run of ``make course`` that ``timings``
    (``build/timings.json``) describes, its date, machine and (for ``notebook``) time."""
    if not timings:
        return "No outputs: this site was built without an executed run (`make course`)."
    machine = timings.get("machine", {})
    where = f"{machine.get('cpu', '?')}, {machine.get('cpu_count', '?')} CPUs, " + (
        f"Python {machine.get('python', '?')}, {machine.get('platform', '?')}"
    )
    text = (
        f"Outputs produced by `make course` ({timings.get('mode', '?')} mode) on "
        f"{str(timings.get('date', '?'))[:10]}, on {where}"
    )
    entry = (timings.get("notebooks") or {}).get(notebook) if notebook else None
    if entry and entry.get("date"):  # a lesson run by an earlier `make course --only ...`
        text = text.replace(str(timings.get("date", "?"))[:10], str(entry["date"])[:10])
    if entry and not entry.get("ok", True):
        text += "; this lesson's run failed, so its outputs stop where it failed"
    elif entry:
        text += f"; this lesson ran in {entry['seconds'] / 60:.1f} min"
    return text + "."


def _page(notebook: Path, origin: Path, target: Path, timings: dict | None = None) -> None:
    """Write the notebook's current cells to ``target``, with the outputs of ``origin``
    (its executed copy, same code) so that prose edited since the run is shown as is.
    A cell whose output prints figure summaries gets them as its images' alt text. Under
    the title, a note says where the outputs come from (:func:`provenance`)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    note = (
        provenance(timings, notebook.name)
        if origin != notebook
        else "No outputs on this page: it was not run by `make course`, or its code changed since."
    )
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(f"*{note}*"))
    if origin != notebook:
        ran = [c for c in nbformat.read(origin, as_version=4).cells if c.cell_type == "code"]
        code = [c for c in nb.cells if c.cell_type == "code"]
        for cell, done in zip(code, ran, strict=True):
            cell.outputs = [o for o in done.outputs if _shown(o)]
            cell.execution_count = done.execution_count
            alt = figure_alt(cell.outputs)
            if alt:
                cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt
    add_quizzes(nb)  # the choice and numeric exercises as in-page quizzes (tools/quizzes.py)
    nb.metadata.pop("widgets", None)  # saved widget state: nothing to drive it offline
    nbformat.write(nb, target)


#: TensorFlow's C++ start-up lines, written to stderr before Python can silence them.
LIBRARY_LOG = ("All log messages before absl::InitializeLog()", "oneDNN custom operations")


def _is_library_log(output) -> bool:
    """True for a stderr stream that holds only TensorFlow's start-up log lines."""
    if output.get("output_type") != "stream" or output.get("name") != "stderr":
        return False
    lines = [ln for ln in output.get("text", "").splitlines() if ln.strip()]
    return bool(lines) and all(any(mark in ln for mark in LIBRARY_LOG) for ln in lines)


def _index(entries: list[tuple[str, str]], timings: dict | None = None) -> str:
    lines = [
        "# rnn-course",
        "",
        "Recurrent neural networks, written first in NumPy line by line, then matched",
        "against Keras 3 and measured. Each lesson page has a launch button (the rocket)",
        "that opens it in Google Colab; to work locally, clone the course and run `make lab`.",
        "",
        f"*{provenance(timings)}*",
        "",
        "## Lessons",
        "",
    ]
    lines += [f"- [{text}]({page})" for page, text in entries]
    return "\n".join(lines) + "\n"


def stage(
    src: Path, *, notebooks: Path, executed: Path | None, mathjax: Path | None = None
) -> list[tuple[str, Path]]:
    """Fill ``src`` with the pages, ``index.md``, ``_config.yml`` and ``_toc.yml``, and
    the local MathJax folder ``mathjax`` (when one is given) in ``_course_static/mathjax/``.

    Returns ``(page, origin)`` pairs: which file each lesson page was made from.
    """
    import yaml

    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    used, entries = [], []
    timings_path = None if executed is None else executed.parent / "timings.json"
    timings = None
    if timings_path is not None and timings_path.is_file():
        timings = json.loads(timings_path.read_text(encoding="utf-8"))
    for path in lessons(notebooks):
        origin = source_for(path, executed)
        _page(path, origin, src / path.name, timings)
        used.append((path.name, origin))
        entries.append((path.name, title(path)))
    for name, page_title in EXTRA_PAGES.items():
        if (notebooks / name).is_file():
            shutil.copyfile(notebooks / name, src / name)
            used.append((name, notebooks / name))
            entries.append((name, page_title))
    ran = timings if any(origin.parent == executed for _, origin in used) else None
    (src / "index.md").write_text(_index(entries, ran), encoding="utf-8")
    (src / STATIC_SOURCE).mkdir()
    shutil.copyfile(QUIZ_SCRIPT, src / STATIC_SOURCE / QUIZ_SCRIPT.name)
    if mathjax is not None:
        copy_mathjax(Path(mathjax), src / STATIC_SOURCE)
    (src / "_config.yml").write_text(
        yaml.safe_dump(config(mathjax=mathjax is not None), sort_keys=False)
    )
    (src / "_toc.yml").write_text(yaml.safe_dump(toc([p for p, _ in used]), sort_keys=False))
    return used


def build(
    out: str | Path = ROOT / "build" / "site",
    *,
    work: str | Path | None = None,
    notebooks: str | Path = ROOT / "notebooks",
    executed: str | Path | None = ROOT / "build" / "executed",
    quiet: bool = True,
    mathjax: str | Path | None = None,
    allow_cdn: bool = False,
) -> Path:
    """Stage the course in ``work`` (default ``<out>-src``) and build HTML into ``out``
    with ``jupyter-book build``.

    ``mathjax``: a local MathJax 2 folder (default: :func:`find_mathjax`). Without one
    the build stops and says how to get one, unless ``allow_cdn`` (maths then needs
    the network). Returns the path of the home page; raises ``RuntimeError`` if the
    build fails.
    """
    out = Path(out).resolve()
    work = Path(work).resolve() if work is not None else out.with_name(out.name + "-src")
    local = find_mathjax() if mathjax is None else find_mathjax([mathjax])
    if local is None and not allow_cdn:
        raise RuntimeError(
            "no local MathJax 2 found (looked in $COURSE_MATHJAX and the Python package "
            f"{MATHJAX_PACKAGE!r}): install the site extra (`python tools/course.py venv "
            "--extras site`, or `pip install jupyter-server-mathjax`), or point "
            f"COURSE_MATHJAX at a MathJax 2 folder holding MathJax.js and config/"
            f"{MATHJAX_COMBINED}.js; or build with --allow-cdn (maths then needs the network)."
        )
    executed = None if executed is None else Path(executed)
    stage(work, notebooks=Path(notebooks), executed=executed, mathjax=local)
    if out.exists():
        shutil.rmtree(out)
    scratch = work.with_name(work.name + "-out")
    if scratch.exists():
        shutil.rmtree(scratch)
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(work),
        "--path-output",
        str(scratch),
        "--all",
        *(["--quiet"] if quiet else []),
    ]
    if not Path(command[0]).exists():  # jupyter-book's script sits beside the interpreter
        command[:1] = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]
    proc = subprocess.run(command, capture_output=True, text=True)
    html = scratch / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").is_file():
        raise RuntimeError(
            f"jupyter-book build failed (status {proc.returncode}):\n"
            + (proc.stdout[-2000:] + proc.stderr[-3000:])
        )
    shutil.move(str(html), str(out))
    shutil.rmtree(scratch, ignore_errors=True)
    return out / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.book", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the website")
    b.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    b.add_argument("--work", type=Path, default=None, help="staging folder (default OUT-src)")
    b.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    b.add_argument(
        "--no-executed", action="store_true", help="ignore build/executed/ (show no outputs)"
    )
    b.add_argument("--mathjax", type=Path, default=None, help="a local MathJax 2 folder")
    b.add_argument(
        "--allow-cdn", action="store_true", help="without a local MathJax, load it from a CDN"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    index = build(
        args.out,
        work=args.work,
        notebooks=args.notebooks,
        executed=None if args.no_executed else ROOT / "build" / "executed",
        mathjax=args.mathjax,
        allow_cdn=args.allow_cdn,
    )
    print(f"built {index} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
