"""Building and previewing the site: build, serve."""

from __future__ import annotations

import click

from .. import paths
from .main import Context, main, pass_ctx, today_option

# --- building ------------------------------------------------------------------


@main.command()
@click.option(
    "--settings", "settings_file", help="Settings file (default pelicanconf.py; the job uses publishconf.py)."
)
@click.option("-v", "--verbose", is_flag=True)
@click.option(
    "--full",
    is_flag=True,
    help=f"Render every page, whatever the last build's manifest says (see {paths.doc('performance.md')}).",
)
@today_option
@pass_ctx
def build(ctx: Context, settings_file: str | None, verbose: bool, full: bool) -> None:
    """Build the site into output/ with Pelican, rendering only what changed."""
    from ..core import terminal
    from ..pelican_plugin import build as build_mod

    with terminal.working("Building: checking what changed"):
        counts = build_mod.build(
            ctx.site, settings_file=settings_file, verbose=verbose, today=ctx.today, full=full
        )
    click.echo(f"built {ctx.site.output_dir}: {counts.describe()}")


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
    """Serve output/ for a local preview at http://localhost:PORT.

    A missing page gets the site's 404 page (status 404), as on GitHub Pages; a port another
    program holds stops the command with a free one to use instead (exit 1).
    """
    from ..pelican_plugin import build as build_mod
    from ..services import local_server

    local_server.ensure_free(bind, port)  # before a build that may take a while
    if do_build:
        from ..core import terminal

        with terminal.working("Building: checking what changed"):
            build_mod.build(ctx.site, settings_file=settings_file, today=ctx.today)
    host = "localhost" if bind in ("127.0.0.1", "0.0.0.0") else bind
    if live:
        from ..pelican_plugin import preview

        preview.serve(
            ctx.site,
            bind=bind,
            port=port,
            settings_file=settings_file,
            ready=lambda msg, bound: click.echo(
                f"live preview of {ctx.site.root} at http://{host}:{bound}/ (Ctrl-C stops): {msg}"
            ),
            today=ctx.today,
        )
        return
    build_mod.serve(
        ctx.site,
        bind=bind,
        port=port,
        ready=lambda bound: click.echo(
            f"serving {ctx.site.output_dir} at http://{host}:{bound}/ (Ctrl-C stops)"
        ),
    )
