"""The schedule: one pure function from (queue, settings, now, published) to a plan.

`floor schedule`, `floor publish` and the retirement forecast all call
:func:`make_plan`, so what the calendar promises is what the job does: each
entry's date is the moment at which `floor publish` publishes it, and a run
at any "now" publishes exactly the entries dated at or before "now". The plan
is what the scheduled job will do (it runs at the slots, and retries later
the same day); a run by hand on another day can only be sooner: after a slot
that passed without a post, a question that may go out is published at once
(see below), never before its asked / not_before / pin day.

A post's date is one a reader can trust: never before its question was asked
(``asked`` holds a question back like ``not_before``), and never earlier than
the run that publishes it, except by a late cron run: a run on the slot's own
day (in TIMEZONE) keeps the slot's date. A slot that passed without a post
before today (a new column's first publish by hand, a missed week) is
published at once and dated at "now". With FLOOR_CATCH_UP = "all" the earlier
missed slots keep their own dates, as that setting asks.

Every comparison between moments is made in UTC. Two datetimes that share a
``ZoneInfo`` compare by wall-clock time, which is wrong across a fall-back
hour; converting first makes "is this slot due?" a question about instants.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .question import HELD, READY, UNANSWERED, Question
from .settings import FloorSettings

_DIGITS = re.compile(r"(\d+)")

_WEEK = dt.timedelta(days=7)
_DAY = dt.timedelta(days=1)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True)
class Entry:
    """One post: the moment it goes out (its date), the questions it answers, in order,
    and the calendar slot it fills (the same moment unless the slot passed without a post)."""

    date: dt.datetime
    questions: tuple[str, ...]
    slot: dt.datetime | None = None

    @property
    def on_slot(self) -> bool:
        """True when the post is dated at its slot; False when dated at the run (late)."""
        return self.slot is None or _utc(self.slot) == _utc(self.date)

    def as_json(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "questions": list(self.questions),
            "slot": (self.slot or self.date).isoformat(),
            "dated": "slot" if self.on_slot else "publish",
        }


@dataclass(frozen=True)
class Plan:
    """The posts to come, oldest first, and what the forecast cannot place."""

    entries: tuple[Entry, ...]
    unanswered: int
    held: int

    @property
    def last_post(self) -> dt.datetime | None:
        """The forecast: when the last answered question goes out (None if none waits)."""
        return self.entries[-1].date if self.entries else None

    def due(self, now: dt.datetime) -> tuple[Entry, ...]:
        """The entries a publish at ``now`` writes: every one dated at or before it."""
        limit = _utc(now)
        return tuple(e for e in self.entries if _utc(e.date) <= limit)

    def as_json(self, weeks: int | None = None, now: dt.datetime | None = None) -> dict:
        """The documented `floor schedule --json` shape; ``weeks`` trims only the list."""
        entries = self.entries
        if weeks is not None and now is not None:
            until = _utc(now + dt.timedelta(weeks=weeks))
            entries = tuple(e for e in entries if _utc(e.date) <= until)
        return {
            "plan": [e.as_json() for e in entries],
            "last_post": self.last_post.isoformat() if self.last_post else None,
            "unanswered": self.unanswered,
        }


def slot_on(day: dt.date, settings: FloorSettings) -> dt.datetime:
    """The publishing moment on ``day``: the same wall-clock time all year, DST or not.

    A time that does not exist that day (inside a spring-forward gap) becomes
    the real instant it names with the pre-transition offset, shown in local
    time (02:30 → 03:30), so every plan date round-trips through ISO 8601.
    """
    naive = dt.datetime.combine(day, settings.publish_time, tzinfo=settings.timezone)
    return naive.astimezone(dt.UTC).astimezone(settings.timezone)


def _skipped_weeks(settings: FloorSettings) -> frozenset[tuple[int, int]]:
    return frozenset(tuple(s.isocalendar())[:2] for s in settings.skip_dates)


def is_skipped(day: dt.date, settings: FloorSettings) -> bool:
    """A skip date cancels the slot of its week (ISO weeks, Monday to Sunday)."""
    return tuple(day.isocalendar())[:2] in _skipped_weeks(settings)


class _Calendar:
    """The publishing days: the weekday, minus skipped weeks, from FLOOR_START on."""

    def __init__(self, settings: FloorSettings) -> None:
        self.settings = settings
        self.skipped = _skipped_weeks(settings)

    def is_slot(self, day: dt.date) -> bool:
        return (
            day.weekday() == self.settings.weekday
            and tuple(day.isocalendar())[:2] not in self.skipped
            and (self.settings.start is None or day >= self.settings.start)
        )

    def on_or_after(self, day: dt.date) -> dt.date | None:
        """The first publishing day on or after ``day``; None past the end of the calendar."""
        try:
            if self.settings.start is not None and day < self.settings.start:
                day = self.settings.start
            day += dt.timedelta(days=(self.settings.weekday - day.weekday()) % 7)
            while not self.is_slot(day):
                day += _WEEK
        except OverflowError:
            return None
        return day

    def latest_due(self, first: dt.date, now: dt.datetime) -> dt.date | None:
        """The last publishing day on or after ``first`` whose moment has passed at ``now``."""
        local = now.astimezone(self.settings.timezone).date()
        day = local - dt.timedelta(days=(local.weekday() - self.settings.weekday) % 7)
        if _utc(slot_on(day, self.settings)) > _utc(now):
            day -= _WEEK
        while day >= first:
            if self.is_slot(day):
                return day
            day -= _WEEK
        return None


def _first_day(settings: FloorSettings, now: dt.datetime, last: dt.datetime | None) -> dt.date:
    """Where the slots start: the day after the last post, or, for a new column,
    FLOOR_START or else the most recent slot (so its first publish is due at once)."""
    if last is not None:
        day = last.astimezone(settings.timezone).date() + _DAY
    elif settings.start is not None:
        day = settings.start
    else:
        local = now.astimezone(settings.timezone)
        day = local.date() - dt.timedelta(days=(local.weekday() - settings.weekday) % 7)
        if _utc(slot_on(day, settings)) > _utc(now):
            day -= _WEEK
    if settings.start is not None:
        day = max(day, settings.start)
    return day


def sort_key(q: Question) -> tuple:
    """Pinned first (by pin date), then priority (high first), then oldest asked, then id
    with its numbers read as numbers ("question-2" before "question-10", as an author
    who asked them in that order expects)."""
    return (
        0 if q.pin else 1,
        q.pin or dt.date.max,
        -q.priority,
        q.asked,
        natural_key(q.id),
        q.id,
    )


def natural_key(text: str) -> tuple:
    """``text`` as (words, number) pairs, so that numbers inside it sort by value."""
    parts = _DIGITS.split(text)
    if len(parts) == 3:  # one number ("question-00023"), the common id: the same pairs, sooner
        return ((parts[0], int(parts[1])), (parts[2], -1))
    return tuple((parts[i], int(parts[i + 1]) if i + 1 < len(parts) else -1) for i in range(0, len(parts), 2))


def eligible_from(q: Question) -> dt.date:
    """The first day a question may go out: the day it was asked, its not_before and its
    pin, whichever is latest (a post is never dated before its question was asked)."""
    return max(q.asked or dt.date.min, q.not_before or dt.date.min, q.pin or dt.date.min)


def _dated(slot: dt.datetime, now: dt.datetime, settings: FloorSettings) -> dt.datetime:
    """The date of a post at ``slot`` published by a run at ``now``: the slot's own when the
    run is on the slot's day (GitHub's cron starts late; the workflow retries hours later) or
    the slot is still to come, else the run's moment (whole seconds): never back-dated."""
    local = now.astimezone(settings.timezone)
    if _utc(now) <= _utc(slot) or local.date() == slot.astimezone(settings.timezone).date():
        return slot
    return local.replace(microsecond=0)


def make_plan(
    queued: Sequence[Question],
    settings: FloorSettings,
    now: dt.datetime,
    published: Sequence[Question] = (),
    withdrawn: Sequence[dt.datetime] = (),
) -> Plan:
    """Place every ready question in a slot, best first; due slots (<= now) come first.

    Each slot takes the best ``FLOOR_QUESTIONS_PER_POST`` questions that may go
    out that day (order: :func:`sort_key`); a slot nobody may fill is left
    empty. With FLOOR_CATCH_UP="one", the slots missed before ``now``
    collapse into the latest of them; with "all", each keeps its own post,
    dated at that slot. ``withdrawn``: the dates of posts taken down since, which count as
    posts that went out. Runs in O(n log n), so a queue of thousands plans fast.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # a withdrawn post (core/withdrawn.py) went out in its week all the same
    dates = [_utc(q.date) for q in published if q.date is not None] + [_utc(d) for d in withdrawn]
    last = max(dates) if dates else None
    statuses = [q.status for q in queued]  # derived on every access: once per question here
    ready = [q for q, status in zip(queued, statuses, strict=True) if status == READY]
    unanswered = statuses.count(UNANSWERED)
    held = statuses.count(HELD)

    calendar = _Calendar(settings)
    first = _first_day(settings, now, last)
    day = calendar.on_or_after(first)
    # The slot this run stands for: "one" collapses the missed slots into it; a new column
    # starts at it. A late run dates its post "now" (see _dated); "all" back-dates the others.
    late_day = calendar.latest_due(day, now) if day is not None else None
    if settings.catch_up == "all" and (last is not None or settings.start is not None):
        late_day = None
    if settings.catch_up == "one" and late_day is not None:
        day = late_day
    late_date = _dated(slot_on(late_day, settings), now, settings) if late_day is not None else None
    late_local = late_date.astimezone(settings.timezone).date() if late_date is not None else None

    # Questions join the heap on the day they become eligible; the heap yields the best.
    # each question's (first eligible day, rank), worked out once
    # (sorted by the day and then sort_key's parts as one flat key: the order of (day, sort_key))
    keyed = sorted(((eligible_from(q), sort_key(q), q) for q in ready), key=lambda k: (k[0], *k[1]))
    waiting = [q for _, _, q in keyed]
    heap: list[tuple[tuple, int]] = []
    entries: list[Entry] = []
    index = 0
    while day is not None and (heap or index < len(waiting)):
        slot = slot_on(day, settings)
        date, local = (late_date, late_local) if day == late_day else (slot, day)
        while index < len(waiting) and keyed[index][0] <= local:
            heapq.heappush(heap, (keyed[index][1], index))
            index += 1
        if not heap:  # nobody may go out yet: jump to the first day someone may
            target = keyed[index][0]
            if late_day is not None and day < late_day and target <= late_local:
                day = late_day
            else:
                day = calendar.on_or_after(max(target, day + _DAY))
            continue
        picked = [heapq.heappop(heap) for _ in range(min(settings.questions_per_post, len(heap)))]
        entries.append(Entry(date, tuple(waiting[i].id for _, i in picked), slot))
        day = calendar.on_or_after(max(day, local) + _DAY)
    return Plan(tuple(entries), unanswered, held)
