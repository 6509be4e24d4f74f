"""The one-question jobs the CLI and the desk share: only the fields they change change, and a file
changed since the form was opened is never overwritten (the edit is kept aside, and the error says where)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.commands import questions
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError

FILE = """---
# the author's note, kept
question: Why keep every byte?
asked: 2026-11-01
tags: [care]
quick_answer:
priority: 2
---
"""


@pytest.fixture
def one(site: Path) -> Path:
    path = site / "questions" / "why.md"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_answer_changes_only_the_answers(site: Path, one: Path) -> None:
    q = questions.answer(Site(site), "why", "  Because   it is yours. ", "Every byte.\n")
    assert q.status == "ready" and questions.done_line(q) == "why: ready"
    text = one.read_text(encoding="utf-8")
    assert text == FILE.replace("quick_answer:\n", "quick_answer: Because it is yours.\n") + "Every byte.\n"


def test_a_file_changed_since_it_was_opened_is_not_overwritten(site: Path, one: Path) -> None:
    opened = questions.digest(one.read_text(encoding="utf-8"))
    elsewhere = FILE.replace("priority: 2", "priority: 5")  # an edit in an editor meanwhile
    one.write_text(elsewhere, encoding="utf-8")
    with pytest.raises(FloorError) as caught:
        questions.answer(Site(site), "why", "Mine.", "My long answer.\n", expected=opened)
    assert "changed since you opened it" in caught.value.message
    kept = one.with_name(".why.rejected-edit.md")
    assert str(kept) in caught.value.message
    assert one.read_text(encoding="utf-8") == elsewhere  # the other edit survives
    aside = kept.read_text(encoding="utf-8")
    assert "quick_answer: Mine." in aside and "My long answer." in aside and "priority: 5" in aside
    # opened on the current file, it saves
    current = questions.digest(one.read_text(encoding="utf-8"))
    assert questions.answer(Site(site), "why", "Mine.", "x\n", expected=current).quick_answer == "Mine."


def test_set_fields_and_remove_them(site: Path, one: Path) -> None:
    s = Site(site)
    q = questions.set_fields(
        s,
        "why",
        {
            "priority": questions.parse_priority("7"),
            "pin": questions.parse_date("2026-12-07", "pin"),
            "not_before": questions.parse_date("2026-12-01", "not_before"),
            "tags": questions.parse_tags(" care , style,care "),
        },
    )
    assert (q.priority, q.pin, q.not_before, q.tags) == (
        7,
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 1),
        ["care", "style"],
    )
    assert "# the author's note, kept" in one.read_text(encoding="utf-8")
    q = questions.set_fields(
        s,
        "why",
        {
            "priority": questions.parse_priority(""),
            "pin": questions.parse_date("none", "pin"),
            "tags": questions.parse_tags(""),
        },
    )
    assert (q.priority, q.pin, q.tags) == (0, None, [])
    text = one.read_text(encoding="utf-8")
    assert "priority:" not in text and "pin:" not in text and "tags:" not in text


def test_bad_values_name_the_field(site: Path, one: Path) -> None:
    with pytest.raises(FloorError) as caught:
        questions.parse_date("7 December", "pin")
    assert caught.value.field == "pin" and "YYYY-MM-DD" in caught.value.problem
    with pytest.raises(FloorError) as caught:
        questions.parse_priority("high")
    assert caught.value.field == "priority"
    with pytest.raises(FloorError, match="give a reason"):
        questions.decline(Site(site), "why", "   ")
    with pytest.raises(FloorError, match="not a question id"):
        questions.find(Site(site), "../content/floor/x")
    assert one.read_text(encoding="utf-8") == FILE


def test_cli_set_and_undecline(site: Path, one: Path, run_floor) -> None:
    done = run_floor("set", "why", "--pin", "2026-12-07", "--tags", "a, b", site=site)
    assert done.returncode == 0 and done.stdout.startswith("why: unanswered ("), done.stderr
    assert "pin: 2026-12-07" in one.read_text(encoding="utf-8")
    bad = run_floor("set", "why", "--not-before", "soon", site=site)
    assert bad.returncode == 1 and "not_before" in bad.stderr and "Traceback" not in bad.stderr
    assert run_floor("decline", "why", "--reason", "off topic", site=site).stdout.strip() == "why: declined"
    assert run_floor("undecline", "why", site=site).stdout.startswith("why: unanswered (")
