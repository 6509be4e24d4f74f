"""The questions' check in a worker (build.py _Validation): this process reads Pelican's settings
meanwhile and takes the worker's parses only when they are first wanted; a bad question file
still stops the build, with the message a build without the worker gives, before anything is
written."""

from __future__ import annotations

import os
import threading
import time
import types
from pathlib import Path

import pelican
import pytest
from from_the_floor.core import build_manifest, forked, parse_cache
from from_the_floor.core import question as question_mod
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import incremental
from helpers_build import assert_same, generated_site, tree
from helpers_floor import counting_parses, question_text, tree_digest, write_question
from test_incremental_build import clean_build

TODAY = "2026-11-16"
NEXT_DAY = "2026-11-17"  # (another day: the last build's fast key no longer matches)


@pytest.fixture
def site(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(question_mod, "RACY_NS", 0)  # files just written count as settled
    return generated_site(tmp_path / "gen", 14)


def test_the_settings_are_read_while_the_worker_checks_the_questions(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    events: list[str] = []
    get_instance, result = pelican.get_instance, forked.Child.result

    def reading_settings(*args, **kwargs):
        events.append("settings")
        return get_instance(*args, **kwargs)

    def taking(self):
        events.append(f"worker {self.pid}")
        return result(self)

    monkeypatch.setattr(pelican, "get_instance", reading_settings)
    monkeypatch.setattr(forked.Child, "result", taking)
    parses = counting_parses(monkeypatch)
    build_mod.build(Site(site), jobs=2, today=TODAY)
    assert events[0] == "settings", f"the settings were read before any worker was waited for: {events}"
    assert parses == [], "every question the build read here came from the worker"
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "alone", TODAY))


def test_the_worker_hands_its_parses_back_before_it_saves_the_parse_cache(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    # a fresh checkout: every question file's stat has moved, so the worker's parse cache is
    # rewritten; the build has the parses first, and the worker saves while the build goes on
    monkeypatch.setattr(parse_cache, "RACY_NS", 0)  # files just written are kept too
    build_mod.build(Site(site), jobs=2, today=TODAY)
    for path in (site / "questions").glob("*.md"):
        path.write_bytes(path.read_bytes())  # new stat, same bytes
    events = _noting_take(monkeypatch, tmp_path / "events")
    real_save = parse_cache.ParseCache.save

    def save(store) -> None:  # (in the worker) waits until the build has taken the parses
        _after_taken(events, "saved")
        real_save(store)

    monkeypatch.setattr(parse_cache.ParseCache, "save", save)
    cache = parse_cache.cache_file(site, Site(site).settings.raw)
    before = cache.read_bytes()
    children_before = _children()  # (another test in this process may have left one running)
    build_mod.build(Site(site), jobs=2, today=TODAY, full=True)  # (nothing else changed)
    order = events.read_text().split()
    assert order[0] == "taken" and "saved" in order, order
    assert cache.read_bytes() != before, "the worker saved the new stats once the build had its parses"
    assert _children() - children_before == set(), "and it was reaped"


@pytest.mark.parametrize("jobs", [2, 1])
def test_a_bad_question_stops_the_build_before_anything_is_written(site: Path, jobs: int) -> None:
    build_mod.build(Site(site), jobs=jobs, today=TODAY)
    before = tree(site / "output")
    bad = write_question(site, "bad-date", question_text("When?", asked="the other day"))
    children_before = _children()
    with pytest.raises(FloorError) as raised:
        build_mod.build(Site(site), jobs=jobs, today=TODAY)
    problem = raised.value.as_dict()
    assert problem["file"] == str(bad) and problem["field"] == "asked", problem
    assert_same(tree(site / "output"), before)
    assert not [p.name for p in site.iterdir() if ".staging-" in p.name], "no staging folder made"
    assert _children() == children_before, "the worker was reaped"


def test_the_same_message_with_and_without_the_worker_and_nothing_written(site: Path) -> None:
    """A first build stopped by a bad question leaves the site as it was: no output/, and
    nothing in .cache/ either (what Pelican's plugins record as the settings are read waits for
    a build that goes through)."""
    write_question(site, "bad-date", question_text("When?", asked="the other day"))
    before = tree_digest(site)
    messages = []
    for jobs in (2, 1):
        with pytest.raises(FloorError) as raised:
            build_mod.build(Site(site), jobs=jobs, today=TODAY)
        messages.append(str(raised.value))
        assert tree_digest(site) == before
    assert messages[0] == messages[1]
    assert not (site / "output").exists()


def _noting_take(monkeypatch, events: Path) -> Path:
    """``events`` (a file, since the worker's memory is its own) gets "taken" each time this
    process takes the worker's parses."""
    events.write_text("")
    real_take = build_mod._Validation.take

    def take(validation) -> None:
        real_take(validation)
        with events.open("a") as f:
            f.write("taken\n")

    monkeypatch.setattr(build_mod._Validation, "take", take)
    return events


def _after_taken(events: Path, note: str) -> None:
    """(In the worker) wait until this process has taken the parses (ten seconds at most), then
    note ``note``: a step that runs before the parses are handed back notes it first."""
    for _ in range(200):
        if "taken" in events.read_text():
            break
        time.sleep(0.05)
    with events.open("a") as f:
        f.write(f"{note}\n")


def _children() -> set[str]:
    """This process's child processes (a zombie included) as the kernel lists them."""
    path = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    return set(path.read_text().split()) if path.exists() else set()


def test_the_worker_is_reaped_when_taking_its_parses_fails(site: Path, monkeypatch) -> None:
    # the build's end (close) reaps the worker that goes on to save the parse cache, even when
    # taking its parses raised (an interrupt, a report that cannot be read back)
    children_before = _children()
    validation = build_mod._Validation(Site(site), {}, 2)

    def failing(parses: bytes) -> dict:
        raise RuntimeError("the parses could not be read back")

    monkeypatch.setattr(parse_cache, "parses_from_bytes", failing)
    with pytest.raises(RuntimeError):
        validation.close()
    assert _children() - children_before == set(), "the worker was reaped all the same"


def _restored(site: Path) -> list[Path]:
    """Every source under content/ and the settings file rewritten with the same bytes: new
    stats, as after a restore or a copy (so each is hashed to tell whether it changed)."""
    sources = [*sorted((site / "content").rglob("*.md")), site / "pelicanconf.py"]
    for path in sources:
        path.write_bytes(path.read_bytes())
    return sources


def _digests_here(monkeypatch) -> list[str]:
    """The files this process (not a worker it forks) hashes as sources: build_manifest.digest_file."""
    here, seen = os.getpid(), []
    digest_file = build_manifest.digest_file

    def counting(path):
        if os.getpid() == here:
            seen.append(str(path))
        return digest_file(path)

    monkeypatch.setattr(build_manifest, "digest_file", counting)
    return seen


def _inputs(site: Path) -> dict[str, tuple]:
    """The record's inputs by size and digest (their times differ from copy to copy)."""
    manifest = build_manifest.load(build_manifest.path_for(site / "output"))
    assert manifest is not None
    return {rel: (stamp[0], stamp[2]) for rel, stamp in manifest.inputs.items()}


def test_the_worker_stamps_the_last_builds_inputs_beside_pelicans_import(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    # a weekly build: the last build's record is there, but its day (in the fast key) is not
    # today's, so the check before Pelican stamps nothing; every source's stat has moved
    build_mod.build(Site(site), jobs=2, today=TODAY)
    sources = _restored(site)
    digests = _digests_here(monkeypatch)
    counts = build_mod.build(Site(site), jobs=2, today=NEXT_DAY)
    hashed_here = [p for p in digests if not p.startswith(str(site / "output"))]
    assert hashed_here == [], f"the worker hashed the {len(sources)} sources, not this process: {hashed_here}"
    assert counts.rendered > 0
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "alone", NEXT_DAY))
    assert _inputs(site) == _inputs(tmp_path / "alone"), "the record holds the same inputs"


def test_a_worker_that_cannot_stamp_the_inputs_leaves_them_to_this_process(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    build_mod.build(Site(site), jobs=2, today=TODAY)
    _restored(site)
    here, stamp_inputs, stamped_here = os.getpid(), build_manifest.stamp_inputs, []

    def unreadable_in_the_worker(*args, **kwargs):
        if os.getpid() != here:
            raise PermissionError("a folder could not be listed")
        stamped_here.append(args[0])
        return stamp_inputs(*args, **kwargs)

    monkeypatch.setattr(build_manifest, "stamp_inputs", unreadable_in_the_worker)
    build_mod.build(Site(site), jobs=2, today=NEXT_DAY)
    assert len(stamped_here) == 1, "this process stamped them itself"
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "alone", NEXT_DAY))
    assert _inputs(site) == _inputs(tmp_path / "alone")


@pytest.mark.parametrize("today", [TODAY, NEXT_DAY], ids=["stamped-before-pelican", "stamped-by-the-worker"])
def test_the_inputs_racy_window_is_judged_from_when_they_were_stamped(
    site: Path, monkeypatch, today: str
) -> None:
    # the same day: the check before Pelican stamps the inputs; the next: the questions' worker
    build_mod.build(Site(site), jobs=2, today=TODAY)
    post = sorted((site / "content" / "floor").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    soon = time.time_ns() + 1_000_000_000
    os.utime(post, ns=(soon, soon))  # a tick that has not passed when the file is stamped

    class Later:  # the plan itself begins two seconds on (a slow import, a loaded machine)
        @staticmethod
        def time_ns() -> int:
            return time.time_ns() + 2_000_000_000

    monkeypatch.setattr(incremental, "time", Later)
    build_mod.build(Site(site), jobs=2, today=today)
    stamp = build_manifest.load(build_manifest.path_for(site / "output")).inputs[
        post.relative_to(site).as_posix()
    ]
    assert stamp[1] == -1, "stamped within its racy window: recorded so that the next build hashes it"


def test_the_worker_hands_its_parses_back_before_it_stamps_the_inputs(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    # the next day (the worker stamps the last build's inputs): this process takes the parses in
    # while the worker stamps, and the stamps arrive after the settings, the same as before
    build_mod.build(Site(site), jobs=2, today=TODAY)
    _restored(site)
    events = _noting_take(monkeypatch, tmp_path / "events")
    here, inputs_now = os.getpid(), build_manifest.inputs_now

    def stamping(*args, **kwargs):  # (in the worker) waits until the build has taken the parses
        if os.getpid() != here:
            _after_taken(events, "stamped")
        return inputs_now(*args, **kwargs)

    monkeypatch.setattr(build_manifest, "inputs_now", stamping)
    digests = _digests_here(monkeypatch)
    build_mod.build(Site(site), jobs=2, today=NEXT_DAY)
    order = events.read_text().split()
    assert "stamped" in order and order.index("taken") < order.index("stamped"), order
    hashed_here = [p for p in digests if not p.startswith(str(site / "output"))]
    assert hashed_here == [], "the worker's stamps were used"
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "alone", NEXT_DAY))
    assert _inputs(site) == _inputs(tmp_path / "alone")


def test_a_build_stopped_before_the_stamps_are_read_still_reaps_the_worker(site: Path, monkeypatch) -> None:
    build_mod.build(Site(site), jobs=2, today=TODAY)
    _restored(site)
    # the stamps made larger than a pipe holds (as a big site's are): the worker's send waits for
    # a reader, so only the pipe's end closed lets it save the parse cache and end (a small
    # site's stamps fit in the pipe, and the worker ended whether or not the end was closed)
    real = build_mod.marshal
    padded = types.SimpleNamespace(dumps=lambda value: real.dumps(value) + bytes(1 << 20), loads=real.loads)
    monkeypatch.setattr(build_mod, "marshal", padded)
    children_before = _children()
    last = build_mod._last_build(Site(site), "another day's key", None)
    validation = build_mod._Validation(Site(site), {}, 2, inputs_of=last.manifest)
    validation.verdict()
    # (the stamps never read: the worker's send fails, and it saves and ends); in a thread, so
    # that a worker left waiting on the pipe fails this test instead of stopping the suite
    closing = threading.Thread(target=validation.close, daemon=True)
    closing.start()
    closing.join(timeout=120)
    assert not closing.is_alive(), "the worker still waits to send stamps nobody reads"
    assert _children() - children_before == set()
