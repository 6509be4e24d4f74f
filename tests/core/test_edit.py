"""Editing a queued question: one field changes, the file is otherwise untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from from_the_floor.core import edit
from from_the_floor.core import question as question_mod
from from_the_floor.errors import FloorError

TEXT = (
    "---\n"
    "# notes to self\n"
    "question: Why  so   spaced?   # verbatim\n"
    "asked: 2026-11-01\n"
    "tags:\n"
    "  - spacing\n"
    "quick_answer:\n"
    "---\n"
    "Body — ünïcödé.\n"
)


@pytest.fixture
def qfile(tmp_path: Path) -> Path:
    path = tmp_path / "why-so-spaced.md"
    path.write_bytes(TEXT.encode("utf-8"))
    return path


def test_update_changes_one_field_and_returns_the_new_question(qfile: Path) -> None:
    q = edit.update(question_mod.load(qfile), {"quick_answer": "Habit."})
    assert q.quick_answer == "Habit."
    assert qfile.read_text(encoding="utf-8") == TEXT.replace("quick_answer:\n", "quick_answer: Habit.\n")


def test_update_with_body_and_removal(qfile: Path) -> None:
    q = question_mod.load(qfile)
    q = edit.update(q, {"quick_answer": "Habit.", "hold": True}, body="New body.")
    assert q.status == "held" and q.body == "New body."
    q = edit.update(q, {"hold": None})
    assert q.status == "ready"
    assert qfile.read_text(encoding="utf-8") == TEXT.replace(
        "quick_answer:\n", "quick_answer: Habit.\n"
    ).replace("Body — ünïcödé.\n", "New body.\n")


def test_an_invalid_result_is_not_written(qfile: Path) -> None:
    q = question_mod.load(qfile)
    with pytest.raises(FloorError) as info:
        edit.update(q, {"asked": "2026-02-30"})
    assert info.value.field == "asked"
    assert qfile.read_bytes() == TEXT.encode("utf-8")


def test_replace_text_validates_first(qfile: Path) -> None:
    q = question_mod.load(qfile)
    with pytest.raises(FloorError):
        edit.replace_text(q, "---\nquestion: [broken\n---\n")
    assert qfile.read_bytes() == TEXT.encode("utf-8")
    new = TEXT.replace("quick_answer:", "quick_answer: Fine")
    assert edit.replace_text(q, new).quick_answer == "Fine"
    assert qfile.read_text(encoding="utf-8") == new


def test_no_temp_files_are_left_behind(qfile: Path) -> None:
    edit.update(question_mod.load(qfile), {"quick_answer": "x"})
    assert sorted(p.name for p in qfile.parent.iterdir()) == [qfile.name]
