"""The first code cell of every notebook, kept in one place.

On Google Colab the cell installs the course from its git repository at the
pinned ``REF`` below, *without* extras, so Colab's own TensorFlow is kept (no
second TensorFlow is installed). Everywhere else the course is already
installed by ``make lab``. ``COURSE_REPO_URL`` overrides the repository (tests
point it at a local clone).

After changing ``REPO_URL`` or ``REF`` run ``python -m course_utils.first_cell``
to rewrite the first cell of every notebook; ``tests/test_notebooks_meta.py``
fails while any notebook differs from the template.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

__all__ = ["REPO_URL", "REF", "TEMPLATE", "sync"]

REPO_URL = "https://github.com/rnn-course/rnn-course.git"
REF = "main"

TEMPLATE = f'''\
# Setup (the same first cell in every lesson). On Colab it installs the course once.
import os
import subprocess
import sys

if "google.colab" in sys.modules:
    repo = os.environ.get("COURSE_REPO_URL", "{REPO_URL}")
    pkg = f"rnn-course @ git+{{repo}}@{REF}"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", pkg], check=True)

import course_utils

course_utils.setup()'''


def sync(folder: str | Path = "notebooks") -> list[Path]:
    """Make the first code cell of every notebook under ``folder`` equal the template."""
    changed = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        first = next((c for c in nb.cells if c.cell_type == "code"), None)
        if first is None or first.source != TEMPLATE:
            if first is None:
                nb.cells.insert(0, nbformat.v4.new_code_cell(TEMPLATE))
            else:
                first.source = TEMPLATE
            nbformat.write(nb, path)
            changed.append(path)
    return changed


if __name__ == "__main__":
    for p in sync(sys.argv[1] if len(sys.argv) > 1 else "notebooks"):
        print("updated", p)
