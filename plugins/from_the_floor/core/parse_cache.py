"""Parsed question files kept between commands, so `floor queue` at 10,000 questions starts at once.

Parsing a question file is YAML work in Python (about 50 µs a file); a stat
is under 3 µs. The cache (one JSON file in the site's CACHE_PATH, ``.cache/``)
maps each file, by its path relative to the site, to the stat it had, the
digest of its bytes and the fields of its parse. A file is trusted only when

- its stat (size, mtime, ctime, inode, device) is the one recorded, and it
  was recorded at least :data:`RACY_NS` after the file last changed: git's
  "racy clean" rule, so that a second edit within one timestamp tick (or an
  ``os.utime`` that puts the mtime back; the ctime still moves) is never
  missed; or
- its stat differs but its bytes hash to the recorded digest (a fresh CI
  checkout gives every file a new mtime: the files are hashed, not parsed).

Anything else is parsed again. What is kept is exactly what the file holds,
and only for a file whose every contact is sealed (``age:…``) or absent: a
parse holding a plain contact (a site before ``floor seal``) is never
written to disk. Parse errors are not kept either: a broken file is parsed,
and reported, every time. The file is stamped with a salt (the kit's
version, this format, Python's version, the digest of the parser's source
and this module's), so a cache from another kit or parser is ignored; a
missing, corrupt or unreadable cache is ignored too, and rebuilt.

The file is JSON, never a pickle: ``.cache/`` is restored from the Actions
cache by the weekly job, whose process holds the author's key, so a replaced
file must not be able to run code. Reading it is ``json.loads`` (which makes
only strings, numbers, lists and dicts) and then a check of every entry's
shape and every field's type, all rows at once (:func:`_rows_from`); anything else makes the
whole file ignored. Dates go in as ISO text and come back as dates.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.util
import json
import marshal
import math
import operator
import os
import sys
import time
from collections import deque
from collections.abc import Callable
from itertools import chain, filterfalse, repeat
from pathlib import Path
from typing import Any

from . import heap

FILE = "floor-questions.json"  # in the site's CACHE_PATH
OLD_FILES = ("floor-questions.pickle",)  # earlier formats: removed, never read
FORMAT = 2  # bump when the entries' shape changes
# A file whose mtime or ctime is this recent may still change within the same timestamp tick
# without its stat changing; its parse is used, not kept. Two seconds covers the coarsest
# common timestamps (FAT's two-second mtime) as well as ext4's nanoseconds.
RACY_NS = 2_000_000_000

_NONE = object()
Stamp = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def is_racy(stamp: Stamp, now_ns: int | None = None) -> bool:
    """True while the file may change again without its stat showing it."""
    now = time.time_ns() if now_ns is None else now_ns
    return now - max(stamp[1], stamp[2]) < RACY_NS


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def salt() -> tuple[Any, ...]:
    """What a parse depends on besides the file: another kit, format or parser makes another salt."""
    from ..version import __version__
    from . import question

    sources = hashlib.blake2b(digest_size=16)
    names = (
        question.__file__,
        _source_of("frontmatter_text"),
        _source_of("clock"),
        _source_of("unprintable"),  # the tag rule (question.clean_tag) drops what it drops
        __file__,
    )
    for name in names:
        with open(name or "", "rb") as f:  # the parser's code, and the entries' shape (this file)
            sources.update(f.read())
    fields = tuple(f.name for f in dataclasses.fields(question.Question))
    return (FORMAT, __version__, sys.version_info[:2], sources.hexdigest(), fields)


def _source_of(module: str) -> str | None:
    """The file a module of this package is loaded from, without importing it: a cache hit never
    needs the front-matter parser, whose import brings YAML (about 10 ms)."""
    name = f"{__package__}.{module}"
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded.__file__
    spec = importlib.util.find_spec(name)
    return spec.origin if spec is not None else None


def is_private_safe(q: Any) -> bool:
    """A parse may go to disk only if it holds no contact in plain text."""
    from .sealing import is_sealed

    contacts = [q.contact, *(entry.contact for entry in q.also_asked_by)]
    return all(not c or is_sealed(c) for c in contacts)


class ParseCache:
    """The entries of one site's cache file: ``(relative path, published) → (stamp, digest, fields)``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.salt = salt()
        self.entries: dict[tuple[str, bool], tuple[Stamp, bytes, dict[str, Any]]] = {}
        self.changed = False
        self.restamped = False  # entries whose files' bytes are the kept ones took new stats
        self.seen: set[tuple[str, bool]] = set()
        # each entry's fields as the file held them (JSON values), by the fields they were read
        # into: an entry saved again with those very fields is written from them, not encoded
        # anew (10,000 entries: about 0.1 s of `floor publish` after a fresh checkout)
        self._loaded: dict[tuple[str, bool], tuple[dict[str, Any], dict[str, Any]]] = {}
        # each entry's question as :meth:`question` last made it, by the fields it was made from:
        # a cache kept between loads (the desk's, queue.kept_parses) makes it once, not per page
        self._built: dict[tuple[str, bool], tuple[dict[str, Any], Any]] = {}
        if path is not None:
            self._read(path)

    def _read(self, path: Path) -> None:
        try:
            with open(path, "rb") as f, heap.collector_off():
                saved = json.loads(f.read())
        except (OSError, ValueError, RecursionError):  # missing, truncated, corrupt: start empty
            return
        if not isinstance(saved, dict) or saved.get("salt") != _plain_salt(self.salt):
            return
        with heap.collector_off():
            checked = _rows_from(saved.get("entries"))
        if checked is not None:  # else one row of the wrong shape: the file is not trusted at all
            self.entries, self._loaded = checked

    def begin(self) -> None:
        """A new load of the whole site starts: what it does not see is gone when it saves (a cache
        kept between loads would otherwise keep, and write, the entries of deleted files)."""
        self.seen = set()

    def question(self, key: tuple[str, bool], fields: dict[str, Any], path: Path) -> Any:
        """The entry's question (:func:`rebuild`), made once for these very fields; each caller
        gets its own shallow copy, as question.reused gives one."""
        made = self._built.get(key)
        if made is None or made[0] is not fields or made[1].path is not path:
            made = self._built[key] = (fields, rebuild(fields, path))
        q = made[1]
        new = object.__new__(type(q))
        new.__dict__.update(q.__dict__)
        return new

    # -- looking up ----------------------------------------------------------------------
    def fresh(self, key: tuple[str, bool], stamp: Stamp) -> dict[str, Any] | None:
        """The kept fields if the file's stat is the recorded one (and was not racy when recorded)."""
        self.seen.add(key)
        entry = self.entries.get(key)
        if entry is None or entry[0] != stamp:
            return None
        return entry[2]

    def digest_of(self, key: tuple[str, bool]) -> bytes | None:
        entry = self.entries.get(key)
        return entry[1] if entry is not None else None

    def same_bytes(
        self, key: tuple[str, bool], stamp: Stamp, file_digest: bytes, now_ns: int
    ) -> dict[str, Any] | None:
        """The kept fields if the bytes are the recorded ones; the entry takes the new stat if safe."""
        entry = self.entries.get(key)
        if entry is None or entry[1] != file_digest:
            return None
        if not is_racy(stamp, now_ns):
            self.entries[key] = (stamp, file_digest, entry[2])
            self.restamped = True
        return entry[2]

    # -- recording -------------------------------------------------------------------------
    def store(self, key: tuple[str, bool], stamp: Stamp, file_digest: bytes, q: Any, now_ns: int) -> None:
        """Keep a fresh parse, unless its file is racy or it holds a plain contact."""
        if self.path is None:  # no cache file: nothing to keep
            return
        if is_racy(stamp, now_ns) or not is_private_safe(q):
            if self.entries.pop(key, None) is not None:
                self.changed = True
            return
        self.entries[key] = (stamp, file_digest, fields_of(q))
        self.changed = True

    def forget(self, key: tuple[str, bool]) -> None:
        if self.entries.pop(key, None) is not None:
            self.changed = True

    def save(self, *, stats: bool = True) -> None:
        """Write the entries of the files seen in this run (atomically), if anything changed.

        ``stats=False``: not when the only change is new stats of files whose bytes are the kept
        ones (after a checkout or a restore): the next run finds those by their bytes again."""
        if self.path is None:
            return
        gone = [key for key in self.entries if key not in self.seen]
        for key in gone:
            del self.entries[key]
            self._built.pop(key, None)
        if not (self.changed or gone or (stats and self.restamped)):
            return
        from .atomic import atomic_binary

        rows = []
        loaded = self._loaded.get
        for key, (stamp, file_digest, fields) in self.entries.items():
            was = loaded(key)
            encoded = was[1] if was is not None and was[0] is fields else _encoded(fields)
            if encoded is not None:  # else that file is parsed each time (a date in an unknown field)
                rows.append([key[0], key[1], list(stamp), file_digest.hex(), encoded])
        data = json.dumps({"salt": _plain_salt(self.salt), "entries": rows}, ensure_ascii=False)
        try:
            with atomic_binary(self.path) as handle:
                handle.write(data.encode("utf-8"))
        except OSError:  # a read-only checkout, a full disk: the next run parses again
            return
        for old in OLD_FILES:  # a pickle from an earlier kit is never read: it goes
            with contextlib.suppress(OSError):
                (self.path.parent / old).unlink()
        self.changed = self.restamped = False


@functools.cache
def _defaults() -> tuple[dict[str, Any], dict[str, Callable[[], Any]]]:
    """Every Question field's default (None for a list or dict), and the factories of those."""
    from .question import Question

    plain: dict[str, Any] = {}
    made: dict[str, Callable[[], Any]] = {}
    for f in dataclasses.fields(Question):
        if f.default is not dataclasses.MISSING:
            plain[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            plain[f.name] = None  # a fresh list or dict per question, made in rebuild()
            made[f.name] = f.default_factory
    return plain, made


def fields_of(q: Any) -> dict[str, Any]:
    """The parse's fields that differ from their defaults (a smaller file loads sooner), path left out."""
    plain, made = _defaults()
    kept = {}
    for name, value in q.__dict__.items():
        if name == "path" or (name in made and not value):
            continue
        default = plain.get(name, _NONE)
        if type(value) is type(default) and value == default:  # 0 is not False, "" is not None
            continue
        kept[name] = value
    return kept


def _encoded(fields: dict[str, Any]) -> dict[str, Any] | None:
    """The fields as JSON values: dates as ISO text, ``also_asked_by`` readers as their field
    mappings; None if a value JSON cannot give back exactly (a date inside an unknown field)."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _DATES or name == "date":
            value = value.isoformat() if isinstance(value, dt.date) else value
        elif name == "also_asked_by":
            value = [_also_fields(entry) for entry in value]
        if not _is_plain(value):
            return None
        out[name] = value
    return out


_DATES = ("asked", "not_before", "pin")  # dt.date fields; ``date`` is the datetime


def _also_fields(entry: Any) -> dict[str, Any]:
    fields = dict(entry.__dict__)
    if isinstance(fields.get("asked"), dt.date):
        fields["asked"] = fields["asked"].isoformat()
    return fields


def _is_plain(value: Any) -> bool:
    """JSON gives this value back exactly: str, int, finite float, bool, None, and lists and dicts of them."""
    kind = type(value)
    if kind in (str, int, bool) or value is None:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_is_plain(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _is_plain(v) for k, v in value.items())
    return False


def _plain_salt(salt: tuple[Any, ...]) -> Any:
    """The salt as JSON holds it (tuples become lists), to compare with a file's."""
    return json.loads(json.dumps(salt))


_Rows = tuple[
    dict[tuple[str, bool], tuple[Stamp, bytes, dict[str, Any]]],
    dict[tuple[str, bool], tuple[dict[str, Any], dict[str, Any]]],
]


def _rows_from(rows: Any) -> _Rows | None:
    """The file's rows, every one checked as :meth:`save` writes it, → (entries, each entry's
    fields with the JSON values they were read from); None if anything is not so.

    The checks run over all rows at once, a column at a time, in compiled code (``set(map(type,
    …))``), rather than row by row in Python: at 10,000 rows about 50 ms instead of 60 (the
    copies and the mappings made remain). What is accepted is what the row-by-row check
    accepted: each row a list of five, the path text, the flag a bool, the stat five whole
    numbers, the digest 32 hex digits, the fields a mapping whose every name is a kept field's,
    of its one type (:func:`_stored_types`), holding the fields a parse always has, with dates
    that read as dates, tags that are all text, readers as :func:`_also_from` checks them and
    the author's own fields plain JSON values."""
    if type(rows) is not list:
        return None
    if not rows:
        return {}, {}
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {5}:
        return None
    rels, published, stamps, hexdigests, fieldss = zip(*rows, strict=True)
    if not (
        set(map(type, rels)) == {str}
        and set(map(type, published)) == {bool}
        and set(map(type, stamps)) == {list}
        and set(map(len, stamps)) == {5}  # size, mtime_ns, ctime_ns, inode, device:
        and set(map(type, chain.from_iterable(stamps))) == {int}  # whole numbers (not True or False)
        and set(map(type, hexdigests)) == {str}
        and set(map(len, hexdigests)) == {32}
        and set(map(type, fieldss)) == {dict}
    ):
        return None
    try:
        digests = list(map(bytes.fromhex, hexdigests))
    except ValueError:
        return None
    # every field of every row at once: its name's one type (None for a name that is no kept
    # field, or is the path) against its value's type; dict.get and type, not tuples of pairs
    wanted = list(map(_stored_types().get, chain.from_iterable(fieldss)))
    if wanted != list(map(type, chain.from_iterable(map(dict.values, fieldss)))):
        return None
    if not all(map(operator.le, repeat(_required()), map(dict.keys, fieldss))):
        return None  # a question without its id, its question or its date
    outs = list(map(dict, fieldss))  # (the rows' own mappings are kept as read, for save())
    tags = filter(None, map(dict.get, fieldss, repeat("tags")))
    if not set(map(type, chain.from_iterable(tags))) <= _TEXT_ONLY:
        return None
    rare = _READ_APART - {"asked", "tags"}
    try:  # the date every row holds (one of _required()), a column at a time
        asked = map(dt.date.fromisoformat, map(operator.itemgetter("asked"), fieldss))
        deque(map(dict.__setitem__, outs, repeat("asked"), asked), maxlen=0)
    except ValueError:
        return None
    for out in filterfalse(rare.isdisjoint, outs):  # the few with other dates, readers, own fields
        if not _read_apart(out, rare.intersection(out)):
            return None
    keys = list(zip(rels, published, strict=True))
    kept = zip(map(tuple, stamps), digests, outs, strict=True)
    entries = dict(zip(keys, kept, strict=True))  # (a path listed twice: its last row, as before)
    return entries, dict(zip(keys, zip(outs, fieldss, strict=True), strict=True))  # type: ignore[arg-type]


def _read_apart(out: dict[str, Any], names: set[str]) -> bool:
    """The rarer fields read one by one, in place: other dates, readers merged in, the author's
    own fields; False if one is not as :meth:`save` writes it."""
    kinds = _kinds()
    for name in names:
        kind, value = kinds[name], out[name]
        if kind is _DATE or kind is _DATETIME:
            made = dt.date.fromisoformat if kind is _DATE else dt.datetime.fromisoformat
            try:
                out[name] = made(value)
            except ValueError:
                return False
        elif kind is _ALSO:
            out[name] = _also_from(value)
            if out[name] is None:
                return False
        elif not _is_plain(value):  # _EXTRA
            return False
    return True


_TEXT_ONLY = {str}
_DATE, _DATETIME, _ALSO, _TAGS, _EXTRA = "date", "datetime", "also_asked_by", "tags", "extra"


_READ_APART = frozenset((*_DATES, "date", "also_asked_by", "tags", "extra"))
# the type a value of each of those has in the file: dates as ISO text, readers and tags as lists
_AS_STORED = {_DATE: str, _DATETIME: str, _ALSO: list, _TAGS: list, _EXTRA: dict}


@functools.cache
def _stored_types() -> dict[str, type]:
    """Each kept field's name → the one type its value may have in the file."""
    return {name: _AS_STORED.get(kind, kind) for name, kind in _kinds().items()}


@functools.cache
def _kinds() -> dict[str, Any]:
    """What :func:`_fields_from` checks each kept field against, by its name: the one type it
    may have (:func:`_field_type`), or how it is read (dates, readers, tags, the author's own)."""
    special = {"date": _DATETIME, "also_asked_by": _ALSO, "tags": _TAGS, "extra": _EXTRA}
    special.update(dict.fromkeys(_DATES, _DATE))
    return {
        name: special.get(name) or _field_type(default, name)
        for name, default in _field_defaults().items()
        if name != "path"
    }


@functools.cache
def _required() -> frozenset[str]:
    """The fields a parse always holds (no default; the path is the file's own)."""
    return frozenset(name for name, factory, default in _layout() if factory is None and default is _NONE) - {
        "path"
    }


@functools.cache
def _field_defaults() -> dict[str, Any]:
    from .question import Question

    return {f.name: f.default for f in dataclasses.fields(Question)}


def _also_from(value: Any) -> list[Any] | None:
    from .question import AlsoAsked

    if type(value) is not list:
        return None
    defaults = {f.name: f.default for f in dataclasses.fields(AlsoAsked)}
    entries = []
    for fields in value:
        if type(fields) is not dict or set(fields) != set(defaults) or type(fields["asked"]) is not str:
            return None
        for name, given in fields.items():
            if name == "asked" or (given is None and defaults[name] is None):
                continue
            if type(given) is not _field_type(defaults[name], name):
                return None
        try:
            asked = dt.date.fromisoformat(fields["asked"])
        except ValueError:
            return None
        entry = AlsoAsked.__new__(AlsoAsked)
        entry.__dict__ = {**fields, "asked": asked}
        entries.append(entry)
    return entries


def _field_type(default: Any, name: str) -> type:
    """The one type a kept field may have: its default's (a field kept only when it differs from
    its default is never the default None), ``int`` for the post number, else text."""
    if default is None or default is dataclasses.MISSING:
        return int if name in ("number", "priority") else str
    return type(default)


def rebuild(fields: dict[str, Any], path: Path) -> Any:
    """A Question from :func:`fields_of`'s mapping, as :func:`question.parse_text` would have made it."""
    from .question import Question

    # made by Question(...) itself, its mapping shares its keys with every other question's
    # (about 5 MB less for 10,000 questions than a mapping of its own); its arguments are given
    # by position, each field's value or its default looked up in compiled code (map, dict.get):
    # thirty keywords matched by name took half the time of making 10,000 questions
    names, defaults, path_at, filled = _positions()
    values = list(map(fields.get, names, defaults))
    values[path_at] = fields.get("path", path)
    for at, factory in filled:  # a fresh list or dict per question; no value for a required field
        if values[at] is _NONE:
            if factory is None:
                raise TypeError(f"Question() missing the required field {names[at]!r}")
            values[at] = factory()
    return Question(*values)  # (a name that is no field, an attribute a holder set on its copy: left out)


_Positions = tuple[tuple[str, ...], tuple[Any, ...], int, tuple[tuple[int, Callable[[], Any] | None], ...]]


@functools.cache
def _positions() -> _Positions:
    """What :func:`rebuild` needs to give Question its fields by position: their names in order,
    each one's plain default (:data:`_NONE` where a factory makes it or nothing may stand in), the
    path's place, and the places to fill afterwards (a factory, or None for a required field)."""
    layout = _layout()
    names = tuple(name for name, _, _ in layout)
    defaults = tuple(_NONE if factory is not None else default for _, factory, default in layout)
    filled = tuple(
        (at, factory)
        for at, (name, factory, default) in enumerate(layout)
        if name != "path" and (factory is not None or default is _NONE)
    )
    return names, defaults, names.index("path"), filled


@functools.cache
def _layout() -> tuple[tuple[str, Callable[[], Any] | None, Any], ...]:
    """Each Question field in order: its name, its default's factory (or None), its default."""
    from .question import Question

    plain, made = _defaults()
    return tuple((f.name, made.get(f.name), plain.get(f.name, _NONE)) for f in dataclasses.fields(Question))


def parses_to_bytes(store: dict) -> bytes:
    """A build's in-memory parses (question.reusing_parses' store), as marshal bytes of plain
    tuples: how the build's validation worker hands them to the build (inert, and cheaper to
    read than pickled questions). The fields are encoded as the cache file encodes them
    (:func:`_encoded`); a parse with a value that cannot be given back exactly (a date in a
    field of the author's own) is left out: its file is parsed again where it is needed."""
    rows = []
    for (name, published), (stamp, q) in store.items():
        fields = _encoded(fields_of(q))
        if fields is not None:
            rows.append((name, published, tuple(stamp), str(q.path), fields))
    return marshal.dumps(rows)


def parses_from_bytes(data: bytes) -> dict[tuple[str, bool], tuple[tuple[int, ...], Any]]:
    """:func:`parses_to_bytes`' store again, each question as :func:`question.parse_text` made it."""
    from .question import AlsoAsked

    store = {}
    date, datetime = dt.date.fromisoformat, dt.datetime.fromisoformat
    with heap.collector_off():
        for name, published, stamp, path, fields in marshal.loads(data):
            # (made by this kit in a fork of this process: the types are the ones it encoded)
            for key in _DATES:
                if key in fields:
                    fields[key] = date(fields[key])
            if "date" in fields:
                fields["date"] = datetime(fields["date"])
            if "also_asked_by" in fields:
                fields["also_asked_by"] = [_also_made(AlsoAsked, entry) for entry in fields["also_asked_by"]]
            store[(name, published)] = (stamp, rebuild(fields, Path(path)))
    return store


def _also_made(cls: type, fields: dict[str, Any]) -> Any:
    entry = cls.__new__(cls)
    entry.__dict__ = {**fields, "asked": dt.date.fromisoformat(fields["asked"])}
    return entry


def cache_file(root: Path, raw_settings: dict) -> Path:
    """The site's cache file: in Pelican's CACHE_PATH (``.cache`` when the settings have none)."""
    return root / str(raw_settings.get("CACHE_PATH") or ".cache") / FILE
