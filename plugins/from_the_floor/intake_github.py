"""Questions filed as GitHub issues: each open issue with the label becomes a question.

The issue's title is the question, its body the details (template comments
removed), its author's login the asker (not credited unless the author says
so later). The issue's address is the ``intake_id`` (the link back, and why
nothing is imported twice); the contact ``github:OWNER/NAME/issues/N`` is how
`floor notify` finds the issue to comment on and close.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

from . import html_markdown
from .github_api import GitHub
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


def _asked(created_at: str | None, tz: ZoneInfo, today: dt.date) -> dt.date:
    try:
        moment = dt.datetime.fromisoformat(str(created_at).replace("Z", "+00:00"))
    except ValueError:
        return today
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz).date()


def to_message(issue: dict, repo: str, *, tz: ZoneInfo, today: dt.date, notify: bool) -> Message:
    number = issue.get("number")
    label = f"issue #{number}"
    raw = json.dumps(issue, ensure_ascii=False, indent=1).encode("utf-8")
    message = Message(label=label, raw=raw, suffix=".json")
    title = str(issue.get("title") or "").strip()
    url = str(issue.get("html_url") or "")
    if not isinstance(number, int) or not url:
        message.reason = "the issue has no number or address"
        return message
    if not title:
        message.reason = "no question: the issue's title is empty"
        return message
    body = html_markdown.strip_comments(str(issue.get("body") or "")).strip()
    login = (issue.get("user") or {}).get("login") if isinstance(issue.get("user"), dict) else None
    message.new = NewQuestion(
        question=title,
        asked=_asked(issue.get("created_at"), tz, today),
        asker=login or None,
        contact=contact_for(repo, number),
        source="issue",
        details=body or None,
        notify=notify,
        intake_id=url,
    )
    return message


def read(
    api: GitHub, repo: str, label: str | None, *, tz: ZoneInfo, today: dt.date, notify: bool
) -> list[Message]:
    """Every open issue with ``label``, as Messages (fetched before anything is written)."""
    return [to_message(issue, repo, tz=tz, today=today, notify=notify) for issue in api.issues(repo, label)]
