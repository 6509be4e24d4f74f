"""`floor intake csv` on form tools' response exports (tests/fixtures/intake/forms, SOURCES.md):
each tool's question, name, email and submission-time columns are found, and its dates read."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.intake import intake_csv
from helpers_floor import TODAY as RUN_TODAY
from helpers_floor import fails_cleanly, ok, run_floor, tree_digest

FORMS = Path(__file__).resolve().parent.parent / "fixtures" / "intake" / "forms"
TODAY = dt.date(2026, 1, 1)

# file → (question column, asker column, contact column, asked column) as the tool titles them
EXPECTED = {
    "tally.csv": ("What's your question?", "Your name", "Your email", "Submitted at"),
    "typeform.csv": (
        "What would you like to ask?",
        "What's your name?",
        "What's your email address?",
        "Submit Date (UTC)",
    ),
    "microsoft-forms.csv": ("What is your question for the column?", "Name", "Email", "Completion time"),
    "jotform.csv": ("Your Question", "Full Name", "E-mail", "Submission Date"),
    "formspree.csv": ("What would you like to ask?", None, "email", "_date"),
    "netlify-forms.csv": ("question", "name", "email", "created_at"),
}


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((FORMS / name).open(encoding="utf-8-sig", newline="")))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_form_tools_columns_are_found_and_said(name: str) -> None:
    question, asker, contact, asked = EXPECTED[name]
    messages, notes = intake_csv.read(FORMS / name, source="form", today=TODAY)
    assert all(m.reason is None for m in messages), [m.reason for m in messages]
    said = notes[0]
    assert said.startswith("columns: ")
    for column, header in (("question", question), ("asker", asker), ("contact", contact), ("asked", asked)):
        if header:
            assert f"{column} ← {header}" in said
    for row, message in zip(rows(name), messages, strict=True):
        assert message.new is not None
        assert message.new.question == row[question]
        if contact and row[contact] and row[contact] != "anonymous":
            assert message.new.contact == row[contact]
        else:
            assert message.new.contact is None  # Microsoft Forms' "anonymous" is nobody's address
        assert message.new.asked != TODAY  # every row is dated from the file, never today


def test_each_tools_date_format_is_read() -> None:
    def dates(name: str) -> list[dt.date]:
        return [m.new.asked for m in intake_csv.read(FORMS / name, source="form", today=TODAY)[0] if m.new]

    assert dates("tally.csv") == [dt.date(2025, 4, 7), dt.date(2025, 4, 8)]
    assert dates("typeform.csv") == [dt.date(2025, 3, 30), dt.date(2025, 3, 31)]
    assert dates("microsoft-forms.csv") == [dt.date(2025, 4, 13), dt.date(2025, 4, 14)]  # M/D/YY
    assert dates("jotform.csv") == [dt.date(2025, 4, 7), dt.date(2025, 4, 9)]  # "Apr 9, 2025 3:41 PM"
    assert dates("formspree.csv") == [dt.date(2025, 2, 11)]


def test_a_forms_consent_question_is_each_readers_own_plain_yes() -> None:
    """Microsoft Forms' "May we print your name with it?" and Jotform's "Can we email you when it is
    answered?" are the readers' consent: a plain yes credits or notifies that reader, and no other."""
    messages, notes = intake_csv.read(FORMS / "microsoft-forms.csv", source="form", today=TODAY)
    said = {
        r["What is your question for the column?"]: r["May we print your name with it?"]
        for r in rows("microsoft-forms.csv")
    }
    assert sorted(said.values()) == ["No", "Yes"]
    assert {m.new.question: m.new.credit for m in messages} == {q: a == "Yes" for q, a in said.items()}
    assert "credit ← May we print your name with it?" in notes[0]
    assert "credit: only a plain yes to 'May we print your name with it?' counts; 1 of 2 said yes" in notes[2]

    messages, notes = intake_csv.read(FORMS / "jotform.csv", source="form", today=TODAY, notify=True)
    said = {r["Your Question"]: r["Can we email you when it is answered?"] for r in rows("jotform.csv")}
    assert {m.new.question: m.new.notify for m in messages} == {q: a == "Yes" for q, a in said.items()}
    assert not any(m.new.credit for m in messages)  # asked to be told, not to be named
    assert "1 of 2 said yes, 1 of them with a contact" in notes[1]
    assert "--notify is not used" in notes[1]  # each reader answered for themselves


def test_only_a_plain_yes_counts_and_any_other_answer_is_said(tmp_path: Path) -> None:
    text = (FORMS / "microsoft-forms.csv").read_text(encoding="utf-8-sig")
    assert text.count(",Yes\n") == 1
    unclear = tmp_path / "forms.csv"
    unclear.write_text(text.replace(",Yes\n", ',"Yes, but only my initials"\n'), encoding="utf-8")
    messages, notes = intake_csv.read(unclear, source="form", today=TODAY)
    assert all(m.reason is None and m.new.credit is False for m in messages)
    assert "row 3 answered 'Yes, but only my initials', not a plain yes: taken as no" in notes[-1]
    unclear.write_text(text.replace(",Yes\n", ',"Yes, please"\n'), encoding="utf-8")
    assert [m.new.credit for m in intake_csv.read(unclear, source="form", today=TODAY)[0]] == [False, True]


def test_the_anonymous_respondents_answer_keeps_its_words(tmp_path: Path) -> None:
    """Microsoft Forms writes "anonymous" where the form did not ask who answered (the real
    export's first row): that is no reader's contact, so the word stays in the note of their
    answer, and they are not counted as reachable."""
    text = (FORMS / "microsoft-forms.csv").read_text(encoding="utf-8-sig")
    assert ",anonymous,," in text and text.count(",No\n") == 1
    unclear = tmp_path / "forms.csv"
    unclear.write_text(text.replace(",No\n", ',"Only if I stay anonymous"\n'), encoding="utf-8")
    _messages, notes = intake_csv.read(unclear, source="form", today=TODAY)
    said = [n for n in notes if "row 2 answered" in n]
    assert said == ["credit: row 2 answered 'Only if I stay anonymous', not a plain yes: taken as no"]


@pytest.mark.parametrize(
    ("answer", "contact"),
    [
        ("Yes: ann.reader@example.org", "ann.reader@example.org"),
        ("yes, ring me on +44 20 7946 0958", "+44 20 7946 0958"),
        ("Only as ann.reader@example.org", "ann.reader@example.org"),
    ],
)
def test_an_unclear_consent_answer_is_said_without_the_readers_contact(
    tmp_path: Path, answer: str, contact: str
) -> None:
    """The note naming an answer that is not a plain yes is printed (and shown on the desk's Take
    in page): a reader who wrote their address or number into that answer must not see it there."""
    text = (FORMS / "microsoft-forms.csv").read_text(encoding="utf-8-sig")
    unclear = tmp_path / "forms.csv"
    unclear.write_text(text.replace(",Yes\n", f',"{answer}"\n'), encoding="utf-8")
    messages, notes = intake_csv.read(unclear, source="form", today=TODAY)
    assert all(m.new.credit is False for m in messages)
    said = [n for n in notes if "row 3 answered" in n]
    assert len(said) == 1 and "not a plain yes: taken as no" in said[0]
    assert "[address removed]" in said[0]
    assert not any(contact in n or contact.replace(" ", "") in n.replace(" ", "") for n in notes)


def test_floor_intake_csv_prints_an_unclear_consent_answer_without_a_national_number(site: Path) -> None:
    """The command's note masks a number written as the column's country writes it (its phone
    region), as the question's text is masked."""
    (site / "pelicanconf.py").write_text(
        (site / "pelicanconf.py").read_text(encoding="utf-8") + '\nFLOOR_PHONE_REGION = "GB"\n',
        encoding="utf-8",
    )
    text = (FORMS / "microsoft-forms.csv").read_text(encoding="utf-8-sig")
    unclear = site.parent / "forms.csv"
    unclear.write_text(text.replace(",Yes\n", ',"yes, or text 07911 123456"\n'), encoding="utf-8")
    result = run_floor("intake", "csv", unclear, site=site)
    out = ok(result)
    assert "row 3 answered 'yes, or text [address removed]', not a plain yes" in out
    assert "123456" not in out + result.stderr


@pytest.mark.parametrize(
    "title",
    [
        "Would you rather we did not print your name?",
        "Do you want to stay anonymous?",
        "Can we print your first name only?",
        "Can we email you and print your name when it is answered?",
        "May we email you?",  # about what? not the answer
        "Is this your real name?",
    ],
)
def test_a_yes_no_question_that_is_not_one_plain_consent_is_ignored(tmp_path: Path, title: str) -> None:
    """A negated, partial, double or vague yes/no question is never read as consent, nor as the
    question or a name: a yes to it would mean something the reader did not say."""
    text = (FORMS / "microsoft-forms.csv").read_text(encoding="utf-8-sig")
    changed = tmp_path / "forms.csv"
    changed.write_text(text.replace("May we print your name with it?", title), encoding="utf-8")
    messages, notes = intake_csv.read(changed, source="form", today=TODAY)
    assert notes[1] == f"ignored columns: Start time, {title}"
    assert not any(m.new.credit or m.new.notify for m in messages)


def test_an_ambiguous_form_date_is_kept_aside_asking_for_dates(tmp_path: Path) -> None:
    text = (FORMS / "microsoft-forms.csv").read_text(encoding="utf-8-sig")
    ambiguous = tmp_path / "forms.csv"
    ambiguous.write_text(text.replace("4/13/25", "4/3/25").replace("4/14/25", "5/4/25"))
    messages, _ = intake_csv.read(ambiguous, source="form", today=TODAY)
    assert all("--dates" in (m.reason or "") for m in messages)
    messages, _ = intake_csv.read(ambiguous, source="form", today=TODAY, dates="mdy")
    assert [m.new.asked for m in messages if m.new] == [dt.date(2025, 4, 3), dt.date(2025, 5, 4)]


# --- real exports (tests/fixtures/intake/SOURCES.md) ---------------------------------------------

JUPYTER = FORMS / "google-forms-jupyter-education-2016.csv"  # Jupyter's 2016 survey, Google Forms, CC0
SUGGESTIONS = (
    "Do you have any specific suggestions for how Jupyter tools could be made more accessible "
    "for instructors?"
)


def test_a_real_google_forms_survey_without_a_question_column_says_how_to_name_it(site: Path) -> None:
    before = tree_digest(site)
    err = fails_cleanly(run_floor("intake", "csv", JUPYTER, site=site))
    assert f"{JUPYTER.name}:1: no question column" in err
    assert "--column question='ITS TITLE'" in err
    assert tree_digest(site) == before  # nothing half-written


def test_a_real_google_forms_survey_with_its_question_column_named(site: Path) -> None:
    """Google Forms' own "Timestamp" (M/D/YYYY H:MM:SS, month first as a 22nd day shows) dates each
    row; a question about "the official name of your course" is not taken for the reader's name."""
    rows = list(csv.DictReader(JUPYTER.open(encoding="utf-8", newline="")))
    answered = [r for r in rows if r[SUGGESTIONS].strip()]
    assert 0 < len(answered) < len(rows)
    result = run_floor("intake", "csv", JUPYTER, "--column", f"question={SUGGESTIONS}", site=site)
    out = ok(result)
    assert out.splitlines()[0] == f"note: columns: asked ← Timestamp; question ← {SUGGESTIONS}"
    summary = re.search(r"(\d+) added, (\d+) merged, 0 already imported, (\d+) rejected", out)
    assert summary is not None, out
    added, merged, rejected = (int(n) for n in summary.groups())
    assert added + merged == len(answered) and rejected == len(rows) - len(answered)
    assert "no question: the question cell is empty" in result.stderr  # blank rows, kept aside
    filed = [question_mod.load(path) for path in (site / "questions").glob("*.md")]
    assert len(filed) == added and all(q.asker is None for q in filed)
    dates = {dt.datetime.strptime(r["Timestamp"], "%m/%d/%Y %H:%M:%S").date() for r in answered}
    assert {q.asked for q in filed} <= dates and min(q.asked for q in filed) == min(dates)
    assert not any(q.asked.isoformat() == RUN_TODAY for q in filed)  # never the day of the run


def test_a_named_column_that_is_not_there_is_refused(site: Path) -> None:
    err = fails_cleanly(run_floor("intake", "csv", JUPYTER, "--column", "question=Your question", site=site))
    assert "--column question=…: no column is titled 'Your question'" in err
    err = fails_cleanly(run_floor("intake", "csv", JUPYTER, "--column", "asker", site=site), code=2)
    assert "is not FIELD=TITLE" in err
