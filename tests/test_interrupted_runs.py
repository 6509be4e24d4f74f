"""The weekly job stopped anywhere: `floor publish --commit` (and `retire --commit`) killed at every
few of its writes.

A real `floor` process is killed (SIGKILL, no cleanup) at the N-th thing it does that changes
something on disk or starts a program (an audit hook counts them: a file opened for writing, a
rename, a removal, a folder made, a git command started). Whatever is left, the same command run
again must end with exactly what an uninterrupted run gives: the same files, the same committed
tree, nothing left staged or lying about.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_publish import add_question, floor, floor_env, git, git_init, new_site, ok, snapshot

TODAY = "2026-12-01"

# `floor ARGS…` with an audit hook that SIGKILLs the process group at the INTERRUPT_AT-th change
# (0: never), and writes how many changes it saw to INTERRUPT_COUNT when it ends.
_KILL_AT = """
import atexit, os, signal, sys
at, seen = int(os.environ["INTERRUPT_AT"]), [0]
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGES = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.link", "shutil.rmtree", "subprocess.Popen"}

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or (mode is not None and not any(c in mode for c in "wax+")):
            return
        if mode is None and not flags & WRITE:
            return
    elif event not in CHANGES:
        return
    seen[0] += 1
    if seen[0] == at:
        os.killpg(os.getpgrp(), signal.SIGKILL)

def count():
    with open(os.environ["INTERRUPT_COUNT"], "w") as out:
        out.write(str(seen[0]))

atexit.register(count)
sys.addaudithook(hook)
from from_the_floor.cli import run
sys.argv = ["floor", *sys.argv[1:]]
run()
"""


def _run(site: Path, at: int, count: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = floor_env(TODAY, {"INTERRUPT_AT": str(at), "INTERRUPT_COUNT": str(count)})
    return subprocess.run(
        [sys.executable, "-c", _KILL_AT, "--site", str(site), *args],
        capture_output=True,
        text=True,
        env=env,
        start_new_session=True,  # the kill takes the process group: floor and any git it started
        timeout=120,
        check=False,
    )


def _state(site: Path) -> tuple[dict[str, bytes], str, str]:
    """The site's files (no caches, no git folder), the committed tree, what git has not recorded."""
    return snapshot(site), git(site, "rev-parse", "HEAD^{tree}"), git(site, "status", "--porcelain")


@pytest.fixture
def column(tmp_path: Path) -> Path:
    site = new_site(tmp_path / "column")
    add_question(site, "first", asked="2026-10-01")
    add_question(site, "second", asked="2026-10-02")
    git_init(site)
    return site


@pytest.mark.parametrize(
    ("args", "made"),
    [
        (("publish", "--commit"), "content/floor/first.md"),
        (("retire", "--force", "--commit"), "retired.json"),
    ],
    ids=["publish", "retire"],
)
def test_a_commit_run_killed_at_any_point_is_finished_by_the_rerun(
    column: Path, tmp_path: Path, args: tuple[str, ...], made: str
) -> None:
    count = tmp_path / "count"
    clean = tmp_path / "clean"
    shutil.copytree(column, clean, symlinks=True)
    ok(_run(clean, 0, count, *args))
    expected = _state(clean)
    assert made in expected[0] and not expected[2], "the whole run made and committed it"
    changes = int(count.read_text())
    assert changes > 10, "the hook sees the run's writes and git commands"

    points = sorted({*range(1, changes + 1, 3), changes - 2, changes - 1, changes})
    for at in points:
        site = tmp_path / f"killed-{at}"
        shutil.copytree(column, site, symlinks=True)
        killed = _run(site, at, count, *args)
        assert killed.returncode == -signal.SIGKILL, (at, killed.stderr)
        checked = floor(site, "check", today=TODAY)
        assert checked.returncode == 0, (at, checked.stderr)
        rerun = _run(site, 0, count, *args)
        assert rerun.returncode == 0, (at, rerun.stderr)
        files, tree, status = _state(site)
        assert files == expected[0], f"killed at change {at}: the files differ from a whole run"
        assert (tree, status) == expected[1:], f"killed at change {at}: git differs ({status!r})"
        assert not [p for p in site.rglob("*.tmp")], f"killed at change {at}: a temp file is left"


# `floor ARGS…` that gets a real Ctrl-C (SIGINT to itself) while Python imports SIGINT_AT_IMPORT,
# one of the modules every run loads before its command starts.
_SIGINT_WHILE_LOADING = """
import os, signal, sys
target = os.environ["SIGINT_AT_IMPORT"]

def hook(event, args):
    if event == "import" and args[0] == target:
        os.kill(os.getpid(), signal.SIGINT)

sys.addaudithook(hook)
from from_the_floor.cli import run
sys.argv = ["floor", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize("module", ["click", "from_the_floor.paths", "from_the_floor.cli.setup"])
def test_ctrl_c_while_the_kit_is_still_loading_is_one_line(tmp_path: Path, module: str) -> None:
    """Ctrl-C in the first half second of `floor publish` (an author who pressed Enter on the
    wrong command) printed a KeyboardInterrupt traceback from an import. It now prints the
    one line every other moment prints, exits 130, and the site is as it was."""
    site = new_site(tmp_path / "site")
    add_question(site, "why", asked="2026-11-20")
    before = snapshot(site)
    done = subprocess.run(
        [sys.executable, "-c", _SIGINT_WHILE_LOADING, "--site", str(site), "publish"],
        env=floor_env(TODAY, {"SIGINT_AT_IMPORT": module}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == "stopped (Ctrl-C): run the same command again to finish the job\n"
    assert snapshot(site) == before
