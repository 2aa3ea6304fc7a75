"""``make site``: the whole course as a website in ``build/site/``, built offline.

``python -m tools.book build`` stages the lessons in ``build/site-src/``
with a generated ``_config.yml`` and ``_toc.yml`` (every ``notebooks/NN_*.ipynb``,
so a new lesson appears without editing anything) and builds HTML with Jupyter
Book 1 (the ``site`` extra). Nothing is executed: a lesson that ``make course``
has run and whose code is unchanged is shown from ``build/executed/`` with its
outputs; otherwise the committed notebook (no outputs) is shown. Each lesson page
has an "Open in Colab" launch button for the repository in
:data:`tools.first_cell.REPO_URL`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from tools.first_cell import REF, REPO_URL, colab_link
from tools.lessons import lessons

__all__ = ["COLAB_URL", "build", "colab_link", "config", "stage", "title", "toc"]

ROOT = Path(__file__).resolve().parent.parent
COLAB_URL = "https://colab.research.google.com"
EXTRA_PAGES = ("INSTRUCTORS.md",)  # notebooks/ pages shown after the lessons, when present


def title(path: str | Path) -> str:
    """A lesson's title: its first line, ``# NN · Title``, without the ``#``."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0].source.splitlines()[0] if nb.cells else ""
    return first.lstrip("#").strip()


def config() -> dict:
    """Jupyter Book 1's ``_config.yml``: no execution, Colab launch buttons."""
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
        "launch_buttons": {"colab_url": COLAB_URL, "notebook_interface": "classic"},
        "html": {"use_repository_button": True, "home_page_in_navbar": True},
        "sphinx": {"config": {"html_show_copyright": False}},
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


def _source_for(notebook: Path, executed: Path | None) -> Path:
    """The executed copy when it exists and has the same code, else the notebook."""
    if executed is not None:
        copy = executed / notebook.name
        if copy.is_file() and _code(copy) == _code(notebook):
            return copy
    return notebook


def _page(notebook: Path, origin: Path, target: Path) -> None:
    """Write the notebook's current cells to ``target``, with the outputs of ``origin``
    (its executed copy, same code) so that prose edited since the run is shown as is."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    if origin != notebook:
        ran = [c for c in nbformat.read(origin, as_version=4).cells if c.cell_type == "code"]
        code = [c for c in nb.cells if c.cell_type == "code"]
        for cell, done in zip(code, ran, strict=True):
            cell.outputs = [o for o in done.outputs if not _is_library_log(o)]
            cell.execution_count = done.execution_count
    nbformat.write(nb, target)


#: TensorFlow's C++ start-up lines, written to stderr before Python can silence them.
LIBRARY_LOG = ("All log messages before absl::InitializeLog()", "oneDNN custom operations")


def _is_library_log(output) -> bool:
    """True for a stderr stream that holds only TensorFlow's start-up log lines."""
    if output.get("output_type") != "stream" or output.get("name") != "stderr":
        return False
    lines = [ln for ln in output.get("text", "").splitlines() if ln.strip()]
    return bool(lines) and all(any(mark in ln for mark in LIBRARY_LOG) for ln in lines)


def _index(entries: list[tuple[str, str]]) -> str:
    lines = [
        "# rnn-course",
        "",
        "Recurrent neural networks, written first in NumPy line by line, then matched",
        "against Keras 3 and measured. Each lesson page has a launch button (the rocket)",
        "that opens it in Google Colab; to work locally, clone the course and run `make lab`.",
        "",
        "## Lessons",
        "",
    ]
    lines += [f"- [{text}]({page})" for page, text in entries]
    return "\n".join(lines) + "\n"


def stage(src: Path, *, notebooks: Path, executed: Path | None) -> list[tuple[str, Path]]:
    """Fill ``src`` with the pages, ``index.md``, ``_config.yml`` and ``_toc.yml``.

    Returns ``(page, origin)`` pairs: which file each lesson page was made from.
    """
    import yaml

    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    used, entries = [], []
    for path in lessons(notebooks):
        origin = _source_for(path, executed)
        _page(path, origin, src / path.name)
        used.append((path.name, origin))
        entries.append((path.name, title(path)))
    for name in EXTRA_PAGES:
        if (notebooks / name).is_file():
            shutil.copyfile(notebooks / name, src / name)
            used.append((name, notebooks / name))
            entries.append((name, "Instructor guide"))
    (src / "index.md").write_text(_index(entries), encoding="utf-8")
    (src / "_config.yml").write_text(yaml.safe_dump(config(), sort_keys=False))
    (src / "_toc.yml").write_text(yaml.safe_dump(toc([p for p, _ in used]), sort_keys=False))
    return used


def build(
    out: str | Path = ROOT / "build" / "site",
    *,
    work: str | Path | None = None,
    notebooks: str | Path = ROOT / "notebooks",
    executed: str | Path | None = ROOT / "build" / "executed",
    quiet: bool = True,
) -> Path:
    """Stage the course in ``work`` (default ``<out>-src``) and build HTML into ``out``.

    Returns the path of the home page. Raises ``RuntimeError`` if Sphinx fails.
    """
    from jupyter_book.sphinx import build_sphinx

    out = Path(out).resolve()
    work = Path(work).resolve() if work is not None else out.with_name(out.name + "-src")
    stage(work, notebooks=Path(notebooks), executed=None if executed is None else Path(executed))
    if out.exists():
        shutil.rmtree(out)
    status = build_sphinx(
        work,
        out,
        noconfig=True,
        path_config=work / "_config.yml",
        confoverrides={
            "external_toc_path": (work / "_toc.yml").as_posix(),
            "latex_individualpages": False,
        },
        doctreedir=work / ".doctrees",
        freshenv=True,
        quiet=quiet,
    )
    if status:
        raise RuntimeError(f"Jupyter Book failed to build {work} (status {status}).")
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
    args = parser.parse_args(argv)
    start = time.perf_counter()
    index = build(
        args.out,
        work=args.work,
        notebooks=args.notebooks,
        executed=None if args.no_executed else ROOT / "build" / "executed",
    )
    print(f"built {index} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
