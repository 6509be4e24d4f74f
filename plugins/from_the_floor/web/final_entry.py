"""The last word in every feed: an entry saying the column has ended.

Feeds are found by what they are, not by name (Pelican's Atom and RSS, the
JSON Feed, per-tag feeds, whatever another plugin writes), so every feed the
site has ends the same way. In archive mode the entry is added on top of the
existing ones; in redirect mode it replaces them and points to the new home.
The rest of each file is left byte for byte as it was, so a rebuild after
`floor unretire` writes the original feeds again.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.atomic import atomic_write_text

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_PREFIX = "https://jsonfeed.org/version/"
FEED_SUFFIXES = (".xml", ".atom", ".rss", ".json")
_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FinalEntry:
    """The entry every feed ends with."""

    id: str  # a stable IRI (urn:uuid:…): the same entry in every feed and every rebuild
    title: str
    url: str  # where it links: the farewell page, or the new home
    html: str  # the text, as HTML
    date: dt.datetime
    author: str


def feed_kind(path: Path) -> str | None:
    """'atom', 'rss', 'json' (JSON Feed) or None, judged from the file's start."""
    if path.suffix.lower() not in FEED_SUFFIXES or not path.is_file():
        return None
    if path.stat().st_size > _MAX_BYTES:
        return None
    head = path.read_bytes()[:2048].decode("utf-8", errors="ignore")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        version = data.get("version") if isinstance(data, dict) else None
        return "json" if isinstance(version, str) and version.startswith(JSON_FEED_PREFIX) else None
    if re.search(r"<feed\b[^>]*" + re.escape(ATOM_NS), head):
        return "atom"
    if re.search(r"<rss\b", head):
        return "rss"
    return None


def find_feeds(output: Path, skip: set[str] = frozenset()) -> dict[str, str]:
    """{relative path: kind} for every feed under ``output``."""
    found = {}
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if rel in skip:
            continue
        kind = feed_kind(path)
        if kind:
            found[rel] = kind
    return found


def _x(text: str) -> str:
    return html.escape(text, quote=True)


def _atom_entry(e: FinalEntry) -> str:
    when = e.date.isoformat()
    return (
        f'<entry><title>{_x(e.title)}</title><link href="{_x(e.url)}" rel="alternate"></link>'
        f"<published>{when}</published><updated>{when}</updated>"
        f"<author><name>{_x(e.author)}</name></author><id>{_x(e.id)}</id>"
        f'<summary type="html">{_x(e.html)}</summary>'
        f'<content type="html">{_x(e.html)}</content></entry>'
    )


def _rss_item(e: FinalEntry) -> str:
    return (
        f"<item><title>{_x(e.title)}</title><link>{_x(e.url)}</link>"
        f"<description>{_x(e.html)}</description>"
        f"<pubDate>{email.utils.format_datetime(e.date)}</pubDate>"
        f'<guid isPermaLink="false">{_x(e.id)}</guid></item>'
    )


def _json_item(e: FinalEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "url": e.url,
        "title": e.title,
        "content_html": e.html,
        "date_published": e.date.isoformat(),
        "authors": [{"name": e.author}],
    }


def _insert_before_first(text: str, tags: tuple[str, ...], fragment: str) -> str:
    """``fragment`` before the first entry (feeds list the newest first), else before the end."""
    for tag in tags:
        index = text.find(tag)
        if index != -1:
            return text[:index] + fragment + text[index:]
    raise ValueError(f"none of {tags} found")


def _first(text: str, tag: str, value: str) -> str:
    """Set the first ``<tag>`` (the feed-level date: it comes before any entry) to ``value``."""
    return re.sub(f"<{tag}>[^<]*</{tag}>", lambda _m: f"<{tag}>{value}</{tag}>", text, count=1)


def with_final_entry(text: str, kind: str, entry: FinalEntry) -> str:
    """The feed text with ``entry`` as its newest item (archive mode); idempotent."""
    if kind == "json":
        data = json.loads(text)
        items = [i for i in data.get("items", []) if i.get("id") != entry.id]
        data["items"] = [_json_item(entry), *items]
        data["expired"] = True
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if entry.id in text:  # ended before (a feed the build kept): bring that entry up to date
        blocks = _ATOM_ENTRIES if kind == "atom" else _RSS_ITEMS
        fresh = _atom_entry(entry) if kind == "atom" else _rss_item(entry)
        return blocks.sub(lambda m: fresh if _x(entry.id) in m.group(0) else m.group(0), text)
    if kind == "atom":
        text = _insert_before_first(text, ("<entry>", "<entry ", "</feed>"), _atom_entry(entry))
        return _first(text, "updated", entry.date.isoformat())
    if kind == "rss":
        text = _insert_before_first(text, ("<item>", "<item ", "</channel>"), _rss_item(entry))
        return _first(text, "lastBuildDate", email.utils.format_datetime(entry.date))
    raise ValueError(f"unknown feed kind {kind!r}")


_ATOM_ENTRIES = re.compile(r"<entry[\s>].*?</entry>", re.DOTALL)
_RSS_ITEMS = re.compile(r"<item[\s>].*?</item>", re.DOTALL)


def only_final_entry(text: str, kind: str, entry: FinalEntry) -> str:
    """The feed with every entry replaced by ``entry`` (redirect mode); the JSON Feed expires."""
    if kind == "json":
        data = json.loads(text)
        data["items"] = [_json_item(entry)]
        data["expired"] = True
        data["home_page_url"] = entry.url
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if kind == "atom":
        return with_final_entry(_ATOM_ENTRIES.sub("", text), kind, entry)
    if kind == "rss":
        return with_final_entry(_RSS_ITEMS.sub("", text), kind, entry)
    raise ValueError(f"unknown feed kind {kind!r}")


def end_feeds(output: Path, feeds: dict[str, str], entry: FinalEntry, *, replace: bool) -> list[str]:
    """Give every feed its final entry (``replace``: as the only one); returns the feeds changed."""
    changed = []
    for rel, kind in feeds.items():
        path = output / rel
        old = path.read_text(encoding="utf-8")
        new = only_final_entry(old, kind, entry) if replace else with_final_entry(old, kind, entry)
        if new != old:
            atomic_write_text(path, new)
            changed.append(rel)
    return changed
