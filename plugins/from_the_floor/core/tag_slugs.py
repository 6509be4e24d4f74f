"""Tag slugs as Pelican makes them, with a readable fallback when the name slugifies to nothing.

Pelican turns a tag into a URL with its own slugify; a tag of only
punctuation, symbols or emoji becomes the empty slug, so its page is written
over the tags index at ``tag/index.html``, its feeds become the hidden files
``feeds/tag/.atom.xml``, and every such tag lands on that one page (Pelican's
tags are equal when their slugs are). Those get ``tag-<hash>`` instead: stable
for the same name, different for different names. A slug too long to name a
file (an author's tag of a few hundred letters) is cut and given the same hash
(:func:`fitting`), where Pelican would fail the build with "File name too long".

Pelican's slugify is handed in by the caller (``pelican_plugin/slugs.py``):
core never imports Pelican, and `floor check` imports it only for new tags.

Two tags that slugify alike ("C++" and "C", "Ünïcode" and "unicode") share
one page on purpose, as Pelican means them to (case and accents are the
same word to a reader); `floor check` warns so the author can rename one.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import unprintable
from .atomic import atomic_write_text

MEMO_FILE = "floor-tag-slugs.json"  # beside the parse cache, in the site's CACHE_PATH
_USABLE = re.compile(r"[^\W_]")  # a letter or a digit

Slugify = Callable[[str, dict[str, Any]], str]  # (name, settings) -> the slug Pelican writes


_SEPARATORS = re.compile(r"[-\s]+")  # what Pelican's slugify turns into one "-"


def spelling_key(name: str) -> str:
    """A tag's letters without case, each run of spaces and hyphens as one "-": "Edge-Case",
    "edge case" and "EDGE  CASE" are one word to a reader and one page and feed to Pelican;
    so is a word with or without a soft hyphen, zero-width (non-)joiner or direction mark
    (unprintable.fold: a Persian reader may leave out the non-joiner the column wrote).

    Only those: tags that share a slug otherwise ("C++" and "C", "résumé" and "resume") may
    be different words, and stay as written (`floor check` asks the author about them).
    """
    return _SEPARATORS.sub("-", unprintable.fold(name).strip().casefold())


def first_spellings(names: Iterable[str]) -> dict[str, str]:
    """Each tag's one spelling, by :func:`spelling_key`: the first of ``names`` met. The kit
    writes a new tag (asked or imported) as the column already spells it."""
    chosen: dict[str, str] = {}
    for name in names:
        chosen.setdefault(spelling_key(name), name)
    return chosen


def fallback(kind: str, text: str) -> str:
    """``kind-<8 hex>``: readable, URL-safe and the same for the same text."""
    return f"{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def usable(slug: str | None) -> bool:
    """Whether a slug can be a URL segment of its own (not empty, not only dashes)."""
    return bool(slug and _USABLE.search(slug))


# A tag's page and feeds are files named after its slug (tag/<slug>.html, feeds/tag/<slug>.atom.xml,
# tag/<slug>2.html …): a file name holds at most 255 bytes, so a longer slug is cut to fit
MAX_SLUG_BYTES = 200


# What no address shows: Unicode's format characters (category Cf: the direction marks, the
# zero-width joiner and non-joiner, the soft hyphen … which core/unprintable.py keeps in a word)
# and the other default-ignorable characters that are letters or marks to Python's ``\w``, so
# that a slugify keeps them: the Hangul fillers (NFKC turns U+3164 into U+1160, which Pelican's
# SLUGIFY_USE_UNICODE keeps, and a tag of one gave the invisible address tag/ᅠ.html), the
# combining grapheme joiner, the Khmer inherent vowels, the variation selectors. Unicode's list
# (DerivedCoreProperties.txt, Default_Ignorable_Code_Point), written out: unicodedata has no such
# property; the format characters come from unicodedata's categories.
_IGNORABLE_NOT_CF = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)
_HYPHENS = re.compile(r"-{2,}")


def visible(slug: str) -> str:
    """``slug`` without invisible characters, the words kept: "نمی‌دانیم" (with its zero-width
    non-joiner) is ``نمیدانیم``, the spelling a reader typing the address without it gets too.
    Pelican's slugify drops them with its default substitutions unless they count as letters
    (the Hangul fillers do); an author's own TAG_REGEX_SUBSTITUTIONS may keep any of them."""
    if slug.isascii():
        return slug
    bare = "".join(ch for ch in _IGNORABLE_NOT_CF.sub("", slug) if unicodedata.category(ch) != "Cf")
    if bare == slug:
        return slug
    return _HYPHENS.sub("-", bare).strip("-")


def fitting(slug: str, name: str) -> str:
    """``slug`` (Pelican's for the tag ``name``) if it can name a page, else one that can:
    ``tag-<hash>`` for a slug without a letter or digit, and for one longer than
    MAX_SLUG_BYTES its start, cut after a whole word where one ends near, then ``-<hash>``
    of the name, so two long tags that begin alike still get pages of their own.

    An author who pastes a sentence into a question's tags expects the build to work (a
    reader's tag is refused at intake past intake.MAX_TAG_LENGTH instead): Pelican would
    fail the whole build with the system's "File name too long".
    """
    slug = visible(slug)  # an address holds no invisible character (Unicode slugs keep some)
    if not usable(slug):
        return fallback("tag", name)
    data = slug.encode("utf-8")
    if len(data) <= MAX_SLUG_BYTES:
        return slug
    head = data[: MAX_SLUG_BYTES - 9].decode("utf-8", "ignore")
    word_end = head.rfind("-")
    if word_end > len(head) // 2:
        head = head[:word_end]
    return f"{head.rstrip('-')}-{fallback('tag', name)[4:]}"


def shortened(slug: str, name: str) -> bool:
    """Whether ``slug`` is a long tag's cut slug (:func:`fitting`): `floor check` says so."""
    return slug != fallback("tag", name) and slug.endswith(fallback("tag", name)[3:])


def tag_slug(name: str, settings: dict[str, Any], slugify: Slugify) -> str:
    """The slug the tag ``name`` gets under these settings: Pelican's, or :func:`fitting`'s."""
    return fitting(slugify(name, settings), name)


def slugs(
    names: Iterable[str], settings: dict[str, Any], slugify: Slugify, memo: Path | None = None
) -> dict[str, str]:
    """Each tag name's slug (:func:`tag_slug`).

    ``memo``: a JSON file (in the site's cache folder) of the slugs found last
    time, so that `floor check` imports Pelican (0.2 s) only for new tags.
    Only names (the author's tags, as the question files hold them) are kept.
    """
    unique = list(dict.fromkeys(names))
    known, stamp = _read_memo(memo, settings) if memo is not None else ({}, "")
    found = {name: known.get(name) or tag_slug(name, settings, slugify) for name in unique}
    if memo is not None and found != known:
        with contextlib.suppress(OSError):  # a read-only site: computed again next time
            atomic_write_text(memo, json.dumps({"stamp": stamp, "slugs": found}, ensure_ascii=False))
    return found


def alike(
    names: Iterable[str], settings: dict[str, Any], slugify: Slugify, memo: Path | None = None
) -> dict[str, list[str]]:
    """slug → the different tag names that share its page (only slugs with two or more)."""
    groups: dict[str, list[str]] = {}
    for name, slug in slugs(names, settings, slugify, memo).items():
        groups.setdefault(slug, []).append(name)
    return {slug: group for slug, group in groups.items() if len(group) > 1}


_SLUG_SETTINGS = (
    "TAG_REGEX_SUBSTITUTIONS",
    "SLUG_REGEX_SUBSTITUTIONS",
    "SLUGIFY_PRESERVE_CASE",
    "SLUGIFY_USE_UNICODE",
)


def _memo_stamp(settings: dict[str, Any]) -> str:
    """What a slug depends on besides the name: these settings and Pelican's own slugify (its source)."""
    digest = hashlib.blake2b(repr([settings.get(k) for k in _SLUG_SETTINGS]).encode("utf-8"), digest_size=16)
    digest.update(f"fitting {MAX_SLUG_BYTES} visible".encode())  # the kit's own rule (fitting) is part of it
    spec = importlib.util.find_spec("pelican")  # finds the package without importing it
    folder = Path(spec.origin).parent if spec and spec.origin else None
    for name in ("utils.py", "settings.py"):
        try:
            digest.update((folder / name).read_bytes() if folder else b"")
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


def _read_memo(memo: Path, settings: dict[str, Any]) -> tuple[dict[str, str], str]:
    stamp = _memo_stamp(settings)
    try:
        saved = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, stamp
    slugs = saved.get("slugs") if isinstance(saved, dict) and saved.get("stamp") == stamp else None
    if not isinstance(slugs, dict):
        return {}, stamp
    return {k: v for k, v in slugs.items() if isinstance(k, str) and isinstance(v, str) and usable(v)}, stamp
