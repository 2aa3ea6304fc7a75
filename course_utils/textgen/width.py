"""Reading ``benchmarks/textgen_width.py`` in lesson 06's appendix: what the GRU's width
alone does to the share of the CPU's float32 matmul rate that training reaches, at the
lesson GRU's batch and window and at the tutorial's.
"""

from __future__ import annotations

from course_utils.core.evidence import spread
from course_utils.core.tables import table
from course_utils.textgen.benchmark import notes_text

__all__ = ["width_table"]


def width_table(report: dict) -> str:
    """Per shape and width: characters per second and matmul share, mean and range over
    the interleaved repeats, with the FLOPs per training character."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be textgen_width.json's dict, with a 'runs' list.")
    runs = report["runs"]
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
        + f"; {str(report.get('date', '?'))[:10]}"
    )
    if report.get("notes"):
        lines.append(notes_text(report))
    return "\n".join(lines)
