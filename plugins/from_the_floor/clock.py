"""'Now' for every schedule decision: the real clock, or FLOOR_TODAY/--today."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .errors import FloorError


def parse_today(value: str, tz: ZoneInfo) -> dt.datetime:
    """``YYYY-MM-DD`` is the end of that day in the site's zone; ISO datetimes pass through."""
    value = value.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FloorError(
            f"{value!r} is not YYYY-MM-DD or an ISO 8601 date and time",
            field="--today / FLOOR_TODAY",
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def now(tz: ZoneInfo, today: str | None = None) -> dt.datetime:
    """The moment to plan for, always timezone-aware in the site's zone."""
    if today:
        return parse_today(today, tz)
    return dt.datetime.now(tz)
