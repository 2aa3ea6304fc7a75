"""What every NumPy cell shares: activations, argument checks, the public methods.

A cell subclass supplies ``_forward(x, state)`` and ``_backward(d_outputs, cache)``
plus the Keras transplant (``from_keras``, ``keras_weights``, ``to_keras``); this base
class validates every argument once, so the maths in the subclasses stays short.

Conventions for every cell
--------------------------
* Row vectors, like Keras: ``x_t @ W_xh`` with ``W_xh`` of shape
  ``(input_size, hidden_size)``, so a Keras kernel is copied without transposing.
* ``x`` has shape ``(batch, time, input_size)``; the loop runs over time only, every
  line is vectorised over the batch.
* ``forward(x, h0=None) -> (outputs, cache)``; ``backward(d_outputs, cache) -> grads``
  with the keys of ``params`` plus ``"x"`` and ``"h0"`` (LSTM adds ``"c0"``).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_choice, check_int

__all__ = ["RecurrentCell", "activate", "activation_grad", "sigmoid"]

DTYPES = ("float32", "float64")


# --- activations ------------------------------------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, written with tanh so that large ``|z|`` never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


_ACTIVATIONS = {
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "relu": lambda z: np.maximum(z, 0.0),
    "linear": lambda z: z,
}


def activate(name: str, z: np.ndarray) -> np.ndarray:
    """Apply the activation called ``name`` ("tanh", "sigmoid", "relu" or "linear")."""
    return _ACTIVATIONS[name](z)


def activation_grad(name: str, y: np.ndarray) -> np.ndarray:
    """d activation / d pre-activation, written in terms of the *output* ``y``."""
    if name == "tanh":
        return 1.0 - y * y
    if name == "sigmoid":
        return y * (1.0 - y)
    if name == "relu":
        return (y > 0).astype(y.dtype)
    return np.ones_like(y)  # linear


def check_dtype(dtype) -> np.dtype:
    """Accept ``"float32"``, ``np.float64`` and the like; return a ``np.dtype``."""
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = repr(dtype)
    check_choice("dtype", name, DTYPES)
    return np.dtype(name)


# --- the base class ---------------------------------------------------------


class RecurrentCell:
    """Base class of ``Elman``, ``Jordan``, ``LSTM`` and ``GRU``; not used directly.

    Attributes: ``input_size``, ``hidden_size``, ``output_size`` (the last axis of
    ``outputs``), ``dtype`` and ``params`` (a dict of named arrays, updated in place
    by the optimisers).
    """

    #: names of the initial-state arguments, and of their gradients in ``backward``.
    state_names: tuple[str, ...] = ("h0",)

    def __init__(self, input_size: int, hidden_size: int, *, seed, dtype) -> None:
        self.input_size = check_int("input_size", input_size, minimum=1)
        self.hidden_size = check_int("hidden_size", hidden_size, minimum=1)
        self.dtype = check_dtype(dtype)
        self.rng = np.random.default_rng(seed)
        self.params: dict[str, np.ndarray] = {}

    # -- sizes -----------------------------------------------------------------

    @property
    def output_size(self) -> int:
        """Last axis of ``outputs``: ``hidden_size`` except for ``Jordan``."""
        return self.hidden_size

    @property
    def state_sizes(self) -> tuple[int, ...]:
        """Width of each initial-state array named in ``state_names``."""
        return (self.hidden_size,)

    @property
    def num_params(self) -> int:
        """Number of trainable numbers."""
        return int(sum(p.size for p in self.params.values()))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(input_size={self.input_size}, "
            f"hidden_size={self.hidden_size}, dtype={self.dtype.name})"
        )

    # -- argument checks ---------------------------------------------------------

    def _check_x(self, x, name: str = "x") -> np.ndarray:
        x = check_array(name, x, ndim=3, dims="(batch, time, input_size)")
        if x.shape[2] != self.input_size:
            raise ValueError(
                f"{name} has input size {x.shape[2]} (its last axis, shape {x.shape}), but "
                f"{type(self).__name__} was built with input_size={self.input_size}; "
                f"expected shape (batch, time, {self.input_size})."
            )
        if x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(f"{name} needs at least one sequence and one step; got {x.shape}.")
        return x.astype(self.dtype, copy=False)

    def _check_state(self, h0, batch: int) -> tuple[np.ndarray, ...]:
        """Return the initial state as a tuple of arrays (zeros where ``h0`` is None)."""
        if h0 is None:
            return tuple(np.zeros((batch, n), dtype=self.dtype) for n in self.state_sizes)
        if len(self.state_names) > 1:
            if not isinstance(h0, (tuple, list)) or len(h0) != len(self.state_names):
                names = ", ".join(self.state_names)
                raise TypeError(
                    f"h0 for {type(self).__name__} must be None or a pair ({names}) of arrays "
                    f"of shape (batch, hidden_size); got {type(h0).__name__}."
                )
            parts = h0
        else:
            parts = (h0,)
        state = []
        for name, part, size in zip(self.state_names, parts, self.state_sizes, strict=True):
            part = check_array(name, part, shape=(batch, size), dims="(batch, state_size)")
            state.append(part.astype(self.dtype, copy=False))
        return tuple(state)

    # -- public methods ------------------------------------------------------------

    def forward(self, x, h0=None) -> tuple[np.ndarray, dict]:
        """Run the cell over a whole sequence.

        x: ``(batch, time, input_size)`` float array. h0: the initial state, zeros if
        None (see the subclass for its shape). Returns ``(outputs, cache)`` with
        outputs of shape ``(batch, time, output_size)``; ``cache`` holds what
        ``backward`` needs, and ``cache["final_state"]`` is the state after the last step.
        """
        x = self._check_x(x)
        state = self._check_state(h0, x.shape[0])
        return self._forward(x, state)

    def __call__(self, x, h0=None) -> np.ndarray:
        """``forward`` without the cache: just the outputs."""
        return self.forward(x, h0)[0]

    def backward(self, d_outputs, cache: dict) -> dict[str, np.ndarray]:
        """Backpropagation through time over the whole sequence.

        d_outputs: dL/d outputs, same shape as ``outputs``. Returns a dict with the
        keys of ``params`` plus ``"x"`` and the names in ``state_names``.
        """
        return self._backward(self._check_d_outputs(d_outputs, cache), cache)[0]

    def hidden_grads(self, d_outputs, cache: dict) -> np.ndarray:
        """Total dL/dh_t for every step, shape ``(batch, time, hidden_size)``.

        "Total" means through every path: the output at step ``t`` and all later steps.
        """
        return self._backward(self._check_d_outputs(d_outputs, cache), cache)[1]

    def step(self, x_t, h_prev=None):
        """One time step: ``x_t`` of shape ``(batch, input_size)``; returns the new state.

        Same maths as ``forward`` on a sequence of length 1; see the subclass for what
        the state is.
        """
        x_t = check_array("x_t", x_t, ndim=2, dims="(batch, input_size)")
        outputs, cache = self.forward(x_t[:, None, :], h_prev)
        return cache["final_state"]

    def _check_d_outputs(self, d_outputs, cache: dict) -> np.ndarray:
        if not isinstance(cache, dict) or "outputs" not in cache:
            raise TypeError(
                f"cache must be the dict returned by {type(self).__name__}.forward; "
                f"got {type(cache).__name__}."
            )
        shape = cache["outputs"].shape
        d_outputs = check_array("d_outputs", d_outputs, shape=shape, dims="like outputs")
        return d_outputs.astype(self.dtype, copy=False)

    # -- Keras interplay, shared parts ---------------------------------------------

    def _set_keras_weights(self, layer, arrays: list[np.ndarray]) -> None:
        layer.build((None, None, self.input_size))
        layer.set_weights(arrays)
