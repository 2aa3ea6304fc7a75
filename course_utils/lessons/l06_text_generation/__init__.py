"""Lesson 06, text generation: its room (``notebooks/06_text_generation.ipynb``). Import the modules directly."""
