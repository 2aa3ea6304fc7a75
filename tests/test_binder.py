"""Binder / JupyterHub: the configuration repo2docker builds, checked without Docker.

``binder/requirements.txt`` is exported from ``uv.lock`` (the one lock of every
platform) and must stay equal to a fresh export. repo2docker's ``--no-build --debug``
prints the Dockerfile it would build: the locked requirements are installed before the
repository is copied in, and ``binder/postBuild`` installs the course after. The same
steps are then replayed in a clean virtual environment. The nbgitpuller link for an
institution's hub is tested in tests/test_hub_link.py.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
BIN = Path(sys.executable).parent
EXPORT = [
    "export", "--frozen", "--extra=cpu", "--extra=lab", "--no-emit-project",
    "--no-hashes", "--no-header", "-q",
]  # fmt: skip


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: it comes with the test extra (make test)")
    return found


def test_binder_requirements_are_the_lock(tmp_path):
    out = tmp_path / "requirements.txt"
    proc = subprocess.run(
        [_tool("uv"), *EXPORT, "-o", out], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_text() == (BINDER / "requirements.txt").read_text(), (
        "binder/requirements.txt differs from uv.lock: run "
        f"`.venv/bin/uv {' '.join(EXPORT)} -o binder/requirements.txt`"
    )
    assert (BINDER / "runtime.txt").read_text().strip().startswith("python-3.")
    assert os.access(BINDER / "postBuild", os.X_OK)


def test_repo2docker_installs_the_lock_then_the_course():
    proc = subprocess.run(
        [_tool("repo2docker"), "--no-build", "--debug", "--user-id", "1000",
         "--user-name", "jovyan", str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    dockerfile = proc.stdout + proc.stderr
    install = dockerfile.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    copy_repo = dockerfile.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    post_build = dockerfile.index("RUN ./binder/postBuild")
    assert install < copy_repo < post_build
    python = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    assert f"python={python}" in dockerfile


@pytest.mark.slow
def test_binder_steps_replayed_in_a_clean_environment(tmp_path):
    python = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    if f"{sys.version_info.major}.{sys.version_info.minor}" != python:
        pytest.skip(f"replay needs Python {python}, the one binder/runtime.txt names")
    venv = tmp_path / "binder-venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONPATH", None)
    repo = tmp_path / "repo"  # the repository as repo2docker copies it
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".venv", "build", ".git", "student"))

    def run(cmd, cwd):
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, (cmd, proc.stdout[-2000:], proc.stderr[-2000:])
        return proc.stdout

    run(["python", "-m", "pip", "install", "-q", "-r", BINDER / "requirements.txt"], tmp_path)
    run(["bash", "binder/postBuild"], repo)
    out = run(["python", "-c", "import course_utils, keras; print(keras.__version__)"], tmp_path)
    assert out.strip().startswith("3.")
    assert run(["jupyter", "lab", "--version"], tmp_path).strip().startswith("4.")
