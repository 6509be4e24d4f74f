"""The About page `floor init` starts a column with, in the column's language.

The page is the author's to rewrite, but until they do its title is in the site's
navigation on every page and its line is the page's description: a French column
must not greet its readers with "About this column".
"""

from __future__ import annotations

from ..core.i18n import Language


def starter_page(lang: Language) -> str:
    """content/pages/about.md as `floor init` writes it: a title, the slug and one line.

    Only words true in every state of the column (open, closed, retired): how to ask,
    and whether one can, is the About template's to say.
    """
    title = lang.gettext("About this column")
    line = lang.gettext("Questions from readers, with the author's answers.")
    return f"Title: {title}\nSlug: about\n\n{line}\n"
