"""Stateful one-step generation in Keras 3, without re-feeding the prefix.

Explained in ``notebooks/06_text_generation.ipynb``. :func:`inference_model` rebuilds a
trained character model (Embedding -> LSTM/GRU layers -> Dense, as made by
:func:`course_utils.textgen.model.char_model`) with the same weights, but every
recurrent layer now takes ``initial_state`` and returns its final state:

    logits, *states = inference([ids, *states])

So generation reads the prompt once, then feeds one new character at a time together
with the state the previous call returned. The output equals running the full prefix
through the original model (tested to 1e-5 in ``tests/test_textgen_generate.py``).
"""

from __future__ import annotations

import keras
import numpy as np

from course_utils.core.grammar import is_grammatical
from course_utils.core.validation import check_array, check_int
from course_utils.numpy_rnn.losses import softmax
from course_utils.textgen.data import CharVocabulary
from course_utils.textgen.sampling import sample

__all__ = [
    "inference_model",
    "zero_states",
    "step",
    "generate_text",
    "next_char_distribution",
    "grammatical_share",
]


_RECURRENT = (keras.layers.LSTM, keras.layers.GRU, keras.layers.SimpleRNN)


def _parts(model):
    """``(embedding, blocks, dense)`` of a :func:`~course_utils.textgen.model.char_model`:
    each block is ``(norm, recurrent_layer, residual)``; ``norm`` is the LayerNormalization
    before the layer (None without), ``residual`` whether its output is added to its input."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}.")
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    blocks, norm, ok = [], None, len(layers) >= 3
    for layer in layers[1:-1]:
        if isinstance(layer, keras.layers.LayerNormalization) and norm is None:
            norm = layer
        elif isinstance(layer, _RECURRENT) and layer.return_sequences:
            blocks.append([norm, layer, False])
            norm = None
        elif isinstance(layer, keras.layers.Add) and blocks and blocks[-1][0] is not None:
            blocks[-1][2] = True
        else:
            ok = False
    ok = ok and bool(blocks) and norm is None and all(b[0] is None or b[2] for b in blocks)
    ok = ok and isinstance(layers[0], keras.layers.Embedding)
    ok = ok and isinstance(layers[-1], keras.layers.Dense)
    ok = ok and layers[-1].activation is keras.activations.linear
    if not ok:
        raise ValueError(
            "model must be Embedding -> LSTM/GRU/SimpleRNN layers (return_sequences=True, "
            "each after the first optionally a pre-norm residual block) -> Dense logits (no "
            f"activation), as char_model builds; got {[type(la).__name__ for la in layers]}."
        )
    return layers[0], [tuple(b) for b in blocks], layers[-1]


def inference_model(model: keras.Model) -> keras.Model:
    """A twin of ``model`` with explicit states: ``[ids, *states] -> [logits, *states]``.

    ``ids``: int ``(batch, time)``; each LSTM layer has two states ``(batch, hidden)``
    (h and c), each GRU/SimpleRNN layer one. Weights are copied, so later training of
    ``model`` does not reach the twin: call again, or ``twin.set_weights(model.get_weights())``.
    """
    embedding, blocks, dense = _parts(model)
    ids = keras.Input((None,), dtype="int32", name="ids")  # (batch, time)
    as_float32 = {"dtype": "float32"}  # a model trained in mixed precision is scored in float32
    x = keras.layers.Embedding.from_config({**embedding.get_config(), **as_float32})(
        ids
    )  # (batch, time, emb)
    state_inputs, state_outputs = [], []
    for norm, layer, residual in blocks:
        h = x
        if norm is not None:
            h = keras.layers.LayerNormalization.from_config({**norm.get_config(), **as_float32})(
                x
            )  # (batch, time, hidden)
        config = dict(layer.get_config(), return_sequences=True, return_state=True, stateful=False)
        config.update(unroll=False, dtype="float32")  # any length; scored in float32
        twin = type(layer).from_config(config)
        n_states = 2 if isinstance(layer, keras.layers.LSTM) else 1
        states = [
            keras.Input((layer.units,), name=f"{layer.name}_state{i}")  # (batch, hidden)
            for i in range(n_states)
        ]
        h, *new_states = twin(h, initial_state=states if n_states > 1 else states[0])
        x = keras.layers.Add()([x, h]) if residual else h  # (batch, time, hidden)
        state_inputs += states
        state_outputs += new_states
    logits = keras.layers.Dense.from_config({**dense.get_config(), **as_float32})(
        x
    )  # (batch, time, vocab)
    twin_model = keras.Model(
        [ids, *state_inputs], [logits, *state_outputs], name=f"{model.name}_inference"
    )
    twin_model.set_weights(model.get_weights())
    return twin_model


def zero_states(inference: keras.Model, batch_size: int = 1) -> list[np.ndarray]:
    """The all-zero start state of every recurrent layer, float32 ``(batch, hidden)`` each."""
    batch_size = check_int("batch_size", batch_size, minimum=1)
    return [np.zeros((batch_size, int(t.shape[-1])), np.float32) for t in inference.inputs[1:]]


def step(inference: keras.Model, ids, states: list) -> tuple[np.ndarray, list[np.ndarray]]:
    """Run ``ids`` ``(batch, time)`` from ``states``; return logits ``(batch, time, vocab)`` and new states."""
    ids = check_array("ids", ids, ndim=2, kind="int", dims="(batch, time)")
    if len(states) != len(inference.inputs) - 1:
        raise ValueError(
            f"states must hold {len(inference.inputs) - 1} arrays (see zero_states); "
            f"got {len(states)}."
        )
    logits, *new_states = inference.predict_on_batch([ids.astype(np.int32), *states])
    return np.asarray(logits), [np.asarray(s) for s in new_states]


def next_char_distribution(
    inference: keras.Model, vocab: CharVocabulary, prompt: str
) -> np.ndarray:
    """Softmax of the logits after ``prompt``, read one character at a time with carried state."""
    states = zero_states(inference)
    for char_id in vocab.encode(prompt):
        logits, states = step(inference, np.array([[char_id]]), states)  # (1, 1, vocab)
    return softmax(logits[0, -1].astype(np.float64))  # (vocab,)


def generate_text(
    inference: keras.Model,
    vocab: CharVocabulary,
    prompt: str,
    length: int = 300,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    rng: int | np.random.Generator = 0,
) -> str:
    """``prompt`` followed by ``length`` sampled characters.

    The prompt is read in one call; then each new character is fed alone, with the
    state returned by the previous call: the prefix is never run again.
    """
    if not isinstance(vocab, CharVocabulary):
        raise TypeError(f"vocab must be a CharVocabulary; got {type(vocab).__name__}.")
    length = check_int("length", length, minimum=0)
    sample(np.zeros(2), temperature=temperature, top_k=top_k)  # reject bad settings up front
    generator = (
        rng
        if isinstance(rng, np.random.Generator)
        else np.random.default_rng(check_int("rng", rng, minimum=0))
    )
    logits, states = step(inference, vocab.encode(prompt)[None, :], zero_states(inference))
    new_ids = []
    for _ in range(length):
        next_id = sample(logits[0, -1], temperature=temperature, top_k=top_k, rng=generator)
        new_ids.append(next_id)
        logits, states = step(inference, np.array([[next_id]]), states)  # (1, 1, vocab)
    return prompt + vocab.decode(np.array(new_ids, dtype=np.int64))


def grammatical_share(text: str) -> tuple[float, int]:
    """``(share, n)``: of the ``n`` complete lines of ``text``, the share the grammar accepts.

    For models trained on the course's generated corpus (one sentence a line, see
    :mod:`course_utils.core.grammar`). A line counts as complete when a newline follows it,
    so a sample cut off mid-sentence is not held against the model.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}.")
    lines = [line for line in text.split("\n")[:-1] if line.strip()]
    if not lines:
        return float("nan"), 0
    return sum(is_grammatical(line) for line in lines) / len(lines), len(lines)
