"""core/settings.py: one registry of every FLOOR_* default, and the docs name each one."""

from __future__ import annotations

import re
from pathlib import Path

from from_the_floor.core import retire, settings
from from_the_floor.pelican_plugin import retirement
from from_the_floor.web import reader_settings

REPO = Path(__file__).resolve().parent.parent.parent
GROUPS = {
    "schedule": settings.SCHEDULE_DEFAULTS,
    "reader site": settings.READER_SITE_DEFAULTS,
    "retirement": settings.RETIREMENT_DEFAULTS,
    "retired pages": settings.RETIREMENT_PAGE_DEFAULTS,
}


def test_no_default_is_given_twice() -> None:
    seen: dict[str, str] = {}
    for group, defaults in GROUPS.items():
        for key in defaults:
            assert key not in seen, f"{key} has a default in both {seen[key]} and {group}"
            seen[key] = group
    assert set(seen) == set(settings.REGISTRY)


def test_the_readers_use_the_registry_itself() -> None:
    """Not copies: a default changed in the registry is the one every part reads."""
    assert reader_settings.DEFAULTS is settings.READER_SITE_DEFAULTS
    assert retire.DEFAULTS is settings.RETIREMENT_DEFAULTS
    assert retirement.PAGE_DEFAULTS is settings.RETIREMENT_PAGE_DEFAULTS
    assert settings.DEFAULTS is settings.SCHEDULE_DEFAULTS


def test_every_floor_default_is_documented() -> None:
    text = " ".join(p.read_text(encoding="utf-8") for p in [REPO / "README.md", *REPO.glob("docs/*.md")])
    documented = set(re.findall(r"\bFLOOR_[A-Z_]+\b", text))
    keys = {k for k in settings.REGISTRY if k.startswith("FLOOR_")}
    assert keys and sorted(keys - documented) == []
