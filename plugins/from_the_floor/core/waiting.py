"""Why a queued question has not gone out yet, and the command that moves it on.

`floor publish` lists these when nothing is due, and `floor answer` ends with
the one for the question it saved, so every step names what comes next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .question import DECLINED, HELD, UNANSWERED, Question
from .schedule import Plan, sort_key


@dataclass(frozen=True)
class Waiting:
    """One queued question and, in a sentence, what it lacks or waits for."""

    id: str
    status: str
    reason: str
    question: str = ""  # its words, for a message that names it as its author reads it (the desk)

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "reason": self.reason}


def when_text(moment: dt.datetime) -> str:
    """A moment as the author reads it in the terminal: "Mon 7 Dec 2026 09:00 GMT"."""
    return moment.strftime("%a %-d %b %Y %H:%M %Z")


def day_text(day: dt.date) -> str:
    """A day as the author reads it, in when_text's form without the time: "Mon 7 Dec 2026"."""
    return day.strftime("%a %-d %b %Y")


def lacks(q: Question) -> str | None:
    """What an unanswered question is missing, with the command that adds it (None if answered)."""
    quick = bool((q.quick_answer or "").strip())
    body = bool(q.body.strip())
    if quick and body:
        return None
    if quick:
        return f"has a quick answer but no thoughtful answer: `floor answer {q.id} --edit`"
    if body:
        return f'has a thoughtful answer but no quick answer: `floor answer {q.id} --quick "…"`'
    return f'has no answer yet: `floor answer {q.id} --quick "…" --edit`'


def reason(q: Question, plan: Plan, today: dt.date) -> str:
    """Why ``q`` is still in the queue, as `floor publish` says it."""
    status = q.status
    if status == DECLINED:
        return "was declined: it is never published (it counts as done)"
    missing = lacks(q)
    if status == UNANSWERED and missing:
        return missing
    if status == HELD:
        return f"is answered but on hold: `floor release {q.id}` schedules it"
    entry = next((e for e in plan.entries if q.id in e.questions), None)
    constraints = []
    if q.asked > today:
        constraints.append(f"asked date, {day_text(q.asked)}")
    if q.not_before and q.not_before > today:
        constraints.append(f"not_before date, {day_text(q.not_before)}")
    if q.pin and q.pin > today:
        constraints.append(f"pin, {day_text(q.pin)}")
    why = f" (it waits for its {'; its '.join(constraints)})" if constraints else ""
    if entry is None:
        return f"is ready but has no slot in the calendar{why}; `floor check` says why"
    return f"is ready and goes out {when_text(entry.date)}{why}"


def waiting(queued: Sequence[Question], plan: Plan, now: dt.datetime) -> list[Waiting]:
    """Every queued question with its reason: closest to going out first, declined last.

    ``now`` is in the site's time zone (its date is "today" for not_before and pins).
    """
    today = now.date()
    order = {e_id: i for i, e in enumerate(plan.entries) for e_id in e.questions}
    rank = {HELD: 1, UNANSWERED: 2, DECLINED: 3}
    items = sorted(
        queued,
        key=lambda q: (rank.get(q.status, 0), order.get(q.id, len(order)), sort_key(q)),
    )
    return [Waiting(q.id, q.status, reason(q, plan, today), q.question) for q in items]
