"""The build's record at the end reads none of the pages it wrote: the writers stamp them.

Each rendering process takes the stamp of every file it writes (size, mtime,
ctime, inode) with the digest of the bytes it had in hand, and hands them
back; the record (build_manifest.stamp_outputs) takes those digests while each
file is still the one written, and hashes only what no one vouched for. When
another plugin listens to Pelican (it might write into a page), nothing is
stamped and every file is read, as before. The same holds for what the kit writes
after the pages (the search shards Pagefind re-indexed: read once, for the shards'
own record) and for the static files Pelican copies (stamped as they are copied).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from from_the_floor.core import build_manifest, forked
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import engine
from from_the_floor.web import search_shards
from helpers_build import assert_same, built_site, generate_site, spy_rendered, tree
from test_incremental_build import TODAY, clean_build, posts


def _feeds(folder: Path, count: int) -> list[engine.Feed]:
    return [
        engine.Feed(name=f"f{n}.xml", path=str(folder / f"f{n}.xml"), render=lambda n=n: f"<feed>{n}</feed>")
        for n in range(count)
    ]


@pytest.mark.skipif(not forked.can_fork(), reason="the rendering processes are forked")
def test_every_rendering_process_hands_back_the_stamps_of_what_it_wrote(tmp_path: Path) -> None:
    jobs = _feeds(tmp_path, 2 * engine.MIN_PAGES_PER_PROCESS)  # enough for two processes
    written = engine.write_pages(jobs, processes=2, stamped=True)
    assert sorted(written) == sorted(job.path for job in jobs), "the other process's too"
    for job in jobs:
        assert written[job.path][2] == build_manifest.digest_file(Path(job.path))
    assert engine.write_pages(_feeds(tmp_path / "again", 3), processes=1) == {}, "only when asked"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return built_site(tmp_path / "gen", 12, today=TODAY)


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The files of output/ the record at the end of each build reads (by name inside it)."""
    names: list[str] = []
    stamp_outputs = build_manifest.stamp_outputs

    def spy(output, kinds, known=None):
        real = build_manifest.digest_file

        def digest(path):
            names.append(Path(path).relative_to(output).as_posix())
            return real(path)

        monkeypatch.setattr(build_manifest, "digest_file", digest)
        try:
            return stamp_outputs(output, kinds, known)
        finally:
            monkeypatch.setattr(build_manifest, "digest_file", real)

    monkeypatch.setattr(build_manifest, "stamp_outputs", spy)
    return names


def test_the_record_reads_none_of_the_pages_the_build_wrote(
    site: Path, tmp_path: Path, monkeypatch, hashed: list[str]
) -> None:
    """One answer edited: the pages rendered again are recorded from their writers' stamps (not
    read again), their digests are those of their bytes, and output/ is a clean build's."""
    rendered = spy_rendered(monkeypatch)
    post = posts(site)[5]
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert rendered, "the edit renders its pages"
    assert not set(rendered) & set(hashed), "no page written by this build is read again"
    record = build_manifest.load(build_manifest.path_for(site / "output"))
    assert record is not None
    for rel in rendered:
        assert record.outputs[rel][4] == build_manifest.digest_file(site / "output" / rel)
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def test_with_another_plugin_listening_every_page_is_read(site: Path, monkeypatch, hashed: list[str]) -> None:
    """Another plugin might write into a page once it is written: nothing is taken on trust."""
    rendered = spy_rendered(monkeypatch)
    monkeypatch.setattr(engine, "links_are_safe", lambda: False)
    post = posts(site)[5]
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    before = tree(site / "output")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    after = tree(site / "output")
    rewritten = {rel for rel in rendered if before.get(rel) != after[rel]}  # (same bytes: left alone)
    assert rewritten and rewritten <= set(hashed)


@pytest.fixture
def searched(tmp_path: Path, monkeypatch) -> Path:
    """A generated column of 7 posts with its search index in 4 shards, built once."""
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 2)
    site = generate_site.generate(tmp_path / "gen", 7, queued=2)["floor"]
    build_mod.build(Site(site), jobs=1, today=TODAY)
    return site


def _edit_post(site: Path, number: int) -> None:
    post = next((site / "content" / "floor").glob(f"*-{number:05d}.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence about quinces.\n", encoding="utf-8")


def test_the_record_reads_neither_the_search_shard_nor_the_static_copies_the_build_wrote(
    searched: Path, tmp_path: Path, hashed: list[str]
) -> None:
    """The re-indexed shard's files were read once, for the shards' own record, and the theme's
    static files copied with their bytes in hand: the record at the end reads none of them
    again, and holds their digests."""
    site = searched
    _edit_post(site, 5)  # shard 5 % 4 = 1: pagefind/part-2-of-4
    build_mod.build(Site(site), jobs=1, today=TODAY)
    out = site / "output"
    shard = sorted(
        p.relative_to(out).as_posix() for p in (out / "pagefind" / "part-2-of-4").rglob("*") if p.is_file()
    )
    copies = sorted(p.relative_to(out).as_posix() for p in (out / "theme").rglob("*") if p.is_file())
    assert shard and copies
    assert not (set(shard) | set(copies)) & set(hashed), "none of them is read again"
    record = build_manifest.load(build_manifest.path_for(out))
    assert record is not None
    for rel in shard + copies:
        assert record.outputs[rel][4] == build_manifest.digest_file(out / rel), rel
    assert_same(tree(out), clean_build(site, tmp_path / "clean", TODAY))


def test_with_another_plugin_listening_the_search_shard_and_the_copies_are_read(
    searched: Path, monkeypatch, hashed: list[str]
) -> None:
    """Another plugin might write into what the kit wrote at `finalized` (or copy the static files
    its own way): the record reads every file the build wrote there."""
    monkeypatch.setattr(engine, "links_are_safe", lambda: False)
    site = searched
    _edit_post(site, 5)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    out = site / "output"
    shard = {
        p.relative_to(out).as_posix() for p in (out / "pagefind" / "part-2-of-4").rglob("*") if p.is_file()
    }
    copies = {p.relative_to(out).as_posix() for p in (out / "theme").rglob("*") if p.is_file()}
    assert shard and copies and (shard | copies) <= set(hashed)


def test_a_static_copy_is_stamped_only_when_pelicans_copy_is_its_own(tmp_path: Path, monkeypatch) -> None:
    """The copy holds the source's bytes and its stamp their digest; with Pelican's copy_file
    replaced by someone else, that copy runs and nothing is stamped."""
    import pelican.utils as utils_mod

    source = tmp_path / "style.css"
    source.write_bytes(b"body { color: teal }\n" * 5000)
    dest = tmp_path / "out" / "style.css"
    dest.parent.mkdir()
    dest.write_bytes(b"old")
    stamps: dict = {}
    with engine.replacing_static_copies(stamps):
        utils_mod.copy(str(source), str(dest))
    assert dest.read_bytes() == source.read_bytes()
    assert stamps[str(dest)][2] == build_manifest.digest_file(dest)
    assert build_manifest.stamp_outputs(dest.parent, {}, {"style.css": stamps[str(dest)]})["style.css"][
        4
    ] == (build_manifest.digest_file(dest))

    copied: list[str] = []
    monkeypatch.setattr(
        utils_mod, "copy_file", lambda s, d: copied.append(d) or Path(d).write_bytes(b"theirs")
    )
    stamps = {}
    with engine.replacing_static_copies(stamps):
        utils_mod.copy(str(source), str(dest))
    assert copied == [str(dest)] and stamps == {} and dest.read_bytes() == b"theirs"


def test_a_static_copy_that_already_holds_the_bytes_is_kept_with_its_time(tmp_path: Path) -> None:
    """Pelican copies every static file anew each build; the last build's copy with the same bytes
    keeps its inode and time (and is stamped), while other bytes of the same size are copied."""
    import os

    import pelican.utils as utils_mod

    source = tmp_path / "style.css"
    source.write_bytes(b"body { color: teal }\n" * 5000)
    dest = tmp_path / "out" / "style.css"
    dest.parent.mkdir()
    dest.write_bytes(source.read_bytes())
    os.utime(dest, ns=(1_000_000_000, 1_000_000_000))
    before = dest.stat()
    stamps: dict = {}
    with engine.replacing_static_copies(stamps):
        utils_mod.copy(str(source), str(dest))
    after = dest.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, 1_000_000_000), "left as it was"
    assert stamps[str(dest)][2] == build_manifest.digest_file(dest)

    source.write_bytes(b"body { color: plum }\n" * 5000)  # the same size, other bytes
    stamps = {}
    with engine.replacing_static_copies(stamps):
        utils_mod.copy(str(source), str(dest))
    assert dest.read_bytes() == source.read_bytes() and dest.stat().st_mtime_ns != 1_000_000_000
    assert stamps[str(dest)][2] == build_manifest.digest_file(dest)


def test_a_build_that_changed_nothing_in_the_theme_leaves_its_files_and_their_times(site: Path) -> None:
    """Walked: every weekly build gave the theme's CSS and scripts a new time with the same bytes,
    so a host that syncs by time was sent them every week."""
    out = site / "output"
    theme = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (out / "theme").rglob("*") if p.is_file()}
    assert theme
    post = posts(site)[5]
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in theme} == theme
