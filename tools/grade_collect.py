"""The grader's first step: which files were submitted, and by whom.

A submissions folder holds anything an LMS or a class produces:

* files, one per learner per lesson, named freely (``alice.ipynb``,
  ``smith_john_12345_00_start_here-1.ipynb``): the learner is the file's name without
  the lesson's notebook name (``alice``, ``smith_john_12345``);
* folders, one per learner (Moodle, Gradescope's ``submission/``): the learner is the
  folder's name, whatever the files inside are called;
* zip files (an LMS download): read as if unpacked where the zip lies (members with
  absolute paths or ``..`` are refused, and so is a zip that unpacks to over 500 MB);
* with ``hub=True``, the learners' homes on a JupyterHub (the nbgitpuller layout): each
  ``HOME/rnn-course/student/*.ipynb`` and ``HOME/rnn-course/notebooks/*.ipynb``, the
  learner being the home folder's name.

A learner's files must lie in their home (with ``hub=True``) or in the submissions
folder: a notebook reached through a symbolic link to a folder elsewhere (a home whose
``rnn-course`` links to another home's) is not read, and its row says so; a link to a
single file is skipped. Hidden files, ``__MACOSX/`` and ``.ipynb_checkpoints/`` are
skipped. Nothing here reads a
notebook's contents; :mod:`tools.grade_identify` does.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

__all__ = ["File", "collect", "learner_of"]

ZIP_LIMIT = 500 * 2**20  # bytes a zip may unpack to
FILE_LIMIT = 50 * 2**20  # bytes one submitted file may have
#: A lesson's notebook name inside a file name: "00_start_here", "06b_benchmark_race".
LESSON_NAME = re.compile(r"(?<![0-9])(\d\d)[a-z]?_[a-z][a-z0-9_]*", re.IGNORECASE)
_SKIP = ("__MACOSX", ".ipynb_checkpoints")
HUB_FOLDERS = ("rnn-course/student", "rnn-course/notebooks")


@dataclass
class File:
    """One submitted file: who sent it, its name as shown in reports, its bytes."""

    learner: str
    name: str  # relative to the submissions folder (a zip member: "class.zip/alice.ipynb")
    data: bytes | None  # None when it could not be read (``problem`` says why)
    modified: float  # seconds since the epoch: the newest of a learner's two copies wins
    problem: str | None = None


def learner_of(relative: PurePosixPath) -> str:
    """The learner a file belongs to, from its path relative to the submissions folder."""
    if len(relative.parts) > 1:
        return relative.parts[0]
    stem = relative.stem
    match = LESSON_NAME.search(stem)
    if match:
        stem = stem[: match.start()].rstrip(" _-.") or stem
    return stem


def _skipped(relative: PurePosixPath) -> bool:
    return any(part.startswith(".") or part in _SKIP for part in relative.parts)


def _from_zip(path: Path, relative: PurePosixPath) -> list[File]:
    parent = relative.parent
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > ZIP_LIMIT:
                problem = f"unpacks to more than {ZIP_LIMIT // 2**20} MB: not opened"
                return [File(learner_of(relative), str(relative), None, 0.0, problem)]
            files = []
            for member in members:
                inner = PurePosixPath(member.filename)
                where = parent / inner
                if inner.is_absolute() or ".." in inner.parts:
                    shown = f"{relative}/{member.filename}"
                    files.append(File(learner_of(relative), shown, None, 0.0, "unsafe path"))
                    continue
                if _skipped(inner):
                    continue
                stamp = datetime(*member.date_time).timestamp()
                files.append(
                    File(learner_of(where), f"{relative}/{inner}", archive.read(member), stamp)
                )
            return files
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        problem = f"not a readable zip file ({error})"
        return [File(learner_of(relative), str(relative), None, 0.0, problem)]


def _read(path: Path, relative: PurePosixPath, learner: str) -> File:
    try:
        size = path.stat().st_size
        if size > FILE_LIMIT:
            problem = f"{size // 2**20} MB, over the {FILE_LIMIT // 2**20} MB limit: not opened"
            return File(learner, str(relative), None, path.stat().st_mtime, problem)
        return File(learner, str(relative), path.read_bytes(), path.stat().st_mtime)
    except OSError as error:
        return File(learner, str(relative), None, 0.0, f"could not be read ({error})")


def _outside(path: Path, root: Path) -> str | None:
    """Why ``path`` is not read when its real place is outside ``root`` (else None)."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as error:  # a dangling link, a loop of links
        return f"could not be read ({error})"
    if real == root or root in real.parents:
        return None
    return f"reached through a link to {real.parent}, outside {root}: not read"


def _checked(path: Path, folder: Path, root: Path, learner: str) -> File:
    """``path`` read as ``learner``'s, if its real place is inside ``root``."""
    relative = PurePosixPath(path.relative_to(folder).as_posix())
    problem = _outside(path, root)
    if problem:
        return File(learner, str(relative), None, 0.0, problem)
    return _read(path, relative, learner)


def _hub_files(folder: Path) -> list[File]:
    files = []
    real = folder.resolve()
    for home in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for sub in HUB_FOLDERS:
            for path in sorted((home / sub).glob("[0-9][0-9]*_*.ipynb")):
                if path.is_symlink():
                    continue  # a link to a single notebook, maybe another home's
                # the home as named in the folder, not where a link named so leads
                files.append(_checked(path, folder, real / home.name, home.name))
    return files


def collect(folder: Path | str, *, hub: bool = False) -> list[File]:
    """Every submitted file under ``folder`` (zips opened), each with its learner."""
    if not isinstance(folder, str | Path):
        raise TypeError(f"folder must be a path; got {type(folder).__name__}.")
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder must be a folder of submissions; got {str(folder)!r}.")
    if hub:
        return _hub_files(folder)
    files = []
    real = folder.resolve()
    for path in sorted(folder.rglob("*")):
        relative = PurePosixPath(path.relative_to(folder).as_posix())
        if path.is_symlink() or not path.is_file() or _skipped(relative):
            continue
        problem = _outside(path, real)  # its real place, whatever rglob follows
        if problem:
            files.append(File(learner_of(relative), str(relative), None, 0.0, problem))
        elif path.suffix.lower() == ".zip":
            files += _from_zip(path, relative)
        else:
            files.append(_read(path, relative, learner_of(relative)))
    return files
