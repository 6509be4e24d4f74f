"""`floor queue`'s table (report.queue_table): its rows in the documented order."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from from_the_floor.commands import report
from from_the_floor.core.question import Question
from from_the_floor.core.schedule import sort_key

RANK = {"ready": 0, "held": 1, "unanswered": 2, "declined": 3, "published": 4}


def _question(rng: random.Random, n: int) -> Question:
    day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(4))  # many share a day
    answered = rng.random() < 0.7
    return Question(
        id=rng.choice([f"question-{rng.randrange(30)}", f"q-{n}-{rng.randrange(3)}", f"ask-{n:03d}", "same"]),
        path=Path(f"questions/{n}.md"),
        question="Why?",
        asked=day,
        body="An answer." if answered else "",
        quick_answer="Yes." if answered else None,
        hold=rng.random() < 0.2,
        declined="no" if rng.random() < 0.1 else None,
        priority=rng.choice([0, 0, 1, -2, 5]),
        pin=rng.choice([None, None, None, day + dt.timedelta(days=rng.randrange(3))]),
        published=rng.random() < 0.05,
        tags=rng.sample(["tone", "money", "tools"], rng.randrange(3)),
    )


def test_the_table_lists_by_status_then_the_schedules_order() -> None:
    """Rows go by status (ready, held, unanswered, declined, published), then pin, priority,
    asked day, the id with its numbers read as numbers, then the id; equal keys keep the
    queue's order. The reference sorts by the pair (status rank, sort_key), which the table's
    one flat key must order alike, on 300 random queues full of ties."""
    rng = random.Random(20261207)
    today = dt.date(2026, 11, 16)
    for _ in range(300):
        items = [_question(rng, n) for n in range(rng.randrange(1, 40))]
        expected = sorted(items, key=lambda q: (RANK[q.status], sort_key(q)))
        lines = report.queue_table(items, today).splitlines()
        shown = [line.split()[0] for line in lines[1 : 1 + len(items)]]
        assert shown == [q.id for q in expected]
        rows = lines[1 : 1 + len(items)]
        for row, q in zip(rows, expected, strict=True):  # the same question, not only its id
            assert row.split()[1] == q.asked.isoformat() and row.split()[2] == q.status
