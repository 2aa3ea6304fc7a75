"""Lesson 08's three experiments, repeatable over seeds, and the verdicts on them.

``08_applications_and_attention`` writes each model and its ``fit`` in the notebook
first and runs seed 0 live; ``benchmarks/applications.py`` repeats the same runs
here over several seeds and commits ``benchmarks/results/applications.json``;
:func:`lesson_verdicts` turns that JSON (plus the live seed, when given) into the
verdicts the lesson's summary is rendered from.

Every run starts with ``keras.utils.set_random_seed(seed)`` right before the model is
built and trained, so a seed names one initialisation and one shuffling order. The
data are the same for every seed (the notebook's: CO2 split at 1990-01, date sets
drawn with seeds 0 and 1, bracket sets with seeds 0 and 1): the spread over seeds is
the spread of training, not of the data.
"""

from __future__ import annotations

import time

import keras
import numpy as np

from course_utils import forecasting as fc
from course_utils import seq2seq
from course_utils.tasks import brackets, dates
from course_utils.validation import check_choice, check_int
from course_utils.verdicts import Verdict, against_threshold, compare_seeds

__all__ = [
    "FULL",
    "DATE_BINS",
    "SUMMARY_POINTS",
    "VARIANTS",
    "agreement_line",
    "bracket_run",
    "date_data",
    "date_run",
    "forecast_run",
    "forecaster",
    "grid_scope",
    "labeller",
    "lesson_verdicts",
    "live_agreement",
    "variant_table",
]

#: The lesson's full-mode settings, which the benchmark uses for every seed.
FULL = {
    "input_width": 24,
    "horizon": 12,
    "season": 12,
    "split": "1990-01",
    "forecast_epochs": 40,
    "date_train": 8000,
    "date_test": 2000,
    "date_epochs": 9,
    "date_units": 64,
    "bracket_train": 4000,
    "bracket_test": 1000,
    "bracket_length": 24,
    "bracket_epochs": 15,
}
DATE_BINS = (0, 12, 20, 30, 45, dates.MAX_INPUT_LENGTH)
#: Encoder-decoder variants: build_seq2seq keyword arguments.
VARIANTS = {
    "no attention": {"attention": False},
    "luong additive": {"attention": True, "placement": "luong", "score": "additive"},
    "luong dot": {"attention": True, "placement": "luong", "score": "dot"},
    "luong general": {"attention": True, "placement": "luong", "score": "general"},
    "bahdanau additive": {"attention": True, "placement": "bahdanau", "score": "additive"},
}
VOCAB_IN, VOCAB_OUT = len(dates.INPUT_CHARS) + 1, len(dates.OUTPUT_CHARS) + 2

# --- forecasting ------------------------------------------------------------


def forecaster(input_width: int, horizon: int, units: int = 32) -> keras.Model:
    """The lesson's GRU forecaster: the last ``input_width`` values -> ``horizon`` values."""
    model = keras.Sequential([keras.Input((input_width, 1)), keras.layers.GRU(units)])
    model.add(keras.layers.Dense(horizon))  # (batch, horizon)
    model.add(keras.layers.Reshape((horizon, 1)))  # (batch, horizon, 1)
    model.compile(keras.optimizers.Adam(3e-3), "mae")
    return model


def forecast_run(seed: int, epochs: int = FULL["forecast_epochs"]) -> dict:
    """Train the forecaster on CO2 (relative inputs, as in the lesson); test MAE in ppm."""
    seed = check_int("seed", seed, minimum=0)
    epochs = check_int("epochs", epochs, minimum=1)
    co2 = fc.load_co2()
    width, horizon = FULL["input_width"], FULL["horizon"]
    split = co2.dates.index(FULL["split"])
    w = fc.make_windows(co2.ppm, input_width=width, horizon=horizon, split_index=split)
    level = w.x_train[:, -1:]  # (windows, 1, 1)
    scale = float(np.std(w.y_train - level))
    keras.utils.set_random_seed(seed)
    model = forecaster(width, horizon)
    model.fit((w.x_train - level) / scale, (w.y_train - level) / scale, epochs=epochs,
              batch_size=32, verbose=0)  # fmt: skip
    test_level = w.x_test[:, -1:]  # (windows, 1, 1)
    pred = model.predict((w.x_test - test_level) / scale, verbose=0) * scale + test_level
    return {
        "seed": seed,
        "gru_mae": fc.mae(w.y_test, pred),
        "naive_mae": fc.mae(w.y_test, fc.naive_forecast(w.x_test, horizon)),
        "seasonal_naive_mae": fc.mae(
            w.y_test, fc.seasonal_naive_forecast(w.x_test, horizon, FULL["season"])
        ),
    }


# --- dates ------------------------------------------------------------------


def date_data(n_train: int = FULL["date_train"], n_test: int = FULL["date_test"]) -> dict:
    """The lesson's date sets (seeds 0 and 1), encoded: ids for the encoder and decoder."""
    train = dates.date_examples(check_int("n_train", n_train, minimum=1), seed=0)
    test = dates.date_examples(check_int("n_test", n_test, minimum=1), seed=1)
    x_dec, y_dec = dates.encode_targets(train.targets)  # (n, 10) each
    return {
        "x_enc": dates.encode_inputs(train.inputs, dates.MAX_INPUT_LENGTH),  # (n, T_in)
        "x_dec": x_dec,
        "y_dec": y_dec,
        "x_enc_test": dates.encode_inputs(test.inputs, dates.MAX_INPUT_LENGTH),
        "test": test,
    }


def date_run(seed: int, variant: str, data: dict, epochs: int = FULL["date_epochs"]) -> dict:
    """Train one encoder-decoder variant; exact match overall and per input-length bin."""
    seed = check_int("seed", seed, minimum=0)
    check_choice("variant", variant, VARIANTS)
    epochs = check_int("epochs", epochs, minimum=1)
    keras.utils.set_random_seed(seed)
    s2s = seq2seq.build_seq2seq(VOCAB_IN, VOCAB_OUT, units=FULL["date_units"], **VARIANTS[variant])
    start = time.perf_counter()
    s2s.model.fit([data["x_enc"], data["x_dec"]], data["y_dec"], epochs=epochs, batch_size=64,
                  verbose=0)  # fmt: skip
    seconds = time.perf_counter() - start
    ids = seq2seq.greedy_decode(s2s.model, data["x_enc_test"], steps=10)  # (n_test, 10)
    predictions = dates.decode_iso(ids)
    test = data["test"]
    lengths = [len(text) for text in test.inputs]
    table = seq2seq.accuracy_by_length(predictions, test.targets, lengths, DATE_BINS)
    exact = float(np.mean([p == t for p, t in zip(predictions, test.targets, strict=True)]))
    return {
        "seed": seed,
        "variant": variant,
        "params": int(s2s.model.count_params()),
        "exact_match": exact,
        "by_length": {b: acc for b, (acc, _) in table.items()},
        "train_seconds": round(seconds, 2),
    }


# --- brackets ---------------------------------------------------------------


def labeller(bidirectional: bool, units: int) -> keras.Model:
    """The lesson's labeller: one GRU layer (optionally bidirectional), a sigmoid per step."""
    rnn = keras.layers.GRU(units, return_sequences=True)  # (batch, time, units)
    if bidirectional:
        rnn = keras.layers.Bidirectional(rnn)  # (batch, time, 2 units)
    model = keras.Sequential([keras.Input((None, 3)), rnn])
    model.add(keras.layers.Dense(1, activation="sigmoid"))  # (batch, time, 1)
    model.compile(keras.optimizers.Adam(3e-3), "binary_crossentropy")
    return model


#: Units that give the two labellers about the same number of parameters.
LABELLER_UNITS = {"unidirectional": 46, "bidirectional": 32}


def bracket_run(seed: int, kind: str, epochs: int = FULL["bracket_epochs"]) -> dict:
    """Train one labeller on the lesson's bracket sets; accuracy on "(" and on ")"."""
    seed = check_int("seed", seed, minimum=0)
    check_choice("kind", kind, LABELLER_UNITS)
    epochs = check_int("epochs", epochs, minimum=1)
    length = FULL["bracket_length"]
    train = brackets.bracket_sequences(FULL["bracket_train"], length, seed=0)
    test = brackets.bracket_sequences(FULL["bracket_test"], length, seed=1)
    keras.utils.set_random_seed(seed)
    model = labeller(kind == "bidirectional", LABELLER_UNITS[kind])
    model.fit(train.x, train.y, epochs=epochs, batch_size=64, verbose=0)
    accuracy = brackets.accuracy_by_kind(model.predict(test.x, verbose=0), test)
    return {"seed": seed, "kind": kind, "params": int(model.count_params()), **accuracy}


# --- verdicts and agreement -------------------------------------------------

#: Lesson 08's summary points: what was built and why, true whatever was measured.
SUMMARY_POINTS = (
    "Forecasting: split by time before windowing, and report the naive and seasonal-naive "
    "baselines beside any model.",
    "An encoder-decoder without attention passes the whole input through one state vector; "
    "attention lets each output step read all encoder states, weighted by a softmax over the "
    "input positions (weights sum to 1; padding is masked before the softmax).",
    "The lesson's attention is Bahdanau et al.'s additive score in Luong et al.'s placement "
    "(query s_t, context combined after the GRU step); Bahdanau's placement queries with "
    "s_{t-1} and feeds the context into the step.",
    "Masked recurrent inputs are right-padded with a real first step: the only masks "
    "cuDNN accepts on a GPU.",
    "A bidirectional RNN can use the future of the sequence, so it cannot stream; "
    "Transformers keep attention and drop the recurrence: parallel training, at the price "
    "of memory that grows with length.",
)

OPEN, CLOSE = '"(" needs the future', '")" past is enough'


def _values(rows, key, **where):
    return [r[key] for r in rows if all(r.get(k) == v for k, v in where.items())]


def _shortest_longest(rows, variant):
    mine = [r["by_length"] for r in rows if r["variant"] == variant]
    if not mine:
        raise ValueError(f"results['dates'] has no runs of {variant!r}; rerun the benchmark.")
    bins = list(mine[0])
    return [m[bins[0]] for m in mine], [m[bins[-1]] for m in mine], bins[0], bins[-1]


PARTS = ("forecast", "attention", "variants", "brackets")
#: (variant A, variant B, claim "A beats B" on exact match) for the placement and scores.
VARIANT_CLAIMS = (
    ("bahdanau additive", "luong additive", "Bahdanau's placement beats Luong's (additive score)"),
    ("luong additive", "luong dot", "The additive score beats the dot score (Luong placement)"),
    ("luong additive", "luong general", "The additive score beats the general one (Luong)"),
)


def _forecast_verdicts(f, scope):
    best = min(f[0]["naive_mae"], f[0]["seasonal_naive_mae"])
    return [
        against_threshold(
            f"The GRU forecaster's test MAE is below the best baseline's ({best:.3f} ppm)",
            _values(f, "gru_mae"), best, below=True, unit="ppm", scope=scope,
        )
    ]  # fmt: skip


def _attention_verdicts(d, scope):
    short, long_, b0, b1 = _shortest_longest(d, "no attention")
    att_long = _shortest_longest(d, "luong additive")[1]
    return [
        compare_seeds(
            "Without attention, exact match is lower on the longest inputs than the shortest",
            long_, short, lower_is_better=True, names=(f"{b1} chars", f"{b0} chars"),
            scope=scope,
        ),
        compare_seeds(
            f"Attention (Luong placement, additive score) beats no attention on inputs of {b1} chars",
            att_long, long_, lower_is_better=False, names=("attention", "none"), scope=scope,
        ),
    ]  # fmt: skip


def _variant_verdicts(d, scope):
    verdicts = []
    for a, b, claim in VARIANT_CLAIMS:
        first, second = _values(d, "exact_match", variant=a), _values(d, "exact_match", variant=b)
        if first and second:  # a grid without this variant has no verdict on it
            verdicts.append(compare_seeds(claim, first, second, lower_is_better=False,
                                          names=(a, b), unit="exact match", scope=scope))  # fmt: skip
    return verdicts


def _bracket_verdicts(b, scope):
    return [
        compare_seeds(
            'A bidirectional GRU labels "(" better than a unidirectional one of similar size',
            _values(b, OPEN, kind="bidirectional"), _values(b, OPEN, kind="unidirectional"),
            lower_is_better=False, names=("bidirectional", "unidirectional"), scope=scope,
        )
    ]  # fmt: skip


def lesson_verdicts(results: dict, scope: str, part: str | None = None) -> list[Verdict]:
    """The lesson's verdicts from the benchmark's ``results`` (the JSON's run lists).

    ``scope`` says what was measured (:func:`grid_scope`); ``part`` (one of ``PARTS``)
    keeps one section's verdicts, ``None`` all of them, in the lesson's order.
    """
    if not isinstance(results, dict) or not {"forecast", "dates", "brackets"} <= set(results):
        raise TypeError(
            "results must be a dict with 'forecast', 'dates' and 'brackets' run lists, as in "
            f"benchmarks/results/applications.json; got {type(results).__name__}."
        )
    if not isinstance(scope, str):
        raise TypeError(f"scope must be a str; got {type(scope).__name__} {scope!r}.")
    if part is not None:
        check_choice("part", part, PARTS)
    makers = {
        "forecast": lambda: _forecast_verdicts(results["forecast"], scope),
        "attention": lambda: _attention_verdicts(results["dates"], scope),
        "variants": lambda: _variant_verdicts(results["dates"], scope),
        "brackets": lambda: _bracket_verdicts(results["brackets"], scope),
    }
    return [v for name in PARTS if part in (None, name) for v in makers[name]()]


def live_agreement(live: float, committed) -> tuple[bool, float, float]:
    """Lessons 04-05's rule (:func:`course_utils.experiments.gating_results.agreement`):
    the live value lies within the committed mean ± 2 std (std floored at 2 % of the mean).
    Returns ``(agrees, low, high)``."""
    from course_utils.experiments.gating_results import agreement

    return agreement(live, committed)


def grid_scope(results: dict) -> str:
    """What the committed grid covers, for a verdict's scope."""
    if not isinstance(results, dict) or "machine" not in results or "seeds" not in results:
        raise TypeError(
            "results must be the dict of benchmarks/results/applications.json (with 'machine' "
            f"and 'seeds'); got {type(results).__name__}."
        )
    cores = results["machine"].get("cpu_count")
    seeds = sorted({r["seed"] for r in results["dates"]})
    return f"committed grid: {cores}-core CPU, full mode, seeds {seeds}, {results['date'][:10]}"


def agreement_line(label: str, live: float, committed) -> str:
    """One line: the live value, the committed range and whether they agree
    (:func:`live_agreement`); in fast mode it says agreement is not expected."""
    from course_utils.config import fast_mode

    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__} {label!r}.")
    agrees, low, high = live_agreement(live, committed)
    line = (
        f"{label}: live {live:.3f}, committed range [{low:.3f}, {high:.3f}] over "
        f"{len(committed)} seeds -> {'agrees' if agrees else 'does not agree'}"
    )
    if fast_mode():
        line += " (fast mode: far shorter training than the committed runs, so not expected to)"
    return line


def variant_table(results: dict) -> str:
    """The date variants over seeds: parameters, exact match, longest-bin accuracy, time."""
    from course_utils.experiments.seeds import format_table

    def mean_std(values):  # sample std (ddof=1), as in the verdicts
        values = np.asarray(values, dtype=float)
        std = values.std(ddof=1) if values.size > 1 else 0.0
        return f"{values.mean():.3f} ± {std:.3f}"

    if not isinstance(results, dict) or "dates" not in results:
        raise TypeError(f"results must be the applications.json dict; got {results!r:.60}.")
    rows = []
    for variant in VARIANTS:
        mine = [r for r in results["dates"] if r["variant"] == variant]
        if not mine:
            continue
        longest = list(mine[0]["by_length"])[-1]
        rows.append([
            variant, mine[0]["params"], len(mine),
            mean_std([r["exact_match"] for r in mine]),
            mean_std([r["by_length"][longest] for r in mine]),
            f"{np.mean([r['train_seconds'] for r in mine]):.0f}",
        ])  # fmt: skip
    header = ["variant", "params", "seeds", "exact match", f"longest ({longest})", "train s"]
    return format_table(header, rows)
