"""A post's URL, remembered while the generators run, is always the one Pelican formats."""

from __future__ import annotations

import copy
import datetime as dt
import types

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


@pytest.mark.parametrize("direct", [False, True])
@pytest.mark.parametrize("name", [name for name, _ in _edits({})])
def test_every_input_of_the_url_changes_the_remembered_url(name: str, direct: bool) -> None:
    settings = _settings()
    edit = dict(_edits(settings))[name]
    article = _article(settings)
    with url_memo.remembered_urls(direct=direct):
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


def _copies(monkeypatch) -> list:
    """Counts Pelican's url_format (it copies the post's metadata each time)."""
    import pelican.contents

    made = []
    real = copy.copy
    monkeypatch.setattr(
        pelican.contents,
        "copy",
        types.SimpleNamespace(copy=lambda x: made.append(1) or real(x), deepcopy=copy.deepcopy),
    )
    return made


@pytest.mark.parametrize("path", [None, "floor/kept.md", ""])
def test_a_direct_url_is_pelicans_without_its_url_format(monkeypatch, path: str | None) -> None:
    settings = _settings()
    settings["ARTICLE_URL"] = "{path}/{category}/{author}/{date:%Y/%m}/{slug}-{number:03d}-{lang}/"
    settings["PAGE_URL"] = "pages/{path}"

    def posts() -> tuple[Article, Page]:
        article = _article(settings)
        if path is not None:
            article.metadata["path"] = path
        page = Page(
            "<p>x</p>", metadata={"title": "About"}, settings=settings, source_path="/site/content/p/a.md"
        )
        return article, page

    article, page = posts()
    expected = (article.url, article.save_as, page.url)
    made = _copies(monkeypatch)
    article, page = posts()
    with url_memo.remembered_urls(direct=True):
        assert (article.url, article.save_as, page.url) == expected
    assert made == []
    article, page = posts()
    with url_memo.remembered_urls(direct=False):
        assert (article.url, article.save_as, page.url) == expected
    assert len(made) == 3


def test_a_field_pelican_cannot_format_fails_as_in_pelican() -> None:
    settings = _settings()
    settings["ARTICLE_URL"] = "{slug:d}/"  # text formatted as a number
    article = _article(settings)
    with pytest.raises(ValueError) as pelicans:
        _ = article.url
    with url_memo.remembered_urls(direct=True), pytest.raises(ValueError) as ours:
        _ = article.url
    assert str(ours.value) == str(pelicans.value)
    article.author = None  # Pelican reads None.slug: an AttributeError, remembered or not
    with url_memo.remembered_urls(direct=True), pytest.raises(AttributeError):
        article.metadata["path"] = "x"
        settings["ARTICLE_URL"] = "{author}/"
        _ = article.url


def test_a_plugin_that_formats_urls_its_own_way_is_heard(monkeypatch) -> None:
    article = _article(_settings())
    monkeypatch.setattr(Article, "_expand_settings", lambda self, key: f"mine/{key}/")
    with url_memo.remembered_urls(direct=True):
        assert article.url == "mine/url/"
