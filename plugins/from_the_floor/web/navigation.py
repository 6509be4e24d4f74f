"""Ways from one post to others: related questions, a jump to any part, share links.

Plain functions over keys, numbers and tags, so the theme's choices are
tested without Pelican; the adapter maps posts to keys and back.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote

K = TypeVar("K", bound=Hashable)
WALKED_TAGS = 7  # related_by_tags indexes every combination of a post's tags up to this many


def related_by_tags(items: Sequence[tuple[K, int, Sequence[str]]], limit: int) -> dict[K, list[K]]:
    """For each (key, order, tags): up to ``limit`` other keys sharing a tag.

    Most shared tags first; among equals, the nearest earlier post (by
    ``order``), then the nearest later one. Earlier posts never change, so a
    post's related set changes only when a newer post shares strictly more
    tags than its weakest pick (or it has fewer than ``limit``): each week's
    post then leaves the older pages alone, while its own set is its nearest
    predecessors on the topic.

    Counting every overlap costs the square of the posts (at 10,000 posts,
    about 18 million pairs sharing a tag), and so did counting every post in
    the lists of a post's pairs of tags (a pair of common tags is shared by
    hundreds of posts: 0.4 s at 10,000 posts). Instead each level of sharing
    is walked outward from the post, nearest first, only as far as the set
    needs: the posts sharing some k of its tags are in the index of that
    combination, from the most tags a post can share down to two, then those
    sharing one along its tags' own lists. A post sharing more tags is in
    the lists of the smaller combinations too, but it is taken at its own
    level first, and a lower level is walked only once every post above it
    is taken. (A column with a post of more than seven tags would have too
    many combinations to index: its posts of three tags or more count their
    pairs' lists, as before.)
    """
    if limit <= 0:
        return {key: [] for key, _order, _tags in items}
    if len({order for _key, order, _tags in items}) != len(items):
        return related_by_counting(items, limit)  # two posts at one place: the plain way
    # positions in series order (ties by position): "nearest earlier" is a walk down the lists
    ranked = sorted(range(len(items)), key=lambda i: (items[i][1], i))
    place = {i: n for n, i in enumerate(ranked)}
    tag_sets = [tuple(dict.fromkeys(tags)) for _key, _order, tags in items]
    by_tag: dict[str, list[int]] = {}
    by_combo: dict[tuple[str, ...], list[int]] = {}  # each 2 or more of a post's tags, sorted
    deepest = max(map(len, tag_sets), default=0)  # the most tags two posts can share
    if deepest > WALKED_TAGS:
        deepest = 2  # pairs only: a post of t tags has 2**t combinations
    for i in ranked:
        tags = tag_sets[i]
        for tag in tags:
            by_tag.setdefault(tag, []).append(place[i])
        ordered = sorted(tags)
        for size in range(2, min(len(ordered), deepest) + 1):
            for combo in itertools.combinations(ordered, size):
                by_combo.setdefault(combo, []).append(place[i])
    result: dict[K, list[K]] = {}
    for i, (key, _order, _tags) in enumerate(items):
        here = place[i]
        picks = _best_shared(here, tag_sets[i], by_combo, deepest, limit)
        if len(picks) < limit:
            picks += _nearest_sharing_one(here, tag_sets[i], by_tag, set(picks), limit - len(picks))
        result[key] = [items[ranked[n]][0] for n in picks]
    return result


def related_by_counting(items: Sequence[tuple[K, int, Sequence[str]]], limit: int) -> dict[K, list[K]]:
    """:func:`related_by_tags` by counting every overlap and sorting: the reference, and the way
    for posts that share a place in the series."""
    by_tag: dict[str, list[int]] = {}
    for index, (_key, _order, tags) in enumerate(items):
        for tag in dict.fromkeys(tags):
            by_tag.setdefault(tag, []).append(index)
    result: dict[K, list[K]] = {}
    for index, (key, order, tags) in enumerate(items):
        shared: Counter[int] = Counter()
        for tag in dict.fromkeys(tags):
            shared.update(by_tag[tag])
        shared.pop(index, None)

        def rank(i: int, order: int = order, shared: Counter[int] = shared) -> tuple[int, bool, int, int]:
            other = items[i][1]
            return (-shared[i], other > order, abs(other - order), i)

        result[key] = [items[i][0] for i in sorted(shared, key=rank)[: max(limit, 0)]]
    return result


def _best_shared(here: int, tags: tuple[str, ...], by_combo: dict, deepest: int, limit: int) -> list[int]:
    """Posts sharing two tags or more, best first (most shared, nearest earlier, nearest later):
    level by level from the most tags a post can share, each walked nearest first, when every
    combination of up to its number of tags is indexed (``deepest``)."""
    ordered = sorted(tags)
    if len(ordered) > deepest:
        return _best_shared_counted(here, ordered, by_combo, limit)
    picks: list[int] = []
    for size in range(len(ordered), 1, -1):
        # each list holds this post itself: only one of two or more holds another
        combos = [c for c in itertools.combinations(ordered, size) if len(by_combo[c]) > 1]
        if combos:
            picks += _nearest_sharing_one(here, combos, by_combo, set(picks), limit - len(picks))
            if len(picks) >= limit:
                break
    return picks


def _best_shared_counted(here: int, ordered: list[str], by_pair: dict, limit: int) -> list[int]:
    """:func:`_best_shared` by counting each post in the lists of this post's pairs of tags."""
    pairs: Counter[int] = Counter()
    for pair in itertools.combinations(ordered, 2):
        pairs.update(by_pair.get(pair, ()))
    pairs.pop(here, None)
    if not pairs:
        return []
    # a post sharing k tags is in k(k-1)/2 of this post's pairs: more pairs, more tags
    best = sorted(pairs, key=lambda n: (-pairs[n], n > here, abs(n - here)))
    return best[:limit]


def _nearest_sharing_one(
    here: int, tags: Sequence[Hashable], by_tag: dict, taken: set[int], want: int
) -> list[int]:
    """The nearest earlier posts on any of the tags, then the nearest later ones, skipping ``taken``
    (``tags`` may be combinations of tags and ``by_tag`` their index: see _best_shared)."""
    lists = [by_tag[tag] for tag in tags]
    found: list[int] = []
    seen = set(taken) | {here}
    for earlier in (True, False):
        # one cursor per tag list, each at the nearest member on this side
        cursors = []
        for members in lists:
            at = bisect.bisect_left(members, here)
            cursors.append(
                at - 1 if earlier else (at + 1 if at < len(members) and members[at] == here else at)
            )
        while len(found) < want:
            best_list = -1
            best_value = -1
            for n, members in enumerate(lists):
                c = cursors[n]
                if 0 <= c < len(members):
                    value = members[c]
                    if best_list < 0 or (value > best_value if earlier else value < best_value):
                        best_list, best_value = n, value
            if best_list < 0:
                break
            cursors[best_list] += -1 if earlier else 1
            if best_value not in seen:
                seen.add(best_value)
                found.append(best_value)
        if len(found) >= want:
            break
    return found


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


def series_windows(count: int, size: int) -> list[tuple[int | None, ...]]:
    """:func:`series_window` of every part of a series of ``count``, by index.

    A window depends only on the block its part is in, so each block's is
    worked out once and every part of the block holds that same tuple: a
    caller can make what it shows of a window once per block (1,000 posts
    are 25 blocks of the default size).
    """
    if count <= size:
        whole = tuple(range(count))
        return [whole] * count
    block = series_block(size)
    windows: list[tuple[int | None, ...]] = []
    for start in range(0, count, block):
        window = tuple(series_window(count, start, size))
        windows += [window] * (min(start + block, count) - start)
    return windows


@dataclass(frozen=True)
class ShareLink:
    service: str
    label: str
    href: str


def _q(text: str) -> str:
    return quote(text, safe="")


def share_links(url: str, title: str, services: Sequence[str]) -> list[ShareLink]:
    """Plain links to each service's own share page: no script, no tracking pixel.

    Made each time a post's page asks (reader_site.ShareLinks), and not kept: a build renders
    each post's page once, so kept links were never asked for again, and they were most of what
    rendering left behind in the build's own process (about 1.3 KiB a post with three services).
    A live preview makes them again for each page it serves: tens of microseconds."""
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
    return links
