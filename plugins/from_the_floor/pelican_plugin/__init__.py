"""The Pelican side: the only place Pelican and Jinja are imported.

``register()`` wires the three parts in the order they depend on: the posts
(``plugin``), then the reader's site (``reader_site``), then retirement
(``retirement``, which ends the feeds the others write). The build, the engine
and the live preview used by ``floor build`` and ``floor serve`` live here too.
"""

from __future__ import annotations


def register() -> None:
    """Wire the three parts in their order: posts, then the reader's site, then retirement."""
    from . import plugin, reader_site, retirement

    plugin.register()
    reader_site.register()
    retirement.register()
