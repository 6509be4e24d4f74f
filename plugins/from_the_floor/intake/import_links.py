"""Links between imported posts: an old post's link to another old post points at its new page.

An old blog's posts link to each other by their old addresses. Moved as they were, those links
still lead to the old blog, which the author is usually closing. When the post they point at is
imported too (in the same run, or an earlier one: its ``original_url`` or ``intake_id``), the link
becomes Pelican's ``{filename}other.md``, which the build turns into the new page's address (with
the site's own address in feeds). Addresses are compared without scheme, ``www.``, a trailing
slash or an anchor (the anchor is kept on the new link).

A WordPress address with the date in it (``/2018/11/02/block-button/``) also matches a link
that gives another date for the same slug (``/2018/11/03/block-button/``): WordPress finds a
post by its slug, so both reached it on the old blog (a post re-dated after the link was
written, as in WordPress's own theme test data). Only a slug one imported post has is matched.
"""

from __future__ import annotations

import re
import urllib.parse

# A Markdown link's destination, and an href in HTML the conversion kept (figures, tables, embeds).
_MARKDOWN = re.compile(r"(?P<lead>\]\(<?)(?P<url>https?://[^)\s>]+)")
_HTML = re.compile(r"(?P<lead>\shref=\")(?P<url>https?://[^\"]+)(?=\")", re.IGNORECASE)


def address_key(url: str | None) -> str | None:
    """How two spellings of one old address compare (None for what is not an http(s) address)."""
    if not url:
        return None
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


_DATED = re.compile(r"^(?P<host>[^/]+(?:/[^/]+)*?)/\d{4}/\d{1,2}(?:/\d{1,2})?/(?P<slug>[^/?]+)$")


def undated_key(key: str | None) -> str | None:
    """A dated permalink's key without its date (``host/~/slug``), else None."""
    found = _DATED.match(key or "")
    return f"{found.group('host')}/~/{found.group('slug')}" if found else None


def with_undated(targets: dict[str, str]) -> dict[str, str]:
    """``targets`` and, for each dated address whose slug no other target shares, its undated key."""
    undated: dict[str, set[str]] = {}
    for key, target in targets.items():
        short = undated_key(key)
        if short:
            undated.setdefault(short, set()).add(target)
    extra = {short: next(iter(files)) for short, files in undated.items() if len(files) == 1}
    return {**extra, **targets}


def relink(markdown: str, targets: dict[str, str]) -> tuple[str, int]:
    """``markdown`` with each link to an imported post's old address pointing at its file.

    ``targets`` maps address keys to files (``with_undated`` adds the dated permalinks' slugs).
    """
    changed = 0

    def one(match: re.Match[str]) -> str:
        nonlocal changed
        url = match.group("url")
        key = address_key(url.split("#", 1)[0]) or ""
        target = targets.get(key) or targets.get(undated_key(key) or "")
        if target is None:
            return match.group(0)
        changed += 1
        anchor = "#" + url.split("#", 1)[1] if "#" in url else ""
        return f"{match.group('lead')}{{filename}}{target}{anchor}"

    markdown = _MARKDOWN.sub(one, markdown)
    markdown = _HTML.sub(one, markdown)
    return markdown, changed
