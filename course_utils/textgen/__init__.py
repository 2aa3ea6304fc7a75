"""Character and word models shared by lessons 06 and 07 (lesson 08 cites the race):
data pipelines, models, sampling, stateful generation, the race's results.

Explained in ``notebooks/06_text_generation.ipynb``. Submodules:

* ``data`` - :class:`CharVocabulary`, ``tf.data`` pipelines, word n-grams
* ``model`` - the character and word models, the TensorFlow tutorial's model
* ``transformer`` - a small decoder-only Transformer and its held-out score
* ``sampling`` - temperature and top-k :func:`sample` (NumPy only)
* ``generate`` - :func:`inference_model` and one-step :func:`generate_text`
* ``train`` - :func:`train_for` (a wall-clock budget) and :func:`bits_per_char`
* ``cost`` - training FLOPs per character (import it directly)
* ``ngram`` - a count-based character n-gram baseline (import it directly)
* ``benchmark`` - reading the race, ``benchmarks/results/textgen*.json`` (import it directly)

Importing this package imports Keras.
"""

from course_utils.textgen.data import (
    CharVocabulary,
    char_dataset,
    split_text,
    split_train_validation_test,
    stateful_char_dataset,
    word_ngram_sequences,
)
from course_utils.textgen.generate import (
    generate_text,
    grammatical_share,
    inference_model,
    next_char_distribution,
    step,
    zero_states,
)
from course_utils.textgen.model import (
    LESSON_CONTENDER,
    SETTINGS_KEYS,
    TRANSFORMER_SETTINGS,
    TUTORIAL_SETTINGS,
    build_from_settings,
    char_model,
    compile_char_model,
    lesson_settings,
    tuned_settings,
    tutorial_model,
)
from course_utils.textgen.sampling import distribution, sample
from course_utils.textgen.train import (
    TrainingLog,
    bits_per_char,
    held_out_evaluator,
    held_out_rows,
    learning_rate_at,
    train_for,
    train_settings,
)
from course_utils.textgen.word import word_model

__all__ = [
    "LESSON_CONTENDER",
    "SETTINGS_KEYS",
    "TRANSFORMER_SETTINGS",
    "TUTORIAL_SETTINGS",
    "CharVocabulary",
    "TrainingLog",
    "bits_per_char",
    "build_from_settings",
    "char_dataset",
    "char_model",
    "compile_char_model",
    "lesson_settings",
    "distribution",
    "generate_text",
    "grammatical_share",
    "held_out_evaluator",
    "held_out_rows",
    "inference_model",
    "learning_rate_at",
    "next_char_distribution",
    "sample",
    "split_text",
    "split_train_validation_test",
    "stateful_char_dataset",
    "step",
    "tuned_settings",
    "train_for",
    "train_settings",
    "tutorial_model",
    "word_model",
    "word_ngram_sequences",
    "zero_states",
]
