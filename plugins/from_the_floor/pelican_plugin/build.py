"""Running Pelican for a site: validate first, then build with Pelican's own CLI path."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..core import forked, guard, staging
from ..core import question as question_mod
from ..core import queue as queue_mod
from ..core.site import Site
from ..errors import FloorError
from . import build_state


def default_jobs() -> int:
    """Processes for rendering: FLOOR_JOBS, else the cores this process may use."""
    raw = os.environ.get("FLOOR_JOBS", "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise FloorError(f"FLOOR_JOBS={raw!r} is not a whole number") from None
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build(
    site: Site,
    *,
    settings_file: str | None = None,
    extra: Sequence[str] = (),
    verbose: bool = False,
    jobs: int | None = None,
    today: str | None = None,
) -> None:
    """Build output/; invalid questions stop it before Pelican writes anything.

    ``today`` (the command's --today) goes to the plugins in the build's own
    settings (build_state), not through the environment.

    Pelican writes into a staging folder that replaces output/ only once the
    contact guard has passed it (staging.py): a failed or refused build
    leaves output/ as the last good build.

    Pages are rendered by ``jobs`` processes (default: :func:`default_jobs`);
    the output is the same bytes whatever the number.
    """
    jobs = jobs if jobs is not None else default_jobs()
    with question_mod.reusing_parses() as parses:
        if today:
            extra = [*extra, "-e", f"{build_state.TODAY}={json.dumps(today)}"]
        _build(site, settings_file, extra, verbose, jobs, parses)


def _build(
    site: Site, settings_file: str | None, extra: Sequence[str], verbose: bool, jobs: int, parses: dict
) -> None:
    conf = site.root / (settings_file or site.conf_name)
    if not conf.exists():
        raise FloorError("settings file not found", path=conf)
    validated = _validate(site, parses, jobs)
    import pelican  # heavy: imported only when a build is asked for
    from pelican.log import init as init_logging

    from . import engine
    from .plugin import contact_folders

    args = pelican.parse_arguments(["-s", str(conf), "--fatal", "errors", *extra])
    init_logging(
        level=logging.INFO if verbose else logging.WARNING,
        fatal=args.fatal,
        name="pelican",
    )
    validated()  # before Pelican reads or writes anything
    cwd = os.getcwd()
    os.chdir(site.root)
    staged: Path | None = None
    try:
        instance, _ = pelican.get_instance(args)
        output = Path(instance.output_path).absolute()
        staged = _stage(instance)
        engine.run(instance, processes=jobs)
        # the last word: everything Pelican and the plugins wrote, the search bundle and the
        # retirement downloads included (pages already scanned as they were written cost a hash)
        guard.check_output(staged, contact_folders(instance.settings), shown_as=output)
        try:
            staging.swap_in(staged, output)
        except OSError as exc:
            raise FloorError(f"the new build could not replace the old one: {exc}", path=output) from None
        staged = None
    except FloorError:
        raise
    except Exception as exc:  # Pelican's own errors become one clear line
        raise FloorError(f"the Pelican build failed: {type(exc).__name__}: {exc}", path=conf) from None
    finally:
        if staged is not None:
            staging.discard(staged)
        os.chdir(cwd)


def _stage(instance) -> Path:
    """Point the Pelican instance at a staging folder beside its output folder (staging.py)."""
    output = Path(instance.output_path).absolute()
    keep = tuple(instance.output_retention or ()) if instance.delete_outputdir else None
    staged = staging.prepare(output, keep_only=keep)
    instance.output_path = str(staged)
    instance.settings["OUTPUT_PATH"] = str(staged)
    return staged


def _validate(site: Site, parses: dict, jobs: int) -> Callable[[], None]:
    """Check every question file; the returned call waits for the verdict and raises the problems.

    With more than one process, a forked process parses the files while this
    one imports Pelican, and sends its parses back into ``parses`` (the
    build's question.reusing_parses store) for the reader and plugins to
    reuse. Any problem is then reported by parsing again here, so the
    messages are exactly those of a plain ``queue.load``.
    """

    def here() -> None:
        queue_mod.load(site, processes=1).raise_errors()  # one process: its parses are kept

    if jobs < 2 or not forked.can_fork():
        here()
        return lambda: None

    def parse() -> dict | None:
        found = queue_mod.load(site, processes=1)
        return parses if not found.errors else None

    child = forked.spawn(parse)

    def wait() -> None:
        ok, outcome = child.result()
        if not ok or outcome is None:  # a problem (or no report): find it and say it here
            here()
        else:
            parses.update(outcome)

    return wait


def serve(site: Site, *, bind: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve output/ the way `pelican --listen` does."""
    from pelican import listen

    output = site.output_dir
    if not output.is_dir():
        raise FloorError("nothing to serve yet: run `floor build` first", path=output)
    listen(bind, port, str(output))
