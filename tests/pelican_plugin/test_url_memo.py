"""A post's URL, remembered while the generators run, is always the one Pelican formats."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from from_the_floor.pelican_plugin import url_memo
from pelican.contents import Article, Page
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category

UTC = dt.UTC


def _settings() -> dict:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["PATH"] = "/site/content"
    settings["ARTICLE_URL"] = "{category}/{date:%Y}/{slug}-{number}/"
    settings["ARTICLE_SAVE_AS"] = "{category}/{date:%Y}/{slug}-{number}/index.html"
    settings["ARTICLE_LANG_URL"] = "{lang}/{slug}/"
    settings["PAGE_URL"] = "pages/{path}"
    return settings


def _article(settings: dict, cls=Article) -> Article:
    metadata = {
        "title": "Why?",
        "date": dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC),
        "slug": "why",
        "number": 7,
        "category": Category("Floor", settings),
        "author": Author("Ann", settings),
    }
    return cls("<p>x</p>", metadata=metadata, settings=settings, source_path="/site/content/floor/why.md")


def _pelicans(content) -> tuple[str, str]:
    """What Pelican itself formats, with no memo installed."""
    return content.url, content.save_as


def _edits(settings: dict):
    yield "slug", lambda a: setattr(a, "slug", "because")
    yield "date", lambda a: setattr(a, "date", dt.datetime(2027, 1, 5, 9, tzinfo=UTC))
    yield (
        "date's zone",  # the same moment, told in another zone: equal datetimes, another year
        lambda a: setattr(
            a, "date", dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        ),
    )
    yield "category slug", lambda a: setattr(a.category, "slug", "column")
    yield "category", lambda a: setattr(a, "category", Category("Other", settings))
    yield "number in the metadata", lambda a: a.metadata.__setitem__("number", 8)
    yield "a draft", lambda a: setattr(a, "status", "draft")
    yield "a translation", lambda a: setattr(a, "in_default_lang", False)
    yield "an override", lambda a: setattr(a, "override_url", "elsewhere/")
    yield "the setting", lambda a: a.settings.__setitem__("ARTICLE_URL", "{slug}.html")


@pytest.mark.parametrize("name", [name for name, _ in _edits({})])
def test_every_input_of_the_url_changes_the_remembered_url(name: str) -> None:
    settings = _settings()
    edit = dict(_edits(settings))[name]
    article = _article(settings)
    with url_memo.remembered_urls():
        before = _pelicans(article)
        edit(article)
        remembered = _pelicans(article)
    assert remembered == _pelicans(article)
    assert remembered != before or (name == "the setting" and remembered[1] == before[1])


def test_a_remembered_url_is_formatted_once(monkeypatch) -> None:
    article = _article(_settings())
    formatted = []
    original = Article._expand_settings
    monkeypatch.setattr(
        Article, "_expand_settings", lambda self, key: formatted.append(key) or original(self, key)
    )
    with url_memo.remembered_urls():
        for _ in range(3):
            assert article.url == "floor/2025/why-7/"
    assert formatted == ["url"]
    assert article.url == "floor/2025/why-7/"  # the memo is gone with the context
    assert formatted == ["url", "url"]


def test_a_copied_post_has_its_own_memo() -> None:
    article = _article(_settings())
    with url_memo.remembered_urls():
        assert article.url == "floor/2025/why-7/"
        twin = copy.copy(article)
        twin.slug = "twin"
        assert twin.url == "floor/2025/twin-7/"
        assert article.url == "floor/2025/why-7/"


def test_pages_by_path_and_subclasses_are_formatted_as_pelican_does(monkeypatch) -> None:
    settings = _settings()
    page = Page(
        "<p>x</p>", metadata={"title": "About"}, settings=settings, source_path="/site/content/pages/about.md"
    )

    class Custom(Article):
        pass

    custom = _article(settings, Custom)
    calls = []
    original = Custom._expand_settings
    monkeypatch.setattr(
        Custom, "_expand_settings", lambda self, key: calls.append(key) or original(self, key)
    )
    with url_memo.remembered_urls():
        assert page.url == "pages/pages/about.md"
        page.source_path = "/site/content/pages/team.md"
        assert page.url == "pages/pages/team.md"
        page.status = "draft"  # Pelican's DRAFT_PAGE_URL
        assert page.url == "drafts/pages/about.html"
        assert custom.url == custom.url == "floor/2025/why-7/"
    assert calls == ["url", "url"]  # never remembered: a subclass may format its URL another way
