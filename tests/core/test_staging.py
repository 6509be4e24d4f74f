"""staging.py: a build's folder beside output/, brought up to date from the spare, swapped in."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from from_the_floor.core import staging
from helpers_floor import tree_digest


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_build_starts_from_the_spare_brought_up_to_date(tmp_path: Path) -> None:
    output = tmp_path / "output"
    _tree(
        output, {"index.html": "new", "floor/a/index.html": "a", "CNAME": "x", "pagefind/pagefind.js": "js"}
    )
    spare = tmp_path / ".output.spare.tmp"
    _tree(spare, {"index.html": "old", "floor/gone/index.html": "gone", "pagefind/pagefind.js": "old js"})
    os.utime(output / "floor" / "a" / "index.html", ns=(1_000_000_000, 1_000_000_000))
    staged = staging.prepare(output)
    assert not spare.exists(), "the spare was taken"
    assert staged.parent == tmp_path and staged.name.endswith(".tmp")
    # the search bundle too: the build keeps the shards whose records did not change
    assert tree_digest(staged) == tree_digest(output), "the same files"
    assert (staged / "floor" / "a" / "index.html").stat().st_mtime_ns == 1_000_000_000, "mtimes kept"
    assert staging.public_name(staged) == output
    staging.discard(staged)
    assert not staged.exists()


def test_a_build_may_start_from_hard_links_instead_of_copies(tmp_path: Path, monkeypatch) -> None:
    output = tmp_path / "output"
    _tree(output, {"index.html": "home", "floor/a/index.html": "a"})
    staged = staging.prepare(output, link=True)
    assert tree_digest(staged) == tree_digest(output)
    for rel in ("index.html", "floor/a/index.html"):
        assert (staged / rel).stat().st_ino == (output / rel).stat().st_ino, "linked, not copied"
    assert not [p.name for p in staged.rglob("*") if p.name.endswith(".tmp")], "no temporary file left"
    staging.discard(staged)
    copied = staging.prepare(output)  # link=False: copies (another plugin might write in place)
    assert (copied / "index.html").stat().st_ino != (output / "index.html").stat().st_ino
    staging.discard(copied)

    def no_links(*_args, **_kwargs):
        raise OSError(errno.EPERM, "hard links not supported here")

    monkeypatch.setattr(os, "link", no_links)
    fallback = staging.prepare(output, link=True)
    assert tree_digest(fallback) == tree_digest(output), "a file system without hard links gets copies"
    staging.discard(fallback)


def test_a_publish_build_keeps_only_what_output_retention_names(tmp_path: Path) -> None:
    output = tmp_path / "output"
    _tree(output, {"index.html": "x", ".git": "gitdir: elsewhere", "floor/a/index.html": "a"})
    staged = staging.prepare(output, keep_only=(".git", "missing"))
    assert sorted(p.name for p in staged.iterdir()) == [".git"]


def test_the_swap_keeps_the_old_output_as_the_spare(tmp_path: Path) -> None:
    output = tmp_path / "output"
    _tree(output, {"index.html": "old"})
    staged = staging.prepare(output)
    (staged / "index.html").write_text("new", encoding="utf-8")
    staging.swap_in(staged, output)
    assert (output / "index.html").read_text(encoding="utf-8") == "new"
    assert (tmp_path / ".output.spare.tmp" / "index.html").read_text(encoding="utf-8") == "old"
    assert not staged.exists()


def test_an_output_folder_that_cannot_be_renamed_is_updated_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    _tree(output, {"index.html": "old", "stale/page.html": "stale", "same.css": "css"})
    staged = staging.prepare(output)
    (staged / "index.html").write_text("new", encoding="utf-8")
    (staged / "stale" / "page.html").unlink()
    _tree(staged, {"floor/b/index.html": "b"})
    inode = (output / "same.css").stat().st_ino
    rename = os.rename

    def busy(src, dst, *args, **kwargs):
        if Path(src) == output:
            raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        return rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", busy)
    expected = tree_digest(staged)
    staging.swap_in(staged, output)
    assert tree_digest(output) == expected
    assert (output / "same.css").stat().st_ino == inode, "an unchanged file is left alone"
    assert not staged.exists()


def test_a_running_builds_folder_is_left_alone(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        live = tmp_path / f".output.staging-{sleeper.pid}.tmp"
        live.mkdir()
        done = subprocess.Popen([sys.executable, "-c", "pass"])
        done.wait()
        dead = tmp_path / f".output.staging-{done.pid}.tmp"
        dead.mkdir()
        assert staging.clean_leftovers(output) == [dead]
        assert live.is_dir()
    finally:
        sleeper.stdin.close()
        sleeper.wait()


def test_a_worker_process_fills_the_folder_the_build_named(tmp_path: Path) -> None:
    """The build names its staging folder (after its own process) and a forked worker fills it."""
    from from_the_floor.core import forked

    output = tmp_path / "output"
    _tree(output, {"index.html": "home", "floor/a/index.html": "a"})
    spare = tmp_path / ".output.spare.tmp"
    _tree(spare, {"index.html": "old"})
    named = staging.folder(output)
    assert named == tmp_path / f".output.staging-{os.getpid()}.tmp" and not named.exists()
    assert staging.public_name(named) == output
    ok, made = forked.spawn(lambda: staging.prepare(output, link=True, into=named)).result()
    assert ok and made == named, made
    assert not spare.exists(), "the worker took the spare"
    assert tree_digest(named) == tree_digest(output)
    seen = forked.spawn(lambda: staging.clean_leftovers(output)).result()
    assert seen == (True, []), "another process leaves the folder of a running build alone"
    staging.swap_in(named, output)
    assert tree_digest(output) == tree_digest(spare)


def test_what_the_linking_saw_is_what_a_walk_of_both_trees_finds(tmp_path: Path) -> None:
    """staging.Listing: each file's stat in output/ before it was linked (its ctime not yet moved
    by the link), and its copy's in the staging folder (a new link, a file kept from the spare, a
    copy left to be stated), so the build's check need not walk either tree again."""
    from from_the_floor.core.build_manifest import walk

    output = tmp_path / "output"
    _tree(output, {"index.html": "home", "floor/a/index.html": "a", "floor/b/index.html": "b"})
    spare = tmp_path / ".output.spare.tmp"
    _tree(spare, {"floor/a/index.html": "old a", "gone.html": "gone"})
    os.utime(output / "floor" / "a" / "index.html", ns=(1_000_000_000, 1_000_000_000))
    os.utime(spare / "floor" / "a" / "index.html", ns=(1_000_000_000, 1_000_000_000))
    before = walk(output)
    listing = staging.Listing()
    staged = staging.prepare(output, link=True, listing=listing)
    assert listing.whole
    assert listing.before.keys() == before.keys() == walk(staged).keys()
    for rel, st in before.items():
        assert (listing.before[rel].st_ino, listing.before[rel].st_ctime_ns) == (st.st_ino, st.st_ctime_ns)
    now = walk(staged)
    for rel, st in listing.staged.items():
        assert st is not None and (st.st_ino, st.st_size, st.st_mtime_ns) == (
            now[rel].st_ino,
            now[rel].st_size,
            now[rel].st_mtime_ns,
        ), rel
    staging.discard(staged)

    # a spare file with the same size and mtime is kept, and its own stat is what is listed
    _tree(spare, {"index.html": "HOME"})
    home = output / "index.html"
    os.utime(spare / "index.html", ns=(home.stat().st_atime_ns, home.stat().st_mtime_ns))
    listing = staging.Listing()
    staged = staging.prepare(output, link=True, listing=listing)
    kept = listing.staged["index.html"]
    assert kept is not None and kept.st_ino == (staged / "index.html").stat().st_ino != home.stat().st_ino
    staging.discard(staged)

    copied = staging.Listing()
    staged = staging.prepare(output, listing=copied)  # copies: their stats are not known
    assert copied.staged == dict.fromkeys(before) and copied.before.keys() == before.keys()
    staging.discard(staged)

    (output / "link.html").symlink_to("index.html")
    odd = staging.Listing()
    staging.discard(staging.prepare(output, link=True, listing=odd))
    assert not odd.whole, "a symlink: the check walks the staging folder itself"
