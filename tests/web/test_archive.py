"""Archive mode, built: the notice, the farewell, the final feed entries, the Sunset header,
"The complete column", and the zip and WARC downloads, opened with their standard readers.

The column has a two-question post and a one-question post, and is built the
way the weekly job builds it (publishconf.py with a production SITEURL under
a path), so URLs, counts and merged posts are all exercised.
"""

from __future__ import annotations

import email.utils
import io
import json
import re
import zipfile
from pathlib import Path

import feedparser
import pytest
from from_the_floor.core import retire
from helpers_publish import add_question, floor, new_site, ok
from warcio.archiveiterator import ArchiveIterator

SITEURL = "https://example.org/column"
RETIRED_AT = "2026-12-07T09:30:00+00:00"
FAREWELL = "Thank you all. *Every* question mattered."


def build(site: Path) -> dict[str, bytes]:
    ok(
        floor(
            site,
            "build",
            "--settings",
            "publishconf.py",
            today=RETIRED_AT,
            extra_env={"FLOOR_SITEURL": SITEURL},
        )
    )
    out = site / "output"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def column(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """(site, output before retiring, output after): three questions in two posts, retired."""
    site = new_site(
        tmp_path_factory.mktemp("archive") / "site",
        questions_per_post=2,
        farewell=FAREWELL,
        retire_robots="noindex",
    )
    add_question(site, "why-ask-in-public", asked="2026-10-01", tags="[listening]")
    add_question(site, "what-about-tone", asked="2026-10-02", tags="[tone]")
    add_question(site, "how-long-is-an-answer", asked="2026-10-03", tags="[writing]")
    add_question(site, "spam", asked="2026-10-04", answered=False, declined="spam")
    ok(floor(site, "publish", today="2026-11-09T09:00:00+00:00"))
    ok(floor(site, "publish", today="2026-11-16T09:00:00+00:00"))
    before = build(site)
    ok(floor(site, "retire", today=RETIRED_AT))  # declined counts as done: no --force needed
    return site, before, build(site)


def text(out: dict[str, bytes], rel: str) -> str:
    return out[rel].decode("utf-8")


def post_pages(out: dict[str, bytes]) -> list[str]:
    return sorted(rel for rel in out if re.fullmatch(r"floor/[^/]+/index\.html", rel))


def test_every_page_has_the_notice_and_the_sunset_link(column) -> None:
    _, before, after = column
    pages = [rel for rel in after if rel.endswith(".html")]
    assert len(pages) > 8
    for rel in pages:
        page = text(after, rel)
        assert 'class="retired-notice"' in page, rel
        assert f'<link rel="sunset" href="{SITEURL}/farewell/"' in page, rel
        assert '<meta name="robots" content="noindex">' in page, rel
    home = text(after, "index.html")
    assert "answered 3 questions from readers" in home  # 3 questions in 2 posts
    assert '<time datetime="2026-11-16T09:00:00+00:00">16 November 2026</time>' in home
    for link in (
        "the-complete-column/",
        "download/test-column.zip",
        "download/test-column.warc.gz",
        "farewell/",
    ):
        assert f'href="{SITEURL}/{link}"' in home
    assert not any("retired-notice" in text(before, rel) for rel in before if rel.endswith(".html"))


def test_the_notice_is_a_named_region_and_no_heading_comes_before_the_pages_h1(column) -> None:
    """The notice sits above <main>: were its label a heading, a screen reader's list of
    headings would start with "This column has ended" instead of the page's own title."""
    _, _, after = column
    pages = [rel for rel in after if rel.endswith(".html") and "<h1" in text(after, rel)]
    assert "index.html" in pages and post_pages(after) and set(post_pages(after)) <= set(pages)
    for rel in pages:
        page = text(after, rel)
        notice = re.search(
            r'<section class="retired-notice" aria-labelledby="([^"]+)".*?</section>', page, re.DOTALL
        )
        assert notice, rel
        assert f'id="{notice.group(1)}"' in notice.group(0) and "This column has ended" in notice.group(0)
        assert re.search(r"<h[1-6]\b", page).group(0) == "<h1", rel


def test_farewell_page_and_the_final_entry_of_every_feed(column) -> None:
    _, before, after = column
    farewell = text(after, "farewell/index.html")
    assert "Thank you all. <em>Every</em> question mattered." in farewell
    feeds = [rel for rel in after if rel.startswith("feeds/") and rel.endswith((".xml", ".json"))]
    assert {"feeds/all.atom.xml", "feeds/all.rss.xml"} <= set(feeds)
    for rel in feeds:
        if rel.endswith(".json"):
            data = json.loads(after[rel])
            assert data["expired"] is True
            assert data["items"][0]["url"] == f"{SITEURL}/farewell/"
            assert len(data["items"]) == len(json.loads(before[rel])["items"]) + 1
            continue
        parsed = feedparser.parse(after[rel])
        assert not parsed.bozo, (rel, parsed.get("bozo_exception"))
        newest = parsed.entries[0]
        assert newest.link == f"{SITEURL}/farewell/", rel
        assert "has ended" in newest.title and "Every" in newest.summary
        assert len(parsed.entries) == len(feedparser.parse(before[rel]).entries) + 1, rel


def test_headers_file_carries_sunset_and_link(column) -> None:
    _, _, after = column
    headers = text(after, "_headers")
    sunset = re.search(r"^  Sunset: (.+)$", headers, re.M)
    assert sunset and email.utils.parsedate_to_datetime(sunset.group(1)).isoformat() == RETIRED_AT
    assert f'  Link: <{SITEURL}/farewell/>; rel="sunset"' in headers
    assert "  X-Robots-Tag: noindex" in headers
    assert headers.startswith("# BEGIN From the Floor retirement") and "\n/*\n" in headers
    assert 'Header always set Sunset "Mon, 07 Dec 2026 09:30:00 GMT"' in text(after, ".htaccess")


def test_the_complete_column_has_every_question_in_order(column) -> None:
    site, _, after = column
    page = text(after, "the-complete-column/index.html")
    questions = [f"What about {qid.replace('-', ' ')}?" for qid in ("why-ask-in-public", "what-about-tone")]
    questions.append("What about how long is an answer?")
    body = page[page.index('data-pagefind-ignore="all"') :]  # the posts, after the contents list
    positions = [body.find(q) for q in questions]
    assert all(p > 0 for p in positions) and positions == sorted(positions), positions
    assert "spam" not in page.lower()  # declined: never published
    for rel in post_pages(after):
        assert f'href="{SITEURL}/{rel.removesuffix("index.html")}"' in page
    # the posts' own headings sit one level below each post's title
    assert '<h2 class="floor-label"' not in page and '<h3 class="floor-label"' in page
    assert 'aria-label="Questions in #1"' in page  # the two-question post's contents, named uniquely
    assert retire.read_state(site) is not None


def test_zip_opens_and_holds_the_whole_site(column) -> None:
    _, _, after = column
    archive = zipfile.ZipFile(io.BytesIO(after["download/test-column.zip"]))
    assert archive.testzip() is None
    names = set(archive.namelist())
    site_files = {
        rel
        for rel in after
        if not rel.startswith(("download/", ".")) and rel not in ("_headers", "_redirects")
    }
    assert {f"test-column/{rel}" for rel in site_files} == names
    for rel in [*post_pages(after), "the-complete-column/index.html", "index.html"]:
        assert archive.read(f"test-column/{rel}") == after[rel]


def test_warc_opens_and_holds_every_page_at_its_public_url(column) -> None:
    _, _, after = column
    responses: dict[str, tuple[bytes, str | None]] = {}
    types = []
    for record in ArchiveIterator(io.BytesIO(after["download/test-column.warc.gz"])):
        types.append(record.rec_type)
        if record.rec_type == "warcinfo":  # named after the column, in its language
            fields = record.content_stream().read().decode("utf-8")
            assert "description: Test Column, every page as it was when the column ended.\r\n" in fields
        if record.rec_type == "response":
            uri = record.rec_headers.get_header("WARC-Target-URI")
            responses[uri] = (record.content_stream().read(), record.http_headers.get_header("Sunset"))
    assert types[0] == "warcinfo"
    for rel in [*post_pages(after), "index.html", "the-complete-column/index.html", "feeds/all.atom.xml"]:
        uri = f"{SITEURL}/{rel.removesuffix('index.html')}"
        assert uri in responses, uri
        body, sunset = responses[uri]
        assert body == after[rel] and sunset == "Mon, 07 Dec 2026 09:30:00 GMT"


def test_rebuilding_a_retired_site_writes_the_same_bytes(column) -> None:
    site, _, after = column
    again = build(site)
    assert again == after  # the zip and the WARC are reproducible, like every page


def test_a_contact_in_the_output_stops_the_build_before_any_download(tmp_path: Path) -> None:
    site = new_site(tmp_path / "leaky")
    add_question(site, "leak", asked="2026-10-01", contact="reader@example.net")
    ok(floor(site, "publish", today="2026-11-09T09:00:00+00:00"))
    ok(floor(site, "retire", today="2026-12-01"))
    page = site / "content" / "pages" / "contact.md"
    page.write_text("Title: Contact\n\nWrite to reader@example.net\n", encoding="utf-8")
    result = floor(site, "build", today="2026-12-01")
    assert result.returncode == 1 and "private contact" in result.stderr
    assert not list((site / "output").glob("download/*"))
