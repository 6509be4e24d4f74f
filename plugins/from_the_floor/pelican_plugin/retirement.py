"""The Pelican side of retirement: render what retired.json says (it decides nothing).

- ``initialized``: read retired.json; put ``FLOOR_RETIRED`` (a dict, or None)
  and ``FLOOR_RETIREMENT_FORECAST`` into the settings, hence every template's
  context; close comments site-wide (FLOOR_COMMENTS_OPEN = False).
- a generator: in archive mode, the farewell page and "The complete column".
- ``finalized`` (after every page is written): every feed's final entry,
  ``_headers``/``.htaccess``; in archive mode the zip and the WARC; in
  redirect mode every page replaced by its redirect, ``_redirects`` and an
  nginx snippet. When the column is not retired, whatever an earlier retired
  build left in output/ is removed again (listed in output/.floor-retirement.json).
  In every mode, a redirect page at each imported post's old address on SITEURL's
  host (a blog moved here in place), listed in the same file.

``pelican_plugin.register()`` connects it last: Pelican calls handlers in the
order they were connected, and the feeds the other parts write at ``finalized``
must exist before they get their final entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican import signals
from pelican.generators import Generator

from ..core import guard, i18n, ids, retire, withdrawn
from ..core import question as question_mod
from ..core import queue as queue_mod
from ..core import schedule as schedule_mod
from ..core import settings as settings_mod
from ..core.atomic import atomic_write_text
from ..core.queue import question_files
from ..core.titles import column_name
from ..errors import FloorError
from ..web import archive, final_entry, headers, old_addresses, redirects, render
from ..web import withdrawn as withdrawn_page
from . import build_state, opt_in, theme_fallback

logger = logging.getLogger(__name__)

STATE_KEY = "FLOOR_RETIRED"
FORECAST_KEY = "FLOOR_RETIREMENT_FORECAST"
# in output/: the files only a retired build writes, and the redirect pages at imported posts' old
# addresses every build with SITEURL writes (web/old_addresses.py)
MANIFEST = ".floor-retirement.json"
NGINX_FILE = "nginx-redirects.conf"
SHARED_FILES = ("_headers", "_redirects", ".htaccess")  # our block inside, the author's lines kept
PAGE_DEFAULTS = settings_mod.RETIREMENT_PAGE_DEFAULTS  # the one registry, core/settings.py


def _root(settings: dict) -> Path:
    """The site folder: where pelicanconf.py, questions/ and retired.json live (PATH's parent)."""
    return Path(settings["PATH"]).resolve().parent


def _url(save_as: str) -> str:
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as


def _date_text(moment: dt.datetime | None, settings: dict) -> str | None:
    """A date as the theme shows dates (in the column's language), in the site's time zone."""
    if moment is None:
        return None
    try:
        local = moment.astimezone(ZoneInfo(str(settings.get("TIMEZONE") or "UTC")))
    except (ZoneInfoNotFoundError, ValueError):
        local = moment
    return i18n.for_settings(settings).date(local.date())


def _floor_raw(settings: dict) -> dict:
    return {k: v for k, v in settings.items() if k.isupper()}


def _absolute(settings: dict, url: str) -> str:
    domain = settings.get("FEED_DOMAIN") or settings.get("SITEURL") or ""
    return f"{domain.rstrip('/')}/{url.lstrip('/')}"


def _slug(text: str) -> str:
    """The downloads' name before retired.json recorded one (ASCII letters and digits kept,
    "Écrits du soir" → crits-du-soir): a column retired then keeps its download URLs."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "column"


def _names(state: retire.Retirement, settings: dict) -> tuple[str, str]:
    """(the downloads' file name, the zip's top folder): as recorded when the column retired,
    else (a retired.json from before) by the older rule, so no download URL moves."""
    column = str(column_name(settings) or "The column")
    if state.download_name:
        return state.download_name, ids.download_name(column)
    return _slug(str(settings.get("SITENAME") or "column")), _slug(column)


# --- initialized: what every template can test ----------------------------------------------


def _forecast(settings: dict, root: Path) -> dict[str, Any] | None:
    """The forecast retirement date, read without side effects (no journal recovery, no lock)."""
    conf_path = root / "pelicanconf.py"
    floor = settings_mod.from_mapping(_floor_raw(settings), conf_path)
    posts = Path(settings["PATH"]) / str(floor.raw["FLOOR_POSTS_DIR"])
    queued_dir = root / str(floor.raw["FLOOR_QUESTIONS_DIR"])
    # (the reader site's stats read the same folders in this build: queue.load_folder)
    published = queue_mod.load_folder(posts, published=True)
    queued = queue_mod.load_folder(queued_dir)
    if any(isinstance(q, FloorError) for q in (*published, *queued)):
        return None  # the build reports bad files elsewhere; a forecast just is not known

    now = build_state.now(settings, floor.timezone)
    plan = schedule_mod.make_plan(queued, floor, now, published, withdrawn.posted_dates(root))
    dates = [q.date for q in retire.own_posts(published) if q.date]
    last = max(dates, key=lambda d: d.astimezone(dt.UTC)) if dates else None
    moment = retire.forecast_retirement(plan, retire.retire_settings(settings, conf_path), last)
    return {
        "date": moment,
        "iso": moment.date().isoformat() if moment else None,
        "text": _date_text(moment, settings),
    }


def on_initialized(pelican) -> None:
    settings = pelican.settings
    root = _root(settings)
    conf = retire.retire_settings(settings, root / "pelicanconf.py")  # a bad setting fails the build
    for key, value in PAGE_DEFAULTS.items():
        settings.setdefault(key, value)
    state = retire.read_state(root)
    withdrawn.read(root)  # a damaged record fails the build, as a damaged retired.json does
    settings[STATE_KEY] = None
    settings[FORECAST_KEY] = None if state else _forecast(settings, root)
    if state is None:
        return
    name, folder = _names(state, settings)
    downloads = archive.downloads_for(name, settings["FLOOR_RETIRE_DOWNLOADS"])
    settings[STATE_KEY] = {
        "mode": state.mode,
        "to": state.to,
        "date": state.retired,
        "date_iso": state.retired.date().isoformat(),
        "date_text": _date_text(state.retired, settings),
        "sunset": headers.http_date(state.retired),
        "farewell_url": _url(settings["FLOOR_FAREWELL_SAVE_AS"]),
        "complete_url": _url(settings["FLOOR_COMPLETE_SAVE_AS"]),
        "zip_url": downloads.zip,
        "warc_url": downloads.warc,
        "zip_folder": folder,
        "was_archive": state.archive_until is not None,
        "robots": conf.robots,
        "paths": conf.paths,
        "redirect_force": conf.redirect_force,
        "farewell_text": conf.farewell,
        # what retiring ends: worked out once the articles are read (RetirementGenerator)
        "scope_setting": conf.scope,
        "scope": "site",
        "name": column_name(settings) or "The column",
        "column_pages": [],
        "column_feeds": [],
        # filled in once the posts are read (RetirementGenerator.generate_context)
        "answered": state.answered,
        "from_readers": state.answered,  # less the old posts an import brought over (from_archive)
        "posts": 0,
        "reader_posts": 0,  # the posts that answer readers: not the old posts alone
        "old_posts": 0,  # the old posts an import brought over
        "withdrawn": [],  # the withdrawn posts' numbers, said beside the count of posts
        "last_post": state.last_post,
        "last_post_iso": state.last_post.date().isoformat() if state.last_post else None,
        "last_post_text": _date_text(state.last_post, settings),
        "farewell_html": "",
    }
    settings["FLOOR_COMMENTS_OPEN"] = False  # reader_settings' site-wide switch: comments closed


# --- the farewell page and the complete column ----------------------------------------------

_HEADING = re.compile(r"<(/?)h([1-5])\b")
_QA_NAME = re.compile(r'(<section class="floor-qa"[^>]*?) aria-labelledby="[^"]*"')


def demote_headings(html: str) -> str:
    """Every heading one level down: a post's h2 labels sit under its h2 title on the complete page."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def for_complete_page(html: str, label: str, lang: i18n.Language = i18n.ENGLISH) -> str:
    """A post's body as one part of the complete column.

    Headings go one level down (under the post's own title), and the names
    that are unique on a post's page but would repeat on one long page are
    changed: each Q&A section is named "The question", which as dozens of
    identically named landmarks only clutters a screen reader's list, so it
    becomes a plain section inside its post's <article>.
    """
    html = _QA_NAME.sub(r"\1", demote_headings(html))
    this_post = escape(render.toc_label(lang), quote=True)
    in_label = escape(lang.gettext("Questions in %(post)s") % {"post": label}, quote=True)
    return html.replace(f'aria-label="{this_post}"', f'aria-label="{in_label}"')


def default_farewell(info: dict, settings: dict) -> str:
    """The farewell text when FLOOR_FAREWELL is not set (Markdown)."""
    words = i18n.for_settings(settings)
    name = info.get("name") or settings.get("SITENAME") or words.gettext("This column")
    # the posts that answered readers: an old post the import brought over answered none
    answered, posts = info["from_readers"], info.get("reader_posts", info["posts"])
    text = words.gettext("%(site)s has come to an end.") % {"site": name}
    over = words.ngettext("Over %(posts)d post,", "Over %(posts)d posts,", posts) % {"posts": posts}
    values = {"count": answered, "date": info["last_post_text"]}
    if info["last_post_text"]:
        said = words.ngettext(
            "%(count)d question from readers was answered here; the last post went out on %(date)s.",
            "%(count)d questions from readers were answered here; the last post went out on %(date)s.",
            answered,
        )
    else:
        said = words.ngettext(
            "%(count)d question from readers was answered here.",
            "%(count)d questions from readers were answered here.",
            answered,
        )
    gone = i18n.withdrawn_sentence(info.get("withdrawn") or (), words)
    text += f" {over} {said % values}" + (f" {gone}" if gone else "")
    if info.get("old_posts"):
        old = info["old_posts"]
        text += " " + words.ngettext(
            "The column also keeps the %(count)s post brought over from the old blog.",
            "The column also keeps the %(count)s posts brought over from the old blog.",
            old,
        ) % {"count": old}
    text += "\n\n" + (
        words.gettext(
            "Everything stays online to read, and the whole column can be downloaded. Thank you for asking."
        )
        if info.get("zip_url")
        else words.gettext("Everything stays online to read. Thank you for asking.")
    )
    if info["to"]:
        author = settings.get("AUTHOR") or words.gettext("The author")
        text += "\n\n" + words.gettext("%(author)s now writes at %(link)s.") % {
            "author": author,
            "link": f"<{info['to']}>",
        }
    return text


def _from_archive(settings: dict) -> set[int]:
    """The numbers of the published posts that are old ones `floor import` brought over with no
    reader on record.

    They are in the column (its series, its complete page), but no reader asked them: the
    farewell and the notice on every page say how many questions came *from readers*, and a
    blog moved over with 55 old posts before its first question had "56 questions from readers"
    (and "all 56 questions" on the farewell, "Over 56 posts" where one post answered a reader).
    """
    from .plugin import posts_dir

    numbers: set[int] = set()
    for path in question_files(Path(posts_dir(settings))):
        try:
            q = question_mod.load(path, published=True)
        except FloorError:
            continue  # the build reported it already
        if q.from_archive and q.number is not None:
            numbers.add(q.number)
    return numbers


class RetirementGenerator(Generator):
    """Writes the farewell page and "The complete column" when the column is retired (archive mode)."""

    def generate_context(self) -> None:
        self.series: list = []
        info = self.context.get(STATE_KEY)
        if not info:
            return
        from ..web import render

        posts = [a for a in self.context.get("articles", []) if getattr(a, "floor", False)]
        summary = archive.summarise(posts, lambda a: len(getattr(a, "floor_question_ids", None) or [1]))
        self.series = archive.in_series_order(posts)
        old = _from_archive(self.settings)
        numbers = {getattr(a, "number", None) for a in posts}
        info.update(
            answered=summary.answered,
            from_readers=summary.answered - len(old & numbers),
            posts=summary.posts,
            reader_posts=len(numbers - old),
            old_posts=len(old & numbers),
            last_post=summary.last_post,
            last_post_iso=summary.last_post.date().isoformat() if summary.last_post else None,
            last_post_text=_date_text(summary.last_post, self.settings),
            withdrawn=sorted(withdrawn.posted_numbers(_root(self.settings))),
        )
        self._scope(info)
        info["farewell_html"] = render.author_markdown(
            info["farewell_text"] or default_farewell(info, self.settings)
        )

    def _scope(self, info: dict) -> None:
        """Site or section (retire.scope_for); a section lists the column's own pages and feeds,
        the only files a retired build of a blog changes, and has no whole-site downloads."""
        articles = self.context.get("articles", [])
        others = sum(1 for a in articles if not getattr(a, "floor", False))
        scope = retire.scope_for(
            info["scope_setting"], kit_theme=theme_fallback.column_theme(self.settings), other_articles=others
        )
        info["scope"] = scope
        if scope != "section":
            return
        info["zip_url"] = info["warc_url"] = None
        from ..web import reader_settings

        reader = reader_settings.from_mapping(self.settings, _root(self.settings) / "pelicanconf.py")
        pages = [a.save_as for a in articles if getattr(a, "floor", False) and a.save_as]
        pages += [url + "index.html" for url in reader.pages.values()]
        pages += [self.settings["FLOOR_FAREWELL_SAVE_AS"], self.settings["FLOOR_COMPLETE_SAVE_AS"]]
        info["column_pages"] = sorted(set(pages))
        feeds = [reader.json_feed] if reader.json_feed else []
        patterns = [self.settings.get("TAG_FEED_ATOM"), self.settings.get("TAG_FEED_RSS")]
        if not any(patterns):  # the kit writes its own tag feeds (reader_site.py)
            from .reader_site import TAG_FEED_ATOM, TAG_FEED_RSS

            patterns = [TAG_FEED_ATOM, TAG_FEED_RSS]
        for tag, tagged in self.context.get("tags", []):
            if tagged and all(getattr(a, "floor", False) for a in tagged):  # the column's tags alone
                feeds += [str(p).format(slug=tag.slug) for p in patterns if p]
        categories = [self.settings.get("CATEGORY_FEED_ATOM"), self.settings.get("CATEGORY_FEED_RSS")]
        for category, filed in self.context.get("categories", []):
            if filed and all(getattr(a, "floor", False) for a in filed):  # the column's own category
                feeds += [str(p).format(slug=category.slug) for p in categories if p]
        info["column_feeds"] = sorted(set(feeds))

    def generate_output(self, writer) -> None:
        info = self.context.get(STATE_KEY)
        if not info or info["mode"] != "archive":
            return
        relative = self.settings.get("RELATIVE_URLS", False)
        writer.write_file(
            self.settings["FLOOR_FAREWELL_SAVE_AS"],
            self.get_template("floor_farewell"),
            self.context,
            relative_urls=relative,
            url=info["farewell_url"],
            page_name=info["farewell_url"].rstrip("/"),
            floor_page="farewell",
        )
        entries = []
        for article in self.series:
            entries.append(
                {
                    "article": article,
                    "html": for_complete_page(
                        article.content, f"#{article.number}", i18n.for_settings(self.settings)
                    ),
                }
            )
        writer.write_file(
            self.settings["FLOOR_COMPLETE_SAVE_AS"],
            self.get_template("floor_complete"),
            self.context,
            relative_urls=relative,
            url=info["complete_url"],
            page_name=info["complete_url"].rstrip("/"),
            floor_page="complete",
            floor_complete=entries,
        )


def get_generators(_pelican) -> type[Generator]:
    return RetirementGenerator


# --- finalized: feeds, headers, downloads, redirects ----------------------------------------


def _read_manifest(output: Path, key: str = "old_addresses") -> tuple[list[str], dict[str, str]]:
    """(the files only a retired build writes, the redirect pages at imported posts' old
    addresses: file → digest of the bytes written, so a page the build has since made there
    is never taken for one of them). ``key="withdrawn"``: the withdrawn posts' notices instead."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return [], {}
    if not isinstance(data, dict):
        return [], {}
    pages = data.get(key)
    pages = {str(k): str(v) for k, v in pages.items()} if isinstance(pages, dict) else {}
    return [str(p) for p in data.get("files", [])], pages


def notices_changed(old: Path, new: Path) -> bool:
    """Whether the build in ``new`` writes a withdrawal notice the site in ``old`` did not have,
    or no longer writes one it had (an address forgotten since: `floor withdraw
    --forget-address`): then ``old`` still holds that post's page or its address, and must not
    be kept as the next build's spare copy (core/staging.py)."""
    return set(_read_manifest(new, "withdrawn")[1]) != set(_read_manifest(old, "withdrawn")[1])


def _write_manifest(
    output: Path, owned: list[str], pages: dict[str, str], notices: dict[str, str] | None = None
) -> None:
    path = output / MANIFEST
    if not owned and not pages and not notices:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    data: dict[str, Any] = {"files": sorted(owned), "old_addresses": dict(sorted(pages.items()))}
    if notices:
        data["withdrawn"] = dict(sorted(notices.items()))
    text = json.dumps(data, indent=1) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)


def _remove_owned(output: Path, rels: list[str]) -> None:
    """Delete files an earlier retired build wrote (and folders it left empty)."""
    for rel in rels:
        path = (output / rel).resolve()
        if os.path.commonpath([path, output.resolve()]) != str(output.resolve()):
            continue  # never outside output/
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        for parent in path.parents:
            if parent == output.resolve():
                break
            try:
                parent.rmdir()
            except OSError:
                break


def _not_site(rel: str) -> bool:
    """Files that are host configuration or bookkeeping, not pages of the column."""
    name = rel.rsplit("/", 1)[-1]
    return name.startswith(".") or rel in SHARED_FILES or rel == NGINX_FILE or rel.endswith(".tmp")


def _final_entry(
    settings: dict, info: dict, *, url: str, title: str, text_html: str
) -> final_entry.FinalEntry:
    import uuid

    key = f"{settings.get('SITENAME')}|{info['date'].isoformat()}|{info['mode']}"
    return final_entry.FinalEntry(
        id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}",
        title=title,
        url=url,
        html=text_html,
        date=info["date"],
        author=str(settings.get("AUTHOR") or settings.get("SITENAME") or "The author"),
    )


def on_finalized(pelican) -> None:
    settings = pelican.settings
    output = Path(pelican.output_path)
    root = _root(settings)
    state = retire.read_state(root)
    info = settings.get(STATE_KEY)
    previous, old_pages = _read_manifest(output)
    # first, so the redirect mode below leaves them be: a withdrawn answer is not at the new home
    notices = _withdrawn_notices(settings, output, _read_manifest(output, "withdrawn")[1])
    if state is None or not info:
        _remove_owned(output, previous)
        for name in SHARED_FILES:
            headers.remove_block(output / name)
        _write_manifest(output, [], _live_old_address_pages(settings, output, old_pages), notices)
        return
    section = info.get("scope") == "section"
    archive_own = [settings["FLOOR_FAREWELL_SAVE_AS"], settings["FLOOR_COMPLETE_SAVE_AS"]]
    archive_own += [] if section else [info["zip_url"], info["warc_url"]]
    if info["mode"] == "archive":
        owned = archive_own
    else:
        # what an earlier archive build published (farewell, complete column, downloads) stays
        # an address: carried from record to record, and worked out again from retired.json when
        # there is no record (a weekly job whose cached output/ was lost), so each answers in
        # redirect mode too
        carried = {rel for rel in previous if rel != NGINX_FILE}
        if info.get("was_archive"):
            carried.update(rel for rel in archive_own if rel)
        owned = [NGINX_FILE, *sorted(carried)]
    _remove_owned(output, [rel for rel in previous if rel not in owned])
    if info["mode"] != "redirect":
        headers.remove_block(output / "_redirects")
    farewell_abs = _absolute(settings, info["farewell_url"]) if info["mode"] == "archive" else None
    site_headers = headers.retirement_headers(info["date"], farewell_abs, info["to"], info["robots"])
    feeds = final_entry.find_feeds(output, skip=set(owned))
    if section:  # a blog's own feeds, headers and pages are not the column's to end
        feeds = {rel: kind for rel, kind in feeds.items() if rel in set(info["column_feeds"])}
        site_headers = []  # Sunset for every path would retire the whole blog
        for name in ("_headers", ".htaccess"):
            headers.remove_block(output / name)
    if info["mode"] == "archive":
        # an archive stays where it is: old addresses lead to its posts, as on the live column
        old_pages = _live_old_address_pages(settings, output, old_pages)
        _finish_archive(settings, output, root, info, site_headers, feeds, skip=set(old_pages))
    else:
        archived = [rel for rel in owned if rel != NGINX_FILE]
        old_pages = _finish_redirect(
            settings, output, info, site_headers, feeds, old_pages, archived, notices=set(notices)
        )
    if not section:
        headers.write_block(output / "_headers", headers.headers_file(site_headers))
    _write_manifest(output, owned, old_pages, notices)


def _live_old_address_pages(settings: dict, output: Path, owned: dict[str, str]) -> dict[str, str]:
    """A blog moved here in place keeps its old addresses: a redirect page at each imported
    post's old address on this site's host, to the post's page here (noindex: the post's own
    page is the one to find). Returns the pages now written (file → digest), for the record."""
    site_url = str(settings.get("SITEURL") or "")
    local = _old_paths(settings, site_url)
    return old_addresses.write_pages(
        output,
        old_addresses.targets(site_url, local),
        owned=owned,
        sitename=str(settings.get("SITENAME") or "This site"),
        lang=str(settings.get("DEFAULT_LANG") or "en"),
        robots="noindex",
    )


def _withdrawn_notices(settings: dict, output: Path, owned: dict[str, str]) -> dict[str, str]:
    """A short noindexed notice at each withdrawn post's address (core/withdrawn.py), written
    from the record alone, after every list, feed, sitemap and the search index were made
    without the post. Returns the notices now written (file → digest), for the record."""
    try:
        entries = withdrawn.read(_root(settings))
    except FloorError as exc:  # (read at initialized, which stops the build on it: changed since)
        logger.error("%s", exc.message)
        entries = []
    lang = str(settings.get("DEFAULT_LANG") or "en")
    words = i18n.for_settings(settings)
    name = str(column_name(settings) or settings.get("SITENAME") or "")
    sitename = str(settings.get("SITENAME") or name or "This site")
    home = _absolute(settings, "") if settings.get("SITEURL") else "/"
    wanted: dict[str, str] = {}
    for entry in entries:
        if entry.path is None:
            continue  # withdrawn with its address forgotten: no notice, the address is "not found"
        rel = old_addresses.page_file(entry.path)
        if rel is None or rel in wanted:
            continue
        wanted[rel] = withdrawn_page.notice_page(
            label=f"{name} #{entry.number}".strip(),
            published=_date_text(entry.date, settings) or entry.date.date().isoformat(),
            withdrawn=words.date(entry.withdrawn),
            note=entry.note,
            sitename=sitename,
            home=home,
            lang=lang,
        )
    return old_addresses.write_texts(output, wanted, owned=owned)


def _old_paths(settings: dict, site_url: str) -> dict[str, str]:
    """Old address's path on this host → the post's path here; nothing without SITEURL's host
    (the posts are not read then: a local build has none). The posts this build's Pelican read
    come from their articles (:func:`note_read_posts`); only the others are read from their files."""
    from .plugin import posts_dir

    if not urlsplit(site_url).netloc:
        return {}
    posts = old_addresses.imported_posts(Path(posts_dir(settings)), build_state.read_posts(settings))
    try:  # a withdrawn imported post's old addresses lead to its notice
        gone = {old: w.path for w in withdrawn.read(_root(settings)) for old in w.old_addresses}
    except FloorError:
        gone = {}
    if not posts and not gone:
        return {}
    return old_addresses.on_this_host(site_url, {**gone, **old_addresses.new_paths(settings, posts)})


def _finish_archive(
    settings: dict, output: Path, root: Path, info: dict, site_headers, feeds, skip: set[str]
) -> None:
    """The farewell's final entry in every feed, the headers, and the downloads (``skip``: the
    redirect pages at old addresses, which are not pages of the column)."""
    words = i18n.for_settings(settings)
    name = info.get("name") or settings.get("SITENAME") or words.gettext("The column")
    entry = _final_entry(
        settings,
        info,
        url=_absolute(settings, info["farewell_url"]),
        title=words.gettext("%(site)s has ended") % {"site": name},
        text_html=info["farewell_html"],
    )
    final_entry.end_feeds(output, feeds, entry, replace=False)
    if info.get("scope") == "section":
        return  # no site-wide headers and no downloads of someone else's blog
    headers.write_block(
        output / ".htaccess",
        headers.BEGIN + "\n" + headers.apache_headers(site_headers) + "\n" + headers.END + "\n",
    )
    # The downloads hold every page compressed, where the contact guard cannot see: check first.
    floor = settings_mod.from_mapping(_floor_raw(settings), root / "pelicanconf.py")
    if not build_state.sources_checked(settings):
        guard.check_output(
            output,
            [
                Path(settings["PATH"]) / str(floor.raw["FLOOR_POSTS_DIR"]),
                root / str(floor.raw["FLOOR_QUESTIONS_DIR"]),
            ],
            region=settings_mod.phone_region(settings),
        )
    downloads = {info["zip_url"], info["warc_url"]}
    files = redirects.files(output, lambda rel: _not_site(rel) or rel in downloads or rel in skip)
    archive.write_zip(output, info["zip_url"], files, info["date"], root_folder=info["zip_folder"])
    base = settings.get("SITEURL") or ""
    archive.write_warc(
        output,
        info["warc_url"],
        files,
        base_url=base if base.startswith(("http://", "https://")) else "http://localhost/",
        moment=info["date"],
        software="From the Floor (floor build), warcio",
        headers=site_headers,
        description=words.gettext("%(site)s, every page as it was when the column ended.") % {"site": name},
    )


def _finish_redirect(
    settings: dict,
    output: Path,
    info: dict,
    site_headers,
    feeds,
    old_pages: dict[str, str],
    archived: Sequence[str] = (),
    *,
    notices: frozenset[str] | set[str] = frozenset(),
) -> dict[str, str]:
    """Every page a redirect, the feeds ended, the server rules written; returns the redirect
    pages at imported posts' old addresses (file → digest), for the record.

    ``archived``: the files an archive build of this column published before it switched to
    redirect mode. The new home has no farewell or complete column of its own, so their pages
    go to its front page; a download still in output/ is left as it was (like any file that is
    not a page), and one that is gone gets a server rule to the front page."""
    to = info["to"]
    # the pages at old addresses an earlier build wrote (and that still hold its bytes) are not
    # the column's pages to move: they are left out here and rewritten below only where their
    # bytes change, so a build with nothing changed keeps them (and the host gets no new files)
    ours = old_addresses.still_written(output, old_pages)
    pages = [rel for rel in redirects.pages(output, _not_site) if rel not in ours and rel not in notices]
    if info.get("scope") == "section":  # only the column's own pages move; the blog stays
        column = set(info["column_pages"])
        pages = [rel for rel in pages if rel in column]
    archived_pages = {rel for rel in archived if rel.endswith((".html", ".htm"))}
    pages = sorted({*pages, *archived_pages})
    mapping = redirects.rewrite_pages(
        output,
        pages,
        to=to,
        to_front=archived_pages,
        paths=info["paths"],
        sitename=str(settings.get("SITENAME") or "This site"),
        lang=str(settings.get("DEFAULT_LANG") or "en"),
        robots=info["robots"],
    )
    # old addresses on this host (a blog moved here in place) redirect too, where their post does
    extra = {
        old: mapping.get(new) or redirects.target_for(new, to, info["paths"])
        for old, new in _old_paths(settings, str(settings.get("SITEURL") or "")).items()
        if old not in mapping
    }
    written = old_addresses.write_pages(
        output,
        extra,
        owned=ours,
        sitename=str(settings.get("SITENAME") or "This site"),
        lang=str(settings.get("DEFAULT_LANG") or "en"),
        robots=info["robots"],
        ended=True,
    )
    mapping.update(extra)
    for rel in archived:
        if rel not in archived_pages and not (output / rel).is_file():
            mapping[redirects.url_for(rel)] = to
    words = i18n.for_settings(settings)
    name = info.get("name") or settings.get("SITENAME") or words.gettext("The column")
    entry = _final_entry(
        settings,
        info,
        url=to,
        title=words.gettext("%(site)s has moved") % {"site": name},
        text_html="<p>"
        + words.gettext("%(site)s has ended here. Its new home is %(link)s.")
        % {"site": escape(str(name)), "link": f'<a href="{escape(to)}">{escape(to)}</a>'}
        + "</p>",
    )
    final_entry.end_feeds(output, feeds, entry, replace=True)
    prefix = redirects.base_path(str(settings.get("SITEURL") or ""))
    headers.write_block(
        output / "_redirects", redirects.redirects_file(mapping, prefix, force=info["redirect_force"])
    )
    apache = redirects.apache_redirects(mapping, prefix) + "\n" + headers.apache_headers(site_headers)
    headers.write_block(output / ".htaccess", f"{headers.BEGIN}\n{apache}\n{headers.END}\n")
    nginx = redirects.nginx_snippet(mapping, prefix, [headers.nginx_headers(site_headers)])
    path = output / NGINX_FILE
    if not path.exists() or path.read_text(encoding="utf-8") != nginx:
        atomic_write_text(path, nginx)
    return written


_ARTICLE_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
)


def forget_read_posts(generator) -> None:
    """article_generator_init: a new reading (a live preview's next regeneration) starts with
    no posts known, so nothing an earlier one read stands in for a file."""
    build_state.note_read_posts(generator.settings, None)


def note_read_posts(generator) -> None:
    """article_generator_finalized: each post Pelican read, as its article carries it, for
    finalize's look for old addresses (:func:`_old_paths`): an imported post costs no second
    parse of its file there. A post read by an earlier kit (Pelican's content cache, in a plain
    ``pelican`` run) carries no :data:`build_state.OLD_ADDRESSES` and is left to that look."""
    found: dict[str, question_mod.Question | None] = {}
    for name in _ARTICLE_LISTS:
        for article in getattr(generator, name, None) or ():
            entry = _read_post(article)
            if entry is not None:
                found[entry[0]] = entry[1]
    build_state.note_read_posts(generator.settings, found)


def drop_read_posts(pelican) -> None:
    """finalized, last: the posts are let go with the build (a live preview keeps its settings)."""
    build_state.note_read_posts(pelican.settings, None)


def _read_post(article) -> tuple[str, question_mod.Question | None] | None:
    """(the post's absolute path, the imported post or None), or None when the article does not
    say (not one of the kit's posts, or read by an earlier kit)."""
    meta = getattr(article, "metadata", None) or {}
    marker = meta.get(build_state.OLD_ADDRESSES)
    if not meta.get("floor") or marker is None or not getattr(article, "source_path", None):
        return None
    path = os.path.abspath(article.source_path)
    if not marker:
        return path, None
    try:
        original, intake = marker
        part = meta.get("floor_part")
        post = question_mod.Question(
            id=meta["question_id"],
            path=Path(path),
            question=meta["question"],
            asked=meta["asked"],
            source=question_mod.IMPORTED,
            date=meta["date"],
            number=meta["number"],
            slug=meta["slug"],
            published=True,
            original_url=original or None,
            intake_id=intake or None,
            extra={} if part is None else {"part": part},
        )
    except (KeyError, TypeError, ValueError):
        return None  # (changed by another plugin): the file is read instead
    return path, post


def register() -> None:
    opt_in.connect(signals.initialized, on_initialized, "retirement")
    opt_in.connect(signals.get_generators, get_generators, "retirement")
    opt_in.connect(signals.article_generator_init, forget_read_posts, "retirement")
    opt_in.connect(signals.article_generator_finalized, note_read_posts, "retirement")
    opt_in.connect(signals.finalized, on_finalized, "retirement")
    opt_in.connect(signals.finalized, drop_read_posts, "retirement")
