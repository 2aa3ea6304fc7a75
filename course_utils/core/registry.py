"""The one registry of the course's cells and tasks, with their display names.

Every lesson, helper, figure and benchmark names a cell or a task by its key here
(``"lstm"``, ``"adding_T50"``) and shows it with :func:`cell_name` / :func:`task_name`;
the number of weight blocks of a recurrent cell (gates plus the candidate, which sets its
parameter count and its multiply-adds per step) comes from :func:`blocks`. The NumPy
engine keeps its own letters for the blocks' order inside a kernel (Keras's order), which
is a layout, not a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_utils.core.validation import check_choice

__all__ = [
    "CELLS",
    "GATED",
    "RECURRENT",
    "TASKS",
    "Cell",
    "blocks",
    "cell_name",
    "task_name",
]


@dataclass(frozen=True)
class Cell:
    """A model the course trains: its display name and, for a recurrent cell, its blocks."""

    name: str
    blocks: int | None  # weight blocks of a recurrent layer (gates + candidate); None: not one
    note: str


CELLS = {
    "simple_rnn": Cell("SimpleRNN", 1, "tanh, Keras's SimpleRNN"),
    "irnn": Cell("IRNN", 1, "ReLU, recurrent weights = identity (Le, Jaitly & Hinton 2015)"),
    "lstm": Cell("LSTM", 4, "input, forget and output gates and the candidate"),
    "gru": Cell("GRU", 3, "update and reset gates and the candidate"),
    "transformer": Cell("Transformer", None, "a small decoder-only Transformer (lesson 06)"),
    "min_gru": Cell("minGRU", None, "update gate and candidate from x_t alone (Feng et al. 2024)"),
}
#: The recurrent cells every comparison runs (IRNN is lesson 03's alone).
RECURRENT = ("simple_rnn", "lstm", "gru")
#: The gated cells.
GATED = ("lstm", "gru")

TASKS = {
    "adding_T10": "adding problem, T=10",
    "adding_T50": "adding problem, T=50",
    "adding_T200": "adding problem, T=200",
    "temporal_order": "temporal order",
    "char_lm": "character model",
    "co2": "CO2 forecast",
}


def cell_name(cell: str) -> str:
    """``"LSTM"`` for ``"lstm"``: how every table, figure and sentence names a cell."""
    return CELLS[check_choice("cell", cell, CELLS)].name


def blocks(cell: str) -> int:
    """Weight blocks of a recurrent ``cell`` (1 SimpleRNN/IRNN, 3 GRU, 4 LSTM)."""
    recurrent = [k for k, c in CELLS.items() if c.blocks is not None]
    return CELLS[check_choice("cell", cell, recurrent)].blocks


def task_name(task: str) -> str:
    """``"adding problem, T=50"`` for ``"adding_T50"``."""
    return TASKS[check_choice("task", task, TASKS)]
