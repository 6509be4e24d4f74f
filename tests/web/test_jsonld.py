"""jsonld: a post is a BlogPosting whose mainEntity is the Question, and reader text stays inside."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.web import jsonld
from helpers_floor import question_text
from hypothesis import given
from hypothesis import strategies as st

PUBLISHED = dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC)
AUTHOR = jsonld.person("Robin", "https://example.org/")
BREAKOUT = "</script><script>alert(1)</script>"


def load(text: str, qid: str = "q1") -> question_mod.Question:
    return question_mod.parse_text(text, Path(f"{qid}.md"), published=False)


def posting(*qas: jsonld.QA, **kwargs) -> dict:
    args = dict(
        headline="From the Floor #3: Why?",
        url="https://example.org/floor/why/",
        published=PUBLISHED,
        modified=None,
        author=AUTHOR,
        publisher=AUTHOR,
        keywords=["listening", "tone"],
        questions=qas,
    )
    return jsonld.blog_posting(**(args | kwargs))


def test_every_property_the_issue_lists():
    q = load(
        question_text(
            "Why?",
            asked="2026-10-20",
            quick="Because **it helps**.",
            body="A longer answer.\n\nIn two paragraphs.",
            asker="Jo",
            credit="true",
            details='"Really *why*?"',
        )
    )
    data = posting(jsonld.qa_from_question(q), modified=PUBLISHED + dt.timedelta(days=3))
    assert data["@context"] == "https://schema.org" and data["@type"] == "BlogPosting"
    for key in ("headline", "datePublished", "dateModified", "author", "publisher", "url", "keywords"):
        assert data[key], key
    assert data["dateModified"] == "2026-11-19T09:00:00+00:00"
    question = data["mainEntity"]
    assert question["@type"] == "Question"
    assert question["name"] == "Why?"
    assert question["text"] == "Why?\n\nReally why?"
    assert question["dateCreated"] == "2026-10-20"
    assert question["author"] == {"@type": "Person", "name": "Jo"}
    assert question["answerCount"] == 1
    answer = question["acceptedAnswer"]
    assert answer["@type"] == "Answer"
    assert answer["text"] == "Because it helps.\n\nA longer answer.\n\nIn two paragraphs."
    assert answer["url"] == "https://example.org/floor/why/#q1-quick"
    assert answer["datePublished"] == PUBLISHED.isoformat()
    assert answer["author"] == AUTHOR


def test_never_a_qapage_or_faqpage():
    data = posting(jsonld.qa_from_question(load(question_text("Why?", quick="Y.", body="B."))))
    assert "QAPage" not in json.dumps(data) and "FAQPage" not in json.dumps(data)


@pytest.mark.parametrize(("asker", "credit"), [("Sam", "false"), ("Sam", None), (None, "true")])
def test_the_asker_is_named_only_when_credited(asker, credit):
    fields = {k: v for k, v in {"asker": asker, "credit": credit}.items() if v is not None}
    q = load(question_text("Why?", quick="Y.", body="B.", **fields))
    data = posting(jsonld.qa_from_question(q))
    assert "author" not in data["mainEntity"]
    assert "Sam" not in json.dumps(data)


def test_an_imported_post_with_no_reader_on_record_has_no_asked_date():
    """The import's `asked` is the old post's own date: the Question claims no day a reader asked it."""
    text = question_text("Why?", quick="Y.", body="B.", asked="2012-02-04", source="import", credit="false")
    data = posting(jsonld.qa_from_question(load(text)))
    assert "dateCreated" not in data["mainEntity"] and "author" not in data["mainEntity"]
    assert "2012" not in json.dumps(data)
    plain = question_text("Why?", quick="Y.", body="B.", asked="2012-02-04", source="csv")
    assert posting(jsonld.qa_from_question(load(plain)))["mainEntity"]["dateCreated"] == "2012-02-04"


@pytest.mark.parametrize(("quick", "body", "heading"), [("Y.", "", "q1-quick"), ("", "B.", "q1-thoughtful")])
def test_the_answer_s_url_points_at_a_heading_the_page_has(quick, body, heading):
    """An imported post often has no quick answer (the old post had one text): its Answer's url
    pointed at "#q1-quick", a heading its page does not have, so a search engine's link to the
    answer landed nowhere in particular. It now points at the first answer the page shows."""
    from from_the_floor.web import render

    q = load(question_text("Why?", quick=quick, body=body, source="import"))
    url = posting(jsonld.qa_from_question(q))["mainEntity"]["acceptedAnswer"]["url"]
    assert url == f"https://example.org/floor/why/#{heading}"
    for single in (True, False):  # a post of one question, and one of several
        assert f'id="{heading}"' in render.question_section(q, headline=single, anchor=not single)


def test_several_questions_in_one_post():
    qa1 = jsonld.qa_from_question(load(question_text("One?", quick="Y.", body="B."), "one"))
    qa2 = jsonld.qa_from_question(load(question_text("Two?", quick="N.", body="C."), "two"))
    data = posting(qa1, qa2)
    assert [q["name"] for q in data["mainEntity"]] == ["One?", "Two?"]
    assert data["mainEntity"][1]["acceptedAnswer"]["url"].endswith("#two-quick")


def test_dates_must_be_aware_and_a_post_needs_a_question():
    qa = jsonld.qa_from_question(load(question_text("Why?", quick="Y.", body="B.")))
    with pytest.raises(ValueError):
        posting(qa, published=dt.datetime(2026, 11, 16, 9))
    with pytest.raises(ValueError):
        posting()


class _Scripts(HTMLParser):
    """How a browser's tokenizer splits a page into elements and script text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.starts: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        self.starts.append(tag)
        if tag == "script":
            self._in = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.scripts[-1] += data


def embedded(data: dict) -> _Scripts:
    page = (
        f'<head><script type="application/ld+json">{jsonld.script_json(data)}</script></head><body><p>x</p>'
    )
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser


def test_a_question_cannot_close_the_script_element():
    q = load(question_text(f"'{BREAKOUT}'", quick="Y.", body="B.", details=f"'<!-- {BREAKOUT}'"))
    data = posting(jsonld.qa_from_question(q))
    text = jsonld.script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    parsed = embedded(data)
    assert parsed.starts == ["head", "script", "body", "p"], "the reader's text opened an element"
    assert len(parsed.scripts) == 1
    assert json.loads(parsed.scripts[0])["mainEntity"]["name"] == BREAKOUT


@given(st.text())
def test_script_json_round_trips_any_text_and_never_ends_the_element(text):
    data = {"name": text, "nested": [text, {"k": text}]}
    out = jsonld.script_json(data)
    assert json.loads(out) == data
    assert "</" not in out.lower() and "<!--" not in out and "<" not in out


@given(st.text(alphabet=st.sampled_from('<>&\u2028\u2029\\u0c"x é')))
def test_script_safe_escapes_each_special_character_and_nothing_else(text):
    table = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    assert jsonld.script_safe(text) == "".join(table.get(c, c) for c in text)


def test_html_to_text():
    assert jsonld.html_to_text("<p>a\nb</p><p>c &amp; <em>d</em></p><script>x()</script>") == "a b\n\nc & d"
    assert jsonld.html_to_text("") == ""


def test_an_answer_text_is_kept_by_its_markdown_and_a_readers_text_is_not_kept(tmp_path: Path) -> None:
    """The author's answers as text are kept between builds (keyed by their Markdown, so a post
    kept whole keeps them without reading them); a reader's details are worked out afresh."""
    from from_the_floor.core import memo
    from helpers_floor import saved_memo

    for m in memo._memos.values():
        m.forget()
    qa = jsonld.qa_from_fields(
        "q1", "Why?", "My *secret* detail.", "Because.", "A **long** answer.", dt.date(2026, 1, 2), None
    )
    assert qa.text == "Why?\n\nMy secret detail." and qa.answer == "Because.\n\nA long answer."
    assert jsonld.answer_text("A **long** answer.") == "A long answer."
    memo.save(tmp_path)
    kept = json.dumps(saved_memo(tmp_path))
    assert "A long answer." in kept and "secret" not in kept


# Run in a fresh interpreter, whose sys.version says what the test gives it before the kit is imported.
_ON_ANOTHER_PYTHON = """
import json, sys
sys.version = sys.argv[2] or sys.version
from from_the_floor.core import memo
from from_the_floor.web import jsonld
from from_the_floor.pelican_plugin import reader_site
folder = sys.argv[1]
memo.load(__import__("pathlib").Path(folder))
if sys.argv[3] == "old rules":  # html.parser as an earlier Python read this markup
    jsonld._text_memo.produce = jsonld._text_of = lambda markup: "OLD RULES"
texts = [jsonld.html_to_text(sys.argv[4]), jsonld.answer_text(sys.argv[5])]
memo.save(__import__("pathlib").Path(folder))
print(json.dumps({"texts": texts, "decoration_salt": reader_site._decorations.salt}))
"""


def test_text_kept_under_another_python_s_html_parser_is_worked_out_again(tmp_path: Path) -> None:
    """html.parser's rules change between Python patch releases (3.11.13 reads <title>'s text as
    text): an answer's text kept in .cache/ under one Python is not reused under another, nor is
    a post's decoration made from it; under the same Python it is."""
    import subprocess
    import sys

    markup = "<p>Seen <b>here</b>, a <title>title <i>tag</i></title> in an answer.</p>"
    answer = "Seen **here**, a <title>title <i>tag</i></title> in an answer."

    def run(version: str, rules: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-c", _ON_ANOTHER_PYTHON, str(tmp_path), version, rules, markup, answer],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)

    earlier = run("3.11.12 (main, Jun  3 2025, 10:00:00) [GCC 12.2.0]", "old rules")
    assert earlier["texts"] == ["OLD RULES", "OLD RULES"]  # kept in the memo folder by that Python
    again = run("", "")  # this Python, its own rules
    assert again["texts"] == [jsonld.html_to_text(markup), jsonld.answer_text(answer)]
    assert "OLD RULES" not in again["texts"]
    assert again["decoration_salt"] != earlier["decoration_salt"]
    assert run("", "old rules")["texts"] == again["texts"]  # the same Python keeps what it made
