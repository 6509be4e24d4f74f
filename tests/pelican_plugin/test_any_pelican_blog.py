"""The column added to an existing Pelican blog: one PLUGINS line and a questions/ folder.

Each blog is built the way its owner builds it, with Pelican's own
``pelican`` command, in its own theme (Pelican's stock notmyidea and simple,
and Reflex from PyPI, a maintained fork of the popular Flex), with Pelican's
default URLs. Every internal link of the output must resolve.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers_floor import tree_digest

PELICAN = Path(sys.executable).parent / "pelican"

BLOG_CONF = """\
AUTHOR = "Blogger"
SITENAME = "A blog of its own"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
"""

THEMES = {
    "notmyidea": "",  # Pelican's default theme: no THEME line at all
    "simple": 'THEME = "simple"\n',
    # Reflex reads CC_LICENSE in its footer, as its README documents
    "reflex": (
        "from pelican.themes import reflex\nTHEME = reflex.path()\n"
        'CC_LICENSE = {"name": "Creative Commons Attribution", "version": "4.0", "slug": "by",'
        ' "icon": True, "language": "en_US"}\n'
    ),
}

OWN_POST = """\
Title: Hello world
Date: 2026-10-01 10:00
Tags: misc

An ordinary post of the blog's own, written before the column.
"""

QA_POST = """\
---
question: Why answer questions in public?
asked: 2026-10-20
tags: [listening]
quick_answer: Because someone else is wondering too.
title: "From the Floor #1: Why answer questions in public?"
date: 2026-11-02T09:00:00+00:00
number: 1
slug: why-answer-questions-in-public
---
The longer answer, in the author's own Markdown.
"""


def make_blog(root: Path, *, theme: str = "notmyidea", plugins: str | None, column: bool = True) -> Path:
    conf = BLOG_CONF + THEMES[theme]
    if plugins is not None:
        conf += f"PLUGINS = {plugins}\n"
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(conf, encoding="utf-8")
    (root / "content" / "hello.md").write_text(OWN_POST, encoding="utf-8")
    if column:
        (root / "questions").mkdir()
        (root / "content" / "floor").mkdir()
        (root / "content" / "floor" / "why-answer-questions-in-public.md").write_text(
            QA_POST, encoding="utf-8"
        )
    return root


def build(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(PELICAN), "content", "-s", "pelicanconf.py", *flags],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "FLOOR_TODAY": "2026-11-30", "PYTHONUTF8": "1", "COLUMNS": "400"},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CRITICAL" not in done.stdout + done.stderr and "Traceback" not in done.stdout + done.stderr
    return done


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


def broken_links(output: Path) -> list[tuple[str, str]]:
    """(page, link) for every link inside the site that names no file of the output."""
    broken = []
    for page in sorted(output.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for link in parser.links:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, mailto:, or an anchor on this page
            path = urllib.parse.unquote(parts.path)
            target = (output / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append((str(page.relative_to(output)), link))
    return broken


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_the_column_lives_in_a_blog_with_its_own_theme(tmp_path: Path, theme: str) -> None:
    blog = make_blog(tmp_path / "blog", theme=theme, plugins='["pelican.plugins.from_the_floor"]')
    build(blog)
    out = blog / "output"
    post = (out / "why-answer-questions-in-public.html").read_text(encoding="utf-8")
    for part in ("Why answer questions in public?", "Because someone else is wondering too.", "The longer"):
        assert part in post
    assert (out / "hello-world.html").is_file(), "the blog's own post is untouched"
    own_page = (out / "hello-world.html").read_text(encoding="utf-8")
    for name in ("ask", "stats", "search"):
        page = (out / name / "index.html").read_text(encoding="utf-8")
        # the kit's page extends the blog's own base.html: its stylesheet and header come along
        own_styles = [line.strip() for line in own_page.splitlines() if 'rel="stylesheet"' in line]
        assert all(line in page for line in own_styles), name
        assert "A blog of its own" in page
    assert broken_links(out) == []


def test_the_short_name_works_too(tmp_path: Path) -> None:
    blog = make_blog(tmp_path / "blog", plugins='["from_the_floor"]')
    build(blog)
    assert (blog / "output" / "ask" / "index.html").is_file()
    assert broken_links(blog / "output") == []


def test_a_blog_that_is_not_a_column_is_left_alone(tmp_path: Path) -> None:
    """Listed (or auto-loaded) in a blog with no questions folder and no FLOOR_ setting: no trace."""
    with_kit = make_blog(tmp_path / "with", plugins='["pelican.plugins.from_the_floor"]', column=False)
    without = make_blog(tmp_path / "without", plugins="[]", column=False)
    build(with_kit)
    build(without)
    assert tree_digest(with_kit / "output") == tree_digest(without / "output")


def test_links_follow_the_folder_the_archives_are_saved_in(tmp_path: Path) -> None:
    """A site saving archives and tags as folder indexes (as earlier `floor init` sites do,
    without ARCHIVES_URL) gets links to those folders, not to Pelican's default archives.html."""
    blog = make_blog(
        tmp_path / "blog",
        plugins='["pelican.plugins.from_the_floor"]',
    )
    conf = blog / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + 'ARCHIVES_SAVE_AS = "archives/index.html"\nTAGS_SAVE_AS = "tags/index.html"\n',
        encoding="utf-8",
    )
    build(blog)
    ask = (blog / "output" / "ask" / "index.html").read_text(encoding="utf-8")
    assert 'href="/archives/"' in ask
    assert broken_links(blog / "output") == []


def test_the_kit_defers_to_pelican_sitemap_and_pelican_seo(tmp_path: Path) -> None:
    plugins = '["pelican.plugins.from_the_floor", "pelican.plugins.sitemap", "pelican.plugins.seo"]'
    blog = make_blog(tmp_path / "blog", plugins=plugins)
    conf = blog / "pelicanconf.py"
    extra = 'SITEMAP = {"format": "xml"}\nSEO_ENHANCER = True\nSEO_REPORT = False\nSITEURL = "https://blog.example.net"\n'
    conf.write_text(conf.read_text(encoding="utf-8") + extra, encoding="utf-8")
    done = build(blog, "--verbose")  # the kit says what it leaves to them at Pelican's info level
    log = " ".join((done.stdout + done.stderr).split())
    assert "pelican-sitemap is enabled: it writes sitemap.xml, so the column does not" in log
    assert "it writes robots.txt, so the column does not" in log
    sitemap = (blog / "output" / "sitemap.xml").read_text(encoding="utf-8")
    # pelican-sitemap's own file (it lists the blog's own post and the Q&A post), not the column's
    assert "hello-world.html" in sitemap and "why-answer-questions-in-public.html" in sitemap
    robots = (blog / "output" / "robots.txt").read_text(encoding="utf-8")
    own = blog / "plain"
    make_blog(own, plugins='["pelican.plugins.sitemap", "pelican.plugins.seo"]', column=False)
    (own / "pelicanconf.py").write_text((own / "pelicanconf.py").read_text() + extra, encoding="utf-8")
    build(own)
    assert robots.splitlines()[0] == (own / "output" / "robots.txt").read_text().splitlines()[0]


# A local plugin that reads Markdown as pelican-jinja2content does: its reader claims every
# Markdown extension at readers_init and runs the file through Jinja before Markdown. With the
# real plugin beside the kit, the column's posts were read by it (no question, no quick answer,
# the tag "[listening]", the category "Floor", and the question files run as templates).
JINJA_READER = """\
import os
import tempfile

import jinja2
from pelican import signals
from pelican.readers import MarkdownReader


class JinjaMarkdownReader(MarkdownReader):
    def read(self, source_path):
        with open(source_path, encoding="utf-8") as f:
            text = jinja2.Environment().from_string(f.read()).render(MARK="made by the blog reader")
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
            f.write(text)
        try:
            return super().read(f.name)
        finally:
            os.unlink(f.name)


def add_reader(readers):
    for ext in JinjaMarkdownReader.file_extensions:
        readers.reader_classes[ext] = JinjaMarkdownReader


def register():
    signals.readers_init.connect(add_reader)
"""


@pytest.mark.parametrize("first", ["kit", "blog"])
def test_a_plugin_that_reads_markdown_itself_keeps_the_blogs_posts_and_not_the_columns(
    tmp_path: Path, first: str
) -> None:
    """Pelican calls readers_init's receivers in no fixed order: whichever plugin claimed the
    Markdown reader last used to read every post. The column's files are the kit's to read,
    the blog's own posts go on being read by its plugin."""
    plugins = ["pelican.plugins.from_the_floor", "jinja_reader"]
    blog = make_blog(tmp_path / "blog", plugins=repr(plugins if first == "kit" else plugins[::-1]))
    (blog / "plugins").mkdir()
    (blog / "plugins" / "jinja_reader.py").write_text(JINJA_READER, encoding="utf-8")
    conf = blog / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + 'PLUGIN_PATHS = ["plugins"]\n', encoding="utf-8")
    (blog / "content" / "hello.md").write_text(OWN_POST + "\nThis one was {{ MARK }}.\n", encoding="utf-8")
    qa = blog / "content" / "floor" / "why-answer-questions-in-public.md"
    qa.write_text(QA_POST + "A reader typed {{ MARK }} and {{ 6 * 7 }}.\n", encoding="utf-8")
    build(blog)
    out = blog / "output"
    assert "This one was made by the blog reader." in (out / "hello-world.html").read_text(encoding="utf-8")
    post = (out / "why-answer-questions-in-public.html").read_text(encoding="utf-8")
    assert "Because someone else is wondering too." in post, "the quick answer is the kit's to show"
    assert "A reader typed {{ MARK }} and {{ 6 * 7 }}." in post, "no Jinja runs over the column's text"
    assert (out / "category" / "from-the-floor.html").is_file(), "the column's category, not its folder's"
    assert not (out / "category" / "floor.html").exists()
    assert (out / "tag" / "listening.html").is_file()


def test_installed_from_the_wheel_pelican_finds_it_and_it_opts_in(
    kit_wheelhouse: Path, tmp_path: Path
) -> None:
    """The kit installed as a user installs it (the wheel, not this checkout): Pelican discovers
    the namespace plugin by itself in a blog that lists no PLUGINS. A blog that is no column
    builds exactly as without the kit; a blog with a questions/ folder gets the column."""
    from helpers_kit import wheel_venv

    venv = wheel_venv(kit_wheelhouse, tmp_path).parent

    def pelican(root: Path) -> None:
        done = subprocess.run(
            [str(venv / "bin" / "pelican"), "content", "-s", "pelicanconf.py"],
            cwd=root,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "FLOOR_TODAY": "2026-11-30", "COLUMNS": "400"},
            timeout=300,
        )
        assert done.returncode == 0 and "CRITICAL" not in done.stdout + done.stderr, done.stdout + done.stderr

    auto = make_blog(tmp_path / "auto", plugins=None, column=False)  # every namespace plugin loads
    none = make_blog(tmp_path / "none", plugins="[]", column=False)
    pelican(auto)
    pelican(none)
    assert tree_digest(auto / "output") == tree_digest(none / "output")
    column = make_blog(tmp_path / "column", plugins=None)
    pelican(column)
    assert (column / "output" / "ask" / "index.html").is_file()
    assert "Because someone else is wondering too." in (
        column / "output" / "why-answer-questions-in-public.html"
    ).read_text(encoding="utf-8")
    assert broken_links(column / "output") == []
