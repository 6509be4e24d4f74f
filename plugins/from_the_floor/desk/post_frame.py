"""What the preview puts around a post's body: the heading and date it will have when published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import queue as queue_mod
from ..core import schedule as schedule_mod
from ..core.site import Site

DEFAULT_TITLE = "From the Floor #{number}: {question}"


@dataclass(frozen=True)
class Frame:
    heading: str
    date: dt.datetime | None  # None: not in the plan yet (unanswered, held, declined)


def series_label(pattern: str | None, number: int) -> str:
    """The heading the kit's theme gives a post: the title pattern up to the question, numbered."""
    label = (pattern or DEFAULT_TITLE).split("{question}")[0].replace("{number}", str(number))
    label = label.strip().strip(":–—-").strip()
    return label if label and str(number) in label else f"From the Floor #{number}"


def frame_for(site: Site, qid: str, now: dt.datetime) -> Frame:
    """The number and date the plan gives question ``qid`` (the next number if it is not planned)."""
    loaded = queue_mod.load(site)
    plan = schedule_mod.make_plan(loaded.queued, site.settings, now, loaded.published)
    number = max((p.number or 0 for p in loaded.published), default=0)
    for entry in plan.entries:
        number += 1
        if qid in entry.questions:
            return Frame(series_label(site.settings.title, number), entry.date)
    return Frame(
        series_label(site.settings.title, max((p.number or 0 for p in loaded.published), default=0) + 1), None
    )
