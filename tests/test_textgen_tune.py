"""benchmarks/textgen_tune.py: the equal-axes search of the race (issue #28), on made-up
trials: it brackets every axis, re-runs disturbed trials, and equalises the counts."""

import os

import pytest

from benchmarks import common
from benchmarks.textgen import CONTENDERS
from benchmarks.textgen_tune import (
    CENTRES,
    MAX_TRIALS,
    equalise,
    neighbours,
    next_trial,
    plan,
    summary,
)

GRU, TRANSFORMER = "lesson GRU-256", "Transformer 4x128"


def trial(name, settings, bits, quiet=True):
    return {
        "contender": name,
        "settings": settings,
        "quiet": quiet,
        "cpu_seconds": 500.0,
        "checkpoints": [{"target_minutes": 5, "bits_per_char": bits}],
    }


def bowl(settings):
    """A made-up score whose best lies at learning rate 1.2e-2, batch 64, decay 0.03."""
    lr = abs(settings["learning_rate"] / 1.2e-2 - 1)
    batch = abs(settings["batch_size"] / 64 - 1)
    return 2.0 + lr + batch + abs(settings["weight_decay"] - 0.03)


def search(name, score=bowl, limit=30):
    runs = []
    while (settings := next_trial(name, runs)) is not None and len(runs) < limit:
        runs.append(trial(name, settings, score(settings)))
    return runs


def test_neighbours_step_by_octaves_and_along_the_decay_ladder():
    assert neighbours("learning_rate", 6e-3) == [3e-3, 1.2e-2]
    assert neighbours("batch_size", 4) == [8]  # 2 is below the axis's bounds
    assert neighbours("weight_decay", 0.0) == [0.03]
    assert neighbours("weight_decay", 0.1) == [0.03, 0.3]


def test_the_search_starts_at_the_centre_and_brackets_every_axis():
    runs = search(GRU)
    assert runs[0]["settings"] == {**CONTENDERS[GRU], **CENTRES[GRU]}
    best = min(runs, key=lambda r: r["checkpoints"][-1]["bits_per_char"])["settings"]
    assert (best["learning_rate"], best["batch_size"], best["weight_decay"]) == (1.2e-2, 64, 0.03)
    tried = [r["settings"] for r in runs]
    for axis in ("learning_rate", "batch_size", "weight_decay"):
        for value in neighbours(axis, best[axis]):
            assert {**best, axis: value} in tried  # both sides tried: bracketed
    assert summary([GRU], runs)[GRU]["bracketed"]


def test_a_best_at_the_edge_extends_the_grid():
    runs = search(GRU, score=lambda s: 3.0 - s["learning_rate"])  # higher is always better
    rates = sorted({r["settings"]["learning_rate"] for r in runs})
    assert rates[-1] == pytest.approx(0.096)  # 6e-3 doubled to the axis's bound (0.1)
    assert summary([GRU], runs)[GRU]["bracketed"]  # at a bound: nothing left to try


def test_a_disturbed_trial_does_not_count_and_is_run_again():
    centre = next_trial(GRU, [])
    runs = [trial(GRU, centre, 2.0, quiet=False)]
    assert next_trial(GRU, runs) == centre
    row = summary([GRU], [*runs, trial(GRU, centre, 2.1)])[GRU]
    assert row["trials"] == 1 and row["disturbed_trials"] == 1 and row["cpu_seconds"] == 500.0


def test_plan_interleaves_then_equalises_the_counts():
    runs = search(GRU)  # the GRU's search is done
    first = plan([GRU, TRANSFORMER], runs)
    assert [name for name, _ in first] == [TRANSFORMER]  # only the unfinished one runs
    transformer = search(TRANSFORMER, score=lambda s: 2.5 + abs(s["learning_rate"] - 8e-3))
    runs += transformer
    spare = plan([GRU, TRANSFORMER], runs)
    fewer = GRU if len(runs) - len(transformer) < len(transformer) else TRANSFORMER
    assert [name for name, _ in spare] == [fewer]
    settings = spare[0][1]
    best = min(
        (r for r in runs if r["contender"] == fewer),
        key=lambda r: r["checkpoints"][-1]["bits_per_char"],
    )["settings"]
    assert settings["learning_rate"] == pytest.approx(best["learning_rate"] / 2**0.5)
    assert equalise(fewer, runs) == settings


def test_no_contender_runs_more_than_the_cap():
    runs = [
        trial(GRU, {**next_trial(GRU, []), "learning_rate": 1e-3 * k}, 2.0) for k in range(1, 11)
    ]
    assert len(runs) == MAX_TRIALS
    assert plan([GRU], runs) == []


def test_others_cpu_share_is_a_share_or_none():
    start = common.cpu_snapshot()
    if start is None:
        pytest.skip("no /proc/stat here")
    sum(i * i for i in range(200_000))  # this process's own work is not counted
    share = common.others_cpu_share(start)
    assert share is None or 0.0 <= share <= 1.0
    assert common.others_cpu_share(None) is None


def test_the_cpu_share_counts_only_the_cores_this_process_may_use():
    start = common.cpu_snapshot()
    if start is None or not hasattr(os, "sched_getaffinity"):
        pytest.skip("no /proc/stat or affinity here")
    assert start["cores"] == len(os.sched_getaffinity(0))


def test_the_race_resumes_only_runs_of_the_same_tuning(tmp_path, capsys):
    """A race report from the old sweep (no "tuning") or from another search is not carried:
    its runs would count as done with settings the search did not choose."""
    from types import SimpleNamespace

    from benchmarks.textgen import _resume

    path = tmp_path / "textgen.json"
    base = {"minutes": 5.0, "data": {"corpus": "x"}}
    run = {"contender": GRU, "seed": 1, "settings": {"learning_rate": 1e-3}}
    common.write(path, {**base, "runs": [run]})
    args = SimpleNamespace(resume=True)
    tuning = {"chosen": {GRU: {"learning_rate": 1.2e-2}}}
    report = _resume({**base, "tuning": tuning, "runs": []}, path, args, same=("tuning",))
    assert report["runs"] == [] and "tuning differ" in capsys.readouterr().out
    common.write(path, {**base, "tuning": tuning, "runs": [run]})
    report = _resume({**base, "tuning": tuning, "runs": []}, path, args, same=("tuning",))
    assert report["runs"] == [run]
