"""The build-time guard: no reader's contact detail may appear under output/."""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from . import sealing
from .errors import FloorError
from .queue import question_files

# ``contact:`` at the start of a line, or indented inside a list entry (``also_asked_by:``
# readers merged in by intake, written one field per line: ``  - contact: …`` / ``    contact: …``)
_CONTACT_LINE = re.compile(
    r"^[ \t]*(?:-[ \t]+)?contact:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.MULTILINE
)
MIN_LENGTH = 4  # shorter strings would match innocent text


def contacts_in(folders: Iterable[Path]) -> set[str]:
    """Every contact in the question and post files, read leniently, sealed ones opened.

    A malformed file still has its contact protected, so this reads the raw
    ``contact:`` lines instead of relying on a clean parse. A sealed contact is
    opened with the author's key (the key file, or FLOOR_AGE_KEY in CI);
    without it a sealed contact cannot be looked for, and the build says so.
    """
    folders = list(folders)
    found: set[str] = set()
    sealed: list[tuple[str, Path]] = []
    for folder in folders:
        for path in question_files(folder):
            text = path.read_bytes().decode("utf-8", errors="replace")
            for match in _CONTACT_LINE.finditer(text):
                value = match.group(1).strip()
                if sealing.is_sealed(value):
                    sealed.append((value, path))
                elif len(value) >= MIN_LENGTH:
                    found.add(value)
    if sealed:
        found |= _opened(sealed, folders)
    return found


def _opened(sealed: list[tuple[str, Path]], folders: list[Path]) -> set[str]:
    keys = sealing.keys_near(folders)
    if not keys.can_open:
        _warn_once(
            f"the contact guard cannot look for {len(sealed)} sealed contact"
            f"{'s' if len(sealed) != 1 else ''}: {sealing.NO_KEY_FIX}"
        )
        return set()
    opened = (keys.open(value, where=path) or "" for value, path in sealed)
    return {plain.strip() for plain in opened if len(plain.strip()) >= MIN_LENGTH}


@functools.lru_cache(maxsize=8)
def _warn_once(message: str) -> None:
    logging.getLogger("from_the_floor.guard").warning(message)


def _variants(contact: str) -> set[str]:
    return {
        contact.lower(),
        html.escape(contact, quote=True).lower(),
        quote(contact, safe="").lower(),
        contact.replace("@", "&#64;").lower(),
        contact.replace("@", "&#x40;").lower(),
        contact.replace("@", "\\u0040").lower(),
    }


def _trie_pattern(needles: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any needle, shaped as a trie.

    A flat alternation of hundreds of literals makes ``re`` try every branch at
    every position; nested by shared prefixes, each position costs a few
    character tests, so one pass over a file checks every needle at once.
    """
    root: dict[str, dict] = {}
    end = ""  # the key marking "a needle ends here" (needles are never empty)
    for needle in needles:
        node = root
        for ch in needle:
            node = node.setdefault(ch, {})
        node[end] = {}

    def build(node: dict[str, dict]) -> str:
        out = []
        while len(node) == 1 and end not in node:  # a chain: no branching, no recursion
            (ch, node), *_ = node.items()
            out.append(re.escape(ch))
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != end]
        if branches:
            group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
            if len(branches) == 1 and len(group) > 1:
                group = "(?:" + group + ")"
            out.append(group + "?" if end in node else group)
        return "".join(out)

    return re.compile(build(root))


class Detector:
    """Finds any contact, in any of its encodings, in one pass over a text."""

    def __init__(self, contacts: Iterable[str]) -> None:
        self.needles = {v: c for c in sorted(contacts) for v in sorted(_variants(c))}
        self.pattern = _trie_pattern(self.needles) if self.needles else None
        # digests of file contents already scanned and found clean by this detector
        self.clean: set[bytes] = set()

    def find(self, text: str) -> str | None:
        """The contact whose encoding occurs first in ``text`` (case-insensitively), if any."""
        if self.pattern is None:
            return None
        found = self.pattern.search(text.lower())
        return self.needles[found.group(0)] if found else None

    def find_in_bytes(self, data: bytes) -> str | None:
        """As :meth:`find` on a file's bytes; bytes once found clean are not scanned again.

        The build renders and scans pages in several processes (engine.py) and
        then checks output/ here; a page whose bytes were scanned as it was
        written costs a hash, not a scan. Any change to the bytes, or to the
        set of contacts (a new Detector), means a full scan.
        """
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if digest in self.clean:
            return None
        found = self.find(data.decode("utf-8", errors="ignore"))
        if found is None:
            self.clean.add(digest)
        return found


@functools.lru_cache(maxsize=4)
def detector(contacts: frozenset[str]) -> Detector:
    """A Detector per set of contacts: compiling the pattern is the costly part."""
    return Detector(contacts)


def scan(output: Path, contacts: set[str]) -> list[tuple[Path, str]]:
    """(file, contact) for each output file that contains a contact in any common encoding."""
    if not contacts or not output.is_dir():
        return []
    find = detector(frozenset(contacts)).find_in_bytes
    leaks: list[tuple[Path, str]] = []
    for path in sorted(_files(output)):
        contact = find(path.read_bytes())
        if contact is not None:
            leaks.append((path, contact))
    return leaks


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder``, one directory listing each (``rglob`` lists each twice)."""
    found: list[Path] = []
    for root, _dirs, files in os.walk(folder):
        found += [Path(root, name) for name in files]
    return [p for p in found if p.is_file()]  # as rglob + is_file: symlinks followed, broken ones skipped


def check_output(output: Path, folders: Iterable[Path]) -> None:
    """Fail loudly, naming files, if any contact leaked into the built site."""
    leaks = scan(output, contacts_in(folders))
    if leaks:
        lines = [f"  {path}" for path, _ in leaks[:20]]
        more = f"\n  … and {len(leaks) - 20} more" if len(leaks) > 20 else ""
        raise FloorError(
            "a reader's private contact detail appears in the built site; "
            "the build is refused. Remove it from these files' sources:\n" + "\n".join(lines) + more,
            path=output,
        )
