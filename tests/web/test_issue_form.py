"""The GitHub issue form `floor init --lang` writes in another language is made by code
(web/issue_form.py), the English one is a file (skeleton/question-issue.yml): the same form
written twice. Made with English words, the code's form must be the file's, field for field,
or a change to one (a field, its id, whether it is required) would reach only English columns."""

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
