"""Building beside output/ and swapping the result in: a refused build leaves the last good one.

A build writes into a staging folder next to output/ (``.output.staging-PID``),
which starts as a copy of output/ (mtimes kept, so a page whose bytes do not
change is still not rewritten, and files a site keeps there, such as a
``.git`` for a gh-pages worktree, stay). Only when the contact guard has
passed the whole staging folder is it renamed to output/, the old folder
having been renamed aside first and then removed. If the build fails, is
refused or is killed, output/ is untouched; the next build removes what a
killed one left (its staging folder, or the set-aside old output/, which is
put back if the kill came between the two renames).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

_STAGING = "staging"
_PREVIOUS = "previous"

# staging folder (absolute) -> the output folder it will become, for naming files in messages
_public: dict[Path, Path] = {}


def target(output: Path) -> Path:
    """The folder the swap renames: output/ itself, or where a symlinked output/ points."""
    output = Path(output).absolute()
    return Path(os.path.realpath(output)) if output.is_symlink() else output


def _name(output: Path, kind: str) -> Path:
    return output.with_name(f".{output.name}.{kind}-{os.getpid()}")


def _leftover(output: Path, name: str) -> tuple[str, int] | None:
    """(kind, pid) if ``name`` is a staging or set-aside folder of a build of ``output``.

    Pagefind's own staging folder for a build is named after that build's
    staging folder (``..output.staging-PID-pagefind…``), so it matches too.
    """
    found = re.match(r"\.+" + re.escape(output.name) + r"\.(staging|previous)-(\d+)", name)
    return (found.group(1), int(found.group(2))) if found else None


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is starting a new build: its old folders are stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def clean_leftovers(output: Path) -> list[Path]:
    """Remove what killed builds of ``output`` left beside it; returns what was removed."""
    output = target(output)
    parent = output.parent
    if not parent.is_dir():
        return []
    removed: list[Path] = []
    for entry in sorted(os.listdir(parent)):
        found = _leftover(output, entry)
        if found is None or _running(found[1]):
            continue
        path = parent / entry
        if found[0] == _PREVIOUS and not os.path.lexists(output) and path.is_dir():
            os.rename(path, output)  # killed between the two renames: the last good build comes back
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        removed.append(path)
    return removed


def prepare(output: Path, *, keep_only: tuple[str, ...] | None = None) -> Path:
    """A fresh staging folder for a build of ``output``: a copy of it (mtimes kept).

    ``keep_only`` (a build that empties its output folder first, Pelican's
    DELETE_OUTPUT_DIRECTORY) copies only those top-level names
    (OUTPUT_RETENTION), since the rest would be deleted at once.
    """
    output = target(output)
    clean_leftovers(output)
    staging = _name(output, _STAGING)
    if output.is_dir():
        if keep_only is None:
            shutil.copytree(output, staging, symlinks=True)
        else:
            staging.mkdir()
            for name in keep_only:
                source = output / name
                if source.is_dir() and not source.is_symlink():
                    shutil.copytree(source, staging / name, symlinks=True)
                elif os.path.lexists(source):
                    shutil.copy2(source, staging / name, follow_symlinks=False)
    else:
        staging.mkdir(parents=True)
    _public[staging] = output
    return staging


def public_name(folder: Path) -> Path:
    """The output folder ``folder`` stands for, if it is a staging folder; else ``folder``."""
    return _public.get(Path(folder).absolute(), Path(folder))


def swap_in(staging: Path, output: Path) -> None:
    """Make the finished staging folder output/ (the old output/ is removed).

    An output/ that cannot be renamed (a mount point, say) is updated in
    place from the staging folder instead: the guard has already passed it.
    """
    output = target(output)
    previous = _name(output, _PREVIOUS)
    had_output = os.path.lexists(output)
    try:
        if had_output:
            try:
                os.rename(output, previous)
            except OSError:
                _mirror(Path(staging), output)
                shutil.rmtree(staging, ignore_errors=True)
                return
        try:
            os.rename(staging, output)
        except OSError:
            if had_output:
                os.rename(previous, output)
            raise
    finally:
        _public.pop(Path(staging).absolute(), None)
    if had_output:
        shutil.rmtree(previous, ignore_errors=True)


def _mirror(staging: Path, output: Path) -> None:
    """Make ``output`` hold what ``staging`` holds, file by file (each file replaced atomically)."""
    wanted: set[Path] = set()
    for root, dirs, files in os.walk(staging):
        rel = Path(root).relative_to(staging)
        (output / rel).mkdir(parents=True, exist_ok=True)
        wanted.add(rel)
        for name in [*files, *(d for d in dirs if (Path(root) / d).is_symlink())]:
            wanted.add(rel / name)
            source, dest = Path(root) / name, output / rel / name
            if dest.is_file() and not source.is_symlink() and _same(source, dest):
                continue
            temp = dest.with_name(f".{name}.{os.getpid()}.tmp")
            shutil.copy2(source, temp, follow_symlinks=False)
            os.replace(temp, dest)
    for root, dirs, files in os.walk(output, topdown=False):
        rel = Path(root).relative_to(output)
        for name in [*files, *dirs]:
            if rel / name not in wanted:
                path = Path(root) / name
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)


def _same(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def discard(staging: Path) -> None:
    """Remove a staging folder whose build did not pass."""
    _public.pop(Path(staging).absolute(), None)
    shutil.rmtree(staging, ignore_errors=True)
