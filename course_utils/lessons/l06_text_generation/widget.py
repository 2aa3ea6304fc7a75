"""The generation widget of lesson 06: prompt, temperature, top-k, length, a Generate button.

Explained in ``notebooks/06_text_generation.ipynb``. The logic is the plain function
:func:`generate_from_settings`; :func:`generation_widget` only wires ipywidgets to it,
so the tests can press the button without a browser.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_int, check_number
from course_utils.textgen.data import CharVocabulary
from course_utils.textgen.generate import generate_text

__all__ = ["generate_from_settings", "generation_widget"]


def generate_from_settings(
    inference,
    vocab: CharVocabulary,
    *,
    prompt: str,
    temperature: float,
    top_k: int,
    length: int,
    seed: int = 0,
) -> str:
    """Generated text for the widget's settings; ``top_k=0`` means "no top-k".

    A prompt character outside the vocabulary gives a message instead of an error.
    """
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a str; got {type(prompt).__name__}.")
    top_k = check_int("top_k", top_k, minimum=0)
    unknown = sorted(set(prompt) - set(vocab.chars))
    if not prompt or unknown:
        return (
            f"The prompt needs at least one character, all from the training text; "
            f"not in the vocabulary: {unknown!r}."
        )
    return generate_text(
        inference,
        vocab,
        prompt,
        check_int("length", length, minimum=1),
        temperature=check_number("temperature", temperature, minimum=0, strict_minimum=True),
        top_k=top_k or None,
        rng=np.random.default_rng(seed),
    )


def generation_widget(
    inference,
    vocab: CharVocabulary,
    *,
    prompt: str = "ROMEO:",
    temperature: float = 0.8,
    top_k: int = 0,
    length: int = 200,
):
    """A VBox: prompt box, temperature / top-k / length sliders, Generate button, output.

    Each press draws a new sample (the seed counts the presses). The returned box has the
    attributes ``controls`` (a dict of the widgets) and ``output`` for tests.
    """
    import ipywidgets as widgets

    controls = {
        "prompt": widgets.Text(value=prompt, description="prompt"),
        "temperature": widgets.FloatSlider(
            value=temperature, min=0.05, max=2.0, step=0.05, description="temperature"
        ),
        "top_k": widgets.IntSlider(
            value=top_k,
            min=0,
            max=vocab.size,
            description="top-k (0: off)",
            style={"description_width": "initial"},
        ),
        "length": widgets.IntSlider(value=length, min=10, max=1000, step=10, description="length"),
    }
    button = widgets.Button(description="Generate", button_style="primary")
    output = widgets.Output(layout={"border": "1px solid #ccc", "padding": "4px"})
    presses = {"count": 0}

    def on_click(_):
        presses["count"] += 1
        settings = {name: widget.value for name, widget in controls.items()}
        text = generate_from_settings(inference, vocab, seed=presses["count"], **settings)
        output.outputs = ()  # replace the previous sample
        output.append_stdout(text + "\n")

    button.on_click(on_click)
    box = widgets.VBox([*controls.values(), button, output])
    box.controls, box.output, box.button = controls, output, button
    return box
