"""The site a build makes is kept out of the collector's full passes until the build ends."""

from __future__ import annotations

import gc
import weakref

import pytest
from from_the_floor.core import heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cycle collector frees it


def test_no_pass_while_the_site_is_made_then_it_is_frozen_and_all_put_back_at_the_end() -> None:
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with heap.site_heap() as site:
        site.making()
        assert not gc.isenabled(), "no full passes over a site being made"
        made = [Node() for _ in range(50)]
        site.made()
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
        assert frozen >= len(made)
        site.made()  # once only
        assert gc.get_freeze_count() == frozen
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_build_that_fails_puts_everything_back() -> None:
    with pytest.raises(RuntimeError), heap.site_heap() as site:
        site.making()
        raise RuntimeError("the settings could not be read")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), heap.site_heap() as site:
        site.making()
        site.made()
        raise RuntimeError("a page could not be written")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_sites_garbage_is_collected_once_the_build_is_over() -> None:
    with heap.site_heap() as site:
        site.making()
        node = Node()
        gone = weakref.ref(node)
        site.made()
        del node
        gc.collect()
        assert gone() is not None, "frozen: the build's passes do not walk the site"
    gc.collect()
    assert gone() is None, "after the build, a process that builds again frees the last site"


def test_a_process_that_arranged_the_collector_itself_keeps_its_arrangement() -> None:
    kept = [Node() for _ in range(10)]
    gc.freeze()
    gc.disable()
    try:
        before = gc.get_freeze_count()
        with heap.site_heap() as site:
            site.making()
            site.made()
            assert gc.get_freeze_count() == before and not gc.isenabled()
        assert gc.get_freeze_count() == before and not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
    del kept
