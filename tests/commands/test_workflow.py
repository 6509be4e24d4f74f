"""The GitHub Actions workflows: linted with actionlint, audited with zizmor, structure checked.

Every workflow the kit ships (the weekly job a `floor init` site gets) or this
repository has (its demo's weekly job, the tests, the release) must pass both
tools; a zizmor finding is acceptable only where a `# zizmor: ignore[...]`
comment gives the reason. The structure tests pin down what the weekly job
relies on: a cron that fires after the demo site's publishing moment in UTC all
year round (summer time included) and never at minute 0, a manual trigger, a
concurrency group that queues runs instead of cancelling them, per-job
permissions (nothing at the top), and steps that are `floor` commands plus
`git push`, in the right order.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from from_the_floor.commands import init_site
from from_the_floor.core import schedule, settings
from helpers_publish import cron_fires, first_run_after, workflow

REPO = Path(__file__).resolve().parent.parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "weekly.yml"
REPO_WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))

# Each action's current major version, read from the action's own repository (its tags and
# README) on 1 December 2026. A new action in any workflow must be added here, at its current
# major; the third-party ones are pinned to a commit, with the release in a comment.
CURRENT = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/cache": "v5",
    "actions/configure-pages": "v6",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
    "actions/upload-artifact": "v7",
    "actions/download-artifact": "v8",
    "astral-sh/setup-uv": "v10.0.1",
    "pypa/gh-action-pypi-publish": "v1.14.2",
}


@pytest.fixture(scope="module")
def site_workflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The weekly workflow exactly as `floor init` writes it for a site."""
    site = tmp_path_factory.mktemp("init") / "site"
    init_site.create(site, title="T", author="A", timezone="Europe/London")
    return site / ".github" / "workflows" / "weekly.yml"


def all_workflows(site_workflow: Path) -> list[Path]:
    return [*REPO_WORKFLOWS, site_workflow]


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


def test_the_repository_has_the_weekly_test_and_release_workflows() -> None:
    assert [p.name for p in REPO_WORKFLOWS] == ["release.yml", "test.yml", "weekly.yml"]


@pytest.mark.parametrize("which", ["release.yml", "test.yml", "weekly.yml", "site"])
def test_actionlint_passes(which: str, site_workflow: Path) -> None:
    path = site_workflow if which == "site" else REPO / ".github" / "workflows" / which
    result = lint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    found = shutil.which(
        "zizmor", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    )
    if found is None:
        pytest.fail("zizmor is not installed: pip install -e '.[test]' (it comes with the test extra)")
    return subprocess.run(
        # offline: the audits that need GitHub's API are not run, so the result is the same anywhere
        [found, "--offline", "--no-progress", "--format", "plain", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_zizmor_finds_nothing_unexplained_in_any_workflow(site_workflow: Path) -> None:
    result = zizmor(*all_workflows(site_workflow))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_every_zizmor_ignore_gives_its_reason(site_workflow: Path) -> None:
    ignores = 0
    for path in all_workflows(site_workflow):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "zizmor: ignore[" in line:
                ignores += 1
                reason = re.search(r"zizmor: ignore\[[a-z,-]+\]\s*(.*)$", line)
                assert reason and len(reason.group(1).split()) >= 2, f"{path.name}: {line.strip()}"
    assert ignores


def test_zizmor_would_catch_an_unexplained_finding(tmp_path: Path) -> None:
    """The ignores matter: a checkout that keeps its token, unexplained, is reported."""
    text = (REPO / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
    broken = tmp_path / "test.yml"
    keep = "        with:\n          persist-credentials: false # nothing is pushed\n"
    assert keep in text
    broken.write_text(text.replace(keep, ""))
    result = zizmor(broken)
    assert result.returncode != 0
    assert "artipacked" in result.stdout + result.stderr


def uses_of(path: Path) -> list[str]:
    return [
        step["uses"]
        for job in workflow(path)["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]


def test_every_action_is_at_its_current_version(site_workflow: Path) -> None:
    for path in all_workflows(site_workflow):
        text = path.read_text(encoding="utf-8")
        for ref in uses_of(path):
            action, version = ref.split("@")
            assert action in CURRENT, f"{path.name}: {action} is not in CURRENT (check its repository)"
            if action.startswith("actions/"):
                assert version == CURRENT[action], f"{path.name}: {ref}"
            else:  # a third-party action: a full commit hash, its release named beside it
                assert re.fullmatch(r"[0-9a-f]{40}", version), f"{path.name}: {ref}"
                assert f"{ref} # {CURRENT[action]}" in text, f"{path.name}: {ref}"


def test_every_checkout_says_whether_it_keeps_the_token(site_workflow: Path) -> None:
    """persist-credentials: false where nothing is pushed; kept (and said so) where a job pushes."""
    for path in all_workflows(site_workflow):
        for name, job in workflow(path)["jobs"].items():
            steps = job.get("steps", [])
            pushes = any("git push" in s.get("run", "") for s in steps)
            for step in steps:
                if step.get("uses", "").startswith("actions/checkout"):
                    assert step["with"]["persist-credentials"] is pushes, f"{path.name}: {name}"


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


@pytest.mark.parametrize("which", ["repository", "site"])
def test_each_job_has_only_the_permissions_it_uses(which: str, site_workflow: Path) -> None:
    data = workflow(site_workflow if which == "site" else WORKFLOW)
    assert data["permissions"] == {}  # nothing by default
    jobs = data["jobs"]
    # publish runs the build too, but the build needs no token: only the push and configure-pages
    assert jobs["publish"]["permissions"] == {"contents": "write", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["notify"]["permissions"] == {"contents": "write", "issues": "write"}


def test_the_test_and_release_workflows_are_least_privilege() -> None:
    test = workflow(REPO / ".github" / "workflows" / "test.yml")
    assert set(test["on"]) == {"push", "pull_request"}
    assert test["permissions"] == {}
    assert test["jobs"]["test"]["permissions"] == {"contents": "read"}
    assert [s["run"] for s in test["jobs"]["test"]["steps"] if "run" in s] == ["make test"]
    release = workflow(REPO / ".github" / "workflows" / "release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {}
    assert release["jobs"]["build"]["permissions"] == {"contents": "read"}
    publish = release["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing: no stored token
    assert publish["environment"]["name"] == "pypi"
    assert [s["uses"].split("@")[0] for s in publish["steps"]] == [
        "actions/download-artifact",
        "pypa/gh-action-pypi-publish",
    ]
    assert not any("cache" in s.get("with", {}) for s in release["jobs"]["build"]["steps"])


def steps(job: str) -> list[dict]:
    return load()["jobs"][job]["steps"]


def test_the_publish_job_runs_floor_commands_in_order() -> None:
    job = steps("publish")
    uses = [s["uses"].split("@")[0] for s in job if "uses" in s]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "astral-sh/setup-uv",
        "actions/cache",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    python = next(s for s in job if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    runs = [s["run"].strip() for s in job if "run" in s]
    assert runs[:4] == [
        "uv pip install --python python .",  # this repository is the kit: its demo installs the checkout
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
        "uv pip install --python python .",
        "floor notify --commit",
        'git push origin "HEAD:${GITHUB_REF_NAME}"',
    ]
    told = next(s for s in notify["steps"] if s.get("id") == "notify")
    assert told["env"]["FLOOR_SITEURL"] == "${{ needs.deploy.outputs.page_url }}"
    assert told["env"]["FLOOR_SMTP_PASSWORD"] == "${{ secrets.FLOOR_SMTP_PASSWORD }}"
    push = notify["steps"][-1]
    assert push["if"] == "${{ !cancelled() }}"  # records are pushed even when a note failed


@pytest.mark.parametrize("which", ["repository", "site"])
def test_the_build_and_the_notes_get_the_sealing_key(which: str, site_workflow: Path) -> None:
    jobs = workflow(site_workflow if which == "site" else WORKFLOW)["jobs"]
    build = next(s for s in jobs["publish"]["steps"] if s.get("id") == "build")
    notify = next(s for s in jobs["notify"]["steps"] if s.get("id") == "notify")
    for step in (build, notify):
        assert step["env"]["FLOOR_AGE_KEY"] == "${{ secrets.FLOOR_AGE_KEY }}"


def test_a_site_installs_the_kit_its_requirements_pin_with_a_cache(site_workflow: Path) -> None:
    jobs = workflow(site_workflow)["jobs"]
    for name in ("publish", "notify"):
        steps = jobs[name]["steps"]
        install = next(s for s in steps if s.get("name") == "Install the kit")
        assert install["run"].strip() == "uv pip install --python python -r requirements.txt"
        uv = next(s for s in steps if s.get("uses", "").startswith("astral-sh/setup-uv"))
        assert uv["with"]["enable-cache"] is True
        assert uv["with"]["cache-dependency-glob"] == "requirements.txt"
        assert steps.index(uv) < steps.index(install)
    cache = next(s for s in jobs["publish"]["steps"] if s.get("uses", "").startswith("actions/cache"))
    assert "'requirements.txt'" in cache["with"]["key"]  # a new kit version starts a fresh content cache
    text = site_workflow.read_text(encoding="utf-8")
    assert "pip install -e ." not in text and "install this checkout" not in text


def test_the_demo_workflow_says_it_installs_the_checkout() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "This repository is the kit: its demo installs this checkout" in text
    uv = next(s for s in steps("publish") if s.get("uses", "").startswith("astral-sh/setup-uv"))
    assert uv["with"]["cache-dependency-glob"] == "pyproject.toml"


def test_last_weeks_build_is_restored_before_the_build() -> None:
    """The content cache, output/ and the build manifest beside it, under a settings-keyed name."""
    from from_the_floor.core import build_manifest

    job = steps("publish")
    cache = next(s for s in job if s.get("uses", "").startswith("actions/cache"))
    paths = cache["with"]["path"].split()
    manifest = build_manifest.path_for(REPO / "output").name
    assert paths == [".cache", "output", manifest]  # CACHE_PATH, OUTPUT_PATH, the manifest beside it
    settings_keyed = "floor-build-${{ hashFiles('pelicanconf.py', 'publishconf.py'"
    assert cache["with"]["restore-keys"].startswith(settings_keyed)
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    order = [s.get("id") or s["uses"].split("@")[0] for s in job]
    assert order.index("actions/cache") < order.index("build")
