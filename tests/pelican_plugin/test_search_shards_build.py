"""The search index in shards, in real `floor build`s: an edit re-indexes only its post's shard,
a new post only the shard it joins; the other shards' bytes stay as they were, and an old
single bundle, a changed layout or a bundle changed behind the build's back are indexed again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.web import search, search_shards
from helpers_build import generate_site
from helpers_floor import ok

TODAY = "2026-11-08"


@pytest.fixture
def sharded(tmp_path: Path, monkeypatch) -> tuple[Path, list[list[str]]]:
    """A generated column of 7 posts in 4 shards (2 posts a shard before splitting), and the
    folders each build gave Pagefind."""
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 2)
    monkeypatch.setenv("FLOOR_TODAY", TODAY)
    site = generate_site.generate(tmp_path / "gen", 7, queued=2)["floor"]
    indexed: list[list[str]] = []
    add = search.RecordIndex.add_bundles

    def spy(self, bundles, **kwargs):
        indexed.append(sorted(bundles))
        return add(self, bundles, **kwargs)

    monkeypatch.setattr(search.RecordIndex, "add_bundles", spy)
    return site, indexed


def build(site: Path) -> None:
    build_mod.build(Site(site), jobs=1)


def shard_bytes(site: Path) -> dict[str, dict[str, bytes]]:
    """Each shard's files (the first shard without the ones nested in it)."""
    out = site / "output"
    folders = search_shards.folders_on_disk(out)
    found = {}
    for folder in folders:
        root = out / folder
        files = {}
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if path.is_file() and not (folder == search.BUNDLE and rel.parts[0].startswith("part-")):
                files[rel.as_posix()] = path.read_bytes()
        found[folder] = files
    return found


def post_file(site: Path, number: int) -> Path:
    return next((site / "content" / "floor").glob(f"*-{number:05d}.md"))


PARTS = ["pagefind", "pagefind/part-2-of-4", "pagefind/part-3-of-4", "pagefind/part-4-of-4"]
MERGED = "/pagefind/part-2-of-4/ /pagefind/part-3-of-4/ /pagefind/part-4-of-4/"  # the search page's list


def test_an_edit_re_indexes_only_its_posts_shard(sharded):
    site, indexed = sharded
    build(site)
    assert indexed == [PARTS], "a first build indexes every shard"
    before = shard_bytes(site)
    assert sorted(before) == PARTS
    for folder in PARTS:
        entry = json.loads(before[folder]["pagefind-entry.json"])
        assert entry["languages"]["en"]["page_count"] in (1, 2)
    search_page = (site / "output" / "search" / "index.html").read_text(encoding="utf-8")
    assert f'data-pagefind-merge="{MERGED}"' in search_page

    build(site)
    assert indexed[1:] == [], "nothing changed: Pagefind does not run"
    assert shard_bytes(site) == before

    post = post_file(site, 5)  # post 5 is in shard 5 % 4 = 1, the second
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence about marmalade.\n", encoding="utf-8")
    build(site)
    assert indexed[1:] == [["pagefind/part-2-of-4"]]
    after = shard_bytes(site)
    assert after["pagefind/part-2-of-4"] != before["pagefind/part-2-of-4"]
    assert {f: after[f] for f in PARTS if f != "pagefind/part-2-of-4"} == {
        f: before[f] for f in PARTS if f != "pagefind/part-2-of-4"
    }


def test_the_kept_shards_are_not_read_again_the_builds_check_of_output_vouches_for_them(sharded, monkeypatch):
    """The check of output/ against the last build's record took every kept file's digest: the
    shards' own check uses those instead of hashing each file of each kept shard a second time.
    The shard indexed again is not read by the record either: the index read each of its files
    once, whole, as Pagefind finished it (while the build rendered)."""
    site, indexed = sharded
    build(site)
    back = time.time_ns() - 10_000_000_000  # output/ restored from a cache: other times, same bytes
    for path in (site / "output").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(back, back))
    read: list[str] = []
    real, real_stamp = search_shards.digest_file, search_shards.read_stamp
    monkeypatch.setattr(search_shards, "digest_file", lambda path: read.append(str(path)) or real(path))
    monkeypatch.setattr(search_shards, "read_stamp", lambda path: read.append(str(path)) or real_stamp(path))
    post = post_file(site, 5)  # shard 5 % 4 = 1, the second
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence about quinces.\n", encoding="utf-8")
    build(site)
    assert indexed[1:] == [["pagefind/part-2-of-4"]]
    assert read == []
    saved = json.loads((site / ".cache" / search_shards.STATE_FILE).read_text(encoding="utf-8"))["shards"]
    assert saved["pagefind/part-2-of-4"]["files"] == search_shards.bundle_files(
        site / "output", "pagefind/part-2-of-4"
    ), "the record holds the digests of the files as they are"


def test_a_new_post_re_indexes_only_the_shard_it_joins(sharded, run_floor):
    site, indexed = sharded
    build(site)
    before = shard_bytes(site)
    assert "published #8" in ok(run_floor("publish", site=site, today="2026-11-09"))
    indexed.clear()
    build(site)
    assert indexed == [["pagefind"]], "post 8 joins shard 8 % 4 = 0, the first"
    after = shard_bytes(site)
    assert after["pagefind"] != before["pagefind"]
    assert {f: after[f] for f in PARTS[1:]} == {f: before[f] for f in PARTS[1:]}


def test_a_shard_changed_behind_the_builds_back_is_indexed_again(sharded):
    site, indexed = sharded
    build(site)
    fragment = next((site / "output" / "pagefind" / "part-3-of-4" / "fragment").iterdir())
    fragment.write_bytes(b"tampered")
    indexed.clear()
    build(site)
    assert indexed == [["pagefind/part-3-of-4"]]
    assert not fragment.exists() or fragment.read_bytes() != b"tampered"


def test_an_old_single_bundle_and_a_smaller_layout_are_replaced(sharded, monkeypatch):
    site, indexed = sharded
    out = site / "output"
    out.mkdir()
    (out / "pagefind" / "fragment").mkdir(parents=True)  # the layout before shards: no record of it
    (out / "pagefind" / "pagefind.js").write_text("old", encoding="utf-8")
    (out / "pagefind" / "fragment" / "gone.pf_fragment").write_bytes(b"a deleted post")
    build(site)
    assert indexed == [PARTS]
    assert (out / "pagefind" / "pagefind.js").read_text(encoding="utf-8") != "old"
    assert not (out / "pagefind" / "fragment" / "gone.pf_fragment").exists()

    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 250)  # one bundle again: the parts go
    post = post_file(site, 5)  # (a build with no change to its inputs stops before any of this)
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    indexed.clear()
    build(site)
    assert indexed == [["pagefind"]]
    assert search_shards.folders_on_disk(out) == ["pagefind"]
    assert not list((out / "pagefind").glob("part-*"))
    page = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-merge" not in page
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 7


def test_search_turned_off_removes_every_shard(sharded):
    site, _indexed = sharded
    build(site)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nFLOOR_SEARCH = False\n")
    build(site)
    assert not (site / "output" / "pagefind").exists()


def test_the_live_preview_merges_the_shards_the_last_build_wrote(sharded, monkeypatch):
    from from_the_floor.pelican_plugin import preview as preview_mod

    site, indexed = sharded
    build(site)
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 250)  # not what the preview goes by
    page = preview_mod.LivePreview(Site(site)).render("search/index.html").decode("utf-8")
    assert f'data-pagefind-merge="{MERGED}"' in page
    assert indexed == [PARTS], "the preview starts no index"


def test_a_full_build_indexes_every_shard_again(sharded):
    site, indexed = sharded
    build(site)
    indexed.clear()
    build_mod.build(Site(site), jobs=1, full=True)  # `floor build --full`: nothing of the last build kept
    assert indexed == [PARTS]
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nDEFAULT_PAGINATION = 7\n")  # other settings, though no record changes: the same
    indexed.clear()
    build(site)
    assert indexed == [PARTS]


def test_without_the_content_cache_nothing_is_recorded_and_every_shard_is_indexed(sharded):
    site, indexed = sharded
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nCACHE_CONTENT = False\n")
    build(site)
    post = post_file(site, 5)
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build(site)
    assert indexed == [PARTS, PARTS]
    assert not list(site.rglob(search_shards.STATE_FILE)), "no cache folder of the kit's making"


def test_the_records_are_not_held_once_pagefind_has_them(sharded, monkeypatch) -> None:
    """Every post's text goes to Pagefind; the build then keeps only each shard's folder and
    digest (the records of 5,000 posts are 9 MiB held through the whole render otherwise)."""
    from from_the_floor.pelican_plugin import reader_site

    site, _indexed = sharded
    held: list[list[search_shards.Shard]] = []
    write = reader_site._Indexing.write

    def spy(self) -> None:
        held.append(list(self.shards))
        write(self)

    monkeypatch.setattr(reader_site._Indexing, "write", spy)
    build(site)
    ((*shards,),) = held
    assert [s.folder for s in shards] == PARTS and all(s.digest for s in shards)
    assert all(s.posts == () for s in shards)
    assert (
        sum(
            json.loads(f["pagefind-entry.json"])["languages"]["en"]["page_count"]
            for f in shard_bytes(site).values()
        )
        == 7
    )  # yet every post was indexed


def test_a_new_post_makes_the_records_of_its_shard_only(sharded, run_floor, monkeypatch) -> None:
    """A shard's digest is taken from its posts' keys: the records (each post's whole text) are
    made for the shard indexed again, not for every post of the column."""
    from from_the_floor.pelican_plugin import reader_site

    site, indexed = sharded
    build(site)
    assert "published #8" in ok(run_floor("publish", site=site, today="2026-11-09"))
    made: list[int] = []
    record = reader_site._search_record
    monkeypatch.setattr(
        reader_site,
        "_search_record",
        lambda url, article, *rest: made.append(article.number) or record(url, article, *rest),
    )
    indexed.clear()
    build(site)
    assert indexed == [["pagefind"]]
    assert sorted(made) == [4, 8], "the records of shard 0 (posts 4 and 8) only"


def test_a_bundle_not_shown_whole_by_its_bytes_is_waited_for_and_recorded_as_it_is(sharded, monkeypatch):
    """When a new bundle's files do not all show by their bytes that they are whole (no kept shard
    to compare Pagefind's scripts with, or a file still being written), the index waits for them
    to stay the same, reads them then, and the record holds what the files hold: the next build
    keeps every shard."""
    site, indexed = sharded
    build(site)
    shown: list[str] = []
    monkeypatch.setattr(search, "_shown_whole", lambda name, *_args: shown.append(name) and False)
    post = post_file(site, 7)  # shard 7 % 4 = 3, the last
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence about medlars.\n", encoding="utf-8")
    build(site)
    assert indexed[1:] == [["pagefind/part-4-of-4"]] and shown, "its files were looked at"
    saved = json.loads((site / ".cache" / search_shards.STATE_FILE).read_text(encoding="utf-8"))["shards"]
    for folder in PARTS:
        assert saved[folder]["files"] == search_shards.bundle_files(site / "output", folder)
    indexed.clear()
    post.write_text(post.read_text(encoding="utf-8") + "\nAnd quinces.\n", encoding="utf-8")
    build(site)
    assert indexed == [["pagefind/part-4-of-4"]], "the other three were kept"


def test_a_changed_shard_goes_to_pagefind_before_the_other_shards_files_are_checked(sharded, monkeypatch):
    """A shard whose records differ from the last build's is indexed again whatever output/ holds:
    Pagefind is handed it before the build waits for the staging folder's check and reads the
    other shards' files, so it starts that much earlier."""
    from from_the_floor.pelican_plugin import build_state

    site, _indexed = sharded
    build(site)
    events: list[str] = []
    add, want = search.RecordIndex.add_bundles, build_state.want_output
    unchanged = search_shards.State.unchanged

    def noted_add(self, bundles, **kwargs):
        events.append(f"index {' '.join(sorted(bundles))}")
        return add(self, bundles, **kwargs)

    def noted_unchanged(self, output, shards, known=None):
        events.append(f"check {' '.join(s.folder for s in shards)}")
        return unchanged(self, output, shards, known)

    monkeypatch.setattr(search.RecordIndex, "add_bundles", noted_add)
    monkeypatch.setattr(build_state, "want_output", lambda settings: events.append("wait") or want(settings))
    monkeypatch.setattr(search_shards.State, "unchanged", noted_unchanged)
    post = post_file(site, 6)  # shard 6 % 4 = 2, the third
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence about damsons.\n", encoding="utf-8")
    build(site)
    assert events == [
        "index pagefind/part-3-of-4",
        "wait",
        "check pagefind pagefind/part-2-of-4 pagefind/part-4-of-4",
    ]


def test_a_changed_shard_and_one_changed_behind_the_builds_back_are_both_indexed_as_a_full_build_would(
    sharded, tmp_path
):
    """The changed shard goes to Pagefind first, the one whose files were changed in output/ once
    the check finds it: one Pagefind service writes both, byte for byte what `floor build --full`
    writes."""
    import shutil

    site, indexed = sharded
    build(site)
    post = post_file(site, 5)  # shard 5 % 4 = 1, the second
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence about sloes.\n", encoding="utf-8")
    fragment = next((site / "output" / "pagefind" / "part-4-of-4" / "fragment").iterdir())
    fragment.write_bytes(b"tampered")
    full = tmp_path / "full"
    shutil.copytree(site.parent, full, symlinks=True)
    indexed.clear()
    build(site)
    assert indexed == [["pagefind/part-2-of-4"], ["pagefind/part-4-of-4"]]
    build_mod.build(Site(full / site.name), jobs=1, full=True)
    assert shard_bytes(site) == shard_bytes(full / site.name)
    indexed.clear()
    build(site)
    assert indexed == [], "and recorded: nothing is indexed again"


def test_pagefind_started_before_the_staging_check_stops_when_that_check_fails(sharded, monkeypatch):
    """The changed shard went to Pagefind before the build waited for the staging folder's check;
    when that check fails, the build stops with its error and Pagefind's process with it."""
    from from_the_floor.errors import FloorError
    from from_the_floor.pelican_plugin import build_state

    site, indexed = sharded
    build(site)
    services: list[search.RecordIndex] = []
    start = search.RecordIndex.__init__

    def noted_start(self, *args, **kwargs):
        start(self, *args, **kwargs)
        services.append(self)

    def failing_check(settings):
        raise FloorError("the staging folder could not be checked")

    monkeypatch.setattr(search.RecordIndex, "__init__", noted_start)
    monkeypatch.setattr(build_state, "want_output", failing_check)
    post = post_file(site, 5)
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence about rowan.\n", encoding="utf-8")
    with pytest.raises(FloorError, match="could not be checked"):
        build(site)
    assert indexed[1:] == [["pagefind/part-2-of-4"]] and len(services) == 1
    assert services[0]._proc.poll() is not None, "Pagefind's process has stopped"


def test_who_asked_is_in_each_posts_key_though_its_line_is_written_only_for_the_records_made(
    sharded, monkeypatch
) -> None:
    """A post's key holds who asked (the credited names and how many others) and its
    decoration's key (the day asked), not the "Asked by … on …" line in Babel's words: that is
    written only for the records of the shards indexed again. A change to how many readers
    asked, which the decoration's key does not hold, still re-indexes the post's shard."""
    from from_the_floor.pelican_plugin import reader_site
    from from_the_floor.web import render

    site, indexed = sharded
    build(site)
    post = post_file(site, 6)  # in shard 6 % 4 = 2, the third
    text = post.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "more_readers" not in text
    post.write_text(text.replace("---\n", "---\nmore_readers: 2\n", 1), encoding="utf-8")
    keying = []
    search_posts, asked_by = reader_site.ReaderSiteGenerator._search_posts, render.asked_by

    def keys(self):
        keying.append([])
        try:
            return search_posts(self)
        finally:
            keying.append(None)

    def spy(q, *args, **kwargs):
        if keying and keying[-1] is not None:
            keying[-1].append(q.id)
        return asked_by(q, *args, **kwargs)

    monkeypatch.setattr(reader_site.ReaderSiteGenerator, "_search_posts", keys)
    monkeypatch.setattr(render, "asked_by", spy)
    build(site)
    assert indexed[1:] == [["pagefind/part-3-of-4"]], "only the shard of the post more readers asked"
    assert keying == [[], None], "no post's line is written to take its key"
    found = (site / "output" / "pagefind" / "part-3-of-4").rglob("*")
    assert any(p.is_file() for p in found)
