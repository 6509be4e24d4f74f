"""`floor init`: a new site, the way pelican-quickstart starts a blog."""

from __future__ import annotations

from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.atomic import atomic_write_text
from ..errors import FloorError
from ..paths import SKELETON_DIR
from . import kit_pin


def _skeleton(name: str) -> str:
    return (SKELETON_DIR / name).read_text(encoding="utf-8")


def create(
    directory: Path,
    *,
    title: str,
    author: str,
    timezone: str,
    url: str = "",
    key_pair: tuple[str, str] | None = None,
) -> list[Path]:
    """Write the skeleton into ``directory``; refuses to overwrite an existing site.

    ``key_pair`` (key file text, public key) replaces a new random pair: the
    bench generator passes a fixed one so that two generations are identical.
    """
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise FloorError(f"{timezone!r} is not an IANA time zone name", field="--timezone") from None
    directory = Path(directory)
    if (directory / "pelicanconf.py").exists():
        raise FloorError("a site already exists here; nothing was changed", path=directory)
    from ..core import sealing

    secret, public = key_pair or sealing.generate()
    values = {
        k: repr(v)
        for k, v in {
            "title": title,
            "author": author,
            "timezone": timezone,
            "url": url,
            "recipient": public,
        }.items()
    }
    files = {
        "pelicanconf.py": Template(_skeleton("pelicanconf.py.tmpl")).substitute(values),
        "publishconf.py": Template(_skeleton("publishconf.py.tmpl")).substitute(values),
        ".gitignore": _skeleton("gitignore.tmpl"),
        "content/pages/about.md": _skeleton("about.md.tmpl"),
        "tasks.py": _skeleton("tasks.py"),
        ".github/workflows/weekly.yml": _weekly_workflow(timezone),
        ".github/ISSUE_TEMPLATE/question.yml": _skeleton("question-issue.yml"),
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
