"""The shared core: what every lesson may use, importing nothing above it.

One of each: argument checks (``validation``), fast/full mode (``config``), ``setup()``
(``environment``, with ``quiet`` holding back TensorFlow's load notices), verified
downloads (``datasets``) and the course's own corpus (``grammar``), the committed results (``results``), the statistics core (``evidence``),
interleaved timing (``timing``), tables (``tables``), progress bars and the live curve
(``progress``), the one Keras trainer (``training``) and the registry of cells, tasks
and display names (``registry``). Import the modules directly.
"""
