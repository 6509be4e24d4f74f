"""Questions filed as GitHub issues: each open issue with the label becomes a question.

An issue made with the Ask page's issue form is read field by field
(:mod:`issue_form`): question, details, the name to show and the credit
consent. Any other issue: its title is the question, its body the details
(template comments removed), its author's login the asker (not credited).
Every field is checked against what the REST API sends before anything is
written: a wrong type is a rejection with its reason, never a stored repr.
The issue's address is the ``intake_id`` (the link back, and why nothing is
imported twice); the contact ``github:OWNER/NAME/issues/N`` is how
`floor notify` finds the issue to comment on and close.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

from ..errors import FloorError
from ..services.github_api import GitHub
from . import html_markdown, issue_form
from .inbox import Message
from .intake import NewQuestion

CONTACT_PREFIX = "github:"
_CONTACT = re.compile(r"^github:([^/\s]+/[^/\s]+)/issues/(\d+)$")


def contact_for(repo: str, number: int) -> str:
    return f"{CONTACT_PREFIX}{repo}/issues/{number}"


def parse_contact(contact: str) -> tuple[str, int] | None:
    """``github:OWNER/NAME/issues/N`` → (OWNER/NAME, N); anything else → None."""
    match = _CONTACT.match(contact.strip())
    return (match.group(1), int(match.group(2))) if match else None


EARLIEST = dt.date(2008, 1, 1)  # GitHub opened in 2008: an issue older than that is not a real one
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$")


class _Bad(ValueError):
    """One field of the issue is not what the REST API sends."""


def _text(issue: dict, key: str, *, required: bool = False) -> str:
    value = issue.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{key}: expected text, got {type(value).__name__}")
    return value


def _asked(created_at: object, tz: ZoneInfo, today: dt.date) -> dt.date:
    if not isinstance(created_at, str):
        raise _Bad(f"created_at: expected an ISO 8601 time, got {type(created_at).__name__}")
    try:
        moment = dt.datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        raise _Bad(f"created_at: {created_at[:40]!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    asked = moment.astimezone(tz).date()
    if not EARLIEST <= asked <= today + dt.timedelta(days=1):
        raise _Bad(f"created_at: {created_at[:40]!r} is not a plausible date (after today, or before GitHub)")
    return asked


def _login(issue: dict) -> str | None:
    user = issue.get("user")
    if user is None:
        return None  # a deleted account shows as "ghost" on the site; the API may send null
    if not isinstance(user, dict):
        raise _Bad(f"user: expected an object, got {type(user).__name__}")
    login = user.get("login")
    if not isinstance(login, str) or not _LOGIN.match(login):
        shown = type(login).__name__ if not isinstance(login, str) else repr(login[:40])
        raise _Bad(f"user.login: {shown} is not a GitHub login")
    return login


def to_message(
    issue: dict,
    repo: str,
    *,
    tz: ZoneInfo,
    today: dt.date,
    notify: bool,
    form: issue_form.Form | None = None,
) -> Message:
    """One issue (as the REST API sends it) → a Message; a field of the wrong type is a rejection."""
    number = issue.get("number")
    shown = number if isinstance(number, int) and not isinstance(number, bool) else "?"
    label = f"issue #{shown}"
    raw = json.dumps(issue, ensure_ascii=False, indent=1, default=repr).encode("utf-8")
    message = Message(label=label, raw=raw, suffix=".json")
    try:
        if shown == "?" or number <= 0:
            raise _Bad("number: the issue has no number")
        url = _text(issue, "html_url", required=True)
        if not url.startswith(("https://", "http://")):
            raise _Bad("html_url: the issue has no address")
        title = _text(issue, "title").strip()
        body = html_markdown.strip_comments(_text(issue, "body")).strip()
        login = _login(issue)
        asked = _asked(issue.get("created_at"), tz, today)
    except _Bad as exc:
        message.reason = str(exc)
        return message
    form = form or issue_form.load(issue_form.SHIPPED)
    question = issue_form.strip_title(title, form)
    filed, fields = issue_form.read(body, form) if body else (form, None)
    asker, credit, details = login, False, body or None
    if fields is not None:  # the Ask page's form: field by field
        question = str(fields.get("question") or "") or question
        details = str(fields.get("details") or "") or None
        asker = str(fields.get("asker") or "") or login
        credit = bool(fields.get("credit"))
        extra = issue_form.unread(body, filed)
        if extra:
            message.notes.append(f"ignored form field{'s' if len(extra) > 1 else ''}: {', '.join(extra)}")
    if not question:
        message.reason = "no question: the issue's title is empty, and so is any question field"
        return message
    message.new = NewQuestion(
        question=question,
        asked=asked,
        asker=asker or None,
        contact=contact_for(repo, number),
        source="issue",
        details=details,
        credit=credit,
        notify=notify,
        intake_id=url,
    )
    return message


DEFAULT_COMMENT = (
    "Thank you for your question. It is now in the queue for {site}; "
    "this issue will be closed with a link when the answer is published."
)


def comment_text(raw_settings: dict, enabled: bool | None) -> str | None:
    """The comment to leave on an issue taken in, or None (``FLOOR_GITHUB_INTAKE_COMMENT``; off by default).

    The setting is ``True`` (the default text), or the text itself with ``{site}``.
    """
    setting = raw_settings.get("FLOOR_GITHUB_INTAKE_COMMENT")
    if enabled is False or (enabled is None and not setting):
        return None
    template = setting if isinstance(setting, str) and setting.strip() else DEFAULT_COMMENT
    site = str(raw_settings.get("SITENAME") or "the column")
    return template.replace("{site}", site)


def comment_taken(api: GitHub, messages: list[Message], outcomes: list, text: str) -> list[str]:
    """Comment on each issue that was added or merged; the problems, one per issue that failed."""
    problems = []
    for message, outcome in zip(messages, outcomes, strict=True):
        if outcome.action not in ("added", "merged") or message.new is None:
            continue
        where = parse_contact(message.new.contact or "")
        if where is None:
            continue
        try:
            api.comment(where[0], where[1], text)
        except FloorError as exc:
            problems.append(f"{message.label}: {exc.message}")
    return problems


def read(
    api: GitHub,
    repo: str,
    label: str | None,
    *,
    tz: ZoneInfo,
    today: dt.date,
    notify: bool,
    form: issue_form.Form | None = None,
) -> list[Message]:
    """Every open issue with ``label``, as Messages (all fetched before anything is written)."""
    return [
        to_message(issue, repo, tz=tz, today=today, notify=notify, form=form)
        for issue in api.issues(repo, label)
    ]
