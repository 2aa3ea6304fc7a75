"""Lesson 04, LSTM: its room (``notebooks/04_lstm.ipynb``). Import the modules directly."""
