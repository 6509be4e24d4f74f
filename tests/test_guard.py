"""The build-time guard: a reader's contact never leaves the site's sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from from_the_floor import guard
from from_the_floor.errors import FloorError


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "a.md").write_text(
        "---\nquestion: A?\nasked: 2026-11-01\ncontact: sam@example.org   # private\n---\n", encoding="utf-8"
    )
    (questions / "b.md").write_text(
        '---\r\nquestion: B?\r\ncontact: "@handle_on_mastodon"\r\n---\r\n', encoding="utf-8"
    )
    # a broken file still has its contact protected
    (questions / "broken.md").write_bytes(b'---\nquestion: "open\ncontact: caf\xe9@example.net\n---\n')
    (questions / "short.md").write_text("---\ncontact: ab\n---\n", encoding="utf-8")
    return questions


def test_contacts_are_read_from_raw_lines(sources: Path) -> None:
    found = guard.contacts_in([sources, sources.parent / "missing"])
    assert found == {"sam@example.org", "@handle_on_mastodon", "caf\ufffd@example.net"}


@pytest.mark.parametrize(
    "leak",
    [
        "Write to sam@example.org",
        "Write to SAM@Example.ORG",
        "mailto:sam%40example.org",
        "sam&#64;example.org",
        "sam&#x40;example.org",
        '{"email": "sam\\u0040example.org"}',
    ],
)
def test_scan_finds_common_encodings(tmp_path: Path, leak: str) -> None:
    out = tmp_path / "output"
    (out / "floor" / "x").mkdir(parents=True)
    (out / "floor" / "x" / "index.html").write_text(f"<p>{leak}</p>", encoding="utf-8")
    (out / "clean.html").write_text("<p>nothing here</p>", encoding="utf-8")
    assert guard.scan(out, {"sam@example.org"}) == [(out / "floor" / "x" / "index.html", "sam@example.org")]


def test_check_output_names_files_but_not_the_contact(tmp_path: Path, sources: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "feed.xml").write_text("<entry>@handle_on_mastodon</entry>", encoding="utf-8")
    with pytest.raises(FloorError) as info:
        guard.check_output(out, [sources])
    message = info.value.message
    assert str(out / "feed.xml") in message
    assert "handle_on_mastodon" not in message
    assert "refused" in message


def test_a_clean_output_passes(tmp_path: Path, sources: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("<p>sam at example dot org is not the string</p>", encoding="utf-8")
    guard.check_output(out, [sources])
    guard.check_output(tmp_path / "not-built-yet", [sources])
