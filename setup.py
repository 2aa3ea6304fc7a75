"""Package layout only; everything else about the project is in pyproject.toml.

The committed benchmark results in ``benchmarks/results/`` are mapped into the
package as ``course_utils._results``, so that a non-editable install (Colab's
``pip install git+...``) ships them; ``course_utils.core.results`` reads them from
either place. pyproject.toml cannot say this: its ``packages.find`` only finds
packages whose folders lie inside ``course_utils/``.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["course_utils*"], exclude=["*.__pycache__"])
    + ["course_utils._results"],
    package_dir={"course_utils._results": "benchmarks/results"},
)
