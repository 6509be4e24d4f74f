"""HTML to Markdown, for HTML-only emails and for posts imported from another blog.

The HTML is cleaned by nh3 (Ammonia) first, so no script, style or event
handler can survive into a question or post file, then converted by
markdownify: maintained, MIT-licensed and built on BeautifulSoup, which
Pelican's own importer also relies on (html2text, the other common choice,
is GPL-3, which an MIT kit should not pull in).
"""

from __future__ import annotations

import re

import nh3
from markdownify import MarkdownConverter

# What a reader's email may keep: the structure of text, and links.
READER_TAGS = frozenset(
    {"p", "br", "div", "em", "i", "strong", "b", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
)
# An imported post is the author's own: headings, images and tables stay.
AUTHOR_TAGS = frozenset(nh3.ALLOWED_TAGS) | {"figure", "figcaption"}

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|ul|ol|blockquote|pre|table|figure)\b", re.IGNORECASE)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def strip_comments(html: str) -> str:
    """HTML comments: WordPress block markers, issue-template hints, Outlook's conditionals."""
    return _COMMENT.sub("", html)


def autop(text: str) -> str:
    """WordPress stores posts without <p>: a blank line is a paragraph, a newline a <br>.

    Only applied when the text has no block-level tags of its own (older
    WordPress posts; Gutenberg posts carry explicit <p> elements).
    """
    if _BLOCK_TAG.search(text):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + p.replace("\n", "<br>\n") + "</p>\n" for p in paragraphs)


class _Converter(MarkdownConverter):
    """markdownify with ATX headings and '-' bullets, like the rest of the site's Markdown."""

    def __init__(self, **options) -> None:
        super().__init__(
            heading_style="ATX", bullets="-", escape_misc=False, newline_style="backslash", **options
        )


def to_markdown(html: str, *, reader: bool, wordpress: bool = False) -> str:
    """Clean ``html`` (a reader's allow-list or the author's), then convert it to Markdown."""
    html = strip_comments(html or "")
    if wordpress:
        html = autop(html)
    cleaned = nh3.clean(
        html,
        tags=set(READER_TAGS if reader else AUTHOR_TAGS),
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    markdown = _Converter().convert(cleaned)
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
