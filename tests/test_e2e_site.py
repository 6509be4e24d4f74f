"""End to end: `floor init` → ask → answer → publish → build, with the real CLI and Pelican."""

from __future__ import annotations

import filecmp
import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.core.queue import question_files
from helpers_floor import REPO, assert_inert, ok, opened, run_floor

ATOM = "{http://www.w3.org/2005/Atom}"


def output_files(site: Path) -> dict[Path, str]:
    """Every output file as text; gzip (the search index) is opened, so its words count too."""
    out = site / "output"
    files = {}
    for p in sorted(out.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            files[p] = data.decode("utf-8", errors="replace")
    return files


def feed_html(path: Path) -> list[str]:
    """The HTML an Atom or RSS reader would render: entry content, summaries, descriptions."""
    root = ET.parse(path).getroot()
    tags = (f"{ATOM}content", f"{ATOM}summary", "description")
    return [el.text or "" for el in root.iter() if el.tag in tags]


@pytest.fixture(scope="module")
def column(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two weeks of a real column: one credited asker, one not, each published and built.

    Shared by the tests below, which only read it (publishing again changes nothing).
    """
    tmp_path = tmp_path_factory.mktemp("e2e")
    site = tmp_path / "my column"  # a space in the path, as authors' folders often have
    out = ok(run_floor("init", site, "--title", "Ask Me Anything", "--author", "Robin", cwd=tmp_path))
    assert "Created the column" in out
    assert not list((site / "questions").glob("*.md"))

    first = ok(
        run_floor(
            "ask",
            "How do you pick the next question?",
            "--asker",
            "Quentin Marlowe",
            "--credit",
            "--contact",
            "quentin.private@example.org",
            "--source",
            "talk",
            "--tag",
            "running the column",
            "--tag",
            "choices",
            cwd=site,
            today="2026-11-02",
        )
    ).strip()
    second = ok(
        run_floor(
            "ask",
            input="Should I stay anonymous?\n",
            cwd=site,
            today="2026-11-03",
            env={},
        )
    ).strip()
    # the second asker is named in the file but not credited
    ok(run_floor("answer", first, "--quick", "Oldest first.", "--body", "The **queue** decides.", cwd=site))
    qfile = site / "questions" / f"{second}.md"
    qfile.write_text(
        qfile.read_text(encoding="utf-8").replace(
            "credit: false", "asker: Rosalind Vexley\ncredit: false\ncontact: '@rosalind_private'"
        ),
        encoding="utf-8",
    )
    ok(run_floor("answer", second, "--quick", "If you like.", "--body", "Your *choice*.", cwd=site))

    assert "published #1" in ok(run_floor("publish", cwd=site, today="2026-11-09"))
    assert "published #2" in ok(run_floor("publish", cwd=site, today="2026-11-16"))
    assert "built" in ok(run_floor("build", cwd=site, today="2026-11-16"))
    return site


def test_a_new_site_publishes_and_builds(column: Path) -> None:
    page = (column / "output" / "floor" / "how-do-you-pick-the-next-question" / "index.html").read_text(
        encoding="utf-8"
    )
    # the reader's question is the headline, the column's name and number sit above it
    assert re.search(
        r'<hgroup class="post-heading">\s*<p class="post-series">Ask Me Anything #1</p>\s*'
        r'<h1 class="post-title">How do you pick the next question\?</h1>\s*</hgroup>',
        page,
    )
    assert "<title>How do you pick the next question? · Ask Me Anything</title>" in page
    assert page.count("<h1") == 1
    assert "Quick answer" in page and "Oldest first." in page
    assert "More thoughtful answer" in page and "The <strong>queue</strong> decides." in page
    assert ">running the column</a>" in page and ">choices</a>" in page
    assert "Asked by Quentin Marlowe" in page

    second = (column / "output" / "floor" / "should-i-stay-anonymous" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Ask Me Anything #2" in second and "Your <em>choice</em>." in second
    assert "Asked by a reader" in second

    files = output_files(column)
    assert column / "output" / "index.html" in files
    assert not [p for p, text in files.items() if "Rosalind" in text], "an uncredited asker was named"
    assert not list((column / "questions").glob("*.md")), "published questions left the queue"


def test_contacts_never_reach_the_output(column: Path) -> None:
    for path, text in output_files(column).items():
        low = text.lower()
        for secret in ("quentin.private", "rosalind_private"):
            assert secret not in low, path


def test_feeds_are_valid_and_hold_both_posts(column: Path) -> None:
    for name in ("all.atom.xml", "all.rss.xml"):
        feed = feedparser.parse((column / "output" / "feeds" / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        titles = sorted(e.title for e in feed.entries)
        assert titles == ["How do you pick the next question?", "Should I stay anonymous?"]
        assert feed.feed.title == "Ask Me Anything"


def test_no_page_carries_the_kits_name(column: Path) -> None:
    """A column named by `floor init --title` never shows the kit's name to its readers."""
    seen = [path for path, text in output_files(column).items() if "from the floor" in text.lower()]
    assert not seen, seen


def test_publish_again_the_same_day_changes_nothing(column: Path, run_floor, tree_hash) -> None:
    before = tree_hash(column)
    for args in (["publish"], ["publish", "--dry-run"]):
        out = ok(run_floor(*args, cwd=column, today="2026-11-16"))
        assert out.splitlines()[0].startswith("nothing due"), out
    assert tree_hash(column) == before


def test_published_files_keep_their_fields(column: Path) -> None:
    q = question_mod.load(
        column / "content" / "floor" / "how-do-you-pick-the-next-question.md", published=True
    )
    assert (q.number, q.slug) == (1, "how-do-you-pick-the-next-question")
    assert q.date.isoformat() == "2026-11-09T09:00:00+00:00"
    assert opened(column, q.contact) == "quentin.private@example.org"  # kept sealed in the source


# --- reader text is inert in every output file -------------------------------------------

SCRIPT_ELEMENT = re.compile(r"<script([^>]*)>(.*?)</script>", re.S | re.I)
SCRIPT = "<script>alert('reader')</script>"
HANDLER = "<b onmouseover=alert(1)>hover</b>"
IMG = "<img src=x onerror=alert(2)>"
ENTITY = "&lt;script&gt;alert(3)&lt;/script&gt;"


def test_reader_html_is_inert_everywhere(site: Path, run_floor) -> None:
    qid = ok(
        run_floor(
            "ask",
            f"Is {SCRIPT} {HANDLER} {ENTITY} safe?",
            "--asker",
            f"Mallory {SCRIPT} {HANDLER}",
            "--credit",
            "--tag",
            f"tag{SCRIPT}",
            "--tag",
            HANDLER,
            "--details",
            f"Look: {IMG} {SCRIPT} [x](javascript:alert(4)) <a href=x onclick=alert(5)>y</a>",
            site=site,
        )
    ).strip()
    ok(run_floor("answer", qid, "--quick", "**No.**", "--body", "Author *Markdown* stays.", site=site))
    assert "published #1" in ok(run_floor("publish", site=site))
    ok(run_floor("build", site=site))

    files = output_files(site)
    page = files[site / "output" / "floor" / qid / "index.html"]
    assert "<strong>No.</strong>" in page and "<em>Markdown</em>" in page  # the author's Markdown
    assert "Mallory" in page and "&lt;script&gt;" in page  # reader text shown, as text

    feeds = [p for p in files if p.suffix == ".xml" and "feeds" in p.parts]
    assert {p.name for p in feeds} >= {"all.atom.xml", "all.rss.xml"}
    for path, text in files.items():
        if "pagefind" in path.relative_to(site / "output").parts[:1]:
            continue  # the search index holds page text as data; tests/browser checks its UI
        low = text.lower()
        assert "<script>alert" not in low and "onerror=" not in low, path
        assert "javascript:alert" not in low, path
        if path.suffix == ".html":
            # the site's own scripts (JSON-LD data, the search UI) are allowed; reader text never runs
            assert_inert(text, allowed=frozenset({"script", "svg", "style"}))
            for attrs, body in SCRIPT_ELEMENT.findall(text):
                if "application/ld+json" in attrs:
                    json.loads(body)  # data, whole: reader text did not end the element early
                else:
                    assert "alert(" not in body, path
    for path in feeds:
        decoded = feed_html(path)
        assert any("Look:" in h for h in decoded), path  # the reader's details, in every feed
        for fragment in decoded:
            assert "<script" not in fragment.lower(), path
            assert_inert(fragment)


# --- the contact guard fails a leaking build ------------------------------------------------


def test_a_contact_pasted_into_an_answer_fails_the_build(site: Path, run_floor) -> None:
    contact = "leaky.reader@example.org"
    qid = ok(run_floor("ask", "Will you keep my email?", "--contact", contact, site=site)).strip()
    ok(run_floor("answer", qid, "--quick", "Of course.", "--body", f"I will write to {contact}.", site=site))
    ok(run_floor("publish", site=site))
    result = run_floor("build", site=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "contact" in result.stderr and "refused" in result.stderr
    assert f"content/floor/{qid}.md, line" in result.stderr  # checked at the source, named by line
    assert contact not in result.stderr + result.stdout
    assert html.escape(contact) not in result.stderr + result.stdout


# --- the repository's own demo site ---------------------------------------------------------


def test_the_demo_site_builds(demo_site: Path, run_floor) -> None:
    ok(run_floor("check", site=demo_site, today="2026-11-25"))
    ok(run_floor("build", site=demo_site, today="2026-11-25"))
    files = output_files(demo_site)
    posts = [p for p in files if p.parent.parent == demo_site / "output" / "floor"]
    assert len(posts) == len(question_files(demo_site / "content" / "floor")) > 0
    contacts = {
        q.contact
        for folder in ("questions", "content/floor")
        for q in (question_mod.load(p) for p in question_files(demo_site / folder))
        if q.contact
    }
    assert contacts
    for path, text in files.items():
        for contact in contacts:
            assert contact.lower() not in text.lower(), (path, contact)


def test_every_sample_question_parses() -> None:
    queued = question_files(REPO / "questions")
    posts = question_files(REPO / "content" / "floor")
    assert queued and posts
    for path in queued:
        question_mod.load(path)
    numbers = sorted(question_mod.load(path, published=True).number for path in posts)
    assert numbers == list(range(1, len(posts) + 1))


def test_tasks_py_matches_the_skeleton() -> None:
    skeleton = REPO / "plugins" / "from_the_floor" / "skeleton" / "tasks.py"
    assert filecmp.cmp(REPO / "tasks.py", skeleton, shallow=False)


def test_init_copies_the_skeleton(site: Path) -> None:
    assert (site / "tasks.py").read_bytes() == (REPO / "tasks.py").read_bytes()
    for rel in ("pelicanconf.py", "publishconf.py", ".gitignore", "content/pages/about.md"):
        assert (site / rel).is_file(), rel
    assert (site / "questions").is_dir() and (site / "content" / "floor").is_dir()
