"""FLOOR_STABLE_PAGINATION: list pages cut from the oldest post keep their posts and addresses.

A generated `floor init` site (the setting on, as `floor init` writes it) of 23
posts, five a page: pages 2 to 5 hold posts #1–#20 for ever, the home page the
newest five. The weekly post then changes only the home page and the newest
full page (whose "Newer" page is the home page) among the index pages, in the
build's own record of what it rendered; a plain `pelican` run writes the same
pages; a site without the setting keeps Pelican's newest-first pages.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from from_the_floor import cli
from from_the_floor.core import build_manifest
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from helpers_build import assert_same, generate_site, generated_site, tree
from helpers_floor import floor_env, ok, run_floor

POSTS = 23
TODAY = "2026-11-08"
INDEX = re.compile(r"index\d*\.html")
NUMBER = re.compile(r'href="/floor/[^"]*-(\d{5})/"')


def _site(tmp_path: Path, extra: str = "") -> Path:
    site = generated_site(tmp_path / "gen", POSTS)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nDEFAULT_PAGINATION = 5\n" + extra)
    return site


def index_signatures(site: Path) -> dict[str, str]:
    """Each index page's signature in the build's manifest (a rendered page gets a new one)."""
    outputs = build_manifest.load(build_manifest.path_for(site / "output")).outputs
    return {name: record[3] for name, record in outputs.items() if INDEX.fullmatch(name)}


def numbers_on(page: Path) -> list[int]:
    """The post numbers a list page links to, in its order (the home page's latest post included)."""
    return list(dict.fromkeys(int(n) for n in NUMBER.findall(page.read_text(encoding="utf-8"))))


def publish_next_week(site: Path) -> str:
    day = (generate_site.LAST_POST_DAY + dt.timedelta(days=7)).isoformat()
    result = CliRunner().invoke(cli.main, ["--site", str(site), "--today", day, "publish"])
    assert result.exit_code == 0 and "published #24" in result.output, result.output
    return day


def test_the_weekly_post_renders_only_the_home_page_and_the_newest_full_page(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert "FLOOR_STABLE_PAGINATION = True" in (site / "pelicanconf.py").read_text(encoding="utf-8")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    out = site / "output"
    assert sorted(p.name for p in out.glob("index*.html")) == [f"index{n}.html" for n in ("", 2, 3, 4, 5)]
    assert sorted(numbers_on(out / "index2.html")) == [1, 2, 3, 4, 5]  # the first posts, for ever
    assert sorted(numbers_on(out / "index5.html")) == [16, 17, 18, 19, 20]
    assert numbers_on(out / "index.html")[:5] == [23, 22, 21, 20, 19]  # the newest, newest first
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'rel="next" href="/index5.html">Older<' in home and 'rel="prev"' not in home
    newest_full = (out / "index5.html").read_text(encoding="utf-8")
    assert 'rel="prev" href="/index.html">Newer<' in newest_full
    assert 'rel="next" href="/index4.html">Older<' in newest_full and "page 4 of 4" in newest_full
    oldest = (out / "index2.html").read_text(encoding="utf-8")
    assert 'rel="prev" href="/index3.html">Newer<' in oldest and 'rel="next"' not in oldest
    assert "page 1 of 4" in oldest
    before, before_pages = index_signatures(site), tree(out)

    day = publish_next_week(site)
    counts = build_mod.build(Site(site), jobs=1, today=day)
    after = index_signatures(site)
    assert set(after) == set(before)
    rendered = {name for name in after if after[name] != before[name]}
    assert rendered == {"index.html", "index5.html"}, counts
    now = tree(out)
    assert all(now[name] == before_pages[name] for name in ("index2.html", "index3.html", "index4.html"))
    assert numbers_on(out / "index.html")[:5] == [24, 23, 22, 21, 20]

    clean = tmp_path / "clean"
    shutil.copytree(
        site, clean, ignore=shutil.ignore_patterns("output", ".cache", ".*.manifest.json", ".output.*")
    )
    build_mod.build(Site(clean), jobs=1, today=day)
    assert_same(now, tree(clean / "output"))


def test_a_plain_pelican_run_writes_the_same_index_pages(tmp_path: Path) -> None:
    """Both in fresh processes: a plugin another test registered in this one is no part of it."""
    site = _site(tmp_path)
    ok(run_floor("build", site=site, today=TODAY, timeout=300))
    done = subprocess.run(
        [str(Path(sys.executable).parent / "pelican"), "content", "-s", "pelicanconf.py", "-o", "plain"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=300,
        env=floor_env(TODAY),
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ours, plain = tree(site / "output"), tree(site / "plain")
    pages = sorted(name for name in ours if INDEX.fullmatch(name))
    assert pages == sorted(name for name in plain if INDEX.fullmatch(name))
    assert_same({n: ours[n] for n in pages}, {n: plain[n] for n in pages})


@pytest.mark.parametrize("setting", ["", "\nFLOOR_STABLE_PAGINATION = False\n"], ids=["unset", "off"])
def test_a_site_without_the_setting_keeps_newest_first_pages(tmp_path: Path, setting: str) -> None:
    site = _site(tmp_path)
    conf = site / "pelicanconf.py"
    conf.write_text(
        "".join(
            line
            for line in conf.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("FLOOR_STABLE_PAGINATION")
        )
        + setting,
        encoding="utf-8",
    )
    build_mod.build(Site(site), jobs=1, today=TODAY)
    out = site / "output"
    assert numbers_on(out / "index2.html") == [18, 17, 16, 15, 14]  # Pelican's: the 6th–10th newest
    assert numbers_on(out / "index5.html") == [3, 2, 1]
    assert "Page 2 of 5" in (out / "index2.html").read_text(encoding="utf-8")


def test_the_live_preview_serves_the_same_index_pages(tmp_path: Path) -> None:
    from from_the_floor.pelican_plugin import preview as preview_mod

    site = _site(tmp_path)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    built = tree(site / "output")
    preview = preview_mod.LivePreview(Site(site), today=TODAY)
    names = sorted(name for name in preview.names() if INDEX.fullmatch(name))
    assert names == sorted(name for name in built if INDEX.fullmatch(name))
    assert_same({n: preview.render(n) for n in names}, {n: built[n] for n in names})
    first = preview.render("index2.html").decode("utf-8")
    assert sorted(int(n) for n in dict.fromkeys(NUMBER.findall(first))) == [1, 2, 3, 4, 5]


def test_a_tag_written_two_ways_is_one_tag_page_listing_each_post_once(tmp_path: Path) -> None:
    """Imported posts often carry "Template" and "template" (WordPress's theme unit test does):
    one tag page, each post on it once, and its pages cut like every other list (the build used
    to stop with an IndexError: the tag's post list was longer than its dates list)."""
    site = _site(tmp_path)
    posts = sorted((site / "content" / "floor").glob("*.md"))[:8]
    for path in posts:
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"(?m)^tags: \[", "tags: [Template, template, ", text, count=1), encoding="utf-8"
        )
    build_mod.build(Site(site), jobs=1, today=TODAY)
    out = site / "output" / "tag" / "template"
    pages = sorted(p.name for p in out.glob("index*.html"))
    assert pages == ["index.html", "index2.html"]
    tagged_numbers = {int(re.search(r"(?m)^number: (\d+)", p.read_text(encoding="utf-8"))[1]) for p in posts}
    for page in pages:  # each post once a page (home shows the newest five, page 2 the oldest five)
        listed = re.findall(r'href="/floor/[^"]*-(\d{5})/"', (out / page).read_text(encoding="utf-8"))
        cards = [int(n) for n in listed if int(n) in tagged_numbers]
        assert len(cards) == len(set(cards)) == 5, (page, cards)
    post = (site / "output" / "floor").glob("*/index.html")
    tagged = [p for p in post if "/tag/template/" in p.read_text(encoding="utf-8")]
    assert tagged and all(p.read_text(encoding="utf-8").count('href="/tag/template/"') == 1 for p in tagged)


def test_one_earlier_page_is_not_numbered_page_1_of_1(tmp_path: Path) -> None:
    """Home page plus a single earlier page: "Earlier questions", without "page 1 of 1"."""
    site = generated_site(tmp_path / "gen", 7)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nDEFAULT_PAGINATION = 5\n")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    out = site / "output"
    assert sorted(p.name for p in out.glob("index*.html")) == ["index.html", "index2.html"]
    earlier = (out / "index2.html").read_text(encoding="utf-8")
    assert "Earlier questions</h1>" in earlier and 'rel="prev" href="/index.html">Newer<' in earlier
    assert "of 1" not in earlier


@pytest.mark.parametrize("setting", ["", "\nFLOOR_STABLE_PAGINATION = False\n"], ids=["stable", "off"])
def test_each_page_of_a_list_has_a_title_of_its_own(tmp_path: Path, setting: str) -> None:
    """Every page of earlier questions was titled with the site's name alone, as the home page
    is, and every page of a tag "Tagged “x”": a browser's tabs and history, and a screen reader
    announcing the page, could not tell them apart (WCAG 2.4.2). A later page of a tag also named
    the tag's first page as its canonical address, which asks search engines to drop it as a
    copy although it lists other questions."""
    site = _site(tmp_path, setting)
    posts = sorted((site / "content" / "floor").glob("*.md"))[:8]
    for path in posts:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^tags: \[", "tags: [pages, ", text, count=1), encoding="utf-8")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    out = site / "output"
    title = re.compile(r"<title>([^<]*)</title>")
    lists = sorted(out.glob("index*.html")) + sorted((out / "tag" / "pages").glob("index*.html"))
    titles = [title.search(p.read_text(encoding="utf-8"))[1] for p in lists]
    assert len(set(titles)) == len(titles) == 7, titles  # home, 4 pages of earlier ones, the tag's 2
    name = titles[0]
    assert all(t.endswith(f" · {name}") for t in titles[1:]), titles
    assert "Earlier questions · page 2 of " in " ".join(titles)
    later = (out / "tag" / "pages" / "index2.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in later
    assert 'rel="canonical"' in (out / "tag" / "pages" / "index.html").read_text(encoding="utf-8")
