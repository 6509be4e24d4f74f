"""Temp files and staging folders a killed run left behind are removed by the next run.

Only ours (a dot-name ending in .tmp that carries the writer's process id),
and only stale ones: a concurrent run's temp, whose writer is alive and older
than the file, is kept.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from from_the_floor.core import stale_temps
from helpers_floor import ok, question_text, run_floor, write_question

KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from from_the_floor.core.atomic import atomic_binary
with atomic_binary(Path(sys.argv[1])) as handle:
    handle.write(b"half a question")
    handle.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # killed mid-write: the temp stays behind
"""


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def sleeper():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    time.sleep(0.2)  # let it start before the files it is meant to own are written
    yield child
    child.kill()
    child.wait()


def test_a_write_killed_midway_leaves_a_temp_the_next_command_removes(site: Path) -> None:
    kept = write_question(site, "kept", question_text("Kept?"))
    target = site / "questions" / "half.md"
    result = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(target)], check=False)
    assert result.returncode == -signal.SIGKILL
    temps = list((site / "questions").glob(".half.md.*.tmp"))
    assert len(temps) == 1 and not target.exists()
    ok(run_floor("queue", site=site))
    assert list((site / "questions").glob(".*.tmp")) == []
    assert kept.exists()


def test_a_concurrent_run_s_temp_is_kept_until_its_writer_is_gone(site: Path, sleeper) -> None:
    temp = site / "questions" / f".busy.md.{sleeper.pid}.abcd1234.tmp"
    temp.write_text("being written", encoding="utf-8")
    ok(run_floor("queue", site=site))
    assert temp.exists()  # its writer is alive and older than it
    sleeper.kill()
    sleeper.wait()
    ok(run_floor("queue", site=site))
    assert not temp.exists()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process start times come from /proc")
def test_a_temp_whose_process_id_was_reused_is_stale(tmp_path: Path, sleeper) -> None:
    temp = tmp_path / f".old.md.{sleeper.pid}.abcd1234.tmp"
    temp.write_text("x", encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(temp, (hour_ago, hour_ago))  # written before the process now holding that id began
    assert stale_temps.is_stale(temp)


def test_only_our_names_and_only_old_ones_without_an_id(tmp_path: Path) -> None:
    fresh_old_style = tmp_path / ".x.md.abcdefgh.tmp"
    aged_old_style = tmp_path / ".y.md.abcdefgh.tmp"
    mine = tmp_path / f".z.md.{os.getpid()}.abcd1234.tmp"
    dead = tmp_path / f".w.md.{dead_pid()}.abcd1234.tmp"
    theirs = [tmp_path / "notes.tmp", tmp_path / ".hidden", tmp_path / "draft.md"]
    for path in [fresh_old_style, aged_old_style, mine, dead, *theirs]:
        path.write_text("x", encoding="utf-8")
    two_days_ago = time.time() - 2 * stale_temps.OLD_STYLE_AGE
    os.utime(aged_old_style, (two_days_ago, two_days_ago))
    removed = stale_temps.sweep([tmp_path])
    assert sorted(removed) == sorted([aged_old_style, dead])
    assert all(p.exists() for p in [fresh_old_style, mine, *theirs])


def test_a_recursive_sweep_finds_what_rglob_finds_and_follows_no_link(tmp_path: Path) -> None:
    # the sweep lists folders itself (os.scandir) instead of pathlib's rglob: the same names,
    # at any depth, inside a temp folder too, never through a symbolic link
    dead = dead_pid()
    tree = tmp_path / "output"
    names = [f".page.html.{dead}.abcd1234.tmp", "..tmp", ".tmp", "page.tmp", ".page.html", "index.html"]
    folders = [tree, tree / "a", tree / "a" / "b" / "c", tree / f".output-pagefind.{dead}.tmp" / "x"]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / f".kept.{dead}.tmp").write_text("x", encoding="utf-8")
    (tree / "linked").symlink_to(outside, target_is_directory=True)
    expected = sorted(tree.rglob(".*.tmp"))
    found: list[Path] = []
    stale_temps._temps_in(str(tree), True, found)
    assert sorted(found) == expected
    assert len(expected) == 3 * 2 + 2 + 1  # two names in each plain folder, the temp folder
    removed = stale_temps.sweep([tree], recursive=True)
    assert tree / f".output-pagefind.{dead}.tmp" in removed
    assert not list(tree.rglob(f".page.html.{dead}.abcd1234.tmp"))
    assert (tree / "a" / "b" / "c" / "index.html").exists()
    assert (outside / f".kept.{dead}.tmp").exists(), "nothing is removed through a link"


def test_the_next_build_removes_a_killed_build_s_temps_and_staging(site: Path) -> None:
    ok(run_floor("build", site=site))
    pid = dead_pid()
    staging = site / f".output-pagefind.{pid}.tmp"
    (staging / "fragment").mkdir(parents=True)
    (staging / "pagefind.js").write_text("half", encoding="utf-8")
    in_output = site / "output" / "stats" / f".index.html.{pid}.abcd1234.tmp"
    in_output.write_text("half a page", encoding="utf-8")
    in_cache = site / ".cache" / f".markdown-memo.{pid}.tmp"
    in_cache.parent.mkdir(exist_ok=True)
    in_cache.write_bytes(b"half a pickle")
    ok(run_floor("build", site=site))
    assert not staging.exists() and not in_output.exists() and not in_cache.exists()
    assert (site / "output" / "stats" / "index.html").is_file()
