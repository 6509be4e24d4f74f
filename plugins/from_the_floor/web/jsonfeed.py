"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) for the column: every entry the full Q&A.

Pelican's feedgenerator writes Atom and RSS but no JSON Feed, so this builds
the document from plain values. Items also carry a ``_from_the_floor``
extension (the spec's way to add fields): the series number, the question,
when it was asked and, only when credited, who asked it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .jsonld import script_safe

VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_from_the_floor"


@dataclass(frozen=True)
class Item:
    id: str
    url: str
    title: str
    content_html: str
    date_published: dt.datetime
    date_modified: dt.datetime | None = None
    summary: str | None = None
    tags: Sequence[str] = ()
    number: int | None = None
    questions: Sequence[dict[str, Any]] = field(default_factory=tuple)
    authors: Sequence[dict[str, str]] = ()  # a post someone else wrote; the feed's authors sign the rest

    def as_json(self) -> dict[str, Any]:
        if self.date_published.tzinfo is None:
            raise ValueError(f"{self.id}: date_published needs a UTC offset (RFC 3339)")
        data: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "content_html": self.content_html,
        }
        if self.summary:
            data["summary"] = self.summary
        data["date_published"] = self.date_published.isoformat()
        if self.date_modified is not None:
            data["date_modified"] = self.date_modified.isoformat()
        if self.tags:
            data["tags"] = list(self.tags)
        if self.authors:
            data["authors"] = [dict(a) for a in self.authors]
        if self.number is not None or self.questions:
            data[EXTENSION] = {"number": self.number, "questions": list(self.questions)}
        return data


def feed(
    *,
    title: str,
    items: Sequence[Item],
    home_page_url: str | None = None,
    feed_url: str | None = None,
    description: str | None = None,
    language: str | None = None,
    authors: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    """The feed document; items newest first, as the spec recommends."""
    if not title:
        raise ValueError("a JSON Feed needs a title")
    data: dict[str, Any] = {"version": VERSION, "title": title}
    if home_page_url:
        data["home_page_url"] = home_page_url
    if feed_url:
        data["feed_url"] = feed_url
    if description:
        data["description"] = description
    if language:
        data["language"] = language
    if authors:
        data["authors"] = [dict(a) for a in authors]
    ordered = sorted(items, key=lambda i: i.date_published, reverse=True)
    data["items"] = [i.as_json() for i in ordered]
    return data


def dumps(document: dict[str, Any]) -> str:
    """UTF-8 JSON text, served as application/feed+json.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc. (the same strings to any
    JSON parser), so the file holds no markup a careless consumer could run:
    a reader's ``<script>`` in a title is text in the feed, as the spec says.
    """
    return script_safe(json.dumps(document, ensure_ascii=False, indent=1)) + "\n"
