"""The queue page: every waiting question with its derived status, filtered and searched."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ..commands import report
from ..core import queue as queue_mod
from ..core import retire as retire_mod
from ..core import schedule as schedule_mod
from ..core.reading_order import reading_key
from .app import Desk, page

STATUSES = ("unanswered", "ready", "held", "declined")
# Questions on one page of the queue: a column with thousands waiting (an old inbox taken in)
# made one page of megabytes that a browser took seconds to lay out; the search finds the rest.
PER_PAGE = 100


def page_number(text: str, pages: int) -> int:
    """The page asked for (``?page=N``), kept within 1..pages: a stale or mistyped number shows
    the nearest page rather than an error or an empty list."""
    try:
        number = int(text)
    except ValueError:
        number = 1
    return min(max(number, 1), max(pages, 1))


def matches(item: dict, words: list[str]) -> bool:
    """Every search word appears in the question, its id, tags, source or asker (any case)."""
    hay = " ".join([item["id"], item["question"], item["source"] or "", item["asker"] or "", *item["tags"]])
    hay = hay.casefold()
    return all(w in hay for w in words)


def ranked(desk: Desk, loaded: queue_mod.Queue, today: dt.date) -> tuple[list[dict], dict, list, list]:
    """Every waiting question as the page lists it, in order, with the counts, tags and sources.

    At 10,000 questions this takes longer than the load itself (0.3-0.5 s), so the result is kept
    for the next page while no file has changed since (the load's generation) and the day is the
    same: paging, searching and filtering then only filter."""
    key = (desk.site, loaded.generation, today)
    kept = desk.queue_items
    if loaded.generation is not None and kept is not None and kept[0] == key:
        return kept[1]
    order = sorted(loaded.queued, key=lambda q: (STATUSES.index(q.status), schedule_mod.sort_key(q)))
    items = []
    for q in order:
        item = report.queue_item(q, today)  # the same facts as `floor queue --json`
        item["asker"] = q.asker
        item["readers"] = q.readers
        items.append(item)
    counts = {s: sum(1 for i in items if i["status"] == s) for s in STATUSES}
    tags = sorted({t for i in items for t in i["tags"]}, key=reading_key)
    sources = sorted({i["source"] for i in items if i["source"]}, key=str.casefold)
    made = (items, counts, tags, sources)
    desk.queue_items = (key, made)
    return made


def queue(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    loaded = queue_mod.load(desk.site)
    today = desk.now().date()
    status = request.query_params.get("status", "")
    tag = request.query_params.get("tag", "")
    source = request.query_params.get("source", "")
    search = request.query_params.get("q", "").strip()
    items, counts, tags, sources = ranked(desk, loaded, today)
    words = search.casefold().split()
    shown = [
        i
        for i in items
        if (not status or i["status"] == status)
        and (not tag or tag in i["tags"])
        and (not source or i["source"] == source)
        and matches(i, words)
    ]
    pages = -(-len(shown) // PER_PAGE)
    number = page_number(request.query_params.get("page", "1"), pages)
    start = (number - 1) * PER_PAGE
    filters = {k: v for k, v in (("q", search), ("status", status), ("tag", tag), ("source", source)) if v}
    return page(
        request,
        "queue.html",
        title="Queue",
        items=shown[start : start + PER_PAGE],
        matched=len(shown),
        first=start + 1,
        page_number=number,
        pages=pages,
        per_page=PER_PAGE,
        # the other pages' addresses keep the filters; page 1 is the address without a number
        page_link=lambda n: "/?" + urlencode({**filters, **({"page": n} if n > 1 else {})}),
        total=len(items),
        counts=counts,
        statuses=STATUSES,
        tags=tags,
        sources=sources,
        status=status,
        tag=tag,
        source=source,
        search=search,
        errors=[e.message for e in loaded.errors],
        # the column's own posts, and apart from them the old posts `floor import` brought over
        published=sum(1 for q in loaded.published if not q.from_archive),
        old_posts=sum(1 for q in loaded.published if q.from_archive),
        # an imported post arrives without one and `floor check` warns until it is written: the way to it
        no_quick=[q for q in loaded.published if not (q.quick_answer or "").strip()],
        retired=retire_mod.state(desk.site),  # what is answered here is not published: say so first
    )
