"""Retirement is the author's switch, walked with the real `floor` command on a `floor init` site."""

from __future__ import annotations

import json
from pathlib import Path

from helpers_floor import ok


def _publish_one(run_floor, site: Path) -> None:
    ok(run_floor("ask", "How do you decide what to write about?", site=site, today="2026-11-09"))
    qid = "how-do-you-decide-what-to-write-about"
    ok(run_floor("answer", qid, "--quick", "I follow.", "--body", "Longer.", site=site, today="2026-11-09"))
    ok(run_floor("publish", site=site, today="2026-11-09"))


def test_a_new_column_is_not_armed_and_never_retires_by_itself(run_floor, site: Path) -> None:
    assert "FLOOR_AUTO_RETIRE = False" in (site / "pelicanconf.py").read_text(encoding="utf-8")
    _publish_one(run_floor, site)
    shown = ok(run_floor("schedule", site=site, today="2026-11-10"))
    assert "Retirement is not armed" in shown and "floor retire --when-done" in shown
    assert "retires on" not in shown  # no announced end date
    data = json.loads(ok(run_floor("schedule", "--json", site=site, today="2026-11-10")))
    assert data["retirement"]["armed"] is False and data["retirement"]["forecast"] is None
    assert "retirement not armed" in ok(run_floor("stats", site=site, today="2026-11-10"))
    stats = json.loads(ok(run_floor("stats", "--json", site=site, today="2026-11-10")))
    assert stats["retirement"] == {"armed": False, "grace_weeks": 2, "set_in": "pelicanconf.py"}
    # four weeks later, the weekly job: nothing retires, and it does not talk about retiring
    out = ok(run_floor("publish", site=site, today="2026-12-07T09:17:00+00:00"))
    assert not (site / "retired.json").exists() and "retiring" not in out and "retired" not in out
    assert "retirement is not armed" in ok(run_floor("retire-if-due", site=site, today="2026-12-07"))
    assert not (site / "retired.json").exists()


def test_the_author_arms_it_and_it_shows_then_it_retires_as_before(run_floor, site: Path) -> None:
    _publish_one(run_floor, site)
    out = ok(run_floor("retire", "--when-done", site=site, today="2026-11-10"))
    assert out.startswith("retirement armed\n") and "that is on Mon 23 Nov 2026 09:00 UTC" in out
    assert "FLOOR_AUTO_RETIRE = True" in (site / "pelicanconf.py").read_text(encoding="utf-8")
    assert not (site / "retired.json").exists()  # arming retires nothing now
    shown = ok(run_floor("schedule", site=site, today="2026-11-10"))
    assert "Retirement is armed" in shown and "retires on Mon 23 Nov 2026 09:00 UTC" in shown
    data = json.loads(ok(run_floor("schedule", "--json", site=site, today="2026-11-10")))["retirement"]
    assert (data["armed"], data["forecast"]) == (True, "2026-11-23T09:00:00+00:00")
    stats = json.loads(ok(run_floor("stats", "--json", site=site, today="2026-11-10")))
    assert stats["retirement"]["armed"] is True
    assert "retirement armed (FLOOR_AUTO_RETIRE = True" in ok(
        run_floor("stats", site=site, today="2026-11-10")
    )
    out = ok(run_floor("publish", site=site, today="2026-11-23T09:17:00+00:00"))
    assert "retired the column on Mon 23 Nov 2026 (archive)" in out
    assert json.loads((site / "retired.json").read_text(encoding="utf-8"))["by"] == "auto"
    # afterwards stats says it retired, not what the switch will do "once every question is done"
    line = ok(run_floor("stats", site=site, today="2026-11-30")).splitlines()[-1]
    assert line == "retirement retired on Mon 23 Nov 2026 (`floor unretire` reverses it)"


def test_disarm_and_the_options_that_go_alone(run_floor, site: Path) -> None:
    ok(run_floor("retire", "--when-done", site=site))
    again = ok(run_floor("retire", "--when-done", site=site))
    assert again.startswith("retirement armed already; nothing changed")
    out = ok(run_floor("retire", "--disarm", site=site))
    assert out.startswith("retirement disarmed") and "not armed" in out
    assert "FLOOR_AUTO_RETIRE = False" in (site / "pelicanconf.py").read_text(encoding="utf-8")
    mixed = run_floor("retire", "--when-done", "--force", site=site)
    assert mixed.returncode == 2 and "go alone" in mixed.stderr


def test_a_site_that_relied_on_the_old_default_hears_it_from_upgrade(run_floor, site: Path) -> None:
    conf = site / "pelicanconf.py"
    lines = conf.read_text(encoding="utf-8").splitlines(keepends=True)
    conf.write_text("".join(x for x in lines if not x.startswith("FLOOR_AUTO_RETIRE")), encoding="utf-8")
    out = ok(run_floor("upgrade", site=site))
    assert "earlier kits retired a column by themselves" in out and "now not armed" in out
    ok(run_floor("retire", "--when-done", site=site))
    assert "retirement: armed (FLOOR_AUTO_RETIRE = True" in ok(run_floor("upgrade", site=site))


def test_upgrade_gives_the_day_an_armed_column_retires_and_says_when_it_is_already_due(
    run_floor, site: Path
) -> None:
    """Walked: a column an older kit armed by default retired on the first weekly run after the
    upgrade, and `floor upgrade` had said only that the switch was armed."""
    _publish_one(run_floor, site)
    ok(run_floor("retire", "--when-done", site=site, today="2026-11-10"))
    out = ok(run_floor("upgrade", site=site, today="2026-11-10"))
    assert "retirement: armed (FLOOR_AUTO_RETIRE = True" in out
    assert "with what is planned today, that is on Mon 23 Nov 2026 09:00 UTC" in out
    late = ok(run_floor("upgrade", site=site, today="2026-12-07T08:00:00+00:00"))
    assert "that was due on Mon 23 Nov 2026 09:00 UTC: the next weekly run retires the column" in late
    assert "`floor retire --disarm --commit`" in late
    assert not (site / "retired.json").exists()  # the upgrade itself retires nothing
    (site / "questions" / "broken.md").write_text("---\nquestion: [unclosed\n---\n", encoding="utf-8")
    broken = ok(run_floor("upgrade", site=site, today="2026-12-07"))  # the upgrade itself still done
    assert "retirement: armed" in broken and "planned today" not in broken
    ok(run_floor("retire", "--disarm", site=site, today="2026-12-07"))
    assert "planned today" not in ok(run_floor("upgrade", site=site, today="2026-12-07"))


def test_in_a_repository_arming_says_the_weekly_job_needs_it_committed(run_floor, site: Path) -> None:
    """The weekly job runs on what is pushed: a switch set only in this folder never fires there."""
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=site, check=True, capture_output=True)
    out = ok(run_floor("retire", "--when-done", site=site))
    assert "the weekly job sees it once pelicanconf.py is committed and pushed" in out
    assert '`git commit pelicanconf.py -m "Arm retirement"`, then `git push`' in out
    assert '-m "Disarm retirement"`' in ok(run_floor("retire", "--disarm", site=site))
    assert "the weekly job sees it" not in ok(run_floor("retire", "--disarm", site=site))  # nothing changed


def test_outside_a_repository_arming_says_nothing_of_git(run_floor, site: Path) -> None:
    assert "git" not in ok(run_floor("retire", "--when-done", site=site))


def test_the_same_command_with_commit_commits_what_an_earlier_run_left(run_floor, site: Path) -> None:
    """Armed without --commit, then the author runs it again with --commit: the folder already says
    True, but the repository (what the weekly job runs on) does not, so this run commits it."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "Start")
    ok(run_floor("retire", "--when-done", site=site))
    again = ok(run_floor("retire", "--when-done", site=site))  # nothing changed, still not committed
    assert "retirement armed already; nothing changed" in again
    assert "the weekly job sees it once pelicanconf.py is committed" in again
    out = ok(run_floor("retire", "--when-done", "--commit", site=site))
    assert "committed what an earlier run left uncommitted: Arm retirement when the column is done" in out
    assert "FLOOR_AUTO_RETIRE = True" in git("show", "HEAD:pelicanconf.py")
    assert git("status", "--porcelain") == ""
    # committed now: a third run has nothing to change and nothing to commit, and says neither
    third = ok(run_floor("retire", "--when-done", "--commit", site=site))
    assert "committed" not in third and "weekly job sees it" not in third
    # the same for disarming
    ok(run_floor("retire", "--disarm", site=site))
    out = ok(run_floor("retire", "--disarm", "--commit", site=site))
    assert "committed what an earlier run left uncommitted: Disarm retirement" in out
    assert "FLOOR_AUTO_RETIRE = False" in git("show", "HEAD:pelicanconf.py")


def test_on_a_retired_column_the_switch_says_the_column_has_already_retired(run_floor, site: Path) -> None:
    """Disarming a retired column brings nothing back; it said only "the column goes on after its
    last post until you retire it", as if it were live."""
    _publish_one(run_floor, site)
    ok(run_floor("retire", site=site, today="2026-11-10"))
    for flag in ("--disarm", "--when-done"):
        out = ok(run_floor("retire", flag, site=site, today="2026-11-11"))
        assert (
            "the column has already retired (on Tue 10 Nov 2026): the switch matters again only once "
            "`floor unretire` has brought it back"
        ) in out
        assert "that is on" not in out  # no retirement forecast for a column already retired
    ok(run_floor("unretire", site=site, today="2026-11-12"))
    assert "already retired" not in ok(run_floor("retire", "--disarm", site=site, today="2026-11-12"))
