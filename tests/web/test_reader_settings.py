"""reader_settings: the reader-site FLOOR_ settings and per-post options, validated by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from from_the_floor.errors import FloorError
from from_the_floor.web import reader_settings as rs

GISCUS = {"repo": "me/column", "repo-id": "R_1", "category": "Comments", "category-id": "DIC_1"}


def test_defaults_build_a_site_without_any_setting():
    s = rs.from_mapping({})
    assert s.ask.channel == "none" and not s.ask.is_open
    assert s.comments.provider == "none" and not s.comments.enabled
    assert s.search and s.tag_feeds
    # site-wide files: decided by whether the column is the whole site (core/site_scope.py)
    assert s.sitemap is None and s.robots is None and s.not_found_page is None
    assert s.json_feed == "feeds/all.json"
    assert s.pages == {
        "ask": "ask/",
        "stats": "stats/",
        "comment_policy": "comment-policy/",
        "search": "search/",
    }


def test_mailto_has_a_prefilled_subject_and_template():
    s = rs.from_mapping(
        {"SITENAME": "From the Floor", "FLOOR_ASK_CHANNEL": "mailto", "FLOOR_ASK_EMAIL": "ask@example.org"}
    )
    parts = urlsplit(s.ask.url)
    assert parts.scheme == "mailto" and unquote(parts.path) == "ask@example.org"
    query = parse_qs(parts.query)
    assert query["subject"] == ["A question for From the Floor"]
    assert "leave empty to stay anonymous" in query["body"][0]
    assert "+" not in s.ask.url, "RFC 6068: spaces are %20"


def test_github_and_form_channels():
    gh = rs.from_mapping({"FLOOR_ASK_CHANNEL": "github", "FLOOR_ASK_GITHUB_REPO": "me/column"})
    assert gh.ask.url == "https://github.com/me/column/issues/new?template=question.yml"
    form = rs.from_mapping({"FLOOR_ASK_CHANNEL": "Form", "FLOOR_ASK_FORM_URL": "https://forms.example/x"})
    assert form.ask.channel == "form" and form.ask.url == "https://forms.example/x"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"FLOOR_ASK_CHANNEL": "pigeon"}, "FLOOR_ASK_CHANNEL"),
        ({"FLOOR_ASK_CHANNEL": "mailto"}, "FLOOR_ASK_EMAIL"),
        ({"FLOOR_ASK_CHANNEL": "mailto", "FLOOR_ASK_EMAIL": "nope"}, "FLOOR_ASK_EMAIL"),
        ({"FLOOR_ASK_CHANNEL": "form", "FLOOR_ASK_FORM_URL": "javascript:alert(1)"}, "FLOOR_ASK_FORM_URL"),
        ({"FLOOR_ASK_CHANNEL": "github", "FLOOR_ASK_GITHUB_REPO": "just-a-name"}, "FLOOR_ASK_GITHUB_REPO"),
        (
            {"FLOOR_ASK_CHANNEL": "mailto", "FLOOR_ASK_EMAIL": "a@b.org", "FLOOR_ASK_SUBJECT": "{x}"},
            "FLOOR_ASK_SUBJECT",
        ),
        ({"FLOOR_COMMENTS": "disqus"}, "FLOOR_COMMENTS"),
        ({"FLOOR_COMMENTS": "giscus", "FLOOR_GISCUS": {"repo": "me/column"}}, "FLOOR_GISCUS"),
        ({"FLOOR_COMMENTS": "isso", "FLOOR_ISSO": {}}, "FLOOR_ISSO"),
        ({"FLOOR_COMMENTS_OPEN": "yes"}, "FLOOR_COMMENTS_OPEN"),
        ({"FLOOR_STABLE_PAGINATION": "yes"}, "FLOOR_STABLE_PAGINATION"),
        ({"FLOOR_SHARE": ["email", "myspace"]}, "FLOOR_SHARE"),
        ({"FLOOR_RELATED": -1}, "FLOOR_RELATED"),
        ({"FLOOR_SERIES_JUMP": 2}, "FLOOR_SERIES_JUMP"),
        ({"FLOOR_PAGE_PATHS": {"ask": "../x"}}, "FLOOR_PAGE_PATHS"),
        ({"FLOOR_PAGE_PATHS": {"ask": "stats"}}, "FLOOR_PAGE_PATHS"),
        ({"FLOOR_PAGE_PATHS": {"faq": "faq"}}, "FLOOR_PAGE_PATHS"),
        ({"FLOOR_JSON_FEED": ""}, "FLOOR_JSON_FEED"),
        ({"FLOOR_SITEMAP": "yes"}, "FLOOR_SITEMAP"),
        ({"FLOOR_NOT_FOUND_PAGE": 1}, "FLOOR_NOT_FOUND_PAGE"),
        ({"FLOOR_PUBLISHER": {"@type": "Robot", "name": "x"}}, "FLOOR_PUBLISHER"),
    ],
)
def test_bad_values_name_their_setting(raw, field):
    with pytest.raises(FloorError) as err:
        rs.from_mapping(raw, Path("site/pelicanconf.py"))
    assert err.value.field == field
    assert "site/pelicanconf.py" in err.value.message


def test_giscus_attributes_and_fallback():
    s = rs.from_mapping({"FLOOR_COMMENTS": "giscus", "FLOOR_GISCUS": {**GISCUS, "data-theme": "light"}})
    attrs = dict(s.comments.attributes)
    assert attrs["data-repo"] == "me/column" and attrs["data-category-id"] == "DIC_1"
    assert attrs["data-theme"] == "light" and attrs["data-mapping"] == "pathname"
    assert s.comments.script == "https://giscus.app/client.js" and s.comments.host == "giscus.app"
    assert s.comments.fallback_url == "https://github.com/me/column/discussions"


def test_isso_attributes():
    s = rs.from_mapping(
        {
            "FLOOR_COMMENTS": "isso",
            "FLOOR_ISSO": {"url": "https://c.example.org/isso", "require-author": True},
        }
    )
    assert s.comments.script == "https://c.example.org/isso/js/embed.min.js"
    assert dict(s.comments.attributes) == {
        "data-isso": "https://c.example.org/isso/",
        "data-isso-require-author": "true",
    }


def test_comments_open_and_closed():
    on = rs.from_mapping({"FLOOR_COMMENTS": "giscus", "FLOOR_GISCUS": GISCUS})
    assert on.comments.open_for(closed_here=False) and not on.comments.open_for(closed_here=True)
    off = rs.from_mapping({"FLOOR_COMMENTS": "giscus", "FLOOR_GISCUS": GISCUS, "FLOOR_COMMENTS_OPEN": False})
    assert not off.comments.open_for(closed_here=False)
    assert not rs.from_mapping({}).comments.open_for(closed_here=False)


@pytest.mark.parametrize(
    ("value", "closed"), [(None, False), ("closed", True), ("Open", False), (False, True)]
)
def test_a_posts_comments_key(value, closed):
    assert rs.comments_closed(value) is closed


def test_an_unknown_comments_value_is_an_error():
    with pytest.raises(FloorError) as err:
        rs.comments_closed("maybe", Path("content/floor/x.md"))
    assert err.value.field == "comments"


def test_modified_dates():
    tz = ZoneInfo("Europe/London")
    assert rs.modified_at(None, tz) is None
    assert rs.modified_at("2026-12-01", tz) == dt.datetime(2026, 12, 1, tzinfo=tz)
    assert rs.modified_at("2026-12-01T10:00:00+00:00", tz) == dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
    with pytest.raises(FloorError):
        rs.modified_at("soon", tz)


def test_problems_lists_every_refused_setting_in_the_order_a_build_meets_them():
    """`floor check` shows them all; a build stops at the first, and it is the same one."""
    raw = {"FLOOR_SHARE": ["myspace"], "FLOOR_RELATED": -1, "FLOOR_SITEMAP": "yes", "FLOOR_JSON_FEED": ""}
    found = rs.problems(raw, Path("site/pelicanconf.py"))
    assert [e.field for e in found] == ["FLOOR_JSON_FEED", "FLOOR_SHARE", "FLOOR_RELATED", "FLOOR_SITEMAP"]
    with pytest.raises(FloorError) as err:
        rs.from_mapping(raw, Path("site/pelicanconf.py"))
    assert err.value.field == "FLOOR_JSON_FEED"
    assert rs.problems({}, Path("site/pelicanconf.py")) == []
