"""`floor import`: earlier posts from WordPress, Blogger or a feed become numbered, published posts."""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from from_the_floor.core import queue as queue_mod
from from_the_floor.core.site import Site
from from_the_floor.intake import importer
from from_the_floor.web.links import imported_redirects
from helpers_floor import (
    assert_inert,
    fails_cleanly,
    ok,
    question_text,
    run_floor,
    tree_digest,
    write_question,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "import"
FLOOR = "From the Floor"


def posts(site: Path) -> dict[str, object]:
    q = queue_mod.load(Site(site))
    assert not q.errors, q.errors
    return {p.id: p for p in q.published}


def publish_one(site: Path, qid: str, when: str, *, title: str | None = None) -> Path:
    path = write_question(
        site,
        qid,
        question_text(
            f"{qid.replace('-', ' ').capitalize()}?", asked="2026-11-01", quick="Yes.", body="Because."
        ),
    )
    ok(run_floor("publish", site=site, today=when))
    post = site / "content" / "floor" / path.name
    if title:
        text = post.read_text(encoding="utf-8")
        start = text.index("title: ")
        end = text.index("\n", start)
        post.write_text(text[:start] + f"title: {title}" + text[end:], encoding="utf-8")
    return post


def test_wordpress_export_becomes_posts_numbered_before_existing_ones(site: Path) -> None:
    conf = site / "pelicanconf.py"  # a title pattern with the number, as the old default had
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'FLOOR_TITLE = "{question}"', 'FLOOR_TITLE = "From the Floor #{number}: {question}"'
        ),
        encoding="utf-8",
    )
    publish_one(site, "first-new-question", "2026-11-09")
    publish_one(site, "second-new-question", "2026-11-16", title="A title the author wrote")
    before = posts(site)
    assert (before["first-new-question"].number, before["second-new-question"].number) == (1, 2)

    out = ok(run_floor("import", DATA / "wordpress.xml", "--label", "from the floor", site=site))
    assert "imported #1 (2025-03-03): why-answer-in-public from https://robin.example.org/2025/03/03/" in out
    assert "renumbered first-new-question: #1 -> #4" in out
    after = posts(site)
    # only the category's published posts: not the travel post, the draft, the page or the attachment
    assert sorted(after) == sorted(
        [
            "why-answer-in-public",
            "disagree-with-premise",
            "pick-next-question",
            "first-new-question",
            "second-new-question",
        ]
    )
    by_number = sorted(after.values(), key=lambda p: p.number)
    assert [p.id for p in by_number] == [
        "why-answer-in-public",
        "disagree-with-premise",
        "pick-next-question",
        "first-new-question",
        "second-new-question",
    ]
    dates = [p.date for p in by_number]
    assert dates == sorted(dates)
    assert after["why-answer-in-public"].date == dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    # renumbered posts keep file, slug (so URL) and an edited title; a pattern title follows the number
    first = after["first-new-question"]
    assert (first.slug, first.path.name) == ("first-new-question", "first-new-question.md")
    assert first.title == "From the Floor #4: First new question?"
    assert after["second-new-question"].title == "A title the author wrote"
    assert after["second-new-question"].number == 5

    post = after["disagree-with-premise"]
    assert post.question == "Is it OK to disagree with a reader’s premise?"  # pattern prefix and entity gone
    assert post.title == "From the Floor #2: Is it OK to disagree with a reader’s premise?"
    assert (
        post.quick_answer == "Yes: kindly, and only after answering the question they asked."
    )  # the excerpt
    assert post.body.startswith("Yes, kindly") and "## Why not just agree?" in post.body
    assert "- It helps nobody." in post.body and "wp:" not in post.body
    assert (post.source, post.original_url) == (
        "import",
        "https://robin.example.org/2025/03/10/disagree-with-premise/",
    )
    assert post.intake_id == "https://robin.example.org/?p=108"
    assert post.tags == ["Travel"]

    public = after["why-answer-in-public"]
    assert public.quick_answer == "Because one reader's question is usually many readers' question."
    assert "**one**" in public.body and "[the about page](https://robin.example.org/about/)" in public.body
    assert "alert" not in public.body and "<script" not in public.body
    assert public.tags == ["openness"]

    guids = {p.intake_id: p.id for p in after.values() if p.source == "import"}
    assert imported_redirects(list(after.values())) == {
        "https://robin.example.org/2025/03/03/why-answer-in-public/": "why-answer-in-public",
        "https://robin.example.org/2025/03/10/disagree-with-premise/": "disagree-with-premise",
        "https://robin.example.org/2025/06/02/pick-next-question/": "pick-next-question",
        **guids,  # the ?p=N short links
    }
    assert len(guids) == 3 and all("?p=" in g for g in guids)

    snapshot = tree_digest(site)
    again = ok(run_floor("import", DATA / "wordpress.xml", "--label", "From the Floor", site=site))
    assert "3 already imported" in again and "nothing new" in again
    assert tree_digest(site) == snapshot


def test_a_withdrawn_post_keeps_its_place_when_earlier_posts_are_imported(site: Path) -> None:
    publish_one(site, "first-new-question", "2026-11-09")
    publish_one(site, "second-new-question", "2026-11-16")
    ok(run_floor("withdraw", "first-new-question", site=site, today="2026-11-20"))

    out = ok(run_floor("import", DATA / "wordpress.xml", "--label", "from the floor", site=site))
    # three older posts come first: the withdrawn #1 is #4 now, and the post after it #5
    assert "renumbered first-new-question: #1 -> #4" in out
    assert "renumbered second-new-question: #2 -> #5" in out
    numbers = sorted(p.number for p in posts(site).values())
    record = json.loads((site / "withdrawn.json").read_text(encoding="utf-8"))["posts"]
    assert [(w["slug"], w["number"]) for w in record] == [("first-new-question", 4)]
    assert numbers == [1, 2, 3, 5]  # no number given twice, none skipped but the withdrawn one
    ok(run_floor("check", site=site, today="2026-11-20"))  # no gap that the record does not explain


def test_the_next_publish_continues_after_the_imported_series(site: Path) -> None:
    ok(run_floor("import", DATA / "wordpress.xml", "--label", "from-the-floor", site=site))
    write_question(site, "brand-new", question_text("Brand new?", quick="Yes.", body="Really."))
    out = ok(run_floor("publish", site=site))
    assert "published #4" in out
    built = ok(run_floor("build", site=site))
    assert "built" in built
    page = (site / "output" / "floor" / "disagree-with-premise" / "index.html").read_text(encoding="utf-8")
    assert "Why not just agree?" in page
    assert_inert(page.split("<main", 1)[-1].split("</main>", 1)[0])  # the imported post's content


def test_blogger_export_and_takeout_find_the_same_posts(site: Path) -> None:
    out = ok(run_floor("import", DATA / "blogger.xml", "--label", FLOOR, site=site))
    assert (
        "imported #1 (2023-09-18): best-question" in out
        and "imported #2 (2023-10-16): do-you-read-comments" in out
    )
    imported = posts(site)
    assert sorted(imported) == [
        "best-question",
        "do-you-read-comments",
    ]  # not the draft, comment, other label
    best = imported["best-question"]
    assert best.question == "What is the best question you have been asked?"
    assert best.date == dt.datetime(2023, 9, 18, 7, 30, tzinfo=dt.UTC)
    assert best.tags == ["listening"]
    assert "[the first one](https://robinonthefloor.blogspot.com/2023/05/first.html)" in best.body
    assert imported["do-you-read-comments"].body == "Most of them twice, & some of them three times."

    # the same blog's newer Takeout export: its post is recognised by its id, not imported twice
    snapshot = tree_digest(site)
    out = ok(run_floor("import", DATA / "blogger-takeout.atom", "--label", FLOOR, site=site))
    assert "1 already imported" in out
    assert tree_digest(site) == snapshot


def test_takeout_export_paths_and_old_url(site: Path) -> None:
    ok(
        run_floor(
            "import",
            DATA / "blogger-takeout.atom",
            "--label",
            FLOOR,
            "--old-url",
            "https://robinonthefloor.blogspot.com/",
            site=site,
        )
    )
    (post,) = posts(site).values()
    assert post.id == "do-you-read-comments"
    assert post.original_url == "https://robinonthefloor.blogspot.com/2023/10/do-you-read-comments.html"


@pytest.fixture
def feed_server():
    """The test data folder over HTTP on 127.0.0.1 (an ephemeral port)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(DATA))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_any_feed_by_address_with_the_old_title_pattern(site: Path, feed_server: str) -> None:
    out = ok(
        run_floor(
            "import",
            f"{feed_server}/feed.rss",
            "--label",
            "Ask Robin",
            "--title-pattern",
            "Ask Robin {number}: {question}",
            site=site,
        )
    )
    assert "imported #1 (2024-02-08): say-i-dont-know" in out
    imported = posts(site)
    assert sorted(imported) == ["follow-ups", "say-i-dont-know"]
    post = imported["say-i-dont-know"]
    assert post.question == 'Should a salesperson ever say "I don\'t know"?'
    assert post.quick_answer == "Often, and out loud."  # the feed's summary
    assert post.body == "Saying it builds more trust than a guess.\n\nThen *find out*, and follow up."
    assert post.date == dt.datetime(2024, 2, 8, 12, 0, tzinfo=dt.UTC)
    assert post.tags == ["honesty"]


def test_dry_run_changes_nothing(site: Path) -> None:
    snapshot = tree_digest(site)
    out = ok(run_floor("import", DATA / "wordpress.xml", "--label", FLOOR, "--dry-run", site=site))
    assert "would import #3" in out and "dry run: nothing was changed" in out
    assert tree_digest(site) == snapshot


@pytest.mark.parametrize(
    ("source", "args", "problem"),
    [
        ("not-a-feed.html", ["--all"], "is a web page"),
        ("truncated.xml", ["--all"], "not well-formed XML"),
        ("feed.rss", ["--label", "Nope"], "its labels are: Ask Robin, Events, honesty"),
        ("missing.xml", ["--all"], "no such file"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    site: Path, source: str, args: list[str], problem: str
) -> None:
    publish_one(site, "already-here", "2026-11-09")
    snapshot = tree_digest(site)
    err = fails_cleanly(run_floor("import", DATA / source, *args, site=site))
    assert problem in err
    assert tree_digest(site) == snapshot


def test_unknown_xml_and_usage(site: Path, tmp_path: Path) -> None:
    svg = tmp_path / "drawing.xml"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', encoding="utf-8")
    assert "its root element is <svg>" in fails_cleanly(run_floor("import", svg, "--all", site=site))
    # without --label or --all the file is read to list its labels: what it is comes first
    assert "its root element is <svg>" in fails_cleanly(run_floor("import", svg, site=site))
    assert "not both" in fails_cleanly(run_floor("import", svg, "--all", "--label", "x", site=site), code=2)


def test_an_entity_bomb_is_refused(site: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title></item></channel></rss>",
        encoding="utf-8",
    )
    assert "nothing was imported" in fails_cleanly(run_floor("import", bomb, "--all", site=site))


def test_title_pattern_and_quick_answer_helpers() -> None:
    pattern = importer.title_regex("From the Floor #{number}: {question}")
    assert importer.question_from_title("From the Floor #12: Why?", pattern) == "Why?"
    assert importer.question_from_title("from the floor # 3 :  Why not? ", pattern) == "Why not?"
    assert importer.question_from_title("Just a title", pattern) == "Just a title"
    # the default FLOOR_TITLE is the question itself: a numbered old title is still understood
    patterns = importer.title_patterns("{question}", "Ask Me Anything")
    assert importer.question_from_title("Ask me anything #4: How?", *patterns) == "How?"
    assert importer.question_from_title("From the Floor #5: Who?", *patterns) == "Who?"
    assert importer.question_from_title("Why #4 matters", *patterns) == "Why #4 matters"
    assert importer.split_quick_answer("## Head\n\nFirst para.\n\nSecond.") == (
        "First para.",
        "## Head\n\nSecond.",
    )
    assert importer.split_quick_answer("- a list only") == ("", "- a list only")


def test_an_old_article_imported_with_all_is_not_presented_as_a_readers_question(site: Path) -> None:
    """`--all` keeps every old post, ordinary articles too, and the import knows neither who asked
    nor when: the page, the feeds, the JSON-LD and the search index say "From the archive", never
    "Asked by a reader on" the article's own publication day."""
    import gzip
    import json
    import re

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "pelican-wordpressexport.xml"
    ok(run_floor("import", fixture, "--all", site=site))
    ok(run_floor("build", site=site))
    out = site / "output"
    page = (out / "floor" / "with-tags" / "index.html").read_text(encoding="utf-8")
    assert '<p class="floor-asker">From the archive</p>' in page and "Asked by" not in page
    (ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    question = json.loads(ld)["mainEntity"]
    assert question["@type"] == "Question" and "dateCreated" not in question and "author" not in question
    atom = (out / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "From the archive" in atom and "Asked by" not in atom
    feed = json.loads((out / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert all("asked" not in q for i in feed["items"] for q in i["_from_the_floor"]["questions"])
    fragments = [gzip.decompress(p.read_bytes()) for p in (out / "pagefind" / "fragment").iterdir()]
    assert any(b"From the archive" in f for f in fragments) and not any(b"Asked by" in f for f in fragments)


def test_importing_into_a_live_column_says_once_what_its_readers_will_notice(site: Path) -> None:
    """Renumbered posts and old posts in the feeds are said plainly, with what to do instead."""
    publish_one(site, "first-new-question", "2026-11-09")
    publish_one(site, "second-new-question", "2026-11-16")
    dry = ok(run_floor("import", DATA / "wordpress.xml", "--label", "from the floor", "--dry-run", site=site))
    warnings = [line for line in dry.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: this column already has 2 published posts, so its readers would notice this import: "
        "the numbers they knew change (first-new-question would be #4, not #1); and 3 old post(s) would "
        "be in the site's feeds, where subscribers' feed readers may show them as new. If you do not want "
        "that, do not import: link to the old blog from a page (content/pages/) instead. Imports are best "
        "run before the column's first post."
    ]
    out = ok(run_floor("import", DATA / "wordpress.xml", "--label", "from the floor", site=site))
    assert out.count("warning: this column already has 2 published posts, so its readers will notice") == 1
    again = ok(run_floor("import", DATA / "wordpress.xml", "--label", "from the floor", site=site))
    assert "warning:" not in again  # nothing new: nothing for readers to notice


def test_importing_before_the_first_post_warns_of_nothing(tmp_path: Path, site: Path) -> None:
    out = ok(run_floor("import", DATA / "wordpress.xml", "--label", "from the floor", site=site))
    assert "imported #1" in out and "warning:" not in out


def test_an_import_stopped_while_writing_is_finished_and_said_by_the_rerun(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the journal landed: the re-run finishes it and says so, not only 'nothing new'."""
    from from_the_floor.core import journal

    class Stopped(Exception):
        """The run's end where the journal is on disk and no post is written yet."""

    def stopped(*_args, **_kwargs) -> None:
        raise Stopped

    monkeypatch.setattr(journal, "apply", stopped)
    with pytest.raises(Stopped):
        importer.run(Site(site), str(DATA / "wordpress.xml"), label=FLOOR)
    assert journal.path_for(Site(site)).exists() and not list((site / "content" / "floor").glob("*.md"))
    monkeypatch.undo()

    out = ok(run_floor("import", DATA / "wordpress.xml", "--label", FLOOR, site=site))
    lines = out.splitlines()
    assert lines[0] == (
        "finished an interrupted run first (import 3 posts): its posts are in content/floor/, but its "
        "report was never printed; floor check names any post that still needs a quick answer"
    )
    assert "3 already imported" in lines and "nothing new to import from this WordPress export" in lines
    assert len(posts(site)) == 3 and not journal.path_for(Site(site)).exists()
    # an ordinary re-run says nothing of it
    assert "interrupted" not in ok(run_floor("import", DATA / "wordpress.xml", "--label", FLOOR, site=site))


def test_an_import_waits_for_a_stopped_withdrawal_to_be_finished(site: Path) -> None:
    """A withdrawal stopped before the post's file went: the import would number the post and its
    record as two posts (the series one longer, the notice and the page apart). It says to finish."""
    path = publish_one(site, "first-new-question", "2026-11-09")
    publish_one(site, "second-new-question", "2026-11-16")
    kept = path.read_bytes()
    ok(run_floor("withdraw", "first-new-question", site=site, today="2026-11-20"))
    path.write_bytes(kept)  # as if the run had stopped before the file went
    snapshot = tree_digest(site)
    said = fails_cleanly(run_floor("import", DATA / "wordpress.xml", "--label", "from the floor", site=site))
    assert "post #1 is withdrawn but its file is still here" in said
    assert "floor withdraw first-new-question" in said
    assert tree_digest(site) == snapshot
    ok(run_floor("withdraw", "first-new-question", site=site, today="2026-11-20"))
    ok(run_floor("import", DATA / "wordpress.xml", "--label", "from the floor", site=site))
    numbers = sorted(p.number for p in posts(site).values())
    assert numbers == [1, 2, 3, 5]


def test_a_takeout_post_with_takeout_s_empty_elements_and_twice_escaped_title(
    site: Path, tmp_path: Path
) -> None:
    """Google Takeout's feed.atom, as real ones are written: every entry carries empty
    `<category/>`, `<link/>`, `<enclosure/>`, `<blogger:location/>` and `<blogger:trashed/>` (a live
    post is not trashed), and an apostrophe in a title is escaped twice (`&amp;#39;`). The title
    reads as the blog showed it and the comment stays out."""
    text = (DATA / "blogger-takeout.atom").read_text(encoding="utf-8")
    live = "<title>From the Floor #8: Do you read the comments?</title>"
    assert text.count(live) == 1
    text = text.replace(live, "<title>From the Floor #8: Do you read the comments, Robin&amp;#39;s?</title>")
    text = text.replace(
        "<blogger:filename>/2023/10/do-you-read-comments.html</blogger:filename>",
        "<blogger:location/>\n    <category/>\n    <blogger:filename>/2023/10/do-you-read-comments.html"
        "</blogger:filename>\n    <link/>\n    <enclosure/>\n    <blogger:trashed/>",
    )
    feed = tmp_path / "feed.atom"
    feed.write_text(text, encoding="utf-8")
    out = ok(run_floor("import", feed, "--all", site=site))
    assert "1 comment" in out and "1 draft" in out
    (post,) = posts(site).values()
    assert post.question == "Do you read the comments, Robin's?"
