"""Lesson 01, Elman networks: its room (``notebooks/01_elman_networks.ipynb``). Import the modules directly."""
