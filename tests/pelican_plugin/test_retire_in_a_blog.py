"""Retiring a column that lives in a blog ends the column's section, never the blog.

The blog is made by Pelican's own `pelican-quickstart` (its questions answered on
stdin, as a person would), the plugin added as the README says, and built the way
its owner builds it (`pelican content -s publishconf.py`). Issue 20: the kit used
to retire such a blog by itself four weeks after the column's first post, writing
"My Blog has ended", a final entry in the blog's own feed, and a zip and a WARC
of the whole blog.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from helpers_floor import floor_env, ok, pelican_quickstart, run_floor

BIN = Path(sys.executable).parent
OWN_POST = "Title: Hello world\nDate: 2026-10-01 10:00\nTags: misc\n\nA post of the blog's own.\n"


def quickstart_blog(root: Path) -> Path:
    pelican_quickstart(root)
    (root / "content" / "hello.md").write_text(OWN_POST, encoding="utf-8")
    # the README's steps: one PLUGINS line, the queue and the posts' folder
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nPLUGINS = ["pelican.plugins.from_the_floor"]\nFLOOR_NAME = "Ask Bea"\n')
    (root / "questions").mkdir()
    (root / "content" / "floor").mkdir()
    return root


def pelican_build(root: Path, settings: str = "publishconf.py", today: str = "2026-12-07") -> str:
    """The blog's own build (`pelican content`), which must log no error; its log on one line."""
    done = subprocess.run(
        [str(BIN / "pelican"), "content", "-s", settings],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**floor_env(today), "COLUMNS": "400"},  # one log line a message
        check=False,
    )
    assert done.returncode == 0 and "ERROR" not in done.stdout + done.stderr, done.stdout + done.stderr
    return " ".join((done.stdout + done.stderr).split())


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "pagefind" not in p.relative_to(folder).parts
    }


def test_a_blog_is_never_retired_by_the_plugin_and_retiring_ends_only_the_column(tmp_path: Path) -> None:
    blog = quickstart_blog(tmp_path / "blog")
    ok(run_floor("ask", "Why answer in public?", site=blog, today="2026-11-08"))
    ok(
        run_floor(
            "answer", "why-answer-in-public", "--quick", "Y.", "--body", "B.", site=blog, today="2026-11-08"
        )
    )
    ok(run_floor("publish", site=blog, today="2026-11-09"))
    # four weeks on, the weekly job: a blog that only added the plugin is not armed
    out = ok(run_floor("publish", site=blog, today="2026-12-07T09:17:00+00:00"))
    assert not (blog / "retired.json").exists() and "retir" not in out
    pelican_build(blog)
    before = digest(blog / "output")

    ok(run_floor("retire", site=blog, today="2026-12-07"))  # the author ends the column by hand
    pelican_build(blog)
    output = blog / "output"
    after = digest(output)
    changed = {rel for rel in before if before[rel] != after.get(rel)}
    added = set(after) - set(before)
    # the column's own pages and feeds, and nothing of the blog's: name, home, posts, feeds
    assert changed == {
        "ask/index.html",
        "stats/index.html",
        "feeds/all.json",
        "feeds/from-the-floor.atom.xml",
    }
    assert added == {"farewell/index.html", "the-complete-column/index.html", ".floor-retirement.json"}
    farewell = (output / "farewell" / "index.html").read_text(encoding="utf-8")
    assert "<title>Ask Bea has ended · My Blog</title>" in farewell and "My Blog has ended" not in farewell
    assert "zip" not in farewell and not (output / "download").exists()
    assert not (output / "_headers").exists() and not (output / ".htaccess").exists()
    assert "has ended" not in (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    feed = json.loads((output / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert feed["expired"] is True and feed["items"][0]["title"] == "Ask Bea has ended"
    assert "no longer takes questions" in (output / "ask" / "index.html").read_text(encoding="utf-8")


def test_the_scope_can_be_set_and_is_checked(tmp_path: Path) -> None:
    from from_the_floor.core import retire

    assert retire.scope_for("auto", kit_theme=True, other_articles=0) == "site"  # a floor init site
    assert retire.scope_for("auto", kit_theme=True, other_articles=3) == "section"
    assert retire.scope_for("auto", kit_theme=False, other_articles=0) == "section"  # a blog's theme
    assert retire.scope_for("site", kit_theme=False, other_articles=9) == "site"
    blog = quickstart_blog(tmp_path / "blog")
    with (blog / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('FLOOR_RETIRE_SCOPE = "blog"\n')
    report = json.loads(run_floor("check", "--json", site=blog).stdout)
    assert report["errors"][0]["field"] == "FLOOR_RETIRE_SCOPE"


def test_a_column_tag_is_written_as_the_blogs_own_posts_spell_it(tmp_path: Path) -> None:
    """Walked: in a blog whose posts say "Post Formats", `floor ask --tag "post formats"` wrote the
    column's spelling, Pelican then named the blog's own tag page after the column's tag, and
    `floor check` said nothing."""
    blog = quickstart_blog(tmp_path / "blog")
    (blog / "content" / "formats.md").write_text(
        "Title: Formats\nDate: 2026-10-02 10:00\nTags: Post Formats\n\nAbout formats.\n", encoding="utf-8"
    )
    asked = run_floor(
        "ask", "Which post format is best?", "--tag", "post formats", "--tag", "misc", site=blog
    )
    ok(asked)
    assert "tags written as the blog's own posts spell them: 'post formats' as 'Post Formats'" in asked.stderr
    qid = asked.stdout.strip().splitlines()[-1]
    text = (blog / "questions" / f"{qid}.md").read_text(encoding="utf-8")
    assert "Post Formats" in text and "post formats" not in text
    # written by hand the other way: the check names the pair, the blog's own spelling included
    (blog / "questions" / f"{qid}.md").write_text(
        text.replace("Post Formats", "post-formats"), encoding="utf-8"
    )
    said = run_floor("check", site=blog).stderr
    assert "the tags 'post-formats' and the blog's own 'Post Formats' share one page and feed" in said
