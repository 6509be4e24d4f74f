"""The fast paths give the same bytes as a full clean build (docs/performance.md).

Checked on a generated site (bench/generate_site.py) through a sequence of
edits, additions and deletions: the live preview's pages, a warm-cache build
into a fresh output/ (the weekly job), and a build rendered by two processes.
No timings here: the bench measures; these tests only compare bytes.
"""

from __future__ import annotations

import html
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from from_the_floor import cli
from from_the_floor.core import guard
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from from_the_floor.web import render
from helpers_build import assert_same, generate_site, generated_site, opened_tree, tree
from helpers_floor import opened

ROOT = Path(__file__).resolve().parents[2]
POSTS = 24


def clean_build(site: Path, where: Path, today: str | None = None) -> dict[str, bytes]:
    """The reference: the site's sources copied alone, built from nothing by one process."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns("output", ".cache"))
    build_mod.build(Site(where), jobs=1, today=today)
    return tree(where / "output")


# --- a sequence of author's edits -------------------------------------------------


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(site: Path) -> None:
    post = sorted((site / "content" / "floor").glob("*.md"))[3]
    post.write_text(
        post.read_text(encoding="utf-8") + "\nA late *second* thought, [linked](https://example.org/x).\n"
    )


def edit_quick_answer_and_tags(site: Path) -> None:
    post = sorted((site / "content" / "floor").glob("*.md"))[5]
    text = post.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    lines = [
        'quick_answer: "Changed: **yes**, now."'
        if line.startswith("quick_answer:")
        else "tags: [brand new tag, advice]"
        if line.startswith("tags:")
        else line
        for line in head.splitlines()
    ]
    post.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def edit_quick_answer_only(site: Path) -> None:
    """Shows in the post, the lists' summaries, the feeds and the JSON Feed."""
    post = sorted((site / "content" / "floor").glob("*.md"))[7]
    head, body = post.read_text(encoding="utf-8").split("\n---\n", 1)
    lines = [
        'quick_answer: "Shorter now, with a [link](https://example.org/q)."'
        if line.startswith("quick_answer:")
        else line
        for line in head.splitlines()
    ]
    post.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def edit_details(site: Path) -> None:
    """A reader's details (their Markdown, cleaned) are part of the post too."""
    post = next(p for p in sorted((site / "content" / "floor").glob("*.md")) if "\ndetails:" in p.read_text())
    head, body = post.read_text(encoding="utf-8").split("\n---\n", 1)
    lines, skipping = [], False
    for line in head.splitlines():
        if line.startswith("details:"):
            lines.append('details: "Edited by the reader: is *this* <b>still</b> fine?"')
            skipping = True
        elif skipping and line.startswith(" "):
            continue
        else:
            skipping = False
            lines.append(line)
    post.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def edit_a_merged_part(site: Path) -> None:
    """After merge_two_posts: one part of a multi-question post (regenerates everything)."""
    part = next(p for p in sorted((site / "content" / "floor").glob("*.md")) if "\npart: 1" in p.read_text())
    part.write_text(part.read_text(encoding="utf-8") + "\nOne more line in part one.\n", encoding="utf-8")


def add_post(site: Path) -> None:
    extra = generate_site.make_posts(1, seed=7, start_number=POSTS + 1)[0]
    extra.tags = ["advice", "only here"]
    (site / "content" / "floor" / f"{extra.id}.md").write_text(
        generate_site.floor_file(extra), encoding="utf-8"
    )


def delete_post(site: Path) -> None:
    sorted((site / "content" / "floor").glob("*.md"))[10].unlink()


def merge_two_posts(site: Path) -> None:
    """Two questions published together: same number and date, part 1 and 2."""
    posts = sorted(
        (site / "content" / "floor").glob("*.md"),
        key=lambda p: int(p.read_text().split("\nnumber: ")[1].split("\n")[0]),
    )
    first, second = posts[-2], posts[-1]
    date = next(line for line in first.read_text().splitlines() if line.startswith("date: "))
    number = next(line for line in first.read_text().splitlines() if line.startswith("number: "))
    for part, post in enumerate((first, second), start=1):
        lines = post.read_text().splitlines()
        lines = [date if x.startswith("date: ") else number if x.startswith("number: ") else x for x in lines]
        lines.insert(1, f"part: {part}")
        post.write_text("\n".join(lines) + "\n", encoding="utf-8")


def edit_page(site: Path) -> None:
    about = site / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nNow with a second paragraph.\n", encoding="utf-8")


STEPS: list[Callable[[Path], None]] = [
    edit_body,
    edit_quick_answer_only,
    edit_details,
    edit_quick_answer_and_tags,
    add_post,
    delete_post,
    merge_two_posts,
    edit_a_merged_part,
    edit_page,
]
# The edits the live preview patches in place instead of regenerating (preview._patch_answers).
PATCHED = {edit_body, edit_quick_answer_only, edit_details}


@pytest.fixture
def bench_site(tmp_path: Path) -> Path:
    """A generated `floor init` site; the search index (made at `finalized`, from output/) is off."""
    return generated_site(tmp_path / "gen", POSTS)


# --- the generator ------------------------------------------------------------------


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generate_site.generate(tmp_path / "a", 40, queued=3)
    generate_site.generate(tmp_path / "b", 40, queued=3)
    first, second = opened_tree(tmp_path / "a"), opened_tree(tmp_path / "b")
    assert len(first) > 3 * 40
    assert first == second
    raw = tree(tmp_path / "a").values()
    assert any(b"contact: age:" in data for data in raw), "sealed, as a `floor init` site stores them"
    generate_site.generate(tmp_path / "c", 40, queued=3, seed=1)
    assert tree(tmp_path / "c") != first


def test_generated_sites_hold_the_same_posts(tmp_path: Path) -> None:
    sites = generate_site.generate(tmp_path / "g", 12)
    floor_posts = {p.stem for p in (sites["floor"] / "content" / "floor").glob("*.md")}
    pelican_posts = {p.stem for p in (sites["pelican"] / "content").glob("*.md")}
    hugo_posts = {p.stem for p in (sites["hugo"] / "content" / "floor").glob("*.md")}
    assert len(floor_posts) == 12
    assert floor_posts == pelican_posts == hugo_posts


# --- builds -------------------------------------------------------------------------


def test_parallel_build_equals_sequential(bench_site: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("from_the_floor.pelican_plugin.engine.MIN_PAGES_PER_PROCESS", 1)
    want = clean_build(bench_site, tmp_path / "clean")
    build_mod.build(Site(bench_site), jobs=2)
    assert_same(tree(bench_site / "output"), want)


def test_parallel_reading_saves_the_memo_file_a_single_process_saves(
    bench_site: Path, tmp_path: Path, monkeypatch
) -> None:
    """The reading worker writes its kept results beside the memo file (core/memo.py) instead
    of sending them: the memo file holds the same entries as one process's build, the build
    process never held their text, and nothing else is left in .cache/."""
    from from_the_floor.core import memo
    from helpers_floor import saved_memo

    def build(site: Path, jobs: int) -> dict:
        for m in memo._memos.values():  # as a new process starts
            m.forget()
        build_mod.build(Site(site), jobs=jobs)
        return saved_memo(site / ".cache" / memo.FOLDER)

    monkeypatch.setattr("from_the_floor.pelican_plugin.engine.MIN_PAGES_PER_PROCESS", 1)
    received: list[dict] = []
    merge = memo.merge
    monkeypatch.setattr(memo, "merge", lambda added: received.append(added) or merge(added))
    alone = tmp_path / "alone"
    shutil.copytree(bench_site, alone)
    want = build(alone, 1)
    got = build(bench_site, 2)
    assert got == want
    assert received, "a worker read posts"
    for added in received:
        kept = {name: value for name, value in added.items() if name in got}
        assert all(isinstance(value, memo.Spilled) for value in kept.values()), "no kept text travels"
        assert "question-texts" in added or not kept, "each question's texts travel instead"
    cache = bench_site / ".cache"
    left = [*cache.iterdir(), *(cache / memo.FOLDER).iterdir()]
    assert not [p.name for p in left if p.name.endswith(".tmp")]


def test_a_cold_build_in_two_processes_reads_each_post_once(
    bench_site: Path, tmp_path: Path, monkeypatch
) -> None:
    """The reading processes take posts from one shared counter (forked.Tickets): none is read
    twice, by both processes or by Pelican again after them."""
    from from_the_floor.pelican_plugin.plugin import FloorMarkdownReader

    monkeypatch.setattr("from_the_floor.pelican_plugin.engine.MIN_PAGES_PER_PROCESS", 1)
    log = tmp_path / "reads.log"
    read = FloorMarkdownReader.read

    def noted(self, source_path: str):
        with open(log, "a", encoding="utf-8") as out:  # one line per read, from either process
            out.write(f"{os.getpid()} {source_path}\n")
        return read(self, source_path)

    monkeypatch.setattr(FloorMarkdownReader, "read", noted)
    build_mod.build(Site(bench_site), jobs=2)
    folder = bench_site / "content" / "floor"
    posts = {str(p) for p in folder.glob("*.md")}
    read_paths = [line.split(" ", 1)[1] for line in log.read_text(encoding="utf-8").splitlines()]
    paths = [p for p in read_paths if Path(p).parent == folder]  # (the About page is a page)
    assert len(posts) == POSTS and sorted(paths) == sorted(posts)  # each post read, and once


def test_the_writing_processes_compile_each_template_once(
    bench_site: Path, tmp_path: Path, monkeypatch
) -> None:
    """Each kind of page is rendered once before the writing processes fork (engine._write_in),
    so the templates every page includes (base.html, the macros) are compiled in one process,
    not again in each; a template's only page is rendered in the writing process; the pages are
    the ones a single process writes."""
    import jinja2
    from from_the_floor.pelican_plugin.engine import Page

    monkeypatch.setattr("from_the_floor.pelican_plugin.engine.MIN_PAGES_PER_PROCESS", 1)
    log = tmp_path / "compiled.log"
    compile_, render = jinja2.Environment.compile, Page.render

    def noted(self, source, name=None, filename=None, raw=False, defer_init=False):
        with open(log, "a", encoding="utf-8") as out:  # one line per compile, from any process
            out.write(f"{os.getpid()} compiled {name}\n")
        return compile_(self, source, name, filename, raw, defer_init)

    def rendered(self):
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} rendered {self.template.name}\n")
        return render(self)

    monkeypatch.setattr(jinja2.Environment, "compile", noted)
    monkeypatch.setattr(Page, "render", rendered)
    want = clean_build(bench_site, tmp_path / "clean")
    log.unlink()
    build_mod.build(Site(bench_site), jobs=2)
    assert_same(tree(bench_site / "output"), want)
    lines = [line.split(" ", 2) for line in log.read_text(encoding="utf-8").splitlines()]
    rendered_by: dict[str, list[str]] = {}
    for pid, what, name in lines:
        if what == "rendered":
            rendered_by.setdefault(pid, []).append(name)
    here = rendered_by.pop(str(os.getpid()))
    assert len(rendered_by) == 1, "two processes rendered"
    # a template of one page is compiled where that page renders, in the writing process (the
    # stats page's chart loads pygal and lxml, which the build's own process then never holds)
    (there,) = rendered_by.values()
    assert "stats.html" not in here and "stats.html" in there
    compiled: dict[str, set[str]] = {}
    for pid, what, name in lines:
        if what == "compiled":
            compiled.setdefault(name, set()).add(pid)
    assert "base.html" in compiled
    assert {name: pids for name, pids in compiled.items() if len(pids) > 1} == {}


def test_content_cache_is_hit_for_posts_after_a_fresh_checkout(
    bench_site: Path, tmp_path: Path, monkeypatch
) -> None:
    """md5 stamps survive new mtimes (a git checkout): no post is read again, the plugin still runs."""
    from from_the_floor.pelican_plugin import plugin

    build_mod.build(Site(bench_site), jobs=1)
    want = tree(bench_site / "output")
    shutil.rmtree(bench_site / "output")
    for path in (bench_site / "content").rglob("*.md"):
        path.write_bytes(path.read_bytes())  # same bytes, new mtime
    reads: list[str] = []
    original = plugin.FloorMarkdownReader.read

    def counting_read(self, source_path):
        reads.append(source_path)
        return original(self, source_path)

    monkeypatch.setattr(plugin.FloorMarkdownReader, "read", counting_read)
    build_mod.build(Site(bench_site), jobs=1)
    assert reads == []
    assert_same(tree(bench_site / "output"), want)  # series links, merged posts: the signals ran


def test_parallel_build_still_refuses_a_leaked_contact(bench_site: Path, monkeypatch) -> None:
    from from_the_floor.errors import FloorError

    monkeypatch.setattr("from_the_floor.pelican_plugin.engine.MIN_PAGES_PER_PROCESS", 1)
    post = next(
        p for p in sorted((bench_site / "content" / "floor").glob("*.md")) if "contact:" in p.read_text()
    )
    sealed = next(line for line in post.read_text().splitlines() if line.startswith("contact:")).split()[1]
    contact = opened(bench_site, sealed)
    text = post.read_text()
    post.write_text(text + f"\nWrite to {contact.replace('@', '&#64;')} any time.\n", encoding="utf-8")
    with pytest.raises(FloorError, match="contact detail") as info:
        build_mod.build(Site(bench_site), jobs=2)
    assert f"content/floor/{post.name}, line {text.count(chr(10)) + 2}" in info.value.message


def test_rebuild_over_existing_output_rewrites_only_changed_files(bench_site: Path, tmp_path: Path) -> None:
    build_mod.build(Site(bench_site), jobs=1)
    edit_body(bench_site)
    build_mod.build(Site(bench_site), jobs=1)
    want = clean_build(bench_site, tmp_path / "clean")
    got = tree(bench_site / "output")
    assert {name: got[name] for name in want} == want


def test_publish_then_warm_build_equals_clean_build(bench_site: Path, tmp_path: Path) -> None:
    build_mod.build(Site(bench_site), jobs=1)
    next_day = generate_site.LAST_POST_DAY.toordinal() + 7
    today = type(generate_site.LAST_POST_DAY).fromordinal(next_day).isoformat()
    result = CliRunner().invoke(cli.main, ["--site", str(bench_site), "--today", today, "publish"])
    assert result.exit_code == 0, result.output
    assert "published #25" in result.output
    shutil.rmtree(bench_site / "output")
    # the same day for both builds: the forecast shows the moment of a due post to the second
    build_mod.build(Site(bench_site), today=today)
    assert_same(tree(bench_site / "output"), clean_build(bench_site, tmp_path / "clean", today))


# --- the live preview -----------------------------------------------------------------


def preview_tree(preview) -> dict[str, bytes]:
    out = {}
    for name in preview.names():
        data = preview.render(name)
        out[name] = data if data is not None else preview.static_file(name)
    return out


def test_fast_paths_equal_a_clean_build_through_edits(bench_site: Path, tmp_path: Path, monkeypatch) -> None:
    """After each edit, add and delete: the live preview's pages, and a warm-cache build into
    a fresh output/ by two processes (the weekly job's path), both equal a clean build."""
    from from_the_floor.pelican_plugin import preview as preview_mod

    monkeypatch.setattr("from_the_floor.pelican_plugin.engine.MIN_PAGES_PER_PROCESS", 1)
    # an edit renders a few pages: forked all the same here
    monkeypatch.setattr("from_the_floor.pelican_plugin.engine.MIN_RENDERED_TO_FORK", 0)
    build_mod.build(Site(bench_site), jobs=2)
    first_output = tmp_path / "first-output"
    shutil.copytree(bench_site / "output", first_output)
    preview = preview_mod.LivePreview(Site(bench_site))
    assert_same(preview_tree(preview), clean_build(bench_site, tmp_path / "clean"))
    for step in STEPS:
        before, patches = preview.generations, preview.patches
        step(bench_site)
        want = clean_build(bench_site, tmp_path / "clean")
        assert_same(preview_tree(preview), want)
        assert preview.generations == before + 1  # one refresh per change, not per page
        assert preview.patches == patches + (step in PATCHED), step.__name__
        output = tmp_path / "previous-output"
        shutil.rmtree(output, ignore_errors=True)
        (bench_site / "output").rename(output)
        build_mod.build(Site(bench_site), jobs=2)
        assert_same(tree(bench_site / "output"), want)
    # a deleted post's old page lingers in an earlier output/; the preview does not serve it
    shutil.rmtree(bench_site / "output")
    first_output.rename(bench_site / "output")
    stale = [
        n for n in sorted(set(tree(bench_site / "output")) - set(preview.names())) if n.endswith(".html")
    ]
    assert stale
    served = [n for n in stale if preview.render(n) is not None or preview.static_file(n) is not None]
    assert served == []


def test_answer_edits_are_patched_without_the_reader_site_plugin(bench_site: Path, tmp_path: Path) -> None:
    """With only the posts plugin (the bench's posts-only settings) the fast path still holds."""
    from from_the_floor.pelican_plugin import preview as preview_mod

    settings = "bench_posts_only.py"
    # pelicanconf.py's text, not `from pelicanconf import *`: in this process that name may
    # already be another site's module
    conf = (bench_site / "pelicanconf.py").read_text(encoding="utf-8")
    posts_only = '\nPLUGINS = ["from_the_floor.pelican_plugin.plugin"]\n'
    (bench_site / settings).write_text(conf + posts_only, encoding="utf-8")
    posts = sorted((bench_site / "content" / "floor").glob("*.md"))
    for post in posts:  # older than the racy window, as files an author has not just saved
        os.utime(post, (post.stat().st_mtime - 60, post.stat().st_mtime - 60))
    build_mod.build(Site(bench_site), settings_file=settings, jobs=1)
    preview = preview_mod.LivePreview(Site(bench_site), settings_file=settings)
    preview.names()
    # the posts plugin alone, whatever site this process built before: with the reader-site
    # generator an earlier test's build left connected, the answers were patched from its
    # parses and this test could not see the posts-only path's own comparison
    assert kit_generators(preview) == set(), "a part of the kit this site does not list ran"
    # the same answer twice in a row (the second compared with the first edit's parse)
    for step in (edit_body, edit_body, edit_quick_answer_only, edit_quick_answer_and_tags):
        step(bench_site)
        preview.refresh()  # at once, as a browser asks: the file was saved this moment
        where = tmp_path / "clean"
        shutil.rmtree(where, ignore_errors=True)
        shutil.copytree(bench_site, where, ignore=shutil.ignore_patterns("output", ".cache"))
        build_mod.build(Site(where), settings_file=settings, jobs=1)
        assert_same(preview_tree(preview), tree(where / "output"))
    assert preview.patches == 3, "the three answer edits were patched; the tag edit regenerated"


def kit_generators(preview) -> set[str]:
    """The generators of the kit's reader-site and retirement parts in the preview's context."""
    return {type(g).__name__ for g in preview._generators} & {"ReaderSiteGenerator", "RetirementGenerator"}


def test_a_part_of_the_kit_one_site_loaded_does_not_run_for_the_next(
    bench_site: Path, tmp_path: Path, run_floor
) -> None:
    """Pelican never disconnects a plugin: in one process (the desk, a live preview whose
    settings changed) a site that lists only the posts plugin, built after one that lists the
    whole kit, gets what a fresh process gives it, not the other site's reader pages."""
    from from_the_floor.pelican_plugin import preview as preview_mod

    build_mod.build(Site(bench_site), jobs=1)  # the whole kit, connected in this process
    settings = "bench_posts_only.py"
    conf = (bench_site / "pelicanconf.py").read_text(encoding="utf-8")
    (bench_site / settings).write_text(
        conf + '\nPLUGINS = ["from_the_floor.pelican_plugin.plugin"]\n', encoding="utf-8"
    )
    full = tree(bench_site / "output")
    shutil.rmtree(bench_site / "output")
    build_mod.build(Site(bench_site), settings_file=settings, jobs=1)
    here = tree(bench_site / "output")
    preview = preview_mod.LivePreview(Site(bench_site), settings_file=settings)
    preview.names()
    assert kit_generators(preview) == set()
    fresh = tmp_path / "fresh"
    shutil.copytree(bench_site, fresh, ignore=shutil.ignore_patterns("output", ".cache"))
    result = run_floor("build", "--settings", settings, site=fresh, today=None)
    assert result.returncode == 0, result.stderr
    assert set(full) - set(here), "the whole kit writes pages the posts alone do not"
    assert_same(here, tree(fresh / "output"))


def test_a_regeneration_formats_each_posts_url_once(bench_site: Path, tmp_path: Path, monkeypatch) -> None:
    """A change the preview cannot patch (a tag added) runs the generators again with a post's
    URL worked out once, as a build's generators have it, and its pages are a clean build's."""
    from from_the_floor.pelican_plugin import preview as preview_mod
    from pelican.contents import Article

    build_mod.build(Site(bench_site), jobs=1)
    preview = preview_mod.LivePreview(Site(bench_site))
    preview.names()
    formatted: list[tuple[int, str]] = []
    original = Article._expand_settings

    def noted(self: Article, key: str) -> str:
        formatted.append((id(self), key))
        return original(self, key)

    monkeypatch.setattr(Article, "_expand_settings", noted)
    edit_quick_answer_and_tags(bench_site)
    generations, patches, reused = preview.generations, preview.patches, preview._kept.reused
    preview.refresh()
    assert (preview.generations, preview.patches) == (generations + 1, patches)  # regenerated
    # every post's URL was asked for, but a post handed on unchanged from the last generation
    # (preview.KeptPosts), which still holds its URL from then
    handed_on = preview._kept.reused - reused
    assert len({post for post, _key in formatted}) + handed_on >= POSTS - 1
    assert len(formatted) == len(set(formatted)), "a post's URL was formatted more than once"
    monkeypatch.undo()
    assert_same(preview_tree(preview), clean_build(bench_site, tmp_path / "clean"))


def test_live_preview_refuses_a_page_with_a_contact(bench_site: Path) -> None:
    from from_the_floor.errors import FloorError
    from from_the_floor.pelican_plugin import preview as preview_mod

    build_mod.build(Site(bench_site), jobs=1)
    preview = preview_mod.LivePreview(Site(bench_site))
    post = next(
        p for p in sorted((bench_site / "content" / "floor").glob("*.md")) if "contact:" in p.read_text()
    )
    sealed = next(line for line in post.read_text().splitlines() if line.startswith("contact:")).split()[1]
    contact = opened(bench_site, sealed)
    post.write_text(post.read_text() + f"\nWrite to {contact.upper()} any time.\n", encoding="utf-8")
    slug = post.stem
    with pytest.raises(FloorError, match="contact"):
        preview.render(f"floor/{slug}/index.html")


def test_live_preview_reports_an_invalid_post(bench_site: Path) -> None:
    from from_the_floor.errors import FloorError
    from from_the_floor.pelican_plugin import preview as preview_mod

    build_mod.build(Site(bench_site), jobs=1)
    preview = preview_mod.LivePreview(Site(bench_site))
    post = sorted((bench_site / "content" / "floor").glob("*.md"))[0]
    good = post.read_text()
    post.write_text(good.replace("asked: ", "asked: not-a-date "), encoding="utf-8")
    with pytest.raises(FloorError, match="does not build"):
        preview.render("index.html")
    post.write_text(good, encoding="utf-8")
    assert preview.render("index.html") == (bench_site / "output" / "index.html").read_bytes()


def test_url_to_name() -> None:
    from from_the_floor.pelican_plugin.preview import url_to_name

    assert url_to_name("/") == "index.html"
    assert url_to_name("/floor/a-b/?x=1") == "floor/a-b/index.html"
    assert url_to_name("/feeds/all.atom.xml") == "feeds/all.atom.xml"
    assert url_to_name("/tag/caf%C3%A9/") == "tag/café/index.html"
    assert url_to_name("/../etc/passwd") == "etc/passwd"
    assert url_to_name("/%00") is None and url_to_name("/a%0Ab/") is None


def test_live_server_answers_a_nul_cleanly_and_follows_no_link_out_of_output(
    bench_site: Path, tmp_path: Path
) -> None:
    """A real server on loopback: GET /%00 is a 404 page, not a traceback; no symlink out of output/."""
    import http.client
    import threading

    from from_the_floor.pelican_plugin import preview as preview_mod

    build_mod.build(Site(bench_site), jobs=1)
    secret = tmp_path / "secret.txt"
    secret.write_text("private notes", encoding="utf-8")
    (bench_site / "output" / "notes.txt").symlink_to(secret)
    (bench_site / "output" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    server = preview_mod.make_server(preview_mod.LivePreview(Site(bench_site)), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        answers = {}
        for path in ("/%00", "/floor/%00/", "/notes.txt", "/elsewhere/secret.txt", "/"):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)
            conn.request("GET", path)
            response = conn.getresponse()
            answers[path] = (response.status, response.read())
            conn.close()
    finally:
        server.shutdown()
        server.server_close()
    assert answers["/"][0] == 200
    for path in ("/%00", "/floor/%00/", "/notes.txt", "/elsewhere/secret.txt"):
        status, body = answers[path]
        assert status == 404 and b"Traceback" not in body and b"private notes" not in body, path


# --- the pieces: shared Markdown instance, one-pass guard ---------------------------------

TRICKY_MARKDOWN = [
    "Text with a footnote.[^1]\n\n[^1]: The note.",
    "*[HTML]: Hyper Text Markup Language\n\nThe HTML spec.",
    "[a link][ref]\n\n[ref]: https://example.org/ref",
    "The HTML spec, and [ref][ref] again, and a note.[^1]",  # must not see the others' definitions
    '<div markdown="1">*inside*</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    "```python\nprint('x')\n```\n\nTerm\n: Definition",
    "",
]


def test_shared_markdown_instance_equals_a_fresh_one() -> None:
    import markdown

    for text in TRICKY_MARKDOWN * 2:
        fresh = markdown.Markdown(extensions=render.MARKDOWN_EXTENSIONS, output_format="html").convert(text)
        assert render._convert(text) == fresh
        assert render.author_markdown(text) == fresh


def _encoded(rng: random.Random, contact: str) -> str:
    """The contact as a page, a feed or a link might carry it."""
    forms = [
        contact,
        contact.upper(),
        html.escape(contact, quote=True),
        "".join(f"&#{ord(c)};" for c in contact),
        quote(contact, safe=""),
        contact.replace("@", "\\u0040"),
    ]
    return rng.choice(forms)


def test_one_pass_guard_detects_what_the_naive_scan_detects(tmp_path: Path) -> None:
    rng = random.Random(4)
    alphabet = "ab@.&<'\"%#x "
    for trial in range(150):
        contacts = {"".join(rng.choice(alphabet) for _ in range(rng.randint(4, 9))) for _ in range(4)}
        out = tmp_path / f"o{trial}"
        out.mkdir()
        for i in range(4):
            text = "".join(rng.choice(alphabet + "ABX") for _ in range(rng.randint(0, 120)))
            if rng.random() < 0.5:
                at = rng.randint(0, len(text))
                text = text[:at] + _encoded(rng, rng.choice(sorted(contacts))) + text[at:]
            (out / f"{i}.html").write_text(text, encoding="utf-8")
        alone = {c: guard.Detector({c}) for c in contacts}  # one contact at a time
        naive = [
            p
            for p in sorted(out.iterdir())
            if any(d.find(p.read_text(encoding="utf-8")) for d in alone.values())
        ]
        found = guard.scan(out, contacts)
        assert [p for p, _ in found] == naive
        for path, contact in found:
            assert alone[contact].find(path.read_text(encoding="utf-8")) == contact


def test_a_build_lets_the_parsed_questions_go_once_every_post_is_decorated(
    bench_site: Path, tmp_path: Path, monkeypatch
) -> None:
    """The questions parsed for validation, the reader and the reader's site are not held while
    the pages are signed and rendered; the pages are the same."""
    from from_the_floor.core import question as question_mod
    from from_the_floor.pelican_plugin import engine, reader_site

    held: list[int] = []
    decorating: list = []
    generate_context = reader_site.ReaderSiteGenerator.generate_context
    write_pages = engine.write_pages

    def noted(self) -> None:
        decorating.append(self)
        generate_context(self)

    def noting(jobs, *args, **kwargs):
        held.append(len(question_mod.current_parses() or {}) + sum(len(g.questions) for g in decorating))
        return write_pages(jobs, *args, **kwargs)

    monkeypatch.setattr(reader_site.ReaderSiteGenerator, "generate_context", noted)
    monkeypatch.setattr(engine, "write_pages", noting)
    want = clean_build(bench_site, tmp_path / "clean")
    build_mod.build(Site(bench_site), jobs=2)
    assert held and held[-1] == 0
    assert_same(tree(bench_site / "output"), want)


def test_a_build_lets_the_memos_go_once_they_are_saved(bench_site: Path, tmp_path: Path, monkeypatch) -> None:
    """The memos (the answers' HTML and text of the posts the build read, each post's
    decoration) are saved for the next build and then let go, before the record at the end;
    the memo folder and the pages are the same."""
    from from_the_floor.core import memo
    from from_the_floor.pelican_plugin import incremental
    from helpers_floor import saved_memo

    held: list[int] = []
    save = incremental.Plan.save

    def noting(self, output) -> None:
        held.append(sum(len(m.entries) + len(m.used) + len(m.added) for m in memo._memos.values()))
        save(self, output)

    monkeypatch.setattr(incremental.Plan, "save", noting)
    want = clean_build(bench_site, tmp_path / "clean")
    assert held and held[-1] == 0
    build_mod.build(Site(bench_site), jobs=2)
    assert held[-1] == 0
    assert_same(tree(bench_site / "output"), want)
    kept = saved_memo(bench_site / ".cache" / memo.FOLDER)
    assert kept == saved_memo(tmp_path / "clean" / ".cache" / memo.FOLDER)
    assert kept.get("author-markdown") and kept.get("html-text")
