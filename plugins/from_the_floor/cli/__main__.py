"""``python -m from_the_floor.cli``: the same as the ``floor`` script."""

import os

from . import run

os.environ.setdefault("PYTHONUTF8", "1")
run()
