"""The column switches itself on only in a column: safe to auto-load in any Pelican blog.

Pelican loads every installed namespace plugin when a blog lists no
``PLUGINS``. Installed beside such a blog, the kit must not add pages or
refuse builds there, so each of its receivers first asks :func:`active`: a
site is a column when it lists the kit's modules by name, has a ``FLOOR_``
setting of its own, or has a questions folder beside its content.

Pelican never disconnects a plugin, so in a process that builds more than one
site (the desk, ``floor serve --live`` after the settings changed) a part of
the kit one site listed would also run for the next. Each receiver therefore
also asks :func:`wired`: the part it belongs to must be one the site loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# Set by the kit itself once it is active: never a sign that the blog asked for it.
INJECTED = frozenset(
    {
        "FLOOR_STATIC_DIR",
        "FLOOR_FOREIGN_THEME",
        "FLOOR_BUILD_TODAY",
        "FLOOR_BUILD_GUARDED",
        "FLOOR_BUILD_READ_POSTS",
    }
)

_gated: dict[tuple[int, Callable[..., Any]], Callable[..., Any]] = {}  # also keeps them alive


def active(settings: dict) -> bool:
    plugins = settings.get("PLUGINS") or []
    if any(str(getattr(p, "__name__", p)).startswith("from_the_floor.") for p in plugins):
        return True  # listed by module path: the blog asked for it
    if any(str(key).startswith("FLOOR_") and key not in INJECTED for key in settings):
        return True
    root = Path(str(settings.get("PATH", "content"))).resolve().parent
    return (root / str(settings.get("FLOOR_QUESTIONS_DIR", "questions"))).is_dir()


# Plugin names that wire every part (from_the_floor.register), and the module of each part.
WHOLE = frozenset({"from_the_floor", "pelican.plugins.from_the_floor", "from_the_floor.pelican_plugin"})
PARTS = ("plugin", "reader_site", "retirement")


def wired(settings: dict, part: str) -> bool:
    """Whether the site's own plugins include ``part`` of the kit (one of :data:`PARTS`).

    Pelican records the plugins it loaded for a site in ``PLUGINS`` (every namespace
    plugin when the blog lists none), so this is what a fresh process would have
    registered. A site naming no part of the kit (none loaded yet, or the kit wired
    by a plugin of the blog's own) is left to :func:`active` alone, as before.
    """
    names = {str(getattr(p, "__name__", p)) for p in settings.get("PLUGINS") or ()}
    if names & WHOLE or f"from_the_floor.pelican_plugin.{part}" in names:
        return True
    return not any(f"from_the_floor.pelican_plugin.{other}" in names for other in PARTS)


def connect(signal: Any, receiver: Callable[..., Any], part: str = "plugin") -> None:
    """``signal.connect(receiver)``, run only for senders whose settings are a column's
    that loaded ``part`` of the kit (:func:`wired`).

    Connecting the same receiver again is a no-op, as with blinker itself (a
    process that builds twice registers the plugin twice).
    """
    if part not in PARTS:
        raise ValueError(f"unknown part of the kit: {part!r}")
    key = (id(signal), receiver)
    if key in _gated:
        return

    def gated(sender: Any, *args: Any, **kwargs: Any) -> Any:
        settings = getattr(sender, "settings", None)
        if isinstance(settings, dict) and not (active(settings) and wired(settings, part)):
            return None
        return receiver(sender, *args, **kwargs)

    gated.__wrapped__ = receiver  # type: ignore[attr-defined]
    _gated[key] = gated
    signal.connect(gated)
