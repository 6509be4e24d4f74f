"""HTML to Markdown, for HTML-only emails and for posts imported from another blog.

The HTML is cleaned by nh3 (Ammonia) first, so no script, style or event
handler can survive into a question or post file, then converted by
markdownify, configured for Python-Markdown (the site's renderer): hard breaks
as two trailing spaces (Python-Markdown has no backslash break), list content
indented by four spaces, code inside a list item as an indented block (a fence
only works at the top level), and text that looks like HTML or an entity
escaped, so an old post that *showed* ``<script>`` does not get a live one.

An imported post is the author's own: figures, allow-listed embeds and tables
that Markdown cannot express are kept as sanitised HTML blocks, which
Python-Markdown passes through. docs/intake.md records why markdownify and not
pandoc (the bench compares both).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field

import nh3
from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from . import import_shortcodes

# What a reader's email may keep: the structure of text, and links.
READER_TAGS = frozenset(
    {"p", "br", "div", "em", "i", "strong", "b", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
)
EMBED_TAGS = frozenset({"iframe", "video", "audio", "source"})
# An imported post is the author's own: headings, images, tables, figures and embeds stay.
AUTHOR_TAGS = frozenset(nh3.ALLOWED_TAGS) | {"figure", "figcaption"} | EMBED_TAGS
EMBED_ATTRIBUTES = {
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "loading"},
    "video": {"src", "controls", "width", "height", "poster", "preload"},
    "audio": {"src", "controls", "preload"},
    "source": {"src", "type"},
}
# Hosts whose players an imported post may embed (an iframe elsewhere is dropped, and said so).
EMBED_HOSTS = frozenset(
    {
        "www.youtube.com",
        "youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "w.soundcloud.com",
        "open.spotify.com",
        "www.dailymotion.com",
        "player.twitch.tv",
        "bandcamp.com",
    }
)
_DANGEROUS = ("script", "style", "object", "embed", "form", "applet")

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
# An alt that is only a picture's file name: WordPress gives an uploaded picture its file name as
# title, and its editor (and [gallery]) turns that title into the alt. "dsc20050727_091048_222",
# "IMG_1234.JPG", "20190101_120000", "sunset.jpg"; and the stock text some cameras write into every
# picture. None of them describes anything.
_IMAGE_EXT = r"\.(?:jpe?g|png|gif|webp|heic|heif|tiff?|bmp|avif|svg)"
_CAMERA_FILE_NAME = re.compile(
    r"(?:dsc[nf]?|img|pict?|p|pxl|mvimg|dcim|gopr|photo|image|screenshot)[ _-]?[\d_. -]*\d[\d_. -]*"
    rf"(?:{_IMAGE_EXT})?|[\d_. -]*(?:\d[\d_. -]*){{6,}}(?:{_IMAGE_EXT})?|[^\s/]+{_IMAGE_EXT}",
    re.IGNORECASE,
)
_CAMERA_STOCK_TEXT = {"olympus digital camera", "digital camera", "sony dsc"}


def only_a_file_name(alt: str) -> bool:
    """Whether an image's alt is a file name or a camera's stock text rather than a description.

    A screen reader would read it out, and the build's warning about a picture without a
    description would never come up for it, so the import gives such a picture an empty alt.
    """
    said = alt.strip()
    return bool(said) and (
        said.lower() in _CAMERA_STOCK_TEXT or _CAMERA_FILE_NAME.fullmatch(said) is not None
    )


_DYNAMIC_BLOCK = re.compile(r"<!--\s*wp:([\w/-]+)(?:\s+\{.*?\})?\s*/-->", re.DOTALL)
_LINE_WITH_CONTENT = re.compile(r"^(.*)", re.MULTILINE)
_LOOKS_LIKE_HTML = re.compile(r"<(?=[A-Za-z/!?])")
_LOOKS_LIKE_ENTITY = re.compile(r"&(?=#?\w+;)")
# Python-Markdown's backslash escapes for what starts a link, an image, a reference or a code span
_MARKDOWN_SYNTAX = re.compile(r"([\[\]`])")
_RAW = "FLOORRAWBLOCK{}END"
_RAW_INLINE = re.compile(r"[ \t]*FLOORRAWBLOCK(\d+)END[ \t]*")
_RAW_PARAGRAPH = re.compile(r"^([ \t]*)FLOORRAWBLOCK(\d+)END$", re.MULTILINE)


@dataclass
class Conversion:
    """A post's Markdown and what the conversion kept, dropped or changed (for the import report)."""

    markdown: str
    notes: list[str] = field(default_factory=list)


def title_text(raw: str) -> str:
    """A title written in HTML (WordPress's are: ``Title <em>With</em> Markup``) as the words a
    reader sees: tags dropped, entities decoded, spaces collapsed. A question is text, escaped
    wherever it is shown, so none of the export's markup reaches a page as markup."""
    if "<" not in raw and "&" not in raw:
        return " ".join(raw.split())
    soup = BeautifulSoup(raw, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    return " ".join(soup.get_text().split())


_SHOWN_WITHOUT_TEXT = ("img", "picture", "video", "audio", "iframe", "embed", "object", "svg", "table", "hr")


def has_content(html: str) -> bool:
    """Whether a post's HTML shows anything: some text, or a picture, a player, a table…"""
    if not html.strip():
        return False
    soup = BeautifulSoup(html, "html.parser")
    return bool(soup.get_text().strip()) or soup.find(_SHOWN_WITHOUT_TEXT) is not None


def strip_comments(html: str) -> str:
    """HTML comments: WordPress block markers, issue-template hints, Outlook's conditionals."""
    return _COMMENT.sub("", html)


_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    "blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|"
    "footer|nav|figure|figcaption|details|menu|summary|iframe|video|audio|object"
)
_BEFORE_BLOCK = re.compile(rf"(<(?:{_BLOCKS})[\s/>])", re.IGNORECASE)
_AFTER_BLOCK = re.compile(rf"(</(?:{_BLOCKS})>)", re.IGNORECASE)
_STARTS_BLOCK = re.compile(
    rf"^</?(?:{_BLOCKS})[\s/>]|^\[(?:caption|gallery|embed|audio|video)\b", re.IGNORECASE
)
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)


def autop(text: str) -> str:
    """WordPress stores classic posts without <p>: a blank line is a paragraph, a newline a <br>.

    Like WordPress's own wpautop: text between block-level tags is wrapped in
    <p>, <pre> is left as it is. Block-editor (Gutenberg) posts carry their
    own <p> and are not touched.
    """
    if "<!-- wp:" in text:
        return text
    kept: list[str] = []

    def protect(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\nFLOORPRE{len(kept) - 1}END\n\n"

    text = _PRE.sub(protect, text.replace("\r\n", "\n"))
    text = _AFTER_BLOCK.sub("\\1\n\n", _BEFORE_BLOCK.sub("\n\n\\1", text))
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_BLOCK.match(chunk) or re.fullmatch(r"FLOORPRE\d+END", chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    joined = "\n".join(out)
    return re.sub(r"FLOORPRE(\d+)END", lambda m: kept[int(m.group(1))], joined)


def embed_allowed(url: str | None) -> bool:
    """An address on one of the allow-listed player hosts (an old http:// one is upgraded)."""
    if not url:
        return False
    parts = urllib.parse.urlsplit(url.strip())
    return parts.scheme in ("https", "http") and (parts.hostname or "") in EMBED_HOSTS


def _https(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    return urllib.parse.urlunsplit(("https", *parts[1:]))


class _Converter(MarkdownConverter):
    """markdownify for Python-Markdown: ATX headings, '-' bullets, 4-space list content."""

    def __init__(self, **options) -> None:
        super().__init__(
            heading_style="ATX",
            bullets="-",
            escape_misc=False,
            newline_style="spaces",
            table_infer_header=True,
            **options,
        )

    def escape(self, text: str, parent_tags) -> str:  # type: ignore[override]
        # a backslash first (markdownify's own escapes add some), then its '*' and '_', then what
        # makes a link, an image or a code span: text that *showed* "[md](javascript:…)" stays text
        text = super().escape(text.replace("\\", "\\\\"), parent_tags)
        text = _MARKDOWN_SYNTAX.sub(r"\\\1", text)
        # Python-Markdown would read "<tag" as raw HTML and "&amp;" as an entity: keep them text
        return _LOOKS_LIKE_HTML.sub("&lt;", _LOOKS_LIKE_ENTITY.sub("&amp;", text))

    def convert_li(self, el, text, parent_tags) -> str:  # type: ignore[override]
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = parent.get("start")
            first = int(start) if start and str(start).isnumeric() else 1
            bullet = f"{first + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        indented = _LINE_WITH_CONTENT.sub(lambda m: "    " + m.group(1) if m.group(1) else "", text)
        # an item of several blocks (a code block, paragraphs) ends with a blank line, or the next
        # item would be read as part of its last block
        end = "\n\n" if "\n\n" in text else "\n"
        return f"{bullet} {indented[4:]}{end}"

    def convert_pre(self, el, text, parent_tags) -> str:  # type: ignore[override]
        if "li" not in parent_tags:
            return super().convert_pre(el, text, parent_tags)
        code = (text or "").strip("\n")
        return "\n\n" + "\n".join("    " + line if line else "" for line in code.split("\n")) + "\n\n"


def _tidy(markdown: str) -> str:
    """Trailing spaces go, except a hard break's two before a line that goes on."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    out = []
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if stripped.strip() and line.endswith("  ") and following:
            stripped += "  "
        out.append(stripped)
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(out)).strip("\n")


def to_markdown(html: str, *, reader: bool, wordpress: bool = False) -> str:
    """Clean ``html`` (a reader's allow-list or the author's), then convert it to Markdown."""
    if reader:
        cleaned = nh3.clean(
            strip_comments(html or ""),
            tags=set(READER_TAGS),
            url_schemes={"http", "https", "mailto"},
            link_rel=None,
        )
        return _tidy(_Converter().convert(cleaned))
    return convert_post(html, wordpress=wordpress).markdown


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element == "iframe" and attribute == "src":
        return _https(value) if embed_allowed(value) else None
    return value


def _count(soup: BeautifulSoup, names: tuple[str, ...]) -> dict[str, int]:
    return {name: n for name in names if (n := len(soup.find_all(name)))}


def _shift_headings(soup: BeautifulSoup, top: int) -> int:
    """The post's highest heading becomes ``top`` (it sits under the page's own headings)."""
    headings = soup.find_all(re.compile(r"^h[1-6]$"))
    if not headings:
        return 0
    shift = top - min(int(h.name[1]) for h in headings)
    if shift > 0:
        for heading in headings:
            heading.name = f"h{min(6, int(heading.name[1]) + shift)}"
    return max(shift, 0)


def _complex_table(table: Tag) -> bool:
    """A table a pipe table cannot express: merged cells, block content or no rows to speak of."""
    cells = table.find_all(["td", "th"])
    return (
        not cells
        or any(c.get("colspan") not in (None, "1") or c.get("rowspan") not in (None, "1") for c in cells)
        or any(c.find(["p", "ul", "ol", "table", "pre", "blockquote", "br", "img"]) for c in cells)
    )


def _raw(element: Tag) -> str:
    return " ".join(str(element).split()) if element.name != "pre" else str(element)


def convert_post(
    html: str,
    *,
    wordpress: bool = False,
    attachments: dict[str, tuple[str, str]] | None = None,
    children: list[str] | None = None,
) -> Conversion:
    """An imported post's HTML → Markdown for Python-Markdown, with notes of what changed."""
    notes: list[str] = []
    text = html or ""
    if "<!-- wp:" in text:
        notes.append("Gutenberg block markers removed")
        dynamic = sorted(set(_DYNAMIC_BLOCK.findall(text)))
        if dynamic:  # WordPress renders these when a page is viewed: the export has nothing to show
            notes.append(
                "dropped dynamic WordPress block(s), which have no content in the export: "
                + ", ".join(dynamic)
            )
    text = strip_comments(text)
    if wordpress:  # as WordPress shows a post: paragraphs first, then shortcodes
        text = autop(text)
        text, shortcode_notes = import_shortcodes.expand(text, attachments or {}, children or [])
        notes += shortcode_notes
    before = BeautifulSoup(text, "html.parser")
    dropped = _count(before, _DANGEROUS)
    for name, n in dropped.items():
        notes.append(f"dropped {n} <{name}>")
    iframes = before.find_all("iframe")
    blocked = [f.get("src") or "" for f in iframes if not embed_allowed(f.get("src"))]
    if blocked:
        hosts = sorted({urllib.parse.urlsplit(s).hostname or "?" for s in blocked})
        notes.append(f"dropped {len(blocked)} iframe(s) from hosts not on the allow-list: {', '.join(hosts)}")
    import_shortcodes.bare_urls_to_embeds(before, notes)
    attributes = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes.update(EMBED_ATTRIBUTES)
    cleaned = nh3.clean(
        str(before),
        tags=set(AUTHOR_TAGS),
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        attribute_filter=_attribute_filter,
    )
    soup = BeautifulSoup(cleaned, "html.parser")
    for frame in soup.find_all("iframe"):
        if not frame.get("src"):
            frame.decompose()
    unnamed = 0
    for image in soup.find_all("img"):
        # A picture kept as HTML (in a figure) without any alt: a screen reader reads its file name
        # out, the page is not valid HTML, and Pelican's build never names it for the author. An
        # empty alt says "not described yet", as markdownify's ![](…) already does for the rest.
        if not image.has_attr("alt"):
            image["alt"] = ""
        elif only_a_file_name(str(image["alt"])):
            image["alt"] = ""
            unnamed += 1
    if unnamed:
        notes.append(f"{unnamed} picture(s) whose alt text was only a file name now have none, to describe")
    shift = _shift_headings(soup, 3)
    if shift:
        notes.append(f"headings moved down {shift} level(s), under the page's own")
    raw: list[str] = []

    def keep(element: Tag, what: str) -> None:
        marker = soup.new_tag("p")
        marker.string = _RAW.format(len(raw))
        raw.append(_raw(element))
        element.replace_with(marker)
        notes.append(what)

    for figure in soup.find_all("figure"):
        if figure.parent is not None and not figure.find_parent("figure"):
            keep(figure, "kept a figure as HTML")
    for media in soup.find_all(["iframe", "video", "audio"]):
        if media.parent is not None:
            wrapper = soup.new_tag("figure")
            media.wrap(wrapper)
            keep(wrapper, f"kept an embedded {media.name} as HTML")
    for table in soup.find_all("table"):
        if table.parent is not None and not table.find_parent("table") and _complex_table(table):
            keep(table, "kept a table with merged cells or blocks as HTML")
    for listing in soup.find_all(["ul", "ol"]):  # Markdown would join two lists in a row into one
        before_it = listing.find_previous_sibling()
        if before_it is not None and before_it.name == listing.name and not _text_between(before_it, listing):
            marker = soup.new_tag("p")
            marker.string = _RAW.format(len(raw))
            raw.append("<!-- -->")
            listing.insert_before(marker)
    # superscript and subscript stay (E = mc², H₂O, 1st, a footnote's mark): as text they would
    # say mc2 and H2O; Python-Markdown passes the inline tags through
    markdown = _tidy(_Converter(sup_symbol="<sup>", sub_symbol="<sub>").convert(str(soup)))
    markdown = _RAW_PARAGRAPH.sub(lambda m: m.group(1) + raw[int(m.group(2))], markdown)
    # a block kept inside inline markup (a layout table in a <span>) ends up mid-line: its own block
    markdown = _RAW_INLINE.sub(lambda m: "\n\n" + raw[int(m.group(1))] + "\n\n", markdown)
    markdown = _MANY_BLANK_LINES.sub("\n\n", markdown).strip("\n")
    return Conversion(markdown, _summarise(notes))


def _text_between(first: Tag, second: Tag) -> bool:
    node = first.next_sibling
    while node is not None and node is not second:
        if str(node).strip():
            return True
        node = node.next_sibling
    return False


def _summarise(notes: list[str]) -> list[str]:
    """Repeated notes once, with a count."""
    counts: dict[str, int] = {}
    for note in notes:
        counts[note] = counts.get(note, 0) + 1
    return [note if n == 1 else f"{note} (x{n})" for note, n in counts.items()]
