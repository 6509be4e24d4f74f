"""The site a build holds in memory, kept out of the cycle collector's full passes.

Python's cycle collector runs a full pass over every object the process holds
whenever the objects made since the last pass reach a quarter of those that
survived it. A build makes the site while Pelican's generators run (every
post, its links, the lists and pages: 620,000 tracked objects at 10,000
posts), so the collector passed over the growing site again and again, each
time for garbage that is not there: at 10,000 posts, six full passes in the
weekly build's generators and one more while the pages were signed (several
seconds; docs/performance-log.md, "The collector off while the site is made").
A build's site is nearly all kept to the end: with the collector off while
the generators ran and the pages were signed, one pass afterwards found 77
unreachable objects at 10,000 posts (a weekly build) and 3,887 at 1,000 (a
cold one, which reads and converts every post).

:class:`SiteHeap` (``with site_heap() as heap``) turns the collector off while
the site is made and its pages signed (:meth:`SiteHeap.making`), then moves
everything alive to its permanent generation and turns it back on
(:meth:`SiteHeap.made`: later passes walk only what is made after, the
pages' text), and puts everything back as it was when the build ends, however it ends: a
process that builds again (the tests, a preview) collects the first build's
site as before. Freezing before the writing processes fork also spares them
copying the memory a pass would touch (the collector writes to each object
it walks). Nothing here changes what is built, only when the collector looks.

:func:`collector_off` is the same pause for one block (reading the parse cache, parsing
the queue), for the commands that read the questions outside a build too.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from typing import Any


class SiteHeap:
    """One build's arrangement with the collector (see the module's note)."""

    def __init__(self) -> None:
        self._off = False  # this build turned the collector off
        self._frozen = False  # this build froze what was alive
        # (a process that froze objects itself keeps its own arrangement)
        self._may_freeze = gc.get_freeze_count() == 0

    def making(self) -> None:
        """The site is being made: no full passes until :meth:`made`."""
        if not self._off and gc.isenabled():
            gc.disable()
            self._off = True

    def made(self) -> None:
        """The site is made: it is frozen, and the collector runs again for what comes after."""
        if self._may_freeze and not self._frozen:
            gc.freeze()
            self._frozen = True
        self._on()

    def close(self) -> None:
        self._on()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def _on(self) -> None:
        if self._off:
            gc.enable()
            self._off = False


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """No full passes while a block makes many objects that all stay (the parse cache's
    entries, a queue's questions): making 10,000 of them runs the collector dozens of times
    for nothing. A collector already off (a build making its site) stays off.

    When the block turned the collector off, what it made goes straight to the oldest
    generation as it ends (:func:`_made_old`): otherwise the first pass after it walks them all
    as young objects, and the passes after that walk them again on their way up (at 10,000
    questions, five or six passes and 50-90 ms of a `floor queue`)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            _made_old()
            gc.enable()


def _made_old() -> None:
    """Every object the collector tracks moved to its oldest generation, without a pass.

    ``gc.freeze`` then ``gc.unfreeze`` does that by joining lists: the objects are walked
    again only by the next full pass, as those made before them are. Not when anything is
    frozen already (a build's site, or a process's own arrangement): unfreezing it would
    undo that."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


@contextlib.contextmanager
def site_heap() -> Iterator[SiteHeap]:
    heap = SiteHeap()
    try:
        yield heap
    finally:
        heap.close()


# --- the C allocator's free space given back ---------------------------------------------

_libc_trim: Any = None  # glibc's malloc_trim, once looked up (False: there is none here)


def give_back() -> None:
    """Hand the free pages inside the C allocator's heap back to the system (glibc's
    ``malloc_trim``), after a step of the build that let go of a great deal at once.

    Python keeps every text longer than 512 bytes (a post's HTML, an answer's text, a parse's
    body) in the C allocator's heap. What a build lets go of there stays resident as free
    space between the pieces still held, and the steps after it make mostly small objects
    (Python's own arenas, outside that heap): the build's peak carried that space to the end.
    Given back after the generators, after rendering and after ``finalized``, a cold build's
    own peak came 11 MiB lower at 5,000 posts and 28 MiB at 10,000 (docs/performance-log.md,
    "The C allocator's free space given back"). Nothing held moves, so nothing built changes;
    pages are taken again only when written to. (A build has imported ``ctypes`` already,
    through the libraries it loads.) Without glibc (macOS, musl) there is no such call: nothing happens."""
    global _libc_trim
    if _libc_trim is None:
        _libc_trim = _find_trim()
    if _libc_trim:
        _libc_trim(0)


def _find_trim() -> Any:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim
