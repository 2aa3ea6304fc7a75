"""SimpleRNN vs LSTM vs GRU on five tasks, two sizes and three seeds (lesson 07).

Run from the repository root::

    python -m benchmarks.architecture_grid                      # the full grid
    python -m benchmarks.architecture_grid --tasks co2 --seeds 0   # a slice
    python -m benchmarks.architecture_grid --fresh              # start over

The grid is ``course_utils.lessons.l07_choosing.run_grid``: every cell x task x size x seed with the
task's epoch budget, cells alternating inside each (task, size, seed) so a busy spell
of the machine slows all three alike. Rows are saved after every run, so an
interrupted grid continues when the command is run again. The JSON records the exact
command, the machine, library versions, the dates and the load average before and
after (one entry per invocation under ``"runs"``). Results:
``benchmarks/results/architecture_grid.json``.

Every row records its gradient clipping. A file of the first schema (per-variable
``clipnorm=1``, tasks ``adding_short``/``adding_long``) is migrated in code
(``compare.migrate_grid``) and its rows are kept beside the new global-norm rows;
lesson 07 reads only the rows with the current clipping.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "architecture_grid.json"


def main(argv: list[str] | None = None) -> dict:
    import course_utils
    from course_utils.lessons.l07_choosing import CELLS, TASKS, machine_description, run_grid
    from course_utils.lessons.l07_choosing.tasks import CLIPPING

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
    parser.add_argument("--cells", nargs="+", default=list(CELLS), choices=list(CELLS))
    parser.add_argument("--sizes", nargs="+", type=int, default=[16, 64])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--fresh", action="store_true", help="discard the rows in --out")
    args = parser.parse_args(argv)
    course_utils.setup()
    if "char_lm" in args.tasks:  # a benchmark must not fall back to generated text silently
        from course_utils.core.datasets import load_corpus

        load_corpus("tinyshakespeare", allow_fallback=False, verbose=False)
    if args.fresh and args.out.exists():
        args.out.unlink()
    command = "python -m benchmarks.architecture_grid " + shlex.join(argv or sys.argv[1:])
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    grid = run_grid(
        args.cells, args.tasks, args.sizes, args.seeds, path=args.out, command=command.strip()
    )
    grid.setdefault("load_average", []).append(
        {
            "before": [round(v, 2) for v in load_before],
            "after": [round(v, 2) for v in os.getloadavg()],
        }
    )
    grid.setdefault("runs", []).append(
        {
            "command": command.strip(),
            "machine": machine_description(),
            "started": started,
            "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "clipping": CLIPPING,
        }
    )
    args.out.write_text(json.dumps(grid, indent=1) + "\n")
    print(f"{len(grid['rows'])} rows in {args.out}")
    return grid


if __name__ == "__main__":
    main()
