"""The queue, one question at a time: ask, answer, decline, hold, release, queue, check, show."""

from __future__ import annotations

import json
import sys

import click

from .main import Context, _echo, _json, _note_if_retired, main, pass_ctx, today_option

# --- the queue ---------------------------------------------------------------


@main.command()
@click.argument("text", required=False)
@click.option("--asker", help="The reader's display name (shown only with --credit).")
@click.option("--credit/--no-credit", default=False, help="Show the asker's name on the post.")
@click.option("--contact", help="Private: an email or handle; never published.")
@click.option(
    "--source", default="notes", show_default=True, help="email, talk, comment, form, issue, notes, import …"
)
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for more).")
@click.option("--details", help="The reader's longer question (Markdown).")
@click.option(
    "--notify/--no-notify",
    default=False,
    help="The reader agreed to hear when the answer is up (floor notify; needs --contact).",
)
@click.option("--asked", "asked", metavar="DATE", help="When it was asked (default: today).")
@today_option
@pass_ctx
def ask(ctx: Context, text, asker, credit, contact, source, tags, details, asked, notify) -> None:
    """Add a question to the queue (TEXT, or read from stdin). Prints its id."""
    from ..intake import intake

    if notify and not contact:
        raise click.UsageError("--notify needs --contact: where to send the note")
    if text is None:  # an explicit empty TEXT is an empty question, not "read stdin"
        if sys.stdin is None or sys.stdin.isatty():
            raise click.UsageError("give the question as TEXT or on standard input")
        text = sys.stdin.read()
    if asked:
        from ..core import clock

        try:
            asked_date = clock.parse_day(asked)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--asked") from None
        if problem := clock.out_of_range(asked_date):
            raise click.BadParameter(problem, param_hint="--asked")
        if asked_date > ctx.now().date():  # a year typed wrong (2027 for 2026) held it back in silence
            from ..core.waiting import day_text

            click.echo(
                f"note: --asked {day_text(asked_date)} is after today: the question is not published "
                "before that day (its file's `asked:` line changes it)",
                err=True,
            )
    else:
        asked_date = ctx.now().date()
    new = intake.NewQuestion(
        question=text,
        asked=asked_date,
        asker=asker,
        contact=contact,
        source=source,
        tags=list(tags),
        details=details,
        credit=credit,
        notify=notify,
    )
    intake.clean(new, phone_region=intake.phone_region(ctx.site))
    if new.masked:
        click.echo(f"note: {intake.masked_note(new.masked)}", err=True)
    if changed := intake.spell_tags_as_the_column(ctx.site, new):
        click.echo(f"note: {intake.respelled_note(changed)}", err=True)
    if new.question and (same := intake.already_queued(ctx.site, new)) is not None:
        # a re-run of an ask that was stopped after writing its file: the question is there once
        _echo(
            f"already in the queue as {same.id} (the same question, asker, contact and day): nothing added",
            err=True,
        )
        click.echo(same.id)
        return
    click.echo(intake.add_question(ctx.site, new, cleaned=True).id)
    if notify:
        from ..services import mailer

        if note := mailer.unsent_note(ctx.site.settings.raw, int(mailer.reaches_by_email(contact))):
            _echo(note, err=True)
    _note_if_retired(ctx.site)


@main.command()
@click.argument("qid", metavar="ID")
@click.option("--quick", help="The quick answer.")
@click.option("--body", help="The more thoughtful answer (Markdown); '-' reads stdin.")
@click.option("--edit", is_flag=True, help="Open the file in $VISUAL / $EDITOR.")
@pass_ctx
def answer(ctx: Context, qid: str, quick, body, edit) -> None:
    """Write or edit the answers to question ID."""
    from ..commands import questions
    from ..core.question import read_text
    from ..errors import FloorError

    if quick is None and body is None and not edit:
        raise click.UsageError("give --quick, --body or --edit")
    if body == "-":
        body = sys.stdin.read()
    q = questions.answer(ctx.site, qid, quick, body)
    saved = [
        name
        for name, value in (("the quick answer", quick), ("the thoughtful answer", body))
        if value is not None
    ]
    original = read_text(q.path)
    if edit:
        # Bytes in, bytes out: click.edit would turn CRLF into LF and drop a BOM for str.
        # The lock is not held while the editor is open (that may be for an hour).
        edited = click.edit(original.encode("utf-8"), extension=".md", require_save=True)
        if edited is None or bytes(edited) == original.encode("utf-8"):
            click.echo(questions.saved_line(saved, "the editor was closed without a change"))
            click.echo(questions.done_line(q))
            return
        try:
            try:
                text = bytes(edited).decode("utf-8")
            except UnicodeDecodeError:
                text = bytes(edited).decode("utf-8", errors="replace")
                error = FloorError("the edited file is not valid UTF-8", path=q.path)
                raise questions.keep_rejected(q, text, error) from None
            q = questions.replace_text(ctx.site, q, text, expected=original)
        except FloorError as exc:
            raise questions.saved_before(exc, saved) from None
        saved.append("your edit")
    click.echo(questions.saved_line(saved))
    click.echo(questions.done_line(q))


@main.command()
@click.argument("qid", metavar="ID")
@click.option("--reason", required=True, help="Private note: why it will not be answered.")
@pass_ctx
def decline(ctx: Context, qid: str, reason: str) -> None:
    """Decline question ID (it counts as done, and is never published)."""
    from ..commands import questions

    click.echo(questions.done_line(questions.decline(ctx.site, qid, reason)))


@main.command()
@click.argument("qid", metavar="ID")
@pass_ctx
def undecline(ctx: Context, qid: str) -> None:
    """Take back a decline: question ID waits in the queue again."""
    from ..commands import questions

    click.echo(questions.done_line(questions.undecline(ctx.site, qid)))


@main.command()
@click.argument("qid", metavar="ID")
@pass_ctx
def hold(ctx: Context, qid: str) -> None:
    """Keep question ID out of the schedule until released."""
    from ..commands import questions

    click.echo(questions.done_line(questions.hold(ctx.site, qid)))


@main.command()
@click.argument("qid", metavar="ID")
@pass_ctx
def release(ctx: Context, qid: str) -> None:
    """Let a held question ID be scheduled again."""
    from ..commands import questions

    click.echo(questions.done_line(questions.release(ctx.site, qid)))


@main.command(name="set")
@click.argument("qid", metavar="ID")
@click.option("--priority", metavar="N", help="Higher goes first (0 or 'none': the default).")
@click.option("--pin", metavar="DATE", help="The date it must go out on ('none' removes the pin).")
@click.option("--not-before", metavar="DATE", help="Never before this date ('none' removes it).")
@click.option(
    "--tags", metavar="TAGS", help="Comma-separated tags, replacing the ones it has ('' removes them)."
)
@pass_ctx
def set_cmd(ctx: Context, qid: str, priority, pin, not_before, tags) -> None:
    """Change question ID's priority, pin date, not-before date or tags."""
    from ..commands import questions

    values: dict = {}
    if priority is not None:
        values["priority"] = questions.parse_priority(priority)
    if pin is not None:
        values["pin"] = questions.parse_date(pin, "pin")
    if not_before is not None:
        values["not_before"] = questions.parse_date(not_before, "not_before")
    if tags is not None:
        values["tags"] = questions.parse_tags(tags)
    if not values:
        raise click.UsageError("give --priority, --pin, --not-before or --tags")
    click.echo(questions.done_line(questions.set_fields(ctx.site, qid, values)))


@main.command(name="queue")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in the README).")
@click.option("--all", "show_all", is_flag=True, help="Include published posts.")
@today_option
@pass_ctx
def queue_cmd(ctx: Context, as_json: bool, show_all: bool) -> None:
    """The queue, with each question's derived status.

    A question file that does not read does not hide the rest: the questions that read are
    listed, then one ``error:`` line per problem, and the exit status is 1 (``--json``: an
    object with ``questions`` and ``errors``; see the README).
    """
    from ..commands import report
    from ..core import heap
    from ..core import queue as queue_mod

    with heap.collector_off():  # everything it makes stays until it prints (core/heap.py)
        q = queue_mod.load(ctx.site)
        items = q.queued + (q.published if show_all else [])
        today = ctx.now().date()
        if as_json:
            from ..core import json_text  # json.dumps(…, indent=2)'s text, sooner

            listed = [report.queue_item(i, today) for i in items]
            if q.errors:  # the clean queue keeps its documented shape, a plain list
                listed = report.queue_with_errors(listed, q.errors)
            click.echo(_json(json_text.dumps(listed, ensure_ascii=False)))
        elif items or not q.errors:  # "the queue is empty" would not be true beside a broken file
            _echo(report.queue_table(items, today))
    if q.errors:
        if not as_json:  # the JSON has them in its "errors"
            for line in report.queue_error_lines(q.errors):
                _echo(line, err=True)
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@today_option
@pass_ctx
def check(ctx: Context, as_json: bool) -> None:
    """Validate every question and the settings."""
    from ..commands import kit_pin, report
    from ..errors import FloorError

    try:
        site = ctx.site
    except FloorError as exc:
        result = {"ok": False, "errors": [exc.as_dict()], "warnings": [], "queued": 0, "published": 0}
        result["from_archive"] = 0
    else:
        from ..core import heap
        from ..pelican_plugin.slugs import pelican_slug  # Pelican itself only for tags not seen before

        with heap.collector_off():  # the queue and the check's verdicts all stay to the end (core/heap.py)
            result = report.check(site, ctx.now(), pelican_slug)
    # The dependency file the weekly job installs from: checked even when the settings are broken.
    pin_errors, pin_warnings = kit_pin.check(ctx.site_dir)
    result["errors"] += [e.as_dict() for e in pin_errors]
    result["warnings"] += [w.as_dict() for w in pin_warnings]
    result["ok"] = result["ok"] and not pin_errors
    if as_json:
        click.echo(_json(json.dumps(result, indent=2, ensure_ascii=False)))
    else:
        for line in [
            *report.problem_lines(result["errors"], "error: "),
            *report.problem_lines(result["warnings"], "warning: "),
        ]:
            _echo(line, err=True)
        _echo(report.check_summary(result), err=not result["ok"])
    if not result["ok"]:
        sys.exit(1)


@main.command(name="show")
@click.argument("qid", metavar="ID")
@pass_ctx
def show_cmd(ctx: Context, qid: str) -> None:
    """The author's view of one question or post, contacts opened with the private key."""
    from ..core import queue as queue_mod
    from ..core import sealing
    from ..core.waiting import day_text

    q = queue_mod.load(ctx.site)
    wanted = qid.removesuffix(".md")
    item = next((i for i in [*q.queued, *q.published] if i.id == wanted), None)
    if item is None:
        q.find(wanted)  # the queue's own "no question with id …" error
    keys = ctx.site.keys

    def contact(value: str | None) -> str:
        if not value:
            return "none"
        if sealing.is_sealed(value) and not keys.can_open:
            return "sealed (" + sealing.NO_KEY_FIX + ")"
        opened = keys.open(value, where=item.path) or ""
        return opened + ("" if sealing.is_sealed(value) else " (plain text: run floor seal)")

    # every line holds reader text: _echo shows their control characters escaped
    _echo(f"{item.id} [{item.status}]: {item.question}")
    _echo(f"  asked {day_text(item.asked)} by {item.asker or 'anonymous'}")
    _echo(f"  contact: {contact(item.contact)}")
    for n, entry in enumerate(item.also_asked_by, start=2):
        _echo(f"  reader {n}: {entry.asker or 'anonymous'}, contact: {contact(entry.contact)}")
    if item.more_readers:
        from ..core import readers_file

        where = readers_file.path_for(ctx.site.questions_dir, item.id).relative_to(ctx.site.root)
        _echo(f"  and {item.more_readers} more readers, kept in {where.as_posix()}")
