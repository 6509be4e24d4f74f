"""The tags of a blog's own posts, beside the column's (a blog that added the plugin).

Pelican gives two tags that make one slug one page and one feed, under whichever spelling it
met first: a column tag "post formats" could rename the blog's own "Post Formats" page. So
`floor ask` (and the desk, `floor import`) writes a tag as the blog already spells it, and
`floor check` names such pairs. Only the metadata header of each post is read, the way
Pelican's own readers find tags there; a file it cannot read adds nothing (a warning at most
is lost, never a post).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .site import Site

_MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")
_RST = (".rst",)
_HTML = (".html", ".htm")
HEAD_BYTES = 16 * 1024  # a post's metadata is at its top
_MD_FIELD = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_MD_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_RST_TAGS = re.compile(r"^:tags:\s*(?P<value>.*)$", re.IGNORECASE | re.MULTILINE)
_HTML_TAGS = re.compile(
    r"""<meta\s+[^>]*name\s*=\s*["']tags["'][^>]*content\s*=\s*["'](?P<value>[^"']*)["']""",
    re.IGNORECASE,
)


def own_tags(site: Site) -> list[str]:
    """Every tag the blog's own posts carry (outside the column's posts folder), in file order."""
    content, posts = site.content_dir, site.posts_dir
    if not content.is_dir() or content == posts:
        return []
    found: list[str] = []
    for folder, dirs, files in os.walk(content):
        dirs[:] = sorted(d for d in dirs if Path(folder, d) != posts and not d.startswith("."))
        for name in sorted(files):
            found += _file_tags(Path(folder, name))
    return found


def _file_tags(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix not in (*_MARKDOWN, *_RST, *_HTML):
        return []
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return []
    if suffix in _MARKDOWN:
        value = _markdown_tags(head)
    else:
        match = (_RST_TAGS if suffix in _RST else _HTML_TAGS).search(head)
        value = match.group("value") if match else None
    return _split(value) if value else []


def _markdown_tags(head: str) -> str | None:
    """Python-Markdown's meta block (Pelican's Markdown reader): "Key: value" lines up to the first
    blank line, a value going on over lines indented by four spaces."""
    key, values = None, {}
    for line in head.splitlines():
        if not line.strip():
            break
        if (field := _MD_FIELD.match(line)) is not None:
            key = field.group("key").lower()
            values[key] = field.group("value").strip()
        elif key and (more := _MD_MORE.match(line)) is not None:
            values[key] += " " + more.group("value").strip()
        else:
            break
    return values.get("tags")


def _split(value: str) -> list[str]:
    """As Pelican splits a metadata list: on semicolons when there is one, else on commas."""
    parts = value.split(";") if ";" in value else value.split(",")
    return [t for t in (" ".join(p.split()) for p in parts) if t]
