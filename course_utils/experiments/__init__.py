"""Shared runs: the tested loops more than one lesson repeats over seeds and sizes.

The adding problem (``adding_runs``), the gated-cell runs and their summaries
(``gating``, ``gated_models``, ``gating_results``, ``char_data``), next-step training of the
NumPy Elman and Jordan networks (``next_step``, ``teacher_forcing``) and the CO2 forecasts
(``forecasting``). Import the module you need, e.g.
``from course_utils.experiments import adding_runs``. A run one lesson alone uses lives in
that lesson's room (``course_utils/lessons/``).
"""
