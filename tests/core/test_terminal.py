"""Reader text never puts a control character on the author's terminal; extreme dates are refused.

A question, a name or a tag can hold an escape sequence (recolour, retitle or
rewrite the terminal), a carriage return or a bidi override; every line the
CLI prints shows them escaped. Dates outside 1970–2999 (``--today``, a
question's ``asked``, a CSV row's date) are one clear error, not a traceback
or a chart of a thousand years of weeks.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from from_the_floor.core import clock, stats, terminal
from from_the_floor.core.schedule import Plan
from from_the_floor.web import chart
from helpers_floor import fails_cleanly, ok, question_text, run_floor, write_question

# what a hostile reader might type: an OSC title change, a colour, CR, a bidi override, NEL
HOSTILE = "\x1b]0;owned\x07Is \x1b[31mred\x1b[0m ok\r\u202eevil\u0085?"
UNSAFE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")
HARMLESS = frozenset("\n\t\u00ad\u200c\u200d")  # kept: layout, a soft hyphen, the (non-)joiners


def raw_unsafe(text: str) -> list[str]:
    return [hex(ord(c)) for c in text if unicodedata.category(c) in UNSAFE_CATEGORIES and c not in HARMLESS]


def test_clean_escapes_every_control_and_format_character() -> None:
    every = [chr(c) for c in range(sys.maxunicode + 1)]
    unsafe = "".join(c for c in every if unicodedata.category(c) in UNSAFE_CATEGORIES and c not in HARMLESS)
    assert raw_unsafe(terminal.clean(unsafe)) == []
    assert (
        terminal.clean("caf\u00e9 \U0001f468\u200d\U0001f469 a\tb\nc")
        == "caf\u00e9 \U0001f468\u200d\U0001f469 a\tb\nc"
    )
    assert terminal.clean("\x1b[31m") == "\\x1b[31m"
    # a Persian word keeps its non-joiner; a direction mark beside the kit's quotes is shown
    assert terminal.clean("نمی\u200cدانیم") == "نمی\u200cدانیم"
    assert terminal.clean("'\u200fשלום'") == "'\\u200fשלום'"
    assert json.loads(terminal.clean_json(json.dumps(unsafe, ensure_ascii=False))) == unsafe


@pytest.fixture
def hostile_site(site: Path) -> Path:
    yaml_text = json.dumps(HOSTILE)  # a JSON string is a YAML double-quoted scalar
    write_question(
        site,
        "hostile",
        question_text(yaml_text, asker=yaml_text, tags=f"[{yaml_text}]", quick="Yes.", body="Body."),
    )
    return site


@pytest.mark.parametrize(
    "command",
    [("queue",), ("queue", "--all"), ("schedule",), ("stats",), ("check",), ("publish", "--dry-run")],
)
def test_reader_text_reaches_the_terminal_escaped(hostile_site: Path, command: tuple[str, ...]) -> None:
    result = run_floor(*command, site=hostile_site, today="2026-11-02")
    ok(result)
    assert raw_unsafe(result.stdout + result.stderr) == []


@pytest.mark.parametrize(
    ("command", "kept"),
    [
        # the question's text as the reader typed it, escaped only in the JSON
        (("queue", "--json"), "\x1b]0;owned\x07"),
        # the tag as the kit reads it from the file, the same the pages and the tags index show:
        # its words without the controls (core/question.py cleans a tag once, when it is read)
        (("stats", "--json"), "]0;owned"),
    ],
)
def test_json_output_escapes_them_and_keeps_the_text(
    hostile_site: Path, command: tuple[str, ...], kept: str
) -> None:
    out = ok(run_floor(*command, site=hostile_site, today="2026-11-02"))
    assert raw_unsafe(out) == []
    assert any(kept in text for text in strings(json.loads(out)))  # the same data


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings(item)] if isinstance(value, list) else []


def test_an_error_quoting_reader_text_is_escaped(hostile_site: Path) -> None:
    bad = question_text(json.dumps(HOSTILE), asked=json.dumps("2026-13-\x1b[2J01"))
    write_question(hostile_site, "bad-date", bad)
    err = fails_cleanly(run_floor("check", site=hostile_site))
    assert "bad-date.md" in err and raw_unsafe(err) == []


def test_a_file_name_comes_from_the_slug(site: Path) -> None:
    qid = ok(run_floor("ask", HOSTILE, site=site)).strip()
    assert qid.isascii() and all(c.isalnum() or c == "-" for c in qid)
    assert [p.name for p in (site / "questions").glob("*.md")] == [f"{qid}.md"]


# --- extreme dates ---------------------------------------------------------------------


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31", "9999-12-31T23:00:00+00:00", "1969-12-31"])
@pytest.mark.parametrize("command", [("stats",), ("schedule",), ("publish", "--dry-run"), ("queue",)])
def test_an_extreme_today_is_a_clear_error(hostile_site: Path, today: str, command: tuple[str, ...]) -> None:
    err = fails_cleanly(run_floor(*command, site=hostile_site, today=today))
    assert "--today" in err and f"{clock.EARLIEST.year}–{clock.LATEST.year}" in err


@pytest.mark.parametrize("asked", ["0001-01-01", "9999-12-31"])
def test_a_year_one_asked_is_a_clear_error(site: Path, asked: str) -> None:
    write_question(site, "ancient", question_text("Ancient?", asked=asked))
    err = fails_cleanly(run_floor("stats", site=site))
    assert "ancient.md" in err and "asked" in err and "outside the years" in err


def test_a_csv_row_dated_year_one_is_refused_not_a_traceback(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "talk.csv"
    sheet.write_text(
        "Question,Date\nHow old is this?,0001-01-01\nAnd this one?,2026-11-05\n", encoding="utf-8"
    )
    result = run_floor("intake", "csv", str(sheet), site=site)
    assert "Traceback" not in result.stdout + result.stderr
    assert [p.name for p in (site / "questions").glob("*.md")] == ["and-this-one.md"]


def test_the_history_stays_small_however_old_the_first_question(site: Path) -> None:
    """The widest span the kit accepts still makes a small chart: a thousand years in which the
    count never moved are one flat line, its first and last week, then the day it moved."""
    from from_the_floor.core import question as question_mod

    path = write_question(site, "old", question_text("Old?", asked=clock.EARLIEST.isoformat()))
    old = question_mod.load(path)
    # and one asked on the last day: with nothing planned the history ends when the count last
    # moved, so that day spans the whole range
    path = write_question(site, "new", question_text("New?", asked=clock.LATEST.isoformat()))
    new = question_mod.load(path)
    now = dt.datetime.combine(clock.LATEST, dt.time(12), tzinfo=ZoneInfo("UTC"))
    result = stats.compute([old, new], [], Plan(entries=(), unanswered=2, held=0), now)
    assert [p.waiting for p in result.history] == [1, 1, 2]
    assert result.history[0].day == clock.EARLIEST and result.history[-1].day == clock.LATEST
    assert len(chart.burndown_svg(result.history, result.forecast) or "") < 200_000
