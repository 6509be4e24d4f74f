"""Ghost's editor documents as HTML, for an export whose post has no ``html``.

Ghost keeps a post as a document of its editor — Lexical (Ghost 5+), Mobiledoc
(Ghost 1–4), Markdown (Ghost 0.x) — and renders ``html`` from it; an export
made by a tool, or by Ghost with HTML stripped, may hold only the document.
This renders the parts a post is made of (paragraphs, headings, lists, quotes,
links and text formats, images, code, embeds, audio and video, HTML and
Markdown cards, bookmarks, buttons, dividers); a card it does not know is
dropped and named in the report. Text is escaped; the HTML then goes through
the same cleaning as every import.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import markdown as markdown_lib

_LEXICAL_FORMATS = ((16, "code"), (1, "strong"), (2, "em"), (4, "s"), (8, "u"), (32, "sub"), (64, "sup"))


def _e(value: Any) -> str:
    return html.escape(value if isinstance(value, str) else "", quote=True)


def _markdown(text: str) -> str:
    return markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"])


def _media(kind: str, src: Any, caption: Any = "", alt: Any = "") -> str:
    """An image, audio or video card as HTML (a figure when it has a caption). An image keeps
    the alt text its card holds: dropped, the image read as decorative to a screen reader and
    Pelican warned of an empty alt in every build, for text the author had written."""
    if not isinstance(src, str) or not src:
        return ""
    if kind == "image":
        element = f'<img src="{_e(src)}" alt="{_e(alt)}">'
    else:
        element = f'<{kind} controls src="{_e(src)}"></{kind}>'
    if isinstance(caption, str) and caption.strip():
        return f"<figure>{element}<figcaption>{caption}</figcaption></figure>"
    return f"<figure>{element}</figure>" if kind == "image" else element


def _card(name: str, payload: dict[str, Any], dropped: list[str]) -> str:
    """One card of either editor (Lexical's decorator nodes have the same payloads)."""
    if name in ("markdown", "card-markdown"):
        return _markdown(payload.get("markdown") or "")
    if name == "html":
        return payload.get("html") or ""
    if name == "image":
        return _media("image", payload.get("src"), payload.get("caption"), payload.get("alt"))
    if name in ("audio", "video"):
        return _media(name, payload.get("src"), payload.get("caption"))
    if name in ("code", "codeblock"):
        language = payload.get("language") or ""
        marker = f' class="language-{_e(language)}"' if language else ""
        return f"<pre><code{marker}>{_e(payload.get('code'))}</code></pre>"
    if name == "embed":
        return payload.get("html") or ""
    if name == "bookmark":
        url = payload.get("url") or ""
        title = (payload.get("metadata") or {}).get("title") or url
        return f'<p><a href="{_e(url)}">{_e(title)}</a></p>' if url else ""
    if name == "button":
        url = payload.get("buttonUrl") or payload.get("url") or ""
        return f'<p><a href="{_e(url)}">{_e(payload.get("buttonText") or url)}</a></p>' if url else ""
    if name in ("hr", "horizontalrule"):
        return "<hr>"
    if name == "gallery":
        images = "".join(
            _media("image", i.get("src"), alt=i.get("alt"))
            for i in payload.get("images") or []
            if isinstance(i, dict)
        )
        return images
    if name in ("callout", "aside"):
        return f"<blockquote>{payload.get('calloutText') or ''}</blockquote>"
    if name == "toggle":
        return f"<h4>{payload.get('heading') or ''}</h4>{payload.get('content') or ''}"
    dropped.append(name)
    return ""


# --- Lexical (Ghost 5+) ---------------------------------------------------------------------


def _lexical_text(node: dict[str, Any]) -> str:
    text = _e(node.get("text"))
    bits = node.get("format") if isinstance(node.get("format"), int) else 0
    for bit, tag in _LEXICAL_FORMATS:
        if bits & bit:
            text = f"<{tag}>{text}</{tag}>"
    return text


def _lexical(nodes: Any, dropped: list[str]) -> str:
    out = []
    for node in nodes if isinstance(nodes, list) else []:
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        inner = _lexical(node.get("children"), dropped)
        if kind in ("text", "extended-text"):
            out.append(_lexical_text(node))
        elif kind == "linebreak":
            out.append("<br>")
        elif kind in ("link", "autolink"):
            out.append(f'<a href="{_e(node.get("url"))}">{inner}</a>')
        elif kind in ("paragraph", "extended-paragraph"):
            out.append(f"<p>{inner}</p>")
        elif kind in ("heading", "extended-heading"):
            tag = node.get("tag") if node.get("tag") in ("h1", "h2", "h3", "h4", "h5", "h6") else "h2"
            out.append(f"<{tag}>{inner}</{tag}>")
        elif kind in ("quote", "extended-quote", "aside"):
            out.append(f"<blockquote>{inner}</blockquote>")
        elif kind == "list":
            tag = "ol" if node.get("listType") == "number" else "ul"
            out.append(f"<{tag}>{inner}</{tag}>")
        elif kind == "listitem":
            out.append(f"<li>{inner}</li>")
        elif _web_hidden(node):
            dropped.append(_MEMBERS_ONLY)
        else:
            out.append(_card(str(kind), node, dropped))
    return "".join(out)


_MEMBERS_ONLY = "members only"


# --- Mobiledoc (Ghost 1–4) ------------------------------------------------------------------


def _markers(markers: Any, markups: list[Any], atoms: list[Any]) -> str:
    out, open_tags = [], []
    for marker in markers if isinstance(markers, list) else []:
        if not isinstance(marker, list) or len(marker) < 4:
            continue
        kind, opens, closes, value = marker[:4]
        for index in opens:
            tag, attributes = (markups[index] + [[]])[:2] if index < len(markups) else ("span", [])
            pairs = dict(zip(attributes[::2], attributes[1::2], strict=False))
            text_attributes = "".join(f' {_e(k)}="{_e(v)}"' for k, v in pairs.items() if k in ("href", "rel"))
            out.append(f"<{tag.lower()}{text_attributes}>")
            open_tags.append(tag.lower())
        if kind == 1 and isinstance(value, int) and value < len(atoms):  # an atom: its text
            out.append(_e(str(atoms[value][1]) if len(atoms[value]) > 1 else ""))
        else:
            out.append(_e(value))
        for _ in range(closes):
            if open_tags:
                out.append(f"</{open_tags.pop()}>")
    out += [f"</{tag}>" for tag in reversed(open_tags)]
    return "".join(out)


def _mobiledoc(document: dict[str, Any], dropped: list[str]) -> str:
    markups, atoms, cards = (
        document.get("markups") or [],
        document.get("atoms") or [],
        document.get("cards") or [],
    )
    out = []
    for section in document.get("sections") or []:
        if not isinstance(section, list) or not section:
            continue
        kind = section[0]
        if kind == 1 and len(section) >= 3:  # markup section
            tag = str(section[1]).lower()
            tag = tag if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "aside") else "p"
            tag = "blockquote" if tag == "aside" else tag
            out.append(f"<{tag}>{_markers(section[2], markups, atoms)}</{tag}>")
        elif kind == 3 and len(section) >= 3:  # list section
            tag = "ol" if str(section[1]).lower() == "ol" else "ul"
            items = "".join(f"<li>{_markers(item, markups, atoms)}</li>" for item in section[2])
            out.append(f"<{tag}>{items}</{tag}>")
        elif kind == 2 and len(section) >= 2:  # image section
            out.append(_media("image", section[1]))
        elif kind == 10 and len(section) >= 2 and isinstance(section[1], int) and section[1] < len(cards):
            name, payload = (cards[section[1]] + [{}])[:2]
            out.append(_card(str(name), payload if isinstance(payload, dict) else {}, dropped))
    return "".join(out)


def _load(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


# Ghost 5's "who can see this" on a card, as its HTML keeps it: Ghost cuts the block out for a
# visitor outside the segment when it serves the page; the export holds every block, for everyone.
_GATED = re.compile(
    r"<!--\s*kg-gated-block:begin\s+([^>]*?)\s*-->(.*?)<!--\s*kg-gated-block:end\s*-->", re.S | re.I
)
_OPEN_TO_VISITORS = re.compile(r"\bnonMember\s*:\s*[\"']?true\b", re.I)


def _ungated(text: str) -> tuple[str, int]:
    """The HTML a visitor who is not a member saw, and how many blocks were for members only.

    A block stays (without its markers) only when it says ``nonMember:true``; any other
    block, including one whose markers the kit cannot read, is left out: a paid part of a
    public post must never become free on the column."""
    left_out = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal left_out
        if _OPEN_TO_VISITORS.search(match.group(1)):
            return match.group(2)
        left_out += 1
        return ""

    return _GATED.sub(keep, text), left_out


def _members_note(count: int) -> str:
    return f"left out {count} part(s) Ghost showed only to members (its members-only blocks)"


def _web_hidden(node: dict[str, Any]) -> bool:
    """A Lexical card a visitor never saw on the web: shown only to members (``visibility.web``
    with ``nonMember: false``) or only in the email (the older ``showOnWeb: false``)."""
    seen = node.get("visibility")
    if not isinstance(seen, dict):
        return False
    web = seen.get("web")
    if isinstance(web, dict):
        return web.get("nonMember") is not True
    return seen.get("showOnWeb") is False


def post_html(post: dict[str, Any]) -> tuple[str, str | None]:
    """(the post's HTML, what it was made from: None for Ghost's own ``html``, else the note)."""
    if isinstance(post.get("html"), str) and post["html"].strip():
        text, gated = _ungated(post["html"])
        return text, _members_note(gated) if gated else None
    dropped: list[str] = []
    lexical = _load(post.get("lexical"))
    if isinstance(lexical, dict) and isinstance(lexical.get("root"), dict):
        made, source = _lexical(lexical["root"].get("children"), dropped), "Lexical"
    else:
        mobiledoc = _load(post.get("mobiledoc"))
        if isinstance(mobiledoc, dict) and "sections" in mobiledoc:
            made, source = _mobiledoc(mobiledoc, dropped), "Mobiledoc"
        elif isinstance(post.get("markdown"), str):
            made, source = _markdown(post["markdown"]), "Markdown"
        else:
            return "", "the export has no text for it (no html, lexical, mobiledoc or markdown)"
    note = f"made from its {source} document (the export has no HTML)"
    hidden = dropped.count(_MEMBERS_ONLY)
    unknown = sorted({d for d in dropped if d != _MEMBERS_ONLY})
    if hidden:
        note += "; " + _members_note(hidden)
    if unknown:
        note += "; dropped card(s) the kit does not know: " + ", ".join(unknown)
    return made, note
