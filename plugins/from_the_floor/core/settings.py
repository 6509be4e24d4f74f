"""The site's settings, read from the same pelicanconf.py Pelican uses.

The file is executed as plain Python (it never needs Pelican to import), so
the CLI and the plugin share one place to configure a site.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import runpy
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import FloorError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# One registry of every FLOOR_* default (and the few Pelican settings the kit reads before
# Pelican does), grouped by the part that reads them. The README's settings table lists them.

# The schedule and the folders: load() below.
SCHEDULE_DEFAULTS: dict[str, Any] = {
    "TIMEZONE": "UTC",
    "FLOOR_PUBLISH_WEEKDAY": "monday",
    "FLOOR_PUBLISH_TIME": "09:00",
    "FLOOR_QUESTIONS_PER_POST": 1,
    "FLOOR_SKIP_DATES": [],
    "FLOOR_START": None,
    "FLOOR_CATCH_UP": "one",
    # The post's title (<title>, feeds, JSON-LD headline): the reader's question. The column's
    # name and the post's number sit above the question on the page (docs/schedule.md).
    "FLOOR_TITLE": "{question}",
    "FLOOR_QUESTIONS_DIR": "questions",
    "FLOOR_POSTS_DIR": "floor",
    "PATH": "content",
    "OUTPUT_PATH": "output",
}

# The reader's site (web/reader_settings.py).
READER_SITE_DEFAULTS: dict[str, Any] = {
    "FLOOR_NAME": None,  # the column's name (its posts' category, "<name> #N"); None: SITENAME
    # the category's slug (its page's address, ARTICLE_URL's {category}); None: "from-the-floor",
    # what every earlier version wrote, so an existing blog's addresses never move (web/links.py)
    "FLOOR_CATEGORY_SLUG": None,
    "FLOOR_ASK_CHANNEL": "none",
    "FLOOR_ASK_EMAIL": "",
    "FLOOR_ASK_SUBJECT": "A question for {sitename}",
    "FLOOR_ASK_FORM_URL": "",
    "FLOOR_ASK_GITHUB_REPO": "",
    "FLOOR_ASK_GITHUB_TEMPLATE": "question.yml",
    "FLOOR_COMMENTS": "none",
    "FLOOR_COMMENTS_OPEN": True,
    "FLOOR_GISCUS": {},
    "FLOOR_ISSO": {},
    "FLOOR_SHARE": ["email", "bluesky", "linkedin"],
    "FLOOR_RELATED": 3,
    "FLOOR_SERIES_JUMP": 50,
    "FLOOR_SEARCH": True,
    "FLOOR_TAG_FEEDS": True,
    "FLOOR_TAG_FEED_ITEMS": 20,
    "FLOOR_JSON_FEED": "feeds/all.json",
    # site-wide files: None writes them when the column is the whole site (floor init), not in a
    # blog that added the plugin; True or False decides (core/site_scope.py)
    "FLOOR_SITEMAP": None,
    "FLOOR_ROBOTS": None,
    "FLOOR_NOT_FOUND_PAGE": None,
    "FLOOR_ABOUT_SLUG": "about",
    "FLOOR_PAGE_PATHS": {},
    "FLOOR_PUBLISHER": None,
    "FLOOR_DESCRIPTION": "Questions from readers, answered one at a time.",
    # List pages cut from the oldest post, so page k keeps its posts (web/pagination.py). Off
    # when unset: an existing site's page addresses are linked and indexed; `floor init` writes True.
    "FLOOR_STABLE_PAGINATION": False,
}

# Retirement decisions (core/retire.py).
RETIREMENT_DEFAULTS: dict[str, Any] = {
    "FLOOR_RETIRE_MODE": "archive",
    "FLOOR_RETIRE_TO": None,
    "FLOOR_AUTO_RETIRE": False,  # the author's switch: `floor retire --when-done` arms it
    "FLOOR_RETIRE_GRACE_WEEKS": 2,
    "FLOOR_FAREWELL": None,
    "FLOOR_RETIRE_ROBOTS": "",
    "FLOOR_RETIRE_PATHS": "same",
    "FLOOR_RETIRE_REDIRECT_FORCE": False,
    "FLOOR_RETIRE_SCOPE": "auto",  # "site", "section" (the column's pages only) or "auto"
}

# Where a retired build writes its own pages (pelican_plugin/retirement.py).
RETIREMENT_PAGE_DEFAULTS: dict[str, Any] = {
    "FLOOR_FAREWELL_SAVE_AS": "farewell/index.html",
    "FLOOR_COMPLETE_SAVE_AS": "the-complete-column/index.html",
    "FLOOR_RETIRE_DOWNLOADS": "download",
}

DEFAULTS = SCHEDULE_DEFAULTS  # what load() fills in
REGISTRY: dict[str, Any] = {
    **SCHEDULE_DEFAULTS,
    **READER_SITE_DEFAULTS,
    **RETIREMENT_DEFAULTS,
    **RETIREMENT_PAGE_DEFAULTS,
}

# FLOOR_* settings an author may write that a part reads without a default here (each part says
# what unset means): with the registry, every name `floor check` takes as meant. A near miss of one
# of them (FLOOR_CATCHUP) is a typo that would change nothing in silence.
READ_ELSEWHERE = frozenset(
    {
        "FLOOR_AGE_RECIPIENT",
        "FLOOR_DUPLICATE_THRESHOLD",
        "FLOOR_GITHUB_API_URL",
        "FLOOR_GITHUB_INTAKE_COMMENT",
        "FLOOR_IMPORT_LABELS",
        "FLOOR_NOTIFY_BODY",
        "FLOOR_NOTIFY_SUBJECT",
        "FLOOR_PHONE_REGION",
        "FLOOR_SMTP_CAFILE",
        "FLOOR_SMTP_FROM",
        "FLOOR_SMTP_HOST",
        "FLOOR_SMTP_PORT",
        "FLOOR_SMTP_TIMEOUT",
        "FLOOR_SMTP_TLS",
        "FLOOR_SMTP_USER",
    }
)
# FLOOR_* names that are no setting of the author's: environment variables (FLOOR_TODAY …) and what
# the plugin sets for its own templates during a build. Never suggested for a typo.
NOT_SETTINGS = frozenset(
    {
        "FLOOR_AGE_KEY",
        "FLOOR_BUILD_FRESH",
        "FLOOR_BUILD_GUARDED",
        "FLOOR_BUILD_READ_POSTS",
        "FLOOR_BUILD_SOURCES_CHECKED",
        "FLOOR_BUILD_TODAY",
        "FLOOR_FOREIGN_THEME",
        "FLOOR_JOBS",
        "FLOOR_LIVE_PREVIEW",
        "FLOOR_LIVE_KEPT_POSTS",
        "FLOOR_LIVE_READER_CACHES",
        "FLOOR_LOCK_TIMEOUT",
        "FLOOR_PHASES",
        "FLOOR_RETIRED",
        "FLOOR_RETIREMENT_FORECAST",
        "FLOOR_SITEURL",
        "FLOOR_SMTP_PASSWORD",
        "FLOOR_STATIC_DIR",
        "FLOOR_TODAY",
    }
)


@dataclass(frozen=True)
class FloorSettings:
    """Validated From the Floor settings; raw holds everything else."""

    timezone: ZoneInfo
    weekday: int
    publish_time: dt.time
    questions_per_post: int
    skip_dates: frozenset[dt.date]
    start: dt.date | None
    catch_up: str
    title: str
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _as_date(value: Any, name: str, path: Path) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FloorError(
            f"{value!r} is not a date; use 'YYYY-MM-DD' or datetime.date",
            path=path,
            field=name,
        ) from None


def _weekday(value: Any, path: Path) -> int:
    """'monday' … 'sunday' (any case, or the first three letters) → 0 … 6."""
    name = str(value).strip().lower()
    for index, day in enumerate(WEEKDAYS):
        if name == day or (len(name) >= 3 and day.startswith(name)):
            return index
    raise FloorError(
        f"{value!r} is not a weekday (monday … sunday)",
        path=path,
        field="FLOOR_PUBLISH_WEEKDAY",
    )


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _time(value: Any, path: Path) -> dt.time:
    """'HH:MM' (or 'H:MM', 'HH:MM:SS', datetime.time), always wall-clock time in TIMEZONE."""
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise FloorError(
                f"{value!r} carries a time zone; give a plain time: TIMEZONE says where it is",
                path=path,
                field="FLOOR_PUBLISH_TIME",
            )
        return value.replace(microsecond=0)
    match = _TIME.match(str(value).strip())
    try:
        if not match:
            raise ValueError
        hour, minute, second = (int(g or 0) for g in match.groups())
        return dt.time(hour, minute, second)
    except ValueError:
        raise FloorError(
            f"{value!r} is not a time of day; use 'HH:MM' (24-hour, in TIMEZONE)",
            path=path,
            field="FLOOR_PUBLISH_TIME",
        ) from None


def _not_found(path: Path) -> str:
    """Why there is no settings file, and what to do: the usual slip is a command run in the
    wrong folder (often questions/ inside the column, where `floor answer` feels at home)."""
    if path.name != "pelicanconf.py":
        return "settings file not found"
    above = next((d for d in path.parent.resolve().parents if (d / "pelicanconf.py").is_file()), None)
    if above is not None:
        return (
            f"settings file not found: this folder is inside the column at {above}; "
            f"run the command there (cd {above}) or add --site {above}"
        )
    return (
        "settings file not found: this folder is not a column; run the command in the column's "
        "folder (the one `floor init` made, with pelicanconf.py), add --site FOLDER, "
        "or start a column with `floor init FOLDER`"
    )


def read_conf(path: Path) -> dict[str, Any]:
    """Execute a Pelican settings file and return its upper-case names."""
    path = Path(path)
    if not path.exists():
        raise FloorError(_not_found(path), path=path)
    site = str(path.parent.resolve())
    added = site not in sys.path
    if added:
        sys.path.insert(0, site)
    stale = sys.modules.pop("pelicanconf", None)  # publishconf imports it by name
    for name in _SETTINGS_MODULES.pop(site, ()):  # read an edited helper module again, not the copy
        sys.modules.pop(name, None)
    before = set(sys.modules)
    try:
        namespace = runpy.run_path(str(path))
    except FloorError:
        raise
    except Exception as exc:  # the author's Python: report it, don't crash
        raise FloorError(f"cannot be loaded: {type(exc).__name__}: {exc}", path=path) from None
    finally:
        _SETTINGS_MODULES[site] = [
            name for name in set(sys.modules) - before if _module_file(sys.modules[name], site) is not None
        ]
        sys.modules.pop("pelicanconf", None)
        if stale is not None:
            sys.modules["pelicanconf"] = stale
        if added:
            sys.path.remove(site)
    return {k: v for k, v in namespace.items() if k.isupper()}


# the site's own modules a settings file imported (site folder → module names), forgotten before the
# next read so a long-lived process (floor serve --live, the tests) reads an edited one again
_SETTINGS_MODULES: dict[str, list[str]] = {}


def _module_file(module: object, site: str) -> Path | None:
    """The module's source file when it lies in the site's folder (not in an environment inside it)."""
    name = getattr(module, "__file__", None)
    if not isinstance(name, str):
        return None
    file = os.path.abspath(name)
    if os.path.commonpath([file, site]) != site or "site-packages" in Path(file).parts:
        return None
    kit = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if any(os.path.commonpath([file, p]) == p for p in {kit, os.path.abspath(sys.prefix)}):
        return None
    return Path(file)


def site_module_files(site_root: Path) -> list[Path]:
    """The site's own Python files this process has imported (a settings module in a subfolder …).

    They are build inputs: ``pelicanconf.py`` may take its values from them.
    """
    site = str(Path(site_root).resolve())
    files = {_module_file(module, site) for module in list(sys.modules.values())}
    return sorted(f for f in files if f is not None)


def from_mapping(raw: dict[str, Any], path: Path) -> FloorSettings:
    """Validate the FLOOR_ settings; each problem names the setting."""
    conf = {**DEFAULTS, **raw}
    try:
        tz = ZoneInfo(str(conf["TIMEZONE"]))
    except (ZoneInfoNotFoundError, ValueError):
        raise FloorError(
            f"{conf['TIMEZONE']!r} is not an IANA time zone name (e.g. 'Europe/London')",
            path=path,
            field="TIMEZONE",
        ) from None
    weekday = _weekday(conf["FLOOR_PUBLISH_WEEKDAY"], path)
    publish_time = _time(conf["FLOOR_PUBLISH_TIME"], path)
    per_post = conf["FLOOR_QUESTIONS_PER_POST"]
    if isinstance(per_post, bool) or not isinstance(per_post, int) or per_post < 1:
        raise FloorError(
            f"{per_post!r} must be a whole number of 1 or more",
            path=path,
            field="FLOOR_QUESTIONS_PER_POST",
        )
    skips = conf["FLOOR_SKIP_DATES"] or []
    if isinstance(skips, (str, dt.date)):
        skips = [skips]
    if not isinstance(skips, (list, tuple, set, frozenset)):
        raise FloorError(
            f"{skips!r} must be a list of dates ('YYYY-MM-DD' strings or datetime.date)",
            path=path,
            field="FLOOR_SKIP_DATES",
        )
    catch_up = str(conf["FLOOR_CATCH_UP"]).strip().lower()
    if catch_up not in ("one", "all"):
        raise FloorError(
            f"{conf['FLOOR_CATCH_UP']!r} must be 'one' or 'all'",
            path=path,
            field="FLOOR_CATCH_UP",
        )
    title = str(conf["FLOOR_TITLE"])
    try:
        title.format(number=1, question="?")
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        raise FloorError(
            f"{title!r} is not a valid pattern ({exc}); use {{number}} and {{question}}",
            path=path,
            field="FLOOR_TITLE",
        ) from None
    start = conf["FLOOR_START"]
    return FloorSettings(
        timezone=tz,
        weekday=weekday,
        publish_time=publish_time,
        questions_per_post=per_post,
        skip_dates=frozenset(_as_date(d, "FLOOR_SKIP_DATES", path) for d in skips),
        start=_as_date(start, "FLOOR_START", path) if start else None,
        catch_up=catch_up,
        title=title,
        raw=conf,
    )


def load(path: Path) -> FloorSettings:
    return from_mapping(read_conf(path), Path(path))


# --- secrets: never in a settings file --------------------------------------------
# Pelican pickles its settings into CACHE_PATH (.cache/) with every cached page, and
# the weekly job uploads that cache as an artifact; a site's repository is usually
# public too. So a setting that holds a secret is refused, whatever its value came from.
_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|CREDENTIAL|PRIVATE|(?:^|_)(?:API)?KEY$")
# Public by design: the column's age recipient, anything named PUBLIC, a captcha's site key.
_PUBLIC_NAME = re.compile(r"PUBLIC|RECIPIENT|SITE_?KEY$")
_SECRET_VALUE = re.compile(r"^AGE-SECRET-KEY-1|^-----BEGIN [A-Z ]*PRIVATE KEY-----")
# The kit's own secrets, each read from the environment variable of the same name at run time.
FROM_ENVIRONMENT = ("FLOOR_SMTP_PASSWORD", "GITHUB_TOKEN")


def secret_settings(raw: dict[str, Any], path: Path) -> list[FloorError]:
    """A problem for every setting that holds a password, token, secret or private key."""
    problems: list[FloorError] = []
    for name, value in raw.items():
        if not isinstance(value, (str, bytes)) or not value:
            continue  # None, "" and False are placeholders, not secrets
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        named = _SECRET_NAME.search(name) and not _PUBLIC_NAME.search(name)
        if not (named or _SECRET_VALUE.match(text.strip())) or text.startswith("age1"):
            continue
        fix = (
            f"delete it and set the environment variable {name} instead (a CI secret in the workflow); "
            "the kit reads it from there at run time"
            if name in FROM_ENVIRONMENT
            else "delete it and have whatever needs it read it from an environment variable at run time"
        )
        problems.append(
            FloorError(
                "looks like a secret: a settings file is committed to git, and Pelican copies every "
                f"setting into .cache/, which the weekly job uploads; {fix}",
                path=path,
                field=name,
            )
        )
    return problems


def phone_region(raw: Mapping[str, Any]) -> str | None:
    """Where a phone number written nationally (``07700 900456``) is placed: an ISO region code.

    ``FLOOR_PHONE_REGION`` ("GB", "DE" …; None or "" for none), else the
    country of the site's ``TIMEZONE`` in the time-zone database's zone.tab.
    Intake masks numbers with it, and the contact guard and ``floor check``
    read a reader's number with it, so ``07700 900456`` given by a reader of a
    British column is also found written ``+44 7700 900456``, and not taken
    for ``+49 7700 900456``.
    """
    if "FLOOR_PHONE_REGION" in raw:
        value = raw["FLOOR_PHONE_REGION"]
        return value.strip().upper() if isinstance(value, str) and value.strip() else None
    return _zone_countries().get(str(raw.get("TIMEZONE") or DEFAULTS.get("TIMEZONE") or ""))


@functools.cache
def _zone_countries() -> dict[str, str]:
    """Time zone → ISO country code, from tzdata's zone.tab (a zone shared by countries: the first)."""
    from importlib import resources  # (here: with tempfile, shutil and random, not at every start)

    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return {}
    found: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not line.startswith("#"):
            found.setdefault(parts[2], parts[0])
    return found


# --- plugin names of an older kit ---------------------------------------------------
# Sites made by `floor init` before the kit became one Pelican plugin list its three parts
# by their old module paths, which this kit no longer has: Pelican would stop with "Cannot
# load plugin". They are named here so the build and `floor check` say what to do, and
# `floor upgrade` (commands/kit_pin.py) rewrites them to the one entry.
OLD_PLUGIN_ENTRIES = ("from_the_floor.plugin", "from_the_floor.reader_site", "from_the_floor.retirement")
ONE_PLUGIN_ENTRY = "pelican.plugins.from_the_floor"


def old_plugin_entries(raw: Mapping[str, Any]) -> list[str]:
    """The entries of ``PLUGINS`` that are an older kit's module paths, in the file's order."""
    plugins = raw.get("PLUGINS") or ()
    names = [str(p) for p in plugins] if isinstance(plugins, (list, tuple)) else []
    return [name for name in names if name in OLD_PLUGIN_ENTRIES]


def old_plugins_error(raw: Mapping[str, Any], path: Path) -> FloorError | None:
    """The one-line error for a ``PLUGINS`` list written by an older kit (None when it is not)."""
    old = old_plugin_entries(raw)
    if not old:
        return None
    return FloorError(
        f"{', '.join(map(repr, old))}: an older kit's name for its parts, which this kit no "
        f'longer has; it is one entry now, PLUGINS = ["{ONE_PLUGIN_ENTRY}"]: run `floor upgrade`, '
        "which writes it",
        path=path,
        field="PLUGINS",
    )
