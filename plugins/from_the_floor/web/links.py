"""Addresses of posts, as the blog's own URL settings write them: pure functions, no Pelican.

The notification email links to an answer, and the retired site's redirects map
an imported post's old address to its new one; both need a post's URL without a build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.question import Question
from ..errors import FloorError

# The posts' category's slug, part of ARTICLE_URL when it uses {category}: the one the first
# versions wrote (the category's name is now the column's, pelican_plugin/plugin.py), kept so no
# address changes. Written out, so checking the settings needs no slugger (a test keeps it equal
# to what core.ids.slug_for makes of the name).
CATEGORY_SLUG = "from-the-floor"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def category_slug(raw: dict[str, Any], path: Path = Path("pelicanconf.py")) -> str:
    """The posts' category's slug: FLOOR_CATEGORY_SLUG, which a new column sets from its name
    ("ask-ada"), or the one the first versions wrote, so a site that never set it keeps its
    addresses. Only lower-case letters, digits and single hyphens: it is part of an address."""
    given = raw.get("FLOOR_CATEGORY_SLUG")
    if given is None or given == "":
        return CATEGORY_SLUG
    if not isinstance(given, str) or not _SLUG.match(given):
        from ..core.ids import slug_for

        raise FloorError(
            f"{given!r} is not a slug: lower-case letters, digits and hyphens, e.g. "
            f"{slug_for(str(raw.get('FLOOR_NAME') or raw.get('SITENAME') or 'Ask Ada'))!r}",
            path=path,
            field="FLOOR_CATEGORY_SLUG",
        )
    return given


def post_url(base: str, raw: dict[str, Any], post: Question, published: Iterable[Question]) -> str:
    """The answer's address: Pelican's ARTICLE_URL for the post, with an anchor in a shared post."""
    group = [p for p in published if p.number == post.number and p.date == post.date]
    first = post
    if len(group) > 1:  # a multi-question post is shown at its first part's URL
        first = min(group, key=lambda p: (int(p.extra.get("part") or 0), p.id))
    from ..core.ids import slug_for

    pattern = str(raw.get("ARTICLE_URL", "{slug}.html"))
    try:
        path = pattern.format(
            slug=first.slug or first.id,
            date=first.date,
            lang=raw.get("DEFAULT_LANG", "en"),
            category=category_slug(raw),
            author=slug_for(str(raw.get("AUTHOR") or "")),
            number=first.number,
        )
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise FloorError(f"{pattern!r} cannot be filled in ({exc})", field="ARTICLE_URL") from None
    anchor = f"#{post.id}" if len(group) > 1 else ""
    return f"{base}/{path.lstrip('/')}{anchor}"


def imported_redirects(posts: list[Question]) -> dict[str, str]:
    """old address → the post's slug, for every imported post (for a redirect page or server rule).

    Both the post's address and, when it is one, its id: WordPress's GUID is
    the ``?p=123`` short link that old pages and emails often point to.
    """
    mapping: dict[str, str] = {}
    for post in posts:
        if post.source != "import":
            continue
        target = post.slug or post.id
        for address in (post.original_url, post.intake_id):
            if address and address.startswith(("http://", "https://")) and address not in mapping:
                mapping[address] = target
    return mapping
