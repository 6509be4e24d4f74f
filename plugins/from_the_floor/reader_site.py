"""Deprecated: the old path of the reader-site plugin; use ``PLUGINS = ["pelican.plugins.from_the_floor"]``.

Kept for one release so that existing ``pelicanconf.py`` files keep building: each old
path still registers its own part, so the old three-entry list works as it did.
"""

from __future__ import annotations

import logging
import warnings

from .pelican_plugin import reader_site as _moved

MESSAGE = (
    "PLUGINS entry 'from_the_floor.reader_site' is deprecated and will be removed in the next release: "
    'use PLUGINS = ["pelican.plugins.from_the_floor"] (one entry for posts, reader site and retirement)'
)
warnings.warn(MESSAGE, DeprecationWarning, stacklevel=2)
# Python hides a DeprecationWarning raised inside Pelican's plugin loader; the build log shows this.
logging.getLogger(__name__).warning(MESSAGE)


def __getattr__(attr: str) -> object:
    return getattr(_moved, attr)


def register() -> None:
    """The old module's register(): the part it named."""
    _moved.register()
