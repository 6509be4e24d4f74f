"""Dates readers can trust, walked with the real `floor` command on a `floor init` site.

A post is never dated before its question was asked, nor before the run that
published it; the weekly job running late on its slot's day keeps the slot's date.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers_floor import first_commit_at, ok

QID = "how-do-you-decide-what-to-write-about"


def _ask_and_answer(run_floor, site: Path, today: str) -> None:
    ok(run_floor("ask", "How do you decide what to write about?", "--asker", "Ben", site=site, today=today))
    ok(
        run_floor(
            "answer", QID, "--quick", "I follow the questions.", "--body", "Longer.", site=site, today=today
        )
    )


def _date(site: Path, qid: str = QID) -> str:
    text = (site / "content" / "floor" / f"{qid}.md").read_text(encoding="utf-8")
    return next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("date: "))


def test_a_fresh_columns_first_publish_on_a_sunday_is_dated_that_sunday(run_floor, site: Path) -> None:
    # Issue 20: a question asked on Sunday 6 December was published dated Monday 30 November.
    sunday = "2026-12-06"
    _ask_and_answer(run_floor, site, sunday)
    shown = ok(run_floor("schedule", site=site, today=sunday))
    # a column with no post yet (and no git to say when it began): its first post, not a missed slot
    assert "(due now: the column's first post, dated when it goes out)" in shown
    assert "passed without a post" not in shown
    assert "`floor publish` run now publishes it, dated now" in shown
    plan = json.loads(ok(run_floor("schedule", "--json", site=site, today=sunday)))["plan"]
    assert plan == [
        {
            "date": "2026-12-06T23:59:59+00:00",
            "questions": [QID],
            "slot": "2026-11-30T09:00:00+00:00",
            "dated": "publish",
        }
    ]
    assert f"published #1 (Sun 6 Dec 2026 23:59 UTC): {QID}" in ok(
        run_floor("publish", site=site, today=sunday)
    )
    assert _date(site) == "2026-12-06T23:59:59+00:00"
    # the next slot is the next day's Monday, dated at its slot
    ok(run_floor("ask", "And the second one?", site=site, today="2026-12-07T08:00+00:00"))
    ok(run_floor("answer", "and-the-second-one", "--quick", "Yes.", "--body", "B.", site=site, today=sunday))
    later = ok(run_floor("schedule", site=site, today="2026-12-07T08:00+00:00"))
    assert "Between slots `floor publish` waits: the next post goes out Mon 7 Dec 2026 09:00 UTC" in later
    assert "the last post goes out Mon 7 Dec 2026 09:00 UTC (1 post to go)" in later  # not ISO


def test_the_weekly_job_late_on_its_slots_day_keeps_the_slot_date(run_floor, site: Path) -> None:
    _ask_and_answer(run_floor, site, "2026-12-06")
    ok(run_floor("publish", site=site, today="2026-12-06"))
    ok(run_floor("ask", "A second question?", site=site, today="2026-12-07"))
    ok(
        run_floor(
            "answer", "a-second-question", "--quick", "Yes.", "--body", "B.", site=site, today="2026-12-07"
        )
    )
    ok(run_floor("ask", "A third question?", site=site, today="2026-12-07"))
    ok(
        run_floor(
            "answer", "a-third-question", "--quick", "Yes.", "--body", "C.", site=site, today="2026-12-07"
        )
    )
    # the cron started at 15:47, the retry's hour: still Monday 7 December, dated at 09:00
    out = ok(run_floor("publish", site=site, today="2026-12-07T15:47+00:00"))
    assert "published #2 (Mon 7 Dec 2026 09:00 UTC): a-second-question" in out
    # a week's run missed, the next one on Tuesday: dated when it actually went out
    out = ok(run_floor("publish", site=site, today="2026-12-15T10:30+00:00"))
    assert "published #3 (Tue 15 Dec 2026 10:30 UTC): a-third-question" in out
    assert _date(site, "a-third-question") == "2026-12-15T10:30:00+00:00"


def test_retiring_on_a_date_alone_retires_at_the_end_of_that_day(run_floor, site: Path) -> None:
    """`floor retire --today 2026-12-07` reads the date as every command does: the end of that
    day in the site's zone. The farewell says "Retired 7 December 2026", and the feeds' final
    entry is stamped 23:59:59, after every post of that day (a post of 09:00 stays the newest
    post, the farewell the newest entry). A moment given with the date is kept as given."""
    _ask_and_answer(run_floor, site, "2026-12-01")
    ok(run_floor("publish", site=site, today="2026-12-07T09:30+00:00"))
    assert _date(site) == "2026-12-07T09:00:00+00:00"
    ok(run_floor("retire", site=site, today="2026-12-07"))
    assert json.loads((site / "retired.json").read_text(encoding="utf-8"))["retired"] == (
        "2026-12-07T23:59:59+00:00"
    )
    ok(run_floor("build", site=site, today="2026-12-07"))
    farewell = (site / "output" / "farewell" / "index.html").read_text(encoding="utf-8")
    assert 'Retired <time datetime="2026-12-07T23:59:59+00:00">7 December 2026</time>' in farewell
    atom = (site / "output" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    first = atom[atom.index("<entry>") : atom.index("</entry>")]
    assert "<updated>2026-12-07T23:59:59+00:00</updated>" in first and "/farewell/" in first

    ok(run_floor("unretire", site=site, today="2026-12-07"))
    ok(run_floor("retire", site=site, today="2026-12-07T10:30+00:00"))
    assert json.loads((site / "retired.json").read_text(encoding="utf-8"))["retired"] == (
        "2026-12-07T10:30:00+00:00"
    )


def test_the_slot_before_the_column_began_is_not_a_missed_week(run_floor, site: Path, tmp_path: Path) -> None:
    # A Monday column made on Tuesday 8 December: Monday's slot came before the column existed,
    # so `floor schedule` calls the post due now the column's first post, not "passed without a
    # post"; a later week that really went without a post is still said so.
    first_commit_at(site, "2026-12-08T10:00:00+00:00")
    tuesday = "2026-12-08"
    _ask_and_answer(run_floor, site, tuesday)
    shown = ok(run_floor("schedule", site=site, today=tuesday))
    assert "(due now: the column's first post, dated when it goes out)" in shown, shown
    assert "passed without a post" not in shown
    assert "`floor publish` run now publishes it, dated now" in shown
    assert f"published #1 (Tue 8 Dec 2026 23:59 UTC): {QID}" in ok(
        run_floor("publish", site=site, today=tuesday)
    )
    ok(run_floor("ask", "Do you read every comment?", "--asker", "Ann", site=site, today=tuesday))
    second = "do-you-read-every-comment"
    ok(run_floor("answer", second, "--quick", "Yes.", "--body", "All of them.", site=site, today=tuesday))
    later = ok(run_floor("schedule", site=site, today="2026-12-22"))
    assert "the slot of Mon 21 Dec 2026 09:00 UTC passed without a post" in later, later
    assert "first post" not in later
