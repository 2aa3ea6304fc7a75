"""Every laptop in the room: the locked environment resolves for each platform and Python.

Nothing is installed. ``uv.lock`` (one universal lock, see ``[tool.uv]`` in pyproject.toml)
is exported with the extras `make lab` installs, then ``uv pip compile --only-binary :all:``
resolves those exact versions for each platform and each supported Python, which fails
when a package has no wheel there (the way ``tensorflow-cpu`` has none for Apple silicon).
A failure names the platform. Needs PyPI's index (CI has it).
"""

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
#: uv's platform name -> the TensorFlow distribution the `cpu` extra must pick there.
PLATFORMS = {
    "x86_64-unknown-linux-gnu": "tensorflow-cpu",
    "aarch64-unknown-linux-gnu": "tensorflow",
    "aarch64-apple-darwin": "tensorflow",
    "x86_64-pc-windows-msvc": "tensorflow-cpu",
}
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
EXTRAS = ("cpu", "lab")

pytestmark = pytest.mark.skipif(UV is None, reason="uv is installed by the test extra")


def _uv(*args, timeout=300):
    return subprocess.run([UV, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        pytest.skip("no network to PyPI: cannot resolve wheels for other platforms")
    path = tmp_path_factory.mktemp("lock") / "requirements.txt"
    flags = [f"--extra={e}" for e in EXTRAS]
    proc = _uv("export", "--frozen", "--no-emit-project", "--no-hashes", *flags, "-o", path)
    assert proc.returncode == 0, proc.stderr
    return path


def test_lock_matches_pyproject():
    proc = _uv("lock", "--check")
    assert proc.returncode == 0, f"uv.lock is out of date; run `make lock`:\n{proc.stderr}"


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_locked_environment_resolves(exported, platform, python):
    proc = _uv(
        "pip", "compile", exported, "--no-header", "-q", "--only-binary", ":all:",
        "--python-platform", platform, "--python-version", python,
    )  # fmt: skip
    assert proc.returncode == 0, (
        f"the locked environment does not install on {platform} with Python {python}:\n"
        f"{proc.stderr[-2000:]}"
    )
    names = {line.split("==")[0] for line in proc.stdout.splitlines() if "==" in line}
    want = PLATFORMS[platform]
    other = "tensorflow" if want == "tensorflow-cpu" else "tensorflow-cpu"
    assert want in names and other not in names, (
        f"{platform}, Python {python}: expected {want}, not {other}; got "
        f"{sorted(n for n in names if n.startswith('tensorflow'))}"
    )
    assert {"keras", "jupyterlab", "ipywidgets", "numpy"} <= names
