"""Lesson 02's figure: the Elman and Jordan networks over seeds, one panel per task."""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import seeds_text, spread
from course_utils.core.validation import check_array
from course_utils.plotting.common import describe
from course_utils.plotting.wording import num

__all__ = ["plot_seed_comparison"]


def plot_seed_comparison(results: dict, *, ylabels: dict | None = None, title: str = ""):
    """One panel per task: mean ± std (bars) and every seed (dots) for each model.

    results: ``{task: {model: [value per seed]}}``; ylabels: ``{task: axis label}``.
    """
    import matplotlib.pyplot as plt

    if not isinstance(results, dict) or not results:
        raise TypeError(
            f"results must be a non-empty dict task -> {{model: values}}; got {type(results).__name__}."
        )
    fig, axes = plt.subplots(1, len(results), figsize=(4.2 * len(results), 3.3), squeeze=False)
    said = []
    for ax, (task, models) in zip(axes[0], results.items(), strict=True):
        if not isinstance(models, dict) or not models:
            raise TypeError(f"results[{task!r}] must be a non-empty dict model -> values.")
        for i, (model, values) in enumerate(models.items()):
            values = check_array(f"results[{task!r}][{model!r}]", np.asarray(values, float), ndim=1)
            s = spread(values, f"results[{task!r}][{model!r}]")
            ax.bar(i, s.mean, yerr=s.std, capsize=4, alpha=0.7, color=f"C{i}")
            ax.plot(np.full(len(values), i), values, "o", ms=3, color="0.2", alpha=0.6)
            said.append(f"{task} {model} {num(s.mean)} ± {num(s.std)}")
        ax.set_xticks(range(len(models)))
        ax.set_xticklabels(list(models), fontsize=9)
        ax.set_ylabel((ylabels or {}).get(task, ""))
        ax.set_title(task, fontsize=10)
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    seeds = {len(v) for models in results.values() for v in models.values()}
    n = seeds_text(seeds.pop()) if len(seeds) == 1 else "seeds"
    return describe(fig, f"Mean ± std over {n}: " + "; ".join(said) + ".")
