"""Lesson 02, Jordan networks: its room (``notebooks/02_jordan_networks.ipynb``). Import the modules directly."""
