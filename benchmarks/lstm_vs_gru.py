"""LSTM against GRU, head to head: the same tasks, budget and machine, over seeds.

Run from the repository root::

    python -m benchmarks.lstm_vs_gru                 # seeds 0-2, about 25 minutes on 2 cores
    python -m benchmarks.lstm_vs_gru --seeds 0 --tasks adding_T50
    python -m benchmarks.lstm_vs_gru --timing-only   # re-time the runs in the results file
    python -m benchmarks.lstm_vs_gru --smoke --out /tmp/l.json   # the smallest run

Tasks are the configurations ``TASKS`` of ``course_utils.experiments.gating`` that
lesson 05 runs live for seed 0: the adding problem at two lengths (``adding_T50``,
``adding_T200``) and a character-level language model (``char_lm``) on the first
characters of Tiny Shakespeare (the generated grammar corpus when offline; the JSON
says which). Each run records its parameters and the validation metric after every
epoch. Speed is then measured by ``gating.time_task``: fresh LSTM and GRU models
trained and run in alternation, so that a busy spell of the machine slows both alike;
those figures replace the ones taken during training (kept as ``sequential_*``).
Results: ``benchmarks/results/lstm_vs_gru.json``, with the header of
``benchmarks/common.py`` (command, machine, date, commit); ``--timing-only`` keeps the
trained runs of ``--out`` and lists that file's header under ``resumed_from``.
``--smoke`` trains seed 0 on ``adding_T50`` shrunk to 64 sequences of length 10 for one
epoch, and times it over 2 rounds of one batch (``SMOKE``; its ``config`` says so).
"""

from __future__ import annotations

import os

from benchmarks import common

RESULTS = common.RESULTS / "lstm_vs_gru.json"
TASK_NAMES = ("adding_T50", "adding_T200", "char_lm")
ROUNDS, BATCHES = 7, 10
#: ``--smoke``: ``run_task``/``time_task`` overrides per kind of task, and the timing's size.
SMOKE = {
    "adding": {"length": 10, "n_train": 64, "n_val": 32, "epochs": 1},
    "char_lm": {"n_chars": 5000, "seq_length": 20, "epochs": 1},
}
SMOKE_ROUNDS, SMOKE_BATCHES = 2, 1


def add_timing(report: dict, text: str, *, rounds: int = ROUNDS, batches: int = BATCHES) -> None:
    """Interleaved timing for every (task, seed) of ``report``, written into its runs (each
    task as ``report["config"]`` has it)."""
    from course_utils.experiments.gating import TASKS, apply_timing, time_task

    for task, config in report["config"].items():
        overrides = {k: v for k, v in config.items() if TASKS[task].get(k) != v}
        for seed in report["seeds"]:
            timing = time_task(
                task, text=text, seed=seed, rounds=rounds, batches=batches, **overrides
            )
            mine = [r for r in report["runs"] if r["task"] == task and r["seed"] == seed]
            apply_timing(mine, task, timing)
            print(
                f"{task:<13} seed {seed} timing: "
                + ", ".join(
                    f"{cell} {t['seconds_per_epoch']:.2f} s/epoch {t['inference_us']:.0f} µs/seq"
                    for cell, t in timing.items()
                ),
                flush=True,
            )
    report["timing"] = {
        "method": "gating.time_task, interleaved",
        "rounds": rounds,
        "batches": batches,
        "date": common.now(),
    }


def clipping() -> str:
    """How the adding models clip gradients, read from a freshly built optimizer (lesson 05
    prints it beside lesson 03's budget)."""
    from course_utils.experiments.adding_runs import adding_model

    optimizer = adding_model("lstm", length=10).optimizer
    if getattr(optimizer, "global_clipnorm", None):
        return f"global_clipnorm={optimizer.global_clipnorm:g} (global norm)"
    if getattr(optimizer, "clipnorm", None):
        return f"clipnorm={optimizer.clipnorm:g} (per variable)"
    return "none"


def train_all(config: dict, seeds, text) -> list[dict]:
    """LSTM and GRU on every task of ``config`` (task -> its settings) and seed."""
    from course_utils.experiments.gating import TASKS, run_task

    runs = []
    for task, settings in config.items():
        overrides = {k: v for k, v in settings.items() if TASKS[task].get(k) != v}
        for seed in seeds:
            for cell in ("lstm", "gru"):
                row = run_task(task, cell, seed=seed, text=text, **overrides).to_dict()
                print(
                    f"{task:<13} {cell:<4} seed {seed}: {row['metric_name']} "
                    f"{row['metric']:.4f}, {row['params']} params",
                    flush=True,
                )
                runs.append(row)
    return runs


def main(argv=None) -> dict:
    parser = common.Parser(
        "lstm_vs_gru", __doc__, out=RESULTS, smoke={"seeds": [0], "tasks": ["adding_T50"]}
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--tasks", nargs="+", choices=TASK_NAMES, default=list(TASK_NAMES))
    parser.add_argument(
        "--timing-only",
        action="store_true",
        help="keep the trained runs of --out, measure their speed again",
    )
    args = parser.parse_args(argv)
    if args.timing_only and not args.out.is_file():
        parser.error(f"--timing-only needs the trained runs in --out; {args.out} is missing.")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_utils.core.datasets import load_corpus
    from course_utils.experiments.gating import TASKS

    corpus = load_corpus(TASKS["char_lm"]["corpus"])
    report = common.header(args.command)
    if args.timing_only:
        keep = ["benchmark", "config", "clipping", "corpus", "seeds", "runs"]
        common.resume(report, args.out, keep=keep)
    else:
        report |= {
            "benchmark": "LSTM vs GRU: same tasks, same budget, same machine",
            "config": {
                task: {**TASKS[task], **(SMOKE[TASKS[task]["task"]] if args.smoke else {})}
                for task in args.tasks
            },
            "clipping": clipping(),
            "corpus": {
                "name": corpus.name,
                "source": corpus.source,
                "fallback": corpus.is_fallback,
            },
            "seeds": args.seeds,
        }
        report["runs"] = train_all(report["config"], args.seeds, corpus.text)
    sizes = (SMOKE_ROUNDS, SMOKE_BATCHES) if args.smoke else (ROUNDS, BATCHES)
    add_timing(report, corpus.text, rounds=sizes[0], batches=sizes[1])
    common.write(args.out, report)
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
