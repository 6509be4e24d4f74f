"""Questions from outside and earlier posts: intake, split, import, notify."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from ..errors import FloorError
from .main import Context, _echo, _note_if_retired, main, pass_ctx, today_option

# --- intake, import, notify -------------------------------------------------------


def _say(line: str, problem: bool) -> None:
    """Print one intake line as it happens (a problem on stderr)."""
    _echo(line, err=problem)


def _print_summary(ctx: Context, outcomes) -> None:
    from ..intake import inbox

    _echo(inbox.summary(outcomes))
    if any(o.action in ("added", "merged") for o in outcomes):
        _note_if_retired(ctx.site, several=True)


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
    from ..commands import take_in

    with _opened(ctx, list(files)) as opened:
        outcomes, _ = take_in.intake(ctx.site, "eml", opened, ctx.now(), notify=notify, said=_say)
    _print_summary(ctx, outcomes)


@intake_group.command(name="mbox")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_intake_notify
@today_option
@pass_ctx
def intake_mbox(ctx: Context, file: Path, notify: bool) -> None:
    """Add the question in each message of an mbox mailbox FILE."""
    from ..commands import take_in

    with _opened(ctx, [file]) as opened:
        outcomes, _ = take_in.intake(ctx.site, "mbox", opened, ctx.now(), notify=notify, said=_say)
    _print_summary(ctx, outcomes)


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
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=TITLE",
    help="Which column holds a field, by its title, e.g. --column question='Any other suggestions?' "
    "(fields: question, details, asker, contact, asked, tags, credit, notify, source, id).",
)
@_intake_notify
@today_option
@pass_ctx
def intake_csv(
    ctx: Context, file: Path, source: str, dates: str, columns: tuple[str, ...], notify: bool
) -> None:
    """Add one question per row of a CSV FILE (columns by header name: docs/intake.md)."""
    from ..commands import take_in

    chosen: dict[str, str] = {}
    for given in columns:
        field, equals, title = given.partition("=")
        if not equals or not field.strip() or not title.strip():
            raise click.BadParameter(f"{given!r} is not FIELD=TITLE", param_hint="--column")
        chosen[field.strip().lower()] = title
    with _opened(ctx, [file]) as opened:
        outcomes, _ = take_in.intake(
            ctx.site,
            "csv",
            opened,
            ctx.now(),
            notify=notify,
            source=source,
            dates=dates,
            columns=chosen,
            said=_say,
        )
    _print_summary(ctx, outcomes)


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
    from ..commands import take_in

    outcomes = inbox.process(ctx.site, messages, now, filed=take_in.telling(ctx.site, _say))
    _print_summary(ctx, outcomes)
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


@main.command(name="merge")
@click.argument("qid", metavar="ID")
@click.option("--into", "into", required=True, metavar="OTHER", help="The question ID repeats.")
@pass_ctx
def merge_cmd(ctx: Context, qid: str, into: str) -> None:
    """Merge queued question ID into OTHER: its reader joins OTHER's (undo with floor split)."""
    from ..intake import merge as merge_mod

    qid = qid.removesuffix(".md")
    target = merge_mod.merge(ctx.site, qid, into.removesuffix(".md"))
    _echo(merge_mod.merged_line(qid, target))


@main.command(name="import")
@click.argument("source")
@click.option(
    "--label",
    help="Import only posts with this category (WordPress, Squarespace), label (Blogger, feeds) or tag "
    "(Ghost, Medium).",
)
@click.option("--all", "import_all", is_flag=True, help="Import every post in SOURCE.")
@click.option(
    "--title-pattern",
    help="The old posts' title pattern, to find the question in a title "
    "(e.g. 'Ask Robin #{number}: {question}'; default: FLOOR_TITLE).",
)
@click.option(
    "--old-url",
    help="The old blog's address (Blogger Takeout and Substack exports give only paths; Ghost writes "
    "__GHOST_URL__).",
)
@click.option("--dry-run", is_flag=True, help="Change nothing; print the report of what would be imported.")
@click.option(
    "--timezone",
    "old_zone",
    help="The old blog's time zone, for WordPress posts that have only a local date "
    "(default: the site's TIMEZONE).",
)
@click.option(
    "--own-name",
    "own_name",
    multiple=True,
    metavar="NAME",
    help="Your name on the old blog (repeatable): posts it signed are signed as the column's own. "
    "Other writers keep their names.",
)
@pass_ctx
def import_cmd(
    ctx: Context,
    source: str,
    label,
    import_all: bool,
    title_pattern,
    old_url,
    dry_run: bool,
    old_zone,
    own_name: tuple[str, ...],
) -> None:
    """Import earlier posts as published posts: WordPress, Squarespace, Blogger, Ghost, Substack, Medium.

    SOURCE is an export file (.xml, .json, .zip), an unpacked export folder, or
    a feed's file or http(s) address. Only public, published posts are
    imported; the report lists every post (its question, where its quick answer
    came from, what changed) and counts what was skipped. Numbers follow dates:
    imported posts come first and posts already here are renumbered after them
    (their URLs never change). Safe to re-run: a post already imported is skipped.
    """
    import zoneinfo

    from ..commands.notify import known_site_url
    from ..intake import importer

    if label is not None and import_all:
        raise click.UsageError("give --label NAME (posts with that category or label), or --all, not both")
    try:
        zone = zoneinfo.ZoneInfo(old_zone) if old_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(
            f"{old_zone!r} is not a time zone (e.g. Europe/London)", param_hint="--timezone"
        ) from None
    if label is None and not import_all:  # say what the file holds to choose from (nothing imported)
        tz = zone or ctx.site.settings.timezone
        raise click.UsageError(
            "nothing imported: say which posts to bring over; "
            + importer.which_posts(source, tz=tz, old_url=old_url)
        )
    result = importer.run(
        ctx.site,
        source,
        label=label,
        title_pattern=title_pattern,
        old_url=old_url,
        dry_run=dry_run,
        timezone=zone,
        own_name=own_name,
    )
    lines = importer.report_lines(
        result, uncommitted=_posts_folder_in_git(ctx.site), site_url=known_site_url(ctx.site, quiet=True)
    )
    for line in lines:
        click.echo(line)


@main.command(name="redirects")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["list", "apache", "netlify"]),
    default="list",
    show_default=True,
    help="list: old and new address on each line; apache: lines for the old blog's .htaccess; "
    "netlify: a _redirects file.",
)
@click.option("--site-url", help="The column's public address (default: FLOOR_SITEURL, then SITEURL).")
@pass_ctx
def redirects_cmd(ctx: Context, fmt: str, site_url: str | None) -> None:
    """Where each imported post's old address now leads, for the old blog's redirect rules.

    Every post `floor import` brought over keeps its old address (and WordPress's
    ?p=123 short link). On the old blog's own host a build writes a redirect page
    at each; where the old blog stays elsewhere, give its host these rules:
    `floor redirects --format apache >> .htaccess` for a self-hosted WordPress,
    `--format netlify > _redirects` for Netlify or Cloudflare Pages, or the
    plain list for a redirect plugin or a host's form.
    """
    from ..commands.notify import known_site_url
    from ..core import withdrawn
    from ..web import old_addresses

    base = known_site_url(ctx.site, site_url)
    if base is None:
        raise FloorError(
            "the column's public address is unknown, so the old addresses have nowhere to lead: set "
            "SITEURL in publishconf.py, or FLOOR_SITEURL, or give --site-url",
            field="SITEURL",
        )
    posts = old_addresses.imported_posts(ctx.site.posts_dir)
    mapping = old_addresses.new_paths(ctx.site.settings.raw, posts)
    for gone in withdrawn.read(ctx.site.root):  # a withdrawn post's old addresses lead to its notice
        for old in gone.old_addresses:
            mapping.setdefault(old, gone.path)
    if not mapping:
        _echo(f"no imported post in {ctx.site.posts_dir} names an old address: nothing to redirect", err=True)
        return
    for line in old_addresses.rule_lines(mapping, base, fmt):
        _echo(line)
    left = sum(1 for old in mapping if not old_addresses.plain(old))
    if left:
        _echo(f"warning: {left} old address(es) with spaces, quotes or control characters left out", err=True)


def _posts_folder_in_git(site) -> str | None:
    """content/floor (as the site names it) when the site is a git repository, else None."""
    from ..services import gitops

    if not gitops.is_repo(site):
        return None
    try:
        return site.posts_dir.relative_to(site.root).as_posix()
    except ValueError:
        return None


@main.command(name="notify")
@click.option("--dry-run", is_flag=True, help="Print the notes (without addresses); send and record nothing.")
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
    if not dry_run:  # a killed run's journal first, so nobody it told is chosen again
        for line in notify_mod.apply_earlier_records(ctx.site):
            _echo(f"warning: could not record an earlier note: {line}", err=True)
    notes, skipped = notify_mod.pending(ctx.site, now, site_url)
    for line in skipped:
        _echo(f"warning: cannot notify {line}", err=True)
    if dry_run:
        for note in notes:
            _echo(notify_mod.preview(note))
        click.echo(f"dry run: {len(notes)} to notify; nothing was sent or recorded")
        return
    if do_commit:
        from ..services import gitops

        gitops.ensure_repo(ctx.site)  # refuse before sending, not after
        earlier = gitops.commit_unrecorded_publish(ctx.site)  # not under "Record who was told"
        if earlier:
            _echo(f"committed an earlier publish that was never committed: {earlier}")
        told = notify_mod.commit_unrecorded_records(ctx.site)
        if told:
            click.echo(f"committed the records of an earlier run that were never committed: {told}")
    if not notes:
        unasked = notify_mod.without_consent(ctx.site, now)
        readers = "1 reader of a published post" if unasked == 1 else f"{unasked} readers of published posts"
        why = (
            f": {readers} left a contact but did not agree to hear back "
            "(`notify: true`, which `floor ask --notify` records)"
            if unasked
            else ""
        )
        click.echo(f"nobody to notify{why}")
        return
    result = notify_mod.send(ctx.site, notes, now, told=_echo)  # each line as its note goes out
    for line in result.failed:
        _echo(f"failed: {line}", err=True)
    click.echo(f"{len(result.sent)} sent, {len(result.failed)} failed")
    if do_commit:  # the records are committed even when a note failed: only failures retry
        from ..core import readers_file, told

        paths = {str(n.post.path.relative_to(ctx.site.root)) for n in notes}
        paths |= {  # a reader kept apart is recorded in the question's readers file
            str(readers_file.path_for(ctx.site.questions_dir, n.post.id).relative_to(ctx.site.root))
            for n in notes
            if n.post.more_readers
        }
        paths.add(told.NAME)  # folded and removed; committed too if an earlier commit carried it
        paths = sorted(paths)
        made = gitops.commit_paths(ctx.site, paths, notify_mod.RECORD_SUBJECT)
        if made:
            click.echo(f"committed: {made}")
    if result.failed:
        sys.exit(1)
