"""Ways from one post to others: related questions, a jump to any part, share links.

Plain functions over keys, numbers and tags, so the theme's choices are
tested without Pelican; the adapter maps posts to keys and back.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote

K = TypeVar("K", bound=Hashable)


def related_by_tags(items: Sequence[tuple[K, int, Sequence[str]]], limit: int) -> dict[K, list[K]]:
    """For each (key, order, tags): up to ``limit`` other keys sharing a tag.

    Most shared tags first; among equals, the nearest earlier post (by
    ``order``), then the nearest later one. Earlier posts never change, so a
    post's related set changes only when a newer post shares strictly more
    tags than its weakest pick (or it has fewer than ``limit``): each week's
    post then leaves the older pages alone, while its own set is its nearest
    predecessors on the topic. An index from tag to items keeps this at the
    cost of the actual overlaps, not n².
    """
    by_tag: dict[str, list[int]] = {}
    for index, (_key, _order, tags) in enumerate(items):
        for tag in dict.fromkeys(tags):
            by_tag.setdefault(tag, []).append(index)
    result: dict[K, list[K]] = {}
    for index, (key, order, tags) in enumerate(items):
        shared: Counter[int] = Counter()
        for tag in dict.fromkeys(tags):
            shared.update(i for i in by_tag[tag] if i != index)

        def rank(i: int, order: int = order, shared: Counter[int] = shared) -> tuple[int, bool, int, int]:
            other = items[i][1]
            return (-shared[i], other > order, abs(other - order), i)

        ranked = sorted(shared, key=rank)
        result[key] = [items[i][0] for i in ranked[:limit]]
    return result


def series_block(size: int) -> int:
    """How many parts one block of the jump list holds, for a list of at most ``size`` entries.

    Three entries are kept for the first part and the first parts of the
    neighbouring blocks; the rest is rounded down to tens, so blocks read as
    "#41–#80" rather than "#48–#94".
    """
    room = max(size - 3, 1)
    return room // 10 * 10 if room >= 10 else room


def series_window(count: int, current: int, size: int) -> list[int | None]:
    """Which parts of a series of ``count`` to list (indices), None marking a gap.

    All of them while they fit in ``size``. Beyond that the series is cut into
    fixed blocks (series_block): the list shows every part of the current
    one's block, the first part of the series, and the first part of the
    blocks before and after it. Blocks never move, so a new post at the end
    changes only the lists of the last block (and, once, of the block before
    it, which gains the link onwards). Any part is one block hop per block
    away, or two steps through the archives the gaps link to.
    """
    if count <= 0:
        return []
    if not 0 <= current < count:
        raise ValueError(f"current {current} is outside 0..{count - 1}")
    if count <= size:
        return list(range(count))
    block = series_block(size)
    start = current // block * block
    stop = min(start + block, count)
    parts = {0, *range(start, stop)}
    if start >= block:
        parts.add(start - block)
    if stop < count:
        parts.add(stop)
    shown: list[int | None] = []
    for part in sorted(parts):
        if shown and part != shown[-1] + 1:
            shown.append(None)
        shown.append(part)
    return shown


@dataclass(frozen=True)
class ShareLink:
    service: str
    label: str
    href: str


def _q(text: str) -> str:
    return quote(text, safe="")


def share_links(url: str, title: str, services: Sequence[str]) -> list[ShareLink]:
    """Plain links to each service's own share page: no script, no tracking pixel."""
    return list(_share_links(url, title, tuple(services)))


@functools.lru_cache(maxsize=16384)
def _share_links(url: str, title: str, services: tuple[str, ...]) -> tuple[ShareLink, ...]:
    # urllib's quote is slow, and every build (and every live-preview refresh) asks again
    builders = {
        "email": ("Email", lambda: f"mailto:?subject={_q(title)}&body={_q(url)}"),
        "bluesky": ("Bluesky", lambda: f"https://bsky.app/intent/compose?text={_q(f'{title} {url}')}"),
        "linkedin": ("LinkedIn", lambda: f"https://www.linkedin.com/sharing/share-offsite/?url={_q(url)}"),
        "reddit": ("Reddit", lambda: f"https://www.reddit.com/submit?url={_q(url)}&title={_q(title)}"),
        "hackernews": (
            "Hacker News",
            lambda: f"https://news.ycombinator.com/submitlink?u={_q(url)}&t={_q(title)}",
        ),
    }
    links = []
    for service in services:
        label, build = builders[service]
        links.append(ShareLink(service, label, build()))
    return tuple(links)
