"""Stable pagination's layout: pages cut from the oldest post, listed newest page first."""

from __future__ import annotations

import pytest
from from_the_floor.web.pagination import Slot, stable_slots


def posts_on(slots: list[Slot], count: int, *, oldest_first: bool = False) -> dict[int, list[int]]:
    """Each page's posts by their place counted from the oldest (1 = the first post)."""
    order = list(range(1, count + 1)) if oldest_first else list(range(count, 0, -1))
    return {s.number: order[s.start : s.stop] for s in slots}


def test_a_short_list_is_one_page() -> None:
    assert stable_slots(0, 10) == [Slot(1, 0, 0)]
    assert stable_slots(10, 10) == [Slot(1, 0, 10)]


def test_pages_hold_the_same_posts_as_the_list_grows() -> None:
    before = posts_on(stable_slots(23, 5), 23)
    assert [s.number for s in stable_slots(23, 5)] == [1, 5, 4, 3, 2]  # reading order, newest first
    assert before[2] == [5, 4, 3, 2, 1] and before[5] == [20, 19, 18, 17, 16]
    assert before[1] == [23, 22, 21, 20, 19]  # the home page: the newest, a full page
    for count in range(24, 41):
        after = posts_on(stable_slots(count, 5), count)
        assert {n: p for n, p in after.items() if n in before and n != 1} == {
            n: p for n, p in before.items() if n != 1
        }
        assert after[1] == list(range(count, count - 5, -1))


@pytest.mark.parametrize("count", [11, 20, 21, 37])
def test_every_post_is_on_a_page_and_oldest_first_lists_agree(count: int) -> None:
    newest = posts_on(stable_slots(count, 10), count)
    oldest = posts_on(stable_slots(count, 10, oldest_first=True), count, oldest_first=True)
    assert {n: sorted(p) for n, p in newest.items()} == {n: sorted(p) for n, p in oldest.items()}
    assert set().union(*map(set, newest.values())) == set(range(1, count + 1))
