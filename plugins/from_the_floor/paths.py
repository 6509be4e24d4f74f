"""Where the installed kit keeps its theme and the skeleton `floor init` copies."""

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
