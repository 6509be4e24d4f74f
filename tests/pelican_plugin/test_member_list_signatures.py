"""A list page or feed is rendered again when what it shows of its members changes.

Tag, index and author pages and feeds are signed from their members' kept
digests (page_signatures.Signer): a tag page by each member's card (what
``post_list`` shows), the home page and a feed by more of each member (its
text). These cases change one thing a list shows and no more: a member's
title (on its tag pages), a member's text (the summary a feed and the home
page show, which its tag pages do not), and the members' order. Each checks
that the pages showing it were rendered again and that output/ is a clean
build's; a signer that kept a list's digest by anything less than the order
and what the page shows of each member fails them.
"""

from __future__ import annotations

import copy
from collections import ChainMap
from pathlib import Path

import pytest
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import engine, incremental
from helpers_build import built_site, spy_rendered
from test_incremental_build import TODAY
from test_signed_from_changes import _changed, _rebuild
from test_signed_from_inputs import _by_number, _front

POSTS = 40
NEXT_DAY = "2026-12-14"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    # a jump list in blocks of ten, not all forty
    return built_site(tmp_path / "gen", POSTS, today=TODAY, settings="\nFLOOR_SERIES_JUMP = 13\n")


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    return spy_rendered(monkeypatch)


@pytest.fixture
def kept() -> list[str]:
    return []  # (_rebuild fills it from its own spy when one is set; not needed here)


def _tags_of(post: Path) -> list[str]:
    head = post.read_text(encoding="utf-8").split("\ntags: ", 1)[1].split("\n", 1)[0]
    return [t.strip() for t in head.strip("[]").split(",") if t.strip()]


def _tag_pages(after: dict, tag: str) -> list[str]:
    slug = tag.lower().replace(" ", "-")
    return [name for name in after if name.startswith(f"tag/{slug}") and name.endswith(".html")]


def test_a_members_title_changed_renders_its_tag_pages_and_feeds(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    """Its title as a list shows it: the question on its tag pages, the title in its feeds."""
    post = _by_number(site, 12)
    _front(post, "question", 'question: "A member asked in other words?"')
    _front(post, "title", 'title: "A member with a title of its own"')
    before, after = _rebuild(site, tmp_path, rendered, kept)
    asked = {name for name, data in after.items() if b"A member asked in other words?" in data}
    tag_pages = {name for name in asked if name.startswith("tag/")}
    assert tag_pages, "its tag pages list it by its question"
    assert tag_pages <= set(rendered) and tag_pages <= _changed(before, after)
    titled = {name for name, data in after.items() if b"A member with a title of its own" in data}
    feeds = {name for name in titled if name.startswith("feeds/")}
    assert len(feeds) >= 2 and feeds <= set(rendered) and feeds <= _changed(before, after)
    others = {name for name in after if name.startswith("tag/") and name not in asked}
    assert others and not others & set(rendered), "a tag page that does not list it is kept"


def test_a_members_text_changed_renders_the_feeds_and_home_page_and_keeps_its_tag_pages(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    """The newest post's answer begins differently: its summary (the whole answer here) is in
    every feed that carries it and on the home page, not on its tag pages (cards only)."""
    post = _by_number(site, POSTS)
    head, body = post.read_text(encoding="utf-8").split("\n---\n", 1)
    post.write_text(head + "\n---\nA first sentence that no reader saw before.\n\n" + body, encoding="utf-8")
    before, after = _rebuild(site, tmp_path, rendered, kept)
    showing = {name for name, data in after.items() if b"A first sentence that no reader saw before" in data}
    feeds = {name for name in showing if name.startswith("feeds/")}
    assert len(feeds) >= 2, "the site's feeds and its tags' feeds"
    assert feeds <= set(rendered) and feeds <= _changed(before, after)
    assert "index.html" in showing and "index.html" in rendered
    tag_pages = {name for tag in _tags_of(post) for name in _tag_pages(after, tag)}
    assert tag_pages, "it has tags"
    assert not tag_pages & set(rendered), "its tag pages show its card only, which did not change"


@pytest.fixture
def signed(site: Path, monkeypatch) -> tuple:
    """A build's recorded pages and feeds and its plan, which makes signers like the one that
    signed them (a build the day after, so every post's digests are the record's)."""
    caught: list = []
    mark = incremental.Plan._mark

    def catch(self, jobs, staged):
        jobs = list(jobs)
        caught.append((self, jobs))
        return mark(self, jobs, staged)

    monkeypatch.setattr(incremental.Plan, "_mark", catch)
    build_mod.build(Site(site), jobs=1, today=NEXT_DAY)
    plan, jobs = caught[-1]
    assert plan.trusted and plan._kept_posts()
    return plan, jobs


def _reordered(job: engine.Page) -> engine.Page:
    """The same page with the posts of its list (page) in the reverse order."""
    own, common = job.localcontext.maps
    mine = dict(own)
    for key, value in own.items():
        if key.endswith("_page") and getattr(value, "object_list", None):
            flipped = copy.copy(value)
            flipped.object_list = list(reversed(value.object_list))
            mine[key] = flipped
        elif isinstance(value, list) and len(value) > 1:
            mine[key] = list(reversed(value))
    return engine.Page(job.name, job.path, job.template, ChainMap(mine, common), job.context)


def test_a_member_lists_order_changed_changes_the_signature_of_the_page_and_the_feed(signed) -> None:
    """The same members in another order are another page: a tag page (its members by card), an
    index page and a feed, each signed again with a fresh signer from the same record."""
    plan, jobs = signed
    pages = [
        job
        for job in jobs
        if isinstance(job, engine.Page)
        and getattr(job.template, "name", "") in ("tag.html", "index.html")
        and len(getattr(job.localcontext.get("articles_page"), "object_list", ())) > 1
    ]
    assert {job.template.name for job in pages} == {"tag.html", "index.html"}
    feeds = [job for job in jobs if isinstance(job, engine.Feed) and len(job.inputs[0]) > 1]
    assert feeds
    for job in [*pages[:3], *pages[-3:], *feeds[:3]]:
        as_built = job.signature(plan._signer())
        assert as_built is not None
        if isinstance(job, engine.Feed):
            elements, *rest = job.inputs
            flipped = engine.Feed(job.name, job.path, job.render, inputs=(list(reversed(elements)), *rest))
        else:
            flipped = _reordered(job)
        assert flipped.signature(plan._signer()) not in (None, as_built), job.name
        assert job.signature(plan._signer()) == as_built, "signing is the same each time"
