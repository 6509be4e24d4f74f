"""What crawlers read: absolute URLs, sitemap.xml and robots.txt.

Search engines want absolute URLs; a development build (SITEURL = "") can
only give site-relative ones, which is what Pelican's own links do too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from xml.sax.saxutils import escape


def absolute(siteurl: str, path: str) -> str:
    """SITEURL joined to a site path ("floor/x/", "/", "") with exactly one slash."""
    base = (siteurl or "").rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def sitemap_xml(entries: Iterable[tuple[str, dt.date | dt.datetime | None]]) -> str:
    """A sitemaps.org urlset; each URL once, in the order given, lastmod when known."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    seen: set[str] = set()
    for loc, lastmod in entries:
        if loc in seen:
            continue
        seen.add(loc)
        line = f"<url><loc>{escape(loc)}</loc>"
        if isinstance(lastmod, dt.datetime):
            if lastmod.tzinfo is None:
                raise ValueError(f"{loc}: lastmod needs a UTC offset")
            line += f"<lastmod>{lastmod.isoformat(timespec='seconds')}</lastmod>"
        elif isinstance(lastmod, dt.date):
            line += f"<lastmod>{lastmod.isoformat()}</lastmod>"
        lines.append(line + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(sitemap_url: str | None, disallow: Iterable[str] = ()) -> str:
    """Everything may be crawled except ``disallow``; the sitemap only when its URL is absolute."""
    lines = ["User-agent: *"]
    blocked = [f"Disallow: {path}" for path in disallow]
    lines += blocked or ["Allow: /"]
    if sitemap_url and sitemap_url.startswith(("http://", "https://")):
        lines += ["", f"Sitemap: {sitemap_url}"]
    return "\n".join(lines) + "\n"
