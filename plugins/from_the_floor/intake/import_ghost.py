"""A Ghost export (Settings → Advanced → Export content): the JSON file of every Ghost version.

The file is ``{"db": [{"meta": …, "data": {…}}]}`` (or the same without the
``db`` wrapper). What changed between versions, and how it is read:

- Ghost 0.x: dates in milliseconds since 1970, ``page: 0|1``, ``markdown``
  beside ``html``;
- Ghost 1–2: ISO dates, ``page: true|false``, ``mobiledoc`` beside ``html``;
- Ghost 3–4: ``type: post|page`` and ``visibility: public|members|paid``;
- Ghost 5: ``lexical`` instead of ``mobiledoc``, ``visibility: tiers``, and
  ``__GHOST_URL__`` standing for the site's address in links and images.

The post's ``html`` is used when the export has it; otherwise its ``lexical``,
``mobiledoc`` or ``markdown`` is turned into HTML (``ghost_documents``). Only
public, published posts come over; pages, drafts, scheduled and email-only
posts, and members-only posts are counted for the report. A public post's parts that Ghost 5
showed only to members (``kg-gated-block`` markers in its HTML, a card's ``visibility`` in its
Lexical) are left out and said in the report: the export holds them for everyone.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from typing import Any

from ..errors import FloorError
from . import ghost_documents
from .import_formats import OldPost, Source

_PLACEHOLDER = "__GHOST_URL__"
_STATUS = {"draft": "draft", "scheduled": "scheduled", "sent": "email-only post"}


def is_ghost(document: Any) -> bool:
    """Whether parsed JSON has the shape of a Ghost export (its ``data`` with ``posts``)."""
    data = _data(document)
    return isinstance(data, dict) and isinstance(data.get("posts"), list)


def _data(document: Any) -> Any:
    if isinstance(document, dict) and isinstance(document.get("db"), list) and document["db"]:
        return document["db"][0].get("data") if isinstance(document["db"][0], dict) else None
    return document.get("data") if isinstance(document, dict) else None


def _version(document: Any) -> str:
    db = document.get("db") if isinstance(document, dict) else None
    meta = (db[0] if isinstance(db, list) and db else document).get("meta") or {}
    return str(meta.get("version") or "?") if isinstance(meta, dict) else "?"


def _moment(value: Any, where: str) -> dt.datetime:
    """A Ghost date: ISO 8601 (Ghost 1+) or milliseconds since 1970 (Ghost 0.x)."""
    if isinstance(value, bool) or value is None:
        raise FloorError(f"{where}: published_at is empty")
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC)
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00").replace(" ", "T", 1)
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            if text.isdigit():
                return dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC)
            raise FloorError(f"{where}: published_at {value!r} is not a date") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    raise FloorError(f"{where}: published_at {value!r} is not a date")


def _skip_reason(post: dict[str, Any]) -> str | None:
    page = post.get("page")
    if post.get("type") == "page" or page is True or page == 1 or page == "1":
        return "page"
    if post.get("type") not in (None, "post"):
        return str(post.get("type"))
    status = str(post.get("status") or "draft")
    if status != "published":
        return _STATUS.get(status, status)
    visibility = str(post.get("visibility") or "public")
    if visibility in ("paid", "tiers"):  # paying members, or some tiers of them (Ghost 5)
        return "paid-members-only post"
    if visibility != "public":
        return "members-only post"
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _links(data: dict[str, Any], table: str, key: str, names: dict[Any, str]) -> dict[Any, list[str]]:
    """post id → names of its tags or authors, in the export's order."""
    rows = [r for r in data.get(table) or [] if isinstance(r, dict)]
    rows.sort(key=lambda r: r.get("sort_order") or 0)
    found: dict[Any, list[str]] = {}
    for row in rows:
        name = names.get(row.get(key))
        if name:
            found.setdefault(row.get("post_id"), []).append(name)
    return found


def read_ghost(document: Any, old_url: str | None) -> Source:
    """The public posts of a Ghost export, with their tags, authors and the reasons others are skipped."""
    data = _data(document)
    if not isinstance(data, dict):
        raise FloorError("is a Ghost export without its data")
    source = Source(f"Ghost export (Ghost {_version(document)})", [])
    tags = {t.get("id"): _text(t.get("name")) for t in data.get("tags") or [] if isinstance(t, dict)}
    users = {u.get("id"): _text(u.get("name")) for u in data.get("users") or [] if isinstance(u, dict)}
    post_tags = _links(data, "posts_tags", "tag_id", tags)
    post_authors = _links(data, "posts_authors", "author_id", users)
    # Ghost 4 and later keep a feature image's alt text and caption in posts_meta, not in posts
    meta = {r.get("post_id"): r for r in data.get("posts_meta") or [] if isinstance(r, dict)}
    base = (old_url or "").rstrip("/")
    placeholders = Counter[str]()
    for n, post in enumerate(data.get("posts") or [], start=1):
        if not isinstance(post, dict):
            raise FloorError(f"posts[{n - 1}] is not a post")
        reason = _skip_reason(post)
        if reason:
            source.skipped[reason] += 1
            continue
        title = _text(post.get("title"))
        where = f"post {n} ({title or 'untitled'})"
        body, made_from = ghost_documents.post_html(post)
        feature = _text(post.get("feature_image"))
        if feature:
            extra = meta.get(post.get("id")) or {}
            said = _text(post.get("feature_image_alt")) or _text(extra.get("feature_image_alt"))
            caption = _text(post.get("feature_image_caption")) or _text(extra.get("feature_image_caption"))
            # No alt text in Ghost: an empty one, as every other picture the import brings without
            # one, not the post's title (what Ghost's own Casper theme falls back to). On the column
            # the title is the heading just above, so a screen reader said it twice, and the build's
            # "Empty alt attribute" warning never asked the author to describe the picture.
            alt = html.escape(said, quote=True)
            shown = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""  # HTML, cleaned later
            body = (
                f'<figure><img src="{html.escape(feature, quote=True)}" alt="{alt}">{shown}</figure>\n' + body
            )
        if _PLACEHOLDER in body:
            placeholders["posts"] += 1
            body = body.replace(_PLACEHOLDER, base)
        authors = post_authors.get(post.get("id")) or (
            [users[post["author_id"]]] if users.get(post.get("author_id")) else []
        )
        canonical = _text(post.get("canonical_url")) or None
        slug = _text(post.get("slug")) or None
        url = canonical or (f"{base}/{slug}/" if base and slug else None)
        visible_tags = [t for t in post_tags.get(post.get("id"), []) if not t.startswith("#")]  # "#internal"
        source.posts.append(
            OldPost(
                title=title,
                html=body,
                date=_moment(post.get("published_at") or post.get("created_at"), where),
                guid=f"ghost:{post.get('uuid') or post.get('id') or n}",
                url=url,
                slug=slug,
                labels=visible_tags,
                excerpt_html=html.escape(_text(post.get("custom_excerpt"))) or None,
                made_from=made_from,
                authors=authors,
            )
        )
    if placeholders:
        source.notes.append(
            "Ghost writes __GHOST_URL__ for the site's own address: "
            + (f"replaced by {base}" if base else "removed (give --old-url to keep absolute links)")
        )
    return source


def parse_json(data: bytes) -> Any:
    """The document, or None when the bytes are not JSON."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
