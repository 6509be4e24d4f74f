"""Ending the column and taking it back: retire, unretire, retire-if-due."""

from __future__ import annotations

import click

from ..core.waiting import day_text
from .main import Context, _echo, main, pass_ctx, today_option

# --- retirement ----------------------------------------------------------------


def _retire_commit(ctx: Context, do_commit: bool, subject: str) -> None:
    if do_commit:
        from ..services import gitops

        _echo_earlier(gitops.commit_unrecorded_publish(ctx.site))  # posts first, as the weekly job does
        made = gitops.commit_state(ctx.site, subject)
        click.echo(f"committed: {made}" if made else "nothing to commit")


def _commit_left_over(ctx: Context, do_commit: bool, subject: str) -> None:
    """When there is nothing to change: commit retired.json as an earlier, stopped run left it.

    A run stopped between writing retired.json and its commit leaves the
    change in the folder only; the re-run finds nothing to do, and without
    this the repository (and the weekly job, which works from it) would never
    see the retirement (or its removal).
    """
    if do_commit:
        from ..services import gitops

        made = gitops.commit_state(ctx.site, subject)
        if made:
            click.echo(f"committed what an earlier run left uncommitted: {made}")


def _echo_earlier(subject: str | None) -> None:
    if subject:
        _echo(f"committed an earlier publish that was never committed: {subject}")


@main.command(name="retire")
@click.option("--mode", type=click.Choice(["archive", "redirect"]), help="Default: FLOOR_RETIRE_MODE.")
@click.option("--to", "to", metavar="URL", help="The new home (redirect mode). Default: FLOOR_RETIRE_TO.")
@click.option("--force", is_flag=True, help="Retire even though questions are ready, held or unanswered.")
@click.option(
    "--when-done",
    "when_done",
    is_flag=True,
    help="Do not retire now: arm the switch, so the weekly job retires the column once every "
    "question is done (FLOOR_AUTO_RETIRE = True in pelicanconf.py).",
)
@click.option("--disarm", is_flag=True, help="Turn the switch off again (FLOOR_AUTO_RETIRE = False).")
@click.option("--commit", "do_commit", is_flag=True, help="Commit retired.json (or pelicanconf.py) with git.")
@today_option
@pass_ctx
def retire_cmd(
    ctx: Context,
    mode: str | None,
    to: str | None,
    force: bool,
    when_done: bool,
    disarm: bool,
    do_commit: bool,
) -> None:
    """End the column: the next build is an archive (or redirects to --to).

    Refused (exit 1, listing them) while any question is ready, held or
    unanswered, unless --force; declined questions count as done. With
    --when-done it retires nothing now and arms the column to retire by itself
    when it is done; --disarm turns that off. Nothing is armed by default.
    """
    from ..core import retire as retire_mod
    from ..services import gitops

    if when_done or disarm:
        if (when_done and disarm) or mode or to or force:
            raise click.UsageError("--when-done and --disarm go alone (set the mode in FLOOR_RETIRE_MODE)")
        _switch(ctx, when_done, do_commit)
        return
    if do_commit:
        gitops.ensure_repo(ctx.site)
    result = retire_mod.retire(ctx.site, mode, to, ctx.now(), force)
    r = result.retirement
    where = f", to {r.to}" if r.mode == "redirect" else ""
    if not result.changed:
        click.echo(f"already retired on {day_text(r.retired.date())} ({r.mode}{where}); nothing changed")
        _commit_left_over(ctx, do_commit, retire_mod.retire_subject(r))
        return
    if result.previous is not None:
        click.echo(f"still retired since {day_text(r.retired.date())}; now {r.mode}{where}")
    else:
        click.echo(f"retired the column on {day_text(r.retired.date())} ({r.mode}{where})")
        if result.left:
            left = retire_mod.describe_remaining(result.left)
            _echo(f"left in {ctx.site.questions_dir.name}/ (--force): {left}")
    click.echo(f"{retire_mod.STATE_FILE} records it; `floor build` makes the retired site")
    _retire_commit(ctx, do_commit, retire_mod.retire_subject(r))


def _switch(ctx: Context, armed: bool, do_commit: bool) -> None:
    """`floor retire --when-done` / `--disarm`: set the switch, then say what it means now."""
    from ..commands import retirement_switch

    for line in retirement_switch.flip(ctx.site, armed, ctx.now(), commit=do_commit).lines:
        _echo(line)


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
        _commit_left_over(ctx, do_commit, "Unretire the column")
        return
    click.echo(f"unretired: the column (retired on {day_text(previous.retired.date())}) is live again")
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
        _echo(f"retired the column on {day_text(r.retired.date())} ({r.mode}): {decision.reason}")
        _retire_commit(ctx, do_commit, retire_mod.retire_subject(r))
    else:
        _echo(f"not retiring: {decision.reason}")
        retired = retire_mod.state(ctx.site)
        if retired is not None:
            _commit_left_over(ctx, do_commit, retire_mod.retire_subject(retired))
