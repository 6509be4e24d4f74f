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

    Most shared tags first; among equals, the nearest in the series (by
    ``order``), then the later one — so a post points to its neighbours in
    topic before old posts that merely share one broad tag. An index from
    tag to items keeps this at the cost of the actual overlaps, not n².
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
        ranked = sorted(shared, key=lambda i: (-shared[i], abs(items[i][1] - order), -items[i][1]))
        result[key] = [items[i][0] for i in ranked[:limit]]
    return result


def series_window(count: int, current: int, size: int) -> list[int | None]:
    """Which parts of a series of ``count`` to list (indices), None marking a gap.

    Up to ``size`` parts: all of them when they fit; otherwise the first, the
    last, and the ones around ``current``. A page then stays small however
    long the column runs, and any part is at most two jumps away.
    """
    if count <= 0:
        return []
    if not 0 <= current < count:
        raise ValueError(f"current {current} is outside 0..{count - 1}")
    if count <= size:
        return list(range(count))
    middle = max(size - 2, 1)
    start = min(max(current - middle // 2, 1), count - 1 - middle)
    stop = start + middle
    shown: list[int | None] = [0]
    if start > 1:
        shown.append(None)
    shown.extend(range(start, stop))
    if stop < count - 1:
        shown.append(None)
    shown.append(count - 1)
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
