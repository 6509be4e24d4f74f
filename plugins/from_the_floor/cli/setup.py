"""Making a site and keeping it current: init, the weekly workflow file, upgrade."""

from __future__ import annotations

from pathlib import Path

import click

from .main import Context, _echo, main, pass_ctx

# --- making a site -----------------------------------------------------------


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--title",
    default="From the Floor",
    show_default=True,
    help="The column's name: on every page, in the feeds, and above each post's question.",
)
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
    from ..core import gitignore

    if gitignore.ensure(ctx.site_dir, gitignore.BUILD_MANIFEST, comment="the build manifest (floor build)"):
        click.echo(
            f"{ctx.site_dir / '.gitignore'}: now ignores {gitignore.BUILD_MANIFEST} (the build manifest)"
        )
    from ..core import retire_switch

    _echo(retire_switch.upgrade_note(ctx.site))
    if new != kit_pin.installed_version():
        click.echo(
            f"then: pip install -r {path} and `floor workflow --write` with that kit "
            f"(this machine runs {kit_pin.installed_version()}, whose workflow was written)"
        )
