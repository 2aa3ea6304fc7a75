"""Exercises for notebook 08, "Applications and attention".

In the notebook::

    from course_utils.exercises import lesson08 as ex

    ex.count_train_windows.check(count_train_windows)  # an int
    ex.seasonal_naive.check(seasonal_naive)            # a function (history, horizon, season)
    ex.masked_softmax.check(masked_softmax)            # a function (scores, mask)
    ex.rnn_or_transformer.check("b")                   # an option label
    ex.why_attention_helps.check(answer)               # a few sentences
    ex.progress()
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import Mistake, progress_for
from course_utils.exercises.kinds import (
    ChoiceExercise,
    FunctionExercise,
    ReflectionExercise,
    ValueExercise,
)

# --- count_train_windows ----------------------------------------------------

count_train_windows = ValueExercise(
    name="count_train_windows",
    prompt=(
        "A monthly series has 100 values. You keep the first 80 for training and the last "
        "20 for testing, and cut windows of 24 input months followed by 12 target months, "
        "with stride 1. How many training windows are there if no target may fall in the "
        "test period?"
    ),
    answer=45,
    mistakes=[
        Mistake(
            65,
            "That windows the whole series: the last 20 training windows would have targets "
            "in the test period, which is leakage. Only the first 80 values may be used.",
        ),
        Mistake(
            57,
            "Each window also needs its 12 target months inside the training part, not only "
            "its 24 inputs.",
        ),
        Mistake(
            44, "Off by one: the first target can start at index 24 and the last at 80 - 12 = 68."
        ),
    ],
    hints=[
        "A window needs 24 + 12 consecutive values, all of them among the first 80.",
        "Count the possible start positions: 80 - (24 + 12) + 1.",
    ],
    solution="count_train_windows = 80 - (24 + 12) + 1  # 45",
)

# --- seasonal_naive ---------------------------------------------------------


def _seasonal_naive(history, horizon, season):
    history = np.asarray(history, dtype=float)
    steps = np.arange(horizon) % season  # wrap around after one season
    return history[len(history) - season + steps]  # (horizon,)


def _history_case(rng):
    season = int(rng.integers(2, 8))
    return {
        "history": rng.normal(size=int(rng.integers(season, 3 * season + 1))),
        "horizon": int(rng.integers(1, 3 * season)),
        "season": season,
    }


seasonal_naive = FunctionExercise(
    name="seasonal_naive",
    prompt=(
        "Write seasonal_naive(history, horizon, season): a 1-D array of `horizon` forecasts "
        "where each future step copies the value one season earlier in `history` (a 1-D "
        "array). Forecasts further ahead than one season repeat the last season again."
    ),
    reference=_seasonal_naive,
    cases=_history_case,
    edge_cases=[
        {"history": np.arange(8.0), "horizon": 4, "season": 4},
        {"history": np.arange(5.0), "horizon": 7, "season": 3},
    ],
    n_cases=10,
    seed=0,
    mistakes=[
        Mistake(
            lambda history, horizon, season: np.repeat(np.asarray(history, float)[-1], horizon),
            "That is the naive forecast (the last value repeated). The seasonal one copies "
            "the matching step of the last season.",
        ),
        Mistake(
            lambda history, horizon, season: np.asarray(history, float)[
                len(history) - season - 1 + np.arange(horizon) % season
            ],
            "Off by one: step 0 of the forecast should copy history[-season], not the value "
            "before it.",
        ),
    ],
    hints=[
        "Step h of the forecast copies history[len(history) - season + h] while h < season.",
        "For h >= season, use h % season to wrap around.",
    ],
)

# --- masked_softmax ---------------------------------------------------------


def _masked_softmax(scores, mask):
    scores = np.where(mask, scores, -np.inf)  # padded positions can never win
    scores = scores - scores.max()
    weights = np.exp(scores)  # exp(-inf) = 0
    return weights / weights.sum()


def _scores_case(rng):
    length = int(rng.integers(2, 9))
    mask = rng.random(length) < 0.7
    mask[0] = True  # at least one real position
    return {"scores": rng.normal(0, 2, length), "mask": mask}


masked_softmax = FunctionExercise(
    name="masked_softmax",
    prompt=(
        "Write masked_softmax(scores, mask): attention weights from a 1-D array of scores "
        "over the input positions, where mask (booleans) is False at padding. The weights "
        "must sum to 1 over the real positions and be exactly 0 at padding."
    ),
    reference=_masked_softmax,
    cases=_scores_case,
    edge_cases=[{"scores": np.array([1.0, 2.0, 3.0]), "mask": np.array([True, True, False])}],
    n_cases=10,
    seed=0,
    atol=1e-7,
    mistakes=[
        Mistake(
            lambda scores, mask: (
                np.exp(scores - np.max(scores)) / np.exp(scores - np.max(scores)).sum()
            ),
            "The mask is ignored: padding positions get weight too, so the model would attend "
            "to characters that are not there.",
        ),
        Mistake(
            lambda scores, mask: (np.exp(scores) / np.exp(scores).sum()) * mask,
            "Zeroing the padded weights after the softmax leaves weights that no longer sum "
            "to 1. Mask the scores before the softmax (or renormalise).",
        ),
    ],
    hints=[
        "Set the scores of padded positions to -inf (or a very negative number) first.",
        "Then an ordinary softmax gives those positions exp(-inf) = 0.",
    ],
)

# --- rnn_or_transformer -----------------------------------------------------

rnn_or_transformer = ChoiceExercise(
    name="rnn_or_transformer",
    prompt=(
        "Which job is the best fit for a small GRU rather than a Transformer of similar accuracy?"
    ),
    options={
        "a": "Training a language model on a billion tokens, on a cluster of GPUs.",
        "b": "Detecting a wake word in an endless microphone stream, on a microcontroller "
        "with a few hundred kilobytes of memory.",
        "c": "Summarising a 20-page document that is available all at once.",
        "d": "Translating a whole paragraph where the last word depends on the first.",
    },
    answer="b",
    explanations={
        "a": "Here parallel training across all positions is what matters, and that is the "
        "Transformer's strength: an RNN must step through time one position at a time.",
        "c": "The whole input is there at once and long: self-attention can look anywhere in "
        "it directly, while an RNN must carry everything through its state.",
        "d": "Long-range links inside an input available all at once are what attention "
        "handles best; an RNN without attention is the model that forgets them.",
    },
    hints=["Think about memory per step and inputs that never end."],
    discussion="An RNN keeps one fixed-size state, so each new sample costs the same time and "
    "memory however long the stream has run. A Transformer's cache of past keys and values "
    "grows with every step unless the context is cut.",
)

# --- why_attention_helps ----------------------------------------------------

why_attention_helps = ReflectionExercise(
    name="why_attention_helps",
    prompt=(
        "In two or three sentences: why does the encoder-decoder without attention get worse "
        "as the input grows, and what does attention change?"
    ),
    discussion=(
        "Without attention the decoder sees the input only through the encoder's last state: "
        "one vector of fixed size that must carry the day, month and year through every filler "
        "word that follows. With attention the decoder reads all encoder states at every output "
        "step and weights them, so the digit it needs is one look away however long the input "
        "is. The heatmaps show that look: each output character puts its weight on the input "
        "characters it copies or translates."
    ),
    min_length=40,
    hints=["What does the decoder receive from the encoder in each model?"],
)

progress = progress_for(__name__)
