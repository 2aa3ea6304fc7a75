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
from dataclasses import dataclass
from pathlib import Path

from course_utils.core.config import fast_mode
from course_utils.core.validation import check_choice, check_number, check_str

__all__ = [
    "KNOWN",
    "QUIET_SHARE",
    "Estimate",
    "available",
    "estimate",
    "load_results",
    "results_path",
    "search_dirs",
]

_PACKAGE = Path(__file__).resolve().parents[1]  # course_utils/
_ROOT = _PACKAGE.parent

#: A benchmark run counts as *quiet* when other processes used at most this share of the
#: machine's CPU time while it ran (``benchmarks/common.py``, ``others_cpu_share``); the
#: character-model race and its tuning leave out and re-run the others.
QUIET_SHARE = 0.10

#: Benchmarks the lessons read; their names are valid even before the JSON exists, so a
#: missing file gets a "how to produce it" message instead of "unknown name".
KNOWN = (
    "adding_problem",
    "adding_revival",
    "applications",
    "architecture_grid",
    "architecture_probes",
    "forget_bias",
    "lstm_vs_gru",
    "numpy_vs_keras",
    "scan_timing",
    "selective_copy",
    "textgen",
    "textgen_backends",
    "textgen_levers",
    "textgen_recipe",
    "textgen_tune",
    "textgen_width",
    "timing",
)


#: The command that writes each result, where it is not ``python -m benchmarks.<name>``.
PRODUCERS = {
    "adding_revival": "python -m benchmarks.adding_problem --models gru min_gru --lengths 1000 "
    "--out benchmarks/results/adding_revival.json",
}


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
    scripts = {p.stem for p in repo.parent.glob("*.py") if not p.stem.startswith("_")}
    return scripts - {"common"}  # benchmarks/common.py is their shared header, not a benchmark


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
        f"`{PRODUCERS.get(name, f'python -m benchmarks.{name}')}` (it writes benchmarks/results/{name}.json); a "
        "non-editable install gets it once it is committed and the course is reinstalled."
    )


def load_results(name: str) -> dict:
    """The committed results ``<name>.json`` as a dict (see :func:`results_path`)."""
    return json.loads(results_path(name).read_text(encoding="utf-8"))


def _clock(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


# --- how long a committed run took ------------------------------------------------


@dataclass
class Estimate:
    """How long something took when it was measured, and where that number comes from."""

    seconds: float
    source: str
    date: str
    fast: bool = False  #: made in fast mode, which runs much less than was measured

    def __str__(self) -> str:
        if self.fast:
            what, note = "expected run time in full mode", "fast mode takes a fraction of it"
        else:
            what, note = "expected run time", "a slower or busier machine takes longer"
        measured = f"measured {self.date[:10] or 'on an unknown date'}, {self.source}"
        return f"{what}: about {_clock(self.seconds)} ({measured}; {note})"


def estimate(
    name: str, field: str, *, count: float = 1.0, rows: str = "runs", where: dict | None = None
) -> Estimate:
    """The median of ``field`` over the ``rows`` list of committed benchmark ``name``, times ``count``.

    ``estimate("forget_bias", "seconds_per_epoch", count=20)`` says how long 20
    epochs took per run on the machine that wrote ``benchmarks/results/forget_bias.json``.
    ``where`` keeps only the rows with those values (``{"task": "adding_T50", "cell":
    "gru"}``); a field that holds a list (seconds per epoch, say) counts as its sum, the
    whole run. Print it before a long cell starts.
    """
    name, field, rows = check_str("name", name), check_str("field", field), check_str("rows", rows)
    count = check_number("count", count, minimum=0, strict_minimum=True)
    if where is not None and not isinstance(where, dict):
        raise TypeError(f"where must be a dict of field -> value or None; got {where!r}.")
    data = load_results(name)
    entries = data.get(rows)
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"rows must name a list in {name}.json; got {rows!r}.")
    kept = [
        e
        for e in entries
        if isinstance(e, dict) and all(e.get(k) == v for k, v in (where or {}).items())
    ]
    if not kept:
        raise ValueError(f"where must match some {rows!r} entries of {name}.json; got {where!r}.")
    values = sorted(
        float(sum(e[field]) if isinstance(e[field], list) else e[field]) for e in kept if field in e
    )
    if not values:
        raise ValueError(
            f"field must be a key of the {rows!r} entries of {name}.json; got {field!r}."
        )
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else 0.5 * (values[middle - 1] + values[middle])
    date = str(data.get("date") or data.get("updated") or "")
    return Estimate(median * count, f"benchmarks/results/{name}.json", date, fast=fast_mode())
