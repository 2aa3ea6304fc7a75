"""The race's Keras backends, as lesson 06's appendix reads them: each contender's speed
check beside the backend it raced on (:func:`speed_checks_table`), and a learner's live run
of the lesson's model set against committed seeds of the same backend
(:func:`compare_live_run`). Which backend each contender raced on is printed under every
race table by :func:`course_utils.textgen.benchmark.race_backends_text`.
"""

from __future__ import annotations

from course_utils.core.evidence import agreement, spread
from course_utils.core.tables import table
from course_utils.core.validation import check_number
from course_utils.textgen.benchmark import LESSON, _runs, _values_at

__all__ = ["compare_live_run", "speed_checks_table"]


def speed_checks_table(checks: dict, race: dict) -> str:
    """Each contender's backend speed check (``benchmarks/textgen_backends.py``, one report
    per contender in ``checks``) beside the backend the race gave it (``race["backends"]``):
    characters per second on each backend, mean ± spread over seeds, and their ratio."""
    if not isinstance(checks, dict) or not checks:
        raise TypeError(f"checks must be a non-empty dict of speed-check reports; got {checks!r}.")
    raced = race.get("backends") or {}
    rows = []
    for name, check in checks.items():
        runs = _runs(check)
        values = {b: [r["chars_per_second"] for r in runs if r.get("backend") == b]
                  for b in ("tensorflow", "jax")}  # fmt: skip
        if not all(values.values()):
            raise ValueError(f"checks[{name!r}] must hold runs of both backends; got {values}.")
        speeds = {b: spread(v) for b, v in values.items()}
        cells = [
            f"{s.mean:,.0f}" + (f" ± {s.std:,.0f}" if s.n > 1 else "") for s in speeds.values()
        ]
        ratio = speeds["jax"].mean / speeds["tensorflow"].mean
        seeds = min(s.n for s in speeds.values())
        when = f"{check.get('minutes', '?'):g} min x {seeds}"
        in_race = [
            r["chars_per_second"]
            for r in race.get("runs", [])
            if r.get("contender") == name and not r.get("disturbed")
        ]
        span = f"{min(in_race):,.0f}-{max(in_race):,.0f}" if in_race else "-"
        backend = raced.get(name, {}).get("backend", "-")
        rows.append([name, when, *cells, f"{ratio:.2f}x", backend, span])
    header = [
        "contender", "runs", "TensorFlow chars/s", "JAX chars/s", "JAX/TF", "raced on",
        "chars/s in the race",
    ]  # fmt: skip
    dates = sorted({str(c.get("date", "?"))[:10] for c in checks.values()})
    return "\n".join([
        table(header, rows),
        "runs: minutes per run x seeds per backend, alternated, each in its own process; "
        f"mean ± spread over seeds; measured {', '.join(dates)}; chars/s in the race: the "
        "range of its runs there, on the backend it raced on",
    ])  # fmt: skip


def compare_live_run(
    report: dict, log, minutes: float, backend: str | None = None, check: dict | None = None
) -> str:
    """Say whether a live run of the lesson's model agrees with the committed seeds.

    ``log`` is the live :class:`~course_utils.textgen.train.TrainingLog`, scored on the
    same test rows. The rule is :func:`course_utils.core.evidence.agreement`; training speed,
    which explains most differences between machines, is compared too. Like for like, the
    seeds are the race's when it trained the model on the live run's Keras backend
    (``backend``; by default this process's), else those of ``check`` on that backend: the
    model's backend speed check (``textgen_backends.json``), the same settings and schedule
    scored on the same rows. Without such runs the comparison says it crosses backends.
    """
    minutes = check_number("minutes", minutes, minimum=0, strict_minimum=True)
    if check is not None and not isinstance(check, dict):
        raise TypeError(f"check must be a textgen_backends JSON dict or None; got {check!r}.")
    if backend is None:
        import keras

        backend = keras.backend.backend()
    mine = [r for r in _runs(report) if r["contender"] == LESSON]
    raced = sorted({r.get("backend", "tensorflow") for r in mine})
    source, dated = "the race's seeds", report
    if raced != [backend]:
        settings = mine[0]["settings"] if mine else None
        same = [
            r
            for r in (_runs(check) if check else [])
            if r.get("backend") == backend and r.get("settings") == settings
        ]
        if same:
            mine, dated = same, check
            source = (
                f"the {backend} seeds of the model's backend speed check (the race ran it on "
                f"{', '.join(raced)}; same settings, schedule and test rows)"
            )
        else:
            source = (
                f"the race's seeds, trained on {', '.join(raced)}, while this run trains on "
                f"{backend}: the backend changes the speed, so agreement is not expected"
            )
    committed = _values_at(mine, minutes)
    if not committed:
        return (
            f"The committed runs have no {minutes:g}-minute score for the lesson's model "
            "(fast mode trains for less): nothing to compare."
        )
    live = log.checkpoints[-1]["bits_per_char"]
    a = agreement(live, committed, metric="bits")
    agrees, low, high = a.agrees, a.low, a.high
    speeds = [r["chars_per_second"] for r in mine]
    seeds = ", ".join(str(r.get("seed", "?")) for r in mine)
    when = str(dated.get("date", "?"))[:10]
    return (
        f"compared with {source}\n"
        f"live run {live:.3f} bits/char; committed seeds {', '.join(f'{v:.3f}' for v in committed)} "
        f"-> {'agrees' if agrees else 'does NOT agree'} (interval {low:.3f}-{high:.3f}; rule: "
        f"{a.rule}).\nTraining speed: live {log.chars_per_second:,.0f} chars/s, committed "
        f"{min(speeds):,.0f}-{max(speeds):,.0f} chars/s (seeds {seeds}, measured {when}); a "
        "faster machine, or the same one at a less busy time, trains on more text in the same "
        "minutes."
    )
