"""The column switches itself on only in a column: safe to auto-load in any Pelican blog.

Pelican loads every installed namespace plugin when a blog lists no
``PLUGINS``. Installed beside such a blog, the kit must not add pages or
refuse builds there, so each of its receivers first asks :func:`active`: a
site is a column when it lists the kit's modules by name, has a ``FLOOR_``
setting of its own, or has a questions folder beside its content.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# Set by the kit itself once it is active: never a sign that the blog asked for it.
INJECTED = frozenset({"FLOOR_STATIC_DIR", "FLOOR_FOREIGN_THEME", "FLOOR_BUILD_TODAY", "FLOOR_BUILD_GUARDED"})

_gated: dict[tuple[int, Callable[..., Any]], Callable[..., Any]] = {}  # also keeps them alive


def active(settings: dict) -> bool:
    plugins = settings.get("PLUGINS") or []
    if any(str(getattr(p, "__name__", p)).startswith("from_the_floor.") for p in plugins):
        return True  # listed by module path: the blog asked for it
    if any(str(key).startswith("FLOOR_") and key not in INJECTED for key in settings):
        return True
    root = Path(str(settings.get("PATH", "content"))).resolve().parent
    return (root / str(settings.get("FLOOR_QUESTIONS_DIR", "questions"))).is_dir()


def connect(signal: Any, receiver: Callable[..., Any]) -> None:
    """``signal.connect(receiver)``, run only for senders whose settings are a column's.

    Connecting the same receiver again is a no-op, as with blinker itself (a
    process that builds twice registers the plugin twice).
    """
    key = (id(signal), receiver)
    if key in _gated:
        return

    def gated(sender: Any, *args: Any, **kwargs: Any) -> Any:
        settings = getattr(sender, "settings", None)
        if isinstance(settings, dict) and not active(settings):
            return None
        return receiver(sender, *args, **kwargs)

    gated.__wrapped__ = receiver  # type: ignore[attr-defined]
    _gated[key] = gated
    signal.connect(gated)
