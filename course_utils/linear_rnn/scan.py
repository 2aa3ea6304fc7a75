"""The linear recurrence ``h_t = a_t * h_{t-1} + b_t``: a loop, two parallel scans, and
the log-space form.

Every scan takes ``a`` and ``b`` of shape ``(batch, time, units)`` (elementwise,
"diagonal" recurrences; real or complex) and an optional ``h0`` ``(batch, units)``
(zeros by default), and returns every state, ``(batch, time, units)``.

The scans rest on one operator. A step is the map ``h -> a h + b``, written ``(a, b)``;
doing ``(a1, b1)`` and then ``(a2, b2)`` is the map ``h -> a2 (a1 h + b1) + b2``:

    (a1, b1) o (a2, b2) = (a1 a2, a2 b1 + b2)

This composition is associative, so the prefixes ``(a_1, b_1) o ... o (a_t, b_t)`` can
be computed in any grouping. A given ``h0`` is one more element in front, ``(1, h0)``,
as in Feng et al.'s (2024) ``ParallelScan(a, [h_0, b])``; ``h0=None`` (zeros) needs
none, because ``a_1 * 0 + b_1 = b_1``.

* :func:`scan_loop`: one step after another, ``T - 1`` combines (``T`` with ``h0``).
* :func:`scan_parallel`: Hillis & Steele (1986), ``ceil(log2 T)`` rounds.
* :func:`scan_blelloch`: Blelloch (1990), work-efficient: about ``2T`` combines in
  about ``2 log2 T`` rounds.
* :func:`scan_log_space`: the form minGRU trains with (Feng et al. 2024, appendix B.1),
  for positive ``a``, ``b`` and ``h0``.
* :func:`scan_cost`: depth and work of each, counted by running it.

All four agree with the loop to ``1e-12`` in float64 (``tests/test_linear_scan.py``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.core.validation import check_array, check_choice, check_int

__all__ = [
    "ScanCost",
    "combine",
    "scan_blelloch",
    "scan_cost",
    "scan_log_space",
    "scan_loop",
    "scan_parallel",
]

METHODS = ("loop", "hillis_steele", "blelloch")


def _checked(name: str, value, *, real: bool = False, **kwargs) -> np.ndarray:
    """A float (or, unless ``real``, complex) array, finite (complex: the LRU's eigenvalues)."""
    array = check_array(name, value, kind="any", allow_nonfinite=True, **kwargs)
    kinds = np.floating if real else np.inexact
    if not np.issubdtype(array.dtype, kinds):
        wanted = "a float" if real else "a float or complex"
        raise TypeError(
            f"{name} must be {wanted} array; got dtype {array.dtype}. "
            f"Convert it first, e.g. {name}.astype('float64')."
        )
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or inf values; the recurrence needs finite ones.")
    return array


def _inputs(a, b, h0, *, names=("a", "b", "h0"), real=False):
    a = _checked(names[0], a, real=real, ndim=3, dims="(batch, time, units)")
    b = _checked(names[1], b, real=real, ndim=3, shape=a.shape, dims=f"like {names[0]}")
    if h0 is not None:
        shape = (a.shape[0], a.shape[2])
        h0 = _checked(names[2], h0, real=real, ndim=2, shape=shape, dims="(batch, units)")
    return a, b, h0


def _elements(a, b, h0):
    """The elements to scan, as float copies: ``h0`` (if given) as ``(1, h0)`` in front."""
    dtype = np.result_type(a, b) if h0 is None else np.result_type(a, b, h0)
    if h0 is None:
        return a.astype(dtype), b.astype(dtype), 0
    a = np.concatenate([np.ones_like(a[:, :1]), a], axis=1).astype(dtype)  # (batch, 1+time, units)
    b = np.concatenate([h0[:, None], b], axis=1).astype(dtype)  # (batch, 1+time, units)
    return a, b, 1


def combine(first, second):
    """``first`` then ``second``, each a pair ``(a, b)`` of arrays: ``(a1 a2, a2 b1 + b2)``."""
    (a1, b1), (a2, b2) = first, second
    return a1 * a2, a2 * b1 + b2


# --- the three algorithms (``op`` is ``combine``, or a counter around it) ---------------


def _loop(a, b, op):
    h = b[:, 0]  # (batch, units): the first prefix is the first element
    states = [h]
    for t in range(1, a.shape[1]):
        _, h = op((1.0, h), (a[:, t], b[:, t]))  # (batch, units): h_t = a_t * h_{t-1} + b_t
        states.append(h)
    return np.stack(states, axis=1)  # (batch, time, units)


def _hillis_steele(a, b, op):
    shift = 1
    while shift < a.shape[1]:  # round k: every step t >= 2**k takes the prefix 2**k earlier
        earlier = (a[:, :-shift], b[:, :-shift])  # (batch, time - shift, units) each
        a[:, shift:], b[:, shift:] = op(earlier, (a[:, shift:], b[:, shift:]))
        shift *= 2
    return b  # (batch, time, units): the b of each prefix is its state


def _blelloch(a, b, op):
    n = a.shape[1]
    size = 1 << (n - 1).bit_length()  # the next power of two >= n
    pad = size - n  # identity steps (a = 1, b = 0) at the end
    a = np.concatenate([a, np.ones_like(a[:, :pad])], axis=1)  # (batch, size, units)
    b = np.concatenate([b, np.zeros_like(b[:, :pad])], axis=1)  # (batch, size, units)
    d = 1
    while d < size:  # up-sweep: each right child becomes the total of its subtree
        left, right = slice(d - 1, size, 2 * d), slice(2 * d - 1, size, 2 * d)
        a[:, right], b[:, right] = op((a[:, left], b[:, left]), (a[:, right], b[:, right]))
        d *= 2
    total = b[:, -1].copy()  # (batch, units): the whole sequence's state
    a[:, -1], b[:, -1] = 1, 0  # the root's prefix is the identity
    while d > 1:  # down-sweep: pass each node's prefix down; the right child adds the left
        d //= 2
        left, right = slice(d - 1, size, 2 * d), slice(2 * d - 1, size, 2 * d)
        left_total = (a[:, left].copy(), b[:, left].copy())  # (batch, size / 2d, units)
        a[:, left], b[:, left] = a[:, right], b[:, right]
        a[:, right], b[:, right] = op((a[:, right], b[:, right]), left_total)
    # b now holds the exclusive prefixes; shift by one for the inclusive ones
    return np.concatenate([b[:, 1:], total[:, None]], axis=1)[:, :n]  # (batch, n, units)


# --- the public scans --------------------------------------------------------------------


def scan_loop(a, b, h0=None) -> np.ndarray:
    """Every state of ``h_t = a_t * h_{t-1} + b_t``, one step after another."""
    a, b, skip = _elements(*_inputs(a, b, h0))
    return _loop(a, b, combine)[:, skip:]


def scan_parallel(a, b, h0=None) -> np.ndarray:
    """The same states by a Hillis-Steele inclusive scan: ``ceil(log2 T)`` rounds, in
    round ``k`` every step ``t >= 2**k`` composes with the prefix ending ``2**k`` earlier.
    Work ``sum_k (T - 2**k)``, about ``T log2 T`` combines."""
    a, b, skip = _elements(*_inputs(a, b, h0))
    return _hillis_steele(a, b, combine)[:, skip:]


def scan_blelloch(a, b, h0=None) -> np.ndarray:
    """The same states by Blelloch's (1990) work-efficient scan.

    The steps are padded with the identity ``(1, 0)`` to a power of two ``P``; an
    up-sweep builds subtree totals (``P - 1`` combines in ``log2 P`` rounds), a
    down-sweep hands each subtree the prefix before it (``P - 1`` more in ``log2 P``):
    twice the rounds of Hillis-Steele for about ``2T`` combines instead of ``T log2 T``.
    """
    a, b, skip = _elements(*_inputs(a, b, h0))
    return _blelloch(a, b, combine)[:, skip:]


def scan_log_space(log_a, log_b, log_h0=None) -> np.ndarray:
    """The states from the *logs* of positive ``a``, ``b`` and ``h0`` (Feng et al. 2024,
    "Were RNNs All We Needed?", arXiv:2410.01201, appendix B.1, their
    ``parallel_scan_log``; Heinsen 2023). Unrolled, ``h_t = sum_{s<=t} b_s prod_{s<r<=t} a_r``;
    with ``a*_t = log a_1 + ... + log a_t`` (``a*_0 = 0``, ``b_0 = h0``)::

        log h_t = a*_t + logcumsumexp_{s<=t}(log b_s - a*_s)

    Two cumulative operations, each a library primitive with a parallel implementation
    (here ``np.cumsum`` and ``np.logaddexp.accumulate``), and no products of many small
    numbers, which underflow. The price: a log exists only for positive numbers, so
    ``a``, ``b`` and ``h0`` must be > 0 (``a`` is a gate's ``1 - z``, positive anyway).
    minGRU's ``b = z * h~`` is kept positive by its candidate ``h~ = g(Linear(x))`` with
    ``g(x) = x + 0.5`` for ``x >= 0`` and ``sigmoid(x)`` below (appendix B.3, their
    listing 6): continuous and positive, linear for large ``x``; its slope jumps from 1/4
    to 1 at 0. ``log_h0=None`` is
    ``h0 = 0``. Takes float arrays ``(batch, time, units)`` and ``log_h0`` ``(batch,
    units)``; returns ``h`` (not its log). Equal to :func:`scan_loop` on ``exp`` of the
    same inputs to 1e-12 relative in float64.
    """
    names = ("log_a", "log_b", "log_h0")
    try:
        log_a, log_b, log_h0 = _inputs(log_a, log_b, log_h0, names=names, real=True)
    except ValueError as error:
        if "NaN or inf" not in str(error):
            raise
        raise ValueError(
            f"{error} The log-space scan takes logs of positive numbers: log(0) is -inf "
            "and the log of a negative number is NaN. For values of any sign use "
            "scan_parallel or scan_blelloch."
        ) from None
    a_star = np.cumsum(log_a, axis=1)  # (batch, time, units): log of a_1 ... a_t
    terms = log_b - a_star  # (batch, time, units)
    if log_h0 is not None:  # h0 is the element in front, with a*_0 = 0
        terms = np.concatenate([log_h0[:, None], terms], axis=1)  # (batch, 1+time, units)
        a_star = np.concatenate([np.zeros_like(log_h0[:, None]), a_star], axis=1)
    log_h = a_star + np.logaddexp.accumulate(terms, axis=1)  # (batch, [1+]time, units)
    return np.exp(log_h[:, log_h.shape[1] - log_a.shape[1] :])  # (batch, time, units)


# --- cost ----------------------------------------------------------------------------------


class ScanCost(NamedTuple):
    """``depth``: rounds of combines one after another; ``work``: combines in all."""

    depth: int
    work: int


def scan_cost(time: int, method: str) -> ScanCost:
    """Depth and work of a scan over ``time`` elements, counted by running it.

    The algorithm runs on ``(1, time, 1)`` inputs with a counter in place of
    :func:`combine`: one call is one round (depth + 1) that combines as many
    positions as it is handed (work + positions). Convention: ``time`` counts the
    elements scanned, so with a given ``h0`` pass ``T + 1`` (``h0`` is one more element;
    ``h0=None`` needs none). With ``n = time`` and ``P`` the next power of two::

        loop           depth n - 1             work n - 1
        hillis_steele  depth ceil(log2 n)      work sum over 2**k < n of (n - 2**k)
        blelloch       depth 2 log2 P          work 2 (P - 1)
    """
    time = check_int("time", time, minimum=1)
    check_choice("method", method, METHODS)
    counts = {"depth": 0, "work": 0}

    def counting(first, second):
        counts["depth"] += 1
        counts["work"] += int(np.size(second[1]))  # positions combined in this round
        return combine(first, second)

    algorithm = {"loop": _loop, "hillis_steele": _hillis_steele, "blelloch": _blelloch}[method]
    algorithm(np.ones((1, time, 1)), np.zeros((1, time, 1)), counting)
    return ScanCost(**counts)
