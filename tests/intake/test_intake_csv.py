"""`floor intake csv`: columns by header name, bad rows kept aside, a bad file refused whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.errors import FloorError
from from_the_floor.intake import intake_csv
from helpers_floor import fails_cleanly, ok, run_floor, tree_digest

DATA = Path(__file__).resolve().parent.parent / "data" / "intake"
TODAY = dt.date(2026, 11, 9)


def test_talk_notes_columns_are_mapped_by_header() -> None:
    messages, notes = intake_csv.read(DATA / "talk-notes.csv", source="talk", today=TODAY)
    assert notes[1:] == ["ignored column: Seat"]
    assert notes[0].startswith("columns: question ← ")
    first = messages[0].new
    assert first is not None
    assert first.question == "How do you find time to write every week?"
    assert (first.asker, first.contact, first.credit, first.notify) == (
        "Morgan",
        "morgan@example.org",
        True,
        True,
    )
    assert first.tags == ["writing", "habits"]
    assert first.asked == dt.date(2026, 11, 5)
    assert first.details == "Asked after the Q&A"
    assert first.source == "talk"
    second = messages[1].new
    assert second is not None and second.asker is None and second.notify is False
    # a bad date and an empty question card: kept aside, with the reason
    assert messages[2].new is None and "'5 Nov' is not a date" in messages[2].reason
    assert messages[3].new is None and "question cell is empty" in messages[3].reason
    assert messages[2].label == "talk-notes.csv row 4"
    assert messages[2].raw.decode().splitlines()[0].startswith("Question,Name,Email")


def test_semicolons_ids_and_timestamps() -> None:
    messages, _ = intake_csv.read(DATA / "contact-centre.csv", source="phone", today=TODAY)
    new = [m.new for m in messages]
    assert [n.intake_id for n in new] == ["csv:T-1001", "csv:T-1002"]
    assert new[0].question == "Can I ask anonymously?"
    assert (new[0].asker, new[0].contact, new[0].asked) == ("Dana", "+44 20 7946 0001", dt.date(2026, 11, 6))
    assert new[0].details == "Caller did not want her name used."
    assert new[1].contact is None and new[1].source == "phone"


def test_ids_from_content_are_stable_and_ignore_defaults(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("question,asker\nWhy Mondays?,Kim\n", encoding="utf-8")
    first, _ = intake_csv.read(path, source="notes", today=TODAY)
    later, _ = intake_csv.read(path, source="talk", today=dt.date(2027, 1, 1))
    assert first[0].new.intake_id == later[0].new.intake_id
    assert first[0].new.asked == TODAY


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"name,email\nKim,kim@example.org\n", "no question column"),
        (b"", "is empty"),
        ("question\nCaf\xe9?\n".encode("latin-1"), "not UTF-8"),
        (b'question,details\n"Why,unclosed\n', "not valid CSV"),
    ],
)
def test_a_bad_file_is_refused_before_anything_is_written(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(FloorError) as err:
        intake_csv.read(path, source="notes", today=TODAY)
    assert problem in err.value.message


def test_cli_csv_end_to_end(site: Path) -> None:
    result = run_floor("intake", "csv", DATA / "talk-notes.csv", "--source", "talk", site=site)
    out = ok(result)
    assert "note: ignored column: Seat" in out
    assert "2 added, 0 merged, 0 already imported, 2 rejected" in out
    assert result.stderr.count("rejected talk-notes.csv row") == 2
    q = question_mod.load(site / "questions" / "how-do-you-find-time-to-write-every-week.md")
    assert (q.source, q.credit, q.notify, q.tags) == ("talk", True, True, ["writing", "habits"])
    assert q.intake_id and q.intake_id.startswith("csv:sha256:")
    kept = sorted(p.name for p in (site / "questions" / "inbox" / "rejected").iterdir())
    assert len(kept) == 4 and all(n.startswith("talk-notes-csv-row-") for n in kept)
    before = tree_digest(site)
    assert "0 added, 0 merged, 2 already imported, 2 rejected" in ok(
        run_floor("intake", "csv", DATA / "talk-notes.csv", site=site)
    )
    assert tree_digest(site) == before


def test_cli_csv_without_question_column_writes_nothing(site: Path, tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("Caller,Phone\nDana,123\n", encoding="utf-8")
    before = tree_digest(site)
    err = fails_cleanly(run_floor("intake", "csv", path, site=site))
    assert "no question column" in err and "Caller, Phone" in err
    assert tree_digest(site) == before


def test_a_run_stopped_half_way_has_already_said_what_it_filed(site: Path, tmp_path: Path) -> None:
    """Each line is said once its question is on disk: a Ctrl-C leaves the author knowing what went in."""
    from from_the_floor.commands import take_in
    from from_the_floor.core.site import Site

    path = tmp_path / "talk.csv"
    path.write_text(
        "question,asker,contact\n"
        "How do you pick the week's question?,Kim,kim@example.org\n"
        "How do you pick the week's question?,Lee,lee@example.org\n"
        "Do you ever skip a Monday?,Sam,sam@example.org\n",
        encoding="utf-8",
    )

    class Stopped(Exception):
        """The author's Ctrl-C, right after the second question was filed."""

    heard: list[str] = []

    def said(line: str, problem: bool) -> None:
        heard.append(line)
        if line.startswith("added do-you-ever-skip"):
            raise Stopped

    now = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(Stopped):
        take_in.intake(Site(site), "csv", [path], now, said=said)
    said_lines = [line for line in heard if not line.startswith("note: ")]
    assert said_lines[0] == "added how-do-you-pick-the-week-s-question: How do you pick the week's question?"
    assert said_lines[1] == "added do-you-ever-skip-a-monday: Do you ever skip a Monday?"
    # the merge was written on the way out, and said then
    merged = "merged talk.csv row 3 into how-do-you-pick-the-week-s-question as reader 2"
    assert said_lines[2].startswith(merged)
    assert len(said_lines) == 3 and not any("@" in line for line in heard)
    q = question_mod.load(site / "questions" / "how-do-you-pick-the-week-s-question.md")
    assert len(q.also_asked_by) + q.more_readers == 1
    out = ok(run_floor("intake", "csv", path, site=site))
    assert "0 added, 0 merged, 3 already imported, 0 rejected" in out
