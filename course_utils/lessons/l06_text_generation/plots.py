"""Plots for lesson 06 (text generation): the generation loop, next-character distributions,
training curves, and its appendix's race (``06b_benchmark_race``).

Every function returns the ``Figure`` after ``plt.close(fig)`` and never calls ``plt.show()``.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import spread
from course_utils.core.validation import check_array, check_int
from course_utils.plotting.common import describe, series_style
from course_utils.textgen.benchmark import contender_backends

__all__ = [
    "plot_generation_loop",
    "plot_next_char_distribution",
    "plot_text_training",
    "plot_textgen_benchmark",
]

_SHOWN = {" ": "␣", "\n": "⏎", "\t": "⇥"}


def _label(char: str) -> str:
    return _SHOWN.get(char, char)


#: The generation loop's steps, left to right: (box text, what comes out of it).
_LOOP = (
    ("last character\n$x_t$ (an id)", "id"),
    ("embedding,\nrecurrent step", "$h_t$"),
    ("Dense\n(output layer)", "logits"),
    ("softmax(logits / T),\nkeep the top k", "$p$"),
    ("sample the\nnext character", ""),
)


def plot_generation_loop(*, state: str = "h", prompt: str = "ROMEO:"):
    """The generation loop as a diagram: read a character, step the recurrent layer from
    the state it carried, map its output to logits (the Dense layer), turn the logits into a distribution (temperature ``T``, top-k),
    sample, feed the sample back in. ``state`` names what is carried (``"h"`` for a GRU,
    ``"h, c"`` for an LSTM); ``prompt`` is read first, one character at a time."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    if not isinstance(state, str) or not state.strip():
        raise TypeError(f"state must be a non-empty str such as 'h'; got {state!r}.")
    if not isinstance(prompt, str) or not prompt:
        raise TypeError(f"prompt must be a non-empty str; got {prompt!r}.")
    fig, ax = plt.subplots(figsize=(11.4, 3.3))
    width, height, gap = 1.9, 0.9, 0.8
    xs = [i * (width + gap) for i in range(len(_LOOP))]  # left edge of each box
    for i, (x, (text, out)) in enumerate(zip(xs, _LOOP, strict=True)):
        face = "#dbe9f6" if i != 1 else "#fde6c8"
        ax.add_patch(FancyBboxPatch((x, 0), width, height, boxstyle="round,pad=0.05", fc=face))
        ax.text(x + width / 2, height / 2, text, ha="center", va="center", fontsize=9)
        if i + 1 < len(_LOOP):
            ax.add_patch(
                FancyArrowPatch(
                    (x + width + 0.06, height / 2),
                    (xs[i + 1] - 0.06, height / 2),
                    arrowstyle="-|>",
                    mutation_scale=14,
                )  # fmt: skip
            )
            ax.text(x + width + gap / 2, height / 2 + 0.12, out, ha="center", fontsize=8)
    right, left = xs[-1] + width / 2, xs[0] + width / 2
    back = FancyArrowPatch(
        (right, -0.08), (left, -0.08), connectionstyle="arc3,rad=-0.12",
        arrowstyle="-|>", mutation_scale=14, color="C0",
    )  # fmt: skip
    ax.add_patch(back)
    ax.text(
        (left + right) / 2, -0.85, "append it to the text and feed it back in: it is $x_{t+1}$",
        ha="center", fontsize=9, color="C0",
    )  # fmt: skip
    cell = xs[1]
    loop = FancyArrowPatch(
        (cell + width * 0.72, height + 0.08), (cell + width * 0.28, height + 0.08),
        connectionstyle="arc3,rad=1.6", arrowstyle="-|>", mutation_scale=12, color="C1",
    )  # fmt: skip
    ax.add_patch(loop)
    ax.text(
        cell + width * 0.85, height + 0.6, f"state ${state}$ carried to the next step",
        ha="left", fontsize=9, color="C1",
    )  # fmt: skip
    ax.text(
        xs[0] + width / 2, height + 0.3, f"the prompt {prompt!r} is read\nfirst, one character a step",
        ha="center", fontsize=8, style="italic",
    )  # fmt: skip
    ax.set_xlim(-0.3, xs[-1] + width + 0.3)
    ax.set_ylim(-1.2, height + 1.2)
    ax.set_axis_off()
    fig.tight_layout()
    plt.close(fig)
    return describe(
        fig,
        f"The generation loop in {len(_LOOP)} steps: last character, recurrent step from the "
        f"carried state {state}, the Dense output layer's logits, softmax with temperature and "
        "top-k, sample; the sample is fed back as the next input.",
    )


def plot_next_char_distribution(distributions: dict, chars, *, n_show: int = 20, title: str = ""):
    """One bar chart per distribution: the probabilities of the ``n_show`` likeliest characters.

    ``distributions``: panel label -> probabilities ``(vocab,)``, already computed (for
    example with :func:`course_utils.textgen.sampling.distribution` at several
    temperatures); ``chars``: the vocabulary's characters (``vocab.chars``). Characters
    are ordered by their summed probability over the panels, so every panel shows the
    same ones; each panel's title gives its label and the distribution's entropy in bits.
    """
    import matplotlib.pyplot as plt

    if not isinstance(distributions, dict) or not distributions:
        raise TypeError(
            "distributions must be a non-empty dict of label -> probabilities; "
            f"got {type(distributions).__name__}."
        )
    panels = {}
    for label, probs in distributions.items():
        probs = check_array(f"distributions[{label!r}]", probs, ndim=1, kind="any")
        probs = probs.astype(np.float64)  # (vocab,)
        if len(probs) != len(chars):
            raise ValueError(
                f"chars has {len(chars)} entries; distributions[{label!r}] has {len(probs)}."
            )
        if np.any(probs < 0) or abs(probs.sum() - 1.0) > 1e-3:
            raise ValueError(
                f"distributions[{label!r}] must be probabilities (>= 0, summing to 1); "
                f"got a sum of {probs.sum():.4g}."
            )
        panels[str(label)] = probs
    n_show = check_int("n_show", n_show, minimum=1, maximum=len(chars))
    total = np.sum(list(panels.values()), axis=0)  # (vocab,)
    order = np.argsort(-total, kind="stable")[:n_show]  # likeliest first
    fig, axes = plt.subplots(
        1, len(panels), figsize=(3.3 * len(panels), 2.8), sharey=True, squeeze=False
    )
    entropies = {}
    for ax, (label, probs) in zip(axes[0], panels.items(), strict=True):
        nonzero = probs[probs > 0]
        entropy = float(-(nonzero * np.log2(nonzero)).sum())
        entropies[label] = entropy
        ax.bar(np.arange(n_show), probs[order], color="C0")
        ax.set_xticks(np.arange(n_show), [_label(chars[i]) for i in order], fontsize=8)
        ax.set_title(f"{label}\nentropy {entropy:.2f} bits", fontsize=9)
    axes[0][0].set_ylabel("probability")
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    parts = [
        f"{label}: likeliest {_label(chars[int(np.argmax(p))])!r} "
        f"({p.max():.0%}), entropy {entropies[label]:.2f} bits"
        for label, p in panels.items()
    ]
    return describe(fig, "Next-character probabilities. " + "; ".join(parts) + ".")


def _as_dict(log) -> dict:
    data = log if isinstance(log, dict) else getattr(log, "__dict__", None)
    if not isinstance(data, dict) or "curve" not in data or "checkpoints" not in data:
        raise TypeError(
            "each run must be a TrainingLog or a dict with 'curve' and 'checkpoints' "
            f"lists; got {type(log).__name__}."
        )
    return data


def plot_text_training(runs: dict, *, metric: str = "bits_per_char", title: str = "", ax=None):
    """Bits per character against training minutes, one colour per run.

    ``runs``: name -> :class:`~course_utils.textgen.train.TrainingLog` (or its dict,
    as stored in the benchmark JSON). Lines: the training loss (running mean per
    report); dots: the held-out ``metric`` at each checkpoint.
    """
    import matplotlib.pyplot as plt

    if not isinstance(runs, dict) or not runs:
        raise TypeError(
            f"runs must be a non-empty dict of name -> TrainingLog; got {type(runs).__name__}."
        )
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6.0, 3.4))
    finals = {}
    for i, (name, log) in enumerate(runs.items()):
        data, style = _as_dict(log), series_style(i)
        curve = data["curve"]
        ax.plot(
            [p["minutes"] for p in curve],
            [p["train_bits"] for p in curve],
            color=style["color"],
            linestyle=style["linestyle"],
            lw=1,
            alpha=0.7,
            label=f"{name}: training",
        )
        points = [c for c in data["checkpoints"] if metric in c]
        ax.plot(
            [c["minutes"] for c in points],
            [c[metric] for c in points],
            style["marker"],
            color=style["color"],
            label=f"{name}: held out",
        )
        if points:
            finals[str(name)] = (points[-1][metric], points[-1]["minutes"])
    ax.set_xlabel("training minutes (evaluation excluded)")
    ax.set_ylabel("bits per character")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    if not finals:
        return describe(fig, f"Training loss of {', '.join(map(str, runs))}; no held-out scores.")
    parts = [
        f"{n} ends at {v:.3f} bits per character after {m:.1f} min" for n, (v, m) in finals.items()
    ]
    best = min(finals, key=lambda n: finals[n][0])
    sentence = "Held-out " + metric.replace("_", " ") + ": " + "; ".join(parts) + "."
    return describe(fig, sentence + (f" Lowest: {best}." if len(finals) > 1 else ""))


def plot_textgen_benchmark(results: dict, *, metric: str = "bits_per_char"):
    """The figure of the character-model race (``benchmarks/textgen.py``).

    Left: each contender's test ``metric`` at every checkpoint, mean ± spread over seeds
    (:func:`course_utils.core.evidence.spread`, as the tables and verdicts give them).
    Right: training characters per second, the mean of the seeds, each bar labelled with the
    Keras backend its runs trained on where the race records it. Runs marked
    ``disturbed`` (other processes used the CPU; run again) are left out, as in the tables.
    """
    import matplotlib.pyplot as plt

    if not isinstance(results, dict) or not isinstance(results.get("runs"), list):
        raise TypeError("results must be the race's JSON dict, with a 'runs' list.")
    runs = [r for r in results["runs"] if not r.get("disturbed")]  # re-run: left out
    names = list(dict.fromkeys(r["contender"] for r in runs))
    marks = sorted({c["target_minutes"] for r in runs for c in r["checkpoints"]})
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), width_ratios=(2.0, 1))
    finals = {}
    for i, name in enumerate(names):
        style = series_style(i)
        xs, means, stds = [], [], []
        for m in marks:
            values = [
                c[metric]
                for r in runs
                if r["contender"] == name
                for c in r["checkpoints"]
                if c["target_minutes"] == m
            ]
            if values:
                seeds = spread(values)
                xs.append(m)
                means.append(seeds.mean)
                stds.append(seeds.std)
        left.errorbar(
            xs,
            means,
            yerr=stds,
            color=style["color"],
            linestyle=style["linestyle"],
            marker=style["marker"],
            capsize=3,
            label=name,
        )
        if means:
            finals[name] = (means[-1], xs[-1])
    left.set_xticks(marks)
    left.set_xlabel("training minutes (evaluation excluded)")
    left.set_ylabel("test bits per character")
    left.set_title(f"{metric.replace('_', ' ')}: mean ± spread over seeds")
    left.legend(fontsize=8)
    speeds = [
        spread([r["chars_per_second"] for r in runs if r["contender"] == n]).mean for n in names
    ]
    bars = right.barh(np.arange(len(names)), speeds, color=[f"C{i}" for i in range(len(names))])
    for bar, hatch in zip(bars, ("", "//", "..", "xx"), strict=False):
        bar.set_hatch(hatch)  # the bars differ by pattern too, not by colour alone
    on = {n: ", ".join(contender_backends(results, n)) for n in names}  # "" in older races
    labels = [f"{n}\n(on {on[n]})" if on[n] else n for n in names]
    right.set_yticks(np.arange(len(names)), labels, fontsize=8)
    right.set_xlabel("training characters per second (mean)")
    right.set_title("speed")
    fig.tight_layout()
    plt.close(fig)
    ends = "; ".join(f"{n} {v:.3f} after {m:g} min" for n, (v, m) in finals.items())
    speed = "; ".join(f"{n} {s:,.0f}" for n, s in zip(names, speeds, strict=True))
    best = min(finals, key=lambda n: finals[n][0]) if finals else "none"
    return describe(
        fig,
        f"Test {metric.replace('_', ' ')} (mean over seeds): {ends}. Lowest: {best}. "
        f"Characters per second: {speed}.",
    )
