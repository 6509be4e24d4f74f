"""Retirement, the decision: `floor retire`/`unretire`/`retire-if-due`, the settings, the forecast.

What is left decides (ready, held and unanswered questions block retirement;
declined ones count as done), the state lives in retired.json at the site
root, and a question that arrives afterwards is kept and reported, never lost.
Every command is a real `floor` subprocess with FLOOR_TODAY set.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from from_the_floor.core import retire
from from_the_floor.core import schedule as schedule_mod
from from_the_floor.core.queue import load as load_queue
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from helpers_publish import add_question, floor, new_site, ok

UTC = dt.UTC
MONDAY = "2026-11-09T09:00:00+00:00"  # a slot of the skeleton's Monday 09:00 UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def publish_all(site: Path, start: str = "2026-11-09") -> list[str]:
    """Publish every ready question, one Monday after another; returns the publish moments."""
    moments = []
    day = dt.date.fromisoformat(start)
    while list((site / "questions").glob("*.md")) and len(moments) < 20:
        moment = f"{day.isoformat()}T09:00:00+00:00"
        out = ok(floor(site, "publish", today=moment))
        if "nothing due" in out:
            break
        moments.append(moment)
        day += dt.timedelta(weeks=1)
    return moments


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A column whose author armed the switch (`floor retire --when-done`): off by default."""
    return new_site(tmp_path / "site", auto_retire=True)


def fails(result) -> str:
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stderr


# --- refusing while work is left ------------------------------------------------------------


def test_retire_refuses_listing_every_question_left(site: Path) -> None:
    add_question(site, "published-one", asked="2026-10-01")
    publish_all(site)
    add_question(site, "ready-one", asked="2026-10-02")
    add_question(site, "held-one", asked="2026-10-03", hold="true")
    add_question(site, "open-one", asked="2026-10-04", answered=False)
    add_question(site, "declined-one", asked="2026-10-05", answered=False, declined="off topic")
    err = fails(floor(site, "retire", today="2026-12-01"))
    assert "1 ready (ready-one)" in err
    assert "1 held (held-one)" in err
    assert "1 unanswered (open-one)" in err
    assert "declined-one" not in err  # declined counts as done
    assert "--force" in err
    assert not (site / "retired.json").exists()

    # declining and publishing what is left lets it retire, without --force
    for qid in ("held-one", "open-one"):
        ok(floor(site, "decline", qid, "--reason", "not for the column"))
    ok(floor(site, "publish", today="2026-12-07T09:00:00+00:00"))
    out = ok(floor(site, "retire", today="2026-12-08"))
    assert "retired the column on Tue 8 Dec 2026 (archive)" in out
    state = json.loads((site / "retired.json").read_text(encoding="utf-8"))
    assert state["mode"] == "archive" and state["forced"] is False and state["left"] == []
    assert state["answered"] == 2 and state["last_post"] == "2026-12-07T09:00:00+00:00"


def test_force_retires_and_records_what_was_left(site: Path) -> None:
    add_question(site, "out", asked="2026-10-01")
    publish_all(site)
    add_question(site, "still-open", asked="2026-10-04", answered=False)
    out = ok(floor(site, "retire", "--force", today="2026-11-20"))
    assert "1 unanswered (still-open)" in out
    state = retire.read_state(site)
    assert state is not None and state.forced and state.left == ("still-open",)
    assert (site / "questions" / "still-open.md").is_file()  # nothing is lost


def test_a_column_that_never_published_cannot_retire_by_accident(site: Path) -> None:
    err = fails(floor(site, "retire", today="2026-11-20"))
    assert "nothing has been published" in err


def test_redirect_mode_needs_a_new_home(site: Path) -> None:
    add_question(site, "out", asked="2026-10-01")
    publish_all(site)
    err = fails(floor(site, "retire", "--mode", "redirect", today="2026-12-01"))
    assert "--to" in err and not (site / "retired.json").exists()
    err = fails(floor(site, "retire", "--mode", "redirect", "--to", "example.org", today="2026-12-01"))
    assert "absolute http(s) URL" in err
    assert floor(site, "retire", "--mode", "sideways", today="2026-12-01").returncode == 2  # usage
    out = ok(
        floor(site, "retire", "--mode", "redirect", "--to", "https://new.example.org/", today="2026-12-01")
    )
    assert "redirect, to https://new.example.org/" in out


def test_retiring_again_changes_only_mode_and_home(site: Path) -> None:
    add_question(site, "out", asked="2026-10-01")
    publish_all(site)
    ok(floor(site, "retire", today="2026-12-01"))
    again = ok(floor(site, "retire", today="2026-12-20"))
    assert "already retired on Tue 1 Dec 2026" in again and "nothing changed" in again
    moved = ok(floor(site, "retire", "--mode", "redirect", "--to", "https://b.example/", today="2026-12-20"))
    assert "still retired since Tue 1 Dec 2026; now redirect" in moved
    state = retire.read_state(site)
    assert state is not None and state.retired.date() == dt.date(2026, 12, 1) and state.mode == "redirect"
    # it was an archive until then: the build keeps the archive's own addresses from this
    assert state.archive_until is not None and state.archive_until.date() == dt.date(2026, 12, 20)
    home = ok(floor(site, "retire", "--mode", "redirect", "--to", "https://c.example/", today="2026-12-27"))
    assert "now redirect" in home
    assert retire.read_state(site).archive_until == state.archive_until  # a new home, still that day


def test_a_column_retired_straight_to_redirect_was_never_an_archive(site: Path) -> None:
    add_question(site, "out", asked="2026-10-01")
    publish_all(site)
    ok(floor(site, "retire", "--mode", "redirect", "--to", "https://b.example/", today="2026-12-01"))
    assert "archive_until" not in json.loads((site / "retired.json").read_text(encoding="utf-8"))
    data = json.loads((site / "retired.json").read_text(encoding="utf-8"))
    data["archive_until"] = "2026-12-05"  # no offset
    (site / "retired.json").write_text(json.dumps(data), encoding="utf-8")
    err = fails(floor(site, "check", today="2026-12-06"))
    assert "retired.json" in err and "archive_until" in err and "no UTC offset" in err


def test_unretire_reverses_and_warns_when_the_job_would_retire_again(site: Path) -> None:
    add_question(site, "out", asked="2026-10-01")
    publish_all(site)
    ok(floor(site, "retire", today="2026-12-01"))
    done = floor(site, "unretire", today="2026-12-02")
    assert done.returncode == 0 and "live again" in done.stdout
    assert "retires the column again" in done.stderr  # nothing is left and the grace period is over
    assert not (site / "retired.json").exists()
    assert "not retired; nothing changed" in ok(floor(site, "unretire", today="2026-12-02"))


def test_a_damaged_state_file_is_an_error_not_a_live_column(site: Path) -> None:
    (site / "retired.json").write_text("{ not json", encoding="utf-8")
    err = fails(floor(site, "check", today="2026-12-01"))
    assert "retired.json" in err and "not valid JSON" in err


# --- after retirement ------------------------------------------------------------------------


def test_a_question_after_retirement_is_kept_and_reported(site: Path) -> None:
    add_question(site, "out", asked="2026-10-01")
    publish_all(site)
    ok(floor(site, "retire", today="2026-12-01"))
    qid = ok(floor(site, "ask", "Are you coming back?", today="2027-01-05")).strip()
    assert (site / "questions" / f"{qid}.md").is_file()

    result = floor(site, "check", today="2027-01-05")
    assert result.returncode == 0  # nothing is wrong: the question waits
    # the terminal says the day as the schedule and the desk do; --json keeps ISO for scripts
    assert "retired on Tue 1 Dec 2026" in result.stderr and qid in result.stderr
    assert "2026-12-01" not in result.stderr
    report = json.loads(ok(floor(site, "check", "--json", today="2027-01-05")))
    said = [w["problem"] for w in report["warnings"] if "retired on" in w["problem"]]
    assert said and all("retired on 2026-12-01" in w for w in said)
    assert all(set(w) == {"file", "line", "field", "problem"} for w in report["warnings"])
    assert report["ok"] is True
    assert report["retired"]["retired"].startswith("2026-12-01")
    assert report["retired"]["new_questions"] == [qid]
    assert any(w["file"] and w["file"].endswith(f"{qid}.md") for w in report["warnings"])

    # the weekly job's retirement step leaves it alone, and it is still there
    assert "already retired" in ok(floor(site, "retire-if-due", today="2027-01-11T09:17:00+00:00"))
    assert (site / "questions" / f"{qid}.md").is_file()


def test_check_on_a_live_column_has_no_retired_key(site: Path) -> None:
    report = json.loads(ok(floor(site, "check", "--json", today="2026-12-01")))
    assert "retired" not in report


# --- the weekly job's step, the forecast ---------------------------------------------------------


def test_retire_if_due_waits_for_the_grace_period(site: Path) -> None:
    add_question(site, "first", asked="2026-10-01")
    add_question(site, "second", asked="2026-10-02")
    moments = publish_all(site)
    assert moments == ["2026-11-09T09:00:00+00:00", "2026-11-16T09:00:00+00:00"]
    for early in ("2026-11-23T09:17:00+00:00", "2026-11-30T08:59:59+00:00"):  # 2 weeks after 16 Nov 09:00
        said = ok(floor(site, "retire-if-due", today=early))
        assert said == "not retiring: the grace period after the last post ends Mon 30 Nov 2026 09:00 UTC\n"
    assert not (site / "retired.json").exists()
    on_time = ok(floor(site, "retire-if-due", today="2026-11-30T09:17:00+00:00"))
    assert on_time.startswith("retired the column on Mon 30 Nov 2026 (archive)")
    state = retire.read_state(site)
    assert state is not None and state.by == "auto" and state.retired == at("2026-11-30T09:17:00+00:00")


def test_retire_if_due_does_nothing_while_anything_is_left_or_when_off(site: Path) -> None:
    add_question(site, "first", asked="2026-10-01")
    publish_all(site)
    add_question(site, "held", asked="2026-10-02", hold="true")
    assert "1 held (held)" in ok(floor(site, "retire-if-due", today="2027-06-01"))
    (site / "questions" / "held.md").unlink()
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nFLOOR_AUTO_RETIRE = False\n", encoding="utf-8")
    assert "retirement is not armed" in ok(floor(site, "retire-if-due", today="2027-06-01"))
    assert not (site / "retired.json").exists()


def test_forecast_is_the_last_post_plus_the_grace_weeks(tmp_path: Path) -> None:
    root = new_site(tmp_path / "s", retire_grace_weeks=3, auto_retire=True)
    add_question(root, "a", asked="2026-10-01")
    add_question(root, "b", asked="2026-10-02")
    site = Site(root)
    queue = load_queue(site)
    now = at(MONDAY)
    plan = schedule_mod.make_plan(queue.queued, site.settings, now, queue.published)
    assert plan.last_post == at("2026-11-16T09:00:00+00:00")
    assert retire.forecast_retirement(plan, site.settings) == at("2026-12-07T09:00:00+00:00")
    info = retire.forecast_json(site, plan, queue.published)
    assert info == {
        "retired": None,
        "forecast": "2026-12-07T09:00:00+00:00",
        "auto": True,
        "armed": True,
        "grace_weeks": 3,
    }
    assert "retires on Mon 7 Dec 2026 09:00 UTC (3 weeks after the last post)" in retire.forecast_text(
        site, plan, queue.published
    )
    # an unanswered question makes the date unknowable
    add_question(root, "c", asked="2026-10-03", answered=False)
    queue = load_queue(site)
    plan = schedule_mod.make_plan(queue.queued, site.settings, now, queue.published)
    assert retire.forecast_retirement(plan, site.settings) is None
    assert "not known" in retire.forecast_text(site, plan, queue.published)


def test_forecast_after_the_queue_ran_out_uses_the_last_published_post(site: Path) -> None:
    add_question(site, "only", asked="2026-10-01")
    publish_all(site)
    s = Site(site)
    queue = load_queue(s)
    plan = schedule_mod.make_plan(queue.queued, s.settings, at("2026-11-20T00:00:00+00:00"), queue.published)
    assert plan.last_post is None
    assert retire.forecast_retirement(plan, s.settings) is None  # nothing known without the posts
    info = retire.forecast_json(s, plan, queue.published)
    assert info["forecast"] == "2026-11-23T09:00:00+00:00"  # 9 Nov + 2 weeks (the default)


def test_a_forecast_already_past_is_said_as_the_next_run_not_a_day_gone_by(site: Path) -> None:
    """Unretired on the 2nd of December, armed, nothing left: `floor schedule` said "the column
    retires on 2026-11-23", a day already gone; it retires at the weekly job's next run."""
    add_question(site, "out", asked="2026-10-01")
    publish_all(site)
    before = ok(floor(site, "schedule", today="2026-11-22"))
    assert "the column retires on Mon 23 Nov 2026 09:00 UTC (2 weeks after the last post)" in before
    after = ok(floor(site, "schedule", today="2026-12-02"))
    assert "retires on Mon 23 Nov 2026" not in after
    assert "The grace period after the last post ended Mon 23 Nov 2026 09:00 UTC" in after
    assert "the weekly job's next run retires the column, as publishing now would" in after
    assert (
        "this run would retire the column" in floor(site, "publish", "--dry-run", today="2026-12-02").stderr
    )


# --- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("FLOOR_RETIRE_MODE", "'museum'", "'archive' or 'redirect'"),
        ("FLOOR_RETIRE_TO", "'new-home'", "absolute http(s) URL"),
        ("FLOOR_RETIRE_GRACE_WEEKS", "-1", "0 or more"),
        ("FLOOR_AUTO_RETIRE", "'yes'", "True or False"),
        ("FLOOR_RETIRE_ROBOTS", "'hide-me'", "unknown robots directive"),
        ("FLOOR_RETIRE_PATHS", "'elsewhere'", "'same'"),
    ],
)
def test_bad_retirement_settings_are_named(site: Path, setting: str, value: str, words: str) -> None:
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + f"\n{setting} = {value}\n", encoding="utf-8")
    report = json.loads(floor(site, "check", "--json", today="2026-12-01").stdout)
    assert report["ok"] is False
    assert report["errors"][0]["field"] == setting and words in report["errors"][0]["problem"]


def test_settings_defaults_and_values() -> None:
    assert retire.retire_settings({}) == retire.RetireSettings()
    conf = retire.retire_settings(
        {
            "FLOOR_RETIRE_MODE": "Redirect",
            "FLOOR_RETIRE_TO": "https://new.example.org/q",
            "FLOOR_RETIRE_ROBOTS": "NoIndex,  nofollow",
            "FLOOR_RETIRE_GRACE_WEEKS": 0,
        }
    )
    assert (conf.mode, conf.to, conf.robots, conf.grace_weeks) == (
        "redirect",
        "https://new.example.org/q",
        "noindex, nofollow",
        0,
    )


def test_redirect_mode_without_a_home_is_a_warning_until_retirement(site: Path) -> None:
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nFLOOR_RETIRE_MODE = 'redirect'\n", encoding="utf-8")
    report = json.loads(ok(floor(site, "check", "--json", today="2026-12-01")))
    assert [w["field"] for w in report["warnings"]] == ["FLOOR_RETIRE_MODE"]
    add_question(site, "out", asked="2026-10-01")
    publish_all(site)
    decision = ok(floor(site, "retire-if-due", today="2027-01-04T09:17:00+00:00"))
    assert "FLOOR_RETIRE_TO is not set" in decision and not (site / "retired.json").exists()


def test_retire_needs_an_aware_now(site: Path) -> None:
    with pytest.raises(ValueError):
        retire.retire(Site(site), now=dt.datetime(2026, 12, 1))
    with pytest.raises(FloorError):
        retire.retire(Site(site), now=dt.datetime(2026, 12, 1, tzinfo=UTC))  # nothing published


def test_the_build_context_carries_the_same_forecast(tmp_path: Path, monkeypatch) -> None:
    """FLOOR_RETIREMENT_FORECAST (for the About page) is retire.forecast_json's date."""
    from from_the_floor.core.settings import read_conf
    from from_the_floor.pelican_plugin import retirement

    root = new_site(tmp_path / "s", auto_retire=True)
    add_question(root, "a", asked="2026-10-01")
    settings = {**read_conf(root / "pelicanconf.py"), "PATH": str(root / "content")}
    monkeypatch.setenv("FLOOR_TODAY", MONDAY)
    forecast = retirement._forecast(settings, root)
    assert forecast is not None and forecast["iso"] == "2026-11-23"  # 9 Nov + 2 weeks
    assert forecast["text"] == "23 November 2026"
    site = Site(root)
    queue = load_queue(site)
    plan = schedule_mod.make_plan(queue.queued, site.settings, at(MONDAY), queue.published)
    assert retire.forecast_json(site, plan, queue.published)["forecast"] == forecast["date"].isoformat()
