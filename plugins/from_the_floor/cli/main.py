"""The `floor` command: a thin click layer over the core modules.

Everything heavy (YAML, Markdown, Pelican) is imported inside the commands,
so `floor --help` starts fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from .. import paths  # light: where the kit's docs are installed, for the help texts


class Context:
    """What every command shares: the site folder and the injectable 'today'."""

    def __init__(self, site_dir: Path, today: str | None) -> None:
        self.site_dir = site_dir
        self.today = today
        self._site = None

    @property
    def site(self):
        if self._site is None:
            from ..core.site import Site

            self._site = Site(self.site_dir)
            self._site.settings  # noqa: B018 - validate settings up front
        return self._site

    @contextlib.contextmanager
    def today_for_build(self):
        """The build's plugins read FLOOR_TODAY; hand them this run's --today, then restore."""
        before = os.environ.get("FLOOR_TODAY")
        if self.today:
            os.environ["FLOOR_TODAY"] = self.today
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("FLOOR_TODAY", None)
            else:
                os.environ["FLOOR_TODAY"] = before

    def now(self) -> dt.datetime:
        from ..core import clock

        return clock.now(self.site.settings.timezone, self.today)


pass_ctx = click.make_pass_decorator(Context)


def _json(text: str) -> str:
    """--json output: reader text's control characters as JSON escapes (the same data)."""
    from ..core.terminal import clean_json

    return clean_json(text)


def _echo(message: str, **kwargs) -> None:
    """click.echo for any line that may hold reader text: control characters shown escaped."""
    from ..core.terminal import clean

    click.echo(clean(str(message)), **kwargs)


def _set_today(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.ensure_object(Context)
        ctx.find_object(Context).today = value


def today_option(func):
    """`--today` is accepted after the command too: `floor publish --today 2026-12-07`."""
    return click.option(
        "--today",
        metavar="DATE",
        expose_value=False,
        callback=_set_today,
        help="As the group option: plan as if it were DATE.",
    )(func)


class FloorGroup(click.Group):
    """Turns FloorError into one clear line on stderr and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        from ..errors import FloorError

        try:
            return super().invoke(ctx)
        except FloorError as exc:
            _echo(f"error: {exc.message}", err=True)
            ctx.exit(1)
        except OSError as exc:  # an unreadable or unwritable file is a site problem too
            where = f"{exc.filename}: " if exc.filename else ""
            _echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)


@click.group(
    cls=FloorGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    # a site has no docs/ folder: the pages the help and messages name are installed with the kit
    epilog=f"The docs/*.md pages named in this help are installed with the kit in {paths.docs_dir()}",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default="current folder",
    help="The site folder (holds pelicanconf.py).",
)
@click.option(
    "--today",
    envvar="FLOOR_TODAY",
    metavar="DATE",
    help="Plan as if it were this date (YYYY-MM-DD: end of that day in the site's "
    "TIMEZONE) or moment (ISO 8601). Also FLOOR_TODAY.",
)
@click.version_option(package_name="from-the-floor", message="floor %(version)s")
@click.pass_context
def main(ctx: click.Context, site_dir: Path, today: str | None) -> None:
    """From the Floor: run a reader Q&A column as a static site.

    Questions wait in questions/, one Markdown file each; `floor publish`
    moves the due ones into content/floor/ and `floor build` renders the site.
    """
    ctx.obj = Context(site_dir, today)


# --- making a site -----------------------------------------------------------


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="From the Floor", show_default=True, help="Site name.")
@click.option("--author", default="The Author", show_default=True)
@click.option("--timezone", default="UTC", show_default=True, help="IANA zone, e.g. Europe/London.")
@click.option("--url", default="", help="Production URL (for publishconf.py).")
def init(directory: Path, title: str, author: str, timezone: str, url: str) -> None:
    """Create a new, ready-to-build site in DIRECTORY."""
    from ..commands import init_site

    created = init_site.create(directory, title=title, author=author, timezone=timezone, url=url)
    click.echo(f"created {len(created)} files in {directory}")
    click.echo(
        f"readers' contacts will be sealed to the key in {directory}/.floor/age-key.txt (git-ignored): "
        "keep a copy somewhere safe, and see the README on adding it as a CI secret"
    )
    click.echo(f"requirements.txt pins the kit at {init_site.kit_version()}: the weekly job installs that")
    click.echo(f"next: cd {directory} && floor ask 'Your first question?' && floor queue")


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
        try:
            asked_date = dt.date.fromisoformat(asked)
        except ValueError:
            raise click.BadParameter(f"{asked!r} is not YYYY-MM-DD", param_hint="--asked") from None
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
    qid = intake.add(ctx.site, new)
    if new.masked:
        click.echo(f"note: {intake.masked_note(new.masked)}", err=True)
    click.echo(qid)


def _find(ctx: Context, qid: str):
    """The queued question ID; a published or unknown id is a clear error."""
    from ..core import question as question_mod
    from ..core import queue as queue_mod
    from ..errors import FloorError

    qid = qid.removesuffix(".md")
    if not qid or "/" in qid or "\\" in qid or qid.startswith("."):
        # an id is a file name in questions/, never a path that could reach a post
        raise FloorError(f"{qid!r} is not a question id (the file name without .md)")
    path = ctx.site.questions_dir / f"{qid}.md"
    if path.exists():
        return question_mod.load(path)
    return queue_mod.load(ctx.site).find(qid)


@contextlib.contextmanager
def _editing(ctx: Context):
    """Hold the site lock while a command reads and rewrites a question file.

    A publish or an intake merge takes the same lock, so an edit never saves
    over a file that changed, or was moved, after it was read.
    """
    from ..core import journal

    with journal.locked(ctx.site):
        yield


@main.command()
@click.argument("qid", metavar="ID")
@click.option("--quick", help="The quick answer.")
@click.option("--body", help="The more thoughtful answer (Markdown); '-' reads stdin.")
@click.option("--edit", is_flag=True, help="Open the file in $VISUAL / $EDITOR.")
@pass_ctx
def answer(ctx: Context, qid: str, quick, body, edit) -> None:
    """Write or edit the answers to question ID."""
    from ..core import edit as edit_mod
    from ..core.question import read_text
    from ..errors import FloorError

    if quick is None and body is None and not edit:
        raise click.UsageError("give --quick, --body or --edit")
    if body == "-":
        body = sys.stdin.read()
    with _editing(ctx):
        q = _find(ctx, qid)
        if quick is not None or body is not None:
            changes = {"quick_answer": " ".join(quick.split())} if quick is not None else {}
            q = edit_mod.update(q, changes, body=body)
        original = read_text(q.path)
    if edit:
        # Bytes in, bytes out: click.edit would turn CRLF into LF and drop a BOM for str.
        # The lock is not held while the editor is open (that may be for an hour).
        edited = click.edit(original.encode("utf-8"), extension=".md", require_save=True)
        if edited is None:
            click.echo("no changes saved")
            return
        try:
            try:
                text = bytes(edited).decode("utf-8")
            except UnicodeDecodeError:
                text = bytes(edited).decode("utf-8", errors="replace")
                raise FloorError("the edited file is not valid UTF-8", path=q.path) from None
            with _editing(ctx):
                q = edit_mod.replace_text(q, text, expected=original)
        except FloorError as exc:
            keep = q.path.with_name(f".{q.path.stem}.rejected-edit.md")
            from ..core.atomic import atomic_write_text

            atomic_write_text(keep, text)
            raise FloorError(
                f"{exc.problem}; the file is unchanged and your edit is kept in {keep}",
                path=exc.path,
                field=exc.field,
                line=exc.line,
            ) from None
    click.echo(f"{q.id}: {q.status}")


@main.command()
@click.argument("qid", metavar="ID")
@click.option("--reason", required=True, help="Private note: why it will not be answered.")
@pass_ctx
def decline(ctx: Context, qid: str, reason: str) -> None:
    """Decline question ID (it counts as done, and is never published)."""
    from ..core import edit as edit_mod

    with _editing(ctx):
        q = edit_mod.update(_find(ctx, qid), {"declined": " ".join(reason.split())})
    click.echo(f"{q.id}: {q.status}")


@main.command()
@click.argument("qid", metavar="ID")
@pass_ctx
def hold(ctx: Context, qid: str) -> None:
    """Keep question ID out of the schedule until released."""
    from ..core import edit as edit_mod

    with _editing(ctx):
        q = edit_mod.update(_find(ctx, qid), {"hold": True})
    click.echo(f"{q.id}: {q.status}")


@main.command()
@click.argument("qid", metavar="ID")
@pass_ctx
def release(ctx: Context, qid: str) -> None:
    """Let a held question ID be scheduled again."""
    from ..core import edit as edit_mod

    with _editing(ctx):
        q = edit_mod.update(_find(ctx, qid), {"hold": None})
    click.echo(f"{q.id}: {q.status}")


@main.command(name="queue")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in the README).")
@click.option("--all", "show_all", is_flag=True, help="Include published posts.")
@today_option
@pass_ctx
def queue_cmd(ctx: Context, as_json: bool, show_all: bool) -> None:
    """The queue, with each question's derived status."""
    from ..commands import report
    from ..core import queue as queue_mod

    q = queue_mod.load(ctx.site)
    q.raise_errors()
    items = q.queued + (q.published if show_all else [])
    today = ctx.now().date()
    if as_json:
        click.echo(
            _json(json.dumps([report.queue_item(i, today) for i in items], indent=2, ensure_ascii=False))
        )
    else:
        _echo(report.queue_table(items, today))


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
    else:
        result = report.check(site, ctx.now())
    # The dependency file the weekly job installs from: checked even when the settings are broken.
    pin_errors, pin_warnings = kit_pin.check(ctx.site_dir)
    result["errors"] += [e.as_dict() for e in pin_errors]
    result["warnings"] += [w.as_dict() for w in pin_warnings]
    result["ok"] = result["ok"] and not pin_errors
    if as_json:
        click.echo(_json(json.dumps(result, indent=2, ensure_ascii=False)))
    else:
        for err in result["errors"]:
            _echo("error: " + report.format_problem(err), err=True)
        for warn in result["warnings"]:
            _echo("warning: " + report.format_problem(warn), err=True)
        if result["ok"]:
            click.echo(f"ok: {result['queued']} queued, {result['published']} published")
    if not result["ok"]:
        sys.exit(1)


# --- the schedule and publishing -----------------------------------------------


@main.command()
@click.option("--weeks", type=click.IntRange(min=1), help="Show only the next N weeks.")
@click.option("--json", "as_json", is_flag=True)
@today_option
@pass_ctx
def schedule(ctx: Context, weeks: int | None, as_json: bool) -> None:
    """The plan of upcoming posts, and when the last one goes out."""
    from ..commands import report
    from ..core import queue as queue_mod
    from ..core import schedule as schedule_mod

    q = queue_mod.load(ctx.site)
    q.raise_errors()
    now = ctx.now()
    plan = schedule_mod.make_plan(q.queued, ctx.site.settings, now, q.published)
    from ..core import retire as retire_mod

    if as_json:
        data = plan.as_json(weeks, now)
        data["retirement"] = retire_mod.forecast_json(ctx.site, plan, q.published)
        click.echo(json.dumps(data, indent=2))
    else:
        _echo(report.schedule_text(plan, now, weeks, {i.id: i for i in q.queued}))
        _echo(retire_mod.forecast_text(ctx.site, plan, q.published))


@main.command()
@click.option("--dry-run", is_flag=True, help="Change nothing; say what would be published.")
@click.option("--commit", "do_commit", is_flag=True, help="Make one git commit naming the post.")
@today_option
@pass_ctx
def publish(ctx: Context, dry_run: bool, do_commit: bool) -> None:
    """Publish what is due now (the weekly job). Safe to re-run, miss, or run twice at once.

    Exit 0 whether or not anything was due; "nothing due" says so.
    """
    from ..commands import weekly

    run = weekly.run(ctx.site, ctx.now(), dry_run=dry_run, commit=do_commit)
    result = run.result
    if result.retired_on is not None:
        click.echo(
            f"the column retired on {result.retired_on.isoformat()}: nothing is published "
            "(new questions wait in questions/; `floor unretire` resumes the column)"
        )
        return
    if result.interrupted:
        click.echo(
            "an interrupted publish is waiting to be finished; the next floor command "
            "(not a dry run) finishes it first\ndry run: nothing was changed"
        )
        return
    if result.recovered:
        click.echo("finished an interrupted publish first")
    verb = "would publish" if dry_run else "published"
    for post in result.posts:
        _echo(f"{verb} #{post.number} ({post.date.isoformat()}): {', '.join(post.ids)}")
    if result.nothing_due:
        click.echo("nothing due")
    if result.posts and do_commit:
        if dry_run:
            click.echo(f"would commit: {run.would_commit}")
        else:
            if run.committed is None and run.error is not None:
                raise run.error  # the posts are published; git could not record them
            click.echo(f"committed: {run.committed}")
    if result.next_post is not None:
        click.echo(f"next post: {result.next_post.isoformat()}")
    else:
        click.echo(
            "no answered question is waiting: nothing more will be published until one is answered"
            + (f" ({result.unanswered} unanswered)" if result.unanswered else "")
            + ". A scheduled GitHub workflow stops after 60 days without a commit; see "
            + paths.doc("schedule.md")
            + "."
        )
    if result.auto_retire is not None and not result.auto_retired:
        click.echo(f"not retiring: {result.auto_retire}")
    if result.auto_retired:
        retirement = run.retirement
        if retirement is None and run.error is not None:
            raise run.error
        if retirement is not None:
            click.echo(
                f"retired the column on {retirement.retired.date().isoformat()} "
                f"({retirement.mode}): {result.auto_retire}"
            )
        if do_commit and retirement is not None:
            if run.error is not None:
                raise run.error
            if run.retirement_committed:
                click.echo(f"committed: {run.retirement_committed}")
    if result.would_retire:
        click.echo(f"warning: {result.would_retire}", err=True)
    if dry_run:
        click.echo("dry run: nothing was changed")


# --- building ------------------------------------------------------------------


@main.command()
@click.option(
    "--settings", "settings_file", help="Settings file (default pelicanconf.py; the job uses publishconf.py)."
)
@click.option("-v", "--verbose", is_flag=True)
@today_option
@pass_ctx
def build(ctx: Context, settings_file: str | None, verbose: bool) -> None:
    """Build the site into output/ with Pelican."""
    from ..pelican_plugin import build as build_mod

    with ctx.today_for_build():
        build_mod.build(ctx.site, settings_file=settings_file, verbose=verbose)
    click.echo(f"built {ctx.site.output_dir}")


@main.command()
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--bind", default="127.0.0.1", show_default=True)
@click.option("--build/--no-build", "do_build", default=True, show_default=True, help="Build first.")
@click.option(
    "--live",
    is_flag=True,
    help="Render each page when it is requested, from files as they are now: "
    f"a saved edit shows on the next reload (see {paths.doc('performance.md')}).",
)
@click.option("--settings", "settings_file", help="Settings file (default pelicanconf.py).")
@pass_ctx
def serve(ctx: Context, port: int, bind: str, do_build: bool, live: bool, settings_file: str | None) -> None:
    """Serve output/ for a local preview at http://localhost:PORT."""
    from ..pelican_plugin import build as build_mod

    if do_build:
        with ctx.today_for_build():
            build_mod.build(ctx.site, settings_file=settings_file)
    host = "localhost" if bind in ("127.0.0.1", "0.0.0.0") else bind
    if live:
        from ..pelican_plugin import preview

        click.echo(f"live preview of {ctx.site.root} at http://{host}:{port}/ (Ctrl-C stops)")
        preview.serve(
            ctx.site, bind=bind, port=port, settings_file=settings_file, ready=lambda msg: click.echo(msg)
        )
        return
    click.echo(f"serving {ctx.site.output_dir} at http://{host}:{port}/ (Ctrl-C stops)")
    build_mod.serve(ctx.site, bind=bind, port=port)


@main.command(name="stats")
@click.option(
    "--json", "as_json", is_flag=True, help=f"Print JSON (documented in {paths.doc('reader-site.md')})."
)
@today_option
@pass_ctx
def stats_cmd(ctx: Context, as_json: bool) -> None:
    """The column in numbers: received, answered, declined, waiting, speed, tags, forecast."""
    from ..core import queue as queue_mod
    from ..core import schedule as schedule_mod
    from ..core import stats as stats_mod

    q = queue_mod.load(ctx.site)
    q.raise_errors()
    now = ctx.now()
    plan = schedule_mod.make_plan(q.queued, ctx.site.settings, now, q.published)
    result = stats_mod.compute(q.queued, q.published, plan, now)
    if as_json:
        click.echo(_json(json.dumps(result.as_json(), indent=2, ensure_ascii=False)))
    else:
        _echo(stats_mod.text(result))


# --- retirement ----------------------------------------------------------------


def _retire_commit(ctx: Context, do_commit: bool, subject: str) -> None:
    if do_commit:
        from ..services import gitops

        made = gitops.commit_state(ctx.site, subject)
        click.echo(f"committed: {made}" if made else "nothing to commit")


@main.command(name="retire")
@click.option("--mode", type=click.Choice(["archive", "redirect"]), help="Default: FLOOR_RETIRE_MODE.")
@click.option("--to", "to", metavar="URL", help="The new home (redirect mode). Default: FLOOR_RETIRE_TO.")
@click.option("--force", is_flag=True, help="Retire even though questions are ready, held or unanswered.")
@click.option("--commit", "do_commit", is_flag=True, help="Commit retired.json with git.")
@today_option
@pass_ctx
def retire_cmd(ctx: Context, mode: str | None, to: str | None, force: bool, do_commit: bool) -> None:
    """End the column: the next build is an archive (or redirects to --to).

    Refused (exit 1, listing them) while any question is ready, held or
    unanswered, unless --force; declined questions count as done.
    """
    from ..core import retire as retire_mod
    from ..services import gitops

    if do_commit:
        gitops.ensure_repo(ctx.site)
    result = retire_mod.retire(ctx.site, mode, to, ctx.now(), force)
    r = result.retirement
    where = f", to {r.to}" if r.mode == "redirect" else ""
    if not result.changed:
        click.echo(f"already retired on {r.retired.date().isoformat()} ({r.mode}{where}); nothing changed")
        return
    if result.previous is not None:
        click.echo(f"still retired since {r.retired.date().isoformat()}; now {r.mode}{where}")
    else:
        click.echo(f"retired the column on {r.retired.date().isoformat()} ({r.mode}{where})")
        if result.left:
            left = retire_mod.describe_remaining(result.left)
            _echo(f"left in {ctx.site.questions_dir.name}/ (--force): {left}")
    click.echo(f"{retire_mod.STATE_FILE} records it; `floor build` makes the retired site")
    _retire_commit(ctx, do_commit, retire_mod.retire_subject(r))


@main.command()
@click.option("--commit", "do_commit", is_flag=True, help="Commit the removal of retired.json with git.")
@today_option
@pass_ctx
def unretire(ctx: Context, do_commit: bool) -> None:
    """Reverse `floor retire`: the next build is the live column again."""
    from ..core import retire as retire_mod
    from ..services import gitops

    if do_commit:
        gitops.ensure_repo(ctx.site)
    previous = retire_mod.unretire(ctx.site)
    if previous is None:
        click.echo("the column is not retired; nothing changed")
        return
    click.echo(f"unretired: the column (retired on {previous.retired.date().isoformat()}) is live again")
    decision = retire_mod.auto_retire_check(ctx.site, ctx.now())
    if decision:
        _echo(f"note: {decision}", err=True)
    _retire_commit(ctx, do_commit, "Unretire the column")


@main.command(name="retire-if-due")
@click.option("--commit", "do_commit", is_flag=True, help="Commit retired.json with git if it retires.")
@today_option
@pass_ctx
def retire_if_due(ctx: Context, do_commit: bool) -> None:
    """The weekly job's retirement step: retire once nothing is left and the grace period is over.

    Always exit 0 when the site is readable: "not yet" is not a failure.
    """
    from ..core import retire as retire_mod
    from ..services import gitops

    if do_commit:
        gitops.ensure_repo(ctx.site)
    decision = retire_mod.auto_retire_if_due(ctx.site, ctx.now())
    if decision.retired and decision.retirement is not None:
        r = decision.retirement
        _echo(f"retired the column on {r.retired.date().isoformat()} ({r.mode}): {decision.reason}")
        _retire_commit(ctx, do_commit, retire_mod.retire_subject(r))
    else:
        _echo(f"not retiring: {decision.reason}")


# --- intake, import, notify -------------------------------------------------------


def _print_outcomes(ctx: Context, outcomes, notes=()) -> None:
    from ..intake import inbox

    for note in notes:
        _echo(f"note: {note}")
    for outcome in outcomes:
        for line in inbox.describe(outcome, ctx.site):
            _echo(line, err=outcome.action == "rejected")
    _echo(inbox.summary(outcomes))


@contextlib.contextmanager
def _opened(ctx: Context, files: list[Path]):
    """Inputs as plain files: a kept message sealed as ``*.age`` is opened (with the key) for a retry.

    The opened copy lives in a private temporary folder for the run only, under
    the original name, never in the site.
    """
    import tempfile

    from ..core import sealing

    if not any(f.name.endswith(sealing.SEALED_FILE_SUFFIX) for f in files):
        yield files
        return
    with tempfile.TemporaryDirectory(prefix="floor-opened-") as tmp:
        out = []
        for n, f in enumerate(files):
            if not f.name.endswith(sealing.SEALED_FILE_SUFFIX):
                out.append(f)
                continue
            data = ctx.site.keys.open_bytes(f.read_bytes(), where=f)
            target = Path(tmp) / str(n) / f.name.removesuffix(sealing.SEALED_FILE_SUFFIX)
            target.parent.mkdir(mode=0o700)
            target.write_bytes(data)
            out.append(target)
        yield out


def _intake_notify(func):
    return click.option(
        "--notify/--no-notify",
        default=False,
        help="These readers agreed to hear when their answer is up (floor notify).",
    )(func)


@main.group(name="intake")
def intake_group() -> None:
    """Bring questions in from email, a CSV file or GitHub issues (docs/intake.md).

    Safe to re-run: a message already on file is skipped. A near-duplicate of a
    queued or published question is merged into it (undo with floor split).
    """


@intake_group.command(name="eml")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_intake_notify
@today_option
@pass_ctx
def intake_eml(ctx: Context, files: tuple[Path, ...], notify: bool) -> None:
    """Add the question in each .eml FILE (one email per file)."""
    from ..intake import inbox, intake_email

    now = ctx.now()
    with _opened(ctx, list(files)) as opened:
        messages = intake_email.read_eml(
            opened, tz=ctx.site.settings.timezone, today=now.date(), notify=notify
        )
    _print_outcomes(ctx, inbox.process(ctx.site, messages, now))


@intake_group.command(name="mbox")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_intake_notify
@today_option
@pass_ctx
def intake_mbox(ctx: Context, file: Path, notify: bool) -> None:
    """Add the question in each message of an mbox mailbox FILE."""
    from ..intake import inbox, intake_email

    now = ctx.now()
    with _opened(ctx, [file]) as (opened,):
        messages = intake_email.read_mbox(
            opened, tz=ctx.site.settings.timezone, today=now.date(), notify=notify
        )
    _print_outcomes(ctx, inbox.process(ctx.site, messages, now))


@intake_group.command(name="csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", default="notes", show_default=True, help="For rows without a source column.")
@click.option(
    "--dates",
    type=click.Choice(["auto", "dmy", "mdy"]),
    default="auto",
    show_default=True,
    help="Order of dates like 05/11/2026: day first, month first, or found from the file.",
)
@_intake_notify
@today_option
@pass_ctx
def intake_csv(ctx: Context, file: Path, source: str, dates: str, notify: bool) -> None:
    """Add one question per row of a CSV FILE (columns by header name: docs/intake.md)."""
    from ..intake import inbox, intake_csv

    now = ctx.now()
    with _opened(ctx, [file]) as (opened,):
        messages, notes = intake_csv.read(opened, source=source, today=now.date(), notify=notify, dates=dates)
    _print_outcomes(ctx, inbox.process(ctx.site, messages, now), notes)


@intake_group.command(name="github")
@click.option(
    "--repo", required=True, metavar="OWNER/NAME", help="The repository whose issues hold questions."
)
@click.option("--label", default="question", show_default=True, help="Import open issues with this label.")
@click.option(
    "--comment/--no-comment",
    default=None,
    help="Thank each reader on their issue when it is taken in (default: FLOOR_GITHUB_INTAKE_COMMENT).",
)
@_intake_notify
@today_option
@pass_ctx
def intake_github(ctx: Context, repo: str, label: str, comment: bool | None, notify: bool) -> None:
    """Add each open issue labelled LABEL (token: GITHUB_TOKEN)."""
    from ..errors import FloorError
    from ..intake import inbox, issue_form
    from ..intake import intake_github as intake_github_mod
    from ..services import github_api

    now = ctx.now()
    text = intake_github_mod.comment_text(ctx.site.settings.raw, comment)
    api = github_api.client(ctx.site.settings.raw, need_token=text is not None)
    form = issue_form.for_site(ctx.site.root, label)
    messages = intake_github_mod.read(
        api,
        github_api.check_repo(repo),
        label,
        tz=ctx.site.settings.timezone,
        today=now.date(),
        notify=notify,
        form=form,
    )
    outcomes = inbox.process(ctx.site, messages, now)
    _print_outcomes(ctx, outcomes)
    problems = intake_github_mod.comment_taken(api, messages, outcomes, text) if text else []
    if problems:
        raise FloorError(
            "the questions are filed, but these issues got no comment (leave one by hand): "
            + "; ".join(problems)
        )


@main.command(name="split")
@click.argument("qid", metavar="ID")
@click.option(
    "--entry",
    type=click.IntRange(min=1),
    help="Which merged reader: 1 is the first merged (default: the last).",
)
@pass_ctx
def split_cmd(ctx: Context, qid: str, entry: int | None) -> None:
    """Undo a merge: reader ENTRY of question ID becomes a question of its own."""
    from ..intake import split as split_mod

    new_id, reader = split_mod.split(ctx.site, qid.removesuffix(".md"), entry)
    _echo(f"split off {new_id}: {reader.question}")


@main.command(name="import")
@click.argument("source")
@click.option("--label", help="Import only posts with this category (WordPress) or label (Blogger, feeds).")
@click.option("--all", "import_all", is_flag=True, help="Import every post in SOURCE.")
@click.option(
    "--title-pattern",
    help="The old posts' title pattern, to find the question in a title "
    "(e.g. 'Ask Robin #{number}: {question}'; default: FLOOR_TITLE).",
)
@click.option("--old-url", help="The old blog's address (a Blogger Takeout export gives only paths).")
@click.option("--dry-run", is_flag=True, help="Change nothing; print the report of what would be imported.")
@click.option(
    "--timezone",
    "old_zone",
    help="The old blog's time zone, for WordPress posts that have only a local date "
    "(default: the site's TIMEZONE).",
)
@pass_ctx
def import_cmd(
    ctx: Context, source: str, label, import_all: bool, title_pattern, old_url, dry_run: bool, old_zone
) -> None:
    """Import earlier posts (WordPress export, Blogger export, RSS/Atom feed) as published posts.

    SOURCE is a file or an http(s) address. Only public, published posts are
    imported; the report lists every post (its question, where its quick answer
    came from, what changed) and counts what was skipped. Numbers follow dates:
    imported posts come first and posts already here are renumbered after them
    (their URLs never change). Safe to re-run: a post already imported is skipped.
    """
    import zoneinfo

    from ..intake import importer

    if (label is None) == (not import_all):
        raise click.UsageError("give --label NAME (posts with that category or label), or --all")
    try:
        zone = zoneinfo.ZoneInfo(old_zone) if old_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(
            f"{old_zone!r} is not a time zone (e.g. Europe/London)", param_hint="--timezone"
        ) from None
    result = importer.run(
        ctx.site,
        source,
        label=label,
        title_pattern=title_pattern,
        old_url=old_url,
        dry_run=dry_run,
        timezone=zone,
    )
    for line in importer.report_lines(result):
        click.echo(line)


@main.command(name="notify")
@click.option("--dry-run", is_flag=True, help="Print the notes (with addresses); send and record nothing.")
@click.option("--site-url", help="The site's public address (default: FLOOR_SITEURL, then SITEURL).")
@click.option("--commit", "do_commit", is_flag=True, help="Commit the records of who was told (git).")
@today_option
@pass_ctx
def notify_cmd(ctx: Context, dry_run: bool, site_url: str | None, do_commit: bool) -> None:
    """Tell each reader who agreed that their answer is up: by email, or on their GitHub issue.

    Each reader is told once (the post file records it). Exit 1 if any note failed.
    """
    from ..commands import notify as notify_mod

    now = ctx.now()
    notes, skipped = notify_mod.pending(ctx.site, now, site_url)
    for line in skipped:
        _echo(f"warning: cannot notify {line}", err=True)
    if dry_run:
        for note in notes:
            _echo(notify_mod.preview(note))
        click.echo(f"dry run: {len(notes)} to notify; nothing was sent or recorded")
        return
    if not notes:
        click.echo("nobody to notify")
        return
    if do_commit:
        from ..services import gitops

        gitops.ensure_repo(ctx.site)  # refuse before sending, not after
    result = notify_mod.send(ctx.site, notes, now)
    for line in result.sent:
        _echo(line)
    for line in result.failed:
        _echo(f"failed: {line}", err=True)
    click.echo(f"{len(result.sent)} sent, {len(result.failed)} failed")
    if do_commit:  # the records are committed even when a note failed: only failures retry
        paths = sorted({str(n.post.path.relative_to(ctx.site.root)) for n in notes})
        made = gitops.commit_paths(ctx.site, paths, "Record who was told their answer is up")
        if made:
            click.echo(f"committed: {made}")
    if result.failed:
        sys.exit(1)


@main.command()
@click.option("--write", is_flag=True, help="Write .github/workflows/weekly.yml instead of printing it.")
@pass_ctx
def workflow(ctx: Context, write: bool) -> None:
    """The weekly GitHub Actions job, its cron fitted to this site's schedule."""
    _write_workflow(ctx, write)


def _write_workflow(ctx: Context, write: bool, *, warn: bool = True) -> None:
    """Print or write the workflow; writing one whose install step would fail is refused."""
    from ..commands import kit_pin
    from ..commands import workflow as workflow_mod
    from ..core.atomic import atomic_write_text

    source = workflow_mod.source_for(ctx.site.root)
    text = workflow_mod.render(ctx.site.settings, source=source)
    if not write:
        click.echo(text, nl=False)
        return
    if source == "site":
        pin = kit_pin.find_pin(ctx.site_dir)  # a missing file or kit line: the error, nothing written
        if warn:
            _warn_mismatch(pin)
    target = ctx.site.root / ".github" / "workflows" / "weekly.yml"
    atomic_write_text(target, text)
    click.echo(f"wrote {target}")


# --- readers' contacts, sealed at rest ---------------------------------------------


@main.command(name="seal")
@pass_ctx
def seal_cmd(ctx: Context) -> None:
    """Seal every contact stored in plain text (creates the key pair if the site has none)."""
    from ..commands import seal_site

    report = seal_site.seal(ctx.site)
    for line in report.lines(ctx.site):
        click.echo(line)
    if report.created_key:
        click.echo(_secret_hint(ctx.site))


@main.group(name="keys")
def keys_group() -> None:
    """The column's key pair: contacts are sealed to its public key."""


@keys_group.command(name="init")
@pass_ctx
def keys_init(ctx: Context) -> None:
    """Create the key pair if the site has none (floor init does this for a new site)."""
    from ..commands import seal_site

    created = seal_site.ensure_keys(ctx.site)
    if created is None:
        click.echo(f"this site already has a public key: {ctx.site.keys.recipient}")
        return
    click.echo(f"created {created.relative_to(ctx.site.root)} (git-ignored; keep a copy somewhere safe)")
    click.echo(_secret_hint(ctx.site))


@keys_group.command(name="show")
@pass_ctx
def keys_show(ctx: Context) -> None:
    """The public key, where the private key is looked for, and whether it is here."""
    from ..core import sealing

    keys = ctx.site.keys
    click.echo(f"public key ({sealing.SETTING}): {keys.recipient or 'none: run floor keys init'}")
    where = "found" if keys.key_file.exists() else "missing"
    click.echo(f"private key file: {keys.key_file.relative_to(ctx.site.root)} ({where})")
    env = "set" if (keys.env_key or "").strip() else "not set"
    click.echo(f"{sealing.ENV_KEY} environment variable: {env}")
    click.echo(f"can open sealed contacts: {'yes' if keys.can_open else 'no'}")


@keys_group.command(name="rotate")
@pass_ctx
def keys_rotate(ctx: Context) -> None:
    """Re-seal every contact to a new key pair (the old key is kept in the key file)."""
    from ..commands import seal_site

    report = seal_site.rotate(ctx.site)
    for line in report.lines(ctx.site, verb="re-sealed"):
        click.echo(line)
    click.echo(f"new public key: {ctx.site.keys.recipient}")
    click.echo(_secret_hint(ctx.site))


def _secret_hint(site) -> str:
    from ..core import sealing

    rel = site.keys.key_file.relative_to(site.root)
    return (
        f"for floor notify in GitHub Actions, store the private key as the repository secret "
        f"{sealing.ENV_KEY}: gh secret set {sealing.ENV_KEY} < {rel}"
    )


@main.command(name="show")
@click.argument("qid", metavar="ID")
@pass_ctx
def show_cmd(ctx: Context, qid: str) -> None:
    """The author's view of one question or post, contacts opened with the private key."""
    from ..core import queue as queue_mod
    from ..core import sealing
    from ..intake.intake import clean_text

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
        return clean_text(opened) + ("" if sealing.is_sealed(value) else " (plain text: run floor seal)")

    click.echo(f"{item.id} [{item.status}]: {clean_text(item.question)}")
    click.echo(f"  asked {item.asked.isoformat()} by {clean_text(item.asker or 'anonymous')}")
    click.echo(f"  contact: {contact(item.contact)}")
    for n, entry in enumerate(item.also_asked_by, start=2):
        click.echo(
            f"  reader {n}: {clean_text(entry.asker or 'anonymous')}, contact: {contact(entry.contact)}"
        )


def _warn_mismatch(pin) -> None:
    from ..commands import kit_pin

    note = kit_pin.mismatch(pin)
    if note:
        click.echo(f"warning: {pin.path}:{pin.line}: {note}", err=True)


@main.command()
@click.option("--to", "to", metavar="VERSION", help="The kit version to pin (default: the installed one).")
@pass_ctx
def upgrade(ctx: Context, to: str | None) -> None:
    """Pin the site's requirements.txt to a kit version and refit the weekly workflow.

    Upgrade the kit first (`pip install --upgrade from-the-floor`), then run this:
    the weekly job installs exactly what requirements.txt pins.
    """
    from ..commands import kit_pin

    if kit_pin.is_kit_checkout(ctx.site_dir):
        raise click.UsageError("this is the kit's own repository: its workflow installs the checkout")
    ctx.site  # noqa: B018 - refuse a folder that is not a site before writing anything
    old, new = kit_pin.upgrade(ctx.site_dir, to)
    path = ctx.site_dir / kit_pin.REQUIREMENTS
    if old == new:
        click.echo(f"{path}: already pins {kit_pin.DIST} {new}")
    else:
        click.echo(f"{path}: {kit_pin.DIST} {old or '(none)'} -> {new}")
    _write_workflow(ctx, True, warn=False)
    if new != kit_pin.installed_version():
        click.echo(
            f"then: pip install -r {path} and `floor workflow --write` with that kit "
            f"(this machine runs {kit_pin.installed_version()}, whose workflow was written)"
        )


def run() -> None:
    """Console-script entry point; click's own exit codes (2 for usage) apply."""
    main(prog_name="floor")


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUTF8", "1")
    run()
