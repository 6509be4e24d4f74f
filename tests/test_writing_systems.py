"""Real Persian, Kurdish, Hindi, Hebrew and Arabic text and Unicode's subdivision flags, asked by
a reader, reach the question file, the built page and every feed with each of their characters
(the zero-width non-joiner and joiner, the direction marks, the tag characters of a flag), and
what intake drops is still dropped on the way (tests/fixtures/writing/SOURCES.md)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import feedparser
import pytest
from from_the_floor.core import question as question_mod
from helpers_floor import ok, run_floor

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "writing"
TEXT = {
    s["id"]: s["text"]
    for s in json.loads((FIXTURES / "sentences.json").read_text(encoding="utf-8"))
}
FLAGS = [
    "".join(chr(int(h, 16)) for h in line.split(";")[0].split())
    for line in (FIXTURES / "emoji-test-subdivision-flags.txt").read_text(encoding="utf-8").splitlines()
]
QUESTION = f"{TEXT['fa-seraji-test-s282']} {FLAGS[1]}"
ASKER = TEXT["ckb-cldr-language-gd"]
TAGS = ["آن‌ها", "خیلی‌ها"]
PARAGRAPHS = [
    TEXT["fa-seraji-test-s271"],
    TEXT["hi-pud-n03006028"],
    TEXT["he-iahltwiki-shoshana-damary-1"],
    f"{TEXT['ar-cldr-currency-usn']} {TEXT['ar-cldr-minus-sign']}٥",
    " ".join(FLAGS),
]
# each paragraph as the reader sent it, with what intake must drop put in: a bidi override and
# isolate, a zero-width space, a BOM, a lone tag character and a control character
HOSTILE = ["\u202e", "\u2066", "\u200b", "\ufeff", "\U000e0041", "\x07"]
SENT = [f"{HOSTILE[n % len(HOSTILE)]}{p}{HOSTILE[(n + 1) % len(HOSTILE)]}" for n, p in enumerate(PARAGRAPHS)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("writing")
    site = root / "site"
    ok(run_floor("init", site, "--no-git", "--title", "Column", "--author", "Ada", cwd=root))
    qid = ok(
        run_floor(
            "ask", "--asker", ASKER + "\u200b", "--credit", "--asked", "2026-11-01",
            "--details", "\n\n".join(SENT), *(a for t in TAGS for a in ("--tag", t)),
            "--", "\u2067" + QUESTION, site=site,
        )
    ).strip().splitlines()[-1]
    stored = question_mod.load(site / "questions" / f"{qid}.md")
    ok(run_floor("answer", qid, "--quick", "بله.", "--body", "A longer answer.", site=site))
    ok(run_floor("publish", site=site))
    ok(run_floor("build", site=site))
    return {"site": site, "qid": qid, "stored": stored}


def test_the_question_file_keeps_the_text_and_drops_the_rest(built: dict) -> None:
    q = built["stored"]
    assert q.question == QUESTION
    assert q.asker == ASKER
    assert q.tags == TAGS
    assert q.details == "\n\n".join(PARAGRAPHS)


def _post_page(site: Path, qid: str) -> str:
    pages = [p for p in (site / "output").rglob("index.html") if qid in p.parent.name]
    assert len(pages) == 1, pages
    return html.unescape(pages[0].read_text(encoding="utf-8"))


def test_the_built_page_shows_every_character(built: dict) -> None:
    page = _post_page(built["site"], built["qid"])
    for text in (QUESTION, ASKER, *TAGS, *PARAGRAPHS):
        assert text in page, text
    for ch in HOSTILE:
        assert ch not in page, repr(ch)


def test_the_feeds_carry_every_character(built: dict) -> None:
    feeds = built["site"] / "output" / "feeds"
    atom = feedparser.parse((feeds / "all.atom.xml").read_bytes())
    assert atom.bozo == 0
    (entry,) = [e for e in atom.entries if e.title == QUESTION]
    content = html.unescape(entry.content[0].value if "content" in entry else entry.summary)
    rss = feedparser.parse((feeds / "all.rss.xml").read_bytes())
    assert rss.bozo == 0 and [e for e in rss.entries if e.title == QUESTION]
    items = json.loads((feeds / "all.json").read_text(encoding="utf-8"))["items"]
    (item,) = [i for i in items if i.get("title") == QUESTION]
    for where in (content, html.unescape(item.get("content_html", ""))):
        for text in PARAGRAPHS:
            assert text in where, text
        for ch in HOSTILE:
            assert ch not in where, repr(ch)
    for path in feeds.rglob("*.xml"):
        raw = path.read_text(encoding="utf-8")
        assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b\ufeff]", raw), path
