"""course_utils.textgen.train: held-out bits per character and the time-budgeted loop."""

import math
import time

import keras
import numpy as np
import pytest

from course_utils.textgen.data import char_dataset
from course_utils.textgen.model import char_model, compile_char_model
from course_utils.textgen.train import (
    TrainingLog,
    bits_per_char,
    held_out_evaluator,
    held_out_rows,
    learning_rate_at,
    train_for,
)


def _uniform_model(vocab_size=16):
    model = char_model(vocab_size, embedding_dim=4, hidden_size=6)
    dense = model.get_layer("logits")
    dense.set_weights([np.zeros_like(w) for w in dense.get_weights()])  # every logit 0
    return model


def test_held_out_rows_are_evenly_spaced_pieces():
    ids = np.arange(1_000, dtype=np.int32)
    rows = held_out_rows(ids, rows=4)
    assert rows.shape == (4, 250) and rows[:, 0].tolist() == [0, 250, 500, 750]
    assert held_out_rows(ids, rows=4, length=9).shape == (4, 10)
    with pytest.raises(ValueError, match="length"):
        held_out_rows(ids, rows=4, length=250)
    with pytest.raises(TypeError, match="ids"):
        held_out_rows(np.arange(10.0), rows=2)


def test_a_uniform_model_scores_log2_of_the_vocabulary():
    rows = np.random.default_rng(0).integers(0, 16, (3, 41)).astype(np.int32)
    model = _uniform_model(16)
    assert bits_per_char(model, rows) == pytest.approx(4.0, abs=1e-6)
    assert bits_per_char(model, rows, window=10) == pytest.approx(4.0, abs=1e-6)


def test_carried_and_windowed_scores_agree_with_a_direct_computation():
    keras.utils.set_random_seed(1)
    model = char_model(12, embedding_dim=4, hidden_size=8)
    rows = np.random.default_rng(1).integers(0, 12, (2, 31)).astype(np.int32)
    logits = model.predict_on_batch(rows[:, :-1]).astype(np.float64)  # (2, 30, 12)
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    nats = -np.take_along_axis(log_p, rows[:, 1:, None], -1)[..., 0]  # (2, 30)
    assert bits_per_char(model, rows, chunk=7) == pytest.approx(nats.mean() / math.log(2), abs=1e-5)
    assert bits_per_char(model, rows, burn_in=10) == pytest.approx(
        nats[:, 10:].mean() / math.log(2), abs=1e-5
    )
    windows = rows[:, :-1].reshape(-1, 10), rows[:, 1:].reshape(-1, 10)
    logits_w = model.predict_on_batch(windows[0]).astype(np.float64)
    log_p_w = logits_w - np.log(np.exp(logits_w).sum(-1, keepdims=True))
    nats_w = -np.take_along_axis(log_p_w, windows[1][..., None], -1)[..., 0]
    assert bits_per_char(model, rows, window=10) == pytest.approx(
        nats_w.mean() / math.log(2), abs=1e-5
    )


def test_evaluator_follows_the_training_weights():
    model = _uniform_model(16)
    rows = np.random.default_rng(0).integers(0, 16, (2, 21)).astype(np.int32)
    evaluate = held_out_evaluator(model, rows, burn_in=5, window=10)
    assert evaluate(model)["bits_per_char"] == pytest.approx(4.0, abs=1e-6)
    dense = model.get_layer("logits")
    dense.set_weights([dense.get_weights()[0], np.arange(16, dtype=np.float32)])
    scores = evaluate(model)
    assert set(scores) == {"bits_per_char", "bits_per_char_window"}
    assert scores["bits_per_char"] != pytest.approx(4.0, abs=1e-3)


def test_learning_rate_schedule():
    assert learning_rate_at(0.0, 1.0, schedule="cosine") == pytest.approx(1.0)
    assert learning_rate_at(0.5, 1.0, schedule="cosine") == pytest.approx(0.5)
    assert learning_rate_at(1.0, 1.0, schedule="cosine", final=0.1) == pytest.approx(0.1)
    assert learning_rate_at(0.05, 2.0, warmup=0.1) == pytest.approx(2.0 * 0.051 / 0.1)
    assert learning_rate_at(0.0999, 2.0, warmup=0.1) == 2.0  # the warm-up never overshoots
    assert learning_rate_at(0.7, 2.0, schedule="constant", warmup=0.1) == 2.0
    with pytest.raises(ValueError, match="schedule"):
        learning_rate_at(0.5, 1.0, schedule="linear")
    with pytest.raises(ValueError, match="peak"):
        learning_rate_at(0.5, 0.0)


def test_train_for_keeps_to_its_budget_and_stops_the_clock_for_evaluation():
    keras.utils.set_random_seed(0)
    ids = np.random.default_rng(0).integers(0, 10, 20_000).astype(np.int32)
    model = compile_char_model(char_model(10, embedding_dim=4, hidden_size=8), learning_rate=0.01)

    def slow_evaluate(trained):
        time.sleep(0.5)  # must not count against the budget
        return {"bits_per_char": 1.0}

    start = time.perf_counter()
    log = train_for(
        model,
        char_dataset(ids, 20, 8),
        minutes=0.03,
        checkpoints=[0.01, 0.02],
        evaluate=slow_evaluate,
        learning_rate=0.01,
        report_every=3,
        verbose=False,
    )
    assert isinstance(log, TrainingLog)
    assert [c["target_minutes"] for c in log.checkpoints] == [0.01, 0.02, 0.03]
    assert all(c["minutes"] >= c["target_minutes"] for c in log.checkpoints)
    # at least the budget (1.8 s), and it stopped: a loose ceiling, so a loaded CI machine
    # cannot fail it (tests assert no speed)
    assert 1.8 <= log.train_seconds < 60 and log.eval_seconds >= 1.5
    assert time.perf_counter() - start >= log.train_seconds + log.eval_seconds
    assert log.chars == (log.steps - 1) * 8 * 20 and log.chars_per_second > 0
    assert log.curve and all(p["train_bits"] > 0 for p in log.curve)
    assert float(model.optimizer.learning_rate) < 0.01 * 0.2  # the cosine has run down
    assert log.at(0.02)["bits_per_char"] == 1.0
    with pytest.raises(ValueError, match="checkpoint"):
        log.at(0.5)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"minutes": 0}, ValueError, "minutes"),
        ({"minutes": 1, "clock": "cpu"}, ValueError, "clock"),
        ({"minutes": 1, "report_every": 0}, ValueError, "report_every"),
        ({"minutes": 1, "learning_rate": -1.0}, ValueError, "peak"),
        ({"minutes": 1, "checkpoints": [-1]}, ValueError, "checkpoints"),
    ],
)
def test_train_for_rejects_bad_arguments(kwargs, error, name):
    model = compile_char_model(char_model(10, embedding_dim=2, hidden_size=2))
    ds = char_dataset(np.arange(400, dtype=np.int32) % 10, 5, 4)
    with pytest.raises(error, match=name):
        train_for(model, ds, **kwargs)


def test_windowed_score_covers_the_carried_positions():
    keras.utils.set_random_seed(2)
    model = char_model(12, embedding_dim=4, hidden_size=8)
    rows = np.random.default_rng(2).integers(0, 12, (2, 36)).astype(np.int32)  # 35 targets
    x, y = rows[:, :-1], rows[:, 1:]
    nats = []  # positions 5..34: windows [5, 15), [15, 25), [25, 35) from a zero state
    for start, end in ((5, 15), (15, 25), (25, 35)):
        logits = model.predict_on_batch(x[:, start:end]).astype(np.float64)
        log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        nats.append(-np.take_along_axis(log_p, y[:, start:end, None], -1)[..., 0])
    expected = np.concatenate(nats, axis=1).mean() / math.log(2)
    assert bits_per_char(model, rows, window=10, burn_in=5) == pytest.approx(expected, abs=1e-5)
    # a tail shorter than a window is scored too: positions 5..34 in windows of 12
    assert np.isfinite(bits_per_char(model, rows, window=12, burn_in=5))


def test_stop_at_trains_the_start_of_a_longer_schedule():
    keras.utils.set_random_seed(0)
    ids = np.random.default_rng(0).integers(0, 10, 20_000).astype(np.int32)
    model = compile_char_model(char_model(10, embedding_dim=4, hidden_size=8), learning_rate=0.01)
    log = train_for(
        model,
        char_dataset(ids, 20, 8),
        minutes=0.1,
        stop_at=0.02,
        evaluate=lambda trained: {"bits_per_char": 1.0},
        learning_rate=0.01,
        verbose=False,
    )
    assert [c["target_minutes"] for c in log.checkpoints] == [0.02]
    assert 1.2 <= log.train_seconds < 60
    # a fifth of the way into a cosine the rate is still near its peak, not run down
    assert float(model.optimizer.learning_rate) > 0.01 * 0.8
    with pytest.raises(ValueError, match="stop_at"):
        train_for(model, char_dataset(ids, 20, 8), minutes=0.1, stop_at=0.2, verbose=False)


@pytest.mark.parametrize("cell", ["gru", "min_gru", "transformer"])
def test_mixed_precision_keeps_the_logits_in_float32(cell):
    from course_utils.textgen.model import build_from_settings

    settings = {
        "cell": cell, "embedding_dim": 8, "hidden_size": 8, "num_layers": 1,
        "seq_length": 8, "batch_size": 2, "stateful": False, "learning_rate": 1e-3,
        "schedule": "constant", "warmup": 0.0, "clipnorm": 1.0,
    }  # fmt: skip
    policy = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        model = build_from_settings(settings, vocab_size=11)
    finally:
        keras.config.set_dtype_policy(policy)
    assert model.get_layer("logits").compute_dtype == "float32"
    assert model.get_layer("embedding").compute_dtype == "bfloat16"  # the rest stays mixed
    logits = model(np.zeros((2, 8), dtype="int32"))  # (batch, time, vocab)
    assert keras.backend.standardize_dtype(logits.dtype) == "float32"
