"""From the Floor: a reader Q&A column as a static site.

The core modules (questions, queue, schedule, publish, retire) never import
Pelican or click; ``plugin`` and ``cli`` are thin adapters over them.
``register()`` makes the package itself a Pelican plugin: the short name
``PLUGINS = ["from_the_floor"]``, and the namespace plugin
``pelican.plugins.from_the_floor`` calls the same.
"""

__version__ = "0.1.0"


def register() -> None:
    """Wire the three parts in their order: posts, then the reader's site, then retirement."""
    from . import plugin, reader_site, retirement

    plugin.register()
    reader_site.register()
    retirement.register()
