"""Lesson 08's three experiments, repeatable over seeds.

``08_applications_and_attention`` writes each model and its ``fit`` in the notebook
first and runs seed 0 live; ``benchmarks/applications.py`` repeats the same runs
here over several seeds and commits ``benchmarks/results/applications.json``;
:mod:`course_utils.lessons.l08_applications.verdicts` turns that JSON into the
verdicts the lesson's summary is rendered from.

Every run starts with ``environment.seed_all(seed)`` right before the model is
built and trained (through the course's one trainer,
:class:`~course_utils.core.training.Trainer`, with an epochs budget), so a seed names
one initialisation and one shuffling order. The data are the same for every seed (the
notebook's: CO2 split at 1990-01, date sets drawn with seeds 0 and 1, bracket sets with
seeds 0 and 1): the spread over seeds is the spread of training, not of the data.
"""

from __future__ import annotations

import keras
import numpy as np

from course_utils.core.environment import seed_all
from course_utils.core.training import Budget, Trainer
from course_utils.core.validation import check_choice, check_int
from course_utils.experiments import forecasting as fc
from course_utils.lessons.l08_applications import seq2seq
from course_utils.tasks import brackets, dates

__all__ = [
    "FULL",
    "DATE_BINS",
    "LABELLER_UNITS",
    "OPEN",
    "CLOSE",
    "VARIANTS",
    "bracket_run",
    "date_data",
    "date_run",
    "forecast_run",
    "forecaster",
    "labeller",
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
    # as many parameters as "luong additive" (62,137 against 62,077), without attention
    "no attention, 76 units": {"attention": False, "units": 76},
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
    scale = float(np.std(w.y_train - level))  # data scaling, not a spread over seeds
    seed_all(seed)
    model = forecaster(width, horizon)
    x = (w.x_train - level) / scale  # (windows, input_width, 1)
    y = (w.y_train - level) / scale  # (windows, horizon, 1)
    Trainer(Budget(epochs=epochs)).fit(model, x, y, batch_size=32)
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
    """Train one encoder-decoder variant; exact match overall, per input-length bin and per
    date format (``by_format``: length and format are confounded, see lesson 08)."""
    seed = check_int("seed", seed, minimum=0)
    check_choice("variant", variant, VARIANTS)
    epochs = check_int("epochs", epochs, minimum=1)
    seed_all(seed)
    options = {"units": FULL["date_units"], **VARIANTS[variant]}
    s2s = seq2seq.build_seq2seq(VOCAB_IN, VOCAB_OUT, **options)
    trained = Trainer(Budget(epochs=epochs)).fit(
        s2s.model, [data["x_enc"], data["x_dec"]], data["y_dec"], batch_size=64
    )
    ids = seq2seq.greedy_decode(s2s.model, data["x_enc_test"], steps=10)  # (n_test, 10)
    predictions = dates.decode_iso(ids)
    test = data["test"]
    lengths = [len(text) for text in test.inputs]
    table = seq2seq.accuracy_by_length(predictions, test.targets, lengths, DATE_BINS)
    formats = seq2seq.accuracy_by_group(predictions, test.targets, test.formats,
                                        list(dates.DATE_FORMATS))  # fmt: skip
    exact = float(np.mean([p == t for p, t in zip(predictions, test.targets, strict=True)]))
    return {
        "seed": seed,
        "variant": variant,
        "params": int(s2s.model.count_params()),
        "exact_match": exact,
        "by_length": {b: acc for b, (acc, _) in table.items()},
        "by_format": {f: acc for f, (acc, _) in formats.items()},
        "train_seconds": round(trained.seconds, 2),
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


OPEN, CLOSE = '"(" needs the future', '")" past is enough'  # brackets.accuracy_by_kind keys
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
    seed_all(seed)
    model = labeller(kind == "bidirectional", LABELLER_UNITS[kind])
    Trainer(Budget(epochs=epochs)).fit(model, train.x, train.y, batch_size=64)
    accuracy = brackets.accuracy_by_kind(model.predict(test.x, verbose=0), test)
    return {"seed": seed, "kind": kind, "params": int(model.count_params()), **accuracy}
