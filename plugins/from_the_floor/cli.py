"""The `floor` command: a thin click layer over the core modules.

Everything heavy (YAML, Markdown, Pelican) is imported inside the commands,
so `floor --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click


class Context:
    """What every command shares: the site folder and the injectable 'today'."""

    def __init__(self, site_dir: Path, today: str | None) -> None:
        self.site_dir = site_dir
        self.today = today
        self._site = None

    @property
    def site(self):
        if self._site is None:
            from .site import Site

            self._site = Site(self.site_dir)
            self._site.settings  # noqa: B018 - validate settings up front
        return self._site

    def now(self) -> dt.datetime:
        from . import clock

        return clock.now(self.site.settings.timezone, self.today)


pass_ctx = click.make_pass_decorator(Context)


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
        from .errors import FloorError

        try:
            return super().invoke(ctx)
        except FloorError as exc:
            click.echo(f"error: {exc.message}", err=True)
            ctx.exit(1)


@click.group(cls=FloorGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    from . import init_site

    created = init_site.create(directory, title=title, author=author, timezone=timezone, url=url)
    click.echo(f"created {len(created)} files in {directory}")
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
@click.option("--asked", "asked", metavar="DATE", help="When it was asked (default: today).")
@today_option
@pass_ctx
def ask(ctx: Context, text, asker, credit, contact, source, tags, details, asked) -> None:
    """Add a question to the queue (TEXT, or read from stdin). Prints its id."""
    from . import intake

    if not text:
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
    qid = intake.add(
        ctx.site,
        intake.NewQuestion(
            question=text,
            asked=asked_date,
            asker=asker,
            contact=contact,
            source=source,
            tags=list(tags),
            details=details,
            credit=credit,
        ),
    )
    click.echo(qid)


def _find(ctx: Context, qid: str):
    """The queued question ID; a published or unknown id is a clear error."""
    from . import question as question_mod
    from . import queue as queue_mod

    qid = qid.removesuffix(".md")
    path = ctx.site.questions_dir / f"{qid}.md"
    if path.exists():
        return question_mod.load(path)
    return queue_mod.load(ctx.site).find(qid)


@main.command()
@click.argument("qid", metavar="ID")
@click.option("--quick", help="The quick answer.")
@click.option("--body", help="The more thoughtful answer (Markdown); '-' reads stdin.")
@click.option("--edit", is_flag=True, help="Open the file in $VISUAL / $EDITOR.")
@pass_ctx
def answer(ctx: Context, qid: str, quick, body, edit) -> None:
    """Write or edit the answers to question ID."""
    from . import edit as edit_mod
    from .errors import FloorError
    from .question import read_text

    q = _find(ctx, qid)
    if quick is None and body is None and not edit:
        raise click.UsageError("give --quick, --body or --edit")
    if body == "-":
        body = sys.stdin.read()
    if quick is not None or body is not None:
        changes = {"quick_answer": " ".join(quick.split())} if quick is not None else {}
        q = edit_mod.update(q, changes, body=body)
    if edit:
        edited = click.edit(read_text(q.path), extension=".md", require_save=True)
        if edited is None:
            click.echo("no changes saved")
            return
        try:
            q = edit_mod.replace_text(q, edited)
        except FloorError as exc:
            keep = q.path.with_name(f".{q.path.stem}.rejected-edit.md")
            from .atomic import atomic_write_text

            atomic_write_text(keep, edited)
            raise FloorError(
                f"{exc.problem}; your edit is kept in {keep}", path=exc.path, field=exc.field, line=exc.line
            ) from None
    click.echo(f"{q.id}: {q.status}")


@main.command()
@click.argument("qid", metavar="ID")
@click.option("--reason", required=True, help="Private note: why it will not be answered.")
@pass_ctx
def decline(ctx: Context, qid: str, reason: str) -> None:
    """Decline question ID (it counts as done, and is never published)."""
    from . import edit as edit_mod

    q = edit_mod.update(_find(ctx, qid), {"declined": " ".join(reason.split())})
    click.echo(f"{q.id}: {q.status}")


@main.command()
@click.argument("qid", metavar="ID")
@pass_ctx
def hold(ctx: Context, qid: str) -> None:
    """Keep question ID out of the schedule until released."""
    from . import edit as edit_mod

    q = edit_mod.update(_find(ctx, qid), {"hold": True})
    click.echo(f"{q.id}: {q.status}")


@main.command()
@click.argument("qid", metavar="ID")
@pass_ctx
def release(ctx: Context, qid: str) -> None:
    """Let a held question ID be scheduled again."""
    from . import edit as edit_mod

    q = edit_mod.update(_find(ctx, qid), {"hold": None})
    click.echo(f"{q.id}: {q.status}")


@main.command(name="queue")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in the README).")
@click.option("--all", "show_all", is_flag=True, help="Include published posts.")
@today_option
@pass_ctx
def queue_cmd(ctx: Context, as_json: bool, show_all: bool) -> None:
    """The queue, with each question's derived status."""
    from . import queue as queue_mod
    from . import report

    q = queue_mod.load(ctx.site)
    q.raise_errors()
    items = q.queued + (q.published if show_all else [])
    today = ctx.now().date()
    if as_json:
        click.echo(json.dumps([report.queue_item(i, today) for i in items], indent=2, ensure_ascii=False))
    else:
        click.echo(report.queue_table(items, today))


@main.command()
@click.option("--json", "as_json", is_flag=True)
@today_option
@pass_ctx
def check(ctx: Context, as_json: bool) -> None:
    """Validate every question and the settings."""
    from . import report
    from .errors import FloorError

    try:
        site = ctx.site
    except FloorError as exc:
        result = {"ok": False, "errors": [exc.as_dict()], "warnings": [], "queued": 0, "published": 0}
    else:
        result = report.check(site, ctx.now())
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for err in result["errors"]:
            click.echo("error: " + report.format_problem(err), err=True)
        for warn in result["warnings"]:
            click.echo("warning: " + report.format_problem(warn), err=True)
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
    from . import queue as queue_mod
    from . import report
    from . import schedule as schedule_mod

    q = queue_mod.load(ctx.site)
    q.raise_errors()
    now = ctx.now()
    plan = schedule_mod.make_plan(q.queued, ctx.site.settings, now, q.published)
    if as_json:
        click.echo(json.dumps(plan.as_json(weeks, now), indent=2))
    else:
        click.echo(report.schedule_text(plan, now, weeks, {i.id: i for i in q.queued}))


@main.command()
@click.option("--dry-run", is_flag=True, help="Change nothing; say what would be published.")
@click.option("--commit", "do_commit", is_flag=True, help="Make one git commit naming the post.")
@today_option
@pass_ctx
def publish(ctx: Context, dry_run: bool, do_commit: bool) -> None:
    """Publish what is due now (the weekly job). Safe to re-run."""
    from . import publish as publish_mod

    result = publish_mod.publish(ctx.site, ctx.now(), dry_run=dry_run)
    if result.nothing_due:
        click.echo("nothing due")
        return
    verb = "would publish" if dry_run else "published"
    for post in result.posts:
        click.echo(f"{verb} #{post.number} ({post.date.isoformat()}): {', '.join(post.ids)}")
    if do_commit and not dry_run:
        from . import gitops

        gitops.commit_publish(ctx.site, result)


# --- building ------------------------------------------------------------------


@main.command()
@click.option(
    "--settings", "settings_file", help="Settings file (default pelicanconf.py; the job uses publishconf.py)."
)
@click.option("-v", "--verbose", is_flag=True)
@pass_ctx
def build(ctx: Context, settings_file: str | None, verbose: bool) -> None:
    """Build the site into output/ with Pelican."""
    from . import build as build_mod

    build_mod.build(ctx.site, settings_file=settings_file, verbose=verbose)
    click.echo(f"built {ctx.site.output_dir}")


@main.command()
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--bind", default="127.0.0.1", show_default=True)
@click.option("--build/--no-build", "do_build", default=True, show_default=True, help="Build first.")
@pass_ctx
def serve(ctx: Context, port: int, bind: str, do_build: bool) -> None:
    """Serve output/ for a local preview at http://localhost:PORT."""
    from . import build as build_mod

    if do_build:
        build_mod.build(ctx.site)
    host = "localhost" if bind in ("127.0.0.1", "0.0.0.0") else bind
    click.echo(f"serving {ctx.site.output_dir} at http://{host}:{port}/ (Ctrl-C stops)")
    build_mod.serve(ctx.site, bind=bind, port=port)


def run() -> None:
    """Console-script entry point; click's own exit codes (2 for usage) apply."""
    main(prog_name="floor")


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUTF8", "1")
    run()
