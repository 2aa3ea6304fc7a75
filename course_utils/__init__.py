"""course_utils: the tested helpers behind the rnn-course notebooks.

Importing this package is cheap: TensorFlow is imported only when a function
needs it. Submodules:

* ``config`` - fast/full mode (``COURSE_FAST``) and ``pick(full=..., fast=...)``
* ``datasets`` - verified downloads, cache, offline fallback
* ``grammar`` - the Elman-style sentence grammar
* ``environment`` - ``setup()`` and ``check_environment()``
"""

from .config import fast_mode, pick
from .environment import check_environment, setup

__all__ = ["setup", "check_environment", "pick", "fast_mode", "__version__"]
__version__ = "0.1.0"
