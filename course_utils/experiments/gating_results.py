"""Lessons 04-05 over many seeds: committed results, summaries, agreement and verdicts.

Split from :mod:`course_utils.experiments.gating` (which re-exports every name here):
the committed JSON of ``benchmarks/forget_bias.py`` and ``benchmarks/lstm_vs_gru.py``
(read with :func:`course_utils.results.load_results`); :func:`mean_std`, :func:`agreement`,
:func:`agreement_lines`, :func:`clearly_better`, :func:`layer_structure`,
:func:`claims_table` and the Markdown helpers turn runs over seeds into the numbers
and verdicts lesson 05 prints.

It is longer than the course's 300-line guide because every function here reads the
same run records (``Run.to_dict()`` rows over seeds) and lesson 05 prints their results
side by side; the verdicts of lesson 05 itself are in :mod:`.gru_lesson`.
"""

from __future__ import annotations

from course_utils.experiments.seeds import mean_std  # the one "mean ± std"
from course_utils.results import agreement  # the course's one agreement rule
from course_utils.validation import check_choice, check_int, check_number

__all__ = [
    "agreement",
    "agreement_lines",
    "claims_table",
    "clearly_better",
    "layer_structure",
    "mean_std",
    "summary_markdown",
    "table_markdown",
]

BENCHMARKS = ("forget_bias", "lstm_vs_gru")

#: :func:`claims_table`: a GRU/LSTM time ratio within 1 ± this margin is no difference.
SPEED_MARGIN = 0.05


def clearly_better(a, b) -> bool:
    """True when values ``a`` are lower (better) than ``b`` and the ``mean ± std`` bars
    of the two do not overlap: ``mean(a) + std(a) < mean(b) - std(b)``."""
    mean_a, std_a = mean_std(a)
    mean_b, std_b = mean_std(b)
    return mean_a + std_a < mean_b - std_b


def _ratio(gru: float, lstm: float) -> float:
    return gru / lstm if lstm else float("nan")


def _speed_verdict(ratios: dict[str, float], margin: float) -> str:
    values = list(ratios.values())
    if all(r < 1 - margin for r in values):
        return "holds here"
    if all(r > 1 + margin for r in values):
        return "does not hold here"
    return "depends"


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
    short_tasks=("adding_T50", "char_lm"),
    margin: float = SPEED_MARGIN,
) -> list[dict]:
    """Rebuild the source article's LSTM-vs-GRU table from measured runs.

    rows: ``Run.to_dict()`` records (any tasks, cells ``"lstm"``/``"gru"``, several seeds).
    Returns one dict per feature with ``feature``, ``claim`` (the article's, in short),
    ``lstm``, ``gru`` (measured, as text), ``verdict`` (``"holds here"``, ``"does not hold
    here"`` or ``"depends"``) and ``decided_by`` (the number behind the verdict).

    Rules: gates, hidden state and complexity are read from Keras layers of
    ``input_size``/``hidden_size`` (:func:`layer_structure`); computational cost
    (inference time), training speed (time per epoch) and parameter count compare the
    GRU/LSTM ratios of the seed means on every task: "holds here" when all are below
    ``1 - margin``, "does not hold here" when all are above ``1 + margin``, else
    "depends". Performance holds when the LSTM is clearly better (:func:`clearly_better`)
    on ``long_task`` and the GRU is not clearly worse on any of ``short_tasks``; it does
    not hold when the LSTM is not clearly better on ``long_task``; otherwise it depends.
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError("rows must be a non-empty list of Run.to_dict() records.")
    margin = check_number("margin", margin, minimum=0.0, maximum=0.5)
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
        verdict = "holds here" if holds(lstm[key], gru[key]) else "does not hold here"
        return _row(
            feature,
            claim,
            f"{lstm[key]} {unit}",
            f"{gru[key]} {unit}",
            verdict,
            f"read from Keras layers (m={input_size}, n={hidden_size}): LSTM "
            f"{lstm[key]}, GRU {gru[key]}, GRU/LSTM {gru[key] / lstm[key]:.2f}",
        )

    def ratio_row(feature, claim, key, fmt, label, margin) -> dict:
        mean = {(t, c): mean_std([r[key] for r in by[(t, c)]])[0] for (t, c) in by}
        ratios = {t: _ratio(mean[(t, "gru")], mean[(t, "lstm")]) for t in tasks}
        text = {
            c: label + ", ".join(f"{t} {mean[(t, c)]:{fmt}}" for t in tasks)
            for c in ("lstm", "gru")
        }
        decided = "GRU/LSTM " + ", ".join(f"{t} {r:.2f}" for t, r in ratios.items())
        return _row(
            feature, claim, text["lstm"], text["gru"], _speed_verdict(ratios, margin), decided
        )

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
        ratio_row("parameter count", "GRU lower", "params", ".0f", "", 0.0),
        _performance_row(by, tasks, long_task, short_tasks),
    ]


def _performance_row(by, tasks, long_task, short_tasks) -> dict:
    metric = {t: by[(t, "lstm")][0]["metric_name"] for t in tasks}
    values = {(t, c): [r["metric"] for r in by[(t, c)]] for t in tasks for c in ("lstm", "gru")}

    def text(cell: str) -> str:
        return ", ".join(
            f"{t} {mean_std(values[(t, cell)])[0]:.4g} ± "
            f"{mean_std(values[(t, cell)])[1]:.2g} {metric[t]}"
            for t in tasks
        )

    lstm_wins_long = clearly_better(values[(long_task, "lstm")], values[(long_task, "gru")])
    gru_worse_short = [
        t for t in short_tasks if clearly_better(values[(t, "lstm")], values[(t, "gru")])
    ]
    if not lstm_wins_long:
        verdict = "does not hold here"
    elif gru_worse_short:
        verdict = "depends"
    else:
        verdict = "holds here"
    long_l, long_g = (mean_std(values[(long_task, c)]) for c in ("lstm", "gru"))
    decided = (
        f"{long_task}: LSTM {long_l[0]:.4g} ± {long_l[1]:.2g} vs GRU {long_g[0]:.4g} ± "
        f"{long_g[1]:.2g} (LSTM clearly better: {'yes' if lstm_wins_long else 'no'}); "
        f"shorter tasks where GRU is clearly worse: {', '.join(gru_worse_short) or 'none'}"
    )
    claim = "LSTM often better on very long sequences; GRU comparable on shorter"
    return _row("performance", claim, text("lstm"), text("gru"), verdict, decided)


def table_markdown(table: list[dict]) -> str:
    """The rows of :func:`claims_table` as a Markdown table (for ``IPython.display.Markdown``)."""
    if not isinstance(table, list) or not table:
        raise TypeError("table must be the non-empty list that claims_table returns.")
    keys = ("feature", "claim", "lstm", "gru", "verdict", "decided_by")
    lines = [
        "| feature | the article says | LSTM, measured | GRU, measured | verdict | decided by |",
        "|---|---|---|---|---|---|",
    ]
    for row in table:
        lines.append("| " + " | ".join(str(row[k]).replace("|", "/") for k in keys) + " |")
    return "\n".join(lines)


def agreement_lines(
    live_rows: list[dict], committed_rows: list[dict], *, n_std: float = 2.0
) -> list[str]:
    """Compare live runs (one seed) with committed runs (several), line by line.

    For every live ``(task, cell)``: is its final metric within the committed mean ±
    ``n_std`` std (:func:`agreement`)? For every task with both cells live: the GRU/LSTM
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
        agrees, low, high = agreement(row["metric"], same, n_std=n_std)
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
            committed = _ratio(mean_std(saved["gru"])[0], mean_std(saved["lstm"])[0])
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
    lines = [
        "| task | cell | seeds | parameters | s / epoch | inference µs / seq | final metric |",
        "|---|---|---|---|---|---|---|",
    ]
    for task in sorted({r["task"] for r in rows}):
        for cell in ("lstm", "gru", "simple_rnn"):
            mine = [r for r in rows if (r["task"], r["cell"]) == (task, cell)]
            if not mine:
                continue
            cells = []
            for key, fmt in (
                ("seconds_per_epoch", ".2f"),
                ("inference_us", ".0f"),
                ("metric", ".4f"),
            ):
                mean, std = mean_std([r[key] for r in mine])
                cells.append(f"{mean:{fmt}} ± {std:{fmt}}" if len(mine) > 1 else f"{mean:{fmt}}")
            lines.append(
                f"| {task} | {cell.upper()} | {len(mine)} | {mine[0]['params']} | "
                + " | ".join(cells[:2])
                + f" | {cells[2]} {mine[0]['metric_name']} |"
            )
    return "\n".join(lines)
