"""search_shards: how many shards, which post goes where, and what a build may keep."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from from_the_floor.web import search, search_shards


@pytest.fixture
def small_shards(monkeypatch):
    """Two posts a shard before splitting: 8 posts make 4 shards."""
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 2)


def post(n: int, text: str = "") -> search_shards.Post:
    """Post n, keyed by its record's fields (as reader_site keys it by what the record is made of)."""
    record = search.Record(f"/floor/{n}/", f"Post {n}", text or f"Text of post {n}", n)
    return search_shards.Post(n, f"{record.url} {record.title} {record.content}", lambda: record)


def records(count: int) -> list[search_shards.Post]:
    return [post(n) for n in range(1, count + 1)]


@pytest.mark.parametrize(
    ("posts", "shards"),
    [(0, 1), (1, 1), (300, 1), (301, 2), (600, 2), (601, 4), (1000, 4), (1200, 4), (1201, 8), (10_000, 8)],
)
def test_one_bundle_for_a_small_column_then_doubling_up_to_eight(posts: int, shards: int):
    assert search_shards.shard_count(posts) == shards


def test_posts_go_to_their_number_modulo_the_count_in_post_order(small_shards):
    shards = search_shards.plan(records(9), "en")  # 9 posts, 2 a shard: 8 shards
    assert [s.folder for s in shards][:3] == ["pagefind", "pagefind/part-2-of-8", "pagefind/part-3-of-8"]
    assert [r.number for r in shards[0].records()] == [8]
    assert [r.number for r in shards[1].records()] == [1, 9]


def test_a_shards_digest_changes_with_its_posts_keys_the_language_and_the_salt_only(small_shards):
    base = search_shards.plan(records(8), "en")
    edited = records(8)
    edited[4] = post(5, "Text of post 5, edited")  # shard 5 % 4 = 1
    changed = search_shards.plan(edited, "en")
    assert [a.digest == b.digest for a, b in zip(base, changed, strict=True)] == [True, False, True, True]
    assert all(a.digest != b.digest for a, b in zip(base, search_shards.plan(records(8), "fr"), strict=True))
    other_kit = search_shards.plan(records(8), "en", "another kit")
    assert all(a.digest != b.digest for a, b in zip(base, other_kit, strict=True))


def test_a_shard_is_planned_without_making_any_record(small_shards):
    """The records (each post's whole text) are made only for the shards indexed again."""

    def unmade() -> search.Record:
        raise AssertionError("a record was made to plan the shards")

    posts = [search_shards.Post(n, f"key {n}", unmade) for n in range(1, 9)]
    assert [len(s.posts) for s in search_shards.plan(posts, "en")] == [2, 2, 2, 2]


def _bundle(root: Path, folder: str, text: str) -> None:
    (root / folder / "fragment").mkdir(parents=True, exist_ok=True)
    (root / folder / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    (root / folder / "fragment" / "a.pf_fragment").write_text(text, encoding="utf-8")


def test_a_shard_is_kept_only_as_recorded_and_a_forged_record_keeps_nothing(tmp_path: Path, small_shards):
    out, path = tmp_path / "output", tmp_path / "cache" / search_shards.STATE_FILE
    shards = search_shards.plan(records(8), "en")
    for shard in shards:
        _bundle(out, shard.folder, shard.folder)
    key = b"k" * 32
    search_shards.State(path, key).save(out, shards)
    assert search_shards.State(path, key).unchanged(out, shards) == {s.folder for s in shards}
    # the first shard's own files only: the shards nested in it are not its files
    assert sorted(search_shards.bundle_files(out, "pagefind")) == [
        "fragment/a.pf_fragment",
        "pagefind-entry.json",
    ]

    (out / "pagefind/part-3-of-4/fragment/a.pf_fragment").write_text("changed", encoding="utf-8")
    kept = search_shards.State(path, key).unchanged(out, shards)
    assert kept == {s.folder for s in shards} - {"pagefind/part-3-of-4"}

    saved = json.loads(path.read_text(encoding="utf-8"))
    saved["shards"]["pagefind/part-3-of-4"]["files"]["fragment/a.pf_fragment"] = "0" * 32
    path.write_text(json.dumps(saved), encoding="utf-8")
    assert search_shards.State(path, key).unchanged(out, shards) == set(), "its signature no longer holds"
    assert search_shards.State(path, b"x" * 32).unchanged(out, shards) == set(), "another key"


def test_a_bundles_files_are_named_inside_it_and_a_known_digest_stands_while_size_and_mtime_do(
    tmp_path: Path, monkeypatch
):
    """bundle_files walks the bundle by path strings: each file by its "/"-separated path inside
    the bundle, however deep; the digests the build's check of output/ took stand for a file
    whose size and mtime are still those (it is not read), any other file is hashed."""
    out = tmp_path / "output"
    _bundle(out, "pagefind", "text")
    deep = out / "pagefind" / "index" / "en" / "deep.pf_index"
    deep.parent.mkdir(parents=True)
    deep.write_bytes(b"deep")
    _bundle(out, "pagefind/part-2-of-2", "nested shard")  # not this bundle's file
    entry = out / "pagefind" / "pagefind-entry.json"
    st = entry.stat()
    known = {
        "pagefind/pagefind-entry.json": [st.st_size, st.st_mtime_ns, "e" * 32],
        "pagefind/index/en/deep.pf_index": [99, 0, "d" * 32],  # another size: read
    }
    read = []
    digest_file = search_shards.digest_file
    monkeypatch.setattr(search_shards, "digest_file", lambda path: read.append(path) or digest_file(path))
    files = search_shards.bundle_files(out, "pagefind", known)
    assert files == {
        "pagefind-entry.json": "e" * 32,
        "fragment/a.pf_fragment": digest_file(out / "pagefind" / "fragment" / "a.pf_fragment"),
        "index/en/deep.pf_index": digest_file(deep),
    }
    assert sorted(read) == sorted([str(deep), str(out / "pagefind" / "fragment" / "a.pf_fragment")]), (
        "the file known by its size and mtime is not read"
    )


def test_shards_of_another_layout_are_removed_and_the_disk_layout_is_read(tmp_path: Path, small_shards):
    out = tmp_path / "output"
    for folder in ("pagefind", "pagefind/part-2-of-4", "pagefind/part-3-of-4", "pagefind/part-2-of-2"):
        _bundle(out, folder, folder)
    assert search_shards.folders_on_disk(out) == [
        "pagefind",
        "pagefind/part-2-of-2",
        "pagefind/part-2-of-4",
        "pagefind/part-3-of-4",
    ]
    shards = search_shards.plan(records(4), "en")  # 2 shards
    search_shards.remove_other_shards(out, shards)
    assert search_shards.folders_on_disk(out) == ["pagefind", "pagefind/part-2-of-2"]
    assert search_shards.merge_urls(["pagefind", "pagefind/part-2-of-2"]) == ["pagefind/part-2-of-2/"]


def test_a_just_written_bundles_files_are_not_read_again_unless_they_changed(tmp_path: Path, small_shards):
    """bundle_files with the files as the index read them: a file still the one read (size, mtime
    and inode; moved is fine) takes that digest and a stamp; one written since is read again."""
    out = tmp_path / "output"
    _bundle(out, "pagefind", "first")
    read = search.read_bundle(out / "pagefind", check=False)[0]
    moved = tmp_path / "moved"
    (out / "pagefind").rename(moved)  # the index's staging folder to its place: only the ctime moves
    moved.rename(out / "pagefind")
    claimed = {rel: ("f" * 32, *rest) for rel, (_digest, *rest) in read.items()}
    stamps: dict = {}
    files = search_shards.bundle_files(out, "pagefind", stamps=stamps, written=claimed)
    assert files == {rel: "f" * 32 for rel in read}, "taken from what was read, not read again"
    assert sorted(stamps) == sorted(f"pagefind/{rel}" for rel in read)
    entry = out / "pagefind" / "pagefind-entry.json"
    entry.unlink()
    entry.write_text('{"rewritten": true}', encoding="utf-8")  # another file now: read again
    files = search_shards.bundle_files(out, "pagefind", written=claimed)
    assert files["pagefind-entry.json"] == search_shards.digest_file(entry)
    assert files["fragment/a.pf_fragment"] == "f" * 32
