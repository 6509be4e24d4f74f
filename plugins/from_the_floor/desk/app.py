"""The desk as an ASGI app: its routes, its templates, and the rules every page shares.

Each page reads the site afresh, so a change made in a terminal or an editor
shows on the next page load. The desk holds the queue's parse cache in memory
for its whole run (queue.KeptParses): a page takes each file's stat, and reads
and parses only the files that changed. Each
action is a POST that calls the same function as its `floor` command, then
redirects (POST, redirect, GET) with the command's own message to show.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..core import clock, journal
from ..core import queue as queue_mod
from ..core.site import Site
from ..core.waiting import day_text, when_text
from ..errors import FloorError
from .security import CSRF_FIELD, CSRF_HEADER, PREVIEW_CSP, Guard, Secrets, check_csrf
from .words import desk_words

HERE = Path(__file__).resolve().parent


@dataclass
class Desk:
    """What every page needs: the site, the run's secrets, 'today', and the notes to show once."""

    opened: Site
    keys: Secrets
    today: str | None = None
    notes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _pages: Any = None  # the whole-page preview (page_preview.PagePreview), made on first use
    _conf_stamp: Any = None
    # the parse cache, read from disk once and held between pages (at 10,000 questions reading it
    # and remaking every question took 0.5-1 s of every page)
    parses: queue_mod.KeptParses = field(default_factory=queue_mod.KeptParses)
    queue_items: Any = None  # the Queue page's list, kept while no file changes (pages_queue.ranked)
    # a question page's look-alikes are found in this index, kept while no file changes
    # (pages_question._alike_index): scoring every question took 0.7 s of each page at 10,000
    alike_index: Any = None

    @property
    def site(self) -> Site:
        """The site, its settings read again whenever pelicanconf.py changed (by hand or by a switch)."""
        try:
            st = self.opened.conf_path.stat()
            stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size)
        except OSError:
            stamp = None
        with self.lock:
            if self._conf_stamp is None:
                self._conf_stamp = stamp
            elif stamp != self._conf_stamp:
                self._conf_stamp = stamp
                self.opened = Site(self.opened.root, self.opened.conf_name)
            return self.opened

    @property
    def pages(self):
        """The shadow site and live engine that render a queued question's whole post page."""
        from .page_preview import PagePreview

        with self.lock:
            if self._pages is None:
                self._pages = PagePreview(self.opened, today=self.today)
            return self._pages

    def now(self) -> dt.datetime:
        return clock.now(self.site.settings.timezone, self.today)

    def note(self, kind: str, lines: list[str]) -> str:
        """Keep a message for the page after the redirect; the address carries only its key."""
        key = secrets.token_urlsafe(8)
        with self.lock:
            if len(self.notes) > 200:  # a long session: drop the oldest
                for old in list(self.notes)[:100]:
                    del self.notes[old]
            self.notes[key] = (kind, lines)
        return key

    def take_note(self, key: str | None) -> tuple[str, list[str]] | None:
        if not key:
            return None
        with self.lock:
            return self.notes.pop(key, None)


TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every template, every value: reader text is never markup here
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters["deskwords"] = desk_words  # a message's `floor …` steps as desk links (words.py)
TEMPLATES.filters["when"] = when_text  # a moment as the schedule says it: "Mon 7 Dec 2026 09:00 UTC"


def desk_day(value: dt.date | str) -> str:
    """A day as the desk shows it, "Tue 15 Dec 2026" like the CLI (a `floor queue --json` item's
    ISO text is taken too); the ISO form stays in `<time datetime>` for machines."""
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return day_text(value)


TEMPLATES.filters["day"] = desk_day


def page(request: Request, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    """A desk page, with the run's CSRF token, the site's name and any note left by a redirect."""
    desk: Desk = request.app.state.desk
    note = desk.take_note(request.query_params.get("note"))
    html = TEMPLATES.get_template(template).render(
        csrf=desk.keys.csrf,
        csrf_field=CSRF_FIELD,
        site_name=desk.site.settings.raw.get("SITENAME") or desk.site.root.name,
        note=note,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=http_status)


def back(request: Request, to: str, kind: str, lines: list[str] | str) -> RedirectResponse:
    """POST, then redirect: ``to`` shows ``lines`` once (kind is 'done' or 'error')."""
    desk: Desk = request.app.state.desk
    key = desk.note(kind, [lines] if isinstance(lines, str) else lines)
    to, hash_, anchor = to.partition("#")  # the note's key goes before a #section
    sep = "&" if "?" in to else "?"
    return RedirectResponse(f"{to}{sep}{urlencode({'note': key})}{hash_}{anchor}", status_code=303)


Handler = Callable[[Request, dict], Response]
# Seconds a button waits for the site lock while `floor publish` (or another command) holds it,
# before its page says the site is busy: a terminal's command waits up to FLOOR_LOCK_TIMEOUT
# (two minutes), and a Save that spun that long, without a word, looked lost.
LOCK_WAIT = 5.0


def action(handler: Callable[..., Response]) -> Callable[[Request], Any]:
    """A POST route: the CSRF token is checked before the handler sees the form.

    The handler runs in a worker thread (it reads and writes files, and takes
    the site lock), with the form as a plain dict and files as a list.
    """
    from starlette.concurrency import run_in_threadpool

    async def endpoint(request: Request) -> Response:
        form = await request.form(max_files=50, max_fields=200, max_part_size=64 * 1024 * 1024)
        try:
            given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
            if not check_csrf(given if isinstance(given, str) else None, request.app.state.desk.keys):
                return Response(
                    "Refused: this form has no valid CSRF token (reload the page).", status_code=403
                )
            fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
            uploads = [
                (v.filename or "upload", await v.read())
                for _, v in form.multi_items()
                if not isinstance(v, str)
            ]
        finally:
            await form.close()
        with journal.lock_wait(LOCK_WAIT):  # (the worker thread starts with this context)
            return await run_in_threadpool(handler, request, fields, uploads)

    return endpoint


def site_language(desk: Desk):
    """The site's language (DEFAULT_LANG): the previews' labels are the site's own words."""
    from ..core import i18n

    return i18n.for_settings(desk.site.settings.raw)


def preview_response(html: str | bytes) -> HTMLResponse:
    """A preview of the site's page: shown framed by the desk, with no script of its own."""
    return HTMLResponse(html, headers={"content-security-policy": PREVIEW_CSP})


def error_page(request: Request, exc: FloorError) -> HTMLResponse:
    """A button that failed did nothing ("Not done"); a page that failed was only being shown,
    typically over a question file broken by hand, so it says so and that a reload will do."""
    if request.method == "GET":
        return page(
            request,
            "error.html",
            http_status=409,
            title="This page cannot be shown",
            message=exc.message,
            after="Nothing was changed. Once that is fixed (in a text editor), reload this page.",
        )
    return page(request, "error.html", http_status=409, title="Not done", message=exc.message, after="")


def create_app(site: Site, keys: Secrets, *, today: str | None = None) -> Guard:
    """The desk for ``site``, behind its gate."""
    from . import pages_ask, pages_question, pages_queue, pages_site

    desk = Desk(site, keys, today)
    routes = [
        Route("/", pages_queue.queue, methods=["GET"]),
        Route("/favicon.ico", _no_icon, methods=["GET"]),
        *pages_question.routes(),
        *pages_site.routes(),
        *pages_ask.routes(),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        Mount("/theme", app=StaticFiles(directory=_theme_static(site)), name="theme"),
    ]
    app = Starlette(routes=routes, exception_handlers={FloorError: _floor_error})
    app.state.desk = desk

    async def holding_parses(scope: Any, receive: Any, send: Any) -> None:
        # every page and button loads the site with the desk's held parse cache (the worker
        # threads that run them start with this request's context)
        with queue_mod.kept_parses(desk.parses):
            await app(scope, receive, send)

    return Guard(holding_parses, keys)


async def _no_icon(_request: Request) -> Response:
    """The desk has no icon; an empty answer keeps browsers from logging a missing one."""
    return Response(status_code=204)


async def _floor_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FloorError)
    return error_page(request, exc)


def _theme_static(site: Site) -> Path:
    """The static folder of the site's theme (its stylesheet dresses the previews as on the site)."""
    from .. import paths

    theme = site.settings.raw.get("THEME")
    folder = Path(theme) if theme else Path(paths.theme_dir())
    if not folder.is_absolute():
        folder = site.root / folder
    static = folder / "static"
    return static if static.is_dir() else Path(paths.theme_dir()) / "static"
