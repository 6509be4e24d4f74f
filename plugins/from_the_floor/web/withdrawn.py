"""The notice a withdrawn post leaves at its address (core/withdrawn.py): a pure function.

A static host cannot answer 410 Gone, so the next best thing for a link from
elsewhere is a small page that says the answer was taken down, when, and
where the column is, kept out of search engines (``noindex``) and out of every
list, feed, sitemap and the search index (the build writes it after those,
from the record alone). It names the post by its number and never shows the
question: those were the reader's words. The author's note, when given, is
shown as plain text.
"""

from __future__ import annotations

import html

from ..core.i18n import dir_attribute, language, language_tag


def notice_page(
    *,
    label: str,
    published: str,
    withdrawn: str,
    note: str | None,
    sitename: str,
    home: str,
    lang: str = "en",
) -> str:
    """The notice's whole HTML: ``label`` is the post's name without its question ("Ask Me
    Anything #2"), ``published`` and ``withdrawn`` dates as the column writes them, ``home`` the
    column's front page."""
    words = language(lang)
    h = html.escape
    link = f'<a href="{h(home, quote=True)}">{h(sitename)}</a>'
    title = words.gettext("Withdrawn: %(post)s") % {"post": label}
    said = words.gettext("%(post)s, published on %(date)s, was withdrawn on %(withdrawn)s.") % {
        "post": h(label),
        "date": h(published),
        "withdrawn": h(withdrawn),
    }
    heading = words.gettext("This answer was withdrawn")
    noted = words.gettext("The author’s note: %(note)s") % {"note": note} if note else ""
    rest = words.gettext("The rest of the column is at %(link)s.") % {"link": link}
    parts = [f"<p>{said}</p>\n"]
    if noted:
        parts.append(f"<p>{h(noted)}</p>\n")
    parts.append(f"<p>{rest}</p>\n")
    return (
        "<!doctype html>\n"
        f'<html lang="{h(language_tag(lang), quote=True)}"{dir_attribute(lang)}>\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"<h1>{h(heading)}</h1>\n"
        f"{''.join(parts)}"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
