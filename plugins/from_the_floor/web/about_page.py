"""The About page `floor init` starts a column with, in the column's language.

The page is the author's to rewrite, but until they do its title is in the site's
navigation on every page and its line is the page's description: a French column
must not greet its readers with "About this column".
"""

from __future__ import annotations

from ..core.i18n import Language


def starter_line(lang: Language, author: str = "") -> str:
    """The page's one line. With the author's name, readers are told whose answers they read:
    "answered by Ada" (no possessive, so no "Ada's"/"James'" or French "de"/"d'" to get wrong)."""
    name = " ".join(author.split())
    if name:
        # Translators: the About page's line; author is the column author's name (AUTHOR).
        return lang.gettext("Questions from readers, answered by %(author)s.") % {"author": name}
    return lang.gettext("Questions from readers, with the author's answers.")


def starter_page(lang: Language, author: str = "") -> str:
    """content/pages/about.md as `floor init` writes it: a title, the slug and one line.

    Only words true in every state of the column (open, closed, retired): how to ask,
    and whether one can, is the About template's to say.
    """
    title = lang.gettext("About this column")
    return f"Title: {title}\nSlug: about\n\n{starter_line(lang, author)}\n"
