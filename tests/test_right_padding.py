"""The GPU path: every masked recurrent input in the course is right-padded, never all padding.

On a GPU, Keras runs LSTM/GRU through cuDNN, which accepts only right-padded masks and
rejects rows that are all padding. The data builders that feed a masked RNN are tested
where they live (``tests/test_textgen_padding.py`` for lesson 06's word model,
``tests/test_dates.py`` for lesson 08's encoder); this test makes sure that list is
complete: a new ``mask_zero=True`` or ``Masking`` anywhere in the course, or in a lesson,
fails here until its data builder is tested the same way.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MASK = re.compile(r"mask_zero\s*=\s*True|Masking\(")
#: file that builds a masked RNN -> the test that checks the padding of its inputs.
COVERED = {
    "course_utils/textgen/word.py": "tests/test_textgen_padding.py",
    "course_utils/lessons/l08_applications/seq2seq.py": "tests/test_dates.py",
}


def test_every_masked_model_has_a_right_padding_test():
    sources = sorted(ROOT.glob("course_utils/**/*.py")) + sorted(ROOT.glob("notebooks/*.ipynb"))
    found = set()
    for path in sources:
        text = path.read_text()
        if path.suffix == ".ipynb":  # code only: markdown may mention mask_zero
            import json

            cells = json.loads(text)["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if MASK.search(text):
            found.add(path.relative_to(ROOT).as_posix())
    assert found == set(COVERED), (
        f"masked RNN inputs are built in {sorted(found)}; every one needs a right-padding "
        f"test listed in COVERED (now {sorted(COVERED)})"
    )
    for test in COVERED.values():
        source = (ROOT / test).read_text()
        assert re.search(r"def test_\w*right_padded", source), f"{test} has no right-padding test"
