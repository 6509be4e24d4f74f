"""The `floor` group: the shared context, the --site/--today options and the error policy.

The commands live beside this module, one per group of jobs (questions,
publishing, building, retirement, intake, contacts, setup); ``cli/__init__``
imports them so each registers on ``main``. Everything heavy (YAML, Markdown,
Pelican) is imported inside the commands, so `floor --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from .. import paths  # light: where the kit's docs are installed, for the help texts


class Context:
    """What every command shares: the site folder and the injectable 'today'."""

    def __init__(self, site_dir: Path, today: str | None) -> None:
        self.site_dir = site_dir
        self.today = today
        self._site = None

    @property
    def site(self):
        if self._site is None:
            from ..core.site import Site

            self._site = Site(self.site_dir)
            self._site.settings  # noqa: B018 - validate settings up front
        return self._site

    def now(self) -> dt.datetime:
        from ..core import clock

        return clock.now(self.site.settings.timezone, self.today)


pass_ctx = click.make_pass_decorator(Context)


def _json(text: str) -> str:
    """--json output: reader text's control characters as JSON escapes (the same data)."""
    from ..core.terminal import clean_json

    return clean_json(text)


def _echo(message: str, **kwargs) -> None:
    """click.echo for any line that may hold reader text: control characters shown escaped."""
    from ..core.terminal import clean

    click.echo(clean(str(message)), **kwargs)


def _note_if_retired(site, several: bool = False) -> None:
    """On a retired column, say that what was just taken in waits and is not published.

    Nothing refuses a question after retirement (it is never lost: docs/retirement.md), but the
    author who types one in should hear at once, not weeks later from `floor check`, that no
    weekly job will publish it.
    """
    from ..core import retire as retire_mod
    from ..core.waiting import day_text

    retired = retire_mod.state(site)
    if retired is not None:
        click.echo(
            f"note: the column retired on {day_text(retired.retired.date())}: "
            + ("the questions taken in wait" if several else "the question waits")
            + f" in {site.questions_dir.name}/ and "
            + ("are" if several else "is")
            + " not published; `floor unretire` resumes the column",
            err=True,
        )


def _set_today(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.ensure_object(Context)
        ctx.find_object(Context).today = value


def today_option(func):
    """`--today` is accepted after the command too: `floor publish --today 2026-12-07`."""
    return click.option(
        "--today",
        metavar="DATE",
        expose_value=False,
        callback=_set_today,
        help="As the group option: plan as if it were DATE.",
    )(func)


class _PipeSafeStdout:
    """Standard output that a closed pipe cannot interrupt (`floor queue | head`).

    Once the reader has gone, further output is dropped and the command runs
    to its end: a publish is never cut short between writing a post and
    committing it because nobody reads its messages any more.
    """

    def __init__(self, stream) -> None:
        self._stream = stream
        self._gone = False

    def _reader_gone(self) -> None:
        self._gone = True
        try:  # so the interpreter's last flush has somewhere to go, quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def write(self, text):
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._reader_gone()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._reader_gone()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _problems(exc: BaseException) -> list:
    """Each problem a FloorError holds (FloorErrors nest them), in order."""
    inner = getattr(exc, "errors", None)
    if not inner:
        return [exc]
    return [leaf for error in inner for leaf in _problems(error)]


class FloorGroup(click.Group):
    """Turns FloorError into one clear line on stderr and exit 1, never a traceback; Ctrl-C into
    one line saying what to do (exit 130, as a shell reports an interrupted command)."""

    def invoke(self, ctx: click.Context):
        from ..errors import FloorError

        stdout = sys.stdout
        if not isinstance(stdout, _PipeSafeStdout):
            sys.stdout = _PipeSafeStdout(stdout)
        try:
            return super().invoke(ctx)
        except FloorError as exc:
            for problem in _problems(exc):  # several (FloorErrors): each its own "error:" line
                _echo(f"error: {problem.message}", err=True)  # one's own lines (a refusal's list) as written
            ctx.exit(1)
        except OSError as exc:  # an unreadable or unwritable file is a site problem too
            where = f"{exc.filename}: " if exc.filename else ""
            _echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:  # every command leaves the site as before or re-runnable to the end
            click.echo("stopped (Ctrl-C): run the same command again to finish the job", err=True)
            ctx.exit(130)
        finally:
            sys.stdout = stdout


@click.group(
    cls=FloorGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    # a site has no docs/ folder: the pages the help and messages name are installed with the kit
    epilog=f"The docs/*.md pages named in this help are installed with the kit in {paths.docs_dir()}",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default="current folder",
    help="The site folder (holds pelicanconf.py).",
)
@click.option(
    "--today",
    envvar="FLOOR_TODAY",
    metavar="DATE",
    help="Plan as if it were this date (YYYY-MM-DD: end of that day in the site's "
    "TIMEZONE) or moment (ISO 8601). Also FLOOR_TODAY.",
)
@click.version_option(package_name="from-the-floor", message="floor %(version)s")
@click.pass_context
def main(ctx: click.Context, site_dir: Path, today: str | None) -> None:
    """From the Floor: run a reader Q&A column as a static site.

    Questions wait in questions/, one Markdown file each; `floor publish`
    moves the due ones into content/floor/ and `floor build` renders the site.

    New here? `floor init my-column` makes a column in the folder my-column
    (moving from another blog: then `floor import` your old blog's export there).
    `floor help COMMAND` says what a command does.
    """
    ctx.obj = Context(site_dir, today)


# `floor help` is what a blogger types first (as with git): it answers instead of "no such
# command". A word it does not know is refused as `floor` refuses it (exit 2, with the names
# it may have meant).
@main.command("help")
@click.argument("command", nargs=-1)
@click.pass_context
def help_command(ctx: click.Context, command: tuple[str, ...]) -> None:
    """What a command does and its options: `floor help publish`."""
    current: click.Command = main
    here = ctx.parent if ctx.parent is not None else ctx
    for depth, word in enumerate(command):
        if not isinstance(current, click.Group):
            said = " ".join(command[:depth])
            raise click.UsageError(f"'floor {said}' has no commands of its own: floor help {said}")
        _name, found, _rest = current.resolve_command(here, [word])
        here = found.make_context(word, [], parent=here, resilient_parsing=True)
        current = found
    click.echo(here.get_help())


def run() -> None:
    """Console-script entry point; click's own exit codes (2 for usage) apply.

    Once the command has finished, the process leaves without Python taking
    its objects apart one by one (:func:`_leave`): after a build that is a
    whole site's worth of them, about a tenth of a weekly build's time at
    1,000 posts, spent on nothing anyone sees.
    """
    try:
        main(prog_name="floor")
    except SystemExit as exc:
        _leave(exc.code)
        raise


def _leave(code: object) -> None:
    """End the process now with ``code``, as Python's own exit would but for freeing memory.

    The exit handlers still run (the search index's, logging's flush, any
    library's), and standard output and error are flushed; what is skipped
    is only the teardown of every module and object, which the operating
    system does at once. Python's ordinary exit is kept (this returns) when
    it does more than that: a message as the exit code, a thread still
    working, or output that cannot be flushed.
    """
    import atexit
    import threading

    if code is not None and not isinstance(code, int):
        return  # (a message: Python prints it)
    current = threading.current_thread()
    if any(t is not current and not t.daemon and t.is_alive() for t in threading.enumerate()):
        return  # Python waits for it
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # Python reports it, as without this
    os._exit(code or 0)
