"""The build-time guard: no reader's contact detail may appear in the built site.

Which contacts: every ``contact`` in the question and post files (the
asker's and each merged reader's), sealed ones opened with the author's key,
each field parsed into the addresses and numbers it holds
(contact_recogniser.parse_field: a field stored as ``Bob <bob@example.org>``
before intake stored bare forms is still protected). How they are found:
contact_recogniser.Recogniser, which reads text the way a reader does
(invisible characters, bidi overrides, look-alike letters, entities,
defanged forms, any phone separator) and matches whole addresses and whole
numbers only. Compressed files (gzip: Pagefind's bundle, the WARC; zip: the
retirement download) are looked into. Where it looks: sources.py checks every
input of the build, naming file and line; :func:`check_output` checks what
only a transformation could have made (docs/privacy.md).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import hmac
import io
import json
import logging
import os
import re
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyrage

from ..errors import FloorError
from . import contact_recogniser, parse_cache, readers_file, sealing, staging
from .atomic import atomic_binary
from .queue import question_names

# ``contact:`` at the start of a line, or inside a list entry (``also_asked_by:`` readers
# merged in by intake: ``  - contact: …`` / ``    contact: …``): read only when a file
# does not parse, so that a broken file still has its contacts protected.
_CONTACT_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?contact[ \t]*:(.*)$", re.MULTILINE)
MIN_LENGTH = contact_recogniser.MIN_LENGTH  # shorter strings would match innocent text
MAX_INFLATED = 256 << 20  # bytes read out of one compressed file or member


# --- which contacts --------------------------------------------------------------------


def _contact_values(text: str) -> list[str]:
    """Every ``contact`` value in a question file's text: the asker's and each merged reader's.

    The front matter is read as YAML, so quotes, ``#`` and escapes mean what
    they mean there. A file that does not parse is read line by line, each
    ``contact:`` line's value as a YAML scalar on its own (or, failing that,
    as the raw text with quotes and a trailing comment taken off).
    """
    import yaml  # (here: a warm floor check takes its contacts from the parses and reads no YAML)

    from . import frontmatter_text

    try:
        data, _ = frontmatter_text.load_mapping(text)
    except (FloorError, yaml.YAMLError, RecursionError, ValueError):
        return [v for v in map(_line_value, _CONTACT_LINE.findall(text)) if v]
    values = [data.get("contact")]
    also = data.get("also_asked_by")
    if isinstance(also, list):
        values += [entry.get("contact") for entry in also if isinstance(entry, dict)]
    return [str(v).strip() for v in values if v is not None and not isinstance(v, bool | dict | list)]


def _readers_values(text: str) -> list[str]:
    """The ``contact`` of every line of a readers file (every line, not only those counted: a
    reader is protected however the file came to hold them)."""
    values = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        contact = entry.get("contact") if isinstance(entry, dict) else None
        if isinstance(contact, str) and contact.strip():
            values.append(contact.strip())
    return values


def _line_value(rest: str) -> str:
    import yaml

    from . import frontmatter_text

    try:
        value = yaml.load("v:" + rest, Loader=frontmatter_text.StrictLoader)["v"]
    except (yaml.YAMLError, TypeError, KeyError, RecursionError, ValueError):
        value = None
    if isinstance(value, str):
        return value.strip()
    raw = re.sub(r"\s#.*$", "", rest).strip()
    return raw.strip("'\"").strip()


def contacts_in(folders: Iterable[Path], parsed: dict[str, list[str]] | None = None) -> set[str]:
    """Every contact in the question and post files, read leniently, sealed ones opened.

    A sealed contact (``age:…``) is opened with the author's key (the key
    file, or FLOOR_AGE_KEY in CI); without it a sealed contact cannot be
    looked for, and the build says how many it could not check.
    """
    return set(contact_owners(folders, parsed))


def contact_owners(folders: Iterable[Path], parsed: dict[str, list[str]] | None = None) -> dict[str, Path]:
    """As :func:`contacts_in`, each contact with the file it was given in (the first, by name):
    a refusal names the question whose reader's contact it is, never the contact. ``parsed``:
    the contact fields of files the caller has just parsed, by absolute path (not read again)."""
    folders = list(folders)
    files = _contact_files(folders)
    stats: dict[str, os.stat_result] = {}  # each file's, as the stamp took it
    stamp = _stamp(files, sealing.keys_near(folders).key_file, stats)
    last = _contacts_memo.get(tuple(folders))
    if stamp is not None and last is not None and last[0] == stamp:
        return dict(last[1])
    found = _contacts_in(folders, files, parsed or {}, stats)
    if stamp is not None:
        _contacts_memo[tuple(folders)] = (stamp, dict(found))
    return found


# folders -> (the files' stats, their contacts and files): a build asks four or five times
_contacts_memo: dict[tuple[Path, ...], tuple[tuple, dict[str, Path]]] = {}


def contact_values(folders: Iterable[Path], parsed: dict[str, list[str]] | None = None) -> list[str]:
    """Every contact value as the files hold it (sealed ones still sealed, none opened): what the
    source check's kept verdicts are keyed on, so an unchanged queue costs no decryption. A file
    ``parsed`` holds (its contacts, by absolute path) costs a look-up by name, not a path object:
    `floor check` asks this of 10,000 questions; any other is read leniently, as
    :func:`contacts_in` reads it."""
    parsed = parsed or {}
    values: list[str] = []
    for folder in folders:
        base = os.path.abspath(folder)
        for name in question_names(Path(folder)):
            path = os.path.join(base, name)  # (a string: 10,000 files)
            known = parsed.get(path)
            values += _file_values(path) if known is None else [v.strip() for v in known]
    values += [value for value, _ in _values_of(_readers_files(list(folders)), parsed)]
    return [value for value in values if sealing.is_sealed(value) or len(value) >= MIN_LENGTH]


def _values_of(
    files: Iterable[str | Path], parsed: dict[str, list[str]], stats: dict[str, os.stat_result] | None = None
) -> Iterator[tuple[str, str | Path]]:
    """Each contact value of these files as stored (sealed ones still sealed), with its file:
    from ``parsed`` (by absolute path) where the caller has parsed the file, else read leniently.
    ``stats``: the files' stats, by path, where the caller has just taken them."""
    for path in files:
        known = parsed.get(os.path.abspath(path)) if parsed else None
        if known is not None:
            values: Iterable[str] = (v.strip() for v in known)
        else:
            values = _file_values(path, stats.get(path) if stats and isinstance(path, str) else None)
        for value in values:
            yield value, path


def _contact_files(folders: list[Path]) -> list[str]:
    """The question and post files, and the readers files (readers_file.py: the merged readers
    past the first twenty of a question the whole room asked, each with a contact), as the
    strings of their paths (the names ``folder / name`` gives, without a path object each)."""
    names = [os.path.join(str(Path(folder)), name) for folder in folders for name in question_names(folder)]
    return names + [str(path) for path in _readers_files(folders)]


def _readers_files(folders: list[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        try:
            with os.scandir(Path(folder) / readers_file.FOLDER) as entries:
                files += sorted(Path(e.path) for e in entries if e.name.endswith(".jsonl"))
        except OSError:
            continue
    return files


def _stamp(files: list[str], key_file: Path, stats: dict[str, os.stat_result] | None = None) -> tuple | None:
    """The files' names and stats (and where the keys are), or None if one changed too recently
    to be told apart by stat (the parse cache's racy rule). ``stats``: filled with each file's."""
    now = time.time_ns()
    try:
        key_state: tuple = parse_cache.stamp_of(key_file.stat())
    except OSError:
        key_state = ()
    stamps: list[tuple] = [("keys", os.environ.get("FLOOR_AGE_KEY") or "", key_state)]
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp = parse_cache.stamp_of(st)
        if parse_cache.is_racy(stamp, now):
            return None
        if stats is not None:
            stats[path] = st
        stamps.append((path, stamp))
    return tuple(stamps)


def _contacts_in(
    folders: list[Path],
    files: list[str],
    parsed: dict[str, list[str]],
    stats: dict[str, os.stat_result] | None = None,
) -> dict[str, Path]:
    found: dict[str, str | Path] = {}
    sealed: list[tuple[str, str | Path]] = []
    for value, path in _values_of(files, parsed, stats):
        if sealing.is_sealed(value):
            sealed.append((value, path))
        elif len(value) >= MIN_LENGTH:
            found.setdefault(value, path)
    if sealed:
        for plain, path in _opened(sealed, folders).items():
            found.setdefault(plain, path)
    return {value: Path(path) for value, path in found.items()}


def verdict_key(folders: Iterable[Path], region: str | None = None) -> str:
    """A digest of the contact set the guard looks for, safe to keep beside the site.

    The build manifest keeps the guard's verdicts (bytes found clean) under
    this key: the same bytes under the same contacts are as clean as before.
    It is keyed with the author's private keys, so nobody without them can
    test a guessed address against it; without a key it covers only the
    plain contacts, which are then in the site's files as they are.
    """
    folders = list(folders)
    contacts = sorted(contacts_in(folders))
    keys = sealing.keys_near(folders)
    secret = hashlib.blake2b("\n".join(keys.ring).encode("utf-8"), digest_size=32).digest()
    h = hashlib.blake2b(key=secret if keys.can_open else b"", digest_size=16)
    h.update(f"opened={keys.can_open}\nregion={region}\n".encode())
    for contact in contacts:
        h.update(contact.encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()


def _opened(sealed: list[tuple[str, str | Path]], folders: list[Path]) -> dict[str, str | Path]:
    keys = sealing.keys_near(folders)
    if not keys.can_open:
        _warn_once(
            f"the contact guard cannot look for {len(sealed)} sealed contact"
            f"{'s' if len(sealed) != 1 else ''}: {sealing.NO_KEY_FIX}"
        )
        return {}
    bundle = _Opened(keys)
    found: dict[str, str | Path] = {}
    for value, path in sealed:
        plain = bundle.get(value)
        if plain is None:
            plain = (keys.open(value, where=Path(path)) or "").strip()
            bundle.add(value, plain)
        if len(plain) >= MIN_LENGTH:
            found.setdefault(plain, path)
    bundle.save()
    return found


class _Opened:
    """The contacts opened last time, kept sealed in one file: ``.cache/floor-opened-contacts.age``.

    Opening a sealed contact is one X25519 exchange (about half a
    millisecond), so 10,000 of them cost seconds in every build and every
    `floor check` that reads a file again. The file maps a digest of each
    sealed value to its opened text, the whole sealed to the site's own key
    (so it is as private as the question files, and can be opened in one
    exchange) and keyed with a secret derived from the private key (so a
    replaced file, made by someone with only the public key, is refused and
    every contact is opened afresh). It is written only in a site's existing
    ``.cache/`` (git-ignored by `floor init`), only when something new was
    opened, and without the private key it is never read or written.
    """

    FILE = ".cache/floor-opened-contacts.age"

    def __init__(self, keys: sealing.Keys) -> None:
        self.keys = keys
        self.path = Path(keys.root) / self.FILE
        self.mac_key = keys.mac_key("opened-contacts")
        self.known: dict[str, str] = {}
        self.changed = False
        if self.mac_key is None or not self.path.is_file():
            return
        try:
            saved = json.loads(keys.open_bytes(self.path.read_bytes()))
            mac = sealing.json_mac(saved["opened"], self.mac_key)
            if hmac.compare_digest(str(saved["mac"]), mac) and isinstance(saved["opened"], dict):
                self.known = {str(k): str(v) for k, v in saved["opened"].items()}
        except (OSError, ValueError, KeyError, TypeError, FloorError):
            self.known = {}

    def _key(self, value: str) -> str:
        return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def get(self, value: str) -> str | None:
        return self.known.get(self._key(value))

    def add(self, value: str, plain: str) -> None:
        self.known[self._key(value)] = plain
        self.changed = True

    def save(self) -> None:
        if not self.changed or self.mac_key is None or not self.path.parent.is_dir():
            return
        mac = sealing.json_mac(self.known, self.mac_key)
        data = json.dumps({"mac": mac, "opened": self.known}, ensure_ascii=False).encode("utf-8")
        recipients = [identity.to_public() for identity in self.keys.identities]
        with contextlib.suppress(OSError, ValueError), atomic_binary(self.path) as handle:
            handle.write(pyrage.encrypt(data, recipients))


# In a worker whose parent says its warnings (`warnings_kept`): what it would have said.
_kept: list[str] | None = None


def _warn_once(message: str) -> None:
    if _kept is not None:
        if message not in _kept:
            _kept.append(message)
        return
    _say_once(message)


@functools.lru_cache(maxsize=8)
def _say_once(message: str) -> None:
    logging.getLogger("from_the_floor.core.guard").warning(message)


@contextlib.contextmanager
def warnings_kept() -> Iterator[list[str]]:
    """Collect the guard's warnings instead of saying them, in a forked worker: its parent says
    them with :func:`say` and, having made the same detector itself, says each only once (a
    warning said in both processes was printed twice in one build)."""
    global _kept
    before, _kept = _kept, []
    try:
        yield _kept
    finally:
        _kept = before


def say(messages: Iterable[str]) -> None:
    """Say the warnings a worker kept (:func:`warnings_kept`), each once in this process."""
    for message in messages:
        _warn_once(message)


# path (as a string) -> (bytes' digest, values): a build reads the contacts three or four times
_read: dict[str, tuple[bytes, list[str]]] = {}


def _file_values(path: str | Path, st: os.stat_result | None = None) -> list[str]:
    """The contact values of a question, post or readers file; ``st``: its stat, if just taken."""
    is_readers = os.fspath(path).endswith(".jsonl")
    parsed = None if is_readers else _parsed_values(path, st)  # the build's own parse, when it has one
    if parsed is not None:
        return parsed
    path = os.fspath(path)
    with open(path, "rb") as handle:
        data = handle.read()
    digest = hashlib.blake2b(data, digest_size=16).digest()
    known = _read.get(path)
    if known is not None and known[0] == digest:
        return known[1]
    text = data.decode("utf-8", errors="replace")
    values = _readers_values(text) if is_readers else _contact_values(text)
    _read[path] = (digest, values)
    return values


def _parsed_values(path: str | Path, st: os.stat_result | None = None) -> list[str] | None:
    """The contacts of a question file the build has already parsed (question.reusing_parses:
    validation parsed every file, most of them from the parse cache), else None. ``st``: the
    file's stat, if the caller has just taken it."""
    from . import question as question_mod

    if st is None:
        try:
            st = os.stat(path)
        except OSError:
            return None
    q = question_mod.peek(path, st)  # (only read: not copied)
    if q is None:
        return None
    values = [q.contact, *(entry.contact for entry in q.also_asked_by)]
    return [str(v).strip() for v in values if isinstance(v, str) and v.strip()]


class Detector:
    """Finds any contact, in any form a reader would recognise, in a text (contact_recogniser.py)."""

    def __init__(self, contacts: Iterable[str], *, region: str | None = None) -> None:
        self.recogniser = contact_recogniser.Recogniser(contacts, region=region)
        # digests of file contents already scanned and found clean by this detector
        self.clean: set[bytes] = set()
        # digests of the files the last scan() looked at (the build manifest keeps those found clean)
        self.seen: set[bytes] = set()
        # path -> (its stat, its digest) when last found clean, for the build's second look
        self.clean_files: dict[str, tuple[tuple, bytes]] = {}

    @property
    def needles(self) -> dict[str, str]:
        """The addresses and other contacts looked for, each in its folded form (never printed)."""
        return {**self.recogniser.addresses, **self.recogniser.others}

    @property
    def phones(self) -> dict[str, str]:
        """The phone numbers looked for, by national significant number (never printed)."""
        return self.recogniser.numbers

    def find(self, text: str) -> str | None:
        """The contact found in ``text`` (in any of its forms), if any."""
        return self.recogniser.find(text)

    def lines(self, text: str) -> list[int]:
        """The lines of ``text`` that show a contact (from 1)."""
        return self.recogniser.lines(text)

    def find_in_file(self, path: Path) -> str | None:
        """As :meth:`find_in_bytes` on a file; a file found clean and not touched since (same
        size, mtime, ctime and inode) is not read again: a build's output is checked at
        ``finalized`` and once more after the last plugin, and most files are the same."""
        try:
            stamp: tuple | None = parse_cache.stamp_of(path.stat())
        except OSError:
            stamp = None
        known = self.clean_files.get(str(path))
        if stamp is not None and known is not None and known[0] == stamp:
            self.seen.add(known[1])
            return None
        data = path.read_bytes()
        found = self.find_in_bytes(data)
        if found is None and stamp is not None:
            self.clean_files[str(path)] = (stamp, hashlib.blake2b(data, digest_size=16).digest())
        return found

    def find_in_bytes(self, data: bytes) -> str | None:
        """As :meth:`find` on a file's bytes; bytes once found clean are not scanned again.

        The build renders and scans pages in several processes (engine.py) and
        then checks output/ here; a page whose bytes were scanned as it was
        written costs a hash, not a scan. Any change to the bytes, or to the
        set of contacts (a new Detector), means a full scan. A gzip or zip
        file is scanned inside too.
        """
        digest = hashlib.blake2b(data, digest_size=16).digest()
        self.seen.add(digest)
        if digest in self.clean:
            return None
        found = None
        for part in readable_parts(data):
            found = self.find(part.decode("utf-8", errors="ignore"))
            if found is not None:
                break
        if found is None:
            self.clean.add(digest)
        return found


def readable_parts(data: bytes, depth: int = 0) -> Iterable[bytes]:
    """The bytes, or what a gzip stream or a zip archive holds (two levels in: a zipped WARC)."""
    if depth < 2 and data[:2] == b"\x1f\x8b":
        inflated = _gunzip(data)
        if inflated is not None:
            yield from readable_parts(inflated, depth + 1)
            return
    elif depth < 2 and data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = []
                for info in archive.infolist():
                    with archive.open(info) as member:
                        parts.append(member.read(MAX_INFLATED))
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
            parts = None
        if parts is not None:
            for part in parts:
                yield from readable_parts(part, depth + 1)
            return
    yield data  # as it is: text, or something that would not open (scanned raw, to be safe)


def _gunzip(data: bytes) -> bytes | None:
    """Every member of a gzip stream (a WARC is one per record), at most MAX_INFLATED bytes."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while len(out) < MAX_INFLATED and (chunk := stream.read(1 << 20)):
                out += chunk
    except (OSError, EOFError, zlib.error):
        pass  # what was read before the damage is still scanned
    return bytes(out) if out else None


@functools.lru_cache(maxsize=4)
def detector(contacts: frozenset[str], region: str | None = None) -> Detector:
    """A Detector per set of contacts and phone region: compiling the pattern is the costly part.

    ``region``: the site's phone region (settings.phone_region), where a
    number a reader gave without its country code is placed.
    """
    return Detector(contacts, region=region)


def folder_detector(
    folders: Iterable[Path], region: str | None = None, parsed: dict[str, list[str]] | None = None
) -> Detector:
    """The Detector for every contact in the question and post ``folders`` (contacts_in)."""
    return detector(frozenset(contacts_in(folders, parsed)), region)


def scan(output: Path, contacts: set[str], *, region: str | None = None) -> list[tuple[Path, str]]:
    """(file, contact) for each output file that contains a contact in any recognisable form."""
    if not contacts or not output.is_dir():
        return []
    found_by = detector(frozenset(contacts), region)
    found_by.seen = set()
    leaks: list[tuple[Path, str]] = []
    for path in sorted(_files(output)):
        contact = found_by.find_in_file(path)
        if contact is not None:
            leaks.append((path, contact))
    return leaks


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder``, one directory listing each (``rglob`` lists each twice)."""
    found: list[Path] = []
    for root, _dirs, files in os.walk(folder):
        found += [Path(root, name) for name in files]
    return [p for p in found if p.is_file()]  # as rglob + is_file: symlinks followed, broken ones skipped


def check_output(
    output: Path, folders: Iterable[Path], *, region: str | None = None, shown_as: Path | None = None
) -> None:
    """Fail loudly, naming files (never the contact), if any contact leaked into the built site.

    ``region``: the site's phone region (settings.phone_region). ``shown_as``
    is the folder the files are named under when ``output`` is a staging
    folder that will become it.
    """
    leaks = scan(output, contacts_in(folders), region=region)
    if leaks:
        shown = Path(shown_as) if shown_as is not None else staging.public_name(output)
        names = [shown / path.relative_to(output) for path, _ in leaks]
        lines = [f"  {name}" for name in names[:20]]
        more = f"\n  … and {len(leaks) - 20} more" if len(leaks) > 20 else ""
        raise FloorError(
            "a reader's private contact detail appears in the built site; the build is refused "
            "and output/ keeps the last good build. Remove it from these files' sources:\n"
            + "\n".join(lines)
            + more,
            path=shown,
        )
