"""Stable pagination: which posts each list page holds, counted from the oldest post.

Pelican numbers list pages from the newest post, so every new post moves one
post onto every later page: page 7 of last week is not page 7 of this week, and
a build renders every list page again. With ``FLOOR_STABLE_PAGINATION`` on, the
pages are cut from the oldest post instead: page 2 holds the first
``per_page`` posts for ever, page 3 the next ones, and so on; the home page
(page 1) always shows the newest ``per_page`` posts. A new post changes the home
page, and the newest full page's "Newer" link once a page fills up; the other
pages keep their posts and their address.

The pages are listed in reading order, newest first (the home page, then the
newest full page, down to page 2), which is the order Pelican writes them and
links them: "Newer" goes to the one before, "Older" to the one after.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    """One list page: its number (its address, ``index{number}.html``) and its posts' slice."""

    number: int
    start: int  # slice of the list as given (newest first, or oldest first)
    stop: int


def stable_slots(count: int, per_page: int, *, oldest_first: bool = False) -> list[Slot]:
    """The pages of a list of ``count`` posts, in reading order (newest page first).

    ``oldest_first``: the list runs from the oldest post (Pelican's archives with
    ``NEWEST_FIRST_ARCHIVES = False``); otherwise from the newest, as Pelican sorts posts.
    """
    if per_page < 1:
        raise ValueError("per_page must be 1 or more")
    if count <= per_page:
        return [Slot(1, 0, count)]
    full = count // per_page  # the pages cut from the oldest post; the newest posts may not fill one

    def oldest_to_slice(first: int, last: int) -> tuple[int, int]:
        # posts first..last-1 counted from the oldest, as a slice of the list as given
        return (first, last) if oldest_first else (count - last, count - first)

    home = oldest_to_slice(count - per_page, count)
    slots = [Slot(1, *home)]
    for page in range(full, 0, -1):  # the newest full page first
        slots.append(Slot(page + 1, *oldest_to_slice((page - 1) * per_page, page * per_page)))
    return slots
