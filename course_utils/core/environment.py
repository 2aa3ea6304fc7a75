"""Notebook start-up (:func:`setup`) and the environment check of lesson 00.

Every lesson's first code cell calls :func:`setup`. It seeds Python, NumPy and
Keras, quiets TensorFlow's C++ log lines, sets matplotlib defaults and prints
one line of versions, so a learner who reports a problem can paste it.

It also limits NumPy's BLAS (OpenBLAS) to one thread. The lessons' NumPy
engine multiplies small matrices step by step; with two BLAS threads on a
2-core laptop the threads spend their time waiting for each other, and
lesson 01's word-category section took 5.5-7 min instead of 1.8 min (measured
on a loaded 2-core machine). TensorFlow keeps its own thread pools, unaffected.

We deliberately do *not* set ``TF_ENABLE_ONEDNN_OPTS=0``: it would silence the
"oneDNN custom operations are on" line, but measured here it costs 24-59 % of
training throughput on a CPU.
"""

from __future__ import annotations

import html
import importlib
import os
import platform
import sys
import warnings
from dataclasses import dataclass

import numpy as np

from course_utils.core import config
from course_utils.core.quiet import first_use_notices, load_notices_hidden, quiet_tensorflow
from course_utils.core.validation import check_int

__all__ = [
    "seed_all",
    "setup",
    "check_environment",
    "Check",
    "machine_description",
    "versions_line",
    "OKABE_ITO",
]

#: The Okabe-Ito palette (Okabe & Ito, "Color Universal Design", web guide, 2002/2008): eight
#: colours that stay distinct under the common forms of colour blindness. Yellow, faint on
#: white, comes last; matplotlib's ``C0``...``C7`` are these once :func:`setup` ran.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)


def _device() -> str:
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return f"GPU ({len(gpus)}x)" if gpus else "CPU"


def versions_line() -> str:
    """One line: Python, TensorFlow, Keras, NumPy versions and CPU/GPU."""
    import keras
    import tensorflow as tf

    return (
        f"Python {platform.python_version()} | TensorFlow {tf.__version__} | "
        f"Keras {keras.__version__} | NumPy {np.__version__} | {_device()} | "
        f"mode: {config.mode_name()}"
    )


def _cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_description(*, libraries: bool = True) -> dict:
    """Where something was measured, for benchmark JSON and ``build/timings.json``.

    Platform, CPU model and count, Python; with ``libraries`` (which imports
    TensorFlow) also the NumPy, TensorFlow and Keras versions, Keras's backend and GPUs.
    """
    if not isinstance(libraries, bool):
        raise TypeError(f"libraries must be True or False; got {libraries!r}.")
    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }
    if libraries:
        import keras
        import tensorflow as tf

        info |= {
            "numpy": np.__version__,
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "keras_backend": keras.backend.backend(),
            "gpus": [d.name for d in tf.config.list_physical_devices("GPU")],
        }
    return info


def _matplotlib_defaults() -> None:
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(OKABE_ITO)),  # colour-blind-safe C0...C7
            "image.cmap": "viridis",  # perceptually uniform, readable in grey
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
        }
    )


def seed_all(seed: int) -> int:
    """The course's one way to seed a run: Python's ``random``, NumPy's global generator
    and the Keras backend (``keras.utils.set_random_seed`` seeds all three). Returns the
    checked seed. Every helper that trains a Keras model calls this before building it."""
    import keras

    seed = check_int("seed", seed, minimum=0)
    keras.utils.set_random_seed(seed)  # Python, NumPy and the backend
    return seed


def _import_keras_and_tensorflow():
    try:
        import keras
    except ImportError as error:
        raise ImportError(
            "Keras is not installed. Fix: run `make lab` from the course folder, or "
            "`pip install 'rnn-course[cpu]'` (CPU) / `pip install 'rnn-course[gpu]'` (GPU)."
        ) from error
    try:
        import tensorflow as tf
    except ImportError as error:
        raise ImportError(
            "TensorFlow is not installed. Fix: `pip install tensorflow-cpu` on a laptop, "
            "or `pip install tensorflow` with a GPU (Colab already has it)."
        ) from error
    tf.config.list_physical_devices()  # loads the devices' libraries (more notices) now
    return keras, tf


def setup(seed: int = 0, *, verbose: bool = True) -> None:
    """Prepare a lesson: seed everything, quiet logs, style plots, print versions.

    Prints the versions line (see :func:`versions_line`) and returns nothing, so
    the first cell shows it once. Warns in plain words if Keras is older than 3.
    """
    seed = check_int("seed", seed, minimum=0)
    config.fast_mode()  # fail early on a malformed COURSE_FAST
    quiet_tensorflow()
    with load_notices_hidden():
        keras, tf = _import_keras_and_tensorflow()
        first_use_notices(tf)
    tf.get_logger().setLevel("ERROR")
    major = int(keras.__version__.split(".")[0])
    if major < 3:
        warnings.warn(
            f"This course needs Keras 3, but Keras {keras.__version__} is installed. "
            "Fix: `pip install -U 'keras>=3' 'tensorflow>=2.16'`, then restart the kernel.",
            stacklevel=2,
        )
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")  # small NumPy matmuls: one thread is faster
    seed_all(seed)
    _matplotlib_defaults()
    if verbose:
        print(versions_line())
        if config.fast_mode():
            print(f"*** {config.FAST_NOTE.upper()} ***")


# --------------------------------------------------------------------- checks


@dataclass
class Check:
    """One row of :func:`check_environment`'s table."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _check_module(name: str, minimum: tuple[int, ...], fix: str, label: str) -> Check:
    try:
        module = importlib.import_module(name)
    except Exception as error:  # ImportError, or a broken install
        return Check(label, False, f"not importable ({type(error).__name__})", fix)
    version = getattr(module, "__version__", "0")
    ok = _version_tuple(version) >= minimum
    want = ".".join(map(str, minimum))
    return Check(label, ok, f"{version} (need >= {want})", "" if ok else fix)


def _check_data() -> Check:
    # lazy: `python -m course_utils.core.datasets` would warn that it was imported twice
    from course_utils.core import datasets

    try:
        found = {name: datasets.find(name, verbose=False) for name in datasets.REGISTRY}
    except OSError as error:
        return Check("Data cache", False, str(error), "set COURSE_CACHE_DIR to a writable folder")
    missing = [name for name, where in found.items() if where is None]
    folder = datasets.cache_dir()
    if missing:
        return Check(
            "Data cache",
            False,
            f"not available offline: {', '.join(missing)} (cache: {folder}); lessons fall back "
            "to generated data",
            "python -m course_utils.core.datasets prefetch",
        )
    return Check("Data cache", True, ", ".join(f"{n}: {w[0]}" for n, w in found.items()))


def _checks() -> list[Check]:
    quiet_tensorflow()
    py_ok = sys.version_info >= (3, 10)
    checks = [
        Check(
            "Python",
            py_ok,
            platform.python_version() + " (need >= 3.10)",
            "" if py_ok else "install Python 3.10 or newer, then `make lab`",
        ),
        _check_module("keras", (3, 0), "pip install -U 'keras>=3'", "Keras 3"),
        _check_module("tensorflow", (2, 16), "pip install -U 'tensorflow-cpu>=2.16'", "TensorFlow"),
        _check_module("numpy", (1, 26), "pip install -U numpy", "NumPy"),
        _check_module("matplotlib", (3, 7), "pip install -U matplotlib", "matplotlib"),
        # 7.7 is what Colab ships (its front end renders ipywidgets 7 only); 8 elsewhere.
        _check_module("ipywidgets", (7, 7), "pip install -U 'ipywidgets>=7.7'", "ipywidgets"),
    ]
    in_colab = "google.colab" in sys.modules
    if in_colab:  # never ask a learner to upgrade Colab's widgets: its front end is fixed
        widgets = Check("Widget front end", True, "provided by Colab")
    else:
        widgets = _check_module(
            "jupyterlab_widgets", (1, 0), "pip install -U 'ipywidgets>=8'", "Widget front end"
        )
    checks.append(widgets)
    checks.append(_check_data())
    try:
        checks.append(Check("Device", True, _device()))
    except Exception as error:
        checks.append(Check("Device", False, str(error), "pip install -U tensorflow-cpu"))
    return checks


class EnvironmentReport(list):
    """A list of :class:`Check` that renders as a table (HTML in Jupyter)."""

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self)

    def __str__(self) -> str:
        rows = [
            f"{'OK ' if c.ok else 'FIX'}  {c.name:<17} {c.detail}"
            + (f"\n      -> run: {c.fix}" if c.fix else "")
            for c in self
        ]
        return "\n".join(rows)

    def _repr_html_(self) -> str:
        cells = []
        for c in self:
            # Words, not emoji: every font has them, and they do not rely on colour.
            mark = "<b>OK</b>" if c.ok else "<b>FIX</b>"
            fix = f"<code>{html.escape(c.fix)}</code>" if c.fix else ""
            cells.append(
                f"<tr><td>{mark}</td><td>{html.escape(c.name)}</td>"
                f"<td>{html.escape(c.detail)}</td><td>{fix}</td></tr>"
            )
        head = "<tr><th></th><th>check</th><th>found</th><th>fix</th></tr>"
        return f"<table>{head}{''.join(cells)}</table>"


def check_environment() -> EnvironmentReport:
    """Check what the course needs; each failing row carries the command that fixes it.

    In Jupyter the result displays as a table; elsewhere ``print()`` it.
    """
    return EnvironmentReport(_checks())
