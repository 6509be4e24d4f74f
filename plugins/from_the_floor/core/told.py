"""Who `floor notify` has told, written down the moment the mail server (or GitHub) accepted the note.

Recording a note in the post (and, for a reader kept apart, in the
question's readers file) means reading and rewriting those files; for a
question 600 readers asked that is a 357 KB file per note, and most of each
note's time. A run killed in that time had sent the note but not recorded
it, so the re-run sent it again. So each note is first appended as one line
to ``.floor-told.jsonl`` at the site's root and fsynced at once (the
smallest step the platform offers after the server's "accepted"); every
:data:`FOLD_EVERY` notes and at the end of the run the lines are folded into
the post files (atomic writes, one per file), and the journal is removed.

Any run of `floor notify` (and `--commit`, which then commits the records)
folds a journal left by a killed run before it decides who to mail. The
journal is not ignored by git, so a journal committed with the rest (a
plain ``git add -A``) reaches a fresh checkout, whose notify folds it too.

A line holds the post's id, the reader's place (``null`` for the asker) and
a keyed digest of the contact *as stored* (sealed), never the contact: the
key comes from the site's private key (``Keys.mac_key``), so the digest
cannot be checked against a guessed address. Lines are JSON, read as data.
A last line without its newline (a kill mid-write) is ignored, and cut off
before the next line is appended.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import FloorError
from . import journal, readers_file
from . import question as question_mod
from .atomic import atomic_write_text, fsync_dir
from .question import AlsoAsked
from .site import Site

NAME = ".floor-told.jsonl"
FOLD_EVERY = 50  # notes between folds: a journal a reader can still read, files rewritten 12 times for 600
PURPOSE = "floor notify: who was told"


@dataclass(frozen=True)
class Told:
    """One note that went out: which post, which reader, when."""

    post: str
    entry: int | None
    who: str | None
    at: str


def path_for(site: Site) -> Path:
    return site.root / NAME


def digest(site: Site, stored: str | None) -> str | None:
    """A keyed digest of a contact as the files hold it; None without a private key (then the
    reader's place alone says who: a site without keys holds no sealed contact to open)."""
    key = site.keys.mac_key(PURPOSE)
    if key is None or not stored:
        return None
    return hashlib.blake2b(stored.encode("utf-8"), key=key[:64], digest_size=16).hexdigest()


def read(site: Site) -> list[Told]:
    """The journal's complete lines (none when there is no journal); a torn last line is left out."""
    path = path_for(site)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    found = []
    complete = data[: data.rfind(b"\n") + 1]
    for number, line in enumerate(complete.decode("utf-8", errors="replace").splitlines(), start=1):
        try:
            item = json.loads(line)
            entry = item["entry"]
            found.append(
                Told(
                    str(item["post"]),
                    entry if isinstance(entry, int) and not isinstance(entry, bool) else None,
                    str(item["who"]) if item.get("who") else None,
                    str(item["at"]),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise FloorError(
                f"line {number} is not a record of a note sent (post, entry, who, at); "
                "remove the line to go on (the reader may then be told again)",
                path=path,
            ) from None
    return found


class Writer:
    """Appends each note to the journal and fsyncs it before the run goes on."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.path = path_for(site)
        self._handle: int | None = None
        self.pending = 0  # lines not yet folded

    def _open(self) -> int:
        if self._handle is None:
            created = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
            size = os.fstat(fd).st_size
            if size:  # a kill mid-line left a torn tail: cut it before appending
                os.lseek(fd, 0, os.SEEK_SET)
                data = os.read(fd, size)
                keep = data.rfind(b"\n") + 1
                if keep != size:
                    os.ftruncate(fd, keep)
                    os.fsync(fd)
            if created:
                fsync_dir(self.path.parent)
            self._handle = fd
        return self._handle

    def add(self, post: str, entry: int | None, stored: str | None, at: str) -> None:
        line = json.dumps(
            {"post": post, "entry": entry, "who": digest(self.site, stored), "at": at}, separators=(",", ":")
        )
        # under the site lock, and to the journal now at the path: another run's fold (two notify runs
        # at once) may have folded and removed the file this run had open
        with journal.locked(self.site):
            if self._handle is not None and not _same_file(self._handle, self.path):
                self.close()
            fd = self._open()
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        self.pending += 1

    def close(self) -> None:
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        here = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (opened.st_dev, opened.st_ino)


def drop_post(site: Site, post_id: str) -> bool:
    """Take ``post_id``'s lines out of a journal a killed run left (call with the site lock held):
    the post was withdrawn, so there is nothing to fold them into, and the line names it by its
    id, which a withdrawal with --forget-address keeps nowhere. True when a line went."""
    path = path_for(site)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    lines = data[: data.rfind(b"\n") + 1].decode("utf-8", errors="replace").splitlines(keepends=True)
    kept = []
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        if not (isinstance(item, dict) and item.get("post") == post_id):
            kept.append(line)
    if len(kept) == len(lines):
        return False
    if kept:
        atomic_write_text(path, "".join(kept))
    else:
        path.unlink(missing_ok=True)
    return True


def fold(site: Site, posts: dict[str, Path] | None = None) -> list[str]:
    """Write the journal's records into the posts and readers files, then remove it.

    ``posts`` maps post ids to files (a run knows them; otherwise the
    published posts are looked up). Returns a line for each record that
    matched no reader (the reader was split off or removed since), which is
    dropped. Every step can be repeated: a fold killed half-way is finished
    by the next one, and a reader already recorded keeps the first moment.
    """
    with journal.locked(site):
        lines = read(site)
        if not lines:
            path_for(site).unlink(missing_ok=True)
            return []
        if posts is None or any(t.post not in posts for t in lines):
            from . import queue as queue_mod

            posts = {**{p.id: p.path for p in queue_mod.load(site).published}, **(posts or {})}
        by_post: dict[str, list[Told]] = defaultdict(list)
        for t in lines:
            by_post[t.post].append(t)
        lost: list[str] = []
        for qid, told in by_post.items():
            where = posts.get(qid)
            if where is None or not where.exists():
                lost += [f"{_who(t)} of {qid}: the post is gone" for t in told]
                continue
            lost += _fold_post(site, where, told)
        path_for(site).unlink(missing_ok=True)
        fsync_dir(site.root)
        return lost


def _who(t: Told) -> str:
    return "the asker" if t.entry is None else f"reader {t.entry + 2}"


def _fold_post(site: Site, where: Path, told: Iterable[Told]) -> list[str]:
    post = question_mod.load(where, published=True)
    told = list(told)
    asker = [t for t in told if t.entry is None]
    if asker and not post.notified:
        from . import edit  # (here: floor check reads the journal, never edits a post)

        post = edit.update(post, {"notified": asker[0].at})
    merged = [t for t in told if t.entry is not None]
    if not merged:
        return []
    entries = readers_file.everyone(site.questions_dir, post)
    digests = [digest(site, e.contact) for e in entries]
    changes: dict[int, AlsoAsked] = {}
    lost = []
    for t in merged:
        index = _match(t, entries, digests, changes)
        if index is None:
            lost.append(f"{_who(t)} of {post.id}: no longer among its readers")
        elif not entries[index].notified:
            changes[index] = dataclasses.replace(entries[index], notified=t.at)
    if changes:
        readers_file.update(site.questions_dir, post, entries, changes)
    return lost


def _match(t: Told, entries: list[AlsoAsked], digests: list[str | None], taken: dict) -> int | None:
    """The reader at the recorded place when the digest agrees; else the first unrecorded reader with
    that digest (readers moved by a split); without a digest, the place alone."""
    assert t.entry is not None
    if 0 <= t.entry < len(entries) and digests[t.entry] == t.who:
        return t.entry
    if t.who is None:
        return None
    return next(
        (i for i, d in enumerate(digests) if d == t.who and not entries[i].notified and i not in taken),
        None,
    )
