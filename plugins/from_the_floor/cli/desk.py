"""`floor desk`: the author's local web page."""

from __future__ import annotations

from pathlib import Path

import click

from .main import Context, main, pass_ctx, today_option

DEFAULT_PORT = 8765


@main.command(name="desk")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    help=f"The port (default {DEFAULT_PORT}, or any free one if that is taken; 0: any free one).",
)
@click.option("--no-open", is_flag=True, help="Print the address; do not open a browser.")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder, here too (as `floor --site DIR desk`).",
)
@today_option
@pass_ctx
def desk_cmd(ctx: Context, port: int, no_open: bool, site_dir: Path | None) -> None:
    """Work the queue in your browser: answer with a live preview, take in, schedule, publish.

    Only this computer can reach it (127.0.0.1), and only with the address it
    prints: that holds a secret, new each time. Stop it with Ctrl+C.
    """
    from ..desk import server

    if site_dir is not None:
        ctx.site_dir, ctx._site = site_dir, None

    def ready(url: str) -> None:
        click.echo(f"The desk is open at {url}")
        click.echo("(only this computer can reach it; the address holds this run's secret. Ctrl+C stops it.)")
        if not no_open:
            import webbrowser

            webbrowser.open(url)

    from ..errors import FloorError

    if port is None:
        try:
            prepared = server.prepare(ctx.site, DEFAULT_PORT, today=ctx.today)
        except FloorError:
            prepared = server.prepare(ctx.site, 0, today=ctx.today)
    else:
        prepared = server.prepare(ctx.site, port, today=ctx.today)
    server.serve_prepared(prepared, ready=ready)
