"""Run learner code so that nothing it does can crash or hang the notebook.

:func:`call_learner` calls a learner's function under a time limit, captures
what it prints, and turns any exception into an :class:`Outcome`.

The time limit: on Unix, in the main thread (where Jupyter runs cells), a
``SIGALRM`` timer (``signal.setitimer``) interrupts the learner's code, so an
endless loop really stops. The timer repeats every 0.1 s, so a bare
``except:`` in the learner's loop cannot swallow it. Elsewhere (Windows, or a
check run from another thread) the function runs in a daemon thread and we
stop *waiting* after the limit; Python cannot kill a thread, so an endless loop
keeps running in the background until the kernel is restarted. The feedback
says so.

:func:`learner_line` finds, in a traceback, the innermost frame that belongs to
the learner (not to ``course_utils``, the standard library or an installed
package), so the feedback can show the learner's own line.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import sysconfig
import threading
import time
import traceback
from dataclasses import dataclass

__all__ = ["Outcome", "TimeLimitExceeded", "call_learner", "learner_line", "safe_str"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # course_utils/
_LIBRARY_DIRS = tuple(
    {
        os.path.abspath(path)
        for key, path in sysconfig.get_paths().items()
        if key in {"stdlib", "platstdlib", "purelib", "platlib"}
    }
)


class TimeLimitExceeded(BaseException):
    """Raised inside learner code when its time is up (BaseException: not caught by
    ``except Exception``)."""


@dataclass
class Outcome:
    """What happened when the learner's function ran."""

    value: object = None
    error: BaseException | None = None
    timed_out: bool = False
    printed: str = ""  # what the function printed (hidden from the notebook)
    stoppable: bool = True  # False: it timed out in a thread that is still running


def safe_str(error: BaseException) -> str:
    """``"ValueError: message"``, even for exceptions whose ``str()`` fails."""
    try:
        text = str(error)
    except Exception:
        text = "<message could not be shown>"
    name = type(error).__name__
    return f"{name}: {text}" if text else name


# --- the time limit ---------------------------------------------------------


class _Alarm:
    """The SIGALRM handler. The first tick raises TimeLimitExceeded in the learner's
    code; if a later tick finds it still running (a bare ``except:`` swallowed the
    exception), it also turns on a line tracer that raises on the next line, which
    escapes the ``except`` clause that is running."""

    def __init__(self) -> None:
        self.armed = True
        self.ticks = 0
        self.previous_trace = sys.gettrace()
        self.tracing = False

    def _trace(self, frame, event, arg):
        if not self.armed:
            return None
        if event == "line" and not _is_library(frame.f_code.co_filename):
            raise TimeLimitExceeded
        return self._trace

    def __call__(self, signum, frame) -> None:
        if not self.armed:
            return
        self.ticks += 1
        if self.ticks > 1:
            learner_frames = []
            while frame is not None:  # frames already running need their own tracer
                if not _is_library(frame.f_code.co_filename):
                    learner_frames.append(frame)
                frame = frame.f_back
            for learner_frame in learner_frames:
                learner_frame.f_trace = self._trace
            self.tracing = True
            sys.settrace(self._trace)
        raise TimeLimitExceeded


def _disarm(alarm: _Alarm, previous_handler) -> None:
    for _ in range(5):  # a last tick may land in here; try again
        try:
            alarm.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
            if alarm.tracing:
                sys.settrace(alarm.previous_trace)
            return
        except TimeLimitExceeded:
            continue


def _call_with_alarm(function, args: tuple, seconds: float) -> Outcome:
    alarm = _Alarm()
    previous_handler = signal.signal(signal.SIGALRM, alarm)
    previous_delay, previous_interval = signal.getitimer(signal.ITIMER_REAL)
    start = time.monotonic()
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
            value = function(*args)
        finally:
            _disarm(alarm, previous_handler)
    except TimeLimitExceeded:
        _disarm(alarm, previous_handler)
        return Outcome(timed_out=True)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # learner code: anything it raises becomes feedback
        if alarm.ticks:  # it was stopped, then raised something else on the way out
            return Outcome(timed_out=True)
        return Outcome(error=error)
    finally:
        if previous_delay > 0:  # give back an outer timer what is left of it
            left = previous_delay - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), previous_interval)
    if alarm.ticks:  # it swallowed the interrupt and returned: still too slow
        return Outcome(timed_out=True)
    return Outcome(value=value)


def _call_in_thread(function, args: tuple, seconds: float) -> Outcome:
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["value"] = function(*args)
        except BaseException as error:  # reported, not re-raised, in the checking thread
            result["error"] = error

    thread = threading.Thread(target=target, name="exercise-check", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        return Outcome(timed_out=True, stoppable=False)
    if "error" in result:
        return Outcome(error=result["error"])  # type: ignore[arg-type]
    return Outcome(value=result.get("value"))


def _alarm_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def call_learner(function, args: tuple, *, time_limit: float) -> Outcome:
    """Call ``function(*args)``; never raises (except KeyboardInterrupt), never hangs."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        if _alarm_available():
            outcome = _call_with_alarm(function, args, time_limit)
        else:
            outcome = _call_in_thread(function, args, time_limit)
    outcome.printed = buffer.getvalue()
    return outcome


# --- finding the learner's line ---------------------------------------------


def _is_library(filename: str) -> bool:
    if filename.startswith("<frozen") or filename.endswith("internals>"):
        return True
    path = os.path.abspath(filename)
    return path.startswith(_PACKAGE_DIR + os.sep) or any(
        path.startswith(directory + os.sep) for directory in _LIBRARY_DIRS
    )


def _is_notebook_cell(filename: str) -> bool:
    """IPython names cells ``/tmp/ipykernel_<pid>/<hash>.py`` or ``<ipython-input-...>``."""
    parent = os.path.basename(os.path.dirname(filename))
    return parent.startswith("ipykernel_") or filename.startswith("<ipython-input")


def learner_line(error: BaseException) -> str | None:
    """``'File "cell.py", line 3, in step\\n    return h @ W'`` for the learner's
    innermost frame, or ``None`` when the error did not come from learner code."""
    try:
        frames = traceback.extract_tb(error.__traceback__)
    except Exception:
        return None
    for frame in reversed(frames):
        if not _is_library(frame.filename):
            if _is_notebook_cell(frame.filename):
                where = f"Line {frame.lineno} of your cell, in {frame.name}"
            else:
                name = os.path.basename(frame.filename)
                where = f'File "{name}", line {frame.lineno}, in {frame.name}'
            source = (frame.line or "").strip()
            return f"{where}\n    {source}" if source else where
    return None
