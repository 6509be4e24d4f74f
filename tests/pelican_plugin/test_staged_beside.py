"""The staging folder made in a worker while Pelican's generators read the posts (build.py
_stage_beside): a build with two processes equals one with one, byte for byte and count for
count; a failing worker gives exactly the error a build without it gives, and output/ is left
as it was; the search shards' check waits for the folder."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from from_the_floor.core import forked, staging
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.web import search, search_shards
from helpers_build import assert_same, built_site, generate_site, tree
from helpers_floor import floor_env, ok, run_floor
from test_incremental_build import Author, clean_build

TODAY = "2026-11-16"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    return built_site(tmp_path / "gen", 14, today=TODAY, jobs=2)


def _prepared_in(monkeypatch, tmp_path: Path, fail_in=None) -> Path:
    """Note in a file which process made each staging folder (a forked worker's memory is its
    own); ``fail_in(pid)``: whether that process's attempt fails (a full disk, say)."""
    log = tmp_path / "prepared-by.txt"
    prepare = staging.prepare

    def spy(*args, **kwargs):
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        if fail_in is not None and fail_in(os.getpid()):
            raise OSError(28, "No space left on device")
        return prepare(*args, **kwargs)

    monkeypatch.setattr(staging, "prepare", spy)
    return log


def _pids(log: Path) -> list[int]:
    return [int(x) for x in log.read_text(encoding="utf-8").split()] if log.exists() else []


def test_a_build_that_keeps_pages_is_staged_by_a_worker_and_equals_one_built_alone(
    built: Path, tmp_path: Path, monkeypatch
) -> None:
    alone = tmp_path / "alone"
    shutil.copytree(built, alone, symlinks=True)
    for site in (built, alone):
        Author(site, random.Random(5)).edit_answer()
        Author(site, random.Random(9)).add_post()
    log = _prepared_in(monkeypatch, tmp_path)
    counts = build_mod.build(Site(built), jobs=2, today=TODAY)
    assert [pid for pid in _pids(log) if pid != os.getpid()], "a worker made the staging folder"
    assert _pids(log)[-1] != os.getpid(), "and this process did not make it again"
    assert counts == build_mod.build(Site(alone), jobs=1, today=TODAY)
    assert 0 < counts.rendered < counts.kept, counts
    assert_same(tree(built / "output"), tree(alone / "output"))
    assert_same(tree(built / "output"), clean_build(built, tmp_path / "clean", TODAY))


def test_a_build_that_keeps_nothing_is_staged_here(built: Path, tmp_path: Path, monkeypatch) -> None:
    log = _prepared_in(monkeypatch, tmp_path)
    build_mod.build(Site(built), jobs=2, today=TODAY, full=True)
    assert _pids(log) == [os.getpid()]


def test_a_worker_that_fails_is_made_good_here(built: Path, tmp_path: Path, monkeypatch) -> None:
    here = os.getpid()
    Author(built, random.Random(5)).edit_answer()
    log = _prepared_in(monkeypatch, tmp_path, fail_in=lambda pid: pid != here)
    counts = build_mod.build(Site(built), jobs=2, today=TODAY)
    tried = _pids(log)
    assert len(tried) == 2 and tried[0] != here and tried[1] == here, "tried by a worker, made again here"
    assert 0 < counts.rendered < counts.kept, counts
    assert_same(tree(built / "output"), clean_build(built, tmp_path / "clean", TODAY))


def test_a_staging_folder_that_cannot_be_made_fails_as_without_the_worker(
    built: Path, tmp_path: Path, monkeypatch
) -> None:
    Author(built, random.Random(5)).edit_answer()
    before = tree(built / "output")
    log = _prepared_in(monkeypatch, tmp_path, fail_in=lambda pid: True)
    messages = []
    for jobs in (2, 1):
        with pytest.raises(FloorError) as raised:
            build_mod.build(Site(built), jobs=jobs, today=TODAY)
        messages.append(str(raised.value))
        if jobs == 2:
            assert _pids(log)[0] != os.getpid(), "the worker failed first"
        assert_same(tree(built / "output"), before)
        assert not [p.name for p in built.iterdir() if ".staging-" in p.name], "no staging folder left"
    assert messages[0] == messages[1]
    assert "the disk is full" in messages[0] and "the previous site in output/ is untouched" in messages[0]


def test_a_refused_build_waits_for_its_worker_and_leaves_output_alone(
    built: Path, tmp_path: Path, monkeypatch
) -> None:
    before = tree(built / "output")
    log = _prepared_in(monkeypatch, tmp_path)
    post = sorted((built / "content" / "floor").glob("*.md"))[3]
    post.write_text(post.read_text(encoding="utf-8") + "\nWrite to a.reader@example.net.\n", encoding="utf-8")
    queued = sorted((built / "questions").glob("*.md"))[0]
    lines = queued.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [x for x in lines if not x.startswith("contact:")]
    lines.insert(1, "contact: a.reader@example.net\n")
    queued.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(FloorError, match="contact detail"):
        build_mod.build(Site(built), jobs=2, today=TODAY)
    assert [pid for pid in _pids(log) if pid != os.getpid()], "a worker was making the staging folder"
    assert_same(tree(built / "output"), before)
    assert not [p.name for p in built.iterdir() if ".staging-" in p.name], "its staging folder went"


def test_the_search_shards_are_checked_once_the_worker_has_made_the_folder(
    tmp_path: Path, monkeypatch
) -> None:
    """The worker is held until this process waits for it: the shards' check must come after."""
    monkeypatch.setattr(search_shards, "SHARD_RECORDS", 2)
    site = generate_site.generate(tmp_path / "gen", 7, queued=2)["floor"]
    build_mod.build(Site(site), jobs=2, today=TODAY)
    gate = tmp_path / "waited-for"
    spawn, result = forked.spawn, forked.Child.result
    staging_workers: set[int] = set()

    def held_spawn(work, then=None):
        if getattr(work, "__name__", "") != "fill":
            return spawn(work, then=then)

        def held():
            while not gate.exists():  # released by this process's wait, below (no timing involved)
                time.sleep(0.01)
            return work()

        child = spawn(held)
        staging_workers.add(child.pid)
        return child

    def noted_result(self):
        if self.pid in staging_workers:
            gate.touch()
        return result(self)

    checked: list[bool] = []
    unchanged = search_shards.State.unchanged

    def noted_unchanged(self, output, shards, known=None):
        checked.append(gate.exists())
        return unchanged(self, output, shards, known)

    indexed: list[list[str]] = []
    add = search.RecordIndex.add_bundles

    def noted_add(self, bundles, **kwargs):
        indexed.append(sorted(bundles))
        return add(self, bundles, **kwargs)

    monkeypatch.setattr(forked, "spawn", held_spawn)
    monkeypatch.setattr(forked.Child, "result", noted_result)
    monkeypatch.setattr(search_shards.State, "unchanged", noted_unchanged)
    monkeypatch.setattr(search.RecordIndex, "add_bundles", noted_add)
    post = next((site / "content" / "floor").glob("*-00005.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence about marmalade.\n", encoding="utf-8")
    build_mod.build(Site(site), jobs=2, today=TODAY)
    assert staging_workers, "a worker made the staging folder"
    assert checked == [True], "the shards were checked after the worker was waited for"
    assert indexed == [["pagefind/part-2-of-4"]], "only the edited post's shard is indexed again"


# A build whose staging worker is held once it has made the folder, until the build is killed:
# the worker is a forked copy of this script's process, so the hold is patched in here.
HELD_BUILD = """
import os, sys, time
from pathlib import Path
from from_the_floor.core import staging
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build

site, marker, today = sys.argv[1:]
prepare, parent = staging.prepare, os.getpid()

def held(*args, **kwargs):
    made = prepare(*args, **kwargs)
    if os.getpid() != parent:
        Path(marker + ".tmp").write_text(str(made), encoding="utf-8")
        os.replace(marker + ".tmp", marker)
        while True:
            time.sleep(0.05)
    return made

staging.prepare = held
build.build(Site(Path(site)), jobs=2, today=today)
"""


def test_a_build_killed_while_its_worker_stages_leaves_output_alone(built: Path, tmp_path: Path) -> None:
    Author(built, random.Random(5)).edit_answer()
    before = tree(built / "output")
    marker = tmp_path / "staged"
    held = subprocess.Popen(
        [sys.executable, "-c", HELD_BUILD, str(built), str(marker), TODAY],
        env=floor_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches the worker too
    )
    try:
        while not marker.exists() and held.poll() is None:
            time.sleep(0.05)  # polling for the marker; nothing depends on how long it takes
        assert held.poll() is None, held.stderr.read().decode() if held.stderr else ""
    finally:
        os.killpg(held.pid, signal.SIGKILL)
        held.wait()
    staged = Path(marker.read_text(encoding="utf-8"))
    assert staged.name == f".output.staging-{held.pid}.tmp", "named after the build, not the worker"
    assert staged.is_dir()
    assert_same(tree(built / "output"), before)
    ok(run_floor("build", site=built, today=TODAY))
    assert not staged.exists(), "the next build removed the killed one's staging folder"
    assert_same(tree(built / "output"), clean_build(built, tmp_path / "clean", TODAY))
