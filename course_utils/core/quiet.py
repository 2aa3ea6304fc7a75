"""A quiet start: what TensorFlow prints while it loads, held back, and nothing else.

:func:`quiet_tensorflow` sets ``TF_CPP_MIN_LOG_LEVEL`` (and Keras's backend) before
TensorFlow is imported; :func:`load_notices_hidden` holds back the notices TensorFlow's C++
side prints before it reads that variable (:data:`LOAD_NOTICES`), and passes on anything
else; :func:`first_use_notices` makes the notices TensorFlow prints once per process, on
first use of an op, appear while they are held back. :func:`course_utils.core.environment.setup`
uses all three, so a lesson's first cell prints only its versions line and no later cell
prints a notice.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile

__all__ = ["LOAD_NOTICES", "first_use_notices", "load_notices_hidden", "quiet_tensorflow"]


def quiet_tensorflow() -> None:
    """Set what TensorFlow reads when it loads: its C++ log level and Keras's backend."""
    # Must happen before TensorFlow is imported for the first time to take effect.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide INFO and WARNING from C++
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")


#: What TensorFlow's C++ side prints while it loads, before its logging reads
#: ``TF_CPP_MIN_LOG_LEVEL`` (so that variable cannot hide them): notices, not problems.
LOAD_NOTICES = (
    "All log messages before absl::InitializeLog() is called",
    "oneDNN custom operations are on",
    "This TensorFlow binary is optimized to use available CPU instructions",
    "To enable the following instructions:",
    "Unable to register cuDNN factory",
    "Unable to register cuFFT factory",
    "Unable to register cuBLAS factory",
    "computation placer already registered",
    # once per process, on a CPU without AVX-512, on first use of a boolean op oneDNN
    # could run (see first_use_notices); the Eigen kernel it falls back to is TensorFlow's
    # usual one, so nothing is wrong
    "oneDNN supports DT_BOOL only on platforms with AVX-512",
)


def first_use_notices(tf) -> None:
    """Run, now, the ops whose first use makes TensorFlow print a once-per-process notice,
    so that they print it while :func:`load_notices_hidden` holds it back: oneDNN's
    DT_BOOL notice comes the first time a boolean tensor is transposed, as every masked
    recurrent layer does (lesson 06's word model did it in the middle of a ``fit``)."""
    tf.transpose(tf.constant([[True, False]]))  # (1, 2) -> (2, 1), bool


@contextlib.contextmanager
def load_notices_hidden():
    """Hold the process's stderr (file descriptor 2, where C++ writes) in a file while
    TensorFlow loads, then pass on every line but the :data:`LOAD_NOTICES`, so a real
    error still shows. Where fd 2 cannot be redirected, nothing is hidden."""
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr (e.g. pythonw on Windows)
        yield
        return
    with tempfile.TemporaryFile() as held:
        sys.stderr.flush()
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            lines = held.read().decode("utf-8", errors="replace").splitlines()
            kept = [ln for ln in lines if ln.strip() and not any(n in ln for n in LOAD_NOTICES)]
            if kept:
                print("\n".join(kept), file=sys.stderr)
