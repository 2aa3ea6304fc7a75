"""Encoder-decoder GRUs, with and without attention, for lesson 08.

``08_applications_and_attention`` builds everything here step by step:

- :func:`additive_attention_numpy`: the additive score of Bahdanau, Cho & Bengio
  (2014; ICLR 2015),
  softmax and context, in NumPy;
- :class:`Attention`: the same maths as a Keras 3 layer (``keras.ops`` only),
  registered serializable, returning ``(context, weights)`` and ignoring padded
  input positions (their weight is exactly 0). ``score`` picks the score function:
  ``"additive"`` (Bahdanau, Cho & Bengio, 2014; ICLR 2015:
  ``v . tanh(W_q q + W_k h)``), ``"dot"`` (Luong et al. 2015: ``q . h``) or
  ``"general"`` (Luong et al. 2015: ``q W h``);
- :func:`build_seq2seq`: an encoder GRU reads the input characters; a decoder GRU
  starts from the encoder's last state, sees it again at every step (as in Cho et
  al. 2014), and writes the output (teacher forcing in training). With
  ``attention=True``, ``placement`` says where attention sits in the decoder:

  * ``"luong"`` (Luong et al. 2015, the default): the GRU step runs first; its
    output ``s_t`` is the query; the context ``c_t`` is combined *after* the step,
    ``tanh(W [s_t; c_t])``, and that feeds the output layer (Luong et al.'s "input
    feeding" of that vector into the next step is not used);
  * ``"bahdanau"`` (Bahdanau, Cho & Bengio, 2014; ICLR 2015): the previous state
    ``s_{t-1}`` is the query, and ``c_t`` is fed *into* the recurrent step with the
    previous output character (:class:`BahdanauDecoder`). The output layer is the same
    ``tanh(W [s_t; c_t])`` as above, so that only the placement differs: Bahdanau
    et al.'s own output layer (a maxout over the decoder state, ``y_{t-1}`` and ``c_t``) and
    their bidirectional encoder are not reproduced;
- :func:`greedy_decode`, :func:`accuracy_by_length` and :func:`accuracy_by_group` to
  measure exact match.

The module is longer than the course's ~300-line guide (about 380 lines) because the
attention layer, Bahdanau's decoder and the model that places them are one concept the
lesson reads side by side; splitting them would put the two placements in two files.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
from keras import ops

from course_utils.core.tables import table
from course_utils.core.validation import check_array, check_choice, check_int

__all__ = [
    "PLACEMENTS",
    "SCORES",
    "Attention",
    "BahdanauDecoder",
    "Seq2Seq",
    "accuracy_by_group",
    "accuracy_by_length",
    "additive_attention_numpy",
    "attention_weights",
    "build_seq2seq",
    "format_length_table",
    "greedy_decode",
]

NEG_INF = -1e9  # the score a padded position gets before the softmax

# --- attention in NumPy -----------------------------------------------------


def additive_attention_numpy(query, values, W_query, W_values, v, mask=None):
    """Bahdanau attention: score(q, k) = v . tanh(W_query q + W_values k), softmax over inputs.

    query (batch, T_out, d_q), values (batch, T_in, d_v), mask (batch, T_in) bool
    (True = a real input position). Returns ``(context, weights)``, shapes
    (batch, T_out, d_v) and (batch, T_out, T_in).
    """
    query = check_array("query", query, ndim=3, dims="(batch, T_out, d_q)")
    values = check_array("values", values, ndim=3, dims="(batch, T_in, d_v)")
    q = query @ W_query  # (batch, T_out, units)
    k = values @ W_values  # (batch, T_in, units)
    scores = np.tanh(q[:, :, None, :] + k[:, None, :, :]) @ v  # (batch, T_out, T_in)
    if mask is not None:
        mask = check_array("mask", mask, shape=values.shape[:2], kind="any", dims="(batch, T_in)")
        scores = np.where(mask[:, None, :].astype(bool), scores, NEG_INF)  # (batch, T_out, T_in)
    scores = scores - scores.max(axis=-1, keepdims=True)  # for a stable softmax
    weights = np.exp(scores)  # (batch, T_out, T_in)
    weights = weights / weights.sum(axis=-1, keepdims=True)  # each row sums to 1
    return weights @ values, weights  # (batch, T_out, d_v), (batch, T_out, T_in)


# --- attention as a Keras layer ---------------------------------------------

SCORES = ("additive", "dot", "general")
PLACEMENTS = ("luong", "bahdanau")


@keras.saving.register_keras_serializable(package="course_utils")
class Attention(keras.layers.Layer):
    """``layer(query, values, values_mask=None) -> (context, weights)``.

    query (batch, T_out, d_q), values (batch, T_in, d_v). ``weights[b, t]`` is a
    probability distribution over the input positions of example ``b`` for output
    step ``t``; positions where ``values_mask`` is False (padding) get weight 0.
    ``score="additive"`` is the maths of :func:`additive_attention_numpy`;
    ``"dot"`` needs ``d_q == d_v`` and has no weights; ``"general"`` has one matrix.
    """

    def __init__(self, units: int, score: str = "additive", **kwargs):
        super().__init__(**kwargs)
        self.units = check_int("units", units, minimum=1)
        self.score = check_choice("score", score, SCORES)

    def build(self, query_shape, values_shape):
        d_q, d_v = query_shape[-1], values_shape[-1]
        if self.score == "additive":
            self.W_query = self.add_weight(shape=(d_q, self.units), name="W_query")
            self.W_values = self.add_weight(shape=(d_v, self.units), name="W_values")
            self.v = self.add_weight(shape=(self.units,), name="v")
        elif self.score == "general":
            self.W = self.add_weight(shape=(d_q, d_v), name="W")
        elif d_q != d_v:
            raise ValueError(f"score='dot' needs query and values of one width; got {d_q}, {d_v}.")

    def scores(self, query, values):
        """Unnormalised scores e[b, t, j] of query step t against input position j."""
        if self.score == "additive":
            q = ops.matmul(query, self.W_query)  # (batch, T_out, units)
            k = ops.matmul(values, self.W_values)  # (batch, T_in, units)
            hidden = ops.tanh(ops.expand_dims(q, 2) + ops.expand_dims(k, 1))  # (b, T_out, T_in, u)
            return ops.sum(hidden * self.v, axis=-1)  # (batch, T_out, T_in)
        if self.score == "general":
            query = ops.matmul(query, self.W)  # (batch, T_out, d_v)
        return ops.matmul(query, ops.transpose(values, (0, 2, 1)))  # (batch, T_out, T_in)

    def call(self, query, values, values_mask=None):
        scores = self.scores(query, values)  # (batch, T_out, T_in)
        if values_mask is not None:
            keep = ops.expand_dims(ops.cast(values_mask, "bool"), 1)  # (batch, 1, T_in)
            scores = ops.where(keep, scores, ops.full_like(scores, NEG_INF))  # (batch, T_out, T_in)
        weights = ops.softmax(scores, axis=-1)  # (batch, T_out, T_in)
        context = ops.matmul(weights, values)  # (batch, T_out, d_v)
        return context, weights

    def compute_output_shape(self, query_shape, values_shape):
        batch, t_out = query_shape[0], query_shape[1]
        return (batch, t_out, values_shape[-1]), (batch, t_out, values_shape[1])

    def get_config(self):
        return {**super().get_config(), "units": self.units, "score": self.score}


# --- Bahdanau's placement: attention inside the recurrent step --------------


@keras.saving.register_keras_serializable(package="course_utils")
class BahdanauDecoder(keras.layers.Layer):
    """A GRU decoder that attends *before* each step (Bahdanau, Cho & Bengio, 2014; ICLR 2015).

    ``layer(inputs, values, initial_state, values_mask=None) -> (states, contexts,
    weights)``: at step t the previous state s_{t-1} scores the encoder states
    ``values``; the context c_t joins ``inputs[:, t]`` as the GRU cell's input, so
    s_t = GRU(s_{t-1}, [x_t; c_t]). Shapes: (batch, T_out, units) twice and
    (batch, T_out, T_in).
    """

    def __init__(self, units: int, score: str = "additive", **kwargs):
        super().__init__(**kwargs)
        self.units = check_int("units", units, minimum=1)
        self.score = check_choice("score", score, SCORES)
        self.cell = keras.layers.GRUCell(self.units, name="cell")
        self.attention = Attention(self.units, score=self.score, name="attention")

    def build(self, inputs_shape, values_shape, initial_state_shape=None):
        self.attention.build((None, 1, self.units), values_shape)
        self.cell.build((None, inputs_shape[-1] + values_shape[-1]))

    def call(self, inputs, values, initial_state, values_mask=None):
        def step(carry, x_t):  # carry: (s_{t-1}, c_{t-1}, alpha_{t-1}); x_t (batch, d_in)
            query = ops.expand_dims(carry[0], 1)  # (batch, 1, units): s_{t-1}
            context, weights = self.attention(query, values, values_mask=values_mask)
            context, weights = context[:, 0], weights[:, 0]  # (batch, d_v), (batch, T_in)
            state, _ = self.cell(ops.concatenate([x_t, context], axis=-1), carry[0])  # s_t
            return (state, context, weights), (state, context, weights)

        # Keras's TensorFlow scan needs the per-step outputs shaped like the carry
        start = (initial_state, ops.zeros_like(values[:, 0]), ops.zeros_like(values[:, :, 0]))
        time_major = ops.transpose(inputs, (1, 0, 2))  # (T_out, batch, d_in)
        _, outputs = ops.scan(step, start, time_major)  # each (T_out, batch, ...)
        return tuple(ops.swapaxes(o, 0, 1) for o in outputs)  # batch first again

    def compute_output_shape(self, inputs_shape, values_shape, initial_state_shape=None):
        batch, t_out = inputs_shape[0], inputs_shape[1]
        units = (batch, t_out, self.units)
        return units, (batch, t_out, values_shape[-1]), (batch, t_out, values_shape[1])

    def get_config(self):
        return {**super().get_config(), "units": self.units, "score": self.score}


# --- the encoder-decoder ----------------------------------------------------


@dataclass
class Seq2Seq:
    """``model`` maps [encoder ids, decoder ids] -> next-character probabilities;
    ``attention_model`` (attention only) maps the same inputs -> attention weights."""

    model: keras.Model
    attention_model: keras.Model | None


def _check_options(attention, placement, score):
    if not isinstance(attention, bool):
        raise TypeError(f"attention must be True or False; got {attention!r}.")
    return check_choice("placement", placement, PLACEMENTS), check_choice("score", score, SCORES)


def build_seq2seq(
    input_vocab_size: int,
    output_vocab_size: int,
    *,
    units: int = 64,
    embed_dim: int = 16,
    attention: bool = False,
    placement: str = "luong",
    score: str = "additive",
    learning_rate: float = 3e-3,
) -> Seq2Seq:
    """An encoder GRU and a decoder GRU (teacher forcing), compiled with Adam.

    Input id 0 is padding (right-padded, as :func:`course_utils.tasks.dates.encode_inputs`
    writes it): the encoder skips it (``mask_zero``) and attention gives it weight 0.
    ``placement`` and ``score`` matter only with ``attention=True`` (module docstring).
    """
    input_vocab_size = check_int("input_vocab_size", input_vocab_size, minimum=2)
    output_vocab_size = check_int("output_vocab_size", output_vocab_size, minimum=2)
    units = check_int("units", units, minimum=1)
    embed_dim = check_int("embed_dim", embed_dim, minimum=1)
    placement, score = _check_options(attention, placement, score)
    layers = keras.layers
    encoder_ids = keras.Input((None,), dtype="int32", name="encoder_ids")  # (batch, T_in)
    decoder_ids = keras.Input((None,), dtype="int32", name="decoder_ids")  # (batch, T_out)
    x = layers.Embedding(input_vocab_size, embed_dim, mask_zero=True)(
        encoder_ids
    )  # (batch, T_in, embed)
    encoder_states, last_state = layers.GRU(units, return_sequences=True, return_state=True)(x)
    y = layers.Embedding(output_vocab_size, embed_dim)(decoder_ids)  # (batch, T_out, embed)
    # as in Cho et al. (2014), every decoder step also sees the encoder's summary vector
    summary = ops.ones_like(y[:, :, :1]) * ops.expand_dims(last_state, 1)  # (batch, T_out, units)
    y = layers.Concatenate()([y, summary])  # (batch, T_out, embed + units)
    mask = ops.not_equal(encoder_ids, 0)  # (batch, T_in): False at padding
    weights = None
    if attention and placement == "bahdanau":
        decoder_states, context, weights = BahdanauDecoder(units, score, name="decoder")(
            y, encoder_states, last_state, values_mask=mask
        )  # (batch, T_out, units) twice, (batch, T_out, T_in)
    else:
        decoder_states = layers.GRU(units, return_sequences=True)(
            y, initial_state=last_state
        )  # (batch, T_out, units)
    if attention and placement == "luong":
        context, weights = Attention(units, score, name="attention")(
            decoder_states, encoder_states, values_mask=mask
        )  # (batch, T_out, units), (batch, T_out, T_in)
    features = decoder_states
    if attention:
        both = layers.Concatenate()([decoder_states, context])  # (batch, T_out, 2 units)
        features = layers.Dense(units, activation="tanh")(both)  # (batch, T_out, units)
    probs = layers.Dense(output_vocab_size, activation="softmax")(features)  # (batch, T_out, vocab)
    name = f"seq2seq_{placement}_{score}" if attention else "seq2seq"
    model = keras.Model([encoder_ids, decoder_ids], probs, name=name)
    model.compile(
        # Per-variable clipping (clipnorm: each weight's gradient on its own), not lesson 03's
        # global norm: lesson 08's committed grid (applications.json) was trained this way.
        keras.optimizers.Adam(learning_rate, clipnorm=1.0),
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    attention_model = keras.Model([encoder_ids, decoder_ids], weights) if attention else None
    return Seq2Seq(model, attention_model)


def greedy_decode(
    model, encoder_ids, steps: int, start_id: int = 1, batch_size: int = 512
) -> np.ndarray:
    """Write ``steps`` output ids, feeding back the most probable id at each step.

    The decoder is causal, so position ``t`` depends only on ids ``<= t``: running
    the whole model once per step on the growing prefix is exact. Returns int32
    ``(batch, steps)``.
    """
    encoder_ids = check_array("encoder_ids", encoder_ids, ndim=2, kind="int", dims="(batch, T_in)")
    steps = check_int("steps", steps, minimum=1)
    start_id = check_int("start_id", start_id, minimum=0)
    decoder_ids = np.zeros((len(encoder_ids), steps), dtype="int32")  # (batch, steps)
    decoder_ids[:, 0] = start_id
    outputs = np.zeros_like(decoder_ids)  # (batch, steps)
    for t in range(steps):
        probs = model.predict(
            [encoder_ids, decoder_ids], batch_size=batch_size, verbose=0
        )  # (batch, steps, vocab)
        outputs[:, t] = probs[:, t].argmax(axis=-1)
        if t + 1 < steps:
            decoder_ids[:, t + 1] = outputs[:, t]
    return outputs


def accuracy_by_length(predictions, targets, lengths, bins) -> dict[str, tuple[float, int]]:
    """Exact-match accuracy per input-length bin: ``{"a-b": (accuracy, count)}``.

    ``bins`` are edges, e.g. ``[0, 12, 24, 48, 100]``: bin ``"a-b"`` holds lengths
    ``a < length <= b``. Empty bins are left out.
    """
    if len(predictions) != len(targets) or len(targets) != len(lengths):
        raise ValueError(
            f"predictions, targets and lengths must have one entry per example; got "
            f"{len(predictions)}, {len(targets)} and {len(lengths)}."
        )
    edges = check_array("bins", np.asarray(bins), ndim=1, kind="any")
    if len(edges) < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"bins must be at least two increasing edges; got {list(bins)}.")
    labels = [f"{low + 1}-{high}" for low, high in zip(edges[:-1], edges[1:], strict=True)]
    index = np.searchsorted(edges, np.asarray(lengths), side="left")  # bin k+1 holds (e_k, e_k+1]
    groups = [labels[i - 1] if 0 < i < len(edges) else "" for i in index]  # "": outside
    return accuracy_by_group(predictions, targets, groups, labels)


def accuracy_by_group(predictions, targets, groups, order=None) -> dict[str, tuple[float, int]]:
    """Exact-match accuracy per group (e.g. per date format): ``{group: (accuracy, count)}``.

    ``order`` lists the groups to report, in that order (default: first appearance);
    groups with no example are left out.
    """
    if len(predictions) != len(targets) or len(targets) != len(groups):
        raise ValueError(
            f"predictions, targets and groups must have one entry per example; got "
            f"{len(predictions)}, {len(targets)} and {len(groups)}."
        )
    groups = [str(g) for g in groups]
    if order is None:
        order = list(dict.fromkeys(groups))
    elif isinstance(order, str) or not all(isinstance(g, str) for g in order):
        raise TypeError(f"order must be a list of group names; got {order!r}.")
    correct = np.array([p == t for p, t in zip(predictions, targets, strict=True)])
    inside = {g: np.array([x == g for x in groups]) for g in order}
    return {g: (float(correct[m].mean()), int(m.sum())) for g, m in inside.items() if m.any()}


def attention_weights(s2s: Seq2Seq, encoder_ids, output_ids, start_id: int = 1) -> np.ndarray:
    """The attention weights while the decoder writes ``output_ids``: (batch, T_out, T_in).

    The decoder input is ``output_ids`` shifted right behind the start token, so
    for the model's own greedy output these are the weights greedy decoding used.
    """
    if s2s.attention_model is None:
        raise ValueError("s2s must be built with attention=True to have attention weights.")
    encoder_ids = check_array("encoder_ids", encoder_ids, ndim=2, kind="int", dims="(batch, T_in)")
    output_ids = check_array("output_ids", output_ids, ndim=2, kind="int", dims="(batch, T_out)")
    starts = np.full((len(output_ids), 1), start_id, dtype="int32")  # (batch, 1)
    decoder_ids = np.concatenate([starts, output_ids[:, :-1]], axis=1).astype(
        "int32"
    )  # (batch, T_out)
    return s2s.attention_model.predict(
        [encoder_ids, decoder_ids], verbose=0
    )  # (batch, T_out, T_in)


def format_length_table(tables: dict, label: str = "input length") -> str:
    """A text table: one row per length bin (or group, named by ``label``), one accuracy
    column per model."""
    if not isinstance(tables, dict) or not tables:
        raise TypeError("tables must be a non-empty dict of name -> accuracy_by_length table.")
    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__} {label!r}.")
    names = list(tables)
    bins = list(tables[names[0]])
    rows = [[b, tables[names[0]][b][1], *(f"{tables[n][b][0]:.3f}" for n in names)] for b in bins]
    return table([label, "examples", *names], rows, align="r" * (len(names) + 2))
