"""Pelican's own slugify for a tag, handed to core/tag_slugs.py (core never imports Pelican)."""

from __future__ import annotations

from typing import Any


def pelican_slug(name: str, settings: dict[str, Any]) -> str:
    """The slug Pelican's slugify gives the tag ``name`` under these settings (may be empty)."""
    from pelican.settings import DEFAULT_CONFIG  # imported here: `floor check` with known tags stays fast
    from pelican.utils import slugify

    subs = settings.get(
        "TAG_REGEX_SUBSTITUTIONS",
        settings.get("SLUG_REGEX_SUBSTITUTIONS", DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]),
    )
    return slugify(
        name,
        regex_subs=subs,
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
