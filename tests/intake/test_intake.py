"""Adding questions: the file written, its id, and what is cleaned on the way in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.intake import intake
from helpers_floor import opened

ASKED = dt.date(2026, 11, 2)


def add(site_dir: Path, text: str, **kwargs) -> str:
    return intake.add(Site(site_dir), intake.NewQuestion(question=text, asked=ASKED, **kwargs))


def test_add_writes_a_question_file_that_reads_back(site: Path) -> None:
    qid = add(
        site,
        "Ça va, naïve café?",
        asker="Zoë",
        contact="zoe@example.org",
        source="email",
        tags=["cafés", "no"],
        details="Line one\nline *two*",
        credit=True,
    )
    assert qid == "ca-va-naive-cafe"
    path = site / "questions" / f"{qid}.md"
    q = question_mod.load(path)
    assert q.question == "Ça va, naïve café?"
    assert q.asked == ASKED
    assert q.contact.startswith("age:")  # sealed at rest
    assert (q.asker, q.credit, opened(site, q.contact), q.source) == ("Zoë", True, "zoe@example.org", "email")
    assert q.tags == ["cafés", "no"]
    assert q.details == "Line one\nline *two*"
    assert q.status == "unanswered"
    # the brief's key order, and an empty quick answer for the author to fill in
    keys = [line.split(":")[0] for line in path.read_text(encoding="utf-8").splitlines()[1:-1]]
    order = ["question", "asked", "asker", "credit", "contact", "source", "tags", "details", "quick_answer"]
    assert keys == order


def test_identical_questions_get_distinct_ids(site: Path) -> None:
    first = add(site, "Why?  Why not?")
    second = add(site, "Why? Why not?")
    assert (first, second) == ("why-why-not", "why-why-not-2")
    assert (site / "questions" / "why-why-not.md").exists()
    assert (site / "questions" / "why-why-not-2.md").exists()


def test_a_published_id_is_not_reused(site: Path) -> None:
    (site / "content" / "floor" / "taken.md").write_text("placeholder", encoding="utf-8")
    assert add(site, "Taken") == "taken-2"


def test_never_overwrites_a_file_that_appears_meanwhile(site: Path, monkeypatch) -> None:
    """Another intake may write the chosen name between the look and the write."""
    rival = site / "questions" / "race.md"
    real_unique_id = intake.unique_id

    def racing(text, taken):
        qid = real_unique_id(text, taken)
        if qid == "race" and not rival.exists():
            rival.write_text("the other process's question", encoding="utf-8")
        return qid

    monkeypatch.setattr(intake, "unique_id", racing)
    assert add(site, "Race") == "race-2"
    assert rival.read_text(encoding="utf-8") == "the other process's question"
    assert not [p for p in (site / "questions").iterdir() if p.name.endswith(".tmp")]


def test_control_characters_are_dropped(site: Path) -> None:
    qid = add(site, "Bidi\u202e trick\x07 and\ttabs\r\nhere?", asker="Sam\u200b", details="a\r\nb\x1b[31m")
    q = question_mod.load(site / "questions" / f"{qid}.md")
    assert q.question == "Bidi trick and tabs here?"
    assert q.asker == "Sam"
    assert q.details == "a\nb[31m"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u200b"])
def test_an_empty_question_is_refused(site: Path, text: str) -> None:
    with pytest.raises(FloorError, match="empty"):
        add(site, text)
    assert not list((site / "questions").glob("*.md"))


def test_tricky_yaml_values_survive(site: Path) -> None:
    qid = add(site, "no", asker="null", tags=["yes", "- x", "a: b", "#c"], details="---\nnot a fence")
    q = question_mod.load(site / "questions" / f"{qid}.md")
    assert qid == "no"
    assert q.question == "no" and q.asker == "null"
    assert q.tags == ["yes", "- x", "a: b", "#c"]
    assert q.details == "---\nnot a fence"


def test_noncharacters_are_dropped_like_control_characters(site: Path) -> None:
    """U+FFFE in a title made both feeds malformed XML (the feed writer checks only controls)."""
    qid = add(site, "Why \ufffe not\uffff? \U0001f469\u200d\U0001f467", details="a\ufdd0b")
    q = question_mod.load(site / "questions" / f"{qid}.md")
    assert q.question == "Why not? \U0001f469\u200d\U0001f467"
    assert q.details == "ab"


@pytest.mark.parametrize(
    "contact",
    ["undefined", "None", "true", "<script>alert(1)</script>", "!@#$%^&*()`~", "desk", "@ab", "1/0"],
)
def test_a_contact_that_reaches_no_one_is_refused_without_showing_it(
    site: Path, run_floor, contact: str
) -> None:
    """Before, any text was a contact: the guard then looked for `undefined` in every page, found
    it in the theme's own script and refused every build until the question was taken out."""
    done = run_floor("ask", "--contact", contact, "Can you reach me?", cwd=site)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: contact: is not an email address, a phone number or an @handle")
    assert done.stderr.count("\n") == 1 and contact not in done.stderr
    assert not list((site / "questions").glob("*.md"))


@pytest.mark.parametrize(
    ("contact", "stored"),
    [
        ("Ann <ann@example.org>", "ann@example.org"),
        ("+44 7700 900456", "+44 7700 900456"),
        ("@ann_on_mastodon", "@ann_on_mastodon"),
        ("@ann@example.social", "@ann@example.social"),
        ("github:owner/repo/issues/7", "github:owner/repo/issues/7"),
    ],
)
def test_addresses_numbers_and_handles_are_contacts(site: Path, contact: str, stored: str) -> None:
    qid = add(site, "Can you reach me?", contact=contact)
    assert opened(site, question_mod.load(site / "questions" / f"{qid}.md").contact) == stored


def test_a_tag_too_long_for_a_file_name_is_refused(site: Path) -> None:
    """A 269-character tag became a 269-byte feed name (feeds/tag/<slug>.atom.xml): the build
    failed on the file system's 255-byte limit."""
    with pytest.raises(FloorError, match=r"tags: a tag of 101 characters is too long"):
        add(site, "Is this tag too long?", tags=["x" * 101])
    with pytest.raises(FloorError, match=r"tags: a tag of \d+ characters is too long"):
        add(site, "Is this one too?", tags=["\ufdfa" * 20])  # one character, 30 letters transliterated
    assert not list((site / "questions").glob("*.md"))
    assert add(site, "And this one?", tags=["x" * 100])


def test_a_form_row_keeps_its_question_when_its_contact_or_a_tag_cannot_be_kept(
    site: Path, run_floor, tmp_path: Path
) -> None:
    """A form's optional contact column often says "n/a" or "none": the row's question is filed
    without it (a note says so, never the value), and a tag too long for a page address is left
    out the same way, instead of the whole question being put aside."""
    rows = tmp_path / "form.csv"
    rows.write_text(
        "question,contact,tags,asked\n"
        "How do you choose a topic?,n/a (private),writing,2026-11-02\n"
        f"Do you ever run out of ideas?,ann@example.org,\"{'x' * 101}, ideas\",2026-11-03\n",
        encoding="utf-8",
    )
    done = run_floor("intake", "csv", str(rows), cwd=site)
    said = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in said and "2 added" in said, said
    assert said.count("contact left out: it holds no email address") == 1
    assert "left out 1 tag longer than 100 characters" in said and "n/a (private)" not in said
    by_text = {q.question: q for q in map(question_mod.load, (site / "questions").glob("*.md"))}
    assert by_text["How do you choose a topic?"].contact is None
    assert by_text["How do you choose a topic?"].tags == ["writing"]
    ideas = by_text["Do you ever run out of ideas?"]
    assert ideas.tags == ["ideas"] and opened(site, ideas.contact) == "ann@example.org"
