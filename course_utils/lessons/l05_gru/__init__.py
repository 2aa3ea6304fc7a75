"""Lesson 05, GRU: its room (``notebooks/05_gru.ipynb``). Import the modules directly."""
