"""Exercises for notebook 06, "Text generation": sampling, bits per character, greedy decoding.

In the notebook::

    from course_utils.lessons.l06_text_generation import exercises as ex

    ex.temperature_softmax.check(temperature_softmax)  # a function (logits, temperature)
    ex.bits_from_loss.check(bits_from_loss)            # a function (loss_nats)
    ex.perplexity_from_bits.check(perplexity)          # a number
    ex.greedy_repeats.check("b")                       # an option label
    ex.pad_right.check(pad_right)                      # a function (contexts, width)
    ex.progress()
"""

from __future__ import annotations

import math

import numpy as np

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise

# --- temperature_softmax ----------------------------------------------------


def _temperature_softmax(logits, temperature):
    scaled = np.asarray(logits, dtype=float) / temperature  # sharper below 1, flatter above
    scaled = scaled - scaled.max()  # the largest becomes 0: exp cannot overflow
    weights = np.exp(scaled)
    return weights / weights.sum()


def _unnormalised(logits, temperature):
    with np.errstate(over="ignore"):
        return np.exp(np.asarray(logits, dtype=float) / temperature)


def _logit_case(rng):
    return {
        "logits": rng.normal(0, 3, int(rng.integers(2, 12))),
        "temperature": float(rng.choice([0.1, 0.5, 0.8, 1.0, 1.5, 3.0])),
    }


temperature_softmax = FunctionExercise(
    name="temperature_softmax",
    prompt=(
        "Write temperature_softmax(logits, temperature): the probabilities a model samples "
        "from after temperature scaling. logits is a 1-D NumPy array; return a 1-D array "
        "that sums to 1."
    ),
    reference=_temperature_softmax,
    cases=_logit_case,
    edge_cases=[
        {"logits": np.array([2.0, 1.0, 0.0]), "temperature": 0.5},
        {"logits": np.array([800.0, 799.0, 0.0]), "temperature": 1.0},  # overflows a naive exp
        {"logits": np.array([1.0, 1.0]), "temperature": 0.2},
    ],
    n_cases=10,
    seed=0,
    mistakes=[
        Mistake(
            lambda logits, temperature: _temperature_softmax(np.asarray(logits) * temperature, 1.0),
            "You multiplied by the temperature. Divide instead: a temperature below 1 must "
            "make the distribution sharper, and multiplying by 0.5 flattens it.",
        ),
        Mistake(
            lambda logits, temperature: _temperature_softmax(logits, 1.0),
            "The temperature has no effect in your function: divide the logits by it "
            "before the softmax.",
        ),
        Mistake(
            _unnormalised,
            "Almost: these are the unnormalised weights. Divide by their sum so the "
            "probabilities add up to 1.",
        ),
        Mistake(
            lambda logits, temperature: _temperature_softmax(logits, 1.0) ** (1 / temperature),
            "Raising the probabilities to 1/T is the right idea, but then they no longer "
            "sum to 1: normalise again.",
        ),
    ],
    hints=[
        "Divide the logits by the temperature, then take a softmax.",
        "Subtract the largest scaled logit before np.exp, so exp(800) cannot overflow.",
    ],
    discussion=(
        "`course_utils.textgen.distribution(logits, temperature=T)` does the same, and adds "
        "top-k. As T goes to 0 all the mass moves to the largest logit (greedy decoding); "
        "as T grows the distribution tends to uniform."
    ),
)

# --- bits_from_loss ---------------------------------------------------------


def _bits_from_loss(loss_nats):
    return loss_nats / math.log(2)  # a nat is 1 / ln 2 = 1.4427 bits


bits_from_loss = FunctionExercise(
    name="bits_from_loss",
    prompt=(
        "Keras reports the cross-entropy in nats (natural logarithm). Write "
        "bits_from_loss(loss_nats) that returns the same quantity in bits per character."
    ),
    reference=_bits_from_loss,
    cases=lambda rng: {"loss_nats": float(rng.uniform(0.5, 4.5))},
    edge_cases=[{"loss_nats": 1.0}, {"loss_nats": math.log(65)}],
    n_cases=8,
    seed=0,
    mistakes=[
        Mistake(
            lambda loss_nats: loss_nats * math.log(2),
            "You multiplied by ln 2. log2(p) = ln(p) / ln(2): divide by ln 2, so bits "
            "come out larger than nats.",
        ),
        Mistake(
            lambda loss_nats: math.exp(loss_nats),
            "exp(loss) is the perplexity, the effective number of choices per character; "
            "the question asks for bits.",
        ),
        Mistake(
            lambda loss_nats: math.log2(loss_nats),
            "Taking log2 of the loss mixes things up: the loss already is a logarithm. "
            "Change its base by dividing by ln 2.",
        ),
    ],
    hints=["log2(x) = ln(x) / ln(2).", "So a loss of 1 nat is about 1.44 bits."],
    solution=(
        "import math\n\n\ndef bits_from_loss(loss_nats):\n"
        "    return loss_nats / math.log(2)  # a nat is 1 / ln 2 = 1.4427 bits\n"
    ),
)

# --- perplexity_from_bits ---------------------------------------------------

perplexity_from_bits = ValueExercise(
    name="perplexity_from_bits",
    prompt=(
        "A character model scores 2.0 bits per character on held-out text. What is its "
        "perplexity, the number of equally likely characters it is as unsure as?"
    ),
    answer=4.0,
    rtol=1e-3,
    mistakes=[
        Mistake(
            math.exp(2.0),
            "e^2 treats the 2.0 as nats. Bits are base-2 logarithms: the perplexity is 2 ** bits.",
        ),
        Mistake(
            1.0,
            "2.0 / 2 = 1 would mean the model is never unsure. The perplexity is "
            "2 ** bits, not bits / 2.",
        ),
        Mistake(
            0.25,
            "That is the probability of each of the equally likely characters; "
            "the perplexity counts them.",
        ),
    ],
    hints=["Bits are log2 of the number of equally likely choices."],
    solution="perplexity = 2 ** 2.0  # = 4.0",
)

# --- greedy_repeats ---------------------------------------------------------

greedy_repeats = ChoiceExercise(
    name="greedy_repeats",
    prompt="Why does argmax (greedy) decoding so often fall into a loop such as "
    "'the the the' or 'I am not the state of the state of the'?",
    options={
        "a": "Because the model was trained badly; a well-trained model never loops under argmax.",
        "b": "Argmax is a deterministic function of the state: once the state comes (nearly) "
        "back to one it has been in, the model makes the same choices again, and nothing "
        "random can push it out of the cycle.",
        "c": "Because argmax always picks the space character.",
        "d": "Because the hidden state is reset after every character.",
    },
    answer="b",
    explanations={
        "a": "Even strong models loop under greedy decoding: the most likely next "
        "character, taken every time, leads back to familiar contexts. Sampling "
        "breaks the cycle.",
        "c": "Argmax picks whatever is likeliest in the current context; spaces are "
        "common, but loops appear with any characters.",
        "d": "The opposite: the state is carried. The loop comes from deterministic "
        "choices in a state that comes round again.",
    },
    hints=["With argmax, the same state always produces the same next character."],
    solution='greedy_answer = "b"  # deterministic choices in a state that comes round again',
    discussion="Temperature sampling adds randomness that lets generation leave a cycle; "
    "top-k keeps that randomness from choosing absurd characters.",
)

# --- pad_right (apply it: the mask on the right side) -------------------------------


def _pad_right(contexts, width):
    rows = np.zeros((len(contexts), width), dtype=np.int32)  # (n, width)
    for i, ids in enumerate(contexts):
        kept = list(ids)[-width:]  # the words nearest the target
        rows[i, : len(kept)] = kept  # words first, zeros after
    return rows


def _pad_left(contexts, width):
    rows = np.zeros((len(contexts), width), dtype=np.int32)  # (n, width)
    for i, ids in enumerate(contexts):
        kept = list(ids)[-width:]
        rows[i, width - len(kept) :] = kept  # zeros first: pad_sequences's default
    return rows


def _keep_first(contexts, width):
    rows = np.zeros((len(contexts), width), dtype=np.int32)  # (n, width)
    for i, ids in enumerate(contexts):
        kept = list(ids)[:width]  # the words furthest from the target
        rows[i, : len(kept)] = kept
    return rows


def _contexts_case(rng):
    n, width = int(rng.integers(1, 6)), int(rng.integers(2, 7))
    contexts = [[int(w) for w in rng.integers(1, 50, int(rng.integers(1, 10)))] for _ in range(n)]
    return {"contexts": contexts, "width": width}


pad_right = FunctionExercise(
    name="pad_right",
    prompt=(
        "Write pad_right(contexts, width) for a masked recurrent layer that must also run on "
        "a GPU. contexts is a list of lists of word ids (each id >= 1, each list at least one "
        "word long). Return an integer NumPy array of shape (len(contexts), width): row i "
        "holds the last `width` ids of contexts[i] (the words nearest the target), followed "
        "by zeros."
    ),
    reference=_pad_right,
    cases=_contexts_case,
    edge_cases=[
        {"contexts": [[5, 6, 7], [8]], "width": 4},
        {"contexts": [[1, 2, 3, 4, 5, 6], [9, 8]], "width": 3},
    ],
    n_cases=10,
    seed=0,
    mistakes=[
        Mistake(
            _pad_left,
            "Your zeros come before the words (pad_sequences's default, padding='pre'). "
            "On a CPU a masked LSTM copes, but on a GPU NVIDIA's cuDNN library, which Keras "
            "uses for LSTM/GRU there, accepts only masks whose "
            "padding comes last, and fit stops with an error. Put the words first.",
        ),
        Mistake(
            _keep_first,
            "For a context longer than `width` you kept its first words. The target follows "
            "the *last* words, which are the ones that predict it best: keep those.",
        ),
    ],
    hints=[
        "Start from an array of zeros of the right shape and integer dtype, then fill each row.",
        "A negative slice keeps the end of a list; write those ids at the start of the row.",
    ],
    discussion=(
        "`word_ngram_sequences` pads this way for the word model. Right padding with at "
        "least one real word per row is what cuDNN (NVIDIA's library behind Keras's LSTM/GRU "
        "on a GPU) needs; with the mask, the LSTM's last "
        "output is its state after the last real word, wherever the padding starts."
    ),
)

progress = progress_for(__name__)
