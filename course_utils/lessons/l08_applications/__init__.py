"""Lesson 08, applications and attention: its room (``notebooks/08_applications_and_attention.ipynb``). Import the modules directly."""
