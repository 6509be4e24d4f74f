"""Feed titles keep the reader's text as typed: escaped once, never stripped of tags or decoded.

Pelican reads a title as HTML (it strips tags and decodes entities); a
reader's question is text, so ``Is <b> bold?`` must stay ``Is <b> bold?``
and a typed ``&amp;`` must stay ``&amp;`` in Atom, RSS and JSON Feed alike.
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from from_the_floor.core import question as question_mod
from helpers_floor import ok, question_text, run_floor, write_question

QUESTIONS = [
    "Is <b> bold?",
    "Tom &amp; Jerry, or Tom & Jerry?",
    'Why does "<script>alert(1)</script>" show?',
    "What is &lt;, really?",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    site = tmp_path_factory.mktemp("feeds") / "site"
    ok(run_floor("init", site, "--title", "From the Floor", "--author", "The Author"))
    titles = {}
    for n, question in enumerate(QUESTIONS, start=1):
        text = question_text(
            json.dumps(question),
            quick="Yes.",
            body="Because.",
            tags="[titles]",
            title=json.dumps(f"Ask Me Anything #{n}: {question}"),
            date=f"2026-10-{n:02d}T09:00:00+00:00",
            number=str(n),
            slug=f"post-{n}",
        )
        path = write_question(site, f"post-{n}", text, folder="content/floor")
        titles[f"post-{n}"] = question_mod.load(path, published=True).title  # as the file says
    ok(run_floor("build", site=site))
    return site / "output", titles


def slug_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.parametrize(
    "feed",
    ["feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/tag/titles.atom.xml", "feeds/tag/titles.rss.xml"],
)
def test_atom_and_rss_titles_are_the_text_as_typed(built, feed: str) -> None:
    out, titles = built
    parsed = feedparser.parse(out / feed)
    assert not parsed.bozo, parsed.get("bozo_exception")
    got = {slug_of(e.link): e.title for e in parsed.entries}
    assert got == titles
    if feed.endswith(".atom.xml"):  # Atom says its titles are text; RSS has no such attribute
        assert all(e.title_detail.type == "text/plain" for e in parsed.entries)


def test_json_feed_titles_are_the_text_as_typed(built) -> None:
    out, titles = built
    feed = json.loads((out / "feeds" / "all.json").read_text(encoding="utf-8"))
    # JSON Feed's title is plain text by the spec (feedparser 6 does not read JSON Feed)
    assert {slug_of(i["url"]): i["title"] for i in feed["items"]} == titles


def test_the_xml_carries_each_title_escaped_once(built) -> None:
    out, _ = built
    atom = (out / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "Is &lt;b&gt; bold?" in atom and "Tom &amp;amp; Jerry" in atom
    assert "<script>" not in atom.split("<content", 1)[0]  # no live markup in any title


SITE_NAME = 'Ask "Zoë" & <Friends> 🎙️ — Tom &amp; Jerry'


@pytest.fixture(scope="module")
def named(tmp_path_factory) -> Path:
    """A column whose name and tag hold what HTML would read as markup or an entity."""
    site = tmp_path_factory.mktemp("names") / "Mes sites" / "L'heure des questions"
    ok(run_floor("init", site, "--title", SITE_NAME, "--author", "Zoë <O'Brien>"))
    text = question_text(
        json.dumps("Why two answers?"),
        quick="Yes.",
        body="Because.",
        tags=json.dumps(["Q&A <live>"]),
        title=json.dumps("Why two answers?"),
        date="2026-10-01T09:00:00+00:00",
        number="1",
        slug="post-1",
    )
    write_question(site, "post-1", text, folder="content/floor")
    ok(run_floor("build", site=site))
    return site / "output"


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_the_columns_name_is_the_feeds_title_as_typed(named, kind: str) -> None:
    """The kit's pages show the name escaped; its Atom and RSS feeds lost '<Friends>' and read
    '&amp;' as '&' (Pelican reads a feed's title as HTML)."""
    parsed = feedparser.parse(named / "feeds" / f"all.{kind}.xml")
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == SITE_NAME
    tag_feed = next((named / "feeds" / "tag").glob(f"*.{kind}.xml"))
    assert feedparser.parse(tag_feed).feed.title == f"{SITE_NAME} - Q&A <live>"
    json_feed = json.loads((named / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert json_feed["title"] == SITE_NAME, "the JSON Feed says the same"
