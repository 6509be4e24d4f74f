"""Pictures and sound that an old post shows only with its platform's scripts, made plain HTML.

Squarespace, Medium and many WordPress themes load images lazily: the ``<img>``
has its address in ``data-src`` / ``data-image`` / ``srcset`` and a
``<noscript>`` twin with the real ``src`` for browsers without scripts. Without
the scripts the first shows nothing and the twin's markup turns into text. A
podcast's episode is an enclosure beside the post (a feed's ``<enclosure>``,
WordPress's ``enclosure`` field, Substack's ``podcast_url``), not in its text,
and its player is often an iframe from a host the kit does not embed.

``prepare`` runs before the HTML → Markdown conversion: every image gets its
picture as ``src``, a twin is dropped, each enclosure becomes an ``<audio>`` or
``<video>`` element (or a link, for other files), a podcast player from another
host becomes the audio it plays or a link to it, and the notes say so.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from .html_markdown import embed_allowed

# Where lazy-loading scripts keep the picture, most specific first.
_LAZY_SOURCES = ("data-src", "data-image", "data-lazy-src", "data-original", "data-url", "data-full-url")
_LAZY_SRCSETS = ("data-srcset", "data-lazy-srcset", "srcset")
# Players of podcast hosts: when the post has the episode's audio, the audio replaces the player.
_PODCAST_PLAYERS = (
    "libsyn.com",
    "anchor.fm",
    "podbean.com",
    "buzzsprout.com",
    "simplecast.com",
    "megaphone.fm",
    "captivate.fm",
    "transistor.fm",
    "spreaker.com",
    "podomatic.com",
    "omny.fm",
    "substack.com",
)


@dataclass(frozen=True)
class Enclosure:
    """A file the old post carried beside its text: an episode's audio, a video, a document."""

    url: str
    type: str = ""  # its MIME type, as the source says it


def _placeholder(src: str | None) -> bool:
    """No picture: missing, empty, or a lazy loader's stand-in (a ``data:`` pixel, a spacer)."""
    return not src or not src.strip() or src.startswith("data:") or "spacer" in src or "blank.gif" in src


def _largest(srcset: str) -> str | None:
    """The widest candidate of a ``srcset`` ("a.jpg 300w, b.jpg 1200w"), else its last."""
    best, best_width = None, -1.0
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        width = 0.0
        if len(parts) > 1 and parts[1][:-1].replace(".", "", 1).isdigit():
            width = float(parts[1][:-1]) * (1000 if parts[1].endswith("x") else 1)
        if width >= best_width:
            best, best_width = parts[0], width
    return best


def _picture(img: Tag) -> str | None:
    for name in _LAZY_SOURCES:
        value = img.get(name)
        if isinstance(value, str) and value.strip() and not value.startswith("data:"):
            return value.strip()
    for name in _LAZY_SRCSETS:
        value = img.get(name)
        if isinstance(value, str) and value.strip():
            found = _largest(value)
            if found and not found.startswith("data:"):
                return found
    return None


def _lazy_images(soup: BeautifulSoup, notes: list[str]) -> None:
    fixed = 0
    for img in soup.find_all("img"):
        if _placeholder(img.get("src")):  # type: ignore[arg-type]
            picture = _picture(img)
            if picture:
                img["src"] = picture
                fixed += 1
    twins = 0
    for noscript in soup.find_all("noscript"):
        inner = BeautifulSoup(noscript.decode_contents(), "html.parser")
        pictures = [i.get("src") for i in inner.find_all("img") if i.get("src")]
        around = noscript.parent.find_all("img") if isinstance(noscript.parent, Tag) else []
        shown = {i.get("src") for i in around if i.find_parent("noscript") is None}
        if pictures and (set(pictures) <= shown or len(around) > len(pictures)):
            noscript.decompose()  # the script-free twin of an image already shown
            twins += 1
        else:
            noscript.replace_with(inner)  # what a browser without scripts shows: keep it as HTML
    if fixed:
        notes.append(f"lazy-loaded image(s) given their picture: {fixed}")
    if twins:
        notes.append(f"dropped {twins} <noscript> twin(s) of lazy-loaded images")


def _kind(enclosure: Enclosure) -> str:
    mime = enclosure.type.lower()
    path = urllib.parse.urlsplit(enclosure.url).path.lower()
    if mime.startswith("audio/") or path.endswith((".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".aac")):
        return "audio"
    if mime.startswith("video/") or path.endswith((".mp4", ".m4v", ".webm", ".mov", ".ogv")):
        return "video"
    return "link"


def _players(soup: BeautifulSoup, has_audio: bool, notes: list[str]) -> None:
    for frame in soup.find_all("iframe"):
        src = frame.get("src")
        if not isinstance(src, str) or embed_allowed(src):
            continue
        host = urllib.parse.urlsplit(src).hostname or ""
        podcast = any(host == h or host.endswith("." + h) for h in _PODCAST_PLAYERS)
        if podcast and has_audio:
            frame.decompose()
            notes.append(f"the {host} player is replaced by the episode's own audio file")
        elif src.startswith(("https://", "http://")):
            link = soup.new_tag("a", href=src)
            link.string = f"Listen or watch on {host}" if podcast else f"Open the embedded content on {host}"
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            frame.replace_with(paragraph)
            notes.append(f"an embedded player from {host} became a link")


def prepare(html: str, enclosures: list[Enclosure] | tuple[Enclosure, ...] = ()) -> tuple[str, list[str]]:
    """The post's HTML with its pictures and media made plain, and the notes for the report."""
    notes: list[str] = []
    if not html and not enclosures:
        return html, notes
    soup = BeautifulSoup(html or "", "html.parser")
    _lazy_images(soup, notes)
    present = {str(t.get("src")) for t in soup.find_all(["audio", "video", "source"]) if t.get("src")}
    kinds = [(e, _kind(e)) for e in enclosures if e.url.startswith(("https://", "http://"))]
    _players(soup, any(kind == "audio" for _, kind in kinds), notes)
    for enclosure, kind in kinds:
        if enclosure.url in present or enclosure.url.split("?", 1)[0] in (html or ""):
            continue  # the text plays or links it already (a WordPress [audio] shortcode, a link)
        if kind == "link":
            element = soup.new_tag("p")
            link = soup.new_tag("a", href=enclosure.url)
            link.string = posixpath_name(enclosure.url)
            element.append(link)
            notes.append(
                f"attached file ({enclosure.type or 'unknown type'}) kept as a link: {enclosure.url}"
            )
        else:
            element = soup.new_tag(kind, src=enclosure.url, controls="", preload="none")
            notes.append(f"kept its {kind} ({enclosure.type or kind}) as <{kind}>: {enclosure.url}")
        if kind == "audio":  # an episode's player first, as its page showed it
            soup.insert(0, element)
        else:
            soup.append(element)
        present.add(enclosure.url)
    # untouched HTML is returned as it came: html.parser would nest WordPress's unclosed <li>s
    return (str(soup) if notes else html), notes


# An address in an attribute: src, href, poster and the lazy-loading scripts' own (quoted either way).
_ADDRESS = re.compile(
    r"""(?P<lead>\s(?:src|href|poster|"""
    + "|".join(re.escape(a) for a in _LAZY_SOURCES)
    + r""")\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""",
    re.IGNORECASE,
)
_SRCSET = re.compile(
    r"""(?P<lead>\s(?:"""
    + "|".join(re.escape(a) for a in _LAZY_SRCSETS)
    + r""")\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")


def _resolved(url: str, base: str) -> str | None:
    """``url`` made absolute against ``base``; None when it already is, or is an anchor or empty."""
    value = url.strip()
    if not value or value.startswith("#") or _SCHEME.match(value):
        return None
    return urllib.parse.urljoin(base, value)


def absolute_addresses(html: str, base: str | None) -> tuple[str, int]:
    """The post's relative addresses (``/wp-content/uploads/x.jpg``, ``images/x.png``, ``//cdn…``)
    made absolute against the old post's own address, as its page resolved them.

    On the column's site a relative picture or link would point at the column's host, where
    nothing is: pictures stay at their old addresses (nothing is downloaded), so they keep their
    old host. The HTML is edited as text, attribute by attribute, never re-serialised (a parser
    would nest WordPress's unclosed ``<li>``). Returns the HTML and how many addresses changed.
    """
    if not html or not base or not base.lower().startswith(("http://", "https://")):
        return html, 0
    changed = 0

    def one(match: re.Match[str]) -> str:
        nonlocal changed
        made = _resolved(match.group("url"), base)
        if made is None:
            return match.group(0)
        changed += 1
        return f"{match.group('lead')}{match.group('q')}{made}{match.group('q')}"

    def candidates(match: re.Match[str]) -> str:
        nonlocal changed
        parts = []
        for candidate in match.group("url").split(","):
            words = candidate.split()
            made = _resolved(words[0], base) if words else None
            if made is not None:
                changed += 1
                words[0] = made
            parts.append(" ".join(words))
        return f"{match.group('lead')}{match.group('q')}{', '.join(parts)}{match.group('q')}"

    def tag(match: re.Match[str]) -> str:  # only inside a tag: `src="/x"` written as text stays
        return _SRCSET.sub(candidates, _ADDRESS.sub(one, match.group(0)))

    return _TAG.sub(tag, html), changed


def posixpath_name(url: str) -> str:
    """A file's name from its address, for a link's text."""
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path.rsplit("/", 1)[-1]) or url
