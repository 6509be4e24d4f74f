"""Rendering a Q&A: reader text is inert, the author's Markdown is kept."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.core.question import Question
from from_the_floor.web import render
from helpers_floor import assert_inert
from hypothesis import given, settings
from hypothesis import strategies as st

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '"><svg onload=alert(3)>',
    "<a href='javascript:alert(4)'>click</a>",
    "[link](javascript:alert(5))",
    "![img](x){: onerror=alert(6) }",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "&lt;script&gt;alert(7)&lt;/script&gt;",
]


def make(**fields) -> Question:
    base = {
        "id": "q",
        "path": Path("q.md"),
        "question": "Q?",
        "asked": dt.date(2026, 11, 1),
        "quick_answer": "Short.",
        "body": "Long.",
    }
    return Question(**{**base, **fields})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_reader_fields_are_inert(payload: str) -> None:
    q = make(question=f"Why {payload}?", details=f"Details {payload}", asker=payload, credit=True)
    html = render.question_section(q) + render.summary_html(q) + render.post_html([q, make(id="r")])
    assert_inert(html)
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE)  # no handler attribute in any tag


def test_plain_reader_text_is_escaped_not_dropped() -> None:
    q = make(question="Is 1 < 2 & 3 > 2?", asker="Ann <b>", credit=True)
    html = render.question_section(q)
    assert "Is 1 &lt; 2 &amp; 3 &gt; 2?" in html
    assert "Asked by Ann &lt;b&gt;" in html


@pytest.mark.parametrize(
    "typed", ["Ann \u200b Lee", "Ann \x1b Lee", "Ann\u00a0\u2060 Lee", "Ann \u200b\n\u200b Lee"]
)
def test_a_dropped_character_between_spaces_leaves_one_space(typed: str) -> None:
    """A name or question with a zero-width or control character between two spaces (a paste, a
    hand-edited file) reads as a tag does (core/question.clean_tag): one space, not two."""
    assert render.one_line(typed) == "Ann Lee" == question_mod.clean_tag(typed)
    assert render.plain(typed + " <b>") == "Ann Lee &lt;b&gt;"


def test_a_summary_with_its_tags_stripped_keeps_the_question_and_answer_apart() -> None:
    """Themes and feed readers strip a summary's tags (a meta description, a neighbour's link):
    the question and the quick answer must stay two sentences, not one run-on word."""
    q = make(question="What is your favourite tag?", quick_answer="Bikes.")
    stripped = " ".join(re.sub(r"<[^>]+>", "", render.summary_html(q)).split())
    assert stripped == "What is your favourite tag? Bikes."


def test_reader_markdown_keeps_safe_formatting() -> None:
    html = render.reader_markdown("Some *emphasis* and [a link](https://example.org).")
    assert "<em>emphasis</em>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener ugc"' in html


def test_author_markdown_is_rendered() -> None:
    q = make(quick_answer="**Yes**, mostly.", body="A *long* answer.\n\n- one\n- two")
    html = render.question_section(q)
    assert '<div class="floor-quick-answer"><p><strong>Yes</strong>, mostly.</p></div>' in html
    assert "<em>long</em>" in html and "<li>one</li>" in html


def test_an_answer_without_text_has_no_heading() -> None:
    """An imported post may be a title alone (WordPress's "Edge Case: No Content"): no empty
    "More thoughtful answer" heading over nothing, as with an empty quick answer."""
    html = render.post_html([make(quick_answer="", body="  \n")])
    assert "More thoughtful answer" not in html and "floor-thoughtful-answer" not in html
    assert "Quick answer" not in html and "From the archive" not in html  # a reader's post, by default
    assert "Asked by a reader" in html
    kept = render.post_html([make(quick_answer="", body="Long.")])
    assert "More thoughtful answer" in kept and "<p>Long.</p>" in kept


def test_the_asker_is_named_only_with_credit() -> None:
    assert "Asked by Dana" in render.question_section(make(asker="Dana", credit=True))
    html = render.question_section(make(asker="Dana", credit=False))
    assert "Dana" not in html and "Asked by a reader" in html


def test_sections_have_the_labels_and_anchors() -> None:
    html = render.question_section(make(id="a-b"), anchor=True)
    for label in ("The question", "Quick answer", "More thoughtful answer"):
        assert label in html
    assert 'id="a-b"' in html and '<time datetime="2026-11-01">1 November 2026</time>' in html
    multi = render.post_html([make(id="one"), make(id="two", question="Second <q>?")])
    assert '<a href="#one">' in multi and '<a href="#two">Second &lt;q&gt;?</a>' in multi
    assert multi.count("<h3") == 6


def test_a_one_question_post_leaves_the_question_to_the_headline() -> None:
    """The theme makes the question the page's <h1>: the body does not repeat it."""
    body = render.post_html([make(id="a-b", question="Why <b>?", details="More *words*.")])
    assert "Why" not in body and "The question" not in body and "<h2" in body
    assert '<blockquote class="floor-question"><div class="floor-details"><p>More <em>words</em>.' in body
    assert "Asked by a reader" in body and "Quick answer" in body
    assert "floor-question" not in render.post_html([make(id="a-b")])  # no details: no empty quote


def test_contact_is_never_rendered() -> None:
    html = render.question_section(make(contact="secret@example.org")) + render.summary_html(
        make(contact="secret@example.org")
    )
    assert "secret" not in html


def test_a_merged_question_says_how_many_readers_asked() -> None:
    from from_the_floor.core.question import AlsoAsked

    day = dt.date(2026, 11, 2)
    merged = [
        AlsoAsked(question="Same?", asked=day, asker="Jo", credit=True, contact="jo@example.org"),
        AlsoAsked(question="Same!", asked=day, asker="Pat <b>", credit=False),
    ]
    html = render.question_section(make(asker="Sam", credit=False, also_asked_by=merged))
    assert "Asked by Jo and 2 other readers" in html
    assert "Pat" not in html and "jo@example.org" not in html and "Sam" not in html
    html = render.question_section(make(also_asked_by=merged[1:]))
    assert "Asked by 2 readers" in html


# --- the plain-line shortcut: what Markdown itself would make -------------------------------

_PUNCTUATION = " .,;:'\"?!-()/%"
_plain_lines = st.builds(
    lambda first, rest: first + rest,
    st.characters(categories=["L"]),
    st.text(
        st.one_of(st.characters(categories=["L", "N"]), st.sampled_from(list(_PUNCTUATION))), max_size=60
    ),
)
_near_misses = st.builds(
    lambda line, extra, at: line[:at] + extra + line[at:],
    _plain_lines,
    st.sampled_from(list("*_[]<>&#`\\|~=+{}!\n\t ")) | st.just("  \n"),
    st.integers(0, 60),
)


def _markdown(text: str) -> str:
    import markdown

    return markdown.Markdown(extensions=render.MARKDOWN_EXTENSIONS, output_format="html").convert(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_plain_lines, _near_misses, st.builds(lambda t: f"  {t} ", _plain_lines)))
def test_the_plain_line_shortcut_equals_markdown(text: str) -> None:
    assert render._convert(text) == _markdown(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_plain_lines, _near_misses))
def test_the_plain_paragraph_shortcut_equals_the_html_parser(text: str) -> None:
    from from_the_floor.web import jsonld

    markup = render._convert(text)
    assert jsonld._text_of(markup) == jsonld._parsed_text(markup)


def test_plain_lines_take_the_shortcut_and_markup_does_not() -> None:
    assert render._plain_line("Yes, every one (nearly 100%).") == "Yes, every one (nearly 100%)."
    for text in ("1. a list", "- a list", "*emphasis*", "a <b>tag</b>", "two\nlines", "AT&T", "", " Yes"):
        assert render._plain_line(text) is None, text


@pytest.mark.parametrize(
    "markdown",
    [
        "[md](javascript:alert(9))",
        "[md](JavaScript:alert(9))",
        "[md](java&#115;cript:alert(9))",
        "[md](<java\tscript:alert(9)>)",
        "![img](data:image/svg+xml;base64,PHN2Zz4=)",
        "[vb](vbscript:msgbox(9))",
        '<a href=" javascript:alert(9)">raw</a>',
        "<iframe src='data:text/html,<b>x</b>'></iframe>",
        '<img srcset="/a.png 1x, data:image/png;base64,AA 2x">',
        "[ref][1]\n\n[1]: javascript:alert(9)",
    ],
)
def test_no_script_running_address_is_ever_live(markdown: str) -> None:
    out = render.author_markdown(markdown)
    for value in re.findall(r"""(?:href|src|srcset)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", out):
        url = re.sub(r"[\x00-\x20]", "", html.unescape(value.strip("'\""))).casefold()
        assert not re.search(r"(^|,)(javascript|vbscript|data):", url), out


def test_ordinary_addresses_and_text_about_them_are_kept() -> None:
    out = render.author_markdown(
        "[a](https://example.org/?next=javascript:x) [b](/page) [c](mailto:robin@example.org)\n\n"
        "Never type `javascript:` into an address bar."
    )
    assert 'href="https://example.org/?next=javascript:x"' in out
    assert 'href="/page"' in out and 'href="mailto:robin@example.org"' in out
    assert "<code>javascript:</code>" in out


def test_an_imported_post_with_no_reader_on_record_claims_no_asker() -> None:
    """`floor import` (with --all: any old article) knows neither who asked nor when: its post says
    "From the archive", in the column's language; crediting a named reader makes it a question again."""
    from from_the_floor.core import i18n
    from from_the_floor.web import jsonld

    old = make(source="import", credit=False, asked=dt.date(2012, 2, 4))
    html = render.question_section(old)
    assert '<p class="floor-asker">From the archive</p>' in html and "Asked by" not in html
    assert "2012" not in html
    assert render.asked_line(old, markup=False) == "From the archive"
    assert "Tiré des archives" in render.question_section(old, lang=i18n.language("fr"))
    assert jsonld.qa_from_question(old).asked is None
    credited = make(source="import", asker="Robin", credit=True, asked=dt.date(2012, 2, 4))
    assert "Asked by Robin on" in render.question_section(credited)
    assert "Asked by a reader on" in render.question_section(make(source="csv", credit=False))


@pytest.mark.parametrize(
    "reference",
    ["&#14;", "&#x1b;", "&#127;", "&#xFFFE;", "&#xffff;", "&#x202E;", "&#8238;", "&#x200B;"],
)
def test_a_character_reference_in_a_readers_details_brings_back_no_character_intake_drops(
    reference: str,
) -> None:
    """nh3 turns a reference into its character: `&#14;` (a control character) in one reader's
    details made every feed unwritable (XML 1.0 has no place for it) and failed the build;
    `&#x202E;` reversed the rest of the line on the page (intake drops both when typed raw)."""
    shown = render.reader_markdown(f"before {reference} after")
    assert shown == "<p>before  after</p>"
    # emoji keep the joiner between their parts; other text is left as written
    family = "\U0001f469\u200d\U0001f467"
    assert render.reader_markdown(f"{family} &amp; é") == f"<p>{family} &amp; é</p>"


def test_a_link_whose_scheme_is_split_by_character_references_stays_dead() -> None:
    """From the naughty-strings list: nh3 keeps ``java&#1;…script:`` as a relative address; once
    the control characters are dropped (above) it would be a live ``javascript:`` link."""
    split = "java&#1&#2&#3&#4&#5&#6&#7&#8&#11&#12script"
    shown = render.reader_markdown(f"<a href={split}:javascript:alert(1)>XXX</a>")
    assert_inert(shown)
    assert shown == '<p><a rel="nofollow noopener ugc">XXX</a></p>'


def test_the_authors_answer_holds_nothing_xml_cannot_carry() -> None:
    """Every feed carries the author's answers as written, so a character XML 1.0 has no place
    for (a vertical tab pasted from a word processor, an escape code) failed the whole build.
    A page or line break becomes a space; the rest, which no browser shows, goes; every
    printable character (bidi marks, joiners, emoji) stays as the author wrote it."""
    shown = render.author_markdown("one\x0btwo\x0cthree\x01\x1b[1m\ufffe\uffff four")
    assert shown == "<p>one two three[1m four</p>"
    kept = "a b \u202e\u200d\u200f é \U0001f469\u200d\U0001f467"
    assert render.author_markdown(kept) == f"<p>{kept}</p>"
