"""An author's own tag too long for a file name, or with no letter or digit at all: the build
works (the tag's page gets an address that fits), `floor check` says why the address is cut, and
Pelican's "Unable to generate valid slug" is not printed for a tag the kit gave a slug."""

from __future__ import annotations

import re
from pathlib import Path

from from_the_floor.core import tag_slugs
from helpers_floor import ok, run_floor

# a sentence pasted into the tags by mistake: 320 letters, and its slug as long
LONG = "what to do when a customer asks for something the shop has never sold before " * 4
LONG = LONG.strip()


def _tag_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "output" / "tag").iterdir() if p.name != "index.html")


def _set_tags(path: Path, tags: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^tags: .*$", f"tags: {tags}", text, count=1, flags=re.M), encoding="utf-8")


def test_a_long_tag_in_a_question_file_is_checked_published_and_built(site: Path) -> None:
    qid = ok(run_floor("ask", "--tag", "short", "Why so long?", site=site)).strip()
    path = site / "questions" / f"{qid}.md"
    _set_tags(path, f'["{LONG}", short]')  # as the author edits it, past what intake allows a reader
    check = run_floor("check", site=site)
    assert check.returncode == 0 and "Traceback" not in check.stdout + check.stderr
    said = check.stdout + check.stderr
    assert f"{path}: tags: a tag of {len(LONG)} characters is too long for a file name" in said, said
    ok(run_floor("answer", qid, "--quick", "Yes.", "--body", "Because.", site=site))
    assert "published #1" in ok(run_floor("publish", site=site))
    build = run_floor("build", site=site)
    assert build.returncode == 0, build.stderr
    assert "File name too long" not in build.stdout + build.stderr
    pages = _tag_pages(site)
    assert len(pages) == 2
    (cut,) = [p for p in pages if p.name != "short"]
    assert len(cut.name.encode("utf-8")) <= tag_slugs.MAX_SLUG_BYTES
    assert cut.name.startswith("what-to-do-when-a-customer") and tag_slugs.shortened(cut.name, LONG)
    page = next(cut.rglob("*.html")).read_text(encoding="utf-8")
    assert LONG in page  # the tag is shown as written; only its address is cut
    post = (site / "output" / "floor" / qid / "index.html").read_text(encoding="utf-8")
    assert f"/tag/{cut.name}/" in post


def test_a_long_tag_on_an_imported_post_builds(site: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(
        f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>
<title>Do you take returns?</title><link>https://old.example/2020/05/15/returns</link><guid>g1</guid>
<pubDate>Fri, 15 May 2020 09:00:00 GMT</pubDate><category>{LONG}</category><category>shoes</category>
<description><![CDATA[<p>Within a month, and it depends on the shoe.</p>]]></description></item>
</channel></rss>""",
        encoding="utf-8",
    )
    ok(run_floor("import", feed, "--all", site=site))
    (post,) = (site / "content" / "floor").glob("*.md")
    assert LONG in post.read_text(encoding="utf-8")
    build = run_floor("build", site=site)
    assert build.returncode == 0, build.stderr
    names = [p.name for p in _tag_pages(site)]
    assert "shoes" in names and any(tag_slugs.shortened(n, LONG) for n in names), names


def test_a_tag_of_only_symbols_gets_a_page_and_no_warning(site: Path) -> None:
    qid = ok(run_floor("ask", "Party?", site=site)).strip()
    _set_tags(site / "questions" / f"{qid}.md", '["🎉", "!!"]')
    ok(run_floor("answer", qid, "--quick", "Yes.", "--body", "Because.", site=site))
    ok(run_floor("publish", site=site))
    build = run_floor("build", site=site)
    assert build.returncode == 0, build.stderr
    assert "Unable to generate valid slug" not in build.stdout + build.stderr
    names = {p.name for p in _tag_pages(site)}
    assert names == {tag_slugs.fallback("tag", "🎉"), tag_slugs.fallback("tag", "!!")}
