"""`floor init`: a new site, the way pelican-quickstart starts a blog.

The answers (title, author, language, zone, address, how readers ask,
retirement) are checked here, click-free, so the CLI's flags and its prompts
refuse the same things with the same words.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..core import i18n
from ..core.atomic import atomic_write_text
from ..errors import FloorError
from ..paths import SKELETON_DIR
from ..web import about_page, issue_form, reader_settings
from . import kit_pin

# --- the answers, checked ------------------------------------------------------------------------

ASK_WAYS = ("email", "github", "form", "none")  # as an author says it; the setting says mailto for email
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Ask:
    """How readers will send questions: ``way`` (one of ASK_WAYS) and its address, repo or URL."""

    way: str = "none"
    value: str = ""

    def describe(self) -> str:
        return {
            "email": f"Readers ask by email, at {self.value}.",
            "github": f"Readers ask through the issue form of github.com/{self.value} (issues are public).",
            "form": f"Readers ask through the form that posts to {self.value}.",
            "none": "Readers cannot ask yet: the Ask page says questions are not being taken. "
            "To open it, set FLOOR_ASK_CHANNEL in pelicanconf.py (see reader-site.md in the docs).",
        }[self.way]


def check_timezone(name: str) -> str:
    """An IANA zone name, as Python's zoneinfo knows it; the error suggests the nearest names."""
    name = name.strip()
    try:
        if name:
            ZoneInfo(name)
            return name
    except (ZoneInfoNotFoundError, ValueError):
        pass
    zones = sorted(available_timezones())
    near = _zones_of_city(name, zones) or difflib.get_close_matches(name, zones, n=3, cutoff=0.6)
    hint = (
        f"; did you mean {' or '.join(near)}?"
        if near
        else " (names look like Europe/London, America/New_York)"
    )
    raise ValueError(f"{name!r} is not a time zone name{hint}")


def _zones_of_city(name: str, zones: list[str]) -> list[str]:
    """The zones named after the city typed ("Paris", "new york" → Europe/Paris, America/New_York):
    an author types where they live, and the whole name is too far from it for a close match."""
    city = name.replace(" ", "_").casefold()
    return [zone for zone in zones if city and zone.rsplit("/", 1)[-1].casefold() == city][:3]


def check_url(text: str) -> str:
    """The site's public address (https://…), without a trailing slash as Pelican wants; "" for none."""
    url = text.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url or parts.query:
        raise ValueError(f"{url!r} is not a web address; write it like https://ada.github.io/my-column")
    return url.rstrip("/")


def check_email(text: str) -> str:
    address = text.strip()
    if not reader_settings.is_email(address):
        raise ValueError(f"{address!r} is not an email address; write it like ada@example.org")
    return address


def check_repo(text: str) -> str:
    """``owner/name``; a github.com link to the repository is read as one."""
    value = text.strip().removesuffix(".git").rstrip("/")
    value = re.sub(r"^(?:https?://)?(?:www\.)?github\.com/", "", value, flags=re.IGNORECASE)
    if not reader_settings.is_repo(value):
        raise ValueError(f"{text.strip()!r} is not a GitHub repository; write it as owner/name")
    return value


def check_form_url(text: str) -> str:
    url = check_url(text) if text.strip() else ""
    if not url:
        raise ValueError("the form needs the address it posts to, e.g. https://formspree.io/f/abcd1234")
    return url


def check_ask(way: str, value: str) -> Ask:
    way = way.strip().lower()
    if way not in ASK_WAYS:
        raise ValueError(f"{way!r} is not one of: {', '.join(ASK_WAYS)}")
    checks = {"email": check_email, "github": check_repo, "form": check_form_url}
    return Ask(way, checks[way](value)) if way in checks else Ask()


# Country codes often written for their language ("jp" for Japanese): each with the language's.
_COUNTRY_FOR_LANGUAGE = {
    "jp": "ja", "cn": "zh", "kr": "ko", "gr": "el", "dk": "da", "cz": "cs", "ua": "uk", "il": "he",
    "vn": "vi", "rs": "sr",
}  # fmt: skip


def check_lang(text: str) -> str:
    """A language code CLDR knows. The shape alone let `jp` through: every page then said
    lang="jp", which browsers and screen readers do not understand, and the dates were English."""
    from babel import Locale, UnknownLocaleError

    lang = text.strip()
    if not _LANG.match(lang):
        raise ValueError(f"{lang!r} is not a language code; write it like en, fr or pt-BR")
    try:
        Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        meant = _COUNTRY_FOR_LANGUAGE.get(lang.replace("_", "-").split("-")[0].lower())
        if meant:
            name = Locale.parse(meant).english_name
            said = f"{lang!r} is a country's code, not a language's; did you mean {meant} ({name})?"
            raise ValueError(said) from None
        raise ValueError(f"{lang!r} is not a language code; write it like en, fr, ja or pt-BR") from None
    return lang


def check_per_page(value: int | str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None
    if count < 1:
        raise ValueError(f"{count} posts per page: it takes at least 1")
    return count


def guess_timezone() -> str | None:
    """This computer's zone (TZ, /etc/timezone or the /etc/localtime link): the prompt's default."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    for name in candidates:
        try:
            return check_timezone(name)
        except ValueError:
            continue
    return None


def repo_from_url(url: str) -> str | None:
    """https://ada.github.io/column → ada/column: where a GitHub Pages address is published from."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host.endswith(".github.io"):
        return None
    owner = host.removesuffix(".github.io")
    name = parts.path.strip("/").split("/")[0] or host
    repo = f"{owner}/{name}"
    return repo if reader_settings.is_repo(repo) else None


def pages_url(repo: str) -> str:
    """The GitHub Pages address of ``owner/name`` (a user site when name is owner.github.io)."""
    owner, name = repo.split("/")
    if name.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io"
    return f"https://{owner.lower()}.github.io/{name}"


# --- the files -----------------------------------------------------------------------------------


def _skeleton(name: str) -> str:
    return (SKELETON_DIR / name).read_text(encoding="utf-8")


def create(
    directory: Path,
    *,
    title: str,
    author: str,
    timezone: str,
    url: str = "",
    lang: str = "en",
    per_page: int = 10,
    ask: Ask | None = None,
    auto_retire: bool = False,
    key_pair: tuple[str, str] | None = None,
) -> list[Path]:
    """Write the skeleton into ``directory``; refuses to overwrite an existing site.

    ``key_pair`` (key file text, public key) replaces a new random pair: the
    bench generator passes a fixed one so that two generations are identical.
    """
    try:
        timezone = check_timezone(timezone)
    except ValueError as exc:
        raise FloorError(str(exc), field="--timezone") from None
    ask = ask or Ask()
    directory = Path(directory)
    if (directory / "pelicanconf.py").exists():
        raise FloorError(_existing_site(directory), path=directory)
    from ..core import sealing

    secret, public = key_pair or sealing.generate()
    values = {
        k: json.dumps(v, ensure_ascii=False)  # a Python string literal in the files' own double quotes
        for k, v in {
            "title": title,
            "author": author,
            "timezone": timezone,
            "url": url,
            "recipient": public,
            "lang": lang,
            "ask_channel": "mailto" if ask.way == "email" else ask.way,
            "ask_email": ask.value if ask.way == "email" else "",
            "ask_form_url": ask.value if ask.way == "form" else "",
            "ask_github_repo": ask.value if ask.way == "github" else "",
        }.items()
    }
    values["per_page"] = str(per_page)
    values["auto_retire"] = str(bool(auto_retire))
    files = {
        "pelicanconf.py": Template(_skeleton("pelicanconf.py.tmpl")).substitute(values),
        "publishconf.py": Template(_skeleton("publishconf.py.tmpl")).substitute(values),
        ".gitignore": _skeleton("gitignore.tmpl"),
        # the author's page, in the column's language: only words true in every state of the
        # column (open, closed, retired); how to ask is the About template's (_about_column.html)
        "content/pages/about.md": about_page.starter_page(i18n.language(lang), author),
        "tasks.py": _skeleton("tasks.py"),
        ".github/workflows/weekly.yml": _weekly_workflow(timezone),
        # the form readers ask with on GitHub, in the column's language (English: as shipped)
        ".github/ISSUE_TEMPLATE/question.yml": issue_form.translated(i18n.language(lang))
        or _skeleton("question-issue.yml"),
        # what the weekly job installs: the kit that made this site (`floor upgrade` moves it)
        "requirements.txt": kit_pin.requirements_text(kit_version()),
    }
    # An existing folder (a repository, say) keeps its own .gitignore or tasks.py:
    # refuse before writing anything rather than overwrite the author's files.
    clashes = sorted(rel for rel in files if (directory / rel).exists())
    if clashes:
        raise FloorError(
            f"would overwrite {', '.join(clashes)}; move them aside first. Nothing was changed",
            path=directory,
        )
    created: list[Path] = []
    key_file = directory / sealing.KEY_FILE
    if key_file.exists():
        raise FloorError("a key file is already here; nothing was changed", path=key_file)
    sealing.write_key_file(key_file, secret)
    created.append(key_file)
    for rel, text in files.items():
        target = directory / rel
        atomic_write_text(target, text)
        created.append(target)
    for folder in ("questions", "content/floor"):
        (directory / folder).mkdir(parents=True, exist_ok=True)
        keep = directory / folder / ".gitkeep"
        keep.touch()
        created.append(keep)
    return created


def _existing_site(directory: Path) -> str:
    """What `floor init` found instead of an empty folder, and what to do: a column is worked
    in where it is; a Pelican blog takes the column as a plugin (its own files stay its own)."""
    try:
        conf = (directory / "pelicanconf.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        conf = ""
    if (directory / "questions").is_dir() or "from_the_floor" in conf or "FLOOR_" in conf:
        return (
            "a column is already here; nothing was changed. Work in it (`floor queue` lists its "
            "questions), or give `floor init` a new folder for another column"
        )
    return (
        "a Pelican blog is already here (pelicanconf.py); nothing was changed. To add the column "
        "to this blog: `mkdir questions content/floor`, `floor --site . keys init`, then "
        'PLUGINS = ["from_the_floor"] and FLOOR_NAME = "…" in pelicanconf.py (the README\'s '
        '"Adding the column to an existing Pelican blog"); or give `floor init` a new folder'
    )


def kit_version() -> str:
    """The kit version a new site pins: the one running `floor init`."""
    return kit_pin.installed_version()


def _weekly_workflow(timezone: str) -> str:
    """The weekly job, its cron fitted to the new site's default schedule."""
    from ..core import settings
    from . import workflow

    return workflow.render(
        settings.from_mapping({"TIMEZONE": timezone}, Path("pelicanconf.py")), source="site"
    )


# --- after the files: git, and what the author does next -------------------------------------------

FIRST_COMMIT = "Start the column"


def start_git(directory: Path, created: list[Path] | None = None):
    """The new site as a git repository with one first commit (see gitops.start_repository).

    With ``created`` (what `floor init` wrote), the commit holds those files only: a folder
    that already held files (`floor init` run in a home folder, beside notes, a `.env`, an
    SSH key) would otherwise have them all in the commit the next step pushes to GitHub.
    What is left out is named by its top-level names, for the author to add what belongs.
    """
    import dataclasses

    from ..services import gitops

    directory = Path(directory)
    if created is None:
        return gitops.start_repository(directory, FIRST_COMMIT)
    before, listed = _already_there(directory, created)
    start = gitops.start_repository(directory, FIRST_COMMIT, only=created)
    if start.status != "inside" and before:
        start = dataclasses.replace(start, left_out=before, ours=listed)
    return start


def skip_git(directory: Path, created: list[Path]):
    """What `floor init --no-git` leaves: no repository, and (as :func:`start_git` would have
    kept them out of its first commit) the names the folder held before, so the command printed
    for later adds the column's files by name, never a .env or an SSH key with `git add -A`."""
    from ..services import gitops

    before, listed = _already_there(Path(directory), created)
    return gitops.RepoStart("not-asked", left_out=before, ours=listed if before else ())


def _already_there(directory: Path, created: list[Path]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The top-level names that were in the folder before `floor init`, and the ones it wrote
    that a commit takes (the key's folder is git-ignored)."""
    from ..core import sealing

    ours = {Path(os.path.relpath(p, directory)).parts[0] for p in created}
    before = sorted(e.name for e in directory.iterdir() if e.name not in ours and e.name != ".git")
    return tuple(before), tuple(sorted(ours - {Path(sealing.KEY_FILE).parts[0]}))


def _left_out(names: tuple[str, ...], not_in: str = "is not in it") -> str:
    """The files that were in the folder before, which the first commit leaves out (``not_in``:
    how the sentence says so, for a commit made, still to make, or staged)."""
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (
        f"What was already in the folder ({shown}) {not_in}: "
        "`git add` what belongs to the site, and nothing private, before you push"
    )


def _git_lines(directory: Path, start) -> list[str]:
    here = f"cd {_shell(directory)} && " if str(directory) not in ("", ".") else ""
    # what the printed commands add: everything, unless the folder held other files before
    add = "git add -A"
    if start.left_out and start.ours:
        add = "git add " + " ".join(_shell(Path(name)) for name in start.ours)
    if start.status == "not-asked":
        return [
            "git: not asked to (--no-git); the weekly job and every --commit need a repository:",
            f"  {here}git init && {add} && git commit -m '{FIRST_COMMIT}'",
            *([_left_out(start.left_out, "is not in that commit")] if start.left_out else []),
        ]
    if start.status == "committed" and start.left_out:
        return [
            f"git: a new repository on branch {start.branch}, the column's files in its first commit "
            f'("{FIRST_COMMIT}"). {_left_out(start.left_out)}'
        ]
    if start.status == "committed":
        return [
            f"git: a new repository on branch {start.branch}, everything in its first commit "
            f'("{FIRST_COMMIT}").'
        ]
    if start.status == "inside":
        return [
            f"git: the folder is inside the repository {start.toplevel}; nothing was committed there. "
            "Commit the new files when you are ready."
        ]
    if start.status == "no-git":
        return [
            "git is not installed, so the folder is not a repository yet (the weekly job and every "
            "--commit need one). Install git (https://git-scm.com), then:",
            f"  {here}git init && {add} && git commit -m '{FIRST_COMMIT}'",
            *([_left_out(start.left_out, "is not in that commit")] if start.left_out else []),
        ]
    if start.status == "staged":
        return [
            f"git: a new repository on branch {start.branch}, files staged but not committed: git does "
            "not know your name yet. Tell it (once per computer), then commit:",
            '  git config --global user.name "Your Name"',
            "  git config --global user.email you@example.org",
            f"  {here}git commit -m '{FIRST_COMMIT}'",
            *([_left_out(start.left_out, "is not staged")] if start.left_out else []),
        ]
    return [
        f"git could not start the repository ({start.detail}); the site itself is complete. Then:",
        f"  {here}git init && {add} && git commit -m '{FIRST_COMMIT}'",
    ]


def _shell(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def report(
    directory: Path,
    created: list[Path],
    *,
    title: str,
    ask: Ask,
    url: str,
    repo_start,
    auto_retire: bool,
    timezone: str,
) -> list[str]:
    """What `floor init` made, then the remaining steps in the order the author takes them."""
    from ..core import retire_switch, settings
    from . import workflow

    conf = settings.from_mapping({"TIMEZONE": timezone}, Path("pelicanconf.py"))
    when = "on " + workflow.describe_slot(conf)
    repo = ask.value if ask.way == "github" else repo_from_url(url)
    owner_name = repo or "OWNER/NAME"
    branch = repo_start.branch or "main"
    here = _shell(directory)
    lines = [
        f'Created the column "{title}" in {directory} ({len(created)} files).',
        *_git_lines(directory, repo_start),
        ask.describe(),
        retire_switch.Switch(
            auto_retire,
            settings.RETIREMENT_DEFAULTS["FLOOR_RETIRE_GRACE_WEEKS"],
            "pelicanconf.py" if auto_retire else None,
        ).text(),
        f"Readers' contacts are sealed to the key in {directory / '.floor' / 'age-key.txt'} (never "
        "committed): keep a copy of that file somewhere safe.",
        f"requirements.txt pins the kit at {kit_version()}: the weekly job installs that.",
        "",
        "Next:",
        f'  1. Try it: cd {here}, then floor ask "Your first question?" and floor serve. Moving a '
        "blog here? Bring its posts over first: floor import EXPORT (your old blog's export file; "
        "it lists what the export holds to choose from)",
        f"  2. Create an empty repository on GitHub{f' named {repo}' if repo else ''}: "
        "https://github.com/new (no README, licence or .gitignore)",
        f"  3. Push it there{'' if repo else ' (OWNER/NAME: the repository you made)'}: "
        f"git remote add origin https://github.com/{owner_name}.git && git push -u origin {branch}",
        "  4. Give the weekly job the key: gh secret set FLOOR_AGE_KEY < .floor/age-key.txt "
        "(or on GitHub: Settings > Secrets and variables > Actions > New repository secret, "
        "named FLOOR_AGE_KEY, holding that file)",
        "  5. Turn on the site: Settings > Pages > Source: GitHub Actions"
        + (f" (https://github.com/{repo}/settings/pages)" if repo else "")
        + "."
        + (
            f" The column is then at {url}/."
            if url
            else (f" The column is then at {pages_url(repo)}/." if repo else "")
        ),
        "",
        # floor init decides the slot (it asks only the zone): said once, with the way to move it
        f"The column publishes a post each week, {when}. To change the day or time, edit "
        "FLOOR_PUBLISH_WEEKDAY and FLOOR_PUBLISH_TIME in pelicanconf.py, then run "
        "floor workflow --write (the weekly job's start time follows them).",
    ]
    return lines
