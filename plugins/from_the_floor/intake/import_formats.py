"""Reading earlier posts from another blog: a WordPress export (WXR), a Blogger export, any feed.

Exports are parsed with defusedxml (an export is a file from elsewhere: no
entity expansion bombs, no external entities). A WordPress export is known by
its root and its ``wp:`` prefix, whatever URI the prefix declares (WordPress.com
writes ``https://``, self-hosted WordPress ``http://``, and the version varies);
a Blogger export by its Blogger ids or the Takeout namespace. Anything else goes
to feedparser, which reads every feed dialect, also slightly broken ones.
Only public, published posts are returned; every other kind (pages, drafts,
scheduled, private and password-protected posts, attachments, menu items,
comments …) is counted in ``Source.skipped``, for the import report.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import html
import posixpath
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..errors import FloorError
from . import html_markdown, import_recover
from .import_media import Enclosure

ATOM = "{http://www.w3.org/2005/Atom}"
APP = "{http://purl.org/atom/app#}"
BLOGGER_2018 = "{http://schemas.google.com/blogger/2018}"
BLOGGER_KIND = "http://schemas.google.com/g/2005#kind"
BLOGGER_POST = "http://schemas.google.com/blogger/2008/kind#post"
BLOGGER_LABEL = "http://www.blogger.com/atom/ns#"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
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
    attachments: dict[str, tuple[str, str]] = field(default_factory=dict)  # WXR: id → (url, title)
    children: list[str] = field(default_factory=list)  # WXR: ids of the images attached to this post
    enclosures: list[Enclosure] = field(default_factory=list)  # a podcast's audio, a video, beside the text
    authors: list[str] = field(default_factory=list)  # who wrote it (WordPress, Ghost, Medium)
    # the date carries the old blog's own offset, so its day is the one the old page (and a dated
    # address such as /2010/09/09/) showed; otherwise it is only an instant, shown in the site's zone
    local: bool = False
    made_from: str | None = None  # a note when the HTML was made from another document (Ghost) or mended


@dataclass
class Source:
    """What a file holds: its format, its public posts, and how many of each other kind it skipped."""

    format: str
    posts: list[OldPost]
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # what was mended in the file as a whole


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


_FILE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{1,4}$")
_PAGE_SUFFIX = re.compile(r"\.(?:html?|shtml|php\d?|aspx?|jsp)$", re.IGNORECASE)


def clean_slug(path: str | None) -> str | None:
    """A post's own name from its URL or path: the last part, without ``.html`` or a dated folder.

    Squarespace writes ``basic-post.html`` and ``blog2023/04/05/my-dated-post``; both
    mean the slug at the end.
    """
    if not path:
        return None
    path = urllib.parse.urlsplit(path).path.rstrip("/")
    name = posixpath.basename(path)
    if _FILE_SUFFIX.search(name) and not _PAGE_SUFFIX.search(name):
        return None  # a podcast feed's link to its .mp3 is the episode's file, not its page
    return urllib.parse.unquote(_PAGE_SUFFIX.sub("", name)) or None


def _iso(value: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise FloorError(f"{where}: {value!r} is not a date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --- WordPress (WXR) -----------------------------------------------------------------

_WP_PREFIX = re.compile(rb"""xmlns:wp\s*=\s*["']([^"']+)["']""")
_MAX_OFFSET = dt.timedelta(hours=14)  # the widest real UTC offsets (Kiribati +14, Baker Island -12)
_OFFSET_STEP = dt.timedelta(minutes=15)  # every zone's offset is a whole quarter-hour (Nepal +5:45)
_EPOCH_YEAR = 1971  # a year before this is an export's placeholder ("0000-00-00", 1 Jan 1970), not a date
_WXR_STATUS = {
    "draft": "draft",
    "auto-draft": "draft",
    "pending": "pending review",
    "future": "scheduled",
    "private": "private",
    "trash": "trashed",
    "inherit": "revision",
}


def _wp_namespace(data: bytes, root: Element) -> str | None:
    """The URI of the ``wp:`` prefix on the root element (else of WXR's own elements), or None."""
    head = data[: data.find(b"<channel")] if b"<channel" in data else data[:4096]
    declared = _WP_PREFIX.search(head)
    used = {
        element.tag[1:].split("}", 1)[0]
        for element in root.iter()
        if element.tag.startswith("{")
        and _local(element.tag) in ("wxr_version", "post_type", "base_site_url")
    }
    if declared and declared.group(1).decode("utf-8", "replace") in used:
        return declared.group(1).decode("utf-8", "replace")
    return min(used) if len(used) == 1 else None


class _Wxr:
    """Reads one export's items with its own ``wp:`` namespace."""

    def __init__(self, namespace: str, tz: dt.tzinfo) -> None:
        self.ns = "{" + namespace + "}"
        self.tz = tz

    def wp(self, item: Element, local: str) -> str:
        return _text(item.find(self.ns + local))

    def _stamp(self, item: Element, name: str, zone: dt.tzinfo, where: str) -> dt.datetime | None:
        value = self.wp(item, name)
        if not value or value.startswith("0000"):
            return None
        try:
            moment = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
        except ValueError:
            raise FloorError(f"{where}: {name} {value!r} is not a date") from None
        return moment if moment.year >= _EPOCH_YEAR else None

    def date(self, item: Element, where: str) -> tuple[dt.datetime, bool]:
        """When the post went out, and whether that carries the old blog's own clock.

        post_date_gmt is the moment; post_date is the same moment on the old blog's clock, so their
        difference is the blog's offset that day, and the post keeps the day its page showed (a post
        of 17:23 on 9 September in California is not moved to the 10th on a Paris column). Without
        post_date_gmt: post_date in the blog's zone (--timezone); else the feed's pubDate."""
        moment = self._stamp(item, "post_date_gmt", dt.UTC, where)
        if moment is not None:
            wall = self._stamp(item, "post_date", dt.UTC, where)
            offset = (wall - moment) if wall is not None else None
            if offset is not None and abs(offset) <= _MAX_OFFSET and offset % _OFFSET_STEP == dt.timedelta(0):
                return moment.astimezone(dt.timezone(offset)), True
            return moment, False
        moment = self._stamp(item, "post_date", self.tz, where)
        if moment is not None:
            return moment, True
        pub = _text(item.find("pubDate"))
        if pub:
            try:
                moment = email.utils.parsedate_to_datetime(pub)
            except (TypeError, ValueError):
                moment = None
            if moment is not None and moment.year >= _EPOCH_YEAR:
                return (moment, False) if moment.tzinfo else (moment.replace(tzinfo=self.tz), True)
        raise FloorError(f"{where} has no date (post_date_gmt, post_date and pubDate are empty or zero)")

    def enclosures(self, item: Element) -> list[Enclosure]:
        """WordPress's ``enclosure`` custom fields (podcasting): "URL\\nlength\\ntype" each."""
        found = []
        for meta in item.findall(self.ns + "postmeta"):
            if self.wp(meta, "meta_key") == "enclosure":
                lines = self.wp(meta, "meta_value").splitlines()
                if lines and lines[0].strip():
                    found.append(Enclosure(lines[0].strip(), lines[2].strip() if len(lines) > 2 else ""))
        return found

    def meta(self, item: Element, key: str) -> str:
        """The value of one of the item's custom fields (``wp:postmeta``), or ""."""
        for meta in item.findall(self.ns + "postmeta"):
            if self.wp(meta, "meta_key") == key:
                return self.wp(meta, "meta_value")
        return ""

    def skip_reason(self, item: Element) -> str | None:
        kind = self.wp(item, "post_type") or "post"
        if kind != "post":
            return {"nav_menu_item": "menu item"}.get(kind, kind.replace("_", " "))
        status = self.wp(item, "status") or "publish"
        if status != "publish":
            return _WXR_STATUS.get(status, status)
        if self.wp(item, "post_password"):
            return "password-protected"
        return None


# WordPress files every post nobody categorised under "Uncategorized": not a subject, so never a
# tag (a tag page "Questions tagged Uncategorized" says nothing). Its slug stays one of the post's
# aliases, so `--label uncategorized` still picks those posts.
_WP_DEFAULT_CATEGORY = "uncategorized"


def _writer(login: str, names: dict[str, str]) -> str:
    """The name a post's login signed with; a login mangled by a hand edit of the export
    (``>themereviewteam``, a stray bracket) is still its writer's."""
    return names.get(login) or names.get(login.strip("<> ")) or login


def _excerpt(item: Element) -> Element | None:
    return next((c for c in item if c.tag.endswith(EXCERPT_SUFFIX) and "excerpt" in c.tag), None)


def _with_featured_image(body: str, image: tuple[str, str, str] | None) -> tuple[str, str | None]:
    """The post's text with its featured image (WordPress's ``_thumbnail_id``) as a figure on top.

    A WordPress theme shows that picture above the post (or in the list), not in its text, so the
    export's text never has it: without this the picture the author chose for the post was lost
    without a word. It is left out when the text already shows the same file (any of its sizes,
    ``name-300x200.jpg``). The alt text is the one WordPress keeps on the upload
    (``_wp_attachment_image_alt``), else empty, as for any picture the import brings without one;
    the upload's caption becomes the figure's caption. Returns the text and the report's note.
    """
    if image is None:
        return body, None
    url, alt, caption = image
    stem = posixpath.splitext(posixpath.basename(urllib.parse.urlsplit(url).path))[0]
    if stem and "/" + stem in body:
        return body, None
    shown = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""  # HTML, cleaned later
    picture = f'<img src="{html.escape(url, quote=True)}" alt="{html.escape(alt, quote=True)}">'
    figure = f"<figure>{picture}{shown}</figure>"
    return f"{figure}\n\n{body}", "kept its featured image, above the text"


def read_wxr(root: Element, tz: dt.tzinfo, namespace: str) -> Source:
    channel = root.find("channel")
    if channel is None:
        raise FloorError("a WordPress export without a <channel>")
    wxr = _Wxr(namespace, tz)
    items = channel.findall("item")
    attachments: dict[str, tuple[str, str]] = {}
    children: dict[str, list[tuple[int, str]]] = {}
    images: dict[str, tuple[str, str, str]] = {}  # id → (url, alt text, caption), for featured images
    for item in items:
        if wxr.wp(item, "post_type") == "attachment":
            aid = wxr.wp(item, "post_id")
            url = wxr.wp(item, "attachment_url") or _text(item.find("guid"))
            if aid and url.startswith(("http://", "https://")):
                attachments[aid] = (url, html.unescape(_text(item.find("title"))))
                alt = wxr.meta(item, "_wp_attachment_image_alt")
                images[aid] = (url, alt, _text(_excerpt(item)))  # an upload's excerpt is its caption
                order = wxr.wp(item, "menu_order")
                parent = wxr.wp(item, "post_parent")
                children.setdefault(parent, []).append((int(order) if order.isdigit() else 0, aid))
    # who wrote each post: its dc:creator is a login ("themedemos", "admin"); the export's
    # wp:author entries give the name the old blog signed posts with ("Theme Buster")
    names = {}
    for writer in channel.findall(wxr.ns + "author"):
        login = wxr.wp(writer, "author_login")
        if login:
            names[login] = html.unescape(wxr.wp(writer, "author_display_name")) or login
    source = Source("WordPress export", [])
    for n, item in enumerate(items, start=1):
        reason = wxr.skip_reason(item)
        if reason:
            source.skipped[reason] += 1
            continue
        title = html_markdown.title_text(_text(item.find("title")))  # WordPress keeps titles as HTML
        where = f"item {n} ({title or 'untitled'})"
        content = item.find(CONTENT)
        excerpt = _excerpt(item)
        comments = item.findall(wxr.ns + "comment")
        if comments:
            source.skipped["comment"] += len(comments)
        link = _text(item.find("link")) or None
        categories = item.findall("category")
        post_id = wxr.wp(item, "post_id")
        enclosures = wxr.enclosures(item)
        date, local = wxr.date(item, where)
        login = _text(item.find(DC_CREATOR))
        body, featured = _with_featured_image(
            (content.text or "") if content is not None else "", images.get(wxr.meta(item, "_thumbnail_id"))
        )
        source.posts.append(
            OldPost(
                title=title,
                html=body,
                made_from=featured,
                date=date,
                local=local,
                authors=[_writer(login, names)] if login else [],
                guid=_text(item.find("guid")) or link or f"wordpress:{post_id}",
                url=link,
                slug=clean_slug(wxr.wp(item, "post_name")) or clean_slug(link),
                labels=[
                    html.unescape(_text(c))
                    for c in categories
                    if c.get("domain") == "category"
                    and _text(c)
                    and c.get("nicename") != _WP_DEFAULT_CATEGORY
                ],
                aliases=[c.get("nicename") or "" for c in categories if c.get("domain") == "category"],
                tags=[
                    html.unescape(_text(c)) for c in categories if c.get("domain") == "post_tag" and _text(c)
                ],
                excerpt_html=(excerpt.text or "").strip() or None if excerpt is not None else None,
                wordpress=True,
                attachments=attachments,
                children=[aid for _, aid in sorted(children.get(post_id, []))] if post_id else [],
                enclosures=enclosures,
            )
        )
    return source


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


def _blogger_status(entry: Element) -> str:
    """LIVE, DRAFT, SOFT_TRASHED … (the legacy export marks only drafts)."""
    status = entry.find(f"{BLOGGER_2018}status")
    if status is not None:
        return _text(status).upper() or "LIVE"
    draft = entry.find(f"{APP}control/{APP}draft")
    return "DRAFT" if _text(draft).lower() == "yes" else "LIVE"


def read_blogger(root: Element, old_url: str | None) -> Source:
    source = Source("Blogger export", [])
    for n, entry in enumerate(root.findall(f"{ATOM}entry"), start=1):
        kind, status = _blogger_kind(entry), _blogger_status(entry)
        if kind != "POST":
            source.skipped[(kind or "unknown entry").lower()] += 1
            continue
        if status != "LIVE":
            source.skipped[status.lower().replace("_", " ")] += 1
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
            if c.get("scheme") in (None, "", BLOGGER_LABEL)
            or (c.get("scheme") or "").startswith("tag:blogger.com")
            if c.get("term")
        ]
        source.posts.append(
            OldPost(
                title=html.unescape(title),
                html=_text(entry.find(f"{ATOM}content")),
                date=_iso(published, where),
                # a Blogger export writes each date on the blog's clock (-08:00); Takeout's are UTC
                local=not published.endswith(("Z", "z")),
                guid=_text(entry.find(f"{ATOM}id")) or url or where,
                url=url,
                slug=clean_slug(url or filename),
                labels=labels,
            )
        )
    return source


# --- any RSS / Atom feed (feedparser) -------------------------------------------------------


_MEDIUM_GUID = re.compile(r"^https?://medium\.com/p/([0-9a-f]{8,16})$")


def _feed_link(url: str | None) -> str | None:
    """A feed entry's address without the tracking a feed adds to it: FeedBurner's ``utm_…`` and
    Medium's ``source=rss-…`` are not part of the old page's address (a reader's link, a search
    engine, the old blog's own links never carry them), so redirects made from them match nothing."""
    if not url or "?" not in url:
        return url
    parts = urllib.parse.urlsplit(url)
    kept = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and not (k == "source" and v.startswith("rss"))
    ]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(kept)))


def _feed_slug(url: str | None, guid: str) -> str | None:
    """The slug of a feed entry's address; a Medium story's without the id Medium ends it with
    (``my-story-1cdf174bc674``), which its guid (``https://medium.com/p/1cdf174bc674``) names."""
    slug = clean_slug(url)
    medium = _MEDIUM_GUID.match(guid)
    if slug and medium and slug.endswith("-" + medium.group(1)):
        return slug.removesuffix("-" + medium.group(1)) or None
    return slug


def read_feed(data: bytes) -> Source:
    """Every dated entry of whatever feedparser reads; an undated entry is skipped (and counted)."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        raise FloorError(f"is not a readable feed ({parsed.get('bozo_exception') or 'it has no entries'})")
    source = Source("feed", [])
    for n, entry in enumerate(parsed.entries, start=1):
        title = html.unescape(entry.get("title", "")).strip()
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if not stamp or stamp.tm_year < _EPOCH_YEAR:
            source.skipped["undated entry"] += 1
            continue
        content = entry.get("content") or []
        body = content[0].get("value", "") if content else entry.get("summary", "")
        summary = entry.get("summary") if content else None
        labels = [t.get("term") or t.get("label") or "" for t in entry.get("tags", [])]
        url = _feed_link(entry.get("link") or None)
        guid = entry.get("id") or url or f"entry {n}"
        source.posts.append(
            OldPost(
                title=title,
                html=body,
                date=dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC),
                guid=guid,
                url=url,
                slug=_feed_slug(url, guid),
                labels=[label for label in labels if label],
                excerpt_html=summary if summary and summary.strip() != body.strip() else None,
                enclosures=[
                    Enclosure(e.get("href") or "", e.get("type") or "")
                    for e in entry.get("enclosures", [])
                    if e.get("href")
                ],
            )
        )
    return source


EXPECTED = "a WordPress export (WXR), a Blogger export or an RSS/Atom feed"


# --- which one ------------------------------------------------------------------------------


def read(data: bytes, origin: str | Path, *, tz: dt.tzinfo, old_url: str | None = None) -> Source:
    """The public posts of a WordPress export, Blogger export or any feed feedparser reads; else an error."""
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip()  # a BOM or blank line before <?xml
    try:
        try:
            root: Element | None = SafeET.fromstring(data)
        except DefusedXmlException as exc:
            raise FloorError(f"is refused: {exc}; nothing was imported", path=str(origin)) from None
        except ParseError as exc:
            if import_recover.looks_like_wordpress(data) and b"<!ENTITY" not in data:
                return _recovered_wxr(data, tz)  # never read as a feed: its drafts would be posts
            root, problem = _with_prefixes_declared(data), exc
        if root is not None:
            tag = _local(root.tag)
            namespace = _wp_namespace(data, root) if tag == "rss" else None
            if namespace:
                return read_wxr(root, tz, namespace)
            if root.tag == f"{ATOM}feed" and _is_blogger(root):
                return read_blogger(root, old_url)
            if tag not in ("rss", "RDF", "feed", "channel"):
                raise FloorError(
                    f"is not {EXPECTED} (its root element is <{tag}>); nothing was imported", path=str(origin)
                )
        if b"<!ENTITY" in data:  # defusedxml refused it or could not read it: nor may feedparser
            raise FloorError(
                "declares XML entities, which an export or feed never needs; nothing was imported",
                path=str(origin),
            )
        try:
            return read_feed(data)
        except FloorError:
            if root is not None:
                raise
        if b"<html" in data[:2048].lower():
            raise FloorError(f"is a web page, not {EXPECTED}; nothing was imported", path=str(origin))
        raise FloorError(
            f"is not well-formed XML ({problem}), so not {EXPECTED}; nothing was imported", path=str(origin)
        )
    except FloorError as exc:
        if exc.path is not None:
            raise
        raise FloorError(f"{exc.problem}; nothing was imported", path=str(origin)) from None
    except ValueError as exc:
        raise FloorError(f"cannot be read ({exc}); nothing was imported", path=str(origin)) from None


def _recovered_wxr(data: bytes, tz: dt.tzinfo) -> Source:
    """A WordPress-format export with bare ``&`` (Squarespace's, always), mended; else refused at its line."""
    mended, changed = import_recover.escape_ampersands(data)
    try:
        root = SafeET.fromstring(mended)
    except ParseError as exc:
        line, column = exc.position
        raise FloorError(
            f"is a WordPress-format export but not well-formed XML (line {line}, column {column}: "
            f"{str(exc).split(':')[0]}); open it in a text editor and fix that line, or export it again"
        ) from None
    except DefusedXmlException as exc:
        raise FloorError(f"is refused: {exc}") from None
    namespace = _wp_namespace(mended, root) if _local(root.tag) == "rss" else None
    if namespace is None:
        raise FloorError("looks like a WordPress-format export but has no WordPress items (wp:post_type)")
    source = read_wxr(root, tz, namespace)
    source.notes.append(
        f"the file is not well-formed XML (as Squarespace's export always is): escaped {changed} "
        "ampersand(s) XML does not allow (bare & and HTML entities) before reading it"
    )
    return source


# Prefixes exporters use without declaring them (Blogger's legacy export writes <app:draft> so).
KNOWN_PREFIXES = {
    "app": "http://purl.org/atom/app#",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
    "georss": "http://www.georss.org/georss",
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "media": "http://search.yahoo.com/mrss/",
    "blogger": "http://schemas.google.com/blogger/2018",
}
_ROOT_TAG = re.compile(rb"<([A-Za-z][\w.-]*)(?=[\s>/])")
_PREFIX_USED = re.compile(rb"</?([A-Za-z][\w.-]*):[A-Za-z]")
_PREFIX_DECLARED = re.compile(rb"xmlns:([A-Za-z][\w.-]*)\s*=")


def _with_prefixes_declared(data: bytes) -> Element | None:
    """The document parsed again with its undeclared prefixes declared on the root, or None."""
    missing = set(_PREFIX_USED.findall(data)) - set(_PREFIX_DECLARED.findall(data)) - {b"xml"}
    root_tag = _ROOT_TAG.search(data)
    if not missing or root_tag is None:
        return None
    declarations = b"".join(
        b' xmlns:%s="%s"' % (p, KNOWN_PREFIXES.get(p.decode(), f"urn:undeclared:{p.decode()}").encode())
        for p in sorted(missing)
    )
    end = root_tag.end()
    try:
        return SafeET.fromstring(data[:end] + declarations + data[end:])
    except (ParseError, DefusedXmlException):
        return None


def _is_blogger(root: Element) -> bool:
    feed_id = _text(root.find(f"{ATOM}id"))
    if feed_id.startswith("tag:blogger.com"):
        return any(_blogger_kind(entry) for entry in root.findall(f"{ATOM}entry"))
    return any(el.tag.startswith(BLOGGER_2018) for el in root.iter())
