"""The command line, ``floor``: the only place click is imported. Each command parses its
options, calls core, intake, commands or the build, and turns a FloorError into a clear message.
"""

from .main import main, run

__all__ = ["main", "run"]
