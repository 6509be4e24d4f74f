"""Other Pelican plugins that write what the reader's site would: the kit steps aside.

pelican-sitemap writes ``sitemap.xml``; pelican-seo with ``SEO_ENHANCER`` on
writes ``robots.txt`` (and adds canonical links, Open Graph and its own
article JSON-LD to each page). Writing ours too would silently overwrite
theirs, or theirs ours, depending on the order Pelican happens to run them.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

SITEMAP_PLUGINS = ("pelican.plugins.sitemap", "sitemap")
SEO_PLUGINS = ("pelican.plugins.seo", "seo")


def _enabled(settings: dict, names: tuple[str, ...]) -> bool:
    return any(str(p) in names for p in settings.get("PLUGINS") or [])


def sitemap_by_peer(settings: dict) -> bool:
    return _enabled(settings, SITEMAP_PLUGINS)


def robots_by_peer(settings: dict) -> bool:
    return _enabled(settings, SEO_PLUGINS) and bool(settings.get("SEO_ENHANCER", False))


def announce(settings: dict) -> None:
    """Say once per build what the kit leaves to whom."""
    if sitemap_by_peer(settings):
        log.info("pelican-sitemap is enabled: it writes sitemap.xml, so the column does not")
    if robots_by_peer(settings):
        log.info(
            "pelican-seo's SEO_ENHANCER is on: it writes robots.txt, so the column does not; it also "
            "adds its own canonical link and article JSON-LD beside the column's QAPage data"
        )
