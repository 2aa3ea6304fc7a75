"""A fully connected read-out layer, so that a scratch RNN can end in logits.

``y = x @ W + b`` applied to the last axis of ``x``; with ``x`` of shape
``(batch, time, hidden_size)`` it reads out every step at once (Keras's ``Dense``
does the same on a 3-D input).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int
from course_utils.numpy_rnn._base import check_dtype
from course_utils.numpy_rnn.init import glorot_uniform, zeros

__all__ = ["Dense"]


class Dense:
    """``y = x @ W + b`` with ``W`` (input_size, output_size) and ``b`` (output_size,).

    ``forward(x) -> (y, cache)`` for ``x`` of shape ``(..., input_size)``;
    ``backward(dy, cache) -> {"W", "b", "x"}``. Initialised as Keras: Glorot uniform, zero bias.
    """

    def __init__(self, input_size: int, output_size: int, *, seed=0, dtype="float64") -> None:
        self.input_size = check_int("input_size", input_size, minimum=1)
        self.output_size = check_int("output_size", output_size, minimum=1)
        self.dtype = check_dtype(dtype)
        rng = np.random.default_rng(seed)
        self.params = {
            "W": glorot_uniform((self.input_size, self.output_size), rng, self.dtype),
            "b": zeros(self.output_size, self.dtype),
        }

    def __repr__(self) -> str:
        return f"Dense(input_size={self.input_size}, output_size={self.output_size})"

    def forward(self, x) -> tuple[np.ndarray, dict]:
        x = check_array("x", x, dims="(..., input_size)")
        if x.ndim < 1 or x.shape[-1] != self.input_size:
            raise ValueError(
                f"x must have last axis {self.input_size} (input_size); got shape {x.shape}."
            )
        x = x.astype(self.dtype, copy=False)
        y = x @ self.params["W"] + self.params["b"]  # (..., output)
        return y, {"x": x, "outputs": y}

    def __call__(self, x) -> np.ndarray:
        return self.forward(x)[0]

    def backward(self, dy, cache: dict) -> dict[str, np.ndarray]:
        x = cache["x"]
        dy = check_array("dy", dy, shape=cache["outputs"].shape, dims="like outputs")
        x_flat = x.reshape(-1, self.input_size)  # (N, input)
        dy_flat = dy.reshape(-1, self.output_size)  # (N, output)
        return {
            "W": x_flat.T @ dy_flat,  # (input, output)
            "b": dy_flat.sum(axis=0),  # (output,)
            "x": dy @ self.params["W"].T,  # (..., input)
        }
