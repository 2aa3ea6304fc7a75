"""SimpleRNN vs LSTM vs GRU on five tasks, two sizes and three seeds (lesson 07).

Run from the repository root::

    python -m benchmarks.architecture_grid                      # the full grid
    python -m benchmarks.architecture_grid --tasks co2 --seeds 0   # a slice
    python -m benchmarks.architecture_grid --fresh              # start over
    python -m benchmarks.architecture_grid --smoke --out /tmp/g.json   # the smallest run

The grid is ``course_utils.lessons.l07_choosing.run_grid``: every cell x task x size x seed with the
task's epoch budget, cells alternating inside each (task, size, seed) so a busy spell
of the machine slows all three alike. Rows are saved after every run, so an
interrupted grid continues when the command is run again (``--resume`` is the default).
The JSON starts with the header of ``benchmarks/common.py`` (command, machine, date,
commit, load average before and after each run); ``"runs"`` keeps one entry per
invocation (its header, ``started``, ``finished`` and clipping), and ``created`` and
``updated`` say when the file was begun and last written. Results:
``benchmarks/results/architecture_grid.json``. ``--smoke`` trains a GRU of 4 units for
one epoch on the adding problem (T=10) in fast mode (its rows say ``"fast": true``).

Every row records its gradient clipping. A file of the first schema (per-variable
``clipnorm=1``, tasks ``adding_short``/``adding_long``) is migrated in code
(``compare.migrate_grid``) and its rows are kept beside the new global-norm rows;
lesson 07 reads only the rows with the current clipping.
"""

from __future__ import annotations

from benchmarks import common

RESULTS = common.RESULTS / "architecture_grid.json"


def main(argv: list[str] | None = None) -> dict:
    import course_utils
    from course_utils.core.training import Budget
    from course_utils.lessons.l07_choosing import CELLS, SCHEMA_VERSION, TASKS, run_grid
    from course_utils.lessons.l07_choosing.tasks import CLIPPING

    parser = common.Parser(
        "architecture_grid",
        __doc__,
        out=RESULTS,
        smoke={"tasks": ["adding_T10"], "cells": ["gru"], "sizes": [4], "seeds": [0]},
        resume=True,
    )
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
    parser.add_argument("--cells", nargs="+", default=list(CELLS), choices=list(CELLS))
    parser.add_argument("--sizes", nargs="+", type=int, default=[16, 64])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    args = parser.parse_args(argv)
    course_utils.setup()
    if "char_lm" in args.tasks:  # a benchmark must not fall back to generated text silently
        from course_utils.core.datasets import load_corpus

        load_corpus("tinyshakespeare", allow_fallback=False, verbose=False)
    report = common.header(args.command, load=True)
    grid = {**report, "schema": SCHEMA_VERSION, "created": report["date"]}
    grid |= {"updated": report["date"], "rows": [], "runs": []}
    if args.resume:  # run_grid skips the rows the file already has
        common.resume(grid, args.out, keep=["schema", "created", "updated", "rows", "runs"])
    common.write(args.out, grid)
    grid = run_grid(
        None if args.cells == list(CELLS) else args.cells,  # all: each on the tasks it runs on
        args.tasks,
        args.sizes,
        args.seeds,
        Budget(epochs=1) if args.smoke else None,
        path=args.out,
        fast=args.smoke,
        command=args.command,
    )
    entry = {key: report[key] for key in common.HEADER}
    grid["runs"].append(
        entry | {"started": report["date"], "finished": common.now(), "clipping": CLIPPING}
    )
    common.record_load(grid)
    common.write(args.out, grid)
    print(f"{len(grid['rows'])} rows in {args.out}")
    return grid


if __name__ == "__main__":
    main()
