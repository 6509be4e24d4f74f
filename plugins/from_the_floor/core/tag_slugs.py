"""Tag slugs as Pelican makes them, with a readable fallback when the name slugifies to nothing.

Pelican turns a tag into a URL with its own slugify; a tag of only
punctuation, symbols or emoji becomes the empty slug, so its page is written
over the tags index at ``tag/index.html``, its feeds become the hidden files
``feeds/tag/.atom.xml``, and every such tag lands on that one page (Pelican's
tags are equal when their slugs are). Those get ``tag-<hash>`` instead: stable
for the same name, different for different names.

Two tags that slugify alike ("C++" and "C", "Ünïcode" and "unicode") share
one page on purpose, as Pelican means them to (case and accents are the
same word to a reader); `floor check` warns so the author can rename one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

_USABLE = re.compile(r"[^\W_]")  # a letter or a digit


def fallback(kind: str, text: str) -> str:
    """``kind-<8 hex>``: readable, URL-safe and the same for the same text."""
    return f"{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def usable(slug: str | None) -> bool:
    """Whether a slug can be a URL segment of its own (not empty, not only dashes)."""
    return bool(slug and _USABLE.search(slug))


def tag_slug(name: str, settings: dict[str, Any]) -> str:
    """The slug Pelican gives the tag ``name`` under these settings, or the fallback."""
    from pelican.settings import DEFAULT_CONFIG  # imported here: `floor --help` stays fast
    from pelican.utils import slugify

    subs = settings.get(
        "TAG_REGEX_SUBSTITUTIONS",
        settings.get("SLUG_REGEX_SUBSTITUTIONS", DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]),
    )
    slug = slugify(
        name,
        regex_subs=subs,
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
    return slug if usable(slug) else fallback("tag", name)


def alike(names: Iterable[str], settings: dict[str, Any]) -> dict[str, list[str]]:
    """slug → the different tag names that share its page (only slugs with two or more)."""
    groups: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        groups.setdefault(tag_slug(name, settings), []).append(name)
    return {slug: group for slug, group in groups.items() if len(group) > 1}
