"""`make gpu-check`: every lesson in full mode on a GPU, with cuDNN required where it can run.

    python tools/gpu_check.py [--out benchmarks/results/gpu_check.json] [--lessons 04 06]

On a GPU, Keras runs LSTM and GRU layers through cuDNN when their configuration allows
(tanh/sigmoid, no unroll, biases, no recurrent dropout, ``reset_after=True`` for the
GRU); ``use_cudnn="auto"`` silently falls back to the slow loop otherwise, and cuDNN
rejects masks that are not right-padded or rows that are all padding. So each lesson is
run with one cell added after its first: it sets ``use_cudnn=True`` on every LSTM/GRU
layer that cuDNN can run, which makes Keras *raise* when the cuDNN path is not taken,
and counts the layers that cannot use cuDNN by their configuration (lesson 05's
``reset_after=False`` GRU, say). Per-lesson times, the layer counts and any error go to
a JSON file with the machine, the date and the command. With no GPU it refuses in one
line. The JSON, committed, is where any GPU time in the README comes from.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "gpu_check.json"

#: Added after each lesson's first cell: cuDNN is required wherever it can run.
HARNESS = """\
# gpu-check (tools/gpu_check.py): cuDNN is required for every LSTM/GRU that can use it.
import keras

_gpu_check = {"cudnn_layers": 0, "not_eligible": []}


def _require_cudnn(cls, needs_reset_after):
    init = cls.__init__

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        cell = self.cell
        eligible = (
            getattr(cell.activation, "__name__", "") == "tanh"
            and getattr(cell.recurrent_activation, "__name__", "") == "sigmoid"
            and not self.unroll
            and cell.use_bias
            and not cell.recurrent_dropout
            and (cell.reset_after if needs_reset_after else True)
        )
        if eligible and kwargs.get("use_cudnn", "auto") == "auto":
            self.use_cudnn = True  # Keras now raises if the cuDNN path is not taken
            _gpu_check["cudnn_layers"] += 1
        else:
            _gpu_check["not_eligible"].append(f"{type(self).__name__} {self.name}")

    cls.__init__ = __init__


_require_cudnn(keras.layers.LSTM, False)
_require_cudnn(keras.layers.GRU, True)"""

REPORT = 'import json\nprint("GPU-CHECK " + json.dumps(_gpu_check))'


def gpu_names() -> list[str]:
    """The GPUs TensorFlow sees (empty on a CPU-only machine)."""
    import tensorflow as tf

    return [d.name for d in tf.config.list_physical_devices("GPU")]


def instrument(nb):
    """A copy of notebook ``nb`` with the harness after its first code cell and a report last."""
    import copy

    import nbformat

    nb = copy.deepcopy(nb)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first + 1, nbformat.v4.new_code_cell(HARNESS))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    return nb


def _execute(nb, workdir: Path) -> None:
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=1800, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()  # fmt: skip


def check_lesson(path: Path, execute=_execute) -> dict:
    """Run one lesson (full mode) under the harness; return its record."""
    import nbformat

    nb = instrument(nbformat.read(path, as_version=4))
    start = time.perf_counter()
    record = {"seconds": None, "cudnn_layers": None, "not_eligible": None, "error": None}
    try:
        execute(nb, path.parent)
    except Exception as error:  # the lesson failed on the GPU: keep the reason
        record["error"] = f"{type(error).__name__}: {str(error)[-1500:]}"
    record["seconds"] = round(time.perf_counter() - start, 1)
    for cell in reversed(nb.cells):
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            if out.get("output_type") == "stream" and text.startswith("GPU-CHECK "):
                record.update(json.loads(text.split(" ", 1)[1]))
                return record
    return record


def run(lessons: list[Path], out: Path, gpus: list[str], execute=_execute) -> dict:
    """Check each lesson, then write the JSON report to ``out`` and return it."""
    os.environ.pop("COURSE_FAST", None)  # full mode: what learners run
    from course_utils.core.environment import machine_description

    report = {
        "benchmark": "gpu_check",
        "command": " ".join(["python", "tools/gpu_check.py", *sys.argv[1:]]),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_description(),
        "gpus": gpus,
        "python": platform.python_version(),
        "lessons": {},
    }
    for path in lessons:
        print(f"{path.name} ...", flush=True)
        report["lessons"][path.name] = record = check_lesson(path, execute)
        print(f"  {record}", flush=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n")  # after each lesson: resumable
    return report


def main(argv: list[str] | None = None, gpus=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/gpu_check.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--lessons", nargs="*", default=None, help="two-digit numbers")
    args = parser.parse_args(argv)
    gpus = gpu_names() if gpus is None else gpus
    if not gpus:
        print("gpu-check: refused: TensorFlow sees no GPU here; run it on a CUDA machine.")
        return 2
    # lessons and their appendices (06b_...), as tools/lessons.py lists them (this file
    # runs as a script, where the `tools` package is not importable)
    patterns = ("[0-9][0-9]_*.ipynb", "[0-9][0-9][a-z]_*.ipynb")
    lessons = sorted(p for g in patterns for p in (ROOT / "notebooks").glob(g))
    if args.lessons:
        lessons = [p for p in lessons if p.name[:2] in args.lessons]
    report = run(lessons, args.out, gpus)
    failed = [name for name, r in report["lessons"].items() if r["error"]]
    print(f"gpu-check: {len(lessons) - len(failed)} of {len(lessons)} lessons passed; {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
