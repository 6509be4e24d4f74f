"""`floor init`: a new site, the way pelican-quickstart starts a blog."""

from __future__ import annotations

from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import kit_pin
from .atomic import atomic_write_text
from .errors import FloorError
from .paths import SKELETON_DIR


def _skeleton(name: str) -> str:
    return (SKELETON_DIR / name).read_text(encoding="utf-8")


def create(directory: Path, *, title: str, author: str, timezone: str, url: str = "") -> list[Path]:
    """Write the skeleton into ``directory``; refuses to overwrite an existing site."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise FloorError(f"{timezone!r} is not an IANA time zone name", field="--timezone") from None
    directory = Path(directory)
    if (directory / "pelicanconf.py").exists():
        raise FloorError("a site already exists here; nothing was changed", path=directory)
    values = {
        k: repr(v) for k, v in {"title": title, "author": author, "timezone": timezone, "url": url}.items()
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
    from . import settings, workflow

    return workflow.render(
        settings.from_mapping({"TIMEZONE": timezone}, Path("pelicanconf.py")), source="site"
    )
