"""Lesson 09's selective-copying verdicts: the LTI layer against the selective layer.

Explained in section 8 of ``notebooks/09_rnn_revival.ipynb``. Rows are what
:func:`course_utils.lessons.l09_revival.experiments.train_copy` returns (or the committed
``selective_copy.json`` holds). Everything goes through the course's statistics core:

* :func:`copy_verdicts` - on each task, is the selective layer more accurate; is its lead
  larger on selective copying than on plain copying (what selection would explain); does
  it solve selective copying; does the LTI layer fail it, read beside its control (the
  LTI layer solves plain copying);
* :func:`copy_reading` - the sentence that reads those verdicts for the learner;
* :func:`copy_reproduction` - the live seed against the committed run of the same seed;
* :func:`copy_scope` and :func:`budget_text` - what the committed results cover.
"""

from __future__ import annotations

from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    agreement,
    compare_seeds,
    controlled,
    not_run,
)
from course_utils.tasks.selective_copy import chance_accuracy

__all__ = [
    "REPRODUCED",
    "SOLVED_ACCURACY",
    "budget_text",
    "copy_reading",
    "copy_reproduction",
    "copy_scope",
    "copy_verdicts",
]

#: The course's "solved" for copying: test accuracy per copied token above this.
SOLVED_ACCURACY = 0.9
#: A live run reproduces a committed run of the same seed when the test accuracies differ
#: by at most this (another machine or library version can change a training run more).
REPRODUCED = 0.01
NAMES = {"lti": "LTI", "selective": "selective", "mingru": "minGRU"}
TASKS = ("selective_copy", "plain_copy")
LEAD_CLAIM = (
    "The selective layer's lead over the LTI layer is larger on selective copying than on "
    "plain copying"
)


def _runs(rows, kind, task) -> list[dict]:
    return [r for r in rows if r.get("kind") == kind and r.get("task") == task]


def _accuracies(rows, kind, task) -> list[float]:
    return [r["test_accuracy"] for r in _runs(rows, kind, task)]


def _task_words(task: str) -> str:
    return task.replace("_copy", " copying")


def _still_improving(rows, groups) -> str:
    """ "best epoch was the last (still improving) in k of n runs" over ``groups`` of
    ``(kind, task)``, counting the runs that carry a validation curve; "" when none did."""
    runs = [r for kind, task in groups for r in _runs(rows, kind, task)]
    curves = [r for r in runs if r.get("val_accuracy") and r.get("chosen_epoch")]
    last = [r for r in curves if r["chosen_epoch"] == len(r["val_accuracy"])]
    if not last:
        return ""
    unknown = len(runs) - len(curves)
    note = f"; {unknown} without a validation curve" if unknown else ""
    return f"best epoch was the last (still improving) in {len(last)} of {len(curves)} runs{note}"


def _scoped(scope: str, *parts: str) -> str:
    return "; ".join(p for p in (scope, *parts) if p)


def _by_seed(rows, kind, task) -> dict:
    return {r["seed"]: r["test_accuracy"] for r in _runs(rows, kind, task) if "seed" in r}


def _leads(rows, task) -> dict:
    """Per seed: the selective layer's test accuracy minus the LTI layer's on ``task``."""
    sel, lti = _by_seed(rows, "selective", task), _by_seed(rows, "lti", task)
    return {s: sel[s] - lti[s] for s in sorted(set(sel) & set(lti))}


def copy_verdicts(rows, *, scope: str, vocab: int, budget: str = "") -> list[Verdict]:
    """The LTI against the selective layer on both copying tasks (test accuracy of the
    epoch chosen on validation), against chance ``1 / (vocab - 2)``.

    Six verdicts, in order: the selective layer is more accurate on selective copying, and
    on plain copying (a comparison with a run that did not train is inconclusive); its lead
    is larger on selective copying (per-seed leads, Welch: only this one speaks to
    *selection*, since a lead as large on plain copying is a general gap); it solves
    selective copying; the LTI layer fails selective copying, read beside its control; the
    control (the LTI layer solves plain copying). A kind and task with no rows is reported
    as not run; one seed per side gives observations.
    """
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be a list of train_copy() rows; got {rows!r}.")
    chance = chance_accuracy(vocab)
    fixed = f"at a fixed, possibly unconverged budget{f' ({budget})' if budget else ''}"
    verdicts = []
    for task in TASKS:
        claim = f"On {_task_words(task)} the selective layer is more accurate than the LTI layer"
        groups = [("selective", task), ("lti", task)]
        gap_scope = _scoped(scope, fixed, _still_improving(rows, groups))
        sel, lti = _accuracies(rows, "selective", task), _accuracies(rows, "lti", task)
        missing = [f"{NAMES[k]} on {_task_words(task)}" for k, v in (("selective", sel),
                   ("lti", lti)) if not v]  # fmt: skip
        verdicts.append(
            not_run(claim, " or ".join(missing), scope=gap_scope) if missing else compare_seeds(
                claim, sel, lti, metric="accuracy", names=("selective", "LTI"),
                scope=gap_scope, baseline=chance, budget=budget,
            )
        )  # fmt: skip
    leads = {task: _leads(rows, task) for task in TASKS}
    lead_scope = _scoped(scope, fixed, "a lead is one seed's selective minus LTI accuracy")
    missing = [f"both layers on {_task_words(t)}" for t in TASKS if not leads[t]]
    verdicts.append(
        not_run(LEAD_CLAIM, " or ".join(missing), scope=lead_scope) if missing else compare_seeds(
            LEAD_CLAIM, list(leads["selective_copy"].values()),
            list(leads["plain_copy"].values()), lower_is_better=False,
            names=("lead on selective copying", "lead on plain copying"), scope=lead_scope,
        )
    )  # fmt: skip

    def threshold(claim, kind, task, *, below):
        values = _accuracies(rows, kind, task)
        if not values:
            return not_run(claim, f"{NAMES[kind]} on {_task_words(task)}", scope=scope)
        return against_threshold(claim, values, SOLVED_ACCURACY, below=below,
                                 scope=_scoped(scope, _still_improving(rows, [(kind, task)])))  # fmt: skip

    verdicts.append(threshold(
        f"The selective layer solves selective copying (accuracy > {SOLVED_ACCURACY})",
        "selective", "selective_copy", below=False,
    ))  # fmt: skip
    control = threshold(
        f"The LTI layer solves plain copying (accuracy > {SOLVED_ACCURACY})",
        "lti", "plain_copy", below=False,
    )  # fmt: skip
    fails = threshold(
        f"The LTI layer fails selective copying (accuracy <= {SOLVED_ACCURACY})",
        "lti", "selective_copy", below=True,
    )  # fmt: skip
    return verdicts + [controlled(fails, control), control]


def copy_reading(verdicts: list[Verdict]) -> str:
    """What the copying verdicts of :func:`copy_verdicts` say about *selection*, in words
    chosen by their outcomes (the lead comparison and the LTI control)."""
    by_claim = {v.claim: v for v in verdicts}
    lead = by_claim.get(LEAD_CLAIM)
    control = next((v for c, v in by_claim.items() if c.startswith("The LTI layer solves")), None)
    if lead is None or control is None:
        raise ValueError("verdicts must be the list copy_verdicts() returns.")
    if lead.outcome == "holds":
        if control.outcome == "holds":
            return (
                "The selective layer's lead is larger where the tokens must be picked out, and "
                "the LTI layer manages the control: at this budget these runs show the contrast "
                "Gu & Dao (2023) built the task for."
            )
        return (
            "The selective layer's lead is larger on selective copying, but the LTI layer does "
            "not manage the control (plain copying), so its failure on selective copying cannot "
            "be put down to selection alone at this budget."
        )
    lead_words = {
        "does not hold": "is not larger on selective copying than on plain copying",
        "inconclusive": "may or may not be larger on selective copying: the seeds do not decide it",
        "observation": "is seen in one seed only",
    }
    control_words = {
        "holds": "the LTI layer solves the control",
        "does not hold": "the LTI layer fails even the control, plain copying",
        "inconclusive": "the LTI control is inconclusive",
        "observation": "the LTI control is one seed",
    }
    return (
        f"The selective layer leads on selective copying; its lead {lead_words[lead.outcome]}, "
        f"and {control_words[control.outcome]}. So these runs do not show that the gap comes "
        "from selection: they do not reproduce, at this budget, the contrast Gu & Dao (2023) "
        "built the task for."
    )


def copy_reproduction(live: dict, report: dict, *, seed: int = 0) -> list[str]:
    """The live test accuracies on selective copying (``{kind: accuracy}``, trained with
    ``seed``) against the committed run of the same seed, data and budget: a
    reproducibility check, not one more seed. Within :data:`REPRODUCED` it reproduces;
    otherwise the difference is printed with the core's agreement against every committed
    seed. A kind not in the committed results says so."""
    chance = chance_accuracy(report["budget"]["vocab"])
    lines = []
    for kind, value in live.items():
        label = f"{NAMES.get(kind, kind)} on selective copying, seed {seed}"
        same = _by_seed(report["runs"], kind, "selective_copy")
        if seed not in same:
            lines.append(f"{label}: not in the committed results")
            continue
        gap = abs(value - same[seed])
        if gap <= REPRODUCED:
            lines.append(
                f"{label}: live {value:.4f}, committed {same[seed]:.4f}, |difference| "
                f"{gap:.4f} <= {REPRODUCED} -> reproduces the committed run"
            )
            continue
        result = agreement(
            value, list(same.values()), metric="accuracy", threshold=SOLVED_ACCURACY,
            baseline=chance,
        )  # fmt: skip
        lines.append(
            f"{label}: live {value:.4f}, committed {same[seed]:.4f}, |difference| {gap:.4f} > "
            f"{REPRODUCED} (not reproduced here); against all committed seeds: "
            + result.line("live")
        )
    return lines


def budget_text(report: dict) -> str:
    """ "8 epochs x 4000 sequences, Adam 0.003" from a selective_copy report's budget."""
    b = report["budget"]
    return f"{b['epochs']} epochs x {b['n_train']} sequences, Adam {b['learning_rate']:g}"


def copy_scope(report: dict) -> str:
    """The committed copying benchmark's scope: seeds, sizes, budget, parameters per kind,
    the one untuned learning rate, the machine and date, and the report's notes."""
    b = report["budget"]
    params = {}
    for r in report.get("runs", []):
        params.setdefault(NAMES.get(r["kind"], r["kind"]), r.get("params"))
    counts = ", ".join(f"{k} {v:,}" for k, v in params.items() if v is not None)
    parts = [
        f"committed: {len(report['seeds'])} seeds, length {b['length']}, {b['tokens']} tokens, "
        f"{b['epochs']} epochs x {b['n_train']} sequences",
        f"one untuned learning rate ({b['learning_rate']:g})",
        f"parameters: {counts}" if counts else "",
        f"{report['machine'].get('cpu_count', '?')}-core CPU, {report['date'][:10]}",
        *(f"note: {n}" for n in report.get("notes", [])),
    ]
    return "; ".join(p for p in parts if p)
