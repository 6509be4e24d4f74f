"""Why a queued question waits: the sentence `floor publish` and `floor answer` print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from from_the_floor.core import waiting
from from_the_floor.core.question import Question
from from_the_floor.core.schedule import make_plan
from from_the_floor.core.settings import from_mapping

SETTINGS = from_mapping({"TIMEZONE": "UTC"}, Path("pelicanconf.py"))
NOW = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)  # a Sunday


def q(qid: str, quick: str | None = "Yes.", body: str = "Longer.", **fields) -> Question:
    fields.setdefault("asked", dt.date(2026, 11, 1))
    return Question(
        id=qid, path=Path(f"questions/{qid}.md"), question="?", quick_answer=quick, body=body, **fields
    )


def test_what_an_unanswered_question_lacks_names_the_command() -> None:
    assert waiting.lacks(q("a")) is None
    assert waiting.lacks(q("a", body="")) == (
        "has a quick answer but no thoughtful answer: `floor answer a --edit`"
    )
    assert (
        waiting.lacks(q("a", quick=None))
        == 'has a thoughtful answer but no quick answer: `floor answer a --quick "…"`'
    )
    assert (
        waiting.lacks(q("a", quick=" ", body=" ")) == 'has no answer yet: `floor answer a --quick "…" --edit`'
    )


def test_every_queued_question_gets_its_reason_closest_to_going_out_first() -> None:
    queue = [
        q("declined", declined="off-topic"),
        q("open", body=""),
        q("held", hold=True),
        q("later", not_before=dt.date(2026, 12, 20)),
        q("pinned", pin=dt.date(2026, 12, 14)),
        q("from-the-future", asked=dt.date(2026, 12, 9)),
    ]
    plan = make_plan(queue, SETTINGS, NOW)
    found = {w.id: w.reason for w in waiting.waiting(queue, plan, NOW)}
    assert [w.id for w in waiting.waiting(queue, plan, NOW)] == [
        "pinned",
        "later",
        "from-the-future",
        "held",
        "open",
        "declined",
    ]
    assert found["declined"] == "was declined: it is never published (it counts as done)"
    assert found["held"] == "is answered but on hold: `floor release held` schedules it"
    assert found["open"].startswith("has a quick answer but no thoughtful answer")
    assert (
        found["pinned"]
        == "is ready and goes out Mon 14 Dec 2026 09:00 UTC (it waits for its pin, Mon 14 Dec 2026)"
    )
    assert found["later"] == (
        "is ready and goes out Mon 21 Dec 2026 09:00 UTC (it waits for its not_before date, Sun 20 Dec 2026)"
    )
    assert found["from-the-future"] == (
        "is ready and goes out Mon 28 Dec 2026 09:00 UTC (it waits for its asked date, Wed 9 Dec 2026)"
    )
