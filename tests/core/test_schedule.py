"""The scheduler: unit tests for each setting, and hypothesis properties for the contract.

The contract (docs/schedule.md): a plan's dates are exactly the moments at
which `floor publish` publishes each post. Everything here builds Question and
FloorSettings objects directly, so hundreds of generated cases run in seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from from_the_floor.core import clock
from from_the_floor.core.question import Question
from from_the_floor.core.schedule import Entry, Plan, eligible_from, make_plan, slot_on, sort_key
from from_the_floor.core.settings import WEEKDAYS, FloorSettings, from_mapping
from from_the_floor.errors import FloorError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

CONF = Path("pelicanconf.py")
UTC = dt.UTC


def conf(**raw) -> FloorSettings:
    """Settings as pelicanconf.py would give them (FLOOR_ names without the prefix)."""
    mapping = {"TIMEZONE": raw.pop("timezone", "UTC")}
    mapping.update({f"FLOOR_{k.upper()}": v for k, v in raw.items()})
    return from_mapping(mapping, CONF)


def q(
    qid: str,
    asked: dt.date = dt.date(2026, 1, 1),
    *,
    status: str = "ready",
    priority: int = 0,
    pin: dt.date | None = None,
    not_before: dt.date | None = None,
) -> Question:
    """A question in the given derived status (the status comes from its fields)."""
    answered = status != "unanswered"
    return Question(
        id=qid,
        path=Path(f"questions/{qid}.md"),
        question=f"Question {qid}?",
        asked=asked,
        body="A thoughtful answer." if answered else "",
        quick_answer="Yes." if answered else None,
        hold=status == "held",
        declined="not for the column" if status == "declined" else None,
        priority=priority,
        pin=pin,
        not_before=not_before,
    )


def posted(item: Question, date: dt.datetime, number: int) -> Question:
    """The same question as a published post."""
    return dataclasses.replace(item, published=True, date=date, number=number)


def at(text: str, tz: str = "UTC") -> dt.datetime:
    """An aware moment: ISO text with an offset, or wall-clock time in ``tz``."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC)


def ids(plan: Plan) -> list[list[str]]:
    return [list(e.questions) for e in plan.entries]


def dates(plan: Plan) -> list[str]:
    return [e.date.isoformat() for e in plan.entries]


def shown(entries) -> list[tuple[str, tuple[str, ...]]]:
    """Entries as `floor schedule --json` shows them (the offset included)."""
    return [(e.date.isoformat(), tuple(e.questions)) for e in entries]


def run_job(
    queued: list[Question],
    s: FloorSettings,
    runs: list[dt.datetime],
    published: list[Question] | None = None,
) -> list[Entry]:
    """What `floor publish` does at each run, without files: publish the due entries."""
    waiting = {item.id: item for item in queued}
    done = list(published or [])
    log: list[Entry] = []
    for now in runs:
        plan = make_plan(list(waiting.values()), s, now, done)
        for entry in plan.due(now):
            number = max((p.number or 0 for p in done), default=0) + 1
            done += [posted(waiting.pop(i), entry.date, number) for i in entry.questions]
            log.append(entry)
    return log


# --- unit tests: slots, settings, catch-up --------------------------------------------------


def test_a_question_held_past_an_empty_slot_waits_for_the_job_or_goes_out_by_hand_that_day() -> None:
    """Found by the property tests: a new column on Thursday 1 January, a Monday 00:00 slot,
    one question held until Tuesday 13 January. The scheduled job publishes it at the next
    slot (Monday 19th: the plan); the author running `floor publish` by hand on the 13th gets
    it that day, dated then, because Monday 12th's slot passed without a post."""
    s = conf(publish_weekday="monday", publish_time="00:00")
    held = q("held", dt.date(2026, 1, 1), not_before=dt.date(2026, 1, 13))
    plan = make_plan([held], s, at("2026-01-01T00:00"))
    assert dates(plan) == ["2026-01-19T00:00:00+00:00"]
    assert shown(run_job([held], s, [at("2026-01-12T00:00"), at("2026-01-19T00:00")])) == shown(plan.entries)
    by_hand = run_job([held], s, [at("2026-01-13T10:15")])
    assert shown(by_hand) == [("2026-01-13T10:15:00+00:00", ("held",))]
    assert run_job([held], s, [at("2026-01-12T23:59")]) == []  # never before its not_before day


MONDAY = conf(publish_weekday="monday", publish_time="09:00")


def test_a_new_column_publishes_at_once_dated_now_then_weekly() -> None:
    queue = [q("a", dt.date(2026, 1, 1)), q("b", dt.date(2026, 1, 2)), q("c", dt.date(2026, 1, 3))]
    plan = make_plan(queue, MONDAY, at("2026-11-11T12:00:30.5"))  # a Wednesday
    # Monday's slot passed two days ago without a post: the first post is dated now (whole
    # seconds), never back-dated to that Monday; then the weekly slots
    assert dates(plan) == [
        "2026-11-11T12:00:30+00:00",
        "2026-11-16T09:00:00+00:00",
        "2026-11-23T09:00:00+00:00",
    ]
    assert plan.entries[0].slot == at("2026-11-09T09:00") and not plan.entries[0].on_slot
    assert plan.entries[1].on_slot
    assert ids(plan) == [["a"], ["b"], ["c"]]
    assert [e.questions for e in plan.due(at("2026-11-11T12:00:30.5"))] == [("a",)]
    assert plan.last_post == at("2026-11-23T09:00")


def test_the_issue_20_sunday_a_first_post_is_never_dated_before_its_question() -> None:
    # A fresh column, a question asked and answered on Sunday 6 December, `floor publish`
    # by hand that day: the post is dated that Sunday, not Monday 30 November.
    s = conf(timezone="Europe/London")
    now = clock.parse_today("2026-12-06", s.timezone)
    plan = make_plan([q("first", dt.date(2026, 12, 6))], s, now)
    assert dates(plan) == ["2026-12-06T23:59:59+00:00"]
    assert plan.due(now) == plan.entries
    # asked later in the day than a slot the same day is still the same day: on time
    monday = at("2026-12-07T10:00", "Europe/London")
    plan = make_plan([q("first", dt.date(2026, 12, 7))], s, monday)
    assert dates(plan) == ["2026-12-07T09:00:00+00:00"]


def test_a_question_never_goes_out_in_a_slot_before_it_was_asked() -> None:
    published = [posted(q("old"), at("2026-11-02T09:00"), 1)]
    plan = make_plan(
        [q("future", dt.date(2026, 11, 12))], conf(catch_up="all"), at("2026-11-25T12:00"), published
    )
    assert dates(plan) == ["2026-11-16T09:00:00+00:00"]  # not the slot of 9 November
    plan = make_plan([q("future", dt.date(2026, 12, 1))], MONDAY, at("2026-11-25T12:00"))
    assert dates(plan) == ["2026-12-07T09:00:00+00:00"]  # asked in the future: waits for it


def test_a_late_run_on_the_slots_day_keeps_the_slot_date_a_later_day_does_not() -> None:
    published = [posted(q("old"), at("2026-11-09T09:00"), 1)]
    for late, expected in [
        ("2026-11-16T09:17", "2026-11-16T09:00:00+00:00"),  # the cron's usual lateness
        ("2026-11-16T15:47", "2026-11-16T09:00:00+00:00"),  # the workflow's retry
        ("2026-11-16T23:59:59", "2026-11-16T09:00:00+00:00"),  # FLOOR_TODAY=2026-11-16
        ("2026-11-17T00:00:01", "2026-11-17T00:00:01+00:00"),  # the next day: dated when it went out
    ]:
        plan = make_plan([q("a")], MONDAY, at(late), published)
        assert dates(plan) == [expected], late
    # the day is the site's: 09:00 Monday in Auckland is Sunday 20:00 UTC, its retry Monday
    s = conf(timezone="Pacific/Auckland")
    published = [posted(q("old"), at("2026-11-09T09:00", "Pacific/Auckland"), 1)]
    plan = make_plan([q("a")], s, at("2026-11-16T02:47+00:00"), published)
    assert dates(plan) == ["2026-11-16T09:00:00+13:00"]
    plan = make_plan([q("a")], s, at("2026-11-16T11:00+00:00"), published)  # Tuesday 00:00 there
    assert dates(plan) == ["2026-11-17T00:00:00+13:00"]


def test_before_the_publish_time_the_days_slot_is_not_due_yet() -> None:
    plan = make_plan([q("a")], MONDAY, at("2026-11-16T08:59"))
    assert dates(plan) == ["2026-11-16T08:59:00+00:00"]  # a new column: at once, dated now
    published = [posted(q("old"), at("2026-11-09T09:00"), 1)]
    plan = make_plan([q("a")], MONDAY, at("2026-11-16T08:59"), published)
    assert dates(plan) == ["2026-11-16T09:00:00+00:00"]
    assert plan.due(at("2026-11-16T08:59")) == ()
    assert len(plan.due(at("2026-11-16T09:00"))) == 1  # due at the exact moment


def test_the_next_slot_follows_the_last_post_never_the_same_day() -> None:
    published = [posted(q("old"), at("2026-11-16T07:00"), 1)]  # hand-dated, before the slot time
    plan = make_plan([q("a")], MONDAY, at("2026-11-16T10:00"), published)
    assert dates(plan) == ["2026-11-23T09:00:00+00:00"]


def test_weekday_time_and_timezone_settings() -> None:
    s = conf(publish_weekday="Thursday", publish_time="7:30", timezone="Europe/Paris")
    plan = make_plan([q("a"), q("b", dt.date(2026, 2, 1))], s, at("2026-03-19T12:00", "Europe/Paris"))
    # a new column at noon on Thursday 19 March: that morning's slot, then 26 March (CET) ...
    assert dates(plan) == ["2026-03-19T07:30:00+01:00", "2026-03-26T07:30:00+01:00"]
    # ... and after the change to CEST on 29 March, still 07:30 on the wall clock
    plan = make_plan([q("a"), q("b", dt.date(2026, 2, 1))], s, at("2026-03-26T12:00", "Europe/Paris"))
    assert dates(plan) == ["2026-03-26T07:30:00+01:00", "2026-04-02T07:30:00+02:00"]


def test_floor_start_holds_the_first_slot_back() -> None:
    for start in ("2026-12-02", dt.date(2026, 12, 2)):
        s = conf(start=start)
        plan = make_plan([q("a"), q("b", dt.date(2026, 2, 1))], s, at("2026-11-11T12:00"))
        assert dates(plan) == ["2026-12-07T09:00:00+00:00", "2026-12-14T09:00:00+00:00"]
        assert plan.due(at("2026-11-11T12:00")) == ()


def test_floor_start_in_the_past_with_catch_up_all_fills_each_missed_slot() -> None:
    s = conf(start="2026-11-01", catch_up="all")
    queue = [q(f"q{i}", dt.date(2026, 1, 1 + i)) for i in range(5)]
    plan = make_plan(queue, s, at("2026-11-20T12:00"))
    assert [e.date.date().isoformat() for e in plan.due(at("2026-11-20T12:00"))] == [
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
    ]
    assert ids(plan)[:3] == [["q0"], ["q1"], ["q2"]]


@pytest.mark.parametrize("skip", ["2026-11-18", dt.date(2026, 11, 18), ["2026-11-22"], ("2026-11-16",)])
def test_a_skip_date_cancels_its_weeks_slot(skip) -> None:
    s = conf(skip_dates=skip)
    published = [posted(q("old"), at("2026-11-09T09:00"), 1)]
    plan = make_plan([q("a"), q("b", dt.date(2026, 2, 1))], s, at("2026-11-10T00:00"), published)
    assert dates(plan) == ["2026-11-23T09:00:00+00:00", "2026-11-30T09:00:00+00:00"]


def test_catch_up_one_publishes_one_post_dated_when_it_goes_out() -> None:
    published = [posted(q("old"), at("2026-11-02T09:00"), 1)]
    queue = [q(f"q{i}", dt.date(2026, 1, 1 + i)) for i in range(4)]
    now = at("2026-11-25T12:00")  # the slots of 9, 16 and 23 November were missed
    plan = make_plan(queue, conf(catch_up="one"), now, published)
    assert [e.date.isoformat() for e in plan.due(now)] == ["2026-11-25T12:00:00+00:00"]
    assert plan.entries[0].slot == at("2026-11-23T09:00")
    assert dates(plan) == [
        "2026-11-25T12:00:00+00:00",
        "2026-11-30T09:00:00+00:00",
        "2026-12-07T09:00:00+00:00",
        "2026-12-14T09:00:00+00:00",
    ]


def test_catch_up_all_publishes_one_post_per_missed_slot_each_at_its_own_date() -> None:
    published = [posted(q("old"), at("2026-11-02T09:00"), 1)]
    queue = [q(f"q{i}", dt.date(2026, 1, 1 + i)) for i in range(4)]
    now = at("2026-11-25T12:00")
    plan = make_plan(queue, conf(catch_up="all"), now, published)
    assert [e.date.isoformat() for e in plan.due(now)] == [
        "2026-11-09T09:00:00+00:00",
        "2026-11-16T09:00:00+00:00",
        "2026-11-23T09:00:00+00:00",
    ]
    assert ids(plan) == [["q0"], ["q1"], ["q2"], ["q3"]]


def test_several_questions_per_post_share_the_slot_in_order() -> None:
    queue = [q(f"q{i}", dt.date(2026, 1, 1 + i)) for i in range(5)]
    plan = make_plan(queue, conf(questions_per_post=2), at("2026-11-09T09:00"))
    assert ids(plan) == [["q0", "q1"], ["q2", "q3"], ["q4"]]
    assert dates(plan) == [
        "2026-11-09T09:00:00+00:00",
        "2026-11-16T09:00:00+00:00",
        "2026-11-23T09:00:00+00:00",
    ]


def test_order_is_pin_then_priority_then_asked_then_id() -> None:
    queue = [
        q("zz-old", dt.date(2025, 1, 1)),
        q("aa-same-day", dt.date(2026, 3, 1)),
        q("ab-same-day", dt.date(2026, 3, 1)),
        q("urgent", dt.date(2026, 6, 1), priority=5),
        q("pinned", dt.date(2026, 9, 1), pin=dt.date(2026, 11, 2)),
    ]
    plan = make_plan(queue, MONDAY, at("2026-11-02T09:00"))
    assert ids(plan) == [["pinned"], ["urgent"], ["zz-old"], ["aa-same-day"], ["ab-same-day"]]


def test_same_day_questions_go_out_with_numbers_in_their_ids_read_as_numbers() -> None:
    day = dt.date(2026, 3, 1)
    queue = [q(f"question-number-{n}", day) for n in (10, 2, 1, 11)] + [q("question-number-02", day)]
    plan = make_plan(queue, MONDAY, at("2026-11-02T09:00"))
    assert ids(plan) == [
        ["question-number-1"],
        ["question-number-02"],
        ["question-number-2"],
        ["question-number-10"],
        ["question-number-11"],
    ]


def test_a_pin_waits_for_its_date_and_then_goes_first() -> None:
    queue = [q("a", dt.date(2026, 1, 1)), q("b", dt.date(2026, 1, 2)), q("p", pin=dt.date(2026, 11, 12))]
    plan = make_plan(queue, MONDAY, at("2026-11-09T09:00"))
    # 12 November is a Thursday: the pin goes out at the first slot after it
    assert ids(plan) == [["a"], ["p"], ["b"]]


def test_not_before_is_respected_and_a_far_one_jumps_ahead_in_time() -> None:
    queue = [q("later", dt.date(2020, 1, 1), not_before=dt.date(2031, 5, 6)), q("now")]
    plan = make_plan(queue, MONDAY, at("2026-11-09T09:00"))
    assert dates(plan) == ["2026-11-09T09:00:00+00:00", "2031-05-12T09:00:00+00:00"]
    assert ids(plan) == [["now"], ["later"]]


def test_a_long_queue_is_planned_to_its_end() -> None:
    # 3,000 weekly posts take 57 years: every one is placed, and the forecast says when
    queue = [q(f"q{i:04}", dt.date(2020, 1, 1) + dt.timedelta(days=i)) for i in range(3000)]
    plan = make_plan(queue, MONDAY, at("2026-11-09T09:00"))
    assert len(plan.entries) == 3000
    assert plan.last_post == at("2026-11-09T09:00") + dt.timedelta(weeks=2999)


def test_a_not_before_beyond_the_calendar_is_never_planned() -> None:
    plan = make_plan([q("never", not_before=dt.date.max), q("a")], MONDAY, at("2026-11-09T09:00"))
    assert ids(plan) == [["a"]]


def test_only_ready_questions_are_planned_and_the_rest_are_counted() -> None:
    queue = [
        q("ready"),
        q("open", status="unanswered"),
        q("open2", status="unanswered"),
        q("held", status="held"),
        q("no", status="declined"),
    ]
    plan = make_plan(queue, MONDAY, at("2026-11-09T09:00"))
    assert ids(plan) == [["ready"]]
    assert (plan.unanswered, plan.held) == (2, 1)


def test_an_empty_queue_has_no_last_post() -> None:
    plan = make_plan([q("open", status="unanswered")], MONDAY, at("2026-11-09T09:00"))
    assert plan.entries == () and plan.last_post is None
    assert plan.as_json() == {"plan": [], "last_post": None, "unanswered": 1}


def test_json_shape_and_weeks_trim_only_the_list() -> None:
    queue = [q(f"q{i}", dt.date(2026, 1, 1 + i)) for i in range(4)]
    now = at("2026-11-09T10:00")
    plan = make_plan([*queue, q("x", status="unanswered")], MONDAY, now)
    full = plan.as_json()
    assert set(full) == {"plan", "last_post", "unanswered"}
    assert full["plan"][0] == {
        "date": "2026-11-09T09:00:00+00:00",
        "questions": ["q0"],
        "slot": "2026-11-09T09:00:00+00:00",
        "dated": "slot",
    }
    late = make_plan(queue, MONDAY, at("2026-11-10T10:00")).as_json()["plan"][0]
    assert late == {
        "date": "2026-11-10T10:00:00+00:00",
        "questions": ["q0"],
        "slot": "2026-11-09T09:00:00+00:00",
        "dated": "publish",
    }
    assert full["last_post"] == "2026-11-30T09:00:00+00:00" and full["unanswered"] == 1
    two = plan.as_json(weeks=2, now=now)
    # the post due now, then the next two weeks
    assert [e["date"][:10] for e in two["plan"]] == ["2026-11-09", "2026-11-16", "2026-11-23"]
    assert two["last_post"] == full["last_post"]


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError):
        make_plan([], MONDAY, dt.datetime(2026, 11, 9, 9))


# --- the contract with `floor publish` ---------------------------------------------------------


def test_floor_today_set_to_each_plan_date_publishes_exactly_that_entry() -> None:
    s = conf(timezone="America/New_York", publish_weekday="sunday", publish_time="01:30", catch_up="one")
    queue = [q(f"q{i}", dt.date(2026, 1, 1 + i)) for i in range(6)]
    published = [posted(q("old"), at("2026-10-18T01:30", "America/New_York"), 1)]
    plan = make_plan(queue, s, at("2026-10-20T00:00", "America/New_York"), published)
    runs = [clock.parse_today(e.date.isoformat(), s.timezone) for e in plan.entries]
    assert shown(run_job(queue, s, runs, published)) == shown(plan.entries)


def test_a_run_in_the_repeated_fall_back_hour_still_sees_the_slot_as_due() -> None:
    # New York, Sunday 1 November 2026: 01:00-02:00 happens twice. The slot is the
    # first 01:30 (EDT); at 01:15 EST (the second pass) it has been due for 45 minutes,
    # although 01:15 < 01:30 on the wall clock.
    s = conf(timezone="America/New_York", publish_weekday="sunday", publish_time="01:30")
    published = [posted(q("old"), at("2026-10-25T01:30", "America/New_York"), 1)]
    now = dt.datetime(2026, 11, 1, 1, 15, fold=1, tzinfo=ZoneInfo("America/New_York"))
    assert now.utcoffset() == dt.timedelta(hours=-5)
    plan = make_plan([q("a")], s, now, published)
    assert dates(plan) == ["2026-11-01T01:30:00-04:00"]
    assert [e.questions for e in plan.due(now)] == [("a",)]
    # and a second run later in that repeated hour finds nothing more
    done = [*published, posted(q("a"), plan.entries[0].date, 2)]
    later = dt.datetime(2026, 11, 1, 1, 40, fold=1, tzinfo=ZoneInfo("America/New_York"))
    assert make_plan([q("b")], s, later, done).due(later) == ()


def test_a_slot_inside_the_spring_forward_gap_goes_out_at_the_real_instant() -> None:
    s = conf(timezone="America/New_York", publish_weekday="sunday", publish_time="02:30")
    published = [posted(q("old"), at("2026-03-01T02:30", "America/New_York"), 1)]
    plan = make_plan(
        [q("a"), q("b", dt.date(2026, 2, 1))], s, at("2026-03-02T00:00", "America/New_York"), published
    )
    # 8 March 2026 has no 02:30; the slot is 07:30 UTC, which is 03:30 EDT
    assert dates(plan) == ["2026-03-08T03:30:00-04:00", "2026-03-15T02:30:00-04:00"]
    runs = [clock.parse_today(d, s.timezone) for d in dates(plan)]
    assert shown(run_job([q("a"), q("b", dt.date(2026, 2, 1))], s, runs, published)) == shown(plan.entries)


@pytest.mark.parametrize(
    ("zone", "winter", "summer"),
    [("America/New_York", "-05:00", "-04:00"), ("Pacific/Auckland", "+13:00", "+12:00")],
)
def test_slots_keep_wall_clock_time_across_dst(zone: str, winter: str, summer: str) -> None:
    s = conf(timezone=zone, publish_weekday="monday", publish_time="09:00")
    queue = [q(f"q{i:02}", dt.date(2026, 1, 1) + dt.timedelta(days=i)) for i in range(40)]
    plan = make_plan(queue, s, at("2026-01-05T09:00", zone))
    offsets = {e.date.isoformat()[-6:] for e in plan.entries}
    assert offsets == {winter, summer}  # the UTC offset changes over the 40 weeks...
    assert {e.date.isoformat()[11:19] for e in plan.entries} == {"09:00:00"}  # ...the wall clock never
    days = [e.date.date() for e in plan.entries]
    assert all(b - a == dt.timedelta(days=7) for a, b in itertools.pairwise(days))


# --- FLOOR_TODAY / --today ------------------------------------------------------------------


def test_floor_today_forms() -> None:
    tz = ZoneInfo("Europe/London")
    assert clock.parse_today("2027-07-05", tz).isoformat() == "2027-07-05T23:59:59+01:00"  # end of day
    assert clock.parse_today("2027-07-05T09:17:00Z", tz).isoformat() == "2027-07-05T10:17:00+01:00"
    assert clock.parse_today("2027-01-04T09:00", tz).isoformat() == "2027-01-04T09:00:00+00:00"  # local
    assert clock.now(tz, "2027-01-04").tzinfo is tz
    with pytest.raises(FloorError) as info:
        clock.parse_today("next monday", tz)
    assert info.value.field == "--today / FLOOR_TODAY"


# --- settings validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"FLOOR_PUBLISH_WEEKDAY": "someday"}, "FLOOR_PUBLISH_WEEKDAY"),
        ({"FLOOR_PUBLISH_TIME": "25:00"}, "FLOOR_PUBLISH_TIME"),
        ({"FLOOR_PUBLISH_TIME": "9am"}, "FLOOR_PUBLISH_TIME"),
        ({"FLOOR_PUBLISH_TIME": dt.time(9, tzinfo=UTC)}, "FLOOR_PUBLISH_TIME"),
        ({"FLOOR_QUESTIONS_PER_POST": 0}, "FLOOR_QUESTIONS_PER_POST"),
        ({"FLOOR_QUESTIONS_PER_POST": True}, "FLOOR_QUESTIONS_PER_POST"),
        ({"FLOOR_SKIP_DATES": ["2026-02-30"]}, "FLOOR_SKIP_DATES"),
        ({"FLOOR_SKIP_DATES": 20261225}, "FLOOR_SKIP_DATES"),
        ({"FLOOR_START": "next week"}, "FLOOR_START"),
        ({"FLOOR_CATCH_UP": "some"}, "FLOOR_CATCH_UP"),
        ({"FLOOR_TITLE": "#{num}"}, "FLOOR_TITLE"),
        ({"FLOOR_TITLE": "{question.upper}"}, None),  # attribute access is valid str.format
        ({"FLOOR_TITLE": "{number.real.x}"}, "FLOOR_TITLE"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
    ],
)
def test_bad_settings_name_the_setting(raw: dict, field: str | None) -> None:
    if field is None:
        from_mapping(raw, CONF)
        return
    with pytest.raises(FloorError) as info:
        from_mapping(raw, CONF)
    assert info.value.field == field


def test_settings_accept_the_documented_forms() -> None:
    s = conf(
        publish_weekday="Fri",
        publish_time=dt.time(18, 5),
        skip_dates=["2026-12-25", dt.date(2027, 1, 1), dt.datetime(2027, 4, 2, 12, 0)],
        start=dt.date(2026, 11, 1),
        catch_up=" ALL ",
    )
    assert (s.weekday, s.publish_time, s.catch_up) == (4, dt.time(18, 5), "all")
    assert s.skip_dates == {dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 4, 2)}
    assert conf().weekday == 0 and conf().publish_time == dt.time(9) and conf().questions_per_post == 1


# --- hypothesis: the properties of the contract ----------------------------------------------

ZONES = ["UTC", "Europe/London", "America/New_York", "Pacific/Auckland", "Australia/Lord_Howe"]
BASE = dt.date(2026, 1, 1)

days_around = st.integers(min_value=-120, max_value=500).map(lambda n: BASE + dt.timedelta(days=n))


@st.composite
def floor_settings(draw) -> FloorSettings:
    return conf(
        timezone=draw(st.sampled_from(ZONES)),
        publish_weekday=draw(st.sampled_from(WEEKDAYS)),
        publish_time=dt.time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 1, 30, 59]))),
        questions_per_post=draw(st.integers(1, 3)),
        skip_dates=draw(st.lists(days_around, max_size=6)),
        start=draw(st.none() | days_around),
        catch_up=draw(st.sampled_from(["one", "all"])),
    )


@st.composite
def questions(draw, max_size: int = 14) -> list[Question]:
    count = draw(st.integers(0, max_size))
    items = []
    for i in range(count):
        items.append(
            q(
                f"q{i:02}-{draw(st.sampled_from(['a', 'b']))}",
                asked=BASE + dt.timedelta(days=draw(st.integers(-400, 0))),
                status=draw(st.sampled_from(["ready"] * 5 + ["unanswered", "held", "declined"])),
                priority=draw(st.sampled_from([0, 0, 0, 1, 5, -1])),
                pin=draw(st.none() | st.none() | st.none() | days_around),
                not_before=draw(st.none() | st.none() | days_around),
            )
        )
    return items


moments = st.integers(min_value=0, max_value=400 * 24 * 60).map(
    lambda minutes: dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=minutes)
)


@st.composite
def history(draw, s: FloorSettings, now: dt.datetime) -> list[Question]:
    """Nothing published yet, or a last post some time before now (dated at a slot)."""
    if draw(st.booleans()):
        return []
    weeks_back = draw(st.integers(0, 30))
    day = now.astimezone(s.timezone).date() - dt.timedelta(weeks=weeks_back)
    day -= dt.timedelta(days=(day.weekday() - s.weekday) % 7)
    date = slot_on(day, s)
    assume(utc(date) <= utc(now))
    return [posted(q("already-out"), date, 1)]


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(data=st.data(), s=floor_settings(), queue=questions(), now=moments)
def test_property_slots_are_distinct_posts_are_bounded_and_no_question_repeats(
    data, s: FloorSettings, queue: list[Question], now: dt.datetime
) -> None:
    published = data.draw(history(s, now))
    plan = make_plan(queue, s, now, published)
    instants = [utc(e.date) for e in plan.entries]
    assert instants == sorted(instants) and len(set(instants)) == len(instants)
    assert all(1 <= len(e.questions) <= s.questions_per_post for e in plan.entries)
    planned = [i for e in plan.entries for i in e.questions]
    assert len(planned) == len(set(planned))
    if published:
        assert all(i > utc(published[0].date) for i in instants)


@PROPS
@given(data=st.data(), s=floor_settings(), queue=questions(), now=moments)
def test_property_only_ready_questions_and_never_before_not_before_or_pin(
    data, s: FloorSettings, queue: list[Question], now: dt.datetime
) -> None:
    published = data.draw(history(s, now))
    plan = make_plan(queue, s, now, published)
    by_id = {item.id: item for item in queue}
    ready = {item.id for item in queue if item.status == "ready"}
    for entry in plan.entries:
        slot = (entry.slot or entry.date).astimezone(s.timezone)
        assert slot.weekday() == s.weekday
        assert s.start is None or slot.date() >= s.start
        assert tuple(slot.date().isocalendar())[:2] not in {tuple(d.isocalendar())[:2] for d in s.skip_dates}
        if not entry.on_slot:  # dated at the run: its slot passed before today (site's zone)
            assert entry.date == now.astimezone(s.timezone).replace(microsecond=0)
            assert entry.slot.astimezone(s.timezone).date() < entry.date.date()
        local = entry.date.astimezone(s.timezone)
        for qid in entry.questions:
            assert qid in ready
            assert local.date() >= eligible_from(by_id[qid]) >= by_id[qid].asked  # never before asked
    assert {i for e in plan.entries for i in e.questions} == ready  # every ready one is placed
    assert plan.unanswered == sum(1 for item in queue if item.status == "unanswered")


@PROPS
@given(data=st.data(), s=floor_settings(), queue=questions(), now=moments)
def test_property_order_is_pin_priority_asked_id_among_those_eligible(
    data, s: FloorSettings, queue: list[Question], now: dt.datetime
) -> None:
    published = data.draw(history(s, now))
    plan = make_plan(queue, s, now, published)
    by_id = {item.id: item for item in queue}
    slot_of = {i: e for e in plan.entries for i in e.questions}
    for entry in plan.entries:
        day = entry.date.astimezone(s.timezone).date()
        for later in (item for item in queue if item.status == "ready" and item.id not in entry.questions):
            if later.id in slot_of and utc(slot_of[later.id].date) < utc(entry.date):
                continue  # it went out earlier
            if eligible_from(later) <= day:  # it could have gone out here: it must rank lower
                assert all(sort_key(by_id[i]) < sort_key(later) for i in entry.questions)
    first_day = plan.entries[0].date.astimezone(s.timezone).date() if plan.entries else None
    if all(item.pin is None and item.not_before is None for item in queue) and all(
        first_day is not None and eligible_from(item) <= first_day for item in queue
    ):  # all eligible from the first post on: the plan is simply the queue in order
        flat = [i for e in plan.entries for i in e.questions]
        assert flat == [item.id for item in sorted(queue, key=sort_key) if item.status == "ready"]


@PROPS
@given(data=st.data(), s=floor_settings(), queue=questions(), now=moments)
def test_property_deterministic_whatever_the_input_order(
    data, s: FloorSettings, queue: list[Question], now: dt.datetime
) -> None:
    published = data.draw(history(s, now))
    first = make_plan(queue, s, now, published)
    shuffled = list(queue)
    random.Random(data.draw(st.integers())).shuffle(shuffled)
    assert make_plan(shuffled, s, now, published) == first
    assert make_plan(list(queue), s, now, list(published)).as_json() == first.as_json()


@PROPS
@given(data=st.data(), s=floor_settings(), queue=questions(), now=moments)
def test_property_a_run_at_any_now_publishes_exactly_the_due_entries(
    data, s: FloorSettings, queue: list[Question], now: dt.datetime
) -> None:
    published = data.draw(history(s, now))
    plan = make_plan(queue, s, now, published)
    due = plan.due(now)
    assert due == tuple(e for e in plan.entries if utc(e.date) <= utc(now))
    assert shown(run_job(queue, s, [now], published)) == shown(due)
    if s.catch_up == "one":
        assert len(due) <= 1
    # a second run at the same moment finds nothing: idempotent
    assert shown(run_job(queue, s, [now, now], published)) == shown(due)


@PROPS
@given(data=st.data(), s=floor_settings(), queue=questions(), now=moments)
def test_property_publishing_at_the_plan_dates_follows_the_plan_exactly(
    data, s: FloorSettings, queue: list[Question], now: dt.datetime
) -> None:
    """The forecast contract: run at ``now``, then at every plan date, and again later on
    those days (the scheduled job, GitHub's late starts and the workflow's retries): the posts
    that go out are exactly the plan's entries."""
    published = data.draw(history(s, now))
    plan = make_plan(queue, s, now, published)
    runs = [now] + [utc(e.date) for e in plan.entries]
    for entry in plan.entries:  # a retry later the same day (in TIMEZONE) finds nothing more
        local = entry.date.astimezone(s.timezone)
        left = (24 * 60 - 1) - (local.hour * 60 + local.minute)
        runs.append(utc(entry.date) + dt.timedelta(minutes=data.draw(st.integers(0, max(left, 0)))))
    runs = sorted(set(runs), key=utc)
    assert shown(run_job(queue, s, runs, published)) == shown(plan.entries)


@PROPS
@given(data=st.data(), s=floor_settings(), queue=questions(), now=moments)
def test_property_runs_by_hand_at_any_moment_publish_each_question_once_never_early(
    data, s: FloorSettings, queue: list[Question], now: dt.datetime
) -> None:
    """Runs by hand between the slots may publish sooner than the plan: a slot that passed
    without a post is published at once (schedule.py), so a question that becomes eligible
    after an empty slot goes out on the day it may. Whatever the runs, every planned question
    is published exactly once, never before its asked / not_before / pin day, and never dated
    before the run that published it unless that run was on its slot's own day."""
    published = data.draw(history(s, now))
    plan = make_plan(queue, s, now, published)
    extra = data.draw(st.lists(st.integers(0, 60 * 24 * 7 * 30), max_size=6))
    runs = [now] + [utc(e.date) for e in plan.entries] + [now + dt.timedelta(minutes=m) for m in extra]
    runs = sorted(set(runs), key=utc)
    log = run_job(queue, s, runs, published)
    out = [i for e in log for i in e.questions]
    assert sorted(out) == sorted(i for e in plan.entries for i in e.questions)
    by_id = {item.id: item for item in queue}
    for entry in log:
        for qid in entry.questions:
            assert entry.date.astimezone(s.timezone).date() >= eligible_from(by_id[qid])


@PROPS
@given(data=st.data(), s=floor_settings(), queue=questions(), now=moments)
def test_property_catch_up_all_dates_every_post_at_its_slot_however_late_the_runs(
    data, s: FloorSettings, queue: list[Question], now: dt.datetime
) -> None:
    s = dataclasses.replace(s, catch_up="all")
    published = data.draw(history(s, now))
    assume(published or s.start is not None)  # a new column without FLOOR_START starts at its first run
    plan = make_plan(queue, s, now, published)
    gaps = data.draw(st.lists(st.integers(1, 60 * 24 * 7 * 8), max_size=8))
    runs = [now]
    for gap in gaps:
        runs.append(runs[-1] + dt.timedelta(minutes=gap))
    if plan.entries:
        runs.append(max(utc(plan.entries[-1].date), runs[-1]))
    assert shown(run_job(queue, s, runs, published)) == shown(plan.entries)


@settings(max_examples=100, deadline=None)
@given(
    zone=st.sampled_from(["Pacific/Auckland", "America/New_York"]),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    start=st.integers(0, 730).map(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n)),
)
def test_property_slots_keep_local_wall_clock_time_across_dst(
    zone: str, weekday: int, hour: int, minute: int, start: dt.date
) -> None:
    s = dataclasses.replace(
        conf(timezone=zone), weekday=weekday, publish_time=dt.time(hour, minute), start=start
    )
    tz = ZoneInfo(zone)
    queue = [q(f"q{i:02}", dt.date(2024, 1, 1) + dt.timedelta(days=i)) for i in range(60)]
    plan = make_plan(queue, s, dt.datetime.combine(start, dt.time(0), tzinfo=tz))
    assert len(plan.entries) == 60  # more than a year: both DST changes are crossed
    previous = None
    for entry in plan.entries:
        local = entry.date.astimezone(tz)
        wall = dt.datetime.combine(local.date(), dt.time(hour, minute))
        exists = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall
        if exists:  # the usual case: exactly the configured wall-clock time, whatever the offset
            assert (local.weekday(), local.time()) == (weekday, dt.time(hour, minute))
        else:  # the time does not exist that day (spring forward): the instant it names
            assert utc(entry.date) == utc(wall.replace(tzinfo=tz))
        if previous is not None:
            assert local.date() - previous == dt.timedelta(days=7)
        previous = local.date()


def _pairs(text: str) -> tuple:
    """The reference reading of natural_key: (words, number) pairs, -1 after the last words."""
    import re

    parts = re.split(r"(\d+)", text)
    return tuple((parts[i], int(parts[i + 1]) if i + 1 < len(parts) else -1) for i in range(0, len(parts), 2))


def test_natural_key_of_a_one_number_id_is_the_general_reading() -> None:
    """natural_key's quick way for an id with one number gives the pairs every id gets."""
    from from_the_floor.core.schedule import natural_key

    rng = random.Random(20261207)
    alphabet = ["a", "-", "q", "0", "7", "12", "٣", "é", " "]
    texts = ["", "x", "12", "question-00023", "q-1-2-3", "00", "a1", "1a", "question-number-02", "٣٤"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(9))) for _ in range(3000)]
    for text in texts:
        assert natural_key(text) == _pairs(text), text
