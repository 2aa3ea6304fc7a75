"""Course data: a registry, verified downloads, a cache, and an offline fallback.

Where a dataset is looked for, in order:

1. ``$COURSE_DATA_DIR`` (a folder an instructor or CI prepared);
2. the repository's ``datasets/`` folder (when running from a clone);
3. the per-user cache, ``$COURSE_CACHE_DIR`` or ``~/.cache/rnn-course``.

A copy is used only if its sha256 matches the registry. Downloads go to the
cache only: they show a progress bar, are hashed while written to a temporary
file and renamed into place only when complete and correct, so an interrupted
or corrupted transfer never leaves a file behind, and no file of the user's is
ever overwritten. With no network (or ``COURSE_OFFLINE=1``), :func:`load_corpus`
says so plainly and falls back to a corpus that the course generates itself
(:mod:`course_utils.core.grammar`).

Instructors, before a workshop::

    python -m course_utils.core.datasets prefetch   # download and verify everything
    python -m course_utils.core.datasets list       # what is cached where
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from course_utils.core.grammar import corpus_text
from course_utils.core.validation import check_choice

__all__ = [
    "Dataset",
    "Corpus",
    "DatasetError",
    "REGISTRY",
    "search_dirs",
    "cache_dir",
    "find",
    "fetch",
    "load_corpus",
    "sha256_of",
]

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Dataset:
    """One registry entry."""

    name: str
    filename: str
    url: str
    sha256: str
    size: int
    license: str
    description: str


@dataclass(frozen=True)
class Corpus:
    """A loaded text corpus and where it came from.

    ``source`` is one of ``"COURSE_DATA_DIR"``, ``"datasets/"``, ``"cache"``,
    ``"download"`` or ``"generated"`` (the offline fallback).
    """

    name: str
    text: str
    source: str
    path: Path | None

    @property
    def is_fallback(self) -> bool:
        return self.source == "generated"


class DatasetError(RuntimeError):
    """A dataset could not be obtained; the message says why and how to fix it."""


REGISTRY: dict[str, Dataset] = {
    "tinyshakespeare": Dataset(
        name="tinyshakespeare",
        filename="tinyshakespeare.txt",
        url="https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
        sha256="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
        size=1_115_394,
        license="Public domain (Shakespeare's plays); compiled by A. Karpathy for char-rnn",
        description="40,000 lines of Shakespeare, 1.1 MB of text: lesson 06's character model.",
    ),
}

FALLBACK_NOTE = (
    "the course's own generated corpus (Elman-style sentence grammar, course_utils.core.grammar)"
)


def sha256_of(path: str | os.PathLike) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_dir() -> Path:
    """The per-user cache folder (``$COURSE_CACHE_DIR`` or ``~/.cache/rnn-course``)."""
    override = os.environ.get("COURSE_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rnn-course"


def _repo_datasets_dir() -> Path | None:
    """The clone's ``datasets/`` folder; None in a non-editable install, where the folder
    beside the package is site-packages (whose ``datasets`` may be another library)."""
    root = Path(__file__).resolve().parents[2]
    candidate = root / "datasets"
    return candidate if (root / "pyproject.toml").is_file() and candidate.is_dir() else None


def search_dirs() -> list[tuple[str, Path]]:
    """The folders searched, in order, as ``(label, path)`` pairs."""
    dirs = []
    if os.environ.get("COURSE_DATA_DIR"):
        dirs.append(("COURSE_DATA_DIR", Path(os.environ["COURSE_DATA_DIR"]).expanduser()))
    repo = _repo_datasets_dir()
    if repo is not None:
        dirs.append(("datasets/", repo))
    dirs.append(("cache", cache_dir()))
    return dirs


def _entry(name: str) -> Dataset:
    check_choice("dataset name", name, REGISTRY)
    return REGISTRY[name]


def find(name: str, *, verbose: bool = True) -> tuple[str, Path] | None:
    """Return ``(label, path)`` of the first verified local copy, or ``None``.

    A copy whose checksum is wrong is reported and skipped, never used.
    """
    entry = _entry(name)
    for label, folder in search_dirs():
        path = folder / entry.filename
        if not path.is_file():
            continue
        if sha256_of(path) == entry.sha256:
            return label, path
        if verbose:
            print(
                f"Ignoring {path}: its sha256 does not match the registry for {name!r} "
                f"(expected {entry.sha256[:12]}...). Delete or replace it with the right file.",
                file=sys.stderr,
            )
    return None


def _progress(total: int, desc: str):
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, unit="B", unit_scale=True, desc=desc, leave=False)


def _download(url: str, target: Path, entry: Dataset, timeout: float) -> None:
    """Stream ``url`` into ``target`` atomically, checking size and sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{entry.filename}.", suffix=".part", delete=False
    )
    temp = Path(handle.name)
    digest, received = hashlib.sha256(), 0
    try:
        with handle, urllib.request.urlopen(url, timeout=timeout) as response:
            bar = _progress(int(response.headers.get("Content-Length") or entry.size), entry.name)
            while block := response.read(CHUNK):
                handle.write(block)
                digest.update(block)
                received += len(block)
                if bar is not None:
                    bar.update(len(block))
            if bar is not None:
                bar.close()
        if received != entry.size:
            raise DatasetError(
                f"Download of {entry.name!r} from {url} stopped after {received:,} of "
                f"{entry.size:,} bytes; nothing was saved. Try again on a steadier connection."
            )
        if digest.hexdigest() != entry.sha256:
            raise DatasetError(
                f"Download of {entry.name!r} from {url} has sha256 {digest.hexdigest()}, "
                f"expected {entry.sha256}; nothing was saved. The server may have changed the "
                "file: report it, or put a verified copy in $COURSE_DATA_DIR."
            )
        os.replace(temp, target)  # atomic on one file system
    finally:
        temp.unlink(missing_ok=True)


def fetch(name: str, *, url: str | None = None, timeout: float = 30.0) -> Path:
    """Return the path of a verified copy of dataset ``name``, downloading it if needed.

    Raises ``ValueError`` for an unknown name (listing the known ones) and
    :class:`DatasetError` when no verified copy can be had.
    """
    entry = _entry(name)
    found = find(name)
    if found is not None:
        return found[1]
    if os.environ.get("COURSE_OFFLINE", "").strip() not in ("", "0"):
        raise DatasetError(f"{name!r} is not cached and COURSE_OFFLINE is set.")
    target = cache_dir() / entry.filename
    if target.exists():  # a wrong file in our cache: keep it aside, never overwrite it
        target.rename(target.with_name(target.name + ".bad-checksum"))
    source = url or entry.url
    try:
        _download(source, target, entry, timeout)
    except (urllib.error.URLError, OSError, TimeoutError, http.client.HTTPException) as error:
        raise DatasetError(
            f"Could not download {name!r} from {source}: {error}. If you are offline, run "
            "`python -m course_utils.core.datasets prefetch` when you have a connection, or copy "
            f"{entry.filename} into a folder and set COURSE_DATA_DIR to it."
        ) from error
    return target


def _fallback_text() -> str:
    return corpus_text(n_sentences=60_000, seed=0)


def load_corpus(
    name: str, *, url: str | None = None, allow_fallback: bool = True, verbose: bool = True
) -> Corpus:
    """Load a text dataset; offline, fall back to the course's generated corpus.

    The fallback is announced in plain words, and ``Corpus.source`` is
    ``"generated"`` so that a lesson can say which data it trained on.
    """
    _entry(name)
    found = find(name, verbose=verbose)
    if found is not None:
        label, path = found
        return Corpus(name, path.read_text(encoding="utf-8"), label, path)
    try:
        path = fetch(name, url=url)
    except DatasetError as error:
        if not allow_fallback:
            raise
        if verbose:
            print(f"OFFLINE: {error}\nFalling back to {FALLBACK_NOTE}.", file=sys.stderr)
        return Corpus(name, _fallback_text(), "generated", None)
    return Corpus(name, path.read_text(encoding="utf-8"), "download", path)


# --------------------------------------------------------------------------- CLI


def _cmd_list() -> int:
    print("Search order: " + " -> ".join(f"{label} ({path})" for label, path in search_dirs()))
    for name, entry in REGISTRY.items():
        found = find(name)
        where = f"{found[0]}: {found[1]}" if found else "not available offline yet"
        print(f"  {name:<18} {entry.size / 1e6:6.2f} MB  {where}")
    return 0


def _cmd_prefetch(names: list[str]) -> int:
    failures = 0
    for name in names or list(REGISTRY):
        try:
            print(f"{name}: {fetch(name)}")
        except (DatasetError, ValueError) as error:
            print(f"{name}: FAILED: {error}", file=sys.stderr)
            failures += 1
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.core.datasets",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="show what is cached where")
    prefetch = sub.add_parser("prefetch", help="download and verify datasets into the cache")
    prefetch.add_argument("names", nargs="*", help=f"default: all of {sorted(REGISTRY)}")
    args = parser.parse_args(argv)
    return _cmd_list() if args.command == "list" else _cmd_prefetch(args.names)


if __name__ == "__main__":
    sys.exit(main())
