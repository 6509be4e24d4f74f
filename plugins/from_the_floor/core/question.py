"""A question file: its fields, their validation, and its derived status."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FloorError
from . import clock, unprintable

# Fields that hold a reader's private data or the author's private notes:
# never handed to Pelican, never rendered, never copied into output/.
PRIVATE_FIELDS = frozenset({"contact", "declined", "notify", "notified", "also_asked_by", "intake_id"})

READY, UNANSWERED, HELD, DECLINED, PUBLISHED = (
    "ready",
    "unanswered",
    "held",
    "declined",
    "published",
)

IMPORTED = "import"  # the source `floor import` writes on each post it brings over

_BOOL_WORDS = {"yes": True, "on": True, "no": False, "off": False}


@dataclass
class AlsoAsked:
    """Another reader who asked the same question, merged in by intake (see duplicates.py).

    Kept whole (their wording, contact and consent) so `floor notify` can reach
    them and `floor split` can turn them back into a question of their own.
    """

    question: str
    asked: dt.date
    asker: str | None = None
    credit: bool = False
    contact: str | None = None
    source: str | None = None
    details: str | None = None
    intake_id: str | None = None
    notify: bool = False
    notified: str | None = None

    @property
    def public_asker(self) -> str | None:
        return self.asker if self.credit and self.asker else None

    def as_fields(self) -> dict[str, Any]:
        """The entry's fields in file order, leaving out empty ones."""
        fields: dict[str, Any] = {"question": self.question, "asked": self.asked}
        for key in ("asker", "credit", "contact", "source", "details", "intake_id", "notify", "notified"):
            value = getattr(self, key)
            if value not in (None, "", False) or key == "credit":
                fields[key] = value
        return fields


@dataclass
class Question:
    """One question, as parsed from its file; status is derived, never stored."""

    id: str
    path: Path
    question: str
    asked: dt.date
    body: str = ""
    asker: str | None = None
    credit: bool = False
    contact: str | None = None
    source: str | None = None
    tags: list[str] = field(default_factory=list)
    quick_answer: str | None = None
    details: str | None = None
    declined: str | None = None
    hold: bool = False
    not_before: dt.date | None = None
    priority: int = 0
    pin: dt.date | None = None
    # publication metadata (only on files in content/floor/)
    title: str | None = None
    date: dt.datetime | None = None
    number: int | None = None
    slug: str | None = None
    published: bool = False
    # intake, import and notify
    intake_id: str | None = None
    notify: bool = False
    notified: str | None = None
    original_url: str | None = None
    also_asked_by: list[AlsoAsked] = field(default_factory=list)
    # merged readers past the ones listed in also_asked_by, kept in the readers file (readers_file.py)
    more_readers: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.published:
            return PUBLISHED
        if self.declined:
            return DECLINED
        if not (self.quick_answer or "").strip() or not self.body.strip():
            return UNANSWERED
        if self.hold:
            return HELD
        return READY

    @property
    def public_asker(self) -> str | None:
        """The asker's name only when they agreed to be credited."""
        return self.asker if self.credit and self.asker else None

    @property
    def from_archive(self) -> bool:
        """An old post `floor import` brought over (``source: import``) with no reader on record.

        The import knows neither who asked nor when (its ``asked`` is the old post's date, and
        with ``--all`` the post may be an ordinary article): such a post claims no reader's
        question, no "Asked by" line and no asked date. Credit a named asker and it is one again.
        """
        return self.source == IMPORTED and not self.public_asker and self.readers == 1

    @property
    def readers(self) -> int:
        """How many readers asked this: the asker and everyone merged in (listed or kept apart)."""
        return 1 + len(self.also_asked_by) + self.more_readers

    @property
    def credited_names(self) -> list[str]:
        """The names of the readers who asked this and agreed to be credited, once each."""
        askers = [self.public_asker, *(e.public_asker for e in self.also_asked_by)]
        return list(dict.fromkeys(name for name in askers if name))

    @property
    def uncredited_count(self) -> int:
        """How many of the readers who asked this are not named (those kept apart are counted)."""
        return sum(1 for e in (self, *self.also_asked_by) if not e.public_asker) + self.more_readers

    @property
    def asked_by(self) -> str:
        """Who asked, as the post says it ("Asked by …"): credited names, then a count.

        "a reader", "Sam", "3 readers", "Sam and 2 other readers"; a name
        appears only when that reader agreed to be credited.
        """
        names = self.credited_names
        others = self.uncredited_count
        if not names:
            return "a reader" if others == 1 else f"{others} readers"
        if not others:
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{', '.join(names)} and {others} other reader{'s' if others != 1 else ''}"


_NOT_SHOWN = "a value not shown here (it may be a reader's contact)"
_DATE_LIKE = re.compile(r"\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T ][0-9:.,+Z-]*)?\s*")


def _may_be_contact(value: object) -> bool:
    """Whether a wrong value could be a reader's address or phone number put in the wrong field
    (``notify: ben@example.org``): a question file holds readers' contacts, and its errors reach a
    terminal or a public CI log, so such a value is described, never echoed."""
    text = str(value)
    if "@" in text or len(text) > 80:
        return True
    return sum(c.isdigit() for c in text) >= 7 and not _DATE_LIKE.fullmatch(text)


def _shown(value: object) -> str:
    """A wrong value as an error shows it: as written (``'yes please'``), unless it may be a contact."""
    if isinstance(value, dict | list):  # (a reader's "name: address" written where text goes)
        return _kind(value)
    return _NOT_SHOWN if _may_be_contact(value) else repr(value)


def _misspelt(data: dict, key: str) -> str:
    """A field the file has that is a near miss of the missing ``key`` (``qestion:``), as the
    fix: the author sees their own spelling beside the kit's. Not shown when it may be a
    contact (a reader's address used as a key)."""
    import difflib  # (here: only a file with a missing field needs it)

    names = [k for k in data if isinstance(k, str) and len(k) <= 40 and not _may_be_contact(k)]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.75)
    return f"; the file has {close[0]!r}: rename it {key!r}" if close else ""


def _text(data: dict, key: str, path: Path, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            missing = "is missing; every question needs it" + _misspelt(data, key)
            raise FloorError(missing, path=path, field=key)
        return None
    if isinstance(value, bool):
        # only reachable for true/false; say how to keep the word as text
        word = "true" if value else "false"
        raise FloorError(
            f'expected text, got the boolean {word}; put it in quotes: {key}: "{word}"',
            path=path,
            field=key,
        )
    if isinstance(value, (list, dict)):
        raise FloorError(f"expected text, got {_kind(value)}", path=path, field=key)
    return str(value)


def _date(data: dict, key: str, path: Path, *, required: bool = False) -> dt.date | None:
    raw = _text(data, key, path, required=required)
    if raw is None:
        return None
    try:
        day = clock.parse_day(raw)
    except ValueError as exc:  # (its words quote the value: not when that may be a contact)
        problem = f"{_NOT_SHOWN} is not a date; write it as YYYY-MM-DD" if _may_be_contact(raw) else str(exc)
        raise FloorError(problem, path=path, field=key) from None
    if problem := clock.out_of_range(day):
        raise FloorError(problem, path=path, field=key)
    return day


def _datetime(data: dict, key: str, path: Path) -> dt.datetime | None:
    raw = _text(data, key, path)
    if raw is None:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        raise FloorError(f"{_shown(raw)} is not an ISO 8601 date and time", path=path, field=key) from None
    if value.tzinfo is None:
        raise FloorError(
            f"{_shown(raw)} has no UTC offset; published dates must carry one",
            path=path,
            field=key,
        )
    if problem := clock.out_of_range(value.date()):
        raise FloorError(problem, path=path, field=key)
    return value


def _bool(data: dict, key: str, path: Path) -> bool:
    value = data.get(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _BOOL_WORDS:
        return _BOOL_WORDS[value.strip().lower()]
    raise FloorError(f"expected true or false, got {_shown(value)}", path=path, field=key)


def _int(data: dict, key: str, path: Path, default: int | None = 0) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise FloorError(f"expected a whole number, got {_shown(value)}", path=path, field=key)


def _tags(data: dict, path: Path) -> list[str]:
    value = data.get("tags")
    if value is None or value == "":
        return []
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise FloorError("expected a list of tags", path=path, field="tags")
    tags: list[str] = []
    for item in items:
        if item is None or isinstance(item, (list, dict, bool)):
            raise FloorError(f"each tag must be text, got {_shown(item)}", path=path, field="tags")
        tag = clean_tag(str(item))
        if tag and tag not in tags:
            tags.append(tag)
    return tags


# Letters that draw nothing (Hangul fillers, the braille blank): a tag of them alone is a blank pill.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_tag(text: str) -> str:
    """A tag as every page and command shows it: on one line, without the characters intake drops
    from a reader's text (core/unprintable.py), so a hand-edited file's escape code never reaches
    the Stats page or a terminal; "" for a tag with nothing to see (spaces, zero-width
    characters), which would be an empty pill on the tags index."""
    tag = " ".join(text.split())
    if tag.isascii() and tag.isprintable():
        return tag  # the common case: nothing to drop, and a visible character (no spaces at the ends)
    tag = " ".join(unprintable.drop(tag).split())
    if all(ch in _BLANK_LETTERS or unicodedata.category(ch)[0] in "ZC" for ch in tag):
        return ""
    return tag


def _kind(value: object) -> str:
    """What a value is, never the value (an error's words for a list or a mapping where text
    goes; an entry of ``also_asked_by`` written as one line may be a reader's name and contact,
    which an error must not print: a terminal, a CI log)."""
    if isinstance(value, str):
        return "a line of text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "an empty entry"
    if isinstance(value, bool):
        return "true or false"
    return "a number" if isinstance(value, int | float) else "something else"


def _field_name(key: object) -> str:
    """A mistyped field's name as written when it is close to a merged reader's field
    (``contcat``, said with the field it may be); any other key (a reader's name or address used
    as one, ``Jane Roe: jane@example.org``) is not printed."""
    fields = list(AlsoAsked.__dataclass_fields__)
    if isinstance(key, str) and len(key) <= 40 and not _may_be_contact(key):
        import difflib  # (here: only a file with a mistyped field needs it, not every command's start)

        close = difflib.get_close_matches(key.lower(), fields, n=1, cutoff=0.75)
        if close:
            return f"{key!r} (did you mean {close[0]!r}?)"
    return "(its name is not shown: it is not one of " + ", ".join(fields) + ")"


def _also_asked_by(data: dict, path: Path) -> list[AlsoAsked]:
    """The merged askers; each problem names the entry, e.g. ``also_asked_by[2].asked``."""
    value = data.get("also_asked_by")
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise FloorError(
            "expected a list of readers (each with question, asked, …)", path=path, field="also_asked_by"
        )
    entries: list[AlsoAsked] = []
    for index, item in enumerate(value, start=1):
        name = f"also_asked_by[{index}]"
        if not isinstance(item, dict):
            raise FloorError(f"expected 'key: value' fields, got {_kind(item)}", path=path, field=name)
        unknown = sorted(set(item) - set(AlsoAsked.__dataclass_fields__), key=str)
        if unknown:
            raise FloorError(f"unknown field {_field_name(unknown[0])}", path=path, field=name)
        try:
            entries.append(
                AlsoAsked(
                    question=_text(item, "question", path, required=True) or "",
                    asked=_date(item, "asked", path, required=True),  # type: ignore[arg-type]
                    asker=_text(item, "asker", path),
                    credit=_bool(item, "credit", path),
                    contact=_text(item, "contact", path),
                    source=_text(item, "source", path),
                    details=_text(item, "details", path),
                    intake_id=_text(item, "intake_id", path),
                    notify=_bool(item, "notify", path),
                    notified=_text(item, "notified", path),
                )
            )
        except FloorError as exc:
            raise FloorError(exc.problem, path=path, field=f"{name}.{exc.field}") from None
    return entries


KNOWN_FIELDS = frozenset(
    {
        "question",
        "asked",
        "asker",
        "credit",
        "contact",
        "source",
        "tags",
        "quick_answer",
        "details",
        "declined",
        "hold",
        "not_before",
        "priority",
        "pin",
        "title",
        "date",
        "number",
        "slug",
        "notify",
        "notified",
        "intake_id",
        "original_url",
        "also_asked_by",
        "more_readers",
    }
)


def parse_text(text: str, path: Path, *, published: bool = False) -> Question:
    """Build a Question from file text; every problem names the file and field."""
    from . import frontmatter_text  # YAML is imported only when a file is parsed (not on a cache hit)

    data, sp = frontmatter_text.load_mapping(text, path)
    q = Question(
        id=path.stem,
        path=path,
        question=_text(data, "question", path, required=True) or "",
        asked=_date(data, "asked", path, required=True),  # type: ignore[arg-type]
        body=sp.body(text).replace("\r\n", "\n").strip("\n"),  # CRLF files read like LF ones
        asker=_text(data, "asker", path),
        credit=_bool(data, "credit", path),
        contact=_text(data, "contact", path),
        source=_text(data, "source", path),
        tags=_tags(data, path),
        quick_answer=_text(data, "quick_answer", path),
        details=_text(data, "details", path),
        declined=_text(data, "declined", path),
        hold=_bool(data, "hold", path),
        not_before=_date(data, "not_before", path),
        priority=_int(data, "priority", path) or 0,
        pin=_date(data, "pin", path),
        title=_text(data, "title", path),
        date=_datetime(data, "date", path),
        number=_int(data, "number", path, default=None),
        slug=_text(data, "slug", path),
        published=published,
        intake_id=_text(data, "intake_id", path),
        notify=_bool(data, "notify", path),
        notified=_text(data, "notified", path),
        original_url=_text(data, "original_url", path),
        also_asked_by=_also_asked_by(data, path),
        more_readers=_int(data, "more_readers", path) or 0,
        extra={k: v for k, v in data.items() if k not in KNOWN_FIELDS},
    )
    post_authors(q.extra.get("author"), path)  # checked with the rest; the plugin reads it
    if not q.question.strip():
        raise FloorError("is empty", path=path, field="question")
    if q.more_readers < 0:
        raise FloorError(
            "must be 0 or more (readers kept in the readers file)", path=path, field="more_readers"
        )
    if published:
        for key in ("date", "number"):
            if getattr(q, key) is None:
                raise FloorError(
                    "is missing on a published post (floor publish adds it)",
                    path=path,
                    field=key,
                )
        if q.number is not None and q.number < 1:
            raise FloorError("must be 1 or more", path=path, field="number")
    return q


def read_text(path: Path) -> str:
    """Read a question file as UTF-8, naming the line of any bad byte."""
    with open(path, "rb") as f:
        return decode(f.read(), path)


def decode(raw: bytes, path: Path) -> str:
    """A question file's bytes as text; a bad byte is reported with its line."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FloorError(
            f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            path=path,
            line=line,
        ) from None


class _Reuse:
    """One :func:`reusing_parses` block's state. It lives in a context variable, not in module
    globals, so two threads (the desk's preview engine and a page, each in its own block with
    its own store) never read or fill each other's store, and leaving one block cannot leave
    another's store in place for code outside any block."""

    __slots__ = ("arriving", "folders", "parses", "plain")

    def __init__(self, parses: dict) -> None:
        # Parses reused while their file is unchanged.
        self.parses: dict[tuple[str, bool], tuple[tuple[int, ...], Question]] = parses
        # What fills the store with parses made elsewhere (the build's validation worker),
        # called at the first lookup; None once they are in (or when none are on their way).
        self.arriving: Callable[[], None] | None = None
        # Each folder's questions as this block's first read of it found them
        # (queue.load_folder), by (folder, published).
        self.folders: dict[tuple[str, bool], list] = {}
        # The posts whose parses forget_parses let go in this block and that were not imported
        # (their absolute paths): the build's last look for imported posts need not read them.
        self.plain: set[str] = set()


# The current block's state; None outside reusing_parses(). A new thread starts outside any
# block (a thread's context starts empty); a forked build worker keeps its parent's.
_reuse: contextvars.ContextVar[_Reuse | None] = contextvars.ContextVar("floor_reusing_parses", default=None)
# A file changed this recently may change again within the same timestamp tick without
# its stat changing (git's "racy clean" case), so its parse is not kept.
RACY_NS = 100_000_000


@contextlib.contextmanager
def reusing_parses(store: dict | None = None) -> Iterator[dict]:
    """Within this block, :func:`load` reuses the parse of a file whose stat is unchanged.

    A build reads every question several times (validation, the reader, the
    reader site, the retirement forecast) and forked readers inherit what the
    parent parsed; the live preview passes the same ``store`` to each
    regeneration. Outside the block every load parses afresh.
    """
    reuse = _Reuse({} if store is None else store)
    token = _reuse.set(reuse)
    try:
        yield reuse.parses
    finally:
        _reuse.reset(token)


def current_parses() -> dict | None:
    """The store of the :func:`reusing_parses` block this code runs in (None outside one)."""
    reuse = _reuse.get()
    return None if reuse is None else reuse.parses


def parses_arriving(take: Callable[[], None]) -> None:
    """Inside :func:`reusing_parses`: parses made in another process are on their way, and
    ``take`` puts them into the store. The first lookup calls it (waiting for them), so
    whatever runs before that need not wait (the build reads its settings meanwhile)."""
    reuse = _reuse.get()
    if reuse is not None:
        reuse.arriving = take


def _arrive(reuse: _Reuse) -> None:
    take, reuse.arriving = reuse.arriving, None
    if take is not None:
        take()


def forget_parses() -> None:
    """Empty the current :func:`reusing_parses` store: a build whose readers have every question
    they need lets them go (5,000 posts' parsed files are about 20 MiB); a later load parses again."""
    reuse = _reuse.get()
    if reuse is None:
        return
    kept = reuse.parses.items()
    reuse.plain.update(full for (full, post), (_, q) in kept if post and q.source != IMPORTED)
    reuse.parses.clear()
    reuse.folders.clear()


def folder_loads() -> dict[tuple[str, bool], list] | None:
    """Inside :func:`reusing_parses`: the folders read whole in this block (queue.load_folder);
    a fresh table for each block (one build, one live-preview regeneration), None outside one."""
    reuse = _reuse.get()
    return None if reuse is None else reuse.folders


def forgotten_plain_posts() -> set[str]:
    """Inside :func:`reusing_parses`: the posts (absolute paths) whose parses :func:`forget_parses`
    let go, none of them imported. A build's store holds only what it parsed (or its worker did)
    from the files as they are, so finalize's look for imported posts skips these instead of
    parsing every post again; a post not among them (saved within the racy window, so never
    kept; or new) is read as before. Empty outside a block and before any forgetting (the live
    preview, whose store outlives a regeneration, never forgets)."""
    reuse = _reuse.get()
    return reuse.plain if reuse is not None else set()


def copy(q: Question) -> Question:
    """A shallow copy of ``q`` that its holder may set attributes on."""
    return _copy(q)


def post_authors(value: Any, path: Path | None = None) -> list[str]:
    """A post's ``author:`` key: who wrote it when not the column's own author (an imported post
    by someone else), as a name or a list of names; missing: the site's ``AUTHOR`` signs it."""
    if value is None or value == "":
        return []
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise FloorError(
            f"{value!r} must be a name, or a list of names ([Alice, Bob])", path=path, field="author"
        )
    return list(dict.fromkeys(" ".join(n.split()) for n in names))


def load(path: Path, *, published: bool = False) -> Question:
    return _load(path, published, own=False)


def load_kept(path: Path, *, published: bool = False) -> Question:
    """Like :func:`load`, but inside :func:`reusing_parses` the store's own parse, not a copy: for
    a caller that only hands out copies of it (queue.load_folder), so holding it costs nothing."""
    return _load(path, published, own=True)


def _load(path: Path, published: bool, *, own: bool) -> Question:
    """The file's parse: kept in the store when its stat is unchanged, else parsed and kept.
    ``own``: the store's object itself; otherwise a kept parse is copied (callers may set
    attributes on theirs) and a fresh one is the caller's already."""
    path = path if isinstance(path, Path) else Path(path)  # Path(a Path) parses it again
    if _reuse.get() is None:
        return parse_text(read_text(path), path, published=published)
    st = os.stat(path)
    q = _kept(path, (published,), st)
    if q is not None:
        return q if own else _copy(q)
    q = parse_text(read_text(path), path, published=published)
    remember(path, published, st, q)
    if own:  # the store's copy, unless the file was racy (then not kept)
        q = _kept(path, (published,), st) or q
    return q


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


def _kept(path: str | Path, kinds: tuple[bool, ...], st: os.stat_result) -> Question | None:
    """Inside :func:`reusing_parses`: the parse kept of this file (as a post or as a question, the
    first of ``kinds`` found) if its stat is unchanged; the store's own object, not a copy."""
    reuse = _reuse.get()
    if reuse is None:
        return None
    if reuse.arriving is not None:
        _arrive(reuse)
    full, stamp, parses = os.path.abspath(path), _stamp(st), reuse.parses
    for published in kinds:
        hit = parses.get((full, published))
        if hit is not None and hit[0] == stamp:
            return hit[1]
    return None


def reused(path: Path, published: bool, st: os.stat_result) -> Question | None:
    """Inside :func:`reusing_parses`: a copy of this file's parse if its stat is unchanged."""
    q = _kept(path, (published,), st)
    return None if q is None else _copy(q)  # callers may set attributes on theirs


def peek(path: str | Path, st: os.stat_result) -> Question | None:
    """Inside :func:`reusing_parses`: this file's parse, as a post or as a question, if its stat is
    unchanged; not a copy (for a caller that only reads it: the contact guard, for 1,000 files)."""
    return _kept(path, (True, False), st)


def remember(path: Path, published: bool, st: os.stat_result, q: Question) -> None:
    """Inside :func:`reusing_parses`: keep ``q`` (parsed after ``st`` was taken) unless racy."""
    reuse = _reuse.get()
    if reuse is None or time.time_ns() - st.st_mtime_ns < RACY_NS:
        return
    reuse.parses[(os.path.abspath(path), published)] = (_stamp(st), _copy(q))


def _copy(q: Question) -> Question:
    """``copy.copy(q)`` without its generic path (a Question is a plain dataclass): a build
    copies every question two or three times, 3.7 -> 1 µs each."""
    new = object.__new__(type(q))
    new.__dict__.update(q.__dict__)
    return new
