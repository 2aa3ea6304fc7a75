"""course_utils.textgen.benchmark: reading the character-model race and its tuning."""

import shutil

import pytest

from course_utils.core.results import load_results
from course_utils.textgen.backends import compare_live_run, speed_checks_table
from course_utils.textgen.benchmark import (
    BENCHMARK_PATH,
    LESSON,
    backends_table,
    benchmark_table,
    budget_table,
    contender_backends,
    contender_values,
    notes_text,
    race_backends_text,
)
from course_utils.textgen.race_summary import race_summary, spent_text
from course_utils.textgen.train import TrainingLog
from course_utils.textgen.tuning import tune_table

TUTORIAL, TRANSFORMER = "tutorial GRU-1024", "Transformer 4x128"


def _run(contender, seed, bits, speed):
    checkpoints = [
        {
            "target_minutes": m,
            "minutes": m,
            "chars": speed * 60 * m,
            "bits_per_char": b,
            "bits_per_char_window": b + 0.05,
        }
        for m, b in zip((1, 2, 5), bits, strict=True)
    ]
    return {
        "contender": contender,
        "seed": seed,
        "settings": {"batch_size": 32, "seq_length": 50},
        "checkpoints": checkpoints,
        "chars_per_second": speed,
        "chars": speed * 300,
        "steps": round(speed * 300 / 1600),
        "training_flops_per_char": 1e6,
        "achieved_flops": speed * 1e6,
        "curve": [],
    }


def race_report():
    """A hand-made race: 3 seeds, interleaved; the lesson model wins everywhere."""
    runs = []
    for seed in range(3):
        d = 0.01 * seed
        runs += [
            _run(LESSON, seed, (2.6 + d, 2.4 + d, 2.25 + d), 30000.0 + seed),
            _run(TUTORIAL, seed, (3.4 + d, 3.1 + d, 2.6 + d), 7000.0),
            _run(TRANSFORMER, seed, (3.0 + d, 2.8 + d, 2.5 + d), 15000.0),
        ]
    summary = {
        n: {"chars_per_second": {"median": s}, "matmul_fraction": f}
        for n, s, f in (
            (LESSON, 30001.0, 0.1),
            (TUTORIAL, 7000.0, 0.3),
            (TRANSFORMER, 15000.0, 0.2),
        )
    }
    return {
        "date": "2026-01-01",
        "minutes": 5,
        "machine": {"cpu_count": 2},
        "matmul_flops": [1.0e11, 1.1e11],
        "load_average_1min": {"start": 1.0, "end": 2.0},
        "runs": runs,
        "summary": summary,
    }


def test_benchmark_path():
    assert BENCHMARK_PATH.name == "textgen.json" and BENCHMARK_PATH.parent.name == "results"


def test_values_per_seed_and_unknown_contender():
    assert contender_values(race_report(), LESSON, 5) == pytest.approx([2.25, 2.26, 2.27])
    assert contender_values(race_report(), TUTORIAL, 1, "bits_per_char_window") == pytest.approx(
        [3.45, 3.46, 3.47]
    )
    with pytest.raises(ValueError, match="contender must be one of"):
        contender_values(race_report(), "lesson LSTM", 5)


def test_table_gives_mean_and_spread_for_each_model_and_metric():
    table = benchmark_table(race_report())
    assert table.count("carried") == 3 and table.count("window 100") == 3
    assert "2.260 ± 0.010" in table and "3.410 ± 0.010" in table
    # chars/s: the mean of the runs; matmul share: their mean achieved FLOP/s / best rate
    assert "30,001" in table and "27.3%" in table and "110 GFLOP/s" in table
    assert "5,625" in table and "TFLOP" in table  # 30,001 chars/s x 300 s / 1,600 per step
    assert "mean ± spread over 3 seeds" in table and "median" not in table


def test_race_summary_ranks_each_checkpoint_with_what_each_spent():
    report = race_report()
    lines = race_summary(report).splitlines()
    assert len(lines) == 14 and lines[-1].startswith("the rankings order means")
    assert lines[-2].startswith(f"{TUTORIAL}: the architecture of TensorFlow's tutorial")
    assert lines[0].startswith("at the 1-minute checkpoint of the 5-minute schedule")
    assert lines[2].startswith("after 5 min of training")
    assert lines[2].endswith(
        f"{LESSON} 2.260 ± 0.010, {TRANSFORMER} 2.510 ± 0.010, {TUTORIAL} 2.610 ± 0.010"
    )
    assert (
        "mean ± spread over seeds" in lines[0] and "30,001 (27% of the tf.matmul rate)" in lines[-3]
    )
    # 30,001 chars/s x 300 s = 9.0 M characters in 5,625 steps of 32 x 50, at 1 MFLOP each
    assert lines[4] == (
        f"  {LESSON}: 5,625 steps of 1,600 characters, 9.0 M characters seen, "
        "1.00 MFLOP per character, 9 TFLOP in all"
    )
    # from 2 to 5 min the lesson model fell by 0.15 bits in every seed
    assert lines[8] == (
        f"  {LESSON}: lower at 5 than at 2 min in 3 of 3 seeds (mean change -0.150 bits)"
    )
    assert "not what a longer budget would give" in lines[7]
    report["notes"] = ["the machine was busy"]
    assert race_summary(report).endswith("note 1: the machine was busy")


def test_race_summary_says_when_a_model_stopped_improving():
    report = race_report()
    for run in report["runs"]:
        if run["contender"] == TUTORIAL:
            run["checkpoints"][-1]["bits_per_char"] = run["checkpoints"][1]["bits_per_char"] + 0.01
    assert f"{TUTORIAL}: lower at 5 than at 2 min in 0 of 3 seeds (mean change +0.010 bits)" in (
        race_summary(report)
    )
    with pytest.raises(ValueError, match="has no runs"):
        spent_text(report, "lesson LSTM")


def test_compare_live_run():
    log = TrainingLog(5.0, checkpoints=[{"target_minutes": 5.0, "bits_per_char": 2.27}])
    log.chars, log.train_seconds = 9_000_000, 300.0
    assert "-> agrees" in compare_live_run(race_report(), log, 5.0)
    assert "with the race's seeds\n" in compare_live_run(race_report(), log, 5.0, "tensorflow")
    on_jax = race_report()
    for run in on_jax["runs"]:
        run["backend"] = "jax"
    text = compare_live_run(on_jax, log, 5.0, backend="tensorflow")
    assert "trained on jax, while this run trains on tensorflow" in text  # no like for like
    lesson = [r for r in race_report()["runs"] if r["contender"] == LESSON]
    check = {"runs": [{**r, "backend": "tensorflow"} for r in lesson]}
    for run in check["runs"]:
        run["checkpoints"] = [{**c, "bits_per_char": 2.5} for c in run["checkpoints"]]
    text = compare_live_run(on_jax, log, 5.0, backend="tensorflow", check=check)
    assert "the tensorflow seeds of the model's backend speed check" in text
    assert "committed seeds 2.500, 2.500, 2.500 -> does NOT agree" in text  # 2.27 live
    with pytest.raises(TypeError, match="check"):
        compare_live_run(on_jax, log, 5.0, check=[])
    log.checkpoints[-1]["bits_per_char"] = 2.6
    assert "does NOT agree" in compare_live_run(race_report(), log, 5.0)
    assert "nothing to compare" in compare_live_run(race_report(), log, 0.1)
    with pytest.raises(TypeError, match="report"):
        compare_live_run({"runs": None}, log, 5.0)
    with pytest.raises(ValueError, match="minutes"):
        compare_live_run(race_report(), log, 0)


def test_committed_race_follows_the_protocol():
    """The committed race reads the finished tuning search; every counted run at the chosen
    settings, seeds from 1 (the tuning used 0), interleaved, each with its steps, characters,
    FLOPs, load and quiet share."""
    from benchmarks.textgen import CONTENDERS, FIRST_SEED

    report, tune = load_results("textgen"), load_results("textgen_tune")
    chosen = {name: row["chosen"] for name, row in tune["summary"].items()}
    assert tune["finished"] and report["tuning"]["chosen"] == chosen
    counted = [r for r in report["runs"] if not r.get("disturbed")]
    contenders = list(dict.fromkeys(r["contender"] for r in counted))
    assert contenders == list(CONTENDERS)
    order = [(r["seed"], r["contender"]) for r in counted]
    seeds = range(FIRST_SEED, FIRST_SEED + 3)
    assert order == [(s, c) for s in seeds for c in contenders]  # A B C D A B C D ...
    for run in report["runs"]:
        assert run["split"] == "test" and run["settings"] == chosen[run["contender"]]
        assert {c["target_minutes"] for c in run["checkpoints"]} == {1, 2, report["minutes"]}
        assert run["steps"] > 0 and run["chars"] > 0 and run["training_flops_per_char"] > 0
        assert run["load_average_1min"] and "others_cpu_share" in run
        assert run.get("disturbed", False) == (run["others_cpu_share"] > report["quiet_share"])
    assert report["minutes"] == tune["minutes"] == 5
    assert report["command"].startswith("python -m benchmarks.textgen race")
    assert report["machine"]["cpu_count"] and report["date"] and report["matmul_flops"]
    assert report["data"]["window_positions"]  # both scores on the same characters
    # every contender on the backend its committed speed check chose, by the one rule
    from benchmarks.textgen import backends

    assert report["backends"] == backends(CONTENDERS)
    for run in report["runs"]:
        assert run["backend"] == report["backends"][run["contender"]]["backend"]
        assert run["versions"][run["backend"]]


def test_speed_checks_table_sets_each_check_beside_the_race_backend():
    def check(tf_speed, jax_speed):
        runs = [
            {"backend": b, "seed": seed, "chars_per_second": v + seed}
            for seed in range(3)
            for b, v in (("tensorflow", tf_speed), ("jax", jax_speed))
        ]
        return {"date": "2026-12-08", "minutes": 1.0, "runs": runs}

    race = {"backends": {LESSON: {"backend": "jax"}, TRANSFORMER: {"backend": "tensorflow"}}}
    text = speed_checks_table(
        {LESSON: check(30000.0, 36000.0), TRANSFORMER: check(20000.0, 19000.0)}, race
    )
    assert "1 min x 3" in text and "30,001 ± 1" in text and "1.20x" in text and "0.95x" in text
    assert [line.split()[-2] for line in text.splitlines()[2:4]] == ["jax", "tensorflow"]
    race["runs"] = [{"contender": LESSON, "chars_per_second": v} for v in (35000.0, 37000.0)]
    text = speed_checks_table({LESSON: check(30000.0, 36000.0)}, race)
    assert text.splitlines()[2].split()[-2:] == ["jax", "35,000-37,000"]
    with pytest.raises(ValueError, match="both backends"):
        speed_checks_table({LESSON: {"runs": check(1.0, 2.0)["runs"][:1]}}, race)
    with pytest.raises(TypeError, match="checks"):
        speed_checks_table({}, race)


def test_race_backends_need_a_speed_check_for_every_contender(tmp_path, monkeypatch):
    import benchmarks.textgen as textgen

    monkeypatch.setattr(textgen, "RESULTS", tmp_path)  # no checks there
    with pytest.raises(SystemExit, match="textgen_backends --contender"):
        textgen.backends([TRANSFORMER])
    smoke = textgen.backends([TRANSFORMER], smoke=True)[TRANSFORMER]
    assert smoke["backend"] == "tensorflow" and "missing" in smoke["why"]
    shutil.copy(BENCHMARK_PATH.parent / "textgen_backends.json", tmp_path)
    monkeypatch.setattr(textgen, "_has_jax", lambda: False)  # no JAX
    with pytest.raises(SystemExit, match="not installed"):
        textgen.backends([LESSON])
    assert textgen.backends([LESSON], smoke=True)[LESSON]["backend"] == "tensorflow"


def test_committed_tuning_is_equal_for_every_contender():
    from benchmarks.textgen import CONTENDERS
    from benchmarks.textgen_tune import MAX_TRIALS

    tune = load_results("textgen_tune")
    counted = [r for r in tune["runs"] if r.get("quiet") is not False]
    assert {r["split"] for r in tune["runs"]} == {"validation"}
    assert list(tune["summary"]) == list(CONTENDERS)
    trials = {row["trials"] for row in tune["summary"].values()}
    assert len(trials) == 1 and trials <= set(range(1, MAX_TRIALS + 1))  # equal effort
    for name, row in tune["summary"].items():
        mine = [r for r in counted if r["contender"] == name]
        best = min(mine, key=lambda r: r["checkpoints"][-1]["bits_per_char"])
        assert best["settings"] == row["chosen"] and len(mine) == row["trials"]
        assert {tuple(sorted(r["settings"])) for r in mine} == {tuple(sorted(row["chosen"]))}


def test_lesson_settings_are_the_tunings_choice(monkeypatch):
    import course_utils.textgen.model as model
    from course_utils.textgen import lesson_settings, tuned_settings

    assert lesson_settings() == load_results("textgen_tune")["summary"][LESSON]["chosen"]
    with pytest.raises(ValueError, match="contender"):
        tuned_settings("lesson RNN")
    monkeypatch.setattr(model, "load_results", lambda name: {"summary": {LESSON: {}}})
    with pytest.raises(ValueError, match="no finished search"):
        lesson_settings()


def test_backends_table():
    runs = []
    for seed in range(3):
        for backend, bits, speed in (("tensorflow", 2.1, 30000.0), ("jax", 2.0, 50000.0)):
            run = _run(LESSON, seed, (bits + 0.2, bits + 0.1, bits + 0.01 * seed), speed + seed)
            versions = {"keras": "3.15.1", backend: "9.9"}
            runs.append({**run, "backend": backend, "versions": versions})
    table = backends_table({"date": "2026-01-01", "runs": runs})
    assert "tensorflow 9.9" in table and "jax 9.9" in table
    assert "2.010 ± 0.010" in table and "50,001 ± 1" in table
    assert "mean ± spread over 3 seeds" in table
    assert "mean ratio: JAX trains 1.67x as many characters per second" in table
    assert f"model: {LESSON} at batch_size 32, seq_length 50" in table


def test_race_table_says_each_contenders_backend_and_why():
    runs = [
        {**_run(LESSON, 1, (2.5, 2.4, 2.2), 40000.0), "versions": {"jax": "0.10.2"}},
        {**_run(TRANSFORMER, 1, (2.6, 2.5, 2.4), 30000.0), "versions": {"tensorflow": "2.21.0"}},
    ]
    choice = {
        LESSON: {"backend": "jax", "speed_verdict": "holds"},
        TRANSFORMER: {"backend": "tensorflow", "speed_verdict": "inconclusive"},
    }
    text = race_backends_text({"runs": runs, "backends": choice})
    assert f"{LESSON} on jax 0.10.2 (speed check: JAX faster holds)" in text
    assert f"{TRANSFORMER} on tensorflow 2.21.0 (speed check: JAX faster inconclusive)" in text
    assert text in benchmark_table({"runs": runs, "backends": choice, "date": "2026-12-08"})
    assert race_backends_text({"runs": runs}) == ""  # a race from before the choice
    runs[0]["backend"] = "jax"
    assert contender_backends({"runs": runs}, LESSON) == ["jax"]
    assert contender_backends({"runs": runs}, TRANSFORMER) == []  # not recorded: older race
    with pytest.raises(ValueError, match="contender"):
        contender_backends({"runs": runs}, "GRU-9")


def test_tuning_and_backend_tables_print_their_notes():
    for name, reader in (("textgen_tune", tune_table), ("textgen_backends", backends_table)):
        report = load_results(name)
        text = reader(report)
        assert report["notes"] and all(note in text for note in report["notes"])
        assert notes_text(report).count("note ") == len(report["notes"])
    assert notes_text({}) == ""


def test_budget_table_counts_characters_and_epochs():
    report = load_results("textgen")
    text = budget_table(report)
    tutorial = [r for r in report["runs"] if r["contender"] == TUTORIAL]
    chars = sum(r["chars"] for r in tutorial) / len(tutorial)
    assert f"{chars / report['data']['chars']['train']:.2f} epochs" in text
    s = tutorial[0]["settings"]
    assert "chars/step" in text and f"{s['batch_size'] * s['seq_length']:,}" in text


def test_baselines_become_rows_of_the_race_table():
    text = benchmark_table(race_report(), {"counts, 3 chars": 2.654})
    (row,) = [line for line in text.splitlines() if line.startswith("counts, 3 chars")]
    assert row.count("2.654") == 3
    assert f"{TUTORIAL}: the architecture of TensorFlow's tutorial" in text  # labelled
    assert "not the tutorial's own recipe" in text
    with pytest.raises(ValueError, match="baselines"):
        benchmark_table(race_report(), {"bad": -1.0})
