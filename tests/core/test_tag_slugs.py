"""Tags and questions whose text slugifies to nothing get a readable slug of their own.

Before: a tag of only symbols had the empty slug, so its page was written over
the tags index (tag/index.html), its feeds were the hidden feeds/tag/.atom.xml,
and every such tag shared that one page. Tags that slugify alike ("C++", "C")
share a page on purpose, and `floor check` warns.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import feedparser
import pytest
from from_the_floor.core import ids, tag_slugs
from from_the_floor.pelican_plugin.slugs import pelican_slug
from helpers_floor import ok, question_text, run_floor, write_question

SYMBOL_TAGS = ["!!!", "🙂", "—"]  # punctuation, an emoji, a dash the slugifier keeps alone


def post(site: Path, qid: str, number: int, tags: list[str]) -> None:
    text = question_text(
        f"Question number {number}?",
        quick="Yes.",
        body="Because.",
        tags=json.dumps(tags, ensure_ascii=False),
        title=f'"From the Floor #{number}: Question number {number}?"',
        date=f"2026-10-{number:02d}T09:00:00+00:00",
        number=str(number),
        slug=qid,
    )
    write_question(site, qid, text, folder="content/floor")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("tags") / "site"
    ok(run_floor("init", site, "--title", "From the Floor", "--author", "The Author"))
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nFLOOR_TAG_FEEDS = True\n", encoding="utf-8")
    for n, tag in enumerate(SYMBOL_TAGS, start=1):
        post(site, f"post-{n}", n, [tag])
    post(site, "post-4", 4, ["C++"])
    post(site, "post-5", 5, ["C", "writing"])
    ok(run_floor("build", site=site))
    return site


def tag_page(site: Path, name: str) -> Path:
    return site / "output" / "tag" / tag_slugs.fallback("tag", name) / "index.html"


def test_each_symbol_tag_has_its_own_page_and_feeds(built: Path) -> None:
    out = built / "output"
    for n, name in enumerate(SYMBOL_TAGS, start=1):
        page = tag_page(built, name)
        html = page.read_text(encoding="utf-8")
        assert f"/floor/post-{n}/" in html
        others = [m for m in range(1, 6) if m != n]
        assert not any(f"/floor/post-{m}/" in html for m in others), name  # no merging of strangers
        feed = feedparser.parse(out / "feeds" / "tag" / f"{page.parent.name}.atom.xml")
        assert [e.link.rstrip("/").rsplit("/", 1)[-1] for e in feed.entries] == [f"post-{n}"]
    assert not (out / "tag" / "index.html").exists()  # no tag page where an index belongs
    assert not list((out / "feeds" / "tag").glob(".*"))  # no hidden feed files


def test_no_url_has_an_empty_segment(built: Path) -> None:
    out = built / "output"
    for page in out.rglob("*.html"):
        for url in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            path = re.sub(r"^[a-z]+://[^/]+", "", url)
            assert "//" not in path and "/-/" not in path, (page, url)


def test_tags_that_slugify_alike_share_a_page_with_a_warning(built: Path) -> None:
    page = built / "output" / "tag" / "c" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "/floor/post-4/" in html and "/floor/post-5/" in html  # merged on purpose
    result = run_floor("check", "--json", site=built)
    warnings = [w for w in json.loads(result.stdout)["warnings"] if w["field"] == "tags"]
    assert len(warnings) == 1
    assert "'C++', 'C'" in warnings[0]["problem"] or "'C', 'C++'" in warnings[0]["problem"]
    assert "tag/c/" in warnings[0]["problem"]


def test_a_question_of_only_symbols_gets_a_readable_id(site: Path) -> None:
    first = ok(run_floor("ask", "???", site=site)).strip()
    second = ok(run_floor("ask", "🙂🙂", site=site)).strip()
    assert first == ids.slug_for("???") and re.fullmatch(r"question-[0-9a-f]{8}", first)
    assert second != first and second.startswith("question-")


def test_slugs_are_kept_between_checks_and_recomputed_when_they_may_differ(
    tmp_path: Path, monkeypatch
) -> None:
    memo = tmp_path / ".cache" / tag_slugs.MEMO_FILE
    names = ["C++", "C", "writing", *SYMBOL_TAGS]
    expected = tag_slugs.alike(names, {}, pelican_slug)
    computed: list[str] = []
    real = tag_slugs.tag_slug

    def counting(name: str, settings: dict, slugify) -> str:
        computed.append(name)
        return real(name, settings, slugify)

    monkeypatch.setattr(tag_slugs, "tag_slug", counting)
    assert tag_slugs.alike(names, {}, pelican_slug, memo) == expected
    assert sorted(computed) == sorted(names)
    computed.clear()
    assert tag_slugs.alike(names, {}, pelican_slug, memo) == expected
    assert computed == [], "every slug from the memo: Pelican not needed"
    assert tag_slugs.alike([*names, "new tag"], {}, pelican_slug, memo) == expected
    assert computed == ["new tag"]
    computed.clear()
    keep_case = {"SLUGIFY_PRESERVE_CASE": True}
    assert tag_slugs.alike(["Tone", "tone"], keep_case, pelican_slug, memo) == {}, (
        "another setting, other slugs"
    )
    assert sorted(computed) == ["Tone", "tone"]


@pytest.mark.parametrize(
    "damage", ['{"stamp": 1', '["not", "a", "memo"]', '{"stamp": null, "slugs": {"C": ""}}']
)
def test_a_damaged_slug_memo_is_ignored(tmp_path: Path, damage: str) -> None:
    memo = tmp_path / tag_slugs.MEMO_FILE
    memo.write_text(damage, encoding="utf-8")
    assert tag_slugs.alike(["C++", "C"], {}, pelican_slug, memo) == tag_slugs.alike(
        ["C++", "C"], {}, pelican_slug
    )
    assert json.loads(memo.read_text(encoding="utf-8"))["slugs"]["C"] == "c"


def test_one_spelling_across_capitals_spaces_and_hyphens_only() -> None:
    """The kit writes a new tag as the column spells it when only capitals, spaces and hyphens
    differ ("Edge-Case", "edge case": one slug, one word); tags that share a slug otherwise may
    be different words ("C++" and "C") and are left as written, for `floor check` to ask about."""
    settings: dict = {}
    column = tag_slugs.first_spellings(["edge case", "C", "resume"])
    for typed in ("Edge-Case", "EDGE  CASE", " edge - case "):
        assert column.get(tag_slugs.spelling_key(typed)) == "edge case", typed
        assert pelican_slug(typed, settings) == pelican_slug("edge case", settings)
    for typed in ("C++", "résumé", "edge_case"):
        assert tag_slugs.spelling_key(typed) not in column, typed
    assert pelican_slug("C++", settings) == pelican_slug("C", settings)  # (one page all the same)


def test_a_slug_too_long_for_a_file_name_is_cut_after_a_word_and_stays_apart() -> None:
    first = "how do you price a repair " * 20
    second = first + "twice"
    a, b = (tag_slugs.fitting(pelican_slug(t, {}), t) for t in (first, second))
    assert a != b
    for slug, name in ((a, first), (b, second)):
        assert len(slug.encode("utf-8")) <= tag_slugs.MAX_SLUG_BYTES
        assert re.fullmatch(r"how-do-you-price-a-repair(-[a-z]+)*-[0-9a-f]{8}", slug), slug
        assert tag_slugs.shortened(slug, name)
    # a slug of many-byte letters (SLUGIFY_USE_UNICODE) is cut by its bytes, never inside a letter
    persian = "نمی‌دانیم " * 40
    cut = tag_slugs.fitting(persian.strip().replace(" ", "-"), persian)
    assert len(cut.encode("utf-8")) <= tag_slugs.MAX_SLUG_BYTES and tag_slugs.shortened(cut, persian)
    # a slug that fits, and the fallback for one without a letter, are neither cut nor "shortened"
    assert tag_slugs.fitting("shoes", "Shoes") == "shoes" and not tag_slugs.shortened("shoes", "Shoes")
    assert tag_slugs.fitting("--", "!!") == tag_slugs.fallback("tag", "!!")
    assert not tag_slugs.shortened(tag_slugs.fallback("tag", "!!"), "!!")



UNICODE = {"SLUGIFY_USE_UNICODE": True}
# an author's own substitutions that keep what they do not name (a blocklist, not Pelican's default)
KEEPING = {**UNICODE, "TAG_REGEX_SUBSTITUTIONS": [(r"[!?,.;:]", ""), (r"\s+", "-")]}


@pytest.mark.parametrize(
    ("name", "settings", "slug"),
    [
        ("שלום\u200f world", KEEPING, "שלום-world"),  # a right-to-left mark after the Hebrew word
        ("نمی\u200cدانیم", KEEPING, "نمیدانیم"),  # Persian with its zero-width non-joiner
        ("a\u00adb \u2066c\u2069", KEEPING, "ab-c"),  # a soft hyphen, an isolate around a word
        ("\u200e-rtl", KEEPING, "rtl"),  # nothing left at the start but the hyphen
        ("x\u3164y", UNICODE, "xy"),  # a Hangul filler: a letter to Pelican's \\w
        ("\u3164", UNICODE, tag_slugs.fallback("tag", "\u3164")),  # only a filler: no address left
        ("Ünïcode", UNICODE, "ünïcode"),  # visible letters stay as they are
    ],
)
def test_an_address_holds_no_invisible_character(name: str, settings: dict, slug: str) -> None:
    """SLUGIFY_USE_UNICODE keeps what Pelican's substitutions let through: the invisible ones go
    (a tag/…html no reader could type or see), the words stay."""
    got = tag_slugs.tag_slug(name, settings, pelican_slug)
    assert got == slug
    assert all(
        unicodedata.category(ch) != "Cf" and ch not in "\u115f\u1160\u3164\uffa0" for ch in got
    ), ascii(got)
