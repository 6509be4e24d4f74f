"""Retirement: the switch that turns the column into an archive (or a redirect).

The retired state is one small file at the site root, ``retired.json``, so git
records when and how the column ended and every checkout agrees; no machine
holds state of its own. Its presence means "retired"; ``floor unretire``
deletes it. This module decides *whether* the column may retire and writes
that file; the Pelican side (retirement.py) only renders what it says.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import FloorError
from . import journal, site_scope
from . import queue as queue_mod
from .atomic import atomic_write_text, fsync_dir
from .question import DECLINED, HELD, READY, UNANSWERED, Question
from .schedule import Plan
from .settings import RETIREMENT_DEFAULTS, FloorSettings
from .site import Site
from .waiting import day_text

STATE_FILE = "retired.json"
DOWNLOAD_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what ids.download_name makes
MODES = ("archive", "redirect")
SCOPES = ("auto", "site", "section")
PATH_POLICIES = ("same", "root")
# Status order for messages: what is closest to going out first.
REMAINING_ORDER = (READY, HELD, UNANSWERED)
_ROBOTS_TOKENS = frozenset(
    {"all", "index", "noindex", "follow", "nofollow", "none", "noarchive", "nosnippet", "noimageindex"}
)
# The new home goes into HTML attributes, a meta refresh, _redirects, _headers' Link
# <…>, Apache's quoted RedirectMatch and nginx's bare `return 301 …;`: only URL
# characters that mean nothing special to any of them are accepted (no quotes, spaces,
# angle brackets, backslashes, braces, `;` or `$`), so each file can carry it as is.
_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+(?::[0-9]{1,5})?$"  # name[:port]
    r"|^\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?$"  # [IPv6][:port]
)
_URL_REST = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!&()*+,=]|%[0-9A-Fa-f]{2})*$")

DEFAULTS = RETIREMENT_DEFAULTS  # from the one registry, core/settings.py


@dataclass(frozen=True)
class RetireSettings:
    """The FLOOR_RETIRE_* settings, validated; each problem names its setting."""

    mode: str = "archive"
    to: str | None = None
    auto: bool = False  # armed: never by default (core/retire_switch.py)
    grace_weeks: int = 2
    farewell: str | None = None
    robots: str = ""
    paths: str = "same"
    redirect_force: bool = False
    scope: str = "auto"


def _fail(problem: str, name: str, path: Path | None) -> FloorError:
    return FloorError(problem, path=path, field=name)


def check_url(value: Any, name: str, path: Path | None = None) -> str:
    """An absolute http(s) URL (the new home); anything else is refused by name."""
    text = str(value).strip()
    scheme, _, rest = text.partition("://")
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    after = rest[len(host) :]
    if scheme.lower() not in ("http", "https") or not host:
        raise _fail(f"{value!r} is not an absolute http(s) URL such as 'https://example.org/'", name, path)
    if "@" in host or not _HOST.match(host):
        raise _fail(
            f"{value!r} does not name a web host (letters, digits, dots and dashes; an international "
            "name in its xn-- form; no user name)",
            name,
            path,
        )
    if not _URL_REST.match(after):
        raise _fail(
            f"{value!r} holds characters a redirect cannot carry safely (spaces, quotes, <, >, "
            "backslashes, braces, ';', '$' or non-ASCII letters); percent-encode them",
            name,
            path,
        )
    return text


def check_mode(value: Any, name: str = "FLOOR_RETIRE_MODE", path: Path | None = None) -> str:
    mode = str(value).strip().lower()
    if mode not in MODES:
        raise _fail(f"{value!r} must be 'archive' or 'redirect'", name, path)
    return mode


def _flag(conf: Mapping[str, Any], name: str, path: Path | None) -> bool:
    value = conf[name]
    if not isinstance(value, bool):
        raise _fail(f"{value!r} must be True or False", name, path)
    return value


def robots_policy(value: Any, path: Path | None = None) -> str:
    """'' (no directive) or comma-separated robots tokens such as 'noindex, nofollow'."""
    if value is None or value is False:
        return ""
    tokens = [t.strip().lower() for t in str(value).split(",") if t.strip()]
    unknown = [t for t in tokens if t not in _ROBOTS_TOKENS]
    if unknown:
        raise _fail(
            f"unknown robots directive(s) {', '.join(map(repr, unknown))}; use e.g. 'noindex' or "
            "'noindex, nofollow' (or '' to add none)",
            "FLOOR_RETIRE_ROBOTS",
            path,
        )
    return ", ".join(tokens)


def retire_settings(raw: Mapping[str, Any], path: Path | None = None) -> RetireSettings:
    """Read the FLOOR_RETIRE_* settings from a settings mapping (pelicanconf's names)."""
    conf = {**DEFAULTS, **{k: v for k, v in raw.items() if k in DEFAULTS}}
    to = conf["FLOOR_RETIRE_TO"]
    grace = conf["FLOOR_RETIRE_GRACE_WEEKS"]
    if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
        raise _fail(f"{grace!r} must be a whole number of weeks, 0 or more", "FLOOR_RETIRE_GRACE_WEEKS", path)
    paths = str(conf["FLOOR_RETIRE_PATHS"]).strip().lower()
    if paths not in PATH_POLICIES:
        raise _fail(
            f"{conf['FLOOR_RETIRE_PATHS']!r} must be 'same' (each URL to the same path at the new "
            "home) or 'root' (every URL to the new home's front page)",
            "FLOOR_RETIRE_PATHS",
            path,
        )
    scope = str(conf["FLOOR_RETIRE_SCOPE"]).strip().lower()
    if scope not in SCOPES:
        raise _fail(
            f"{conf['FLOOR_RETIRE_SCOPE']!r} must be 'auto', 'site' (the whole site retires) or 'section' "
            "(only the column's own pages, feeds and Ask page)",
            "FLOOR_RETIRE_SCOPE",
            path,
        )
    farewell = conf["FLOOR_FAREWELL"]
    if farewell is not None and not isinstance(farewell, str):
        raise _fail("must be text (Markdown) or None", "FLOOR_FAREWELL", path)
    return RetireSettings(
        mode=check_mode(conf["FLOOR_RETIRE_MODE"], path=path),
        to=check_url(to, "FLOOR_RETIRE_TO", path) if to else None,
        auto=_flag(conf, "FLOOR_AUTO_RETIRE", path),
        grace_weeks=grace,
        farewell=(farewell.strip() or None) if farewell else None,
        robots=robots_policy(conf["FLOOR_RETIRE_ROBOTS"], path),
        paths=paths,
        redirect_force=_flag(conf, "FLOOR_RETIRE_REDIRECT_FORCE", path),
        scope=scope,
    )


def scope_for(setting: str, *, kit_theme: bool, other_articles: int) -> str:
    """What retiring ends: "site" for a site that is only the column (the kit's theme and no
    article outside the column: a `floor init` site), else "section" — in a blog that is more
    than the column, only the column's own pages, feeds and Ask page. FLOOR_RETIRE_SCOPE
    "site" or "section" decides instead of "auto"."""
    if setting in ("site", "section"):
        return setting
    return (
        "site" if site_scope.column_is_site(kit_theme=kit_theme, other_articles=other_articles) else "section"
    )


def settings_for(site: Site) -> RetireSettings:
    return retire_settings(site.settings.raw, site.conf_path)


# --- the state file -----------------------------------------------------------------------


@dataclass(frozen=True)
class Retirement:
    """What retired.json says: when, how, by whom, and what was left (when forced)."""

    retired: dt.datetime
    mode: str = "archive"
    to: str | None = None
    by: str = "floor retire"
    forced: bool = False
    left: tuple[str, ...] = ()
    answered: int = 0
    last_post: dt.datetime | None = None
    # the downloads' name, fixed when the column retires so their URLs stay whatever the title
    # becomes; None in a retired.json written before it was recorded (the build's older rule)
    download_name: str | None = None
    # when the column last stopped being an archive (switched to redirect mode): an archive
    # published addresses of its own (farewell, complete column, downloads) that redirect mode
    # must keep answering even when the build has no earlier output/ to learn them from
    archive_until: dt.datetime | None = None

    def as_json(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"download_name": self.download_name} if self.download_name else {}
        if self.archive_until:
            extra["archive_until"] = self.archive_until.isoformat()
        return {
            "retired": self.retired.isoformat(),
            "mode": self.mode,
            "to": self.to,
            "by": self.by,
            "forced": self.forced,
            "left": list(self.left),
            "answered": self.answered,
            "last_post": self.last_post.isoformat() if self.last_post else None,
            **extra,
        }


def state_path(root: Path) -> Path:
    return Path(root) / STATE_FILE


def _moment(value: Any, key: str, path: Path) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise FloorError(f"{value!r} is not an ISO 8601 date and time", path=path, field=key) from None
    if moment.tzinfo is None:
        raise FloorError(f"{value!r} has no UTC offset", path=path, field=key)
    return moment


def read_state(root: Path) -> Retirement | None:
    """The site's retirement, or None; a damaged file is an error, never "not retired"."""
    path = state_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        raise FloorError(f"is not valid JSON ({exc}); fix it or run `floor unretire`", path=path) from None
    if "retired" not in data:
        raise FloorError("is missing; when did the column retire?", path=path, field="retired")
    to = data.get("to")
    left = data.get("left") or []
    if not isinstance(left, list):
        raise FloorError("must be a list of question ids", path=path, field="left")
    last = data.get("last_post")
    until = data.get("archive_until")
    name = data.get("download_name")
    if name is not None and not (isinstance(name, str) and DOWNLOAD_NAME.fullmatch(name)):
        raise FloorError(
            "must be a name of lower-case letters, digits and hyphens (the downloads' file name)",
            path=path,
            field="download_name",
        )
    return Retirement(
        retired=_moment(data["retired"], "retired", path),
        mode=check_mode(data.get("mode", "archive"), "mode", path),
        to=check_url(to, "to", path) if to else None,
        by=str(data.get("by") or "floor retire"),
        forced=bool(data.get("forced", False)),
        left=tuple(str(i) for i in left),
        answered=int(data.get("answered") or 0),
        last_post=_moment(last, "last_post", path) if last else None,
        download_name=name,
        archive_until=_moment(until, "archive_until", path) if until else None,
    )


def state(site: Site) -> Retirement | None:
    return read_state(site.root)


def _write_state(site: Site, retirement: Retirement) -> None:
    text = json.dumps(retirement.as_json(), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(state_path(site.root), text)


# --- what is left -----------------------------------------------------------------------


def remaining(queue: queue_mod.Queue) -> list[Question]:
    """Questions not yet done: ready, held or unanswered (declined ones count as done)."""
    order = {status: i for i, status in enumerate(REMAINING_ORDER)}
    left = [q for q in queue.queued if q.status in order]
    return sorted(left, key=lambda q: (order[q.status], q.id))


def describe_remaining(left: Sequence[Question]) -> str:
    """'2 ready (a, b); 1 unanswered (c)': what `floor retire` lists when it refuses."""
    parts = []
    for status in REMAINING_ORDER:
        ids = [q.id for q in left if q.status == status]
        if ids:
            parts.append(f"{len(ids)} {status} ({', '.join(ids)})")
    return "; ".join(parts)


def own_posts(published: Iterable[Question]) -> list[Question]:
    """The column's own posts: an imported one (``source: import``) does not start the grace period."""
    return [q for q in published if q.source != "import"]


def _answered(published: Iterable[Question]) -> tuple[int, dt.datetime | None]:
    """(how many were published, the newest post of the column's own): imports count, not date."""
    items = list(published)
    dates = [q.date for q in own_posts(items) if q.date is not None]
    return len(items), max(dates, key=lambda d: d.astimezone(dt.UTC)) if dates else None


# --- retire and unretire ----------------------------------------------------------------


@dataclass
class RetireResult:
    """What `floor retire` did: the state now, and the one it replaced (if any)."""

    retirement: Retirement
    previous: Retirement | None = None
    changed: bool = True
    left: list[Question] = field(default_factory=list)


def retire(
    site: Site,
    mode: str | None = None,
    to: str | None = None,
    now: dt.datetime | None = None,
    force: bool = False,
    *,
    by: str = "floor retire",
) -> RetireResult:
    """Retire the column at ``now``; refuse while any question is ready, held or unanswered.

    On a column that has already retired, only the mode and the new home can
    change; the retirement date stays (it is the date the Sunset header and
    the notices give).
    """
    if now is None or now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    conf = settings_for(site)
    mode = check_mode(mode, "--mode") if mode else conf.mode
    to = check_url(to, "--to") if to else conf.to
    if mode == "redirect" and not to:
        raise FloorError(
            "redirect mode needs the new home's address: give --to URL or set FLOOR_RETIRE_TO",
            field="--to",
        )
    with journal.locked(site):
        previous = state(site)
        if previous is not None:
            if (previous.mode, previous.to) == (mode, to):
                return RetireResult(previous, previous, changed=False)
            updated = replace(previous, mode=mode, to=to)
            if previous.mode == "archive" and mode == "redirect":
                updated = replace(updated, archive_until=now)
            _write_state(site, updated)
            return RetireResult(updated, previous)
        queue = queue_mod.load(site)
        queue.raise_errors()  # an unreadable file may be an unanswered question
        left = remaining(queue)
        if left and not force:
            raise FloorError(
                f"not every question is done: {describe_remaining(left)}. Answer and publish them, "
                "decline them (`floor decline ID --reason …`), or retire anyway with --force",
                path=site.questions_dir,
            )
        if not queue.published and not force:
            raise FloorError("nothing has been published yet, so there is no column to retire (--force)")
        answered, last = _answered(queue.published)
        from . import ids  # (here: floor check reads retired.json, and python-slugify is not needed)

        retirement = Retirement(
            retired=now,
            mode=mode,
            to=to,
            by=by,
            forced=bool(left),
            left=tuple(q.id for q in left),
            answered=answered,
            last_post=last,
            download_name=ids.download_name(str(site.settings.raw.get("SITENAME") or "")),
        )
        _write_state(site, retirement)
    return RetireResult(retirement, None, left=left)


def unretire(site: Site) -> Retirement | None:
    """Delete retired.json (the next build is the live column again); the removed state, or None."""
    with journal.locked(site):
        previous = state(site)
        path = state_path(site.root)
        try:
            os.unlink(path)
        except FileNotFoundError:
            return None
        fsync_dir(path.parent)
    return previous


# --- the forecast and the weekly job ------------------------------------------------------


def _latest(moments: Iterable[dt.datetime | None]) -> dt.datetime | None:
    found = [m for m in moments if m is not None]
    return max(found, key=lambda m: m.astimezone(dt.UTC)) if found else None


def forecast_retirement(
    plan: Plan,
    settings: FloorSettings | RetireSettings,
    last_published: dt.datetime | None = None,
) -> dt.datetime | None:
    """When the weekly job will retire the column: the last post plus the grace period.

    None when it cannot be known (a question is unanswered or held: its date
    is unknown) or will not happen by itself (FLOOR_AUTO_RETIRE is off), or
    when nothing was ever published.
    """
    conf = settings if isinstance(settings, RetireSettings) else retire_settings(settings.raw)
    if not conf.auto or plan.unanswered or plan.held:
        return None
    last = _latest([plan.last_post, last_published])
    if last is None:
        return None
    return last + dt.timedelta(weeks=conf.grace_weeks)


@dataclass(frozen=True)
class AutoDecision:
    """The weekly job's answer to "retire now?", with the reason either way."""

    retired: bool
    reason: str
    retirement: Retirement | None = None
    due: dt.datetime | None = None


def _auto_blocker(site: Site, queue: queue_mod.Queue | None = None) -> tuple[str | None, dt.datetime | None]:
    """Why the weekly job would not retire the column (None if nothing stops it), and when it may.

    ``queue``: the site's queue as the caller has just read it (`floor publish`), else read here."""
    conf = settings_for(site)
    if not conf.auto:
        return "retirement is not armed (`floor retire --when-done` arms it)", None
    if queue is None:
        queue = queue_mod.load(site)
    if queue.errors:
        return f"{len(queue.errors)} question file(s) cannot be read; `floor check`", None
    left = remaining(queue)
    if left:
        return f"not every question is done: {describe_remaining(left)}", None
    _, last = _answered(queue.published)
    if last is None:
        if queue.published:
            return "the column has not published a post of its own yet (imported posts do not count)", None
        return "nothing has been published yet", None
    due = last + dt.timedelta(weeks=conf.grace_weeks)
    if conf.mode == "redirect" and not conf.to:
        return "FLOOR_RETIRE_MODE is 'redirect' but FLOOR_RETIRE_TO is not set", due
    return None, due


def auto_retire_if_due(site: Site, now: dt.datetime, *, queue: queue_mod.Queue | None = None) -> AutoDecision:
    """Retire when FLOOR_AUTO_RETIRE allows, nothing is left, and the grace period has passed.

    Never raises for an ordinary reason not to retire (the weekly job must
    keep running); the reason is returned for the job's log.
    """
    current = state(site)
    if current is not None:
        return AutoDecision(False, f"already retired on {day_text(current.retired.date())}", current)
    blocker, due = _auto_blocker(site, queue)
    if blocker is not None:
        return AutoDecision(False, blocker, due=due)
    assert due is not None
    if now.astimezone(dt.UTC) < due.astimezone(dt.UTC):
        return AutoDecision(False, f"the grace period after the last post ends {_local(site, due)}", due=due)
    try:
        result = retire(site, now=now, by="auto")
    except FloorError as exc:  # e.g. a question arrived a moment ago: try again next week
        return AutoDecision(False, exc.problem, due=due)
    reason = f"nothing is left and the grace period ended {_local(site, due)}"
    return AutoDecision(True, reason, result.retirement, due)


def _local(site: Site, moment: dt.datetime) -> str:
    """A moment as the author reads it, in the site's zone ("Tue 22 Dec 2026 23:59 GMT"), not ISO."""
    from .waiting import when_text

    return when_text(moment.astimezone(site.settings.timezone))


def would_retire(site: Site, now: dt.datetime, *, queue: queue_mod.Queue | None = None) -> str | None:
    """For `floor publish --dry-run`: why the real run would retire the column now, else None."""
    if state(site) is not None:
        return None
    blocker, due = _auto_blocker(site, queue)
    if blocker is not None or due is None or now.astimezone(dt.UTC) < due.astimezone(dt.UTC):
        return None
    return f"this run would retire the column: nothing is left and the grace period ended {_local(site, due)}"


def auto_retire_check(site: Site, now: dt.datetime) -> str | None:
    """After `floor unretire`: a warning when the weekly job would simply retire the column again."""
    blocker, due = _auto_blocker(site)
    if blocker is not None or due is None:
        return None
    when = "run" if now.astimezone(dt.UTC) >= due.astimezone(dt.UTC) else f"run from {day_text(due.date())}"
    return (
        f"retirement is armed (FLOOR_AUTO_RETIRE) and no question is left, so the weekly job's next {when} "
        "retires the column again: add a question, or `floor retire --disarm`"
    )


def forecast_json(site: Site, plan: Plan, published: Sequence[Question]) -> dict[str, Any]:
    """The `retirement` object `floor schedule --json` may add: retired date or forecast."""
    current = state(site)
    conf = settings_for(site)
    _, last = _answered(published)
    forecast = None if current else forecast_retirement(plan, conf, last)
    return {
        "retired": current.retired.isoformat() if current else None,
        "forecast": forecast.isoformat() if forecast else None,
        "auto": conf.auto,  # the same as "armed" (kept for scripts that read it)
        "armed": conf.auto,
        "grace_weeks": conf.grace_weeks,
    }


def forecast_text(
    site: Site, plan: Plan, published: Sequence[Question], now: dt.datetime | None = None
) -> str:
    """One line for `floor schedule`: when the column retires, or why that is not known.

    A date already past (``now``: a column unretired, or an armed one whose weekly job has not
    run since its grace period ended) is not given as the day it retires: the next run does it.
    """
    info = forecast_json(site, plan, published)
    if info["retired"]:
        retired = dt.datetime.fromisoformat(info["retired"]).astimezone(site.settings.timezone)
        return f"The column retired on {day_text(retired.date())} (`floor unretire` reverses it)."
    from .retire_switch import switch

    armed = switch(site).text()
    if not info["armed"]:
        return armed
    if info["forecast"] and now is not None and dt.datetime.fromisoformat(info["forecast"]) <= now:
        ended = _local(site, dt.datetime.fromisoformat(info["forecast"]))
        return (
            f"{armed} The grace period after the last post ended {ended}: unless something new is "
            "asked first, the weekly job's next run retires the column, as publishing now would."
        )
    if info["forecast"]:
        return (
            f"{armed} If nothing new is asked, the column retires on "
            f"{_local(site, dt.datetime.fromisoformat(info['forecast']))} "
            f"({info['grace_weeks']} week{'s' if info['grace_weeks'] != 1 else ''} after the last post)."
        )
    if plan.unanswered or plan.held:
        return f"{armed} The retirement date is not known while questions are unanswered or held."
    return f"{armed} Nothing has been published yet, so there is no retirement date."


def retire_subject(retirement: Retirement) -> str:
    where = f" to {retirement.to}" if retirement.mode == "redirect" else ""
    return f"Retire the column ({retirement.mode}{where})"


# --- after retirement ---------------------------------------------------------------------


def arrivals(site: Site, queue: queue_mod.Queue, retirement: Retirement) -> list[Question]:
    """Questions in questions/ that were not left at retirement: they came in since."""
    left = set(retirement.left)
    return [q for q in queue.queued if q.id not in left and q.status != DECLINED]


def check_report(site: Site, queue: queue_mod.Queue) -> tuple[dict[str, Any] | None, list[dict], list[dict]]:
    """For `floor check`: (the retirement as JSON or None, errors, warnings).

    A retired column with questions in questions/ is not an error (nothing
    is lost: they wait there), but the author should hear about them.
    """
    errors: list[dict] = []
    warnings: list[dict] = []
    try:
        conf = settings_for(site)
        current = state(site)
    except FloorError as exc:
        return None, [exc.as_dict()], []
    if conf.mode == "redirect" and not conf.to and current is None:
        warnings.append(
            FloorError(
                "is 'redirect' but FLOOR_RETIRE_TO is not set: the column cannot retire until it is",
                path=site.conf_path,
                field="FLOOR_RETIRE_MODE",
            ).as_dict()
        )
    if current is None:
        return None, errors, warnings
    new = arrivals(site, queue, current)
    if new:
        day = current.retired.date()
        since = (
            f"({current.mode}) and {len(new)} new question"
            f"{'s have' if len(new) != 1 else ' has'} arrived since: {', '.join(q.id for q in new)}. "
            "They wait in the queue and are not published; `floor unretire` to answer them"
        )
        warnings.append(
            FloorError(
                f"the column retired on {day.isoformat()} {since}",  # --json: for scripts
                path=state_path(site.root),
                said=f"the column retired on {day_text(day)} {since}",  # the terminal, as the desk says it
            ).as_dict()
        )
        kept = "kept in the queue, not published"
        for q in new:
            warnings.append(
                FloorError(
                    f"arrived after the column retired on {day.isoformat()}; {kept}",
                    path=q.path,
                    said=f"arrived after the column retired on {day_text(day)}; {kept}",
                ).as_dict()
            )
    report = {**current.as_json(), "new_questions": [q.id for q in new]}
    return report, errors, warnings
