"""Turn a question into the HTML of its post section; reader text is made inert.

The question, details, asker and tags come from readers: the question and
asker are escaped; details may use Markdown, whose HTML is then cleaned by
nh3 (Ammonia) to a small allow-list. Answers are the author's own Markdown.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterable

import markdown
import nh3

from ..core import memo, unprintable
from ..core.i18n import ENGLISH, Language
from ..core.question import Question

MARKDOWN_EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.sane_lists"]

# What a reader's Markdown may produce: text structure and links, no media, no scripts.
READER_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
}
READER_ATTRIBUTES = {"a": {"href", "title"}}


_md: markdown.Markdown | None = None
_md_lock = threading.Lock()


# One line of words and plain punctuation, starting with a letter: no character in it can
# start any Markdown construct (or need escaping), so the HTML is that line in a paragraph.
# Most quick answers are such a line; tests/web/test_render.py checks the claim against Markdown.
_PLAIN_PUNCTUATION = frozenset(" .,;:'\"?!-()/%")


def _plain_line(text: str) -> str | None:
    if (
        text
        and text[0].isalpha()
        and text[-1] != " "  # Markdown keeps a trailing space, in ways not worth copying
        and all(c.isalnum() or c in _PLAIN_PUNCTUATION for c in text)
    ):
        return text
    return None


def _convert(text: str) -> str:
    """Markdown to HTML with one shared, reset instance (or none for a plain line).

    Building a ``markdown.Markdown`` (and registering its extensions) costs more
    than converting a typical answer, so the instance is made once; ``reset()``
    clears every per-document state (references, abbreviations, footnotes,
    the HTML stash), so the output equals a fresh instance's.
    """
    global _md
    line = _plain_line(text)
    if line is not None:
        return f"<p>{line}</p>"
    with _md_lock:
        if _md is None:
            _md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        return _md.reset().convert(text)


# Attributes a browser follows or loads; a value in one of these schemes runs code or hides a page.
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "background", "xlink:href", "data", "srcset", "cite"}
)
_LIVE_SCHEMES = ("javascript:", "vbscript:", "data:")
_NAME, _VALUE = r"""[^\s"'<>/=]+""", r"""(?:"[^"]*"|'[^']*'|[^\s"'<>]+)"""
_ATTRIBUTE = re.compile(rf"(\s+)({_NAME})(?:\s*=\s*({_VALUE}))?")
_TAG = re.compile(rf"<[A-Za-z][\w:-]*(?:\s+{_NAME}(?:\s*=\s*{_VALUE})?)*\s*/?>")
# what a browser ignores in a URL before reading its scheme: ASCII whitespace and control characters
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def _live(value: str) -> bool:
    url = _IGNORED_IN_URL.sub("", html.unescape(value)).casefold()
    return any(part.startswith(_LIVE_SCHEMES) for part in (url, *url.split(",")[1:]))


def inert_urls(markup: str) -> str:
    """``markup`` without any attribute whose URL is ``javascript:``, ``vbscript:`` or ``data:``.

    The author's Markdown is rendered as written, and an imported post is the
    author's too: a link written (or taken from an old blog) as
    ``[text](javascript:…)`` keeps its text and loses its address, on the page
    and in every feed. Entities and the whitespace browsers skip are read as a
    browser reads them, so ``java&#115;cript:`` or a tab inside does not pass.
    """
    if ":" not in markup:
        return markup

    def attribute(match: re.Match[str]) -> str:
        name, value = match.group(2).casefold(), match.group(3)
        if name in _URL_ATTRIBUTES and value is not None and _live(value.strip("\"'")):
            return ""
        return match.group(0)

    return _TAG.sub(lambda tag: _ATTRIBUTE.sub(attribute, tag.group(0)), markup)


# What no XML 1.0 document can hold: C0 controls but tab, newline and carriage return, the two
# noncharacters U+FFFE and U+FFFF, and lone surrogates. A line or page break that a word
# processor pastes as a vertical tab or form feed separates words, so it becomes a space.
_XML_BREAKS = re.compile(r"[\x0b\x0c]")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(markup: str) -> str:
    """``markup`` without the characters XML 1.0 has no place for.

    The author's answers go into every feed as written; one such character (pasted with a
    quick answer, or brought over by ``floor import`` from an old blog) made the feed writer
    refuse, and the whole build failed with a message that named no post. No browser shows
    them, so nothing a reader sees changes.
    """
    if _XML_BREAKS.search(markup):
        markup = _XML_BREAKS.sub(" ", markup)
    return _XML_ILLEGAL.sub("", markup) if _XML_ILLEGAL.search(markup) else markup


def _author_html(text: str) -> str:
    return xml_safe(inert_urls(_convert(text)))


def drop_unprintable(markup: str) -> str:
    """``markup`` without the characters intake takes out of a reader's text (core/unprintable.py:
    control characters, invisible format characters such as bidi overrides, noncharacters).

    A reader may write them as character references (``&#14;``, ``&#x202E;``): nh3 hands
    them back as the characters themselves, and one control character in a post made every
    feed unwritable (XML 1.0 has no place for it), so the whole build failed; a bidi override
    would reverse the text after it on the page.
    """
    return unprintable.drop(markup)


def _clean_reader(text: str) -> str:
    # nh3 lets ``java&#1;script:`` by as a relative address (it is no scheme); once the character
    # is dropped it is one, so the addresses are read again after (inert_urls, as a browser would)
    return inert_urls(
        drop_unprintable(
            nh3.clean(
                _convert(text),
                tags=READER_TAGS,
                attributes=READER_ATTRIBUTES,
                url_schemes={"http", "https", "mailto"},
                link_rel="nofollow noopener ugc",
            )
        )
    )


# The author's answers are kept between builds (memo.FOLDER); a reader's text is converted
# and cleaned afresh by every build.
AUTHOR_MARKDOWN_SALT = f"markdown {markdown.__version__} {MARKDOWN_EXTENSIONS} inert-urls xml-safe"
_author = memo.register("author-markdown", _author_html, keep=True, salt=AUTHOR_MARKDOWN_SALT)
_reader = memo.register("reader-markdown", _clean_reader, keep=False)


def author_markdown(text: str) -> str:
    """The author's Markdown, rendered as written (only a script-running URL is taken out)."""
    return _author(text or "")


def keep_author_markdown(text: str) -> None:
    """The kept rendering of the author's Markdown (or of the Markdown whose memo.Digest this
    is), if any, stays kept, unread (memo.Memo.touch_key)."""
    _author.touch_key(text or "")


def reader_markdown(text: str) -> str:
    """A reader's Markdown, with every tag and attribute outside the allow-list removed."""
    return _reader(text or "")


def one_line(text: str | None) -> str:
    """Reader text on one line, without what intake drops: a file edited by hand may still hold
    a control character, which no feed can carry (a vertical tab pasted from a word processor
    separates words, so it becomes a space first, as every other line break does). The spaces
    are joined again once dropped, as core/question.clean_tag does: a zero-width space between two
    spaces left two side by side."""
    line = " ".join((text or "").split())
    kept = unprintable.drop(line)
    return line if kept is line else " ".join(kept.split())


def plain(text: str | None) -> str:
    """Reader text as inert, escaped HTML on one line (:func:`one_line`)."""
    return html.escape(one_line(text), quote=True)


def asked_by(q: Question, lang: Language = ENGLISH) -> str:
    """Who asked, as HTML text: credited names (escaped), then how many other readers."""
    names = [plain(n) for n in q.credited_names]
    others = q.uncredited_count

    def text(message: str) -> str:
        return html.escape(message, quote=False)

    if not names:
        return text(lang.ngettext("a reader", "%(count)d readers", others)) % {"count": others}
    if not others:
        if len(names) == 1:
            return names[0]
        joined = text(lang.gettext("%(names)s and %(last)s"))
        return joined % {"names": ", ".join(names[:-1]), "last": names[-1]}
    message = lang.ngettext(
        "%(names)s and %(count)d other reader", "%(names)s and %(count)d other readers", others
    )
    return text(message) % {"names": ", ".join(names), "count": others}


def asked_line(q: Question, lang: Language = ENGLISH, *, markup: bool = True) -> str:
    """The line under a question: "Asked by … on <date>", or, for an old post the import
    brought over with no reader on record (Question.from_archive), "From the archive": the
    import knows neither who asked nor when, and the post may never have been a question.

    ``markup``: HTML (the date a ``<time>``), else the same words as plain text (the search index).
    """
    if q.from_archive:
        archive = lang.gettext("From the archive")
        return html.escape(archive, quote=False) if markup else archive
    line = lang.gettext("Asked by %(asker)s on %(date)s")
    if not markup:
        return line % {"asker": html.unescape(asked_by(q, lang)), "date": lang.date(q.asked)}
    return html.escape(line, quote=False) % {
        "asker": asked_by(q, lang),
        "date": f'<time datetime="{q.asked.isoformat()}">{html.escape(lang.date(q.asked))}</time>',
    }


def question_section(
    q: Question,
    *,
    heading_level: int = 2,
    anchor: bool = False,
    headline: bool = False,
    lang: Language = ENGLISH,
) -> str:
    """One Q&A as semantic HTML: question, who asked, quick answer, thoughtful answer
    (each answer's heading only when it has text: an imported post may lack either).

    ``headline``: the question is already the page's heading (a one-question
    post, whose ``<h1>`` the theme makes of it), so the section starts with the
    reader's details, if any, and who asked.
    """
    h = f"h{heading_level}"
    qid = html.escape(q.id, quote=True)

    def text(message: str) -> str:  # the catalogue's text, as HTML text
        return html.escape(message, quote=False)

    # (each label is a call of its own, outside the f-strings: that is where extraction finds it)
    question_label = text(lang.gettext("The question"))
    quick_label = text(lang.gettext("Quick answer"))
    thoughtful_label = text(lang.gettext("More thoughtful answer"))

    details = f'<div class="floor-details">{reader_markdown(q.details)}</div>' if q.details else ""
    if headline:
        opening = '<div class="floor-qa">' + (
            f'<blockquote class="floor-question">{details}</blockquote>' if details else ""
        )
        closing = "</div>"
    else:
        section_id = f' id="{qid}"' if anchor else ""
        opening = (
            f'<section class="floor-qa"{section_id} aria-labelledby="{qid}-question">'
            f'<{h} class="floor-label" id="{qid}-question">{question_label}</{h}>'
            f'<blockquote class="floor-question"><p class="floor-question-text">{plain(q.question)}</p>'
            f"{details}</blockquote>"
        )
        closing = "</section>"
    return (
        opening
        + '<p class="floor-asker">'
        + asked_line(q, lang)
        + "</p>"
        + (  # an imported post may have no quick answer yet: no empty heading then
            f'<{h} class="floor-label" id="{qid}-quick">{quick_label}</{h}>'
            f'<div class="floor-quick-answer">{author_markdown(q.quick_answer)}</div>'
            if (q.quick_answer or "").strip()
            else ""
        )
        + (  # and an old post may have had no text at all (a title alone): no empty heading either
            f'<{h} class="floor-label" id="{qid}-thoughtful">{thoughtful_label}</{h}>'
            f'<div class="floor-thoughtful-answer">{author_markdown(q.body)}</div>'
            if (q.body or "").strip()
            else ""
        )
        + closing
    )


def post_html(questions: Iterable[Question], lang: Language = ENGLISH) -> str:
    """The whole post body; several questions each get their own anchor."""
    items = list(questions)
    if len(items) == 1:  # the theme's <h1> is the question
        return question_section(items[0], headline=True, lang=lang)
    parts = [toc_html([(q.id, q.question) for q in items], lang)]
    parts += [question_section(q, heading_level=3, anchor=True, lang=lang) for q in items]
    return "".join(parts)


def toc_label(lang: Language = ENGLISH) -> str:
    return lang.gettext("Questions in this post")


def toc_html(items: Iterable[tuple[str, str]], lang: Language = ENGLISH) -> str:
    """Links to each question of a multi-question post."""
    links = "".join(
        f'<li><a href="#{html.escape(qid, quote=True)}">{plain(text)}</a></li>' for qid, text in items
    )
    label = html.escape(toc_label(lang), quote=True)
    return f'<nav class="floor-toc" aria-label="{label}"><ol>{links}</ol></nav>'


def summary_html(q: Question) -> str:
    """What lists and feeds show before 'read more': the question and the quick answer, on
    lines of their own, so a theme or feed reader that strips the tags (``summary|striptags``
    in a meta description, pelican-neighbors' links) reads "…tag? Bikes." and not "…tag?Bikes."."""
    return f'<p class="floor-question-text">{plain(q.question)}</p>' + (
        f'\n<div class="floor-quick-answer">{author_markdown(q.quick_answer)}</div>'
        if (q.quick_answer or "").strip()
        else ""
    )
