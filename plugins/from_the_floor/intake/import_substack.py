"""A Substack export (Settings → Exports → "Create new export"): a zip with ``posts.csv`` and ``posts/``.

``posts.csv`` lists every post: ``post_id`` (``123401.plain-text``: Substack's
number, then the slug), ``post_date``, ``is_published``, ``type`` (newsletter,
podcast, thread, page), ``audience`` (everyone, only_free, only_paid,
founding), ``title``, ``subtitle`` and, for a podcast, ``podcast_url``. Each
post's text is ``posts/<post_id>.html``. Only published posts that everyone
may read come over; a podcast keeps its audio (``podcast_url``). The rest is
counted for the report. Substack's own buttons (subscribe, share, leave a comment) are left
out: on the column they would lead readers back to the newsletter.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import urllib.parse

from bs4 import BeautifulSoup, NavigableString, Tag

from ..errors import FloorError
from .import_bundle import Bundle
from .import_formats import OldPost, Source
from .import_media import Enclosure

_KINDS = {"newsletter", "podcast", "video"}
_AUDIENCE = {"only_paid": "paid-subscribers-only post", "founding": "founding-members-only post"}
_AUDIENCE_FREE = "subscribers-only post"


# Substack's own calls to action, as its editor writes them: a button's link to the newsletter's
# /subscribe page, to the post's /comments, or to share it (?action=share, or a %%share_url%%-style
# placeholder Substack fills in when it sends the email).
_OWN_ACTION = re.compile(r"/(?:subscribe|comments)/?$")
_PLACEHOLDER = re.compile(r"%%\w+%%")


def _substack_action(href: str) -> bool:
    parts = urllib.parse.urlsplit(href.strip())
    query = urllib.parse.parse_qs(parts.query)
    return bool(
        _OWN_ACTION.search(parts.path) or "share" in query.get("action", []) or _PLACEHOLDER.search(href)
    )


def without_substack_buttons(text: str) -> tuple[str, int]:
    """A post's HTML without Substack's Subscribe, Share and Leave-a-comment buttons, and how many.

    On the column they would send readers to the newsletter the blog left (its sign-up, its
    comment threads). A button the author made to link elsewhere ("Buy the book") is the post's
    own and stays, as a link.
    """
    if "button-wrapper" not in text:
        return text, 0
    soup = BeautifulSoup(text, "html.parser")
    dropped = 0
    ended_post = False
    for wrapper in soup.select(".button-wrapper"):
        links = wrapper.find_all("a", href=True)
        if links and all(_substack_action(str(a["href"])) for a in links):
            ended_post = ended_post or _last_thing(wrapper)
            wrapper.decompose()
            dropped += 1
    if ended_post:
        _drop_trailing_rules(soup)
    return (str(soup), dropped) if dropped else (text, 0)


def _last_thing(tag: Tag) -> bool:
    """Whether nothing but white space follows ``tag`` in the post."""
    return all(isinstance(s, NavigableString) and not s.strip() for s in tag.next_siblings) and (
        tag.parent is None or tag.parent.name == "[document]" or _last_thing(tag.parent)
    )


def _drop_trailing_rules(soup: BeautifulSoup) -> None:
    """Substack's editor sets a rule above its closing Sign-up button; with the button gone, the
    rule would end the post on a dangling "---". Only rules (``<hr>``, or a block holding nothing
    but one) at the very end go; a rule with text after it is the author's."""
    while True:
        last = next(
            (n for n in reversed(soup.contents) if not (isinstance(n, NavigableString) and not n.strip())),
            None,
        )
        if not isinstance(last, Tag):
            return
        if last.name == "hr" or (
            not last.get_text(strip=True)
            and last.find("hr") is not None
            and not last.find(["img", "iframe", "audio", "video"])
        ):
            last.decompose()
        else:
            return


def is_substack(bundle: Bundle) -> bool:
    name = bundle.find("posts.csv")
    return name is not None and any(n.endswith(".html") and "/posts/" in "/" + n for n in bundle.names)


def _date(value: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise FloorError(f"{where}: post_date {value!r} is not a date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def read_substack(bundle: Bundle, old_url: str | None) -> Source:
    csv_name = bundle.find("posts.csv")
    assert csv_name is not None
    folder = csv_name[: -len("posts.csv")]
    try:
        rows = list(csv.DictReader(io.StringIO(bundle.read(csv_name).decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FloorError(f"{csv_name} cannot be read as CSV ({exc})") from None
    if rows and "post_id" not in rows[0]:
        raise FloorError(f"{csv_name} has no post_id column: not Substack's posts.csv")
    source = Source("Substack export", [])
    base = (old_url or "").rstrip("/")
    for n, row in enumerate(rows, start=2):
        post_id = (row.get("post_id") or "").strip()
        where = f"{csv_name} row {n} ({post_id or 'no post_id'})"
        kind = (row.get("type") or "newsletter").strip().lower()
        audience = (row.get("audience") or "everyone").strip().lower()
        if (row.get("is_published") or "").strip().lower() not in ("true", "1", "yes"):
            source.skipped["draft"] += 1
        elif kind not in _KINDS:
            source.skipped["discussion thread" if kind == "thread" else kind] += 1
        elif audience not in ("everyone", ""):
            source.skipped[_AUDIENCE.get(audience, _AUDIENCE_FREE)] += 1
        else:
            text_name = f"{folder}posts/{post_id}.html"
            try:
                body = bundle.read(text_name).decode("utf-8", "replace")
            except (KeyError, FloorError, OSError):
                raise FloorError(f"{where}: its text {text_name} is not in the export") from None
            body, buttons = without_substack_buttons(body)
            slug = post_id.split(".", 1)[1] if "." in post_id else None
            podcast = (row.get("podcast_url") or "").strip()
            subtitle = (row.get("subtitle") or "").strip()
            source.posts.append(
                OldPost(
                    title=html.unescape(row.get("title") or "").strip(),
                    html=body,
                    date=_date(row.get("post_date") or "", where),
                    guid=f"substack:{post_id}",
                    url=f"{base}/p/{slug}" if base and slug else None,
                    slug=slug,
                    excerpt_html=subtitle or None,
                    enclosures=[Enclosure(podcast, "audio/mpeg" if kind == "podcast" else "")]
                    if podcast
                    else [],
                    made_from=f"dropped Substack's subscribe, share or comment button(s): {buttons}"
                    if buttons
                    else None,
                )
            )
    return source
