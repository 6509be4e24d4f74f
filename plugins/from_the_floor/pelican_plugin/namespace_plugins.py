"""Pelican's namespace plugins, imported only when the site uses them.

Pelican finds its plugins by importing every installed ``pelican.plugins.*``
package, even when ``PLUGINS`` names only some: with pelican-seo installed
that is Beautiful Soup and soupsieve, about 0.13 s of a build that uses
neither. While `floor build` makes its Pelican instance, the list of
installed plugins is found without importing them, and a plugin is imported
when Pelican takes it: the ones ``PLUGINS`` names, or every one when the
setting is absent (Pelican then loads them all, as before).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator, Mapping
from types import ModuleType


class _Installed(Mapping):
    """Installed namespace plugins by name; each imported when it is asked for."""

    def __init__(self, names: list[str]) -> None:
        self._names = names
        self._modules: dict[str, ModuleType] = {}

    def __getitem__(self, name: str) -> ModuleType:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._modules:
            self._modules[name] = importlib.import_module(name)
        return self._modules[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _installed(ns_pkg=None) -> _Installed:
    from pelican.plugins import _utils

    if ns_pkg is None:
        import pelican.plugins as ns_pkg

    return _Installed([name for _, name, ispkg in _utils.iter_namespace(ns_pkg) if ispkg])


@contextlib.contextmanager
def imported_when_used() -> Iterator[None]:
    """Within: Pelican's plugin loader imports a namespace plugin only when it takes it."""
    from pelican.plugins import _utils

    original = _utils.get_namespace_plugins
    _utils.get_namespace_plugins = _installed
    try:
        yield
    finally:
        _utils.get_namespace_plugins = original
