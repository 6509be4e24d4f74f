"""From the Floor: a reader Q&A column as a static site.

The package is layered (docs/architecture.md): ``core`` never imports Pelican
or click; ``services``, ``intake`` and ``web`` build on it; ``commands`` and
``cli`` drive them; ``pelican_plugin`` is the only place Pelican is imported.
``register()`` makes the package itself a Pelican plugin: the short name
``PLUGINS = ["from_the_floor"]``, and the namespace plugin
``pelican.plugins.from_the_floor`` calls the same.
"""

from .version import __version__

__all__ = ["__version__", "register"]


def register() -> None:
    """Wire the three parts in their order: posts, then the reader's site, then retirement."""
    from .pelican_plugin import register as wire

    wire()
