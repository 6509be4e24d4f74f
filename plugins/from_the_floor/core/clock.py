"""'Now' for every schedule decision: the real clock, or FLOOR_TODAY/--today."""

from __future__ import annotations

import calendar
import datetime as dt
import re
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


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_day(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` date. The ValueError tells a day that does not exist (2026-02-30) from
    text that is not a date at all, because the fix differs: check the calendar, or the format."""
    value = text.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    shape = _DAY.fullmatch(value)
    if shape is None:
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")
    year, month, _day = map(int, shape.groups())
    if year == 0:
        reason = "there is no year 0"
    elif not 1 <= month <= 12:
        reason = f"there is no month {month}"
    else:
        last = calendar.monthrange(year, month)[1]
        reason = f"{calendar.month_name[month]} {year} has {last} days"
    raise ValueError(f"{value!r} is not a real date: {reason}")


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
