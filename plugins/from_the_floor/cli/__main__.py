"""``python -m from_the_floor.cli``: the same as the ``floor`` script."""

from .main import run

run()
