"""The character-model race: four contenders, tuned alike on validation, scored on test.

Run from the repository root, with Tiny Shakespeare available (``COURSE_DATA_DIR``)::

    python -m benchmarks.textgen_tune --minutes 5     # first: the tuning (textgen_tune.py)
    python -m benchmarks.textgen race --minutes 5     # 3 seeds x 4 models, about 65 min
    python -m benchmarks.textgen race --minutes 0.2 --seeds 1 --out /tmp/t.json  # a check
    python -m benchmarks.textgen plot                 # redraw textgen.png from the JSON
    python -m benchmarks.textgen race --smoke --out /tmp/t.json   # the smallest run

The protocol:

* **Splits**, fixed: the first 90 % of the text trains, the next 5 % is validation, the
  last 5 % is test. Each held-out split is cut into 64 contiguous rows.
* **Contenders** (``CONTENDERS``): the lesson's GRU-256, TensorFlow tutorial's architecture
  (embedding 256 -> GRU 1024), a small decoder-only Transformer (4 layers, 4 heads,
  width 128, context 128) and lesson 09's minGRU in two residual blocks (width 256).
* **Tuning** (``benchmarks/textgen_tune.py``): the same three axes for every contender
  (learning rate, characters per step through the batch, weight decay), trials at the
  race's budget on the validation split, each optimum bracketed, equal trial counts. The
  race reads each contender's chosen settings from ``textgen_tune.json`` and records how
  they were found (``tuning``). (An earlier sweep, equal in trial count only, is retired:
  its file is in git history, before issue #28.)
* **Backends**: every contender is offered the same choice of Keras backend. Its speed
  check (``benchmarks/textgen_backends.py --contender ...``, 3 seeds per backend, alternated,
  in ``BACKEND_CHECKS``) decides by one rule
  (``course_utils.lessons.l06_text_generation.verdicts.race_backend``): JAX where "JAX
  trains more characters per second" holds, TensorFlow otherwise. The race records each
  choice with its verdict (``backends``), and every run is its own process, started with
  that backend (``textgen_backends.run_child``).
* **Race** (``race``): each contender's chosen settings, ``--seeds`` seeds from
  ``FIRST_SEED`` (the tuning used seed 0), runs interleaved (A B C D A B C D ...; a
  disturbed run is re-run at once, so its re-run breaks the pattern), scored on the
  test split at 1, 2 and ``--minutes``
  minutes of training: ``bits_per_char`` with the state carried along each row (for the
  Transformer: a context sliding by half its length, so 65 to 128 characters; see
  ``course_utils.textgen.transformer.carried_context``), the first 100 characters of a
  row not scored; ``bits_per_char_window``: the same positions in windows of 100 from a
  zero state (``data.window_positions`` says so; runs recorded without it scored windows
  from position 0 and dropped each row's tail). The training clock starts after the first
  batch and stops while evaluating.
* **Quiet machine**: each run records the 1-minute load before and after it and the share
  of the CPU that other processes used while it ran; a run above ``common.QUIET_SHARE``
  is kept, marked ``disturbed``, left out of the summary and run again (at most
  ``RERUNS`` times: a seed whose every try was disturbed is missing, and the tables show
  how many seeds each contender has).
* **Efficiency**: the machine's float32 matmul rate is measured in the same run (a
  2048 x 2048 ``tf.matmul``, best of 20); each run's achieved training FLOP/s is its
  characters per second times ``course_utils.textgen.cost.training_flops_per_char``.

Results: ``benchmarks/results/textgen.json`` (with the header of
``benchmarks/common.py``: command, machine, date, commit, load average; the file is
rewritten after every run, and a rerun with the same minutes and data skips the runs it
already has, unless ``--fresh``), and a plot ``textgen.png``. The race reads the chosen
settings from the committed ``textgen_tune.json`` (an unfinished search only with
``--smoke``). ``--smoke`` runs the lesson's model
only (``--contenders``), one seed, for ``SMOKE_MINUTES`` on the first
``SMOKE_CHARS`` characters, with the matmul rate on ``SMOKE_MATMUL``-square matrices.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks import common

RESULTS = common.RESULTS
SPLIT = {"train": 0.90, "validation": 0.05, "test": 0.05}
ROWS, BURN_IN, WINDOW, CHECKPOINTS = 64, 100, 100, (1.0, 2.0)
#: ``--smoke``: minutes per run, characters of the corpus used, the matmul check's size.
SMOKE_MINUTES, SMOKE_CHARS, SMOKE_MATMUL = 0.02, 300_000, 256

_RNN = {"stateful": False, "schedule": "cosine", "warmup": 0.05, "num_layers": 1}
CONTENDERS = {
    "lesson GRU-256": {**_RNN, "cell": "gru", "embedding_dim": 64, "hidden_size": 256},
    "tutorial GRU-1024": {
        **_RNN,
        "cell": "gru",
        "embedding_dim": 256,
        "hidden_size": 1024,
        "batch_size": 64,
        "seq_length": 100,
    },
    "Transformer 4x128": {
        "cell": "transformer",
        "embedding_dim": 128,
        "hidden_size": 512,
        "num_layers": 4,
        "heads": 4,
        "seq_length": 128,
        "stateful": False,
        "schedule": "cosine",
        "warmup": 0.05,
        "batch_size": 32,
    },
    "minGRU 2x256": {  # lesson 09's minGRU in residual blocks (course_utils/textgen/minrnn.py)
        "cell": "min_gru",
        "embedding_dim": 256,
        "hidden_size": 512,
        "num_layers": 2,
        "seq_length": 128,
        "stateful": False,
        "schedule": "cosine",
        "warmup": 0.05,
    },
}


def cpu_info() -> dict:
    """CPU model and the instruction-set flags that matter for float32/bfloat16 matmuls."""
    model, flags = None, set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model is None:
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    wanted = ("avx2", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16")
    return {"model": model, "flags": [f for f in wanted if f in flags]}


def machine_extra() -> dict:
    """What the race adds to the header's machine: CPU flags and TensorFlow's threads."""
    import tensorflow as tf

    return {
        "cpu": cpu_info(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "threads": {
            "intra_op": tf.config.threading.get_intra_op_parallelism_threads(),
            "inter_op": tf.config.threading.get_inter_op_parallelism_threads(),
            "note": "0 = TensorFlow's default (one thread per usable core)",
        },
    }


def matmul_rate(n: int = 2048, repeats: int = 20) -> float:
    """The best float32 FLOP/s of ``tf.matmul`` on two ``n x n`` matrices (``2 n^3`` FLOPs)."""
    import tensorflow as tf

    a = tf.random.normal((n, n))  # (n, n)
    b = tf.random.normal((n, n))  # (n, n)
    tf.matmul(a, b).numpy()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        tf.matmul(a, b).numpy()  # (n, n)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best


def load_data(chars: int | None = None) -> dict:
    """Tiny Shakespeare (its first ``chars`` characters if given), split and encoded."""
    from course_utils.core.datasets import REGISTRY, load_corpus
    from course_utils.textgen import CharVocabulary, held_out_rows, split_train_validation_test

    corpus = load_corpus("tinyshakespeare")
    if corpus.is_fallback:
        sys.exit("Tiny Shakespeare is not available (offline fallback); set COURSE_DATA_DIR.")
    text = corpus.text[:chars]
    vocab = CharVocabulary.from_text(text)
    names = ("train", "validation", "test")
    parts = dict(
        zip(
            names,
            split_train_validation_test(text, SPLIT["validation"], SPLIT["test"]),
            strict=True,
        )
    )
    return {
        "vocab_size": vocab.size,
        "train_ids": vocab.encode(parts["train"]),
        "rows": {
            k: held_out_rows(vocab.encode(parts[k]), rows=ROWS) for k in ("validation", "test")
        },
        "record": {
            "corpus": "tinyshakespeare",
            "sha256": REGISTRY["tinyshakespeare"].sha256,  # a copy is used only if it matches
            "chars": {k: len(v) for k, v in parts.items()},
            "split": "contiguous: train = first 90 %, validation = next 5 %, test = last 5 %",
            "rows_per_held_out_split": ROWS,
            "burn_in": BURN_IN,
            "window": WINDOW,
            "window_positions": "the carried score's: positions burn_in onwards of every row",
        },
    }


#: Each contender's backend speed check, in ``benchmarks/results/``.
BACKEND_CHECKS = {
    "lesson GRU-256": "textgen_backends.json",
    "tutorial GRU-1024": "textgen_backends_tutorial_gru_1024.json",
    "Transformer 4x128": "textgen_backends_transformer_4x128.json",
    "minGRU 2x256": "textgen_backends_mingru_2x256.json",
}


def _rounded(entry: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in entry.items()}


def run_one(
    name: str,
    settings: dict,
    data: dict,
    *,
    split: str,
    minutes: float,
    seed: int,
    jit_compile: bool | str = "auto",
) -> dict:
    import keras

    from course_utils.textgen import train_settings
    from course_utils.textgen.cost import training_flops_per_char

    keras.backend.clear_session()
    print(f"\n== {name}, seed {seed}, {minutes:g} min, scored on {split}: {settings}", flush=True)
    load_start, cpu_start = os.getloadavg()[0], common.cpu_snapshot()
    model, log = train_settings(
        settings,
        data["train_ids"],
        data["vocab_size"],
        minutes=minutes,
        checkpoints=[m for m in CHECKPOINTS if m < minutes],
        rows=data["rows"][split],
        seed=seed,
        verbose=False,
        jit_compile=jit_compile,
    )
    others = common.others_cpu_share(cpu_start)
    flops = training_flops_per_char(settings, data["vocab_size"])
    run = {
        "contender": name,
        "seed": seed,
        "split": split,
        "settings": settings,
        "parameters": model.count_params(),
        "load_average_1min": {"start": load_start, "end": os.getloadavg()[0]},
        "others_cpu_share": others,  # other processes' share of all cores during the run
        "quiet": None if others is None else others <= common.QUIET_SHARE,
        "cpu_seconds": round(time.process_time() - cpu_start["own"], 1) if cpu_start else None,
        "chars_per_second": round(log.chars_per_second, 1),
        "training_flops_per_char": flops,
        "achieved_flops": round(log.chars_per_second * flops),
        "steps": log.steps,
        "chars": log.chars,
        "train_seconds": round(log.train_seconds, 2),
        "warmup_seconds": round(log.warmup_seconds, 2),
        "eval_seconds": round(log.eval_seconds, 2),
        "checkpoints": [_rounded(c) for c in log.checkpoints],
        "curve": [_rounded(p) for p in log.curve],
    }
    last = run["checkpoints"][-1]
    print(
        f"   {last['bits_per_char']:.3f} carried / {last['bits_per_char_window']:.3f} window "
        f"bits/char, {run['chars_per_second']:,.0f} chars/s",
        flush=True,
    )
    return run


def _header(kind: str, args, data: dict) -> dict:
    report = common.header(args.command, machine=machine_extra(), load=True)
    return report | {"benchmark": kind, "minutes": args.minutes, "data": data["record"], "runs": []}


def _resume(report: dict, path, args, same: tuple[str, ...] = ()) -> dict:
    """Keep the runs of an earlier report with the same minutes, data and ``same`` keys
    (``--resume``)."""
    same = ["minutes", "data", *same]
    if args.resume and common.resume(report, path, same=same, keep=["runs"]):
        print(f"{len(report['runs'])} runs kept", flush=True)
    return report


def _save(report: dict, path) -> None:
    common.record_load(report)
    common.write(path, report)


def _quiet(runs: list[dict]) -> list[dict]:
    """The runs that count: not ``disturbed`` by other processes."""
    return [r for r in runs if not r.get("disturbed")]


def _done(report: dict, name: str, seed: int) -> bool:
    return any(r["contender"] == name and r["seed"] == seed for r in _quiet(report["runs"]))


def summarise(runs: list[dict], minutes: list[float]) -> dict:
    """Median, min and max over seeds of each contender's test scores at each checkpoint."""
    table = {}
    for name in dict.fromkeys(r["contender"] for r in runs):
        mine = [r for r in runs if r["contender"] == name]
        row = {"seeds": len(mine)}
        for m in minutes:
            for metric in ("bits_per_char", "bits_per_char_window"):
                values = [
                    c[metric] for r in mine for c in r["checkpoints"] if c["target_minutes"] == m
                ]
                if values:
                    row[f"{metric}@{m:g}"] = {
                        "median": statistics.median(values),
                        "min": min(values),
                        "max": max(values),
                        "values": values,
                    }
        speeds = [r["chars_per_second"] for r in mine]
        row["chars_per_second"] = {
            "median": statistics.median(speeds),
            "min": min(speeds),
            "max": max(speeds),
        }
        row["achieved_flops_median"] = statistics.median(r["achieved_flops"] for r in mine)
        table[name] = row
    return table


def tuned(*, allow_unfinished: bool = False) -> dict:
    """Each contender's settings chosen by ``benchmarks/textgen_tune.py``, with how they were
    found (``textgen_tune.json``'s summary: bracketed, trials, CPU time)."""
    path = RESULTS / "textgen_tune.json"
    tune = common.read(path)
    if not tune or not tune.get("summary"):
        sys.exit(f"{path} is missing or empty: run `python -m benchmarks.textgen_tune` first.")
    if not tune.get("finished") and not allow_unfinished:
        sys.exit(f"{path}: the search has not finished; resume it before racing.")
    return {
        "file": "benchmarks/results/textgen_tune.json",
        "finished": tune.get("finished"),
        "minutes": tune["minutes"],
        "chosen": {name: row["chosen"] for name, row in tune["summary"].items()},
        "search": {
            name: {k: v for k, v in row.items() if k != "chosen"}
            for name, row in tune["summary"].items()
        },
    }


def _has_jax() -> bool:
    import importlib.util

    return importlib.util.find_spec("jax") is not None


def backends(contenders, *, smoke: bool = False) -> dict:
    """Each contender's Keras backend, by the one rule of ``race_backend`` applied to its speed
    check, with what the check measured. A missing check, or JAX chosen where JAX is not
    installed, stops the race; a smoke run (which tests code, not speed) falls back to
    TensorFlow and says why."""
    from course_utils.lessons.l06_text_generation.verdicts import race_backend

    choice = {}
    for name in contenders:
        path = RESULTS / BACKEND_CHECKS[name]
        check = common.read(path)
        if not check or not check.get("runs"):
            why = f"{path} is missing: run `python -m benchmarks.textgen_backends --contender"
            why += f" {name!r} --minutes 1 --seeds 3 --out {path}` first."
            if not smoke:
                sys.exit(why)
            choice[name] = {"backend": "tensorflow", "check": None, "why": why}
            continue
        backend, speed = race_backend(check)
        choice[name] = {
            "backend": backend,
            "check": f"benchmarks/results/{BACKEND_CHECKS[name]}",
            "speed_verdict": speed.outcome,
            "measured": speed.measured,
        }
        if backend == "jax" and not _has_jax():
            why = "JAX is not installed (pyproject's 'jax' extra: pip install -e '.[jax]')"
            if not smoke:
                sys.exit(f"{name} races on JAX, but {why}.")
            choice[name] |= {"backend": "tensorflow", "why": why + "; a smoke run"}
    return choice


#: The race's seeds start here: the tuning trials ran at seed 0, so a race seed 0 would
#: repeat the chosen trial's luck (its initial weights and batch order).
FIRST_SEED = 1
#: A race run on a machine that other processes used for more than ``common.QUIET_SHARE``
#: of its CPU time is kept, marked ``disturbed``, and run again, at most this many times.
RERUNS = 2


def race(args) -> dict:
    from benchmarks.textgen_backends import run_child

    tuning = tuned(allow_unfinished=args.smoke)
    chosen = tuning["chosen"]
    data = load_data(SMOKE_CHARS if args.smoke else None)
    path = args.out or RESULTS / "textgen.json"
    # A race resumes only its own settings and backends: runs of another search (or of the
    # old sweep, whose report has no "tuning") would count as done with settings not chosen now.
    choice = backends(args.contenders, smoke=args.smoke)
    report = _header("race on test", args, data) | {"tuning": tuning, "backends": choice}
    report = _resume(report, path, args, same=("tuning", "backends"))
    report["protocol"] = __doc__.split("The protocol:", 1)[1].split("Results:", 1)[0].strip()
    report["vocab_size"] = data["vocab_size"]  # the uniform guess, log2 of it, is the floor
    size = SMOKE_MATMUL if args.smoke else 2048
    rates = report.setdefault("matmul_flops", [])
    rates.append(round(matmul_rate(size)))
    report["load_average_1min"] = {"start": os.getloadavg()[0]}
    report["quiet_share"] = common.QUIET_SHARE
    seeds = range(FIRST_SEED, FIRST_SEED + args.seeds)
    for seed in seeds:  # interleaved: A B C D for the first seed, then the next, ...
        for name in args.contenders:
            for _ in range(1 + RERUNS):
                if _done(report, name, seed):
                    break
                run = run_child(  # its own process, on the contender's backend
                    choice[name]["backend"], name, minutes=args.minutes, seed=seed,
                    smoke=args.smoke,
                )  # fmt: skip
                if run["settings"] != chosen[name]:
                    sys.exit(f"{name}: the child trained {run['settings']}, not {chosen[name]}")
                disturbed = run["quiet"] is False and not args.smoke  # a smoke run tests code
                report["runs"].append(run | {"disturbed": True} if disturbed else run)
                report["summary"] = summarise(_quiet(report["runs"]), [*CHECKPOINTS, args.minutes])
                _save(report, path)
    rates.append(round(matmul_rate(size)))
    report["load_average_1min"]["end"] = os.getloadavg()[0]
    report["summary"] = summarise(_quiet(report["runs"]), [*CHECKPOINTS, args.minutes])
    best_rate = max(rates)
    for row in report["summary"].values():
        row["matmul_fraction"] = round(row["achieved_flops_median"] / best_rate, 4)
    report["finished"] = common.now()
    _save(report, path)
    from course_utils.textgen.benchmark import benchmark_table

    print("\n" + benchmark_table(report))
    if path == RESULTS / "textgen.json":
        plot(args)
    return report


def plot(args) -> dict:
    """Draw ``textgen.png`` from the committed race, in the course's palette."""
    import matplotlib

    matplotlib.use("Agg")
    import course_utils
    from course_utils.lessons.l06_text_generation.plots import plot_textgen_benchmark

    course_utils.setup(verbose=False)  # the Okabe-Ito colours of every lesson figure
    path = args.out or RESULTS / "textgen.json"
    report = json.loads(path.read_text())
    plot_textgen_benchmark(report).savefig(path.with_suffix(".png"), dpi=110)
    print(f"wrote {path.with_suffix('.png')}")
    return report


def main(argv=None) -> dict:
    parser = common.Parser(
        "textgen",
        __doc__,
        out=None,
        smoke={"minutes": SMOKE_MINUTES, "seeds": 1, "contenders": ["lesson GRU-256"]},
        resume=True,
    )
    parser.add_argument("step", choices=["race", "plot"])
    parser.add_argument("--minutes", type=float, default=5.0, help="minutes per run")
    parser.add_argument("--seeds", type=int, default=3, help="race only")
    parser.add_argument(
        "--contenders", nargs="+", choices=list(CONTENDERS), default=list(CONTENDERS),
        help="the models to run (default: all)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")  # no retracing notices from the evaluation calls
    return {"race": race, "plot": plot}[args.step](args)


if __name__ == "__main__":
    main()
