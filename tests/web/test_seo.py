"""seo: sitemap.xml and robots.txt that parse and say what they should."""

from __future__ import annotations

import datetime as dt
import urllib.robotparser
import xml.etree.ElementTree as ET

import pytest
from from_the_floor.web import seo

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_absolute():
    assert seo.absolute("https://example.org/column/", "/floor/x/") == "https://example.org/column/floor/x/"
    assert seo.absolute("", "floor/x/") == "/floor/x/"
    assert seo.absolute("https://example.org", "") == "https://example.org/"


def test_sitemap_lists_each_url_once_with_lastmod():
    xml = seo.sitemap_xml(
        [
            ("https://example.org/", dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)),
            ("https://example.org/a?x=1&y=2", dt.date(2026, 11, 2)),
            ("https://example.org/", None),
            ("https://example.org/about/", None),
        ]
    )
    root = ET.fromstring(xml.encode())
    urls = [(u.findtext(f"{NS}loc"), u.findtext(f"{NS}lastmod")) for u in root.findall(f"{NS}url")]
    assert urls == [
        ("https://example.org/", "2026-11-09T09:00:00+00:00"),
        ("https://example.org/a?x=1&y=2", "2026-11-02"),
        ("https://example.org/about/", None),
    ]
    with pytest.raises(ValueError):
        seo.sitemap_xml([("https://example.org/", dt.datetime(2026, 1, 1))])


def test_robots_allows_pages_blocks_the_search_bundle_and_names_the_sitemap():
    text = seo.robots_txt("https://example.org/sitemap.xml", ["/pagefind/"])
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    assert parser.can_fetch("*", "https://example.org/floor/x/")
    assert not parser.can_fetch("*", "https://example.org/pagefind/pagefind.js")
    assert parser.site_maps() == ["https://example.org/sitemap.xml"]
    assert "Sitemap" not in seo.robots_txt("/sitemap.xml"), "a sitemap URL must be absolute"
