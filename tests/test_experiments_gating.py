"""course_utils.experiments.gating: tiny timed runs, gate reading on the adding problem,
character windows, seed summaries and the verdicts of the rebuilt article table."""

import json

import keras
import numpy as np
import pytest

from course_utils.core.datasets import load_corpus
from course_utils.core.registry import RECURRENT
from course_utils.experiments import adding_runs, char_data, gating, gating_results
from course_utils.gates import gate_activations
from course_utils.gradients import hidden_gradient_norms
from course_utils.tasks import adding_problem

# --- models and runs ------------------------------------------------------------------


TINY = {"length": 8, "n_train": 64, "n_val": 40, "hidden_size": 3}


@pytest.mark.parametrize("cell", RECURRENT)
def test_run_task_records_everything(cell):
    run = gating.run_task("adding_T50", cell, seed=0, epochs=2, **TINY)
    assert (run.task, run.cell, run.metric_name) == ("adding_T50", cell, "mse")
    assert run.params == run.model.count_params()
    assert len(run.history) == len(run.epoch_seconds) == 2
    assert run.metric == run.history[-1] and run.inference_us > 0
    assert run.seconds_per_epoch == run.epoch_seconds[1]  # the first epoch (tracing) left out
    record = run.to_dict()
    assert "model" not in record and json.loads(json.dumps(record))["cell"] == cell


def test_time_task_interleaves_and_apply_timing_keeps_the_sequential_times():
    timing = gating.time_task("adding_T50", rounds=2, batches=2, batch_size=16, **TINY)
    assert set(timing) == {"lstm", "gru"}
    for value in timing.values():
        assert value["seconds_per_epoch"] > 0 and value["inference_us"] > 0
    rows = [
        {"task": "adding_T50", "cell": "lstm", "seconds_per_epoch": 9.0, "inference_us": 9.0},
        {"task": "other", "cell": "lstm", "seconds_per_epoch": 9.0, "inference_us": 9.0},
    ]
    gating.apply_timing(rows, "adding_T50", timing)
    gating.apply_timing(rows, "adding_T50", timing)  # twice: the sequential times survive
    assert rows[0]["timing"] == "interleaved" and rows[0]["sequential_seconds_per_epoch"] == 9.0
    assert rows[0]["inference_us"] == round(timing["lstm"]["inference_us"], 2)
    assert rows[1] == {
        "task": "other",
        "cell": "lstm",
        "seconds_per_epoch": 9.0,
        "inference_us": 9.0,
    }
    with pytest.raises(ValueError, match="rounds"):
        gating.time_task("adding_T50", rounds=0, **TINY)
    with pytest.raises(TypeError, match="cells"):
        gating.time_task("adding_T50", cells="lstm", **TINY)
    with pytest.raises(ValueError, match="cells"):
        gating.time_task("adding_T50", cells=["rnn"], **TINY)


def test_unit_forget_bias_sets_the_initial_forget_bias():
    keras.utils.set_random_seed(0)
    for flag, expected in ((True, 1.0), (False, 0.0)):
        model = adding_runs.adding_model("lstm", length=5, hidden_size=4, unit_forget_bias=flag)
        bias = model.layers[0].get_weights()[2]  # (4 * units,): i, f, c, o
        np.testing.assert_allclose(bias[4:8], expected)
        np.testing.assert_allclose(np.delete(bias, range(4, 8)), 0.0)


def test_run_task_uses_the_shared_configuration_and_checks_overrides():
    run = gating.run_task(
        "adding_T50", "gru", seed=1, epochs=1, n_train=32, n_val=16, reset_after=False
    )
    assert run.task == "adding_T50" and run.params == 3 * (16 * 2 + 16 * 16 + 16) + 17
    with pytest.raises(ValueError, match="unknown settings"):
        gating.run_task("adding_T50", "gru", epochs=1, lenght=5)
    with pytest.raises(ValueError, match="text="):
        gating.run_task("char_lm", "gru")
    with pytest.raises(ValueError, match="epochs"):
        gating.run_task("adding_T50", "gru", epochs=0)
    with pytest.raises(TypeError, match="n_train"):
        gating.run_task("adding_T50", "gru", n_train=1.5)
    with pytest.raises(ValueError, match="name"):
        gating.run_task("adding", "gru")


@pytest.mark.parametrize("offline", [False, True])
def test_char_lm_runs_on_the_real_and_the_fallback_corpus(offline, monkeypatch, tmp_path):
    if offline:  # no shared copy, no cache, no network: the generated grammar corpus
        monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
        monkeypatch.setenv("COURSE_OFFLINE", "1")
        monkeypatch.setattr("course_utils.core.datasets._repo_datasets_dir", lambda: None)
    corpus = load_corpus("tinyshakespeare", verbose=False)
    if not offline and corpus.is_fallback:
        pytest.skip("no copy of Tiny Shakespeare on this machine")
    assert corpus.is_fallback == offline
    run = gating.run_task(
        "char_lm", "lstm", text=corpus.text, n_chars=4000, seq_length=20, hidden_size=8, epochs=1
    )
    assert run.metric_name == "bits_per_char"
    data = char_data.char_lm_data(corpus.text, n_chars=4000, seq_length=20)
    assert 0 < run.metric < 1.5 * np.log2(data.vocab_size)


def test_char_lm_data_windows_are_shifted_by_one():
    data = char_data.char_lm_data("abcdefghij" * 30, n_chars=300, seq_length=7, val_fraction=0.2)
    assert data.vocab == "abcdefghij" and data.vocab_size == 10
    assert data.x_train.shape[1] == 7 and data.x_train.dtype == np.int32
    np.testing.assert_array_equal((data.x_train + 1) % 10, data.y_train)
    np.testing.assert_array_equal((data.x_val + 1) % 10, data.y_val)
    assert len(data.x_train) == (240 - 1) // 7 and len(data.x_val) == (60 - 1) // 7
    with pytest.raises(ValueError, match="too short"):
        char_data.char_lm_data("abc" * 10, n_chars=30, seq_length=20)
    with pytest.raises(TypeError, match="text"):
        char_data.char_lm_data(b"abc", n_chars=3)
    with pytest.raises(ValueError, match="val_fraction"):
        char_data.char_lm_data("abc" * 100, n_chars=300, val_fraction=0.9)


# --- the loss of the gradient-flow plot ----------------------------------------------


def test_readout_mse_loss_matches_keras_and_feeds_hidden_gradient_norms():
    run = gating.run_task("adding_T50", "lstm", length=6, n_train=32, n_val=8, epochs=1)
    x, y = adding_problem(8, 6, seed=2)
    loss = gating.readout_mse_loss(run.model, y)
    outputs = gate_activations(run.model, x)["hidden"].astype(np.float64)
    value, d_outputs = loss(outputs)
    assert value == pytest.approx(run.model.evaluate(x, y, verbose=0), rel=1e-4)
    assert d_outputs.shape == outputs.shape and np.all(d_outputs[:, :-1] == 0)
    norms = hidden_gradient_norms(run.model.layers[0], x, loss)
    assert norms.shape == (6,) and norms[-1] > 0
    with pytest.raises(TypeError, match="Dense"):
        gating.readout_mse_loss(keras.Sequential([keras.Input((3, 2)), keras.layers.GRU(2)]), y)
    with pytest.raises(ValueError, match="y"):
        gating.readout_mse_loss(run.model, y[:, 0])


def test_epochs_to_reach():
    # The default threshold is the course's one SOLVED_MSE = 1/60: 0.04 is not solved.
    assert gating.epochs_to_reach([0.2, 0.1, 0.04, 0.01]) == 4
    assert gating.epochs_to_reach([0.2, 0.1, 0.04, 0.01], 0.05) == 3
    assert gating.epochs_to_reach([0.2, 0.1], 0.05) is None
    with pytest.raises(ValueError, match="history"):
        gating.epochs_to_reach([[0.1]])


# --- seeds, agreement, verdicts ---------------------------------------------------------


def test_agreement_is_the_cores_rule_for_the_runs_metric():
    agrees, low, high = gating_results.agreement(0.002, [0.001, 0.002, 0.003])
    assert agrees and (low, high) == (0.0005, 0.006)  # min / 2, max * 2 for an MSE
    # Every committed seed solved the task: an unsolved live run never agrees.
    assert not gating_results.agreement(0.03, [0.01, 0.012, 0.015])[0]
    bits = gating_results.agreement(2.3, [2.25, 2.28], metric_name="bits/char")
    assert bits == (True, pytest.approx(2.15), pytest.approx(2.38))
    with pytest.raises(TypeError, match="live"):
        gating_results.agreement("1", [1.0])
    with pytest.raises(ValueError, match="metric_name"):
        gating_results.agreement(1.0, [1.0], metric_name="f1")


def fake_rows(metrics, times=None, inference=None):
    """Run.to_dict()-like rows: metrics[(task, cell)] = list of per-seed values."""
    rows = []
    for (task, cell), values in metrics.items():
        for seed, value in enumerate(values):
            rows.append(
                {
                    "task": task,
                    "cell": cell,
                    "seed": seed,
                    "metric": value,
                    "metric_name": "mse",
                    "params": 1233 if cell == "lstm" else 977,
                    "seconds_per_epoch": (times or {}).get(cell, 1.0),
                    "inference_us": (inference or {}).get(cell, 10.0),
                }
            )
    return rows


def verdicts(rows):
    return {row["feature"]: row["verdict"] for row in gating_results.claims_table(rows)}


def test_claims_table_verdicts():
    same = [0.01, 0.0101, 0.0099]
    lstm_wins = {
        ("adding_T200", "lstm"): [0.01, 0.012, 0.011],
        ("adding_T200", "gru"): [0.05, 0.06, 0.055],
        ("adding_T50", "lstm"): same,
        ("adding_T50", "gru"): same,
        ("char_lm", "lstm"): [2.5, 2.6, 2.4],
        ("char_lm", "gru"): [2.5, 2.6, 2.45],
    }
    result = verdicts(fake_rows(lstm_wins, times={"gru": 0.8}, inference={"gru": 12.0}))
    assert result == {
        "gates": "holds",
        "hidden state": "holds",
        "complexity": "holds",
        "computational cost": "observation",  # timed in one process: never a verdict
        "training speed": "observation",
        "parameter count": "holds",
        "performance": "holds",
    }
    gru_wins = {
        **lstm_wins,
        ("adding_T200", "lstm"): [0.05, 0.06, 0.055],
        ("adding_T200", "gru"): [0.01, 0.012, 0.011],
    }
    assert verdicts(fake_rows(gru_wins))["performance"] == "does not hold"
    gru_short_worse = {**lstm_wins, ("adding_T50", "gru"): [0.1, 0.11, 0.09]}
    assert verdicts(fake_rows(gru_short_worse))["performance"] == "does not hold"
    # A GRU that ends at the mean predictor (1/6) did not train: inconclusive, not a loss.
    untrained = {**lstm_wins, ("adding_T200", "gru"): [0.165, 0.166, 0.167]}
    table = gating_results.claims_table(fake_rows(untrained))
    assert table[-1]["verdict"] == "inconclusive" and "did not train" in table[-1]["decided_by"]
    spread_out = {**lstm_wins, ("adding_T50", "gru"): [0.008, 0.013, 0.0095]}
    assert verdicts(fake_rows(spread_out))["performance"] == "inconclusive"
    mixed = fake_rows(lstm_wins, times={"gru": 0.8})
    for row in mixed:
        if row["task"] == "char_lm" and row["cell"] == "gru":
            row["seconds_per_epoch"] = 1.3
    table = gating_results.claims_table(mixed)
    speed = next(row for row in table if row["feature"] == "training speed")
    assert speed["verdict"] == "observation" and "char_lm 1.30" in speed["decided_by"]
    assert "not as claimed" in speed["decided_by"]
    assert {"feature", "claim", "lstm", "gru", "verdict", "decided_by"} <= set(table[0])
    text = gating_results.table_markdown(table)
    assert text.count("\n") == len(table) + 1 and "holds" in text


def test_claims_table_rejects_incomplete_rows():
    rows = fake_rows(
        {
            ("adding_T200", "lstm"): [0.1],
            ("adding_T50", "lstm"): [0.1],
            ("adding_T50", "gru"): [0.1],
        }
    )
    with pytest.raises(ValueError, match="adding_T200/gru"):
        gating_results.claims_table(rows)
    with pytest.raises(TypeError, match="rows"):
        gating_results.claims_table([])


def test_committed_benchmarks_of_lessons_04_05_load():
    from course_utils.core.results import load_results

    for name in gating_results.BENCHMARKS:
        report = load_results(name)
        assert report["runs"] and report["machine"]["cpu_count"] >= 1


def test_summary_markdown_and_agreement_lines():
    rows = fake_rows({("adding_T50", "lstm"): [0.01, 0.02, 0.03], ("adding_T50", "gru"): [0.02]})
    for row in rows:
        row["seconds_per_epoch"] = 2.0 if row["cell"] == "lstm" else 1.0
    text = gating_results.summary_markdown(rows)
    assert text.splitlines()[2].startswith("| adding_T50 | LSTM | 3 | 1233 | 2.00 ± 0.00")
    assert "0.0200 ± 0.0100 mse" in text
    assert text.splitlines()[3].endswith("| 1.00 | 10 | 0.0200 mse |")  # one run: no ± 0
    live = [dict(rows[0], metric=0.5), dict(rows[3], metric=0.02)]
    lines = gating_results.agreement_lines(live, rows)
    assert "does NOT agree" in lines[0] and lines[1].endswith("agrees")
    assert lines[2].endswith("live 0.50, committed 0.50")
    assert "no committed runs" in gating_results.agreement_lines([dict(rows[0], task="x")], rows)[0]
    # Every metric name a run records has a metric in the statistics core (lesson 05's
    # full run once failed on char_lm's "bits_per_char").
    char = [dict(r, task="char_lm", metric_name="bits_per_char", metric=2.3) for r in rows]
    assert gating_results.agreement_lines([dict(char[0], metric=2.35)], char)[0].endswith("agrees")
    with pytest.raises(TypeError, match="rows"):
        gating_results.summary_markdown({})


@pytest.mark.parametrize(("cell", "blocks", "states"), [("lstm", 4, 2), ("gru", 3, 1)])
def test_layer_structure_is_read_from_keras(cell, blocks, states):
    from course_utils.param_counts import multiplies_per_step

    found = gating_results.layer_structure(cell, input_size=5, hidden_size=7)
    assert found == {
        "blocks": blocks,
        "gates": blocks - 1,
        "states": states,
        "multiply_adds": multiplies_per_step(cell, 5, 7),
    }
    with pytest.raises(ValueError, match="cell"):
        gating_results.layer_structure("simple_rnn")
    with pytest.raises(ValueError, match="hidden_size"):
        gating_results.layer_structure(cell, hidden_size=0)
