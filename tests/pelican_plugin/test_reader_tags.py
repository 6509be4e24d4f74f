"""A reader's tags reach Pelican one by one, whatever punctuation they hold."""

from __future__ import annotations

import html
import re
from pathlib import Path

from helpers_floor import ok
from helpers_hostile import yaml_value


def test_a_tag_with_a_semicolon_or_a_comma_stays_one_tag(site: Path, run_floor) -> None:
    """The kit handed Pelican its tags as one ", "-joined string, which Pelican splits at ";"
    when there is one: a reader's tag "alert(1);" regrouped every other tag of the post into
    one giant tag (its feed's name then passed the 255-byte limit and the build failed)."""
    tags = ["first one", "alert(1);</script>", "c, d", "last"]
    qid = ok(
        run_floor(
            "ask", "Are my tags kept apart?", *[a for t in tags for a in ("--tag", t)],
            "--asked", "2026-11-01", cwd=site,
        )
    ).strip()
    ok(run_floor("answer", qid, "--quick", "Yes.", "--body", "Each one.", cwd=site))
    ok(run_floor("publish", cwd=site))
    ok(run_floor("build", cwd=site))
    page = (site / "output" / "floor" / qid / "index.html").read_text(encoding="utf-8")
    shown = [html.unescape(t) for t in re.findall(r'<a rel="tag" href="/tag/[^"]*/">([^<]*)</a>', page)]
    assert shown == tags
    assert sorted(p.name for p in (site / "output" / "tag").iterdir()) == sorted(
        ["first-one", "alert1", "c-d", "last"]
    )


def test_a_question_file_edited_by_hand_with_control_characters_still_builds(site: Path, run_floor) -> None:
    """Intake drops control characters and bidi overrides, but a question file edited by hand (a
    question pasted from a word processor, a reader's email copied in) keeps them, `floor check`
    and `floor publish` let it through, and the build then failed as a whole with Pelican's
    "Control characters are not supported in XML 1.0" and the settings file's name: the feeds
    could not hold the question or the title. The page and every feed now show it without them."""
    import feedparser

    text, name, tag = "Can I paste\x0bfrom Word\x01?\u202e", "Sam\x07 Brown", "word\x1bprocessors"
    fields = [
        f"question: {yaml_value(text)}",
        "asked: 2026-11-01",
        f"asker: {yaml_value(name)}",
        "credit: true",
        f"tags: [{yaml_value(tag)}]",
        "quick_answer: Yes.",
    ]
    (site / "questions" / "pasted.md").write_text("---\n" + "\n".join(fields) + "\n---\n\nMostly.\n")
    ok(run_floor("publish", cwd=site))
    ok(run_floor("build", cwd=site))
    page = (site / "output" / "floor" / "pasted" / "index.html").read_text(encoding="utf-8")
    assert "Can I paste from Word?</h1>" in page
    assert "Sam Brown" in page and "wordprocessors" in page
    for name in ("all.atom.xml", "all.rss.xml"):
        feed = feedparser.parse((site / "output" / "feeds" / name).read_bytes())
        assert not feed.bozo, (name, feed.bozo_exception)
        assert feed.entries[0].title == "Can I paste from Word?"
        assert not any(ch in feed.entries[0].summary for ch in "\x0b\x01\u202e\x07\x1b")


def test_an_answer_with_control_characters_still_builds(site: Path, run_floor) -> None:
    """The author's answers go into every feed as written: a vertical tab or a stray control
    character in a quick answer or the longer answer (pasted from a word processor, or brought
    over from an old blog by `floor import`) made the feed writer refuse, and the build failed
    as a whole with "Control characters are not supported in XML 1.0" and the settings file's
    name, not the post's. The page and every feed now show the answers without them."""
    import feedparser

    quick = "It can\x0bnow\x01."
    fields = [
        "question: Can an answer hold a pasted page break?",
        "asked: 2026-11-01",
        f"quick_answer: {yaml_value(quick)}",
    ]
    body = "The longer\x0canswer\x1b[31m, \ufffeas pasted.\n"
    (site / "questions" / "pasted-answer.md").write_text(
        "---\n" + "\n".join(fields) + "\n---\n\n" + body, encoding="utf-8"
    )
    ok(run_floor("publish", cwd=site))
    ok(run_floor("build", cwd=site))
    page = (site / "output" / "floor" / "pasted-answer" / "index.html").read_text(encoding="utf-8")
    assert "It can now." in page and "The longer answer[31m, as pasted." in page
    for name in ("all.atom.xml", "all.rss.xml"):
        feed = feedparser.parse((site / "output" / "feeds" / name).read_bytes())
        assert not feed.bozo, (name, feed.bozo_exception)
        assert "It can now." in feed.entries[0].summary
        assert not any(ch in feed.entries[0].summary for ch in "\x0b\x0c\x01\x1b\ufffe")
