"""From grid rows to summaries, a decision table and verdicts on the source article's advice.

* :func:`validate_grid` checks a grid (a JSON file of :func:`~.harness.run_grid`)
  against the schema of the current code; :func:`current_rows` keeps the rows trained
  the way the current code trains (full mode, the current clipping).
* :func:`summarise` averages the seeds of each (task, cell, size), keeping every seed.
* :func:`decision_table` says, per task, which cell wins and whether a SimpleRNN is
  enough by the task's own notion of "solved" (:mod:`.tasks`), with the share of the
  gap from chance to the best it closes beside it.

The source article's advice is tested in :mod:`.claims`; :func:`~.advice.recommend`
(in :mod:`.advice`) answers a question about a new problem.
"""

from __future__ import annotations

from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    compare_seeds,
    computed,
    negated,
    seeds_text,
    spread,
)
from course_utils.core.registry import RECURRENT, blocks, cell_name
from course_utils.core.validation import check_choice, check_int
from course_utils.lessons.l07_choosing.harness import ROW_KEYS, SCHEMA_VERSION, _clipping_key
from course_utils.lessons.l07_choosing.tasks import CELLS, CLIPPING, TASKS

__all__ = [
    "NAMES",
    "recurrent_only",
    "VALUES",
    "current_rows",
    "decision_table",
    "gap_share",
    "grid_scope",
    "multiply_adds",
    "pareto_front",
    "simple_rnn_verdict",
    "summarise",
    "validate_grid",
]

#: Quantities of a row that :func:`summarise` can average.
VALUES = ("metric", "params", "train_seconds", "seconds_per_epoch", "inference_us")
#: Display names of the grid's cells (from the registry).
NAMES = {cell: cell_name(cell) for cell in ("simple_rnn", "lstm", "gru", "transformer")}
SHORT_TASKS = ("adding_T10", "co2")
LONG_TASKS = ("adding_T50", "temporal_order", "char_lm")


def validate_grid(grid: dict) -> dict:
    """Return ``grid`` if it matches the current schema; else ValueError saying what differs."""
    if not isinstance(grid, dict):
        raise TypeError(f"grid must be a dict (a loaded JSON grid); got {type(grid).__name__}.")
    for key in ("schema", "command", "machine", "created", "updated", "rows"):
        if key not in grid:
            raise ValueError(f"grid has no {key!r} entry; expected the keys of run_grid's result.")
    if grid["schema"] != SCHEMA_VERSION:
        raise ValueError(
            f"grid schema is {grid['schema']!r}; expected {SCHEMA_VERSION} "
            "(compare.migrate_grid brings schema 1 up to date)."
        )
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


def current_rows(grid: dict, *, fast: bool = False) -> list[dict]:
    """The rows of ``grid`` trained as the current code trains: its clipping, and the mode."""
    grid = validate_grid(grid)
    if not isinstance(fast, bool):
        raise TypeError(f"fast must be True or False; got {fast!r}.")
    clipping = _clipping_key(CLIPPING)
    return [r for r in grid["rows"] if r["clipping"] == clipping and r["fast"] == fast]


def grid_scope(grid: dict, rows: list[dict] | None = None) -> str:
    """What a verdict on ``grid`` covers: "here: 2-core CPU, T <= 50, 3 seeds, full mode"."""
    rows = current_rows(grid) if rows is None else rows
    if not rows:
        raise ValueError("grid has no rows with the current clipping; run the benchmark.")
    device = "GPU" if grid["machine"].get("gpus") else "CPU"
    cores = grid["machine"].get("cpu_count", "?")
    seeds = len({r["seed"] for r in rows})
    longest = max(TASKS[r["task"]].length for r in rows)
    mode = "fast mode" if rows[0]["fast"] else "full mode"
    return f"here: {cores}-core {device}, T <= {longest}, {seeds_text(seeds)}, {mode}"


def multiply_adds(cell: str, features: int, units: int) -> int:
    """Multiply-adds per time step of one layer: ``blocks * units * (features + units)``.

    Each block (gate or candidate) multiplies the input by an ``(features, units)``
    kernel and the state by a ``(units, units)`` one; biases and the gates' elementwise
    products are left out (they are ``O(units)``).
    """
    cell = check_choice("cell", cell, RECURRENT)
    features = check_int("features", features, minimum=1)
    units = check_int("units", units, minimum=1)
    return blocks(cell) * units * (features + units)


def pareto_front(costs, errors) -> list[int]:
    """Indices (increasing) of the points no other point dominates; lower is better for both.

    A point is dominated when another is no dearer and no worse, and better in one.
    """
    costs, errors = _pair("costs", costs), _pair("errors", errors)
    if len(costs) != len(errors):
        raise ValueError(f"costs and errors must have the same length; got {len(costs)} "
                         f"and {len(errors)}.")  # fmt: skip
    points = list(zip(costs, errors, strict=True))
    return [
        i
        for i, (c, e) in enumerate(points)
        if not any(cj <= c and ej <= e and (cj, ej) != (c, e) for cj, ej in points)
    ]


def _pair(name: str, values) -> list[float]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a list of numbers; got {values!r}.")
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be a list of numbers; got {values!r}.") from err


def summarise(rows, value: str = "metric") -> list[dict]:
    """One entry per (task, size, cell): seeds, and mean and std of every :data:`VALUES`.

    ``value`` picks the quantity the entry's ``mean``/``std`` keys hold (default the
    metric); all are also kept as ``<value>_mean`` / ``<value>_std``, and every seed's
    value, in seed order, as ``<value>_values``.
    """
    value = check_choice("value", value, VALUES)
    if not isinstance(rows, list):
        raise TypeError(f"rows must be a list of grid rows; got {rows!r:.80}.")
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["task"], row["size"], row["cell"]), []).append(row)
    order = {name: i for i, name in enumerate(TASKS)}
    out = []
    for (task, size, cell), members in sorted(
        groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], CELLS.index(kv[0][2]))
    ):
        members = sorted(members, key=lambda m: m["seed"])
        entry = {"task": task, "size": size, "cell": cell, "seeds": len(members)}
        entry |= {k: members[0][k] for k in ("metric_name", "higher_is_better", "chance")}
        entry["seed_list"] = [m["seed"] for m in members]
        for name in VALUES:
            s = spread([m[name] for m in members], name)  # over seeds
            entry[f"{name}_values"] = [float(m[name]) for m in members]
            entry[f"{name}_mean"] = s.mean
            entry[f"{name}_std"] = s.std
        entry["values"] = entry["metric_values"]
        entry["mean"], entry["std"] = entry[f"{value}_mean"], entry[f"{value}_std"]
        out.append(entry)
    return out


def gap_share(metric: float, chance: float, best: float) -> float:
    """Share of the gap from ``chance`` to ``best`` that ``metric`` closes (1 = as the best).

    Negative when ``metric`` is worse than chance; the sign is kept on purpose.
    """
    gap = best - chance
    return 1.0 if gap == 0 else (metric - chance) / gap


def _best(entries: list[dict]) -> dict:
    sign = 1 if entries[0]["higher_is_better"] else -1
    return max(entries, key=lambda e: sign * e["metric_mean"])


def _label(entry: dict) -> str:
    return f"{NAMES[entry['cell']]}({entry['size']})"


def good_enough(entry: dict, best: dict, scope: str = "") -> Verdict:
    """Does ``entry`` do well on its task? By the task's "solved" when it has one, else
    by not being clearly worse than ``best`` over seeds."""
    spec = TASKS[entry["task"]]
    claim = f"{_label(entry)} does well on {entry['task']}"
    if spec.solved is not None:
        return against_threshold(
            claim, entry["metric_values"], spec.solved, below=not spec.higher_is_better,
            unit=spec.metric, scope=scope,
        )  # fmt: skip
    if best is entry:
        return computed(claim, f"it is the best cell ({entry['metric_mean']:.4g})", true=True,
                        rule="the cell is the best cell itself", scope=scope)  # fmt: skip
    versus = compare_seeds(
        claim, best["metric_values"], entry["metric_values"],
        lower_is_better=not entry["higher_is_better"], names=(_label(best), _label(entry)),
        unit=spec.metric, scope=scope,
    )  # fmt: skip
    rule = (
        "against the best cell: does not hold when the best is better by the seeds rule, "
        "holds when this cell is, inconclusive within the spread; "
    )
    return negated(claim, versus, rule=rule)


def simple_rnn_verdict(summary: list[dict], task: str, scope: str = "") -> Verdict:
    """ "A SimpleRNN is enough for ``task``": its best size, judged by the task's notion."""
    entries = [e for e in summary if e["task"] == task]
    simple = [e for e in entries if e["cell"] == "simple_rnn"]
    if not entries or not simple:
        raise ValueError(f"summary has no SimpleRNN rows for {task!r}.")
    best, best_simple = _best(entries), _best(simple)
    verdict = good_enough(best_simple, best, scope)
    spec = TASKS[task]
    share = gap_share(best_simple["metric_mean"], best["chance"], best["metric_mean"])
    measured = f"{verdict.measured}; closes {share:.0%} of the gap from chance to {_label(best)}"
    claim = f"A SimpleRNN is enough for {task} (T={spec.length})"
    rule = f"'enough' = {spec.solved_reason}. {verdict.rule}"
    return Verdict(claim, measured, rule, verdict.outcome, scope)


def recurrent_only(summary: list[dict]) -> list[dict]:
    """The entries of the three recurrent cells: the decision table, the advice and the
    recommender choose among these (the Transformer runs on ``char_lm`` only)."""
    return [e for e in summary if e["cell"] in RECURRENT]


def decision_table(summary: list[dict], scope: str = "") -> list[dict]:
    """Per task (all sizes pooled): the best recurrent cell, whether a SimpleRNN is enough, the cost.

    ``simple_enough`` is the outcome of :func:`simple_rnn_verdict` (the task's own
    notion of solved); ``simple_skill`` the share of the gap from chance to the best
    mean the best SimpleRNN closes (continuous, shown beside it). ``cost_vs_simple``:
    the winner's seconds per epoch over the SimpleRNN's at the same size.
    """
    table, summary = [], recurrent_only(summary)
    for task in TASKS:
        entries = [e for e in summary if e["task"] == task]
        if not entries:
            continue
        best = _best(entries)
        simple = [e for e in entries if e["cell"] == "simple_rnn"]
        best_simple = _best(simple) if simple else None
        verdict = simple_rnn_verdict(summary, task, scope) if simple else None
        same_size = [e for e in simple if e["size"] == best["size"]]
        cost = (
            best["seconds_per_epoch_mean"] / same_size[0]["seconds_per_epoch_mean"]
            if same_size
            else float("nan")
        )
        table.append(
            {
                "task": task,
                "length": TASKS[task].length,
                "metric_name": best["metric_name"],
                "chance": best["chance"],
                "solved": TASKS[task].solved,
                "best_cell": best["cell"],
                "best_size": best["size"],
                "best": best["metric_mean"],
                "best_std": best["metric_std"],
                "simple_best": best_simple["metric_mean"] if best_simple else float("nan"),
                "simple_skill": gap_share(
                    best_simple["metric_mean"], best["chance"], best["metric_mean"]
                )
                if best_simple
                else float("nan"),
                "simple_enough": verdict.outcome if verdict else "no SimpleRNN run",
                "verdict": verdict,
                "cost_vs_simple": cost,
            }
        )
    return table
