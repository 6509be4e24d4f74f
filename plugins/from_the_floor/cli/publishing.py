"""The schedule and the weekly run: schedule, publish, stats."""

from __future__ import annotations

import json

import click

from .. import paths
from .main import Context, _echo, _json, main, pass_ctx, today_option

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
