"""Links between imported posts: an old post's link to another old post points at its new page.

An old blog's posts link to each other by their old addresses. Moved as they were, those links
still lead to the old blog, which the author is usually closing. When the post they point at is
imported too (in the same run, or an earlier one: its ``original_url`` or ``intake_id``), the link
becomes Pelican's ``{filename}other.md``, which the build turns into the new page's address (with
the site's own address in feeds). Addresses are compared without scheme, ``www.``, a trailing
slash or an anchor (the anchor is kept on the new link).
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


def relink(markdown: str, targets: dict[str, str]) -> tuple[str, int]:
    """``markdown`` with each link to an imported post's old address pointing at its file."""
    changed = 0

    def one(match: re.Match[str]) -> str:
        nonlocal changed
        url = match.group("url")
        target = targets.get(address_key(url.split("#", 1)[0]) or "")
        if target is None:
            return match.group(0)
        changed += 1
        anchor = "#" + url.split("#", 1)[1] if "#" in url else ""
        return f"{match.group('lead')}{{filename}}{target}{anchor}"

    markdown = _MARKDOWN.sub(one, markdown)
    markdown = _HTML.sub(one, markdown)
    return markdown, changed
