"""The publish journal is replayed only inside the site, and it never reaches git.

A `.floor-journal.json` left in a site folder is replayed by the next floor
command; a hostile or corrupted one must not write or delete anything outside
the questions and posts.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from from_the_floor.core import journal
from helpers_floor import fails_cleanly, ok, question_text, run_floor, write_question

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def hostile(site: Path, write: dict[str, str], remove: list[str]) -> Path:
    path = site / journal.NAME
    path.write_text(json.dumps({"write": write, "remove": remove, "summary": "x"}), encoding="utf-8")
    return path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file beside the site (not in it) that a hostile journal aims at."""
    victim = tmp_path / "victim.md"
    victim.write_text("mine\n", encoding="utf-8")
    return victim


@pytest.mark.parametrize(
    "how", ["absolute", "dotdot", "symlinked folder", "symlinked file", "not markdown", "symlinked record"]
)
@pytest.mark.parametrize("verb", ["write", "remove"])
def test_a_hostile_journal_is_refused_and_nothing_outside_changes(
    site: Path, outside: Path, how: str, verb: str
) -> None:
    write_question(site, "kept", question_text("Still here?"))
    if how == "absolute":
        rel = str(outside)
    elif how == "dotdot":
        rel = "questions/../../victim.md"
    elif how == "symlinked folder":
        (site / "questions" / "out").symlink_to(outside.parent, target_is_directory=True)
        rel = "questions/out/victim.md"
    elif how == "symlinked file":
        (site / "questions" / "link.md").symlink_to(outside)
        rel = "questions/link.md"
    elif how == "symlinked record":  # the one file at the site's root it may write, if it is there
        (site / journal.WITHDRAWN_RECORD).symlink_to(outside)
        rel = journal.WITHDRAWN_RECORD
    else:
        rel = "pelicanconf.py"
    before = (site / "pelicanconf.py").read_text(encoding="utf-8")
    path = hostile(site, {rel: "pwned\n"} if verb == "write" else {}, [rel] if verb == "remove" else [])
    err = fails_cleanly(run_floor("queue", site=site))
    assert journal.NAME in err and repr(rel) in err and "refusing to apply it" in err
    assert outside.read_text(encoding="utf-8") == "mine\n"
    assert (site / "pelicanconf.py").read_text(encoding="utf-8") == before
    assert (site / "questions" / "kept.md").exists()
    assert path.exists()  # kept for the author to inspect


def test_one_bad_entry_stops_the_whole_journal_before_any_step(site: Path, outside: Path) -> None:
    good = site / "questions" / "new.md"
    hostile(site, {"questions/new.md": question_text("New?"), str(outside): "x"}, [])
    fails_cleanly(run_floor("queue", site=site))
    assert not good.exists() and outside.read_text(encoding="utf-8") == "mine\n"


def test_an_honest_journal_is_still_replayed(site: Path) -> None:
    write_question(site, "old", question_text("Old?"))
    hostile(site, {"questions/new.md": question_text("New?")}, ["questions/old.md"])
    ok(run_floor("queue", site=site))
    assert (site / "questions" / "new.md").exists() and not (site / "questions" / "old.md").exists()
    assert not (site / journal.NAME).exists()


@pytest.mark.parametrize("where", ["site", "kit"])
def test_the_journal_and_the_lock_are_git_ignored(site: Path, where: str) -> None:
    root = site if where == "site" else REPO_ROOT
    if where == "site":
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    for name in (journal.NAME, ".floor.lock"):
        probe = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "--no-index", "-q", name], check=False
        )
        assert probe.returncode == 0, f"{name} is not ignored in {root}/.gitignore"
