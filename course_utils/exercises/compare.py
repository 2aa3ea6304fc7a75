"""Compare a learner's value with the expected one and say, in words, what differs.

:func:`compare` returns ``None`` when the values agree (within ``rtol``/``atol``
for numbers) and otherwise one sentence a learner can act on: the wrong type,
the wrong shape, the wrong kind of dtype, or which element differs and by how
much. It follows the *expected* value's structure (numbers, strings, bools,
NumPy arrays, tuples/lists, dicts), so any learner object is safe to pass.
"""

from __future__ import annotations

import numbers

import numpy as np

from course_utils.validation import check_number

__all__ = [
    "CLOSE_FRACTION",
    "check_tolerances",
    "compare",
    "describe",
    "is_close",
    "kind_phrase",
    "sentence",
    "summarize",
]

_KIND_NAMES = {
    "b": "booleans",
    "i": "integers",
    "u": "integers",
    "f": "floating-point numbers",
    "c": "complex numbers",
}


def sentence(text: str) -> str:
    """``text`` with a capital first letter (messages are built lowercase-first)."""
    return text[:1].upper() + text[1:]


def check_tolerances(rtol: object, atol: object) -> tuple[float, float]:
    """Validate an exercise's ``rtol`` and ``atol`` (non-negative numbers)."""
    return check_number("rtol", rtol, minimum=0), check_number("atol", atol, minimum=0)


def describe(value: object) -> str:
    """A short phrase for messages: ``"the string '28'"``, ``"a function"``, ..."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"the bool {value}"
    if isinstance(value, str):
        text = value if len(value) <= 30 else value[:27] + "..."
        return f"the string {text!r}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, numbers.Number):
        return f"the {type(value).__name__} {value!r}"
    if isinstance(value, (list, tuple, dict, set)):
        return f"a {type(value).__name__} of {len(value)} items"
    if callable(value):
        return f"the function {getattr(value, '__name__', type(value).__name__)}"
    return f"an object of type {type(value).__name__}"


def kind_phrase(value: object, names: tuple[str, ...] | None = None) -> str:
    """What kind of object ``value`` is, for an answer format, without giving it away:
    ``"a number (a float)"``, ``"a NumPy array"``, ``"a tuple (s_next, y_t)"``."""
    if names is not None and (
        not isinstance(names, (tuple, list)) or not all(isinstance(n, str) for n in names)
    ):
        raise TypeError(f"names must be a tuple of strings or None; got {names!r}.")
    value = _to_numpy(value)
    if isinstance(value, (bool, np.bool_)):
        return "True or False"
    if isinstance(value, np.ndarray):
        return "a NumPy array" if value.ndim else "a number (a float)"
    if isinstance(value, numbers.Integral):
        return "a whole number (an int)"
    if isinstance(value, numbers.Real):
        return "a number (a float)"
    if isinstance(value, str):
        return "a string in quotes"
    if isinstance(value, (tuple, list)):
        kind = type(value).__name__
        if names and len(names) == len(value):
            return f"a {kind} ({', '.join(names)})"
        items = {_item_word(item) for item in value}
        if len(items) == 1 and value:
            return f"a {kind} of {items.pop()}"
        return f"a {kind}"
    if isinstance(value, dict):
        return "a dict"
    return ""


def _item_word(value: object) -> str:
    value = _to_numpy(value)
    if isinstance(value, np.ndarray):
        return "NumPy arrays"
    if isinstance(value, (bool, np.bool_)):
        return "bools"
    if isinstance(value, numbers.Integral):
        return "ints"
    if isinstance(value, numbers.Real):
        return "numbers"
    if isinstance(value, str):
        return "strings"
    return "values"


def summarize(value: object, limit: int = 200) -> str:
    """A compact, truncated rendering of a case input or output."""
    if isinstance(value, np.ndarray):
        if value.size <= 12:
            text = np.array2string(value, precision=4, separator=", ")
        else:
            text = f"<array of shape {value.shape}, dtype {value.dtype}>"
    else:
        try:
            text = repr(value)
        except Exception:
            text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _to_numpy(value: object) -> object:
    """TensorFlow/Keras tensors become NumPy arrays; anything else is returned as is."""
    if isinstance(value, np.ndarray):
        return value
    try:
        return value.numpy() if callable(getattr(value, "numpy", None)) else value
    except Exception:  # an odd object: compare it as it is
        return value


def _number(got: object, name: str) -> tuple[float | None, str | None]:
    """``got`` as a float, or a message saying why it is not a single number."""
    got = _to_numpy(got)
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


#: "Close" means within this fraction of the expected value (relative): 0.5 = 50 %.
CLOSE_FRACTION = 0.5


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
    (50 %) of ``expected``, relative; for ``expected == 0``, within ``10 * atol``."""
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
            f"{name} is {value:.6g}: close (within 50 %), but {direction}, outside the "
            f"tolerance (rtol={rtol:g}, atol={atol:g}). Check for rounding or a small slip."
        )
    if expected != 0 and np.sign(value) != np.sign(expected) and value != 0:
        return f"{name} is {value:.6g}: it has the wrong sign."
    return f"{name} is {value:.6g}: {direction}, and not close (more than 50 % off)."


def _compare_arrays(
    expected: np.ndarray, got, *, rtol, atol, check_dtype, name, element
) -> str | None:
    got = _to_numpy(got)
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
            f"{name} holds {_KIND_NAMES.get(array.dtype.kind, array.dtype.kind)} "
            f"(dtype {array.dtype}); expected {_KIND_NAMES.get(expected.dtype.kind, 'numbers')}."
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
    expected = _to_numpy(expected)
    if isinstance(expected, (bool, np.bool_)):
        got = _to_numpy(got)
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
        got = _to_numpy(got)
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
