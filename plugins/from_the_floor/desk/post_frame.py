"""What the preview puts around a post's body: the heading and date it will have when published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import queue as queue_mod
from ..core import schedule as schedule_mod
from ..core import withdrawn
from ..core.site import Site
from ..core.titles import column_name


@dataclass(frozen=True)
class Frame:
    heading: str
    date: dt.datetime | None  # None: not in the plan yet (unanswered, held, declined)


def series_label(site: Site, number: int) -> str:
    """The line the kit's theme puts above a post's question: the column's name and number."""
    return f"{column_name(site.settings.raw)} #{number}".strip()


def frame_for(site: Site, qid: str, now: dt.datetime) -> Frame:
    """The number and date the plan gives question ``qid`` (the next number if it is not planned)."""
    loaded = queue_mod.load(site)
    plan = schedule_mod.make_plan(
        loaded.queued, site.settings, now, loaded.published, withdrawn.posted_dates(site.root)
    )
    number = withdrawn.last_number(loaded.published, site.root)
    for entry in plan.entries:
        number += 1
        if qid in entry.questions:
            return Frame(series_label(site, number), entry.date)
    return Frame(series_label(site, withdrawn.last_number(loaded.published, site.root) + 1), None)
