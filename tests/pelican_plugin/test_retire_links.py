"""Link preservation: retiring never loses a URL, and `floor unretire` gives the column back.

A copy of the demo site is built and every URL of its output is listed. It is
then retired in archive mode, switched to redirect mode, and unretired, with a
build after each step. Every URL is fetched over HTTP from the built folder
each time: it must answer (200) with the page itself (archive) or with a
redirect page to its counterpart at the new home (redirect), zero gone.

After `floor unretire` and a build, output/ is the original byte for byte.
The only build-time input is the build date: the reader site's About and
Stats pages say "Forecast as of <date>" and the sitemap gives Stats that
<lastmod>. Every build here uses the same FLOOR_TODAY, so no file is exempt:
Pelican, the reader site (feeds, sitemap, Pagefind index) and this plugin
write identical bytes, and the files only a retired build writes (farewell,
complete column, downloads, _headers, _redirects, .htaccess, the nginx
snippet, output/.floor-retirement.json) are removed by the next live build.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import feedparser
import pytest
from from_the_floor.web.redirects import url_for
from helpers_floor import copy_demo_site, ok, run_floor
from helpers_serve import serve as served

TODAY = "2026-12-14"  # after the demo's last post
NEW_HOME = "https://new.example.org/column/"


def fetch_all(output: Path, urls: list[str]) -> dict[str, tuple[int, bytes]]:
    """URL path → (HTTP status, body) for each URL, served from ``output``."""
    got: dict[str, tuple[int, bytes]] = {}
    with served(output) as base:
        for url in urls:
            try:
                with urllib.request.urlopen(base + url, timeout=10) as response:
                    got[url] = (response.status, response.read())
            except urllib.error.HTTPError as exc:
                got[url] = (exc.code, b"")
    return got


def snapshot(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()
    }


def build(site: Path) -> dict[str, bytes]:
    ok(run_floor("build", site=site, today=TODAY))
    return snapshot(site / "output")


def refresh_and_canonical(page: str) -> tuple[str | None, str | None]:
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page)
    return (
        html.unescape(refresh.group(1)) if refresh else None,
        html.unescape(canonical.group(1)) if canonical else None,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo_site(tmp_path_factory.mktemp("links") / "demo")


def test_every_url_survives_both_modes_and_unretire_restores_the_site(demo: Path) -> None:
    original = build(demo)
    urls = sorted({url_for(rel) for rel in original})
    pages = sorted(url_for(rel) for rel in original if rel.endswith(".html"))
    assert (
        "/" in pages
        and any(u.startswith("/floor/") for u in pages)
        and any(u.startswith("/tag/") for u in pages)
    )
    assert all(status == 200 for status, _ in fetch_all(demo / "output", urls).values())

    # --- archive mode: every URL is still the page itself, with the notice --------------------
    ok(run_floor("retire", "--force", site=demo, today=TODAY))
    archived = build(demo)
    assert set(original) <= set(archived), f"gone: {sorted(set(original) - set(archived))}"
    answers = fetch_all(demo / "output", urls)
    gone = [u for u, (status, _) in answers.items() if status != 200]
    assert not gone, f"no longer answering: {gone}"
    for url in pages:
        body = answers[url][1].decode("utf-8")
        assert 'class="retired-notice"' in body, url
        assert 'http-equiv="refresh"' not in body, url
    # a post keeps its own content (its question), not just the notice
    post = next(u for u in pages if u.startswith("/floor/"))
    question = re.search(
        r'<h1 class="post-title">([^<]+)<', original[post.lstrip("/") + "index.html"].decode()
    )
    assert question and question.group(1) in answers[post][1].decode("utf-8")

    # --- redirect mode: every page redirects to the same path at the new home ------------------
    # The archive published its own addresses too (the farewell, which every feed's final entry
    # linked, the complete column, the downloads): readers and feed readers still hold them, so
    # redirect mode keeps them answering, the pages with a redirect to the new home's front page
    # (it has no farewell of its own), the downloads as they were.
    archive_only = sorted(rel for rel in set(archived) - set(original) if rel.endswith(".html") or "/" in rel)
    archive_pages = [url_for(rel) for rel in archive_only if rel.endswith(".html")]
    assert {"/farewell/", "/the-complete-column/"} <= set(archive_pages)
    assert any(rel.startswith("download/") and rel.endswith(".zip") for rel in archive_only)
    ok(run_floor("retire", "--mode", "redirect", "--to", NEW_HOME, site=demo, today=TODAY))
    redirected = build(demo)
    assert set(original) <= set(redirected), f"gone: {sorted(set(original) - set(redirected))}"
    answers = fetch_all(demo / "output", urls + [url_for(rel) for rel in archive_only])
    assert all(status == 200 for status, _ in answers.values())
    for url in archive_pages:
        refresh, canonical = refresh_and_canonical(answers[url][1].decode("utf-8"))
        assert refresh == canonical == NEW_HOME, url
        assert f"{url} {NEW_HOME} 301\n" in redirected["_redirects"].decode("utf-8"), url
        nginx = redirected["nginx-redirects.conf"].decode("utf-8")
        assert f'location = "{url}" {{ return 301 {NEW_HOME}; }}' in nginx, url
    for rel in archive_only:
        if not rel.endswith(".html"):
            assert redirected[rel] == archived[rel], rel  # a download is left as it was
    # a second build in redirect mode (the weekly job's) keeps them: the record carries them on
    assert build(demo) == redirected
    # and a build with no output/ to read that record from (the weekly job's cache lost) still
    # knows them from retired.json: the pages redirect, a download now gone gets a server rule
    assert json.loads((demo / "retired.json").read_text(encoding="utf-8"))["archive_until"]
    shutil.rmtree(demo / "output")
    afresh = build(demo)
    kept = fetch_all(demo / "output", [url_for(rel) for rel in archive_only])
    for url in archive_pages:
        assert kept[url][0] == 200, url
        assert refresh_and_canonical(kept[url][1].decode("utf-8")) == (NEW_HOME, NEW_HOME), url
    for rel in archive_only:
        if not rel.endswith(".html"):
            assert f"{url_for(rel)} {NEW_HOME} 301\n" in afresh["_redirects"].decode("utf-8"), rel
    assert {rel: afresh[rel] for rel in original} == {rel: redirected[rel] for rel in original}
    rules = redirected["_redirects"].decode("utf-8")
    htaccess = redirected[".htaccess"].decode("utf-8")
    nginx = redirected["nginx-redirects.conf"].decode("utf-8")
    for url in pages:
        # the page a host serves for every missing URL sends those readers to the new front page
        target = NEW_HOME if url == "/404.html" else NEW_HOME + url.lstrip("/")
        refresh, canonical = refresh_and_canonical(answers[url][1].decode("utf-8"))
        assert refresh == canonical == target, url
        assert f"{url} {target} 301\n" in rules, url
        assert f'"{target}"' in htaccess, url
        assert f'location = "{url}" {{ return 301 {target}; }}' in nginx, url
    # the feeds keep their URL and say where the column went
    atom = feedparser.parse(redirected["feeds/all.atom.xml"])
    assert not atom.bozo and [e.link for e in atom.entries] == [NEW_HOME]
    json_feed = json.loads(redirected["feeds/all.json"])
    assert json_feed["expired"] is True and [i["url"] for i in json_feed["items"]] == [NEW_HOME]

    # --- unretire: the original site, byte for byte --------------------------------------------
    ok(run_floor("unretire", site=demo, today=TODAY))
    restored = build(demo)
    assert sorted(restored) == sorted(original)
    changed = [rel for rel in original if restored[rel] != original[rel]]
    assert not changed, f"not restored byte for byte: {changed}"


def test_archive_straight_back_to_live(demo: Path) -> None:
    """Archive → unretire without the redirect detour also leaves no trace."""
    before = build(demo)
    ok(run_floor("retire", "--force", site=demo, today=TODAY))
    retired = build(demo)
    extra = sorted(set(retired) - set(before))
    assert {"_headers", ".htaccess", "farewell/index.html", "the-complete-column/index.html"} <= set(extra)
    ok(run_floor("unretire", site=demo, today=TODAY))
    assert build(demo) == before


def test_the_default_farewell_says_which_posts_were_withdrawn() -> None:
    """ "Over 3 posts" while the complete column's numbers run to #5: the farewell names the gaps."""
    from from_the_floor.pelican_plugin.retirement import default_farewell

    info = {"name": "Ask Ada", "from_readers": 3, "posts": 3, "last_post_text": "", "to": None}
    plain = default_farewell({**info, "withdrawn": []}, {})
    assert "withdrawn" not in plain
    said = default_farewell({**info, "withdrawn": [2, 5]}, {})
    assert "Over 3 posts, 3 questions from readers were answered here. Posts #2 and #5 were withdrawn" in said
    french = default_farewell({**info, "withdrawn": [4]}, {"DEFAULT_LANG": "fr"})
    assert "Le billet n° 4 a été retiré et n’est pas compté." in french
