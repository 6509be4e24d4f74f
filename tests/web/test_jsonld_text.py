"""An answer's text for its JSON-LD: simple markup taken apart without html.parser gives exactly
html.parser's text, and anything else is parsed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from from_the_floor.web import jsonld, render
from helpers_build import generate_site
from hypothesis import given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def _answers() -> list[str]:
    """The HTML the kit makes of the bench site's generated answers (lists, tables, code, links)."""
    posts = generate_site.make_posts(120, seed=3)
    return [render.author_markdown(post.body) for post in posts]


def test_generated_answers_take_the_simple_path_with_html_parsers_text(monkeypatch) -> None:
    answers = [a for a in _answers() if not jsonld._PLAIN_PARAGRAPH.fullmatch(a)]
    assert len(answers) > 50
    want = [jsonld._parsed_text(a) for a in answers]
    fed: list[str] = []
    feed = HTMLParser.feed
    monkeypatch.setattr(HTMLParser, "feed", lambda self, data: (fed.append(data), feed(self, data))[1])
    assert [jsonld._text_of(a) for a in answers] == want
    assert len(fed) < len(answers) // 10  # html.parser for a few (an entity, say), not for each


def _fixture_html() -> list[str]:
    """Real posts' HTML from other platforms' exports (WordPress's theme unit test, Medium,
    Substack): comments, entities, scripts, attributes of every kind."""
    found: list[str] = []
    wxr = (FIXTURES / "wp-theme-unit-test.xml").read_text(encoding="utf-8")
    found += re.findall(r"<content:encoded><!\[CDATA\[(.*?)\]\]></content:encoded>", wxr, re.DOTALL)
    for folder in ("medium-export", "substack-export"):
        found += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / folder).rglob("*.html"))]
    return [h for h in found if h.strip()]


def test_real_exports_html_gives_html_parsers_text() -> None:
    pages = _fixture_html()
    assert len(pages) > 40
    simple = 0
    for markup in pages:
        assert jsonld._text_of(markup) == jsonld._parsed_text(markup), markup[:200]
        simple += jsonld._simple_text(markup) is not None
    assert simple > 5  # some of them are simple enough for the shortcut


@pytest.mark.parametrize(
    "markup",
    [
        "<p>a</p><p>b <em>c</em></p>",
        '<ul>\n<li>one</li>\n<li>two <a href="https://x.test/a?b=c">link</a></li>\n</ul>',
        "<table><tr><td>1</td><td>2</td></tr></table>",
        "<p>x<br>y<br/>z<br />w</p>",
        "<P CLASS=big>Upper</P><H2 id='h'>Head</H2>",
        "<p>no\u00a0break\u2003space</p><pre><code>code\n  kept</code></pre>",
    ],
)
def test_simple_markup_is_taken_apart_here(markup: str) -> None:
    assert jsonld._simple_text(markup) is not None
    assert jsonld._text_of(markup) == jsonld._parsed_text(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>AT&amp;T</p>",  # an entity
        "<p>a</p><!-- note --><p>b</p>",  # a comment
        "<p>a</p><script>x = '<p>'</script>",  # script, style, template
        "<p>a</p><STYLE>p {}</STYLE>",
        "<template><p>t</p></template>",
        "<p>a <title>b <em>c</em></title></p>",  # textarea and title: text only, in later Pythons
        "<TEXTAREA rows=2><p>a</p></TEXTAREA>",
        "<p\u00a0class=x>a</p>",  # a tag name only html.parser reads (up to HTML's whitespace)
        "<p class=x\u00a0>a</p>",
        "<a x=y'z>w'>v</a>",  # a quote in a bare value
        '<a href="x"title="y">t</a>',  # attributes not apart
        "<p>1 < 2</p>",  # a lone <
        '<p>a <span title="x > y">quoted</span> b</p>',  # a < or > in a quoted value
        "<my-tag>a</my-tag>",
        "</p class=x>",
        "<p>a\x00<em>b</em></p>",
    ],
)
def test_other_markup_is_parsed(markup: str) -> None:
    assert jsonld._simple_text(markup) is None
    assert jsonld._text_of(markup) == jsonld._parsed_text(markup)


_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<P>", "</P >", "<br>", "<br/>", "<br />", "<li>", "</li>", "<em>", "</em>",
        "<a href=\"x\">", "<a href='y' title=\"t\">", "<a href=z>", "</a>", "<h2 id=h>", "</h2>",
        "<td>", "<tr>", "<span title=\"a > b\">", "</span>", "<div\nclass=c>", "<pre>", "</pre>",
        "<", ">", "</", "/>", "=", "\"", "'", "&", "&amp;", "&#8217;", "<!--", "-->", "<script>",
        "</script>", "<title>", "</title>", "<textarea>", "</textarea>", "<template>", "<x-y>",
        "<p\u00a0c>", "\u00a0", "\u2003", "\t", "\n", "\r", "\f",
        "\v", " ", "\x00", "word", "two words", "é", "<b", "b>", "<a b=c'd>",
    ]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=14).map("".join))
def test_any_markup_gives_html_parsers_text_or_is_parsed(markup: str) -> None:
    simple = jsonld._simple_text(markup)
    assert simple is None or simple == jsonld._parsed_text(markup)
