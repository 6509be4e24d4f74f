"""A disk that fills while the build writes: one sentence that says what ran out, where, and that
the previous site is untouched, never Python's own words ("OSError: [Errno 28] …" blamed on
pelicanconf.py) nor a wait for Pagefind's bundle until its timeout."""

from __future__ import annotations

import errno
import random
from pathlib import Path

import pytest
from from_the_floor.core import staging
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import engine
from from_the_floor.web import search
from helpers_build import assert_same, built_site, tree
from test_incremental_build import Author

TODAY = "2026-11-16"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    return built_site(tmp_path / "gen", 6, today=TODAY, jobs=1)


def _refused(errno_: int):
    def write(path: str, data: bytes) -> bool:
        raise OSError(errno_, "No space left on device" if errno_ == errno.ENOSPC else "Disk quota exceeded")

    return write


def _no_staging_left(site: Path) -> list[str]:
    return [p.name for p in site.iterdir() if ".staging-" in p.name or "-pagefind." in p.name]


def test_a_page_the_disk_has_no_room_for_stops_the_build_in_one_sentence(built: Path, monkeypatch) -> None:
    Author(built, random.Random(3)).edit_answer()
    before = tree(built / "output")
    monkeypatch.setattr(engine, "write_bytes_if_changed", _refused(errno.ENOSPC))
    with pytest.raises(FloorError) as raised:
        build_mod.build(Site(built), jobs=1, today=TODAY)
    said = str(raised.value)
    assert "\n" not in said and "Errno" not in said and "OSError" not in said, said
    assert said.startswith(f"{built / 'output'}: the disk is full (")
    assert f"left on the disk that holds {built}" in said
    assert "the previous site in output/ is untouched; free some space and run the build again" in said
    assert_same(tree(built / "output"), before)
    assert _no_staging_left(built) == []


def test_a_quota_that_runs_out_is_named_as_the_quota(built: Path, monkeypatch) -> None:
    Author(built, random.Random(4)).edit_answer()
    monkeypatch.setattr(engine, "write_bytes_if_changed", _refused(errno.EDQUOT))
    with pytest.raises(
        FloorError, match=r"your disk quota ran out .* the previous site in output/ is untouched"
    ):
        build_mod.build(Site(built), jobs=1, today=TODAY)


class _Clock:
    """An instant clock for the search bundle's waits: each pause moves it on and is counted, so a
    test sees how long the build would have waited without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses = 0

    def __call__(self) -> float:
        return self.now

    def pause(self, seconds: float) -> None:
        self.now += seconds
        self.pauses += 1


@pytest.fixture
def clock(monkeypatch) -> _Clock:
    made = _Clock()
    monkeypatch.setattr(search, "_clock", made)
    monkeypatch.setattr(search, "_pause", made.pause)
    return made


def test_pagefind_s_bundle_on_a_full_disk_is_said_once_it_stops_not_after_the_timeout(
    tmp_path: Path, monkeypatch, clock: _Clock
) -> None:
    """Pagefind's service writes its files after it answers, and its write errors go nowhere: an
    entry file that never fills, in a bundle that stopped changing, on a disk with no room left is
    a full disk, said as such long before Pagefind's timeout (300 s)."""
    built = built_site(tmp_path / "gen", 6, today=TODAY, jobs=1, settings="\nFLOOR_SEARCH = True\n")
    assert (built / "output" / "pagefind" / "pagefind.js").is_file()
    Author(built, random.Random(5)).edit_answer()
    before = tree(built / "output")
    monkeypatch.setattr(search, "_bundle_state", lambda folder, files: None)  # as its writes were refused
    monkeypatch.setattr(search, "read_bundle", lambda folder, fixed=None, **kw: ({}, False))
    monkeypatch.setattr(staging, "free_bytes", lambda path: 4096)
    with pytest.raises(FloorError) as raised:
        build_mod.build(Site(built), jobs=1, today=TODAY, full=True)
    said = str(raised.value)
    assert "the disk is full (4.0 KB left" in said and "Pagefind's search bundle" in said, said
    assert said.startswith(f"{built / 'output'}: ") and "the previous site in output/ is untouched" in said
    assert_same(tree(built / "output"), before)
    assert _no_staging_left(built) == []
    # it waited for the bundle to stay still, and no longer than a few times that: not to the timeout
    assert search.STILL_FOR <= clock.now < 60, (clock.now, clock.pauses)


RECORDS = [search.Record(f"/floor/{n}/", f"Question {n}", f"Question {n}\n\nAn answer.") for n in range(3)]


def _still_growing(monkeypatch, clock: _Clock, until: float) -> None:
    """Pagefind's bundle as on a slow disk: not whole when first read, its entry file unfinished
    and one of its files growing at every look until ``until`` (seconds on ``clock``)."""
    real_read, real_files, real_state = search.read_bundle, search._files_now, search._bundle_state

    def read(folder, fixed=None, *, check=True):
        return ({}, False) if check and clock.now < until else real_read(folder, fixed, check=check)

    def files(folders):
        found = real_files(folders)
        return (*found, ("growing", clock.pauses, 0)) if clock.now < until else found

    monkeypatch.setattr(search, "read_bundle", read)
    monkeypatch.setattr(search, "_files_now", files)
    monkeypatch.setattr(
        search, "_bundle_state", lambda f, files: None if clock.now < until else real_state(f, files)
    )


def test_a_bundle_still_growing_on_a_disk_that_says_0_bytes_free_is_not_refused(
    tmp_path: Path, monkeypatch, clock: _Clock
) -> None:
    """Some FUSE and network mounts always report about 0 bytes free: a bundle Pagefind is still
    writing there, for three times the span a still bundle is given, is finished and moved in."""
    monkeypatch.setattr(staging, "free_bytes", lambda path: 0)
    _still_growing(monkeypatch, clock, 3 * search.STILL_FOR)
    out = tmp_path / "output"
    index = search.RecordIndex(out, "en", tmp_path / ".output-pagefind.tmp")
    index.add(RECORDS)
    assert index.write() == len(RECORDS)
    assert (out / "pagefind" / "pagefind.js").is_file() and clock.now >= 3 * search.STILL_FOR


def test_each_look_at_a_bundle_being_written_walks_its_folder_once(
    tmp_path: Path, monkeypatch, clock: _Clock
) -> None:
    """Whether the bundle is whole and whether it is still changing are both answered from one
    walk of its folder a look (every POLL), not one walk each."""
    walks = []
    real_walk = search.os.walk

    def walk(top, *args, **kwargs):
        if str(top).startswith(str(tmp_path / ".output-pagefind.tmp")):  # (the bundle's only)
            walks.append(top)
        return real_walk(top, *args, **kwargs)

    monkeypatch.setattr(search.os, "walk", walk)
    _still_growing(monkeypatch, clock, search.STILL_FOR)
    out = tmp_path / "output"
    index = search.RecordIndex(out, "en", tmp_path / ".output-pagefind.tmp")
    index.add(RECORDS)
    assert index.write() == len(RECORDS)
    assert clock.pauses > 100
    # a look after each pause and one before them, and the whole bundle's one read at the end
    assert len(walks) == clock.pauses + 2, (len(walks), clock.pauses)


def test_a_bundle_growing_until_the_timeout_on_a_nearly_full_disk_is_a_timeout_not_a_full_disk(
    tmp_path: Path, monkeypatch, clock: _Clock
) -> None:
    """Never still, never whole: waited for to Pagefind's timeout, and then said as a timeout: a
    bundle still being written is not one the disk refused, however little room it reports."""
    monkeypatch.setattr(staging, "free_bytes", lambda path: 4096)
    _still_growing(monkeypatch, clock, float("inf"))
    out = tmp_path / "output"
    index = search.RecordIndex(out, "en", tmp_path / ".output-pagefind.tmp", timeout=40)
    index.add(RECORDS)
    with pytest.raises(FloorError) as raised:
        index.write()
    said = str(raised.value)
    assert "Pagefind timed out: it was still writing its search bundle after 40 s" in said, said
    assert "disk is full" not in said
    assert clock.now >= 40
    assert not (out / "pagefind").exists()


def test_a_bundle_that_stopped_unfinished_on_a_nearly_full_disk_is_still_a_full_disk_at_the_timeout(
    tmp_path: Path, monkeypatch, clock: _Clock
) -> None:
    """The other side of the timeout: a bundle that has stopped changing, unfinished, on a disk
    with under NEARLY_FULL left is a full disk, said once it has been still for STILL_FOR, before
    the timeout (here shorter than twice that)."""
    monkeypatch.setattr(staging, "free_bytes", lambda path: 4096)
    _still_growing(monkeypatch, clock, 5.0)  # writes for 5 s, then nothing more
    monkeypatch.setattr(search, "_bundle_state", lambda folder, files: None)  # its entry file never filled
    out = tmp_path / "output"
    index = search.RecordIndex(out, "en", tmp_path / ".output-pagefind.tmp", timeout=18)
    index.add(RECORDS)
    with pytest.raises(FloorError, match=r"the disk is full \(4\.0 KB left .* Pagefind's search bundle"):
        index.write()
    assert 5.0 + search.STILL_FOR <= clock.now <= 18 + 1
    assert not (out / "pagefind").exists()


class _Job:
    skip = keep = False


def test_a_page_a_rendering_worker_has_no_room_for_is_a_full_disk_not_its_traceback(monkeypatch) -> None:
    """With two jobs a forked worker writes half the pages: its refused write reaches the build's
    process as the disk's error (then said in one sentence, as above), not as the worker's
    traceback in 'the Pelican build failed: RuntimeError: rendering failed in a worker process'."""
    import os

    parent = os.getpid()

    def taken(jobs, tickets, detector, written) -> None:
        if os.getpid() != parent:  # the worker's share
            raise OSError(errno.ENOSPC, "No space left on device", "/site/.output.staging-1/a/index.html")

    monkeypatch.setattr(engine, "MIN_PAGES_PER_PROCESS", 1)
    monkeypatch.setattr(engine, "MIN_RENDERED_TO_FORK", 1)
    monkeypatch.setattr(engine, "_one_of_each_template", lambda todo: ([], list(todo), []))
    monkeypatch.setattr(engine, "_write_taken", taken)
    with pytest.raises(OSError) as raised:
        engine._write_in([_Job() for _ in range(8)], 2, None, False)
    assert staging.no_room(raised.value) and raised.value.filename.endswith("a/index.html")


@pytest.mark.parametrize("folder", ["output", "public"])
def test_a_refused_write_in_the_staging_folder_is_named_whatever_output_path_is(
    tmp_path: Path, folder: str
) -> None:
    """OUTPUT_PATH = "public" stages into .public.staging-PID.tmp: still "the new site", not a path
    of a hidden folder the author never made."""
    output = tmp_path / folder
    refused = OSError(
        errno.ENOSPC, "No space left on device", str(tmp_path / f".{folder}.staging-7.tmp/a/b.html")
    )
    said = build_mod._writing(refused, tmp_path, output)
    assert said == f"the new site (a/b.html, in its staging folder .{folder}.staging-7.tmp beside {folder}/)"
    assert build_mod._writing(OSError(errno.ENOSPC, "full"), tmp_path, output).endswith(
        f"staging folder beside {folder}/) or the build's caches (.cache/)"
    )


def test_pagefind_writing_nothing_where_asked_is_said_once_still_not_after_the_timeout(
    tmp_path: Path, monkeypatch, clock: _Clock
) -> None:
    """Pagefind answers WriteFiles yet writes nothing where it was asked (its own error goes
    nowhere): with room on the disk that is 'Pagefind wrote no bundle', said once nothing has
    changed for STILL_FOR, not 'did not finish' after Pagefind's whole timeout."""
    monkeypatch.setattr(staging, "free_bytes", lambda path: 10 << 30)
    elsewhere = tmp_path / "elsewhere"
    real_send = search.RecordIndex._send

    def send(self, payload: dict) -> int:
        if payload.get("type") == "WriteFiles":
            payload = {**payload, "output_path": str(elsewhere / Path(payload["output_path"]).name)}
        return real_send(self, payload)

    monkeypatch.setattr(search.RecordIndex, "_send", send)
    out = tmp_path / "output"
    index = search.RecordIndex(out, "en", tmp_path / ".output-pagefind.tmp")
    index.add(RECORDS)
    with pytest.raises(FloorError, match="Pagefind wrote no bundle"):
        index.write()
    assert search.STILL_FOR <= clock.now < 60, (clock.now, clock.pauses)
    assert not (out / "pagefind").exists()
