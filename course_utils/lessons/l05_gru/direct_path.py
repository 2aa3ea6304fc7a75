"""Lesson 05, section 2: does a trained GRU carry the first marked number along the direct
path ``z_t * h_(t-1)``, or does its candidate write it back?

A correlation cannot say: it ignores scale, and the direct path's prediction alone
correlates with the number as well as the state does. :func:`direct_path_slopes` keeps the
scale (least-squares slopes, which add up), and :func:`direct_path_verdict` reads them as an
observation. Used by ``notebooks/05_gru.ipynb``.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import Verdict, observation
from course_utils.core.validation import check_int, check_number
from course_utils.gates import hold_mask, marker_positions

__all__ = ["direct_path_slopes", "direct_path_verdict"]


def direct_path_slopes(gates, x, unit: int) -> dict[str, float]:
    """How much of the first marked number the GRU unit ``unit`` carries, and how much of
    that the direct path ``z_t * h_(t-1)`` alone would have delivered.

    Each value is a least-squares slope, over sequences, of a quantity on the first marked
    number ``u1``: ``"start"`` the unit's state at the first marker, ``"end"`` its state
    just before the second marker, and ``"direct"`` the start state times the product of
    ``z`` over the hold span (what would be left if the candidate wrote nothing). Slopes
    keep the scale that a correlation throws away, and they add up: ``"end"`` minus
    ``"direct"`` is what the candidate's writes contribute, so ``"direct" / "end"`` is the
    share of the end-of-hold slope that the direct path alone delivers.
    """
    if not isinstance(gates, dict) or not {"hidden", "update"} <= set(gates):
        raise ValueError("gates must be gate_activations(...) of a GRU (hidden, update).")
    unit = check_int("unit", unit, minimum=0)
    h = np.asarray(gates["hidden"], dtype=np.float64)[:, :, unit]  # (batch, time)
    z = np.asarray(gates["update"], dtype=np.float64)[:, :, unit]  # (batch, time)
    first, second = marker_positions(x)
    rows = np.arange(len(first))
    u = np.asarray(x, dtype=np.float64)[rows, first, 0]  # (batch,): the first number
    u = u - u.mean()
    start, end = h[rows, first], h[rows, second - 1]  # (batch,)
    direct = start * np.where(hold_mask(x), z, 1.0).prod(axis=1)  # (batch,)

    def slope(y):
        return float((u * (y - y.mean())).sum() / (u**2).sum())

    return {"start": slope(start), "end": slope(end), "direct": slope(direct)}


def direct_path_verdict(slopes: dict, *, scope: str, carried: float = 0.1) -> Verdict:
    """One live GRU: is most of the number it holds at the end of the hold written back
    by the candidate rather than carried along the direct path? An observation (one model).

    ``slopes``: :func:`direct_path_slopes`. ``carried``: the least |end-of-hold slope| that
    counts as the state carrying the number at all (the number is uniform on [0, 1)).
    """
    if not isinstance(slopes, dict) or not {"start", "end", "direct"} <= set(slopes):
        raise ValueError(f"slopes must be direct_path_slopes(...); got {slopes!r}.")
    if not isinstance(scope, str) or not scope.strip():
        raise TypeError(f"scope must be a non-empty str saying what was measured; got {scope!r}.")
    carried = check_number("carried", carried, minimum=0.0, strict_minimum=True)
    claim = (
        "Most of the number the unit holds at the end of the hold comes through the "
        "candidate's writes, not along the direct path"
    )
    rule = "the direct path's slope is below half of the state's slope at the end of the hold"
    start, end, direct = slopes["start"], slopes["end"], slopes["direct"]
    measured = (
        f"slope of the unit's state on the first number: {start:+.3f} at the first marker, "
        f"{end:+.3f} at the end of the hold; of the direct path alone (start state x product "
        f"of z): {direct:+.3f}"
    )
    if abs(end) < carried:
        why = f"its state hardly follows the number at the end of the hold (|slope| < {carried:g})"
        return observation(claim, measured, seen=False, rule=rule, scope=scope, unreadable=why)
    share = direct / end
    measured += f", {share:.0%} of the state's"
    return observation(claim, measured, seen=bool(share < 0.5), rule=rule, scope=scope)
