"""The command line, ``floor``: the only place click is imported.

``main`` is the click group (cli/main.py); each module beside it adds one group of
commands. Each command parses its options, calls core, intake, commands or the
build, and turns a FloorError into a clear message.
"""

from . import building, contacts, desk, intake, publishing, questions, retirement, setup  # noqa: F401  (register)
from .main import main, run

__all__ = ["main", "run"]
