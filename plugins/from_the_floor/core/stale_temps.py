"""Remove the temp files and staging folders a killed floor run left behind, and only those.

Every temp the kit makes is a dot-name ending in ``.tmp`` that carries the id
of the process writing it (atomic.py: ``.<name>.<pid>.<random>.tmp``; the
Markdown memo: ``.<name>.<pid>.tmp``; the search staging folder:
``.output-pagefind.<pid>.tmp``). One is stale when that process is gone, or
when the process now holding that id started after the file was last
written (the id was reused). A concurrent run's temps are never touched: its
process is alive and older than its files, lock or no lock. A ``.tmp`` name
without an id (from an older kit) is removed once a day old.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

_OURS = re.compile(r"^\..+?\.(?P<pid>\d+)(?:\.[A-Za-z0-9_]{1,16})?\.tmp$")
_ANY = re.compile(r"^\..+\.tmp$")
OLD_STYLE_AGE = 24 * 3600  # seconds: no writer keeps a temp file open for a day


def _started(pid: int) -> float | None:
    """When process ``pid`` started (epoch seconds); None if unknown on this system."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        ticks = int(stat.rpartition(")")[2].split()[19])  # field 22: starttime, after the name
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def is_stale(path: Path, *, now: float | None = None) -> bool:
    """Whether ``path`` is one of our temps whose writer is gone (see the module docstring)."""
    match = _OURS.match(path.name)
    try:
        mtime = path.lstat().st_mtime
    except FileNotFoundError:
        return False
    if match is None:
        return bool(_ANY.match(path.name)) and (now or time.time()) - mtime > OLD_STYLE_AGE
    pid = int(match["pid"])
    if not _alive(pid):
        return True
    started = _started(pid)
    return started is not None and started > mtime + 1  # the id now belongs to a newer process


def _temps_in(folder: str, recursive: bool, found: list[Path]) -> None:
    """The ``.*.tmp`` names in ``folder`` (and, if ``recursive``, in every folder below it that
    is not a symbolic link), as ``rglob(".*.tmp")`` finds them: listed with ``os.scandir``,
    which tells a folder without a ``stat`` and makes a path only for a name that matches
    (a build's output/ is thousands of folders: about half the time of ``rglob``)."""
    with os.scandir(folder) as entries:
        below = []
        for entry in entries:
            name = entry.name
            if len(name) >= 5 and name[0] == "." and name.endswith(".tmp"):  # (".*.tmp")
                found.append(Path(entry.path))
            if recursive and entry.is_dir(follow_symlinks=False):
                below.append(entry.path)
    for path in below:
        with contextlib.suppress(OSError):  # gone or unreadable since it was listed: as rglob
            _temps_in(path, recursive, found)


def sweep(folders: Iterable[Path], *, recursive: bool = False) -> list[Path]:
    """Remove stale temps (files, or staging folders) directly in ``folders`` (or anywhere below
    them, with ``recursive``); returns them."""
    removed = []
    for folder in folders:
        try:
            candidates: list[Path] = []
            _temps_in(str(folder), recursive, candidates)
            for path in candidates:
                if not is_stale(path):
                    continue
                with contextlib.suppress(FileNotFoundError):
                    if path.is_dir() and not path.is_symlink():
                        import shutil  # (here: a run that finds no stale temp folder needs no shutil)

                        shutil.rmtree(path)
                    else:
                        path.unlink()
                    removed.append(path)
        except OSError:
            continue  # an unreadable folder is reported by whatever reads it next
    return removed
