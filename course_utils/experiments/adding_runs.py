"""The adding problem for SimpleRNN, IRNN, LSTM and GRU on one budget (lessons 03, 04, 05, 07).

:func:`adding_model`, :func:`train_adding`, :func:`summarize_runs`,
:func:`compare_with_benchmark`, :func:`pivot_summary`,
:func:`describe_budget` and :func:`baseline_verdict`. ``benchmarks/adding_problem.py`` runs
the 3-seed grid with the same code and commits ``benchmarks/results/adding_problem.json``.
Solved means ``tasks.adding.SOLVED_MSE`` (1/60).

Longer than the course's 300-line guide, on purpose: the budget, the model, its training and the
comparison with the committed grid share one definition of the budget, kept together.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from course_utils.core.environment import seed_all
from course_utils.core.evidence import agreement, solved, spread
from course_utils.core.registry import cell_name
from course_utils.core.training import Budget, EpochEvaluation, Trainer
from course_utils.core.validation import check_choice, check_int, check_number
from course_utils.keras_cells import recurrent_layer
from course_utils.tasks import BASELINE_MSE, adding_problem
from course_utils.tasks.adding import SOLVED_MSE

__all__ = [
    "clipping_args",
    "ADDING_BUDGET",
    "ADDING_MODELS",
    "ALL_MODELS",
    "REVIVAL_MODELS",
    "BENCHMARK_PATH",
    "MODEL_LABELS",
    "TEST_SEED",
    "adding_model",
    "baseline_verdict",
    "compare_with_benchmark",
    "describe_budget",
    "pivot_summary",
    "summarize_runs",
    "train_adding",
]

# --- the adding problem: SimpleRNN, IRNN, LSTM and GRU on one budget -----------------------

ADDING_MODELS = ("simple_rnn", "irnn", "lstm", "gru")
#: Lesson 09's scan cell, on the same budget at longer lengths (``adding_model`` builds it too).
REVIVAL_MODELS = ("min_gru",)
ALL_MODELS = ADDING_MODELS + REVIVAL_MODELS
MODEL_LABELS = {kind: cell_name(kind) for kind in ALL_MODELS}

#: The training budget every model gets, in the benchmark and in the lesson's full mode.
ADDING_BUDGET = {
    "hidden_size": 32,
    "steps": 1500,
    "batch_size": 128,
    "learning_rate": 1e-2,
    "global_clipnorm": 1.0,
    "n_train": 12_800,
    "n_test": 2000,
}

#: Test-set seed, shared by every model, length and training seed.
TEST_SEED = 10_000


BENCHMARK_PATH = (
    Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "adding_problem.json"
)


def _budget(budget: dict | None) -> dict:
    merged = dict(ADDING_BUDGET)
    if budget is not None:
        if not isinstance(budget, dict):
            raise TypeError(
                f"budget must be a dict like ADDING_BUDGET; got {type(budget).__name__}."
            )
        unknown = sorted(set(budget) - set(ADDING_BUDGET))
        if unknown:
            raise ValueError(
                f"unknown budget keys {unknown}; expected some of {sorted(ADDING_BUDGET)}."
            )
        merged.update(budget)
    for key in ("hidden_size", "steps", "batch_size", "n_train", "n_test"):
        merged[key] = check_int(f"budget[{key!r}]", merged[key], minimum=1)
    for key in ("learning_rate", "global_clipnorm"):
        merged[key] = check_number(
            f"budget[{key!r}]", merged[key], minimum=0.0, strict_minimum=True
        )
    return merged


def clipping_args(global_clipnorm, clipnorm) -> dict:
    """The optimiser's clipping arguments: one of the two kinds, named (lesson 03)."""
    clips = {"global_clipnorm": global_clipnorm, "clipnorm": clipnorm}
    for name, value in clips.items():
        if value is not None:
            check_number(name, value, minimum=0.0, strict_minimum=True)
    if None not in clips.values():
        raise ValueError(f"set global_clipnorm or clipnorm, not both; got {clips}.")
    return clips


def adding_model(
    kind: str,
    length: int,
    *,
    hidden_size: int = 16,
    learning_rate: float = 1e-2,
    global_clipnorm: float | None = 1.0,
    clipnorm: float | None = None,
    unit_forget_bias: bool = True,
    reset_after: bool = True,
    jit_compile: bool | str = "auto",
):
    """A compiled ``Input((length, 2)) -> recurrent layer(hidden_size) -> Dense(1)``, MSE.

    kind: ``"simple_rnn"`` (tanh, Keras defaults), ``"irnn"`` (ReLU, ``W_hh`` = identity,
    input weights N(0, 0.001**2): Le, Jaitly & Hinton 2015), ``"lstm"``, ``"gru"`` or
    ``"min_gru"`` (lesson 09's :class:`~course_utils.linear_rnn.keras_min.MinGRU`).
    The course's one adding-problem model (lessons 03, 04, 05 and 07). Adam with clipping
    by the global norm (``global_clipnorm``); per-variable ``clipnorm`` is still accepted
    (set the other to None; results committed before Nov 30 2026 used it).
    ``unit_forget_bias`` (LSTM) and ``reset_after`` (GRU) go to the Keras layer;
    ``jit_compile`` to ``model.compile``. Seed Keras first (``keras.utils.set_random_seed``).
    """
    import keras

    check_choice("kind", kind, ALL_MODELS)
    length = check_int("length", length, minimum=2)
    hidden_size = check_int("hidden_size", hidden_size, minimum=1)
    learning_rate = check_number("learning_rate", learning_rate, minimum=0.0, strict_minimum=True)
    clips = clipping_args(global_clipnorm, clipnorm)
    if kind == "min_gru":  # lesson 09: the gates see x_t only; trained by a log-space scan
        from course_utils.linear_rnn.keras_min import MinGRU  # loads Keras: only when used

        layer = MinGRU(hidden_size, return_sequences=False)  # (batch, hidden_size)
    else:
        layer = recurrent_layer(  # (batch, hidden_size): the state after the last step
            kind, hidden_size, unit_forget_bias=unit_forget_bias, reset_after=reset_after
        )
    if kind == "min_gru":
        # XLA turns the log-space scan (tf.math.cumulative_logsumexp) into a slow loop:
        # 2.4 s against 0.29 s per training step at T = 1000, 32 units, batch 128 (2-core CPU).
        jit_compile = False
    model = keras.Sequential([keras.Input((length, 2)), layer, keras.layers.Dense(1)])
    optimizer = keras.optimizers.Adam(learning_rate, **clips)
    # XLA compiles the loop over time: about 1.5-2x faster training steps on a CPU, for a
    # few seconds of compilation (lesson 03); "auto" is Keras's default (no XLA on a CPU).
    model.compile(optimizer, "mse", jit_compile=jit_compile)
    return model


def train_adding(
    kind: str,
    length: int,
    *,
    seed: int = 0,
    budget: dict | None = None,
    jit_compile: bool | str = True,
) -> dict:
    """Train one model on the adding problem of ``length`` steps; return what was measured.

    budget: overrides of :data:`ADDING_BUDGET` (the same for every model). The training
    set (``n_train`` sequences, seed ``seed``) is seen ``steps / (n_train / batch_size)``
    times (rounded: an epochs :class:`~course_utils.core.training.Budget` for the course's
    one trainer); the test set (``n_test`` sequences) is the same for every run. Returns
    ``{"model", "length", "seed", "test_mse", "curve", "seconds"}``; ``curve`` is the
    test MSE after every pass over the training set. ``jit_compile`` goes to
    :func:`adding_model`: XLA pays for its compilation on long runs (the benchmark); a
    short fast-mode run is quicker without it (``"auto"``).
    """

    check_choice("kind", kind, ALL_MODELS)
    if jit_compile not in (True, False, "auto"):
        raise ValueError(f"jit_compile must be True, False or 'auto'; got {jit_compile!r}.")
    length = check_int("length", length, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    b = _budget(budget)
    steps_per_epoch = max(1, b["n_train"] // b["batch_size"])
    epochs = max(1, round(b["steps"] / steps_per_epoch))
    x, y = adding_problem(b["n_train"], length, seed=seed)  # (n_train, T, 2), (n_train, 1)
    x_test, y_test = adding_problem(b["n_test"], length, seed=TEST_SEED)  # (n_test, T, 2)
    seed_all(seed)
    model = adding_model(
        kind,
        length,
        hidden_size=b["hidden_size"],
        learning_rate=b["learning_rate"],
        global_clipnorm=b["global_clipnorm"],
        jit_compile=jit_compile,
    )
    test = EpochEvaluation(x_test, y_test, batch_size=1000)  # the test MSE after every epoch
    trainer = Trainer(Budget(epochs=epochs), progress=f"{kind} T={length}", leave=False)
    trained = trainer.fit(model, x, y, batch_size=b["batch_size"], callbacks=[test])
    return {
        "model": kind,
        "length": length,
        "seed": seed,
        "test_mse": test.values[-1],
        "curve": test.values,
        "seconds": trained.seconds,
    }


def describe_budget(budget: dict | None = None) -> str:
    """The adding-problem budget in words, with the number of sequences seen in training,
    so that budgets of different lessons can be compared (lesson 05 prints its own)."""
    b = _budget(budget)
    seen = b["steps"] * b["batch_size"]
    return (
        f"{b['hidden_size']} units; {b['steps']} Adam steps (learning rate "
        f"{b['learning_rate']:g}, global_clipnorm {b['global_clipnorm']:g}) on batches of "
        f"{b['batch_size']} = {seen:,} sequences seen ({seen / b['n_train']:.1f} passes over "
        f"{b['n_train']:,} training sequences); test set {b['n_test']:,}"
    )


def _mse(value) -> float:
    """A run's test MSE as a float; a diverged run (NaN, inf, or None in JSON) gives NaN."""
    return math.nan if value is None or not math.isfinite(float(value)) else float(value)


def _model_order(model: str) -> int:
    return ALL_MODELS.index(model) if model in ALL_MODELS else len(ALL_MODELS)


def summarize_runs(runs: list[dict]) -> list[dict]:
    """Mean and sample standard deviation of ``test_mse`` per (model, length), over seeds.

    A run whose test MSE is not a finite number (None in the JSON) diverged: it is left
    out of ``mean``/``std``/``n`` and counted in ``diverged``. "Solved" is judged seed by
    seed (:func:`course_utils.core.evidence.solved`, threshold ``tasks.adding.SOLVED_MSE``, 1/60,
    a tenth of the baseline; a diverged seed is not solved): ``solved_seeds`` of ``seeds``,
    and ``solved`` is True only when every seed is.
    """
    if not isinstance(runs, list) or not runs:
        raise TypeError("runs must be a non-empty list of train_adding() results.")
    groups: dict[tuple, list[float]] = {}
    for run in runs:
        groups.setdefault((run["model"], run["length"]), []).append(_mse(run["test_mse"]))
    rows = []
    for (model, length), values in sorted(
        groups.items(), key=lambda kv: (_model_order(kv[0][0]), kv[0][1])
    ):
        values = np.array(values)  # (seeds,)
        finite = values[np.isfinite(values)]  # (finite seeds,)
        summary = spread(finite) if finite.size else None
        k, n = solved(np.where(np.isfinite(values), values, SOLVED_MSE), SOLVED_MSE)
        rows.append(
            {
                "model": model,
                "length": length,
                "mean": summary.mean if summary else math.nan,
                "std": summary.std if summary else math.nan,
                "n": int(finite.size),
                "diverged": int(values.size - finite.size),
                "solved_seeds": k,
                "seeds": n,
                "solved": bool(k == n),
            }
        )
    return rows


def compare_with_benchmark(
    live_runs: list[dict], benchmark: dict, *, budget: dict | None = None
) -> list[dict]:
    """Does each live run agree with the committed seeds of the same model and length?

    Agreement: the course's one rule, :func:`course_utils.core.evidence.agreement` for an MSE
    (the committed seeds' min-max widened by a factor of 2, never across the "solved"
    threshold 1/60 when every committed seed is on one side of it); a diverged live run
    never agrees. Runs whose budget differs from the benchmark's (fast mode) are reported
    with ``agrees=None``.
    """
    if not isinstance(benchmark, dict) or "runs" not in benchmark:
        raise TypeError("benchmark must be the dict load_results('adding_problem') returns.")
    same_budget = _budget(budget) == _budget(benchmark["budget"])
    rows = []
    for run in live_runs:
        seeds = [
            _mse(r["test_mse"])
            for r in benchmark["runs"]
            if (r["model"], r["length"]) == (run["model"], run["length"])
        ]
        finite = [v for v in seeds if math.isfinite(v)]
        row = {
            "model": run["model"],
            "length": run["length"],
            "live": _mse(run["test_mse"]),
            "committed": spread(finite).mean if finite else math.nan,
            "low": math.nan,
            "high": math.nan,
            "agrees": None,
        }
        if finite and same_budget:
            if math.isfinite(row["live"]):
                a = agreement(
                    row["live"], finite, metric="mse", threshold=SOLVED_MSE, baseline=BASELINE_MSE
                )
                row.update(low=a.low, high=a.high, agrees=a.agrees)
            else:
                row["agrees"] = False  # diverged live run
        rows.append(row)
    return rows


def pivot_summary(summary: list[dict], models=None) -> list[dict]:
    """One row per length with a ``"mean ± std"`` column per model, for printing.

    summary: rows of :func:`summarize_runs` (or the benchmark's ``"summary"``).
    models: which models, in which column order (default: all, in ``ADDING_MODELS`` order).
    """
    if not isinstance(summary, list) or not summary:
        raise TypeError("summary must be the non-empty list that summarize_runs() returns.")
    present = list(dict.fromkeys(r["model"] for r in summary))
    models = present if models is None else list(models)
    rows = []
    for length in sorted({r["length"] for r in summary}):
        row = {"T": length}
        for model in models:
            found = [r for r in summary if r["model"] == model and r["length"] == length]
            text = "-"
            if found:
                text = f"{found[0]['mean']:.4f} ± {found[0]['std']:.4f}"
                if found[0].get("diverged"):
                    text += f" ({found[0]['diverged']} diverged)"
            row[MODEL_LABELS.get(model, model)] = text
        rows.append(row)
    return rows


def baseline_verdict(mse: float, baseline: float = BASELINE_MSE) -> str:
    """Words for an adding-problem MSE: ``"far below the baseline"`` (under a tenth of it,
    the course's ``SOLVED_MSE`` for the baseline 1/6), ``"near the baseline"`` (over half of
    it) or ``"below the baseline"`` in between."""
    mse = check_number("mse", mse, minimum=0.0)
    baseline = check_number("baseline", baseline, minimum=0.0, strict_minimum=True)
    if mse < baseline / 10:
        return "far below the baseline"
    if mse > 0.5 * baseline:
        return "near the baseline"
    return "below the baseline"
