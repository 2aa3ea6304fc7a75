"""Lesson 06's appendix: the verdicts of the race whose contenders were tuned alike
(issue #28), for the course's best model. ``notebooks/06b_benchmark_race.ipynb`` renders
them with :func:`course_utils.verdicts.show_summary`.
"""

from __future__ import annotations

import math

from course_utils.core.evidence import Verdict, against_threshold, compare_seeds, seeds_text
from course_utils.core.validation import check_number
from course_utils.lessons.l06_text_generation.verdicts import GOAL, window_positions
from course_utils.textgen.benchmark import LESSON, contender_backends, contender_values
from course_utils.textgen.tuning import tuning_text

__all__ = [
    "COURSE_MODELS",
    "MATMUL_GOAL",
    "baseline_verdicts",
    "best_course_model",
    "race_verdicts",
]


#: The two contenders the course built (lesson 06's GRU and lesson 09's minGRU stack): the
#: race's goal is for the better of them on validation (the "course's best model").
COURSE_MODELS = (LESSON, "minGRU 2x256")
#: The share of the machine's measured float32 matmul rate that training should reach.
MATMUL_GOAL = 0.5


def best_course_model(report: dict) -> str:
    """The course's model with the lower validation bits/char in the tuning search that the
    race read (``report["tuning"]``): chosen on validation, never on the test scores."""
    search = report.get("tuning", {}).get("search", {})
    mine = {n: search[n]["validation_bits"] for n in COURSE_MODELS if n in search}
    if not mine:
        raise ValueError(
            f"report's tuning must hold a search row for one of {list(COURSE_MODELS)}; "
            f"got {sorted(search)}."
        )
    return min(mine, key=mine.get)


def race_verdicts(report: dict, *, goal: float = GOAL) -> list[Verdict]:
    """Verdicts from a race whose contenders were tuned alike (``report["tuning"]``, issue
    #28), for the course's best model (:func:`best_course_model`):

    * ahead of each other contender at every checkpoint (test bits/char, state carried,
      one value per seed), scoped by how each side was tuned; a side whose runs did not
      train (within 10 % of the way from the uniform guess) makes it inconclusive;
    * carried state against windows of 100 from a zero state, on the same positions;
    * the goal, below ``goal`` bits/char after the full budget;
    * training at more than :data:`MATMUL_GOAL` of the machine's measured matmul rate.
    """
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be the textgen benchmark's JSON dict, with a 'runs' list.")
    goal = check_number("goal", goal, minimum=0.0, strict_minimum=True)
    best = best_course_model(report)
    quiet = {**report, "runs": [r for r in report["runs"] if not r.get("disturbed")]}
    runs = quiet["runs"]
    contenders = list(dict.fromkeys(r.get("contender") for r in runs))
    if best not in contenders or len(contenders) < 2:
        raise ValueError(
            f"report must hold runs of {best!r} and at least one other contender; got {contenders}."
        )
    marks = sorted({c["target_minutes"] for r in runs for c in r["checkpoints"]})
    seeds = len(contender_values(quiet, best, marks[-1]))
    vocab = report.get("vocab_size")
    scope = (
        f"committed race: {report.get('machine', {}).get('cpu_count', '?')}-core CPU, "
        f"{seeds_text(seeds)} per model, interleaved, Tiny Shakespeare test split, "
        f"{str(report.get('date', '?'))[:10]}; {best} is the course's model with the lower "
        "validation score in the tuning"
    )
    if report.get("backends"):  # every verdict below holds for these backends only
        scope += "; each on the backend its speed check picked (the search ran on tensorflow): "
        scope += ", ".join(f"{c} on {', '.join(contender_backends(report, c))}" for c in contenders)
    rivals = [c for c in contenders if c != best]
    verdicts = []
    for other in rivals:
        tuned = (
            f"{scope}; {tuning_text(report, best)}; {tuning_text(report, other)}; one of "
            f"{len(rivals) * len(marks)} such comparisons, each at the 95 % level, none "
            "corrected for the others"
        )
        for m in marks:
            when = (
                f"After {m:g} min" if m == marks[-1] else f"At the {m:g}-minute checkpoint"
            ) + f" of a {marks[-1]:g}-minute schedule"
            verdicts.append(
                compare_seeds(
                    f"{when} on this CPU, the {best} is ahead of the {other} (test bits per "
                    "character)",
                    contender_values(quiet, best, m),
                    contender_values(quiet, other, m),
                    lower_is_better=True,
                    metric="bits",
                    names=(best, other),
                    unit="bits/char",
                    scope=tuned,
                    baseline=math.log2(vocab) if vocab else None,
                    budget=f"{m:g} min",
                )
            )
    positions = window_positions(report)
    verdicts.append(
        compare_seeds(
            f"Carrying the state along the test text scores the {best} lower than restarting "
            "every 100 characters",
            contender_values(quiet, best, marks[-1]),
            contender_values(quiet, best, marks[-1], "bits_per_char_window"),
            lower_is_better=True,
            names=("carried", "window 100"),
            unit="bits/char",
            scope=f"{scope}, after {marks[-1]:g} min; the same runs scored both ways, compared "
            "unpaired (Welch), which ignores that the two scores of a seed come from one model"
            + (f"; {positions}" if positions else ""),
        )
    )
    verdicts.append(
        against_threshold(
            f"The {best} reaches below {goal:.2f} test bits per character after "
            f"{marks[-1]:g} min on this {report.get('machine', {}).get('cpu_count', '?')}-core "
            "CPU",
            contender_values(quiet, best, marks[-1]),
            goal,
            below=True,
            unit="bits/char",
            scope=f"{scope}; the goal is the course's own bar, not a result of its sources, "
            "first set for the lesson GRU (commit 4e7cb95) and moved to the course's best "
            "model by issue #28",
        )
    )
    rate = max(report.get("matmul_flops") or [math.nan])
    shares = [r["achieved_flops"] / rate for r in runs if r["contender"] == best]
    verdicts.append(
        against_threshold(
            f"Training the {best} reaches more than {MATMUL_GOAL:.0%} of this CPU's measured "
            "float32 matmul rate",
            shares,
            MATMUL_GOAL,
            below=False,
            unit="of the matmul rate",
            scope=f"{scope}; the {MATMUL_GOAL:.0%} bar is the course's own (issue #28); "
            "achieved FLOP/s = characters per second x the model's training "
            f"FLOPs per character, over the best of {len(report.get('matmul_flops') or [])} "
            "2048 x 2048 matmul measurements in the same race",
        )
    )
    return verdicts


def baseline_verdicts(report: dict, baselines: dict) -> list[Verdict]:
    """Each contender against the best baseline that needs no training (``baselines``:
    name -> test bits/char on the race's carried positions, say the count models of
    :mod:`course_utils.textgen.ngram`) after the full budget: below it on every seed holds.
    An empty ``baselines`` (offline: another corpus) gives no verdict."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be the textgen benchmark's JSON dict, with a 'runs' list.")
    if not isinstance(baselines, dict):
        raise TypeError(f"baselines must be a dict of name -> bits/char; got {baselines!r:.60}.")
    if not baselines:
        return []
    bits = {k: check_number(f"baselines[{k!r}]", v, minimum=0.0) for k, v in baselines.items()}
    name = min(bits, key=bits.get)
    quiet = [r for r in report["runs"] if not r.get("disturbed")]
    last = max(c["target_minutes"] for r in quiet for c in r["checkpoints"])
    return [
        against_threshold(
            f"After {last:g} min, the {contender} scores below the best count baseline "
            f"({name}, {bits[name]:.3f} bits/char)",
            contender_values(report, contender, last),
            bits[name],
            below=True,
            unit="bits/char",
            scope="committed race, test split, the carried score's positions"
            + "".join(f"; trained on {b}" for b in contender_backends(report, contender)),
        )
        for contender in dict.fromkeys(r["contender"] for r in quiet)
    ]
