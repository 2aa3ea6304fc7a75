"""Reading ``benchmarks/textgen_width.py`` in lesson 06's appendix: what the GRU's width
alone does to the share of the CPU's float32 matmul rate that training reaches, at the
lesson GRU's batch and window and at the tutorial's.
"""

from __future__ import annotations

from course_utils.core.evidence import spread
from course_utils.core.tables import table
from course_utils.textgen.benchmark import notes_text

__all__ = ["width_table", "width_text"]


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
                f"{shape} ({mine[0]['batch_size']} x {mine[0]['seq_length']})",
                str(width),
                f"{mine[0]['training_flops_per_char'] / 1e6:.2f}",
                f"{speed:,.0f}",
                f"{spread(share).mean:.1%}"
                + (f" ({min(share):.1%}-{max(share):.1%})" if len(share) > 1 else ""),
            ]
        )
    header = ["shape (batch x window)", "GRU width", "MFLOP/char", "chars/s", "of matmul rate"]
    lines = [table(header, rows, align="lrrrr")]
    rates = [r["matmul_flops"] for r in runs]
    others = [r["others_cpu_share"] for r in runs if r.get("others_cpu_share") is not None]
    lines.append(
        f"{report.get('seconds', '?'):g} s of timed training per run, "
        f"{len(runs) // max(len(keys), 1)} interleaved repeats (mean, range); matmul rate "
        f"measured in each run's process: {min(rates) / 1e9:.0f}-{max(rates) / 1e9:.0f} "
        "GFLOP/s float32"
        + (f"; other processes used up to {max(others):.0%} of the CPU" if others else "")
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


def width_text(report: dict) -> str:
    """One line per shape: the matmul share at its narrowest and its widest GRU (mean over
    repeats, disturbed runs left out), and by how many times it changed."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be textgen_width.json's dict, with a 'runs' list.")
    runs = [r for r in report["runs"] if not r.get("disturbed")]
    lines = []
    for shape in dict.fromkeys(r["shape"] for r in runs):
        mine = [r for r in runs if r["shape"] == shape]
        widths = sorted({r["hidden_size"] for r in mine})
        share = {
            w: spread([r["matmul_share"] for r in mine if r["hidden_size"] == w]).mean
            for w in (widths[0], widths[-1])
        }
        lines.append(
            f"{shape}: width {widths[0]} reaches {share[widths[0]]:.1%} of the matmul rate, "
            f"width {widths[-1]} {share[widths[-1]]:.1%} "
            f"({share[widths[-1]] / share[widths[0]]:.1f}x)"
        )
    return "\n".join(lines)
