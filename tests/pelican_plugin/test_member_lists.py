"""Tags', categories' and authors' lists answer `in` at once, exactly as a list does."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import shutil
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import member_lists
from from_the_floor.pelican_plugin.member_lists import Members
from helpers_build import assert_same, generated_site, tree
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category, Tag
from test_incremental_build import TODAY


def _posts(n: int) -> list[Article]:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    return [
        Article(
            f"<p>{i}</p>",
            metadata={"title": f"Q{i}", "date": dt.datetime(2026, 1, 1 + i, tzinfo=dt.UTC), "slug": f"q{i}"},
            settings=settings,
        )
        for i in range(n)
    ]


class _SameNumber:
    """An item with an equality of its own: a list finds an equal one, not only itself."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SameNumber) and other.n == self.n

    __hash__ = None  # type: ignore[assignment]


def test_in_gives_the_lists_answer() -> None:
    posts = _posts(6)
    plain = posts[1:4]
    members = Members(plain)
    assert members == plain and list(members) == plain
    for post in posts:
        assert (post in members) == (post in plain)
    twin = _posts(6)[2]  # equal fields, another object: Pelican's posts are equal only to themselves
    assert (twin in members) == (twin in plain) is False
    numbered = Members([_SameNumber(1), _SameNumber(2)])
    assert _SameNumber(2) in numbered and _SameNumber(3) not in numbered
    assert "Q1" not in members and None not in members


def test_a_changed_list_forgets_what_it_held() -> None:
    posts = _posts(8)
    members = Members(posts[:2])
    assert posts[0] in members and posts[5] not in members
    changes = [
        lambda m: m.append(posts[5]),
        lambda m: m.extend([posts[6]]),
        lambda m: m.insert(0, posts[7]),
        lambda m: m.remove(posts[5]),
        lambda m: m.pop(),
        lambda m: m.__setitem__(0, posts[3]),
        lambda m: m.__delitem__(0),
        lambda m: m.__iadd__([posts[4]]),
        lambda m: m.sort(key=lambda p: p.title, reverse=True),
        lambda m: m.reverse(),
        lambda m: m.__imul__(2),
        lambda m: m.clear(),
    ]
    for change in changes:
        mirror = list(members)
        change(members)
        change(mirror)
        assert list(members) == mirror
        for post in posts:
            assert (post in members) == (post in mirror), (change, post.title)
        members.__contains__(posts[0])  # the set is made again before the next change


def test_a_pickled_list_is_still_one() -> None:
    posts = _posts(3)
    members = Members(posts)
    assert posts[1] in members  # its set is made
    again = pickle.loads(pickle.dumps(members))
    assert type(again) is Members and [p.title for p in again] == ["Q0", "Q1", "Q2"]
    assert again[1] in again and posts[1] not in again


def test_index_changes_the_lists_in_place() -> None:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    posts = _posts(4)
    tag, other = Tag("craft", settings), Tag("email", settings)
    category, author = Category("Floor", settings), Author("Ann", settings)
    tags = defaultdict(list, {tag: posts[:3], other: [posts[3]]})
    categories = [(category, list(posts))]
    authors = [(author, posts[1:])]
    context = {"tags": list(tags.items()), "categories": categories, "authors": authors}
    generator = SimpleNamespace(tags=tags, categories=categories, authors=authors, context=context)
    member_lists.index(generator)
    assert generator.tags is tags and generator.categories is categories and generator.authors is authors
    assert all(type(v) is Members for v in tags.values())
    assert [(k, list(v)) for k, v in context["tags"]] == [(tag, posts[:3]), (other, [posts[3]])]
    assert all(type(v) is Members for _, v in context["tags"])
    assert type(categories[0][1]) is Members and categories[0][1] == posts
    assert type(authors[0][1]) is Members and authors[0][1] == posts[1:]
    assert tags["new"] == []  # still the generator's defaultdict


def test_tag_pages_are_written_from_members_and_unchanged(tmp_path: Path, monkeypatch) -> None:
    site = generated_site(tmp_path / "gen", 12)
    plain = tmp_path / "plain"
    shutil.copytree(site, plain)
    seen: list[type] = []
    write_tags = ArticlesGenerator.generate_tags

    def spy(self, write):
        seen.extend(type(posts) for posts in self.tags.values())
        return write_tags(self, write)

    monkeypatch.setattr(ArticlesGenerator, "generate_tags", spy)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert seen and set(seen) == {Members}
    with monkeypatch.context() as without:
        without.setattr(member_lists, "Members", list)  # (the receiver is connected: its lists go)
        seen.clear()
        build_mod.build(Site(plain), jobs=1, today=TODAY)
    assert seen and set(seen) == {list}
    assert_same(tree(site / "output"), tree(plain / "output"))
