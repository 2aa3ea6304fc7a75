"""Lesson 03, vanishing and exploding gradients: its room (``notebooks/03_vanishing_exploding_gradients.ipynb``). Import the modules directly."""
