"""stats.compute: the numbers on the Stats page and `floor stats`, from real question files."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.core import schedule, stats
from from_the_floor.core import settings as settings_mod
from from_the_floor.core.stats import Point
from helpers_floor import copy_demo_site, ok, question_text, run_floor

TZ = ZoneInfo("Europe/London")
SETTINGS = settings_mod.from_mapping(
    {"TIMEZONE": "Europe/London", "FLOOR_PUBLISH_WEEKDAY": "monday", "FLOOR_PUBLISH_TIME": "09:00"},
    Path("pelicanconf.py"),
)


def q(qid: str, *, asked: str, published: str | None = None, number: int | None = None, **fields: str):
    """A question parsed from real file text; ``published`` makes it a post."""
    if published:
        fields |= {"date": published, "number": str(number), "title": f'"#{number}"'}
        fields.setdefault("quick", "Yes.")
        fields.setdefault("body", "Because.")
    quick = fields.pop("quick", None)
    body = fields.pop("body", "")
    text = question_text(f"Question {qid}?", asked=asked, quick=quick, body=body, **fields)
    return question_mod.parse_text(text, Path(f"{qid}.md"), published=bool(published))


def now(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=TZ)


def compute(queued, published, today: str) -> stats.Stats:
    moment = now(today)
    return stats.compute(queued, published, schedule.make_plan(queued, SETTINGS, moment, published), moment)


def test_counts_follow_the_derived_statuses():
    published = [
        q("p1", asked="2026-10-01", published="2026-10-12T09:00:00+01:00", number=1, tags="[a, b]"),
        q("p2", asked="2026-10-05", published="2026-10-19T09:00:00+01:00", number=2, tags="[a]"),
    ]
    queued = [
        q("ready", asked="2026-10-10", quick="Yes.", body="Long.", tags="[b]"),
        q("held", asked="2026-10-11", quick="Yes.", body="Long.", hold="true"),
        q("open", asked="2026-10-12", tags="[c]"),
        q("no", asked="2026-10-13", declined="private", tags="[secret]"),
    ]
    s = compute(queued, published, "2026-10-21")
    assert (s.received, s.answered, s.declined, s.waiting) == (6, 2, 1, 3)
    assert (s.scheduled, s.held, s.unanswered, s.posts) == (1, 1, 1, 2)
    # 11 and 14 days from asked to published
    assert s.median_days == 12.5
    assert [(t.tag, t.answered, t.waiting) for t in s.tags] == [("a", 2, 0), ("b", 1, 1), ("c", 0, 1)]
    assert "secret" not in {t.tag for t in s.tags}, "a declined question's tags stay private"
    assert not s.done


def test_a_question_many_readers_sent_is_one_question_asked_that_many_times():
    """A talk's question 600 readers sent (one asker, 2 listed, 597 in the readers file) is one
    received question; `times_asked` counts every reader who sent each, and `floor stats` and
    the Stats page say it beside "received", where it said only "received 2"."""
    crowd = q(
        "crowd",
        asked="2026-10-01",
        published="2026-10-12T09:00:00+01:00",
        number=1,
        also_asked_by="[{question: Same?, asked: 2026-10-02}, {question: Same again?, asked: 2026-10-03}]",
        more_readers="597",
    )
    alone = q("alone", asked="2026-10-05")
    old = q("old", asked="2010-01-01", published="2010-01-01T09:00:00+00:00", number=2, source="import")
    s = compute([alone], [crowd, old], "2026-10-21")
    assert (s.received, s.times_asked, s.from_archive) == (2, 601, 1)  # the old post is no reader's
    assert s.as_json()["times_asked"] == 601
    said = stats.text(s)
    beside = "(asked 601 times: a question several readers sent counts once)"
    assert re.search(rf"^received +2 {re.escape(beside)}$", said, re.M)
    # one reader to each question: nothing more to say
    one_each = compute([alone], [], "2026-10-21")
    assert one_each.times_asked == one_each.received == 1
    assert re.search(r"^received +1$", stats.text(one_each), re.M)


def test_the_forecast_is_the_publishers_plan():
    published = [q("p1", asked="2026-10-01", published="2026-10-12T09:00:00+01:00", number=1)]
    queued = [q(f"r{i}", asked=f"2026-10-0{i}", quick="Yes.", body="Long.") for i in range(1, 4)]
    moment = now("2026-10-14")
    plan = schedule.make_plan(queued, SETTINGS, moment, published)
    s = stats.compute(queued, published, plan, moment)
    assert s.last_post == plan.last_post == dt.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)
    assert s.next_post == plan.entries[0].date
    assert s.last_number == 4
    # the forecast line starts at today's count and reaches zero on the last post
    assert s.forecast[0] == Point(dt.date(2026, 10, 14), 3)
    assert s.forecast[-1] == Point(dt.date(2026, 11, 2), 0)
    assert [p.waiting for p in s.forecast] == [3, 2, 1, 0]


def test_the_burndown_counts_weeks_and_stays_above_zero_while_questions_are_unanswered():
    published = [q("p1", asked="2026-10-01", published="2026-10-12T09:00:00+01:00", number=1)]
    queued = [q("r1", asked="2026-10-08", quick="Yes.", body="Long."), q("u1", asked="2026-10-20")]
    s = compute(queued, published, "2026-10-28")
    # Sundays from the first question, then today
    days = [p.day for p in s.history]
    assert days[0] == dt.date(2026, 10, 1) and days[-1] == dt.date(2026, 10, 28)
    assert all(d.weekday() == 6 for d in days[1:-1])
    by_day = {p.day: p.waiting for p in s.history}
    assert by_day[dt.date(2026, 10, 4)] == 1  # p1 asked
    assert by_day[dt.date(2026, 10, 11)] == 2  # r1 asked, p1 not out yet
    assert by_day[dt.date(2026, 10, 18)] == 1  # p1 out on the 12th
    assert by_day[dt.date(2026, 10, 25)] == 2  # u1 asked
    assert s.forecast[-1].waiting == 1, "the unanswered question keeps the line above zero"


def test_a_due_post_counts_from_today():
    queued = [q("r1", asked="2026-10-01", quick="Yes.", body="Long.")]
    s = compute(queued, [], "2026-10-14")  # a Wednesday: Monday's slot is already due
    assert s.forecast == (Point(dt.date(2026, 10, 14), 1), Point(dt.date(2026, 10, 14), 0))


def test_an_empty_column_and_a_finished_one():
    empty = compute([], [], "2026-10-14")
    assert (empty.received, empty.median_days, empty.history, empty.forecast) == (0, None, (), ())
    assert not empty.done and empty.last_post is None
    finished = compute(
        [q("no", asked="2026-10-02", declined="x")],
        [q("p1", asked="2026-10-01", published="2026-10-12T09:00:00+01:00", number=1)],
        "2026-10-14",
    )
    assert finished.done and finished.waiting == 0 and finished.last_post is None


def test_with_nothing_planned_the_burndown_ends_when_the_count_last_moved():
    """A column with nothing scheduled: a week with no question asked and no answer out adds no
    point (the Stats page an unattended weekly job builds keeps its bytes); the history ends on
    the last such day, which ``quiet_since`` names. With a post planned it runs to today."""
    published = [q("p1", asked="2026-10-01", published="2026-10-12T09:00:00+01:00", number=1)]
    later = [q("no", asked="2026-10-20", declined="x"), q("u1", asked="2026-10-05")]
    weeks = [compute(later, published, day) for day in ("2026-10-28", "2026-11-04", "2026-12-30")]
    assert weeks[0].history == weeks[1].history == weeks[2].history
    assert weeks[0].history[-1] == Point(dt.date(2026, 10, 20), 1)  # the declined one's day counts
    assert {w.quiet_since for w in weeks} == {dt.date(2026, 10, 20)}
    # something asked today: the chart runs to today, and nothing is quiet
    today = compute([*later, q("u2", asked="2026-11-04")], published, "2026-11-04")
    assert today.history[-1] == Point(dt.date(2026, 11, 4), 2) and today.quiet_since is None
    # a planned post: the forecast starts today, and the history reaches it
    planned = compute([q("r1", asked="2026-10-05", quick="Yes.", body="Long.")], published, "2026-12-30")
    assert planned.history[-1].day == planned.forecast[0].day == dt.date(2026, 12, 30)
    assert planned.quiet_since is None
    assert compute([], [], "2026-10-14").quiet_since is None


def test_the_text_names_the_plan_s_last_post_as_planned_and_counts_one_post_as_one():
    """Right after the first post went out, with nothing more answered, "last post  —" read as
    "no post yet" and "(in 1 posts)" was wrong: the plan's end is "last planned"."""
    finished = compute(
        [q("held", asked="2026-10-02", quick="Yes.", body="Long.", hold="true")],
        [q("p1", asked="2026-10-01", published="2026-10-12T09:00:00+01:00", number=1)],
        "2026-10-12",
    )
    text = stats.text(finished).splitlines()
    assert "answered      1 (in 1 post)" in text
    assert "last planned  —" in text and not any(x.startswith("last post") for x in text)
    planned = compute([q("r1", asked="2026-10-01", quick="Y.", body="L.")], [], "2026-10-13")
    # Monday's slot passed: due now, the plan's first and last post
    assert "last planned  Tue 13 Oct 2026 12:00 BST (#1)" in stats.text(planned).splitlines()


def test_now_must_be_aware():
    with pytest.raises(ValueError):
        stats.compute([], [], schedule.Plan((), 0, 0), dt.datetime(2026, 1, 1))


def test_as_json_is_plain_json():
    s = compute([q("r1", asked="2026-10-01", quick="Y.", body="L.", tags="[t]")], [], "2026-10-14")
    data = json.loads(json.dumps(s.as_json()))
    assert set(data) >= {
        "received",
        "answered",
        "declined",
        "waiting",
        "waiting_detail",
        "median_days_asked_to_published",
        "tags",
        "last_post",
        "burndown",
    }
    assert data["tags"] == [{"tag": "t", "answered": 0, "waiting": 1}]


def test_floor_stats_command_on_the_demo_site(tmp_path: Path):
    site = copy_demo_site(tmp_path / "demo")
    data = json.loads(ok(run_floor("stats", "--json", site=site, today="2026-11-25")))
    schedule_json = json.loads(ok(run_floor("schedule", "--json", site=site, today="2026-11-25")))
    assert data["last_post"] == schedule_json["last_post"] is not None
    assert data["answered"] == len(list((site / "content" / "floor").glob("*.md")))
    assert data["received"] == data["answered"] + data["declined"] + data["waiting"]
    text = ok(run_floor("stats", site=site, today="2026-11-25"))
    assert f"received      {data['received']}" in text
    assert "last planned" in text


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intake"


def _quiet_stretches_are_flat(history: list[dict]) -> None:
    """Two points more than a week apart hold the same count: nothing moved between them."""
    for a, b in itertools.pairwise(history):
        gap = dt.date.fromisoformat(b["date"]) - dt.date.fromisoformat(a["date"])
        assert gap <= dt.timedelta(weeks=1) or a["waiting"] == b["waiting"], (a, b)


def test_one_old_email_does_not_stretch_the_burndown_over_decades(tmp_path: Path):
    """An e-mail dated May 2000 (its Date header) on the demo column: the history starts then,
    but the 26 quiet years are one flat stretch (two points), not some 1,350 weekly rows;
    `floor stats --json` and the Stats page's table give the same points."""
    site = copy_demo_site(tmp_path / "demo")
    today = "2026-11-25"
    before = json.loads(ok(run_floor("stats", "--json", site=site, today=today)))["burndown"]["history"]
    ok(run_floor("intake", "eml", str(FIXTURES / "outlook2000-windows-1252.eml"), site=site, today=today))
    data = json.loads(ok(run_floor("stats", "--json", site=site, today=today)))
    history = data["burndown"]["history"]
    assert history[0]["date"].startswith("2000-05")
    assert len(history) <= len(before) + 3
    _quiet_stretches_are_flat(history)
    # the recent weeks are all still there, one more waiting in each
    recent = [p for p in history if p["date"] >= before[0]["date"]]
    assert [p["date"] for p in recent][-len(before) + 1 :] == [p["date"] for p in before][1:]
    ok(run_floor("build", site=site, today=today))
    page = (site / "output" / "stats" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr><td><time datetime="([0-9-]+)">.*?</td><td>(\d+)</td>', page)
    counted = rows[: len(history)]
    assert [(d, int(w)) for d, w in counted] == [(p["date"], p["waiting"]) for p in history]


def test_a_column_of_many_years_keeps_every_week_that_moved_and_thins_past_ten_years():
    """Fifteen years with a question every other week: the count moves each fortnight, so no
    stretch is quiet; past MAX_POINTS the points are thinned evenly, first and last kept. With a
    six-year pause in the middle, the pause is two points and the rest stays weekly."""
    start = dt.date(2011, 1, 3)
    busy = [q(f"q{i}", asked=(start + dt.timedelta(weeks=2 * i)).isoformat()) for i in range(390)]
    s = compute(busy, [], "2026-01-07")
    assert stats.MAX_POINTS // 2 < len(s.history) <= stats.MAX_POINTS + 1
    assert s.history[0].day == start and s.history[-1].waiting == 390
    assert (s.folded, s.week_step) == (False, 2)  # the Stats page's caption says both
    paused = [q(f"a{i}", asked=(start + dt.timedelta(weeks=i)).isoformat()) for i in range(20)]
    paused += [q(f"b{i}", asked=(dt.date(2017, 6, 5) + dt.timedelta(weeks=i)).isoformat()) for i in range(20)]
    s = compute(paused, [], "2017-11-01")
    gaps = [b.day - a.day for a, b in itertools.pairwise(s.history)]
    long = [i for i, gap in enumerate(gaps) if gap > dt.timedelta(weeks=1)]
    assert len(long) == 1 and s.history[long[0]].waiting == s.history[long[0] + 1].waiting == 20
    assert len(s.history) < 50
    assert (s.folded, s.week_step) == (True, 1)
    # a pause of eleven weeks is drawn week by week; one of thirteen is folded
    for quiet, folded in ((stats.QUIET_WEEKS - 1, False), (stats.QUIET_WEEKS + 1, True)):
        second = dt.date(2026, 1, 5) + dt.timedelta(weeks=quiet)
        pause = [q("x1", asked="2026-01-05"), q("x2", asked=second.isoformat())]
        assert compute(pause, [], "2026-12-30").folded is folded, quiet


def test_tags_of_equal_count_come_as_a_reader_reads_them():
    """Numbers by value, no case, no accents: "Year 2" before "Year 10", "école" beside "Ecole"."""
    names = ["Year 10", "Year 2", "year 1", "Zoo", "apple", "école", "Ecole", "Edge"]
    queued = [q(f"q{i}", asked="2026-10-10", tags=f'["{name}"]') for i, name in enumerate(names)]
    s = compute(queued, [], "2026-10-21")
    assert [t.tag for t in s.tags] == [
        "apple",
        "Ecole",
        "école",
        "Edge",
        "year 1",
        "Year 2",
        "Year 10",
        "Zoo",
    ]
