"""A minimal selective state-space layer (Mamba's S6), from scratch in NumPy.

Gu, A. & Dao, T. (2023). Mamba: linear-time sequence modeling with selective state
spaces. arXiv:2312.00752 (COLM 2024).

Every channel ``c`` of ``x`` drives its own diagonal state of size ``N``; for every step
``t`` (``*`` elementwise, shapes per step)::

    delta_t = softplus(x_t @ W_delta + b_delta)         # (batch, channels) step sizes
    B_t     = x_t @ W_B,   C_t = x_t @ W_C              # (batch, N), shared by channels
    A       = -exp(A_log)                               # (channels, N), real, < 0
    Abar_t  = exp(delta_t * A)                          # (batch, channels, N) in (0, 1)
    h_t     = Abar_t * h_{t-1} + (delta_t * B_t) * x_t  # (batch, channels, N)
    y_t     = sum_n h_t * C_t + D * x_t                 # (batch, channels)

The recurrence is linear in ``h`` (``Abar_t`` and the input term depend on ``x`` only), so
flattening ``channels x N`` into one axis makes it the course's scan ``h = a h + b``.

What is the paper's: Algorithm 2 (section 3.2): ``B``, ``C`` ``(batch, time, N)`` are
linear maps of the input shared across channels, ``delta = softplus(parameter +
s_delta(x))`` per channel; real ``A`` with the S4D-Real initialisation ``A_n = -(n+1)``
(section 3.6), stored as ``log(-A)`` as in the authors' code (``A_log``); ``Abar =
exp(delta A)``, the zero-order hold of equation 4 (section 2). The initial step sizes
``softplus(b_delta)`` lie in ``[dt_min, dt_max] = [0.001, 0.1]`` (section 3.6); the authors'
code draws them log-uniformly there, and so do we. ``D`` starts at 1, as in their code.

What differs: equation 4's ZOH input matrix is ``(delta A)^-1 (exp(delta A) - I) delta
B``; the authors' reference code (``selective_scan_ref``) uses the simpler ``delta B``,
"a mix of ZOH for A and Euler discretization for B" that does not affect performance
(A. Gu, state-spaces/mamba issue #114). The paper's text does not state this
simplification; we use ``delta B`` as their code does. Our ``s_delta`` is a full
``(channels, channels)`` matrix, where the paper uses a low-rank ``Linear_D(Linear_R(x))``
(section 3.6).

What the full Mamba block adds and this layer leaves out (section 3.4, Figure 3): an input
projection that expands the width by ``E = 2``, a short causal depthwise convolution and a
SiLU before the SSM, a second (gating) branch ``SiLU(x W_z)`` multiplied into the output,
an output projection, and normalisation and residual connections around each block.

``time_invariant=True`` makes an LTI layer on the same code, S4D-like (Algorithm 1):
``delta = softplus(b_delta)``, and per-channel parameters ``B``, ``C`` ``(channels, N)``
replace ``x @ W_B`` and ``x @ W_C``. It cannot choose, from the content of ``x_t``, what to
keep or ignore: the contrast of the selective-copying task (section 3.1).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int, check_number
from course_utils.linear_rnn.scan import scan_parallel

__all__ = ["LTI_PARAM_NAMES", "SELECTIVE_PARAM_NAMES", "Selective", "softplus"]

#: Parameters, in the order of :meth:`Selective.keras_weights`, selective and LTI.
SELECTIVE_PARAM_NAMES = ("A_log", "W_delta", "b_delta", "W_B", "W_C", "D")
LTI_PARAM_NAMES = ("A_log", "b_delta", "B", "C", "D")


def softplus(z: np.ndarray) -> np.ndarray:
    """``log(1 + exp(z))`` without overflow."""
    return np.logaddexp(0.0, z)


class Selective:
    """A selective SSM layer (Mamba's S6, no convolution and no gate) in NumPy, float64.

    Parameters
    ----------
    channels: width of ``x_t`` and ``y_t`` (``D`` in the paper).
    state_size: ``N``, the state per channel (the paper's default is 16).
    time_invariant: False (selective, Algorithm 2) or True (LTI, Algorithm 1).
    dt_min, dt_max: range of the initial step sizes, ``0 < dt_min < dt_max``.
    seed: an int or ``numpy.random.Generator``.

    ``params`` holds :attr:`param_names`: ``A_log`` ``(channels, N)``; selective:
    ``W_delta`` ``(channels, channels)``, ``b_delta`` ``(channels,)``, ``W_B``, ``W_C``
    ``(channels, N)``; LTI: ``b_delta``, ``B``, ``C`` ``(channels, N)``; both: ``D``
    ``(channels,)``.
    """

    def __init__(
        self,
        channels: int,
        state_size: int = 16,
        *,
        time_invariant: bool = False,
        dt_min: float = 0.001,
        dt_max: float = 0.1,
        seed=0,
    ) -> None:
        self.channels = check_int("channels", channels, minimum=1)
        self.state_size = check_int("state_size", state_size, minimum=1)
        if not isinstance(time_invariant, (bool, np.bool_)):
            raise TypeError(f"time_invariant must be True or False; got {time_invariant!r}.")
        self.time_invariant = bool(time_invariant)
        dt_min = check_number("dt_min", dt_min, minimum=0.0, strict_minimum=True)
        dt_max = check_number("dt_max", dt_max, minimum=0.0, strict_minimum=True)
        if dt_max <= dt_min:
            raise ValueError(f"dt_max must be > dt_min = {dt_min}; got dt_max = {dt_max}.")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        C, N = self.channels, self.state_size
        dt = np.exp(rng.uniform(np.log(dt_min), np.log(dt_max), C))  # (channels,) log-uniform
        limit = 1.0 / np.sqrt(C)  # a Linear layer's default scale, 1 / sqrt(fan_in)
        self.params = {"A_log": np.log(np.tile(np.arange(1.0, N + 1), (C, 1)))}  # S4D-Real
        if not self.time_invariant:
            self.params["W_delta"] = rng.uniform(-limit, limit, (C, C))  # x -> delta
        self.params["b_delta"] = dt + np.log(-np.expm1(-dt))  # (channels,) softplus^-1(dt)
        B_name, C_name = ("B", "C") if self.time_invariant else ("W_B", "W_C")
        self.params[B_name] = rng.uniform(-limit, limit, (C, N))  # x -> B_t, or B itself
        self.params[C_name] = rng.uniform(-limit, limit, (C, N))  # x -> C_t, or C itself
        self.params["D"] = np.ones(C)  # (channels,) skip

    @property
    def param_names(self) -> tuple[str, ...]:
        return LTI_PARAM_NAMES if self.time_invariant else SELECTIVE_PARAM_NAMES

    def __repr__(self) -> str:
        return (
            f"Selective(channels={self.channels}, state_size={self.state_size}, "
            f"time_invariant={self.time_invariant})"
        )

    # --- forward ------------------------------------------------------------------

    def discretise(self, x):
        """``(Abar, Bx, C_t)`` for every step: ``Abar`` and ``Bx = delta B_t x_t`` of shape
        ``(batch, time, channels, N)``, and ``C_t`` broadcastable to it."""
        x = check_array("x", x, ndim=3, shape=(None, None, self.channels))
        p = self.params
        if self.time_invariant:
            delta = np.broadcast_to(softplus(p["b_delta"]), x.shape)  # (batch, time, channels)
            B_t = p["B"][None, None]  # (1, 1, channels, N)
            C_t = p["C"][None, None]  # (1, 1, channels, N)
        else:
            delta = softplus(x @ p["W_delta"] + p["b_delta"])  # (batch, time, channels)
            B_t = (x @ p["W_B"])[:, :, None, :]  # (batch, time, 1, N)
            C_t = (x @ p["W_C"])[:, :, None, :]  # (batch, time, 1, N)
        A = -np.exp(p["A_log"])  # (channels, N), negative
        Abar = np.exp(delta[..., None] * A)  # (batch, time, channels, N), in (0, 1)
        Bx = delta[..., None] * B_t * x[..., None]  # (batch, time, channels, N)
        return Abar, Bx, C_t

    def _outputs(self, x, h, C_t):
        y = np.sum(h * C_t, axis=-1) + self.params["D"] * x  # (batch, time, channels)
        return y, {"x": x, "h": h}

    def forward_loop(self, x):
        """``(y, cache)`` one step after another; ``cache["h"]`` ``(batch, time, channels, N)``."""
        Abar, Bx, C_t = self.discretise(x)
        h = np.zeros(Abar.shape[:1] + Abar.shape[2:])  # (batch, channels, N)
        hs = np.empty_like(Abar)  # (batch, time, channels, N)
        for t in range(Abar.shape[1]):
            h = Abar[:, t] * h + Bx[:, t]  # (batch, channels, N)
            hs[:, t] = h
        return self._outputs(np.asarray(x), hs, C_t)

    def forward_scan(self, x):
        """The same ``(y, cache)`` from one parallel scan over ``channels x N`` flat units."""
        Abar, Bx, C_t = self.discretise(x)
        batch, time = Abar.shape[:2]
        flat = (batch, time, self.channels * self.state_size)
        h = scan_parallel(Abar.reshape(flat), Bx.reshape(flat)).reshape(Abar.shape)
        return self._outputs(np.asarray(x), h, C_t)

    forward = forward_scan

    # --- Keras ----------------------------------------------------------------------

    def keras_weights(self, arrays: dict | None = None) -> list[np.ndarray]:
        """The parameters as a list in :attr:`param_names` order, the order of
        ``course_utils.linear_rnn.keras_ssm.Selective.get_weights()``."""
        arrays = self.params if arrays is None else arrays
        return [np.asarray(arrays[name]) for name in self.param_names]

    def set_keras_weights(self, weights) -> Selective:
        """Copy a list in :attr:`param_names` order (e.g. a Keras layer's ``get_weights()``)."""
        names = self.param_names
        if len(weights) != len(names):
            raise ValueError(
                f"weights must be a list of {len(names)} arrays {list(names)}; got {len(weights)}."
            )
        for name, value in zip(names, weights, strict=True):
            want = self.params[name].shape
            self.params[name] = check_array(name, value, shape=want).astype(np.float64)
        return self
