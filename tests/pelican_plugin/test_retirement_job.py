"""The weekly job, continued past the end of the queue: it retires the column, then stays harmless.

Each run is the workflow's command sequence on a temporary git repository —
`floor publish --commit` (which publishes what is due, then runs the
automatic retirement check), then `floor build --settings publishconf.py` —
with FLOOR_TODAY at the cron moment.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers_publish import add_question, commits, floor, git, git_init, new_site, ok, workflow

SITEURL = "https://example.github.io/column"
# Build-time noise between two runs of a retired column: the reader site's About and Stats
# pages ("Forecast as of <build date>", the burn-down chart's last week), the sitemap's
# <lastmod> for Stats, and so the zip and WARC that contain them. Nothing else may change.
AS_OF_TODAY = frozenset(
    {
        "about/index.html",
        "stats/index.html",
        "sitemap.xml",
        "download/test-column.zip",
        "download/test-column.warc.gz",
    }
)


def run_week(site: Path, moment: str) -> dict[str, str]:
    """One run of the job at ``moment``: {step: stdout}."""
    env = {"FLOOR_SITEURL": SITEURL}
    return {
        "publish": ok(floor(site, "publish", "--commit", today=moment, extra_env=env)),
        "build": ok(floor(site, "build", "--settings", "publishconf.py", today=moment, extra_env=env)),
    }


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def column(tmp_path: Path) -> Path:
    site = new_site(tmp_path / "column", auto_retire=True)  # armed, as `floor retire --when-done` does
    add_question(site, "first", asked="2026-10-01")
    add_question(site, "second", asked="2026-10-02")
    add_question(site, "off-topic", asked="2026-10-03", answered=False, declined="not for the column")
    git_init(site)
    return site


def test_the_workflow_runs_the_commands_this_test_runs() -> None:
    runs = [step.get("run", "") for step in workflow()["jobs"]["publish"]["steps"]]
    assert any("floor publish --commit" in run for run in runs)
    assert any("floor build --settings publishconf.py" in run for run in runs)


def test_the_job_retires_after_the_grace_period_and_keeps_running_harmlessly(column: Path) -> None:
    site = column
    week1 = run_week(site, "2026-11-09T09:17:00+00:00")
    assert "published #1" in week1["publish"] and "1 ready (second)" in week1["publish"]
    week2 = run_week(site, "2026-11-16T09:17:00+00:00")
    assert "published #2" in week2["publish"]
    assert (
        week2["publish"].splitlines()[-1]
        == "not retiring: the grace period after the last post ends Mon 30 Nov 2026 09:00 UTC"
    )
    week3 = run_week(site, "2026-11-23T09:17:00+00:00")
    assert "nothing due" in week3["publish"] and "not retiring: the grace period" in week3["publish"]
    assert not (site / "retired.json").exists()
    assert not (site / "output" / "farewell").exists()

    # the queue ran out two weeks ago: this run retires the column and commits it
    before = commits(site)
    week4 = run_week(site, "2026-11-30T09:17:00+00:00")
    said = week4["publish"]
    assert "retired the column on Mon 30 Nov 2026 (archive)" in said
    assert said.count("committed: Retire the column (archive)") == 1
    assert commits(site)[: len(commits(site)) - len(before)] == ["Retire the column (archive)"]
    assert git(site, "status", "--porcelain") == ""
    assert git(site, "ls-files", "retired.json").strip() == "retired.json"
    output = site / "output"
    home = (output / "index.html").read_text(encoding="utf-8")
    assert 'class="retired-notice"' in home and "answered 2 questions" in home
    assert (output / "farewell" / "index.html").is_file()
    assert (output / "download" / "test-column.zip").is_file()
    assert "Sunset: Mon, 30 Nov 2026 09:17:00 GMT" in (output / "_headers").read_text(encoding="utf-8")
    retired_build = digest(output)

    # later runs: nothing published, nothing committed, the same site deployed again
    for moment in ("2026-12-07T09:17:00+00:00", "2026-12-14T15:47:00+00:00"):
        state = (site / "retired.json").read_bytes()
        head = git(site, "rev-parse", "HEAD")
        week = run_week(site, moment)
        assert week["publish"] == (
            "the column retired on Mon 30 Nov 2026: nothing is published "
            "(new questions wait in questions/; `floor unretire` resumes the column)\n"
        )
        assert git(site, "rev-parse", "HEAD") == head and git(site, "status", "--porcelain") == ""
        assert (site / "retired.json").read_bytes() == state
        now = digest(output)
        assert sorted(now) == sorted(retired_build), moment  # the same URLs, none gone, none new
        changed = sorted(rel for rel in now if now[rel] != retired_build[rel])
        assert set(changed) <= AS_OF_TODAY, (moment, changed)


def test_a_question_answered_after_retirement_is_not_published_by_the_job(column: Path) -> None:
    site = column
    for moment in ("2026-11-09T09:17:00+00:00", "2026-11-16T09:17:00+00:00", "2026-11-30T09:17:00+00:00"):
        run_week(site, moment)
    assert (site / "retired.json").exists()
    add_question(site, "late-arrival", asked="2026-12-02")  # asked and answered after the end
    git(site, "add", "-A")
    git(site, "commit", "--quiet", "-m", "A late question")
    week = run_week(site, "2026-12-07T09:17:00+00:00")
    assert "published #" not in week["publish"]
    assert (site / "questions" / "late-arrival.md").is_file()
    assert not (site / "content" / "floor" / "late-arrival.md").exists()


def test_a_column_retired_to_a_new_home_keeps_its_redirect_pages_week_after_week(tmp_path: Path) -> None:
    """Redirect mode: the weekly builds after the retirement change nothing. Last week's pages,
    kept by the build, are already redirects; they were read as the column's pages and wrapped
    again ("Moved: Moved: Tags · Test Column"), one "Moved:" longer and every page rewritten
    each week."""
    site = new_site(
        tmp_path / "column", auto_retire=True, retire_mode="redirect", retire_to="https://new.example.org/"
    )
    add_question(site, "first", asked="2026-10-01", tags="[listening]")
    git_init(site)
    run_week(site, "2026-11-09T09:17:00+00:00")
    assert "retired the column" in run_week(site, "2026-11-23T09:17:00+00:00")["publish"]
    output = site / "output"
    retired_build = digest(output)
    tags = (output / "tags" / "index.html").read_text(encoding="utf-8")
    assert "<title>Moved: Tags · Test Column</title>" in tags
    for moment in ("2026-11-30T09:17:00+00:00", "2026-12-07T09:17:00+00:00"):
        run_week(site, moment)
        now = digest(output)
        assert sorted(now) == sorted(retired_build), moment
        assert sorted(rel for rel in now if now[rel] != retired_build[rel]) == [], moment
    assert (output / "tags" / "index.html").read_text(encoding="utf-8") == tags
