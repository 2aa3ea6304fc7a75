"""The linear recurrent unit (LRU), from scratch in NumPy: a loop, a parallel scan, BPTT.

Orvieto, A., Smith, S. L., Gu, A., Fernando, A., Gulcehre, C., Pascanu, R. & De, S.
(2023). Resurrecting recurrent neural networks for long sequences. *ICML 2023*,
arXiv:2303.06349.

For every step ``t``, with a complex diagonal state ``h_t`` (row vectors, as the course)::

    lambda = exp(-exp(nu_log) + i theta)                 # (state,) complex, |lambda| < 1
    h_t = lambda * h_{t-1} + gamma * (x_t @ (B_re + i B_im))    # (batch, state) complex
    y_t = Re(h_t @ (C_re + i C_im)) + x_t @ D            # (batch, output)

What is the paper's (checked against its text and its Appendix A code):

* the stable exponential parameterisation ``lambda_j = exp(-exp(nu_j^log) + i theta_j)``
  (section 3.3): ``|lambda| = exp(-exp(nu_log))`` lies in (0, 1) for every real
  ``nu_log``, so no training step can make the recurrence explode (in float64,
  ``|lambda|`` rounds to exactly 1 only below ``nu_log = -37``);
* the ring initialisation (Lemma 3.2, section 3.2): ``u1, u2 ~ U[0, 1]``,
  ``nu = -1/2 log(u1 (r_max^2 - r_min^2) + r_min^2)``, ``theta = max_phase u2``, which
  spreads ``lambda`` uniformly over the *area* of the ring ``r_min <= |lambda| <= r_max``
  (so ``|lambda|^2``, not ``|lambda|``, is uniform);
* the normalisation ``gamma`` (section 3.4): a trained parameter ``gamma_log``,
  initialised to ``log(sqrt(1 - |lambda|^2))`` so that a white-noise input gives states
  of the input's scale however close ``|lambda|`` is to 1;
* Appendix A's initial scales: ``B_re, B_im ~ N(0, 1 / (2 input_size))``,
  ``C_re, C_im ~ N(0, 1 / state_size)``, ``D ~ N(0, 1)``.

What is ours: ``theta`` is stored as it is (section 3.3's form; the paper's Appendix A
code stores ``theta_log`` with ``theta = exp(theta_log)``); ``D`` is a full
``(input_size, output_size)`` matrix because ``output_size`` may differ from
``input_size`` (the paper's ``D`` is a diagonal skip, input size = output size); and
``r_max < 1`` strictly (the paper's code allows ``r_max = 1``, where ``gamma`` is 0).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int, check_number
from course_utils.linear_rnn.scan import scan_parallel

__all__ = ["LRU", "PARAM_NAMES"]

#: The parameters, in the order of :meth:`LRU.keras_weights` and of the Keras layer.
PARAM_NAMES = ("nu_log", "theta", "gamma_log", "B_re", "B_im", "C_re", "C_im", "D")


class LRU:
    """A diagonal linear recurrent unit (Orvieto et al. 2023) in NumPy, float64.

    Parameters
    ----------
    input_size, state_size: widths of ``x_t`` and of the complex state ``h_t``.
    output_size: width of ``y_t``; default ``input_size``.
    r_min, r_max: the ring of initial ``|lambda|``, ``0 <= r_min < r_max < 1``.
    max_phase: initial phases are uniform in ``[0, max_phase]`` (``> 0``; 2 pi: all).
    seed: an int or ``numpy.random.Generator``.

    ``params`` holds the real arrays of :data:`PARAM_NAMES`: ``nu_log``, ``theta``,
    ``gamma_log`` ``(state,)``; ``B_re``, ``B_im`` ``(input, state)``; ``C_re``, ``C_im``
    ``(state, output)``; ``D`` ``(input, output)``.
    """

    def __init__(
        self,
        input_size: int,
        state_size: int,
        output_size: int | None = None,
        *,
        r_min: float = 0.0,
        r_max: float = 0.99,
        max_phase: float = 2 * np.pi,
        seed=0,
    ) -> None:
        self.input_size = check_int("input_size", input_size, minimum=1)
        self.state_size = check_int("state_size", state_size, minimum=1)
        out = input_size if output_size is None else output_size
        self.output_size = check_int("output_size", out, minimum=1)
        r_min, r_max = check_ring(r_min, r_max)
        max_phase = check_number("max_phase", max_phase, minimum=0.0, strict_minimum=True)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        I, N, O = self.input_size, self.state_size, self.output_size
        u1 = 1.0 - rng.random(N)  # (state,) in (0, 1]: |lambda| > r_min >= 0, never 0
        u2 = rng.random(N)  # (state,)
        nu = -0.5 * np.log(u1 * (r_max**2 - r_min**2) + r_min**2)  # (state,) Lemma 3.2
        self.params = {
            "nu_log": np.log(nu),  # (state,) |lambda| = exp(-exp(nu_log))
            "theta": max_phase * u2,  # (state,) phase of lambda
            "gamma_log": 0.5 * np.log1p(-np.exp(-2.0 * nu)),  # (state,) log sqrt(1-|l|^2)
            "B_re": rng.normal(size=(I, N)) / np.sqrt(2 * I),  # input -> state, real part
            "B_im": rng.normal(size=(I, N)) / np.sqrt(2 * I),  # input -> state, imaginary
            "C_re": rng.normal(size=(N, O)) / np.sqrt(N),  # state -> output, real part
            "C_im": rng.normal(size=(N, O)) / np.sqrt(N),  # state -> output, imaginary
            "D": rng.normal(size=(I, O)),  # input -> output skip
        }

    def __repr__(self) -> str:
        return (
            f"LRU(input_size={self.input_size}, state_size={self.state_size}, "
            f"output_size={self.output_size})"
        )

    def eigenvalues(self) -> np.ndarray:
        """``lambda``, the diagonal of the recurrence: ``(state,)`` complex, ``|lambda| < 1``."""
        p = self.params
        return np.exp(-np.exp(p["nu_log"]) + 1j * p["theta"])  # (state,)

    # --- forward ------------------------------------------------------------------

    def _inputs(self, x):
        x = check_array("x", x, ndim=3, shape=(None, None, self.input_size))
        p = self.params
        lam = self.eigenvalues()  # (state,)
        B = (p["B_re"] + 1j * p["B_im"]) * np.exp(p["gamma_log"])  # (input, state) normalised
        u = x @ B  # (batch, time, state) complex: gamma * (x_t B)
        return x, lam, B, u

    def _outputs(self, x, lam, B, u, h):
        p = self.params
        y = h.real @ p["C_re"] - h.imag @ p["C_im"] + x @ p["D"]  # (batch, time, output)
        return y, {"x": x, "lam": lam, "B": B, "u": u, "h": h}

    def forward_loop(self, x):
        """``(y, cache)`` computed one step after another; ``cache["h"]`` holds every state."""
        x, lam, B, u = self._inputs(x)
        h = np.zeros((x.shape[0], self.state_size), dtype=complex)  # (batch, state)
        hs = np.empty(u.shape, dtype=complex)  # (batch, time, state)
        for t in range(x.shape[1]):
            h = lam * h + u[:, t]  # (batch, state)
            hs[:, t] = h
        return self._outputs(x, lam, B, u, hs)

    def forward_scan(self, x):
        """The same ``(y, cache)`` with every state from one parallel scan (Hillis-Steele)."""
        x, lam, B, u = self._inputs(x)
        a = np.broadcast_to(lam, u.shape)  # (batch, time, state): the same lambda each step
        return self._outputs(x, lam, B, u, scan_parallel(a, u))

    forward = forward_scan

    # --- backward -----------------------------------------------------------------

    def backward(self, d_y, cache) -> dict:
        """Gradients of a scalar loss ``L`` given ``d_y = dL/dy`` ``(batch, time, output)``.

        Returns the keys of ``params`` plus ``"x"``. A complex quantity ``z`` carries the
        gradient ``dL/dRe(z) + i dL/dIm(z)``; through ``w = c z`` (``c`` complex) it becomes
        ``conj(c) * dL/dw``. So the error flows back through the states by the same
        linear recurrence run backwards in time, with ``conj(lambda)``:
        ``delta_t = g_t + conj(lambda) * delta_{t+1}``, again one parallel scan.
        """
        x, lam, B, u, h = (cache[k] for k in ("x", "lam", "B", "u", "h"))
        d_y = check_array("d_y", d_y, shape=h.shape[:2] + (self.output_size,))
        p = self.params
        grads = {
            "C_re": np.einsum("btn,bto->no", h.real, d_y),  # (state, output)
            "C_im": -np.einsum("btn,bto->no", h.imag, d_y),  # (state, output)
            "D": np.einsum("bti,bto->io", x, d_y),  # (input, output)
        }
        g = d_y @ (p["C_re"] - 1j * p["C_im"]).T  # (batch, time, state): dL/dh from y_t
        a = np.broadcast_to(np.conj(lam), g.shape)  # (batch, time, state)
        delta = scan_parallel(a, g[:, ::-1])[:, ::-1]  # (batch, time, state): total dL/dh_t
        h_prev = np.concatenate([np.zeros_like(h[:, :1]), h[:, :-1]], axis=1)  # (B, T, state)
        d_lam = np.sum(np.conj(h_prev) * delta, axis=(0, 1))  # (state,): h_t = lam h_{t-1} + ..
        d_z = np.conj(lam) * d_lam  # (state,): lam = exp(z), z = -exp(nu_log) + i theta
        grads["nu_log"] = -np.exp(p["nu_log"]) * d_z.real  # (state,)
        grads["theta"] = d_z.imag  # (state,)
        d_B = np.einsum("bti,btn->in", x, delta)  # (input, state) complex: u = x @ B
        gamma = np.exp(p["gamma_log"])  # (state,)
        grads["B_re"] = d_B.real * gamma  # (input, state)
        grads["B_im"] = d_B.imag * gamma  # (input, state)
        d_gamma = np.sum(d_B.real * p["B_re"] + d_B.imag * p["B_im"], axis=0)  # (state,)
        grads["gamma_log"] = gamma * d_gamma  # (state,)
        grads["x"] = (delta @ np.conj(B).T).real + d_y @ p["D"].T  # (batch, time, input)
        return {name: grads[name] for name in (*PARAM_NAMES, "x")}

    # --- Keras ----------------------------------------------------------------------

    def keras_weights(self, arrays: dict | None = None) -> list[np.ndarray]:
        """The parameters (or ``grads``) as a list in :data:`PARAM_NAMES` order, the order
        of ``course_utils.linear_rnn.keras_ssm.LRU.get_weights()``."""
        arrays = self.params if arrays is None else arrays
        return [np.asarray(arrays[name]) for name in PARAM_NAMES]

    def set_keras_weights(self, weights) -> LRU:
        """Copy a list in :data:`PARAM_NAMES` order (e.g. a Keras layer's ``get_weights()``)."""
        if len(weights) != len(PARAM_NAMES):
            raise ValueError(
                f"weights must be a list of {len(PARAM_NAMES)} arrays {list(PARAM_NAMES)}; "
                f"got {len(weights)}."
            )
        for name, value in zip(PARAM_NAMES, weights, strict=True):
            want = self.params[name].shape
            self.params[name] = check_array(name, value, shape=want).astype(np.float64)
        return self


def check_ring(r_min, r_max) -> tuple[float, float]:
    """``0 <= r_min < r_max < 1``, each bound named in the message when it fails."""
    r_min = check_number("r_min", r_min, minimum=0.0)
    r_max = check_number("r_max", r_max, minimum=0.0)
    if r_max >= 1.0:
        raise ValueError(
            f"r_max must be < 1 (|lambda| < 1 keeps the recurrence stable); got {r_max}."
        )
    if r_min >= r_max:
        raise ValueError(f"r_min must be < r_max = {r_max}; got r_min = {r_min}.")
    return r_min, r_max
