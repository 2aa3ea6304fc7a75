"""tools/colab_drift.py, offline: made-up lists in backend-info's formats (tests/fixtures/colab/).

``old/`` matches the fixture pin file; ``new/`` moves Python 3.12 -> 3.13, TensorFlow, Keras and
absl-py, drops wrapt and keeps jedi absent (its pin line is marked ``# not in Colab's list``).
The network is never used: downloads go through a stand-in for ``urllib.request.urlopen``.
"""

import datetime
import io
import json
import re
import shutil
import subprocess
import sys
import urllib.error
from pathlib import Path

import pytest
import yaml

from tools import colab_drift
from tools.colab_lists import normalize, parse_os_info, parse_pins, parse_requirements

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "colab"
PINS = FIXTURES / "colab_runtime.txt"
WORKFLOW = ROOT / ".github" / "workflows" / "colab-drift.yml"


def drift(capsys, *args):
    """(exit code, stdout, stderr) of the tool on the fixture pin file unless --pins is given."""
    pins = [] if "--pins" in args else ["--pins", str(PINS)]
    code = colab_drift.main([*args, *pins])
    out, err = capsys.readouterr()
    return code, out, err


def sentence(lines):
    """Comment lines as one sentence, without their ``# ``."""
    return " ".join(line.removeprefix("# ") for line in lines)


def test_no_drift_exits_0_and_says_so(capsys):
    code, out, err = drift(capsys, "--source", str(FIXTURES / "old"))
    assert code == 0 and out.startswith("No drift:") and "Python 3.12.11" in out, (out, err)


def test_drift_names_each_change_old_to_new_important_first(capsys):
    code, out, _ = drift(capsys, "--source", str(FIXTURES / "new"))
    assert code == 1
    lines = [ln.strip() for ln in out.splitlines() if ln.startswith("  ")]
    assert lines == [
        "! python: 3.12 -> 3.13",
        "! keras: 3.10.0 -> 3.13.2",
        "! tensorflow: 2.19.0 -> 2.20.0",
        "absl-py: 1.4.0 -> 1.4.1",
        "wrapt: 1.17.2, no longer in Colab's list (kept in the pin file)",
    ]
    assert "--write" in out


def test_json_summary(capsys):
    code, out, _ = drift(capsys, "--source", str(FIXTURES / "new"), "--json")
    summary = json.loads(out)
    assert code == 1 and summary["drift"] and not summary["written"]
    assert (summary["python"], summary["colab_python"]) == ("3.12", "3.13.15")
    kinds = {c["name"]: (c["kind"], c["pinned"], c["colab"]) for c in summary["changes"]}
    assert kinds["wrapt"] == ("removed", "1.17.2", None)
    assert kinds["tensorflow"] == ("changed", "2.19.0", "2.20.0")


def test_write_moves_versions_and_python_keeps_the_rest(capsys, tmp_path):
    pins = tmp_path / "colab_runtime.txt"
    shutil.copy(PINS, pins)
    code, out, _ = drift(capsys, "--source", str(FIXTURES / "new"), "--pins", str(pins), "--write")
    assert code == 1 and f"Rewrote {pins}" in out and "wrapt: 1.17.2, no longer" in out
    old, new = PINS.read_text().splitlines(), pins.read_text().splitlines()
    today = datetime.date.today().isoformat()
    assert new[0] == old[0] and new[3] == "# A comment the tool keeps as it is."
    assert sentence(new[1:3]).endswith(f"os-info.txt), copies as read on {today}.")
    assert "# python: 3.13" in new and "# python: 3.12" not in new
    for pin in ("tensorflow==2.20.0", "keras==3.13.2", "absl-py==1.4.1", "numpy==2.0.2"):
        assert pin in new, pin
    assert "wrapt==1.17.2" in new  # gone from Colab: kept, and reported above
    assert "jedi==0.19.2  # not in Colab's list" in new
    assert len(new) == len(old)
    # the rewritten file now matches: no drift apart from the kept package
    code, out, _ = drift(capsys, "--source", str(FIXTURES / "new"), "--pins", str(pins), "--write")
    assert code == 1 and "Nothing to rewrite" in out and pins.read_text().splitlines() == new


def test_write_never_rewrites_without_drift(capsys, tmp_path):
    pins = tmp_path / "colab_runtime.txt"
    shutil.copy(PINS, pins)
    code, _, _ = drift(capsys, "--source", str(FIXTURES / "old"), "--pins", str(pins), "--write")
    assert code == 0 and pins.read_bytes() == PINS.read_bytes()


def test_unreadable_source_exits_2_with_one_line(capsys, tmp_path):
    code, out, err = drift(capsys, "--source", str(tmp_path / "missing"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "could not read" in err and "pip-freeze.txt" in err


def test_offline_exits_2_with_one_line_and_a_timeout(capsys, monkeypatch):
    timeouts = []

    def offline(url, timeout=None):
        timeouts.append(timeout)
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(colab_drift.urllib.request, "urlopen", offline)
    code, out, err = drift(capsys, "--timeout", "7")
    assert code == 2 and out == "" and timeouts and set(timeouts) == {7.0}
    last = err.strip().splitlines()[-1]
    assert "could not read https://raw.githubusercontent.com/googlecolab/backend-info/" in last
    assert "offline?" in last and "Traceback" not in err


def test_online_reads_both_files_at_the_newest_commit(capsys, monkeypatch, tmp_path):
    sha = "fedcba9876543210fedcba9876543210fedcba98"
    api = {"sha": sha, "commit": {"committer": {"date": "2026-09-01T10:00:00Z"},
                                  "message": 'Upgrade "TF" to 2.20\n\nmore'}}  # fmt: skip
    served = {colab_drift.API: json.dumps(api)}
    for name in colab_drift.FILES:
        url = colab_drift.RAW.format(ref=sha, name=name)
        served[url] = (FIXTURES / "new" / name).read_text()
    monkeypatch.setattr(
        colab_drift.urllib.request, "urlopen", lambda url, timeout: io.BytesIO(served[url].encode())
    )
    pins = tmp_path / "colab_runtime.txt"
    shutil.copy(PINS, pins)
    code, out, _ = drift(capsys, "--pins", str(pins), "--write")
    assert code == 1 and f"backend-info@{sha}" in out
    text = sentence(pins.read_text().splitlines()[1:3])
    assert text.endswith(f"commit {sha} of 2026-09-01 (\"Upgrade 'TF' to 2.20\").")


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("pip-freeze.txt", "# c\nnumpy==2.0.2\nkeras 3.10.0\n", "pip-freeze.txt line 3: 'keras 3.10.0'"),
        ("pip-freeze.txt", "numpy==2.0.2\nnumpy==2.1.0\n", "pip-freeze.txt line 2: numpy is listed twice"),
        ("os-info.txt", "Ubuntu 22.04.5 LTS\n", "os-info.txt must have one 'Python X.Y.Z' line"),
    ],
)  # fmt: skip
def test_malformed_lists_are_reported_with_file_and_line(capsys, tmp_path, name, text, where):
    for file in colab_drift.FILES:
        shutil.copy(FIXTURES / "old" / file, tmp_path / file)
    (tmp_path / name).write_text(text)
    code, _, err = drift(capsys, "--source", str(tmp_path))
    assert code == 2 and where in err and err.count("\n") == 1, err


def test_malformed_pin_file_is_reported(capsys, tmp_path):
    pins = tmp_path / "colab_runtime.txt"
    pins.write_text(PINS.read_text().replace("six==1.17.0", "six>=1.17"))
    code, _, err = drift(capsys, "--source", str(FIXTURES / "old"), "--pins", str(pins))
    assert code == 2 and f"{pins} line 11: 'six>=1.17'" in err


def test_parsers_read_backend_info_formats():
    freeze = parse_requirements(
        "# comment\nJupyter_Client==7.4.9\n"
        "torch @ https://download.pytorch.org/whl/cpu/torch-2.11.0%2Bcpu-cp313-cp313-x.whl\n"
        "google-colab @ file:///colabtools/dist/google_colab-1.0.0.tar.gz\n"
        "jupyter_kernel_gateway @ git+https://github.com/googlecolab/kernel_gateway@b134e99\n",
        "pip-freeze.txt",
    )
    assert freeze["jupyter-client"].version == "7.4.9"
    assert freeze["torch"].version == "2.11.0+cpu" and freeze["google-colab"].version == "1.0.0"
    assert freeze["jupyter-kernel-gateway"].version is None
    assert parse_os_info("Ubuntu 22.04.5 LTS\nPython 3.13.15\nR version 4.6.1\n", "os") == "3.13.15"
    assert normalize("Jupyter_Client") == "jupyter-client"


def test_a_marked_package_now_listed_and_a_url_without_version_are_drift(tmp_path):
    pins = "# python: 3.13\njedi==0.19.2  # not in Colab's list\ntorch==2.6.0\n"
    colab = parse_requirements("jedi==0.20.1\ntorch @ git+https://x.org/torch@abc\n", "f")
    changes = colab_drift.compare(*parse_pins(pins, "p"), "3.13.2", colab)
    assert [(c.name, c.kind, c.colab) for c in changes] == [
        ("jedi", "listed", "0.20.1"),
        ("torch", "unpinnable", "@ git+https://x.org/torch@abc"),
    ]
    text = f"# {colab_drift.SOURCE}, copies as read on 2026-01-01.\n" + pins
    new = colab_drift.rewrite(text, "p", changes, ["# Source: new."])
    assert new.splitlines()[0] == "# Source: new."
    assert "jedi==0.20.1" in new.splitlines() and "torch==2.6.0" in new.splitlines()


def test_wrong_input_names_the_argument():
    with pytest.raises(TypeError, match="text must be the str contents of 'x.txt', got bytes"):
        parse_requirements(b"numpy==1", "x.txt")
    with pytest.raises(ValueError, match=r"python must be the pinned 'X.Y', got '3'"):
        colab_drift.compare("3", {}, "3.13.1", {})
    with pytest.raises(TypeError, match="read_on must be a datetime.date, got '2026-01-01'"):
        colab_drift.provenance(None, "2026-01-01")


def test_the_real_pin_file_parses_and_its_source_line_is_the_tools():
    text = (ROOT / "tests" / "colab_runtime.txt").read_text()
    python, pins = parse_pins(text, "tests/colab_runtime.txt")
    assert python == "3.13" and {"tensorflow", "keras", "numpy", "ipywidgets"} <= set(pins)
    assert "python tools/colab_drift.py --write" in text
    lines = text.splitlines()
    start, end = colab_drift._source_block(lines, "tests/colab_runtime.txt")
    sha, date = lines[start + 1].split()[1], lines[start + 1].split()[3]
    commit = {"sha": sha, "date": date, "subject": "Upgrade to Python 3.13"}
    assert colab_drift.provenance(commit, datetime.date.today()) == lines[start:end]


def test_every_course_dependency_is_important():
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.M | re.S).group(1)
    names = re.findall(r'^\s*"([A-Za-z0-9_.-]+)', block, re.M)
    assert len(names) >= 7, block  # keras, numpy, matplotlib, ipywidgets, tqdm, scipy, ...
    for name in [*names, "tensorflow", "ipykernel", "jupyter_client"]:
        assert colab_drift.is_important(name), name


def test_runs_as_a_script_without_the_package_on_the_path(tmp_path):
    proc = subprocess.run(
        [sys.executable, ROOT / "tools" / "colab_drift.py", "--source", FIXTURES / "old",
         "--pins", PINS],
        capture_output=True, text=True, cwd=tmp_path, env={"PATH": ""}, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stdout.startswith("No drift:"), proc.stderr


def test_the_weekly_workflow_runs_the_tool_then_the_replica():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert crons and all(len(cron.split()) == 5 for cron in crons)
    assert "workflow_dispatch" in triggers
    (job,) = workflow["jobs"].values()
    runs = [step.get("run", "") for step in job["steps"]]
    tool = next(i for i, run in enumerate(runs) if "tools/colab_drift.py" in run)
    replica = next(i for i, run in enumerate(runs) if "tests/test_colab_path.py" in run)
    install = next(i for i, run in enumerate(runs) if "tools/course.py venv" in run)
    assert install < replica and tool < replica
    assert "exit 1" in runs[-1] and "steps.drift.outputs.code" in job["steps"][-1]["if"]
