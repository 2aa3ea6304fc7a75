"""Lesson 04's verdicts: each claim the lesson tests, decided from what was measured.

Every function returns :class:`course_utils.core.evidence.Verdict` objects, shown in the
lesson with ``show_verdicts`` and rendered into its summary with ``show_summary``:

* :func:`solved_verdict` - did a live run solve the adding problem (``SOLVED_MSE``)?
* :func:`gate_verdicts` - section 2: does the memory unit's forget gate stay near 1 over
  the hold span, and does its input gate open at the markers?
* :func:`reach_verdicts` - section 3: does the LSTM's gradient reach further back than
  the SimpleRNN's, untrained and trained?
* :func:`forget_bias_verdicts` - section 4, from the committed ``forget_bias`` benchmark.
* :func:`lesson04_summary_verdicts` and :data:`SUMMARY_POINTS` - the lesson's summary.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import Verdict, compare_seeds, observation, per_seed, seeds_text
from course_utils.core.validation import check_array, check_number
from course_utils.tasks.adding import SOLVED_MSE

__all__ = [
    "SUMMARY_POINTS",
    "epochs_to_solve",
    "forget_bias_scope",
    "forget_bias_verdicts",
    "gate_verdicts",
    "lesson04_summary_verdicts",
    "reach_verdicts",
    "solved_verdict",
]

#: What lesson 04's summary states whatever was measured (definitions, what was built).
SUMMARY_POINTS = (
    "An LSTM adds a cell state c_t to the hidden state. Three sigmoid gates decide per unit "
    "and per step what to write (i_t), what to keep (f_t) and what to show (o_t); the "
    "candidate g_t is what could be written.",
    "The path from c_{t-1} to c_t is an elementwise product with f_t: no matrix, no "
    "squashing. With f_t near 1 a value, and its gradient, passes through many steps; "
    "0.95 per step keeps under 8 % after 50 steps.",
    "An LSTM has 4(nm + n^2 + n) parameters; Keras packs the four blocks side by side in "
    "the order i, f, c, o. Every model here clips gradients by their global norm "
    "(global_clipnorm = 1), as lesson 03 does.",
)


def _scope(scope) -> str:
    if not isinstance(scope, str):
        raise TypeError(f"scope must be a str; got {type(scope).__name__} {scope!r}.")
    return scope


def solved_verdict(history, *, label: str = "The LSTM", scope: str = "") -> Verdict:
    """ "<label> solves the adding problem": the final validation MSE of ``history`` (one
    value per epoch) is below ``SOLVED_MSE`` (1/60)."""
    values = check_array("history", np.asarray(history, dtype=float), ndim=1, dims="(epochs,)")
    if values.size == 0:
        raise ValueError("history must hold at least one epoch; got none.")
    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__} {label!r}.")
    below = np.flatnonzero(values < SOLVED_MSE)
    when = f"first below at epoch {below[0] + 1}" if below.size else "never below"
    return observation(
        f"{label} solves the adding problem",
        f"final validation MSE {values[-1]:.4f} after {values.size} epochs ({when})",
        seen=bool(values[-1] < SOLVED_MSE),
        rule=f"the final MSE is below {SOLVED_MSE:.4f} (1/60, a tenth of the baseline 1/6)",
        scope=_scope(scope),
    )


def gate_verdicts(
    summary: dict, *, scope: str = "", forget_level: float = 0.95, input_ratio: float = 10.0
) -> list[Verdict]:
    """Section 2's two verdicts from ``course_utils.gates.gate_summary`` of the memory unit.

    1. Its forget gate stays near 1 (above ``forget_level``) on average over the hold span.
    2. Its input gate opens at the marked steps: more than ``input_ratio`` times its mean
       over the hold span.
    """
    if not isinstance(summary, dict):
        raise TypeError(f"summary must be the dict gate_summary() returns; got {summary!r:.80}.")
    for key in ("forget_hold", "input_marked", "input_hold"):
        if key not in summary:
            raise ValueError(f"summary must have {key!r} (gate_summary() gives it).")
    forget_level = check_number("forget_level", forget_level, minimum=0.0, maximum=1.0)
    input_ratio = check_number("input_ratio", input_ratio, minimum=0.0, strict_minimum=True)
    scope = _scope(scope)
    forget, marked, hold = summary["forget_hold"], summary["input_marked"], summary["input_hold"]
    return [
        observation(
            "The memory unit's forget gate stays near 1 over the hold span",
            f"mean forget gate over the hold span {forget:.3f}",
            seen=bool(forget > forget_level),
            rule=f"it is above {forget_level:g}",
            scope=scope,
        ),
        observation(
            "The memory unit's input gate opens at the markers and stays shut in between",
            f"input gate {marked:.3f} at the marked steps, {hold:.3f} over the hold span",
            seen=bool(marked > input_ratio * hold),
            rule=f"the first is more than {input_ratio:g}x the second",
            scope=scope,
        ),
    ]


def reach_verdicts(first: dict, *, scope: str = "", untrained=()) -> list[Verdict]:
    """Section 3: ``first`` maps ``"<cell>, <state>"`` (cell SimpleRNN or LSTM, state
    untrained or trained) to ``||dL/dh_1|| / ||dL/dh_T||``. One verdict per state: the
    LSTM's share reaching step 1 is larger than the SimpleRNN's (one seed: an
    observation). ``untrained``: the names (``"SimpleRNN, trained"``, ...) of models whose
    training did not get away from the task's baseline; a comparison with one of them
    cannot be read, and says so."""
    if not isinstance(first, dict):
        raise TypeError(f"first must be a dict name -> ratio; got {first!r:.80}.")
    verdicts = []
    for state in ("untrained", "trained"):
        lstm, rnn = first.get(f"LSTM, {state}"), first.get(f"SimpleRNN, {state}")
        if lstm is None or rnn is None:
            raise ValueError(f"first must have 'LSTM, {state}' and 'SimpleRNN, {state}'.")
        lstm = check_number(f"first['LSTM, {state}']", float(lstm), minimum=0.0)
        rnn = check_number(f"first['SimpleRNN, {state}']", float(rnn), minimum=0.0)
        verdicts.append(
            observation(
                f"{state.capitalize()}, the LSTM's gradient reaches further back than the "
                "SimpleRNN's",
                f"||dL/dh_1|| / ||dL/dh_T||: LSTM {lstm:.2e}, SimpleRNN {rnn:.2e}",
                seen=bool(lstm > rnn),
                rule="the LSTM's ratio is larger",
                scope=_scope(scope),
                unreadable=", ".join(
                    f"{name} did not train at this budget"
                    for name in (f"LSTM, {state}", f"SimpleRNN, {state}")
                    if name in untrained
                ),
            )
        )
    return verdicts


def forget_bias_scope(committed: dict) -> str:
    """ "committed benchmark: 2-core CPU, 10 seeds, T = 100, 20 epochs, global_clipnorm 1"."""
    if not isinstance(committed, dict) or "config" not in committed:
        raise TypeError("committed must be the dict load_results('forget_bias') returns.")
    c = committed["config"]
    clip = committed.get("clipping", {"clipnorm": 1.0})
    kind, value = next(iter(clip.items()))
    seeds = committed["seeds"]
    n = len(seeds) if isinstance(seeds, list) else int(seeds)
    return (
        f"committed benchmark: {committed['machine']['cpu_count']}-core CPU, {seeds_text(n)}, "
        f"T = {c['length']}, LSTM({c['hidden_size']}), {c['epochs']} epochs, {kind} {value:g}"
    )


def epochs_to_solve(history) -> int | None:
    """The first epoch (1-based) whose validation MSE is below ``SOLVED_MSE``; None if none.

    Decided from the stored MSEs, so a benchmark committed with another threshold is
    re-decided with the course's one definition of solved."""
    values = check_array("history", np.asarray(history, dtype=float), ndim=1, dims="(epochs,)")
    below = np.flatnonzero(values < SOLVED_MSE)
    return int(below[0]) + 1 if below.size else None


def _censored(runs: list[dict], epochs: int) -> list[int]:
    return [
        epochs + 1 if (e := epochs_to_solve(r["history"])) is None else e
        for r in sorted(runs, key=lambda r: r["seed"])
    ]


def forget_bias_verdicts(committed: dict) -> list[Verdict]:
    """Section 4 from the committed ``forget_bias`` benchmark: how many seeds each bias
    solves within the budget, and whether a bias of 1 solves sooner than 0 (epochs to
    solve, an unsolved run counted as budget + 1, compared over seeds). Every run is
    re-decided from its stored MSEs with ``SOLVED_MSE`` (:func:`epochs_to_solve`)."""
    scope = forget_bias_scope(committed)
    epochs = committed["config"]["epochs"]
    verdicts, censored = [], {}
    for bias in (1, 0):
        runs = [r for r in committed["runs"] if r["forget_bias"] == bias]
        censored[bias] = _censored(runs, epochs)
        verdicts.append(
            per_seed(
                f"With forget bias {bias}, the LSTM solves T = {committed['config']['length']} "
                f"within {epochs} epochs",
                [e <= epochs for e in censored[bias]],
                measured="solved (validation MSE below 1/60 within the budget)",
                rule=f"the seed's validation MSE gets below {SOLVED_MSE:.4f} (1/60)",
                scope=scope,
            )
        )
    verdicts.append(
        compare_seeds(
            "A forget bias of 1 solves sooner than a bias of 0",
            censored[1],
            censored[0],
            lower_is_better=True,
            names=("bias 1", "bias 0"),
            unit="epochs",
            scope=scope + f"; unsolved counted as {epochs + 1} epochs",
        )
    )
    return verdicts


def lesson04_summary_verdicts(committed: dict, live=()) -> list[Verdict]:
    """The verdicts lesson 04's summary renders: the live ones the notebook computed
    (``live``), then those from the committed forget-bias benchmark."""
    live = list(live)
    if not all(isinstance(v, Verdict) for v in live):
        raise TypeError("live must be a list of Verdict objects.")
    return live + forget_bias_verdicts(committed)
