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


def test_every_floor_name_the_kit_reads_is_known_to_floor_check() -> None:
    """`floor check` names a near miss of a setting the kit reads (`FLOOR_CATCHUP`): a setting added
    to the kit without a place in the registry or these lists would be taken for a typo of another."""
    kit = REPO / "plugins" / "from_the_floor"
    source = " ".join(p.read_text(encoding="utf-8") for p in kit.rglob("*.py"))
    named = set(re.findall(r"[\"'](FLOOR_[A-Z_]*[A-Z])[\"']", source))
    known = {*settings.REGISTRY, *settings.READ_ELSEWHERE, *settings.NOT_SETTINGS}
    assert len(named) > 50 and sorted(named - known) == []
    assert not settings.READ_ELSEWHERE & settings.NOT_SETTINGS
    assert not (settings.READ_ELSEWHERE | settings.NOT_SETTINGS) & set(settings.REGISTRY)
