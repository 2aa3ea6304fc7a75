"""From grid rows to summaries, a decision table, verdicts on advice and a recommendation.

* :func:`validate_grid` checks a grid (a JSON file of :func:`~.harness.run_grid`)
  against the schema of the current code.
* :func:`summarise` averages the seeds of each (task, cell, size).
* :func:`decision_table` says, per task, which cell wins, whether a SimpleRNN is
  enough, and what the winner costs; :func:`article_verdicts` tests each piece of the
  source article's advice on the numbers; :func:`recommend` answers a question about a
  new problem by citing the measured rows closest to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from course_utils.validation import check_choice, check_int, check_number

from .harness import ROW_KEYS, SCHEMA_VERSION
from .tasks import CELLS, TASKS

__all__ = [
    "ENOUGH",
    "VALUES",
    "Recommendation",
    "article_verdicts",
    "decision_table",
    "recommend",
    "summarise",
    "validate_grid",
]

#: Quantities of a row that :func:`summarise` can average.
VALUES = ("metric", "params", "train_seconds", "seconds_per_epoch", "inference_us")
#: A cell is "enough" when it closes at least this share of the gap between the
#: trivial predictor (``chance``) and the best cell's mean on the same task.
ENOUGH = 0.95
NAMES = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def validate_grid(grid: dict) -> dict:
    """Return ``grid`` if it matches the current schema; else ValueError saying what differs."""
    if not isinstance(grid, dict):
        raise TypeError(f"grid must be a dict (a loaded JSON grid); got {type(grid).__name__}.")
    for key in ("schema", "command", "machine", "created", "updated", "rows"):
        if key not in grid:
            raise ValueError(f"grid has no {key!r} entry; expected the keys of run_grid's result.")
    if grid["schema"] != SCHEMA_VERSION:
        raise ValueError(f"grid schema is {grid['schema']!r}; expected {SCHEMA_VERSION}.")
    for number, row in enumerate(grid["rows"]):
        missing = set(ROW_KEYS) - set(row)
        extra = set(row) - set(ROW_KEYS)
        if missing or extra:
            raise ValueError(
                f"grid row {number} has missing keys {sorted(missing)} and unknown keys "
                f"{sorted(extra)}; expected exactly {list(ROW_KEYS)}."
            )
        check_choice(f"rows[{number}]['cell']", row["cell"], CELLS)
        check_choice(f"rows[{number}]['task']", row["task"], TASKS)
        if row["metric_name"] != TASKS[row["task"]].metric:
            raise ValueError(
                f"grid row {number} measures {row['metric_name']!r} on {row['task']!r}; "
                f"the current code measures {TASKS[row['task']].metric!r}."
            )
    return grid


def summarise(rows, value: str = "metric") -> list[dict]:
    """One entry per (task, size, cell): seeds, and mean and std of every :data:`VALUES`.

    ``value`` picks the quantity the entry's ``mean``/``std`` keys hold (default the
    metric); all are also kept as ``<value>_mean`` / ``<value>_std``.
    """
    value = check_choice("value", value, VALUES)
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["task"], row["size"], row["cell"]), []).append(row)
    order = {name: i for i, name in enumerate(TASKS)}
    out = []
    for (task, size, cell), members in sorted(
        groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], CELLS.index(kv[0][2]))
    ):
        entry = {"task": task, "size": size, "cell": cell, "seeds": len(members)}
        entry |= {k: members[0][k] for k in ("metric_name", "higher_is_better", "chance")}
        for name in VALUES:
            values = np.array([m[name] for m in members], dtype=float)  # (seeds,)
            entry[f"{name}_mean"] = float(values.mean())
            entry[f"{name}_std"] = float(values.std(ddof=1)) if len(values) > 1 else 0.0
        entry["values"] = [m["metric"] for m in members]
        entry["mean"], entry["std"] = entry[f"{value}_mean"], entry[f"{value}_std"]
        out.append(entry)
    return out


def _skill(entry: dict, best: float) -> float:
    """Share of the chance-to-best gap this entry closes (1 = as good as the best)."""
    gap = best - entry["chance"]
    return 1.0 if gap == 0 else (entry["metric_mean"] - entry["chance"]) / gap


def _best(entries: list[dict]) -> dict:
    sign = 1 if entries[0]["higher_is_better"] else -1
    return max(entries, key=lambda e: sign * e["metric_mean"])


def decision_table(summary: list[dict]) -> list[dict]:
    """Per task (all sizes pooled): the best cell, whether SimpleRNN is enough, the cost.

    ``simple_skill`` is the share of the gap from chance to the best mean that the best
    SimpleRNN closes; it is "enough" at :data:`ENOUGH` or more. ``cost_vs_simple`` is the
    winner's seconds per epoch over the SimpleRNN's at the same size.
    """
    table = []
    for task in TASKS:
        entries = [e for e in summary if e["task"] == task]
        if not entries:
            continue
        best = _best(entries)
        simple = [e for e in entries if e["cell"] == "simple_rnn"]
        best_simple = _best(simple) if simple else None
        skill = _skill(best_simple, best["metric_mean"]) if best_simple else float("nan")
        same_size = [e for e in simple if e["size"] == best["size"]]
        cost = (
            best["seconds_per_epoch_mean"] / same_size[0]["seconds_per_epoch_mean"]
            if same_size
            else float("nan")
        )
        gated = [e for e in entries if e["cell"] != "simple_rnn"]
        table.append(
            {
                "task": task,
                "length": TASKS[task].length,
                "metric_name": best["metric_name"],
                "chance": best["chance"],
                "best_cell": best["cell"],
                "best_size": best["size"],
                "best": best["metric_mean"],
                "best_std": best["metric_std"],
                "simple_best": best_simple["metric_mean"] if best_simple else float("nan"),
                "simple_skill": skill,
                "simple_enough": bool(skill >= ENOUGH),
                "gated_best": _best(gated)["cell"] if gated else None,
                "cost_vs_simple": cost,
            }
        )
    return table


def _overlap(a: dict, b: dict) -> bool:
    """Do the mean +- std intervals of two summary entries overlap?"""
    return abs(a["metric_mean"] - b["metric_mean"]) <= a["metric_std"] + b["metric_std"]


def _by(summary, task, cell, size):
    return next(
        (e for e in summary if e["task"] == task and e["cell"] == cell and e["size"] == size), None
    )


def article_verdicts(summary: list[dict]) -> list[dict]:
    """The advice of the source article's "choosing an architecture" section, on the numbers.

    Each row: ``claim`` (paraphrased), ``evidence`` (measured), ``verdict``
    (``"holds"``, ``"does not hold"`` or ``"partly"``).
    """
    table = {row["task"]: row for row in decision_table(summary)}
    sizes = sorted({e["size"] for e in summary})
    rows = []

    def add(claim, evidence, holds):
        verdict = {True: "holds", False: "does not hold", None: "partly"}[holds]
        rows.append({"claim": claim, "evidence": evidence, "verdict": verdict})

    short = [t for t in ("adding_short", "co2") if t in table]
    add(
        "A SimpleRNN suffices for short sequences",
        "; ".join(
            f"{t} (T={table[t]['length']}): SimpleRNN closes "
            f"{table[t]['simple_skill']:.0%} of the gap"
            for t in short
        ),  # fmt: skip
        _all_or_partly([table[t]["simple_enough"] for t in short]),
    )
    long = [t for t in ("adding_long", "temporal_order", "char_lm") if t in table]
    add(
        "Long-range dependencies need an LSTM or a GRU",
        "; ".join(
            f"{t}: SimpleRNN closes {table[t]['simple_skill']:.0%}, best is "
            f"{NAMES[table[t]['best_cell']]}"
            for t in long
        ),  # fmt: skip
        _all_or_partly([not table[t]["simple_enough"] for t in long]),
    )
    slower = []
    for e in summary:
        simple = _by(summary, e["task"], "simple_rnn", e["size"])
        if e["cell"] != "simple_rnn" and simple:
            slower.append(e["seconds_per_epoch_mean"] / simple["seconds_per_epoch_mean"])
    add(
        "A SimpleRNN is cheaper to train than an LSTM or a GRU",
        f"gated/SimpleRNN time per epoch: {min(slower):.2f}-{max(slower):.2f}x",
        _all_or_partly([r > 1 for r in slower]),
    )
    ratios, comparable = [], []
    for task in TASKS:
        for size in sizes:
            lstm, gru = _by(summary, task, "lstm", size), _by(summary, task, "gru", size)
            if lstm and gru:
                ratios.append(gru["seconds_per_epoch_mean"] / lstm["seconds_per_epoch_mean"])
                comparable.append(_overlap(lstm, gru) or _better(gru, lstm))
    add(
        "A GRU costs less compute than an LSTM",
        f"GRU/LSTM time per epoch: {min(ratios):.2f}-{max(ratios):.2f}x",
        _all_or_partly([r < 1 for r in ratios]),
    )
    add(
        "A GRU performs comparably to an LSTM",
        f"GRU within the LSTM's spread or better in {sum(comparable)} of {len(comparable)} "
        "task/size pairs",
        _all_or_partly(comparable),
    )
    lstm_wins = []
    for task in long:
        for size in sizes:
            lstm, gru = _by(summary, task, "lstm", size), _by(summary, task, "gru", size)
            if lstm and gru:
                lstm_wins.append(_better(lstm, gru) and not _overlap(lstm, gru))
    add(
        "An LSTM is the stronger choice on long, complex sequences",
        f"LSTM clearly better than GRU in {sum(lstm_wins)} of {len(lstm_wins)} long-task pairs",
        _all_or_partly(lstm_wins),
    )
    if "co2" in table:
        simple = table["co2"]
        add(
            "Time series benefit from LSTM/GRU memory",
            f"co2: best {NAMES[simple['best_cell']]}, SimpleRNN closes "
            f"{simple['simple_skill']:.0%} of the gap to it",
            not simple["simple_enough"],
        )
    return rows


def _better(a: dict, b: dict) -> bool:
    sign = 1 if a["higher_is_better"] else -1
    return sign * a["metric_mean"] > sign * b["metric_mean"]


def _all_or_partly(flags: list[bool]):
    if not flags:
        return None
    return True if all(flags) else (False if not any(flags) else None)


@dataclass
class Recommendation:
    """What :func:`recommend` advises, and the measured rows it rests on."""

    cell: str
    size: int
    task: str
    reason: str
    rows: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        cited = "\n".join(
            f"  - {r['task']} {NAMES[r['cell']]}({r['size']}): {r['metric_name']} "
            f"{r['metric_mean']:.4f} +- {r['metric_std']:.4f} over {r['seeds']} seeds, "
            f"{r['train_seconds_mean']:.1f} s training on {TASKS[r['task']].n_train} sequences, "
            f"{int(r['params_mean'])} params"
            for r in self.rows
        )
        return f"Use {NAMES[self.cell]} with {self.size} units. {self.reason}\nMeasured:\n{cited}"


def recommend(
    sequence_length: int, dataset_size: int, compute_budget: float, summary: list[dict]
) -> Recommendation:
    """Pick a cell and size for a new problem from the measured grid ``summary``.

    * The task whose sequence length is closest (on a log scale) to ``sequence_length``
      stands in for the new problem; among tasks of equal length, the one where the
      SimpleRNN does worst (the harder dependency) is used, to be safe.
    * ``compute_budget``: seconds of training the user can afford. Each measured
      training time is scaled by ``dataset_size`` / the task's training-set size
      (time grows linearly with data at a fixed number of epochs).
    * Among the (cell, size) pairs that fit, the best mean metric wins, but a cheaper
      pair is preferred while it closes :data:`ENOUGH` of the gap to the best (training
      times within 10 % count as equal, and then fewer parameters win).
    * When nothing that does well fits, the answer is the cheapest model that does, with
      the time it would need.

    The grid does not measure how the winner changes with ``dataset_size`` itself;
    only the time is scaled.
    """
    sequence_length = check_int("sequence_length", sequence_length, minimum=1)
    dataset_size = check_int("dataset_size", dataset_size, minimum=1)
    compute_budget = check_number("compute_budget", compute_budget, minimum=0, strict_minimum=True)
    if not summary:
        raise ValueError("summary is empty; expected summarise(rows) of a measured grid.")
    tasks = sorted({e["task"] for e in summary})
    distance = {t: abs(math.log(TASKS[t].length / sequence_length)) for t in tasks}
    nearest = [t for t in tasks if distance[t] == min(distance.values())]
    table = {row["task"]: row for row in decision_table(summary)}
    task = min(nearest, key=lambda t: table[t]["simple_skill"])
    entries = [e for e in summary if e["task"] == task]
    best = _best(entries)
    scale = dataset_size / TASKS[task].n_train

    def cost(e):
        return e["train_seconds_mean"] * scale

    def cheapness(e):  # times within 10 % count as equal; then fewer parameters win
        return (round(math.log(cost(e)) / math.log(1.1)), e["params_mean"])

    fitting = [e for e in entries if cost(e) <= compute_budget]
    top = _best(fitting or entries)
    good = [e for e in fitting or entries if _skill(e, top["metric_mean"]) >= ENOUGH]
    choice = min(good, key=cheapness)
    if fitting:
        reason = (
            f"Closest measured task: {task} (T={TASKS[task].length}). Within your budget the "
            f"best is {NAMES[top['cell']]}({top['size']}); "
            f"{NAMES[choice['cell']]}({choice['size']}) closes "
            f"{_skill(choice, top['metric_mean']):.0%} of the gap from chance to it at about "
            f"{cost(choice):.0f} s of training and {choice['params_mean']:,.0f} parameters."
        )
    else:
        reason = (
            f"Nothing measured that does well fits {compute_budget:g} s: on {task} "
            f"(T={TASKS[task].length}) the cheapest model within {ENOUGH:.0%} of the best "
            f"would take about {cost(choice):.0f} s on {dataset_size} sequences. Budget more "
            "time, or train on less data or for fewer epochs and expect a worse result."
        )
    cited = [choice, top, best]
    unique = list({(e["cell"], e["size"]): e for e in cited}.values())
    return Recommendation(choice["cell"], choice["size"], task, reason, unique)
