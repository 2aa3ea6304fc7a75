"""Where a check's outcome goes: the learner's progress file, and the grader's log.

Every ``check()`` (and every ``hint()``, ``solution()``, ``reference_answer()`` and
``solution_code()``) of a lesson's exercise is recorded, on this machine only; nothing is
sent anywhere.

* **The progress file**: one small JSON file per user, so that
  ``course_utils.progress()`` can say, across sessions, which exercises passed, were
  tried or are untouched. It lives in the user's data folder: ``$XDG_DATA_HOME`` or
  ``~/.local/share/rnn-course/progress.json`` on Linux,
  ``~/Library/Application Support/rnn-course/`` on macOS, ``%APPDATA%\\rnn-course\\``
  on Windows, and on Colab in the runtime, ``/content/rnn-course-progress.json``
  (deleted with the runtime; :data:`COLAB_DOWNLOAD` is the one line that downloads it).
  ``COURSE_RECORD_FILE=path`` puts it elsewhere; **``COURSE_RECORD=off``** (or ``0``,
  ``false``, ``no``) switches recording off: in a notebook, ``%env COURSE_RECORD=off``
  in a cell (settings are read at each event), or the variable set before Jupyter
  starts. Each check also records its notebook's name and its cell's id when the front
  end tells the kernel (JupyterLab does), for the report's links.
* **The grader's log** (``tools/grade.py``): when ``COURSE_GRADER_LOG`` names a file,
  each event is appended to it as one JSON line (the lesson, the exercise, the status,
  the feedback's text and the number of the cell that ran it), so that the grader reads
  the outcomes the course's own checks produced, even from a notebook stopped midway.

Settings are read at each event. Recording never stops a notebook: a folder that cannot
be written, a corrupt file (moved aside to ``progress.json.corrupt``) or anything else
warns once per problem and the check carries on.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import warnings
from datetime import datetime, timezone
from pathlib import Path

__all__ = [
    "COLAB_DOWNLOAD",
    "FORMAT",
    "GRADER_LOG",
    "load_progress",
    "progress_path",
    "record",
    "recording",
]

FORMAT = 1  # the progress file's "format"; a file of another format is set aside
GRADER_LOG = "COURSE_GRADER_LOG"
COLAB_FILE = "/content/rnn-course-progress.json"
COLAB_DOWNLOAD = f'from google.colab import files; files.download("{COLAB_FILE}")'
_OFF = {"0", "off", "false", "no"}
_ON = {"", "1", "on", "true", "yes"}
_warned: set[str] = set()


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, RuntimeWarning, stacklevel=3)


def recording() -> bool:
    """Whether checks record their outcome in the progress file (``COURSE_RECORD``)."""
    raw = os.environ.get("COURSE_RECORD", "").strip().lower()
    if raw not in _OFF | _ON:
        _warn_once(
            f"value:{raw}",
            f"COURSE_RECORD={raw!r} is neither on nor off; expected one of "
            f"{sorted(_OFF | _ON - {''})}. Recording stays on.",
        )
    return raw not in _OFF


def progress_path() -> Path:
    """Where the progress file is (whether or not it exists, or recording is on)."""
    override = os.environ.get("COURSE_RECORD_FILE", "").strip()
    if override:
        return Path(override).expanduser()
    if "google.colab" in sys.modules:
        return Path(COLAB_FILE)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "rnn-course" / "progress.json"


def _empty() -> dict:
    return {"format": FORMAT, "lessons": {}}


def load_progress(path: Path | None = None) -> dict:
    """The progress file's contents (an empty record when there is none, or it is corrupt)."""
    path = progress_path() if path is None else Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return _empty()
    except ValueError as error:  # not JSON, or not UTF-8
        _set_aside(path, f"could not be read ({error})")
        return _empty()
    except OSError as error:  # not readable: leave it as it is
        _warn_once(f"read:{path}", f"Progress file {path} could not be read ({error}).")
        return _empty()
    if not (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and isinstance(data.get("lessons"), dict)
    ):
        _set_aside(path, "is not a progress file of this course version")
        return _empty()
    return data


def _set_aside(path: Path, why: str) -> None:
    aside = path.with_name(path.name + ".corrupt")
    try:
        os.replace(path, aside)
        where = f"moved to {aside}"
    except OSError:
        where = "left as it is"
    _warn_once(f"{path}:{why}", f"Progress file {path} {why}: {where}; starting a new one.")


def _save(path: Path, data: dict) -> None:
    """Write ``data`` atomically (a temporary file beside it, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".progress-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cell() -> tuple[int | None, str | None]:
    """The number of the running cell (``In [n]``) and its notebook's name, when known.

    The number is read from the input history, not from ``execution_count``: IPython
    stores the running cell's input (``In[n]``) before running it in every version,
    while when it increments ``execution_count`` changed (before the learner's code
    since IPython 9.8, ipython PR #15088; after it in IPython 8, which the lock pins
    for Python 3.10).
    """
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if shell is None:
        return None, None
    namespace = getattr(shell, "user_ns", {})
    notebook = namespace.get("__session__") or namespace.get("__vsc_ipynb_file__")
    name = Path(notebook).name if isinstance(notebook, str) and notebook else None
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    count = len(history) - 1 if isinstance(history, list) else None  # In[0] is ""
    return (count if count else None), name


def _cell_id() -> str | None:
    """The running cell's id, when the front end sends it with the execution request
    (JupyterLab does, as ``cellId`` in the request's metadata; ipykernel keeps it)."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    try:
        metadata = shell.kernel.get_parent().get("metadata") or {}
    except Exception:  # no kernel (a terminal, a test), or an ipykernel before 6
        return None
    value = metadata.get("cellId")
    return value if isinstance(value, str) and value else None


def _update(entry: dict, exercise, event: str, status: str | None, notebook) -> None:
    entry.setdefault("status", "untouched")
    entry.setdefault("attempts", 0)
    entry["hints"] = max(entry.get("hints", 0), exercise.hints_seen)
    entry["solution_seen"] = bool(entry.get("solution_seen")) or exercise.solution_seen
    if notebook:
        entry["notebook"] = notebook
    entry["last"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if event != "check" or status == "not_attempted":
        return
    cell_id = _cell_id()
    if cell_id:
        entry["cell_id"] = cell_id  # the check's cell, for a link to it
    entry["attempts"] += 1
    entry["last_status"] = status
    if status == "correct":
        entry["status"] = "passed"
    elif status == "noted" and entry["status"] != "passed":
        entry["status"] = "answered"
    elif entry["status"] == "untouched":
        entry["status"] = "tried"


def _to_progress_file(exercise, event: str, status: str | None, notebook) -> None:
    if not recording():
        return
    if event == "check" and status == "not_attempted":
        return  # running the stub as it ships touches nothing
    path = progress_path()
    try:
        data = load_progress(path)
        lesson = data["lessons"].setdefault(exercise.lesson, {})
        _update(lesson.setdefault(exercise.name, {}), exercise, event, status, notebook)
        _save(path, data)
    except Exception as error:  # a read-only home, a full disk: the check goes on
        _warn_once(
            f"write:{path}",
            f"Your progress could not be saved to {path} ({error}); the checks work as "
            "before. Set COURSE_RECORD_FILE to a writable file, or COURSE_RECORD=off.",
        )


def _to_grader_log(exercise, event: str, feedback, cell: int | None) -> None:
    log = os.environ.get(GRADER_LOG, "").strip()
    if not log:
        return
    line = {
        "event": event,
        "lesson": exercise.lesson,
        "exercise": exercise.name,
        "status": getattr(feedback, "status", None),
        "text": feedback.text()[:4000] if feedback is not None else "",
        "cell": cell,
        "hints": exercise.hints_seen,
        "solution_seen": exercise.solution_seen,
    }
    try:
        with open(log, "a", encoding="utf-8") as file:
            file.write(json.dumps(line) + "\n")
    except Exception as error:
        _warn_once(f"log:{log}", f"The grader's log {log} could not be written ({error}).")


def record(exercise, event: str, feedback=None) -> None:
    """Record ``event`` of ``exercise``: ``"check"``, ``"hint"``, ``"solution"``,
    ``"reference_answer"`` or ``"solution_code"``.

    Only a lesson's exercises (those with a ``lesson``, set by
    :func:`~course_utils.exercises.core.progress_for`) are recorded. Never raises.
    """
    try:
        if getattr(exercise, "lesson", None) is None:
            return
        status = getattr(feedback, "status", None)
        cell, notebook = _cell()
        _to_grader_log(exercise, event, feedback, cell)
        _to_progress_file(exercise, event, status, notebook)
    except Exception as error:  # recording must never crash a learner's notebook
        _warn_once(f"record:{type(error).__name__}", f"Progress not recorded ({error}).")
