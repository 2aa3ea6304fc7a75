"""On the JAX backend, every race contender's train step is compiled once, not every step.

``compile_char_model`` used to pass ``jit_compile=False`` to Keras, which on JAX runs the
train step op by op and compiles the GRU's ``lax.scan`` again at every step (issue #28:
about a tenth of TensorFlow's speed). Keras fixes its backend once per process, so the
check runs in a child process with ``KERAS_BACKEND=jax``; it counts JAX's "Compiling"
log records after the first steps: for the GRU with the course's default and with ``False``
(which must show the fault, or the count proves nothing), and for the race's other kinds of
model (Transformer, minGRU stack) with the default, since the race trains each on the
backend its speed check picks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("jax", reason="JAX is not installed (pyproject's 'jax' extra)")

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import json, logging
import jax
import keras
import numpy as np
from course_utils.textgen import build_from_settings, char_dataset, compile_char_model

jax.config.update("jax_log_compiles", True)
compiles = []
class Count(logging.Handler):
    def emit(self, record):
        if "Compiling" in record.getMessage():
            compiles.append(record.getMessage())
logging.getLogger("jax").addHandler(Count())
logging.getLogger("jax").setLevel(logging.WARNING)

S = {"embedding_dim": 8, "hidden_size": 16, "cell": "gru", "num_layers": 1, "batch_size": 4,
     "seq_length": 10, "stateful": False, "learning_rate": 1e-3, "schedule": "constant",
     "warmup": 0.0, "clipnorm": 1.0}
ids = np.random.default_rng(0).integers(0, 12, 5000)
data = char_dataset(ids, S["seq_length"], S["batch_size"], seed=0)
OTHERS = {  # the race's other kinds of model, as small
    "transformer": {"cell": "transformer", "num_layers": 2, "heads": 2},
    "min_gru": {"cell": "min_gru", "num_layers": 2},
}
out = {}
for name, jit in (("gru", "auto"), ("gru", False), ("transformer", "auto"), ("min_gru", "auto")):
    keras.utils.set_random_seed(0)
    model = compile_char_model(build_from_settings({**S, **OTHERS.get(name, {})}, 12), jit_compile=jit)
    model.fit(data, epochs=1, steps_per_epoch=3, verbose=0)  # compilation happens here
    before = len(compiles)
    model.fit(data, epochs=1, steps_per_epoch=10, verbose=0)
    out[f"{name} {jit}"] = len(compiles) - before
print("COMPILES " + json.dumps(out))
"""


def test_jax_compiles_each_contenders_train_step_once():
    env = dict(os.environ, KERAS_BACKEND="jax", PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=300
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("COMPILES ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    counts = json.loads(lines[-1].split(" ", 1)[1])
    # 10 more steps of the course's default: at most a compile of the second fit's setup.
    for name in ("gru", "transformer", "min_gru"):
        assert counts[f"{name} auto"] <= 2, counts
    # The old default compiled the scan on every step: the check can see the fault.
    assert counts["gru False"] >= 10, counts
