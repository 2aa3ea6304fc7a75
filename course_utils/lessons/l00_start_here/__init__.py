"""Lesson 00, start here: its room (``notebooks/00_start_here.ipynb``). Import the modules directly."""
