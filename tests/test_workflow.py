"""The weekly GitHub Actions workflow: linted with actionlint, and its structure checked.

The structure tests pin down what the weekly job relies on: a cron that fires
after the demo site's publishing moment in UTC all year round (summer time
included) and never at minute 0, a manual trigger, a concurrency group that
queues runs instead of cancelling them, the Pages permissions, and steps that
are `floor` commands plus `git push`, in the right order.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from from_the_floor import schedule, settings
from helpers_publish import cron_fires, first_run_after, workflow

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "weekly.yml"


def load() -> dict:
    return workflow(WORKFLOW)


def actionlint() -> str:
    found = shutil.which(
        "actionlint", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    )
    if found is None:
        pytest.fail("actionlint is not installed: pip install -e '.[test]' (it comes with the test extra)")
    return found


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # shellcheck/pyflakes integration off: the result must not depend on what else is installed
        [actionlint(), "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
        check=False,
        timeout=60,
    )


def test_actionlint_passes() -> None:
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "weekly.yml"
    text = WORKFLOW.read_text(encoding="utf-8").replace('cron: "17 9 * * 1"', 'cron: "17 25 * * 1"')
    broken.write_text(
        text.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: soon", 1)
    )
    result = lint(broken)
    assert result.returncode != 0
    assert "cron" in result.stdout and "timeout-minutes" in result.stdout


def test_cron_evaluator_sanity() -> None:
    monday_917 = dt.datetime(2027, 1, 4, 9, 17, tzinfo=dt.UTC)
    assert cron_fires("17 9 * * 1", monday_917)
    assert not cron_fires("17 9 * * 1", monday_917 + dt.timedelta(days=1))
    assert cron_fires("*/15 8-10 * * 0,1", monday_917.replace(minute=45))


# --- the structure -------------------------------------------------------------------------------


def crons() -> list[str]:
    return [entry["cron"] for entry in load()["on"]["schedule"]]


def test_triggers_are_a_weekly_schedule_and_manual_dispatch() -> None:
    triggers = load()["on"]
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert crons()
    for expr in crons():
        minute, _hour, dom, month, dow = expr.split()
        assert minute.isdigit() and int(minute) != 0, "avoid the top of the hour"
        assert (dom, month) == ("*", "*") and dow.isdigit(), "once a week, on one weekday"


@pytest.mark.parametrize("year", [2026, 2027, 2031])
def test_a_cron_run_follows_every_slot_of_the_demo_site_summer_and_winter(year: int) -> None:
    conf = settings.load(REPO / "pelicanconf.py")
    day = dt.date(year, 1, 1)
    day += dt.timedelta(days=(conf.weekday - day.weekday()) % 7)
    offsets = set()
    while day.year == year:
        slot = schedule.slot_on(day, conf)
        offsets.add(slot.utcoffset())
        run = first_run_after(crons(), slot)
        assert dt.timedelta(minutes=1) <= run - slot <= dt.timedelta(hours=12), (slot, run)
        day += dt.timedelta(days=7)
    assert len(offsets) == 2 or str(conf.timezone) == "UTC"  # both DST offsets were checked


def test_runs_queue_instead_of_overlapping_or_cancelling() -> None:
    concurrency = load()["concurrency"]
    assert concurrency["group"]
    assert concurrency["cancel-in-progress"] is False


def test_permissions_are_exactly_what_publishing_and_pages_need() -> None:
    assert load()["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}


def steps(job: str) -> list[dict]:
    return load()["jobs"][job]["steps"]


def test_the_publish_job_runs_floor_commands_in_order() -> None:
    job = steps("publish")
    uses = [s["uses"].split("@")[0] for s in job if "uses" in s]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    python = next(s for s in job if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    runs = [s["run"].strip() for s in job if "run" in s]
    assert runs[:4] == [
        "python -m pip install -e .",
        "floor publish --commit",
        'git push origin "HEAD:${GITHUB_REF_NAME}"',
        "floor build --settings publishconf.py",
    ]
    assert len(runs) == 4  # the build indexes search itself: no separate step
    for run in runs[1:4]:
        assert run.split()[0] in ("floor", "invoke", "git")
    order = [s.get("id") or s["uses"].split("@")[0] for s in job]
    assert order.index("build") < order.index("actions/upload-pages-artifact")
    upload = next(s for s in job if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output"


def test_the_deploy_job_uses_the_official_pages_action_after_publishing() -> None:
    deploy = load()["jobs"]["deploy"]
    assert deploy["needs"] == "publish"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_the_notify_job_tells_askers_after_the_deploy_and_commits_the_records() -> None:
    jobs = load()["jobs"]
    notify = jobs["notify"]
    assert notify["needs"] == "deploy"
    assert jobs["deploy"]["outputs"]["page_url"] == "${{ steps.deployment.outputs.page_url }}"
    assert notify["permissions"] == {"contents": "write", "issues": "write"}
    checkout = notify["steps"][0]
    assert (
        checkout["uses"].startswith("actions/checkout")
        and checkout["with"]["ref"] == "${{ github.ref_name }}"
    )
    runs = [s["run"].strip() for s in notify["steps"] if "run" in s]
    assert runs == [
        "python -m pip install -e .",
        "floor notify --commit",
        'git push origin "HEAD:${GITHUB_REF_NAME}"',
    ]
    told = next(s for s in notify["steps"] if s.get("id") == "notify")
    assert told["env"]["FLOOR_SITEURL"] == "${{ needs.deploy.outputs.page_url }}"
    assert told["env"]["FLOOR_SMTP_PASSWORD"] == "${{ secrets.FLOOR_SMTP_PASSWORD }}"
    push = notify["steps"][-1]
    assert push["if"] == "${{ !cancelled() }}"  # records are pushed even when a note failed


def test_the_content_cache_is_restored_before_the_build() -> None:
    job = steps("publish")
    cache = next(s for s in job if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".cache"  # CACHE_PATH in pelicanconf.py
    assert cache["with"]["restore-keys"].startswith("floor-content-cache-${{ hashFiles('pelicanconf.py'")
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    order = [s.get("id") or s["uses"].split("@")[0] for s in job]
    assert order.index("actions/cache") < order.index("build")
