"""`floor intake csv` on files as spreadsheets write them (tests/fixtures/intake/SOURCES.md: which is which).

The three LibreOffice files are real exports (LibreOffice Calc 7.4, headless) of
one sheet; the Excel and Google Sheets files follow those programs' rules. The
number of rows expected is counted from each file with the csv module and its
own delimiter, not typed in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.errors import FloorError
from from_the_floor.intake import intake_csv
from helpers_floor import fails_cleanly, ok, run_floor, tree_digest

DATA = Path(__file__).resolve().parent.parent / "fixtures" / "intake"
TODAY = dt.date(2026, 11, 20)


def records(name: str, delimiter: str, encoding: str = "utf-8-sig") -> list[list[str]]:
    text = (DATA / name).read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))[1:]


def read(name: str, **kwargs):
    return intake_csv.read(DATA / name, source="sheet", today=TODAY, **kwargs)


@pytest.mark.parametrize(
    ("name", "delimiter"),
    [
        ("libreoffice-de-semicolon.csv", ";"),  # 05.11.2026
        ("libreoffice-en-gb-tab.csv", "\t"),  # 05/11/2026, and 13/11/2026 says day first
        ("libreoffice-en-us-comma.csv", ","),  # 11/05/2026, and 11/13/2026 says month first
    ],
)
def test_libreoffice_exports_in_three_locales(name: str, delimiter: str) -> None:
    messages, notes = read(name)
    notes = notes[1:]  # the first says which column was taken for what
    assert len(messages) == len(records(name, delimiter))
    assert notes == []
    first, second = (m.new for m in messages)
    assert first.question == "Wie sagt man einem Kunden „nein“, ohne ihn zu verlieren?"
    assert first.asked == dt.date(2026, 11, 5) and second.asked == dt.date(2026, 11, 13)
    # a doubled quote is a quote; a quoted line break stays in the cell
    assert first.details == 'Sie schrieb: "Ich will höflich bleiben; aber klar."\nZweite Zeile der Notiz.'
    assert second.question == 'Is a "quick answer" ever enough?'
    assert (first.asker, first.credit, second.asker, second.credit) == ("Jana", True, None, False)


def test_excel_csv_utf8_with_bom_semicolons_and_localised_booleans() -> None:
    messages, notes = read("excel-de-csv-utf8.csv")
    notes = notes[1:]
    assert len(messages) == len(records("excel-de-csv-utf8.csv", ";"))
    assert notes == []
    first, second = (m.new for m in messages)
    assert first.question == "Wie finde ich jede Woche Zeit zum Schreiben?"  # no BOM in the header
    assert (first.asked, first.contact, first.credit) == (dt.date(2026, 11, 5), "mo@example.org", True)
    assert first.details == 'Nach dem Vortrag; sagte: "nur kurz"'
    assert (second.credit, second.details) == (False, "Zeile eins\nZeile zwei")


def test_excel_unicode_text_is_utf16_with_tabs() -> None:
    messages, _ = read("excel-unicode-text.txt")
    assert len(messages) == len(records("excel-unicode-text.txt", "\t", "utf-16"))
    assert [m.new.question for m in messages] == [
        "Why do you answer only one question a week?",
        'What makes a question "good"?',
    ]
    assert [m.new.asked for m in messages] == [dt.date(2026, 11, 13), dt.date(2026, 11, 5)]


def test_google_forms_responses_downloaded_from_sheets() -> None:
    messages, notes = read("google-forms-responses.csv")
    assert len(messages) == len(records("google-forms-responses.csv", ","))
    assert notes[1:] == [
        "credit: only a plain yes to 'Can we print your name?' counts; 1 of 2 said yes (credit: true)"
    ]
    first, second = (m.new for m in messages)
    assert first.question == "How do you pick which question to answer first?"
    assert (first.asker, first.contact, first.asked) == ("Ines", "ines@example.org", dt.date(2026, 11, 5))
    assert first.details == 'I run a small bakery, so "first" matters.\nThanks!'
    assert (first.credit, second.credit) == (True, False)  # Ines said "Yes"; the second left it empty
    assert second.asked == dt.date(2026, 11, 14)


def test_ambiguous_dates_ask_for_the_order(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("question,date\nWhy Mondays?,05/11/2026\nWhy not?,06/11/2026\n", encoding="utf-8")
    messages, _ = intake_csv.read(path, source="notes", today=TODAY)
    assert all(m.new is None and "--dates dmy or --dates mdy" in m.reason for m in messages)
    messages, _ = intake_csv.read(path, source="notes", today=TODAY, dates="mdy")
    assert [m.new.asked for m in messages] == [dt.date(2026, 5, 11), dt.date(2026, 6, 11)]


def test_excel_sep_line_and_a_doubled_quote_in_the_header_row(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(b'sep=;\r\nQuestion;"Notes ""inner"""\r\n"A ""quoted"" one?";x\r\n')
    messages, notes = intake_csv.read(path, source="notes", today=TODAY)
    assert [m.new.question for m in messages] == ['A "quoted" one?']
    assert notes[1:] == ['ignored column: Notes "inner"']
    assert messages[0].label.endswith("row 2")


def test_a_workbook_is_refused_with_the_way_out() -> None:
    with pytest.raises(FloorError) as err:
        read("libreoffice.xlsx")
    assert "spreadsheet workbook" in err.value.message and "CSV UTF-8" in err.value.message


def test_cli_files_the_libreoffice_sheet_once(site: Path) -> None:
    out = ok(run_floor("intake", "csv", DATA / "libreoffice-de-semicolon.csv", site=site))
    assert "2 added, 0 merged, 0 already imported, 0 rejected" in out
    q = question_mod.load(site / "questions" / "is-a-quick-answer-ever-enough.md")
    assert q.question == 'Is a "quick answer" ever enough?' and q.asked == dt.date(2026, 11, 13)
    before = tree_digest(site)
    assert "2 already imported" in ok(
        run_floor("intake", "csv", DATA / "libreoffice-de-semicolon.csv", site=site)
    )
    assert tree_digest(site) == before
    assert "spreadsheet workbook" in fails_cleanly(
        run_floor("intake", "csv", DATA / "libreoffice.xlsx", site=site)
    )
    assert tree_digest(site) == before
