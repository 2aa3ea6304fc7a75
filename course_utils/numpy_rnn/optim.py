"""Tiny optimisers and gradient clipping for the NumPy engine.

``optimizer.step(params, grads)`` updates every array of ``params`` in place from the
entry of the same name in ``grads``; extra gradient keys (``"x"``, ``"h0"``) are
ignored. Defaults follow Keras (``keras.optimizers.SGD`` / ``Adam``).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_number

__all__ = ["SGD", "Adam", "clip_by_global_norm"]


def clip_by_global_norm(grads: dict, max_norm: float, *, keys=None) -> tuple[dict, float]:
    """Rescale gradients so that their joint L2 norm is at most ``max_norm``.

    Pascanu, Mikolov & Bengio (2013), "On the difficulty of training recurrent neural
    networks". Returns ``(clipped, norm)``: a new dict (inputs untouched) and the norm
    *before* clipping. ``keys``: the names that count and get clipped, default all;
    pass ``keys=cell.params`` to leave out ``"x"`` and ``"h0"``. Other keys are copied
    unchanged.
    """
    max_norm = check_number("max_norm", max_norm, minimum=0.0, strict_minimum=True)
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be a dict of arrays; got {type(grads).__name__}.")
    names = list(grads) if keys is None else list(keys)
    missing = [k for k in names if k not in grads]
    if missing:
        raise ValueError(f"keys {missing} are not in grads (which has {list(grads)}).")
    norm = float(np.sqrt(sum(float(np.sum(np.square(grads[k]))) for k in names)))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    clipped = {k: (g * scale if k in names else g) for k, g in grads.items()}
    return clipped, norm


class _Optimizer:
    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = check_number(
            "learning_rate", learning_rate, minimum=0.0, strict_minimum=True
        )
        self._slots: dict[int, tuple] = {}  # id(param array) -> (array, state...)

    def _slot(self, param: np.ndarray, make):
        """Per-array state, keyed by the array itself (so two models never collide)."""
        entry = self._slots.get(id(param))
        if entry is None or entry[0] is not param:
            entry = (param, *make())
            self._slots[id(param)] = entry
        return entry

    def step(self, params: dict, grads: dict) -> None:
        if not isinstance(params, dict) or not isinstance(grads, dict):
            raise TypeError(
                "params and grads must be dicts of arrays; got "
                f"{type(params).__name__} and {type(grads).__name__}."
            )
        missing = [k for k in params if k not in grads]
        if missing:
            raise ValueError(f"grads has no entry for {missing}; it has {list(grads)}.")
        for name, param in params.items():
            grad = np.asarray(grads[name])
            if grad.shape != param.shape:
                raise ValueError(
                    f"grads[{name!r}] has shape {grad.shape}; expected "
                    f"{param.shape} like params[{name!r}]."
                )
            self._update(param, grad)


class SGD(_Optimizer):
    """Stochastic gradient descent, optionally with momentum (Keras's formulation)::

    velocity = momentum * velocity - learning_rate * grad;   param += velocity
    """

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0) -> None:
        super().__init__(learning_rate)
        self.momentum = check_number("momentum", momentum, minimum=0.0, maximum=1.0)

    def _update(self, param, grad):
        if self.momentum == 0.0:
            param -= self.learning_rate * grad
            return
        _, velocity = self._slot(param, lambda: (np.zeros_like(param),))
        velocity *= self.momentum
        velocity -= self.learning_rate * grad
        param += velocity


class Adam(_Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction; defaults as ``keras.optimizers.Adam``::

    m = b1*m + (1-b1)*g;   v = b2*v + (1-b2)*g**2
    param -= lr * sqrt(1-b2**t)/(1-b1**t) * m / (sqrt(v) + epsilon)
    """

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__(learning_rate)
        self.beta_1 = check_number("beta_1", beta_1, minimum=0.0, maximum=1.0)
        self.beta_2 = check_number("beta_2", beta_2, minimum=0.0, maximum=1.0)
        self.epsilon = check_number("epsilon", epsilon, minimum=0.0)

    def _update(self, param, grad):
        _, m, v, t = self._slot(param, lambda: (np.zeros_like(param), np.zeros_like(param), [0]))
        t[0] += 1
        m *= self.beta_1
        m += (1 - self.beta_1) * grad
        v *= self.beta_2
        v += (1 - self.beta_2) * grad**2
        step = self.learning_rate * np.sqrt(1 - self.beta_2 ** t[0]) / (1 - self.beta_1 ** t[0])
        param -= step * m / (np.sqrt(v) + self.epsilon)
