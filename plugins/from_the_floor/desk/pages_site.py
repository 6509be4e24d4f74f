"""The desk's site-wide pages: intake, the schedule and retirement, publishing, stats.

Each shows what its `floor` command prints, made by the same functions.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import paths
from ..commands import notify, report, retirement_switch, take_in, weekly
from ..commands import push as push_mod
from ..core import question as question_mod
from ..core import queue as queue_mod
from ..core import retire as retire_mod
from ..core import retire_switch, waiting, withdrawn
from ..core import schedule as schedule_mod
from ..core import stats as stats_mod
from ..errors import FloorError
from ..intake import importer
from ..services import gitops
from ..web import chart, render
from . import post_frame
from .app import TEMPLATES, Desk, action, back, page, preview_response, site_language


def routes() -> list[Route]:
    return [
        Route("/intake", intake_page, methods=["GET"]),
        Route("/intake", action(intake), methods=["POST"]),
        Route("/schedule", schedule_page, methods=["GET"]),
        Route("/retirement", action(retirement), methods=["POST"]),
        Route("/publish", publish_page, methods=["GET"]),
        Route("/publish/preview", publish_preview, methods=["GET"]),
        Route("/publish", action(publish), methods=["POST"]),
        Route("/push", action(push), methods=["POST"]),
        Route("/stats", stats_page, methods=["GET"]),
        Route("/stats/chart.svg", stats_chart, methods=["GET"]),
    ]


# --- intake ------------------------------------------------------------------------------


def intake_page(request: Request) -> Response:
    from . import pages_ask

    desk: Desk = request.app.state.desk
    blank = pages_ask.blank(desk)
    return page(
        request,
        "intake.html",
        title="Take in questions",
        ask=blank,
        sources=pages_ask.SOURCES,
        retired=retire_mod.state(desk.site),  # what is taken in here waits: said before it is typed
    )


def _safe_name(name: str, n: int) -> str:
    """A dropped file's own name, reduced to its last part (never a path), for the report."""
    base = Path(name.replace("\\", "/")).name.strip() or f"upload-{n}"
    return base if not base.startswith(".") else f"upload-{n}{Path(base).suffix}"


def intake(request: Request, fields: dict, files: list) -> Response:
    """Dropped .eml/.mbox/.csv files go through `floor intake`; a blog export through `floor import`."""
    desk: Desk = request.app.state.desk
    files = [(name, data) for name, data in files if data or name]
    if not files or not any(data for _, data in files):
        return _files_again(request, fields, "files", "choose or drop at least one file")
    try:
        kinds = [take_in.kind_of(_safe_name(name, n)) for n, (name, _data) in enumerate(files)]
    except FloorError as exc:
        return _files_again(request, fields, "files", exc.message)
    # asked before anything is taken in: a mail file dropped with the export is not filed alone
    if "import" in kinds and not (fields.get("label") or "").strip() and fields.get("all") != "on":
        return _files_again(
            request, fields, "label", "give a label (posts with that category or label), or tick 'Every post'"
        )
    lines: list[tuple[str, bool]] = []
    notify = fields.get("notify") == "on"
    with tempfile.TemporaryDirectory(prefix="floor-desk-") as tmp:
        by_kind: dict[str, list[Path]] = {}
        try:
            for n, ((name, data), kind) in enumerate(zip(files, kinds, strict=True)):
                folder = Path(tmp) / str(n)
                folder.mkdir(mode=0o700)
                target = folder / _safe_name(name, n)
                target.write_bytes(data)
                by_kind.setdefault(kind, []).append(target)
            for kind, group in by_kind.items():
                if kind == "import":
                    lines += _import(desk, group, fields)
                else:
                    outcomes, notes = take_in.intake(
                        desk.site,
                        kind,
                        group,
                        desk.now(),
                        notify=notify,
                        source=fields.get("source") or "notes",
                    )
                    lines += take_in.outcome_lines(desk.site, outcomes, notes)
        except FloorError as exc:
            lines.append((exc.message, True))
    kind = "error" if any(problem for _, problem in lines) else "done"
    return back(request, "/intake", kind, [line for line, _ in lines])


# The file form's fields a refusal can be about → the id of their input, their label.
FILES_FIELDS = {
    "files": ("files", "Files to take in"),
    "label": ("label", "Only posts with this category or label"),
}


def _files_again(request: Request, fields: dict, field: str, problem: str) -> Response:
    """The Take in page again (422), the file form's refused field marked, tied to the message
    and focused, as the question form does. Its other choices are kept; a browser cannot put a
    chosen file back into the form, so the message asks for it again."""
    from . import pages_ask

    desk: Desk = request.app.state.desk
    input_id, label = FILES_FIELDS[field]
    return page(
        request,
        "intake.html",
        http_status=422,
        title="Take in questions",
        ask=pages_ask.blank(desk),
        sources=pages_ask.SOURCES,
        retired=retire_mod.state(desk.site),
        files_problem=f"{label}: {problem}",
        files_field=input_id,
        files_again=field != "files",
        chosen={
            "label": fields.get("label", ""),
            "all": fields.get("all") == "on",
            "own_name": fields.get("own_name", ""),
            "notify": fields.get("notify") == "on",
            "dry_run": fields.get("dry_run") == "on",
        },
    )


def _import(desk: Desk, files: list[Path], fields: dict) -> list[tuple[str, bool]]:
    """`floor import FILE --label L` (or `--all`) `--own-name NAME …`, with the same report."""
    label = (fields.get("label") or "").strip() or None
    # the author's names on the old blog, separated by commas (a field, where the CLI repeats --own-name)
    own_name = [name.strip() for name in (fields.get("own_name") or "").split(",") if name.strip()]
    lines: list[tuple[str, bool]] = []
    in_git = gitops.is_repo(desk.site)
    for file in files:
        result = importer.run(
            desk.site, str(file), label=label, dry_run=fields.get("dry_run") == "on", own_name=own_name
        )
        folder = desk.site.posts_dir.relative_to(desk.site.root).as_posix() if in_git else None
        site_url = notify.known_site_url(desk.site, quiet=True)
        said = importer.report_lines(result, uncommitted=folder, site_url=site_url)
        lines += [(line, False) for line in said]
    return lines


# --- the schedule and retirement ---------------------------------------------------------


def _plan(desk: Desk):
    loaded = _loaded(desk)
    now = desk.now()
    return loaded, now, _make_plan(desk, loaded, now)


def _loaded(desk: Desk) -> queue_mod.Queue:
    loaded = queue_mod.load(desk.site)
    loaded.raise_errors()
    return loaded


def _make_plan(desk: Desk, loaded: queue_mod.Queue, now: dt.datetime) -> schedule_mod.Plan:
    return schedule_mod.make_plan(
        loaded.queued, desk.site.settings, now, loaded.published, withdrawn.posted_dates(desk.site.root)
    )


# The Schedule page lists the posts of the next quarter (and at least the next few) in full;
# the rest, a link away, are counted: at 10,000 questions every post listed made a 1.3 MiB page
# that took a second to make and longer for a browser or a screen reader to get through.
SCHEDULE_WEEKS = 13
SCHEDULE_AT_LEAST = 5


def _first_weeks(plan: schedule_mod.Plan, now: dt.datetime) -> int:
    """How many of the plan's posts go out within SCHEDULE_WEEKS (never fewer than
    SCHEDULE_AT_LEAST, so a column whose next post is months away still shows it)."""
    until = now + dt.timedelta(weeks=SCHEDULE_WEEKS)
    within = sum(1 for e in plan.entries if e.date <= until)
    return min(len(plan.entries), max(within, SCHEDULE_AT_LEAST))


def schedule_page(request: Request) -> Response:
    """`floor schedule`: the coming weeks and the forecast last post; whether retirement is armed."""
    desk: Desk = request.app.state.desk
    loaded, now, plan = _plan(desk)
    every = request.query_params.get("all") == "1"
    first = _first_weeks(plan, now)
    shown = len(plan.entries) if every else first
    began = report.column_began(desk.site, loaded.published, now)
    text = report.schedule_text(plan, now, None, {i.id: i for i in loaded.queued}, shown=shown, began=began)
    forecast = retire_mod.forecast_text(desk.site, plan, loaded.published, now)
    switch = retire_switch.switch(desk.site)
    return page(
        request,
        "schedule.html",
        title="Schedule",
        schedule_text=text,
        forecast=forecast,
        retired=retire_mod.state(desk.site),
        armed=switch.armed,
        blocker=retire_mod.would_retire(desk.site, now, queue=loaded),  # (not read a second time)
        shown=shown,
        planned=len(plan.entries),
        first=first,
        weeks=SCHEDULE_WEEKS,
        # the last shown post's day: "the coming 13 weeks" is untrue when the first five reach past them
        shown_until=waiting.day_text(plan.entries[shown - 1].date) if shown else "",
    )


def retirement(request: Request, fields: dict, _files: list) -> Response:
    """Arm or disarm retirement: `floor retire --when-done` / `--disarm` (committed in a git site)."""
    desk: Desk = request.app.state.desk
    armed = fields.get("armed") == "on"
    try:
        done = retirement_switch.flip(desk.site, armed, desk.now(), commit=gitops.is_repo(desk.site))
    except FloorError as exc:
        return back(request, "/schedule", "error", exc.message)
    return back(request, "/schedule", "done", done.lines)


# --- publishing ---------------------------------------------------------------------------


def _next_questions(desk: Desk):
    loaded, _now, plan = _plan(desk)
    if not plan.entries:
        return None, []
    by_id = {q.id: q for q in loaded.queued}
    entry = plan.entries[0]
    return entry, [by_id[i] for i in entry.questions if i in by_id]


def publish_page(request: Request) -> Response:
    """What goes out next (as readers will see it) and what publishing now would do, from
    `floor publish --dry-run`; the button only when something is due, else why nothing is."""
    desk: Desk = request.app.state.desk
    loaded, now = _loaded(desk), desk.now()
    commit = gitops.is_repo(desk.site)
    # the dry run's own plan, from the same queue and minute: the next post named at the top is
    # the one its report says would go out (a retired column or a killed publish's journal
    # stops the dry run before it plans: then the page makes the plan itself)
    dry = weekly.run(desk.site, now, dry_run=True, commit=commit, queue=loaded)
    plan = dry.result.plan or _make_plan(desk, loaded, now)
    entry = plan.entries[0] if plan.entries else None
    said = weekly.report(
        dry, dry_run=True, commit=commit, schedule_doc=paths.doc("schedule.md"), by_words=True
    )
    result = dry.result
    due = bool(
        result.posts
        or dry.would_commit_earlier
        or dry.would_commit_retirement
        or result.interrupted
        or result.would_retire
    )
    lines = [
        line
        for text in said.lines + said.warnings
        for line in text.split("\n")
        # the desk's page says these itself: nothing here is a dry run, and the heading says nothing is due
        if line != weekly.DRY_RUN
        and (due or not line.startswith(("nothing due", "next post: ", "no answered question is waiting")))
    ]
    return page(
        request,
        "publish.html",
        title="Publish",
        entry=entry,
        due=due,
        retired=result.retired_on is not None,
        held=sum(1 for q in loaded.queued if q.status == question_mod.HELD),
        dry_lines=lines,
        commit=commit,
        remotes=gitops.remotes(desk.site),
    )


def publish_preview(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    _entry, items = _next_questions(desk)
    if not items:
        return preview_response(
            TEMPLATES.get_template("preview.html").render(
                title="Nothing to publish", frame=None, post="", problem=None
            )
        )
    problem = None
    if len(items) == 1:  # the whole page, as for a question (a post of several: the posts alone)
        try:
            return preview_response(desk.pages.render(items[0], desk.now()))
        except FloorError as exc:
            problem = exc.message
    title = items[0].question if len(items) == 1 else f"{len(items)} questions"
    frame = post_frame.frame_for(desk.site, items[0].id, desk.now())
    return preview_response(
        TEMPLATES.get_template("preview.html").render(
            title=title, frame=frame, post=render.post_html(items, site_language(desk)), problem=problem
        )
    )


def publish(request: Request, fields: dict, _files: list) -> Response:
    """ "Publish now": `floor publish --commit` when the site is a git repository, else `floor publish`."""
    desk: Desk = request.app.state.desk
    commit = gitops.is_repo(desk.site)
    done = weekly.run(desk.site, desk.now(), dry_run=False, commit=commit)
    said = weekly.report(
        done, dry_run=False, commit=commit, schedule_doc=paths.doc("schedule.md"), by_words=True
    )
    lines = said.lines + said.warnings + ([said.error.message] if said.error else [])
    return back(request, "/publish", "error" if said.error else "done", lines)


def push(request: Request, fields: dict, _files: list) -> Response:
    """`floor push`: the column's changed files committed, then sent; what was committed and git's words."""
    desk: Desk = request.app.state.desk
    try:
        done = push_mod.run(desk.site)
    except FloorError as exc:
        return back(request, "/publish", "error", exc.message.splitlines())
    return back(request, "/publish", "done", done.lines())


# --- stats ---------------------------------------------------------------------------------


def _stats(desk: Desk) -> stats_mod.Stats:
    loaded, now, plan = _plan(desk)
    return stats_mod.compute(
        loaded.queued, loaded.published, plan, now, withdrawn.posted_numbers(desk.site.root)
    )


def stats_page(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    result = _stats(desk)
    return page(
        request,
        "stats.html",
        title="Stats",
        stats_text=stats_mod.text(result),
        has_chart=bool(result.history),
        chart_summary=chart.summary(result.history, result.forecast),
        # the chart draws no legend (web/chart.py): which line is which is said here, as the
        # site's caption says it
        chart_key=CHART_KEY if result.forecast else "",
    )


CHART_KEY = "Solid line: questions waiting at the end of each week and today; dashed: the forecast."


def stats_chart(request: Request) -> Response:
    """The burndown chart the site's Stats page draws, as an image of its own (no inline style here)."""
    desk: Desk = request.app.state.desk
    result = _stats(desk)
    svg = chart.standalone(chart.burndown_svg(result.history, result.forecast) or "")
    # an SVG shown by <img> runs no script; its own <style> needs this response's policy
    policy = "default-src 'none'; style-src 'unsafe-inline'"
    return Response(svg, media_type="image/svg+xml", headers={"content-security-policy": policy})
