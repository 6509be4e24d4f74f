"""schema.org structured data for a post, true to what the page shows.

Each post is a ``BlogPosting`` — an author's article — whose ``mainEntity``
is the reader's ``Question`` with the author's ``acceptedAnswer``. It is not
a ``QAPage`` (Google keeps that for pages where users submit answers) nor a
``FAQPage`` (no longer shown as a rich result): claiming either would
describe a page this is not.

Reader text ends up inside ``<script type="application/ld+json">``;
:func:`script_json` escapes ``<``, ``>`` and ``&`` as JSON ``\\u`` escapes,
so no question can close the element or open a comment, while every JSON-LD
parser still reads the exact text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from ..core import memo
from ..core.question import Question
from . import render

CONTEXT = "https://schema.org"

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "tr",
        "table",
    }
)
_SKIP = frozenset({"script", "style", "template"})
_BREAK = "\x00"  # a block boundary; real newlines inside a paragraph are just spaces


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace(_BREAK, ""))


_PLAIN_PARAGRAPH = re.compile(r"<p>([^<>&]*)</p>")


# What Markdown makes of most answers (paragraphs, lists, tables, links, emphasis, code) is tags
# whose attributes are plain, with no entity, comment or script: for such markup the tags alone
# decide the text, and one regular expression finds them where html.parser does (a start tag's
# end is its last ``>`` once quoted values are passed over; an end tag is ``</name>``). HTML's
# own whitespace only ([ \t\n\r\f]): html.parser reads a name up to those, not up to a
# no-break space. Any other ``<`` (a tag this does not take apart), an ``&``, a NUL, or a tag
# whose name starts as one of _NOT_MARKUP's: the markup is parsed.
_WS = "[ \t\n\r\f]"
_ATTRIBUTES = (
    rf"(?:{_WS}+[a-zA-Z_:][-a-zA-Z0-9_:.]*"
    rf"(?:{_WS}*={_WS}*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'=<>`]+))?)*{_WS}*/?"
)
_SIMPLE_TAG = re.compile(rf"<(?:([a-zA-Z][a-zA-Z0-9]*){_ATTRIBUTES}|/([a-zA-Z][a-zA-Z0-9]*){_WS}*)>")
# Elements whose content is not read as markup: script and style by every html.parser, textarea
# and title by those of Python 3.11.13 and later (their text keeps its tags as text there), and
# template, whose content _Text skips; with any the running parser adds.
_NOT_MARKUP = sorted(
    {"script", "style", "textarea", "title", "template"}
    | set(HTMLParser.CDATA_CONTENT_ELEMENTS)
    | set(getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))
)
_RAW_TEXT = re.compile(rf"<[ \t\n\r\f]*/?[ \t\n\r\f]*(?:{'|'.join(_NOT_MARKUP)})", re.IGNORECASE)


def _break_or_nothing(tag: re.Match[str]) -> str:
    return _BREAK if (tag[1] or tag[2]).lower() in _BLOCKS else ""


def _simple_text(markup: str) -> str | None:
    """:func:`_parsed_text` of markup made only of simple tags and text, without html.parser
    (about a third of its time); None for any other markup."""
    if "&" in markup or _BREAK in markup or _RAW_TEXT.search(markup):
        return None
    text = _SIMPLE_TAG.sub(_break_or_nothing, markup)
    if "<" in text:
        return None
    return _paragraphs(text)


def _text_of(markup: str) -> str:
    plain = _PLAIN_PARAGRAPH.fullmatch(markup)
    if plain is not None:  # what render makes of a plain line: no tag or entity to parse
        return " ".join(plain.group(1).split())
    simple = _simple_text(markup)
    return simple if simple is not None else _parsed_text(markup)


def _parsed_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return _paragraphs("".join(parser.parts))


def _paragraphs(text: str) -> str:
    """The blocks between breaks, each with its whitespace made single spaces; empty ones dropped."""
    paragraphs = []
    for block in text.split(_BREAK):
        words = " ".join(block.split())
        if words:
            paragraphs.append(words)
    return "\n\n".join(paragraphs)


# The rules of the standard library's html.parser, which decides the text wherever the shortcuts
# above leave the markup to it (and which they must equal): they change between Python patch
# releases (3.11.13 reads <title>'s and <textarea>'s contents as text) and with a distribution's
# patch at the same number, so the interpreter's whole version string, its build included (as in
# the build manifest's key), names them. A kit on another Python works the text out again.
PARSER_RULES = f"{sys.implementation.name} {sys.version}"

# Pure and slow (html.parser), and every build asks it for every answer again: memoised,
# and kept between builds (bump the number when _text_of changes what it returns).
_text_memo = memo.register("html-text", _text_of, keep=True, salt=f"html-text 2 {PARSER_RULES}")


def html_to_text(markup: str) -> str:
    """Readable plain text: blocks become paragraphs, inline markup disappears."""
    return _text_memo(markup or "")


@dataclass(frozen=True)
class QA:
    """One question and its answer, as plain text ready for structured data."""

    qid: str
    question: str
    text: str
    asked: dt.date | None  # None: an old post from the archive, asked by no reader on record
    asker: str | None
    answer: str
    # the id of the answer's heading on the page, which the Answer's url points at: the quick
    # answer's, or the longer answer's where an imported post has no quick answer ("" for none)
    answer_id: str = ""


def qa_from_question(q: Question) -> QA:
    """The question as the reader asked it (details included) and both answers, as text."""
    asked = None if q.from_archive else q.asked
    return qa_from_fields(q.id, q.question, q.details, q.quick_answer, q.body, asked, q.public_asker)


def _answer_text(answer: str) -> str:
    """The memo's pure function: the author's Markdown → its text (through its HTML)."""
    return _text_of(render.author_markdown(answer))


# Each answer's text, keyed by its Markdown (not by its HTML, like html-text): a post kept whole
# keeps it without reading it (keep_answers), and it is kept between builds like the HTML.
_answer_memo = memo.register(
    "answer-text",
    _answer_text,
    keep=True,
    salt=f"answer-text 1 {render.AUTHOR_MARKDOWN_SALT} {_text_memo.salt}",
)
# What an answer's text depends on besides its Markdown (Python-Markdown's version and extensions,
# html.parser's rules): the salt of any kept result made from answer_text.
ANSWER_TEXT_SALT = _answer_memo.salt


def answer_text(answer: str | None) -> str:
    """The author's Markdown as readable plain text (html_to_text of its HTML)."""
    return _answer_memo(answer or "")


def keep_answers(quick_answer: str | None, body: str) -> tuple[memo.Digest, memo.Digest]:
    """A post whose text was kept whole (reader_site's memo) keeps its answers' HTML and text
    too, without reading them (memo.Memo.touch_key): a later build that converts every post
    again (another kit, other settings) finds them, as it did when every build converted
    every answer. Returns the answers' digests (what the post's decoration is keyed by)."""
    digests = (memo.digest(quick_answer or ""), memo.digest(body))
    for answer in digests:
        render.keep_author_markdown(answer)
        _answer_memo.touch_key(answer)
    return digests


def _qa_text(given: str) -> str:
    """The memo's pure function: a question's fields (JSON) → its QA's fields (JSON)."""
    qid, question, details, quick_answer, body, asked, asker = json.loads(given)
    # a reader's text is not kept between builds (nor was it used again: the next build finds
    # the post's decoration kept), so it is turned into text here, not through the kept memo
    details_text = _text_of(render.reader_markdown(details)) if details else ""
    question = " ".join(question.split())
    quick = answer_text(quick_answer)
    thoughtful = answer_text(body)
    text = "\n\n".join(t for t in (question, details_text) if t)
    answer = "\n\n".join(t for t in (quick, thoughtful) if t)
    # the headings render.question_section gives an answer (only an answer with text has one)
    answer_id = ""
    if (quick_answer or "").strip():
        answer_id = f"{qid}-quick"
    elif (body or "").strip():
        answer_id = f"{qid}-thoughtful"
    return json.dumps([qid, question, text, asked, asker, answer, answer_id], ensure_ascii=False)


# Each question's texts, worked out where its file is read (a cold build reads most posts in a
# forked process, core/memo.py) and sent to the process that decorates the posts, which then
# holds neither the answers' HTML nor their text memos; a reader's text, so never kept.
_qa_memo = memo.register("question-texts", _qa_text, keep=False)


def qa_from_fields(
    qid: str,
    question: str,
    details: str | None,
    quick_answer: str | None,
    body: str,
    asked: dt.date | None,
    asker: str | None,
) -> QA:
    """:func:`qa_from_question` from the question's fields (all it reads of a question)."""
    fields = [qid, question, details, quick_answer, body, asked.isoformat() if asked else None, asker]
    given = json.dumps(fields, ensure_ascii=False)
    qid, question, text, _asked, asker, answer, answer_id = json.loads(_qa_memo(given))
    return QA(qid, question, text, asked, asker, answer, answer_id)


def forget_question_texts() -> None:
    """Once every post is decorated (its QAs decoded on it), the texts need not be held twice."""
    _qa_memo.forget()


def person(name: str, url: str | None = None) -> dict[str, str]:
    data = {"@type": "Person", "name": name}
    if url:
        data["url"] = url
    return data


def _question(
    qa: QA, post_url: str, published: dt.datetime, author: dict[str, Any] | list[dict[str, Any]]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Question",
        "name": qa.question,
        "text": qa.text,
    }
    if qa.asked is not None:  # an old post from the archive claims no day a reader asked it
        data["dateCreated"] = qa.asked.isoformat()
    if qa.asker:  # only a credited asker is named
        data["author"] = person(qa.asker)
    data["answerCount"] = 1
    data["acceptedAnswer"] = {
        "@type": "Answer",
        "text": qa.answer,
        "url": f"{post_url}#{qa.answer_id}" if qa.answer_id else post_url,
        "datePublished": published.isoformat(),
        "author": author,
    }
    return data


def blog_posting(
    *,
    headline: str,
    url: str,
    published: dt.datetime,
    modified: dt.datetime | None,
    author: dict[str, Any] | list[dict[str, Any]],
    publisher: dict[str, Any],
    keywords: Sequence[str],
    questions: Sequence[QA],
    language: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """The BlogPosting for one post; several questions in one post give a list of Questions."""
    if published.tzinfo is None or (modified is not None and modified.tzinfo is None):
        raise ValueError("dates in structured data must carry a UTC offset")
    if not questions:
        raise ValueError("a post answers at least one question")
    main = [_question(qa, url, published, author) for qa in questions]
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "BlogPosting",
        "headline": headline,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published.isoformat(),
        "dateModified": (modified or published).isoformat(),
        "author": author,
        "publisher": publisher,
        "keywords": list(keywords),
        "mainEntity": main[0] if len(main) == 1 else main,
    }
    if description:
        data["description"] = description
    if language:
        data["inLanguage"] = language
    return data


# each character JSON may hold unescaped that a <script> element or a JavaScript parser reads
# otherwise, and the same character as a JSON escape
_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_safe(json_text: str) -> str:
    """``json_text`` with ``<``, ``>``, ``&`` and the two line separators written as JSON escapes.

    Five ``str.replace`` passes run at C speed: ``str.translate`` with a table of
    several-character replacements looks up every character in a dict, which took
    60 ms for a 340 kB JSON Feed and about as much for a thousand posts' JSON-LD.
    """
    for char, escaped in _SCRIPT_ESCAPES:
        if char in json_text:
            json_text = json_text.replace(char, escaped)
    return json_text


def script_json(data: Any) -> str:
    """JSON to place between <script type="application/ld+json"> and </script>.

    ``<``, ``>`` and ``&`` occur in JSON only inside strings, where ``\\u003c``
    means the same character, so the escaping changes no value.
    """
    return script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
