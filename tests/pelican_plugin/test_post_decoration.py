"""Each post's text, description and JSON-LD: worked out once, kept between builds, checked."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from from_the_floor.core import memo
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.pelican_plugin import reader_site
from helpers_build import assert_same, generated_site, tree
from helpers_floor import saved_memo
from test_incremental_build import TODAY, Author, clean_build


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return generated_site(tmp_path / "gen", 8)


def _forget() -> None:
    """As a new process starts: nothing in memory, only what .cache/ holds."""
    reader_site._decorations.forget()


def test_a_post_that_did_not_change_is_not_decorated_again(site: Path, tmp_path: Path, monkeypatch) -> None:
    _forget()  # what earlier tests in this process decorated is not saved with this site
    build_mod.build(Site(site), jobs=1, today=TODAY)
    saved = saved_memo(site / ".cache" / memo.FOLDER)
    assert len(saved["post-decoration"]) == 8  # one entry per post, in the JSON memo
    # each post holds its decoration decoded: the memo holds no second copy as text
    assert not any(isinstance(v, str) for v in reader_site._decorations.entries.values())
    _forget()
    made = []
    decorated = reader_site._decorated
    monkeypatch.setattr(reader_site, "_decorated", lambda given: made.append(given) or decorated(given))
    Author(site, random.Random(4)).edit_answer()  # one post changes
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert len(made) == 1, "only the edited post is decorated again"


def test_a_post_whose_tags_changed_keeps_its_decoration_and_its_json_ld_follows(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    """A decoration is keyed by what it is made of (the questions' fields, each answer by its
    digest): new tags, which only its JSON-LD shows, do not decorate it again, and its page is
    still a clean build's."""
    _forget()
    build_mod.build(Site(site), jobs=1, today=TODAY)
    _forget()
    made = []
    decorated = reader_site._decorated
    monkeypatch.setattr(reader_site, "_decorated", lambda given: made.append(given) or decorated(given))
    Author(site, random.Random(3)).edit_tags()
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert made == [], "no post is decorated again"
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def test_kept_decorations_give_the_clean_build(site: Path, tmp_path: Path) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    _forget()
    Author(site, random.Random(2)).edit_question()
    build_mod.build(Site(site), jobs=1, today=TODAY, full=True)  # every page from kept decorations
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def _made(given_title: str = "Why?") -> tuple[str, str]:
    given = json.dumps(
        [
            reader_site.DECORATION,
            [["q1", "Why?", None, "Because.", "Long answer.", "2026-01-02", None]],
            given_title,
            "https://example.org/floor/q1/",
            "2026-01-05T09:00:00+00:00",
            None,
            {"@type": "Person", "name": "Robin"},
            {"@type": "Person", "name": "Robin"},
            ["tools"],
            "en",
        ]
    )
    return given, reader_site._decorate_text(given)


def test_a_kept_decoration_is_used_only_in_the_shape_the_kit_writes() -> None:
    _given, text = _made("Is <b> bold & </script> safe?")
    qas, description = reader_site._decoration_checked(text)
    assert qas[0].asked.isoformat() == "2026-01-02" and description == "Because."
    rows, description = json.loads(text)
    for spoiled in (
        [[[*rows[0][:3], 20260102, *rows[0][4:]]], description],  # a date not as text
        [[[*rows[0][:3], "2026-13-02", *rows[0][4:]]], description],  # not a date
        [[[*rows[0][:4], 7, rows[0][5]]], description],  # an asker not as text
        [rows, 7],
        [rows],
        [rows, description, "<script>"],  # the shape of an earlier kit's
        {"rows": rows},
    ):
        assert reader_site._decoration_checked(json.dumps(spoiled)) is None
    assert reader_site._decoration_checked("{not json") is None


def test_kept_decorations_keep_the_answers_markdown_for_a_later_full_conversion(site: Path) -> None:
    """An unchanged post is not converted again, yet its Markdown stays in the saved memo, so
    another kit or other settings (which convert every post again) still find it."""
    build_mod.build(Site(site), jobs=1, today=TODAY)
    for kept in memo._memos.values():
        kept.forget()
    memo.load(site / ".cache" / memo.FOLDER)  # as a new process starts
    Author(site, random.Random(4)).edit_answer()
    build_mod.build(Site(site), jobs=1, today=TODAY)
    saved = saved_memo(site / ".cache" / memo.FOLDER)
    assert len(saved["author-markdown"]) >= 8  # every post's answers, not only the edited one's
    assert len(saved["answer-text"]) >= 8


def test_a_post_holds_what_its_json_ld_is_made_from_and_the_memo_keeps_no_json_ld(site: Path) -> None:
    """Each post's JSON-LD is made when its page is rendered, from what the post holds; the
    memo keeps only the questions' texts and the description it is made from."""
    given, text = _made("Is <b> bold & </script> safe?")
    parsed = json.loads(given)
    qas, description = reader_site._decorated(parsed)
    posting = reader_site._posting(parsed, qas, description)
    assert posting.questions == tuple(qas), "the questions' texts are the post's own, not a copy"
    assert "</script>" not in str(posting) and json.loads(str(posting))["headline"] == parsed[2]
    assert json.loads(text) == [
        [[q.qid, q.question, q.text, "2026-01-02", None, q.answer, q.answer_id] for q in qas],
        description,
    ]
    _forget()  # what earlier tests in this process decorated is not saved with this site
    build_mod.build(Site(site), jobs=1, today=TODAY)
    saved = saved_memo(site / ".cache" / memo.FOLDER)
    pages = "".join(p.read_text(encoding="utf-8") for p in (site / "output").rglob("*.html"))
    assert (
        pages.count(
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting"'
        )
        >= 8
    )
    for kept in saved["post-decoration"].values():
        assert "ld+json" not in kept and "schema.org" not in kept
        assert reader_site._decoration_checked(kept) is not None


def test_share_links_are_made_when_the_page_asks_for_them() -> None:
    from from_the_floor.web import navigation

    links = reader_site.ShareLinks("https://example.org/floor/q1/", "Why & how?", ("email", "bluesky"))
    assert list(links) == navigation.share_links(links.url, links.title, links.services)
    assert len(links) == 2 and links and not reader_site.ShareLinks(links.url, links.title, ())


def test_the_posts_of_one_block_hold_one_jump_list(site: Path, monkeypatch) -> None:
    """Each block of the jump list is made once: its posts hold the same list (the posts
    navigation.series_window names), never one each; the pages are a clean build's."""
    from from_the_floor.web import navigation

    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nFLOOR_SERIES_JUMP = 6\n")  # blocks of 3 among the 8 posts
    seen: list[list] = []
    decorate = reader_site.ReaderSiteGenerator._decorate_posts

    def keep(self, tz):
        decorate(self, tz)
        seen.append(list(self.articles))

    monkeypatch.setattr(reader_site.ReaderSiteGenerator, "_decorate_posts", keep)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    (articles,) = seen
    assert len(articles) == 8
    for index, article in enumerate(articles):
        window = navigation.series_window(8, index, 6)
        assert article.floor_jump == [None if i is None else articles[i] for i in window]
    lists = {id(a.floor_jump) for a in articles}
    assert len(lists) == 3, "one list a block: posts 1-3, 4-6, 7-8"
    assert articles[0].floor_jump is articles[2].floor_jump
    assert articles[3].floor_jump is not articles[2].floor_jump


def test_the_text_files_share_one_compiled_template(site: Path, monkeypatch) -> None:
    """The JSON Feed, sitemap.xml and robots.txt are written through one template, compiled
    once a build (Jinja compiles a string template again on every from_string)."""
    import jinja2

    compiled: list[str] = []
    from_string = jinja2.Environment.from_string

    def count(self, source, *args, **kwargs):
        compiled.append(source)
        return from_string(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "from_string", count)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert compiled.count("{{ floor_text|safe }}") == 1
    out = site / "output"
    assert json.loads((out / "feeds" / "all.json").read_text(encoding="utf-8"))["items"]
    assert (out / "sitemap.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert (out / "robots.txt").read_text(encoding="utf-8").startswith("User-agent: *")


def test_each_posts_questions_and_answers_are_looked_up_once_for_its_decoration_and_search_key(
    site: Path, monkeypatch
) -> None:
    """The search key is made from what the decoration found (the post's questions, its URL and
    the decoration's key), not looked up again; each answer is hashed once a build; the search
    key moves with its post only."""
    from from_the_floor.web import jsonld

    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nFLOOR_SEARCH = True\n")  # the search keys are taken
    looked_up: list[str] = []
    questions_of = reader_site.ReaderSiteGenerator._questions_of
    monkeypatch.setattr(
        reader_site.ReaderSiteGenerator,
        "_questions_of",
        lambda self, article: looked_up.append(article.source_path) or questions_of(self, article),
    )
    hashed: list[str] = []
    keep_answers = jsonld.keep_answers
    monkeypatch.setattr(
        jsonld, "keep_answers", lambda quick, body: hashed.append(body) or keep_answers(quick, body)
    )
    keys: list[list[str]] = []
    search_posts = reader_site.ReaderSiteGenerator._search_posts

    def noted(self):
        posts = search_posts(self)
        keys.append([p.key for p in posts])
        return posts

    monkeypatch.setattr(reader_site.ReaderSiteGenerator, "_search_posts", noted)
    _forget()
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert len(looked_up) == len(set(looked_up)) == 8, "each post's questions looked up once"
    assert len(hashed) == 8, "each post's answers hashed once"
    _forget()
    looked_up.clear()
    Author(site, random.Random(4)).edit_answer()  # one post changes
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert len(looked_up) == 8, counts
    changed = [a != b for a, b in zip(keys[0], keys[1], strict=True)]
    assert changed.count(True) == 1, "only the edited post's search key moved"
