"""Withdrawn posts: a published answer taken down, its address kept as a short notice.

A reader may ask for their question to be taken down, or the author regrets a
post. Deleting the post's file alone made its page vanish (a 404 for every
link from elsewhere) and let the next `floor publish` hand its number to
another post when it was the latest. So a withdrawal is written down in one
small file at the site root, ``withdrawn.json`` (beside ``retired.json``, and
for the same reason: git records it and every checkout agrees), holding only
what is already public and says nothing of the reader: the post's number, its
date, its address (and an imported post's old addresses), when it was
withdrawn and an optional public note. The post's file (the reader's question,
details, name and sealed contact) and its readers file are then deleted.

The record is written first and the files removed after, so a run stopped in
between is finished by running it again; a second run finds the post already
withdrawn and changes nothing. Publishing counts the withdrawn numbers and
dates (a number is never given twice; a withdrawn post's week is not a week
missed); the build writes a noindexed notice at each recorded address
(pelican_plugin/retirement.py) and nothing else of the post.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import FloorError
from . import journal, readers_file, told
from . import queue as queue_mod
from .atomic import atomic_write_text
from .question import IMPORTED, Question
from .site import Site

STATE_FILE = journal.WITHDRAWN_RECORD  # "withdrawn.json"; an import may renumber it through the journal
NOTE_LIMIT = 200  # characters: a line, not an article
_PATH = re.compile(r"^/[^\s\x00-\x1f\x7f\\]*$")
# right-to-left overrides, embeddings and isolates: they show a note in another order than written
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# a post's slug: names joined by "/" (a `slug:` may have one), none of them "." or "..", nothing that
# could lead a re-run's deletions out of the posts folder (it names the files: content/floor/SLUG.md)
_SLUG_PART = r"(?!\.{1,2}(?:/|$))[^/\\\x00-\x1f\x7f]+"
_SLUG = re.compile(rf"{_SLUG_PART}(?:/{_SLUG_PART})*")


@dataclass(frozen=True)
class Withdrawn:
    """One withdrawn post, as withdrawn.json keeps it (nothing a reader wrote)."""

    slug: str | None  # None: withdrawn with its address forgotten (the slug is the question's words)
    number: int
    date: dt.datetime
    withdrawn: dt.date
    path: str | None  # the post's address from the site's root ('/floor/slug/'); None: forgotten
    note: str | None = None
    old_addresses: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "slug": self.slug,
            "number": self.number,
            "date": self.date.isoformat(),
            "withdrawn": self.withdrawn.isoformat(),
            "path": self.path,
        }
        if self.note:
            data["note"] = self.note
        if self.old_addresses:
            data["old_addresses"] = list(self.old_addresses)
        return data


def state_path(root: Path) -> Path:
    return Path(root) / STATE_FILE


def _entry(item: Any, index: int, path: Path) -> Withdrawn:
    where = f"posts[{index}]"
    if not isinstance(item, dict):
        raise FloorError("must be an object", path=path, field=where)

    def text(key: str, required: bool = True) -> str | None:
        value = item.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise FloorError("is missing or not text", path=path, field=f"{where}.{key}")
        return value

    number = item.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise FloorError("must be a whole number above 0", path=path, field=f"{where}.number")
    try:
        date = dt.datetime.fromisoformat(str(text("date")))
    except ValueError as exc:
        raise FloorError(f"is not an ISO 8601 date ({exc})", path=path, field=f"{where}.date") from None
    try:
        when = dt.date.fromisoformat(str(text("withdrawn")))
    except ValueError as exc:
        raise FloorError(f"is not an ISO 8601 date ({exc})", path=path, field=f"{where}.withdrawn") from None
    if date.tzinfo is None:
        raise FloorError("has no UTC offset", path=path, field=f"{where}.date")
    # "slug": null (written so, never left out): the address was forgotten (`floor withdraw
    # --forget-address`), and so is everything that would lead to it
    slug = None if "slug" in item and item["slug"] is None else text("slug")
    if slug is not None and not _SLUG.fullmatch(slug):
        # the slug names the files a re-run deletes (content/floor/SLUG.md …): a path is refused
        raise FloorError(
            "must be a post's slug, not a path out of the posts folder", path=path, field=f"{where}.slug"
        )
    if slug is None:
        if item.get("path") is not None or item.get("old_addresses"):
            raise FloorError(
                "must be null when the slug is (a forgotten address is not kept)",
                path=path,
                field=f"{where}.path",
            )
        return Withdrawn(
            slug=None, number=number, date=date, withdrawn=when, path=None, note=text("note", required=False)
        )
    url = str(text("path"))
    if not _PATH.fullmatch(url) or "/../" in f"{url}/" or "/./" in f"{url}/":
        raise FloorError(
            "must be a path from the site's root, like /floor/slug/", path=path, field=f"{where}.path"
        )
    old = item.get("old_addresses") or []
    if not isinstance(old, list) or not all(isinstance(a, str) for a in old):
        raise FloorError("must be a list of addresses", path=path, field=f"{where}.old_addresses")
    return Withdrawn(
        slug=slug,
        number=number,
        date=date,
        withdrawn=when,
        path=url,
        note=text("note", required=False),
        old_addresses=tuple(old),
    )


def read(root: Path) -> list[Withdrawn]:
    """Every withdrawn post, in number order; none without the file. A damaged file is an
    error naming the file and field, never "nothing withdrawn" (a number could be given twice)."""
    path = state_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise FloorError(f"is not valid JSON ({exc})", path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
        raise FloorError("must be an object with a list of posts", path=path, field="posts")
    entries = [_entry(item, i, path) for i, item in enumerate(data["posts"])]
    first: dict[int, int] = {}
    for i, entry in enumerate(entries):
        # one record per number: two would be two notices for one post, and a re-run could not
        # tell which to finish (a hand edit, or a copy pasted twice)
        if first.setdefault(entry.number, i) != i:
            raise FloorError(
                f"repeats post #{entry.number} (posts[{first[entry.number]}]); keep one of the two",
                path=path,
                field=f"posts[{i}].number",
            )
    return sorted(entries, key=lambda w: (w.number, w.slug or ""))


def file_text(entries: Sequence[Withdrawn]) -> str:
    """withdrawn.json's text for ``entries`` (also what an import writes when it renumbers them)."""
    ordered = sorted(entries, key=lambda w: (w.number, w.slug or ""))
    return json.dumps({"posts": [w.as_json() for w in ordered]}, indent=2, ensure_ascii=False) + "\n"


def _write(root: Path, entries: Sequence[Withdrawn]) -> None:
    atomic_write_text(state_path(root), file_text(entries))


def numbers(entries: Iterable[Withdrawn]) -> set[int]:
    return {w.number for w in entries}


def dates(entries: Iterable[Withdrawn]) -> list[dt.datetime]:
    """The withdrawn posts' dates: each went out in its week, which the schedule counts."""
    return [w.date for w in entries]


def slugs(entries: Iterable[Withdrawn]) -> set[str]:
    """Addresses a new question must not take: a notice stands there."""
    return {w.slug for w in entries if w.slug}


def check_note(note: str | None, post: Question | None, readers: Sequence[str] = ()) -> str | None:
    """The public note, trimmed; refused when it is long, holds a control character or an email
    address, or names a reader who asked. Both are looked for as a reader of the notice reads
    them (contact_recogniser): ``zeb(at)example(dot)org``, look-alike letters and invisible
    characters do not get a name or an address past. ``readers``: the names of readers kept
    apart in the post's readers file."""
    if note is None or not note.strip():
        return None
    # (here: floor schedule and floor check read withdrawn.json, and need not load the recogniser)
    from .contact_recogniser import emails_in_field, looks_like_address, skeleton

    note = " ".join(note.split())
    if len(note) > NOTE_LIMIT:
        raise FloorError(
            f"is {len(note)} characters; keep the public note under {NOTE_LIMIT}", field="--note"
        )
    odd = next((ch for ch in note if unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS), None)
    if odd is not None:  # a terminal's escape, or text shown in another order than it is written
        raise FloorError(f"holds the control character U+{ord(odd):04X}; write plain text", field="--note")
    if emails_in_field(note) or looks_like_address(note):
        raise FloorError("holds an email address; the note is public", field="--note")
    names = [post.asker] if post is not None and post.asker else []
    names += [a.asker for a in (post.also_asked_by if post is not None else []) if a.asker]
    folded = skeleton(note)
    for name in [*names, *readers]:
        if name and len(name.strip()) > 1 and skeleton(name.strip()) in folded:
            raise FloorError("names the reader who asked; the note is public", field="--note")
    return note


@dataclass
class Result:
    """What :func:`withdraw` did: the entry, the files removed now, and whether it was already done."""

    entry: Withdrawn | None  # None: nothing has the id now, and the record cannot say whose it was
    removed: list[str] = field(default_factory=list)
    already: bool = False
    cache_cleared: bool = False
    forgot_now: bool = False  # an earlier withdrawal's address forgotten by this run

    candidates: list[str] = field(default_factory=list)
    # entry None: the posts whose address a run forgot; the id may have been one of them
    forgotten: list[Withdrawn] = field(default_factory=list)
    # files a removed link led to, outside what the kit deletes: they may still hold the words
    left_behind: list[str] = field(default_factory=list)

    @property
    def touched(self) -> list[str]:
        """The site-relative paths a commit takes: the record and every file that held the post
        (removed now or by an earlier run whose commit never came: git is told of those too)."""
        return sorted({STATE_FILE, *self.removed, *self.candidates})


def _holders(site: Site, slug: str) -> list[Path]:
    """Every file that may hold the withdrawn post's reader text: the post, its readers file,
    and an edit an editor left aside beside it."""
    found = [site.posts_dir / f"{slug}.md", readers_file.path_for(site.questions_dir, slug)]
    found += [site.posts_dir / f".{slug}.rejected-edit.md", site.questions_dir / f".{slug}.rejected-edit.md"]
    return found


def _leftovers(site: Site, slug: str) -> list[Path]:
    return [p for p in _holders(site, slug) if p.is_file() or p.is_symlink()]


def _candidates(site: Site, slug: str) -> list[str]:
    return [p.relative_to(site.root).as_posix() for p in _holders(site, slug) if p.is_relative_to(site.root)]


def withdraw(
    site: Site,
    post_id: str,
    *,
    today: dt.date,
    address: Callable[[Question, list[Question]], str],
    note: str | None = None,
    forget_address: bool = False,
) -> Result:
    """Take published post ``post_id`` down: record it, then delete what holds the reader's words.

    ``address``: the post's path from the site's root, as the build writes it (web/links.py,
    which this layer may not import). Idempotent: a post already recorded is not recorded
    again (its note stays as first written), and whatever a stopped run left is removed.
    ``forget_address``: keep no slug, address or old addresses (the slug is made from the
    question's words, which may name the reader): no notice, the address answers "not found";
    a post withdrawn earlier with a notice has it taken down the same way.
    """
    with journal.locked(site):
        journal.recover(site)
        entries = read(site.root)
        known = {w.slug: w for w in entries if w.slug}
        if post_id in known:
            entry = known[post_id]
            if forget_address:
                entry = _forgotten(entry)
                _write(site.root, [entry if w is known[post_id] else w for w in entries])
            return _finished(site, post_id, entry, forgot_now=forget_address)
        q = queue_mod.load(site, keep_stats=False)
        post = next((p for p in q.published if p.id == post_id), None)
        forgotten = {w.number: w for w in entries if w.slug is None}
        recorded = {w.number: w for w in entries}
        if post is not None and post.number in recorded:
            # a run stopped before the files went, found by the number: a forgetting run keeps no
            # slug, and the slug kept is the address's, which a post's `slug:` may set apart from its id
            entry = recorded[post.number]
            forgot_now = forget_address and entry.slug is not None
            if forgot_now:
                entry = _forgotten(entry)
                _write(site.root, [entry if w is recorded[post.number] else w for w in entries])
            return _finished(site, post_id, entry, forgot_now=forgot_now)
        if post is None:
            if any(item.id == post_id for item in q.queued):
                raise FloorError(
                    "is a question in the queue, not a published post: `floor decline` it, or delete "
                    "its file (nothing of it is on the site)",
                    field=post_id,
                )
            q.raise_errors()
            if forgotten and forget_address and _plain_id(post_id):
                return _nothing_named(site, post_id, list(forgotten.values()))
            if forgotten:
                raise FloorError(
                    f"no published post has the id {post_id!r} (see `floor queue --all`); a post "
                    "withdrawn with --forget-address keeps nothing of its id to say it was this one"
                )
            raise FloorError(f"no published post has the id {post_id!r} (see `floor queue --all`)")
        if post.number is None or post.date is None:
            raise FloorError("has no number or date: it was never published", path=post.path)
        shared = [p.id for p in q.published if p.number == post.number and p.id != post.id]
        if shared:
            raise FloorError(
                f"post #{post.number} also answers {', '.join(shared)}; withdrawing one question of a "
                "shared post is not supported: edit the post's files by hand",
                path=post.path,
            )
        if not _SLUG.fullmatch(post.slug or post.id):  # the record could not be read back
            raise FloorError(
                "cannot be kept as the withdrawn post's address (names joined by /, none . or ..)",
                path=post.path,
                field="slug",
            )
        published = post.date.astimezone(site.settings.timezone).date()
        if today < published:  # the notice would say it was withdrawn before it was published
            raise FloorError(
                f"{today.isoformat()} is before post #{post.number} was published ({published.isoformat()}); "
                "the withdrawal is dated today unless --today / FLOOR_TODAY says otherwise",
                field="--today / FLOOR_TODAY",
            )
        entry = Withdrawn(
            slug=post.slug or post.id,
            number=post.number,
            date=post.date,
            withdrawn=today,
            path="/" + address(post, q.published).split("#")[0].lstrip("/"),
            note=check_note(note, post, _kept_apart(site, post) if note else ()),
            old_addresses=_old_addresses(post),
        )
        if forget_address:
            entry = _forgotten(entry)
        _write(site.root, [*entries, entry])
        cleared = clear_caches(site)
        removed, left_behind = _remove(site, post_id)
        return Result(
            entry,
            removed,
            cache_cleared=cleared,
            candidates=_candidates(site, post_id),
            left_behind=left_behind,
        )


def _kept_apart(site: Site, post: Question) -> list[str]:
    """The names of the readers kept apart in the post's readers file (questions/readers/ID.jsonl)."""
    try:
        return [a.asker for a in readers_file.load(site.questions_dir, post) if a.asker]
    except FloorError:
        return []  # (a damaged readers file: floor check names it; the file is deleted here anyway)


def _finished(site: Site, post_id: str, entry: Withdrawn, *, forgot_now: bool = False) -> Result:
    """A post already recorded: remove whatever a stopped run left of it. The caches are emptied
    before the files go (as a first run does): a run stopped between the two leaves a file, so
    its re-run empties them again, never the other way round."""
    cleared = clear_caches(site) if _leftovers(site, post_id) else False
    removed, left_behind = _remove(site, post_id)
    candidates = _candidates(site, post_id)
    return Result(
        entry,
        removed,
        already=True,
        cache_cleared=cleared,
        candidates=candidates,
        forgot_now=forgot_now,
        left_behind=left_behind,
    )


_PLAIN_ID = re.compile(r"[^\W_][\w-]*")  # a file stem: no dot, slash or backslash to leave the folder


def _plain_id(post_id: str) -> bool:
    return bool(_PLAIN_ID.fullmatch(post_id))


def _nothing_named(site: Site, post_id: str, forgotten: list[Withdrawn]) -> Result:
    """`floor withdraw ID --forget-address` when no post, question or notice has the id: what the
    command asks for (nothing of ID on the site) already holds, typically because an earlier run
    did it. The record keeps nothing to tell whether ID was one of the ``forgotten`` posts (no id,
    and no digest of it: a digest of words a guesser can try would confirm a guess), so the run
    says so and succeeds; a readers file or a set-aside edit a stopped run left under ID goes."""
    cleared = clear_caches(site) if _leftovers(site, post_id) else False
    removed, left_behind = _remove(site, post_id)
    return Result(
        None,
        removed,
        already=True,
        cache_cleared=cleared,
        candidates=_candidates(site, post_id),
        forgotten=forgotten,
        left_behind=left_behind,
    )


def _forgotten(entry: Withdrawn) -> Withdrawn:
    """``entry`` with nothing kept that leads to the post's address (its slug, path, old addresses)."""
    return replace(entry, slug=None, path=None, old_addresses=())


def _old_addresses(post: Question) -> tuple[str, ...]:
    """An imported post's addresses on the old blog: they keep leading to the notice."""
    if post.source != IMPORTED:
        return ()
    found = [a for a in (post.original_url, post.intake_id) if a and a.startswith(("http://", "https://"))]
    return tuple(dict.fromkeys(found))


def clear_caches(site: Site) -> bool:
    """Delete the site's cache folder (CACHE_PATH, git-ignored): Pelican's content cache keeps
    every post it read, a deleted one included, so the withdrawn post's words would stay there
    (and travel on in the weekly job's saved cache), and so does the copy of output/ the last
    build kept beside it, and the folder a killed build was filling. Everything in them is made
    again by the next command or build. True when there was one to delete."""
    from . import staging

    spare = staging.spare_of(site.output_dir)
    had_spare = staging.drop_spare(site.output_dir)  # the last build's copy of output/, beside it
    # and what a killed build left beside output/ (its staging folder: the post's page, the feeds
    # with its words), which would otherwise wait for the next build (a running build's is kept)
    leftovers = staging.clean_leftovers(site.output_dir)
    # both are removed as a build removes them, quietly; here a copy that stayed would still hold
    # the post's page, so it is an error, never "emptied" (the re-run finishes once it can go)
    stuck = [p for p in [*([spare] if had_spare else []), *leftovers] if os.path.lexists(p)]
    if stuck:
        raise FloorError(
            "could not be deleted, and it holds a copy of the site's pages with the withdrawn post; "
            "delete the folder, then run the same command again",
            path=stuck[0],
        )
    cleared = had_spare or bool(leftovers)
    for folder in _cache_folders(site):
        if not folder.is_dir() or folder.is_symlink() or not folder.resolve().is_relative_to(site.root):
            continue
        import shutil

        shutil.rmtree(folder)
        cleared = True
    return cleared


def _cache_folders(site: Site) -> list[Path]:
    """The site's CACHE_PATH; without one (a blog that added the plugin), both the folder the
    kit's commands use (``.cache``) and Pelican's own default (``cache``), where the build
    keeps its caches and its memos of each post's answer and asker."""
    configured = site.settings.raw.get("CACHE_PATH")
    names = [str(configured)] if configured else [".cache", "cache"]
    return [site.root / name for name in names]


def _remove(site: Site, slug: str) -> tuple[list[str], list[str]]:
    """(the site-relative files removed, the files a removed link led to that are still there).

    A post file that is a symbolic link loses only the link: the kit never deletes a file it
    reached through one (it may be outside the site, or another post's), so the author is told
    where the reader's words may still be."""
    told.drop_post(site, slug)  # a killed `floor notify`'s lines for the post (its id is in them)
    removed: list[str] = []
    left_behind: list[str] = []
    for path in _leftovers(site, slug):
        target = path.resolve() if path.is_symlink() else None
        path.unlink()
        removed.append(path.relative_to(site.root).as_posix())
        if target is not None and target.is_file():
            left_behind.append(str(target))
    return removed, left_behind


def check_report(site: Site, published: Sequence[Question]) -> tuple[list[FloorError], list[FloorError]]:
    """(errors, warnings) for `floor check`: a damaged record, a note edited into it that the
    command would refuse, a post file still beside its withdrawal (a stopped run), and a
    published number missing without a withdrawal (a post file deleted by hand: its page is
    gone, and when it was the latest its number is given again)."""
    try:
        entries = read(site.root)
    except FloorError as exc:
        return [exc], []
    warnings: list[FloorError] = []
    for w in entries:  # a note edited by hand in the record (the docs say how) is public too
        try:
            check_note(w.note, None)
        except FloorError as exc:
            warnings.append(
                FloorError(
                    f"the note of post #{w.number} {exc.problem}; edit it in {STATE_FILE}",
                    path=state_path(site.root),
                )
            )
    # a post file still beside its record: known by its id, or by its number (a record that forgot
    # the address, or one whose address a post's `slug:` set apart from its file's name)
    by_slug = {w.slug: w for w in entries if w.slug}
    by_number = {w.number: w for w in entries}
    for p in published:
        w = by_slug.get(p.id) or (by_number.get(p.number) if p.number else None)
        if w is not None:
            warnings.append(
                FloorError(
                    f"post #{w.number} is withdrawn but its file is still here: run "
                    f"`floor withdraw {p.id}` again to finish",
                    path=p.path,
                )
            )
    taken = {p.number for p in published if p.number} | numbers(entries)
    top = max(taken, default=0)
    missing = [n for n in range(1, top + 1) if n not in taken]
    if missing:
        listed = ", ".join(f"#{n}" for n in missing[:5]) + (" …" if len(missing) > 5 else "")
        warnings.append(
            FloorError(
                f"no post file has number {listed}, and {STATE_FILE} does not list it as withdrawn: a "
                "deleted post's page is gone from the site without a word; restore the file from git "
                "and take it down with `floor withdraw ID` (docs/withdrawing.md)",
                path=site.posts_dir,
            )
        )
    return [], warnings


def taken_slugs(root: Path) -> set[str]:
    """The withdrawn posts' slugs, for a new question's id (its page would replace the notice);
    a damaged record gives none here: `floor check` and `floor publish` name it."""
    try:
        return slugs(read(root))
    except FloorError:
        return set()


def _quietly(root: Path) -> list[Withdrawn]:
    try:
        return read(root)
    except FloorError:
        return []


def posted(root: Path) -> list[Withdrawn]:
    """Every withdrawn post, for figures and plans shown (a damaged record: none; `floor check`
    and `floor publish` name it): one read where both their dates and numbers are needed."""
    return _quietly(root)


def posted_numbers(root: Path) -> set[int]:
    """:func:`numbers` for the figures shown (`floor stats`, the Stats page): a damaged record
    gives none (`floor check` and `floor publish` name it)."""
    return numbers(_quietly(root))


def posted_dates(root: Path) -> list[dt.datetime]:
    """:func:`dates` for a page or a plan shown to the author (a damaged record: none; `floor
    check` and `floor publish` name it)."""
    return dates(_quietly(root))


def last_number(published: Iterable[Question], root: Path) -> int:
    """The highest number given so far, withdrawn posts included: the next post's is one more."""
    return max([*(p.number or 0 for p in published), *numbers(_quietly(root))], default=0)
