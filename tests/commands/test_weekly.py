"""commands/weekly.py: the weekly job's order (publish, commit, auto-retire, commit) without the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.commands import weekly
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from helpers_publish import add_question, commits, git, git_init, new_site

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def column(tmp_path: Path) -> Path:
    site = new_site(tmp_path / "column")
    add_question(site, "first", asked="2026-10-01")
    git_init(site)
    return site


def test_a_dry_run_commits_nothing_and_names_the_commit_it_would_make(column: Path) -> None:
    before = commits(column)
    done = weekly.run(Site(column), NOW, dry_run=True, commit=True)
    assert done.result.posts, "the answered question is due"
    assert done.would_commit and done.committed is None and done.error is None
    assert commits(column) == before
    assert (column / "questions" / "first.md").exists()


def test_a_real_run_publishes_then_commits_exactly_the_posts(column: Path) -> None:
    done = weekly.run(Site(column), NOW, commit=True)
    assert done.error is None
    assert len(done.result.posts) == 1
    assert done.committed and commits(column)[0] == done.committed
    changed = git(column, "show", "--name-only", "--format=", "HEAD").split()
    assert changed and all(p.startswith(("questions/", "content/floor/")) for p in changed)
    assert not git(column, "status", "--porcelain", "--", "questions", "content")


def test_without_commit_git_is_left_alone(column: Path) -> None:
    before = commits(column)
    done = weekly.run(Site(column), NOW)
    assert done.result.posts and done.committed is None
    assert commits(column) == before


def test_commit_outside_a_repository_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    site = new_site(tmp_path / "loose")
    add_question(site, "first", asked="2026-10-01")
    with pytest.raises(FloorError):
        weekly.run(Site(site), NOW, commit=True)
    assert (site / "questions" / "first.md").exists()
    assert not list((site / "content" / "floor").glob("*.md"))


def test_a_stale_git_lock_is_refused_before_anything_is_published(column: Path) -> None:
    """A git command killed part-way leaves .git/index.lock: --commit says so before moving a post
    (the commit would fail after the move)."""
    (column / ".git" / "index.lock").touch()
    with pytest.raises(FloorError) as refused:
        weekly.run(Site(column), NOW, commit=True)
    assert "index.lock" in str(refused.value.path) and "delete this file" in refused.value.message
    assert (column / "questions" / "first.md").exists()
    assert not list((column / "content" / "floor").glob("*.md"))


# Runs `floor publish --commit` with the commit replaced by a SIGKILL of the process itself: the
# posts are moved, git never hears of them (the moment the weekly job's runner can be cancelled at).
_KILLED_BEFORE_COMMIT = """
import os, signal, sys
from from_the_floor.services import gitops
gitops.commit_publish = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
from from_the_floor.cli import run
sys.argv = ["floor", "--site", sys.argv[1], "publish", "--commit"]
run()
"""


def test_a_publish_killed_before_its_commit_is_committed_by_the_next_run(column: Path) -> None:
    import signal
    import subprocess
    import sys

    from helpers_publish import floor, floor_env, ok

    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_BEFORE_COMMIT, str(column)],
        env=floor_env("2026-12-01"),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (column / "content" / "floor" / "first.md").exists(), "the kill came after the move"
    assert commits(column) == ["Start the column"]
    checked = floor(column, "check", today="2026-12-01")
    assert checked.returncode == 0
    assert "holds a publish git has not recorded (What about first?)" in checked.stderr

    rerun = ok(floor(column, "publish", "--commit", today="2026-12-01"))
    assert "nothing due" in rerun
    assert "committed an earlier publish that was never committed: Publish " in rerun
    assert commits(column)[0].startswith("Publish ")
    assert not git(column, "status", "--porcelain", "--", "questions", "content")
    assert "git has not recorded" not in floor(column, "check", today="2026-12-01").stderr


def test_a_publish_killed_between_git_add_and_commit_commits_the_question_removal_too(column: Path) -> None:
    """Killed after `git add` staged the move (the question's removal is then in no index entry):
    the next run commits the whole move, not only the post, or the pushed repository holds the
    question twice, queued and published."""
    from helpers_publish import floor, ok

    weekly.run(Site(column), NOW)
    git(column, "add", "-A", "--", "content/floor/first.md", "questions/first.md")  # then the kill
    out = ok(floor(column, "publish", "--commit", today="2026-12-01"))
    assert "committed an earlier publish that was never committed" in out
    assert not git(column, "status", "--porcelain"), "the question's removal is committed with the post"
    changed = git(column, "show", "--no-renames", "--name-only", "--format=", "HEAD").split()
    assert "questions/first.md" in changed


def test_other_commands_with_commit_record_such_a_publish_first(column: Path) -> None:
    from helpers_publish import floor, ok

    weekly.run(Site(column), NOW)  # published, not committed (as after a kill, or without --commit)
    out = ok(floor(column, "retire", "--force", "--commit", today="2026-12-01"))
    assert "committed an earlier publish that was never committed" in out
    assert commits(column)[1].startswith("Publish ") and commits(column)[0] != commits(column)[1]
    assert not git(column, "status", "--porcelain")


def test_a_retired_column_s_run_says_it_commits_the_publish_an_earlier_run_left(column: Path) -> None:
    """Published and retired without --commit (the author's own runs): the weekly job's run publishes
    nothing, but commits those posts, and says so, in the dry run (the desk's page) and the run."""
    from helpers_publish import floor, ok

    weekly.run(Site(column), NOW)
    ok(floor(column, "retire", "--force", today="2026-12-01"))
    dry = ok(floor(column, "publish", "--dry-run", "--commit", today="2026-12-02"))
    assert "nothing is published" in dry and "would commit an earlier publish that was never committed" in dry
    # the dry run names the uncommitted retirement as the run below commits it
    assert "would commit what an earlier run left uncommitted: Retire the column (archive)" in dry
    assert git(column, "status", "--porcelain", "--", "retired.json").startswith("??"), "nothing staged"
    out = ok(floor(column, "publish", "--commit", today="2026-12-02"))
    assert "nothing is published" in out and "committed an earlier publish that was never committed" in out
    # and the retirement itself, or the repository (and the weekly job's build) stays a live column
    assert "committed what an earlier run left uncommitted: Retire the column (archive)" in out
    assert commits(column)[:2] == ["Retire the column (archive)", commits(column)[1]]
    assert commits(column)[1].startswith("Publish ") and not git(column, "status", "--porcelain")
    again = ok(floor(column, "publish", "--commit", today="2026-12-09"))  # nothing left: nothing said
    assert "committed" not in again and len(commits(column)) == 3
    assert "would commit" not in ok(floor(column, "publish", "--dry-run", "--commit", today="2026-12-09"))


def test_a_retirement_stopped_before_its_commit_is_committed_by_the_rerun(column: Path) -> None:
    """retired.json written, the run stopped before `git commit`: the re-run has nothing to
    change, and still commits it (or the repository, and the weekly job, never see it)."""
    from helpers_publish import floor, ok

    ok(floor(column, "retire", "--force", today="2026-12-01"))  # written, not committed: as after a kill
    out = ok(floor(column, "retire", "--force", "--commit", today="2026-12-01"))
    assert "nothing changed" in out and "committed what an earlier run left uncommitted: Retire" in out
    assert commits(column)[0].startswith("Retire the column") and not git(column, "status", "--porcelain")
    ok(floor(column, "unretire", today="2026-12-01"))
    out = ok(floor(column, "unretire", "--commit", today="2026-12-01"))
    assert "committed what an earlier run left uncommitted: Unretire the column" in out
    assert not git(column, "status", "--porcelain")
    assert "committed" not in ok(floor(column, "unretire", "--commit", today="2026-12-01"))


def test_an_imported_or_committed_post_is_no_unrecorded_publish(column: Path) -> None:
    from from_the_floor.services import gitops

    weekly.run(Site(column), NOW, commit=True)
    assert gitops.unrecorded_publish(Site(column)) == []
    imported = column / "content" / "floor" / "old.md"
    imported.write_text(
        "---\nquestion: Old?\nasked: 2020-01-01\nsource: import\ntitle: Old\n"
        "date: 2020-01-01T10:00:00+00:00\nnumber: 0\nslug: old\nquick_answer: Yes.\n---\nYes.\n",
        encoding="utf-8",
    )
    assert gitops.unrecorded_publish(Site(column)) == []


def test_a_run_beside_a_publish_not_yet_committed_waits_for_it(column: Path) -> None:
    """Two jobs at once: while one holds the lock between its move and its commit, the other
    must not commit those posts under it (it used to, and the first one's commit then failed)."""
    from filelock import FileLock
    from helpers_publish import floor

    weekly.run(Site(column), NOW)  # the first run's posts are moved, its commit not yet made
    held = FileLock(str(Site(column).lock_path))
    with held.acquire(timeout=5):
        quick = {"FLOOR_LOCK_TIMEOUT": "1"}
        second = floor(column, "publish", "--commit", today="2026-12-01", extra_env=quick)
    assert second.returncode != 0
    assert "held the lock" in second.stderr
    assert commits(column) == ["Start the column"], "nothing committed while the first run held the lock"


def test_the_schedule_counts_one_unanswered_question_in_the_singular(tmp_path: Path) -> None:
    """ "1 question is still unanswered; their dates cannot be known" -> "its date"."""
    from from_the_floor.commands import report
    from from_the_floor.core import queue as queue_mod
    from from_the_floor.core import schedule as schedule_mod

    root = new_site(tmp_path / "site")
    add_question(root, "open", asked="2026-11-01", answered=False)
    site = Site(root)
    now = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)

    def said() -> str:
        q = queue_mod.load(site)
        plan = schedule_mod.make_plan(q.queued, site.settings, now, q.published)
        return report.schedule_text(plan, now, None, {i.id: i for i in q.queued})

    assert "1 question is still unanswered; its date cannot be known until it is answered." in said()
    add_question(root, "other", asked="2026-11-02", answered=False)
    assert "2 questions are still unanswered; their dates cannot be known until they are answered." in said()


def test_the_weekly_job_fails_in_time_before_github_switches_it_off(site: Path) -> None:
    """Nothing answered for weeks: each run stayed green until GitHub switched the schedule off
    60 days after the last commit. From day 45 the job's publish fails with one line saying what
    to do and by which date; by hand (not in Actions) nothing changes. No network: git only."""
    from helpers_floor import fails_cleanly, first_commit_at, ok, run_floor

    first_commit_at(site, "2027-01-04T09:30:00+00:00")  # the last commit: Monday 4 January
    ok(run_floor("ask", "Do you read every comment?", site=site, today="2027-01-04"))
    actions = {"GITHUB_ACTIONS": "true"}
    day_44 = ok(run_floor("publish", "--commit", site=site, today="2027-02-17", env=actions))
    assert "no answered question is waiting" in day_44 and "GitHub switches" not in day_44
    err = fails_cleanly(run_floor("publish", "--commit", site=site, today="2027-02-18", env=actions))
    line = next(x for x in err.splitlines() if "no commit since" in x)
    assert "no commit since Mon 4 Jan 2027 (45 days)" in line, line
    assert "(on Fri 5 Mar 2027)" in line, line
    assert "Answer a question" in line and "push" in line and "Actions tab" in line
    assert len([x for x in err.splitlines() if x.strip()]) == 1, err
    # the same day by hand, or a dry run, is not the weekly job: no failure
    ok(run_floor("publish", site=site, today="2027-02-18", env={"GITHUB_ACTIONS": ""}))
    ok(run_floor("publish", "--dry-run", site=site, today="2027-02-18", env=actions))
    # after the day: it says since when, so the author re-enables it
    late = fails_cleanly(run_floor("publish", "--commit", site=site, today="2027-03-08", env=actions))
    assert "(since Fri 5 Mar 2027)" in late, late
