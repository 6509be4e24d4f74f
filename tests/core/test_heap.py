"""The site a build makes is kept out of the collector's full passes until the build ends."""

from __future__ import annotations

import gc
import sys
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


def _in_generation(obj: object, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_what_a_paused_block_made_goes_to_the_oldest_generation_without_a_pass() -> None:
    """A queue's 10,000 questions are not walked as young objects by the first passes after it."""
    assert gc.isenabled() and gc.get_freeze_count() == 0
    passes: list[int] = []

    def counted(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(counted)
    try:
        with heap.collector_off():
            made = [Node() for _ in range(2000)]
            assert not gc.isenabled()
        assert gc.isenabled()
        assert passes == [], "no pass while the block ran, nor on its way out"
        assert _in_generation(made[0], 2) and _in_generation(made[-1], 2)
        assert gc.get_freeze_count() == 0
    finally:
        gc.callbacks.remove(counted)
    node = made[0]
    gone = weakref.ref(node)
    del made, node
    gc.collect()
    assert gone() is None, "the next full pass still frees the block's garbage"


def test_a_paused_block_inside_a_paused_one_or_beside_frozen_objects_moves_nothing() -> None:
    kept = [Node() for _ in range(10)]
    with heap.collector_off():
        with heap.collector_off():
            inner = Node()
        assert not gc.isenabled(), "the outer block's pause stands"
        assert not _in_generation(inner, 2)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with heap.collector_off():
            made = Node()
        assert gc.get_freeze_count() == frozen, "a frozen site stays frozen"
        assert not _in_generation(made, 2)
    finally:
        gc.unfreeze()
    del kept


def test_the_c_allocators_free_pages_are_given_back_where_glibc_is(monkeypatch) -> None:
    """give_back calls glibc's malloc_trim on Linux, and nothing elsewhere (no such call)."""
    import platform

    monkeypatch.setattr(heap, "_libc_trim", None)
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        heap.give_back()
        assert callable(heap._libc_trim)
    monkeypatch.setattr(heap, "_libc_trim", None)
    monkeypatch.setattr(sys, "platform", "darwin")
    heap.give_back()
    assert heap._libc_trim is False
