"""Advice from the measured grid: the dataset-size sweep, and :func:`recommend`.

:func:`data_sweep_verdicts` reads the sweep of ``benchmarks/architecture_probes.py``
(an LSTM and a GRU trained on a few dataset sizes) and says, per size, whether the GRU
overfits less; :func:`recommend` picks a cell and size for a new problem from the grid
and, given the sweep, lets the dataset size decide more than the training time.

It is longer than the course's 300-line guide because :func:`recommend` reads the
optimiser steps each measured run needed from the grid's rows (:func:`_steps_needed`) and
says so in its answer; splitting that off would separate a rule from the text that states it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from course_utils.core.evidence import Verdict, against_threshold, compare_seeds, pooled, seeds_text
from course_utils.core.validation import check_int, check_number
from course_utils.lessons.l07_choosing.analysis import (
    NAMES,
    _best,
    _label,
    current_rows,
    decision_table,
    gap_share,
    good_enough,
    grid_scope,
    recurrent_only,
    summarise,
)
from course_utils.lessons.l07_choosing.claims import advice_verdicts, transformer_verdicts
from course_utils.lessons.l07_choosing.committed import load_grid
from course_utils.lessons.l07_choosing.harness import _clipping_key
from course_utils.lessons.l07_choosing.tasks import CLIPPING, TASKS

__all__ = [
    "Recommendation",
    "data_sweep_verdicts",
    "lesson_verdicts",
    "order_lr_verdicts",
    "overfitting_verdict",
    "recommend",
    "sweep_scope",
]

#: Training times within this factor of the cheapest count as equal in :func:`recommend`.
TIME_TIE = 1.10


def _sweep_rows(sweep: dict) -> list[dict]:
    if not isinstance(sweep, dict) or "rows" not in sweep or "settings" not in sweep:
        raise TypeError(
            "sweep must be the 'data_sweep' entry of load_results('architecture_probes') "
            f"(a dict with 'settings' and 'rows'); got {sweep!r:.80}."
        )
    return sweep["rows"]


def _by_size(rows: list[dict], n: int, cell: str, key: str) -> list[float]:
    chosen = sorted((r for r in rows if r["n_train"] == n and r["cell"] == cell),
                    key=lambda r: r["seed"])  # fmt: skip
    if key == "gap":
        return [r["val_mse"] - r["train_mse"] for r in chosen]
    return [r[key] for r in chosen]


def data_sweep_verdicts(sweep: dict, scope: str) -> list[Verdict]:
    """Per training-set size: does the GRU overfit less than the LSTM, and is it better held out?

    "Overfits less" is read as a smaller gap between held-out and training MSE; both
    comparisons use the seeds rule of :func:`~course_utils.core.evidence.compare_seeds`.
    """
    rows = _sweep_rows(sweep)
    out = []
    for n in sorted({r["n_train"] for r in rows}):
        for key, what in (("gap", "smaller held-out minus training MSE"),
                          ("val_mse", "lower held-out MSE")):  # fmt: skip
            out.append(compare_seeds(
                f"n={n}: GRU has the {what}", _by_size(rows, n, "gru", key),
                _by_size(rows, n, "lstm", key), lower_is_better=True, names=("GRU", "LSTM"),
                scope=scope, digits=2,
            ))  # fmt: skip
    return out


def overfitting_verdict(sweep: dict, scope: str, *, limited: int = 1000) -> Verdict:
    """The article's "a GRU overfits less when data is limited", pooled over sizes <= ``limited``."""
    limited = check_int("limited", limited, minimum=1)
    parts = [
        v for v in data_sweep_verdicts(sweep, scope)
        if "minus" in v.claim and int(v.claim.split(":")[0][2:]) <= limited
    ]  # fmt: skip
    if not parts:
        raise ValueError(f"the sweep has no size <= limited={limited}.")
    measured = "; ".join(f"{p.claim.split(':')[0]}: {p.outcome}" for p in parts)
    rows = _sweep_rows(sweep)
    sizes = [int(p.claim.split(":")[0][2:]) for p in parts]
    lower = sum(
        np.mean(_by_size(rows, n, "gru", "gap")) < np.mean(_by_size(rows, n, "lstm", "gap"))
        for n in sizes
    )
    measured += f"; the GRU's mean gap is the smaller at {lower} of {len(sizes)} sizes"
    settings = sweep["settings"]
    steps = sorted({r["steps"] for r in rows if "steps" in r}) or [settings["steps"]]
    return pooled(
        "A GRU overfits less than an LSTM when data is limited",
        parts,
        measured=f"{measured} ({settings['task']}, {settings['size']} units, "
        f"{settings['steps']} steps planned at every size; runs took "
        f"{', '.join(map(str, steps))} steps)",
        rule=f"per size <= {limited} sequences, 'GRU's held-out minus training MSE is "
        "smaller' by the seeds rule",
        scope=scope,
    )


@dataclass
class Recommendation:
    """What :func:`recommend` advises, and the measured rows it rests on.

    ``fits`` is False when nothing that does well fits the budget: then ``cell`` and
    ``size`` are the cheapest model that does well, and ``seconds`` what it would need.
    """

    cell: str
    size: int
    task: str
    reason: str
    fits: bool = True
    seconds: float = 0.0
    rows: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        cited = "\n".join(
            f"  - {r['task']} {_label(r)}: {r['metric_name']} "
            f"{r['metric_mean']:.4f} +- {r['metric_std']:.4f} over {seeds_text(r['seeds'])}, "
            f"{r['train_seconds_mean']:.1f} s training on {TASKS[r['task']].n_train} sequences"
            + (f" ({_steps_range(*r['steps_needed'])} steps needed)" if "steps_needed" in r else "")
            + f", {int(r['params_mean'])} params"
            for r in self.rows
        )
        model = f"{NAMES[self.cell]} with {self.size} units"
        head = (
            f"Use {model}."
            if self.fits
            else f"Nothing that does well fits your budget. The cheapest model that does is "
            f"{model}, at about {self.seconds:.0f} s: budget more time, or train for fewer "
            "steps and expect a worse result."
        )
        return f"{head}\n{self.reason}\nMeasured:\n{cited}"


def _does_well(entry: dict, best: dict) -> bool:
    """Solved on every seed (tasks with a notion of solved); else not clearly worse than best."""
    outcome = good_enough(entry, best).outcome
    return outcome == "holds" or (
        TASKS[entry["task"]].solved is None and outcome != "does not hold"
    )


def _data_size_note(dataset_size: int, sweep: dict, candidates: list[dict]):
    """(kept candidates, note): what the sweep says at the swept size nearest ``dataset_size``."""
    rows = _sweep_rows(sweep)
    sizes = sorted({r["n_train"] for r in rows})
    n = min(sizes, key=lambda s: abs(math.log(s / dataset_size)))
    v = compare_seeds("GRU better", _by_size(rows, n, "gru", "val_mse"), _by_size(rows, n, "lstm", "val_mse"),
                      lower_is_better=True, names=("GRU", "LSTM"), digits=2)  # fmt: skip
    task = sweep["settings"]["task"]
    note = f"Dataset size: in the sweep ({task}) at n={n} sequences, held-out MSE {v.measured}"
    loser = {"holds": "lstm", "does not hold": "gru"}.get(v.outcome)
    kept = [e for e in candidates if e["cell"] != loser]
    if loser and kept:
        note += f": the {NAMES[loser]} is dropped."
    else:
        note += ": no clear winner between LSTM and GRU, both kept."
    vals = _by_size(rows, n, "gru", "val_mse") + _by_size(rows, n, "lstm", "val_mse")
    solved = TASKS[task].solved
    if solved is not None and min(vals) >= solved:
        note += (f" Neither solved {task} on any seed with that much data: expect worse results "
                 "than the rows below, measured on more.")  # fmt: skip
    return (kept if loser and kept else candidates), note


def _steps_range(low: int, high: int) -> str:
    """``"441-693"``, or ``"252"`` when every seed needed the same."""
    return f"{low}" if low == high else f"{low}-{high}"


def _grid_rows(rows) -> list[dict]:
    """``rows``, or the committed grid's current rows when ``rows`` is None."""
    if rows is None:
        return current_rows(load_grid())
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"rows must be a list of grid rows (dicts); got {rows!r:.80}.")
    return rows


def _steps_needed(entry: dict, rows: list[dict]) -> dict:
    """What one summary entry's runs needed, in optimiser steps, and their seconds per step.

    On tasks whose metric is the training loss's unit (the adding problem's MSE), a run
    needed the steps up to the end of the first epoch whose training loss fell below the
    task's notion of solved; a run that never got there counts all its steps. On the
    other tasks no epoch can be read as "good enough", so every step of the run counts.
    Returns ``{"low", "high", "seconds_per_step", "how"}``; ``high`` (the slowest seed)
    is what :func:`recommend` budgets for.
    """
    key = (entry["task"], entry["cell"], entry["size"])
    runs = sorted((r for r in rows if (r.get("task"), r.get("cell"), r.get("size")) == key),
                  key=lambda r: r["seed"])  # fmt: skip
    if [r["seed"] for r in runs] != entry["seed_list"] or not np.allclose(
        [r["metric"] for r in runs], entry["metric_values"]
    ):
        raise ValueError(
            f"rows must be the grid rows that summary was made from; for {key} they have "
            f"seeds {[r['seed'] for r in runs]}, summary {entry['seed_list']}."
        )
    missing = [k for k in ("steps", "epochs", "history", "train_seconds") if k not in runs[0]]
    if missing:
        raise ValueError(f"rows must be grid rows with {missing}; got keys {sorted(runs[0])}.")
    spec = TASKS[entry["task"]]
    by_loss = spec.metric == "mse" and spec.solved is not None
    needed = []
    for r in runs:
        per_epoch = r["steps"] / r["epochs"]
        below = [i for i, loss in enumerate(r["history"]) if loss < spec.solved] if by_loss else []
        needed.append(round(per_epoch * (below[0] + 1)) if below else r["steps"])
    how = (
        "to the end of the first epoch whose training loss fell below "
        f"{spec.solved:.4g} (all its steps where it never did)"
        if by_loss
        else "all the steps of the measured runs (no epoch can be read as good enough)"
    )
    per_step = float(np.mean([r["train_seconds"] / r["steps"] for r in runs]))
    return {"low": min(needed), "high": max(needed), "seconds_per_step": per_step, "how": how}


def recommend(
    sequence_length: int,
    dataset_size: int,
    compute_budget: float,
    summary: list[dict],
    *,
    sweep: dict | None = None,
    rows: list[dict] | None = None,
) -> Recommendation:
    """Pick a cell and size for a new problem from the measured grid ``summary``.

    * The task whose sequence length is closest (on a log scale) to ``sequence_length``
      stands in for the new problem; among tasks of equal length, the one where the
      SimpleRNN does worst (the harder dependency) is used, to be safe.
    * A model "does well" when it solved that task on every seed (the task's own notion
      of solved), or, for tasks without one, when the best cell is not clearly better.
    * Training time is estimated in optimiser steps, not epochs: a model's time is its
      measured seconds per step times the steps its measured runs needed, on the
      slowest seed (:func:`_steps_needed`; ``rows`` are the grid rows ``summary`` was
      made from, by default the committed grid's). On the adding problem a run needed
      the steps up to the first epoch whose training loss fell below the task's notion
      of solved; on tasks without a loss-unit notion, all the steps it ran. The estimate
      assumes your problem needs as many steps as the measured one, whatever its size:
      ``dataset_size`` only sets how many epochs those steps make (many passes over a
      small set, less than one over a large one). The answer prints the steps.
    * With ``sweep`` (the dataset-size sweep), the swept size nearest ``dataset_size``
      decides between LSTM and GRU: a cell clearly worse held out at that size is
      dropped, and the answer warns when neither solved the swept task with that little
      data. The sweep covers one task (adding, T=50); applying it to others is an
      extrapolation, and the answer says which task.
    * ``compute_budget``: seconds of training. "Cheapest" means the least training
      time in seconds (estimated as above); times within 10 % count as equal, and then
      fewer parameters win, then the better metric.
    * When nothing that does well fits, the answer says so (``fits=False``) and names
      the cheapest model that does well, with the time it would need.
    """
    sequence_length = check_int("sequence_length", sequence_length, minimum=1)
    dataset_size = check_int("dataset_size", dataset_size, minimum=1)
    compute_budget = check_number("compute_budget", compute_budget, minimum=0, strict_minimum=True)
    if not isinstance(summary, list) or not summary:
        raise ValueError("summary must be a non-empty list: summarise(rows) of a measured grid.")
    rows = _grid_rows(rows)
    summary = recurrent_only(summary)  # the Transformer is measured on one task only
    tasks = sorted({e["task"] for e in summary})
    distance = {t: abs(math.log(TASKS[t].length / sequence_length)) for t in tasks}
    nearest = [t for t in tasks if distance[t] == min(distance.values())]
    table = {row["task"]: row for row in decision_table(summary)}
    task = min(nearest, key=lambda t: table[t]["simple_skill"])
    entries = [e for e in summary if e["task"] == task]
    best = _best(entries)
    steps = {(e["cell"], e["size"]): _steps_needed(e, rows) for e in entries}

    def cost(e):
        need = steps[(e["cell"], e["size"])]
        return need["seconds_per_step"] * need["high"]

    good = [e for e in entries if _does_well(e, best)] or [best]
    note = ""
    if sweep is not None:
        good, note = _data_size_note(dataset_size, sweep, good)
    fitting = [e for e in good if cost(e) <= compute_budget]
    pool = fitting or good
    cheapest = min(cost(e) for e in pool)
    tied = [e for e in pool if cost(e) <= TIME_TIE * cheapest]
    sign = 1 if best["higher_is_better"] else -1
    choice = min(tied, key=lambda e: (e["params_mean"], -sign * e["metric_mean"]))
    share = gap_share(choice["metric_mean"], best["chance"], best["metric_mean"])
    need = steps[(choice["cell"], choice["size"])]
    batch = TASKS[task].batch_size
    epochs = need["high"] * batch / dataset_size
    reason = (
        f"Closest measured task: {task} (T={TASKS[task].length}); 'does well' = "
        f"{TASKS[task].solved_reason}. Of the {len(good)} models that do well, "
        f"{len(fitting)} fit {compute_budget:g} s of training. Times are scaled by optimiser "
        f"steps, not by your dataset size: each model's measured seconds per step times "
        f"the steps its runs needed on {task}, slowest seed ({need['how']}); the seconds come "
        "from the grid, timed in a fixed order on a busy machine, so they are rough. Cheapest = "
        f"least training time; within 10 % of it, fewest parameters. {_label(choice)}: "
        f"its runs needed {_steps_range(need['low'], need['high'])} steps of batch {batch}; "
        f"{need['high']} steps take about {cost(choice):.0f} s, "
        f"{epochs:.3g} epochs of your {dataset_size:,} sequences (assuming your problem "
        f"needs as many steps as {task}); {choice['params_mean']:,.0f} parameters, "
        f"{share:.0%} of the gap from chance to the best ({_label(best)})."
    )
    top = _best(fitting) if fitting else None
    if top is not None and top is not choice:
        v = compare_seeds("better", top["metric_values"], choice["metric_values"],
                          lower_is_better=not top["higher_is_better"],
                          names=(_label(top), _label(choice)), digits=2)  # fmt: skip
        verdict = {"holds": "better by the seeds rule", "inconclusive": "within the seeds' spread",
                   "does not hold": "worse by the seeds rule",
                   "observation": "one seed: no verdict"}[v.outcome]  # fmt: skip
        reason += (
            f"\nThe best that fits is {_label(top)} ({verdict}: {v.measured}), "
            f"{top['params_mean']:,.0f} parameters, about {cost(top):.0f} s: take it if "
            "quality or size matters more to you than training seconds."
        )
    if note:
        reason += "\n" + note
    cited = [choice, best] + [e for e in tied if e is not choice]
    unique = [
        e | {"steps_needed": (steps[k]["low"], steps[k]["high"])}
        for k, e in {(e["cell"], e["size"]): e for e in cited}.items()
    ]
    return Recommendation(
        choice["cell"], choice["size"], task, reason, bool(fitting), round(cost(choice), 1), unique
    )


def sweep_scope(probes: dict) -> str:
    """What a verdict on the dataset-size sweep covers ("here: 2-core CPU, adding_T50, ...")."""
    sweep = _probe(probes, "data_sweep")
    s, rows = sweep["settings"], sweep["rows"]
    seeds = len({r["seed"] for r in rows})
    cores = probes.get("machine", {}).get("cpu_count", "?")
    return f"here: {cores}-core CPU, {s['task']}, {s['size']} units, {seeds_text(seeds)}, {s['steps']} steps"


def _probe(probes: dict, key: str) -> dict:
    if not isinstance(probes, dict) or key not in probes:
        raise TypeError(
            f"probes must be load_probes() (a dict with {key!r}); got {str(probes)[:80]!r}."
        )
    return probes[key]


def order_lr_verdicts(probes: dict, grid: dict, scope: str) -> list[Verdict]:
    """ "LSTM(64) solves temporal order at learning rate ...": one verdict per rate.

    The grid's own rate comes from ``grid`` (its rows with the current clipping, and,
    when present, the older rows with per-variable clipping); smaller rates from the
    ``order_lr`` probe. "Solves" is the task's notion (every seed at or above it).
    """
    spec = TASKS["temporal_order"]
    rows = _probe(probes, "order_lr")["rows"]
    runs = {(r["learning_rate"], _clipping_key(CLIPPING)): [] for r in rows}
    for r in rows:
        runs[(r["learning_rate"], _clipping_key(CLIPPING))].append(r["metric"])
    current_rows(grid)  # checks the grid against the schema
    for r in grid["rows"]:
        if (r["task"], r["cell"], r["size"], r["fast"]) == ("temporal_order", "lstm", 64, False):
            runs.setdefault((spec.learning_rate, r["clipping"]), []).append(r["metric"])
    out = []
    for (rate, clipping), values in sorted(runs.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        kind = "global norm" if clipping.startswith("global") else "per tensor"
        out.append(against_threshold(
            f"LSTM(64) solves temporal order at learning rate {rate:g} (clipping: {kind})",
            values, spec.solved, below=False, unit="accuracy", scope=scope,
        ))  # fmt: skip
    return out


def lesson_verdicts(grid: dict, probes: dict, timing: dict | None = None) -> list[Verdict]:
    """Every verdict lesson 07's summary renders, from the committed JSON alone
    (``timing``: ``load_results("timing")`` for the time claims)."""
    rows = current_rows(grid)
    scope = grid_scope(grid, rows)
    summary = summarise(rows)
    verdicts = advice_verdicts(summary, scope, timing=timing)
    verdicts += transformer_verdicts(summary, scope)
    verdicts.append(overfitting_verdict(_probe(probes, "data_sweep"), sweep_scope(probes)))
    return verdicts + order_lr_verdicts(probes, grid, scope)
