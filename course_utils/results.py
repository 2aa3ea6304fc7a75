"""The committed benchmark results, wherever the course is installed.

``benchmarks/<name>.py`` measures something over many seeds and writes
``benchmarks/results/<name>.json``; the lessons show those numbers beside their
own short live runs. :func:`load_results` finds the JSON in:

1. the repository's ``benchmarks/results/`` (a clone, or ``pip install -e .``
   as ``make lab`` does), so a benchmark you have just rerun is used at once;
2. the copy shipped inside the installed package, ``course_utils/_results/``
   (``setup.py`` maps ``benchmarks/results`` to that package), which is all a
   non-editable install such as Colab's ``pip install git+...`` has.

Nothing is fetched from the network.
"""

from __future__ import annotations

import json
from pathlib import Path

from .validation import check_choice

__all__ = ["KNOWN", "available", "load_results", "results_path", "search_dirs"]

_PACKAGE = Path(__file__).resolve().parent
_ROOT = _PACKAGE.parent

#: Benchmarks the lessons read; their names are valid even before the JSON exists, so a
#: missing file gets a "how to produce it" message instead of "unknown name".
KNOWN = (
    "adding_problem",
    "applications",
    "architecture_grid",
    "architecture_probes",
    "forget_bias",
    "lstm_vs_gru",
    "numpy_vs_keras",
    "textgen",
)


def _repo_dir() -> Path | None:
    """``benchmarks/results`` of the clone this package was imported from, if any."""
    if not (_ROOT / "pyproject.toml").is_file():  # site-packages has no pyproject.toml
        return None
    folder = _ROOT / "benchmarks" / "results"
    return folder if folder.is_dir() else None


def search_dirs() -> list[tuple[str, Path]]:
    """Where results are looked for, in order, as ``(label, folder)`` pairs.

    The repository's folder is listed only when running from a clone; the
    packaged copy is always listed (it exists in non-editable installs only).
    """
    dirs = []
    repo = _repo_dir()
    if repo is not None:
        dirs.append(("repository", repo))
    dirs.append(("package", _PACKAGE / "_results"))
    return dirs


def _scripts() -> set[str]:
    repo = _repo_dir()
    if repo is None:
        return set()
    return {p.stem for p in repo.parent.glob("*.py") if not p.stem.startswith("_")}


def available() -> list[str]:
    """Valid names: the known benchmarks, any ``benchmarks/*.py`` and any JSON found."""
    names = set(KNOWN) | _scripts()
    for _, folder in search_dirs():
        names.update(p.stem for p in folder.glob("*.json"))
    return sorted(names)


def results_path(name: str) -> Path:
    """The path of ``<name>.json`` in the first folder of :func:`search_dirs` that has it.

    Raises ``TypeError``/``ValueError`` for a name that is not a string or not one of
    :func:`available`, and ``FileNotFoundError`` (naming the folders searched and the
    command that writes the file) when no copy exists.
    """
    check_choice("results name", name, available())
    for _, folder in search_dirs():
        path = folder / f"{name}.json"
        if path.is_file():
            return path
    repo, package = _repo_dir(), _PACKAGE / "_results"
    repo_text = f"{repo}" if repo else "benchmarks/results/ (absent: this is not a clone)"
    package_text = f"{package}" + ("" if package.is_dir() else " (absent: editable install)")
    raise FileNotFoundError(
        f"No results for {name!r}: {name}.json is neither in the repository's {repo_text} "
        f"nor in the package's copy {package_text}. Produce it from a clone of the course with "
        f"`python -m benchmarks.{name}` (it writes benchmarks/results/{name}.json); a "
        "non-editable install gets it once it is committed and the course is reinstalled."
    )


def load_results(name: str) -> dict:
    """The committed results ``<name>.json`` as a dict (see :func:`results_path`)."""
    return json.loads(results_path(name).read_text(encoding="utf-8"))
