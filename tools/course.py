"""The course's two commands on any operating system, with nothing but Python.

    python tools/course.py lab      # builds .venv from uv.lock on first use, opens JupyterLab
    python tools/course.py test     # builds .venv (with test tools), runs every test

`make lab` and `make test` call this script, so Linux, macOS and Windows (which has
no `make`) take the same path. Everything else it can do:

    python tools/course.py venv [--extras cpu,lab,test,site]   # only build .venv
    python tools/course.py lab --offline build/offline-pack     # install from a pack, no network
    python tools/course.py lab -- --no-browser --port 8899      # options after -- go to JupyterLab

The environment comes from `uv.lock`, one lock file resolved for Linux x86-64 and
aarch64, Apple-silicon macOS and Windows (see `[tool.uv]` in pyproject.toml): `uv` is
installed into .venv with pip, then `uv sync --frozen` installs exactly the locked
versions. Only the standard library is used here, because this runs before .venv exists.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
UV = "uv>=0.9,<1"
#: The extras each command needs (see pyproject.toml's [project.optional-dependencies]).
EXTRAS = {"lab": "cpu,lab", "test": "cpu,lab,test,site", "venv": "cpu,lab,test,site"}
SHARED_DATA = ROOT.parent / "shared" / "data"
#: JupyterLab defaults for the course (no news prompt, no "Select Kernel" dialog):
#: see tools/lab_settings/README.md.
LAB_SETTINGS = ROOT / "tools" / "lab_settings" / "overrides.json"


def venv_python(venv: Path = VENV) -> Path:
    """The interpreter inside ``venv`` (``Scripts\\python.exe`` on Windows)."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def venv_tool(name: str, venv: Path = VENV) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    return venv / folder / (name + (".exe" if os.name == "nt" else ""))


def _run(cmd, **kwargs) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    proc = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if proc.returncode != 0:
        sys.exit(proc.returncode)


def _fingerprint(offline: Path | None) -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "uv.lock", "setup.py"):
        digest.update((ROOT / name).read_bytes())
    digest.update(f"{offline}|{sys.version_info[:2]}".encode())
    return digest.hexdigest()[:16]


def ensure_venv(extras: str, offline: Path | None = None) -> Path:
    """Create or update .venv so that it holds the locked packages for ``extras``."""
    python = venv_python()
    stamp = VENV / ".installed-stamp"  # "<fingerprint> <extras installed>"
    want, wanted = _fingerprint(offline), {e for e in extras.split(",") if e}
    # An empty or older stamp (the Makefile's `touch`) counts as no stamp: sync again.
    have, had = (stamp.read_text().split() + ["", ""])[:2] if stamp.exists() else ("", "")
    if python.exists() and have == want and wanted <= set(had.split(",")):
        return python
    if have == want:
        wanted |= {e for e in had.split(",") if e}  # keep what an earlier command installed
    extras = ",".join(sorted(wanted))
    if sys.version_info < (3, 10) or sys.version_info >= (3, 14):
        sys.exit(
            f"Python {sys.version.split()[0]} cannot run this course: TensorFlow has wheels "
            "for Python 3.10 to 3.13. Install one of those and run this script with it."
        )
    if not python.exists():
        _run([sys.executable, "-m", "venv", VENV])
    if offline is None:
        _run([python, "-m", "pip", "install", "-q", "--upgrade", "pip", UV])
        env = dict(os.environ, UV_PROJECT_ENVIRONMENT=str(VENV))
        flags = [f"--extra={e}" for e in extras.split(",") if e]
        # --inexact keeps uv itself (installed by pip, not in the lock) in .venv.
        _run([venv_tool("uv"), "sync", "--frozen", "--inexact", *flags], env=env)
    else:
        wheels, requirements = offline / "wheels", offline / "requirements.txt"
        if not requirements.exists():
            sys.exit(f"{offline} is not an offline pack: it has no requirements.txt.")
        pip = [python, "-m", "pip", "install", "-q", "--no-index", "--find-links", wheels]
        _run([*pip, "--upgrade", "pip", "setuptools", "wheel"])
        _run([*pip, "-r", requirements])  # exported from uv.lock by `make offline-pack`
        _run([*pip, "--no-deps", "--no-build-isolation", "-e", "."])
    stamp.write_text(f"{want} {extras}\n")
    return python


def install_lab_settings(venv: Path = VENV, source: Path = LAB_SETTINGS) -> Path:
    """Copy the course's JupyterLab overrides to ``<venv>/share/jupyter/lab/settings/``."""
    target = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def _test_env() -> dict:
    env = dict(os.environ, COURSE_FAST="1")
    if SHARED_DATA.is_dir() and "COURSE_DATA_DIR" not in env:
        env["COURSE_DATA_DIR"] = str(SHARED_DATA)  # tests use the shared corpora when present
    return env


def run_tests(python: Path, pytest_args: list[str]) -> None:
    """ruff, then unit tests and every notebook from fresh kernels, in fast mode.

    Each notebook runs where a run adds coverage: nbval runs ``notebooks/`` (the lessons
    as written); ``tests/test_every_exercise.py`` runs the committed student edition
    (which ``tests/test_student.py`` keeps equal to ``make student``'s output) with every
    solution pasted, to its last cell; ``tests/test_colab_path.py`` runs the lessons in a
    replica of Colab's runtime."""
    _run([venv_tool("ruff"), "check", "."])
    _run([venv_tool("ruff"), "format", "--check", "."])
    nbval = ["--nbval-lax", "--nbval-current-env", "--sanitize-with", "tests/sanitize.cfg"]
    # loadscope: a test file (a notebook, a module's shared fixtures) stays on one worker,
    # and each class too: test_every_exercise.py's one class per lesson spreads the lessons.
    xdist = ["-n", "auto", "--dist", "loadscope"]
    targets = pytest_args or ["tests", "notebooks"]
    _run([python, "-m", "pytest", *xdist, *nbval, *targets], env=_test_env())


def run_lab(python: Path, lab_args: list[str], offline: Path | None) -> None:
    env = dict(os.environ)
    if offline is not None:
        env.update(COURSE_DATA_DIR=str(offline / "datasets"), COURSE_OFFLINE="1")
    root_flag = ["--allow-root"] if hasattr(os, "getuid") and os.getuid() == 0 else []
    _run([venv_tool("jupyter"), "lab", "notebooks/", *root_flag, *lab_args], env=env)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    rest = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(
        prog="python tools/course.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", choices=sorted(EXTRAS))
    parser.add_argument("--extras", help="extras to install (default: what the command needs)")
    parser.add_argument("--offline", type=Path, help="install from this offline pack, no network")
    args = parser.parse_args(argv)
    offline = args.offline.resolve() if args.offline else None
    python = ensure_venv(args.extras or EXTRAS[args.command], offline)
    install_lab_settings()
    if args.command == "lab":
        run_lab(python, rest, offline)
    elif args.command == "test":
        run_tests(python, rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
