"""From the Floor as a Pelican namespace plugin.

Enable it with ``PLUGINS = ["pelican.plugins.from_the_floor"]`` (or the short
name ``"from_the_floor"``): one entry wires the posts, the reader's site and
retirement, in the order they depend on. Installed as
``pelican/plugins/from_the_floor/`` by the kit's wheel.
"""

from from_the_floor import register

__all__ = ["register"]
