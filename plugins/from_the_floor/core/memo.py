"""Memos of pure text → text functions, shared by a build's processes and kept between builds.

A build converts the same answers in several places (the post, the feeds,
the JSON-LD) and in several processes (forked readers). Each memo is keyed by
a digest of its input; what a forked process adds travels back to its parent
(:func:`additions` / :func:`merge`), and the memos marked ``keep`` are saved
in Pelican's cache folder so that the next build converts only what changed.
A forked process may write the kept results it made to a file of its own
beside the memo file instead (``additions(spill=…)``): only their digests
travel, the parent never holds their text, and :func:`save` copies them into
the memo file, which is still written once, whole, and replaced atomically.

The saved file is JSON (digests as hex, results as text), never a pickle:
``.cache/`` comes back from the Actions cache in the weekly job, and a
replaced file must not be able to run code. What does not have the shape
:func:`save` writes is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

FILE = "floor-memo.json"  # in Pelican's CACHE_PATH
OLD_FILES = ("floor-memo.pickle",)  # an earlier format: removed, never read


# A result, or a call that makes the same text again from what its caller keeps anyway
# (Memo.remake_later): a result held twice, as text here and decoded there, costs memory.
Held = str | Callable[[], str]


def _text(held: Held) -> str:
    return held if isinstance(held, str) else held()


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@dataclass(frozen=True)
class Spilled:
    """Results a forked process wrote to ``path`` (one ``"digest": result`` entry a line, as
    the memo file holds them) instead of sending them: the parent holds only their digests."""

    path: str
    keys: frozenset[bytes]


class Memo:
    """``produce`` by digest of its input: a pure function, so a result is reused as is."""

    def __init__(self, name: str, produce: Callable[[str], str], *, keep: bool, salt: str) -> None:
        self.name = name
        self.produce = produce
        self.keep = keep  # saved between builds (the author's text; never a reader's)
        self.salt = salt  # what the results depend on besides the input
        self.entries: dict[bytes, Held] = {}
        self.used: set[bytes] = set()
        self.added: dict[bytes, Held] = {}
        self.spilled: list[Spilled] = []  # what forked processes wrote for save() to copy in

    def __call__(self, text: str) -> str:
        key = _key(text)
        held = self.entries.get(key)
        if held is None:
            result = self.entries[key] = self.added[key] = self.produce(text)
        else:
            result = _text(held)
        self.used.add(key)
        return result

    def touch(self, text: str) -> str | None:
        """The kept result for ``text`` without producing it, marked as used (so it is saved
        again) when there is one: for a caller that kept what it made from this result."""
        key = _key(text)
        held = self.entries.get(key)
        if held is None:
            return None
        self.used.add(key)
        return _text(held)

    def remake_later(self, text: str, remake: Callable[[], str]) -> None:
        """Hold ``remake`` instead of the result for ``text``: for a caller that keeps what it
        decoded from the result for the whole build, and can encode it again to the same text
        (made again only if it is asked for, sent to another process or saved)."""
        key = _key(text)
        if key in self.entries:
            self.entries[key] = remake
            if key in self.added:
                self.added[key] = remake

    def add_later(self, text: str, remake: Callable[[], str]) -> None:
        """Hold ``remake`` as the result for ``text``, made by a caller that keeps it decoded and
        never needed it as text (made only if it is asked for, sent to another process or saved)."""
        key = _key(text)
        self.entries[key] = self.added[key] = remake
        self.used.add(key)

    def merge(self, entries: dict[bytes, str] | Spilled) -> None:
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


_memos: dict[str, Memo] = {}


def register(name: str, produce: Callable[[str], str], *, keep: bool, salt: str = "") -> Memo:
    """The memo called ``name`` (one per process; a second registration returns the first)."""
    if name not in _memos:
        _memos[name] = Memo(name, produce, keep=keep, salt=salt)
    return _memos[name]


def additions(spill: Path | None = None) -> dict[str, dict[bytes, str] | Spilled]:
    """What this process produced (a forked reader sends it to its parent).

    With ``spill`` (the memo file the parent will save), the kept memos' results are written
    beside it, one file per memo named after the parent process (so a killed build's files
    are swept as its other temps are, core/stale_temps.py), and only their digests are sent.
    """
    out: dict[str, dict[bytes, str] | Spilled] = {}
    for index, (name, m) in enumerate(_memos.items()):
        if not m.added:
            continue
        if spill is not None and m.keep:
            path = spill.with_name(f".{spill.name}.{os.getppid()}.w{os.getpid()}m{index}.tmp")
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="\n") as out_file:
                for key, held in m.added.items():
                    out_file.write(_entry(key, held) + "\n")
            out[name] = Spilled(str(path), frozenset(m.added))
        else:
            out[name] = {k: _text(v) for k, v in m.added.items()}
    return out


def merge(added: dict[str, dict[bytes, str] | Spilled]) -> None:
    for name, entries in added.items():
        if name in _memos:
            _memos[name].merge(entries)
        elif isinstance(entries, Spilled):
            _remove([entries])


def _salts() -> dict[str, str]:
    return {name: m.salt for name, m in _memos.items() if m.keep}


def load(path: Path) -> None:
    """Take in what an earlier build saved; a memo whose salt changed starts empty."""
    try:
        saved = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return
    if not isinstance(saved, dict):
        return
    salts = _salts()
    taken: list[tuple[Memo, bytes, str]] = []
    for name, kept in saved.items():
        memo = _memos.get(name)
        if memo is None or not memo.keep or not (isinstance(kept, list) and len(kept) == 2):
            continue
        salt, entries = kept
        if salts.get(name) != salt or not isinstance(entries, dict):
            continue
        for key, value in entries.items():
            try:
                digest = bytes.fromhex(key)
            except ValueError:
                return  # not what save() writes: nothing of the file is used
            if len(digest) != 16 or type(value) is not str:
                return
            taken.append((memo, digest, value))
    for memo, digest, value in taken:
        memo.entries.setdefault(digest, value)


def _entry(key: bytes, held: Held) -> str:
    """One entry as json.dump writes it (a JSON string holds no raw line break)."""
    return f'"{key.hex()}": {json.dumps(_text(held), ensure_ascii=False)}'


def _write(out: TextIO, kept: list[Memo]) -> None:
    """``{name: [salt, {digest hex: result}]}`` as json.dump writes it, one entry at a time:
    the whole text at once, or every result made again at once (Memo.remake_later), would
    raise the build's peak memory by the size of the file. The results forked processes
    wrote (Memo.spilled) are copied in line by line, each digest once."""
    out.write("{")
    for i, m in enumerate(kept):
        out.write(f"{', ' if i else ''}{json.dumps(m.name)}: [{json.dumps(m.salt)}, {{")
        written: set[bytes] = set()
        for key in m.used:
            held = m.entries.get(key)
            if held is None:
                continue
            out.write(("" if not written else ", ") + _entry(key, held))
            written.add(key)
        for spilled in m.spilled:
            try:
                with open(spilled.path, encoding="utf-8", newline="\n") as lines:
                    for line in lines:
                        key = bytes.fromhex(line[1:33])
                        if key not in written:
                            out.write(("" if not written else ", ") + line.rstrip("\n"))
                            written.add(key)
            except FileNotFoundError:
                continue  # removed meanwhile: those results are worked out again next time
        out.write("}]")
    out.write("}")


def _remove(spilled: Iterable[Spilled]) -> None:
    for s in spilled:
        with contextlib.suppress(OSError):
            os.unlink(s.path)


def save(path: Path) -> None:
    """Keep what this build used (the file never outgrows the site); written only on change."""
    kept = [m for m in _memos.values() if m.keep]
    try:
        if path.exists() and not any(m.added or m.spilled for m in kept):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as out:
            _write(out, kept)
        os.replace(tmp, path)
        for old in OLD_FILES:  # a pickle from an earlier kit is never read: it goes
            with contextlib.suppress(OSError):
                (path.parent / old).unlink()
        for m in kept:
            m.added.clear()
    finally:
        for m in kept:
            _remove(m.spilled)
            m.spilled.clear()
