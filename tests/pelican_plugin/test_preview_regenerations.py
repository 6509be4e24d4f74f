"""The live preview's regenerations: every page a clean build's, the last generation let go,
the contact guard as strict (pelican_plugin/preview.py; docs/performance-log.md, "The live preview
lets each generation go").

A change the preview cannot patch (a tag added or removed, a title, a new or deleted post)
runs Pelican's generators again. These tests check, after each such change, every page and
feed against a clean build, that nothing still holds the generation it replaced, and that a
contact added in the same save is looked for before the page is served.
"""

from __future__ import annotations

import gc
import os
import shutil
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from from_the_floor.core import parse_cache
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import preview as preview_mod
from helpers_build import assert_same, every_preview_page, generate_site, generated_site, tree

POSTS = 24


@pytest.fixture
def bench_site(tmp_path: Path) -> Path:
    """A generated `floor init` site; the search index (made at `finalized`, from output/) is off."""
    return generated_site(tmp_path / "gen", POSTS)


def _posts(site: Path) -> list[Path]:
    return sorted((site / "content" / "floor").glob("*.md"))


def _front(post: Path, change: Callable[[list[str]], list[str]]) -> None:
    head, body = post.read_text(encoding="utf-8").split("\n---\n", 1)
    post.write_text("\n".join(change(head.splitlines())) + "\n---\n" + body, encoding="utf-8")


def add_a_tag(site: Path) -> None:
    _front(_posts(site)[4], lambda lines: [
        line.replace("tags: [", "tags: [a tag of its own, ", 1) if line.startswith("tags:") else line
        for line in lines
    ])  # fmt: skip


def remove_a_tag(site: Path) -> None:
    """The tag added above goes again: its page and feed are no longer made."""
    _front(_posts(site)[4], lambda lines: [
        line.replace("tags: [a tag of its own, ", "tags: [", 1) if line.startswith("tags:") else line
        for line in lines
    ])  # fmt: skip


def change_a_title(site: Path) -> None:
    _front(_posts(site)[9], lambda lines: [
        'title: "A headline the author chose, with an ampersand & quotes \\"too\\""'
        if line.startswith("title:")
        else line
        for line in lines
    ])  # fmt: skip


def add_a_post(site: Path) -> None:
    extra = generate_site.make_posts(1, seed=11, start_number=POSTS + 1)[0]
    extra.tags = ["advice", "new with this post"]
    (site / "content" / "floor" / f"{extra.id}.md").write_text(
        generate_site.floor_file(extra), encoding="utf-8"
    )


def delete_a_post(site: Path) -> None:
    _posts(site)[12].unlink()


STEPS = [add_a_tag, remove_a_tag, change_a_title, add_a_post, delete_a_post]


def _built_and_settled(site: Path) -> None:
    """Built, with every source older than the racy window (parse_cache.RACY_NS), as files an
    author has not just saved: what the preview keeps by a file's stat is then used. Setting a
    file's time moves its ctime to now, so the window is waited out (the build runs meanwhile)."""
    for folder in (site / "content", site / "questions"):
        for path in folder.rglob("*"):
            if path.is_file():
                then = path.stat().st_mtime - 60
                os.utime(path, (then, then))
    settled_at = time.monotonic() + parse_cache.RACY_NS / 1e9 + 0.1
    build_mod.build(Site(site), jobs=1)
    time.sleep(max(0.0, settled_at - time.monotonic()))


def _clean_build(site: Path, where: Path) -> dict[str, bytes]:
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns("output", ".cache"))
    build_mod.build(Site(where), jobs=1)
    return tree(where / "output")


def test_each_regeneration_equals_a_clean_build_and_lets_the_last_one_go(
    bench_site: Path, tmp_path: Path
) -> None:
    """Tag added and removed, title changed, post added and deleted: after each, every page and
    feed is a clean build's, and the generation before is freed (Pelican's memoised renderings
    held every post of it, with its whole context, until the process ended): its generators
    and every post of it but those the new generation took over unchanged (preview.KeptPosts)."""
    _built_and_settled(bench_site)
    preview = preview_mod.LivePreview(Site(bench_site))
    assert_same(every_preview_page(preview), _clean_build(bench_site, tmp_path / "clean"))
    for step in STEPS:
        generations, patches = preview.generations, preview.patches
        old_posts = [weakref.ref(a) for g in preview._generators for a in getattr(g, "articles", [])]
        old_generators = [weakref.ref(g) for g in preview._generators]
        assert old_posts
        step(bench_site)
        assert_same(every_preview_page(preview), _clean_build(bench_site, tmp_path / "clean"))
        assert (preview.generations, preview.patches) == (generations + 1, patches), step.__name__
        gc.collect()
        assert [ref for ref in old_generators if ref() is not None] == [], step.__name__
        current = {id(a) for g in preview._generators for a in getattr(g, "articles", [])}
        held = [ref for ref in old_posts if ref() is not None and id(ref()) not in current]
        assert held == [], f"{step.__name__}: {len(held)} posts of the generation before are still held"


def test_a_regeneration_reads_from_disk_only_the_contacts_of_the_file_just_saved(
    bench_site: Path, monkeypatch
) -> None:
    """The guard's contacts after a tag added come from the preview's parses, but for the file
    saved a moment ago (too recent for a parse to vouch for it): that one is read from disk."""
    from from_the_floor.core import guard
    from from_the_floor.core import question as question_mod

    build_mod.build(Site(bench_site), jobs=1)
    preview = preview_mod.LivePreview(Site(bench_site))
    preview.render("index.html")
    read: list[str] = []
    parsed_values = guard._parsed_values

    def noted(path, st=None):
        values = parsed_values(path, st)
        if values is None:
            read.append(os.path.abspath(path))
        return values

    monkeypatch.setattr(guard, "_parsed_values", noted)
    # "a moment ago" is 0.1 s (question.RACY_NS): on a loaded machine the regeneration's parse can
    # come later than that and vouch for the saved file; the window is widened so it never does
    monkeypatch.setattr(question_mod, "RACY_NS", 10**15)
    add_a_tag(bench_site)
    post = _posts(bench_site)[4]
    assert b"a tag of its own" in preview.render(f"floor/{post.stem}/index.html")
    assert read == [os.path.abspath(post)]


def test_a_regeneration_hashes_only_the_sources_whose_stat_changed(bench_site: Path, monkeypatch) -> None:
    """Pelican's reader cache checks each post's stamp (with the kit's settings, a hash of the
    file) at every regeneration; the preview hashes again only the file just saved."""
    from pelican.cache import FileStampDataCacher

    _built_and_settled(bench_site)
    preview = preview_mod.LivePreview(Site(bench_site))
    preview.render("index.html")
    hashed: list[str] = []
    pelicans = FileStampDataCacher._get_file_stamp

    def noted(self, filename):
        hashed.append(os.path.abspath(filename))
        return pelicans(self, filename)

    monkeypatch.setattr(FileStampDataCacher, "_get_file_stamp", noted)
    add_a_tag(bench_site)
    post = _posts(bench_site)[4]
    assert b"a tag of its own" in preview.render(f"floor/{post.stem}/index.html")
    assert hashed and set(hashed) == {os.path.abspath(post)}
    # another plugin listening to Pelican's signals: every stamp is Pelican's own again
    from from_the_floor.pelican_plugin import engine

    monkeypatch.setattr(engine, "foreign_receivers", lambda: ["someone_elses_plugin"])
    hashed.clear()
    remove_a_tag(bench_site)
    assert b"a tag of its own" not in preview.render(f"floor/{post.stem}/index.html")
    assert len(set(hashed)) > POSTS


def test_the_preview_looks_for_a_contact_saved_with_the_page_that_shows_it(bench_site: Path) -> None:
    """A save that gives a post a new reader's address in its front matter and shows it in the
    answer: the page is refused at once, though that file is too recent for any kept parse."""
    build_mod.build(Site(bench_site), jobs=1)
    preview = preview_mod.LivePreview(Site(bench_site))
    preview.render("index.html")
    add_a_tag(bench_site)  # a regeneration first, so the store holds the post's older parse
    post = _posts(bench_site)[4]
    assert b"a tag of its own" in preview.render(f"floor/{post.stem}/index.html")
    address = "someone.new@example.net"
    _front(post, lambda lines: [line for line in lines if not line.startswith("contact:")] + [
        f"contact: {address}"
    ])  # fmt: skip
    post.write_text(post.read_text(encoding="utf-8") + f"\nWrite to {address.upper()} any time.\n", "utf-8")
    with pytest.raises(FloorError, match="contact"):
        preview.render(f"floor/{post.stem}/index.html")


def _walked(output: Path, since_ns: int) -> set[str]:
    """The files modified since ``since_ns`` as ``os.walk`` finds them (the reference)."""
    written = set()
    for folder, _dirs, files in os.walk(output):
        for file in files:
            path = os.path.join(folder, file)
            try:
                if os.stat(path).st_mtime_ns >= since_ns:
                    written.add(os.path.relpath(path, output).replace(os.sep, "/"))
            except OSError:
                continue
    return written


def test_the_files_a_generator_wrote_are_found_as_os_walk_finds_them(tmp_path: Path) -> None:
    """Nested folders, old and new files, a link to a folder (not followed, as os.walk does
    not), a link to a file (its target's time) and a broken link (left out)."""
    out = tmp_path / "output"
    (out / "a" / "b").mkdir(parents=True)
    (out / "c").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "new.html").write_text("x")
    for name in ("old.html", "a/old.json", "a/b/old.xml"):
        (out / name).write_text("old")
        os.utime(out / name, ns=(10**18, 10**18))
    since = 10**18 + 1
    for name in ("index.html", "a/b/feed.xml", "c/new.json"):
        (out / name).write_text("new")
    (out / "to-folder").symlink_to(elsewhere, target_is_directory=True)
    (out / "a" / "to-file.html").symlink_to(out / "index.html")
    (out / "broken.html").symlink_to(tmp_path / "nothing")
    found = preview_mod._written_since(out, since)
    assert found == _walked(out, since)
    assert found == {"index.html", "a/b/feed.xml", "c/new.json", "a/to-file.html"}


def test_a_site_moved_since_its_cache_was_saved_reads_only_the_saved_post_again(
    bench_site: Path, tmp_path: Path, monkeypatch
) -> None:
    """A site built in one folder and previewed in another (renamed, or its .cache restored from
    elsewhere): the kit moves the reader cache's entries to the new folder as the first generation
    starts, and the regenerations after it go on from that cache, not from the one loaded."""
    from from_the_floor.pelican_plugin import plugin

    build_mod.build(Site(bench_site), jobs=1)
    moved = tmp_path / "moved"
    shutil.copytree(bench_site, moved)
    read: list[str] = []
    reader = plugin.FloorMarkdownReader.read

    def noted(self, source_path):
        read.append(os.path.abspath(source_path))
        return reader(self, source_path)

    monkeypatch.setattr(plugin.FloorMarkdownReader, "read", noted)
    preview = preview_mod.LivePreview(Site(moved))
    preview.render("index.html")
    assert read == [], "the first generation found every post in the cache saved under the old folder"
    add_a_tag(moved)
    post = _posts(moved)[4]
    assert b"a tag of its own" in preview.render(f"floor/{post.stem}/index.html")
    assert read == [os.path.abspath(post)]
