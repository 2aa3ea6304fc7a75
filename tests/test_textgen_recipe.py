"""benchmarks/textgen_recipe.py continues an unfinished run from the model it saved after
its last epoch, and from nothing else (the full run takes about 100 minutes)."""

import argparse
import json

from benchmarks.textgen_recipe import _resumable


def _args(tmp_path, **kw):
    out = tmp_path / "recipe.json"
    base = {"out": out, "resume": True, "epochs": 20, "steps_per_epoch": None}
    return argparse.Namespace(**{**base, "checkpoint": tmp_path / "model", **kw})


def _write(args, **report):
    args.out.write_text(json.dumps({"epochs_done": 3, "steps_per_epoch_requested": None, **report}))


def test_resumes_only_an_unfinished_run_with_its_saved_model(tmp_path):
    args = _args(tmp_path)
    assert _resumable(args) is None  # nothing written yet
    _write(args)
    assert _resumable(args) is None  # no saved model for epoch 3
    args.checkpoint.mkdir()
    (args.checkpoint / "epoch3.keras").write_bytes(b"model")
    assert _resumable(args)["epochs_done"] == 3
    assert _resumable(_args(tmp_path, resume=False)) is None  # --fresh
    assert _resumable(_args(tmp_path, epochs=3)) is None  # all its epochs done
    assert _resumable(_args(tmp_path, steps_per_epoch=5)) is None  # another epoch length
    _write(args, finished="2026-12-07")
    assert _resumable(args) is None
