"""Figures everyone can read, for every public plotting function: each attaches one
sentence computed from its data (``Figure: ...`` under the figure, alt text on the site),
and no plotting module pairs red with green."""

import ast
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import importlib  # noqa: E402
import pkgutil  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import lessons  # noqa: E402
from course_utils import plotting as shared_plotting  # noqa: E402
from course_utils.lessons.l01_elman import hidden_states  # noqa: E402
from course_utils.plotting.common import summary_of  # noqa: E402

PLOTTING = Path(shared_plotting.__file__).parent

#: Every figure module: the shared ``plotting`` package and each room's ``*plots`` modules.
FIGURE_MODULES = [shared_plotting] + [
    importlib.import_module(f"course_utils.lessons.{room}.{info.name}")
    for room in lessons.rooms()
    for info in pkgutil.iter_modules([str(Path(lessons.__file__).parent / room)])
    if info.name.endswith("plots")
]
FIGURE_FILES = sorted(PLOTTING.glob("*.py")) + [Path(m.__file__) for m in FIGURE_MODULES[1:]]
#: Every public figure function of the course, by name (shared and per lesson).
plotting = SimpleNamespace(
    **{name: getattr(module, name) for module in FIGURE_MODULES for name in module.__all__}
)
RNG = np.random.default_rng(0)
X_ADD = np.zeros((2, 12, 2))  # (batch, time, 2): value and marker
X_ADD[:, :, 0] = 0.5
X_ADD[:, [2, 9], 1] = 1.0  # markers at steps 2 and 9
HOLD = np.full((2, 12, 3), 0.2)  # (batch, time, units)
HOLD[:, 3:9, 1] = 1.0  # unit 1 holds between the markers
LSTM_GATES = {"input": HOLD, "forget": HOLD, "output": HOLD, "cell": np.cumsum(HOLD, axis=1)}
HEAD_ROWS = [
    {"task": t, "cell": c, "params": 10, "seconds_per_epoch": 1.0, "inference_us": 5.0,
     "metric": m}
    for t, c, m in (("adding", "lstm", 0.25), ("adding", "gru", 0.5), ("text", "lstm", 2.0),
                    ("text", "gru", 1.75))
    for seed in range(2)
]  # fmt: skip
TRADE_SUMMARY = [
    {"task": "adding", "cell": c, "size": 16, "params_mean": p, "metric_mean": m,
     "metric_std": 0.01, "chance": 0.17, "metric_name": "mse", "higher_is_better": False}
    for c, p, m in (("simple_rnn", 300, 0.16), ("lstm", 1200, 0.0125), ("gru", 900, 0.0375))
]  # fmt: skip
POINTS = np.array([[1.0, 0.0], [3.0, 0.0], [0.0, -2.0], [0.0, -4.0]])  # (time, 2)
LETTERS = "bagiduba"  # letters[t + 1] is predicted at step t
WORDS = ["cat", "dog", "eats", "sees"]
TREE = hidden_states.linkage_tree(np.array([[0.0], [0.1], [5.0], [5.2]]))  # (3, 4)
SERIES = np.arange(30, dtype=float)  # (time,)

# name -> (a call that draws the figure, strings of numbers from the data its sentence must hold)
CASES = {
    "plot_curves": (lambda: plotting.plot_curves({"a": [0.91, 0.02]}), ["0.91", "0.02"]),
    "plot_history": (lambda: plotting.plot_history({"loss": [1.5, 0.25]}), ["1.5", "0.25", "2"]),
    "plot_sequence_predictions": (
        lambda: plotting.plot_sequence_predictions(
            np.zeros((1, 4, 1)), np.zeros((1, 4, 1)), np.full((1, 4, 1), 0.5)
        ),
        ["0.5", "4 steps"],
    ),
    "plot_elman_diagram": (lambda: plotting.plot_elman_diagram(steps=4), ["4 steps"]),
    "plot_elman_jordan_diagrams": (lambda: plotting.plot_elman_jordan_diagrams(0.5), ["0.5"]),
    "plot_error_by_position": (
        lambda: plotting.plot_error_by_position(
            np.array([[0.25, 0.24, 0.02], [0.27, 0.26, 0.04]]), chance=0.25
        ),
        ["0.260", "0.250", "0.030", "lowest at position 2", "2 seed"],
    ),
    "plot_bptt_flow": (
        lambda: plotting.plot_bptt_flow(steps=4, window=2),
        ["over 4 steps", "windows of 2 step", "between steps 2-3"],
    ),
    # lesson 09
    "plot_ring": (
        lambda: plotting.plot_ring(
            np.array([0.5 + 0j, 0.6j, -0.7 + 0j, -0.5j]), r_min=0.4, r_max=0.8
        ),
        ["4 of 4", "0.500", "0.700"],
    ),
    "plot_step_times": (
        lambda: plotting.plot_step_times(
            [{"T": 64, "gru": 0.02, "mingru": 0.01}, {"T": 256, "gru": 0.08, "mingru": 0.02}],
            labels={"gru": "GRU", "mingru": "minGRU"},
            title="t",
        ),
        ["T = 64", "T = 256", "2.00", "4.00"],
    ),
    "plot_gradient_probe": (
        lambda: plotting.plot_gradient_probe({"linear": [0.25, 0.5, 1.0]}),
        ["2 steps back", "linear 0.25"],
    ),
    "plot_copy_accuracy": (
        lambda: plotting.plot_copy_accuracy(
            [{"task": "selective_copy", "kind": "lti", "test_accuracy": a} for a in (0.3, 0.4)],
            title="t",
            chance=1 / 6,
            solved=0.9,
        ),
        ["lti on selective copy", "0.35"],
    ),
    "plot_letter_errors": (
        lambda: plotting.plot_letter_errors(
            np.array([0.1, 1.0, 0.1, 1.0, 0.1, 1.0, 0.1]), LETTERS, n_show=7
        ),
        ["7 predictions", "averages 1 when", "0.1 on the other", "'b' (1)"],
    ),
    "plot_dendrogram": (
        lambda: plotting.plot_dendrogram(
            TREE, WORDS, classes={"cat": "noun", "dog": "noun", "eats": "verb", "sees": "verb"}
        ),
        ["4 leaves", "cat, dog", "eats, sees", "100%"],
    ),
    "plot_pca_trajectory": (
        lambda: plotting.plot_pca_trajectory(
            POINTS, ["a", "a", "b", "b"], explained=np.array([0.6, 0.25]), n_steps=2
        ),
        ["60%", "25%", "a (2.00, 0.00)", "b (0.00, -3.00)"],
    ),
    "plot_seed_comparison": (
        lambda: plotting.plot_seed_comparison({"XOR": {"Elman": [0.25, 0.75], "Jordan": [2, 2]}}),
        ["0.5 ± 0.354", "2 ± 0", "2 seeds"],
    ),
    "plot_word_boundary_errors": (
        lambda: plotting.plot_word_boundary_errors(
            np.array([0.5, 2.0, 0.5, 0.5, 2.0]),
            "abcdef",
            np.array([1, 0, 1, 0, 0, 1], bool),
            np.array([[2.0, 0.5], [3.0, 1.5]]),
            n_show=5,
        ),
        [
            "5 predictions",
            "averages 2 nats",
            "0.5 at the others",
            "2.5 at position 0",
            "1 at position 1",
        ],
    ),
    "plot_gradient_norms": (
        lambda: plotting.plot_gradient_norms({"ρ = 0.5": [1.0, 0.5, 0.25, 0.125, 0.0]}),
        ["ρ = 0.5 reaches 0.125 at distance 3"],
    ),
    "plot_decay_grid": (
        lambda: plotting.plot_decay_grid({"tanh": {0.5: 0.5 ** np.arange(5)}}),
        ["tanh", "ρ = 0.5", "0.0625 at distance 4"],
    ),
    "plot_decay_slopes": (
        lambda: plotting.plot_decay_slopes(
            [{"activation": "tanh", "log_rho": lr, "slope": lr - 0.25} for lr in (-1.0, 0.5)]
        ),
        ["-1.25", "0.25 off"],
    ),
    "plot_clipping_runs": (
        lambda: plotting.plot_clipping_runs(
            {
                "clipped": {"loss": [1.0, 0.5], "grad_norm": [2.0, 1.0], "diverged_at": None},
                "not clipped": {
                    "loss": [1.0, 40.0, np.inf],
                    "grad_norm": [3.0, 700.0, np.nan],
                    "diverged_at": 2,
                },  # fmt: skip
            }
        ),
        ["from 1 to 0.5", "from 1 to 40", "700", "diverged at step 2"],
    ),
    "plot_adding_results": (
        lambda: plotting.plot_adding_results(
            [
                {"model": "lstm", "length": t, "mean": m, "std": 0.0}
                for t, m in ((10, 0.002), (50, 0.04))
            ],
            baseline=1 / 6,
        ),
        ["LSTM 0.002 at T = 10", "0.04 at T = 50", "0.167"],
    ),
    "plot_gate_trace": (
        lambda: plotting.plot_gate_trace(X_ADD, LSTM_GATES, unit=1),
        [
            "Unit 1",
            "12 steps",
            "steps 2, 9",
            "1.00 over the hold span",
            "0.20 at the marked",
            "7.2",
        ],
    ),
    "plot_gate_heatmap": (
        lambda: plotting.plot_gate_heatmap(LSTM_GATES, "forget", highlight=1),
        ["3 units", "12 steps", "17%", "unit 1 averages 0.60"],
    ),
    "plot_seed_runs": (
        lambda: plotting.plot_seed_runs(
            {"LSTM": [[0.5, 0.02], [0.5, 0.04]]}, live={"LSTM": [0.5, 0.03]}, threshold=0.05
        ),
        ["2 seeds", "0.02 and 0.04", "this run at 0.03", "0.05"],
    ),
    "plot_head_to_head": (
        lambda: plotting.plot_head_to_head(HEAD_ROWS),
        ["adding LSTM 0.25 / GRU 0.5", "text LSTM 2 / GRU 1.75"],
    ),
    "plot_tradeoff": (
        lambda: plotting.plot_tradeoff(TRADE_SUMMARY),
        ["adding: LSTM(16) 0.0125, parameters 1,200"],
    ),
    "plot_co2": (
        lambda: plotting.plot_co2(
            [f"{1990 + m // 12}-{m % 12 + 1:02d}" for m in range(30)], SERIES + 315.0, 24
        ),  # fmt: skip
        ["315.0", "344.0", "1990-01", "24 training", "6 test", "1992-01"],
    ),
    "plot_forecasts": (
        lambda: plotting.plot_forecasts(
            SERIES, 20, [20, 24], {"GRU": [[20.5] * 4, [24.5] * 4], "naive": [[19.0] * 4] * 2}
        ),
        ["2 forecasts of 4 steps", "GRU 1.25", "naive 4.50", "closest: GRU"],
    ),
    "plot_accuracy_by_length": (
        lambda: plotting.plot_accuracy_by_length(
            {
                "plain": {"1-12": (0.98, 5), "13-20": (0.25, 5)},
                "attention": {"1-12": (1.0, 5), "13-20": (0.875, 5)},
            }
        ),
        ["0.98 (1-12)", "0.25 (13-20)", "0.88 (13-20)", "best on the longest: attention"],
    ),
    "plot_attention": (
        lambda: plotting.plot_attention(np.full((1, 2, 4), 0.25), ["abcd"], ["xy"]),
        ["1 example(s)", "4 to 4 characters", "25%", "0%"],
    ),
    "plot_labelling_accuracy": (
        lambda: plotting.plot_labelling_accuracy({"one way": {"(": 0.625, ")": 1.0}}),
        ["( 0.625", ") 1"],
    ),
    "plot_next_char_distribution": (
        lambda: plotting.plot_next_char_distribution(
            {"T = 1": np.array([0.75, 0.25])}, "ab", n_show=2
        ),
        ["75%", "0.81 bits"],
    ),
    "plot_text_training": (
        lambda: plotting.plot_text_training(
            {
                "gru": {
                    "curve": [{"minutes": 0.5, "train_bits": 3.0}],
                    "checkpoints": [{"minutes": 1.5, "bits_per_char": 2.25}],
                }
            }
        ),  # fmt: skip
        ["2.250", "1.5 min"],
    ),
    "plot_generation_loop": (
        lambda: plotting.plot_generation_loop(state="h, c"),
        ["5 steps", "state h, c"],
    ),
    "plot_textgen_benchmark": (
        lambda: plotting.plot_textgen_benchmark(
            {
                "minutes": 2,
                "runs": [
                    {
                        "contender": "gru",
                        "seed": 0,
                        "chars_per_second": 1234.0,
                        "curve": [],
                        "checkpoints": [
                            {"target_minutes": 2.0, "minutes": 2.0, "bits_per_char": 2.5}
                        ],
                    }
                ],
            }
        ),  # fmt: skip
        ["2.500", "1,234"],
    ),
}
FIGURE_FUNCTIONS = sorted(n for n in vars(plotting) if n.startswith("plot_"))


def test_every_public_plotting_function_has_a_case():
    assert sorted(CASES) == FIGURE_FUNCTIONS


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_figure_says_what_it_shows_with_numbers_from_its_data(name):
    draw, numbers = CASES[name]
    figure = draw()
    sentence = summary_of(figure)
    assert isinstance(sentence, str) and sentence.strip(), f"{name} attaches no sentence"
    assert "\n" not in sentence and re.search(r"\d", sentence)
    for number in numbers:
        assert number in sentence, f"{name}: {number!r} missing from {sentence!r}"


def test_show_prints_the_sentence_after_the_figure(capsys, monkeypatch):
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda figure: None)
    figure = plotting.plot_co2(["2000-01", "2000-02", "2000-03"], [370.0, 371.0, 372.0], 2)
    plotting.show(figure)
    assert capsys.readouterr().out == "Figure: " + summary_of(figure) + "\n"


# --- no red/green pairs, no series told apart by colour alone -------------------------

RED_GREEN = {"red", "green", "tab:red", "tab:green", "#d62728", "#2ca02c"}
#: a matplotlib format string whose colour letter is r or g: "r-", "g--", "ro", "-g"
FORMAT = re.compile(r"^[-.:o^sxvD*+]*[rg][-.:o^sxvD*+]*$")


def _red_or_green(text: str) -> bool:
    text = text.strip().lower()
    return text in RED_GREEN or bool(FORMAT.match(text))


def test_the_red_green_check_catches_them():
    assert all(_red_or_green(t) for t in ("r-", "g--", "ro", "-g", "Tab:Red", "#2CA02C", "green"))
    assert not any(_red_or_green(t) for t in ("o-", "C3", "--", "s", "grey", "0.5", "x"))


@pytest.mark.parametrize(
    "path", FIGURE_FILES, ids=lambda p: p.as_posix().split("course_utils/")[-1]
)
def test_no_plotting_module_uses_red_or_green(path):
    tree = ast.parse(path.read_text())
    specs = {  # f"{x:g}": a format spec, not a colour
        id(n) for f in ast.walk(tree) if isinstance(f, ast.FormattedValue) and f.format_spec
        for n in ast.walk(f.format_spec)
    }  # fmt: skip
    strings = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in specs
    ]
    found = [f"{path.name}:{line}: {text!r}" for line, text in strings if _red_or_green(text)]
    assert not found, "red/green colours (use the Okabe-Ito cycle C0..C7): " + ", ".join(found)


TWO_SERIES = {
    "curves": lambda: plotting.plot_curves({"a": [1.0, 2.0], "b": [2.0, 1.0]}),
    "seed_runs": lambda: plotting.plot_seed_runs({"a": [[1.0, 0.5]], "b": [[1.0, 0.25]]}),
    "gradient_norms": lambda: plotting.plot_gradient_norms({"a": [1.0, 0.5], "b": [1.0, 0.9]}),
    "decay_slopes": lambda: plotting.plot_decay_slopes(
        [{"activation": a, "log_rho": r, "slope": r} for a in "ab" for r in (-1.0, 0.0)]
    ),
    "clipping_runs": lambda: plotting.plot_clipping_runs(
        {k: {"loss": [1.0, 0.5], "grad_norm": [1.0, 2.0], "diverged_at": None} for k in "ab"}
    ),
    "adding_results": lambda: plotting.plot_adding_results(
        [{"model": m, "length": 10, "mean": 0.1, "std": 0.0} for m in ("lstm", "gru")], baseline=1
    ),
    "forecasts": lambda: plotting.plot_forecasts(
        SERIES, 20, [20], {"a": [[1.0] * 3], "b": [[2.0] * 3]}
    ),
    "accuracy_by_length": lambda: plotting.plot_accuracy_by_length(
        {"a": {"1-2": (1.0, 1)}, "b": {"1-2": (0.0, 1)}}
    ),
    "co2": lambda: plotting.plot_co2(["1990-01", "1990-02", "1990-03"], [1.0, 2.0, 3.0], 2),
}


@pytest.mark.parametrize("name", sorted(TWO_SERIES))
def test_line_series_differ_by_more_than_colour(name):
    for ax in TWO_SERIES[name]().axes:
        lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
        looks = {(line.get_linestyle(), line.get_marker()) for line in lines}
        assert len(looks) == len(lines), f"{name}: {[line.get_label() for line in lines]}"


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plotting.plot_labelling_accuracy({"a": {"(": 1.0}, "b": {"(": 0.5}}),
        lambda: plotting.plot_head_to_head(HEAD_ROWS),
    ],
    ids=["labelling_accuracy", "head_to_head"],
)
def test_bar_groups_differ_by_hatch(draw):
    hatches = {patch.get_hatch() or "" for patch in draw().axes[0].patches}
    assert len(hatches) == 2


def test_sentences_keep_the_labels_case_and_name_no_best_in_a_tie():
    fig = plotting.plot_curves({"a": [2.0, 1.0]}, ylabel="training loss (MSE)")
    assert summary_of(fig).startswith("Training loss (MSE) per epoch: ")
    tie = {"a": {"1-2": (0.0, 1)}, "b": {"1-2": (0.0, 1)}}
    assert "best" not in summary_of(plotting.plot_accuracy_by_length(tie))
