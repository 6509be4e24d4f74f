"""The schedule: one pure function from (queue, settings, now, published) to a plan.

`floor schedule`, `floor publish` and the retirement forecast all call
:func:`make_plan`, so what the calendar promises is what the job does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .question import READY, UNANSWERED, Question
from .settings import FloorSettings

# A question whose not_before or pin lies further out than this is not planned.
HORIZON_WEEKS = 52 * 50


@dataclass(frozen=True)
class Entry:
    """One post: the moment it goes out and the questions it answers."""

    date: dt.datetime
    questions: tuple[str, ...]

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "questions": list(self.questions)}


@dataclass(frozen=True)
class Plan:
    entries: tuple[Entry, ...]
    unanswered: int
    held: int

    @property
    def last_post(self) -> dt.datetime | None:
        return self.entries[-1].date if self.entries else None

    def due(self, now: dt.datetime) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.date <= now)

    def as_json(self, weeks: int | None = None, now: dt.datetime | None = None) -> dict:
        entries = self.entries
        if weeks is not None and now is not None:
            until = now + dt.timedelta(weeks=weeks)
            entries = tuple(e for e in entries if e.date <= until)
        return {
            "plan": [e.as_json() for e in entries],
            "last_post": self.last_post.isoformat() if self.last_post else None,
            "unanswered": self.unanswered,
        }


def slot_on(day: dt.date, settings: FloorSettings) -> dt.datetime:
    """The publishing moment on ``day``: the same wall-clock time all year, DST or not."""
    return dt.datetime.combine(day, settings.publish_time, tzinfo=settings.timezone)


def is_skipped(day: dt.date, settings: FloorSettings) -> bool:
    """A skip date cancels the slot of its week (ISO weeks, Monday to Sunday)."""
    week = day.isocalendar()[:2]
    return any(s.isocalendar()[:2] == week for s in settings.skip_dates)


def _slot_days(first: dt.date, settings: FloorSettings) -> Iterator[dt.date]:
    day = first + dt.timedelta(days=(settings.weekday - first.weekday()) % 7)
    for _ in range(HORIZON_WEEKS):
        if not is_skipped(day, settings) and (settings.start is None or day >= settings.start):
            yield day
        day += dt.timedelta(days=7)


def _first_day(settings: FloorSettings, now: dt.datetime, last: dt.datetime | None) -> dt.date:
    """Where the slots start: after the last post, at FLOOR_START, or at the latest slot."""
    local_now = now.astimezone(settings.timezone)
    if last is not None:
        day = last.astimezone(settings.timezone).date()
        if slot_on(day, settings) <= last:
            day += dt.timedelta(days=1)
        return max(day, settings.start) if settings.start else day
    if settings.start is not None:
        return settings.start
    # A new column starts with the most recent slot, so its first publish is due now.
    day = local_now.date() - dt.timedelta(days=(local_now.weekday() - settings.weekday) % 7)
    if slot_on(day, settings) > local_now:
        day -= dt.timedelta(days=7)
    return day


def sort_key(q: Question) -> tuple:
    """Pinned first (by pin date), then priority (high first), then oldest asked, then id."""
    return (
        0 if q.pin else 1,
        q.pin or dt.date.max,
        -q.priority,
        q.asked,
        q.id,
    )


def _eligible(q: Question, day: dt.date) -> bool:
    if q.not_before and day < q.not_before:
        return False
    return not (q.pin and day < q.pin)


def make_plan(
    queued: Sequence[Question],
    settings: FloorSettings,
    now: dt.datetime,
    published: Sequence[Question] = (),
) -> Plan:
    """Place every ready question in a slot; due slots (<= now) come first.

    With FLOOR_CATCH_UP="one", missed slots collapse into the latest one;
    with "all", each missed slot keeps its own post, dated at that slot.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    dates = [q.date for q in published if q.date is not None]
    last = max(dates) if dates else None
    waiting = sorted((q for q in queued if q.status == READY), key=sort_key)
    unanswered = sum(1 for q in queued if q.status == UNANSWERED)
    held = sum(1 for q in queued if q.status == "held")
    entries: list[Entry] = []
    days = _slot_days(_first_day(settings, now, last), settings)
    pending_due: dt.date | None = None
    for day in days:
        if not waiting:
            break
        moment = slot_on(day, settings)
        if settings.catch_up == "one" and moment <= now:
            pending_due = day  # keep only the latest missed slot
            continue
        if pending_due is not None:
            _fill(pending_due, settings, waiting, entries)
            pending_due = None
            if not waiting:
                break
        _fill(day, settings, waiting, entries)
    else:
        if pending_due is not None and waiting:
            _fill(pending_due, settings, waiting, entries)
    return Plan(tuple(entries), unanswered, held)


def _fill(day: dt.date, settings: FloorSettings, waiting: list[Question], entries: list[Entry]) -> None:
    picked: list[int] = []
    for index, q in enumerate(waiting):
        if _eligible(q, day):
            picked.append(index)
            if len(picked) == settings.questions_per_post:
                break
    if not picked:
        return
    ids = tuple(waiting[i].id for i in picked)
    for index in reversed(picked):
        del waiting[index]
    entries.append(Entry(slot_on(day, settings), ids))
