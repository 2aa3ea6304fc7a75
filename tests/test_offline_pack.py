"""tools.offline_pack: build a small pack, install from it with no index, fail clearly.

The real pack (``make offline-pack``) holds hundreds of megabytes of wheels; this test
builds one from two tiny pure-Python wheels that it writes itself, so it needs no
network. pip runs with its configuration files and PIP_* variables switched off, so
the pack's folder is the only place it can find anything.
"""

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course_utils.core import datasets
from tools import offline_pack as op


def _wheel(folder: Path, name: str, code: str, requires: list[str] = ()) -> Path:
    """Write a minimal valid pure-Python wheel ``name-1.0-py3-none-any.whl``."""
    dist = f"{name}-1.0.dist-info"
    files = {
        f"{name}.py": code,
        f"{dist}/METADATA": "Metadata-Version: 2.1\nName: "
        + name.replace("_", "-")
        + "\nVersion: 1.0\n"
        + "".join(f"Requires-Dist: {r}\n" for r in requires),
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    lines = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        lines.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    files[f"{dist}/RECORD"] = "\n".join([*lines, f"{dist}/RECORD,,"]) + "\n"
    wheel = folder / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


@pytest.fixture
def pip_env(tmp_path):
    """pip with no configuration files, no PIP_* variables and an empty cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_CACHE_DIR=str(tmp_path / "pip-cache"))
    return env


@pytest.fixture
def probe_dataset(tmp_path, monkeypatch):
    """A tiny dataset in the registry, with a verified copy in COURSE_DATA_DIR."""
    folder = tmp_path / "data"
    folder.mkdir()
    text = b"a small verified file\n"
    (folder / "probe.txt").write_bytes(text)
    entry = datasets.Dataset(
        "probe", "probe.txt", "http://127.0.0.1:9/none", hashlib.sha256(text).hexdigest(),
        len(text), "test", "test file",
    )  # fmt: skip
    monkeypatch.setitem(datasets.REGISTRY, "probe", entry)
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    return entry


def test_small_pack_installs_offline_and_names_a_missing_wheel(
    tmp_path, pip_env, probe_dataset, monkeypatch
):
    source = tmp_path / "source"
    source.mkdir()
    _wheel(source, "probe_dep", "VALUE = 42\n")
    _wheel(source, "probe_app", "from probe_dep import VALUE\n", ["probe-dep"])

    pack = op.build_pack(
        tmp_path / "pack",
        ["probe-app"],
        pip_args=["--no-index", "--find-links", str(source)],
        dataset_names=["probe"],
        env=pip_env,
    )
    wheels = sorted(p.name for p in (pack / "wheels").glob("*.whl"))
    assert wheels == ["probe_app-1.0-py3-none-any.whl", "probe_dep-1.0-py3-none-any.whl"]
    copy = pack / "datasets" / "probe.txt"
    assert datasets.sha256_of(copy) == probe_dataset.sha256
    readme = (pack / "README.md").read_text()
    assert "make lab OFFLINE=build/offline-pack" in readme and "--no-index" in readme

    # the pack's datasets folder is what COURSE_DATA_DIR points at offline
    monkeypatch.setenv("COURSE_DATA_DIR", str(pack / "datasets"))
    assert datasets.find("probe") == ("COURSE_DATA_DIR", copy)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"

    broken = tmp_path / "broken"
    (broken / "wheels").mkdir(parents=True)
    (broken / "wheels" / wheels[0]).write_bytes((pack / "wheels" / wheels[0]).read_bytes())
    with pytest.raises(op.PackError, match="no wheel for probe-dep") as info:
        op.install(broken, ["probe-app"], python=python, env=pip_env)
    assert "make offline-pack" in str(info.value)

    op.install(pack, ["probe-app"], python=python, env=pip_env)
    out = subprocess.run(
        [str(python), "-c", "import probe_app; print(probe_app.VALUE)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "42"


def test_missing_dataset_fails_the_build_after_writing_the_rest(tmp_path, pip_env, monkeypatch):
    source = tmp_path / "source"
    source.mkdir()
    _wheel(source, "probe_dep", "VALUE = 1\n")
    entry = datasets.Dataset("absent", "absent.txt", "http://127.0.0.1:9/x", "0" * 64, 1, "", "")
    monkeypatch.setitem(datasets.REGISTRY, "absent", entry)
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    with pytest.raises(op.PackError, match="absent"):
        op.build_pack(
            tmp_path / "pack",
            ["probe-dep"],
            pip_args=["--no-index", "--find-links", str(source)],
            dataset_names=["absent"],
            env=pip_env,
        )
    assert (tmp_path / "pack" / "wheels" / "probe_dep-1.0-py3-none-any.whl").exists()
    assert (tmp_path / "pack" / "README.md").exists()


def test_not_a_pack_and_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="requirements"):
        op.install(tmp_path, "probe-app")
    with pytest.raises(op.PackError, match="no wheels/ folder"):
        op.install(tmp_path, ["anything"])
    with pytest.raises(ValueError, match="requirements"):
        op.build_pack(tmp_path, [])
    with pytest.raises(TypeError, match="requirements"):
        op.build_pack(tmp_path, "probe-app")
    with pytest.raises(ValueError, match="dataset name"):
        op.build_pack(tmp_path, ["x"], dataset_names=["nope"])
    with pytest.raises(ValueError, match="extra"):
        op.course_requirements(extras=["gpus"])


def test_course_requirements_name_the_course_with_extras_and_the_build_tools():
    reqs = op.course_requirements(extras=["cpu", "lab"])
    assert reqs[0].endswith("[cpu,lab]") and Path(reqs[0].split("[")[0]).is_dir()
    assert "pip" in reqs and any(r.startswith("setuptools") for r in reqs)


def test_pack_requirements_are_exported_from_the_lock(tmp_path):
    path = op.export_lock(tmp_path / "requirements.txt", ["cpu", "lab"])
    text = path.read_text()
    assert "tensorflow-cpu==" in text and "jupyterlab==" in text
    assert "sys_platform == 'darwin'" in text  # one lock: every platform's markers kept
    with pytest.raises(ValueError, match="extra"):
        op.export_lock(tmp_path / "x.txt", ["gpus"])
