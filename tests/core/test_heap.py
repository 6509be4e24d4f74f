"""The site a build made is kept out of the collector's full passes until the build ends."""

from __future__ import annotations

import gc

import pytest
from from_the_floor.core import heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cycle collector frees it


def test_what_is_alive_when_settled_is_frozen_and_put_back_at_the_end() -> None:
    assert gc.get_freeze_count() == 0
    with heap.settled() as settle:
        assert gc.get_freeze_count() == 0, "nothing is frozen before the site is made"
        site = [Node() for _ in range(50)]
        settle()
        frozen = gc.get_freeze_count()
        assert frozen >= len(site)
        settle()  # once only
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == 0


def test_a_build_that_fails_puts_back_what_it_froze() -> None:
    with pytest.raises(RuntimeError), heap.settled() as settle:
        settle()
        raise RuntimeError("the build failed")
    assert gc.get_freeze_count() == 0


def test_the_sites_garbage_is_collected_once_the_build_is_over() -> None:
    import weakref

    with heap.settled() as settle:
        node = Node()
        gone = weakref.ref(node)
        settle()
        del node
        gc.collect()
        assert gone() is not None, "frozen: the build's passes do not walk the site"
    gc.collect()
    assert gone() is None, "after the build, a process that builds again frees the last site"


def test_a_process_that_froze_objects_itself_keeps_them_frozen() -> None:
    kept = [Node() for _ in range(10)]
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with heap.settled() as settle:
            settle()
            assert gc.get_freeze_count() == before
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()
    del kept
