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
