"""The site a build holds in memory, kept out of the cycle collector's full passes once it is made.

Python's cycle collector runs a full pass over every object the process holds
whenever the objects made since the last pass reach a quarter of those that
survived it. Once Pelican's generators have made the site (every post, its
links, the lists and pages: millions of objects at 10,000 posts), each full
pass walks all of them, about a second at 10,000 posts, for garbage that is
almost never there: what the build makes afterwards (signatures, the pages'
text, the manifest) is short-lived and freed by reference counting.

:func:`settled` moves everything alive at that moment to the collector's
permanent generation (``gc.freeze``), so later passes walk only what was made
after it, and puts it back (``gc.unfreeze``) when the build ends: a process
that builds again (the tests, a preview) collects the first build's site as
before. Freezing before the writing processes fork also spares them copying
the pages of memory a pass would have touched (the collector writes to every
object it walks). Nothing here changes what is built, only when the
collector looks.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def settled() -> Iterator[Callable[[], None]]:
    """Yields a call that freezes what is alive now (once); whatever was frozen is put back at
    the end of the ``with`` block, however it ends."""
    frozen = False

    def settle() -> None:
        nonlocal frozen
        # (a process that froze objects itself keeps its own arrangement)
        if not frozen and gc.isenabled() and gc.get_freeze_count() == 0:
            gc.freeze()
            frozen = True

    try:
        yield settle
    finally:
        if frozen:
            gc.unfreeze()
