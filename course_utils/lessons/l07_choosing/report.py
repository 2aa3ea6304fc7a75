"""Markdown tables of a compared grid, and live-against-committed agreement (lesson 07)."""

from __future__ import annotations

from course_utils.core.evidence import agreement
from course_utils.core.tables import table
from course_utils.lessons.l07_choosing.analysis import NAMES
from course_utils.lessons.l07_choosing.tasks import TASKS

__all__ = ["agreement_lines", "decision_markdown", "summary_markdown"]


def _rows(name: str, rows) -> list[dict]:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise TypeError(
            f"{name} must be a list of dicts (rows of a grid or its summary); got {rows!r:.80}."
        )
    return rows


def _table(header: list[str], lines: list[list[str]]) -> str:
    return table(header, lines, style="markdown")


def summary_markdown(summary: list[dict]) -> str:
    """Every (task, cell, size): metric mean ± std over seeds, parameters and the costs."""
    _rows("summary", summary)
    return _table(
        [
            "task",
            "cell",
            "units",
            "params",
            "metric (mean ± std, seeds)",
            "s/epoch",
            "training s",
            "µs/seq",
        ],  # fmt: skip
        [
            [
                e["task"],
                NAMES[e["cell"]],
                str(e["size"]),
                f"{e['params_mean']:,.0f}",
                f"{e['metric_mean']:.4g} ± {e['metric_std']:.2g} ({e['seeds']})",
                f"{e['seconds_per_epoch_mean']:.2f}",
                f"{e['train_seconds_mean']:.1f}",
                f"{e['inference_us_mean']:.0f}",
            ]  # fmt: skip
            for e in summary
        ],
    )


def decision_markdown(table: list[dict]) -> str:
    """The decision table of :func:`~.analysis.decision_table`, one line per task.

    "SimpleRNN enough?" is the outcome by the task's own notion of solved (the
    threshold column; "-" where the task has none and the best cell decides), with the
    continuous share of the gap from chance to the best beside it.
    """
    _rows("table", table)
    return _table(
        [
            "task",
            "T",
            "metric",
            "chance",
            "solved at",
            "best (cell, units)",
            "best SimpleRNN",
            "SimpleRNN closes",
            "SimpleRNN enough?",
            "winner's time / SimpleRNN's (grid, fixed order: an observation)",
        ],  # fmt: skip
        [
            [
                r["task"],
                str(r["length"]),
                r["metric_name"],
                f"{r['chance']:.4g}",
                "-" if r["solved"] is None else f"{r['solved']:.4g}",
                f"{r['best']:.4g} ({NAMES[r['best_cell']]}, {r['best_size']})",
                f"{r['simple_best']:.4g}",
                f"{r['simple_skill']:.0%}",
                r["simple_enough"],
                f"{r['cost_vs_simple']:.2f}x",
            ]  # fmt: skip
            for r in table
        ],
    )


def agreement_lines(live_rows: list[dict], committed_rows: list[dict]) -> list[str]:
    """For each live row: the committed runs of the same task, cell, size and budget, and
    whether the live metric agrees with them by the course's one rule,
    :func:`course_utils.core.evidence.agreement` (cut at the task's "solved" line)."""
    _rows("live_rows", live_rows)
    _rows("committed_rows", committed_rows)
    lines = []
    for row in live_rows:
        key = (row["task"], row["cell"], row["size"], row["budget"], row["fast"])
        same = [
            r["metric"]
            for r in committed_rows
            if (r["task"], r["cell"], r["size"], r["budget"], r["fast"]) == key
        ]
        if len(same) < 2:
            lines.append(f"{row['task']} {NAMES[row['cell']]}({row['size']}): nothing to compare")
            continue
        spec = TASKS[row["task"]]
        a = agreement(row["metric"], same, metric=spec.metric, threshold=spec.solved)
        agrees, low, high = a.agrees, a.low, a.high
        lines.append(
            f"{row['task']:<15} {NAMES[row['cell']]:<9}({row['size']}) {row['metric_name']}: "
            f"live {row['metric']:.4g}; committed {' / '.join(f'{v:.4g}' for v in same)}, "
            f"range [{low:.4g}, {high:.4g}] -> {'agrees' if agrees else 'does NOT agree'}"
        )
    return lines
