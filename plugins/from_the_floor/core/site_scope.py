"""Is the column the whole site, or a section of a blog? One answer for every decision that depends on it.

A site made by `floor init` *is* the column: the kit's theme renders it and every article is a
column post, so the kit writes the site-wide files (404 page, sitemap, robots.txt) and retiring
ends the whole site. A blog that added the plugin is more than the column (its own theme, or
posts of its own): the kit writes only the column's posts, pages and feeds, and leaves the
blog's site-wide files to the blog unless its settings ask for them (docs/reader-site.md).
"""

from __future__ import annotations

from pathlib import Path

from ..paths import theme_dir


def column_theme(theme: str | Path) -> bool:
    """The kit's theme or a copy of it (this repository's demo has one in theme/): a theme made
    for a site that is the column, which shows the retired notice on every page. ``theme`` is the
    theme's folder, already resolved against the site where the setting is relative."""
    folder = Path(theme)
    return (
        folder.resolve() == Path(theme_dir()).resolve()
        or (folder / "templates" / "_retired_notice.html").is_file()
    )


def column_is_site(*, kit_theme: bool, other_articles: int) -> bool:
    """True for a site that is only the column: the kit's theme and no article outside the column."""
    return kit_theme and other_articles == 0


def wanted(setting: bool | None, *, column_is_the_site: bool) -> bool:
    """A site-wide file's setting: True or False as the site says; None (the default) writes it
    only when the column is the whole site, so a blog gets it only by asking."""
    return column_is_the_site if setting is None else setting
