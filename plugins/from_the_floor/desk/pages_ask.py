"""Typing in a question heard at a talk or in a meeting: `floor ask`, as a form on the Take in page.

The question goes through the inbox like every intake channel (intake.clean masks a
contact typed into the text, the contact is sealed, a near-duplicate is merged as
another reader), so the desk files it exactly as the other ways in do. The contact
typed in is never shown back: not in the report, not in the form after a mistake.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..commands import questions
from ..core import clock
from ..core import retire as retire_mod
from ..errors import FloorError
from ..intake import duplicates, inbox, intake
from .app import Desk, action, back, page

# where the question was asked: the `source` field floor ask writes (the queue says "from …")
SOURCES = [
    ("talk", "At a talk or an event"),
    ("meeting", "In a meeting"),
    ("message", "In a direct message or chat"),
    ("email", "By email"),
    ("notes", "Other (notes)"),
]
LABEL = "the typed question"  # how the inbox names it if it has to be kept aside


def routes() -> list[Route]:
    return [Route("/intake/ask", action(ask), methods=["POST"])]


def blank(desk: Desk) -> dict[str, Any]:
    """The form as the Take in page first shows it: asked today, in the site's zone."""
    return {
        "question": "",
        "details": "",
        "asker": "",
        "credit": False,
        "notify": False,
        "tags": "",
        "asked": desk.now().date().isoformat(),
        "source": "talk",
        "had_contact": False,
    }


def ask(request: Request, fields: dict, _files: list) -> Response:
    """`floor ask`: the typed question filed by the inbox; what happened said in words."""
    desk: Desk = request.app.state.desk
    typed = _typed(fields)
    try:
        new = _new_question(desk, fields)
        respelled = intake.spell_tags_as_the_column(desk.site, new)
        outcomes = inbox.process(desk.site, [_message(new, fields)], desk.now())
    except FloorError as exc:
        return _again(request, typed, exc.message, field=exc.field, said=exc.said or exc.problem)
    outcome = outcomes[0]
    lines = [f"note: {note}" for note in outcome.notes]
    if respelled and outcome.action != "rejected":
        lines.append(f"note: {intake.respelled_note(respelled)}")
    if outcome.action == "rejected":
        where = outcome.path.relative_to(desk.site.root) if outcome.path else "questions/inbox/rejected"
        return _again(request, typed, f"not filed: {outcome.reason}; the question is kept in {where}")
    lines.append(_said(desk, outcome))
    return back(request, "/intake#ask-h", "done", lines)


def _typed(fields: dict) -> dict[str, Any]:
    """What the author typed, to fill the form again after a mistake (the contact left out)."""
    return {
        "question": fields.get("question", ""),
        "details": fields.get("details", ""),
        "asker": fields.get("asker", ""),
        "credit": fields.get("credit") == "on",
        "notify": fields.get("notify") == "on",
        "tags": fields.get("tags", ""),
        "asked": fields.get("asked", ""),
        "source": fields.get("source", "talk"),
        "had_contact": bool((fields.get("contact") or "").strip()),
    }


# the form's fields that a refusal can name (FloorError.field) → the id of their input, their label
ASK_FIELDS = {
    "question": ("ask-question", "The question"),
    "asked": ("ask-asked", "Asked on"),
    "contact": ("ask-contact", "Their contact"),
}


def _again(
    request: Request, typed: dict[str, Any], problem: str, *, field: str | None = None, said: str = ""
) -> Response:
    """The Take in page with the typed question still in the form, and why it was not filed.

    A refusal of one field marks that field (aria-invalid), ties it to the message
    (aria-describedby) and focuses it; any other refusal focuses the message."""
    return page(
        request,
        "intake.html",
        http_status=422,
        title="Take in questions",
        ask=typed,
        sources=SOURCES,
        # one field at fault: named by its label, not its key ("Their contact: …", not "contact: …")
        ask_problem=f"{ASK_FIELDS[field][1]}: {said}" if field in ASK_FIELDS else problem,
        ask_field=ASK_FIELDS[field][0] if field in ASK_FIELDS else None,
        retired=retire_mod.state(request.app.state.desk.site),
    )


def _new_question(desk: Desk, fields: dict) -> intake.NewQuestion:
    """The form as `floor ask`'s options, checked as the command checks them (nothing written yet)."""
    text = intake.clean_text(fields.get("question", ""))
    if not text:
        raise FloorError("type the question that was asked", field="question")
    contact = (fields.get("contact") or "").strip() or None
    notify = fields.get("notify") == "on"
    if notify and not contact:
        raise FloorError(
            "'wants to hear when the answer is up' needs their contact: where to send the note",
            field="contact",
        )
    asked_text = (fields.get("asked") or "").strip()
    if asked_text:
        try:
            asked = clock.parse_day(asked_text)
        except ValueError as exc:
            raise FloorError(str(exc), field="asked") from None
        if problem := clock.out_of_range(asked):
            raise FloorError(problem, field="asked")
    else:
        asked = desk.now().date()
    tags = questions.parse_tags(fields.get("tags", ""))
    source = (fields.get("source") or "").strip()
    return intake.NewQuestion(
        question=text,
        details=(fields.get("details") or "").replace("\r\n", "\n").strip() or None,
        asked=asked,
        asker=(fields.get("asker") or "").strip() or None,
        contact=contact,
        source=source if source in dict(SOURCES) else "notes",
        tags=tags if isinstance(tags, list) else [],
        credit=fields.get("credit") == "on",
        notify=notify,
    )


def _message(new: intake.NewQuestion, fields: dict) -> inbox.Message:
    """The form as an inbox message; its bytes are kept (sealed) only if it cannot be filed."""
    raw = json.dumps({k: v for k, v in fields.items() if k != "csrf"}, ensure_ascii=False)
    return inbox.Message(label=LABEL, raw=raw.encode("utf-8"), suffix=".json", new=new)


def _said(desk: Desk, outcome: inbox.Outcome) -> str:
    """One outcome in plain words; each `floor …` step becomes a desk link (words.py)."""
    qid = outcome.qid or ""
    published = (desk.site.posts_dir / f"{qid}.md").exists()
    if outcome.action == "added":
        return f"Added to the queue as question {qid}: “{outcome.question}”. Next: `floor answer {qid}`."
    if outcome.action == "merged":
        where = f"the published post {qid}" if published else f"question {qid}"
        alike = duplicates.how_alike(outcome.score)
        return (
            f"Not a new question: it reads like {where} (“{outcome.matched}”, {alike}), "
            f"so this reader joins it as reader {(outcome.entry or 0) + 1}. "
            # a published post's page has no Split off: words.py says that command is for a terminal
            + ("If it is not the same question: " if published else "Not the same question? ")
            + f"`floor split {qid} --entry {outcome.entry}`."
        )
    # "repeat": the same contact already asked this (a near-duplicate from the same reader)
    return f"Nothing added: the same reader already asked this as question {qid} (`floor show {qid}`)."
