"""Lesson 05's T=200 budget beside lesson 03's: why the same LSTM solves the adding problem
in one lesson and not in the other.

:func:`budget_rows` reads both lessons' committed benchmark JSON (hidden units, batch
size, weight updates, sequences seen, clipping, and the LSTM's final MSEs over the
seeds); :func:`budget_markdown` shows them side by side. Used by
``notebooks/05_gru.ipynb`` and :func:`course_utils.lessons.l05_gru.verdicts.lesson05_verdicts`.
"""

from __future__ import annotations

import math

from course_utils.core.evidence import against_threshold, seeds_text
from course_utils.core.tables import table
from course_utils.core.validation import check_int
from course_utils.tasks.adding import SOLVED_MSE

__all__ = ["DEFAULT_CLIPPING", "budget_markdown", "budget_rows", "check_benchmark", "run_values"]

#: How lesson 05's benchmark clipped, for JSON written before the benchmark recorded it
#: (``adding_runs.adding_model`` on 2026-11-25: Adam with per-variable ``clipnorm=1.0``).
DEFAULT_CLIPPING = "clipnorm=1 (per variable)"


def run_values(rows, task, cell, key) -> list[float]:
    """``key`` of every run row of ``task`` and ``cell`` (one value per seed)."""
    return [float(r[key]) for r in rows if r["task"] == task and r["cell"] == cell]


def check_benchmark(name: str, bench, keys) -> dict:
    """Return ``bench`` if it is a benchmark JSON dict holding ``keys``; else ``ValueError``
    naming ``name``, the keys expected and what was given."""
    if not isinstance(bench, dict) or not set(keys) <= set(bench):
        got = sorted(bench) if isinstance(bench, dict) else type(bench).__name__
        raise ValueError(
            f"{name} must be the {name} benchmark JSON with keys {sorted(keys)}; got {got}."
        )
    return bench


def budget_rows(lstm_vs_gru: dict, adding_problem: dict, *, length: int = 200) -> list[dict]:
    """The LSTM's budget and result at ``length`` steps in lesson 05 and in lesson 03.

    One dict per lesson: hidden units, batch size, weight updates, sequences seen,
    clipping, the LSTM's final MSEs over the seeds and whether they are below
    :data:`~course_utils.tasks.adding.SOLVED_MSE`.
    """
    check_benchmark("lstm_vs_gru", lstm_vs_gru, ("config", "runs"))
    check_benchmark("adding_problem", adding_problem, ("budget", "runs"))
    length = check_int("length", length, minimum=2)
    task = next((k for k, c in lstm_vs_gru["config"].items() if c.get("length") == length), None)
    if task is None:
        raise ValueError(f"lstm_vs_gru has no adding task of length {length}.")
    c = lstm_vs_gru["config"][task]
    updates05 = c["epochs"] * math.ceil(c["n_train"] / c["batch_size"])
    b = adding_problem["budget"]
    mse03 = [
        r["test_mse"]
        for r in adding_problem["runs"]
        if r["model"] == "lstm" and r["length"] == length
    ]
    mse05 = run_values(lstm_vs_gru["runs"], task, "lstm", "metric")
    clip03 = (
        f"global_clipnorm={b['global_clipnorm']:g} (global norm)"
        if b.get("global_clipnorm")
        else "per-variable"
    )
    rows = [
        {
            "lesson": "05 (lstm_vs_gru)",
            "hidden units": c["hidden_size"],
            "batch size": c["batch_size"],
            "weight updates": updates05,
            "sequences seen": c["epochs"] * c["n_train"],
            "learning rate": c["learning_rate"],
            "clipping": lstm_vs_gru.get("clipping", DEFAULT_CLIPPING),
            "mse": mse05,
        },
        {
            "lesson": "03 (adding_problem)",
            "hidden units": b["hidden_size"],
            "batch size": b["batch_size"],
            "weight updates": b["steps"],
            "sequences seen": b["steps"] * b["batch_size"],
            "learning rate": b["learning_rate"],
            "clipping": clip03,
            "mse": [float(v) for v in mse03],
        },
    ]
    for row in rows:
        if not row["mse"]:
            raise ValueError(f"lesson {row['lesson']} has no LSTM run at length {length}.")
        row["verdict"] = against_threshold(
            f"LSTM solves T={length} with lesson {row['lesson'][:2]}'s budget",
            row["mse"],
            SOLVED_MSE,
            below=True,
            unit="MSE",
            scope=f"{seeds_text(len(row['mse']))}, full mode, committed",
        )
    return rows


def budget_markdown(rows: list[dict]) -> str:
    """:func:`budget_rows` as a Markdown table, one column per lesson."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"rows must be the list budget_rows() returns; got {rows!r}.")
    keys = [
        "hidden units",
        "batch size",
        "weight updates",
        "sequences seen",
        "learning rate",
        "clipping",
    ]
    header = [""] + [f"lesson {r['lesson']}" for r in rows]
    lines = [
        [key] + [f"{r[key]:,}" if isinstance(r[key], int) else str(r[key]) for r in rows]
        for key in keys
    ]
    lines.append(["LSTM final MSE"] + [r["verdict"].measured for r in rows])
    lines.append(["solved (MSE < 1/60)?"] + [f"**{r['verdict'].outcome}**" for r in rows])
    return table(header, lines, style="markdown")
