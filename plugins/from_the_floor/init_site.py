"""`floor init`: a new site, the way pelican-quickstart starts a blog."""

from __future__ import annotations

import shutil
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .atomic import atomic_write_text
from .errors import FloorError
from .paths import SKELETON_DIR


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
        "pelicanconf.py": Template((SKELETON_DIR / "pelicanconf.py.tmpl").read_text()).substitute(values),
        "publishconf.py": Template((SKELETON_DIR / "publishconf.py.tmpl").read_text()).substitute(values),
        ".gitignore": (SKELETON_DIR / "gitignore.tmpl").read_text(),
        "content/pages/about.md": (SKELETON_DIR / "about.md.tmpl").read_text(),
    }
    created: list[Path] = []
    for rel, text in files.items():
        target = directory / rel
        atomic_write_text(target, text)
        created.append(target)
    shutil.copyfile(SKELETON_DIR / "tasks.py", directory / "tasks.py")
    created.append(directory / "tasks.py")
    for folder in ("questions", "content/floor"):
        (directory / folder).mkdir(parents=True, exist_ok=True)
        keep = directory / folder / ".gitkeep"
        keep.touch()
        created.append(keep)
    return created
