"""A redo journal that makes a multi-file publish all-or-nothing.

Publishing writes posts into content/floor/ and removes their files from
questions/. The whole change is first written, atomically, as one journal
file; then it is applied; then the journal is deleted. A run killed before
the journal lands leaves the site as before; killed after, any floor
command finishes the work (every step is idempotent), so the site ends
fully after.

The site lock (``.floor.lock``) serialises publishing and recovery, so a
`floor queue` started while a publish is applying its journal waits for it
instead of applying the same journal alongside it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from ..errors import FloorError
from . import stale_temps
from .atomic import atomic_write_text, fsync_dir
from .site import Site

if TYPE_CHECKING:
    from filelock import FileLock

NAME = ".floor-journal.json"
LOCK_TIMEOUT = float(os.environ.get("FLOOR_LOCK_TIMEOUT", "120"))

Hook = Callable[[str], None]


class SiteLock(Protocol):
    """What :func:`locked` needs of a lock: :class:`FlockLock`, or filelock's ``FileLock``."""

    def acquire(self) -> object: ...

    def release(self) -> None: ...


# One lock object per lock file in this process: the lock counts nested
# acquisitions of the same object, so publish → queue.load → recover does not
# deadlock against itself.
_LOCKS: dict[str, SiteLock] = {}


@dataclass
class Change:
    """Files to write (path → text) and files to remove, relative to the site root."""

    write: dict[str, str] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    summary: str = ""


def path_for(site: Site) -> Path:
    return site.root / NAME


def site_lock(site: Site) -> SiteLock:
    """The site's publish lock (re-entrant within one process).

    Where the system has ``flock`` (Linux, macOS: the runners the weekly job
    uses) the kit takes it itself (:class:`FlockLock`): the same lock on the
    same file as filelock's, so the two exclude each other, without the 25 ms
    importing filelock costs each `floor publish`. Elsewhere (Windows), and on
    a file system without ``flock``, filelock takes it.
    """
    key = str(site.lock_path)
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS[key] = FlockLock(key, LOCK_TIMEOUT) if _HAS_FLOCK else _filelock(key)
    return lock


def _filelock(path: str) -> FileLock:
    from filelock import FileLock  # imported only where it takes the lock

    return FileLock(path, timeout=LOCK_TIMEOUT)


try:
    import fcntl

    _HAS_FLOCK = hasattr(fcntl, "flock")
except ImportError:  # Windows
    _HAS_FLOCK = False

_BUSY = frozenset({errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK})  # another process holds it
_NO_FLOCK = frozenset({errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK})  # this file system has none
_POLL = 0.05  # seconds between tries while another process holds the lock


class FlockLock:
    """An exclusive ``flock`` on the lock file, held by one thread of this process at a time.

    Re-entrant in the thread that holds it; another thread or process waits,
    and gets a :class:`TimeoutError` after ``timeout`` seconds (a negative
    timeout waits for ever). The file stays in place, so every process locks
    the same inode; if it was removed or replaced while this one waited, the
    lock is taken again on the file now at the path. On a file system
    without ``flock`` it hands over to filelock, which uses a marker file there.
    """

    def __init__(self, path: str, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._thread = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._other: FileLock | None = None  # filelock's, where flock is missing

    def acquire(self) -> None:
        """Take the lock (again, in the thread that holds it); TimeoutError if it is not free in time."""
        deadline = None if self.timeout < 0 else time.monotonic() + self.timeout
        if not self._thread.acquire(timeout=-1 if deadline is None else self.timeout):
            raise TimeoutError(f"{self.path} is held by another thread")
        try:
            if self._depth == 0:
                if self._other is None:
                    self._fd = self._take(deadline)
                if self._fd is None:
                    self._other = self._other or _filelock(self.path)
                    self._other.acquire(timeout=self.timeout)
            self._depth += 1
        except BaseException:
            self._thread.release()
            raise

    def release(self) -> None:
        """Let go once; the last release unlocks the file."""
        if self._depth == 0:
            raise RuntimeError(f"{self.path}: released more often than taken")
        self._depth -= 1
        try:
            if self._depth == 0:
                if self._fd is not None:
                    fd, self._fd = self._fd, None
                    try:
                        fcntl.flock(fd, fcntl.LOCK_UN)
                    finally:
                        os.close(fd)
                elif self._other is not None:
                    self._other.release()
        finally:
            self._thread.release()

    def _take(self, deadline: float | None) -> int | None:
        """The lock file's descriptor, locked; None when this file system has no flock."""
        while True:
            created = True
            try:  # (not inherited by git and the other programs a command runs)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                created = False
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except OSError as exc:
                        if exc.errno in _NO_FLOCK:  # filelock finds the folder as it was
                            os.close(fd)
                            if created:
                                os.unlink(self.path)
                            return None
                        if exc.errno not in _BUSY:
                            raise
                    if deadline is not None and time.monotonic() >= deadline:
                        raise TimeoutError(f"{self.path} is held by another process")
                    time.sleep(_POLL)
                held = os.fstat(fd)
                try:
                    now = os.stat(self.path)
                except FileNotFoundError:
                    now = None
                if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                    return fd
            except BaseException:
                with contextlib.suppress(OSError):
                    os.close(fd)
                raise
            os.close(fd)  # the file was removed or replaced while this waited: lock the new one


@contextlib.contextmanager
def locked(site: Site) -> Iterator[None]:
    """Hold the site lock; a clear error, not a hang, if another run keeps it."""
    lock = site_lock(site)
    try:
        lock.acquire()
    except TimeoutError:  # filelock's Timeout is one too
        raise FloorError(
            f"another floor command (a publish, an intake, an edit) has held the lock for "
            f"{LOCK_TIMEOUT:.0f} s; try again when it is done",
            path=site.lock_path,
        ) from None
    try:
        yield
    finally:
        lock.release()


def commit(site: Site, change: Change, *, hook: Hook | None = None) -> None:
    """Record the change durably, apply it, then forget it. Call with the site lock held.

    ``hook(step)`` is called between steps ("start", "journal", "write:PATH",
    "remove:PATH", "done") so tests can kill a publish anywhere.
    """
    step = hook or (lambda _step: None)
    step("start")
    payload = {"write": change.write, "remove": change.remove, "summary": change.summary}
    atomic_write_text(path_for(site), json.dumps(payload, ensure_ascii=False, indent=1))
    step("journal")
    apply(site, payload, hook=step)


# the records at the site's root a journal may also write (core/withdrawn.STATE_FILE is this name)
WITHDRAWN_RECORD = "withdrawn.json"
SITE_RECORDS = frozenset({WITHDRAWN_RECORD})


def _target(site: Site, rel: object) -> Path:
    """Where a journal entry may write or delete: a Markdown file in questions/ or content/, or
    one of :data:`SITE_RECORDS` at the site's root.

    The journal is a file in the site folder, so a hostile or corrupted one
    (an absolute path, ``..``, a symlink out of the site) must not make a
    routine ``floor queue`` write or delete anything else.
    """
    where = path_for(site)
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        raise FloorError(
            f"the journal names {rel!r}, which is not a path; inspect it, then delete it", path=where
        )
    parts = PurePosixPath(rel).parts
    if PurePosixPath(rel).is_absolute() or ".." in parts or rel != PurePosixPath(rel).as_posix():
        raise FloorError(
            f"the journal names {rel!r}, a path outside the site; refusing to apply it "
            "(inspect the file, then delete it)",
            path=where,
        )
    target = site.root / rel
    resolved = target.resolve()
    if rel in SITE_RECORDS and resolved == site.root.resolve() / rel:
        return target  # a record at the site's root (an import renumbers the withdrawn posts)
    allowed = [site.questions_dir.resolve(), site.content_dir.resolve()]
    if target.suffix != ".md" or not any(resolved.is_relative_to(base) for base in allowed):
        raise FloorError(
            f"the journal names {rel!r}, which is not a question or post file inside the site "
            "(a symlink out of it, or another kind of file); refusing to apply it "
            "(inspect the file, then delete it)",
            path=where,
        )
    return target


def apply(site: Site, payload: dict, *, hook: Hook | None = None) -> None:
    """Make the tree match the journal, then delete it; safe to repeat after a crash."""
    step = hook or (lambda _step: None)
    targets = {rel: _target(site, rel) for rel in [*payload["write"], *payload["remove"]]}
    for rel, text in payload["write"].items():
        if not isinstance(text, str):
            raise FloorError(f"the journal's text for {rel!r} is not text; inspect it", path=path_for(site))
    for rel, text in payload["write"].items():
        target = targets[rel]
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            atomic_write_text(target, text)
        step(f"write:{rel}")
    for rel in payload["remove"]:
        target = targets[rel]
        try:
            target.unlink()
            fsync_dir(target.parent)
        except FileNotFoundError:
            pass
        step(f"remove:{rel}")
    _remove_temps(site, payload)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path_for(site))
    fsync_dir(site.root)
    step("done")


def _remove_temps(site: Site, payload: dict) -> None:
    """Delete half-written temp files a killed writer left beside the journal's targets."""
    for rel in payload["write"]:
        target = site.root / rel
        for temp in target.parent.glob(f".{target.name}.*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def _temp_folders(site: Site) -> list[Path]:
    """Where the kit writes files atomically, outside output/ (the build sweeps that)."""
    questions, content = site.questions_dir, site.content_dir
    return [
        site.root,
        questions,
        questions / "inbox" / "rejected",
        content,
        site.posts_dir,
        content / "pages",
    ]


def remove_stale_journal_temps(site: Site) -> None:
    """A publish killed while writing its journal leaves a temp file; call with the lock held."""
    # atomic_write_text names its temps ".<name>.<random>.tmp": here "..floor-journal.json.*.tmp"
    for temp in site.root.glob(f".{NAME}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def waiting_summary(site: Site) -> str | None:
    """What the journal an earlier run left says it was doing ("import 55 posts"), or None when none waits.

    Read before :func:`recover` by a command that finishes that run silently on its way (reading
    the queue does), so it can tell the author the stopped run's work is now done.
    """
    try:
        payload = json.loads(path_for(site).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError:
        return ""
    summary = payload.get("summary") if isinstance(payload, dict) else None
    return summary if isinstance(summary, str) else ""


def recover(site: Site) -> bool:
    """Finish a change an earlier run was killed in the middle of; True if there was one.

    Temp files a killed writer left in the site's folders go first (only stale
    ones: a concurrent run's are kept, see stale_temps).
    """
    stale_temps.sweep(_temp_folders(site))
    path = path_for(site)
    if not path.exists():
        return False
    with locked(site):
        if not path.exists():  # the run that wrote it finished while we waited
            return False
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(payload["write"], dict) or not isinstance(payload["remove"], list):
                raise TypeError("'write' must be a mapping and 'remove' a list")
        except (ValueError, KeyError, TypeError) as exc:
            raise FloorError(
                f"unreadable publish journal ({exc}); inspect it, then delete it", path=path
            ) from None
        apply(site, payload)
    return True
