"""``make offline-pack``: what a workshop room needs when its network fails.

``python -m tools.offline_pack build`` writes ``build/offline-pack/``:

* ``requirements.txt`` - the locked versions (exported from ``uv.lock``, the lock every
  install uses), with the ``cpu`` and ``lab`` extras;
* ``wheels/`` - a wheel of the course itself and of every locked dependency, made by
  ``pip wheel`` for *this* Python and platform, plus pip, setuptools and wheel (so
  ``pip install -e .`` can build offline too);
* ``datasets/`` - verified copies of every dataset in :data:`course_utils.core.datasets.REGISTRY`;
* ``README.md`` - what it holds and the commands that use it.

``make lab OFFLINE=build/offline-pack`` (or ``python tools/course.py lab --offline
build/offline-pack``) then installs the locked versions with ``pip --no-index
--find-links`` and points ``COURSE_DATA_DIR`` at the pack's datasets.
``python -m tools.offline_pack install PACK [REQUIREMENT ...]`` does the
install step alone, and explains a missing wheel in plain words.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

from course_utils.core import datasets
from course_utils.core.validation import check_choice

__all__ = ["PackError", "build_pack", "course_requirements", "export_lock", "install", "main"]

ROOT = Path(__file__).resolve().parent.parent
#: What `pip install -e .` needs besides the course's dependencies, offline.
TOOLS = ["pip", "setuptools>=68", "wheel"]
EXTRAS = ("cpu", "gpu", "lab", "test", "site")


class PackError(RuntimeError):
    """Building or using a pack failed; the message says why and what to do."""


def _where() -> str:
    return f"Python {platform.python_version()} on {platform.system()} {platform.machine()}"


def _pip(python, args: list[str], env: dict | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "pip", *args], capture_output=True, text=True, env=env
    )


def course_requirements(root: str | Path = ROOT, extras=("cpu", "lab")) -> list[str]:
    """The requirements of a full pack: the course (with ``extras``) and the build tools."""
    extras = [check_choice("extra", extra, EXTRAS) for extra in extras]
    project = str(Path(root).resolve()) + (f"[{','.join(extras)}]" if extras else "")
    return [project, *TOOLS]


def export_lock(path: Path, extras=("cpu", "lab"), root: str | Path = ROOT) -> Path:
    """Write the locked requirements for ``extras`` (``uv export`` of ``uv.lock``) to ``path``."""
    extras = [check_choice("extra", extra, EXTRAS) for extra in extras]
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        raise PackError("uv is not installed: `make venv` installs it (the test extra).")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = [f"--extra={extra}" for extra in extras]
    cmd = [uv, "export", "--frozen", "--no-emit-project", "--no-hashes", "-q", *flags]
    proc = subprocess.run([*cmd, "-o", str(path)], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        raise PackError(f"uv export failed:\n{proc.stderr[-2000:]}")
    return path


def _check_requirements(requirements) -> None:
    if not isinstance(requirements, list) or not all(isinstance(r, str) for r in requirements):
        raise TypeError(f"requirements must be a list of strings; got {requirements!r}.")
    if not requirements:
        raise ValueError("requirements must not be empty.")


def _copy_datasets(folder: Path, names) -> list[str]:
    """Copy a verified copy of each dataset into ``folder``; return the names that failed."""
    folder.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in names:
        try:
            source = datasets.fetch(name)  # finds a verified local copy, or downloads one
        except (datasets.DatasetError, ValueError) as error:
            print(f"{name}: FAILED: {error}", file=sys.stderr)
            failed.append(name)
            continue
        target = folder / datasets.REGISTRY[name].filename
        if source.resolve() != target.resolve():
            shutil.copyfile(source, target)
        print(f"{name}: {target}")
    return failed


def _readme(wheels: list[Path], data: list[Path]) -> str:
    size = sum(p.stat().st_size for p in wheels) / 1e6
    listed = "\n".join(f"  - `{p.name}`" for p in data) or "  - (none)"
    return f"""# rnn-course offline pack

Made {dt.date.today().isoformat()} by `make offline-pack`, for {_where()}.
The wheels fit that Python version and platform only: for students on another
system, build a pack on a machine like theirs.

- `wheels/`: {len(wheels)} wheels, {size:,.0f} MB: the course, its dependencies with
  the `cpu` and `lab` extras, and pip/setuptools/wheel.
- `datasets/`: verified copies of the course's datasets:
{listed}

## Install without a network

From a clone of the course, with this folder at `build/offline-pack`:

    make lab OFFLINE=build/offline-pack
    python tools/course.py lab --offline build/offline-pack    # the same, without make

Or by hand (PACK is this folder; `requirements.txt` holds the locked versions):

    python3 -m venv .venv
    .venv/bin/python -m pip install --no-index --find-links PACK/wheels --upgrade pip setuptools wheel
    .venv/bin/python -m pip install --no-index --find-links PACK/wheels -r PACK/requirements.txt
    .venv/bin/python -m pip install --no-index --no-deps --no-build-isolation -e .

Without a clone, `pip install --no-index --find-links PACK/wheels "rnn-course[cpu,lab]"`
installs the package only; the lessons are the notebooks in the course's folder.

## Use the datasets

    export COURSE_DATA_DIR=PACK/datasets COURSE_OFFLINE=1

`make lab OFFLINE=...` sets both. Every copy is checked against its sha256 when used.
"""


def build_pack(
    out: str | Path,
    requirements: list[str],
    *,
    pip_args=(),
    dataset_names=None,
    python: str | Path = sys.executable,
    env: dict | None = None,
) -> Path:
    """Write ``wheels/``, ``datasets/`` and ``README.md`` into ``out``; return ``out``.

    requirements: what ``pip wheel`` builds or downloads, with every dependency
        (see :func:`course_requirements`).
    pip_args: extra options for ``pip wheel`` (e.g. ``--find-links``).
    dataset_names: datasets to include (default: all of the registry).
    Raises :class:`PackError` when pip fails or a dataset cannot be had.
    """
    _check_requirements(requirements)
    names = list(datasets.REGISTRY) if dataset_names is None else list(dataset_names)
    for name in names:
        check_choice("dataset name", name, datasets.REGISTRY)
    out = Path(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    proc = _pip(python, ["wheel", "-q", "-w", str(wheels), *pip_args, *requirements], env)
    if proc.returncode != 0:
        raise PackError(f"pip wheel failed for {requirements}:\n{proc.stderr[-3000:]}")
    failed = _copy_datasets(out / "datasets", names)
    found = sorted(wheels.glob("*.whl"))
    data = sorted(p for p in (out / "datasets").iterdir() if p.is_file())
    (out / "README.md").write_text(_readme(found, data), encoding="utf-8")
    if failed:
        raise PackError(
            f"The pack in {out} has no copy of {failed}: fetch them on a machine with a "
            "network (`python -m course_utils.core.datasets prefetch`) or set COURSE_DATA_DIR to "
            "a folder that has them, then build the pack again."
        )
    return out


_MISSING = re.compile(r"(?:No matching distribution found for|satisfies the requirement) (\S+)")


def install(
    pack: str | Path,
    requirements: list[str],
    *,
    python: str | Path = sys.executable,
    pip_args=(),
    env: dict | None = None,
) -> None:
    """``pip install --no-index --find-links PACK/wheels REQUIREMENTS`` (no network used).

    Raises :class:`PackError` naming the distributions the pack has no wheel for.
    """
    _check_requirements(requirements)
    wheels = Path(pack) / "wheels"
    if not wheels.is_dir():
        raise PackError(f"{pack} is not an offline pack: it has no wheels/ folder.")
    args = ["install", "-q", "--no-index", "--find-links", str(wheels), *pip_args, *requirements]
    proc = _pip(python, args, env)
    if proc.returncode == 0:
        return
    missing = sorted(set(_MISSING.findall(proc.stderr)))
    if missing:
        raise PackError(
            f"The offline pack {pack} has no wheel for {', '.join(missing)} that fits "
            f"this machine ({_where()}). Build the pack again with `make offline-pack` on a "
            f"machine with a network and the same Python version and platform.\n"
            f"pip said:\n{proc.stderr[-1500:]}"
        )
    raise PackError(f"pip could not install {requirements} from {pack}:\n{proc.stderr[-3000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.offline_pack",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the pack")
    build.add_argument("--out", type=Path, default=ROOT / "build" / "offline-pack")
    build.add_argument("--extras", default="cpu,lab", help="comma-separated (default cpu,lab)")
    use = sub.add_parser("install", help="install from a pack with no network")
    use.add_argument("pack", type=Path)
    use.add_argument("requirements", nargs="*", default=["rnn-course[cpu,lab]"])
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            extras = [e for e in args.extras.split(",") if e]
            locked = export_lock(args.out / "requirements.txt", extras)
            out = build_pack(args.out, ["-r", str(locked), *course_requirements(ROOT, extras)])
            print(f"wrote {out} (see {out / 'README.md'})")
        else:
            install(args.pack, args.requirements)
    except PackError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
