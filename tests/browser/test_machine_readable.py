"""What machines read from the served demo site: the JSON Feed, per-tag Atom and RSS feeds,
JSON-LD (extracted with extruct), Open Graph, canonical URLs, sitemap.xml and robots.txt.

Fetched over HTTP from the same local server the browser tests use; links are
discovered from the pages, as a feed reader or a crawler would find them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import extruct
import feedparser
import pytest

pytestmark = pytest.mark.browser

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
JSON_FEED_ITEM_KEYS = {
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
}


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return response.read(), response.headers.get("Content-Type", "")


def text_of(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


class _Head(HTMLParser):
    """<link> and <meta> elements of a page, and its visible 'Asked by …' lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.metas: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append({k: v or "" for k, v in attrs})
        elif tag == "meta":
            self.metas.append({k: v or "" for k, v in attrs})


def head(markup: str) -> _Head:
    parser = _Head()
    parser.feed(markup)
    return parser


def alternate(markup: str, kind: str) -> list[str]:
    return [
        link["href"]
        for link in head(markup).links
        if link.get("rel") == "alternate" and link.get("type") == kind
    ]


@pytest.fixture(scope="session")
def posts(built_site: Path, site_url: str) -> dict[str, str]:
    """URL → HTML of every post, fetched from the server."""
    found = {}
    for path in sorted((built_site / "floor").glob("*/index.html")):
        url = f"{site_url}/{path.parent.relative_to(built_site).as_posix()}/"
        found[url] = fetch(url)[0].decode("utf-8")
    assert len(found) >= 2
    return found


def thoughtful(markup: str) -> str:
    match = re.search(r'<div class="floor-thoughtful-answer">(.*?)</div>', markup, re.DOTALL)
    assert match, "no thoughtful answer on the page"
    return text_of(match.group(1))


def test_the_json_feed_is_valid_json_feed_1_1_with_full_qa(site_url, posts):
    home = fetch(site_url + "/")[0].decode("utf-8")
    links = alternate(home, "application/feed+json")
    assert len(links) == 1, "the home page links one JSON Feed"
    feed_url = urljoin(site_url + "/", links[0])
    body, _ = fetch(feed_url)
    doc = json.loads(body)
    # required by the spec
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(doc["title"], str) and doc["title"]
    assert isinstance(doc["items"], list)
    assert urljoin(site_url + "/", doc["feed_url"]) == feed_url
    assert doc["authors"] and all(a.get("name") for a in doc["authors"])
    ids = [item["id"] for item in doc["items"]]
    assert len(ids) == len(set(ids)) == len(posts)
    dates = []
    for item in doc["items"]:
        assert set(item) <= JSON_FEED_ITEM_KEYS | {"_from_the_floor"}
        assert item["id"] and (item.get("content_html") or item.get("content_text"))
        published = dt.datetime.fromisoformat(item["date_published"])
        assert published.tzinfo is not None, "RFC 3339 dates carry an offset"
        dates.append(published)
        url = urljoin(site_url + "/", item["url"])
        assert url in posts
        assert "More thoughtful answer" in item["content_html"]
        assert thoughtful(posts[url]) in text_of(item["content_html"]), "the full answer"
        extension = item["_from_the_floor"]
        assert extension["number"] >= 1 and extension["questions"][0]["question"]
    assert dates == sorted(dates, reverse=True), "newest first"


def test_per_tag_atom_and_rss_feeds_carry_the_full_answers(site_url, built_site, posts):
    tag_pages = sorted((built_site / "tag").glob("*/index.html"))
    assert tag_pages
    for tag_page in tag_pages:
        url = f"{site_url}/{tag_page.parent.relative_to(built_site).as_posix()}/"
        markup = fetch(url)[0].decode("utf-8")
        listed = {
            urljoin(url, href)
            for href in re.findall(r'<ul class="post-list">.*?</ul>', markup, re.DOTALL)[0].split('href="')[
                1:
            ]
            for href in [href.split('"')[0]]
        }
        for kind in ("application/atom+xml", "application/rss+xml"):
            links = [h for h in alternate(markup, kind) if "/tag/" in h]
            assert len(links) == 1, f"{url} does not link its {kind} feed"
            feed_url = urljoin(url, links[0])
            assert page_links_to(markup, links[0]), "the tag page shows the feed link too"
            body, content_type = fetch(feed_url)
            feed = feedparser.parse(
                body, response_headers={"content-location": feed_url, "content-type": content_type}
            )
            assert not feed.bozo, f"{feed_url}: {feed.get('bozo_exception')}"
            entries = {urljoin(feed_url, e.link): e for e in feed.entries}
            assert set(entries) == listed, f"{feed_url} and {url} disagree"
            for entry_url, entry in entries.items():
                full = " ".join(c.value for c in entry.get("content", [])) or entry.get("description", "")
                assert thoughtful(posts[entry_url]) in text_of(full), f"{feed_url}: {entry_url} is not full"


def page_links_to(markup: str, href: str) -> bool:
    return f'<a href="{href}"' in markup


def blog_posting(url: str, markup: str) -> dict:
    data = extruct.extract(markup, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert len(data) == 1, f"{url}: expected one JSON-LD object, found {len(data)}"
    return data[0]


def test_json_ld_on_every_post_has_every_property_the_issue_lists(posts):
    credited_seen = anonymous_seen = False
    for url, markup in posts.items():
        data = blog_posting(url, markup)
        assert data["@context"].rstrip("/") in {"https://schema.org", "http://schema.org"}
        assert data["@type"] == "BlogPosting", "not QAPage, not FAQPage"
        assert "QAPage" not in markup and "FAQPage" not in markup
        for key in ("headline", "datePublished", "dateModified", "author", "publisher", "url", "keywords"):
            assert data.get(key), f"{url}: BlogPosting lacks {key}"
        assert urljoin(url, data["url"]) == url
        visible_tags = re.findall(r'<a rel="tag" href="[^"]*">([^<]*)</a>', markup)
        assert data["keywords"] == visible_tags
        assert dt.datetime.fromisoformat(data["datePublished"]).tzinfo is not None
        question = data["mainEntity"]
        assert question["@type"] == "Question"
        for key in ("name", "text", "dateCreated", "answerCount", "acceptedAnswer"):
            assert key in question, f"{url}: Question lacks {key}"
        assert question["name"] in text_of(markup)
        asked_by = re.search(r'<p class="floor-asker">Asked by (.*?) on', markup).group(1)
        if asked_by == "a reader":
            assert "author" not in question, f"{url}: an uncredited asker is named"
            anonymous_seen = True
        else:
            assert question["author"]["name"] == asked_by
            credited_seen = True
        answer = question["acceptedAnswer"]
        assert answer["@type"] == "Answer"
        for key in ("text", "url", "datePublished", "author"):
            assert answer.get(key), f"{url}: Answer lacks {key}"
        assert thoughtful(markup) in " ".join(answer["text"].split())
        anchor = urlsplit(urljoin(url, answer["url"])).fragment
        assert f'id="{anchor}"' in markup, "the answer's URL points at the answer"
    assert credited_seen and anonymous_seen, "the demo has both kinds of asker"


def test_open_graph_and_canonical_urls(site_url, posts, site_paths):
    for url, markup in posts.items():
        og = {
            m["property"]: m["content"] for m in head(markup).metas if m.get("property", "").startswith("og:")
        }
        assert og["og:type"] == "article"
        assert og["og:title"] and og["og:description"] and og["og:site_name"]
        canonical = [link["href"] for link in head(markup).links if link.get("rel") == "canonical"]
        assert len(canonical) == 1 and urljoin(url, canonical[0]) == url
        assert urljoin(url, og["og:url"]) == url
        described = [m["content"] for m in head(markup).metas if m.get("name") == "description"]
        assert described and described[0]
    for kind in ("home", "tag", "tags", "archives", "about", "ask", "stats", "comment_policy"):
        url = site_url + site_paths[kind]
        markup = fetch(url)[0].decode("utf-8")
        canonical = [link["href"] for link in head(markup).links if link.get("rel") == "canonical"]
        assert len(canonical) == 1 and urljoin(url, canonical[0]) == url, kind


def test_sitemap_and_robots(site_url, posts, built_site):
    body, _ = fetch(site_url + "/sitemap.xml")
    root = ET.fromstring(body)
    assert root.tag == f"{SITEMAP}urlset"
    locs = [urljoin(site_url + "/", u.findtext(f"{SITEMAP}loc")) for u in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs))
    assert set(posts) <= set(locs)
    for tag_page in (built_site / "tag").glob("*/index.html"):
        assert f"{site_url}/{tag_page.parent.relative_to(built_site).as_posix()}/" in locs
    assert f"{site_url}/stats/" in locs and f"{site_url}/search/" not in locs
    for loc in locs:
        fetch(loc)  # every listed URL answers 200

    robots_text = fetch(site_url + "/robots.txt")[0].decode("utf-8")
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(robots_text.splitlines())
    for url in posts:
        assert robots.can_fetch("Googlebot", url)
    assert not robots.can_fetch("Googlebot", site_url + "/pagefind/pagefind.js")
