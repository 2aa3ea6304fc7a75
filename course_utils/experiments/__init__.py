"""Small, tested training loops behind the lessons' experiments (one module per lesson topic).

Import the module you need, e.g. ``from course_utils.experiments import gradients``.
"""
