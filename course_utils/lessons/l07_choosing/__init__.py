"""Compare recurrent cells on the same tasks, budget and machine (lesson 07).

The character task also runs a fourth model, a small Transformer (``CELL_TASKS``); the
decision table, the advice and the recommender choose among the recurrent cells only.

``run_grid`` trains every cell x task x size x seed under one budget, caching rows in
JSON so a re-run continues; ``summarise``, ``decision_table`` and ``advice_verdicts``
turn the rows into verdicts (:mod:`course_utils.verdicts`), and ``recommend`` answers
a question about a new problem. ``benchmarks/architecture_grid.py`` commits the full
grid and ``benchmarks/architecture_probes.py`` two follow-ups (learning rate on
temporal order, a dataset-size sweep); lesson 07 loads them with :func:`load_grid`
and :func:`load_probes` and re-runs one slice live.
"""

from course_utils.lessons.l07_choosing.advice import (
    Recommendation,
    data_sweep_verdicts,
    lesson_verdicts,
    order_lr_verdicts,
    overfitting_verdict,
    recommend,
    sweep_scope,
)
from course_utils.lessons.l07_choosing.analysis import (
    NAMES,
    VALUES,
    current_rows,
    decision_table,
    gap_share,
    grid_scope,
    multiply_adds,
    pareto_front,
    recurrent_only,
    simple_rnn_verdict,
    summarise,
    validate_grid,
)
from course_utils.lessons.l07_choosing.claims import (
    advice_verdicts,
    ratio_verdict,
    transformer_verdicts,
)
from course_utils.lessons.l07_choosing.committed import load_grid, load_probes
from course_utils.lessons.l07_choosing.harness import (
    SCHEMA_VERSION,
    migrate_grid,
    run_grid,
    run_one,
)
from course_utils.lessons.l07_choosing.report import (
    agreement_lines,
    decision_markdown,
    summary_markdown,
)
from course_utils.lessons.l07_choosing.tasks import (
    CELL_TASKS,
    CELLS,
    CLIPPING,
    RENAMED,
    TASKS,
    TaskSpec,
    build_model,
    evaluate,
    runs_on,
    task_data,
)

__all__ = [
    "agreement_lines",
    "decision_markdown",
    "summary_markdown",
    "CELLS",
    "CELL_TASKS",
    "CLIPPING",
    "NAMES",
    "RENAMED",
    "SCHEMA_VERSION",
    "TASKS",
    "VALUES",
    "Recommendation",
    "TaskSpec",
    "advice_verdicts",
    "build_model",
    "current_rows",
    "data_sweep_verdicts",
    "decision_table",
    "evaluate",
    "runs_on",
    "gap_share",
    "grid_scope",
    "lesson_verdicts",
    "load_grid",
    "load_probes",
    "migrate_grid",
    "multiply_adds",
    "order_lr_verdicts",
    "overfitting_verdict",
    "pareto_front",
    "ratio_verdict",
    "recommend",
    "recurrent_only",
    "run_grid",
    "run_one",
    "simple_rnn_verdict",
    "summarise",
    "sweep_scope",
    "task_data",
    "transformer_verdicts",
    "validate_grid",
]
