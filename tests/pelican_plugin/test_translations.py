"""Translations found one group of posts at a time are the ones Pelican finds, with its warnings."""

from __future__ import annotations

import copy
import datetime as dt
import logging
import random
from collections import defaultdict

import pelican.generators as generators_mod
import pytest
from from_the_floor.pelican_plugin import translations
from pelican.contents import Article
from pelican.log import LimitFilter
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import process_translations


def _posts(seed: int) -> list[Article]:
    rng = random.Random(seed)
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["PATH"] = "/site/content"
    posts = []
    for n in range(rng.randint(0, 60)):
        metadata = {
            "title": f"Post {n}",
            "date": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=rng.randint(0, 9)),
            "slug": rng.choice(["a", "b", "c", "d", f"own-{n}"]),
            "lang": rng.choice(["en", "en", "fr", "de"]),
        }
        if rng.random() < 0.2:
            metadata["translation"] = rng.choice(["true", "false", "False"])
        posts.append(
            Article("<p>x</p>", metadata=metadata, settings=settings, source_path=f"/site/content/{n}.md")
        )
    return posts


def _run(function, posts: list[Article], translation_id, caplog) -> tuple:
    caplog.clear()
    LimitFilter._raised_messages = set()  # Pelican's log says a message once per process
    LimitFilter._group_count = defaultdict(int)
    with caplog.at_level(logging.WARNING):
        index, others = function(posts, translation_id)
    return (
        [p.source_path for p in index],
        [p.source_path for p in others],
        [p.source_path for p in posts],  # the caller's list, sorted in place
        {p.source_path: [t.source_path for t in p.translations] for p in posts},
        [r.getMessage() for r in caplog.records],
    )


@pytest.mark.parametrize("translation_id", ["slug", ("slug", "lang"), ["lang"], None, ""])
@pytest.mark.parametrize("seed", range(12))
def test_the_same_originals_translations_and_warnings_as_pelican(
    seed: int, translation_id, caplog, monkeypatch
):
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())
    monkeypatch.setattr(LimitFilter, "_group_count", defaultdict(int))
    expected = _run(process_translations, _posts(seed), translation_id, caplog)
    assert _run(translations.by_group(process_translations), _posts(seed), translation_id, caplog) == expected


def test_each_group_is_handed_to_pelican_on_its_own(monkeypatch) -> None:
    sizes = []
    grouped = translations.by_group(
        lambda posts, tid: sizes.append(len(posts)) or process_translations(posts, tid)
    )
    posts = _posts(3)
    grouped(posts, "slug")
    assert sum(sizes) == len(posts) and max(sizes) < len(posts)
    assert len(sizes) == len({p.slug for p in posts})


def test_errors_and_other_equalities_are_pelicans(monkeypatch) -> None:
    class Equal(Article):
        def __eq__(self, other):  # a plugin's post class with an equality of its own
            return isinstance(other, Article) and other.slug == self.slug

        __hash__ = Article.__hash__

    posts = _posts(5)
    odd = [
        Equal(p._content, metadata=dict(p.metadata), settings=p.settings, source_path=p.source_path)
        for p in posts
    ]
    calls = []
    grouped = translations.by_group(lambda p, tid: calls.append(len(p)) or process_translations(p, tid))
    grouped(odd, "slug")
    assert calls == [len(odd)]  # Pelican's function, whole
    with pytest.raises(AttributeError, match="Cannot use"):
        translations.by_group(process_translations)(_posts(5), "no_such_field")


def test_installed_only_over_pelicans_own_function(monkeypatch) -> None:
    assert translations.available()
    with translations.grouped():
        assert generators_mod.process_translations is not process_translations
    assert generators_mod.process_translations is process_translations
    monkeypatch.setattr(generators_mod, "process_translations", lambda posts, tid: (posts, []))
    assert not translations.available()
