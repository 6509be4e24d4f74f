"""Tag slugs as Pelican makes them, with a readable fallback when the name slugifies to nothing.

Pelican turns a tag into a URL with its own slugify; a tag of only
punctuation, symbols or emoji becomes the empty slug, so its page is written
over the tags index at ``tag/index.html``, its feeds become the hidden files
``feeds/tag/.atom.xml``, and every such tag lands on that one page (Pelican's
tags are equal when their slugs are). Those get ``tag-<hash>`` instead: stable
for the same name, different for different names.

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


def tag_slug(name: str, settings: dict[str, Any], slugify: Slugify) -> str:
    """The slug Pelican gives the tag ``name`` under these settings, or the fallback."""
    slug = slugify(name, settings)
    return slug if usable(slug) else fallback("tag", name)


def alike(
    names: Iterable[str], settings: dict[str, Any], slugify: Slugify, memo: Path | None = None
) -> dict[str, list[str]]:
    """slug → the different tag names that share its page (only slugs with two or more).

    ``memo``: a JSON file (in the site's cache folder) of the slugs found last
    time, so that `floor check` imports Pelican (0.2 s) only for new tags.
    Only names (the author's tags, as the question files hold them) are kept.
    """
    unique = list(dict.fromkeys(names))
    known, stamp = _read_memo(memo, settings) if memo is not None else ({}, "")
    slugs = {name: known.get(name) or tag_slug(name, settings, slugify) for name in unique}
    if memo is not None and slugs != known:
        with contextlib.suppress(OSError):  # a read-only site: computed again next time
            atomic_write_text(memo, json.dumps({"stamp": stamp, "slugs": slugs}, ensure_ascii=False))
    groups: dict[str, list[str]] = {}
    for name in unique:
        groups.setdefault(slugs[name], []).append(name)
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
