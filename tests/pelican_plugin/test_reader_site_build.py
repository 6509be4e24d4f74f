"""The reader_site plugin in real `floor build`s of sites made by `floor init`: an empty column,
comments opened and closed site-wide, settings errors, determinism, and Pagefind only after
the contact guard has passed the output."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from from_the_floor.paths import SKELETON_DIR
from helpers_floor import fails_cleanly, ok

GISCUS = {"repo": "me/column", "repo-id": "R_1", "category": "Comments", "category-id": "DIC_1"}


def configure(site: Path, **settings: object) -> None:
    conf = site / "pelicanconf.py"
    lines = "".join(f"\n{name} = {value!r}" for name, value in settings.items())
    conf.write_text(conf.read_text(encoding="utf-8") + lines + "\n", encoding="utf-8")


def publish_one(
    site: Path, run_floor, *, contact: str | None = None, body: str = "Because it helps."
) -> Path:
    args = ["ask", "Why answer in public?", "--asker", "Jo", "--tag", "why"]
    if contact:
        args += ["--contact", contact]
    qid = ok(run_floor(*args, site=site)).strip()
    ok(run_floor("answer", qid, "--quick", "So everyone can read it.", "--body", body, site=site))
    assert "published #1" in ok(run_floor("publish", site=site))
    return site / "output" / "floor" / qid / "index.html"


def test_the_skeleton_enables_the_plugin():
    skeleton = SKELETON_DIR / "pelicanconf.py.tmpl"
    assert 'PLUGINS = ["pelican.plugins.from_the_floor"]' in skeleton.read_text(encoding="utf-8")


def test_an_empty_column_builds_every_reader_page(site: Path, run_floor):
    ok(run_floor("build", site=site))
    out = site / "output"
    for page in ("stats", "ask", "comment-policy", "search"):
        assert (out / page / "index.html").is_file(), page
    stats = (out / "stats" / "index.html").read_text(encoding="utf-8")
    assert "No questions yet" in stats and "<svg" not in stats
    feed = json.loads((out / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["items"] == []
    assert (out / "sitemap.xml").is_file() and (out / "robots.txt").is_file()
    assert (out / "pagefind" / "pagefind.js").is_file()
    ask = (out / "ask" / "index.html").read_text(encoding="utf-8")
    assert "not taking new questions" in ask, "the skeleton's channel is 'none'"


def test_comments_closed_site_wide_then_opened(site: Path, run_floor):
    configure(site, FLOOR_COMMENTS="giscus", FLOOR_GISCUS=GISCUS, FLOOR_COMMENTS_OPEN=False)
    post = publish_one(site, run_floor)
    ok(run_floor("build", site=site))
    page = post.read_text(encoding="utf-8")
    assert "Comments are closed." in page
    assert "giscus.app" not in page and "data-floor-comments" not in page

    configure(site, FLOOR_COMMENTS_OPEN=True)
    ok(run_floor("build", site=site))
    page = post.read_text(encoding="utf-8")
    assert 'data-floor-comments="giscus"' in page
    assert "&#34;data-repo&#34;, &#34;me/column&#34;" in page, (
        "the provider's settings, escaped in an attribute"
    )
    assert "https://github.com/me/column/discussions" in page, "where to read them without JavaScript"
    policy = (site / "output" / "comment-policy" / "index.html").read_text(encoding="utf-8")
    assert "Giscus" in policy


def test_a_bad_reader_setting_fails_the_build_with_one_line(site: Path, run_floor):
    configure(site, FLOOR_ASK_CHANNEL="mailto")
    err = fails_cleanly(run_floor("build", site=site))
    assert "FLOOR_ASK_EMAIL" in err


def test_a_post_with_an_unknown_comments_value_fails_the_build(site: Path, run_floor):
    post = publish_one(site, run_floor)
    source = site / "content" / "floor" / f"{post.parent.name}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("question:", "comments: maybe\nquestion:", 1)
    )
    err = fails_cleanly(run_floor("build", site=site))
    assert "comments" in err and "maybe" in err


def test_a_leaking_build_is_never_indexed(site: Path, run_floor):
    contact = "leaky.reader@example.org"
    publish_one(site, run_floor, contact=contact, body=f"I will write to {contact}.")
    result = run_floor("build", site=site)
    assert result.returncode == 1 and "refused" in result.stderr
    assert not (site / "output" / "pagefind").exists(), "Pagefind ran before the contact guard"
    assert not list(site.glob(".output-pagefind.*")), "the unwritten bundle's staging folder is gone"


def test_rebuilding_writes_the_same_reader_files(site: Path, run_floor):
    today = "2026-11-11"
    publish_one(site, run_floor)
    names = ["stats/index.html", "about/index.html", "sitemap.xml", "robots.txt", "feeds/all.json"]
    ok(run_floor("build", site=site, today=today))
    first = {n: (site / "output" / n).read_bytes() for n in names}
    ok(run_floor("build", site=site, today=today))
    assert {n: (site / "output" / n).read_bytes() for n in names} == first


def test_tag_feeds_hold_the_newest_entries_in_full(site: Path, run_floor):
    configure(site, FLOOR_TAG_FEED_ITEMS=1)
    for n, today in ((1, "2026-11-09"), (2, "2026-11-16")):
        qid = ok(run_floor("ask", f"Question {n}?", "--tag", "why", site=site, today=today)).strip()
        ok(run_floor("answer", qid, "--quick", f"Quick {n}.", "--body", f"Body {n}.", site=site, today=today))
        assert f"published #{n}" in ok(run_floor("publish", site=site, today=today))
    ok(run_floor("build", site=site, today="2026-11-16"))
    for name in ("why.atom.xml", "why.rss.xml"):
        feed = feedparser.parse((site / "output" / "feeds" / "tag" / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert [e.title for e in feed.entries] == ["Question 2?"]
        # Pelican's writer puts the site's name first: the kit adds the tag alone, not the name again
        assert feed.feed.title == "From the Floor - why", feed.feed.title
        full = feed.entries[0].get("content", [{}])[0].get("value") or feed.entries[0].description
        assert "Body 2." in full and "Quick 2." in full
    tag_page = (site / "output" / "tag" / "why" / "index.html").read_text(encoding="utf-8")
    assert 'href="/feeds/tag/why.atom.xml"' in tag_page and 'href="/feeds/tag/why.rss.xml"' in tag_page
    # the visible word, then the rest of the one sentence a screen reader hears (English order)
    assert '>Atom<span class="visually-hidden"> feed for “why”</span></a>' in tag_page
    assert '>RSS<span class="visually-hidden"> feed for “why”</span></a>' in tag_page


def test_a_post_answering_two_questions(site: Path, run_floor):
    configure(site, FLOOR_QUESTIONS_PER_POST=2)
    for n in (1, 2):
        qid = ok(run_floor("ask", f"Question {n}?", "--tag", "pair", site=site)).strip()
        ok(run_floor("answer", qid, "--quick", f"Quick {n}.", "--body", f"Body {n}.", site=site))
    assert "published #1" in ok(run_floor("publish", site=site))
    ok(run_floor("build", site=site))
    pages = list((site / "output" / "floor").glob("*/index.html"))
    assert len(pages) == 1, "one post for both questions"
    page = pages[0].read_text(encoding="utf-8")
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert [q["name"] for q in data["mainEntity"]] == ["Question 1?", "Question 2?"]
    assert [q["acceptedAnswer"]["text"] for q in data["mainEntity"]] == [
        "Quick 1.\n\nBody 1.",
        "Quick 2.\n\nBody 2.",
    ]
    for q in data["mainEntity"]:
        anchor = q["acceptedAnswer"]["url"].split("#")[1]
        assert f'id="{anchor}"' in page
    feed = json.loads((site / "output" / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert [q["question"] for q in feed["items"][0]["_from_the_floor"]["questions"]] == [
        "Question 1?",
        "Question 2?",
    ]


def test_the_output_is_guarded_before_it_is_indexed_and_again_before_the_swap(
    site: Path, run_floor, monkeypatch
):
    from from_the_floor.core import guard, source_check
    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.web import search

    publish_one(site, run_floor, contact="quiet.reader@example.org")
    events: list[str] = []
    check, write = guard.check_output, search.RecordIndex.write
    sources = source_check.check_inputs
    monkeypatch.setattr(guard, "check_output", lambda *a, **k: (events.append("guard"), check(*a, **k))[1])
    monkeypatch.setattr(
        source_check, "check_inputs", lambda *a, **k: (events.append("sources"), sources(*a, **k))[1]
    )
    monkeypatch.setattr(search.RecordIndex, "write", lambda self: (events.append("index"), write(self))[1])
    monkeypatch.setenv("FLOOR_TODAY", "2026-11-30")
    build_mod.build(Site(site), jobs=1)
    # the kit's theme and plugin only: every source checked, no output needs a second look
    assert events == ["sources", "index"]
    assert (site / "output" / "pagefind" / "pagefind.js").is_file()
    # another plugin may join fields into what no source held: its build's output is checked too
    (site / "joiner").mkdir()
    (site / "joiner" / "joiner.py").write_text("def register():\n    pass\n", encoding="utf-8")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nPLUGIN_PATHS = ["joiner"]\nPLUGINS = [*PLUGINS, "joiner"]\n')
    post = next((site / "content" / "floor").glob("*.md"))  # a changed post: its shard is indexed again
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    events.clear()
    build_mod.build(Site(site), jobs=1, full=True)
    assert events == ["sources", "guard", "index", "guard"]  # the last check also reads the search bundle


def test_the_search_index_guards_output_no_guard_has_passed(site: Path, run_floor, tmp_path: Path):
    """reader_site.index_search scans for itself unless the plugin's guard passed this build."""
    from types import SimpleNamespace

    from from_the_floor.errors import FloorError
    from from_the_floor.pelican_plugin import reader_site

    contact = "leaky.reader@example.org"
    page = publish_one(site, run_floor, contact=contact)
    ok(run_floor("build", site=site))
    shutil.rmtree(site / "output" / "pagefind")
    page.write_text(page.read_text(encoding="utf-8") + contact, encoding="utf-8")
    settings = {
        "PATH": str(site / "content"),
        "OUTPUT_PATH": str(site / "output"),
        "FLOOR_SEARCH": True,
    }
    with pytest.raises(FloorError, match="refused"):
        reader_site.index_search(SimpleNamespace(settings=settings))
    assert not (site / "output" / "pagefind").exists()


def test_a_caught_up_column_is_not_told_it_ends_unless_armed(site: Path, run_floor):
    """Retirement is off by default: a column whose queue is empty has caught up, not ended, so
    its About and Stats pages must not tell readers it ends (or has done its job) until the
    author arms the switch; arming it changes both pages at the next (incremental) build."""
    publish_one(site, run_floor)
    ok(run_floor("build", site=site))
    about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
    stats = (site / "output" / "stats" / "index.html").read_text(encoding="utf-8")
    for page in (about, stats):
        assert "done its job" not in page
        assert "Every question so far has been answered or declined." in page
    assert "The column ends when every question has been answered" not in about
    assert "The column goes on for as long as questions keep coming." in about

    ok(run_floor("retire", "--when-done", site=site))
    ok(run_floor("build", site=site))
    about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
    stats = (site / "output" / "stats" / "index.html").read_text(encoding="utf-8")
    assert "The column ends when every question has been answered" in about
    for page in (about, stats):
        assert "the column has done its job" in page


def test_a_retired_column_s_about_page_reads_as_finished(site: Path, run_floor):
    """A retired column is an archive: its About page tells how the column worked, in the past
    tense, and invites nobody to ask (the Ask link is gone). The invitation is the template's,
    from the site's state; the about.md `floor init` writes holds none to be left behind."""
    about_md = (site / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    assert "Ask" not in about_md and "not being taken" not in about_md
    ok(run_floor("build", site=site))
    about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
    assert "Questions are not being taken at the moment." in about, "the skeleton's channel is 'none'"
    configure(site, FLOOR_ASK_CHANNEL="mailto", FLOOR_ASK_EMAIL="questions@example.org")
    publish_one(site, run_floor)
    ok(run_floor("build", site=site))
    about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
    assert "How the column works" in about and "Send a question</a>" in about
    assert "One question every Monday at 09:00" in about
    # the zone's own phrase, said once: "(UTC time)", not "(UTC time time)" or "(UTC)"
    assert "at 09:00 (UTC time), numbered" in about
    assert "time time" not in about

    ok(run_floor("retire", site=site))
    ok(run_floor("build", site=site))
    about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
    for gone in ("How the column works", "You ask.", "It goes out.", "Send a question", "When it ends"):
        assert gone not in about, gone
    assert "How the column worked" in about and "When it ended" in about
    assert "One question was published every Monday at 09:00" in about
    assert "<p>Questions from readers, answered by The Author.</p>" in about  # the author's page


def test_the_stats_page_says_nothing_waiting_once_and_names_what_its_median_measures(site: Path, run_floor):
    """No "Of the 0 waiting: …, 0; …, 0; …, 0." nor "in 0 posts": an empty count is said once,
    plainly. The median is core/stats.py's (asked to the post's date), named as `floor stats`
    names it: "from asked to published"."""
    stats_page = site / "output" / "stats" / "index.html"
    ok(run_floor("build", site=site))
    stats = stats_page.read_text(encoding="utf-8")
    assert "No question is waiting. No answer has gone out yet." in stats
    assert "Of the 0 waiting" not in stats and "in 0 posts" not in stats
    assert "Median days from asked to published" in stats and "asked to answered" not in stats
    assert "from asked to published" in ok(run_floor("stats", site=site))

    publish_one(site, run_floor)
    ok(run_floor("ask", "And the next one?", site=site))
    ok(run_floor("build", site=site))
    stats = stats_page.read_text(encoding="utf-8")
    assert (
        "Of the 1 question waiting: answered and scheduled, 0; held back for now, 0; still to be answered, 1."
        in stats
    )
    assert "Answers went out in 1 post." in stats and "No question is waiting" not in stats
    configure(site, DEFAULT_LANG="fr")  # one question is not "les 1"
    ok(run_floor("build", site=site))
    stats = stats_page.read_text(encoding="utf-8")
    assert "Sur 1 question en attente : prête et programmée, 0 ;" in stats and "Sur les 1 " not in stats
    ok(run_floor("ask", "And one more?", site=site))
    ok(run_floor("build", site=site))
    assert "Sur les 2 questions en attente : prêtes et programmées, 0 ;" in stats_page.read_text("utf-8")


def test_a_post_someone_else_wrote_is_signed_by_them_and_the_others_are_unchanged(site: Path, run_floor):
    """An imported post records its writer (``author:``); its page, JSON-LD and every feed name
    them, never the site's AUTHOR, and the column's own posts stay signed by the AUTHOR."""
    own = publish_one(site, run_floor)
    (site / "content" / "floor" / "theirs.md").write_text(
        "---\nquestion: Who wrote this one?\nasked: 2019-05-01\nsource: import\nquick_answer: Eve did.\n"
        "title: Who wrote this one?\ndate: 2019-05-02T10:00:00+00:00\nnumber: 2\nslug: theirs\n"
        'author: "<b>Eve</b> Example"\n---\nShe wrote it on her old blog.\n',
        encoding="utf-8",
    )
    ok(run_floor("build", site=site))
    out = site / "output"
    theirs = (out / "floor" / "theirs" / "index.html").read_text(encoding="utf-8")
    assert "written by &lt;b&gt;Eve&lt;/b&gt; Example</p>" in theirs and "<b>Eve</b>" not in theirs
    ld = json.loads(theirs.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert ld["author"] == {"@type": "Person", "name": "<b>Eve</b> Example"}
    assert ld["mainEntity"]["acceptedAnswer"]["author"] == ld["author"]
    mine = own.read_text(encoding="utf-8")
    assert "written by" not in mine
    ld = json.loads(mine.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert ld["author"]["name"] == "The Author"
    atom = feedparser.parse((out / "feeds" / "all.atom.xml").read_bytes())
    assert {e.title: e.author for e in atom.entries} == {
        "Who wrote this one?": "<b>Eve</b> Example",
        "Why answer in public?": "The Author",
    }
    feed = json.loads((out / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert feed["authors"] == [{"name": "The Author"}]
    assert {i["title"]: i.get("authors") for i in feed["items"]} == {
        "Who wrote this one?": [{"name": "<b>Eve</b> Example"}],
        "Why answer in public?": None,
    }


def test_an_author_field_that_is_not_a_name_fails_the_build_naming_it(site: Path, run_floor):
    post = publish_one(site, run_floor)
    source = site / "content" / "floor" / f"{post.parent.name}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("---\n", "---\nauthor: {a: 1}\n", 1))
    err = fails_cleanly(run_floor("build", site=site))
    assert f"{source.name}: author: " in err and "must be a name, or a list of names" in err


CAPTION = r'<figcaption id="burndown-caption">(.*?)</figcaption>'


def test_a_retired_column_s_chart_caption_mentions_no_forecast(site: Path, run_floor):
    """The burndown's caption names the dashed forecast line only where there is one: a retired
    column forecasts nothing, and its Stats page said "…and the forecast if no new questions
    arrive (dashed)" under a chart without it."""
    publish_one(site, run_floor)
    qid = ok(run_floor("ask", "And the next one?", site=site)).strip()
    ok(run_floor("answer", qid, "--quick", "Next week.", "--body", "It waits.", site=site))
    ok(run_floor("build", site=site))
    stats_page = site / "output" / "stats" / "index.html"
    caption = re.search(CAPTION, stats_page.read_text("utf-8"))
    assert caption and "the forecast if no new questions arrive (dashed)" in caption.group(1)
    ok(run_floor("retire", "--force", site=site))
    ok(run_floor("build", site=site))
    caption = re.search(CAPTION, stats_page.read_text("utf-8"))
    assert caption, "the retired column's Stats page still has its chart"
    assert caption.group(1) == RETIRED_CAPTION, caption.group(1)


RETIRED_CAPTION = "Questions waiting at the end of each week and today. Declined questions are left out."


def test_the_chart_caption_says_where_the_line_ends_and_what_it_folds(site: Path, run_floor):
    """Nothing planned: the burndown ends on the last question asked or answer published, not
    "at the end of each week" up to today, and a quiet stretch of over twelve weeks is one
    straight line; the caption used to say neither (docs/reader-site.md, "The chart")."""
    ok(run_floor("ask", "--asked", "2026-01-05", "Who asked first?", site=site))
    ok(run_floor("ask", "--asked", "2026-06-01", "Who asked next?", site=site))
    ok(run_floor("build", site=site))
    caption = re.search(CAPTION, (site / "output" / "stats" / "index.html").read_text("utf-8"), re.S)
    assert caption
    words = re.sub(r"<[^>]+>|\s+", " ", caption.group(1)).strip()
    assert words.startswith(
        "Questions waiting at the end of each week, up to the last day a question was asked or an"
        " answer published. Declined questions are left out. A stretch of more than 12 weeks in"
        " which the number did not change is drawn as one straight line. No question has been"
        " asked, and no answer published, since "
    ), words
    assert "(dashed)" not in words and "one in" not in words


def test_a_revised_post_is_updated_in_the_atom_feed_as_in_the_others(site: Path, run_floor):
    """A reader following the Atom feed learns of a revision the JSON Feed and sitemap show."""
    post = publish_one(site, run_floor)
    source = site / "content" / "floor" / f"{post.parent.name}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\nslug:", "\nmodified: 2030-01-02\nslug:", 1), encoding="utf-8")
    ok(run_floor("build", site=site))
    out = site / "output"
    json_item = json.loads((out / "feeds" / "all.json").read_text(encoding="utf-8"))["items"][0]
    assert json_item["date_modified"].startswith("2030-01-02T00:00:00")
    atom = feedparser.parse(str(out / "feeds" / "all.atom.xml")).entries[0]
    assert atom.published == json_item["date_published"]
    assert atom.updated == json_item["date_modified"]


def test_a_column_sites_deployed_robots_txt_names_its_sitemap(site: Path, run_floor):
    """FLOOR_SITEMAP left at its default writes the sitemap; robots.txt must point crawlers to it."""
    conf = (site / "pelicanconf.py").read_text(encoding="utf-8")
    assert "FLOOR_SITEMAP" not in conf, "the default, as `floor init` writes it"
    configure(site, SITEURL="https://col.example.org")
    ok(run_floor("build", site=site))
    assert (site / "output" / "sitemap.xml").is_file()
    robots = (site / "output" / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://col.example.org/sitemap.xml" in robots.splitlines()


def test_a_readers_tags_are_shown_alike_on_stats_and_the_tags_index_and_a_blank_tag_is_dropped(
    site: Path, run_floor
):
    """A hand-edited file's tag with an escape code reaches no page with it (Stats read the tags
    apart from the posts), the Stats row links to the same tag page the post does, and a tag with
    nothing to see (a zero-width space, a Hangul filler) makes no empty pill on the tags index."""
    (site / "questions" / "q1.md").write_text(
        "---\nquestion: Why tag?\nasked: 2026-11-01\nquick_answer: Because.\n"
        'tags: ["Sam\\e]8;;https://example.net/\\aclick", "\\u200b", "\\u3164", " \\u200b "]\n---\nYes.\n',
        encoding="utf-8",
    )
    assert "published #1" in ok(run_floor("publish", site=site))
    ok(run_floor("build", site=site))
    stats = (site / "output" / "stats" / "index.html").read_text(encoding="utf-8")
    index = (site / "output" / "tags" / "index.html").read_text(encoding="utf-8")
    for page in (stats, index):
        assert "\x1b" not in page and "\x07" not in page and "\u200b" not in page and "\u3164" not in page
        assert "Sam]8;;https://example.net/click" in page
    pills = index.split('<ul class="tag-list">')[1].split("</ul>")[0]
    assert pills.count("<li>") == 1  # one tag: the blank ones are gone, not empty pills
    tag_link = re.search(r'<li><a href="([^"]+)"', pills).group(1)
    assert f'<th scope="row"><a href="{tag_link}">Sam]8;;https://example.net/click</a></th>' in stats


OLD_POST = (
    "---\nquestion: Notes from the first year\nasked: 2019-05-01\nsource: import\n"
    "quick_answer: What the old blog learned.\ntitle: Notes from the first year\n"
    "date: 2019-05-02T10:00:00+00:00\nnumber: 2\nslug: first-year\ntags: [why]\n---\nIt was a year.\n"
)


def _listings(out: Path) -> dict[str, str]:
    return {
        name: (out / path).read_text(encoding="utf-8")
        for name, path in {
            "home": "index.html",
            "archives": "archives/index.html",
            "tags": "tags/index.html",
            "tag": "tag/why/index.html",
            "404": "404.html",
            "search": "search/index.html",
        }.items()
    }


def test_listings_call_posts_questions_only_while_every_post_is_a_readers(site: Path, run_floor):
    """An old post `floor import` brought over is no reader's question: with one in the column,
    the home page, archives, tags, a tag's page, the 404 and search pages say "posts" and
    `floor check` counts it apart; a column without one keeps its words ("questions")."""
    publish_one(site, run_floor)
    second = site / "content" / "floor" / "first-year.md"
    second.write_text(OLD_POST.replace("source: import\n", ""), encoding="utf-8")  # a reader's
    ok(run_floor("build", site=site))
    page = _listings(site / "output")
    assert "Earlier questions</h2>" in page["home"]
    assert "Every question so far</h1>" in page["archives"]
    assert "Every question answered on From the Floor, newest first." in page["archives"]
    assert "with the number of questions in each." in page["tags"]
    assert '2<span class="visually-hidden"> questions</span>' in page["tags"]
    assert '<span class="h-sub">Questions tagged</span>' in page["tag"]
    assert "See every question in the archives" in page["404"]
    assert "Every question is also listed" in page["search"] and "Every post" not in page["search"]
    post = (site / "output" / "floor" / "first-year" / "index.html").read_text(encoding="utf-8")
    assert ">Every question so far</a>" in post, "the series' link to the archives"
    assert ">Related questions</h2>" in post, "the two posts share the tag 'why'"
    assert ok(run_floor("check", site=site)).splitlines()[-1].startswith("ok: 0 queued, 2 published; ")

    second.write_text(OLD_POST, encoding="utf-8")  # brought over from the old blog
    ok(run_floor("build", site=site))
    page = _listings(site / "output")
    assert "Earlier posts</h2>" in page["home"] and "Earlier questions" not in page["home"]
    assert "Every post so far</h1>" in page["archives"]
    assert "Every post on From the Floor, newest first." in page["archives"]
    assert "with the number of posts in each." in page["tags"]
    assert '2<span class="visually-hidden"> posts</span>' in page["tags"]
    assert '<span class="h-sub">Posts tagged</span>' in page["tag"]
    assert "See every post in the archives" in page["404"]
    assert "Every post is listed in the archives." in page["search"]
    assert "Every post is also listed" in page["search"] and "Every question" not in page["search"]
    post = (site / "output" / "floor" / "first-year" / "index.html").read_text(encoding="utf-8")
    assert ">Every post so far</a>" in post and "Every question so far" not in post
    assert ">Related posts</h2>" in post and "Related questions" not in post
    said = ok(run_floor("check", site=site)).splitlines()[-1]
    assert said == "ok: 0 queued, 1 published, 1 post from the old blog; 0 errors, 0 warnings"
    checked = json.loads(ok(run_floor("check", "--json", site=site)))
    assert (checked["published"], checked["from_archive"]) == (2, 1)

    configure(site, DEFAULT_LANG="fr")
    ok(run_floor("build", site=site))
    page = _listings(site / "output")
    assert "Billets précédents</h2>" in page["home"] and "Tous les billets à ce jour</h1>" in page["archives"]
    assert '2<span class="visually-hidden"> billets</span>' in page["tags"]


def test_a_count_of_posts_is_not_called_one_of_questions_when_a_post_holds_several(site: Path, run_floor):
    """Two questions in one post: the tags page counts posts, so it says "posts", not
    "1 question" for a tag two questions share; the home page still lists questions."""
    configure(site, FLOOR_QUESTIONS_PER_POST=2)
    for text in ("Why answer in public?", "Why answer at all?"):
        qid = ok(run_floor("ask", text, "--asker", "Jo", "--tag", "why", site=site)).strip()
        ok(run_floor("answer", qid, "--quick", "Because.", "--body", "It helps.", site=site))
    assert "published #1" in ok(run_floor("publish", site=site))
    ok(run_floor("build", site=site))
    page = _listings(site / "output")
    assert '1<span class="visually-hidden"> post</span>' in page["tags"]
    assert "with the number of posts in each." in page["tags"]
    assert "Every question so far</h1>" in page["archives"]
