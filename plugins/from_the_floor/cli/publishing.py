"""The schedule and the weekly run: schedule, publish, stats, withdraw."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import click

from .. import paths
from .main import Context, _echo, _json, main, pass_ctx, today_option

if TYPE_CHECKING:
    from ..core.retire_switch import Switch
    from ..core.site import Site

# --- the schedule and publishing -----------------------------------------------


@main.command()
@click.option("--weeks", type=click.IntRange(min=1), help="Show only the next N weeks.")
@click.option("--json", "as_json", is_flag=True)
@today_option
@pass_ctx
def schedule(ctx: Context, weeks: int | None, as_json: bool) -> None:
    """The plan of upcoming posts, and when the last one goes out."""
    from ..commands import report
    from ..core import heap, withdrawn
    from ..core import queue as queue_mod
    from ..core import schedule as schedule_mod

    with heap.collector_off():  # the queue and its plan stay until printed (core/heap.py)
        q = queue_mod.load(ctx.site)
        report.stop_for_unread(q.errors, report.NO_PLAN)
        now = ctx.now()
        plan = schedule_mod.make_plan(
            q.queued, ctx.site.settings, now, q.published, withdrawn.posted_dates(ctx.site.root)
        )
        from ..core import retire as retire_mod

        if as_json:
            data = plan.as_json(weeks, now)
            data["retirement"] = retire_mod.forecast_json(ctx.site, plan, q.published)
            from ..core import json_text  # json.dumps(…, indent=2)'s text, sooner

            click.echo(json_text.dumps(data))
        else:
            began = report.column_began(ctx.site, q.published, now)
            _echo(report.schedule_text(plan, now, weeks, {i.id: i for i in q.queued}, began=began))
            _echo(retire_mod.forecast_text(ctx.site, plan, q.published, now))


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

    now = ctx.now()
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    run = weekly.run(ctx.site, now, dry_run=dry_run, commit=do_commit)
    said = weekly.report(
        run,
        dry_run=dry_run,
        commit=do_commit,
        schedule_doc=paths.doc("schedule.md"),
        in_actions=in_actions,
    )
    for line in said.lines:
        _echo(line)
    if said.error is not None:
        raise said.error
    for line in said.warnings:
        click.echo(line, err=True)
    # the weekly job that committed nothing: GitHub's 60-day switch-off, said in time (a failed
    # run mails the author; a green one is never read). A retired column may stop.
    made = run.result.posts or run.committed or run.earlier_committed or run.retirement_committed
    if in_actions and not dry_run and not made and run.result.retired_on is None:
        from ..errors import FloorError

        if warning := weekly.switch_off_warning(ctx.site, now):
            raise FloorError(warning)


@main.command(name="stats")
@click.option(
    "--json", "as_json", is_flag=True, help=f"Print JSON (documented in {paths.doc('reader-site.md')})."
)
@today_option
@pass_ctx
def stats_cmd(ctx: Context, as_json: bool) -> None:
    """The column in numbers: received, answered, declined, waiting, speed, tags, forecast."""
    from ..commands import report
    from ..core import queue as queue_mod
    from ..core import schedule as schedule_mod
    from ..core import stats as stats_mod
    from ..core import withdrawn

    q = queue_mod.load(ctx.site)
    report.stop_for_unread(q.errors, report.NO_STATS)
    now = ctx.now()
    gone = withdrawn.posted(ctx.site.root)
    plan = schedule_mod.make_plan(q.queued, ctx.site.settings, now, q.published, withdrawn.dates(gone))
    result = stats_mod.compute(q.queued, q.published, plan, now, withdrawn.numbers(gone))
    from ..core import retire_switch

    switch = retire_switch.switch(ctx.site)
    if as_json:
        data = {**result.as_json(), "retirement": switch.as_json()}
        click.echo(_json(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        _echo(stats_mod.text(result))
        _echo(f"retirement {_retirement_state(ctx.site, switch)}")


def _retirement_state(site: Site, switch: Switch) -> str:
    """The stats' retirement line: a column that has retired says so, not what the switch
    would do "once every question is done" (which reads as if it were still to come)."""
    from ..core import retire as retire_mod
    from ..core.waiting import day_text

    retired = retire_mod.state(site)
    if retired is None:
        return switch.state()
    day = retired.retired.astimezone(site.settings.timezone).date()
    return f"retired on {day_text(day)} (`floor unretire` reverses it)"


@main.command(name="push")
@pass_ctx
def push_cmd(ctx: Context) -> None:
    """Commit the column's changed questions and posts (one commit), bring in the remote's new
    commits (the weekly job's posts), then send the commits (git push).

    Only files in questions/ and the posts folder are committed; your own commits are replayed on
    the remote's (never a force-push). If both sides changed the same file, or the push fails,
    that commit is undone and the files are left as they were.
    """
    from ..commands import push as push_mod

    for line in push_mod.run(ctx.site).lines():
        _echo(line)


@main.command(name="withdraw")
@click.argument("post_id", metavar="ID")
@click.option(
    "--note",
    metavar="TEXT",
    help="A public line for the notice page (never the reader's name or words), "
    "e.g. 'At the reader's request.'",
)
@click.option(
    "--forget-address",
    is_flag=True,
    help="Leave no notice and keep nothing of the post's address, which is made from the question's "
    "words (it may name the reader): the address answers 'not found'. Also for a post withdrawn before.",
)
@click.option(
    "--commit", "do_commit", is_flag=True, help="Commit withdrawn.json and the removed files with git."
)
@today_option
@pass_ctx
def withdraw_cmd(ctx: Context, post_id: str, note: str | None, forget_address: bool, do_commit: bool) -> None:
    """Take published post ID down: a notice stays at its address; the reader's words are deleted.

    See docs/withdrawing.md. Running it again finishes a run that was stopped.
    """
    from ..commands import withdraw as withdraw_mod

    now = ctx.now()
    done = withdraw_mod.withdraw(
        ctx.site,
        post_id,
        today=now.astimezone(ctx.site.settings.timezone).date(),
        note=note,
        commit=do_commit,
        forget_address=forget_address,
    )
    for line in done.lines:
        _echo(line)
