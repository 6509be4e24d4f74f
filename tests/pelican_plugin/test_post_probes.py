"""A post's probe: what its kept digests are made of, taken once per post and mostly looked up.

The probe (page_signatures.Signer._probe) counts a post's source file, which
attributes it has, the values Pelican may take from elsewhere than the file,
and the posts it links to by their source paths. The posts of one block of
the jump list hold equal lists: the list is digested once for all of them,
and any list that differs, by one post or by its order, is digested again.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.pelican_plugin import page_signatures as ps
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

SITE = Path("/site")


def _settings() -> dict:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["PATH"] = str(SITE / "content")
    return settings


def _posts(count: int) -> list[Article]:
    settings = _settings()
    posts = []
    for n in range(count):
        metadata = {"title": f"Q{n}", "date": dt.datetime(2026, 1, 1 + n, 9, tzinfo=dt.UTC), "slug": f"q{n}"}
        source = str(SITE / "content" / "floor" / f"{n:04}.md")
        post = Article("<p>x</p>", metadata=metadata, settings=settings, source_path=source)
        post.floor_decorated_from = (source,)  # decorated from its own file, as reader_site does
        posts.append(post)
    return posts


def _signer(posts: list[Article]) -> ps.Signer:
    sources = {f"content/floor/{n:04}.md": f"digest-{n}" for n in range(len(posts))}
    return ps.Signer({"SITEURL": ""}, SITE, sources)


def _link(posts: list[Article], jumps: dict[int, list]) -> None:
    for n, post in enumerate(posts):
        post.floor_prev = posts[n - 1] if n else None
        post.floor_jump = list(jumps.get(n, posts[:3]))  # a list of its own, like reader_site's


def test_a_jump_list_shared_by_a_block_is_digested_once(monkeypatch) -> None:
    """Ten posts holding equal jump lists (each its own list object): the list's posts are
    turned into their source paths once, not once a post."""
    posts = _posts(10)
    _link(posts, {})
    signer = _signer(posts)
    looked: list[int] = []
    tokens_of = ps.Signer._tokens_of
    monkeypatch.setattr(
        ps.Signer, "_tokens_of", lambda self, value: looked.append(len(value)) or tokens_of(self, value)
    )
    probes = [signer._probe(post) for post in posts]
    assert None not in probes and len({probe[1] for probe in probes}) == 10
    assert looked.count(3) == 1, "the block's jump list is read once"
    assert all(probe[2].count(posts[0]) >= 1 for probe in probes[1:]), "its posts are still each post's links"


@pytest.mark.parametrize(
    "other",
    [
        lambda p: [p[0], p[1], p[3]],  # one post replaced, same length
        lambda p: [p[0], p[2], p[1]],  # the same posts in another order
        lambda p: [p[0], None, p[2]],  # a gap where a post was
        lambda p: [p[0], p[1]],  # one fewer
    ],
)
def test_a_jump_list_that_differs_from_the_last_one_seen_is_digested_again(other) -> None:
    """The shortcut for a block (the last list seen under the same name, compared post by post)
    never hands a post another list's digest: each probe is what a signer that saw no other
    post gives."""
    posts = _posts(6)
    _link(posts, {4: other(posts)})
    signer = _signer(posts)
    together = [signer._probe(post) for post in posts]
    alone = [_signer(posts)._probe(post) for post in posts]
    assert [p[1] for p in together] == [p[1] for p in alone]
    assert together[4][1] != _probe_with(posts, 4, posts[:3])


def _probe_with(posts: list[Article], n: int, jump: list) -> str:
    saved = posts[n].floor_jump
    posts[n].floor_jump = list(jump)
    try:
        return _signer(posts)._probe(posts[n])[1]
    finally:
        posts[n].floor_jump = saved


def test_a_post_holding_a_value_no_reader_makes_has_no_probe() -> None:
    """A list holding anything but posts, gaps and plain values: its post is signed by value."""
    posts = _posts(3)
    _link(posts, {1: [posts[0], object()]})
    signer = _signer(posts)
    assert signer._probe(posts[0]) is not None
    assert signer._probe(posts[1]) is None


@pytest.mark.parametrize(("links", "cards"), [(False, False), (True, False), (False, True)])
def test_a_list_of_posts_is_signed_by_each_posts_digest_in_one_pass(
    monkeypatch, links: bool, cards: bool
) -> None:
    """A tag's or the archives' list of posts: one call for the list, not one per post, and the
    digest is the one the general path gives (each post as :meth:`Signer.value` signs it)."""
    posts = _posts(8)
    _link(posts, {})
    signer = _signer(posts)
    each = [signer.value(post, links=links, cards=cards) for post in posts]
    assert len(set(each)) == 8
    calls: list[object] = []
    value = ps.Signer.value
    monkeypatch.setattr(ps.Signer, "value", lambda self, v, **kw: calls.append(v) or value(self, v, **kw))
    digest = signer.value(list(posts), links=links, cards=cards)
    assert digest == ps._h("seq", "list", *each)
    assert len(calls) == 1, "no call per post"
    mixed = signer.value([*posts, "and more"], links=links, cards=cards)
    assert mixed == ps._h("seq", "list", *each, ps._scalar_or_none("and more"))
