"""Colab's published runtime lists and the course's pin file, parsed.

``pip-freeze.txt`` (github.com/googlecolab/backend-info) holds ``name==version`` lines, a few
``name @ url`` lines (a wheel's URL, a ``git+`` or ``file://`` reference) and ``#`` comments;
``os-info.txt`` holds one line per system part, among them ``Python 3.13.15``;
``tests/colab_runtime.txt`` holds ``name==version`` lines (a trailing ``  # comment`` allowed)
under a header with one ``# python: X.Y`` line. Any other line raises ValueError naming the
file and the line number: bad input never passes silently. Used by ``tools/colab_drift.py``.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import NamedTuple

__all__ = ["Entry", "minor", "normalize", "parse_os_info", "parse_pins", "parse_requirements"]

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_LINE = re.compile(
    rf"^(?P<name>{_NAME})\s*(?:==\s*(?P<version>\d[\w.+!-]*)|@\s*(?P<url>\S+))"
    r"(?P<comment>\s+#.*)?$"
)


class Entry(NamedTuple):
    """One requirement line: ``version`` is None for a ``name @ url`` line without one."""

    name: str
    version: str | None
    url: str | None
    lineno: int
    comment: str


def normalize(name: str) -> str:
    """PEP 503's form of a package name (``Jupyter_Client`` -> ``jupyter-client``)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str, got {name!r}")
    return re.sub(r"[-_.]+", "-", name).lower()


def _check_text(text, origin) -> None:
    if not isinstance(text, str):
        raise TypeError(f"text must be the str contents of {origin!r}, got {type(text).__name__}")


def _url_version(name: str, url: str) -> str | None:
    """The version in a wheel or sdist file name (``torch-2.11.0%2Bcpu-cp313...`` -> 2.11.0+cpu)."""
    file = urllib.parse.unquote(url.split("#")[0].rsplit("/", 1)[-1])
    found = re.match(r"^(.+?)-(\d[^-]*?)(?:-.*\.whl|\.tar\.gz|\.zip)$", file)
    return found.group(2) if found and normalize(found.group(1)) == normalize(name) else None


def parse_requirements(text: str, origin: str) -> dict[str, Entry]:
    """``name==version`` and ``name @ url`` lines by normalized name; ``#`` lines skipped.

    Any other line, or a name listed twice, raises ValueError naming ``origin`` and the line.
    """
    _check_text(text, origin)
    entries: dict[str, Entry] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(
                f"{origin} line {lineno}: {line!r} is neither 'name==version' nor 'name @ url'"
            )
        name, url = match["name"], match["url"]
        key = normalize(name)
        if key in entries:
            raise ValueError(
                f"{origin} line {lineno}: {name} is listed twice (first on line "
                f"{entries[key].lineno})"
            )
        version = match["version"] or _url_version(name, url)
        entries[key] = Entry(name, version, url, lineno, (match["comment"] or "").strip())
    return entries


def parse_os_info(text: str, origin: str) -> str:
    """Colab's Python version from os-info.txt's one ``Python X.Y.Z`` line."""
    _check_text(text, origin)
    found = re.findall(r"^Python (\d+\.\d+(?:\.\d+)?)\S*\s*$", text, re.M)
    if len(found) != 1:
        raise ValueError(f"{origin} must have one 'Python X.Y.Z' line, found {len(found)}")
    return found[0]


def parse_pins(text: str, origin: str) -> tuple[str, dict[str, Entry]]:
    """(the ``# python: X.Y`` version, the pinned entries) of a pin file."""
    entries = parse_requirements(text, origin)
    found = re.findall(r"^# python: (\d+\.\d+)\s*$", text, re.M)
    if len(found) != 1:
        raise ValueError(f"{origin} must have one '# python: X.Y' line, found {len(found)}")
    unpinned = [e.name for e in entries.values() if e.version is None or e.url]
    if unpinned:
        raise ValueError(f"{origin} must pin each package as name==version, not {unpinned}")
    return found[0], entries


def minor(version: str) -> str:
    """``3.13.15`` -> ``3.13``."""
    return ".".join(version.split(".")[:2])
