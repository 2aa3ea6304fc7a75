"""tools/lab_settings: the JupyterLab defaults `make lab` installs into .venv."""

import json
from pathlib import Path

import pytest

from tools.course import LAB_SETTINGS, install_lab_settings

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / ".venv" / "share" / "jupyter" / "lab" / "schemas"


def test_overrides_turn_off_the_news_prompt_and_the_kernel_dialog():
    overrides = json.loads(LAB_SETTINGS.read_text())
    news = overrides["@jupyterlab/apputils-extension:notification"]
    assert news == {"fetchNews": "false", "checkForUpdates": False}
    assert overrides["@jupyterlab/notebook-extension:tracker"] == {"autoStartDefaultKernel": True}


def test_every_overridden_setting_exists_in_jupyterlab():
    if not SCHEMAS.is_dir():
        pytest.skip("JupyterLab's schemas are not in .venv (the `lab` extra is not installed)")
    for plugin, values in json.loads(LAB_SETTINGS.read_text()).items():
        package, name = plugin.split(":")
        schema = json.loads((SCHEMAS / package / f"{name}.json").read_text())
        for key in values:
            assert key in schema["properties"], f"{plugin} has no setting {key!r}"


def test_install_writes_where_jupyterlab_reads_app_settings(tmp_path):
    target = install_lab_settings(tmp_path / "venv")
    assert target == tmp_path / "venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert target.read_text() == LAB_SETTINGS.read_text()
    target.write_text("{}")
    assert install_lab_settings(tmp_path / "venv").read_text() == LAB_SETTINGS.read_text()
