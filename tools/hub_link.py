"""The nbgitpuller link that pulls the course into every learner's JupyterHub server.

    python tools/hub_link.py https://hub.example.edu
    python tools/hub_link.py https://hub.example.edu --branch main --lesson 03

Share the printed link (a QR code, the workshop's chat): each click clones the course, or
updates an earlier copy without overwriting the learner's edits (nbgitpuller merges), into
``~/rnn-course`` and opens the lesson's student edition (``student/NN_...ipynb``, the
exercises without their solutions: what ``make grade ... HUB=1`` grades) in JupyterLab. The hub needs nbgitpuller and the
course's packages in its image: see "On an institution's JupyterHub" in
notebooks/INSTRUCTORS.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
REPO_URL = "https://github.com/rnn-course/rnn-course"
TARGET = "rnn-course"  # the folder nbgitpuller creates in the learner's home
STUDENT = "student"  # the student edition's folder in the course


def lessons() -> list[str]:
    # the student edition's lessons and appendices (06b_...); this script runs as
    # `python tools/hub_link.py`, where the `tools` package is not importable
    patterns = ("[0-9][0-9]_*.ipynb", "[0-9][0-9][a-z]_*.ipynb")
    return sorted(p.name for g in patterns for p in (ROOT / STUDENT).glob(g))


def hub_link(
    hub_url: str, *, repo: str = REPO_URL, branch: str = "main", lesson: str = "00"
) -> str:
    """The ``git-pull`` link for ``hub_url`` that opens ``lesson`` (its two-digit number)
    in the student edition."""
    for name, value in (("hub_url", hub_url), ("repo", repo), ("branch", branch)):
        if not isinstance(value, str) or not value.strip():
            raise TypeError(f"{name} must be a non-empty string; got {value!r}.")
    parts = urlsplit(hub_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"hub_url must be an http(s) address like https://hub.example.edu; got {hub_url!r}."
        )
    if parts.query or parts.fragment:
        raise ValueError(f"hub_url must have no ?query or #fragment; got {hub_url!r}.")
    names = lessons()
    match = [n for n in names if n.startswith(f"{lesson}_")] if isinstance(lesson, str) else []
    if not match:
        numbers = ", ".join(n[:2] for n in names)
        raise ValueError(f"lesson must be one of {numbers}; got {lesson!r}.")
    base = hub_url.rstrip("/")
    if not base.endswith("/hub"):
        base += "/hub"
    query = urlencode(
        {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{TARGET}/{STUDENT}/{match[0]}"},
        quote_via=quote,
        safe="",
    )
    return f"{base}/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/hub_link.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("hub_url", help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--branch", default="main", help="the branch to pull (default: main)")
    parser.add_argument("--lesson", default="00", help="the lesson to open (default: 00)")
    parser.add_argument("--repo", default=REPO_URL, help="the course's git repository")
    args = parser.parse_args(argv)
    try:
        print(hub_link(args.hub_url, repo=args.repo, branch=args.branch, lesson=args.lesson))
    except (TypeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
