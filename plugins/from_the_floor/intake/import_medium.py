"""A Medium export (Settings → Security and apps → Download your information): a zip with ``posts/``.

Each story is one HTML file, ``posts/2018-08-11_Basic-Post-Title-efefef121212.html``,
marked up with microformats: ``h1.p-name`` (title), ``section.p-summary``
(subtitle), ``section.e-content`` (text), ``time.dt-published`` (date),
``a.p-canonical`` (its address, which ends in Medium's id), ``a.p-tag``,
``a.p-author``. A draft's file name starts with ``draft_`` and it has no
publication date. Medium exports a response (a comment on someone's story) as
a story too: one published without a subtitle whose text is one paragraph and
no picture is counted as a response, not imported. Medium's id suffix is
removed from slugs (``basic-post-title``, not ``basic-post-title-efefef121212``).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re

from bs4 import BeautifulSoup, Tag

from ..errors import FloorError
from .import_bundle import Bundle
from .import_formats import OldPost, Source, clean_slug

_ID_SUFFIX = re.compile(r"-[0-9a-f]{8,16}$")
_FILE_NAME = re.compile(r"^(?:draft_)?(?:(\d{4}-\d{2}-\d{2})_)?(.*?)(?:-[0-9a-f]{8,16})?\.html?$")


def _stories(bundle: Bundle) -> list[str]:
    return [n for n in bundle.names if n.lower().endswith((".html", ".htm")) and "/posts/" in "/" + n]


def is_medium(bundle: Bundle) -> bool:
    stories = _stories(bundle)
    return bool(stories) and b'class="h-entry"' in bundle.read(stories[0])[:4096].replace(b"'", b'"')


def medium_slug(url: str | None, file_name: str) -> str | None:
    """The story's slug without Medium's id: from its address, else from its file's name."""
    slug = clean_slug(url)
    if slug:
        slug = _ID_SUFFIX.sub("", slug)
        if slug and not slug.isdigit() and not re.fullmatch(r"[0-9a-f]{8,16}", slug):
            return slug
    match = _FILE_NAME.match(posixpath.basename(file_name))
    return match.group(2).lower() or None if match else None


def _href(soup: BeautifulSoup, selector: str) -> str | None:
    found = soup.select_one(selector)
    value = found.get("href") if isinstance(found, Tag) else None
    return value if isinstance(value, str) and value.strip() else None


def _response(body: Tag, has_subtitle: bool) -> bool:
    return (
        not has_subtitle and len(body.find_all("p")) <= 1 and not body.find_all(["img", "figure", "iframe"])
    )


def read_medium(bundle: Bundle) -> Source:
    source = Source("Medium export", [])
    for name in _stories(bundle):
        soup = BeautifulSoup(bundle.read(name).decode("utf-8", "replace"), "html.parser")
        body = soup.select_one("section.e-content") or soup.select_one('section[data-field="body"]')
        title_tag = soup.select_one(".p-name")
        title = " ".join(title_tag.get_text().split()) if title_tag else ""
        published = soup.select_one("time.dt-published")
        stamp = published.get("datetime") if isinstance(published, Tag) else None
        if posixpath.basename(name).startswith("draft") or body is None:
            source.skipped["draft"] += 1
            continue
        subtitle = soup.select_one("section.p-summary")
        if _response(body, subtitle is not None):
            source.skipped["response"] += 1
            continue
        url = _href(soup, "a.p-canonical")
        date_from_name = _FILE_NAME.match(posixpath.basename(name))
        if isinstance(stamp, str) and stamp:
            try:
                date = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            except ValueError:
                raise FloorError(f"{name}: its date {stamp!r} is not a date") from None
        elif date_from_name and date_from_name.group(1):
            date = dt.datetime.fromisoformat(date_from_name.group(1)).replace(tzinfo=dt.UTC)
        else:
            source.skipped["story without a date"] += 1
            continue
        authors = [" ".join(a.get_text().split()) for a in soup.select("a.p-author")]  # in the footer
        for footer in body.find_all("footer"):
            if footer.select_one(".p-canonical, .p-author"):
                # Medium's own footer (By … on …, Canonical link, Exported from Medium on …) sits
                # after the story; a story whose HTML is cut short (a tag left open) nests it
                # inside, where it became the post's last lines and a link to the post itself
                footer.decompose()
        divider = body.select_one("div.section-divider")
        if divider is not None:
            divider.decompose()  # Medium's rule above the text
        repeated = body.find(["h3", "h4"], class_="graf--title")
        if isinstance(repeated, Tag) and " ".join(repeated.get_text().split()) == title:
            repeated.decompose()  # Medium repeats the title as the text's first heading
        kicker = body.find(["h4", "h3"], class_="graf--subtitle")
        said = " ".join(subtitle.get_text().split()) if subtitle is not None else ""
        if isinstance(kicker, Tag) and said and " ".join(kicker.get_text().split()) == said:
            kicker.decompose()  # and the subtitle under it: it is the quick answer, shown above the text
        source.posts.append(
            OldPost(
                title=title,
                html=body.decode_contents(),
                date=date if date.tzinfo else date.replace(tzinfo=dt.UTC),
                guid=url or f"medium:{name}",
                url=url,
                slug=medium_slug(url, name),
                labels=[
                    " ".join(a.get_text().split()) for a in soup.select("a.p-tag") if a.get_text().strip()
                ],
                excerpt_html=subtitle.decode_contents().strip() or None if subtitle is not None else None,
                authors=authors,
            )
        )
    return source
