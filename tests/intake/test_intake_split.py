"""Merging into queued and published questions, and `floor split` to undo a merge."""

from __future__ import annotations

from pathlib import Path

from from_the_floor.core import question as question_mod
from helpers_floor import fails_cleanly, ok, opened, question_text, run_floor, tree_digest, write_question

DATA = Path(__file__).resolve().parent.parent / "data" / "intake"


def test_split_undoes_a_merge_and_a_rerun_does_not_merge_again(site: Path) -> None:
    ok(run_floor("intake", "eml", DATA / "plain.eml", site=site))
    out = ok(run_floor("intake", "mbox", DATA / "questions.mbox", "--notify", site=site))
    assert "--entry 1" in out
    path = site / "questions" / "do-you-ever-stalk-your-customers.md"

    out = ok(run_floor("split", "do-you-ever-stalk-your-customers", site=site))
    assert (
        out.strip() == "split off have-you-ever-stalked-your-customers: Have you ever stalked your customers?"
    )
    assert question_mod.load(path).also_asked_by == []
    assert "also_asked_by" not in path.read_text(encoding="utf-8")
    split = question_mod.load(site / "questions" / "have-you-ever-stalked-your-customers.md")
    assert (split.asker, opened(site, split.contact), split.notify, split.source) == (
        "Jo",
        "jo@example.com",
        True,
        "email",
    )
    assert split.intake_id == "<mbox-2@example.com>" and split.asked.isoformat() == "2026-11-03"

    snapshot = tree_digest(site)
    again = ok(run_floor("intake", "mbox", DATA / "questions.mbox", site=site))
    assert "0 added, 0 merged, 3 already imported" in again
    assert tree_digest(site) == snapshot

    assert "has no merged readers" in fails_cleanly(
        run_floor("split", "do-you-ever-stalk-your-customers", site=site)
    )
    assert "no question or post" in fails_cleanly(run_floor("split", "nope", site=site))


def test_a_new_reader_merges_into_a_published_post(site: Path, tmp_path: Path) -> None:
    post = question_text(
        "How do you find time to write every week?",
        quick="Early mornings.",
        body="Mostly.",
        title='"From the Floor #1: How do you find time to write every week?"',
        date="2026-11-02T09:00:00+00:00",
        number="1",
        slug="how-do-you-find-time-to-write-every-week",
    )
    write_question(site, "how-do-you-find-time-to-write-every-week", post, folder="content/floor")
    rows = tmp_path / "talk.csv"
    rows.write_text(
        "question,name,email,credit,notify\n"
        "How do you find the time to write each week?,Morgan,morgan@example.org,yes,yes\n"
        "How do you find time to write every single week?,Ray,ray@example.org,no,no\n",
        encoding="utf-8",
    )
    out = ok(run_floor("intake", "csv", rows, site=site))
    assert "merged talk.csv row 2 into how-do-you-find-time-to-write-every-week as reader 2" in out
    assert "2 merged" in out
    published = site / "content" / "floor" / "how-do-you-find-time-to-write-every-week.md"
    q = question_mod.load(published, published=True)
    assert q.number == 1 and q.quick_answer == "Early mornings."  # the post is otherwise untouched
    assert [(e.asker, e.credit, e.notify) for e in q.also_asked_by] == [
        ("Morgan", True, True),
        ("Ray", False, False),
    ]
    assert q.asked_by == "Morgan and 2 other readers"
    assert not any((site / "questions").glob("*.md"))

    # split works on a post as well: the reader goes back to the queue
    ok(run_floor("split", q.id, "--entry", "1", site=site))
    q = question_mod.load(published, published=True)
    assert [e.asker for e in q.also_asked_by] == ["Ray"]
    assert (site / "questions" / "how-do-you-find-the-time-to-write-each-week.md").exists()
    assert "give --entry 1 … 1" in fails_cleanly(run_floor("split", q.id, "--entry", "3", site=site))


def test_merging_can_be_turned_off(site: Path) -> None:
    conf = site / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + "\nFLOOR_DUPLICATE_THRESHOLD = None\n", encoding="utf-8"
    )
    ok(run_floor("intake", "eml", DATA / "plain.eml", site=site))
    out = ok(run_floor("intake", "mbox", DATA / "questions.mbox", site=site))
    assert "3 added, 0 merged" in out
    conf.write_text(conf.read_text(encoding="utf-8") + "\nFLOOR_DUPLICATE_THRESHOLD = 2\n", encoding="utf-8")
    err = fails_cleanly(run_floor("intake", "mbox", DATA / "questions.mbox", site=site))
    assert "FLOOR_DUPLICATE_THRESHOLD" in err
