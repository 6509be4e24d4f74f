"""Intake at volume: a question the whole room asks, many rows, a run that never stops half-way."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.core import readers_file
from from_the_floor.core.site import Site
from from_the_floor.intake import duplicates, inbox, intake_csv
from helpers_crowd import QID, crowd_csv
from helpers_floor import ok, run_floor


def test_a_question_six_hundred_readers_ask_is_one_small_file_and_every_merge_is_reported(
    site: Path, tmp_path: Path
) -> None:
    rows = crowd_csv(tmp_path / "talk.csv", 600)
    out = ok(run_floor("intake", "csv", rows, site=site, timeout=600))
    assert "1 added, 599 merged, 0 already imported, 0 rejected" in out
    # every merge is reported: the ones in the very words in one line, as ranges (see below)
    assert out.count("\nmerged ") == 1 and " word for word\n" in out
    assert "talk.csv rows 3-601 as readers 2-600, in that order" in out
    path = site / "questions" / f"{QID}.md"
    assert path.stat().st_size < 32 * 1024  # the first readers listed, the rest kept apart
    q = question_mod.load(path)
    assert len(q.also_asked_by) == readers_file.LISTED and q.more_readers == 599 - readers_file.LISTED
    assert q.readers == 600 and q.asked_by == "600 readers"
    kept = readers_file.load(site / "questions", q)
    assert len(kept) == q.more_readers and all(e.contact.startswith("age:") for e in kept)
    assert "l599@example.net" not in readers_file.path_for(site / "questions", QID).read_text(
        encoding="utf-8"
    )
    # a re-run adds nothing: the readers kept apart are known by their row ids too
    again = ok(run_floor("intake", "csv", rows, site=site, timeout=600))
    assert "0 added, 0 merged, 600 already imported, 0 rejected" in again
    # the last reader, kept apart, splits off as a question of its own
    split = ok(run_floor("split", QID, "--entry", "599", site=site))
    assert "split off" in split
    q = question_mod.load(path)
    assert q.readers == 599 and q.more_readers == 599 - readers_file.LISTED - 1
    alone = [p for p in (site / "questions").glob("*.md") if p.name != path.name]
    assert len(alone) == 1 and question_mod.load(alone[0]).asker == "Listener 599"


def test_a_file_s_readers_of_one_question_are_one_entry_with_their_rows_as_ranges(
    site: Path, tmp_path: Path
) -> None:
    """A talk's room asks one question in three wordings: one entry for all of them, their rows as
    ranges, each other wording once with what it matched; not one entry a reader (599 of them for a
    600-reader question)."""
    rows = crowd_csv(tmp_path / "talk.csv", 7)  # wordings 1, 2, 3, 1, 2, 3, 1
    out = ok(run_floor("intake", "csv", rows, site=site))
    assert out.count("\nmerged ") == 1
    entry = out[out.index("\nmerged ") + 1 : out.index("\n1 added")]
    # (the once-per-run note that no mail server is set up for the readers who asked to hear back)
    lines = [line for line in entry.splitlines() if not line.startswith("note: ")]
    assert lines[0] == f"merged 6 readers into {QID}: talk.csv rows 3-8 as readers 2-7, in that order"
    assert "    2 word for word" in lines
    assert entry.count("      matched:  ") == 2 and entry.count(" in other words (") == 2
    # the wordings share every key word: said so, not "100% alike" beside two different texts
    assert entry.count(" in other words (same key words):") == 2 and "100%" not in entry
    assert (
        lines[-1] == f"  not the same question? floor split {QID} --entry N (N: its reader number less one)"
    )


def _spread(ranges: str) -> list[int]:
    numbers: list[int] = []
    for part in ranges.split(", "):
        a, _, b = part.partition("-")
        numbers += range(int(a), int(b or a) + 1)
    return numbers


def test_a_crowd_s_rows_are_ranges_and_each_one_is_still_findable(site: Path, tmp_path: Path) -> None:
    rows = crowd_csv(tmp_path / "talk.csv", 60)
    out = ok(run_floor("intake", "csv", rows, site=site))
    assert len(out.splitlines()) < 20, out
    said = re.findall(
        r"^merged (\d+) readers into .*: talk\.csv rows (.*) as readers (.*), in that order$", out, re.M
    )
    assert len(said) == 1, out
    count, told_rows, told_readers = said[0]
    assert _spread(told_rows) == list(range(3, 62))  # every merged row (2 was added) is named once
    assert _spread(told_readers) == list(range(2, 61)) and int(count) == 59
    assert question_mod.load(site / "questions" / f"{QID}.md").readers == 60


def test_a_merge_that_cannot_be_written_is_kept_aside_and_the_run_goes_on(
    site: Path, tmp_path: Path, monkeypatch
) -> None:
    rows = crowd_csv(tmp_path / "talk.csv", 5)
    with rows.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(
            ["2026-11-02 10:00", "Why do you never answer by email?", "Kim", "k@example.org", ""]
        )
    messages, _ = intake_csv.read(rows, source="talk", today=dt.date(2026, 11, 9))
    now = dt.datetime(2026, 11, 9, 12, tzinfo=dt.UTC)

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device", "questions/readers")

    monkeypatch.setattr(readers_file, "add", full_disk)
    outcomes = inbox.process(Site(site), messages, now)
    assert [o.action for o in outcomes] == ["added", "rejected", "rejected", "rejected", "rejected", "added"]
    assert all("No space left on device" in o.reason for o in outcomes if o.action == "rejected")
    assert len(list((site / "questions" / "inbox" / "rejected").glob("*.reason.txt"))) == 4
    monkeypatch.undo()
    messages, _ = intake_csv.read(rows, source="talk", today=dt.date(2026, 11, 9))
    again = inbox.process(Site(site), messages, now)  # the re-run finishes the job
    assert [o.action for o in again] == ["known", "merged", "merged", "merged", "merged", "known"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("How do I publish a post from my phone?", "How do I unpublish a post from my phone?"),
        (
            "Should readers follow the column on social media?",
            "Should readers unfollow the column on social media?",
        ),
        (
            "Is it legal to quote a reader's email in the column?",
            "Is it illegal to quote a reader's email in the column?",
        ),
        (
            "Is it possible to answer every single reader question?",
            "Is it impossible to answer every single reader question?",
        ),
        (
            "Why do readers agree with long thoughtful answers?",
            "Why do readers disagree with long thoughtful answers?",
        ),
        (
            "Do you answer questions sent by email on weekends?",
            "Do you not answer questions sent by email on weekends?",
        ),
        (
            "Why do you answer questions sent by email on weekends?",
            "Why don't you answer questions sent by email on weekends?",
        ),
    ],
)
def test_opposite_questions_stay_apart(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) < duplicates.DEFAULT_THRESHOLD
    assert duplicates.similarity(b, a) < duplicates.DEFAULT_THRESHOLD


def test_opposites_through_intake_are_two_questions(site: Path, tmp_path: Path) -> None:
    rows = tmp_path / "form.csv"
    rows.write_text(
        "question,email\nHow do I follow the column by email?,a@example.org\n"
        "How do I unfollow the column by email?,b@example.org\n",
        encoding="utf-8",
    )
    assert "2 added, 0 merged" in ok(run_floor("intake", "csv", rows, site=site))


def _question(n: int, text: str, merged: list[str]) -> question_mod.Question:
    entries = [question_mod.AlsoAsked(question=w, asked=dt.date(2026, 1, 1)) for w in merged]
    return question_mod.Question(
        id=f"q{n}", path=Path(f"q{n}.md"), question=text, asked=dt.date(2026, 1, 1), also_asked_by=entries
    )


def test_the_index_finds_what_comparing_with_every_question_finds() -> None:
    """Index.best against best_match over the same questions: the same question, the same score."""
    rng = random.Random(7)
    words = [
        "customer",
        "reader",
        "column",
        "answer",
        "question",
        "weekly",
        "public",
        "private",
        "email",
        "honest",
        "writing",
        "listen",
        "stalk",
        "stalked",
        "customers",
        "custmer",
        "colum",
        "anwser",
        "questoin",
        "publish",
        "unpublish",
        "legal",
        "illegal",
        "why",
        "how",
        "when",
        "not",
        "never",
        "don't",
        "schedule",
        "archive",
        "feedback",
        "tone",
    ]
    questions = [
        _question(n, " ".join(rng.choices(words, k=rng.randint(2, 7))), [" ".join(rng.choices(words, k=3))])
        for n in range(300)
    ]
    for limit in (0.5, 0.7, duplicates.DEFAULT_THRESHOLD):
        index = duplicates.Index(limit)
        for q in questions:
            index.add(q)
        for _ in range(300):
            text = " ".join(rng.choices(words, k=rng.randint(1, 7)))
            want = duplicates.best_match(text, questions, limit)
            got = index.best(text)
            assert (got and got.score) == (want and want.score), text
            if want is not None and got is not None and want.score < 1:
                assert duplicates.similarity(text, got.matched_text) == want.score


def test_suggestions_from_the_index_are_those_of_scoring_every_question() -> None:
    """merge.suggestions (a question page's "Questions that look alike") now asks an index for
    the questions sharing a word; the list is the one scoring the question against every other
    question's wordings gives: the same questions, scores and order, declined ones left out."""
    from from_the_floor.intake import merge

    rng = random.Random(11)
    words = [
        "customer", "customers", "custmer", "reader", "column", "colum", "answer", "anwser",
        "weekly", "private", "email", "honest", "stalk", "stalked", "legal", "illegal",
        "why", "how", "not", "never", "don't", "schedule", "tone", "the", "a", "is",
    ]  # fmt: skip
    questions = [
        _question(n, " ".join(rng.choices(words, k=rng.randint(1, 6))), [" ".join(rng.choices(words, k=3))])
        for n in range(400)
    ]
    for q in questions[::7]:
        q.declined = "not for the column"

    def every_question(q: question_mod.Question) -> list[tuple[str, float]]:
        found = []
        for other in questions:
            if other.id == q.id or other.declined:
                continue
            wordings = [other.question, *(e.question for e in other.also_asked_by)]
            score = max(duplicates.similarity(q.question, w) for w in wordings)
            if score >= merge.SUGGEST_FROM:
                found.append((other.id, score))
        return sorted(found, key=lambda f: (-f[1], f[0]))[:5]

    index = merge.suggestion_index(questions)
    listed = 0
    for q in questions:
        want = every_question(q)
        got = merge.suggestions(q, questions, index=index)
        assert [(s.question.id, s.score) for s in got] == want, q.question
        assert [(s.question.id, s.score) for s in merge.suggestions(q, questions)] == want
        listed += len(want)
    assert listed > 200  # the corpus has look-alikes to find


def test_a_kept_reader_is_reached_by_notify_and_recorded_in_the_readers_file(
    site: Path, tmp_path: Path
) -> None:
    from from_the_floor.commands import notify

    rows = crowd_csv(tmp_path / "talk.csv", readers_file.LISTED + 3)
    ok(run_floor("intake", "csv", rows, site=site))
    q = question_mod.load(site / "questions" / f"{QID}.md")
    found = notify.readers(q, site / "questions")
    assert len(found) == readers_file.LISTED + 3 and found[-1].agreed and found[-1].contact.startswith("age:")
    updated = readers_file.replace(
        site / "questions",
        q,
        len(found) - 2,
        readers_file.everyone(site / "questions", q)[-1].__class__(
            question="Recorded?", asked=dt.date(2026, 11, 1), notified="2026-11-20T09:00:00+00:00"
        ),
    )
    line = readers_file.path_for(site / "questions", QID).read_text(encoding="utf-8").splitlines()[-1]
    assert json.loads(line)["notified"] == "2026-11-20T09:00:00+00:00" and updated.more_readers == 2
