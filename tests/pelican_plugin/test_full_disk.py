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


def test_pagefind_s_bundle_on_a_full_disk_is_said_at_once_not_after_the_timeout(
    tmp_path: Path, monkeypatch
) -> None:
    """Pagefind's service writes its files after it answers, and its write errors go nowhere: an
    entry file that never fills on a disk with no room left is a full disk, said as such."""
    built = built_site(tmp_path / "gen", 6, today=TODAY, jobs=1, settings="\nFLOOR_SEARCH = True\n")
    assert (built / "output" / "pagefind" / "pagefind.js").is_file()
    Author(built, random.Random(5)).edit_answer()
    before = tree(built / "output")
    monkeypatch.setattr(search, "_bundle_state", lambda folder: None)  # as its writes were refused
    monkeypatch.setattr(search, "read_bundle", lambda folder, fixed=None, **kw: ({}, False))
    monkeypatch.setattr(staging, "free_bytes", lambda path: 4096)
    with pytest.raises(FloorError) as raised:
        build_mod.build(Site(built), jobs=1, today=TODAY, full=True)
    said = str(raised.value)
    assert "the disk is full (4.0 KB left" in said and "Pagefind's search bundle" in said, said
    assert said.startswith(f"{built / 'output'}: ") and "the previous site in output/ is untouched" in said
    assert_same(tree(built / "output"), before)
    assert _no_staging_left(built) == []


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
