"""The column in a blog with its own theme: the kit's own pages still render, links still agree.

Pelican looks a template up in the blog's theme, then in its own ``simple``
theme. The kit's pages (ask, stats, search, the comment policy, the farewell)
exist in neither, so the kit's templates are offered last: any name the blog's
theme or ``simple`` has still comes from there, and the kit's pages extend the
blog's own ``base.html``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader

from ..core import site_scope
from ..paths import theme_dir

# Where the kit's scripts go in a blog with another theme (that theme's static folder is its own).
KIT_STATIC_DIR = "floor-static"


class _KitLoader(FileSystemLoader):
    """The kit's templates, asked only after every loader Pelican set up."""


def offer_kit_templates(generator) -> None:
    loader = getattr(getattr(generator, "env", None), "loader", None)
    if isinstance(loader, ChoiceLoader) and not any(isinstance(x, _KitLoader) for x in loader.loaders):
        loader.loaders.append(_KitLoader(f"{theme_dir()}/templates"))


def kit_theme(settings: dict) -> bool:
    return Path(str(settings.get("THEME", ""))).resolve() == Path(theme_dir()).resolve()


def column_theme(settings: dict) -> bool:
    """The kit's theme or a copy of it: see :func:`site_scope.column_theme` (Pelican's settings
    hold the theme's folder as a full path)."""
    return site_scope.column_theme(str(settings.get("THEME", "")))


def theme_has_kit_scripts(settings: dict) -> bool:
    """The theme ships every script of the kit's (search, comments), so Pelican's copy of its
    static folder serves them: the kit's theme, or a copy of it that kept its ``static/js``.

    A copy an author made to change the look would otherwise get a second set under
    ``floor-static/``, and an old copy that lacks a newer script still gets the kit's.
    """
    if kit_theme(settings):
        return True
    if not column_theme(settings) or "static" not in settings.get("THEME_STATIC_PATHS", ["static"]):
        return False
    theirs = Path(str(settings.get("THEME", ""))) / "static" / "js"
    ours = (Path(theme_dir()) / "static" / "js").glob("*.js")
    return all((theirs / script.name).is_file() for script in ours)


def adapt_settings(pelican) -> None:
    """Settings the kit's templates read, made to agree with the blog's own."""
    settings = pelican.settings
    scripts = theme_has_kit_scripts(settings)
    settings["FLOOR_STATIC_DIR"] = settings.get("THEME_STATIC_DIR", "theme") if scripts else KIT_STATIC_DIR
    # the kit's pages sit in the content box themes such as notmyidea and simple style; the
    # kit's theme and copies of it (which show the retired notice) lay those pages out themselves
    settings["FLOOR_FOREIGN_THEME"] = not column_theme(settings)
    agree_folder_urls(pelican)


def write_kit_static(settings: dict, output: Path) -> None:
    """The kit's scripts (search, comments), copied where FLOOR_STATIC_DIR says, in another theme."""
    if theme_has_kit_scripts(settings):
        return  # Pelican copies the theme's static folder itself
    source = Path(theme_dir()) / "static" / "js"
    target = Path(output) / KIT_STATIC_DIR / "js"
    target.mkdir(parents=True, exist_ok=True)
    for script in sorted(source.glob("*.js")):
        (target / script.name).unlink(missing_ok=True)  # may be a hard link to output/'s (staging.py)
        shutil.copyfile(script, target / script.name)


def agree_folder_urls(pelican) -> None:
    """``ARCHIVES_SAVE_AS = "archives/index.html"`` with no ``ARCHIVES_URL``: link to the folder.

    Pelican's default URL for a direct template is ``<name>.html`` whatever its
    SAVE_AS says; the kit's links follow ``<NAME>_URL``, so a site that saves
    the page as a folder's index (as sites made by earlier `floor init` did)
    gets the URL that matches it instead of a link that 404s.
    """
    settings = pelican.settings
    for name in settings.get("DIRECT_TEMPLATES", ()):
        key = str(name).upper()
        save_as = settings.get(f"{key}_SAVE_AS")
        if f"{key}_URL" not in settings and isinstance(save_as, str) and save_as.endswith("/index.html"):
            settings[f"{key}_URL"] = save_as.removesuffix("index.html")
