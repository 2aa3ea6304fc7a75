"""Match a learner's answer against the expected one and say, in words, what differs.

:func:`compare` returns ``None`` when the values agree (within ``rtol``/``atol``
for numbers) and otherwise one sentence a learner can act on: the wrong type,
the wrong shape, the wrong kind of dtype, or which element differs and by how
much. It follows the *expected* value's structure (numbers, strings, bools,
NumPy arrays, tuples/lists, dicts), so any learner object is safe to pass.
"""

from __future__ import annotations

import numbers

import numpy as np

from course_utils.core.validation import check_number
from course_utils.exercises.words import (
    KIND_NAMES,
    describe,
    to_numpy,
)

__all__ = ["CLOSE_FRACTION", "check_tolerances", "compare", "is_close"]


def check_tolerances(rtol: object, atol: object) -> tuple[float, float]:
    """Validate an exercise's ``rtol`` and ``atol`` (non-negative numbers)."""
    return check_number("rtol", rtol, minimum=0), check_number("atol", atol, minimum=0)


def _number(got: object, name: str) -> tuple[float | None, str | None]:
    """``got`` as a float, or a message saying why it is not a single number."""
    got = to_numpy(got)
    if isinstance(got, np.ndarray):
        if got.ndim == 0:
            got = got[()]
        elif got.size == 1:
            return (
                None,
                f"{name} is an array of shape {got.shape}; expected a single number (use `.item()`).",
            )
        else:
            return None, f"{name} is {describe(got)}; expected a single number."
    if isinstance(got, (bool, np.bool_)):
        return None, f"{name} is {describe(bool(got))}; expected a number."
    if isinstance(got, str):
        return None, f"{name} is {describe(got)}; expected a number (remove the quotes)."
    if isinstance(got, complex) or (isinstance(got, np.generic) and np.iscomplexobj(got)):
        return None, f"{name} is a complex number; expected a real number."
    if not isinstance(got, numbers.Real):
        return None, f"{name} is {describe(got)}; expected a number."
    return float(got), None


#: "Close" means within this fraction of the expected value (relative): 0.05 = 5 %, a
#: rounding or a small slip. A larger miss is "not close", said plainly: it is likely a
#: conceptual error, which an exercise names with its own ``Mistake`` where it knows it.
CLOSE_FRACTION = 0.05


def _percent_mixup(value: float, expected: float) -> str | None:
    """A sentence when ``value`` looks like ``expected`` given as a percentage, or the
    reverse; it names the mix-up without giving the answer away."""
    if expected == 0:
        return None
    if 0 < abs(expected) <= 1 and np.isclose(value, 100 * expected, rtol=0.02, atol=0):
        return (
            "Is that a percentage? The answer is a fraction between 0 and 1 (write 0.25 for 25 %)."
        )
    if 1 < abs(expected) <= 100 and np.isclose(100 * value, expected, rtol=0.02, atol=0):
        return "Is that a fraction? The answer is a percentage (write 25 for 25 %)."
    return None


def is_close(value: float, expected: float, *, atol: float = 0.0) -> bool:
    """Whether a wrong ``value`` may be called "close": within ``CLOSE_FRACTION``
    (5 %) of ``expected``, relative; for ``expected == 0``, within ``10 * atol``."""
    value = check_number("value", value)
    expected = check_number("expected", expected)
    atol = check_number("atol", atol, minimum=0)
    if expected == 0:
        return abs(value) <= 10 * atol
    return abs(value - expected) <= CLOSE_FRACTION * abs(expected)


def _compare_number(expected, got, *, rtol, atol, name) -> str | None:
    value, problem = _number(got, name)
    if problem:
        return problem
    expected = float(expected)
    if np.isnan(expected) and np.isnan(value):
        return None
    if not np.isfinite(value):
        return f"{name} is {value}; expected a finite number (look for an overflow or a division by zero)."
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return None
    mixup = _percent_mixup(value, expected)
    if mixup:
        return f"{name} is {value:.6g}. {mixup}"
    direction = "too large" if value > expected else "too small"
    if is_close(value, expected, atol=atol):
        return (
            f"{name} is {value:.6g}: close (within {CLOSE_FRACTION:.0%}), but {direction}, outside the "
            f"tolerance (rtol={rtol:g}, atol={atol:g}). Check for rounding or a small slip."
        )
    if expected != 0 and np.sign(value) != np.sign(expected) and value != 0:
        return f"{name} is {value:.6g}: it has the wrong sign."
    return (
        f"{name} is {value:.6g}: {direction}, and not close (more than {CLOSE_FRACTION:.0%} off)."
    )


def _compare_arrays(
    expected: np.ndarray, got, *, rtol, atol, check_dtype, name, element
) -> str | None:
    got = to_numpy(got)
    if isinstance(got, (str, bytes)) or callable(got) or isinstance(got, (dict, set)):
        return f"{name} is {describe(got)}; expected an array of shape {expected.shape}."
    try:
        array = np.asarray(got)
    except Exception:  # ragged nested lists and the like
        return (
            f"{name} could not be turned into an array (rows of different lengths?); "
            f"expected an array of shape {expected.shape}."
        )
    if array.dtype.kind in "OUSV":
        what = "Python objects" if array.dtype.kind == "O" else "text"
        return f"{name} holds {what}, not numbers; expected an array of shape {expected.shape}."
    if array.ndim == 0 and expected.ndim > 0:
        return f"{name} is a single number; expected an array of shape {expected.shape}."
    if array.shape != expected.shape:
        message = f"{name} has shape {array.shape}; expected shape {expected.shape}."
        if array.ndim != expected.ndim:
            message += f" It has {array.ndim} axes instead of {expected.ndim}."
        elif array.shape == expected.shape[::-1]:
            message += " It looks transposed."
        elif array.size == expected.size:
            message += " Same number of elements: check the order of the axes."
        return message
    if check_dtype and _kind(array) != _kind(expected):
        message = (
            f"{name} holds {KIND_NAMES.get(array.dtype.kind, array.dtype.kind)} "
            f"(dtype {array.dtype}); expected {KIND_NAMES.get(expected.dtype.kind, 'numbers')}."
        )
        if expected.dtype.kind == "f" and array.dtype.kind in "iub":
            message += " Start from floats, or convert with `.astype(float)`."
        return message
    if array.dtype.kind == "c" and expected.dtype.kind != "c":
        return f"{name} holds complex numbers; expected real numbers."
    try:
        got_values = array.astype(
            np.result_type(expected.dtype, np.float64)
            if expected.dtype.kind in "biuf"
            else expected.dtype
        )
    except (TypeError, ValueError):
        return f"{name} has dtype {array.dtype}, which cannot be compared with numbers."
    bad_nan = ~np.isfinite(got_values) & np.isfinite(expected)
    if bad_nan.any():
        index = tuple(int(i) for i in np.argwhere(bad_nan)[0])
        return (
            f"{name} contains NaN or inf ({int(bad_nan.sum())} element(s)), first at index "
            f"{list(index)}; look for an overflow or a division by zero."
        )
    close = np.isclose(got_values, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    got_value, want = got_values[index], expected[index]
    difference = np.abs(got_values - expected)[~close]
    where = element.format(index=list(index))
    return (
        f"{where} is {got_value:.6g} but should be {want:.6g} "
        f"(off by {abs(got_value - want):.3g}); {int((~close).sum())} of {close.size} "
        f"elements differ beyond the tolerance (rtol={rtol:g}, atol={atol:g}), "
        f"the largest by {float(np.max(difference)):.3g}."
    )


def _kind(array: np.ndarray) -> str:
    return {"u": "i"}.get(array.dtype.kind, array.dtype.kind)


def compare(
    expected: object,
    got: object,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    check_dtype: bool = True,
    name: str = "your answer",
) -> str | None:
    """``None`` if ``got`` matches ``expected``, else a message that names ``name``."""
    return _compare(
        expected, got, rtol=rtol, atol=atol, check_dtype=check_dtype, root=name, path=""
    )


def _compare(expected, got, *, rtol, atol, check_dtype, root, path) -> str | None:
    name = f"item {path} of {root}" if path else root
    options = {"rtol": rtol, "atol": atol, "check_dtype": check_dtype, "root": root}
    expected = to_numpy(expected)
    if isinstance(expected, (bool, np.bool_)):
        got = to_numpy(got)
        if isinstance(got, np.ndarray) and got.ndim == 0:
            got = got[()]
        if not isinstance(got, (bool, np.bool_)):
            return f"{name} is {describe(got)}; expected True or False."
        return None if bool(got) == bool(expected) else f"{name} is {bool(got)}: not right."
    if isinstance(expected, np.ndarray) and expected.ndim == 0:
        expected = expected[()]
    if isinstance(expected, numbers.Real):
        return _compare_number(expected, got, rtol=rtol, atol=atol, name=name)
    if isinstance(expected, str):
        if not isinstance(got, str):
            return f"{name} is {describe(got)}; expected a string."
        return None if got.strip() == expected.strip() else f"{name} is not the expected text."
    if isinstance(expected, np.ndarray):
        return _compare_arrays(
            expected,
            got,
            rtol=rtol,
            atol=atol,
            check_dtype=check_dtype,
            name=name,
            element=f"element {path}{{index}} of {root}",
        )
    if isinstance(expected, (tuple, list)):
        got = to_numpy(got)
        if isinstance(got, np.ndarray) and got.ndim == 1:
            got = got.tolist()
        if not isinstance(got, (tuple, list)):
            return (
                f"{name} is {describe(got)}; expected a {type(expected).__name__} "
                f"of {len(expected)} items."
            )
        if len(got) != len(expected):
            return f"{name} has {len(got)} items; expected {len(expected)}."
        for i, (want, item) in enumerate(zip(expected, got, strict=True)):
            problem = _compare(want, item, path=f"{path}[{i}]", **options)
            if problem:
                return problem
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            keys = sorted(map(str, expected))
            return f"{name} is {describe(got)}; expected a dict with keys {keys}."
        missing = [key for key in expected if key not in got]
        extra = [key for key in got if key not in expected]
        if missing or extra:
            return f"{name} has the wrong keys: missing {missing}, unexpected {extra}."
        for key, want in expected.items():
            problem = _compare(want, got[key], path=f"{path}[{key!r}]", **options)
            if problem:
                return problem
        return None
    if expected is None:
        return None if got is None else f"{name} is {describe(got)}; expected None."
    try:
        same = bool(got == expected)
    except Exception:
        same = False
    return None if same else f"{name} is not the expected value."
