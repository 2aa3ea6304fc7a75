"""Lessons 04-05 over many seeds: committed results, summaries, agreement and verdicts.

Split from :mod:`course_utils.experiments.gating`: the committed JSON of ``benchmarks/forget_bias.py`` and ``benchmarks/lstm_vs_gru.py``
(read with :func:`course_utils.core.results.load_results`); :func:`agreement`,
:func:`agreement_lines`, :func:`layer_structure`,
:func:`claims_table` and the Markdown helpers turn runs over seeds into the numbers
and verdicts lesson 05 prints.

It is longer than the course's 300-line guide because every function here reads the
same run records (``Run.to_dict()`` rows over seeds) and lesson 05 prints their results
side by side; the verdicts of lesson 05 itself are in :mod:`course_utils.lessons.l05_gru.verdicts`.
"""

from __future__ import annotations

from course_utils.core.evidence import (
    ALIASES,
    COMPARABLE,
    METRICS,
    compare_seeds,
    computed,
    not_worse,
    observation,
    pooled,
    spread,
)
from course_utils.core.evidence import (
    agreement as _agreement,
)
from course_utils.core.tables import table as layout
from course_utils.core.validation import check_choice, check_int, check_number
from course_utils.tasks import BASELINE_MSE
from course_utils.tasks.adding import SOLVED_MSE

__all__ = [
    "agreement",
    "agreement_lines",
    "claims_table",
    "layer_structure",
    "summary_markdown",
    "table_markdown",
]

BENCHMARKS = ("forget_bias", "lstm_vs_gru")

#: :func:`claims_table`: a GRU/LSTM time ratio within 1 ± this margin is no difference.
SPEED_MARGIN = 0.05
#: The trivial baseline of each task (the mean predictor's MSE): a run ending near it did
#: not train, and a comparison involving it is inconclusive.
TASK_BASELINES = {"adding_T50": BASELINE_MSE, "adding_T200": BASELINE_MSE}


def _ratio(gru: float, lstm: float) -> float:
    return gru / lstm if lstm else float("nan")


def layer_structure(cell: str, input_size: int = 2, hidden_size: int = 16) -> dict:
    """Read the structure of a freshly built Keras ``"lstm"`` or ``"gru"`` layer.

    Returns ``blocks`` (weight blocks: the gates plus the candidate, from the kernel's
    width), ``gates`` (``blocks - 1``), ``states`` (state tensors carried between steps,
    from ``cell.state_size``) and ``multiply_adds`` (one step's matrix products for one
    sequence: the entries of the kernel and of the recurrent kernel).
    """
    import keras

    check_choice("cell", cell, ("lstm", "gru"))
    units = check_int("hidden_size", hidden_size, minimum=1)
    # Keras's defaults (unit_forget_bias=True, reset_after=True), as gating builds them;
    # built here so that this module does not import gating (which imports it).
    layer = keras.layers.LSTM(units) if cell == "lstm" else keras.layers.GRU(units)
    layer.build((None, None, check_int("input_size", input_size, minimum=1)))
    kernel, recurrent = tuple(layer.cell.kernel.shape), tuple(layer.cell.recurrent_kernel.shape)
    size = layer.cell.state_size
    blocks = kernel[1] // hidden_size
    return {
        "blocks": blocks,
        "gates": blocks - 1,
        "states": len(size) if isinstance(size, (list, tuple)) else 1,
        "multiply_adds": kernel[0] * kernel[1] + recurrent[0] * recurrent[1],
    }


def _row(feature, claim, lstm, gru, verdict, decided_by) -> dict:
    return {
        "feature": feature,
        "claim": claim,
        "lstm": lstm,
        "gru": gru,
        "verdict": verdict,
        "decided_by": decided_by,
    }


def claims_table(
    rows: list[dict],
    *,
    input_size: int = 2,
    hidden_size: int = 16,
    long_task: str = "adding_T200",
    short_tasks=("adding_T50",),
    margin: float = SPEED_MARGIN,
    comparable: float = COMPARABLE,
    baselines: dict | None = None,
) -> list[dict]:
    """Rebuild the source article's LSTM-vs-GRU table from measured runs.

    rows: ``Run.to_dict()`` records (any tasks, cells ``"lstm"``/``"gru"``, several seeds).
    Returns one dict per feature with ``feature``, ``claim`` (the article's, in short),
    ``lstm``, ``gru`` (measured, as text), ``verdict`` (an outcome of the statistics core,
    :mod:`course_utils.core.evidence`) and ``decided_by`` (the number and rule behind it).

    Rules: gates, hidden state, complexity and parameter count are deterministic
    computations (Keras layers of ``input_size``/``hidden_size``, :func:`layer_structure`,
    and the runs' parameter counts). Computational cost (inference time) and training
    speed are timings made in one process, one cell after the other: observations (the
    GRU/LSTM ratio of the seed means on every task, below ``1 - margin`` everywhere counts
    as "as claimed"), never verdicts. Performance: the LSTM better than the GRU on
    ``long_task`` (:func:`~course_utils.core.evidence.compare_seeds`, inconclusive when a run
    did not train, i.e. ended near the task's baseline), and the GRU comparable on each of
    ``short_tasks`` (:func:`~course_utils.core.evidence.not_worse`, margin ``comparable`` of the
    LSTM's mean). Holds when both hold; does not hold when either does not; else
    inconclusive.
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError("rows must be a non-empty list of Run.to_dict() records.")
    margin = check_number("margin", margin, minimum=0.0, maximum=0.5)
    comparable = check_number("comparable", comparable, minimum=0.0, strict_minimum=True)
    baselines = TASK_BASELINES if baselines is None else baselines
    tasks = sorted({r["task"] for r in rows})
    by = {
        (t, c): [r for r in rows if (r["task"], r["cell"]) == (t, c)]
        for t in tasks
        for c in ("lstm", "gru")
    }
    missing = [f"{t}/{c}" for (t, c), found in by.items() if not found]
    if missing:
        raise ValueError(f"rows lack runs for {missing}; every task needs lstm and gru runs.")
    for task in (long_task, *short_tasks):
        if task not in tasks:
            raise ValueError(f"rows have no runs of task {task!r}; tasks present: {tasks}.")
    lstm, gru = (layer_structure(c, input_size, hidden_size) for c in ("lstm", "gru"))

    def structural(feature, claim, key, unit, holds) -> dict:
        verdict = computed(
            claim, "", true=bool(holds(lstm[key], gru[key])), rule="the layers match"
        ).outcome
        return _row(
            feature,
            claim,
            f"{lstm[key]} {unit}",
            f"{gru[key]} {unit}",
            verdict,
            f"read from Keras layers (m={input_size}, n={hidden_size}): LSTM "
            f"{lstm[key]}, GRU {gru[key]}, GRU/LSTM {gru[key] / lstm[key]:.2f}",
        )

    def ratio_row(feature, claim, key, fmt, label, margin, timing=True) -> dict:
        mean = {(t, c): spread([r[key] for r in by[(t, c)]]).mean for (t, c) in by}
        ratios = {t: _ratio(mean[(t, "gru")], mean[(t, "lstm")]) for t in tasks}
        text = {
            c: label + ", ".join(f"{t} {mean[(t, c)]:{fmt}}" for t in tasks)
            for c in ("lstm", "gru")
        }
        decided = "GRU/LSTM " + ", ".join(f"{t} {r:.2f}" for t, r in ratios.items())
        seen = all(r < 1 - margin for r in ratios.values())
        rule = f"every GRU/LSTM ratio is below {1 - margin:.2f}"
        if timing:  # timed in one process, one cell after the other: not a verdict
            v = observation(claim, decided, seen=seen, rule=rule)
            decided = f"{v.measured} (interleaved in one process: an observation)"
        else:
            v = computed(claim, decided, true=seen, rule=rule)
        return _row(feature, claim, text["lstm"], text["gru"], v.outcome, decided)

    return [
        structural(
            "gates",
            "LSTM 3 (input, forget, output), GRU 2 (reset, update)",
            "gates",
            "gates",
            lambda a, b: (a, b) == (3, 2),
        ),
        structural(
            "hidden state",
            "LSTM a cell state and a hidden state, GRU one state",
            "states",
            "state tensor(s)",
            lambda a, b: (a, b) == (2, 1),
        ),
        structural(
            "complexity",
            "GRU less complex",
            "multiply_adds",
            "multiply-adds/step",
            lambda a, b: b < a,
        ),
        ratio_row(
            "computational cost", "GRU lower", "inference_us", ".0f", "inference µs/seq: ", margin
        ),
        ratio_row("training speed", "GRU faster", "seconds_per_epoch", ".2f", "s/epoch: ", margin),
        ratio_row("parameter count", "GRU lower", "params", ".0f", "", 0.0, timing=False),
        _performance_row(by, tasks, long_task, short_tasks, comparable, baselines),
    ]


def _performance_row(by, tasks, long_task, short_tasks, comparable, baselines) -> dict:
    metric = {t: by[(t, "lstm")][0]["metric_name"] for t in tasks}
    values = {(t, c): [r["metric"] for r in by[(t, c)]] for t in tasks for c in ("lstm", "gru")}

    def text(cell: str) -> str:
        return ", ".join(f"{t} {spread(values[(t, cell)]).text(4)} {metric[t]}" for t in tasks)

    long = compare_seeds(
        f"LSTM better on {long_task}", values[(long_task, "lstm")], values[(long_task, "gru")],
        lower_is_better=True, names=("LSTM", "GRU"), baseline=baselines.get(long_task),
        metric="mse" if long_task in baselines else None, budget="this lesson's budget",
    )  # fmt: skip
    short = [
        not_worse(
            f"GRU comparable on {t}",
            values[(t, "gru")],
            values[(t, "lstm")],
            margin=comparable * abs(spread(values[(t, "lstm")]).mean),
            lower_is_better=True,
            names=("GRU", "LSTM"),
        )  # fmt: skip
        for t in short_tasks
    ]
    parts = [long, *short]
    verdict = pooled("performance", parts).outcome
    decided = "; ".join(f"{p.claim}: {p.outcome} ({p.measured})" for p in parts) + (
        f"; comparable means not worse by more than {comparable:.0%} of the LSTM's mean "
        "(one-sided, 95 % t interval)"
    )
    claim = "LSTM often better on very long sequences; GRU comparable on shorter"
    return _row("performance", claim, text("lstm"), text("gru"), verdict, decided)


def table_markdown(table: list[dict]) -> str:
    """The rows of :func:`claims_table` as a Markdown table (for ``IPython.display.Markdown``)."""
    if not isinstance(table, list) or not table:
        raise TypeError("table must be the non-empty list that claims_table returns.")
    keys = ("feature", "claim", "lstm", "gru", "verdict", "decided_by")
    header = ["feature", "the article says", "LSTM, measured", "GRU, measured", "verdict"]
    rows = [[row[k] for k in keys] for row in table]
    return layout(header + ["decided by"], rows, style="markdown")


def agreement(
    live: float, committed, *, metric_name: str = "mse", threshold: float | None = None
) -> tuple[bool, float, float]:
    """``(agrees, low, high)``: :func:`course_utils.core.evidence.agreement`, the course's one
    rule, for a run's ``metric_name``; an MSE (the adding problem) is cut at "solved" (1/60,
    unless ``threshold`` says otherwise) and at "did not train" (near the baseline 1/6)."""
    check_choice("metric_name", metric_name, (*METRICS, *ALIASES))
    baseline = None
    if metric_name == "mse":  # the adding problem: its solved line and its mean predictor
        threshold, baseline = SOLVED_MSE if threshold is None else threshold, BASELINE_MSE
    a = _agreement(live, committed, metric=metric_name, threshold=threshold, baseline=baseline)
    return a.agrees, a.low, a.high


def agreement_lines(live_rows: list[dict], committed_rows: list[dict]) -> list[str]:
    """Compare live runs (one seed) with committed runs (several), line by line.

    For every live ``(task, cell)``: does its final metric agree with the committed seeds
    (:func:`agreement`)? For every task with both cells live: the GRU/LSTM
    ratio of seconds per epoch, live against committed (absolute times depend on the
    machine; the ratio should not, much).
    """
    lines = []
    for row in live_rows:
        same = [
            r["metric"]
            for r in committed_rows
            if (r["task"], r["cell"]) == (row["task"], row["cell"])
        ]
        if not same:
            lines.append(f"{row['task']}/{row['cell']}: no committed runs to compare with")
            continue
        agrees, low, high = agreement(row["metric"], same, metric_name=row["metric_name"])
        lines.append(
            f"{row['task']:<13} {row['cell']:<4} {row['metric_name']}: live "
            f"{row['metric']:.4g}, committed range [{low:.4g}, {high:.4g}] -> "
            f"{'agrees' if agrees else 'does NOT agree'}"
        )
    for task in sorted({r["task"] for r in live_rows}):
        live = {r["cell"]: r["seconds_per_epoch"] for r in live_rows if r["task"] == task}
        saved = {
            c: [
                r["seconds_per_epoch"]
                for r in committed_rows
                if (r["task"], r["cell"]) == (task, c)
            ]
            for c in ("lstm", "gru")
        }
        if {"lstm", "gru"} <= set(live) and all(saved.values()):
            committed = _ratio(spread(saved["gru"]).mean, spread(saved["lstm"]).mean)
            lines.append(
                f"{task:<13} time per epoch GRU/LSTM: live "
                f"{_ratio(live['gru'], live['lstm']):.2f}, committed {committed:.2f}"
            )
    return lines


def summary_markdown(rows: list[dict]) -> str:
    """Runs over seeds as a Markdown table: mean ± std per task and cell of every measure
    (the value alone where a task and cell have a single run)."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError("rows must be a non-empty list of Run.to_dict() records.")
    header = ["task", "cell", "seeds", "parameters", "s / epoch", "inference µs / seq"]
    lines = []
    for task in sorted({r["task"] for r in rows}):
        for cell in ("lstm", "gru", "simple_rnn"):
            mine = [r for r in rows if (r["task"], r["cell"]) == (task, cell)]
            if not mine:
                continue
            cells = []
            for key, digits in (("seconds_per_epoch", 2), ("inference_us", 0), ("metric", 4)):
                values = [r[key] for r in mine]
                cells.append(spread(values).text(digits, fixed=True, counted=False))
            lines.append(
                [task, cell.upper(), len(mine), mine[0]["params"], *cells[:2]]
                + [f"{cells[2]} {mine[0]['metric_name']}"]
            )
    return layout(header + ["final metric"], lines, style="markdown")
