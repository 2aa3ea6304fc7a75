"""Interleaved timing: the one loop that times several contenders against each other.

A shared machine has slow spells. Timing one contender after the other puts a slow spell
on one of them only; timing them in turns, with the order reversed every round (A B,
then B A: "ABBA"), puts it on all of them alike. :func:`interleaved` is that loop; the
statistics core turns timings from several separate processes into a verdict
(:func:`course_utils.core.evidence.time_ratio`). ``benchmarks/timing.py`` runs it in fresh
processes and records the machine's load before and after.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from course_utils.core.evidence import Verdict, time_ratio
from course_utils.core.validation import check_int

__all__ = ["case_verdict", "interleaved", "load_average", "pair_process", "timing_scope"]


def load_average() -> float | None:
    """The machine's 1-minute load average (None where the OS does not report one)."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # Windows
        return None


def interleaved(
    steps: dict[str, Callable[[], None]], *, rounds: int = 7, warmup_rounds: int = 0
) -> dict:
    """Run each contender's ``steps[name]()`` once per round, in turns, the order reversed
    every other round; the first name of ``steps`` starts. Returns ``{"order": [names in
    the order they ran], "seconds": {name: [seconds per round]}}``. Warm each contender up
    before calling this (the first call of a Keras step traces its graph);
    ``warmup_rounds`` more rounds of every contender run first, untimed and unrecorded (the
    caches and the allocator settle), so that no contender gets the cold first slot."""
    if not isinstance(steps, dict) or len(steps) < 2 or not all(map(callable, steps.values())):
        raise TypeError(f"steps must be a dict of 2+ names -> callables; got {steps!r:.80}.")
    rounds = check_int("rounds", rounds, minimum=2)
    names = list(steps)
    for r in range(check_int("warmup_rounds", warmup_rounds, minimum=0)):
        for name in names if r % 2 == 0 else names[::-1]:
            steps[name]()  # untimed
    seconds: dict[str, list[float]] = {name: [] for name in names}
    order: list[str] = []
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            start = time.perf_counter()
            steps[name]()
            seconds[name].append(time.perf_counter() - start)
            order.append(name)
    return {"order": order, "seconds": seconds}


def pair_process(result: dict, a: str, b: str, load: list) -> dict:
    """One process's timings of ``a`` against ``b`` in the form
    :func:`course_utils.core.evidence.time_ratio` reads: ``{"a": [...], "b": [...], "order":
    "ABBA...", "load": [...]}``."""
    if a not in result["seconds"] or b not in result["seconds"]:
        raise ValueError(
            f"a and b must be timed names {sorted(result['seconds'])}; got {a!r}, {b!r}."
        )
    letters = "".join("A" if n == a else "B" for n in result["order"] if n in (a, b))
    return {
        "a": result["seconds"][a],
        "b": result["seconds"][b],
        "order": letters,
        "load": [x for x in load if x is not None],
    }


def timing_scope(timing: dict) -> str:
    """ "committed timing: 2-core CPU, 3 processes x 8 rounds x 20 batches, interleaved,
    2026-12-06" for ``load_results("timing")`` (``benchmarks/timing.py``)."""
    if not isinstance(timing, dict) or not {"machine", "protocol", "date", "cases"} <= set(timing):
        raise TypeError("timing must be the dict load_results('timing') returns.")
    p = timing["protocol"]
    return (
        f"committed timing: {timing['machine'].get('cpu_count', '?')}-core CPU, "
        f"{p['processes']} processes x {p['rounds']} rounds x {p['batches_per_round']} batches, "
        f"interleaved, {timing['date'][:10]}"
    )


def case_verdict(claim: str, timing: dict, case: str, fast: str, slow: str, names) -> Verdict:
    """ "``fast`` trains faster than ``slow``" on one timed ``case`` of
    ``load_results("timing")``, decided over its separate processes by
    :func:`course_utils.core.evidence.time_ratio`."""
    processes = timing["cases"].get(case)
    if not processes:
        raise ValueError(f"case must be timed in timing.json; got {case!r}.")
    records = [pair_process(p, fast, slow, p.get("load", [])) for p in processes]
    return time_ratio(claim, records, names=names, scope=timing_scope(timing))
