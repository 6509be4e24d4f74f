"""The GitHub issue form `floor init --lang` writes in another language is the English one the
kit ships (skeleton/question-issue.yml) with its words translated (web/issue_form.py): made with
English words, it must be the file's, field for field, and every word of the file must be one
the catalogue has, or a change to the file would reach other languages' columns in English."""

from __future__ import annotations

import gettext
import re

import yaml
from from_the_floor.core import i18n
from from_the_floor.paths import SKELETON_DIR
from from_the_floor.web import issue_form


def _unwrapped(form: dict) -> dict:
    """The form with its Markdown note's lines joined (a line break inside a paragraph is a space)."""
    note = form["body"][0]["attributes"]
    note["value"] = re.sub(r"(?<!\n)\n(?!\n)", " ", note["value"]).strip()
    return form


def test_the_translated_form_with_english_words_is_the_shipped_form() -> None:
    english_words = i18n.Language(code="xx", translations=gettext.NullTranslations(), has_catalogue=True)
    made = yaml.safe_load(issue_form.translated(english_words) or "")
    shipped = yaml.safe_load((SKELETON_DIR / "question-issue.yml").read_text(encoding="utf-8"))
    assert _unwrapped(made) == _unwrapped(shipped)


def test_english_and_a_language_without_a_catalogue_get_the_shipped_file() -> None:
    assert issue_form.translated(i18n.language("en")) is None
    assert (
        issue_form.translated(
            i18n.Language(code="xx", translations=gettext.NullTranslations(), has_catalogue=False)
        )
        is None
    )


def _words(value, key: str = "") -> list[str]:
    """Every word of a form a reader reads, a Markdown note's paragraphs one by one."""
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in _words(v, k)]
    if isinstance(value, list):
        return [w for v in value for w in _words(v, key)]
    if key == "value":
        return issue_form.paragraphs(value)
    return [value] if key in issue_form.WORDS_AT else []


def test_every_word_of_the_shipped_form_is_in_the_catalogue_and_translated_in_french() -> None:
    """The catalogue's entries are the code's list (`make messages` extracts it): a word edited in
    the shipped file and not there would stay English in a French column's form."""
    shipped = yaml.safe_load(issue_form.SHIPPED.read_text(encoding="utf-8"))
    words = _words(shipped)
    assert len(words) == len(issue_form.WORDS) and set(words) == set(issue_form.WORDS)
    french = i18n.language("fr")
    made = yaml.safe_load(issue_form.translated(french) or "")
    assert not set(_words(made)) & set(words)  # no English word left
    assert _words(made) == [french.pgettext("GitHub issue form", w) for w in words]
    assert made["title"] == "Question : " and made["labels"] == ["question"]  # the issues' label stays
    ids = [element.get("id") for element in made["body"]]
    assert ids == [element.get("id") for element in shipped["body"]]
