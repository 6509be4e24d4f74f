"""'Now' for every schedule decision: the real clock, or FLOOR_TODAY/--today."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ..errors import FloorError

# Dates the kit plans with: wide enough for any column (and a blog imported from the
# 1990s), narrow enough that a week or a year added to one never overflows Python's
# date range, and a stray year 1 or 9999 is reported, not a traceback or a huge chart.
EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2999, 12, 31)


def out_of_range(day: dt.date) -> str | None:
    """Why ``day`` is outside the dates the kit plans with, or None."""
    if EARLIEST <= day <= LATEST:
        return None
    return f"{day.isoformat()} is outside the years {EARLIEST.year}–{LATEST.year} the kit works with"


def parse_today(value: str, tz: ZoneInfo) -> dt.datetime:
    """``YYYY-MM-DD`` is the end of that day in the site's zone; ISO datetimes pass through."""
    value = value.strip()
    try:
        if len(value) == 10:
            moment = dt.datetime.combine(dt.date.fromisoformat(value), dt.time(23, 59, 59), tzinfo=tz)
        else:
            moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FloorError(
            f"{value!r} is not YYYY-MM-DD or an ISO 8601 date and time",
            field="--today / FLOOR_TODAY",
        ) from None
    problem = out_of_range(moment.date())
    if problem:
        raise FloorError(problem, field="--today / FLOOR_TODAY")
    try:
        if moment.tzinfo is None:
            return moment.replace(tzinfo=tz)
        return moment.astimezone(tz)
    except OverflowError:  # pragma: no cover - the range above keeps clear of it
        raise FloorError(f"{value!r} cannot be placed in {tz.key}", field="--today / FLOOR_TODAY") from None


def now(tz: ZoneInfo, today: str | None = None) -> dt.datetime:
    """The moment to plan for, always timezone-aware in the site's zone."""
    if today:
        return parse_today(today, tz)
    return dt.datetime.now(tz)
