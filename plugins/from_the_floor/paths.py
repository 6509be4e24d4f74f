"""Where the installed kit keeps its theme, its docs and the skeleton `floor init` copies."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SKELETON_DIR = PACKAGE_DIR / "skeleton"


def theme_dir() -> str:
    """The theme shipped with the kit (the repository's theme/ folder)."""
    from importlib.util import find_spec

    spec = find_spec("from_the_floor.theme")
    if spec is not None and spec.submodule_search_locations:
        return str(Path(next(iter(spec.submodule_search_locations))).resolve())
    return str(PACKAGE_DIR.parent.parent / "theme")


THEME_DIR = theme_dir()


def docs_dir() -> Path:
    """The kit's docs pages: shipped in the wheel as from_the_floor/docs, docs/ in a checkout."""
    from importlib.util import find_spec

    spec = find_spec("from_the_floor.docs")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))).resolve()
    return PACKAGE_DIR.parent.parent / "docs"


def doc(name: str) -> str:
    """Where an author can read docs page ``name`` (e.g. "schedule.md") with this install.

    A site made by `floor init` has no docs/ folder, so a message names the installed copy.
    """
    return str(docs_dir() / name)
