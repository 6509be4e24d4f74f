"""jsonfeed: a valid JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from from_the_floor.web import jsonfeed

T1 = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)


def item(n: int, when: dt.datetime, **kw) -> jsonfeed.Item:
    return jsonfeed.Item(
        id=f"https://example.org/floor/{n}/",
        url=f"https://example.org/floor/{n}/",
        title=f"From the Floor #{n}",
        content_html=f"<p>Question {n}</p><p>Answer {n}</p>",
        date_published=when,
        number=n,
        questions=[{"id": f"q{n}", "question": f"Question {n}?", "asked": "2026-10-01"}],
        **kw,
    )


def check_json_feed_11(doc: dict) -> None:
    """The spec's requirements: version, title, items; each item an id and some content."""
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(doc["title"], str) and doc["title"]
    assert isinstance(doc["items"], list)
    for entry in doc["items"]:
        assert isinstance(entry["id"], str) and entry["id"]
        assert entry.get("content_html") or entry.get("content_text")
        for key in ("date_published", "date_modified"):
            if key in entry:
                assert dt.datetime.fromisoformat(entry[key]).tzinfo is not None  # RFC 3339
        for key in entry:
            assert key in jsonfeed_item_keys() or key.startswith("_"), key
    if "authors" in doc:
        assert all(isinstance(a, dict) and a for a in doc["authors"])


def jsonfeed_item_keys() -> set[str]:
    return {
        "id",
        "url",
        "external_url",
        "title",
        "content_html",
        "content_text",
        "summary",
        "image",
        "banner_image",
        "date_published",
        "date_modified",
        "authors",
        "tags",
        "language",
        "attachments",
    }


def test_a_feed_newest_first_with_full_content():
    doc = jsonfeed.feed(
        title="From the Floor",
        home_page_url="https://example.org/",
        feed_url="https://example.org/feeds/all.json",
        description="Questions.",
        language="en",
        authors=[{"name": "Robin"}],
        items=[item(1, T1), item(2, T2, tags=["a"], summary="Yes.", date_modified=T2)],
    )
    doc = json.loads(jsonfeed.dumps(doc))
    check_json_feed_11(doc)
    assert [i["id"] for i in doc["items"]] == ["https://example.org/floor/2/", "https://example.org/floor/1/"]
    assert doc["items"][0]["tags"] == ["a"] and doc["items"][0]["summary"] == "Yes."
    assert doc["items"][1]["_from_the_floor"] == {
        "number": 1,
        "questions": [{"id": "q1", "question": "Question 1?", "asked": "2026-10-01"}],
    }
    assert "Answer 1" in doc["items"][1]["content_html"]


def test_an_empty_feed_is_still_valid():
    doc = jsonfeed.feed(title="From the Floor", items=[])
    check_json_feed_11(doc)
    assert doc["items"] == []


def test_naive_dates_and_missing_titles_are_refused():
    with pytest.raises(ValueError):
        jsonfeed.feed(title="x", items=[item(1, dt.datetime(2026, 1, 1))])
    with pytest.raises(ValueError):
        jsonfeed.feed(title="", items=[])


def test_reader_markup_is_never_raw_in_the_file():
    hostile = "Is <script>alert(1)</script> & co safe?"
    doc = jsonfeed.feed(title="x", items=[item(1, T1, summary=hostile)])
    text = jsonfeed.dumps(doc)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["items"][0]["summary"] == hostile
