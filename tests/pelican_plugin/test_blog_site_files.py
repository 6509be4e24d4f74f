"""A blog that adds the plugin gets the column, not site-wide files it did not ask for.

The blog is made by `pelican-quickstart` and the plugin added as the README says
(test_retire_in_a_blog.py). Before, its build gained a 404 page offering "every
question in the archives" for the whole blog, robots.txt, a sitemap.xml with
relative <loc> (the blog has no SITEURL), and tag feeds for the blog's own tags
holding the blog's own posts under the column's name. Now the kit writes the
column's posts, pages and own feeds; the blog asks for site-wide files by setting
FLOOR_SITEMAP, FLOOR_ROBOTS or FLOOR_NOT_FOUND_PAGE to True.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from helpers_floor import fails_cleanly, ok, pelican_quickstart, run_floor
from test_retire_in_a_blog import pelican_build, quickstart_blog

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def blog_with_a_post_answered(root: Path) -> Path:
    blog = quickstart_blog(root)
    ok(run_floor("ask", "Why answer in public?", "--tag", "listening", site=blog, today="2026-11-08"))
    ok(
        run_floor(
            "answer", "why-answer-in-public", "--quick", "Y.", "--body", "B.", site=blog, today="2026-11-08"
        )
    )
    ok(run_floor("publish", site=blog, today="2026-11-09"))
    return blog


def build(blog: Path) -> str:
    """The blog's own build (`pelican content`, its pelicanconf.py); the log, for warnings."""
    return pelican_build(blog, "pelicanconf.py", "2026-11-30")


def add_settings(blog: Path, lines: str) -> None:
    with (blog / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(lines)


def test_a_blog_gets_only_the_columns_files_and_feeds(tmp_path: Path) -> None:
    blog = blog_with_a_post_answered(tmp_path / "blog")
    build(blog)
    out = blog / "output"
    assert (out / "ask" / "index.html").is_file() and (out / "why-answer-in-public.html").is_file()
    for name in ("404.html", "robots.txt", "sitemap.xml"):
        assert not (out / name).exists(), f"{name}: a site-wide file the blog did not ask for"
    # the blog's own tag ("misc", on its own post) has no feed from the kit; the column's tag has
    assert not list((out / "feeds" / "tag").glob("misc.*"))
    atom = (out / "feeds" / "tag" / "listening.atom.xml").read_text(encoding="utf-8")
    assert "Ask Bea: listening" in atom and "Why answer in public?" in atom and "Hello world" not in atom
    feed = json.loads((out / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert feed["title"] == "Ask Bea" and [i["title"] for i in feed["items"]] == ["Why answer in public?"]


def test_a_blog_that_asks_gets_them_and_never_a_relative_sitemap(tmp_path: Path) -> None:
    blog = blog_with_a_post_answered(tmp_path / "blog")
    add_settings(blog, "FLOOR_SITEMAP = True\nFLOOR_ROBOTS = True\nFLOOR_NOT_FOUND_PAGE = True\n")
    log = build(blog)
    out = blog / "output"
    assert (out / "404.html").is_file() and (out / "robots.txt").is_file()
    assert not (out / "sitemap.xml").exists(), "this build has no SITEURL: its <loc> would be relative"
    assert "FLOOR_SITEMAP = True: no sitemap.xml written, SITEURL is not a full address" in log
    assert "Sitemap:" not in (out / "robots.txt").read_text(encoding="utf-8")

    add_settings(blog, 'SITEURL = "https://bea.example.org"\n')
    build(blog)
    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().iter(f"{SITEMAP_NS}loc")]
    assert locs and all(re.match(r"https://bea\.example\.org/", loc or "") for loc in locs), locs
    assert "https://bea.example.org/hello-world.html" in locs  # a sitemap the blog asked for: all of it
    assert "Sitemap: https://bea.example.org/sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")


def test_the_kits_theme_in_a_blog_links_no_feed_for_the_blogs_own_tags(tmp_path: Path) -> None:
    """A blog with posts of its own that uses the kit's theme: the tag page of its own tag
    ("misc") links no feed (the kit writes none for it); the column's tag page links its own."""
    from from_the_floor.paths import theme_dir

    blog = blog_with_a_post_answered(tmp_path / "blog")
    add_settings(blog, f"THEME = {str(theme_dir())!r}\n")
    build(blog)
    out = blog / "output"
    own = (out / "tag" / "misc.html").read_text(encoding="utf-8")
    column = (out / "tag" / "listening.html").read_text(encoding="utf-8")
    assert "feeds/tag/" not in own and not list((out / "feeds" / "tag").glob("misc.*"))
    assert (
        "/feeds/tag/listening.atom.xml" in column and (out / "feeds" / "tag" / "listening.atom.xml").is_file()
    )
    # the blog's name (Pelican's writer puts it first), then the column's and the tag, each once
    feed = (out / "feeds" / "tag" / "listening.atom.xml").read_text(encoding="utf-8")
    assert "<title>My Blog - Ask Bea: listening</title>" in feed, feed[:300]


def test_the_readmes_settings_for_a_blog_let_readers_find_the_ask_page_and_ask(tmp_path: Path) -> None:
    """Walked from the README's block for an existing blog, a column in Pelican's own theme had an
    Ask page that nothing linked to, and that said the column was not taking questions: the block
    set no way to ask. Its settings are taken from the README itself, so the two cannot drift."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Adding the column to an existing Pelican blog", 1)[1]
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    blog = quickstart_blog(tmp_path / "blog")
    conf = blog / "pelicanconf.py"
    own = conf.read_text(encoding="utf-8").split("\nPLUGINS =", 1)[0]  # the README's lines instead
    conf.write_text(own + "\n" + block, encoding="utf-8")
    ok(run_floor("--site", blog, "keys", "init"))
    build(blog)
    home = (blog / "output" / "index.html").read_text(encoding="utf-8")
    ask = (blog / "output" / "ask" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/ask/">' in home, "nothing on the blog's home leads to the Ask page"
    assert "mailto:" in ask and "not taking" not in ask


def test_floor_init_in_a_blog_says_how_to_add_the_column_to_it(tmp_path: Path) -> None:
    """`floor init .` in a folder pelican-quickstart made: nothing is changed, and the one line
    says what the author most likely wanted, the README's steps for adding the column to a blog,
    not only that "a site already exists"."""
    blog = pelican_quickstart(tmp_path / "blog")
    before = sorted(p.relative_to(blog).as_posix() for p in blog.rglob("*"))
    err = fails_cleanly(run_floor("init", blog, "--title", "Ask Bea", "--author", "Bea", "--no-input"))
    assert "a Pelican blog is already here (pelicanconf.py); nothing was changed" in err, err
    assert "`floor --site . keys init`" in err and 'PLUGINS = ["from_the_floor"]' in err
    assert "Adding the column to an existing Pelican blog" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.relative_to(blog).as_posix() for p in blog.rglob("*")) == before
