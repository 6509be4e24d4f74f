"""Atomic file writes: a reader or a crash sees the old file or the new one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def _write_temp(path: Path, data: str | bytes) -> str:
    """The data, fsynced, in a temp file beside ``path``; returns the temp file's name."""
    with _temp_beside(path) as (handle, tmp):
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return tmp


@contextlib.contextmanager
def _temp_beside(path: Path) -> Iterator[tuple[BinaryIO, str]]:
    """An open temp file beside ``path`` (same folder, so a rename is atomic), fsynced on exit."""
    import tempfile  # (here: a command that writes nothing, floor queue, need not import it and shutil)

    path.parent.mkdir(parents=True, exist_ok=True)
    # the writer's pid in the name lets the next run tell a killed writer's temp (stale_temps)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            yield handle, tmp
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_binary(path: Path) -> Iterator[BinaryIO]:
    """A binary file that appears under ``path`` only once completely written and fsynced."""
    path = Path(path)
    with _temp_beside(path) as (handle, tmp):
        yield handle
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder, fsync, then rename over."""
    with atomic_binary(Path(path)) as handle:
        handle.write(text.encode("utf-8"))


def create_exclusive(path: Path, data: str | bytes) -> bool:
    """Write a new file atomically, only if nothing has that name yet; False if taken.

    ``os.link`` gives the finished temp file its name and fails if the name
    exists, so two writers at once cannot overwrite each other, and nobody
    ever sees a half-written file.
    """
    path = Path(path)
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    fsync_dir(path.parent)
    return True


def _mode_for(path: Path) -> int:
    """Keep a replaced file's permissions; give a new file the umask's (mkstemp uses 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_dir(folder: Path) -> None:
    """Make a rename durable; a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
