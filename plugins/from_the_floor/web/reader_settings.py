"""The reader-facing FLOOR_ settings — asking, comments, sharing, search, feeds — validated.

They come from the same pelicanconf.py mapping as the schedule settings, and
each problem names its setting, so a typo fails the build with one clear
line instead of a page that quietly points nowhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..core.i18n import ENGLISH, Language, for_settings
from ..core.settings import READER_SITE_DEFAULTS
from ..errors import FloorError

ASK_CHANNELS = ("mailto", "form", "github", "none")
COMMENT_PROVIDERS = ("none", "giscus", "isso")
SHARE_SERVICES = ("email", "bluesky", "linkedin", "reddit", "hackernews")
PAGE_NAMES = ("ask", "stats", "comment_policy", "search")

DEFAULTS = READER_SITE_DEFAULTS  # from the one registry, core/settings.py

DEFAULT_PAGE_PATHS = {
    "ask": "ask/",
    "stats": "stats/",
    "comment_policy": "comment-policy/",
    "search": "search/",
}


def mailto_body(lang: Language = ENGLISH) -> str:
    """The template a reader's mail program opens with, in the column's language."""
    return (
        lang.gettext("My question:")
        + "\n\n\n"
        + lang.gettext("More detail (optional):")
        + "\n\n\n"
        + lang.gettext("Name to show with the question (leave empty to stay anonymous):")
        + "\n"
    )


MAILTO_BODY = mailto_body()

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
_HTTP = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
_ATTR = re.compile(r"^[a-z][a-z0-9-]*$")


def is_email(text: str) -> bool:
    """The address shape FLOOR_ASK_EMAIL must have (floor init checks an answer with it too)."""
    return bool(_EMAIL.match(text))


def is_repo(text: str) -> bool:
    """GitHub's ``owner/name`` shape, as FLOOR_ASK_GITHUB_REPO must be."""
    return bool(_REPO.match(text))


@dataclass(frozen=True)
class Ask:
    """How readers send a question: the channel and where it leads."""

    channel: str
    url: str | None = None  # the mailto: or GitHub link, or the form's action
    email: str | None = None
    repo: str | None = None

    @property
    def is_open(self) -> bool:
        return self.channel != "none"


@dataclass(frozen=True)
class Comments:
    """The comment provider, whether comments are open site-wide, and how to load them."""

    provider: str
    open: bool
    script: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    fallback_url: str | None = None  # where comments can be read without JavaScript

    @property
    def enabled(self) -> bool:
        return self.provider != "none"

    def open_for(self, closed_here: bool) -> bool:
        """Open on one post: a provider, open site-wide, and not closed by the post."""
        return self.enabled and self.open and not closed_here

    @property
    def host(self) -> str | None:
        """The host a reader's browser contacts when comments load (told before they do)."""
        match = _HTTP.match(self.script or "")
        return match.group(0).split("//", 1)[1] if match else None


@dataclass(frozen=True)
class ReaderSettings:
    """Everything the reader-facing pages need to know from the settings."""

    ask: Ask
    comments: Comments
    share: tuple[str, ...]
    related: int
    series_jump: int
    search: bool
    tag_feeds: bool
    tag_feed_items: int
    json_feed: str | None
    sitemap: bool | None  # None: only when the column is the whole site (core/site_scope.py)
    robots: bool | None
    about_slug: str
    pages: dict[str, str] = field(default_factory=dict)  # name → URL path ("ask/")
    publisher: dict[str, str] | None = None
    description: str = ""
    not_found_page: bool | None = None  # the kit's 404.html; None as for sitemap
    stable_pagination: bool = False  # list pages cut from the oldest post (web/pagination.py)


def _fail(message: str, name: str, path: Path) -> FloorError:
    return FloorError(message, path=path, field=name)


def _choice(conf: dict, name: str, choices: tuple[str, ...], path: Path) -> str:
    value = str(conf[name] if conf[name] is not None else "none").strip().lower()
    if value not in choices:
        raise _fail(f"{conf[name]!r} must be one of: {', '.join(choices)}", name, path)
    return value


def _bool(conf: dict, name: str, path: Path) -> bool:
    value = conf[name]
    if not isinstance(value, bool):
        raise _fail(f"{value!r} must be True or False", name, path)
    return value


def _maybe_bool(conf: dict, name: str, path: Path) -> bool | None:
    value = conf[name]
    if value is not None and not isinstance(value, bool):
        raise _fail(
            f"{value!r} must be True, False or None (None: only when the column is the whole site)",
            name,
            path,
        )
    return value


def _count(conf: dict, name: str, path: Path, minimum: int) -> int:
    value = conf[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(f"{value!r} must be a whole number of {minimum} or more", name, path)
    return value


def _mapping(conf: dict, name: str, path: Path) -> dict[str, Any]:
    value = conf[name] or {}
    if not isinstance(value, dict):
        raise _fail(f"{value!r} must be a dict", name, path)
    return value


def mailto_url(email: str, subject: str, body: str = MAILTO_BODY) -> str:
    """A mailto: link with a prefilled subject and body (RFC 6068: %20 for spaces)."""
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def github_issue_url(repo: str, template: str) -> str:
    """GitHub's "new issue" page with the question form already chosen."""
    return f"https://github.com/{repo}/issues/new?template={quote(template, safe='')}"


def _ask(conf: dict, path: Path, lang: Language = ENGLISH) -> Ask:
    channel = _choice(conf, "FLOOR_ASK_CHANNEL", ASK_CHANNELS, path)
    if channel == "mailto":
        email = str(conf["FLOOR_ASK_EMAIL"] or "").strip()
        if not is_email(email):
            raise _fail(
                f"{email!r} is not an email address; FLOOR_ASK_CHANNEL = 'mailto' needs one",
                "FLOOR_ASK_EMAIL",
                path,
            )
        try:
            pattern = str(conf["FLOOR_ASK_SUBJECT"])
            if pattern == DEFAULTS["FLOOR_ASK_SUBJECT"]:  # the kit's words: in the column's language
                pattern = lang.gettext("A question for {sitename}")
            subject = pattern.format(sitename=conf.get("SITENAME", ""))
        except (KeyError, IndexError, ValueError) as exc:
            raise _fail(
                f"is not a valid pattern ({exc}); use {{sitename}}", "FLOOR_ASK_SUBJECT", path
            ) from None
        return Ask(channel, url=mailto_url(email, subject, mailto_body(lang)), email=email)
    if channel == "form":
        url = str(conf["FLOOR_ASK_FORM_URL"] or "").strip()
        if not _HTTP.match(url):
            raise _fail(
                f"{url!r} is not an http(s) URL; FLOOR_ASK_CHANNEL = 'form' needs the form's endpoint",
                "FLOOR_ASK_FORM_URL",
                path,
            )
        return Ask(channel, url=url)
    if channel == "github":
        repo = str(conf["FLOOR_ASK_GITHUB_REPO"] or "").strip()
        if not is_repo(repo):
            raise _fail(
                f"{repo!r} is not 'owner/name'; FLOOR_ASK_CHANNEL = 'github' needs the repository",
                "FLOOR_ASK_GITHUB_REPO",
                path,
            )
        template = str(conf["FLOOR_ASK_GITHUB_TEMPLATE"] or "question.yml")
        return Ask(channel, url=github_issue_url(repo, template), repo=repo)
    return Ask("none")


def _data_attributes(values: dict[str, Any], prefix: str, name: str, path: Path) -> list[tuple[str, str]]:
    """``{"repo-id": "…"}`` or ``{"data-repo-id": "…"}`` → ``[("data-repo-id", "…")]``."""
    out = []
    for key, value in values.items():
        attr = str(key).strip().lower().removeprefix("data-")
        if not _ATTR.match(attr):
            raise _fail(f"{key!r} is not an attribute name (letters, digits, '-')", name, path)
        if not attr.startswith(prefix):
            attr = prefix + attr
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        out.append((f"data-{attr}", text))
    return out


GISCUS_DEFAULTS = {
    "mapping": "pathname",
    "strict": "1",
    "reactions-enabled": "1",
    "emit-metadata": "0",
    "input-position": "top",
    "theme": "preferred_color_scheme",
    "lang": "en",
    "loading": "lazy",
}


def _comments(conf: dict, path: Path) -> Comments:
    provider = _choice(conf, "FLOOR_COMMENTS", COMMENT_PROVIDERS, path)
    is_open = _bool(conf, "FLOOR_COMMENTS_OPEN", path)
    if provider == "giscus":
        given = {
            str(k).lower().removeprefix("data-"): v for k, v in _mapping(conf, "FLOOR_GISCUS", path).items()
        }
        missing = [k for k in ("repo", "repo-id", "category", "category-id") if not given.get(k)]
        if missing:
            raise _fail(
                f"is missing {', '.join(missing)} (copy them from https://giscus.app)", "FLOOR_GISCUS", path
            )
        if not _REPO.match(str(given["repo"])):
            raise _fail(f"{given['repo']!r} is not 'owner/name'", "FLOOR_GISCUS", path)
        attrs = _data_attributes({**GISCUS_DEFAULTS, **given}, "", "FLOOR_GISCUS", path)
        return Comments(
            provider,
            is_open,
            script="https://giscus.app/client.js",
            attributes=tuple(attrs),
            fallback_url=f"https://github.com/{given['repo']}/discussions",
        )
    if provider == "isso":
        given = dict(_mapping(conf, "FLOOR_ISSO", path))
        url = str(given.pop("url", "") or "").strip()
        if not (_HTTP.match(url) or url.startswith("/")):
            raise _fail(
                f"needs 'url': the Isso server's address (http(s)://… or /path/), got {url!r}",
                "FLOOR_ISSO",
                path,
            )
        url = url.rstrip("/") + "/"
        attrs = [("data-isso", url), *_data_attributes(given, "isso-", "FLOOR_ISSO", path)]
        return Comments(provider, is_open, script=url + "js/embed.min.js", attributes=tuple(attrs))
    return Comments("none", is_open)


def _share(conf: dict, path: Path) -> tuple[str, ...]:
    value = conf["FLOOR_SHARE"] or []
    if not isinstance(value, (list, tuple)):
        raise _fail(f"{value!r} must be a list such as ['email', 'bluesky']", "FLOOR_SHARE", path)
    services = tuple(str(v).strip().lower() for v in value)
    unknown = [s for s in services if s not in SHARE_SERVICES]
    if unknown:
        raise _fail(
            f"unknown service {unknown[0]!r}; choose from {', '.join(SHARE_SERVICES)}", "FLOOR_SHARE", path
        )
    return tuple(dict.fromkeys(services))


def _pages(conf: dict, path: Path) -> dict[str, str]:
    given = _mapping(conf, "FLOOR_PAGE_PATHS", path)
    unknown = [k for k in given if k not in PAGE_NAMES]
    if unknown:
        raise _fail(
            f"unknown page {unknown[0]!r}; pages are {', '.join(PAGE_NAMES)}", "FLOOR_PAGE_PATHS", path
        )
    pages = {}
    for name, default in DEFAULT_PAGE_PATHS.items():
        value = str(given.get(name, default)).strip().strip("/")
        if not value or ".." in value.split("/") or "\\" in value:
            raise _fail(f"{given.get(name)!r} is not a folder path such as 'ask/'", "FLOOR_PAGE_PATHS", path)
        pages[name] = value + "/"
    if len(set(pages.values())) != len(pages):
        raise _fail("two pages share one path", "FLOOR_PAGE_PATHS", path)
    return pages


def _publisher(conf: dict, path: Path) -> dict[str, str] | None:
    value = conf["FLOOR_PUBLISHER"]
    if value is None:
        return None
    if not isinstance(value, dict) or not value.get("name"):
        raise _fail("must be a dict with at least a 'name' (and '@type', 'url')", "FLOOR_PUBLISHER", path)
    kind = str(value.get("@type", value.get("type", "Organization")))
    if kind not in ("Person", "Organization"):
        raise _fail(f"'@type' must be 'Person' or 'Organization', got {kind!r}", "FLOOR_PUBLISHER", path)
    out = {"@type": kind, "name": str(value["name"])}
    if value.get("url"):
        out["url"] = str(value["url"])
    return out


def from_mapping(raw: dict[str, Any], path: Path = Path("pelicanconf.py")) -> ReaderSettings:
    """Validate the reader-site settings; the first unknown value fails with the setting's name."""
    errors: list[FloorError] = []
    settings = _read(raw, path, errors, for_settings(raw))
    if settings is None:
        raise errors[0]
    return settings


def problems(raw: dict[str, Any], path: Path = Path("pelicanconf.py")) -> list[FloorError]:
    """Every reader-site setting the build would refuse, not only the first.

    `floor check` lists them all, so an author fixes them in one go instead
    of meeting them one failed build at a time.
    """
    errors: list[FloorError] = []
    _read(raw, path, errors, ENGLISH)  # the language only words the pages: no catalogue (Babel) needed
    return errors


def _read(raw: dict[str, Any], path: Path, errors: list[FloorError], lang: Language) -> ReaderSettings | None:
    """The settings, or None with each problem appended to ``errors`` (in the order a build meets them)."""
    conf = {**DEFAULTS, **{k: v for k, v in raw.items() if k in DEFAULTS or k == "SITENAME"}}

    def take(read: Any, *args: Any) -> Any:
        try:
            return read(*args)
        except FloorError as exc:
            errors.append(exc)
            return None

    json_feed = conf["FLOOR_JSON_FEED"]
    if json_feed is not None and (not isinstance(json_feed, str) or not json_feed.strip("/ ")):
        errors.append(
            _fail(
                f"{json_feed!r} must be an output path such as 'feeds/all.json', or None",
                "FLOOR_JSON_FEED",
                path,
            )
        )
    from . import links  # imported when called: it brings the slugger, which most readers never need

    take(links.category_slug, conf, path)  # refused here, with the file, before any post is read
    settings = dict(
        ask=take(_ask, conf, path, lang),
        comments=take(_comments, conf, path),
        share=take(_share, conf, path),
        related=take(_count, conf, "FLOOR_RELATED", path, 0),
        series_jump=take(_count, conf, "FLOOR_SERIES_JUMP", path, 5),
        search=take(_bool, conf, "FLOOR_SEARCH", path),
        tag_feeds=take(_bool, conf, "FLOOR_TAG_FEEDS", path),
        tag_feed_items=take(_count, conf, "FLOOR_TAG_FEED_ITEMS", path, 1),
        sitemap=take(_maybe_bool, conf, "FLOOR_SITEMAP", path),
        robots=take(_maybe_bool, conf, "FLOOR_ROBOTS", path),
        not_found_page=take(_maybe_bool, conf, "FLOOR_NOT_FOUND_PAGE", path),
        pages=take(_pages, conf, path),
        publisher=take(_publisher, conf, path),
        stable_pagination=take(_bool, conf, "FLOOR_STABLE_PAGINATION", path),
    )
    if errors:
        return None
    return ReaderSettings(
        **settings,
        json_feed=json_feed.strip("/ ") if json_feed else None,
        about_slug=str(conf["FLOOR_ABOUT_SLUG"]),
        description=(
            lang.gettext("Questions from readers, answered one at a time.")
            if conf["FLOOR_DESCRIPTION"] == DEFAULTS["FLOOR_DESCRIPTION"]
            else str(conf["FLOOR_DESCRIPTION"] or "")
        ),
    )


# --- per-post options, read from a question file's extra keys -------------------------------

_CLOSED = {"closed", "close", "off", "no", "false"}
_OPEN = {"open", "on", "yes", "true"}


def comments_closed(value: Any, path: Path | None = None) -> bool:
    """A post's ``comments:`` key: ``closed`` (or false/off/no) closes it; missing or ``open`` doesn't."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return not value
    word = str(value).strip().lower()
    if word in _CLOSED:
        return True
    if word in _OPEN:
        return False
    raise FloorError(f"{value!r} must be 'open' or 'closed'", path=path, field="comments")


def modified_at(value: Any, tz: dt.tzinfo, path: Path | None = None) -> dt.datetime | None:
    """A post's optional ``modified:`` key (date or ISO date-time) as an aware datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0, 0))
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise FloorError(f"{value!r} is not an ISO 8601 date", path=path, field="modified") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)
