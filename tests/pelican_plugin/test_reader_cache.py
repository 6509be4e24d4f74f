"""Pelican's reader cache survives the site moving to another folder (reader_cache.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import plugin, reader_cache
from helpers_build import assert_same, built_site, tree

TODAY = "2026-11-16"


def _count_reads(monkeypatch) -> list[str]:
    read: list[str] = []
    original = plugin.FloorMarkdownReader.read

    def counting(self, source_path):
        read.append(str(source_path))
        return original(self, source_path)

    monkeypatch.setattr(plugin.FloorMarkdownReader, "read", counting)
    return read


def _clean_build(site: Path, where: Path) -> dict[str, bytes]:
    shutil.copytree(site, where, ignore=shutil.ignore_patterns("output", ".cache", ".*.manifest.json"))
    build_mod.build(Site(where), jobs=1, today=TODAY)
    return tree(where / "output")


def test_a_moved_site_reads_only_the_post_that_changed(tmp_path: Path, monkeypatch) -> None:
    site = built_site(tmp_path / "gen", 12, today=TODAY)
    assert (site / ".cache" / reader_cache.ROOT_FILE).read_text(encoding="utf-8") == str(site / "content")
    moved = tmp_path / "elsewhere" / "column"
    shutil.copytree(site, moved, copy_function=shutil.copy)  # a fresh checkout: every mtime new
    edited = sorted((moved / "content" / "floor").glob("*.md"))[5]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    read = _count_reads(monkeypatch)
    counts = build_mod.build(Site(moved), jobs=1, today=TODAY)
    assert read == [str(edited)]
    assert 0 < counts.rendered < counts.kept
    assert (moved / ".cache" / reader_cache.ROOT_FILE).read_text(encoding="utf-8") == str(moved / "content")
    monkeypatch.undo()
    assert_same(tree(moved / "output"), _clean_build(moved, tmp_path / "clean"))


def _generator(tmp_path: Path, cache: dict) -> SimpleNamespace:
    settings = {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path), "PATH": "/new/content"}
    return SimpleNamespace(readers=SimpleNamespace(_cache=dict(cache)), settings=settings)


def test_an_entry_made_in_the_new_folder_wins_over_the_moved_one(tmp_path: Path) -> None:
    generator = _generator(
        tmp_path, {"/old/content/a.md": ("old", 1), "/new/content/a.md": ("new", 2), "/else/b.md": ("b", 3)}
    )
    (tmp_path / reader_cache.ROOT_FILE).write_text("/old/content", encoding="utf-8")
    reader_cache.rebase(generator)
    assert generator.readers._cache == {"/new/content/a.md": ("new", 2), "/else/b.md": ("b", 3)}


def test_no_record_or_an_unreadable_one_moves_nothing(tmp_path: Path) -> None:
    entries = {"/old/content/a.md": ("old", 1)}
    generator = _generator(tmp_path, entries)
    reader_cache.rebase(generator)
    assert generator.readers._cache == entries
    (tmp_path / reader_cache.ROOT_FILE).write_bytes(b"\xff\xfe")
    reader_cache.rebase(generator)
    assert generator.readers._cache == entries
