"""Pelican's namespace plugins: imported only when the site uses them (namespace_plugins.py)."""

from __future__ import annotations

import sys

import pytest
from from_the_floor.pelican_plugin import namespace_plugins
from pelican.plugins import _utils


def _forget(name: str) -> None:
    for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[module]


@pytest.fixture
def seo_unimported():
    pytest.importorskip("pelican.plugins.seo")  # a test extra: an installed plugin the site does not use
    _forget("pelican.plugins.seo")
    yield
    _forget("pelican.plugins.seo")


def test_a_plugin_the_settings_do_not_name_is_not_imported(seo_unimported) -> None:
    with namespace_plugins.imported_when_used():
        plugins = _utils.load_plugins({"PLUGINS": ["pelican.plugins.from_the_floor"]})
    assert [p.__name__ for p in plugins] == ["pelican.plugins.from_the_floor"]
    assert "pelican.plugins.seo" not in sys.modules
    assert _utils.get_namespace_plugins is not namespace_plugins._installed, "Pelican's own loader is back"


def test_without_a_plugins_setting_every_installed_plugin_is_loaded_as_pelican_does(seo_unimported) -> None:
    with namespace_plugins.imported_when_used():
        lazily = {p.__name__ for p in _utils.load_plugins({})}
    assert "pelican.plugins.seo" in lazily
    assert lazily == {p.__name__ for p in _utils.load_plugins({})}


def test_a_plugin_named_by_its_short_name_is_found(seo_unimported) -> None:
    with namespace_plugins.imported_when_used():
        plugins = _utils.load_plugins({"PLUGINS": ["seo"]})
    assert [p.__name__ for p in plugins] == ["pelican.plugins.seo"]
