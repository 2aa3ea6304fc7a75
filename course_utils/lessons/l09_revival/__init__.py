"""Lesson 09, the RNN revival: its room (``notebooks/09_rnn_revival.ipynb``). Import the modules directly."""
