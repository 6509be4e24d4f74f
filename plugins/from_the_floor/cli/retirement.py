"""Ending the column and taking it back: retire, unretire, retire-if-due."""

from __future__ import annotations

import click

from .main import Context, _echo, main, pass_ctx, today_option

# --- retirement ----------------------------------------------------------------


def _retire_commit(ctx: Context, do_commit: bool, subject: str) -> None:
    if do_commit:
        from ..services import gitops

        _echo_earlier(gitops.commit_unrecorded_publish(ctx.site))  # posts first, as the weekly job does
        made = gitops.commit_state(ctx.site, subject)
        click.echo(f"committed: {made}" if made else "nothing to commit")


def _echo_earlier(subject: str | None) -> None:
    if subject:
        _echo(f"committed an earlier publish that was never committed: {subject}")


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
