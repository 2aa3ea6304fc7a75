"""Lesson 09's room (``course_utils/lessons/l09_revival``): its verdicts, figures and the
helpers that repeat the notebook's loops. The library it rests on (``linear_rnn``) has its
own tests (``test_linear_scan.py``, ``test_mingru.py``, ``test_lru.py``, ``test_selective.py``)."""

import numpy as np
import pytest

from course_utils.lessons.l09_revival import adding_verdicts as long_adding
from course_utils.lessons.l09_revival import copy_verdicts as copies
from course_utils.lessons.l09_revival import exercises as ex
from course_utils.lessons.l09_revival import experiments, plots
from course_utils.lessons.l09_revival import verdicts as revival
from course_utils.linear_rnn import combine, scan_loop
from course_utils.plotting.common import summary_of


def _timing_report(gru, mingru):
    """A scan_timing-like report: per length, two processes with the given seconds."""
    lengths = {}
    for T, (g, m) in zip((64, 256, 1024), zip(gru, mingru, strict=True), strict=True):
        lengths[str(T)] = [
            {"seconds": {"gru": [g, g], "mingru": [m, m]}, "order": ["gru", "mingru", "mingru",
             "gru"], "load": [1.0, 1.2], "params": {"gru": 100, "mingru": 20}, "process": p}
            for p in range(2)
        ]  # fmt: skip
    return {
        "command": "python -m benchmarks.scan_timing",
        "date": "2027-01-01T00:00:00+00:00",
        "machine": {"cpu_count": 2},
        "protocol": {"processes": 2, "rounds": 2, "batches_per_round": 1, "width": 8, "batch": 4},
        "lengths": lengths,
    }


def _rows(sel, lti, task="selective_copy"):
    rows = [
        {"kind": "selective", "task": task, "seed": i, "test_accuracy": a}
        for i, a in enumerate(sel)
    ]
    return rows + [
        {"kind": "lti", "task": task, "seed": i, "test_accuracy": a} for i, a in enumerate(lti)
    ]


# --- exercises: the reference answers are what the lesson teaches -------------------


def test_the_combine_reference_composes_steps_and_is_associative():
    rng = np.random.default_rng(0)
    steps = [(rng.uniform(-1, 1, (2, 3)), rng.standard_normal((2, 3))) for _ in range(3)]
    ref = ex._combine_steps
    left, right = ref(ref(steps[0], steps[1]), steps[2]), ref(steps[0], ref(steps[1], steps[2]))
    for x, y in zip(left, right, strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-12)
    np.testing.assert_array_equal(ref(steps[0], steps[1])[1], combine(steps[0], steps[1])[1])
    h0 = rng.standard_normal((2, 3))
    a, b = ref(steps[0], steps[1])
    two_steps = steps[1][0] * (steps[0][0] * h0 + steps[0][1]) + steps[1][1]
    np.testing.assert_allclose(a * h0 + b, two_steps, rtol=1e-12)


def test_the_depth_answer_is_the_rounds_that_cover_the_steps():
    assert ex.scan_depth.reference_answer() == 10 == int(np.ceil(np.log2(ex.DEPTH_T)))


# --- verdicts -------------------------------------------------------------------------


def test_equality_verdicts_hold_within_the_tolerance_only():
    v = revival.equality_verdicts({"x equals y": (1e-13, 1e-12), "z equals w": (1e-3, 1e-12)})
    assert [x.outcome for x in v] == ["holds", "does not hold"]
    assert "1e-12" in v[0].rule and "1.0e-13" in v[0].measured
    assert "x equals y" in revival.gap_table({"x equals y": (1e-13, 1e-12)})
    with pytest.raises(TypeError, match="gaps"):
        revival.equality_verdicts({})
    with pytest.raises(ValueError, match="gap"):
        revival.equality_verdicts({"c": (-1.0, 1e-12)})


def test_timing_verdicts_and_the_crossover():
    report = _timing_report(gru=[1.0, 2.0, 4.0], mingru=[1.5, 1.0, 0.5])
    verdicts = revival.timing_verdicts(report)
    near = revival.timing_verdicts(_timing_report([1.0, 1.0, 1.0], [0.95, 0.95, 0.95]))
    assert {v.outcome for v in near.values()} == {"inconclusive"}  # within the margin
    assert list(verdicts) == [64, 256, 1024]
    assert [v.outcome for v in verdicts.values()] == ["does not hold", "holds", "holds"]
    assert revival.crossover(verdicts) == 256
    assert "2-core CPU" in verdicts[64].scope and "load" in verdicts[64].scope
    slower = revival.timing_verdicts(_timing_report([1.0, 1.0, 1.0], [2.0, 2.0, 2.0]))
    assert revival.crossover(slower) is None
    rows = revival.timing_rows(report)
    assert rows[0]["T"] == 64 and rows[0]["gru"] == [1.0, 1.0] and rows[0]["params"]["gru"] == 100
    with pytest.raises(TypeError, match="scan_timing"):
        revival.timing_verdicts({"cases": {}})
    lines = revival.where_it_stands([{"T": 64, "loop": 2.0, "scan": 1.0}], verdicts)
    assert "loop / scan time 2.00 at T = 64" in lines[0] and "faster at every length" in lines[0]
    assert "holds at T = 256, 1024" in lines[1] and "up to 1024: 256)" in lines[1]


def test_each_layer_is_timed_at_its_faster_setting():
    report = _timing_report(gru=[1.0, 2.0, 4.0], mingru=[1.5, 1.0, 0.5])
    for processes in report["lengths"].values():
        for p in processes:  # XLA: the GRU twice as fast, the MinGRU eight times slower
            g, m = p["seconds"]["gru"][0], p["seconds"]["mingru"][0]
            p["seconds"] |= {"gru_xla": [g / 2] * 2, "mingru_xla": [8 * m] * 2}
            p["order"] = ["gru", "mingru", "gru_xla", "mingru_xla"] * 2
    verdicts = revival.timing_verdicts(report)
    assert revival.faster_setting(report["lengths"]["64"], "gru") == "gru_xla"
    assert revival.faster_setting(report["lengths"]["64"], "mingru") == "mingru"
    assert "(the MinGRU against the GRU at its faster setting in each process)" in (
        verdicts[64].claim
    )
    # against the XLA GRU (0.5, 1, 2 s) the MinGRU (1.5, 1, 0.5 s) is faster only at 1024
    assert [v.outcome for v in verdicts.values()] == ["does not hold", "inconclusive", "holds"]
    rows = revival.timing_rows(report)
    assert set(rows[0]) == {"T", "params", "gru", "gru_xla", "mingru", "mingru_xla"}
    text = revival.faster_settings_text(report)
    assert text == (
        "GRU faster with XLA in (processes): T = 64: 2 of 2; T = 256: 2 of 2; T = 1024: 2 of 2. "
        "MinGRU faster without XLA at every T"
    )
    # a split: XLA faster in one process, slower in the other -> each process its own GRU
    split = _timing_report(gru=[1.0, 1.0, 1.0], mingru=[0.8, 0.8, 0.8])
    for processes in split["lengths"].values():
        for i, p in enumerate(processes):
            p["seconds"] |= {"gru_xla": [0.5 if i == 0 else 2.0] * 2, "mingru_xla": [9.0] * 2}
            p["order"] = ["gru", "mingru", "gru_xla", "mingru_xla"] * 2
    conservative = revival.timing_verdicts(split)[64]
    assert "1.6, 0.8" in conservative.measured  # 0.8 / 0.5 and 0.8 / 1.0, per process
    assert conservative.outcome != "holds"


def _adding_report(gru, min_gru, length=1000):
    runs = [
        {"model": m, "length": length, "seed": i, "test_mse": v, "curve": [0.17, v], "seconds": 1}
        for m, values in (("gru", gru), ("min_gru", min_gru))
        for i, v in enumerate(values)
    ]
    return {"runs": runs, "budget": {}, "command": "c", "date": "2027-01-01", "notes": []}


def test_adding_verdicts_per_model_and_the_comparison():
    verdicts = long_adding.adding_verdicts(_adding_report([1e-4, 2e-4, 1e-4], [0.006, 0.16, 0.01]))
    solves = {v.claim.split(" solves")[0]: v.outcome for v in verdicts if "solves" in v.claim}
    assert solves == {"The GRU": "holds", "The minGRU": "inconclusive"}
    compare = verdicts[-1]
    assert "lower test MSE" in compare.claim and compare.outcome == "inconclusive"
    assert "did not train" in compare.measured  # the minGRU seed at 0.16 is at the baseline
    assert "T = 1000" in compare.scope and "1500 Adam steps" in compare.scope
    assert "in 3 of 3 GRU runs: more steps could change it" in compare.scope  # 0.17 -> v
    tiny = _adding_report([1e-4, 2e-4, 1e-4], [0.006, 0.008, 0.01])
    for run in tiny["runs"]:
        run["curve"] = [run["test_mse"] + 4e-5, run["test_mse"]]  # -20 % or more, but tiny
    assert "GRU runs" not in long_adding.adding_verdicts(tiny)[0].scope
    flat = _adding_report([1e-4, 2e-4, 1e-4], [0.006, 0.008, 0.01])
    for run in flat["runs"]:
        run["curve"] = [run["test_mse"] * 1.05, run["test_mse"]]  # the last pass cut 5 %
    assert all("still falling" not in v.scope for v in long_adding.adding_verdicts(flat))
    diverged = long_adding.adding_verdicts(_adding_report([1e-4, None, 1e-4], [0.006, 0.008, 0.01]))
    assert "1 diverged run(s) left out" in diverged[-1].scope
    assert diverged[0].outcome == "inconclusive"  # a diverged GRU seed is not solved
    partial = long_adding.adding_verdicts(_adding_report([1e-4], []))  # still being written
    assert [v.outcome for v in partial] == ["observation"] * 3
    assert "not run" in partial[1].measured and "not run" in partial[2].measured
    with pytest.raises(TypeError, match="adding_revival"):
        long_adding.adding_verdicts({"runs": []})


def test_the_adding_model_builds_lesson_09s_min_gru():
    from course_utils.experiments.adding_runs import adding_model, train_adding

    model = adding_model("min_gru", 12, hidden_size=4)
    assert type(model.layers[0]).__name__ == "MinGRU" and model.output_shape == (None, 1)
    run = train_adding("min_gru", 12, budget={"hidden_size": 4, "steps": 2, "batch_size": 32,
                                             "n_train": 64, "n_test": 64})  # fmt: skip
    assert run["model"] == "min_gru" and len(run["curve"]) == 1
    with pytest.raises(ValueError, match="kind"):
        adding_model("mingru", 12)


def _run_rows(kind, task, accs, epochs=3, chosen=3):
    return [
        {"kind": kind, "task": task, "seed": i, "test_accuracy": a, "params": 10,
         "val_accuracy": [0.5] * epochs, "chosen_epoch": chosen}
        for i, a in enumerate(accs)
    ]  # fmt: skip


def test_copy_verdicts_over_seeds_and_for_one_seed():
    rows = _rows([0.97, 0.95, 0.99], [0.40, 0.45, 0.42]) + _rows(
        [0.9], [0.95, 0.97, 0.99], "plain_copy"
    )
    verdicts = copies.copy_verdicts(rows, scope="test", vocab=8, budget="3 epochs")
    outcomes = {v.claim: v.outcome for v in verdicts}
    assert len(verdicts) == 6
    assert [verdicts[i].outcome for i in (0, 3, 4, 5)] == ["holds"] * 4
    assert "more accurate" in verdicts[0].claim and "plain copying" in verdicts[1].claim
    assert verdicts[1].outcome == "observation"  # one selective seed on plain copying
    assert "fixed, possibly unconverged budget (3 epochs)" in verdicts[0].scope
    assert "control" in verdicts[4].rule and "plain copying" in verdicts[5].claim
    assert list(outcomes)[2] == copies.LEAD_CLAIM
    live = copies.copy_verdicts(_rows([0.9], [0.4]), scope="live", vocab=8)
    assert {v.outcome for v in live} == {"observation"} and len(live) == 6
    assert "not run" in live[1].measured and "not run" in live[2].measured
    with pytest.raises(TypeError, match="rows"):
        copies.copy_verdicts("rows", scope="x", vocab=8)


def test_a_lead_as_large_on_plain_copying_is_not_selection():
    # the committed pattern: the selective layer leads by as much on the control task
    rows = _rows([0.92, 0.84, 0.77], [0.51, 0.50, 0.47]) + _rows(
        [0.91, 0.84, 0.79], [0.47, 0.465, 0.458], "plain_copy"
    )
    verdicts = copies.copy_verdicts(rows, scope="t", vocab=8)
    assert verdicts[0].outcome == "holds" and verdicts[1].outcome == "holds"
    lead = verdicts[2]
    assert lead.claim == copies.LEAD_CLAIM and lead.outcome != "holds"
    reading = copies.copy_reading(verdicts)
    assert (
        "do not show that the gap comes from selection" in reading
        and "fails even the control" in reading
    )
    separated = _rows([0.97, 0.95, 0.99], [0.40, 0.45, 0.42]) + _rows(
        [0.97, 0.98, 0.99], [0.95, 0.96, 0.94], "plain_copy"
    )
    good = copies.copy_verdicts(separated, scope="t", vocab=8)
    assert good[2].outcome == "holds" and "show the contrast" in copies.copy_reading(good)
    with pytest.raises(ValueError, match="copy_verdicts"):
        copies.copy_reading(good[:2])


def test_lti_fails_is_inconclusive_without_its_control():
    rows = _rows([0.97, 0.95, 0.99], [0.40, 0.45, 0.42]) + _rows(
        [0.9, 0.9], [0.30, 0.35, 0.32], "plain_copy"
    )
    verdicts = {v.claim: v for v in copies.copy_verdicts(rows, scope="t", vocab=8)}
    fails = next(v for c, v in verdicts.items() if c.startswith("The LTI layer fails"))
    control = next(v for c, v in verdicts.items() if c.startswith("The LTI layer solves"))
    assert control.outcome == "does not hold" and fails.outcome == "inconclusive"


def test_copy_comparison_with_an_untrained_run_is_inconclusive():
    # chance is 1/6 at vocab 8: an LTI at 0.17 did not train
    rows = _rows([0.97, 0.95, 0.99], [0.17, 0.16, 0.18])
    gap = copies.copy_verdicts(rows, scope="t", vocab=8, budget="5 epochs")[0]
    assert gap.outcome == "inconclusive" and "did not train" in gap.measured
    assert "5 epochs" in gap.measured


def test_still_improving_is_scoped_from_the_runs():
    rows = _run_rows("selective", "selective_copy", [0.95, 0.96], chosen=3) + _run_rows(
        "lti", "selective_copy", [0.4, 0.5], chosen=2
    )
    v = copies.copy_verdicts(rows, scope="t", vocab=8)
    assert "best epoch was the last (still improving) in 2 of 4 runs" in v[0].scope
    assert "still improving" in v[3].scope  # the selective runs
    assert "still improving" not in v[4].scope  # the LTI runs chose epoch 2 of 3
    bare = [{k: r[k] for k in ("kind", "task", "seed", "test_accuracy")} for r in rows[:1]]
    mixed = copies.copy_verdicts(bare + rows[2:], scope="t", vocab=8)
    assert "in 0 of" not in mixed[0].scope  # the LTI runs chose 2 of 3: no note at all
    one = copies.copy_verdicts(bare + rows[1:], scope="t", vocab=8)[0].scope
    assert "in 1 of 3 runs; 1 without a validation curve" in one


def test_a_partial_results_file_reports_not_run():
    rows = _rows([0.6], [])  # the benchmark wrote the first run only
    verdicts = copies.copy_verdicts(rows, scope="t", vocab=8)
    assert len(verdicts) == 6
    assert "not run" in verdicts[0].measured and verdicts[0].outcome == "observation"
    assert all("not run" in v.measured for v in verdicts[4:])
    assert all("not run" in v.measured for v in copies.copy_verdicts([], scope="t", vocab=8))


def test_the_live_seed_is_checked_against_the_same_committed_seed():
    report = {"runs": _rows([0.97, 0.95, 0.99], [0.40, 0.45, 0.42]), "budget": {"vocab": 8}}
    same = copies.copy_reproduction({"selective": 0.972, "lti": 0.40}, report, seed=0)
    assert all("reproduces the committed run" in line for line in same)
    moved = copies.copy_reproduction({"selective": 0.96, "lti": 0.95}, report, seed=0)
    assert "not reproduced here" in moved[0] and "-> agrees" in moved[0]
    assert "does NOT agree" in moved[1]  # the LTI seeds are all below the solved line
    untrained = copies.copy_reproduction({"lti": 0.17}, report)[0]  # did-not-train line
    assert "does NOT agree" in untrained
    assert (
        "not in the committed results" in copies.copy_reproduction({"lti": 0.4}, report, seed=7)[0]
    )


def test_gradient_verdicts_backprop_and_one_network():
    linear = experiments.linear_probe_backprop(0.99, steps=50)  # (50,)
    elman = 0.9 ** np.arange(50)[::-1]  # (50,): decays faster
    closed, seen = revival.gradient_verdicts(
        linear, elman, distance=20, a=0.99, rho=0.99, input_std=1.0
    )
    assert closed.outcome == "holds" and "backprop" in closed.measured
    assert seen.outcome == "observation" and "as claimed" in seen.measured
    assert "std 1" in seen.scope
    with pytest.raises(ValueError, match="distance"):
        revival.gradient_verdicts(linear, elman, distance=50, a=0.99, rho=0.99, input_std=1.0)


def test_the_summary_gathers_the_committed_results():
    report = _timing_report(gru=[1.0, 2.0, 4.0], mingru=[1.5, 1.0, 0.5])
    copying = {
        "runs": _run_rows("selective", "selective_copy", [0.97, 0.95, 0.99])
        + _run_rows("lti", "selective_copy", [0.40, 0.45, 0.42]),
        "budget": dict(experiments.BUDGET), "seeds": [0, 1, 2], "notes": ["Preliminary run"],
        "machine": {"cpu_count": 2}, "date": "2027-01-01T00:00:00+00:00",
    }  # fmt: skip
    equalities = revival.equality_verdicts({"x": (0.0, 1e-12)})
    verdicts = revival.lesson09_verdicts(equalities, report, copying)
    assert len(verdicts) == 1 + 3 + 6
    scope = copies.copy_scope(copying)
    assert "3 seeds" in scope and "note: Preliminary run" in scope
    assert "one untuned learning rate (0.003)" in scope and "LTI 10" in scope
    assert revival.header_text({"command": "c", "date": "2027-01-01", "notes": ["n"]}).endswith(
        "note: n"
    )


# --- figures: each carries its sentence ------------------------------------------------


def test_figures_have_sentences(tmp_path):
    from course_utils.linear_rnn import LRU

    lru = LRU(2, 16, r_min=0.4, r_max=0.9, seed=0)
    ring = plots.plot_ring(lru.eigenvalues(), r_min=0.4, r_max=0.9)
    assert summary_of(ring).startswith("16 of 16 eigenvalues lie inside the unit circle")
    rows = [{"T": 64, "loop": 1.0, "scan": 2.0}, {"T": 128, "loop": 2.0, "scan": 2.5}]
    times = plots.plot_step_times(rows, labels={"loop": "loop", "scan": "scan"}, title="t")
    assert "loop/scan goes from 0.50 to 0.80" in summary_of(times)
    assert "their angles cover" in summary_of(ring)
    probe = plots.plot_gradient_probe({"a": 0.9 ** np.arange(10)[::-1], "b": np.ones(10)})
    assert summary_of(probe).startswith("9 steps back")
    copy = plots.plot_copy_accuracy(
        _rows([0.9, 0.8], [0.4, 0.5]), title="c", chance=1 / 6, solved=0.9
    )
    assert "selective on selective copy 0.85" in summary_of(copy)
    assert "chance 0.167, solved above 0.9" in summary_of(copy)
    for name, fig in {"ring": ring, "times": times, "probe": probe, "copy": copy}.items():
        fig.savefig(tmp_path / f"{name}.png")
    with pytest.raises(TypeError, match="rows"):
        plots.plot_step_times([], labels={}, title="t")


# --- the helpers that repeat the notebook's loops -------------------------------------


def test_numpy_scan_times_are_positive_per_length():
    rows = experiments.numpy_scan_times([4, 16], batch=1, units=2, rounds=2)
    assert [r["T"] for r in rows] == [4, 16] and all(r["loop"] > 0 and r["scan"] > 0 for r in rows)
    with pytest.raises(ValueError, match="lengths"):
        experiments.numpy_scan_times([0])


def test_copy_data_and_model_shapes():
    x, y = experiments.copy_data("plain_copy", 3, length=6, tokens=2, vocab=5, seed=0)
    assert x.shape == (3, 8) and y.shape == (3, 2)
    np.testing.assert_array_equal(x[:, :2], y)  # plain copying: the data come first
    with pytest.raises(ValueError, match="task"):
        experiments.copy_data("copy", 3, length=6, tokens=2, vocab=5, seed=0)
    small = {
        **experiments.BUDGET,
        "length": 6,
        "tokens": 2,
        "vocab": 5,
        "width": 4,
        "state_size": 2,
    }
    sizes = {
        kind: experiments.build_copy_model(kind, **small, seed=0) for kind in experiments.KINDS
    }
    for model in sizes.values():
        assert model.output_shape == (None, 2, 5)
    assert sizes["selective"].count_params() > sizes["lti"].count_params()
    with pytest.raises(ValueError, match="kind"):
        experiments.build_copy_model("gru", **small, seed=0)


@pytest.mark.slow
def test_train_copy_chooses_on_validation_and_reports_test():
    tiny = {"length": 4, "tokens": 2, "vocab": 5, "width": 4, "state_size": 2, "layers": 1,
            "n_train": 32, "n_val": 16, "n_test": 16, "epochs": 2, "batch_size": 16}  # fmt: skip
    row = experiments.train_copy("selective", "selective_copy", 0, **tiny)
    assert set(row) >= {
        "kind",
        "task",
        "seed",
        "params",
        "val_accuracy",
        "chosen_epoch",
        "test_accuracy",
    }
    assert len(row["val_accuracy"]) == 2 and row["chosen_epoch"] in (1, 2)
    assert row["val_accuracy"][row["chosen_epoch"] - 1] == max(row["val_accuracy"])
    assert 0.0 <= row["test_accuracy"] <= 1.0


def test_the_scan_in_the_notebook_is_the_loop():
    """The notebook's Hillis-Steele, written with the library's combine, against the loop."""
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.5, 1, (2, 37, 3)), rng.standard_normal((2, 37, 3))
    a2, b2, shift = a.copy(), b.copy(), 1
    while shift < a2.shape[1]:
        earlier = (a2[:, :-shift].copy(), b2[:, :-shift].copy())
        a2[:, shift:], b2[:, shift:] = combine(earlier, (a2[:, shift:], b2[:, shift:]))
        shift *= 2
    np.testing.assert_allclose(b2, scan_loop(a, b), rtol=1e-12, atol=1e-12)


def test_curve_text_gives_the_shape_behind_a_fixed_budget():
    report = _adding_report([1e-4], [0.006])
    report["runs"][1]["curve"] = [0.17, 0.168, 0.02, 0.012, 0.006]  # plateau, then falling
    lines = long_adding.curve_text(report)
    assert lines[1] == (
        "minGRU (1 runs, 5 passes): near the baseline for 2 passes; first below the solved "
        "line at pass 4; last pass -50%"
    )
    with pytest.raises(TypeError, match="adding_revival"):
        long_adding.curve_text([])
