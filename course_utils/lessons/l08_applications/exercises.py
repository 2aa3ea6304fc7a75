"""Exercises for notebook 08, "Applications and attention".

In the notebook::

    from course_utils.lessons.l08_applications import exercises as ex

    ex.count_train_windows.check(count_train_windows)  # an int
    ex.seasonal_naive.check(seasonal_naive)            # a function (history, horizon, season)
    ex.masked_softmax.check(masked_softmax)            # a function (scores, mask)
    ex.rnn_or_transformer.check("b")                   # an option label
    ex.right_pad.check(right_pad)                      # a function (ids) -> ids
    ex.why_attention_helps.check(answer)               # a few sentences, judged on two ideas
    ex.progress()

Six exercises declared as data, with their typical mistakes and the word lists that
judge the free-text answer; hence more than the course's ~300-line guide.
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.ideas import AFFIRMED, GradedTextExercise, Reading
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise

# --- count_train_windows ----------------------------------------------------

count_train_windows = ValueExercise(
    name="count_train_windows",
    prompt=(
        "A monthly series has 100 values. You keep the first 80 for training and the last "
        "20 for testing, and cut windows of 24 input months followed by 12 target months, "
        "with stride 1. How many training windows are there if no target may fall in the "
        "test period? Answer with an int."
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
            "You counted room for the 24 input months only. Each window also needs its 12 "
            "target months after the inputs, inside the first 80 values.",
        ),
        Mistake(
            56,
            "You counted room for the 24 input months only, and then lost one position as "
            "well. Each window also needs its 12 target months after the inputs, inside the "
            "first 80 values; and count the positions with both ends included.",
        ),
        Mistake(
            69,
            "You counted room for the 12 target months only. Each window also needs its 24 "
            "input months before the targets, inside the first 80 values.",
        ),
        Mistake(
            44,
            "Off by one: count the possible start positions with both the first and the last "
            "included.",
        ),
    ],
    hints=[
        "Draw one window: how many consecutive values does it cover, inputs and targets "
        "together, and where may it lie?",
        "Find the earliest and the latest position where a window may start, then count the "
        "positions between them, both ends included.",
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
        "The first forecast step copies the value exactly one season before the end of "
        "`history`; the next step the value after that, and so on.",
        "After one season of forecasts, start again from the same place: the remainder of "
        "the step number divided by the season tells you where.",
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


def _unstable_softmax(scores, mask):
    with np.errstate(over="ignore", invalid="ignore"):
        weights = np.exp(np.where(mask, scores, -np.inf))  # overflows for large scores
        return weights / weights.sum()


masked_softmax = FunctionExercise(
    name="masked_softmax",
    prompt=(
        "Write masked_softmax(scores, mask): attention weights from a 1-D array of scores "
        "over the input positions, where mask (booleans) is False at padding. The weights "
        "must sum to 1 over the real positions and be exactly 0 at padding. Scores can be "
        "large (a trained model's can reach the hundreds): the weights must stay finite. "
        "Return a 1-D NumPy array of weights."
    ),
    reference=_masked_softmax,
    cases=_scores_case,
    edge_cases=[
        {"scores": np.array([1.0, 2.0, 3.0]), "mask": np.array([True, True, False])},
        {"scores": np.array([1000.0, 1001.0, 999.0]), "mask": np.array([True, True, False])},
    ],
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
        Mistake(
            _unstable_softmax,
            "Numerically unstable: with scores near 1000, exp overflows to inf and inf / inf "
            "gives NaN weights. Subtract the largest real score before exp: it changes no "
            "weight, since the factor cancels in the division, and the largest term becomes "
            "exp(0) = 1.",
        ),
    ],
    hints=[
        "Make sure the padded positions can never get any weight, whatever their score: "
        "change their scores before the softmax.",
        "Which score makes exp(score) exactly 0? And since exp(s - c) / sum exp(s - c) is "
        "the same for every constant c, which c keeps exp from overflowing?",
    ],
)

# --- rnn_or_transformer -----------------------------------------------------

rnn_or_transformer = ChoiceExercise(
    name="rnn_or_transformer",
    prompt=(
        "Which job is the best fit for a small GRU rather than a Transformer of similar "
        'accuracy? Answer with the letter of one option, as a string, e.g. "a".'
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
    solution='device_answer = "b"',
    discussion="An RNN keeps one fixed-size state, so each new sample costs the same time and "
    "memory however long the stream has run. A Transformer's cache of past keys and values "
    "grows with every step unless the context is cut.",
)

# --- right_pad (apply it: a mask on the wrong side) --------------------------


def _right_pad(ids):
    ids = np.asarray(ids)
    padded = np.zeros_like(ids)  # (batch, T_in), all padding to start with
    for row, line in enumerate(ids):
        real = line[line != 0]  # the real ids, in their order
        padded[row, : len(real)] = real
    return padded


def _padded_case(rng):
    batch, length = int(rng.integers(2, 6)), int(rng.integers(4, 10))
    ids = np.zeros((batch, length), dtype="int32")
    for row in range(batch):
        n = int(rng.integers(1, length + 1))  # at least one real id
        ids[row, length - n :] = rng.integers(1, 40, size=n)  # padded on the left
    return {"ids": ids}


right_pad = FunctionExercise(
    name="right_pad",
    prompt=(
        "A colleague encoded the dates with `keras.utils.pad_sequences`, which pads on the "
        "LEFT by default: a row reads [0, 0, 0, 14, 3, 27]. On a GPU, `fit` stops with 'You "
        "are passing a RNN mask that does not correspond to right-padded sequences': the "
        "cuDNN kernel behind Keras's GRU needs the padding at the end. Write right_pad(ids): "
        "take an int array (batch, T_in) whose padding (id 0) sits on the left of each row, "
        "and return an array of the same shape and dtype with every row's real ids first, "
        "in their order, and the padding after them."
    ),
    reference=_right_pad,
    cases=_padded_case,
    edge_cases=[
        {"ids": np.array([[0, 0, 0, 14, 3, 27], [5, 6, 7, 8, 9, 10]], dtype="int32")},
        {"ids": np.array([[0, 0, 0, 2], [0, 1, 1, 3]], dtype="int32")},
    ],
    n_cases=8,
    seed=0,
    mistakes=[
        Mistake(
            lambda ids: np.asarray(ids)[:, ::-1],
            "Reversing each row moves the padding to the end, but the encoder would now read "
            "the date backwards ('9102 hcraM 3'). Keep the real ids in their order.",
        ),
        Mistake(
            lambda ids: -np.sort(-np.asarray(ids), axis=1),
            "Sorting puts the padding last, but it also reorders the real ids: the characters "
            "of the date come out sorted by id. Move the ids without changing their order.",
        ),
    ],
    hints=[
        "Treat one row at a time: which of its entries are real, and where must they go?",
        "Start from an array of zeros of the same shape; copy each row's nonzero ids, in "
        "their order, into the start of that row.",
    ],
    discussion=(
        "The mask follows the padding: with real ids first, every mask row reads "
        "True ... True False ... False, the only shape cuDNN accepts. A row of padding only "
        "would also fail there, which is why encode_inputs refuses empty texts."
    ),
)

# --- why_attention_helps ----------------------------------------------------

_BOTTLENECK = (
    "final state", "last state", "last hidden", "final hidden", "one vector",
    "single vector", "fixed-size", "fixed size", "fixed-length", "fixed length",
    "bottleneck", "compress", "squeez", "summary", "one state", "single state",
    "only the last", "only the final",
)  # fmt: skip
_READS_ALL = (
    "all encoder", "all the encoder", "every encoder", "each encoder", "all the input",
    "all input", "every input", "each input", "all states", "all the states", "all positions",
    "every position", "each position", "any position", "any input", "whole input",
    "weighted", "weights", "look back", "looks back", "look at", "looks at", "focus",
    "directly", "each output step", "every output step", "each step", "every step",
)  # fmt: skip
_PARAMETERS = ("parameter", "more weights", "bigger model", "larger model", "more capacity")
_PLAIN_NAMES = ("without attention", "no attention", "without it", "plain", "basic", "vanilla")
_ATTENTION_NAMES = ("with attention", "attention", "attend")
#: The bottleneck is said of the plain decoder, the reading of all states of attention.
_PLAIN_READING = Reading(subject=_PLAIN_NAMES, contrast=_ATTENTION_NAMES)
_ATTENTION_READING = Reading(subject=_ATTENTION_NAMES, contrast=_PLAIN_NAMES)


_MODEL_ANSWER = (
    "Without attention the decoder gets only the encoder's final state, a fixed-size vector "
    "that must carry the digits through all the filler words; with attention each output step "
    "reads all encoder states directly and weights the ones it needs."
)


why_attention_helps = GradedTextExercise(
    name="why_attention_helps",
    prompt=(
        "In the plain encoder-decoder the decoder receives the input only through the "
        "encoder's last state. Whatever your table showed, explain in two or three "
        "sentences why that design can make long inputs harder than short ones, and what "
        "attention changes in what the decoder can read. Answer with a string."
    ),
    discussion=(
        "Without attention the decoder sees the input only through the encoder's last state: "
        "one vector of fixed size that must carry the day, month and year through every filler "
        "word that follows. With attention the decoder reads all encoder states at every output "
        "step and weights them, so the digit it needs is one look away however long the input "
        "is. Whether that shows as a gap depends on the training budget: the seed spread in the "
        "lesson's table says how large it was here."
    ),
    model_answer=_MODEL_ANSWER,
    min_length=25,
    solution=f"attention_answer = {_MODEL_ANSWER!r}",
    mistakes=[
        Mistake.when(
            lambda text: (
                _PLAIN_READING.claims(text, _PARAMETERS)
                and _PLAIN_READING.status(text, _BOTTLENECK) != AFFIRMED
            ),
            "The attention model does have more parameters, but that alone would not single "
            "out long inputs: a model short of parameters would lag on short and long inputs "
            "alike. Name what the plain decoder receives from the encoder, and what changes "
            "when it can attend.",
            example="Because the attention model has more parameters, so it can learn more.",
        ),
        _PLAIN_READING.denies(
            _BOTTLENECK,
            "Your answer says the plain decoder is *not* limited to one fixed-size vector. It "
            "is: it receives the input only through the encoder's last state, however long "
            "the input. Say why that makes long inputs harder.",
            example="The plain decoder is not limited to the encoder's last state.",
        ),
        _ATTENTION_READING.denies(
            _READS_ALL,
            "Your answer says attention does *not* let the decoder read the encoder states. "
            "That is exactly what it adds: say what each output step can read with attention "
            "that the plain decoder cannot.",
            example="Attention does not let the decoder look at the encoder states.",
        ),
        _PLAIN_READING.missing(
            _BOTTLENECK,
            "Say what the plain decoder receives from the encoder: how much of the input "
            "reaches it, and in what form, however long the input is?",
            example="I think the answer depends on many things and on what the data are like.",
        ),
        _ATTENTION_READING.missing(
            _READS_ALL,
            "You named the plain model's limit; now say what attention lets each output step "
            "read that the plain decoder cannot.",
            example="Without attention everything must go through the encoder's last state.",
        ),
    ],
    hints=[
        "What does the decoder receive from the encoder in each model?",
        "Does the size of that thing grow with the input? What does attention add at each "
        "output step?",
    ],
)

progress = progress_for(__name__)
