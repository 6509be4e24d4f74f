"""Memos of pure text → text functions, shared by a build's processes and kept between builds.

A build converts the same answers in several places (the post, the feeds,
the JSON-LD) and in several processes (forked readers). Each memo is keyed by
a digest of its input; what a forked process adds travels back to its parent
(:func:`additions` / :func:`merge`), and the memos marked ``keep`` are saved
in Pelican's cache folder so that the next build converts only what changed.

Kept memos live in a folder (:data:`FOLDER`), each memo in :data:`SHARDS` files
by the first digits of its digests, so that a build that changed a handful of
posts reads and rewrites a handful of files, not the whole memo (90 MB at
10,000 posts). A file is read only when one of its digests is looked for and is
not in memory (:func:`load` only says where the folder is), and rewritten only
when it gained an entry or holds one this build did not use (pruning: a deleted
post's entries go at the next build). :meth:`Memo.touch_key` marks an entry as
used without reading it. Each file starts with one line naming the memo, its
salt and its digests, so :func:`save` can tell from that line alone whether an
unread file is still wholly in use.

A forked process may write the kept results it made to a file of its own in the
folder instead (``additions(spill=…)``): only their digests (and where each
file's lines are) travel, the parent never holds their text, and :func:`save`
copies them into the files they belong to.

The files are JSON (digests as hex, results as text), never a pickle:
``.cache/`` comes back from the Actions cache in the weekly job, and a replaced
file must not be able to run code. A file not of the shape :func:`save` writes,
or of another salt, is not used (and is written again).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # what json.dumps(text, ensure_ascii=False) writes
from pathlib import Path

FOLDER = "floor-memo"  # in Pelican's CACHE_PATH
# earlier formats: removed when the folder is saved, never read (the pickle could run code; the
# single JSON file of issue 24's earlier sessions is simply made again, file by file)
OLD_FILES = ("floor-memo.pickle", "floor-memo.json")
SHARDS = 64  # files per memo: a weekly build rewrites about one per entry it adds
_HEX = re.compile(r"[0-9a-f]{32}")
_NAME = re.compile(r"[a-z0-9-]+")


# A result, or a call that makes the same text again from what its caller keeps anyway
# (Memo.remake_later): a result held twice, as text here and decoded there, costs memory.
Held = str | Callable[[], str]


def _text(held: Held) -> str:
    return held if isinstance(held, str) else held()


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Digest(str):
    """An input's digest, made once (:func:`digest`) and given to a memo's methods in place of
    the input: for a caller that looks up several memos by the same text, or keys a result by
    the digests of its parts instead of by one long text made of them."""


def digest(text: str) -> Digest:
    return Digest(_key(text))


def _key_of(text: str) -> str:
    return str(text) if type(text) is Digest else _key(text)


def _shard(key: str) -> int:
    return int(key[:2], 16) % SHARDS


def shard_file(folder: Path, name: str, shard: int) -> Path:
    return folder / f"{name}.{shard:02d}.json"


@dataclass(frozen=True)
class Spilled:
    """Results a forked process wrote to ``path`` (one ``digest result-as-JSON`` line each,
    grouped by shard; ``spans`` says where each shard's lines are) instead of sending them:
    the parent holds only their digests."""

    path: str
    keys: frozenset[str]
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class _OnDisk:
    """What this process knows of one shard file: its digests (None: not read, or not usable)."""

    keys: frozenset[str] | None
    read: bool  # its results were taken in (or there was nothing usable to take)


class Memo:
    """``produce`` by digest of its input: a pure function, so a result is reused as is."""

    def __init__(self, name: str, produce: Callable[[str], str], *, keep: bool, salt: str) -> None:
        if not _NAME.fullmatch(name):
            raise ValueError(f"a memo's name is lower-case letters, digits and dashes: {name!r}")
        self.name = name
        self.produce = produce
        self.keep = keep  # saved between builds (the author's text; never a reader's)
        self.salt = salt  # what the results depend on besides the input
        self.entries: dict[str, Held] = {}
        self.used: set[str] = set()
        self.added: dict[str, Held] = {}
        self.spilled: list[Spilled] = []  # what forked processes wrote for save() to copy in
        self.folder: Path | None = None  # where the kept shards are read from (load())
        self.disk: dict[int, _OnDisk] = {}

    def _held(self, key: str) -> Held | None:
        held = self.entries.get(key)
        if held is None and self.folder is not None and self.keep:
            shard = _shard(key)
            known = self.disk.get(shard)
            if known is None or not known.read:
                self._read(shard)
                held = self.entries.get(key)
        return held

    def _read(self, shard: int) -> None:
        """Take in one shard file's results (those this process does not hold already)."""
        assert self.folder is not None
        path = shard_file(self.folder, self.name, shard)
        keys, values = _read_shard(path, self, shard, header_only=False)
        if keys is not None and values is not None:
            for key, value in zip(keys, values, strict=True):
                self.entries.setdefault(key, value)
            self.disk[shard] = _OnDisk(frozenset(keys), read=True)
        else:
            self.disk[shard] = _OnDisk(None, read=True)

    def __call__(self, text: str) -> str:
        key = _key(text)
        held = self._held(key)
        if held is None:
            result = self.entries[key] = self.added[key] = self.produce(text)
        else:
            result = _text(held)
        self.used.add(key)
        return result

    def touch(self, text: str) -> str | None:
        """The kept result for ``text`` without producing it, marked as used (so it is saved
        again) when there is one: for a caller that kept what it made from this result."""
        key = _key_of(text)
        held = self._held(key)
        if held is None:
            return None
        self.used.add(key)
        return _text(held)

    def touch_key(self, text: str) -> None:
        """Mark the result for ``text`` as used (kept by the next save, if it is kept) without
        reading it: for a caller that needs it only to stay kept."""
        self.used.add(_key_of(text))

    def remake_later(self, text: str, remake: Callable[[], str]) -> None:
        """Hold ``remake`` instead of the result for ``text``: for a caller that keeps what it
        decoded from the result for the whole build, and can encode it again to the same text
        (made again only if it is asked for, sent to another process or saved)."""
        key = _key_of(text)
        if key in self.entries:
            self.entries[key] = remake
            if key in self.added:
                self.added[key] = remake

    def add_later(self, text: str, remake: Callable[[], str]) -> None:
        """Hold ``remake`` as the result for ``text``, made by a caller that keeps it decoded and
        never needed it as text (made only if it is asked for, sent to another process or saved)."""
        key = _key_of(text)
        self.entries[key] = self.added[key] = remake
        self.used.add(key)

    def merge(self, entries: dict[str, str] | Spilled) -> None:
        if isinstance(entries, Spilled):  # saved from its file; the process that wrote it used it
            self.spilled.append(entries)
            return
        for key, value in entries.items():
            if key not in self.entries:
                self.entries[key] = self.added[key] = value
            self.used.add(key)  # the process that sent it used it in this build

    def forget(self) -> None:
        """Drop every result this process holds (a memo whose results were wanted once)."""
        self.entries.clear()
        self.used.clear()
        self.added.clear()
        self.disk.clear()


_memos: dict[str, Memo] = {}
_folder: Path | None = None  # the folder load() was last given


def register(name: str, produce: Callable[[str], str], *, keep: bool, salt: str = "") -> Memo:
    """The memo called ``name`` (one per process; a second registration returns the first).
    One registered after load() (a module imported later in the build) reads the same folder."""
    if name not in _memos:
        _memos[name] = Memo(name, produce, keep=keep, salt=salt)
        if keep:
            _memos[name].folder = _folder
    return _memos[name]


def additions(spill: Path | None = None) -> dict[str, dict[str, str] | Spilled]:
    """What this process produced (a forked reader sends it to its parent).

    With ``spill`` (the memo folder the parent will save), the kept memos' results are
    written into it, one file per memo named after the parent process (so a killed build's
    files are swept as its other temps are, core/stale_temps.py), and only their digests and
    where each shard's lines are in the file are sent.
    """
    out: dict[str, dict[str, str] | Spilled] = {}
    for index, (name, m) in enumerate(_memos.items()):
        if not m.added:
            continue
        if spill is not None and m.keep:
            path = spill / f".spill.{os.getppid()}.w{os.getpid()}m{index}.tmp"
            spill.mkdir(parents=True, exist_ok=True)
            spans: dict[int, tuple[int, int]] = {}
            with path.open("wb") as out_file:
                for key in sorted(m.added, key=_shard):
                    shard, start = _shard(key), out_file.tell()
                    out_file.write(f"{key} {encode_basestring(_text(m.added[key]))}\n".encode())
                    spans[shard] = (spans.get(shard, (start, 0))[0], out_file.tell())
            out[name] = Spilled(str(path), frozenset(m.added), spans)
        else:
            out[name] = {k: _text(v) for k, v in m.added.items()}
    return out


def merge(added: dict[str, dict[str, str] | Spilled]) -> None:
    for name, entries in added.items():
        if name in _memos:
            _memos[name].merge(entries)
        elif isinstance(entries, Spilled):
            _remove([entries])


def forget_all() -> None:
    """Drop every result every memo holds in this process: for a build once its pages are
    written and the kept memos saved (the answers' HTML and text of the posts it read itself,
    about 15 MiB at 10,000 posts, were held to the end). A later call produces or reads again."""
    for m in _memos.values():
        m.forget()


def load(folder: Path | None) -> None:
    """Read what an earlier build saved in ``folder`` when it is asked for (a shard file at a
    time, Memo._held); a memo whose salt changed starts empty. None: read nothing kept."""
    global _folder
    _folder = folder
    for m in _memos.values():
        if m.keep:
            m.folder = folder
            m.disk.clear()  # an earlier build of this process may have saved since


def _read_shard(
    path: Path, m: Memo, shard: int, *, header_only: bool
) -> tuple[list[str] | None, list[str] | None]:
    """A shard file's digests and results, each checked; (None, None) when it is missing or not
    exactly what save() writes for this memo, salt and shard. ``header_only``: its digests
    alone, as they are (its caller keeps the file only if each is one this build used)."""
    try:
        with path.open("rb") as f:
            header = json.loads(f.readline())
            rest = None if header_only else f.read()
    except (OSError, ValueError, RecursionError):
        return None, None
    if (
        not isinstance(header, dict)
        or header.keys() != {"memo", "salt", "keys"}
        or header["memo"] != m.name
        or header["salt"] != m.salt
        or not isinstance(header["keys"], list)
    ):
        return None, None
    keys = header["keys"]
    if rest is None:  # only compared with the digests this build used: any other key, stale
        return keys, None
    for key in keys:
        if type(key) is not str or not _HEX.fullmatch(key) or _shard(key) != shard:
            return None, None
    try:
        values = json.loads(rest)
    except (ValueError, RecursionError):
        return None, None
    if type(values) is not list or len(values) != len(keys) or not all(type(v) is str for v in values):
        return None, None
    return keys, values


def _spilled_lines(spilled: Iterable[Spilled], shard: int) -> Iterable[tuple[str, str]]:
    """(digest, result as JSON) for one shard, from the files forked processes wrote."""
    for s in spilled:
        span = s.spans.get(shard)
        if span is None:
            continue
        try:
            with open(s.path, "rb") as f:
                f.seek(span[0])
                chunk = f.read(span[1] - span[0]).decode()
        except (OSError, UnicodeDecodeError):
            continue  # removed meanwhile: those results are worked out again next time
        for line in chunk.split("\n"):  # (splitlines would also split at U+2028 and others)
            key, _, value = line.partition(" ")
            if _HEX.fullmatch(key) and _shard(key) == shard:
                yield key, value


def _write_shard(path: Path, m: Memo, entries: list[tuple[str, str]]) -> None:
    """One shard file, atomically: a header line (memo, salt, digests), then a JSON list of
    the results, one a line."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    header = json.dumps({"memo": m.name, "salt": m.salt, "keys": [k for k, _ in entries]})
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.write(header + "\n[")
        for i, (_digest, value) in enumerate(entries):
            out.write((",\n" if i else "") + value)
        out.write("]\n")
    os.replace(tmp, path)


def _stale_shards(m: Memo, folder: Path, shards_on_disk: set[int]) -> set[int]:
    """The shard files that hold an entry this build did not use, or are not usable (all of
    them for a build that was not told to read the folder: it trusts none of it)."""
    if m.folder != folder:
        return set(shards_on_disk)
    stale = set()
    for shard in shards_on_disk:
        known = m.disk.get(shard)
        if known is None:
            keys, _ = _read_shard(shard_file(folder, m.name, shard), m, shard, header_only=True)
            try:
                known = _OnDisk(None if keys is None else frozenset(keys), read=False)
            except TypeError:  # a digest that is not text (a list, a dict)
                known = _OnDisk(None, read=False)
        if known.keys is None or not known.keys <= m.used:
            stale.add(shard)
    return stale


def _save_memo(m: Memo, folder: Path) -> None:
    on_disk: set[int] = set()
    prefix = f"{m.name}."
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            name = entry.name
            if name.startswith(prefix) and name.endswith(".json"):
                number = name[len(prefix) : -len(".json")]
                if number.isdigit() and len(number) == 2 and int(number) < SHARDS:
                    on_disk.add(int(number))
    dirty = {_shard(k) for k in m.added}
    dirty |= {shard for s in m.spilled for shard in s.spans}
    dirty |= _stale_shards(m, folder, on_disk)
    if not dirty:
        return
    by_shard: dict[int, list[str]] = {}
    for key in m.used:
        by_shard.setdefault(_shard(key), []).append(key)
    # a shard rewritten keeps what it holds that this build used (read from its file only if
    # this build was told to read the folder: a build that does not load the cache trusts none)
    held_of = m._held if m.folder == folder else m.entries.get
    for shard in sorted(dirty):
        path = shard_file(folder, m.name, shard)
        entries: list[tuple[str, str]] = []
        written: set[str] = set()
        for key in sorted(by_shard.get(shard, ())):
            held = held_of(key)
            if held is not None:
                entries.append((key, encode_basestring(_text(held))))
                written.add(key)
        for key, value in _spilled_lines(m.spilled, shard):
            if key not in written:
                entries.append((key, value))
                written.add(key)
        if entries:
            _write_shard(path, m, entries)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        m.disk.pop(shard, None)  # read again if asked (what the workers wrote is not held here)
    m.added.clear()


def _remove(spilled: Iterable[Spilled]) -> None:
    for s in spilled:
        with contextlib.suppress(OSError):
            os.unlink(s.path)


def save(folder: Path) -> None:
    """Keep what this build used (the folder never outgrows the site): only the shard files
    that gained an entry, or hold one no longer used, are written again, each atomically.

    A cache folder that cannot be written (read-only, full, not a folder) keeps nothing: the
    next build converts again, and this one still finishes, as Pelican's own cache does."""
    kept = [m for m in _memos.values() if m.keep]
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for m in kept:
                _save_memo(m, folder)
        except OSError:
            return  # (each shard file is replaced whole, so those written are sound)
        for old in OLD_FILES:  # an earlier format is never read: it goes
            with contextlib.suppress(OSError):
                (folder.parent / old).unlink()
    finally:
        for m in kept:
            _remove(m.spilled)
            m.spilled.clear()
