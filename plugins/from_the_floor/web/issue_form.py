"""The GitHub issue form readers ask with (FLOOR_ASK_CHANNEL = "github"), in the column's language.

`floor init --ask-github` writes ``.github/ISSUE_TEMPLATE/question.yml``. An
English column gets the form the kit ships (skeleton/question-issue.yml); a
column in another language the kit has a catalogue for gets that file's form with
every word a reader sees translated (its fields, their ids and rules are read from
the file, so the form is written once): the form is the Ask page's other half, and
a French reader should not be asked "Your question". The field ids (question,
details, asker, credit) and the issue label stay as they are: intake reads the
fields by the labels of the site's own form (intake/issue_form.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from ..core.i18n import ENGLISH, Language
from ..paths import SKELETON_DIR

SHIPPED = SKELETON_DIR / "question-issue.yml"
CONTEXT = "GitHub issue form"  # a form on GitHub, not a page of the site
# the keys of the form whose values a reader reads (every other value is the form's machinery)
WORDS_AT = ("name", "description", "title", "label", "value")

# Every word of the shipped form, as the catalogue has it (a paragraph of the Markdown note on one
# line): here so that `make messages` finds each entry; the form itself is the shipped file, and
# tests/web/test_issue_form.py checks that each of its words is one of these.
WORDS = (
    ENGLISH.pgettext("GitHub issue form", "Ask a question"),
    ENGLISH.pgettext(
        "GitHub issue form", "Send a question to the column. It may be answered in a future post."
    ),
    ENGLISH.pgettext("GitHub issue form", "Question: "),  # what each issue's title starts with
    ENGLISH.pgettext(
        "GitHub issue form",
        "Thank you for asking. Questions are answered one at a time, each with a quick answer "
        "and a longer one.",
    ),
    ENGLISH.pgettext(
        "GitHub issue form",
        "**This issue is public.** Your GitHub username is visible here whatever you choose "
        "below. Please do not write an email address, phone number or anything else private: "
        "the author replies in this issue.",
    ),
    ENGLISH.pgettext(
        "GitHub issue form",
        "**Your name appears in the column only if you tick the box below.** Otherwise the "
        "post says the question came from a reader.",
    ),
    ENGLISH.pgettext("GitHub issue form", "Your question"),
    ENGLISH.pgettext("GitHub issue form", "One question, in your own words. Short is fine."),
    ENGLISH.pgettext("GitHub issue form", "More detail (optional)"),
    ENGLISH.pgettext("GitHub issue form", "Anything that helps to answer it well. Markdown works."),
    ENGLISH.pgettext("GitHub issue form", "Name to show with the question (optional)"),
    ENGLISH.pgettext("GitHub issue form", "Leave empty to stay anonymous in the column."),
    ENGLISH.pgettext("GitHub issue form", "Credit"),
    ENGLISH.pgettext("GitHub issue form", "You may show this name with my question in the column."),
)

HEADER = (
    "# The form readers ask with from the site's Ask page when\n"
    '# FLOOR_ASK_CHANNEL = "github" (docs/reader-site.md), in the column\'s language.\n'
    "# The field ids match the keys of a question file: question, details, asker, credit.\n"
)
_PLAIN = re.compile(r"[a-z][a-z0-9_-]*")  # a value written as is (a type, an id); others quoted


def paragraphs(text: str) -> list[str]:
    """A Markdown note's paragraphs, each on one line (a line break inside one is a space)."""
    return [" ".join(block.split("\n")).strip() for block in text.strip().split("\n\n")]


def _translated(value: Any, lang: Language, key: str = "") -> Any:
    """The shipped form's data with each word a reader reads (under ``WORDS_AT``) in ``lang``."""
    if isinstance(value, dict):
        return {k: _translated(v, lang, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_translated(v, lang, key) for v in value]
    if isinstance(value, str) and key == "value":  # the Markdown note: paragraph by paragraph
        return "\n\n".join(lang.pgettext(CONTEXT, p) for p in paragraphs(value))
    if isinstance(value, str) and key in WORDS_AT:
        return lang.pgettext(CONTEXT, value)
    return value


def _scalar(value: Any) -> str:
    """A YAML scalar: true/false, a type or an id as is, any other text as a JSON string (which
    is a YAML double-quoted one)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and _PLAIN.fullmatch(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _yaml(data: dict, indent: str = "") -> list[str]:
    """The lines of ``data`` (the shape of an issue form: mappings, lists of mappings, lists of
    plain values and text) in block style; a text of several lines as a literal block (``|``)."""
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines += [f"{indent}{key}:", *_yaml(value, indent + "  ")]
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            lines.append(f"{indent}{key}:")
            for item in value:
                first, *rest = _yaml(item, indent + "    ")
                lines += [f"{indent}  - {first.lstrip()}", *rest]
        elif isinstance(value, list):
            lines.append(f"{indent}{key}: [{', '.join(json.dumps(v, ensure_ascii=False) for v in value)}]")
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{indent}{key}: |")
            lines += [indent + "  " + line if line else "" for line in value.split("\n")]
        else:
            lines.append(f"{indent}{key}: {_scalar(value)}")
    return lines


def translated(lang: Language) -> str | None:
    """The form in ``lang``: the shipped file's fields, ids and rules, each word a reader reads
    from the catalogue; None for English or a language without a catalogue (the shipped form,
    byte for byte, is the one to write)."""
    if lang.is_source:
        return None
    shipped = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return HEADER + "\n".join(_yaml(_translated(shipped, lang))) + "\n"
