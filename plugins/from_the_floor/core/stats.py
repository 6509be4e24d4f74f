"""The column in numbers ("data beats opinion"): counts, speed, topics, the forecast.

A pure function of the questions, the plan (the same :func:`schedule.make_plan`
the publisher uses, so the forecast is what the job will do) and "now".
`floor stats` prints it; the Stats page and the About page show it.

Definitions (also in docs/reader-site.md):

- received: every question in the queue or published, from readers: not the old
  posts `floor import` brought over ("From the archive"), which no reader asked;
- answered: published (answered in public), from readers;
- from_archive: those old posts, counted apart ("plus 55 posts from the old blog")
  and in no other figure — not in the tags, the median or the burndown either;
- declined: will not be answered (counts as done);
- times_asked: the received questions counted once per reader who sent each (the asker and
  every reader merged in, ``Question.readers``): a question 600 readers sent is one question
  and 600 times asked. Not distinct readers: the kit never opens readers' contacts to tell
  them apart, so a reader who asked two questions counts twice;
- waiting: the rest — scheduled (answered, waiting for a slot), held, unanswered;
- median days: from ``asked`` to the post's date, over published questions;
- the burndown: questions waiting at the end of each week (declined ones are
  left out: a file does not say when it was declined; a stretch of more than
  12 weeks with no change is given by its first and last week), then the forecast if
  nothing new arrives — it stays above zero while some are unanswered or held.
  With nothing planned it ends on the last day a question was asked or an
  answer published (``quiet_since``), not today: a week with nothing new adds
  no point, so the Stats page an unattended weekly job builds keeps its bytes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .question import DECLINED, HELD, READY, UNANSWERED, Question
from .reading_order import reading_key
from .schedule import Plan
from .waiting import when_text


@dataclass(frozen=True)
class TagCount:
    tag: str
    answered: int
    waiting: int

    @property
    def total(self) -> int:
        return self.answered + self.waiting


@dataclass(frozen=True)
class Point:
    day: dt.date
    waiting: int


@dataclass(frozen=True)
class Stats:
    as_of: dt.datetime
    received: int
    answered: int
    posts: int
    declined: int
    scheduled: int
    held: int
    unanswered: int
    median_days: float | None
    tags: tuple[TagCount, ...]
    next_post: dt.datetime | None
    last_post: dt.datetime | None
    last_number: int | None  # the forecast last post's number in the series
    history: tuple[Point, ...]
    forecast: tuple[Point, ...]
    # old posts `floor import` brought over with no reader on record: in no figure above
    from_archive: int = 0
    # the received questions, each counted once per reader who sent it (module docstring)
    times_asked: int = 0
    # how the history was shortened, for the chart's caption: a quiet stretch given by its first
    # and last week, and one week in ``week_step`` kept past MAX_POINTS
    folded: bool = False
    week_step: int = 1
    # the numbers of posts taken down (core/withdrawn.py): in no figure, said beside the posts'
    # count, whose numbers would otherwise run past it with no word of why
    withdrawn: tuple[int, ...] = ()

    @property
    def waiting(self) -> int:
        return self.scheduled + self.held + self.unanswered

    @property
    def quiet_weeks(self) -> int:
        """How many unchanged weeks in a row the history keeps before folding them (the caption)."""
        return QUIET_WEEKS

    @property
    def quiet_since(self) -> dt.date | None:
        """The day the history stops when that is before today: nothing is planned, and no
        question has been asked or answered since (the count has not moved)."""
        if self.history and self.history[-1].day < self.as_of.date():
            return self.history[-1].day
        return None

    @property
    def done(self) -> bool:
        """Every question answered or declined: the column has served its purpose."""
        return self.received > 0 and self.waiting == 0

    def as_json(self) -> dict:
        """The documented `floor stats --json` shape (docs/reader-site.md)."""
        return {
            "as_of": self.as_of.isoformat(),
            "received": self.received,
            "times_asked": self.times_asked,
            "answered": self.answered,
            "posts": self.posts,
            "from_archive": self.from_archive,
            "withdrawn": list(self.withdrawn),
            "declined": self.declined,
            "waiting": self.waiting,
            "waiting_detail": {
                "scheduled": self.scheduled,
                "held": self.held,
                "unanswered": self.unanswered,
            },
            "median_days_asked_to_published": self.median_days,
            "tags": [{"tag": t.tag, "answered": t.answered, "waiting": t.waiting} for t in self.tags],
            "next_post": self.next_post.isoformat() if self.next_post else None,
            "last_post": self.last_post.isoformat() if self.last_post else None,
            "last_number": self.last_number,
            "burndown": {
                "history": [{"date": p.day.isoformat(), "waiting": p.waiting} for p in self.history],
                "forecast": [{"date": p.day.isoformat(), "waiting": p.waiting} for p in self.forecast],
            },
        }


def _local_day(moment: dt.datetime, tz: dt.tzinfo) -> dt.date:
    return moment.astimezone(tz).date()


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    middle = statistics.median(values)
    return float(middle)


def _tags(open_questions: Sequence[Question], published: Sequence[Question]) -> tuple[TagCount, ...]:
    answered: Counter[str] = Counter(t for q in published for t in dict.fromkeys(q.tags))
    waiting: Counter[str] = Counter(t for q in open_questions for t in dict.fromkeys(q.tags))
    names = set(answered) | set(waiting)
    counts = [TagCount(n, answered[n], waiting[n]) for n in names]
    return tuple(sorted(counts, key=lambda c: (-c.total, -c.answered, reading_key(c.tag))))


MAX_POINTS = 520  # ten years of weeks: the history is thinned beyond that
QUIET_WEEKS = 12  # a longer stretch with no change is given by its first and last week


def _history(
    open_questions: Sequence[Question], published: Sequence[Question], today: dt.date, tz: dt.tzinfo
) -> tuple[tuple[Point, ...], bool, int]:
    """Waiting at the end of each week from the first question to ``today`` (and that day
    itself): the build's day, or the last change when nothing is planned (:func:`compute`).

    A stretch of more than QUIET_WEEKS weeks in which the number did not move is given by
    its first and last week only: the line between them is just as flat, and one old
    question (an e-mail dated 2000) no longer makes a 26-year table of identical rows.
    Past MAX_POINTS points (ten years of weeks that each changed something) every other
    one is kept, or every third…, so the chart and the JSON stay small. Also returned:
    whether a quiet stretch was folded, and the step the thinning kept (1: every point).
    """
    asked = sorted([q.asked for q in open_questions] + [q.asked for q in published])
    if not asked:
        return (), False, 1
    out_on = sorted(_local_day(q.date, tz) for q in published if q.date is not None)
    start = min(asked[0], today)
    day = start + dt.timedelta(days=(6 - start.weekday()))  # the first Sunday on or after it
    days = []
    while day < today:
        days.append(day)
        day += dt.timedelta(weeks=1)
    days.append(today)
    if start < days[0]:
        days.insert(0, start)
    points = [Point(d, bisect.bisect_right(asked, d) - bisect.bisect_right(out_on, d)) for d in days]
    kept: list[Point] = []
    run: list[Point] = []  # the points since the number last moved
    folded = False
    for point in [*points, None]:
        if run and (point is None or point.waiting != run[0].waiting):
            folded |= len(run) > QUIET_WEEKS
            kept += run if len(run) <= QUIET_WEEKS else [run[0], run[-1]]
            run = []
        if point is not None:
            run.append(point)
    step = 1
    if len(kept) > MAX_POINTS:
        step = -(-len(kept) // MAX_POINTS)
        kept = [*kept[:-1:step], kept[-1]]
    return tuple(kept), folded, step


def _last_event(
    queued: Sequence[Question], published: Sequence[Question], today: dt.date, tz: dt.tzinfo
) -> dt.date:
    """The last day a question was asked (declined ones too: "none asked since" stays true) or
    an answer went out, today at the latest; today when there is none."""
    days = [q.asked for q in queued if q.asked is not None]
    days += [q.asked for q in published if q.asked is not None]
    days += [_local_day(q.date, tz) for q in published if q.date is not None]
    return min(max(days), today) if days else today


def _forecast(plan: Plan, waiting_now: int, today: dt.date, tz: dt.tzinfo) -> tuple[Point, ...]:
    """From today's count down through each planned post; posts already due count as today's."""
    if not plan.entries:
        return ()
    points = [Point(today, waiting_now)]
    left = waiting_now
    for entry in plan.entries:
        left -= len(entry.questions)
        day = max(_local_day(entry.date, tz), today)
        if len(points) > 1 and points[-1].day == day:
            points[-1] = Point(day, left)
        else:
            points.append(Point(day, left))
    return tuple(points)


def compute(
    queued: Sequence[Question],
    published: Sequence[Question],
    plan: Plan,
    now: dt.datetime,
    withdrawn: Iterable[int] = (),
) -> Stats:
    """The numbers, from the same questions and plan the publisher sees; ``withdrawn``: the
    numbers of posts taken down (core/withdrawn.py), which the series never gives again."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = now.tzinfo
    today = now.date()
    statuses = Counter(q.status for q in queued)
    open_questions = [q for q in queued if q.status != DECLINED]
    # An old post `floor import` brought over ("From the archive") is no reader's question: counted
    # as one, a blog of 55 posts moved over before the first question read "Received 56 ·
    # Answered 56", its tags were the old blog's categories, its median "0 days" (``asked`` is
    # only the old post's date) and its burndown began with the old blog. The retired column's
    # farewell counts the same way (retirement.py's from_readers); the series numbers go on.
    asked_here = [q for q in published if not q.from_archive]
    days = [
        (_local_day(q.date, tz) - q.asked).days
        for q in asked_here
        if q.date is not None and q.asked is not None
    ]
    # a withdrawn post's number is taken: after #5 withdrawn as the latest, the next is #6
    withdrawn = tuple(sorted(set(withdrawn)))
    numbers = sorted({q.number for q in published if q.number is not None} | set(withdrawn))
    last_number = None
    if plan.entries:
        last_number = (numbers[-1] if numbers else 0) + len(plan.entries)
    # nothing planned: the history ends when it last moved, so an empty week changes nothing;
    # with a forecast it runs to today, where the forecast starts (and which the page names)
    until = today if plan.entries else _last_event(queued, asked_here, today, tz)
    history, folded, week_step = _history(open_questions, asked_here, until, tz)
    waiting_now = history[-1].waiting if history else 0
    return Stats(
        as_of=now,
        received=len(queued) + len(asked_here),
        answered=len(asked_here),
        posts=len({q.number for q in asked_here if q.number is not None}),
        declined=statuses[DECLINED],
        scheduled=statuses[READY],
        held=statuses[HELD],
        unanswered=statuses[UNANSWERED],
        median_days=_median(days),
        tags=_tags(open_questions, asked_here),
        next_post=plan.entries[0].date if plan.entries else None,
        last_post=plan.last_post,
        last_number=last_number,
        history=history,
        forecast=_forecast(plan, waiting_now, today, tz),
        from_archive=len(published) - len(asked_here),
        times_asked=sum(q.readers for q in queued) + sum(q.readers for q in asked_here),
        folded=folded,
        week_step=week_step,
        withdrawn=withdrawn,
    )


def _when(moment: dt.datetime | None) -> str:
    """A post's moment as `floor schedule` and the desk say it ("Mon 7 Dec 2026 09:00 GMT")."""
    return when_text(moment) if moment else "—"


def _times_asked(stats: Stats) -> str:
    """Beside "received" when some question was sent by more than one reader."""
    if stats.times_asked <= stats.received:
        return ""
    return f" (asked {stats.times_asked} times: a question several readers sent counts once)"


def text(stats: Stats) -> str:
    """`floor stats` for people: one figure a line."""
    median = "—" if stats.median_days is None else f"{stats.median_days:g} days"
    last = _when(stats.last_post)
    if stats.last_number:
        last += f" (#{stats.last_number})"
    if stats.last_post and stats.unanswered + stats.held:
        last += f"; {stats.unanswered + stats.held} more need an answer or a release first"
    # "last planned", not "last post": the plan's last post, which a reader of the figures took for
    # the newest post already out ("last post —" right after the first one was published)
    answered = f"{stats.answered} (in {stats.posts} post{'' if stats.posts == 1 else 's'})"
    if stats.from_archive:
        # said apart, so an author who moved a blog over sees where its posts went
        old = stats.from_archive
        answered += f"; plus {old} post{'' if old == 1 else 's'} from the old blog"
    if stats.withdrawn:
        # the posts count leaves them out while the series' numbers run past it: say which
        shown = ", ".join(f"#{n}" for n in stats.withdrawn)
        answered += f"; {shown} withdrawn, not counted"
    rows = [
        ("received", f"{stats.received}" + _times_asked(stats)),
        ("answered", answered),
        ("declined", f"{stats.declined}"),
        (
            "waiting",
            f"{stats.waiting} ({stats.scheduled} scheduled, {stats.held} held, "
            f"{stats.unanswered} unanswered)",
        ),
        ("median", f"{median} from asked to published"),
        ("next post", _when(stats.next_post)),
        ("last planned", last),
    ]
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"{label:<{width}}{value}" for label, value in rows]
    if stats.tags:
        width = max(len(t.tag) for t in stats.tags)
        lines.append(f"{'tag':<{width + 2}}  answered  waiting")
        lines += [f"  {t.tag:<{width}}  {t.answered:>8}  {t.waiting:>7}" for t in stats.tags]
    return "\n".join(lines)
