"""Publishing: move the due questions into content/floor/ as numbered posts."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from filelock import FileLock, Timeout

from . import frontmatter_text, journal, schedule
from . import queue as queue_mod
from .errors import FloorError
from .question import Question, read_text
from .site import Site

LOCK_TIMEOUT = float(os.environ.get("FLOOR_LOCK_TIMEOUT", "120"))


@dataclass
class Published:
    number: int
    date: dt.datetime
    title: str
    ids: list[str]
    paths: list[str] = field(default_factory=list)


@dataclass
class PublishResult:
    posts: list[Published] = field(default_factory=list)
    dry_run: bool = False

    @property
    def nothing_due(self) -> bool:
        return not self.posts


def title_for(pattern: str, number: int, questions: list[Question]) -> str:
    text = " ".join(questions[0].question.split())
    if len(questions) > 1:
        text += f" (and {len(questions) - 1} more)"
    return pattern.format(number=number, question=text)


def build_change(site: Site, now: dt.datetime) -> tuple[journal.Change, list[Published]]:
    """The files a publish at ``now`` would write and remove; pure apart from reading."""
    q = queue_mod.load(site)
    q.raise_errors()
    plan = schedule.make_plan(q.queued, site.settings, now, q.published)
    by_id = {item.id: item for item in q.queued}
    number = max((p.number or 0 for p in q.published), default=0)
    change = journal.Change()
    posts: list[Published] = []
    for entry in plan.due(now):
        number += 1
        chosen = [by_id[i] for i in entry.questions]
        title = title_for(site.settings.title, number, chosen)
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
            for key, value in fields:
                text = frontmatter_text.set_field(text, key, value, item.path)
            target = site.posts_dir / item.path.name
            rel_target = str(target.relative_to(site.root))
            change.write[rel_target] = text
            change.remove.append(str(item.path.relative_to(site.root)))
            post.paths += [rel_target, change.remove[-1]]
        posts.append(post)
    change.summary = "; ".join(p.title for p in posts)
    return change, posts


def publish(
    site: Site,
    now: dt.datetime,
    *,
    dry_run: bool = False,
    hook: Callable[[str], None] | None = None,
) -> PublishResult:
    """Publish what is due; a second run in the same slot finds nothing to do."""
    if dry_run:
        _, posts = build_change(site, now)
        return PublishResult(posts, dry_run=True)
    lock = FileLock(str(site.lock_path), timeout=LOCK_TIMEOUT)
    try:
        with lock:
            change, posts = build_change(site, now)
            if posts:
                journal.commit(site, change, hook=hook)
    except Timeout:
        raise FloorError(
            f"another floor publish has held the lock for {LOCK_TIMEOUT:.0f} s", path=site.lock_path
        ) from None
    return PublishResult(posts)
