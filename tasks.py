"""Pelican's usual invoke tasks, over the same code as the `floor` command.

invoke build | rebuild | serve | reserve | regenerate | livereload | preview | publish
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.pelican_plugin import build as floor_build
from invoke import Exit, task

SITE = Site(Path(__file__).resolve().parent)


def _run(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except FloorError as exc:
        raise Exit(f"error: {exc.message}", code=1) from None


@task
def clean(c):
    """Remove the generated site."""
    shutil.rmtree(SITE.output_dir, ignore_errors=True)


@task
def build(c):
    """Build the site with pelicanconf.py."""
    _run(floor_build.build, SITE)


@task
def rebuild(c):
    """Clean, then build."""
    clean(c)
    build(c)


@task
def regenerate(c):
    """Rebuild whenever a file changes (Pelican's autoreload)."""
    c.run(f"{sys.executable} -m pelican -r -s {SITE.conf_path}", pty=False)


@task
def serve(c, port=8000):
    """Serve output/ at http://localhost:PORT."""
    _run(floor_build.serve, SITE, port=int(port))


@task
def reserve(c, port=8000):
    """Build, then serve."""
    build(c)
    serve(c, port=port)


@task
def livereload(c, port=8000):
    """Build, serve, and rebuild + reload the browser when a source changes."""
    from livereload import Server

    build(c)
    server = Server()
    for pattern in ("content/**/*", "questions/*.md", "theme/**/*", "pelicanconf.py"):
        server.watch(str(SITE.root / pattern), lambda: _run(floor_build.build, SITE))
    server.serve(host="127.0.0.1", port=int(port), root=str(SITE.output_dir))


@task
def preview(c):
    """Build with the production settings (publishconf.py)."""
    _run(floor_build.build, SITE, settings_file="publishconf.py")


@task
def publish(c, commit=False):
    """The weekly job, locally: publish what is due, then a production build."""
    flags = " --commit" if commit else ""
    c.run(f"{sys.executable} -m from_the_floor.cli --site {SITE.root} publish{flags}")
    preview(c)
