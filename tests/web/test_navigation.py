"""navigation: related questions by shared tags, the series window, share links."""

from __future__ import annotations

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from from_the_floor.web import navigation
from hypothesis import given
from hypothesis import strategies as st


def test_related_ranks_by_shared_tags_then_nearness():
    items = [
        ("a", 1, ["x", "y"]),
        ("b", 2, ["x"]),
        ("c", 3, ["x", "y"]),
        ("d", 4, ["z"]),
        ("e", 9, ["x"]),
    ]
    related = navigation.related_by_tags(items, 3)
    assert related["a"] == ["c", "b", "e"]  # c shares two tags; b is nearer than e
    assert related["d"] == []
    assert "b" not in navigation.related_by_tags(items, 3)["b"]
    assert navigation.related_by_tags(items, 1)["a"] == ["c"]
    assert navigation.related_by_tags(items, 0)["a"] == []


def test_duplicate_tags_count_once():
    related = navigation.related_by_tags([("a", 1, ["x", "x"]), ("b", 2, ["x"]), ("c", 3, ["x", "y"])], 5)
    assert related["a"] == ["b", "c"]


@given(st.integers(1, 400), st.integers(5, 60), st.data())
def test_series_window_keeps_first_last_current_and_size(count, size, data):
    current = data.draw(st.integers(0, count - 1))
    shown = navigation.series_window(count, current, size)
    parts = [i for i in shown if i is not None]
    assert parts == sorted(set(parts)), "in order, no repeats"
    assert {0, count - 1, current} <= set(parts)
    assert len(parts) == min(count, size)
    for before, after in itertools.pairwise(shown):
        assert not (before is None and after is None)
        if before is not None and after is not None:
            assert after == before + 1, "a jump between shown parts is marked as a gap"


def test_series_window_small_and_invalid():
    assert navigation.series_window(3, 1, 50) == [0, 1, 2]
    assert navigation.series_window(0, 0, 50) == []
    assert navigation.series_window(100, 50, 7) == [0, None, 48, 49, 50, 51, 52, None, 99]
    assert navigation.series_window(100, 0, 7) == [0, 1, 2, 3, 4, 5, None, 99]
    with pytest.raises(ValueError):
        navigation.series_window(3, 3, 50)


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
