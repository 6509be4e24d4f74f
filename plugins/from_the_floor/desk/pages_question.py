"""A question's page: the reader's question, the two answer fields with a live preview, and
every change `floor answer/decline/hold/release/set/split/merge` makes, through the same functions."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..commands import questions
from ..core import journal, readers_file, sealing
from ..core import queue as queue_mod
from ..core import retire as retire_mod
from ..core.question import Question, read_text
from ..errors import FloorError
from ..intake import duplicates
from ..intake import merge as merge_mod
from ..intake import split as split_mod
from ..web import render
from . import post_frame
from .app import TEMPLATES, Desk, action, back, page, preview_response, site_language


def routes() -> list[Route]:
    return [
        Route("/q/{qid}", question_page, methods=["GET"]),
        Route("/q/{qid}/preview", preview_page, methods=["GET"]),
        Route("/q/{qid}/preview", action(preview_fragment), methods=["POST"]),
        Route("/q/{qid}/save", action(save), methods=["POST"]),
        Route("/q/{qid}/decline", action(decline), methods=["POST"]),
        Route("/q/{qid}/undecline", action(undecline), methods=["POST"]),
        Route("/q/{qid}/hold", action(hold), methods=["POST"]),
        Route("/q/{qid}/release", action(release), methods=["POST"]),
        Route("/q/{qid}/set", action(set_fields), methods=["POST"]),
        Route("/q/{qid}/contact", action(contact), methods=["POST"]),
        Route("/q/{qid}/split", action(split), methods=["POST"]),
        Route("/q/{qid}/merge", action(merge), methods=["POST"]),
    ]


def _where(qid: str) -> str:
    return f"/q/{qid}"


def _alike_index(desk: Desk, loaded: queue_mod.Queue, others: list[Question]) -> duplicates.Index:
    """The questions a page may name as alike, indexed once and kept for the next question's page
    while no file has changed (the load's generation): indexing 10,000 questions takes about
    0.4 s, and looking one question up in the index a few milliseconds."""
    key = (desk.site, loaded.generation)
    kept = desk.alike_index
    if loaded.generation is not None and kept is not None and kept[0] == key:
        return kept[1]
    index = merge_mod.suggestion_index(others)
    desk.alike_index = (key, index)
    return index


def _context(desk: Desk, q: Question, **extra: Any) -> dict[str, Any]:
    loaded = queue_mod.load(desk.site)
    others = [*loaded.queued, *loaded.published]
    text = read_text(q.path)
    context = {
        "title": q.question,
        "q": q,
        "status": q.status,
        "digest": questions.digest(text),
        "quick": q.quick_answer or "",
        "body": q.body,
        "asked_by": q.asked_by,
        "readers": [
            {"n": n, "asker": e.asker, "credit": e.credit, "question": e.question, "asked": e.asked}
            for n, e in enumerate(readers_file.everyone(desk.site.questions_dir, q), start=1)
        ],
        "suggestions": merge_mod.suggestions(q, others, index=_alike_index(desk, loaded, others)),
        "can_open": desk.site.keys.can_open,
        "has_contact": bool(q.contact) or q.more_readers > 0 or any(e.contact for e in q.also_asked_by),
        "contacts": None,
        "conflict": None,
        "busy": None,  # a Save that found the site lock held (_busy): why it is not saved yet
        "refused": None,  # a field refused: {"field": its name, "message": why} (_refused_field)
        "typed": None,  # what the refused form held, shown again in its fields
        "preview": render.post_html([q], site_language(desk)),
        # a retired column publishes nothing: said where the answer is typed, as the Queue says it
        "retired": retire_mod.state(desk.site),
    }
    context.update(extra)
    return context


def question_page(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    post = questions.published_post(desk.site, request.path_params["qid"])
    if post is not None:
        return page(request, "post.html", **_post_context(desk, post))
    q = questions.find(desk.site, request.path_params["qid"])
    return page(request, "question.html", **_context(desk, q))


def _post_context(desk: Desk, post: Question, **extra: Any) -> dict[str, Any]:
    """A published post's page: its quick answer to write; the rest is the published record."""
    context = {
        "title": post.question,
        "q": post,
        # in the site's zone, as the schedule says it ("CET"): the file's fixed offset reads "UTC+01:00"
        "published": post.date.astimezone(desk.site.settings.timezone) if post.date else None,
        "digest": questions.digest(read_text(post.path)),
        "quick": post.quick_answer or "",
        "conflict": None,
        "busy": None,
    }
    context.update(extra)
    return context


def _save_published(request: Request, desk: Desk, post: Question, fields: dict) -> Response:
    """A published post's quick answer (`floor check` warns while it is empty), refused if the file
    changed since the page was opened: the typed text stays in the field, the file as it is shown."""
    quick = " ".join(fields.get("quick", "").split())
    if quick == (post.quick_answer or ""):
        return back(request, _where(post.id), "done", "no changes saved")
    try:
        saved = questions.answer_published(desk.site, post.id, quick, expected=fields.get("digest"))
    except journal.SiteBusy as busy:
        digest = fields.get("digest") or questions.digest(read_text(post.path))
        context = _post_context(desk, post, quick=quick, digest=digest, busy=BUSY.format(seconds=busy.waited))
        return page(request, "post.html", http_status=503, **context)
    except FloorError as exc:
        current = questions.published_post(desk.site, post.id) or post
        conflict = {"message": exc.message, "quick": current.quick_answer or ""}
        context = _post_context(desk, current, quick=quick, conflict=conflict)
        return page(request, "post.html", http_status=409, **context)
    return back(
        request,
        _where(saved.id),
        "done",
        f"Saved the quick answer of published post #{saved.number}. "
        "The site shows it after the next build; Push sends it to the repository.",
    )


def _draft(q: Question, fields: dict) -> Question:
    """The question as the fields say, not yet saved (for the preview)."""
    quick = fields.get("quick")
    body = fields.get("body")
    return dataclasses.replace(
        q,
        quick_answer=" ".join(quick.split()) if quick is not None else q.quick_answer,
        body=body.replace("\r\n", "\n") if body is not None else q.body,
    )


def preview_page(request: Request) -> Response:
    """The post as the site shows it, in the site's own stylesheet (the question page frames it)."""
    desk: Desk = request.app.state.desk
    q = questions.find(desk.site, request.path_params["qid"])
    try:
        return preview_response(desk.pages.render(q, desk.now()))
    except FloorError as exc:  # the site does not build now: the post alone, and why
        problem = exc.message
    frame = post_frame.frame_for(desk.site, q.id, desk.now())
    html = TEMPLATES.get_template("preview.html").render(
        title=q.question, frame=frame, post=render.post_html([q], site_language(desk)), problem=problem
    )
    return preview_response(html)


def preview_fragment(request: Request, fields: dict, _files: list) -> Response:
    """What the live preview swaps in while the author types: the same function as the build's."""
    desk: Desk = request.app.state.desk
    q = questions.find(desk.site, request.path_params["qid"])
    return HTMLResponse(render.post_html([_draft(q, fields)], site_language(desk)))


def save(request: Request, fields: dict, _files: list) -> Response:
    """`floor answer ID --quick … --body …`, refused (and kept aside) if the file changed since."""
    desk: Desk = request.app.state.desk
    qid = request.path_params["qid"]
    post = questions.published_post(desk.site, qid)
    if post is not None:
        return _save_published(request, desk, post, fields)
    try:
        before = questions.find(desk.site, qid)
        quick, body = _changed(before, fields.get("quick", ""), fields.get("body", ""))
        q = questions.answer(desk.site, qid, quick, body, expected=fields.get("digest"))
    except journal.SiteBusy as busy:
        return _busy(request, desk, before, fields, busy.waited)
    except FloorError as exc:
        current = questions.find(desk.site, qid)
        typed = _draft(current, fields)
        return page(
            request,
            "question.html",
            http_status=409,
            **_context(
                desk,
                current,
                quick=typed.quick_answer or "",
                body=typed.body,
                conflict={
                    "message": _in_the_site(desk, exc.message),
                    "quick": current.quick_answer or "",
                    "body": current.body,
                },
                preview=render.post_html([typed], site_language(desk)),
            ),
        )
    return back(
        request,
        _where(q.id),
        "done",
        f"Saved. {questions.done_line(q, questions.question_words(q.question))}",
    )


BUSY = (
    "Not saved yet: the site is busy. Another floor command (a publish, an intake, an edit) "
    "is changing its files, and the desk waited {seconds:g} seconds for it. Your text is still "
    "in the fields, and nothing was written: press Save again in a moment."
)


def _busy(request: Request, desk: Desk, q: Question, fields: dict, waited: float) -> Response:
    """A Save made while another command holds the site lock: the page again, with the typed text
    and the digest it was typed against (a retry that finds the file changed by that command
    stops at the conflict, as any Save would), and a note saying so. Status 503: try again."""
    typed = _draft(q, fields)
    return page(
        request,
        "question.html",
        http_status=503,
        **_context(
            desk,
            q,
            quick=typed.quick_answer or "",
            body=typed.body,
            digest=fields.get("digest") or questions.digest(read_text(q.path)),
            busy=BUSY.format(seconds=waited),
            preview=render.post_html([typed], site_language(desk)),
        ),
    )


def _in_the_site(desk: Desk, message: str) -> str:
    """Paths in a message as the author finds them in their site folder (questions/…), not the
    computer's absolute paths: the desk's page says where to look, not where the disk is."""
    root = str(desk.site.root.resolve()).rstrip("/") + "/"
    return message.replace(root, "").replace(str(desk.site.root).rstrip("/") + "/", "")


def _changed(q: Question, quick: str, body: str) -> tuple[str | None, str | None]:
    """Only the answers the author changed (None: leave as is), so an unchanged Save writes nothing.

    A browser sends a textarea's lines with CRLF and may drop the last line break.
    """
    new_quick = None if " ".join(quick.split()) == (q.quick_answer or "") else quick
    text = body.replace("\r\n", "\n")
    new_body = None if text.rstrip("\n") == q.body.replace("\r\n", "\n").rstrip("\n") else text
    return new_quick, new_body


def _one(request: Request, change) -> Response:
    """Run one change; its message (or its error) is shown on the question's page."""
    qid = request.path_params["qid"]
    try:
        q = change()
    except FloorError as exc:
        return back(request, _where(qid), "error", exc.message)
    return back(request, _where(q.id), "done", questions.done_line(q))


def decline(request: Request, fields: dict, _files: list) -> Response:
    desk: Desk = request.app.state.desk
    qid = request.path_params["qid"]
    try:
        q = questions.decline(desk.site, qid, fields.get("reason", ""))
    except FloorError as exc:
        if exc.field == "declined":  # no reason given (a browser without `required`): at the field
            return _refused_field(request, desk, qid, "reason", exc, fields)
        return back(request, _where(qid), "error", exc.message)
    return back(request, _where(q.id), "done", questions.done_line(q))


# The fields a question's page refuses one by one: the form field's name → the words its label says
FIELD_LABELS = {
    "priority": "Priority",
    "pin": "Pin to a date",
    "not_before": "Not before",
    "tags": "Tags",
    "reason": "Private reason for declining",
}


def _refused_field(
    request: Request, desk: Desk, qid: str, name: str, exc: FloorError, fields: dict
) -> Response:
    """The question's page again, the field at fault marked and tied to why (aria-invalid,
    aria-describedby), focused, and holding what was typed, so nothing typed is lost.

    A redirect's note at the top of the page named the field by its key (``not_before: …``)
    and the field showed the saved value again: a screen reader on the field heard nothing."""
    q = questions.find(desk.site, qid)
    typed = {key: fields.get(key, "") for key in FIELD_LABELS}
    refused = {"field": name, "message": f"{FIELD_LABELS[name]}: {exc.said or exc.problem}"}
    return page(request, "question.html", http_status=422, **_context(desk, q, refused=refused, typed=typed))


def undecline(request: Request, fields: dict, _files: list) -> Response:
    desk: Desk = request.app.state.desk
    return _one(request, lambda: questions.undecline(desk.site, request.path_params["qid"]))


def hold(request: Request, fields: dict, _files: list) -> Response:
    desk: Desk = request.app.state.desk
    return _one(request, lambda: questions.hold(desk.site, request.path_params["qid"]))


def release(request: Request, fields: dict, _files: list) -> Response:
    desk: Desk = request.app.state.desk
    return _one(request, lambda: questions.release(desk.site, request.path_params["qid"]))


def set_fields(request: Request, fields: dict, _files: list) -> Response:
    """`floor set ID --priority … --pin … --not-before … --tags …`: the fields the form shows."""
    desk: Desk = request.app.state.desk
    qid = request.path_params["qid"]
    try:
        values = {
            "priority": questions.parse_priority(fields.get("priority", "")),
            "pin": questions.parse_date(fields.get("pin", ""), "pin"),
            "not_before": questions.parse_date(fields.get("not_before", ""), "not_before"),
        }
    except FloorError as exc:  # a value the browser's own check let through (or no browser check)
        return _refused_field(request, desk, qid, exc.field or "priority", exc, fields)

    def change() -> Question:
        # The Tags field shows the tags joined by commas: a tag that holds a comma, a line break or
        # a control character (a reader's, or a hand-edited file's) would come back changed, split
        # in two, when the author only set a priority. A field left as it was shown changes nothing.
        tags = questions.parse_tags(fields.get("tags", ""))
        if tags != questions.parse_tags(", ".join(questions.find(desk.site, qid).tags)):
            values["tags"] = tags
        return questions.set_fields(desk.site, qid, values)

    return _one(request, change)


def contact(request: Request, fields: dict, _files: list) -> Response:
    """The readers' contacts, opened with the private key for this one response only.

    A POST (an explicit click, with the CSRF token): never in a GET page, never
    in a redirect's note, and every response says no-store.
    """
    desk: Desk = request.app.state.desk
    q = questions.find(desk.site, request.path_params["qid"])
    keys = desk.site.keys
    if not keys.can_open:
        return back(request, _where(q.id), "error", "the contacts stay sealed: " + sealing.NO_KEY_FIX)

    def opened(value: str | None) -> str:
        if not value:
            return "none"
        text = keys.open(value, where=q.path) or ""
        return text + ("" if sealing.is_sealed(value) else " (plain text: run floor seal)")

    found = [{"who": q.asker or "anonymous", "contact": opened(q.contact)}]
    found += [
        {"who": e.asker or "anonymous", "contact": opened(e.contact)}
        for e in readers_file.everyone(desk.site.questions_dir, q)
    ]
    return page(request, "question.html", **_context(desk, q, contacts=found))


def split(request: Request, fields: dict, _files: list) -> Response:
    """`floor split ID --entry N`."""
    desk: Desk = request.app.state.desk
    qid = request.path_params["qid"]
    try:
        entry = int(fields.get("entry", ""))
        new_id, reader = split_mod.split(desk.site, qid, entry)
    except ValueError:
        return back(request, _where(qid), "error", "choose which merged reader to split off")
    except FloorError as exc:
        return back(request, _where(qid), "error", exc.message)
    return back(request, _where(qid), "done", f"split off {new_id}: {reader.question}")


def merge(request: Request, fields: dict, _files: list) -> Response:
    """`floor merge ID --into OTHER`: this question joins the one it repeats."""
    desk: Desk = request.app.state.desk
    qid = request.path_params["qid"]
    into = fields.get("into", "")
    try:
        target = merge_mod.merge(desk.site, qid, into)
    except FloorError as exc:
        return back(request, _where(qid), "error", exc.message)
    where = "/" if target.published else _where(target.id)
    return back(request, where, "done", merge_mod.merged_line(qid, target))
