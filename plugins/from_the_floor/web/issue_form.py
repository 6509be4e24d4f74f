"""The GitHub issue form readers ask with (FLOOR_ASK_CHANNEL = "github"), in the column's language.

`floor init --ask-github` writes ``.github/ISSUE_TEMPLATE/question.yml``. An
English column gets the form the kit ships (skeleton/question-issue.yml); a
column in another language the kit has a catalogue for gets the same form with
every word a reader sees translated: the form is the Ask page's other half, and
a French reader should not be asked "Your question". The field ids (question,
details, asker, credit) and the issue label stay as they are: intake reads the
fields by the labels of the site's own form (intake/issue_form.py).
"""

from __future__ import annotations

import json

from ..core.i18n import Language

# Each word has the message context "GitHub issue form": a form on GitHub, not a page of the site.


def _quoted(text: str) -> str:
    """A YAML scalar for ``text`` (a JSON string is a YAML double-quoted one)."""
    return json.dumps(text, ensure_ascii=False)


def _block(paragraphs: list[str], indent: str) -> str:
    """A YAML literal block (``|``) of paragraphs separated by blank lines."""
    lines: list[str] = []
    for n, paragraph in enumerate(paragraphs):
        if n:
            lines.append("")
        lines += [indent + line if line else "" for line in paragraph.splitlines()]
    return "\n".join(lines)


def translated(lang: Language) -> str | None:
    """The form in ``lang``; None for English or a language without a catalogue (the shipped
    form, byte for byte, is the one to write)."""
    if lang.is_source:
        return None

    notes = [
        lang.pgettext(
            "GitHub issue form",
            "Thank you for asking. Questions are answered one at a time, each with a quick answer "
            "and a longer one.",
        ),
        lang.pgettext(
            "GitHub issue form",
            "**This issue is public.** Your GitHub username is visible here whatever you choose "
            "below. Please do not write an email address, phone number or anything else private: "
            "the author replies in this issue.",
        ),
        lang.pgettext(
            "GitHub issue form",
            "**Your name appears in the column only if you tick the box below.** Otherwise the "
            "post says the question came from a reader.",
        ),
    ]
    fields = [
        (
            "textarea",
            "question",
            lang.pgettext("GitHub issue form", "Your question"),
            lang.pgettext("GitHub issue form", "One question, in your own words. Short is fine."),
            True,
        ),
        (
            "textarea",
            "details",
            lang.pgettext("GitHub issue form", "More detail (optional)"),
            lang.pgettext("GitHub issue form", "Anything that helps to answer it well. Markdown works."),
            False,
        ),
        (
            "input",
            "asker",
            lang.pgettext("GitHub issue form", "Name to show with the question (optional)"),
            lang.pgettext("GitHub issue form", "Leave empty to stay anonymous in the column."),
            False,
        ),
    ]
    name = lang.pgettext("GitHub issue form", "Ask a question")
    title = lang.pgettext("GitHub issue form", "Question: ")  # what each issue's title starts with
    credit = lang.pgettext("GitHub issue form", "Credit")
    description = lang.pgettext(
        "GitHub issue form", "Send a question to the column. It may be answered in a future post."
    )
    out = [
        "# The form readers ask with from the site's Ask page when",
        '# FLOOR_ASK_CHANNEL = "github" (docs/reader-site.md), in the column\'s language.',
        "# The field ids match the keys of a question file: question, details, asker, credit.",
        f"name: {_quoted(name)}",
        f"description: {_quoted(description)}",
        f"title: {_quoted(title)}",
        'labels: ["question"]',
        "body:",
        "  - type: markdown",
        "    attributes:",
        "      value: |",
        _block(notes, "        "),
    ]
    for kind, field_id, label, description, required in fields:
        out += [
            f"  - type: {kind}",
            f"    id: {field_id}",
            "    attributes:",
            f"      label: {_quoted(label)}",
            f"      description: {_quoted(description)}",
            "    validations:",
            f"      required: {'true' if required else 'false'}",
        ]
    out += [
        "  - type: checkboxes",
        "    id: credit",
        "    attributes:",
        f"      label: {_quoted(credit)}",
        "      options:",
        "        - label: "
        + _quoted(
            lang.pgettext("GitHub issue form", "You may show this name with my question in the column.")
        ),
        "          required: false",
    ]
    return "\n".join(out) + "\n"
