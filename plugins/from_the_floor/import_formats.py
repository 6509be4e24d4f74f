"""Reading earlier posts from another blog: a WordPress export (WXR), a Blogger export, any feed.

Exports are parsed with defusedxml (an export is a file from elsewhere: no
entity expansion bombs, no external entities); any other RSS or Atom feed
with feedparser, which knows every feed dialect and its date formats. Only
published posts are returned; pages, drafts, comments and attachments are not.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import html
import posixpath
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .errors import FloorError

ATOM = "{http://www.w3.org/2005/Atom}"
APP = "{http://purl.org/atom/app#}"
BLOGGER_2018 = "{http://schemas.google.com/blogger/2018}"
BLOGGER_KIND = "http://schemas.google.com/g/2005#kind"
BLOGGER_POST = "http://schemas.google.com/blogger/2008/kind#post"
BLOGGER_LABEL = "http://www.blogger.com/atom/ns#"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
EXCERPT_SUFFIX = "}encoded"  # wp excerpt namespace varies by export version: match by local name


@dataclass
class OldPost:
    """One published post from the other blog, as found (HTML not yet converted)."""

    title: str
    html: str
    date: dt.datetime  # aware
    guid: str  # the source's own identity for the post
    url: str | None = None  # its address on the old blog
    slug: str | None = None  # its old URL's last part
    labels: list[str] = field(default_factory=list)  # categories / labels (what --label filters on)
    aliases: list[str] = field(default_factory=list)  # other names of those labels (WordPress slugs)
    tags: list[str] = field(default_factory=list)
    excerpt_html: str | None = None
    wordpress: bool = False  # WordPress keeps paragraphs as blank lines, not <p>


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(item: Element, local: str, namespace_prefix: str = "") -> Element | None:
    """The first child with this local name (and namespace starting with the prefix)."""
    for child in item:
        if _local(child.tag) == local and child.tag.startswith(
            "{" + namespace_prefix if namespace_prefix else ""
        ):
            return child
    return None


def _slug_from_url(url: str | None) -> str | None:
    if not url:
        return None
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return urllib.parse.unquote(stem) or None


def _iso(value: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise FloorError(f"{where}: {value!r} is not a date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --- WordPress (WXR) -----------------------------------------------------------------


def _wp(item: Element, local: str) -> str:
    child = _child(item, local, "http://wordpress.org/export/")
    return _text(child) if child is not None else ""


def _wxr_date(item: Element, tz: dt.tzinfo, where: str) -> dt.datetime:
    gmt = _wp(item, "post_date_gmt")
    if gmt and not gmt.startswith("0000"):
        return dt.datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
    pub = _text(item.find("pubDate"))
    if pub:
        try:
            return email.utils.parsedate_to_datetime(pub)
        except (TypeError, ValueError):
            pass
    local = _wp(item, "post_date")
    if local and not local.startswith("0000"):  # the blog's own time zone is not in the file
        return dt.datetime.strptime(local, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
    raise FloorError(f"{where} has no date")


def read_wxr(root: Element, tz: dt.tzinfo) -> list[OldPost]:
    channel = root.find("channel")
    if channel is None:
        raise FloorError("a WordPress export without a <channel>")
    posts: list[OldPost] = []
    for n, item in enumerate(channel.findall("item"), start=1):
        if _wp(item, "post_type") not in ("post", "") or _wp(item, "status") != "publish":
            continue
        title = html.unescape(_text(item.find("title")))
        where = f"item {n} ({title or 'untitled'})"
        content = item.find(CONTENT)
        excerpt = next(
            (c for c in item if c.tag.endswith(EXCERPT_SUFFIX) and "excerpt" in c.tag),
            None,
        )
        link = _text(item.find("link")) or None
        categories = item.findall("category")
        posts.append(
            OldPost(
                title=title,
                html=(content.text or "") if content is not None else "",
                date=_wxr_date(item, tz, where),
                guid=_text(item.find("guid")) or link or f"wordpress:{_wp(item, 'post_id')}",
                url=link,
                slug=urllib.parse.unquote(_wp(item, "post_name")) or _slug_from_url(link),
                labels=[
                    html.unescape(_text(c)) for c in categories if c.get("domain") == "category" and _text(c)
                ],
                aliases=[c.get("nicename") or "" for c in categories if c.get("domain") == "category"],
                tags=[
                    html.unescape(_text(c)) for c in categories if c.get("domain") == "post_tag" and _text(c)
                ],
                excerpt_html=(excerpt.text or "").strip() or None if excerpt is not None else None,
                wordpress=True,
            )
        )
    return posts


# --- Blogger ---------------------------------------------------------------------------


def _blogger_kind(entry: Element) -> str:
    """POST, PAGE, COMMENT, SETTINGS, TEMPLATE … in either export format."""
    modern = entry.find(f"{BLOGGER_2018}type")
    if modern is not None:
        return _text(modern).upper()
    for category in entry.findall(f"{ATOM}category"):
        if category.get("scheme") == BLOGGER_KIND:
            return (category.get("term") or "").rsplit("#", 1)[-1].upper()
    return ""


def _blogger_live(entry: Element) -> bool:
    status = entry.find(f"{BLOGGER_2018}status")
    if status is not None:
        return _text(status).upper() == "LIVE"
    draft = entry.find(f"{APP}control/{APP}draft")
    return _text(draft).lower() != "yes"


def read_blogger(root: Element, old_url: str | None) -> list[OldPost]:
    posts: list[OldPost] = []
    for n, entry in enumerate(root.findall(f"{ATOM}entry"), start=1):
        if _blogger_kind(entry) != "POST" or not _blogger_live(entry):
            continue
        title = _text(entry.find(f"{ATOM}title"))
        where = f"entry {n} ({title or 'untitled'})"
        published = _text(entry.find(f"{ATOM}published"))
        if not published:
            raise FloorError(f"{where} has no <published> date")
        url = next(
            (
                link.get("href")
                for link in entry.findall(f"{ATOM}link")
                if link.get("rel") == "alternate" and link.get("href")
            ),
            None,
        )
        filename = _text(entry.find(f"{BLOGGER_2018}filename"))
        if not url and filename:  # a Takeout export names the post's path, not its address
            url = (
                urllib.parse.urljoin(old_url.rstrip("/") + "/", filename.lstrip("/")) if old_url else filename
            )
        labels = [
            c.get("term") or ""
            for c in entry.findall(f"{ATOM}category")
            if c.get("scheme") in (None, "", BLOGGER_LABEL) and c.get("term")
        ]
        posts.append(
            OldPost(
                title=html.unescape(title),
                html=_text(entry.find(f"{ATOM}content")),
                date=_iso(published, where),
                guid=_text(entry.find(f"{ATOM}id")) or url or where,
                url=url,
                slug=_slug_from_url(url or filename),
                labels=labels,
            )
        )
    return posts


# --- any RSS / Atom feed (feedparser) -------------------------------------------------------


def read_feed(data: bytes) -> list[OldPost]:
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.entries:
        raise FloorError(f"is not a readable feed ({parsed.get('bozo_exception')})")
    posts: list[OldPost] = []
    for n, entry in enumerate(parsed.entries, start=1):
        title = html.unescape(entry.get("title", "")).strip()
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if not stamp:
            raise FloorError(f"entry {n} ({title or 'untitled'}) has no date")
        content = entry.get("content") or []
        body = content[0].get("value", "") if content else entry.get("summary", "")
        summary = entry.get("summary") if content else None
        labels = [t.get("term") or t.get("label") or "" for t in entry.get("tags", [])]
        url = entry.get("link") or None
        posts.append(
            OldPost(
                title=title,
                html=body,
                date=dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC),
                guid=entry.get("id") or url or f"entry {n}",
                url=url,
                slug=_slug_from_url(url),
                labels=[label for label in labels if label],
                excerpt_html=summary if summary and summary.strip() != body.strip() else None,
            )
        )
    return posts


EXPECTED = "a WordPress export (WXR), a Blogger export or an RSS/Atom feed"


# --- which one ------------------------------------------------------------------------------


def read(
    data: bytes, origin: str | Path, *, tz: dt.tzinfo, old_url: str | None = None
) -> tuple[str, list[OldPost]]:
    """(format name, published posts) of a WordPress export, Blogger export or feed; else an error."""
    try:
        root = SafeET.fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        if b"<html" in data[:2048].lower():
            raise FloorError(
                f"is a web page, not {EXPECTED}; nothing was imported", path=str(origin)
            ) from None
        raise FloorError(
            f"is not well-formed XML ({exc}), so not {EXPECTED}; nothing was imported", path=str(origin)
        ) from None
    tag = _local(root.tag)
    try:
        if tag == "rss" and _is_wxr(root):
            return "WordPress export", read_wxr(root, tz)
        if root.tag == f"{ATOM}feed" and _is_blogger(root):
            return "Blogger export", read_blogger(root, old_url)
        if tag in ("rss", "RDF") or root.tag == f"{ATOM}feed":
            return "feed", read_feed(data)
    except FloorError as exc:
        raise FloorError(f"{exc.problem}; nothing was imported", path=str(origin)) from None
    except ValueError as exc:
        raise FloorError(f"cannot be read ({exc}); nothing was imported", path=str(origin)) from None
    raise FloorError(
        f"is not {EXPECTED} (its root element is <{tag}>); nothing was imported",
        path=str(origin),
    )


def _is_wxr(root: Element) -> bool:
    return any(el.tag.startswith("{http://wordpress.org/export/") for el in root.iter())


def _is_blogger(root: Element) -> bool:
    feed_id = _text(root.find(f"{ATOM}id"))
    if feed_id.startswith("tag:blogger.com"):
        return any(_blogger_kind(entry) for entry in root.findall(f"{ATOM}entry"))
    return any(el.tag.startswith(BLOGGER_2018) for el in root.iter())
