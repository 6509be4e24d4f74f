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
import contextvars
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import FloorError
from . import stale_temps
from .atomic import atomic_write_text, fsync_dir
from .site import Site

if TYPE_CHECKING:
    from filelock import FileLock

NAME = ".floor-journal.json"
LOCK_TIMEOUT = float(os.environ.get("FLOOR_LOCK_TIMEOUT", "120"))

Hook = Callable[[str], None]

# One lock object per lock file in this process: FileLock counts nested
# acquisitions of the same object, so publish → queue.load → recover does not
# deadlock against itself.
_LOCKS: dict[str, FileLock] = {}


@dataclass
class Change:
    """Files to write (path → text) and files to remove, relative to the site root."""

    write: dict[str, str] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    summary: str = ""


def path_for(site: Site) -> Path:
    return site.root / NAME


def site_lock(site: Site) -> FileLock:
    """The site's publish lock (re-entrant within one process)."""
    from filelock import FileLock  # imported when a lock is taken: reading the queue takes none

    key = str(site.lock_path)
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS[key] = FileLock(key, timeout=LOCK_TIMEOUT)
    return lock


class SiteBusy(FloorError):
    """The site lock stayed held by another run for as long as this one would wait (``waited``)."""

    waited: float = 0.0


# How long :func:`locked` waits for the lock here (None: LOCK_TIMEOUT); see :func:`lock_wait`.
_wait: contextvars.ContextVar[float | None] = contextvars.ContextVar("floor_lock_wait", default=None)


@contextlib.contextmanager
def lock_wait(seconds: float) -> Iterator[None]:
    """Within the block, :func:`locked` gives up after ``seconds`` (at most LOCK_TIMEOUT).

    A command in a terminal may wait two minutes for a publish to finish; a page
    in the desk that waits so long looks broken (a Save spun with no word), so
    the desk waits a few seconds and then says the site is busy."""
    token = _wait.set(min(seconds, LOCK_TIMEOUT))
    try:
        yield
    finally:
        _wait.reset(token)


@contextlib.contextmanager
def locked(site: Site) -> Iterator[None]:
    """Hold the site lock; a clear error (SiteBusy), not a hang, if another run keeps it."""
    from filelock import Timeout

    lock = site_lock(site)
    wait = _wait.get()
    timeout = LOCK_TIMEOUT if wait is None else wait
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        busy = SiteBusy(
            f"another floor command (a publish, an intake, an edit) has held the lock for "
            f"{timeout:.0f} s; try again when it is done",
            path=site.lock_path,
        )
        busy.waited = timeout
        raise busy from None
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
