"""The command line, ``floor``: the only place click is imported.

``main`` is the click group (cli/main.py); each module beside it adds one group of
commands. Each command parses its options, calls core, intake, commands or the
build, and turns a FloorError into a clear message.

Loading these modules (click and the kit's own) is the first half second of every
``floor`` run, before the command's own Ctrl-C handling (cli/main.py) is in place: a
Ctrl-C then has changed nothing, and says so in the same one line instead of a traceback.
"""

import sys

try:
    from . import building, contacts, desk, intake, publishing, questions, retirement, setup  # noqa: F401  (register)
    from .main import main, run
except KeyboardInterrupt:  # (nothing has been read or written yet)
    sys.stderr.write("stopped (Ctrl-C): run the same command again to finish the job\n")
    raise SystemExit(130) from None

__all__ = ["main", "run"]
