"""Building beside output/ and swapping the result in: a refused build leaves the last good one.

A build writes into a staging folder next to output/
(``.output.staging-PID.tmp``), which starts holding what output/ holds (mtimes
kept, so a page whose bytes do not change is still not rewritten, and files a
site keeps there, such as a ``.git`` for a gh-pages worktree, stay). Only
when the contact guard has passed the whole staging folder is it renamed to
output/; the old output/ is renamed aside and kept as ``.output.spare.tmp``,
which the next build brings up to date (copying only what differs) instead of
copying everything. If the build fails, is refused or is killed, output/ is
untouched; the next build removes what a killed one left (its staging
folder, or the set-aside old output/, which is put back if the kill came
between the two renames). The names end in ``.tmp``, which the site's
.gitignore already ignores.

What the staging folder takes from output/ is hard-linked when the build
says every writer replaces files rather than writing into them
(``link=True``: the kit's own writers do, and Pelican's static copies are
made to, see pelican_plugin/engine.py); a link costs a directory entry, a
copy the file's bytes. A file system without hard links gets copies.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
from pathlib import Path

from ..errors import FloorError

_STAGING = "staging"
# why an output/ folder may refuse to be renamed though it can be written: a mount point
_NOT_RENAMABLE = {errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES}
_PREVIOUS = "previous"

# staging folder (absolute) -> the output folder it will become, for naming files in messages
_public: dict[Path, Path] = {}


def target(output: Path) -> Path:
    """The folder the swap renames: output/ itself, or where a symlinked output/ points."""
    output = Path(output).absolute()
    return Path(os.path.realpath(output)) if output.is_symlink() else output


def _name(output: Path, kind: str) -> Path:
    return output.with_name(f".{output.name}.{kind}-{os.getpid()}.tmp")  # .*.tmp: git-ignored


def _spare(output: Path) -> Path:
    return output.with_name(f".{output.name}.spare.tmp")


def spare_of(output: Path) -> Path:
    """The previous build's copy kept beside ``output`` (it may not exist)."""
    return _spare(target(output))


def drop_spare(output: Path) -> bool:
    """Delete the previous build's copy kept beside output/ (a withdrawn post's page is in it
    until the next build); the next build copies output/ afresh. True when there was one."""
    spare = _spare(target(output))
    if not spare.is_dir() or spare.is_symlink():
        return False
    shutil.rmtree(spare, ignore_errors=True)
    return True


def _leftover(output: Path, name: str) -> tuple[str, int] | None:
    """(kind, pid) if ``name`` is a staging or set-aside folder of a build of ``output``.

    Pagefind's own staging folder for a build is named after that build's
    staging folder (``..output.staging-PID.tmp-pagefind…``), so it matches too.
    """
    found = re.match(r"\.+" + re.escape(output.name) + r"\.(staging|previous)-(\d+)\.tmp", name)
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
        _remove(path)
        removed.append(path)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def folder(output: Path) -> Path:
    """The staging folder this process's build of ``output`` fills (:func:`prepare`): named before
    it exists, so a build can point Pelican at it while a worker process fills it."""
    output = target(output)
    staging = _name(output, _STAGING)
    _public[staging] = output
    return staging


def prepare(
    output: Path,
    *,
    keep_only: tuple[str, ...] | None = None,
    link: bool = False,
    into: Path | None = None,
    listing: Listing | None = None,
) -> Path:
    """A staging folder for a build of ``output``, holding what output/ holds (mtimes kept).

    It is the build before last (kept as a spare by :func:`swap_in`) brought
    up to date, so only files that differ are copied; failing that, a copy.
    Pagefind's bundles come too: a search shard whose records did not change is
    kept (web/search_shards.py), and a site without search has them removed.
    ``keep_only`` (a build that empties its output folder first, Pelican's
    DELETE_OUTPUT_DIRECTORY) keeps only those top-level names
    (OUTPUT_RETENTION), since the rest would be deleted at once. ``link``:
    hard-link what differs instead of copying it (only when nothing writes
    into a file in place during the build, or output/ would change with it).
    ``into``: the folder :func:`folder` named in the build's process, when
    another process (with another id) fills it. ``listing``: filled with what
    was seen of each file (:class:`Listing`), for the check of the folder.
    """
    output = target(output)
    clean_leftovers(output)
    staging = into if into is not None else _name(output, _STAGING)
    spare = _spare(output)
    try:
        os.rename(spare, staging)  # claimed: a build running beside this one finds no spare
    except OSError:
        if os.path.lexists(spare):
            _remove(spare)  # not a folder we can take: a full copy instead
    if not output.is_dir():
        _remove(staging)
        staging.mkdir(parents=True)
    else:
        staging.mkdir(exist_ok=True)
        names = sorted(os.listdir(output)) if keep_only is None else sorted(set(keep_only))
        names = [n for n in names if n and os.path.lexists(output / n)]
        _sync(output, staging, names, compare=_same_stat, link=link, listing=listing)
    _public[staging] = output
    return staging


def public_name(folder: Path) -> Path:
    """The output folder ``folder`` stands for, if it is a staging folder; else ``folder``."""
    return _public.get(Path(folder).absolute(), Path(folder))


# What a write says when the disk (or the author's share of it) has no room left.
_NO_ROOM = {errno.ENOSPC: "space", errno.EDQUOT: "quota"}


def no_room(exc: BaseException) -> bool:
    """Whether ``exc`` is a write refused for want of disk space (or of quota)."""
    return isinstance(exc, OSError) and exc.errno in _NO_ROOM


def free_bytes(path: Path) -> int | None:
    """The bytes this user may still write on the disk that holds ``path`` (its nearest folder
    that exists); None when that cannot be told."""
    path = Path(path).absolute()
    for candidate in (path, *path.parents):
        try:
            found = os.statvfs(candidate)
        except OSError:
            continue
        return found.f_bavail * found.f_frsize
    return None


def _size_text(size: int | None) -> str:
    if size is None:
        return "how much is left is unknown"
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit} left"
    return f"{size} bytes left"


def out_of_room(
    output: Path, writing: str, exc: BaseException | None = None, *, untouched: bool = True
) -> FloorError:
    """The one sentence for a build the disk had no room for: what ran out (space, or the quota),
    where (what was being written, on which disk), and what became of the site ``output`` held.

    ``untouched``: the failure came before the new site replaced the old one (as every failure
    before :func:`swap_in` does).
    """
    what = _NO_ROOM.get(getattr(exc, "errno", None), "space")
    ran_out = "your disk quota ran out" if what == "quota" else "the disk is full"
    where = Path(output).absolute().parent
    kept = (
        f"the previous site in {Path(output).name}/ is untouched"
        if untouched
        else f"{Path(output).name}/ may hold part of the new site, so build again before uploading it"
    )
    return FloorError(
        f"{ran_out} ({_size_text(free_bytes(where))} on the disk that holds {where}) while the build "
        f"was writing {writing}: {kept}; free some space and run the build again",
        path=output,
    )


def swap_in(staging: Path, output: Path, *, keep_spare: bool = True) -> None:
    """Make the finished staging folder output/ (the old output/ is removed).

    An output/ that cannot be renamed (a mount point, say) is updated in
    place from the staging folder instead: the guard has already passed it.
    ``keep_spare=False``: the old output/ is deleted rather than kept as the
    spare the next build starts from (it holds a page that must not stay, such
    as a post withdrawn since it was built).
    """
    output = target(output)
    previous = _name(output, _PREVIOUS)
    had_output = os.path.lexists(output)
    try:
        if had_output:
            try:
                os.rename(output, previous)
            except OSError as exc:
                if exc.errno not in _NOT_RENAMABLE:
                    raise
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
    if had_output and not keep_spare:
        _remove(previous)
    elif had_output:
        try:
            os.rename(previous, _spare(output))  # the next build starts from it (prepare)
        except OSError:
            _remove(previous)


def _mirror(staging: Path, output: Path) -> None:
    """Make ``output`` hold what ``staging`` holds, in place (each file replaced atomically)."""
    _sync(staging, output, sorted(os.listdir(staging)), compare=_same_bytes)


class Listing:
    """What :func:`prepare` saw of output/'s regular files as it staged them, so that the build's
    check of the staging folder need not list and stat both trees again.

    ``before``: each file's stat in output/, taken before anything was linked to it (a hard link
    moves the file's ctime, which the build record compares). ``staged``: the stat of its
    counterpart in the staging folder where that is known without asking again (a new hard link
    is the same file, so it has the same inode, size and mtime; a file kept from the spare was
    stated to compare it), else None (a copy: stated when checked). ``whole`` is False once a
    symlink or another special file was met: the check then lists the staging folder itself.
    """

    def __init__(self) -> None:
        self.before: dict[str, os.stat_result] = {}
        self.staged: dict[str, os.stat_result | None] = {}
        self.whole = True


def _sync(
    source: str | Path,
    dest: str | Path,
    names: list[str],
    compare,
    *,
    link: bool = False,
    listing: Listing | None = None,
    here: dict[str, os.DirEntry] | None = None,
    there: dict[str, os.DirEntry] | None = None,
    prefix: str = "",
) -> None:
    """Make ``dest`` hold exactly ``names`` from ``source`` (files, folders, symlinks as they are).

    A file ``compare`` finds the same is left alone; any other is replaced by
    a copy written beside it and renamed over (never written through: a file
    in ``dest`` may be a hard link). Anything else in ``dest`` is removed.
    ``link``: a hard link of the file rather than a copy, where the file system allows.
    Each folder is listed once on each side (its entries' types come with the listing; a folder
    made here is known to be empty); ``here``/``there``: those listings, when the caller has them.
    ``listing``: filled with what was seen of each regular file (:class:`Listing`).
    Paths are handled as strings: a thousand posts are thousands of entries.
    """
    source, dest = os.fspath(source), os.fspath(dest)
    wanted = set(names)
    there = _entries(dest) if there is None else there
    for name, entry in there.items():
        if name not in wanted:
            _remove(Path(entry.path))
    here = _entries(source) if here is None else here
    for name in names:
        src, old = here.get(name), there.get(name)
        if src is None:
            continue  # gone since it was listed
        dst = os.path.join(dest, name)
        if src.is_dir(follow_symlinks=False):
            made = old is None or not old.is_dir(follow_symlinks=False)
            if made:
                if old is not None:
                    _remove(Path(dst))
                os.mkdir(dst)
            inner = _entries(src.path)
            _sync(
                src.path,
                dst,
                sorted(inner),
                compare,
                link=link,
                listing=listing,
                here=inner,
                there={} if made else None,
                prefix=f"{prefix}{name}/",
            )
            continue
        symlink = src.is_symlink()
        before = None
        if listing is not None:
            if symlink or not src.is_file(follow_symlinks=False):
                listing.whole = False
            else:
                before = src.stat()  # before it is linked (that moves its ctime)
        staged = before
        if (
            symlink
            or old is None
            or old.is_symlink()
            or not old.is_file(follow_symlinks=False)
            or not compare(src, old)
        ):
            if old is not None and old.is_dir(follow_symlinks=False):
                _remove(Path(dst))
                old = None
            if not (link and old is None and not symlink and _link_new(src.path, dst)):
                temp = os.path.join(dest, f".{name}.{os.getpid()}.tmp")
                if not (link and _hard_link(src.path, temp)):
                    shutil.copy2(src.path, temp, follow_symlinks=False)
                    staged = None  # another file: stated when checked
                os.replace(temp, dst)
        else:
            staged = old.stat()  # kept from the spare (stated by ``compare``)
        if before is not None and listing is not None:
            rel = prefix + name
            listing.before[rel] = before
            listing.staged[rel] = staged


def _entries(folder: str | Path) -> dict[str, os.DirEntry]:
    with os.scandir(folder) as listing:
        return {entry.name: entry for entry in listing}


def _link_new(src: str, dst: str) -> bool:
    """Hard-link ``dst`` (a name ``dest`` does not hold) to ``src``: no temporary file is needed,
    as nothing can be written through a name that was not there. False where links cannot be
    made (the caller copies) or the name has appeared since the folder was listed."""
    try:
        os.link(src, dst)
    except OSError:
        return False
    return True


def _hard_link(src: str, temp: str) -> bool:
    """Link ``temp`` to ``src``'s file (a regular file, not a symlink); False where that cannot be."""
    if os.path.islink(src):
        return False
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)
    try:
        os.link(src, temp)
    except OSError:  # no hard links here (EPERM, EXDEV, EMLINK…): a copy instead
        return False
    return True


def _same_stat(a: os.DirEntry, b: os.DirEntry) -> bool:
    """Same size and modification time: a copy of the same generation (copies keep mtimes)."""
    sa, sb = a.stat(), b.stat()
    return sa.st_size == sb.st_size and sa.st_mtime_ns == sb.st_mtime_ns


def _same_bytes(a: os.DirEntry, b: os.DirEntry) -> bool:
    return a.stat().st_size == b.stat().st_size and Path(a.path).read_bytes() == Path(b.path).read_bytes()


def discard(staging: Path) -> None:
    """Remove a staging folder whose build did not pass (output/ is left as it was)."""
    _public.pop(Path(staging).absolute(), None)
    _remove(Path(staging))
