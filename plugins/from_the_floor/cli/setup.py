"""Making a site and keeping it current: init, the weekly workflow file, upgrade."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import Context, _echo, main, pass_ctx


def init_site_check(name: str):
    """init_site's check of one answer, imported when called (`floor --help` stays light)."""

    def check(value):
        from ..commands import init_site

        return getattr(init_site, f"check_{name}")(value)

    return check


# --- making a site -----------------------------------------------------------

# Each question `floor init` asks on a terminal, in order: the option it stands for and its prompt.
# pelican-quickstart's questions (title, author, language, address, pagination, time zone), then
# the column's own (where it goes, how readers ask, whether it retires by itself).


def _checked(check):
    """A click callback (and prompt check) from an init_site check: its ValueError is the message."""

    def callback(_ctx, _param, value):
        if value is None:
            return None
        try:
            return check(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return callback


def _asked(ctx: click.Context, name: str) -> bool:
    """True when the author gave this option (then it is never asked)."""
    from click.core import ParameterSource

    return ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)


def _prompt(text: str, check, **kwargs):
    """click.prompt that re-asks, with the check's own words, until the answer passes."""

    def proc(value):
        try:
            return check(value)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None

    return click.prompt(text, value_proc=proc, **kwargs)


def _named(value) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("a name is needed: readers see it on every page")
    return text


# What Enter with no answer is told, after a way to ask was chosen: what goes there, and the way out.
_ASK_NEEDED = {
    "email": "readers' questions are mailed to this address: type one, e.g. ada@example.org",
    "github": "readers ask through this repository's issue form: type it as owner/name",
    "form": "the form sends readers' questions to this address: type it, e.g. https://formspree.io/f/abcd1234",
}


def _ask_answer(way: str, value) -> object:
    """The address, repository or form URL for ``way``; "none" opens no way yet (an empty answer
    would otherwise be re-asked without a word, click's way for a prompt with no default)."""
    from ..commands import init_site

    text = str(value).strip()
    if text.lower() == "none":
        return init_site.Ask()
    if not text:
        raise ValueError(f"{_ASK_NEEDED[way]}; or type none to decide later (readers cannot ask until then)")
    return init_site.check_ask(way, text)


def _free_folder(value) -> Path:
    path = Path(str(value)).expanduser()
    if (path / "pelicanconf.py").exists():
        raise ValueError(f"{path} already holds a site (pelicanconf.py); choose another folder")
    return path


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--title",
    callback=_checked(_named),
    help="The column's name: on every page, in the feeds, and above each post's question "
    "(asked on a terminal; needed otherwise).",
)
@click.option(
    "--author",
    callback=_checked(_named),
    help="Your name, as readers see it (asked on a terminal; needed otherwise).",
)
@click.option(
    "--lang",
    default="en",
    show_default=True,
    callback=_checked(init_site_check("lang")),
    help="The language readers read (DEFAULT_LANG), e.g. en, fr.",
)
@click.option(
    "--timezone",
    default="UTC",
    # the prompt offers this computer's zone; only a run that never asks falls back to UTC
    show_default="this computer's zone when asked; UTC without a terminal",
    callback=_checked(init_site_check("timezone")),
    help="IANA zone the weekly posts follow, e.g. Europe/London.",
)
@click.option(
    "--url",
    default="",
    callback=_checked(init_site_check("url")),
    help="The address readers will use, e.g. https://ada.github.io/my-column "
    "(on GitHub Pages the weekly job finds it itself).",
)
@click.option(
    "--per-page",
    default=10,
    show_default=True,
    type=int,
    callback=_checked(init_site_check("per_page")),
    help="Posts on each page of the list.",
)
@click.option(
    "--ask-email",
    metavar="ADDRESS",
    callback=_checked(init_site_check("email")),
    help="Readers ask by email, at this address.",
)
@click.option(
    "--ask-github",
    metavar="OWNER/NAME",
    callback=_checked(init_site_check("repo")),
    help="Readers ask through the issue form of this GitHub repository (issues are public).",
)
@click.option(
    "--ask-form",
    metavar="URL",
    callback=_checked(init_site_check("form_url")),
    help="Readers ask through a form that posts to this address (Formspree, Netlify Forms …).",
)
@click.option(
    "--retire-when-done/--no-retire-when-done",
    default=False,
    show_default=True,
    help="End the column by itself once every question is answered (off: only `floor retire`).",
)
@click.option(
    "--git/--no-git",
    "use_git",
    default=True,
    show_default=True,
    help="Make the folder a git repository with a first commit.",
)
@click.option(
    "--no-input",
    is_flag=True,
    help="Never ask: --title and --author are needed; the rest takes its default.",
)
@click.pass_context
def init(click_ctx: click.Context, directory: Path | None, **answers) -> None:
    """Create a new column in DIRECTORY (default: the current folder), ready to build.

    On a terminal it asks for what no option gave, as pelican-quickstart
    does; without one (a script, CI) or with --no-input it never asks: --title
    and --author must be given, and the rest takes its default.
    Readers cannot ask until you choose how: --ask-email, --ask-github or --ask-form.

    The column publishes a post every Monday at 09:00 in --timezone;
    FLOOR_PUBLISH_WEEKDAY and FLOOR_PUBLISH_TIME in pelicanconf.py change that.
    """
    from ..commands import init_site

    ways = [w for w in ("email", "github", "form") if answers[f"ask_{w}"]]
    if len(ways) > 1:
        raise click.UsageError("choose one way for readers to ask: --ask-email, --ask-github or --ask-form")
    ask = init_site.Ask(ways[0], answers[f"ask_{ways[0]}"]) if ways else init_site.Ask()
    interactive = not answers.pop("no_input") and sys.stdin is not None and sys.stdin.isatty()
    if interactive:
        directory, ask = _interview(click_ctx, directory, ask, answers)
    else:
        _named_or_refused(answers)
    directory = directory or Path(".")
    created = init_site.create(
        directory,
        title=answers["title"],
        author=answers["author"],
        timezone=answers["timezone"],
        url=answers["url"],
        lang=answers["lang"],
        per_page=answers["per_page"],
        ask=ask,
        auto_retire=answers["retire_when_done"],
    )
    if answers["use_git"]:
        repo = init_site.start_git(directory, created)
    else:
        repo = init_site.skip_git(directory, created)
    for line in init_site.report(
        directory,
        created,
        title=answers["title"],
        ask=ask,
        url=answers["url"],
        repo_start=repo,
        auto_retire=answers["retire_when_done"],
        timezone=answers["timezone"],
    ):
        _echo(line)


def _named_or_refused(answers: dict) -> None:
    """Without a terminal the column's name and the author's must be given: they are on every
    page, and no default is anyone's name (an earlier kit put "From the Floor" by "The Author")."""
    from ..errors import FloorError

    wanted = {"title": "--title (the column's name)", "author": "--author (your name, as readers see it)"}
    missing = [flag for name, flag in wanted.items() if not answers[name]]
    if missing:
        raise FloorError(
            f"{' and '.join(missing)} {'are' if len(missing) > 1 else 'is'} needed: floor init does "
            "not ask without a terminal or with --no-input, and will not put a made-up name on every "
            "page of your column; "
            'nothing was created (e.g. floor init my-column --title "Ask Me Anything" --author "Ada")'
        )


def _interview(ctx: click.Context, directory: Path | None, ask, answers: dict) -> tuple[Path, object]:
    """Ask, in order, for every answer no option gave; each is checked and re-asked until it passes."""
    from ..commands import init_site
    from ..core import ids

    click.echo(
        "A new column. Press Enter to keep the [default]; every answer can be changed later "
        "in pelicanconf.py.\n"
    )
    # The column's name and the author's own have no default on a terminal: pressing Enter would
    # put the kit's name ("From the Floor") and "The Author" on every page of someone's column.
    if not _asked(ctx, "title"):
        answers["title"] = _prompt("The column's name", _named)
    if directory is None:
        folder = ids.slug_for(answers["title"]) if answers["title"] else "my-column"
        directory = _prompt("Folder to create it in", _free_folder, default=folder)
    if not _asked(ctx, "author"):
        answers["author"] = _prompt("Your name, as readers will see it", _named)
    if not _asked(ctx, "lang"):
        answers["lang"] = _prompt(
            "The language it is written in (en, fr …)", init_site.check_lang, default=answers["lang"]
        )
    if not _asked(ctx, "timezone"):
        answers["timezone"] = _prompt(
            "Your time zone (the weekly post follows it)",
            init_site.check_timezone,
            default=init_site.guess_timezone() or answers["timezone"],
        )
    if not _asked(ctx, "url"):
        answers["url"] = _prompt(
            "The address readers will use, e.g. https://you.github.io/column (Enter: decide later)",
            init_site.check_url,
            default="",
            show_default=False,
        )
    if not _asked(ctx, "per_page"):
        answers["per_page"] = _prompt(
            "Posts on each page of the list", init_site.check_per_page, default=answers["per_page"], type=int
        )
    if ask.way == "none":
        click.echo(
            "\nHow will readers send you questions?\n"
            "  email   a link that opens their email, to an address you choose\n"
            "  github  the question form of the column's GitHub repository (questions are public)\n"
            "  form    a form on your site that posts to a form service (Formspree, Netlify Forms …)\n"
            "  none    not yet: the Ask page says questions are not being taken"
        )
        way = click.prompt("Readers ask by", type=click.Choice(init_site.ASK_WAYS), default="email")
        prompts = {
            "email": ("The address questions go to", None),
            "github": ("The repository, as owner/name", init_site.repo_from_url(answers["url"])),
            "form": ("The address the form posts to", None),
        }
        if way in prompts:
            text, default = prompts[way]
            ask = _prompt(
                text,
                lambda v, way=way: _ask_answer(way, v),
                default=default or "",  # Enter reaches the check, which says what is needed
                show_default=bool(default),
            )
        else:
            ask = init_site.Ask()
    if not _asked(ctx, "retire_when_done"):
        answers["retire_when_done"] = click.confirm(
            "\nWhen every question is answered, should the column end by itself (an archive with a "
            "farewell post)? No: it ends only when you run `floor retire`",
            default=False,
        )
    click.echo("")
    return directory, ask


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
    target = ctx.site.root / kit_pin.WEEKLY_WORKFLOW
    mine = target.read_text(encoding="utf-8", errors="replace") if target.is_file() else None
    gone = workflow_mod.dropped(mine, text) if mine is not None else []
    if gone:  # the author's own cron or steps: kept beside it, where GitHub does not run it
        kept = target.with_name(target.name + ".previous")
        atomic_write_text(kept, mine)
    atomic_write_text(target, text)
    click.echo(f"wrote {target}")
    if gone:
        click.echo(
            f"warning: {target}: the refitted file no longer has {', '.join(gone)}; "
            f"your previous file is kept as {kept.name} beside it: copy back what you still "
            "want, then delete that copy",
            err=True,
        )


def _warn_mismatch(pin) -> None:
    from ..commands import kit_pin

    note = kit_pin.mismatch(pin)
    if note:
        click.echo(f"warning: {pin.path}:{pin.line}: {note}", err=True)


def _say_pin(path: Path, old: str | None, new: str) -> None:
    """What `floor upgrade` did to the kit's pin in ``path``."""
    from ..commands.kit_pin import DIST

    if old == new:
        click.echo(f"{path}: already pins {DIST} {new}")
    else:
        click.echo(f"{path}: {DIST} {old or '(none)'} -> {new}")


def _upgrade_without_the_job(ctx: Context, to: str | None) -> str:
    """`floor upgrade` in a site without the weekly job: a blog that added the plugin and is
    installed, built and deployed its own way. Writing the kit's job there would start a second
    weekly deployment (to GitHub Pages, installing nothing but the kit: not the blog's theme or
    other plugins), and a new requirements.txt would pin the kit alone; so a kit pin its own
    requirements.txt already holds is moved, and nothing else is written. Returns the version."""
    from ..commands import kit_pin
    from ..errors import FloorError

    path = ctx.site_dir / kit_pin.REQUIREMENTS
    try:
        kit_pin.find_pin(ctx.site_dir)
    except FloorError:
        new = kit_pin.target_version(to)
        shown = f"{path} names no {kit_pin.DIST}: left as it is"
        if not path.exists():
            shown = f"no {path}: none written"
        click.echo(f"{shown} (the site installs the kit its own way; pin {kit_pin.DIST}=={new} there)")
    else:
        old, new = kit_pin.upgrade(ctx.site_dir, to)
        _say_pin(path, old, new)
    click.echo(
        f"no weekly job here ({kit_pin.WEEKLY_WORKFLOW}): none written; `floor workflow --write` adds "
        "the kit's, which publishes, builds and deploys to GitHub Pages every week"
    )
    return new


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
    path = ctx.site_dir / kit_pin.REQUIREMENTS
    has_job = (ctx.site_dir / kit_pin.WEEKLY_WORKFLOW).is_file()
    if has_job:
        old, new = kit_pin.upgrade(ctx.site_dir, to)
        _say_pin(path, old, new)
        _write_workflow(ctx, True, warn=False)
    else:
        new = _upgrade_without_the_job(ctx, to)
    renamed = kit_pin.refit_plugins(ctx.site.conf_path)
    if renamed:
        click.echo(
            f"{ctx.site.conf_path}: PLUGINS now names the kit's one entry "
            f'"pelican.plugins.from_the_floor" (it listed {", ".join(renamed)}, an older kit\'s names)'
        )
    from ..core import gitignore

    note = gitignore.kit_files_note(ctx.site_dir)
    if note:
        click.echo(note)
    from ..core import retire_switch

    _echo(retire_switch.upgrade_note(ctx.site))
    if retire_switch.switch(ctx.site).armed:
        from ..commands import retirement_switch
        from ..core import retire as retire_mod
        from ..errors import FloorError

        try:  # an older kit armed it by default: the date, so the author can disarm first
            when = retire_mod.state(ctx.site) is None and retirement_switch.forecast_line(ctx.site, ctx.now())
        except FloorError:  # a question file broken by hand: the upgrade is done, `floor check` names it
            when = None
        if when:
            _echo(when)
    if has_job and new != kit_pin.installed_version():
        click.echo(
            f"then: pip install -r {path} and `floor workflow --write` with that kit "
            f"(this machine runs {kit_pin.installed_version()}, whose workflow was written)"
        )
