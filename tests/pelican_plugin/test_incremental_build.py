"""The build manifest: an incremental build equals a clean full build, byte for byte.

A generated `floor init` site (bench/generate_site.py) goes through random
sequences of what an author does: answers edited, tags changed, posts added,
deleted and renamed, a page edited, a template overridden and edited, the
settings edited, another day, a static file added and removed, the column
retired and taken back. After each step the incremental build's output/
must equal a clean build of the same sources (copied alone, no output/, no
cache, no manifest), and a build right after must find nothing to do.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from from_the_floor import cli
from from_the_floor.core import build_manifest
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.pelican_plugin import build as build_mod
from helpers_build import assert_same, generate_site, generated_site, spy_rendered, tree

POSTS = 14
TODAY = "2026-11-16"


def clean_build(site: Path, where: Path, today: str) -> dict[str, bytes]:
    """The reference: the sources alone, built from nothing."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(
        site, where, ignore=shutil.ignore_patterns("output", ".cache", ".*.manifest.json", ".output.*")
    )
    build_mod.build(Site(where), jobs=1, today=today)
    return tree(where / "output")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return generated_site(tmp_path / "gen", POSTS)


def posts(site: Path) -> list[Path]:
    return sorted((site / "content" / "floor").glob("*.md"))


class Author:
    """The steps, each a change to the site's sources; ``today`` is the build's day."""

    def __init__(self, site: Path, rng: random.Random) -> None:
        self.site = site
        self.rng = rng
        self.today = TODAY
        self.added = 0
        self.retired = False

    def _post(self) -> Path:
        return self.rng.choice(posts(self.site))

    def _front(self, post: Path, key: str, line: str) -> None:
        head, body = post.read_text(encoding="utf-8").split("\n---\n", 1)
        lines = [line if x.startswith(f"{key}:") else x for x in head.splitlines()]
        post.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")

    def edit_answer(self) -> None:
        post = self._post()
        post.write_text(
            post.read_text(encoding="utf-8") + f"\nA later thought, number {self.rng.random()}.\n"
        )

    def edit_quick_answer(self) -> None:
        self._front(self._post(), "quick_answer", f'quick_answer: "Shorter: {self.rng.randint(1, 999)}."')

    def edit_question(self) -> None:
        """What the neighbours, related lists and jump lists show of a post (not its identity)."""
        self._front(self._post(), "question", f'question: "Reworded, take {self.rng.randint(1, 999)}?"')

    def edit_tags(self) -> None:
        tags = self.rng.sample(["advice", "tools", "a brand new tag", "money", "writing"], 2)
        self._front(self._post(), "tags", f"tags: [{', '.join(tags)}]")

    def rename_tag(self) -> None:
        """A tag renamed in every post that has it (its tag page and feeds move)."""
        post = self._post()
        head = post.read_text(encoding="utf-8").split("\ntags: ", 1)[1].split("\n", 1)[0]
        old = head.strip("[]").split(",")[0].strip()
        if not old:
            return
        new = f"renamed {self.rng.randint(1, 99)}"
        for each in posts(self.site):
            text = each.read_text(encoding="utf-8")
            front, body = text.split("\n---\n", 1)
            lines = front.splitlines()
            for i, line in enumerate(lines):
                if line.startswith("tags: "):
                    names = [t.strip() for t in line[len("tags: ") :].strip("[]").split(",")]
                    lines[i] = "tags: [" + ", ".join(new if t == old else t for t in names) + "]"
            each.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")

    def add_post(self) -> None:
        self.added += 1
        numbers = [int(p.read_text().split("\nnumber: ")[1].split("\n")[0]) for p in posts(self.site)]
        extra = generate_site.make_posts(1, seed=100 + self.added, start_number=max(numbers) + 1)[0]
        (self.site / "content" / "floor" / f"{extra.id}.md").write_text(
            generate_site.floor_file(extra), encoding="utf-8"
        )

    def delete_post(self) -> None:
        if len(posts(self.site)) > 4:
            self._post().unlink()

    def rename_post(self) -> None:
        post = self._post()
        post.rename(post.with_name("renamed-" + post.name))

    def edit_page(self) -> None:
        about = self.site / "content" / "pages" / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")

    def _override(self, name: str, edit: str) -> None:
        """A template of the kit's theme overridden (copied once), then edited."""
        from from_the_floor import paths

        folder = self.site / "overrides"
        target = folder / name
        if not folder.exists():
            folder.mkdir()
            with (self.site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
                conf.write('\nTHEME_TEMPLATES_OVERRIDES = ["overrides"]\n')
        if not target.exists():
            target.write_text((Path(paths.THEME_DIR) / "templates" / name).read_text(encoding="utf-8"))
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("{% endblock %}", f"<p>{edit}</p>{{% endblock %}}", 1))

    def override_template(self) -> None:
        self._override("tag.html", f"edit {self.rng.randint(1, 99)}")

    def edit_post_template(self) -> None:
        """The template every post page is made from (its pages are signed from their inputs)."""
        self._override("article.html", f"post edit {self.rng.randint(1, 99)}")

    def edit_site_url(self) -> None:
        """A setting every post's decoration reads (its URL in JSON-LD and share links)."""
        with (self.site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
            conf.write(f'\nSITEURL = "https://example.org/column{self.rng.randint(1, 99)}"\n')

    def edit_settings(self) -> None:
        with (self.site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
            conf.write(f'\nSITENAME = "Bench column {self.rng.randint(1, 99)}"\n')

    def next_day(self) -> None:
        day = int(self.today[-2:]) + self.rng.choice([1, 7])
        self.today = f"2026-11-{min(day, 28):02d}"

    def add_static(self) -> None:
        images = self.site / "content" / "images"
        images.mkdir(exist_ok=True)
        (images / f"pic-{self.rng.randint(1, 3)}.png").write_bytes(
            b"\x89PNG\r\n\x1a\n" + bytes(self.rng.randbytes(16))
        )

    def remove_static(self) -> None:
        for pic in sorted((self.site / "content" / "images").glob("*.png"))[:1]:
            pic.unlink()

    def retire_or_unretire(self) -> None:
        args = ["unretire"] if self.retired else ["retire", "--force"]
        result = CliRunner().invoke(cli.main, ["--site", str(self.site), "--today", self.today, *args])
        assert result.exit_code == 0, result.output
        self.retired = not self.retired


STEPS: list[Callable[[Author], None]] = [
    Author.edit_answer,
    Author.edit_quick_answer,
    Author.edit_question,
    Author.edit_tags,
    Author.rename_tag,
    Author.add_post,
    Author.delete_post,
    Author.rename_post,
    Author.edit_page,
    Author.override_template,
    Author.edit_post_template,
    Author.edit_site_url,
    Author.edit_settings,
    Author.next_day,
    Author.add_static,
    Author.remove_static,
    Author.retire_or_unretire,
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_builds_equal_clean_builds_through_random_edits(
    site: Path, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    author = Author(site, rng)
    jobs = 2 if seed == 2 else 1  # with two, a worker makes the staging folder as the generators read
    build_mod.build(Site(site), jobs=jobs, today=author.today)
    # every step at least once across the three seeds (a third of them each), in a random
    # order, then a few more at random
    own = STEPS[seed - 1 :: 3]
    steps = rng.sample(own, k=len(own)) + rng.choices(STEPS, k=3)
    for step in steps:
        step(author)
        counts = build_mod.build(Site(site), jobs=jobs, today=author.today)
        want = clean_build(site, tmp_path / "clean", author.today)
        got = tree(site / "output")
        assert sorted(got) == sorted(want), f"after {step.__name__}: files differ"
        assert_same(got, want)
        again = build_mod.build(Site(site), jobs=jobs, today=author.today)
        assert again.unchanged, f"after {step.__name__}: a second build still found work: {again}"
        assert counts.rendered + counts.kept > 0 or counts.unchanged


def test_one_answer_edited_renders_a_handful_of_pages(site: Path) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    Author(site, random.Random(5)).edit_answer()
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert not counts.unchanged
    assert 0 < counts.rendered < counts.kept, counts  # its page, its lists and feeds, not the site


def test_an_edit_later_the_same_day_keeps_the_stats_and_about_pages(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    """The kit's templates show only the day of the build's moment: an answer edited and built
    an hour later renders its post again, not the Stats and About pages (both read the moment,
    which was signed to the microsecond), and output/ is a clean build's at that later moment."""
    morning, later = f"{TODAY}T10:15:00+00:00", f"{TODAY}T11:40:30.250000+00:00"
    build_mod.build(Site(site), jobs=1, today=morning)
    about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
    assert f'Forecast as of <time datetime="{TODAY}">' in about  # it shows the day
    Author(site, random.Random(5)).edit_answer()
    rendered = spy_rendered(monkeypatch)
    build_mod.build(Site(site), jobs=1, today=later)
    assert any(name.startswith("floor/") for name in rendered), rendered
    assert "stats/index.html" not in rendered and "about/index.html" not in rendered, rendered
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", later))
    # the next day both show the new day
    rendered.clear()
    build_mod.build(Site(site), jobs=1, today="2026-11-17T08:00:00+00:00")
    assert {"stats/index.html", "about/index.html"} <= set(rendered), rendered


def test_a_template_of_the_sites_own_that_shows_the_time_is_rendered_again(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    """Only the kit's own templates are known to show nothing but the day: a Stats page the
    site overrides to show the build's time is rendered at every build, as it changes."""
    from from_the_floor import paths

    folder = site / "overrides"
    folder.mkdir()
    kit = (Path(paths.THEME_DIR) / "templates" / "stats.html").read_text(encoding="utf-8")
    shown = '<p class="built">{{ floor_stats.now.strftime("%H:%M:%S") }}</p>{% endblock %}'
    (folder / "stats.html").write_text(kit.replace("{% endblock %}", shown, 1), encoding="utf-8")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nTHEME_TEMPLATES_OVERRIDES = ["overrides"]\n')
    build_mod.build(Site(site), jobs=1, today=f"{TODAY}T10:15:00+00:00")
    Author(site, random.Random(5)).edit_answer()
    rendered = spy_rendered(monkeypatch)
    later = f"{TODAY}T11:40:30+00:00"
    build_mod.build(Site(site), jobs=1, today=later)
    assert "stats/index.html" in rendered and "about/index.html" not in rendered, rendered
    page = (site / "output" / "stats" / "index.html").read_text(encoding="utf-8")
    assert '<p class="built">11:40:30</p>' in page
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", later))


def test_the_signer_is_let_go_before_the_pages_render(site: Path, monkeypatch) -> None:
    """Rendering is where a build's own process peaks: the signer's memos (every post's digests,
    lists and probes) are gone by then, and the record still holds each post's digests."""
    from from_the_floor.pelican_plugin import engine, page_signatures

    made: list[weakref.ref] = []
    init = page_signatures.Signer.__init__

    def noted(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        made.append(weakref.ref(self))

    alive_when_rendering: list[list[bool]] = []
    write_pages = engine.write_pages

    def rendering(*args, **kwargs):
        alive_when_rendering.append([ref() is not None for ref in made])
        return write_pages(*args, **kwargs)

    monkeypatch.setattr(page_signatures.Signer, "__init__", noted)
    monkeypatch.setattr(engine, "write_pages", rendering)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert len(made) == 1 and alive_when_rendering == [[False]]
    records = json.loads(_manifest(site).read_text(encoding="utf-8").splitlines()[1])["posts"]
    assert sorted(records) == sorted(p.relative_to(site).as_posix() for p in posts(site))
    assert all(isinstance(record[0], str) and isinstance(record[2], str) for record in records.values())


def test_nothing_changed_stops_before_pelican_and_full_renders_everything(site: Path, monkeypatch) -> None:
    first = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert first.kept == 0 and first.rendered > 0
    import from_the_floor.pelican_plugin.engine as engine

    def no_pelican(*_args, **_kwargs):
        raise AssertionError("Pelican ran although nothing changed")

    monkeypatch.setattr(engine, "run", no_pelican)
    assert build_mod.build(Site(site), jobs=1, today=TODAY).unchanged
    monkeypatch.undo()
    full = build_mod.build(Site(site), jobs=1, today=TODAY, full=True)
    assert full.kept == 0 and full.rendered == first.rendered


def test_a_fresh_checkout_with_new_mtimes_is_still_unchanged(site: Path) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    for path in (site / "content").rglob("*.md"):
        path.write_bytes(path.read_bytes())  # same bytes, new mtime: what a git checkout does
    assert build_mod.build(Site(site), jobs=1, today=TODAY).unchanged


def _manifest(site: Path) -> Path:
    return build_manifest.path_for(site / "output")


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda m: m.write_text("{not json", encoding="utf-8"), id="corrupt"),
        pytest.param(lambda m: m.write_bytes(b""), id="empty"),
        pytest.param(lambda m: m.unlink(), id="missing"),
        pytest.param(lambda m: _edit_record(m, head={"kit": "0.0.1"}), id="another-kit-version"),
        pytest.param(lambda m: _edit_record(m, body={"kit": "0.0.1"}), id="another-kit-in-the-record"),
        pytest.param(lambda m: _edit_record(m, body={"key": "0" * 32}), id="other-settings"),
    ],
)
def test_an_untrusted_manifest_means_a_full_render(site: Path, tmp_path: Path, spoil) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    Author(site, random.Random(3)).edit_answer()
    spoil(_manifest(site))
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert counts.kept == 0 and not counts.unchanged
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def test_settings_from_another_build_are_never_trusted(site: Path) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nDEFAULT_PAGINATION = 3\n")
    assert build_mod.build(Site(site), jobs=1, today=TODAY).kept == 0


def test_a_changed_or_deleted_output_file_is_made_again(site: Path, tmp_path: Path) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    page = next((site / "output" / "floor").glob("*/index.html"))
    page.write_text("tampered", encoding="utf-8")
    (site / "output" / "index.html").unlink()
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert counts.rendered == 2, counts
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def test_publishconf_builds_are_incremental_too(site: Path, tmp_path: Path) -> None:
    """DELETE_OUTPUT_DIRECTORY: a trusted manifest keeps pages and removes what is gone instead."""
    build_mod.build(Site(site), settings_file="publishconf.py", jobs=1, today=TODAY)
    Author(site, random.Random(4)).edit_answer()
    assert build_mod.build(Site(site), settings_file="publishconf.py", jobs=1, today=TODAY).kept > 0
    gone = posts(site)[2]
    slug_page = site / "output" / "floor" / gone.stem / "index.html"
    assert slug_page.exists()
    gone.unlink()
    counts = build_mod.build(Site(site), settings_file="publishconf.py", jobs=1, today=TODAY)
    assert counts.removed >= 1
    assert not slug_page.exists()
    where = tmp_path / "clean"
    shutil.copytree(
        site, where, ignore=shutil.ignore_patterns("output", ".cache", ".*.manifest.json", ".output.*")
    )
    build_mod.build(Site(where), settings_file="publishconf.py", jobs=1, today=TODAY)
    assert_same(tree(site / "output"), tree(where / "output"))


def test_the_manifest_holds_no_contact(site: Path) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    text = _manifest(site).read_text(encoding="utf-8").casefold()
    from from_the_floor.core import guard
    from from_the_floor.pelican_plugin.plugin import contact_folders

    contacts = guard.contacts_in(contact_folders({"PATH": str(site / "content")}))
    assert contacts, "the generated site has contacts"
    assert not [c for c in contacts if c.casefold() in text]


def test_a_new_contact_already_shown_on_a_kept_page_is_still_refused(site: Path) -> None:
    """The guard's saved verdicts hold only for the same contacts: a new one means a full scan."""
    build_mod.build(Site(site), jobs=1, today=TODAY)
    shown = posts(site)[4]
    address = "kept.page.reader@example.net"
    shown.write_text(shown.read_text(encoding="utf-8") + f"\nAs {address} once said.\n", encoding="utf-8")
    build_mod.build(Site(site), jobs=1, today=TODAY)  # not a contact yet: published as text
    before = tree(site / "output")
    queued = sorted((site / "questions").glob("*.md"))[0]
    text = queued.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    head = "\n".join(x for x in head.splitlines() if not x.startswith("contact:")) + f"\ncontact: {address}"
    queued.write_text(head + "\n---\n" + body, encoding="utf-8")
    with pytest.raises(FloorError, match="contact detail") as info:
        build_mod.build(Site(site), jobs=1, today=TODAY)
    assert f"content/floor/{shown.name}, line" in info.value.message  # checked at the source
    assert tree(site / "output") == before  # refused: output/ is the last good build


def test_the_weekly_job_renders_what_the_week_changed(site: Path, tmp_path: Path) -> None:
    """`floor publish` moves one answer in; the build keeps most pages (the plan's forecast, which
    the retirement plugin puts in the settings each build, does not make the manifest untrusted)."""
    import datetime as dt

    build_mod.build(Site(site), jobs=1, today=TODAY)
    day = generate_site.LAST_POST_DAY + dt.timedelta(days=7)
    result = CliRunner().invoke(cli.main, ["--site", str(site), "--today", day.isoformat(), "publish"])
    assert result.exit_code == 0 and "published #" in result.output, result.output
    counts = build_mod.build(Site(site), jobs=1, today=day.isoformat())
    assert counts.kept > 0, counts
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", day.isoformat()))


def test_a_build_with_nothing_changed_never_imports_pelican(site: Path) -> None:
    """The build that finds nothing changed answers from its record alone; importing Pelican
    (its generators' modules, Jinja, Markdown) would double its time (0.18 -> 0.35 s at 1,000
    posts, the fourteenth session's bench, when the build module imported retirement's)."""
    import subprocess
    import sys
    import textwrap

    build_mod.build(Site(site), jobs=1, today=TODAY)
    code = textwrap.dedent(
        f"""
        import sys
        from from_the_floor.cli import main
        main(["--site", {str(site)!r}, "--today", {TODAY!r}, "build"], standalone_mode=False)
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in {{"pelican", "jinja2", "markdown"}})
        assert not heavy, heavy
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "nothing changed since the last build" in done.stdout


def test_an_edit_build_never_imports_yaml_in_its_own_process(site: Path) -> None:
    """The questions' worker parses the changed files; the build's own process parses none,
    and importing PyYAML and python-frontmatter there (the contact guard's module did, at its
    top) cost about 20 ms of every weekly and edit build's critical path."""
    import subprocess
    import sys
    import textwrap

    build_mod.build(Site(site), jobs=1, today=TODAY)
    with posts(site)[2].open("a", encoding="utf-8") as post:
        post.write("\nOne more sentence, added later.\n")
    code = textwrap.dedent(
        f"""
        import sys
        from from_the_floor.cli import main
        main(["--site", {str(site)!r}, "--today", {TODAY!r}, "build"], standalone_mode=False)
        assert "pelican" in sys.modules  # (it did build)
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in {{"yaml", "frontmatter"}})
        assert not loaded, loaded
        assert "from_the_floor.core.frontmatter_text" not in sys.modules
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "rendered" in done.stdout and "kept" in done.stdout, done.stdout


def test_the_command_says_what_it_rendered_kept_and_removed(site: Path) -> None:
    from helpers_floor import ok, run_floor

    first = ok(run_floor("build", site=site, today=TODAY))
    assert "rendered" in first and "kept" not in first
    assert "nothing changed since the last build" in ok(run_floor("build", site=site, today=TODAY))
    posts(site)[1].unlink()
    said = ok(run_floor("build", site=site, today=TODAY))
    assert "kept" in said and "removed" in said and "no longer made" in said
    full = ok(run_floor("build", "--full", site=site, today=TODAY))
    assert "kept" not in full and "rendered" in full
    (site / "output" / "index.html").write_text("hand-edited", encoding="utf-8")
    fixed = ok(run_floor("build", site=site, today=TODAY))
    assert "rendered 1 of" in fixed, fixed


def test_a_settings_module_in_a_subfolder_is_a_build_input(site: Path) -> None:
    """pelicanconf.py importing the site's own module from a folder: an edit to it rebuilds."""
    package = site / "site_settings"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "names.py").write_text('SITENAME = "Alpha Column"\n', encoding="utf-8")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nfrom site_settings.names import SITENAME  # noqa\n")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert "Alpha Column" in (site / "output" / "index.html").read_text(encoding="utf-8")
    (package / "names.py").write_text('SITENAME = "Omega Column"\n', encoding="utf-8")
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert not counts.unchanged
    assert "Omega Column" in (site / "output" / "index.html").read_text(encoding="utf-8")


def _same_stat_write(path: Path, data: bytes) -> None:
    """Replace a file's bytes and put its size and mtime back, as a careful tamperer would."""
    st = path.stat()
    assert len(data) == st.st_size
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _tamper(page: Path) -> bytes:
    old = page.read_bytes()
    new = old.replace(b"<p>", b"<p>X", 1)[: len(old)]
    assert new != old
    _same_stat_write(page, new)
    return new


def test_a_restored_output_in_another_folder_keeps_everything(site: Path, tmp_path: Path) -> None:
    """A fresh checkout elsewhere (new mtimes on every file) with last build's output/, .cache
    and manifest restored: nothing is rendered again, and one edit renders a handful."""
    build_mod.build(Site(site), jobs=1, today=TODAY)
    moved = tmp_path / "elsewhere" / "column"
    shutil.copytree(site, moved, copy_function=shutil.copy)  # shutil.copy: every mtime is new
    assert build_mod.build(Site(moved), jobs=1, today=TODAY).unchanged
    Author(moved, random.Random(5)).edit_answer()
    Author(site, random.Random(5)).edit_answer()  # the same edit where it was built
    counts = build_mod.build(Site(moved), jobs=1, today=TODAY)
    assert counts == build_mod.build(Site(site), jobs=1, today=TODAY), "what an edit in place renders"
    assert 0 < counts.rendered < counts.kept, counts
    assert_same(tree(moved / "output"), clean_build(moved, tmp_path / "clean", TODAY))


def test_an_output_changed_with_its_size_and_mtime_put_back_is_made_again(site: Path, tmp_path: Path) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    page = next((site / "output" / "floor").glob("*/index.html"))
    _tamper(page)
    style = next((site / "output" / "theme").rglob("*.css"))  # a static file, not a recorded page
    _same_stat_write(style, b"*" * style.stat().st_size)
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert not counts.unchanged and counts.replaced == 2 and counts.rendered == 1, counts
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def test_a_file_no_build_made_is_not_published(site: Path, tmp_path: Path) -> None:
    build_mod.build(Site(site), jobs=1, today=TODAY)
    (site / "output" / "floor" / "planted.html").write_text("<p>not from the sources</p>", encoding="utf-8")
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert counts.foreign == 1 and "no build made" in counts.describe()
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def _record(path: Path) -> tuple[dict, dict]:
    """The manifest's first line (format, kit, signature) and the record it signs."""
    head, body = path.read_text(encoding="utf-8").split("\n", 1)
    return json.loads(head), json.loads(body)


def _edit_record(path: Path, head: dict | None = None, body: dict | None = None) -> None:
    old_head, old_body = _record(path)
    text = json.dumps({**old_head, **(head or {})}) + "\n" + json.dumps({**old_body, **(body or {})})
    path.write_text(text, encoding="utf-8")


def _forge_record(site: Path, page: Path) -> None:
    """Make the manifest's record of ``page`` match its (tampered) bytes."""
    path = _manifest(site)
    head, data = _record(path)
    rel = page.relative_to(site / "output").as_posix()
    st = page.stat()
    data["outputs"][rel][0:2] = [st.st_size, st.st_mtime_ns]
    data["outputs"][rel][4] = build_manifest.digest_file(page)
    path.write_text(json.dumps(head) + "\n" + json.dumps(data), encoding="utf-8")


def test_with_the_key_a_record_edited_to_match_a_tampered_output_is_refused(
    site: Path, tmp_path: Path
) -> None:
    assert (site / ".floor" / "age-key.txt").is_file(), "the generated site has its private key"
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert "mac" in _record(_manifest(site))[0], "signed with the key"
    page = next((site / "output" / "floor").glob("*/index.html"))
    _tamper(page)
    _forge_record(site, page)
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert counts.distrusted and counts.kept == 0 and "signature" in counts.describe(), counts
    assert not counts.unsigned, "a signed record that does not match is not called unsigned"
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))
    assert build_mod.build(Site(site), jobs=1, today=TODAY).unchanged, "signed again: trusted"


def _without_key(site: Path) -> None:
    """The site as a machine without the private key sees it: no key, no sealed contacts."""
    (site / ".floor" / "age-key.txt").unlink()
    for path in [*(site / "content").rglob("*.md"), *(site / "questions").glob("*.md")]:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(x for x in lines if not x.startswith("contact:")), encoding="utf-8")


def test_without_the_key_the_record_is_unsigned_and_each_kept_output_is_still_checked(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv("FLOOR_AGE_KEY", raising=False)
    _without_key(site)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert "mac" not in _record(_manifest(site))[0]
    _tamper(next((site / "output" / "floor").glob("*/index.html")))
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert counts.replaced == 1 and counts.rendered == 1, counts
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))
    # the key arrives (FLOOR_AGE_KEY in CI): an unsigned record is not trusted, once
    monkeypatch.setenv("FLOOR_AGE_KEY", generate_site.BENCH_KEY[0])
    again = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert again.distrusted and again.kept == 0, again
    assert "made without this column's private key" in again.describe(), "it says why, not tampering"
    assert build_mod.build(Site(site), jobs=1, today=TODAY).unchanged


def test_a_refused_build_leaves_output_as_it_was_though_staging_held_hard_links(site: Path) -> None:
    """Every write into the staging folder replaces its file, so output/'s linked files never change."""
    build_mod.build(Site(site), jobs=1, today=TODAY)
    Author(site, random.Random(6)).edit_answer()
    build_mod.build(Site(site), jobs=1, today=TODAY)  # started from hard links to the first output/
    page = site / "output" / "index.html"
    assert page.stat().st_nlink > 1, "the last build's files are shared with its spare"
    before = tree(site / "output")
    Author(site, random.Random(7)).add_static()
    Author(site, random.Random(8)).edit_tags()  # changes pages that are linked into the staging folder
    shown = posts(site)[3]
    address = "linked.reader@example.net"
    shown.write_text(shown.read_text(encoding="utf-8") + f"\nWrite to {address}.\n", encoding="utf-8")
    queued = sorted((site / "questions").glob("*.md"))[0]
    lines = queued.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [x for x in lines if not x.startswith("contact:")]
    kept.insert(1, f"contact: {address}\n")
    queued.write_text("".join(kept), encoding="utf-8")
    with pytest.raises(FloorError, match="contact detail"):
        build_mod.build(Site(site), jobs=1, today=TODAY)
    assert_same(tree(site / "output"), before)


def test_another_plugin_listening_means_copies_not_links() -> None:
    from from_the_floor.pelican_plugin import engine
    from pelican import signals

    def rewrites_pages(path, context=None):  # a plugin that might edit a written page in place
        return None

    assert engine.links_are_safe()
    signals.content_written.connect(rewrites_pages)
    try:
        assert not engine.links_are_safe()
        assert __name__ in engine.foreign_receivers()
    finally:
        signals.content_written.disconnect(rewrites_pages)
    assert engine.links_are_safe()


NOTICE: list[Path] = []  # the data file the plugin below reads, outside the build's inputs


def adds_the_notice(content) -> None:
    """A blog's plugin that shows a file of its own on every post, as pelican-webring shows feeds
    it fetched or a data-files plugin a folder beside content/ (a module-level receiver, as
    Pelican's signals hold them weakly)."""
    if NOTICE and getattr(content, "_content", None) is not None:
        content._content += f"<p>{NOTICE[0].read_text(encoding='utf-8').strip()}</p>"


def test_another_plugin_listening_means_pelican_runs_every_build_and_says_so(site: Path) -> None:
    """The check before Pelican knows only the build's inputs: with another plugin listening, a
    build whose inputs had not changed stopped at "nothing changed" and kept what the plugin
    had shown a week before."""
    from pelican import signals

    notice = site / "data" / "notice.txt"
    notice.parent.mkdir()
    notice.write_text("Closed on Monday.", encoding="utf-8")
    NOTICE[:] = [notice]
    signals.content_object_init.connect(adds_the_notice)
    try:
        first = build_mod.build(Site(site), jobs=1, today=TODAY)
        assert "other plugins listen to Pelican (" in first.describe() and __name__ in first.describe()
        page = site / "output" / "floor" / posts(site)[0].stem / "index.html"
        assert "Closed on Monday." in page.read_text(encoding="utf-8")
        notice.write_text("Open on Monday.", encoding="utf-8")
        again = build_mod.build(Site(site), jobs=1, today=TODAY)
        assert not again.unchanged
        assert "Open on Monday." in page.read_text(encoding="utf-8")
        assert again.kept, "pages that show nothing of it are still kept"
    finally:
        signals.content_object_init.disconnect(adds_the_notice)
        NOTICE.clear()
    alone = build_mod.build(Site(site), jobs=1, today=TODAY)  # the plugin gone: a settled build
    assert "other plugins" not in alone.describe()
    assert build_mod.build(Site(site), jobs=1, today=TODAY).unchanged


def test_one_more_post_leaves_other_tags_pages_and_feeds_alone(site: Path, monkeypatch) -> None:
    """Tag pages list posts by their cards and feeds read only their entries: a new post's
    neighbours changing (its predecessor's "next" link, related lists) touch no other tag."""
    from from_the_floor.pelican_plugin.slugs import pelican_slug

    build_mod.build(Site(site), jobs=1, today=TODAY)
    rendered = spy_rendered(monkeypatch)
    before = set(posts(site))
    Author(site, random.Random(9)).add_post()
    (new,) = set(posts(site)) - before
    head = new.read_text(encoding="utf-8").split("\ntags: ", 1)[1].split("\n", 1)[0]
    slugs = {pelican_slug(t.strip(" \"'"), {}) for t in head.strip("[]").split(",")}
    build_mod.build(Site(site), jobs=1, today=TODAY)
    tag_outputs = [r for r in rendered if r.startswith(("tag/", "feeds/tag/"))]
    assert tag_outputs, "the new post's own tags are rendered"
    others = [
        r for r in tag_outputs if r.split("/")[-2 if r.startswith("tag/") else -1].split(".")[0] not in slugs
    ]
    assert others == [], f"tags the new post does not have: {others[:5]}"
    all_tags = {p.parent.name for p in (site / "output" / "tag").glob("*/index.html")}
    assert all_tags - slugs, "the site has other tags to leave alone"


def _catalogue(folder: Path, link_word: str, button_word: str = "Search") -> None:
    """A site plugin's own message catalogue (as i18n_subsites installs a theme's), compiled."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="en")
    catalog.add("Archives", link_word)
    catalog.add("Search", button_word, context="button")  # the search button's own word (pgettext)
    target = folder / "translations" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / "messages.mo").open("wb") as out:
        write_mo(out, catalog)


def _catalogue_plugin(site: Path, name: str) -> Path:
    """A site plugin (plugins/NAME) that installs its own catalogue, as i18n_subsites does."""
    plugin = site / "plugins" / name
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(
        "from pathlib import Path\n"
        "from babel.support import Translations\n"
        "from pelican import signals\n\n"
        "def install(generator):\n"
        "    env = getattr(generator, 'env', None)\n"
        "    if env is not None:\n"
        "        words = Translations.load(str(Path(__file__).parent / 'translations'), ['en'])\n"
        "        env.install_gettext_translations(words, newstyle=True)\n\n"
        "def register():\n"
        "    signals.generator_init.connect(install)\n",
        encoding="utf-8",
    )
    return plugin


def test_a_changed_message_catalogue_renders_again(site: Path, tmp_path: Path) -> None:
    """A site plugin's .mo is read by no template and held by no value, yet its words are on
    every page: changing it must not leave last week's words on kept pages."""
    plugin = _catalogue_plugin(site, "words")
    _catalogue(plugin, "Old posts")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nPLUGIN_PATHS = ["plugins"]\nPLUGINS = PLUGINS + ["words"]\n')
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert b"Old posts" in (site / "output" / "index.html").read_bytes()
    _catalogue(plugin, "Earlier posts")
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert counts.kept == 0, counts
    assert b"Earlier posts" in (site / "output" / "index.html").read_bytes()
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def test_a_changed_word_of_the_search_button_renders_again(site: Path, tmp_path: Path) -> None:
    """The search button's word has a message context of its own (pgettext, apart from the
    navigation's "Search"): a catalogue that changes only that word is on the pages again."""
    plugin = _catalogue_plugin(site, "button_words")  # not "words": a module of that name stays imported
    _catalogue(plugin, "Archives", "Look up")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nPLUGIN_PATHS = ["plugins"]\nPLUGINS = PLUGINS + ["button_words"]\n')
        conf.write("FLOOR_SEARCH = True\n")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    page = (site / "output" / "search" / "index.html").read_text(encoding="utf-8")
    assert '<button type="submit">Look up</button>' in page
    assert ">Search</a>" in page  # the navigation's word is another entry
    _catalogue(plugin, "Archives", "Find")
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert counts.kept == 0, counts
    page = (site / "output" / "search" / "index.html").read_text(encoding="utf-8")
    assert '<button type="submit">Find</button>' in page and "Look up" not in page
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))


def test_the_kit_installed_again_keeps_pelicans_cached_posts(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI runner installs the same kit afresh each week: its catalogues come back with new file
    times and the same bytes. The key Pelican's cached posts are read under must not move with
    those times, or the weekly build reads and converts every post again."""
    from from_the_floor.core import i18n
    from from_the_floor.pelican_plugin import plugin

    locale = tmp_path / "locale"  # the kit's catalogues, as another install would hold them
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    later = time.time() + 3600
    catalogues = sorted(locale.glob("*/LC_MESSAGES/*.mo"))
    assert catalogues
    for mo in catalogues:
        os.utime(mo, (later, later))
    read: list[str] = []
    original = plugin.FloorMarkdownReader.read

    def counted(self, source_path):
        read.append(Path(source_path).name)
        return original(self, source_path)

    monkeypatch.setattr(plugin.FloorMarkdownReader, "read", counted)
    post = posts(site)[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more thought.\n", encoding="utf-8")
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert read == [post.name]
    assert_same(tree(site / "output"), clean_build(site, tmp_path / "clean", TODAY))
    # the bytes still decide: a catalogue that says something else is another key
    stamp = i18n.catalogue_stamp()
    with catalogues[0].open("ab") as mo:
        mo.write(b"\0")
    assert i18n.catalogue_stamp() != stamp


def _settled(site: Path) -> None:
    """Every source back-dated and left alone for longer than the racy window (parse_cache.RACY_NS):
    the next build trusts their stat, as it would an author's week-old files."""
    then = time.time() - 3600
    for path in site.rglob("*"):
        if path.is_file() and "output" not in path.relative_to(site).parts:
            os.utime(path, (then, then))
    time.sleep(build_manifest.RACY_NS / 1e9 + 0.1)  # their ctime, which utime just moved, too


def test_a_same_size_edit_with_its_mtime_put_back_is_built(site: Path) -> None:
    """An answer edited without changing its size, its mtime put back (``touch -d``, a sync tool):
    the ctime moved, so the build reads it again instead of saying nothing changed."""
    _settled(site)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    post = posts(site)[0]
    text = post.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    word = next(w for w in body.split() if w.isalpha() and w.islower() and len(w) > 3)
    edited = head + "\n---\n" + body.replace(word, word.upper(), 1)  # the same size
    st = post.stat()
    post.write_text(edited, encoding="utf-8")
    os.utime(post, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert post.stat().st_size == st.st_size and post.stat().st_mtime_ns == st.st_mtime_ns
    counts = build_mod.build(Site(site), jobs=1, today=TODAY)
    assert not counts.unchanged and counts.rendered > 0, counts
    slug = next(line for line in text.splitlines() if line.startswith("slug:")).split(":", 1)[1].strip()
    page = next((site / "output").rglob(f"{slug}/index.html"))
    assert word.upper() in page.read_text(encoding="utf-8")


def test_floor_queue_sees_a_same_size_edit_with_its_mtime_put_back(site: Path) -> None:
    """The parse cache keys each question file by its ctime as well (parse_cache.stamp_of)."""
    queued = sorted((site / "questions").glob("*.md"))[0]
    text = queued.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("question:"))
    _settled(site)
    runner = CliRunner()
    env = {"FLOOR_TODAY": TODAY}
    first = runner.invoke(cli.main, ["--site", str(site), "queue", "--json"], env=env)
    assert first.exit_code == 0, first.output
    words = line.split(":", 1)[1].strip().strip("\"'")
    changed = words[:-2] + ("QQ" if words[-2:] != "QQ" else "RR")
    st = queued.stat()
    queued.write_text(text.replace(words, changed, 1), encoding="utf-8")
    os.utime(queued, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert queued.stat().st_size == st.st_size and queued.stat().st_mtime_ns == st.st_mtime_ns
    again = runner.invoke(cli.main, ["--site", str(site), "queue", "--json"], env=env)
    assert again.exit_code == 0, again.output
    shown = {item["id"]: item["question"] for item in json.loads(again.output)}
    assert shown[queued.stem] == changed


def test_the_pages_are_written_with_the_site_frozen_and_nothing_stays_frozen(site: Path, monkeypatch) -> None:
    """core/heap.py: no cycle collection while the generators make the site and its pages are
    signed, the site out of the collector's full passes while the pages are written, and
    everything as it was once the build ends, failed or not."""
    import gc

    from from_the_floor.pelican_plugin import engine, incremental

    seen: list[tuple[str, bool, int]] = []
    real_generate, real_before_writing = engine.generate, incremental.Plan.before_writing
    real_write = engine.write_pages

    def generate(*args, **kwargs):
        seen.append(("generators", gc.isenabled(), gc.get_freeze_count()))
        return real_generate(*args, **kwargs)

    def before_writing(self, *args, **kwargs):
        seen.append(("signing", gc.isenabled(), gc.get_freeze_count()))
        return real_before_writing(self, *args, **kwargs)

    def write_pages(*args, **kwargs):
        seen.append(("writing", gc.isenabled(), gc.get_freeze_count()))
        return real_write(*args, **kwargs)

    monkeypatch.setattr(engine, "generate", generate)
    monkeypatch.setattr(incremental.Plan, "before_writing", before_writing)
    monkeypatch.setattr(engine, "write_pages", write_pages)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert [(step, on) for step, on, _frozen in seen] == [
        ("generators", False),
        ("signing", False),
        ("writing", True),
    ], "no collection while the site is made and signed"
    assert seen[2][2] > 10_000, "the site (its posts, pages and lists) is frozen while pages are written"
    assert gc.isenabled() and gc.get_freeze_count() == 0

    def broken(*_args, **_kwargs):
        seen.append(("writing", gc.isenabled(), gc.get_freeze_count()))
        raise OSError("the disk is full")

    monkeypatch.setattr(engine, "write_pages", broken)
    with pytest.raises(FloorError):
        build_mod.build(Site(site), jobs=1, today=TODAY, full=True)
    assert len(seen) == 6 and seen[5][1] and seen[5][2] > 10_000
    assert gc.isenabled() and gc.get_freeze_count() == 0, "a failed build leaves everything as it was"


def test_a_build_pelican_runs_whole_collects_as_it_always_did(site: Path, monkeypatch) -> None:
    """A site the engine cannot split (a custom PELICAN_CLASS or writer) is built by Pelican's
    own run, which makes and writes the site in one go: the collector is on for all of it,
    not left off from reading the settings to the last page."""
    import gc

    from from_the_floor.pelican_plugin import engine
    from pelican import Pelican

    seen: list[bool] = []
    real_run = Pelican.run

    def run(self):
        seen.append(gc.isenabled())
        return real_run(self)

    monkeypatch.setattr(engine, "can_split", lambda _instance: False)
    monkeypatch.setattr(Pelican, "run", run)
    build_mod.build(Site(site), jobs=1, today=TODAY)
    assert seen == [True], "collection goes on while Pelican builds the whole site"
    assert gc.isenabled() and gc.get_freeze_count() == 0
