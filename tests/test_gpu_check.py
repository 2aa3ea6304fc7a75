"""tools/gpu_check.py on a CPU: the refusal, the cuDNN harness, and the JSON it writes."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat

from tools import gpu_check

ROOT = Path(__file__).resolve().parents[1]


def test_refuses_in_one_line_without_a_gpu(capsys, tmp_path):
    assert gpu_check.main(["--out", str(tmp_path / "x.json")], gpus=[]) == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "no GPU" in out
    assert not (tmp_path / "x.json").exists()


PROBE = """
import json, numpy as np
lstm, gru = keras.layers.LSTM(4), keras.layers.GRU(4)
keras.layers.GRU(4, reset_after=False); keras.layers.LSTM(4, activation="relu")
keras.layers.LSTM(4, use_cudnn=False)
x = np.zeros((2, 3, 1), "float32")
try:
    lstm(x)  # on a CPU the cuDNN path cannot be taken: the harness makes Keras say so
    raised = ""
except ValueError as error:
    raised = str(error)
print(json.dumps({"check": _gpu_check, "flags": [lstm.use_cudnn, gru.use_cudnn], "raised": raised}))
"""


def test_harness_requires_cudnn_where_the_configuration_allows():
    code = gpu_check.HARNESS + "\n" + PROBE
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert facts["check"]["cudnn_layers"] == 2 and facts["flags"] == [True, True]
    assert len(facts["check"]["not_eligible"]) == 3  # reset_after=False, relu, use_cudnn=False
    assert "use_cudnn=True" in facts["raised"]


def _fake_execute(nb, workdir):
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    assert nb.cells[first + 1].source == gpu_check.HARNESS  # right after the first code cell
    report = {"cudnn_layers": 3, "not_eligible": ["GRU gru"]}
    nb.cells[-1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="GPU-CHECK " + json.dumps(report))
    ]


def _broken_execute(nb, workdir):
    raise RuntimeError("You are passing a RNN mask that does not correspond to right-padded")


def test_report_records_each_lesson(tmp_path):
    lessons = sorted((ROOT / "notebooks").glob("0[46]_*.ipynb"))
    out = tmp_path / "gpu.json"
    report = gpu_check.run(lessons, out, ["/physical_device:GPU:0"], execute=_fake_execute)
    saved = json.loads(out.read_text())
    assert saved == report and {"command", "date", "machine", "gpus"} <= set(saved)
    record = saved["lessons"]["04_lstm.ipynb"]
    assert record["cudnn_layers"] == 3 and record["error"] is None
    assert record["seconds"] >= 0
    broken = gpu_check.run(lessons[:1], out, ["gpu"], execute=_broken_execute)
    assert "right-padded" in broken["lessons"]["04_lstm.ipynb"]["error"]
