"""Pelican's per-post helpers answered from memos give Pelican's answers, and work each out once."""

from __future__ import annotations

import copy
import datetime as dt
import logging
import os
import random
from collections import defaultdict
from pathlib import Path

import pelican.readers as readers_mod
import pelican.urlwrappers as urlwrappers_mod
import pytest
from from_the_floor.pelican_plugin import engine, pelican_memos, url_memo
from helpers_build import assert_same, tree
from pelican import Pelican, signals
from pelican.contents import Article, Content
from pelican.log import LimitFilter
from pelican.settings import DEFAULT_CONFIG, read_settings
from pelican.urlwrappers import Category, Tag


def _settings(path: str = "/site/content") -> dict:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["PATH"] = path
    return settings


def _post(settings: dict, source: str) -> Article:
    metadata = {"title": "Why?", "date": dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), "slug": "why"}
    return Article("<p>x</p>", metadata=metadata, settings=settings, source_path=source)


# --- each helper's answer is Pelican's ----------------------------------------------------------

PATHS = [
    ("/site/content", "/site/content/floor/why.md"),
    ("/site/content", "/site/content/floor/../why.md"),  # not normal: Pelican's relpath decides
    ("/site/content", "/site/content//floor/why.md"),
    ("/site/content", "/site/elsewhere/why.md"),
    ("/site/content", "/site/content"),
    ("/site/content/", "/site/content/why.md"),
    ("/site/./content", "/site/content/why.md"),
    ("//site", "//site/why.md"),
    ("/", "/why.md"),
    ("content", "content/floor/why.md"),  # a relative PATH: the working folder counts
    ("/site/content", "floor/why.md"),  # a source relative to PATH
]


@pytest.mark.parametrize(("base", "source"), PATHS)
def test_a_relative_source_path_is_pelicans(base: str, source: str) -> None:
    settings = _settings(base)
    post = _post(settings, source)
    expected = (post.get_relative_source_path(), post.get_relative_source_path("floor/other.md"))
    with pelican_memos.installed():
        twin = _post(settings, source)
        for _ in range(2):
            assert (
                twin.get_relative_source_path(),
                twin.get_relative_source_path("floor/other.md"),
            ) == expected
            assert twin.relative_source_path == expected[0]


def test_random_paths_are_made_relative_as_pelican_makes_them() -> None:
    parts = ["a", "b", "..", ".", "", "c.md"]
    rng = random.Random(24)
    for _ in range(3000):
        base = "/" + "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        source = "/" + "/".join(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        if rng.random() < 0.5:
            source = base + "/" + source.lstrip("/")
        post = Content("", settings=_settings(base), source_path=source)
        expected = post.get_relative_source_path()
        with pelican_memos.installed():
            assert post.get_relative_source_path() == expected, (base, source)


def test_a_source_path_is_made_relative_once_per_build(monkeypatch) -> None:
    calls = []
    relpath = os.path.relpath
    monkeypatch.setattr(os.path, "relpath", lambda *a: calls.append(a) or relpath(*a))
    settings = _settings()
    with pelican_memos.installed():
        post = _post(settings, "/site/content/floor/why.md")  # normal and inside: no relpath at all
        assert post.get_relative_source_path() == "floor/why.md"
        odd = _post(settings, "/site/content/floor/../why.md")
        for _ in range(3):
            assert odd.get_relative_source_path() == "why.md"
    assert len(calls) == 1
    assert odd.get_relative_source_path() == "why.md"  # after the build: Pelican's own again
    assert len(calls) == 2


NAMES = ["Floor", "Café Society", "<b>Bold</b> move", "  spaced  ", "Ünïcödé ☃", "C++ & C#", "", "日本語"]


@pytest.mark.parametrize("use_unicode", [False, True])
@pytest.mark.parametrize("preserve_case", [False, True])
def test_slugs_are_pelicans(use_unicode: bool, preserve_case: bool) -> None:
    settings = _settings()
    settings["SLUGIFY_USE_UNICODE"] = use_unicode
    settings["SLUGIFY_PRESERVE_CASE"] = preserve_case
    settings["TAG_REGEX_SUBSTITUTIONS"] = [
        ["\\+", "plus"],
        ("#", "sharp"),
        *settings["SLUG_REGEX_SUBSTITUTIONS"],
    ]
    expected = [(Category(n, settings).slug, Tag(n, settings).slug) for n in NAMES]
    with pelican_memos.installed():
        for _ in range(2):
            assert [(Category(n, settings).slug, Tag(n, settings).slug) for n in NAMES] == expected


def test_a_name_is_slugified_once_per_build(monkeypatch) -> None:
    calls = []
    slugify = urlwrappers_mod.slugify
    monkeypatch.setattr(
        urlwrappers_mod, "slugify", lambda value, **kw: calls.append(value) or slugify(value, **kw)
    )
    settings = _settings()
    with pelican_memos.installed():
        slugs = {Category("Café Society", settings).slug for _ in range(5)}
        settings["SLUG_REGEX_SUBSTITUTIONS"] = [("é", "e")]  # another setting: slugified again
        slugs.add(Category("Café Society", settings).slug)
    assert slugs == {"cafe-society", "cafe society"}
    assert calls == ["Café Society", "Café Society"]


def test_images_with_an_empty_alt_are_still_reported(monkeypatch, caplog) -> None:
    # Pelican's log stops repeating a group of messages after five in a process, and an earlier
    # build in the same worker may have used those five up.
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())
    monkeypatch.setattr(LimitFilter, "_group_count", defaultdict(int))
    searched = []
    find = readers_mod.find_empty_alt
    monkeypatch.setattr(readers_mod, "find_empty_alt", lambda c, p: searched.append(p) or find(c, p))
    html = '<p>x</p><img src="cat.png" alt=""><img alt=\'\' src="dog.png"><img src="ok.png" alt="ok">'
    with caplog.at_level(logging.WARNING, logger="pelican.readers"):
        readers_mod.find_empty_alt(html, "post.md")
        expected = [r.getMessage().replace("post.md", "again.md") for r in caplog.records]
        caplog.clear()
        with pelican_memos.installed():
            readers_mod.find_empty_alt(html, "again.md")  # (Pelican's log says each message once)
            readers_mod.find_empty_alt("<p>no picture here</p>", "plain.md")
        assert [r.getMessage() for r in caplog.records] == expected
    assert len(expected) == 2
    assert searched == ["post.md", "again.md"]  # the page with no "<img" is not searched


def test_the_intrasite_link_pattern_follows_the_setting() -> None:
    settings = _settings()
    post = _post(settings, "/site/content/floor/why.md")
    expected = post._get_intrasite_link_regex()
    with pelican_memos.installed():
        assert post._get_intrasite_link_regex() is post._get_intrasite_link_regex()
        assert post._get_intrasite_link_regex() == expected
        settings["INTRASITE_LINK_REGEX"] = "[{](?P<what>.*?)[}]"
        changed = post._get_intrasite_link_regex()
    assert changed != expected
    assert changed == post._get_intrasite_link_regex()


LINKED = [
    "<p>Plain text, <a href='https://example.org/'>a link out</a>.</p>",
    '<p><a href="{filename}/floor/other.md">the other</a> <img src="{static}/pic.png"></p>',
    '<p><a href="|filename|other.md">old style</a> and <img src="|attach|../pic.png"></p>',
    "<p>A brace { alone, a bar | alone: no link.</p>",
    "",
]


@pytest.mark.parametrize("html", LINKED)
def test_intrasite_links_are_found_as_pelican_finds_them(html: str, monkeypatch) -> None:
    settings = _settings()
    context = {"generated_content": {}, "static_content": {}}
    post = Article(
        html,
        metadata={"title": "t"},
        settings=settings,
        source_path="/site/content/floor/a.md",
        context=context,
    )
    expected = (post.get_static_links(), post._update_content(html, "https://example.org"))
    searched = []
    links = Content.get_static_links
    monkeypatch.setattr(Content, "get_static_links", lambda self: searched.append(1) or links(self))
    with pelican_memos.installed():
        assert (post.get_static_links(), post._update_content(html, "https://example.org")) == expected
        settings["INTRASITE_LINK_REGEX"] = "(?P<what>static):"  # another pattern: always searched
        assert post.get_static_links() == set()
    assert len(searched) == (1 if "{" in html or "|" in html else 0) + 1


# --- when they are used -----------------------------------------------------------------------


def test_they_are_kept_out_of_a_build_another_plugin_listens_to() -> None:
    def listens(*args, **kwargs):  # another plugin's receiver: it may read Pelican's values its own way
        return None

    with engine._shortcuts() as used:
        assert used and Content.get_relative_source_path is not _pelicans_relative
    assert Content.get_relative_source_path is _pelicans_relative
    signals.content_object_init.connect(listens)
    try:
        with engine._shortcuts() as used:
            assert not used and Content.get_relative_source_path is _pelicans_relative
    finally:
        signals.content_object_init.disconnect(listens)


_pelicans_relative = Content.get_relative_source_path


def test_they_are_kept_out_when_another_plugin_replaced_pelicans_helper(monkeypatch) -> None:
    monkeypatch.setattr(readers_mod, "find_empty_alt", lambda content, path: None)
    assert not pelican_memos.available()
    with engine._shortcuts() as used:
        assert not used


# --- a whole blog, built with them and by Pelican alone ---------------------------------------------

CONF = """\
AUTHOR = "Blogger"
SITENAME = "Paths and slugs"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
PLUGINS = []
ARTICLE_URL = "{category}/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{date:%Y}/{slug}/index.html"
PAGE_URL = "pages/{path}/"
PAGE_SAVE_AS = "pages/{path}/index.html"
TAG_REGEX_SUBSTITUTIONS = [("\\\\+", "plus")]
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
"""

POST = """\
Title: Post {n}
Date: 2026-10-{day:02d} 10:00
Category: {category}
Tags: {tags}
Author: {author}

Text of post {n}, linking [the first]({{filename}}{first}) and [an image]({{static}}/images/pic.png).

{image}
"""


def _blog(root: Path) -> Path:
    content = root / "content"
    (content / "cafe").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "images").mkdir()
    (content / "images" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "pelicanconf.py").write_text(CONF, encoding="utf-8")
    categories = ["Café Society", "C++ & C#", "Floor", "<b>Bold</b>"]
    authors = ["Ann", "Zoë Ö", "Blogger"]
    for n in range(1, 13):
        folder = content / "cafe" if n % 2 else content
        (folder / f"post-{n}.md").write_text(
            POST.format(
                n=n,
                day=n,
                category=categories[n % 4],
                tags=", ".join(["C++", "Ünïcödé", "misc"][: 1 + n % 3]),
                author=authors[n % 3],
                first="/cafe/post-1.md" if folder == content else "post-1.md",
                image='<img src="/images/pic.png" alt="">' if n % 4 == 0 else "",
            ),
            encoding="utf-8",
        )
    (content / "pages" / "about.md").write_text("Title: About\n\nThe blog.\n", encoding="utf-8")
    return root


def _build(
    root: Path, via_engine: bool, caplog, monkeypatch, processes: int = 1
) -> tuple[dict[str, bytes], list[str]]:
    caplog.clear()
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())  # Pelican's log says a message once
    monkeypatch.setattr(LimitFilter, "_group_count", defaultdict(int))
    cwd = os.getcwd()
    os.chdir(root)
    try:
        settings = read_settings(str(root / "pelicanconf.py"), override={"OUTPUT_PATH": str(root / "output")})
        instance = Pelican(settings)
        with caplog.at_level(logging.WARNING):
            if via_engine:
                engine.run(instance, processes=processes)
            else:
                instance.run()
    finally:
        os.chdir(cwd)
    messages = sorted(r.getMessage() for r in caplog.records if r.name.startswith("pelican"))
    return tree(root / "output"), messages


def test_a_blog_built_with_them_is_byte_for_byte_pelicans(tmp_path: Path, caplog, monkeypatch) -> None:
    used = []
    installed = pelican_memos.installed
    monkeypatch.setattr(pelican_memos, "installed", lambda: used.append(1) or installed())
    direct = []
    remembered = url_memo.remembered_urls
    monkeypatch.setattr(url_memo, "remembered_urls", lambda **kw: direct.append(kw) or remembered(**kw))
    pelicans, pelicans_log = _build(_blog(tmp_path / "pelican"), False, caplog, monkeypatch)
    ours, our_log = _build(_blog(tmp_path / "engine"), True, caplog, monkeypatch)
    assert used and direct == [{"direct": True}, {"direct": True}]  # generators, then writing
    assert_same(ours, pelicans)
    assert our_log == [m.replace(str(tmp_path / "pelican"), str(tmp_path / "engine")) for m in pelicans_log]
    assert any("Empty alt attribute" in m for m in our_log)
    assert not any("Unable to find" in m for m in our_log)
    assert "pages/pages/about.md/index.html" in ours


def test_the_articles_folders_are_listed_once_when_the_build_reads_in_several_processes(
    tmp_path: Path, caplog, monkeypatch
) -> None:
    """The prefetch (engine._prefetch) lists the articles' folders to find the posts Pelican's
    cache lacks; Pelican's generate_context is handed that listing instead of walking them again,
    and builds the same blog. With another plugin listening to Pelican's signals, Pelican lists
    them itself again."""
    import pelican.generators as generators_mod

    walked: list[str] = []

    class Listing:  # pelican.generators' os, noting each folder walked
        def __getattr__(self, name):
            return getattr(os, name)

        def walk(self, top, *args, **kwargs):
            walked.append(os.path.realpath(top))
            return os.walk(top, *args, **kwargs)

    monkeypatch.setattr(generators_mod, "os", Listing())
    pelicans, _log = _build(_blog(tmp_path / "pelican"), False, caplog, monkeypatch)
    # (Pelican walks the content folder for the articles and once more for its static files)
    by_pelican = walked.count(os.path.realpath(tmp_path / "pelican" / "content"))
    walked.clear()
    ours, _log = _build(_blog(tmp_path / "engine"), True, caplog, monkeypatch, processes=2)
    assert walked.count(os.path.realpath(tmp_path / "engine" / "content")) == by_pelican, "listed once"
    assert_same(ours, pelicans)

    def listens(*args, **kwargs):  # another plugin's receiver
        return None

    walked.clear()
    signals.article_generator_finalized.connect(listens)
    try:
        heard, _log = _build(_blog(tmp_path / "heard"), True, caplog, monkeypatch, processes=2)
    finally:
        signals.article_generator_finalized.disconnect(listens)
    walks = walked.count(os.path.realpath(tmp_path / "heard" / "content"))
    assert walks == by_pelican + 1, "the prefetch's listing, then Pelican's own"
    assert_same(heard, pelicans)


def test_the_listing_is_handed_over_once_and_only_to_pelicans_own_get_files() -> None:
    from pelican.generators import ArticlesGenerator

    pelicans = object.__new__(ArticlesGenerator)
    engine._hand_over_listing(pelicans, [""], ["pages"], {"ours.md"})
    assert pelicans.get_files([""], exclude=["pages"]) == {"ours.md"}
    assert "get_files" not in vars(pelicans), "once: a later call lists the folders itself"

    class Theirs(ArticlesGenerator):
        def get_files(self, paths, exclude=None, extensions=None):  # another plugin's listing
            return {"theirs.md"}

    theirs = object.__new__(Theirs)
    engine._hand_over_listing(theirs, [""], ["pages"], {"ours.md"})
    assert "get_files" not in vars(theirs) and theirs.get_files([""], exclude=["pages"]) == {"theirs.md"}
