"""The pieces of a retired site's output, one by one: redirect pages and server rules,
the Sunset headers and our block in shared config files, and the feeds' final entry."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import feedparser
import pytest
from feedgenerator import Atom1Feed, Rss201rev2Feed
from from_the_floor.web import final_entry, headers, redirects

WHEN = dt.datetime(2027, 5, 24, 9, 17, tzinfo=dt.UTC)
HOME = "https://new.example.org/column/"


# --- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "url"),
    [
        ("index.html", "/"),
        ("floor/why/index.html", "/floor/why/"),
        ("feeds/all.atom.xml", "/feeds/all.atom.xml"),
        ("theme/css/floor.css", "/theme/css/floor.css"),
    ],
)
def test_url_for(rel: str, url: str) -> None:
    assert redirects.url_for(rel) == url


def test_targets_keep_the_path_or_go_to_the_root() -> None:
    assert redirects.target_for("/floor/why/", HOME) == HOME + "floor/why/"
    assert redirects.target_for("/floor/why/", HOME.rstrip("/")) == HOME + "floor/why/"
    assert redirects.target_for("/", HOME) == HOME
    assert redirects.target_for("/tag/café/", HOME) == HOME + "tag/caf%C3%A9/"
    assert redirects.target_for("/floor/why/", HOME, "root") == HOME


def test_redirect_page_has_refresh_canonical_and_a_link_and_escapes_the_title() -> None:
    page = redirects.redirect_page(
        HOME + "floor/a/", title='Is "<b>" bold?', sitename="From the Floor", lang="en", robots="noindex"
    )
    assert f'<link rel="canonical" href="{HOME}floor/a/">' in page
    assert f'<meta http-equiv="refresh" content="0; url={HOME}floor/a/">' in page
    assert f'<a href="{HOME}floor/a/">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert redirects.page_title("<title>A &amp; B · Site</title>") == "A & B · Site"


def test_rewrite_pages_replaces_each_page_with_its_redirect(tmp_path: Path) -> None:
    (tmp_path / "floor" / "a").mkdir(parents=True)
    (tmp_path / "floor" / "a" / "index.html").write_text("<title>First</title><p>old</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text("<title>Home</title>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<title>Not found</title>", encoding="utf-8")
    (tmp_path / "style.css").write_text("p{}", encoding="utf-8")
    pages = redirects.pages(tmp_path)
    assert pages == ["404.html", "floor/a/index.html", "index.html"]
    mapping = redirects.rewrite_pages(tmp_path, pages, to=HOME, paths="same", sitename="S")
    assert mapping == {"/404.html": HOME, "/floor/a/": HOME + "floor/a/", "/": HOME}
    page = (tmp_path / "floor" / "a" / "index.html").read_text(encoding="utf-8")
    assert "old" not in page and "Moved: First" in page
    assert (tmp_path / "style.css").read_text(encoding="utf-8") == "p{}"  # assets untouched


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])  # ar: the page says dir="rtl" too
def test_a_page_that_is_already_its_redirect_is_left_as_it_is(tmp_path: Path, lang: str) -> None:
    """A build that kept last week's redirect pages rewrites none of them, and never wraps one
    in a second "Moved:", with or without a title."""
    (tmp_path / "floor" / "a").mkdir(parents=True)
    (tmp_path / "floor" / "a" / "index.html").write_text("<title>A &amp; B · S</title>", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>no title</p>", encoding="utf-8")
    pages = ["floor/a/index.html", "index.html"]
    kwargs = {"to": HOME, "paths": "same", "sitename": "S", "lang": lang, "robots": "noindex"}
    redirects.rewrite_pages(tmp_path, pages, **kwargs)
    first = {rel: (tmp_path / rel).read_bytes() for rel in pages}
    stamps = {rel: (tmp_path / rel).stat().st_mtime_ns for rel in pages}
    assert redirects.earlier_redirect(first["floor/a/index.html"].decode()) == (True, "A & B · S")
    assert redirects.earlier_redirect(first["index.html"].decode()) == (True, None)
    redirects.rewrite_pages(tmp_path, pages, **kwargs)
    redirects.rewrite_pages(tmp_path, pages, **kwargs)
    assert {rel: (tmp_path / rel).read_bytes() for rel in pages} == first
    assert {rel: (tmp_path / rel).stat().st_mtime_ns for rel in pages} == stamps  # not even rewritten
    assert redirects.earlier_redirect("<title>Moved: a page of the author's own</title>") == (False, None)


def test_server_rules_cover_each_page_and_its_index_html() -> None:
    mapping = {"/": HOME, "/floor/a-b/": HOME + "floor/a-b/"}
    rules = redirects.redirects_file(mapping, "/old")
    assert f"/old/floor/a-b/ {HOME}floor/a-b/ 301\n" in rules
    assert f"/old/floor/a-b/index.html {HOME}floor/a-b/ 301\n" in rules
    assert rules.startswith(headers.BEGIN) and rules.rstrip().endswith(headers.END)
    assert " 301!\n" in redirects.redirects_file(mapping, force=True)

    apache = redirects.apache_redirects(mapping)
    patterns = re.findall(r'RedirectMatch 301 "([^"]+)" "([^"]+)"', apache)
    assert len(patterns) == 2
    pattern = re.compile(next(p for p, t in patterns if t.endswith("a-b/")))
    assert pattern.match("/floor/a-b/") and pattern.match("/floor/a-b/index.html")
    assert not pattern.match("/floor/a-b/other/") and not pattern.match("/floor/aXb/")

    nginx = redirects.nginx_snippet(mapping, "", ["add_header Sunset 'x' always;"])
    assert f'location = "/floor/a-b/" {{ return 301 {HOME}floor/a-b/; }}' in nginx
    assert f'location = "/index.html" {{ return 301 {HOME}; }}' in nginx
    assert "add_header Sunset 'x' always;" in nginx


def test_base_path() -> None:
    assert redirects.base_path("https://example.github.io/column/") == "/column"
    assert redirects.base_path("https://example.org") == ""
    assert redirects.base_path("") == ""


# --- headers -------------------------------------------------------------------------------


def test_sunset_is_an_http_date_and_link_names_both_ends() -> None:
    pairs = headers.retirement_headers(WHEN, "https://old.example/farewell/", HOME, "noindex")
    assert pairs == [
        ("Sunset", "Mon, 24 May 2027 09:17:00 GMT"),
        ("Link", f'<https://old.example/farewell/>; rel="sunset", <{HOME}>; rel="successor-version"'),
        ("X-Robots-Tag", "noindex"),
    ]
    with pytest.raises(ValueError):
        headers.http_date(dt.datetime(2027, 5, 24))
    block = headers.headers_file(pairs)
    assert "\n/*\n  Sunset: Mon, 24 May 2027 09:17:00 GMT\n" in block
    assert (
        'Header always set Link "<https://old.example/farewell/>; rel=\\"sunset\\"'
        in headers.apache_headers(pairs)
    )


def test_our_block_lives_beside_the_authors_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "_headers"
    own = "/feeds/*\n  Access-Control-Allow-Origin: *\n"
    path.write_text(own, encoding="utf-8")
    block = headers.headers_file([("Sunset", "Mon, 24 May 2027 09:17:00 GMT")])
    headers.write_block(path, block)
    headers.write_block(path, block)  # again: replaced, not doubled
    text = path.read_text(encoding="utf-8")
    assert text.startswith(own) and text.count(headers.BEGIN) == 1
    assert headers.remove_block(path)
    assert path.read_text(encoding="utf-8") == own
    ours_only = tmp_path / "_redirects"
    headers.write_block(ours_only, block)
    assert headers.remove_block(ours_only) and not ours_only.exists()
    assert not headers.remove_block(ours_only)


# --- the final entry ---------------------------------------------------------------------------

ENTRY = final_entry.FinalEntry(
    id="urn:uuid:11111111-2222-5333-8444-555555555555",
    title="The column has ended",
    url="https://old.example/farewell/",
    html="<p>Thank you & goodbye.</p>",
    date=WHEN,
    author="Robin",
)


def _feed(kind: str) -> str:
    feed_class = Atom1Feed if kind == "atom" else Rss201rev2Feed
    feed = feed_class(
        title="Column", link="https://old.example/", description="Q&A", feed_url="https://old.example/f"
    )
    for n in (2, 1):  # newest first, as Pelican writes them
        feed.add_item(
            title=f"Post {n}",
            link=f"https://old.example/floor/{n}/",
            description=f"<p>Answer {n}</p>",
            pubdate=WHEN - dt.timedelta(weeks=4 - n),
            unique_id=f"tag:old.example,2027:{n}",
        )
    return feed.writeString("utf-8")


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_the_final_entry_comes_first_once_and_parses(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"all.{kind}.xml"
    path.write_text(_feed(kind), encoding="utf-8")
    assert final_entry.feed_kind(path) == kind
    once = final_entry.with_final_entry(path.read_text(encoding="utf-8"), kind, ENTRY)
    assert final_entry.with_final_entry(once, kind, ENTRY) == once  # idempotent
    parsed = feedparser.parse(once)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["The column has ended", "Post 2", "Post 1"]
    assert parsed.entries[0].link == ENTRY.url and "goodbye" in parsed.entries[0].summary
    updated = parsed.feed.get("updated_parsed")
    assert updated is None or dt.datetime(*updated[:6], tzinfo=dt.UTC) == WHEN

    only = feedparser.parse(final_entry.only_final_entry(_feed(kind), kind, ENTRY))
    assert not only.bozo and [e.title for e in only.entries] == ["The column has ended"]


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_a_feed_ended_before_gets_the_final_entry_as_it_is_now(kind: str) -> None:
    """A feed the incremental build kept already ends with last build's entry: brought up to date."""
    import dataclasses

    once = final_entry.with_final_entry(_feed(kind), kind, ENTRY)
    now = dataclasses.replace(ENTRY, html="<p>Thank you for 41 questions.</p>")
    updated = final_entry.with_final_entry(once, kind, now)
    assert updated == final_entry.with_final_entry(_feed(kind), kind, now)
    parsed = feedparser.parse(updated)
    assert [e.title for e in parsed.entries] == ["The column has ended", "Post 2", "Post 1"]
    assert "41 questions" in parsed.entries[0].summary and "goodbye" not in updated


def test_json_feed_expires(tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    data = {"version": "https://jsonfeed.org/version/1.1", "title": "Column", "items": [{"id": "1"}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert final_entry.feed_kind(path) == "json"
    changed = final_entry.end_feeds(tmp_path, final_entry.find_feeds(tmp_path), ENTRY, replace=False)
    assert changed == ["all.json"]
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["expired"] is True and [i["id"] for i in after["items"]] == [ENTRY.id, "1"]
    assert final_entry.end_feeds(tmp_path, {"all.json": "json"}, ENTRY, replace=False) == []  # once only


def test_only_feeds_are_feeds(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset></urlset>', encoding="utf-8")
    (tmp_path / "data.json").write_text('{"version": 2}', encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert final_entry.find_feeds(tmp_path) == {}
