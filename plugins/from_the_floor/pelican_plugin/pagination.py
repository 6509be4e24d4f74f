"""The Paginator Pelican's Writer uses: Pelican's own, or stable pages with FLOOR_STABLE_PAGINATION.

Pelican's ``Writer.write_file`` makes a ``Paginator`` per list and writes
``paginator.page(1)`` … ``page(num_pages)`` in turn, each with the pages before
and after it as its "previous" and "next". :class:`FloorPaginator` is that
class, handed to Pelican's Writer (:func:`install`) and used by the kit's own
writer (engine.DeferredWriter), so a plain ``pelican`` run, ``floor build`` and
``floor serve --live`` write the same addresses. With the setting off it is
Pelican's Paginator unchanged. With it on, ``page(i)`` is the *i*-th page in
reading order (web/pagination.py): its ``number``, which makes its address and
what "page N of M" shows, stays with the same posts for ever.
"""

from __future__ import annotations

from typing import Any

from pelican.paginator import Page, Paginator

from ..web.pagination import Slot, stable_slots

SETTING = "FLOOR_STABLE_PAGINATION"


class StablePage(Page):
    """A page of stable pagination: ``number`` is its address; neighbours follow reading order."""

    def __init__(self, name, url, object_list, number, paginator, settings, *, position: int, slot: Slot):
        super().__init__(name, url, object_list, number, paginator, settings)
        self.position = position  # 1 for the home page, then the newest full page, … down to page 2
        self.slot = slot

    def __repr__(self) -> str:
        return f"<Page {self.number} of {self.paginator.num_pages}>"

    def has_next(self) -> bool:  # an older page
        return self.position < self.paginator.num_pages

    def has_previous(self) -> bool:  # a newer page
        return self.position > 1

    def next_page_number(self) -> int:
        return self.paginator.slots[self.position].number

    def previous_page_number(self) -> int:
        return self.paginator.slots[self.position - 2].number

    def start_index(self) -> int:
        return self.slot.start + 1 if self.paginator.count else 0

    def end_index(self) -> int:
        return self.slot.stop


class FloorPaginator(Paginator):
    """Pelican's Paginator; with ``FLOOR_STABLE_PAGINATION`` on, pages cut from the oldest post."""

    def __init__(self, name, url, object_list, settings, per_page=None):
        super().__init__(name, url, object_list, settings, per_page)
        self.slots: list[Slot] | None = None
        if per_page and settings.get(SETTING) is True:
            self.orphans = 0  # a stable page never takes the next page's posts
            self.slots = stable_slots(
                len(object_list), self.per_page, oldest_first=_oldest_first(object_list)
            )

    @property
    def num_pages(self) -> int:
        if self.slots is None:
            return Paginator.num_pages.fget(self)
        return len(self.slots)

    @property
    def page_range(self) -> list[int]:
        """The pages' numbers in reading order (Pelican's: 1 … num_pages)."""
        if self.slots is None:
            return Paginator.page_range.fget(self)
        return [slot.number for slot in self.slots]

    def page(self, number: int) -> Page:
        """The ``number``-th page in reading order (the order Pelican's Writer asks for them)."""
        if self.slots is None:
            return super().page(number)
        if number > len(self.slots):
            # Pelican pages several lists by the first one's count (a tag's ``articles`` and
            # ``dates``); past this list's end its page is empty, as Pelican's own Paginator's is
            end = len(self.object_list)
            slot = Slot(number, end, end)
        else:
            slot = self.slots[number - 1]
        return StablePage(
            self.name,
            self.url,
            self.object_list[slot.start : slot.stop],
            slot.number,
            self,
            self.settings,
            position=number,
            slot=slot,
        )


def _oldest_first(items: Any) -> bool:
    """Whether the list runs from its oldest post (by date), as archives can; posts run newest first."""
    if len(items) < 2:
        return False
    first, last = getattr(items[0], "date", None), getattr(items[-1], "date", None)
    try:
        return first is not None and last is not None and first < last
    except TypeError:
        return False


def install() -> None:
    """Hand :class:`FloorPaginator` to Pelican's Writer (unless another plugin replaced it first)."""
    from pelican import writers

    if writers.Paginator is Paginator:
        writers.Paginator = FloorPaginator
