"""The build-time guard: no reader's contact detail may appear under output/.

A contact counts as leaked in any form a reader would still recognise, so
both sides are brought to one normal form before they are compared
(:func:`normalise`): entities and percent-escapes decoded (repeatedly),
JSON ``\\uXXXX`` escapes read, NFKC and case folded, curly quotes made
straight, zero-width characters, soft hyphens, ``<wbr>``/``<br>`` and every
whitespace removed, and ``[at]``/``(at)``/``[dot]``/``(dot)`` read as
``@`` and ``.``. An address's domain is looked for in Unicode and in
punycode; a phone number by its digits, whatever the spacing, punctuation or
national/international prefix. Compressed files (gzip: Pagefind's bundle, the
WARC; zip: the retirement download) are looked into.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import io
import logging
import os
import re
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

import idna
import phonenumbers
import yaml

from ..errors import FloorError
from . import frontmatter_text, parse_cache, sealing, staging
from .queue import question_files

# ``contact:`` at the start of a line, or inside a list entry (``also_asked_by:`` readers
# merged in by intake: ``  - contact: …`` / ``    contact: …``): read only when a file
# does not parse, so that a broken file still has its contacts protected.
_CONTACT_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?contact[ \t]*:(.*)$", re.MULTILINE)
MIN_LENGTH = 4  # shorter strings would match innocent text
MIN_PHONE_DIGITS = 7  # fewer digits would match dates and counts
MAX_INFLATED = 256 << 20  # bytes read out of one compressed file or member


# --- which contacts --------------------------------------------------------------------


def _contact_values(text: str) -> list[str]:
    """Every ``contact`` value in a question file's text: the asker's and each merged reader's.

    The front matter is read as YAML, so quotes, ``#`` and escapes mean what
    they mean there. A file that does not parse is read line by line, each
    ``contact:`` line's value as a YAML scalar on its own (or, failing that,
    as the raw text with quotes and a trailing comment taken off).
    """
    try:
        data, _ = frontmatter_text.load_mapping(text)
    except (FloorError, yaml.YAMLError, RecursionError, ValueError):
        return [v for v in map(_line_value, _CONTACT_LINE.findall(text)) if v]
    values = [data.get("contact")]
    also = data.get("also_asked_by")
    if isinstance(also, list):
        values += [entry.get("contact") for entry in also if isinstance(entry, dict)]
    return [str(v).strip() for v in values if v is not None and not isinstance(v, bool | dict | list)]


def _line_value(rest: str) -> str:
    try:
        value = yaml.load("v:" + rest, Loader=frontmatter_text.StrictLoader)["v"]
    except (yaml.YAMLError, TypeError, KeyError, RecursionError, ValueError):
        value = None
    if isinstance(value, str):
        return value.strip()
    raw = re.sub(r"\s#.*$", "", rest).strip()
    return raw.strip("'\"").strip()


def contacts_in(folders: Iterable[Path]) -> set[str]:
    """Every contact in the question and post files, read leniently, sealed ones opened.

    A sealed contact (``age:…``) is opened with the author's key (the key
    file, or FLOOR_AGE_KEY in CI); without it a sealed contact cannot be
    looked for, and the build says how many it could not check.
    """
    folders = list(folders)
    files = [path for folder in folders for path in question_files(folder)]
    stamp = _stamp(files, sealing.keys_near(folders).key_file)
    last = _contacts_memo.get(tuple(folders))
    if stamp is not None and last is not None and last[0] == stamp:
        return set(last[1])
    found = _contacts_in(folders, files)
    if stamp is not None:
        _contacts_memo[tuple(folders)] = (stamp, frozenset(found))
    return found


# folders -> (the files' stats, their contacts): a build asks four or five times
_contacts_memo: dict[tuple[Path, ...], tuple[tuple, frozenset[str]]] = {}


def _stamp(files: list[Path], key_file: Path) -> tuple | None:
    """The files' names and stats (and where the keys are), or None if one changed too recently
    to be told apart by stat (the parse cache's racy rule)."""
    now = time.time_ns()
    try:
        key_state: tuple = parse_cache.stamp_of(key_file.stat())
    except OSError:
        key_state = ()
    stamps: list[tuple] = [("keys", os.environ.get("FLOOR_AGE_KEY") or "", key_state)]
    for path in files:
        try:
            stamp = parse_cache.stamp_of(path.stat())
        except OSError:
            return None
        if parse_cache.is_racy(stamp, now):
            return None
        stamps.append((str(path), stamp))
    return tuple(stamps)


def _contacts_in(folders: list[Path], files: list[Path]) -> set[str]:
    found: set[str] = set()
    sealed: list[tuple[str, Path]] = []
    if files:
        for path in files:
            for value in _file_values(path):
                if sealing.is_sealed(value):
                    sealed.append((value, path))
                elif len(value) >= MIN_LENGTH:
                    found.add(value)
    if sealed:
        found |= _opened(sealed, folders)
    return found


def verdict_key(folders: Iterable[Path]) -> str:
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
    h.update(f"opened={keys.can_open}\n".encode())
    for contact in contacts:
        h.update(contact.encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()


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
    logging.getLogger("from_the_floor.core.guard").warning(message)


# path -> (bytes' digest, values): a build reads the contacts three or four times
_read: dict[Path, tuple[bytes, list[str]]] = {}


def _file_values(path: Path) -> list[str]:
    data = path.read_bytes()
    digest = hashlib.blake2b(data, digest_size=16).digest()
    known = _read.get(path)
    if known is not None and known[0] == digest:
        return known[1]
    values = _contact_values(data.decode("utf-8", errors="replace"))
    _read[path] = (digest, values)
    return values


# --- one normal form for texts and contacts -----------------------------------------------

_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\([\"/\\])")
# NFKC of the characters pages hold most often (the theme's ellipsis, no-break spaces)
_COMMON_COMPAT = (("\u2026", "..."), ("\u00a0", " "), ("\u202f", " "))
# dropped (invisible: zero-width, soft hyphen, BOM…) or made plain (curly quotes, which
# Markdown's smart quotes and word processors put in an address a reader still recognises)
_STRAIGHTENED = (
    *((chr(c), "") for c in (0xAD, 0x34F, 0x180E, *range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF)),
    *((c, "'") for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"),
    *((c, '"') for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"),
)
_BREAKS = re.compile(r"<(?:wbr|br)\s*/?>|-\r?\n")  # a break inside a word, or a hyphenated one
_SPACE = re.compile(r"\s+")
_AT = re.compile(r"[\[({]at[\])}]")
_DOT = re.compile(r"[\[({]dot[\])}]")
_ROUNDS = 4  # an entity escaped in a feed inside an attribute is three deep


def _json_char(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16)) if match.group(1) else match.group(2)


_COMMON_ENTITIES = (("&quot;", '"'), ("&#39;", "'"), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"))
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")


_NAMED = re.compile(r"&[a-zA-Z][a-zA-Z0-9]+;")


def _escaped(text: str) -> bool:
    """Whether one more round could still decode something (each test a fast substring search)."""
    return (
        "&#" in text
        or ("&" in text and _NAMED.search(text) is not None)
        or ("%" in text and _PERCENT.search(text) is not None)
        or "\\u" in text
        or '\\"' in text
        or "\\/" in text
    )


def _decoded(text: str) -> str:
    """Entities, percent-escapes and JSON escapes decoded until nothing changes."""
    for _ in range(_ROUNDS):
        if "&" in text:
            for entity, char in _COMMON_ENTITIES:  # the usual ones at C speed; the rest below
                text = text.replace(entity, char)
            text = html.unescape(text.replace("&amp;", "&"))
        if "%" in text and _PERCENT.search(text):
            text = unquote(text, errors="replace")
        if "\\" in text:
            text = _JSON_ESCAPE.sub(_json_char, text)
        if not _escaped(text):
            break
    return text


def _folded(text: str) -> str:
    """Decoded, NFKC, case-folded, quotes straightened, invisible characters dropped; spacing kept."""
    text = _decoded(text)
    if not text.isascii():
        for char, plain in _COMMON_COMPAT:  # what pages hold most, at C speed: NFKC only if more is left
            if char in text:
                text = text.replace(char, plain)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        for char, plain in _STRAIGHTENED:
            if char in text:
                text = text.replace(char, plain)
    return text.casefold()


def _squeezed(folded: str) -> str:
    """A folded text with word breaks and all whitespace removed, [at]/[dot] read."""
    if "<wbr" in folded or "<br" in folded or "-\n" in folded or "-\r\n" in folded:
        folded = _BREAKS.sub("", folded)
    text = "".join(folded.split())
    if "at]" in text or "at)" in text or "at}" in text:
        text = _AT.sub("@", text)
    if "dot]" in text or "dot)" in text or "dot}" in text:
        text = _DOT.sub(".", text)
    return text


def normalise(text: str) -> str:
    """The form texts and contacts are compared in (see the module's docstring)."""
    return _squeezed(_folded(text))


def _domains(domain: str) -> set[str]:
    """The domain as written, in Unicode and in punycode (IDNA 2008 with UTS 46 mapping)."""
    forms = {domain}
    for convert in (idna.encode, idna.decode):
        try:
            out = convert(domain, uts46=True)
        except (idna.IDNAError, UnicodeError, ValueError):
            continue
        forms.add(out.decode("ascii") if isinstance(out, bytes) else out)
    return forms


def _needles(contact: str) -> set[str]:
    """Normalised forms of one contact to look for in normalised text."""
    value = contact.strip()
    if value.casefold().startswith("mailto:"):
        value = value[len("mailto:") :]
    forms = {value}
    if "@" in value.strip("@"):
        local, domain = value.rsplit("@", 1)
        locals_ = {local}
        if len(local) > 2 and local[0] == local[-1] == '"':
            locals_.add(local[1:-1])  # "john doe"@… read without its quotes
        forms |= {f"{lp}@{d}" for lp in locals_ for d in _domains(domain)}
    needles = {normalise(f) for f in forms}
    needles |= {n.replace("-", "") for n in needles if "-" in n}  # "mary-\njane" read as a hyphenation
    return {n for n in needles if len(n) >= MIN_LENGTH}


_PHONE_SHAPE = re.compile(r"(?:tel:)?\+?[\d\s().\-/\u00a0]+")


def _phone_digits(contact: str) -> str | None:
    """The national significant number of a contact that is a phone number, else None.

    ``+44 20 7946 0958`` and ``020 7946 0958`` both give ``2079460958``: an
    international number through libphonenumber (which knows each country's
    code and trunk prefix), a national one by dropping its trunk zero.
    """
    value = contact.strip()
    if not _PHONE_SHAPE.fullmatch(value):
        return None
    value = value.removeprefix("tel:")
    digits = re.sub(r"\D", "", value)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    if value.startswith("+") or digits.startswith("00"):
        try:
            number = phonenumbers.parse("+" + digits.removeprefix("00"), None)
            national = phonenumbers.national_significant_number(number)
            if len(national) >= MIN_PHONE_DIGITS - 1:
                return national
        except phonenumbers.NumberParseException:
            pass
        return digits.removeprefix("00")
    return digits.lstrip("0") or None


_SEP = r"[\s\-.()/\u2010-\u2015]*"
# a country code or trunk prefix may come first: +44, 0044, 0, +44 (0), +39 0…
_PREFIX = r"(?<![\d+])\+?(?:\d{1,4}" + _SEP + r")?(?:\(?0\)?" + _SEP + r")?"


def _phone_pattern(numbers: Iterable[str]) -> re.Pattern[str]:
    """Any of the numbers, with any separators between its digits, after any prefix."""
    body = _trie_source(numbers, between=_SEP)
    return re.compile(_PREFIX + "(?:" + body + r")(?!\d)")


# --- the search ---------------------------------------------------------------------------


def _trie_source(needles: Iterable[str], between: str = "") -> str:
    """One regex source matching any needle, shaped as a trie (``between`` goes between characters).

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

    def build(node: dict[str, dict], first: bool) -> str:
        out = []
        while len(node) == 1 and end not in node:  # a chain: no branching, no recursion
            (ch, node), *_ = node.items()
            out.append(("" if first else between) + re.escape(ch))
            first = False
        branches = [
            ("" if first else between) + re.escape(ch) + build(child, False)
            for ch, child in sorted(node.items())
            if ch != end
        ]
        if branches:
            single = len(branches) == 1 and len(branches[0]) == 1
            group = branches[0] if single else "(?:" + "|".join(branches) + ")"
            out.append(group + "?" if end in node else group)
        return "".join(out)

    return build(root, True)


def _trie_pattern(needles: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_trie_source(needles))


class Detector:
    """Finds any contact, in any form a reader would recognise, in one pass over a text."""

    def __init__(self, contacts: Iterable[str]) -> None:
        self.needles: dict[str, str] = {}
        self.phones: dict[str, str] = {}
        for contact in sorted(contacts):
            for needle in sorted(_needles(contact)):
                self.needles.setdefault(needle, contact)
            digits = _phone_digits(contact)
            if digits is not None:
                self.phones.setdefault(digits, contact)
        self.pattern = _trie_pattern(self.needles) if self.needles else None
        self.phone_pattern = _phone_pattern(self.phones) if self.phones else None
        # digests of file contents already scanned and found clean by this detector
        self.clean: set[bytes] = set()
        # digests of the files the last scan() looked at (the build manifest keeps those found clean)
        self.seen: set[bytes] = set()
        # path -> (its stat, its digest) when last found clean, for the build's second look
        self.clean_files: dict[str, tuple[tuple, bytes]] = {}

    def find(self, text: str) -> str | None:
        """The contact found in ``text`` (in any of its forms), if any."""
        if self.pattern is None and self.phone_pattern is None:
            return None
        folded = _folded(text)
        if self.phone_pattern is not None:
            found = self.phone_pattern.search(folded)
            if found:
                return self._phone_of(found.group(0))
        if self.pattern is not None:
            found = self.pattern.search(_squeezed(folded))
            if found:
                return self.needles[found.group(0)]
        return None

    def _phone_of(self, matched: str) -> str:
        """The contact a phone match is: its digits end with the number (the rest was a prefix)."""
        digits = re.sub(r"\D", "", matched)
        return self.phones[max((n for n in self.phones if digits.endswith(n)), key=len)]

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
        for part in _readable_parts(data):
            found = self.find(part.decode("utf-8", errors="ignore"))
            if found is not None:
                break
        if found is None:
            self.clean.add(digest)
        return found


def _readable_parts(data: bytes, depth: int = 0) -> Iterable[bytes]:
    """The bytes, or what a gzip stream or a zip archive holds (two levels in: a zipped WARC)."""
    if depth < 2 and data[:2] == b"\x1f\x8b":
        inflated = _gunzip(data)
        if inflated is not None:
            yield from _readable_parts(inflated, depth + 1)
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
                yield from _readable_parts(part, depth + 1)
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
def detector(contacts: frozenset[str]) -> Detector:
    """A Detector per set of contacts: compiling the pattern is the costly part."""
    return Detector(contacts)


def scan(output: Path, contacts: set[str]) -> list[tuple[Path, str]]:
    """(file, contact) for each output file that contains a contact in any recognisable form."""
    if not contacts or not output.is_dir():
        return []
    found_by = detector(frozenset(contacts))
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


def check_output(output: Path, folders: Iterable[Path], *, shown_as: Path | None = None) -> None:
    """Fail loudly, naming files (never the contact), if any contact leaked into the built site.

    ``shown_as`` is the folder the files are named under when ``output`` is a
    staging folder that will become it.
    """
    leaks = scan(output, contacts_in(folders))
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
