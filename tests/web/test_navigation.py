"""navigation: related questions by shared tags, the series window in fixed blocks, share links."""

from __future__ import annotations

import itertools
import weakref
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from from_the_floor.web import navigation
from hypothesis import given
from hypothesis import strategies as st


def test_related_ranks_by_shared_tags_then_the_nearest_earlier():
    items = [
        ("a", 1, ["x", "y"]),
        ("b", 2, ["x"]),
        ("c", 3, ["x", "y"]),
        ("d", 4, ["z"]),
        ("e", 9, ["x"]),
        ("f", 5, ["x"]),
    ]
    related = navigation.related_by_tags(items, 3)
    assert related["a"] == ["c", "b", "f"]  # c shares two tags; then the nearest later ones
    assert related["e"] == ["f", "c", "b"]  # the nearest earlier first, though a is as good
    assert related["f"] == ["c", "b", "a"]  # earlier before later (e), however near
    assert related["d"] == []
    assert "b" not in navigation.related_by_tags(items, 3)["b"]
    assert navigation.related_by_tags(items, 1)["a"] == ["c"]
    assert navigation.related_by_tags(items, 0)["a"] == []


def test_duplicate_tags_count_once():
    related = navigation.related_by_tags([("a", 1, ["x", "x"]), ("b", 2, ["x"]), ("c", 3, ["x", "y"])], 5)
    assert related["a"] == ["b", "c"]


TAGS = st.lists(st.sampled_from("abcdef"), min_size=1, max_size=3)


@given(
    st.lists(st.tuples(st.integers(0, 3), st.lists(st.sampled_from("abcdefg"), max_size=4)), max_size=40),
    st.integers(0, 6),
    st.booleans(),
)
def test_the_fast_ranking_is_the_plain_counting_one(rows, limit, shuffled):
    """Pair index and nearest-first walks give exactly what counting every overlap gives, in any
    order of arrival and with gaps in the numbering."""
    order, items = 0, []
    for n, (gap, tags) in enumerate(rows):
        order += 1 + gap
        items.append((f"p{n}", order, tags))
    if shuffled:
        items = items[1::2] + items[::2]
    assert navigation.related_by_tags(items, limit) == navigation.related_by_counting(items, limit)


@given(
    st.lists(st.lists(st.sampled_from("abcdefghi"), max_size=9), max_size=50),
    st.integers(1, 6),
    st.booleans(),
)
def test_each_level_of_sharing_walked_nearest_first_is_the_plain_counting(tag_lists, limit, shuffled):
    """Posts sharing three, four … tags (each level walked in its combinations' lists), and a
    column with a post of more tags than are indexed (its posts' pairs counted), rank exactly
    as counting every overlap does."""
    items = [(f"p{n}", n, tags) for n, tags in enumerate(tag_lists)]
    if shuffled:
        items = items[1::2] + items[::2]
    assert navigation.related_by_tags(items, limit) == navigation.related_by_counting(items, limit)


def test_a_post_sharing_more_tags_far_away_comes_before_a_near_one_sharing_fewer():
    items = [("far", 1, "abcd"), *((f"n{i}", 10 + i, "ab") for i in range(5)), ("here", 20, "abcd")]
    assert navigation.related_by_tags(items, 3)["here"] == ["far", "n4", "n3"]
    many = [*items, ("tagged", 30, "abcdefghij")]  # more tags than are indexed: pairs counted
    assert navigation.related_by_tags(many, 3)["here"] == ["far", "tagged", "n4"]
    assert navigation.related_by_tags(many, 3) == navigation.related_by_counting(many, 3)


def test_posts_sharing_a_place_are_ranked_the_plain_way():
    items = [("a", 1, ["x"]), ("b", 1, ["x"]), ("c", 2, ["x", "y"]), ("d", 2, ["y"])]
    assert navigation.related_by_tags(items, 3) == navigation.related_by_counting(items, 3)


@given(st.lists(TAGS, min_size=2, max_size=60), st.integers(1, 5))
def test_a_new_post_enters_an_older_set_only_by_sharing_more_tags(tag_lists, limit):
    """The weekly post leaves an older page's related set alone unless it is a strictly better
    match than that set's weakest pick, or the set had room."""
    items = [(n, n, tags) for n, tags in enumerate(tag_lists)]
    before = navigation.related_by_tags(items[:-1], limit)
    after = navigation.related_by_tags(items, limit)
    new_key, _, new_tags = items[-1]
    for key, _, tags in items[:-1]:
        if after[key] == before[key]:
            continue
        assert new_key in after[key], "only the new post can change an older set"
        shares = len(set(tags) & set(new_tags))
        weakest = min((len(set(tags) & set(tag_lists[k])) for k in before[key]), default=0)
        assert len(before[key]) < limit or shares > weakest


WP = "{https://wordpress.org/export/1.2/}"
THEME_UNIT_TEST = Path(__file__).parent.parent / "fixtures" / "import" / "wp-theme-unit-test.xml"


def wordpress_posts() -> list[tuple[str, int, tuple[str, ...]]]:
    """The published posts of WordPress's Theme Unit Test export, oldest first, with their tags."""
    rows = []
    for item in ET.parse(THEME_UNIT_TEST).iter("item"):
        if item.findtext(f"{WP}post_type") == "post" and item.findtext(f"{WP}status") == "publish":
            tags = tuple(c.text or "" for c in item.iter("category") if c.get("domain") == "post_tag")
            rows.append((item.findtext(f"{WP}post_date") or "", item.findtext(f"{WP}post_id") or "", tags))
    rows.sort()
    return [(post_id, order, tags) for order, (_date, post_id, tags) in enumerate(rows)]


def test_a_real_blogs_posts_arriving_one_by_one_rarely_change_older_sets():
    """WordPress's test blog, replayed a post at a time: an older post's related set changes
    only when the newcomer shares more tags than its weakest pick, or the set had room."""
    posts = wordpress_posts()
    assert sum(1 for _, _, tags in posts if tags) > len(posts) // 2, "the export's posts carry tags"
    tags_of = {key: set(tags) for key, _, tags in posts}
    quiet = 0  # arrivals that leave every older set as it was
    for k in range(2, len(posts) + 1):
        before = navigation.related_by_tags(posts[: k - 1], 3)
        after = navigation.related_by_tags(posts[:k], 3)
        newcomer = posts[k - 1][0]
        quiet += all(after[key] == picks for key, picks in before.items())
        for key, picks in before.items():
            if after[key] == picks:
                continue
            assert newcomer in after[key]
            weakest = min((len(tags_of[key] & tags_of[p]) for p in picks), default=0)
            assert len(picks) < 3 or len(tags_of[key] & tags_of[newcomer]) > weakest
        for pick in after[newcomer]:
            assert tags_of[pick] & tags_of[newcomer], "related posts share a tag"
    assert quiet > (len(posts) - 1) / 2, "most arrivals leave every older set alone"


@given(st.integers(1, 400), st.integers(5, 60), st.data())
def test_series_window_keeps_first_current_and_its_block(count, size, data):
    current = data.draw(st.integers(0, count - 1))
    shown = navigation.series_window(count, current, size)
    parts = [i for i in shown if i is not None]
    assert parts == sorted(set(parts)), "in order, no repeats"
    assert {0, current} <= set(parts)
    assert len(parts) <= size
    if count <= size:
        assert parts == list(range(count)), "every part while they fit"
    else:
        block = navigation.series_block(size)
        start = current // block * block
        assert set(range(start, min(start + block, count))) <= set(parts), "the whole block"
    for before, after in itertools.pairwise(shown):
        assert not (before is None and after is None)
        if before is not None and after is not None:
            assert after == before + 1, "a jump between shown parts is marked as a gap"
    assert shown[0] is not None and shown[-1] is not None


@given(st.integers(1, 400), st.integers(5, 60))
def test_a_new_part_changes_only_the_lists_of_the_last_blocks(count, size):
    """Adding part ``count`` (at the end) leaves the list of every earlier block alone, except
    the block just before a new block, which gains its link onwards."""
    window = navigation.series_window
    changed = {i for i in range(count) if window(count, i, size) != window(count + 1, i, size)}
    if count < size:
        return  # every part is listed while they fit: every list grows
    if count == size:
        assert changed  # the switch to blocks happens once
        return
    block = navigation.series_block(size)
    last = count // block  # the block the new part lands in
    allowed = set(range((last - 1) * block, count)) if count % block == 0 else set(range(last * block, count))
    assert changed <= allowed


@given(st.integers(1, 300), st.integers(5, 60))
def test_every_part_is_reachable_through_the_lists(count, size):
    """From any part's list (and the previous/next links) every part can be reached, and through
    the block links in at most one step per block."""
    block = navigation.series_block(size) if count > size else count
    steps = {0: 0}
    frontier = [0]
    while frontier:
        nxt = []
        for part in frontier:
            for other in navigation.series_window(count, part, size):
                if other is not None and other not in steps:
                    steps[other] = steps[part] + 1
                    nxt.append(other)
        frontier = nxt
    assert set(steps) == set(range(count))
    assert max(steps.values()) <= -(-count // block) + 1


@given(st.integers(0, 400), st.integers(0, 60))
def test_series_windows_are_each_parts_window_made_once_a_block(count, size):
    windows = navigation.series_windows(count, size)
    assert windows == [tuple(navigation.series_window(count, i, size)) for i in range(count)]
    block = count if count <= size else navigation.series_block(size)
    assert len({id(w) for w in windows}) == (-(-count // block) if count else 0), "one tuple a block"


def test_series_window_small_and_invalid():
    assert navigation.series_window(3, 1, 50) == [0, 1, 2]
    assert navigation.series_window(0, 0, 50) == []
    assert navigation.series_block(50) == 40
    assert navigation.series_block(7) == 4
    assert navigation.series_window(100, 50, 50) == [0, None, *range(40, 81)]
    assert navigation.series_window(100, 0, 50) == [*range(0, 41)]
    assert navigation.series_window(100, 99, 50) == [0, None, 40, None, *range(80, 100)]
    assert navigation.series_window(100, 5, 7) == [0, None, 4, 5, 6, 7, 8]
    with pytest.raises(ValueError):
        navigation.series_window(3, 3, 50)


def test_share_links_are_let_go_with_the_page_that_asked_for_them():
    """A build renders each post's page once: links kept after it (a cache) were never asked
    for again, and were most of what rendering left behind in the build's own process."""
    links = navigation.share_links("https://example.org/floor/a/", "A post", ["email", "bluesky"])
    again = navigation.share_links("https://example.org/floor/a/", "A post", ["email", "bluesky"])
    assert again == links  # the same links each time they are asked for
    alive = [weakref.ref(link) for link in links + again]
    del links, again
    assert [ref() for ref in alive] == [None] * 4


def test_share_links_are_plain_urls_carrying_the_post():
    url = "https://example.org/floor/why/?a=1&b=2"
    title = "From the Floor #3: Why & how?"
    links = navigation.share_links(url, title, ["email", "bluesky", "linkedin", "reddit", "hackernews"])
    assert [link.service for link in links] == ["email", "bluesky", "linkedin", "reddit", "hackernews"]
    by = {link.service: link for link in links}
    assert by["email"].href.startswith("mailto:?")
    assert parse_qs(urlsplit(by["email"].href).query) == {"subject": [title], "body": [url]}
    assert parse_qs(urlsplit(by["bluesky"].href).query)["text"] == [f"{title} {url}"]
    assert parse_qs(urlsplit(by["linkedin"].href).query)["url"] == [url]
    assert parse_qs(urlsplit(by["hackernews"].href).query) == {"u": [url], "t": [title]}
    for link in links[1:]:
        assert urlsplit(link.href).scheme == "https"
