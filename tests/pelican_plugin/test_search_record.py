"""What a post gives the search index: its text without its title, which the record carries apart.

Pagefind's excerpt of a short post (or of a hit in its first words) is the text's first thirty
words; with the title first, every result repeated its own heading under its title link. The
title stays searchable as the record's title (the browser test searches a word only the title
holds, tests/browser/test_reader_site.py).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from from_the_floor.core import i18n
from from_the_floor.core.question import parse_text
from from_the_floor.pelican_plugin import reader_site
from from_the_floor.web import jsonld
from helpers_floor import question_text


def _question(qid: str, question: str, body: str, **fields: str):
    text = question_text(question, quick="Most weeks, yes.", body=body, **fields)
    return parse_text(text, Path(f"questions/{qid}.md"))


def _record(title: str, *questions):
    article = SimpleNamespace(
        title=title, number=7, floor_qas=[jsonld.qa_from_question(q) for q in questions]
    )
    return reader_site._search_record("/floor/x/", article, list(questions), i18n.ENGLISH)


def test_a_one_question_post_s_text_starts_with_its_answer_not_its_title() -> None:
    q = _question("why-weekly", "Why only one post a week?", "Because answers need a night's sleep.")
    record = _record("Why only one post a week?", q)
    assert record.title == "Why only one post a week?"
    assert "Why only one post a week" not in record.content
    assert record.content.startswith("Most weeks, yes.")
    # who asked is still searchable, after the answer
    assert record.content.rstrip().endswith("Asked by a reader on 1 November 2026")


def test_the_details_of_a_question_come_first_and_the_title_is_not_given_again() -> None:
    q = _question(
        "gardens", "Do you garden?", "Every Sunday.", details="I mean vegetables, not flowers."
    )
    record = _record("Do you garden?", q)
    assert record.content.startswith("I mean vegetables, not flowers.")
    assert "Do you garden?" not in record.content


def test_a_post_of_two_questions_gives_each_question_then_its_answer() -> None:
    a = _question("a", "Do you garden?", "Every Sunday.")
    b = _question("b", "Do you cook?", "Badly.")
    record = _record("Ask Bea #7", a, b)
    assert record.title == "Ask Bea #7" and "Ask Bea #7" not in record.content
    assert record.content.startswith("Do you garden?")
    assert record.content.index("Do you cook?") > record.content.index("Every Sunday.")


def test_a_post_s_tags_are_searchable_after_everything_else() -> None:
    """A reader who searches a tag's name found nothing when the answer used other words: the
    tags were not in the record. They come last, after who asked, under the catalogue's word."""
    q = _question("anon", "Can I ask without my name?", "Yes, say so in your message.")
    article = SimpleNamespace(
        title="Can I ask without my name?",
        number=3,
        floor_qas=[jsonld.qa_from_question(q)],
        tags=[SimpleNamespace(name="vie privée"), SimpleNamespace(name="<b>readers</b>")],
    )
    french = i18n.language("fr")
    record = reader_site._search_record("/floor/anon/", article, [q], french)
    assert record.content.endswith("\n\nÉtiquettes\nvie privée, <b>readers</b>")
    assert record.content.startswith("Most weeks, yes.")
    assert _record("Can I ask without my name?", q).content.rstrip().endswith("November 2026")
