"""Reading ``benchmarks/textgen_width.py`` in lesson 06's appendix: what the GRU's width
alone does to the share of the CPU's float32 matmul rate that training reaches, at the
lesson GRU's batch and window and at the tutorial's.
"""

from __future__ import annotations

from course_utils.core.evidence import spread
from course_utils.core.tables import table
from course_utils.textgen.benchmark import _runs, _speeds, notes_text

__all__ = ["width_against_race", "width_table", "width_text"]

#: How the tables name the script's shapes: the tutorial's is its own recipe's batch and
#: window, not the batch the race's tuned tutorial GRU trained at.
SHAPE_NAMES = {"lesson shape": "lesson GRU's shape", "tutorial shape": "tutorial recipe's shape"}


def _shape(run: dict) -> str:
    """``"lesson GRU's shape (32 x 50, embedding 64)"``: the name, batch x window, embedding."""
    name = SHAPE_NAMES.get(run["shape"], run["shape"])
    return f"{name} ({run['batch_size']} x {run['seq_length']}, embedding {run['embedding_dim']})"


def width_table(report: dict) -> str:
    """Per shape and width: characters per second and matmul share, mean and range over
    the interleaved repeats, with the FLOPs per training character; a run marked
    ``disturbed`` (and run again) is left out."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be textgen_width.json's dict, with a 'runs' list.")
    runs = [r for r in report["runs"] if not r.get("disturbed")]  # re-run: left out
    keys = list(dict.fromkeys((r["shape"], r["hidden_size"]) for r in runs))
    rows = []
    for shape, width in keys:
        mine = [r for r in runs if (r["shape"], r["hidden_size"]) == (shape, width)]
        share = [r["matmul_share"] for r in mine]
        speed = spread([r["chars_per_second"] for r in mine]).mean
        rows.append(
            [
                _shape(mine[0]),
                str(width),
                f"{mine[0]['training_flops_per_char'] / 1e6:.2f}",
                f"{speed:,.0f}",
                f"{spread(share).mean:.1%}"
                + (f" ({min(share):.1%}-{max(share):.1%})" if len(share) > 1 else ""),
            ]
        )
    header = [
        "shape (batch x window, embedding)",
        "GRU width",
        "MFLOP/char",
        "chars/s",
        "of matmul rate",
    ]
    lines = [table(header, rows, align="lrrrr")]
    rates = [r["matmul_flops"] for r in runs]
    others = [r["others_cpu_share"] for r in runs if r.get("others_cpu_share") is not None]
    lines.append(
        f"{report.get('seconds', '?'):g} s of timed training per run, "
        f"{len(runs) // max(len(keys), 1)} interleaved repeats (mean, range); matmul rate "
        f"measured in each run's process: {min(rates) / 1e9:.0f}-{max(rates) / 1e9:.0f} "
        "GFLOP/s float32"
        + (f"; other processes used {_at_most(max(others))} of the CPU" if others else "")
        + (
            f"; {sum(r.get('quiet') is False for r in runs)} run(s) disturbed twice, counted"
            if any(r.get("quiet") is False for r in runs)
            else ""
        )
        + f"; {str(report.get('date', '?'))[:10]}"
    )
    if report.get("notes"):
        lines.append(notes_text(report))
    return "\n".join(lines)


def _at_most(share: float) -> str:
    return "under 1%" if share < 0.01 else f"up to {share:.0%}"


def width_text(report: dict) -> str:
    """One line per shape: the matmul share at every width from narrow to wide (mean over
    repeats, disturbed runs left out) and where it is highest; then, at each width both
    shapes ran, the second shape's share over the first's."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be textgen_width.json's dict, with a 'runs' list.")
    runs = [r for r in report["runs"] if not r.get("disturbed")]
    shares: dict[str, dict[int, float]] = {}
    for shape in dict.fromkeys(r["shape"] for r in runs):
        mine = [r for r in runs if r["shape"] == shape]
        shares[_shape(mine[0])] = {
            w: spread([r["matmul_share"] for r in mine if r["hidden_size"] == w]).mean
            for w in sorted({r["hidden_size"] for r in mine})
        }
    lines = []
    for shape, by_width in shares.items():
        steps = ", ".join(f"{w}: {v:.1%}" for w, v in by_width.items())
        top = max(by_width, key=by_width.get)
        lines.append(f"{shape}, share of the matmul rate by width: {steps} (highest at {top})")
    if len(shares) > 1:
        (first, a), (second, b) = list(shares.items())[:2]
        both = [w for w in a if w in b]
        ratios = ", ".join(f"{w}: {b[w] / a[w]:.2f}x" for w in both)
        lines.append(f"the second shape's share over the first's, same width (means): {ratios}")
    return "\n".join(lines)


def width_against_race(
    report: dict, race: dict, contender: str = "lesson GRU-256", check: dict | None = None
) -> str:
    """Whether the width runs measure the race's model: the runs whose width, batch, window
    and embedding are ``contender``'s in the race (``textgen.json``) against that
    contender's training speed there (the mean of its counted runs). The width runs train
    with Adam at a constant learning rate, without weight decay, timed by a callback; the
    race's with AdamW on a schedule, its times excluding scoring; so they can agree
    closely but need not match.

    Where the race ran ``contender`` on another Keras backend than the width runs, the race's
    speed is no comparison: ``check``, the contender's backend speed check
    (``textgen_backends.json``), gives its runs on the width runs' backend instead."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be textgen_width.json's dict, with a 'runs' list.")
    if not isinstance(race, dict) or not isinstance(race.get("summary"), dict):
        raise TypeError("race must be textgen.json's dict, with a 'summary'.")
    if contender not in race["summary"]:
        raise ValueError(f"contender must be one of {sorted(race['summary'])}; got {contender!r}.")
    if check is not None and not isinstance(check, dict):
        raise TypeError(f"check must be a textgen_backends JSON dict or None; got {check!r}.")
    raced_runs = [r for r in _runs(race) if r.get("contender") == contender]
    raced = raced_runs[0]["settings"]
    shape = ("hidden_size", "batch_size", "seq_length", "embedding_dim")
    mine = [
        r["chars_per_second"]
        for r in report["runs"]
        if not r.get("disturbed") and all(r[k] == raced[k] for k in shape)
    ]
    if not mine:
        return (
            f"no width run has {contender}'s shape ({', '.join(f'{k} {raced[k]}' for k in shape)})"
        )
    backend = report.get("machine", {}).get("keras_backend", "tensorflow")
    raced_backend = raced_runs[0].get("backend", "tensorflow")  # races before the choice: TF
    width = spread(mine).mean
    text = f"{contender}'s shape in the width runs ({backend}): {width:,.0f} chars/s (mean of {len(mine)})"

    def against(where: str, speeds: list[float]) -> str:
        mean = spread(speeds).mean
        return (
            f"; {where}: {mean:,.0f} chars/s (mean of {len(speeds)} runs, "
            f"{min(speeds):,.0f}-{max(speeds):,.0f}); ratio {width / mean:.2f}"
        )

    if raced_backend == backend:
        return text + against("in the race", _speeds(_runs(race), contender))
    text += (
        f"; the race ran it on {raced_backend}, another backend, so its speed there is no "
        "comparison"
    )
    same = [
        r["chars_per_second"]
        for r in (_runs(check) if check else [])
        if r.get("backend") == backend and all(r["settings"].get(k) == raced[k] for k in shape)
    ]
    if not same:
        return text + f" (and no {backend} run of its speed check was given)"
    return text + against(f"on {backend} in its speed check, at the race's settings", same)
