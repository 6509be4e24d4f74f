"""Publishing: move the due questions into content/floor/ as numbered posts.

The plan decides what is due (:func:`schedule.make_plan`); this module only
turns due entries into files, under the site lock and through the journal,
so a run is idempotent, exclusive and all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import FloorError, FloorErrors
from . import frontmatter_text, i18n, journal, schedule, withdrawn
from . import queue as queue_mod
from . import waiting as waiting_mod
from .i18n import ENGLISH, Language
from .question import Question, parse_text, read_text
from .site import Site


@dataclass
class Published:
    """One post a run wrote (or, in a dry run, would write)."""

    number: int
    date: dt.datetime
    title: str
    ids: list[str]
    paths: list[str] = field(default_factory=list)


@dataclass
class PublishResult:
    """What a run did, and what comes next (for the messages the weekly job prints)."""

    posts: list[Published] = field(default_factory=list)
    dry_run: bool = False
    next_post: dt.datetime | None = None
    last_post: dt.datetime | None = None
    unanswered: int = 0
    recovered: bool = False
    interrupted: bool = False  # dry run only: a killed publish's journal awaits recovery
    retired_on: dt.date | None = None  # set when a retired column refused to publish
    auto_retire: str | None = None  # what the automatic retirement check decided, and why
    auto_retired: bool = False
    would_retire: str | None = None  # dry run only: the real run would retire the column, and why
    # when nothing was due: each queued question and why it waits
    waiting: list[waiting_mod.Waiting] = field(default_factory=list)
    # when nothing was due: the post already out with the highest number, so a re-run after a
    # Ctrl-C that landed just after the publish names what went out
    latest: Published | None = None
    # dry run only: the plan it decided by, so a page beside its report shows that plan and
    # does not make (at 10,000 questions, 0.6 s) another that could differ from it
    plan: schedule.Plan | None = None

    @property
    def nothing_due(self) -> bool:
        return not self.posts


def title_for(pattern: str, number: int, questions: list[Question], lang: Language = ENGLISH) -> str:
    """FLOOR_TITLE filled in; a multi-question post names its first question."""
    text = " ".join(questions[0].question.split())
    if len(questions) > 1:
        more = len(questions) - 1
        text += " " + lang.ngettext("(and %(count)s more)", "(and %(count)s more)", more) % {"count": more}
    return pattern.format(number=number, question=text)


def build_change(
    site: Site, now: dt.datetime
) -> tuple[journal.Change, list[Published], schedule.Plan, list[waiting_mod.Waiting]]:
    """The files a publish at ``now`` would write and remove (and, when none, why each queued
    question waits); pure apart from reading."""
    return _change_for(site, now, queue_mod.load(site))


# Said after the files a publish cannot read. It publishes nothing, not the next good question
# either: the file that does not read may be the one due now (a pin, a priority or a date
# mistyped), and a post's number and address are for good, while a week missed is caught up.
NOTHING_PUBLISHED = (
    "nothing was published: fix the question file(s) above (`floor check` lists every problem), "
    "and the next run publishes what is due"
)


def _change_for(
    site: Site, now: dt.datetime, q: queue_mod.Queue
) -> tuple[journal.Change, list[Published], schedule.Plan, list[waiting_mod.Waiting]]:
    if q.errors:
        raise FloorErrors([*q.errors, FloorError(NOTHING_PUBLISHED)])
    gone = withdrawn.read(site.root)  # a withdrawn post's number is never given again
    plan = schedule.make_plan(q.queued, site.settings, now, q.published, withdrawn.dates(gone))
    by_id = {item.id: item for item in q.queued}
    number = max([*(p.number or 0 for p in q.published), *withdrawn.numbers(gone)], default=0)
    change = journal.Change()
    posts: list[Published] = []
    for entry in plan.due(now):
        number += 1
        chosen = [by_id[i] for i in entry.questions]
        # the column's language words only a post of several questions ("(and 2 more)"); loading
        # it (Babel and the catalogue, about 15 ms) is left to such a post
        lang = i18n.for_settings(site.settings.raw) if len(chosen) > 1 else ENGLISH
        title = title_for(site.settings.title, number, chosen, lang)
        post = Published(number, entry.date, title, list(entry.questions))
        for part, item in enumerate(chosen, start=1):
            text = read_text(item.path)
            fields: list[tuple[str, object]] = [
                ("title", title),
                ("date", entry.date),
                ("number", number),
                ("slug", item.id),
            ]
            if len(chosen) > 1:
                fields.append(("part", part))
            else:  # a stale part from an earlier edit would split a single post
                text = frontmatter_text.remove_field(text, "part", item.path)
            for key, value in fields:
                text = frontmatter_text.set_field(text, key, value, item.path)
            target = site.posts_dir / item.path.name
            rel_target = target.relative_to(site.root).as_posix()
            rel_source = item.path.relative_to(site.root).as_posix()
            change.write[rel_target] = text
            change.remove.append(rel_source)
            post.paths += [rel_target, rel_source]
        posts.append(post)
    change.summary = "; ".join(p.title for p in posts)
    why = [] if posts else waiting_mod.waiting(q.queued, plan, now.astimezone(site.settings.timezone))
    return change, posts, plan, why


def publish(
    site: Site,
    now: dt.datetime,
    *,
    dry_run: bool = False,
    hook: journal.Hook | None = None,
    queue: queue_mod.Queue | None = None,
) -> PublishResult:
    """Publish what is due at ``now``; a second run in the same slot finds nothing to do.

    The whole run, from reading the queue to the last file, holds the site
    lock: a second concurrent run waits, then reads the published posts and
    finds nothing due. ``hook`` is handed to :func:`journal.commit` (tests).
    ``queue``: a dry run's queue as its caller has just read it (the desk's Publish page, which
    shows it too); a real run always reads its own under the lock.
    """
    if queue is not None and not dry_run:
        raise ValueError("only a dry run is given its queue; a real run reads it under the lock")
    from . import retire  # retire reads the queue too; imported here to keep the layers simple

    current = retire.state(site)
    if current is not None:  # a retired column publishes nothing; late questions wait in questions/
        return PublishResult(dry_run=dry_run, retired_on=current.retired.date())
    if dry_run:
        if journal.path_for(site).exists():  # reading the queue would finish it: a change
            return PublishResult(dry_run=True, interrupted=True)
        q = queue_mod.load(site, keep_stats=False) if queue is None else queue
        _, posts, plan, why = _change_for(site, now, q)
        result = _result(posts, plan, now, dry_run=True)
        result.plan = plan
        result.waiting = why
        result.latest = None if posts else latest(q.published, site.settings.timezone)
        result.would_retire = None if posts else retire.would_retire(site, now, queue=q)
        return result
    with journal.locked(site):
        recovered = journal.recover(site)
        journal.remove_stale_journal_temps(site)
        # (after a checkout or a restore every file's stat has moved: the build that follows
        # records the new stats in its questions' worker once it has handed its parses back,
        # so the parse cache is not written here for them alone)
        q = queue_mod.load(site, keep_stats=False)
        change, posts, plan, why = _change_for(site, now, q)
        if posts:
            journal.commit(site, change, hook=hook)
    result = _result(posts, plan, now, dry_run=False)
    result.waiting = why
    result.latest = None if posts else latest(q.published, site.settings.timezone)
    result.recovered = recovered
    if retire.settings_for(site).auto:  # only an armed column hears about retiring after a publish
        decision = retire.auto_retire_if_due(site, now, queue=_queue_after(site, q, change))
        result.auto_retire, result.auto_retired = decision.reason, decision.retired
    return result


def latest(published: list[Question], tz: dt.tzinfo | None = None) -> Published | None:
    """The post with the highest number (all its questions), or None before the first; its date
    in ``tz`` (the site's zone: a post's file gives its moment as an offset, "+00:00", which
    would be said as "UTC" beside the "GMT" of the run that published it)."""
    numbered = [p for p in published if p.number and p.date]
    if not numbered:
        return None
    top = max(numbered, key=lambda p: p.number or 0)
    ids = [p.id for p in numbered if p.number == top.number]
    when = top.date.astimezone(tz) if tz is not None and top.date else top.date
    return Published(top.number or 0, when, top.title or "", ids)  # type: ignore[arg-type]


def _queue_after(site: Site, q: queue_mod.Queue, change: journal.Change) -> queue_mod.Queue | None:
    """The queue as reading it again after ``change`` would give: the published questions'
    files gone from the queue, their posts parsed from the text just written (the retirement
    check reads it, and would otherwise read and check every file and the parse cache again).
    None (read the folders again) if a post's text does not parse."""
    gone = {site.root / rel for rel in change.remove}
    try:
        posts = [parse_text(text, site.root / rel, published=True) for rel, text in change.write.items()]
    except FloorError:
        return None
    published = sorted([*q.published, *posts], key=lambda p: (p.number or 0, p.id))
    return queue_mod.Queue([x for x in q.queued if x.path not in gone], published, list(q.errors))


def _result(posts: list[Published], plan: schedule.Plan, now: dt.datetime, *, dry_run: bool) -> PublishResult:
    later = plan.entries[len(plan.due(now)) :]  # entries are in date order
    return PublishResult(
        posts=posts,
        dry_run=dry_run,
        next_post=later[0].date if later else None,
        last_post=plan.last_post,
        unanswered=plan.unanswered,
    )
