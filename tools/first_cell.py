"""The first code cell of every notebook, kept in one place.

On Google Colab the cell installs the course from its git repository at the release
tag of the version the notebook was written for (``v`` + the version in
``pyproject.toml``, e.g. ``v0.1.0``), *without* extras, so Colab's own TensorFlow,
Keras, NumPy and ipywidgets are kept: every dependency floor is one Colab already meets
(``tests/colab_runtime.txt``). When that version is already installed (a second lesson in
the same runtime) the cell skips the install and takes seconds. When pip cannot install
the tag (not released yet, or the runtime is offline) the cell stops with one sentence
naming the tag, the repository and what to do, instead of pip's traceback. Everywhere else the
course is already installed by ``make lab``. ``COURSE_REPO_URL`` overrides the
repository (tests point it at a local clone).

Making a release (the tag the cell installs) is described in ``RELEASING.md``. After
changing ``REPO_URL`` or the version, run ``python -m tools.first_cell`` to
rewrite the first cell of every notebook; ``tests/test_notebooks_meta.py`` fails while
any notebook differs from the template.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from course_utils import __version__
from course_utils.core.validation import check_choice

__all__ = ["REPO_URL", "REF", "TEMPLATE", "colab_link", "sync"]

REPO_URL = "https://github.com/rnn-course/rnn-course.git"
#: The git tag the Colab install uses: the release of this version (see RELEASING.md).
REF = f"v{__version__}"

TEMPLATE = f'''\
# Setup (the same first cell in every lesson). On Colab it installs the course once.
import os
import subprocess
import sys
from importlib import metadata

COURSE_VERSION = "{__version__}"
installed = next((d.version for d in metadata.distributions(name="rnn-course")), None)
if "google.colab" in sys.modules and installed != COURSE_VERSION:
    print(f"Installing rnn-course {{COURSE_VERSION}} (once per runtime)...")
    repo = os.environ.get("COURSE_REPO_URL", "{REPO_URL}")
    pkg = f"rnn-course @ git+{{repo}}@v{{COURSE_VERSION}}"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", pkg], capture_output=True)
    if pip.returncode:  # one sentence instead of pip's traceback
        raise SystemExit(
            f"Could not install tag v{{COURSE_VERSION}} of {{repo}}: it may not be released yet, "
            "or this runtime is offline. Ask your instructor for the lesson's release link."
        )

import course_utils

course_utils.setup()'''


def _repo_path() -> str:
    """``owner/name`` of :data:`REPO_URL` on GitHub."""
    return REPO_URL.removesuffix(".git").split("github.com/", 1)[-1]


#: Where CI publishes the executed course (``.github/workflows/site.yml``: GitHub Pages).
SITE_URL = f"https://{REPO_URL.split('github.com/', 1)[1].split('/')[0]}.github.io/{REPO_URL.removesuffix('.git').rsplit('/', 1)[1]}/"


def site_link(notebook: str) -> str:
    """The address of ``notebook``'s executed page on the published site (:data:`SITE_URL`)."""
    if not isinstance(notebook, str) or not notebook.endswith(".ipynb") or "/" in notebook:
        raise ValueError(f"notebook must be a file name like '04_lstm.ipynb'; got {notebook!r}.")
    return SITE_URL + notebook.removesuffix(".ipynb") + ".html"


def colab_link(notebook: str, folder: str = "notebooks") -> str:
    """The address that opens ``<folder>/<notebook>`` of the course in Colab, at the release
    tag this version's first cell installs (``REF``). ``folder`` is ``"notebooks"`` (the
    lessons with solutions) or ``"student"`` (the student edition)."""
    if not isinstance(notebook, str) or not notebook.endswith(".ipynb") or "/" in notebook:
        raise ValueError(f"notebook must be a file name like '04_lstm.ipynb'; got {notebook!r}.")
    check_choice("folder", folder, ("notebooks", "student"))
    return f"https://colab.research.google.com/github/{_repo_path()}/blob/{REF}/{folder}/{notebook}"


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
