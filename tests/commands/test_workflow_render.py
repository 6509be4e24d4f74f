"""The weekly workflow is rendered from the site's schedule: its cron must fire
soon after every publishing moment of the year, whatever the zone and DST."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from from_the_floor.commands import init_site, workflow
from from_the_floor.core import schedule, settings
from helpers_floor import REPO

ZONES = ["Europe/London", "Pacific/Auckland", "America/New_York", "Asia/Kolkata", "UTC", "America/St_Johns"]


def first_fire(run_utc: dt.datetime, after: dt.datetime) -> dt.datetime:
    """The first moment at or after ``after`` with run_utc's weekday and time (UTC)."""
    after = after.astimezone(dt.UTC)
    for days in range(8):
        day = after.date() + dt.timedelta(days=days)
        candidate = dt.datetime.combine(day, run_utc.time(), tzinfo=dt.UTC)
        if candidate.weekday() == run_utc.weekday() and candidate >= after:
            return candidate
    raise AssertionError("no run within a week")


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("weekday", ["monday", "sunday"])
@pytest.mark.parametrize("time", ["09:00", "23:50", "00:10"])
def test_first_run_follows_every_slot_of_the_year(zone: str, weekday: str, time: str) -> None:
    conf = settings.from_mapping(
        {"TIMEZONE": zone, "FLOOR_PUBLISH_WEEKDAY": weekday, "FLOOR_PUBLISH_TIME": time}, Path("x")
    )
    run, retry = workflow.cron_times(conf)
    assert run.minute != 0 and retry.minute != 0
    day = dt.date(2028, 1, 1)
    day += dt.timedelta(days=(conf.weekday - day.weekday()) % 7)
    for week in range(53):
        slot = schedule.slot_on(day + dt.timedelta(weeks=week), conf)
        fired = first_fire(run, slot)
        assert dt.timedelta(0) <= fired - slot.astimezone(dt.UTC) < dt.timedelta(hours=2), (slot, fired)
        assert first_fire(retry, slot) - slot.astimezone(dt.UTC) < dt.timedelta(hours=9)


def test_cron_lines_in_the_rendered_file() -> None:
    conf = settings.from_mapping({"TIMEZONE": "Pacific/Auckland"}, Path("x"))
    text = workflow.render(conf)
    # Monday 09:00 in Auckland is Sunday 20:00 UTC (NZDT) or 21:00 UTC (NZST): the later wins
    assert 'cron: "17 21 * * 0"' in text
    assert 'cron: "47 3 * * 1"' in text
    assert "${{ steps.pages.outputs.base_url }}" in text  # GitHub's own ${{ }} left alone


def test_the_demo_workflow_is_the_rendered_one() -> None:
    demo = settings.load(REPO / "pelicanconf.py")
    assert (REPO / ".github" / "workflows" / "weekly.yml").read_text(encoding="utf-8") == workflow.render(
        demo, source="checkout"
    )
    assert workflow.source_for(REPO) == "checkout"


def test_site_and_checkout_renders_differ_only_in_how_the_kit_is_installed() -> None:
    conf = settings.from_mapping({"TIMEZONE": "UTC"}, Path("x"))
    site, checkout = workflow.render(conf, source="site"), workflow.render(conf, source="checkout")
    changed = {(a, b) for a, b in zip(site.splitlines(), checkout.splitlines(), strict=True) if a != b}
    for a, b in changed:
        assert "requirements.txt" in a or "pin" in a, a
        assert "pyproject.toml" in b or "checkout" in b or b.endswith("uv pip install --python python ."), b
    assert site.count("uv pip install --python python -r requirements.txt") == 2  # publish and notify


def test_init_writes_a_workflow_that_lints(tmp_path: Path) -> None:
    site = tmp_path / "site"
    init_site.create(site, title="T", author="A", timezone="America/New_York")
    path = site / ".github" / "workflows" / "weekly.yml"
    assert 'cron: "17 14 * * 1"' in path.read_text(encoding="utf-8")
    lint = shutil.which("actionlint", path=str(Path(REPO / ".venv" / "bin"))) or shutil.which("actionlint")
    assert lint, "actionlint comes with the test extra"
    done = subprocess.run(
        [lint, "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_floor_workflow_write_refits_after_a_schedule_change(tmp_path: Path, run_floor) -> None:
    site = tmp_path / "site"
    init_site.create(site, title="T", author="A", timezone="UTC")
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('"monday"', '"thursday"'), encoding="utf-8")
    result = run_floor("--site", str(site), "workflow", "--write")
    assert result.returncode == 0, result.stderr
    assert 'cron: "17 9 * * 4"' in (site / ".github" / "workflows" / "weekly.yml").read_text()


def test_init_ships_the_ask_issue_form(tmp_path: Path) -> None:
    site = tmp_path / "site"
    init_site.create(site, title="T", author="A", timezone="UTC")
    shipped = (site / ".github" / "ISSUE_TEMPLATE" / "question.yml").read_text(encoding="utf-8")
    assert shipped == (REPO / ".github" / "ISSUE_TEMPLATE" / "question.yml").read_text(encoding="utf-8")
