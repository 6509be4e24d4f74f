"""A queued question's post as the site will show it: the whole page, made by `floor serve --live`'s engine.

A queued question is not a page of the site yet, so the preview is made in a
shadow of the site: a private folder whose entries link to the site's own
(settings, theme, plugins, the other posts and questions), except that the
posts folder also holds the question as `floor publish` would write it (the
number, date, title and slug the plan gives it) and the queue leaves it out.
The live preview engine (:class:`~from_the_floor.pelican_plugin.preview.LivePreview`)
keeps that shadow site in memory and renders just the post's page; the site's
own folders are only read, and ``output/`` is the shadow's own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import threading
import weakref
from pathlib import Path

from ..core import frontmatter_text, withdrawn
from ..core import queue as queue_mod
from ..core import schedule as schedule_mod
from ..core.atomic import atomic_write_text
from ..core.publish import title_for
from ..core.question import Question, read_text
from ..core.site import Site
from ..errors import FloorError
from ..pelican_plugin.preview import LivePreview

SKIP = {"output", ".cache", ".git", ".floor.lock"}  # the shadow keeps its own of these, or none


def _link(source: Path, target: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    target.symlink_to(source, target_is_directory=source.is_dir())


def _mirror(source: Path, target: Path, *, skip: set[str], real: dict[str, Path] | None = None) -> None:
    """``target`` holds a link to each entry of ``source`` (but ``skip``), and nothing else."""
    target.mkdir(parents=True, exist_ok=True)
    wanted = {p.name: p for p in source.iterdir() if p.name not in skip} if source.is_dir() else {}
    for entry in list(target.iterdir()):
        if entry.name in (real or {}):
            continue
        if entry.name not in wanted or (
            entry.is_symlink() and Path(os.readlink(entry)) != wanted[entry.name]
        ):
            if entry.is_symlink() or entry.is_file():
                entry.unlink()
            else:
                shutil.rmtree(entry)
    for name, path in wanted.items():
        link = target / name
        if not link.is_symlink():
            _link(path, link)


class PagePreview:
    """One shadow site and its live engine, for every question page of one desk."""

    def __init__(self, site: Site, *, today: str | None = None) -> None:
        self.site = site
        self.today = today
        self.lock = threading.Lock()
        self.root = Path(tempfile.mkdtemp(prefix="floor-desk-preview-")) / "site"
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.root.parent, True)
        self._engine: LivePreview | None = None
        self._draft: Path | None = None

    def close(self) -> None:
        self._cleanup()

    def _arrange(self, q: Question, text: str) -> Path:
        """The shadow as the site is now, with ``q`` published as ``text``; returns the draft's path."""
        site = self.site
        content_rel = site.content_dir.relative_to(site.root)
        posts_rel = site.posts_dir.relative_to(site.content_dir)
        questions_rel = site.questions_dir.relative_to(site.root)
        shadow_content = self.root / content_rel
        shadow_posts = shadow_content / posts_rel
        shadow_questions = self.root / questions_rel
        top = {content_rel.parts[0], questions_rel.parts[0]}
        _mirror(site.root, self.root, skip=SKIP | top, real={n: self.root / n for n in top | {"output"}})
        (self.root / "output").mkdir(exist_ok=True)
        _mirror(
            site.content_dir,
            shadow_content,
            skip={posts_rel.parts[0]},
            real={posts_rel.parts[0]: shadow_posts},
        )
        draft = shadow_posts / q.path.name
        _mirror(site.posts_dir, shadow_posts, skip={q.path.name}, real={q.path.name: draft})
        _mirror(site.questions_dir, shadow_questions, skip={q.path.name})
        if self._draft is not None and self._draft != draft:
            self._draft.unlink(missing_ok=True)  # the last question previewed is not a post any more
        if not draft.exists() or read_text(draft) != text:
            atomic_write_text(draft, text)
        self._draft = draft
        return draft

    def render(self, q: Question, now: dt.datetime) -> bytes:
        """The post's page as a build would write it, with ``q``'s answers as they are saved."""
        with self.lock:
            text = as_published(self.site, q, now)
            self._arrange(q, text)
            if self._engine is None:
                self._engine = LivePreview(Site(self.root), today=self.today)
            engine = self._engine
            for name in engine.names():
                if name.endswith((f"/{q.id}/index.html", f"/{q.id}.html")) or name == f"{q.id}.html":
                    # a retired column is built whole (its notice is added after the pages are
                    # written), so its pages are read from the shadow's output, as `floor serve --live` does
                    page = engine.render(name) or engine.static_file(name)
                    if page is not None:
                        return page
            raise FloorError("the preview found no page for this question in the site's build", path=q.path)


def as_published(site: Site, q: Question, now: dt.datetime) -> str:
    """``q``'s file as `floor publish` would write it: the number, date and title the plan gives it."""
    loaded = queue_mod.load(site)
    plan = schedule_mod.make_plan(
        loaded.queued, site.settings, now, loaded.published, withdrawn.posted_dates(site.root)
    )
    number = withdrawn.last_number(loaded.published, site.root)
    date: dt.datetime | None = None
    for entry in plan.entries:
        number += 1
        if q.id in entry.questions:
            date = entry.date
            break
    else:
        number = withdrawn.last_number(loaded.published, site.root) + 1
    if date is None:  # not planned yet: the next slot, as a stand-in
        date = schedule_mod.slot_on(now.date(), site.settings)
    text = read_text(q.path)
    fields = [("title", title_for(site.settings.title, number, [q])), ("date", date), ("number", number)]
    for key, value in [*fields, ("slug", q.id)]:
        text = frontmatter_text.set_field(text, key, value, q.path)
    return text
