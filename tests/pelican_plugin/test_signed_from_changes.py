"""Only the posts whose inputs changed are signed again, and only the pages that read them change.

The build manifest keeps, for each post signed from its inputs, a probe of
what its digests are made of and the digests themselves; the next build
works out again only the posts whose probe (or a linked post's) changed.
Each case makes one change, builds again, and checks three things against a
clean build of the same sources: output/ is byte for byte the same, every
page's and feed's signature and every post's record are the same (so no kept
digest is stale, even where the bytes would not show it), and the pages the
change reaches were rendered while not all were. Where the change can leave
posts alone, some posts' digests must have been kept, so the case exercises
the propagation rather than a full signing pass.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from from_the_floor.core import build_manifest
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import page_signatures
from helpers_build import assert_same, built_site, spy_rendered, tree
from test_incremental_build import TODAY, Author, clean_build, posts
from test_signed_from_inputs import _by_number, _front, _page_of

POSTS = 40  # enough that a post's neighbours, jump list and related questions are not every post


@pytest.fixture
def site(tmp_path: Path) -> Path:
    # a jump list in blocks of ten, not all forty
    return built_site(tmp_path / "gen", POSTS, today=TODAY, settings="\nFLOOR_SERIES_JUMP = 13\n")


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    return spy_rendered(monkeypatch)


@pytest.fixture
def kept(monkeypatch) -> list[str]:
    """The posts (by source file name) whose own digest the next build took from the manifest."""
    names: list[str] = []
    own_kept = page_signatures.Signer._own_kept

    def spy(self, content):
        digest = own_kept(self, content)
        if digest is not None:
            names.append(Path(content.source_path).name)
        return digest

    monkeypatch.setattr(page_signatures.Signer, "_own_kept", spy)
    return names


def _record(site: Path) -> build_manifest.Manifest:
    manifest = build_manifest.load(build_manifest.path_for(site / "output"))
    assert manifest is not None
    return manifest


def _rebuild(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str], today: str = TODAY
) -> tuple[dict, dict]:
    """Build again and compare with a clean build: bytes, signatures and post records."""
    before = tree(site / "output")
    rendered.clear()
    kept.clear()
    build_mod.build(Site(site), jobs=1, today=today)
    after, mine, reused = tree(site / "output"), list(rendered), list(kept)
    clean = tmp_path / "clean"
    assert_same(after, clean_build(site, clean, today))
    got, want = _record(site), _record(clean)
    signatures = {rel: record[3] for rel, record in got.outputs.items()}
    assert signatures == {rel: record[3] for rel, record in want.outputs.items()}, "a stale signature"
    assert got.posts == want.posts, "a stale post record"
    rendered[:], kept[:] = mine, reused
    return before, after


def _changed(before: dict, after: dict) -> set[str]:
    return {name for name in after if before.get(name) != after[name]}


def test_a_neighbours_question_reworded_signs_the_posts_that_link_to_it(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    _front(_by_number(site, 18), "question", 'question: "Reworded: what do readers ask first?"')
    before, after = _rebuild(site, tmp_path, rendered, kept)
    for number in (17, 19):  # its card is in their previous/next links
        page = _page_of(site, _by_number(site, number))
        assert before[page] != after[page] and page in rendered
        assert _by_number(site, number).name not in kept
    assert kept, "the posts that do not link to it keep their digests"
    assert set(rendered) < set(after)


def test_an_answer_edited_signs_its_post_and_keeps_the_others(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    post = _by_number(site, 18)
    post.write_text(
        post.read_text(encoding="utf-8") + "\nOne more sentence, added later.\n", encoding="utf-8"
    )
    before, after = _rebuild(site, tmp_path, rendered, kept)
    page = _page_of(site, post)
    assert before[page] != after[page] and page in rendered and post.name not in kept
    assert len(kept) == POSTS - 1, "no other post links to its answer"


def test_a_tag_removed_from_one_post_signs_its_tag_page_and_its_own(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    post = _by_number(site, 5)
    head = post.read_text(encoding="utf-8").split("\ntags: ", 1)[1].split("\n", 1)[0]
    tags = [t.strip() for t in head.strip("[]").split(",") if t.strip()]
    _front(post, "tags", f"tags: [{', '.join(tags[1:])}]")
    before, after = _rebuild(site, tmp_path, rendered, kept)
    assert _page_of(site, post) in rendered and post.name not in kept
    assert any(name.startswith("tag/") for name in _changed(before, after) & set(rendered))
    assert kept and set(rendered) < set(after)


def test_a_new_post_signs_its_neighbours_and_the_lists_and_keeps_the_rest(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    author = Author(site, random.Random(5))
    author.add_post()
    newest = max(posts(site), key=lambda p: p.stat().st_mtime_ns)
    _before, after = _rebuild(site, tmp_path, rendered, kept)
    assert _page_of(site, newest) in rendered and "index.html" in rendered
    previous = _by_number(site, POSTS)  # its "next" link is the new post now
    assert _page_of(site, previous) in rendered and previous.name not in kept
    assert newest.name not in kept
    assert kept, "the posts whose neighbours, jump list and related questions did not change"
    assert set(rendered) < set(after)


def test_a_title_changed_signs_every_page_that_lists_it(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    post = _by_number(site, 9)
    assert "\ntitle: " in post.read_text(encoding="utf-8")
    _front(post, "title", 'title: "A title written again"')
    _before, after = _rebuild(site, tmp_path, rendered, kept)
    listing = [name for name, data in after.items() if b"A title written again" in data]
    assert len(listing) > 3, listing  # its own page, the lists and feeds, its neighbours
    assert all(name in rendered for name in listing if name.endswith(".html"))
    assert kept and set(rendered) < set(after)


def test_a_template_edited_signs_the_pages_made_from_it(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    author = Author(site, random.Random(8))
    author.override_template()  # the override is a setting: one build with it in place first
    build_mod.build(Site(site), jobs=1, today=TODAY)
    author.override_template()  # then only its text changes
    before, after = _rebuild(site, tmp_path, rendered, kept)
    tags = {name for name in after if name.startswith("tag/") and name.endswith(".html")}
    assert tags and tags <= set(rendered) and tags <= _changed(before, after)
    assert not any(name.startswith("floor/") for name in rendered), "the posts' pages are kept"
    assert kept, "no post changed"


def test_the_day_moving_signs_the_statistics_and_keeps_the_posts(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    before, after = _rebuild(site, tmp_path, rendered, kept, today="2026-12-14")
    stats = [name for name in _changed(before, after) if name.startswith("stats/")]
    assert stats and all(name in rendered for name in stats)
    assert not any(name.startswith("floor/") for name in rendered)
    assert len(kept) == POSTS, "every post keeps its digests: none shows the day"


def test_a_setting_changed_signs_every_post_afresh(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    Author(site, random.Random(2)).edit_settings()
    _before, after = _rebuild(site, tmp_path, rendered, kept)
    assert not kept, "a record made under other settings gives no digest"
    assert re.search(rb"Bench column \d+", after["index.html"])
    assert all(_page_of(site, post) in rendered for post in posts(site)), "the name is on every page"


def test_without_the_key_every_post_is_signed_afresh(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str], monkeypatch
) -> None:
    """A record nobody signed could keep a page its sources changed: its digests are not used."""
    monkeypatch.setattr(build_manifest, "record_key", lambda _root: None)
    build_mod.build(Site(site), jobs=1, today=TODAY)  # a record made without the key
    _front(_by_number(site, 7), "question", 'question: "Reworded without the key?"')
    _rebuild(site, tmp_path, rendered, kept)
    assert not kept
    assert _record(site).posts == {}, "nothing is recorded that could not be trusted"


def test_a_post_linking_to_another_by_its_file_follows_that_posts_new_address(
    site: Path, tmp_path: Path, rendered: list[str], kept: list[str]
) -> None:
    """Pelican resolves ``{filename}`` links against the other post's URL: a post whose text holds
    one keeps no digest of its text, since another post's change can alter it."""
    linking, target = _by_number(site, 30), _by_number(site, 5)
    text = linking.read_text(encoding="utf-8")
    linking.write_text(text + f"\nSee [an older answer]({{filename}}{target.name}).\n", encoding="utf-8")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    _front(target, "slug", "slug: an-older-answer-at-a-new-address")
    _before, after = _rebuild(site, tmp_path, rendered, kept)
    page = _page_of(site, linking)
    assert b"an-older-answer-at-a-new-address" in after[page] and page in rendered
    assert linking.name not in kept and kept
