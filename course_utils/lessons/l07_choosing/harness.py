"""Run a grid of cell x task x size x seed under one training budget, with a resumable cache.

:func:`run_one` trains one model and returns its row of measurements; :func:`run_grid`
runs every combination not yet in its JSON file, saving after each run (an interrupted
grid continues where it stopped). The budget is a number of epochs or of seconds of
training (:class:`~course_utils.core.training.Budget`, the course's one budget); every cell on a task gets the same one, and every run trains through the course's one
trainer (:class:`~course_utils.core.training.Trainer`). The grid's row format lives here
in one place: the schema migration, one run and the resumable grid read or write the same row.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from course_utils.core.environment import machine_description, seed_all
from course_utils.core.training import Budget, Trainer
from course_utils.core.validation import check_choice, check_int
from course_utils.experiments.gating import inference_us
from course_utils.lessons.l07_choosing.tasks import (
    CELL_TASKS,
    CELLS,
    CLIPPING,
    RENAMED,
    TASKS,
    build_model,
    evaluate,
    fit_targets,
    runs_on,
    task_data,
)

__all__ = [
    "SCHEMA_VERSION",
    "migrate_grid",
    "run_grid",
    "run_one",
]

#: Schema 2: the adding tasks are named by their length, and every row says how the
#: gradients were clipped (``"clipping"``).
SCHEMA_VERSION = 2
ROW_KEYS = (
    "cell", "task", "size", "seed", "budget", "fast", "clipping", "params", "epochs", "steps",
    "train_seconds", "seconds_per_epoch", "inference_us", "peak_memory_mb", "metric_name",
    "metric", "higher_is_better", "chance", "history",
)  # fmt: skip


def _clipping_key(clipping: dict) -> str:
    """``{"global_clipnorm": 1.0}`` -> ``"global_clipnorm=1"``: how rows record clipping."""
    return ",".join(f"{k}={v:g}" for k, v in clipping.items())


def migrate_grid(grid: dict) -> dict:
    """A grid of an older schema brought to :data:`SCHEMA_VERSION` (a new dict).

    Schema 1 -> 2: tasks renamed by :data:`~.tasks.RENAMED` (``adding_short`` ->
    ``adding_T10``, ``adding_long`` -> ``adding_T50``), and each row gets
    ``"clipping": "clipnorm=1"``, the per-variable clipping schema-1 grids were trained
    with, so :func:`run_grid` never mixes them with rows clipped by the global norm.
    """
    if not isinstance(grid, dict) or "rows" not in grid:
        raise TypeError(f"grid must be a dict with 'rows' (a loaded grid); got {grid!r:.80}.")
    version = grid.get("schema")
    if version == SCHEMA_VERSION:
        return grid
    if version != 1:
        raise ValueError(f"grid schema is {version!r}; can migrate only 1 -> {SCHEMA_VERSION}.")
    rows = [
        {
            **{k: v for k, v in row.items() if k != "history"},
            "task": RENAMED.get(row["task"], row["task"]),
            "clipping": row.get("clipping", "clipnorm=1"),
            "history": row["history"],
        }
        for row in grid["rows"]
    ]
    return {**grid, "schema": SCHEMA_VERSION, "rows": rows}


def _reset_gpu_peak() -> bool:
    """Reset the GPU's peak-memory counter; False when there is no GPU to measure."""
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        return False
    tf.config.experimental.reset_memory_stats("GPU:0")
    return True


def _gpu_peak_mb() -> float:
    import tensorflow as tf

    return tf.config.experimental.get_memory_info("GPU:0")["peak"] / 2**20


def _check_names(name: str, values, choices) -> list:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a list; got {values!r}.")
    values = list(values)
    if not values:
        raise ValueError(f"{name} must not be empty; expected some of {sorted(choices)}.")
    return values


def run_one(
    cell: str,
    task: str,
    size: int,
    seed: int = 0,
    budget: Budget | None = None,
    *,
    fast: bool = False,
    data=None,
    clock: Callable[[], float] = time.perf_counter,
    learning_rate: float | None = None,
) -> dict:
    """Train one model and measure it. Returns a row (a dict with :data:`ROW_KEYS`).

    ``budget`` defaults to the task's epochs (``TASKS[task].epochs``). ``data`` may pass
    ``task_data(task, fast=fast)`` already made (a grid makes it once per task).
    ``clock`` is the timer used for the seconds budget (tests pass a fake one).
    ``learning_rate`` overrides the task's (for probes outside the grid; the row does
    not record it, so keep such rows out of a grid's JSON).

    * ``params``: trainable and non-trainable weights of the whole model;
    * ``train_seconds``: wall time of ``fit`` (graph tracing included; the seconds budget
      counts it too); ``seconds_per_epoch``: median epoch time without the first epoch,
      which includes the tracing (a partial last epoch under a seconds budget counts);
    * ``inference_us``: microseconds per sequence on the held-out data (batches of 256);
    * ``peak_memory_mb``: peak GPU memory during training; ``None`` on a CPU;
    * ``metric``: the task's metric on held-out data; ``chance``: the trivial predictor's.
    """

    cell = check_choice("cell", cell, CELLS)
    spec = TASKS[check_choice("task", task, TASKS)]
    if not runs_on(cell, task):
        raise ValueError(f"cell {cell!r} runs on {list(CELL_TASKS[cell])} only; got task {task!r}.")
    size = check_int("size", size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    budget = Budget(epochs=spec.epochs) if budget is None else budget
    if not isinstance(budget, Budget):
        raise TypeError(f"budget must be a Budget (or None); got {budget!r}.")
    data = task_data(task, fast=fast) if data is None else data
    seed_all(seed)
    model = build_model(cell, task, size, data, learning_rate=learning_rate)
    gpu = _reset_gpu_peak()
    desc = f"{cell} {task} {size} seed {seed}"
    trained = Trainer(budget, clock=clock, progress=desc).fit(
        model, data.x, fit_targets(task, data), batch_size=spec.batch_size
    )
    return {
        "cell": cell,
        "task": task,
        "size": size,
        "seed": seed,
        "budget": budget.key,
        "fast": bool(fast),
        "clipping": _clipping_key(CLIPPING),
        "params": int(model.count_params()),
        "epochs": len(trained.history["loss"]),
        "steps": int(model.optimizer.iterations.numpy()),
        "train_seconds": round(trained.seconds, 3),
        "seconds_per_epoch": round(trained.seconds_per_epoch, 3),
        "inference_us": round(inference_us(model, data.x_val), 2),
        "peak_memory_mb": round(_gpu_peak_mb(), 1) if gpu else None,
        "metric_name": spec.metric,
        "metric": round(evaluate(model, task, data), 6),
        "higher_is_better": spec.higher_is_better,
        "chance": round(float(data.chance), 6),
        "history": [round(float(v), 6) for v in trained.history["loss"]],
    }


def _row_key(row: dict) -> tuple:
    return (
        row["cell"], row["task"], row["size"], row["seed"], row["budget"], row["fast"],
        row["clipping"],
    )  # fmt: skip


def _write_atomic(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=1) + "\n")
    os.replace(tmp, path)


def run_grid(
    cells=None,
    tasks=tuple(TASKS),
    sizes=(16, 64),
    seeds=(0, 1, 2),
    budget: Budget | None = None,
    *,
    path: str | Path | None = None,
    fast: bool = False,
    command: str = "",
    progress: Callable[[str], None] | None = print,
    clock: Callable[[], float] = time.perf_counter,
) -> dict:
    """Run every (task, size, seed, cell) not yet recorded; return the whole grid.

    ``cells=None`` means every cell of :data:`~course_utils.lessons.l07_choosing.tasks.CELLS`. A cell
    runs only on the tasks :func:`~course_utils.lessons.l07_choosing.tasks.runs_on` allows (the
    Transformer on ``char_lm``); a cell named in ``cells`` that runs on none of ``tasks``
    is an error.

    With ``path``, rows already in that JSON file (same cell, task, size, seed, budget
    and mode) are kept and skipped, and the file is rewritten after every new run, so a
    re-run continues instead of starting over. The result (and the file) is
    ``{"schema", "command", "machine", "created", "updated", "rows"}``.
    """
    named = cells is not None
    cells = CELLS if cells is None else cells
    cells = [check_choice("cells", c, CELLS) for c in _check_names("cells", cells, CELLS)]
    tasks = [check_choice("tasks", t, TASKS) for t in _check_names("tasks", tasks, TASKS)]
    sizes = [check_int("sizes", s, minimum=1) for s in _check_names("sizes", sizes, ["int"])]
    seeds = [check_int("seeds", s, minimum=0) for s in _check_names("seeds", seeds, ["int"])]
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    grid = {"schema": SCHEMA_VERSION, "command": command, "machine": machine_description()}
    grid |= {"created": now, "updated": now, "rows": []}
    if path is not None:
        path = Path(path)
        if path.exists():
            grid = json.loads(path.read_text())
            if grid.get("schema") not in (1, SCHEMA_VERSION):
                raise ValueError(
                    f"{path} has schema {grid.get('schema')!r}; this code writes schema "
                    f"{SCHEMA_VERSION}. Move the file away to start a new grid."
                )
            grid = migrate_grid(grid)
    for cell in cells if named else ():
        if not any(runs_on(cell, task) for task in tasks):
            raise ValueError(
                f"cells: {cell!r} runs on {list(CELL_TASKS[cell])} only; got tasks {tasks}."
            )
    done = {_row_key(row) for row in grid["rows"]}
    for task in tasks:
        data = None
        for size in sizes:
            for seed in seeds:
                for cell in (c for c in cells if runs_on(c, task)):
                    budget_key = (budget or Budget(epochs=TASKS[task].epochs)).key
                    key = (cell, task, size, seed, budget_key, bool(fast), _clipping_key(CLIPPING))
                    if key in done:
                        continue
                    data = task_data(task, fast=fast) if data is None else data
                    row = run_one(cell, task, size, seed, budget, fast=fast, data=data, clock=clock)
                    grid["rows"].append(row)
                    done.add(_row_key(row))
                    grid["updated"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
                    if path is not None:
                        _write_atomic(path, grid)
                    if progress is not None:
                        progress(
                            f"{task:14s} {cell:10s} size {size:3d} seed {seed}: "
                            f"{row['metric_name']} {row['metric']:.4f} in {row['train_seconds']:.1f} s"
                        )
    return grid
