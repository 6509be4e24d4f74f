"""WordPress shortcodes and auto-embeds, turned into the HTML WordPress itself would show.

A WordPress export keeps ``[caption]``, ``[gallery]``, ``[embed]``, ``[audio]``
and ``[video]`` as text (WordPress expands them when it shows a page), and a
URL alone on its line becomes a player (oEmbed). Left alone they would show
as raw brackets or plain text on the new site.
"""

from __future__ import annotations

import html
import re
import urllib.parse

from bs4 import BeautifulSoup

_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s\]]+))""")
_CAPTION = re.compile(r"\[(?:caption|wp_caption)([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]", re.DOTALL)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]")
_EMBED = re.compile(r"\[embed([^\]]*)\](.*?)\[/embed\]", re.DOTALL)
_MEDIA = re.compile(r"\[(audio|video)([^\]]*)\](?:(.*?)\[/\1\])?", re.DOTALL)
_WPCOM = re.compile(r"\[(youtube|vimeo)[= ]([^\]\s]+)[^\]]*\]")
_OTHER = re.compile(r"\[(\w[\w-]*)(?:\s+\w+=[^\]]*)?\](?:.*?\[/\1\])?", re.DOTALL)
_CAPTION_SPLIT = re.compile(r"^(.*(?:</a>|<img[^>]*>))(.*)$", re.DOTALL | re.IGNORECASE)
_FIGURE_IN_P = re.compile(r"<p>\s*(<figure\b.*?</figure>)\s*(?:<br\s*/?>\s*)?</p>", re.DOTALL | re.IGNORECASE)
_AUDIO_EXT = (".mp3", ".ogg", ".m4a", ".wav", ".oga", ".flac")
_VIDEO_EXT = (".mp4", ".webm", ".ogv", ".m4v", ".mov")
_URL = re.compile(r"^https?://\S+$")


def attrs(text: str) -> dict[str, str]:
    """A shortcode's attributes: key="value", key='value' or key=value."""
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(text)
    }


def _figure(inner: str, caption: str) -> str:
    caption = caption.strip()
    return (
        f"<figure>{inner.strip()}" + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>"
    )


def expand(text: str, attachments: dict[str, tuple[str, str]], children: list[str]) -> tuple[str, list[str]]:
    """(HTML with the shortcodes expanded, notes of what was converted or left as text)."""
    notes: list[str] = []

    def caption(match: re.Match[str]) -> str:
        options, inner = attrs(match.group(1)), match.group(2)
        split = _CAPTION_SPLIT.match(inner.strip())
        image, words = (split.group(1), split.group(2)) if split else (inner, "")
        notes.append("[caption] → figure with caption")
        return _figure(image, options.get("caption", "") or words)

    def gallery(match: re.Match[str]) -> str:
        options = attrs(match.group(1))
        ids = [i.strip() for i in options.get("ids", options.get("include", "")).split(",") if i.strip()]
        chosen = [attachments[i] for i in (ids or children) if i in attachments]
        if not chosen:
            notes.append("[gallery] dropped: its images are not in the export")
            return ""
        notes.append(f"[gallery] → {len(chosen)} image(s)")
        images = "".join(
            f'<img src="{html.escape(url, quote=True)}" alt="{html.escape(title, quote=True)}">'
            for url, title in chosen
        )
        return f"<figure>{images}</figure>"

    def embed(match: re.Match[str]) -> str:
        notes.append("[embed] converted")
        return f"<p>{match.group(2).strip()}</p>"

    def media(match: re.Match[str]) -> str:
        kind, options = match.group(1), attrs(match.group(2))
        src = options.get("src") or next(
            (v for k, v in options.items() if k in ("mp3", "ogg", "m4a", "wav", "mp4", "webm", "ogv")), ""
        )
        if not src:  # [audio https://…] names its file without a key
            src = next((w for w in match.group(2).split() if w.startswith(("http://", "https://"))), "")
        if not src:
            notes.append(f"[{kind}] dropped: no file named")
            return ""
        notes.append(f"[{kind}] → <{kind}>")
        return f'<figure><{kind} controls src="{html.escape(src, quote=True)}"></{kind}></figure>'

    def wpcom(match: re.Match[str]) -> str:
        kind, value = match.group(1), match.group(2)
        if kind == "vimeo" and value.isdigit():
            value = f"https://vimeo.com/{value}"
        notes.append(f"[{kind}] converted")
        return f"<p>{value}</p>"

    text = _CAPTION.sub(caption, text)
    text = _GALLERY.sub(gallery, text)
    text = _EMBED.sub(embed, text)
    text = _MEDIA.sub(media, text)
    text = _WPCOM.sub(wpcom, text)
    left = sorted({m.group(1) for m in _OTHER.finditer(text) if "=" in m.group(0) or "[/" in m.group(0)})
    if left:
        notes.append(f"left as text, unknown shortcode(s): {', '.join(left)}")
    return _FIGURE_IN_P.sub(r"\1", text), notes


def player_url(url: str) -> str | None:
    """The embeddable player of a YouTube or Vimeo page address, else None."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    video = None
    if host == "youtu.be":
        video = parts.path.strip("/").split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        query = urllib.parse.parse_qs(parts.query)
        if query.get("v"):
            video = query["v"][0]
        elif parts.path.startswith(("/embed/", "/shorts/", "/v/")):
            video = parts.path.split("/")[2]
    elif host == "vimeo.com" and parts.path.strip("/").isdigit():
        return f"https://player.vimeo.com/video/{parts.path.strip('/')}"
    if video and re.fullmatch(r"[\w-]{6,20}", video):
        return f"https://www.youtube-nocookie.com/embed/{video}"
    return None


def bare_urls_to_embeds(soup: BeautifulSoup, notes: list[str]) -> None:
    """A paragraph that is only an address: a player (YouTube, Vimeo, audio, video) or a link."""
    for block in soup.find_all(["p", "div"]):
        if block.find(["p", "div", "img", "iframe", "figure"]):
            continue
        words = block.get_text().strip()
        if not _URL.match(words):
            continue
        links = block.find_all("a")
        if links and any((a.get("href") or "").strip() != words for a in links):
            continue
        path = urllib.parse.urlsplit(words).path.lower()
        player = player_url(words)
        if player:
            new = soup.new_tag("iframe", src=player, width="560", height="315", allowfullscreen="")
            new["title"] = "Embedded video"
            notes.append("a video address → embedded player")
        elif path.endswith(_AUDIO_EXT + _VIDEO_EXT):
            kind = "audio" if path.endswith(_AUDIO_EXT) else "video"
            new = soup.new_tag(kind, src=words, controls="")
            notes.append(f"a {kind} file address → <{kind}>")
        else:
            if links:
                continue
            new = soup.new_tag("a", href=words)
            new.string = words
            paragraph = soup.new_tag("p")
            paragraph.append(new)
            block.replace_with(paragraph)
            notes.append("an address alone on its line (an embed on the old blog) → a link")
            continue
        block.replace_with(new)
