"""Compare recurrent cells on the same tasks, budget and machine (lesson 07).

``run_grid`` trains every cell x task x size x seed under one budget, caching rows in
JSON so a re-run continues; ``summarise``, ``decision_table``, ``article_verdicts``
and ``recommend`` turn the rows into decisions. ``benchmarks/architecture_grid.py``
commits the full grid; lesson 07 loads it with :func:`load_grid` and re-runs a slice.
"""

from .analysis import (
    ENOUGH,
    VALUES,
    Recommendation,
    article_verdicts,
    decision_table,
    recommend,
    summarise,
    validate_grid,
)
from .harness import SCHEMA_VERSION, Budget, machine_description, run_grid, run_one
from .report import agreement_lines, decision_markdown, summary_markdown, verdicts_markdown
from .tasks import CELLS, TASKS, TaskSpec, build_model, evaluate, task_data

__all__ = [
    "agreement_lines",
    "decision_markdown",
    "summary_markdown",
    "verdicts_markdown",
    "CELLS",
    "ENOUGH",
    "SCHEMA_VERSION",
    "TASKS",
    "VALUES",
    "Budget",
    "Recommendation",
    "TaskSpec",
    "article_verdicts",
    "build_model",
    "decision_table",
    "evaluate",
    "load_grid",
    "machine_description",
    "recommend",
    "run_grid",
    "run_one",
    "summarise",
    "task_data",
    "validate_grid",
]


def load_grid(name: str = "architecture_grid") -> dict:
    """The committed grid ``benchmarks/results/<name>.json``, checked against the schema."""
    from course_utils.results import load_results

    return validate_grid(load_results(name))
