"""Readers' contacts, sealed at rest: seal, keys."""

from __future__ import annotations

import click

from .main import Context, main, pass_ctx

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
    from ..core import gitignore

    note = gitignore.kit_files_note(ctx.site.root)
    if note:
        click.echo(note)
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
