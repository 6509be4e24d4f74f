"""`floor intake eml` / `mbox`: what an email becomes, what is cut, and that nothing is lost or doubled."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from from_the_floor.intake import intake_email
from helpers_floor import assert_inert, fails_cleanly, ok, opened, run_floor, tree_digest

DATA = Path(__file__).resolve().parent.parent / "data" / "intake"
TZ = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 9)


def parse(name: str, **kwargs):
    return intake_email.parse((DATA / name).read_bytes(), name, tz=TZ, today=TODAY, **kwargs)


def test_plain_email_subject_body_sender() -> None:
    message = parse("plain.eml", notify=True)
    new = message.new
    assert new is not None and message.reason is None
    assert new.question == "Do you ever stalk your customers?"  # "Re:" dropped
    assert (new.asker, new.contact, new.source) == ("Sam Reader", "sam.reader@example.org", "email")
    assert new.asked == dt.date(2026, 11, 2)
    assert new.intake_id == "<20261102091358.GA1234@mail.example.org>"
    assert new.notify is True
    # the reader's words stay; the signature and the quoted earlier email do not
    assert "look people up on LinkedIn" in new.details
    assert "Product, Example Org" not in new.details and "+44" not in new.details
    assert "wrote:" not in new.details and "Send me your questions" not in new.details


def test_html_only_email_becomes_clean_markdown() -> None:
    new = parse("html-only.eml").new
    assert new is not None
    assert new.question == "How do you say “no” to a client?"
    assert new.asker == "Zoë Martin"
    assert "**should not**" in new.details and "*no*" in new.details
    assert "[Some context](https://example.com/context)" in new.details
    for gone in ("alert", "steal", "tracker", "color: red", "<"):
        assert gone not in new.details


def test_attachments_are_ignored_with_a_note_and_plain_text_wins() -> None:
    message = parse("with-attachment.eml")
    assert message.notes == ["ignored 1 attachment (notes.pdf)"]
    new = message.new
    assert new is not None
    # "Question" says nothing: the body's question is the question
    assert new.question == "What is your process for choosing which question goes out next?"
    assert "café" in new.details  # ISO-8859-1 quoted-printable, decoded
    assert "iPhone" not in new.details and "JVBER" not in new.details
    assert new.asked == dt.date(2026, 11, 4)  # 08:00 -0500 is 13:00 in London


def test_a_message_without_id_gets_a_stable_content_id() -> None:
    raw = b"From: Kim <kim@example.org>\nSubject: Why Mondays?\n\nJust curious.\n"
    first = intake_email.parse(raw, "a.eml", tz=TZ, today=TODAY)
    again = intake_email.parse(raw, "copy.eml", tz=TZ, today=TODAY)
    assert first.new.intake_id == again.new.intake_id
    assert first.new.intake_id.startswith("sha256:")
    assert first.new.asked == TODAY  # no Date header


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        ((DATA / "not-an-email.eml").read_bytes(), "not an email"),
        (b"From: a@example.org\nSubject: \n\n\n", "no question"),
    ],
)
def test_unusable_messages_are_rejected_with_a_reason(raw: bytes, reason: str) -> None:
    message = intake_email.parse(raw, "x.eml", tz=TZ, today=TODAY)
    assert message.new is None and reason in message.reason
    assert message.raw == raw


def test_quoted_reply_and_signature_cutting() -> None:
    text = (
        "Short question below.\n\nWhy Mondays?\n\n--\nKim\n\n"
        "-----Original Message-----\nFrom: Robin\nSent: today\n> old text"
    )
    assert intake_email.strip_reply(text) == "Short question below.\n\nWhy Mondays?"
    outlook = "Why Mondays?\n\nFrom: Robin Ashdown <r@example.net>\nSent: Monday\nSubject: hello"
    assert intake_email.strip_reply(outlook) == "Why Mondays?"
    german = "Warum montags?\n\nAm 2. Nov. 2026 um 10:00 schrieb Robin <r@example.net>:\n> alt"
    assert intake_email.strip_reply(german) == "Warum montags?"
    wrapped = "Why Mondays?\n\nOn Fri, 30 Oct 2026 at 17:02, Robin Ashdown <\nrobin@example.net> wrote:\n> hi"
    assert intake_email.strip_reply(wrapped) == "Why Mondays?"
    own_words = "On Mondays I read.\nOn Tuesdays I write.\n\nWhy?"
    assert intake_email.strip_reply(own_words) == own_words


def test_mbox_reads_every_message_and_unescapes_from_lines() -> None:
    messages = intake_email.read_mbox(DATA / "questions.mbox", tz=TZ, today=TODAY)
    assert [m.new.intake_id for m in messages] == [
        "<mbox-1@example.org>",
        "<mbox-2@example.com>",
        "<mbox-3@example.net>",
    ]
    assert "From the floor of our sales office" in messages[1].new.details
    assert messages[0].label == "questions.mbox message 1"


def test_a_file_that_is_not_an_mbox_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FloorError) as err:
        intake_email.read_mbox(DATA / "plain.eml", tz=TZ, today=TODAY)
    assert "not an mbox" in err.value.message
    empty = tmp_path / "empty.mbox"
    empty.write_bytes(b"")
    assert intake_email.read_mbox(empty, tz=TZ, today=TODAY) == []


def test_cli_eml_adds_rejects_and_is_idempotent(site: Path) -> None:
    files = [DATA / n for n in ("plain.eml", "html-only.eml", "with-attachment.eml", "not-an-email.eml")]
    result = run_floor("intake", "eml", *files, site=site)
    out = ok(result)
    assert "added do-you-ever-stalk-your-customers: Do you ever stalk your customers?" in out
    assert "note: with-attachment.eml: ignored 1 attachment (notes.pdf)" in out
    assert "3 added, 0 merged, 0 already imported, 1 rejected" in out
    assert "rejected not-an-email.eml: no email headers" in result.stderr
    q = question_mod.load(site / "questions" / "do-you-ever-stalk-your-customers.md")
    assert (opened(site, q.contact), q.source, q.notify, q.status) == (
        "sam.reader@example.org",
        "email",
        False,
        "unanswered",
    )
    rejected = sorted((site / "questions" / "inbox" / "rejected").iterdir())
    assert [p.name.split(".", 1)[1] for p in rejected] == ["eml.age", "reason.txt"]
    # kept byte for byte, sealed (a message's headers hold the sender's address)
    kept = Site(site).keys.open_bytes(rejected[0].read_bytes())
    assert kept == (DATA / "not-an-email.eml").read_bytes()
    assert "no email headers" in rejected[1].read_text(encoding="utf-8")
    # nothing under inbox/ is part of the queue
    assert "ok: 3 queued" in ok(run_floor("check", site=site))

    before = tree_digest(site)
    again = run_floor("intake", "eml", *files, site=site)
    assert "0 added, 0 merged, 3 already imported, 1 rejected" in ok(again)
    assert tree_digest(site) == before


def test_cli_mbox_merges_a_near_duplicate_and_skips_a_repeat(site: Path, tmp_path: Path) -> None:
    ok(run_floor("intake", "eml", DATA / "plain.eml", site=site))
    out = ok(run_floor("intake", "mbox", DATA / "questions.mbox", "--notify", site=site))
    # message 1: Sam again, same question → not a second reader
    assert (
        "asked again by the same reader: questions.mbox message 1 is do-you-ever-stalk-your-customers" in out
    )
    # message 2: Jo, in other words → merged, with the match shown and the way back
    assert "merged questions.mbox message 2 into do-you-ever-stalk-your-customers as reader 2" in out
    assert "matched:  Do you ever stalk your customers?" in out
    assert "floor split do-you-ever-stalk-your-customers --entry 1" in out
    assert "added what-should-i-read-to-get-better-at-listening" in out
    q = question_mod.load(site / "questions" / "do-you-ever-stalk-your-customers.md")
    assert [(e.asker, opened(site, e.contact), e.notify) for e in q.also_asked_by] == [
        ("Jo", "jo@example.com", True)
    ]
    assert q.readers == 2 and q.asked_by == "2 readers"

    not_mbox = tmp_path / "inbox.mbox"
    shutil.copy(DATA / "plain.eml", not_mbox)
    assert "not an mbox mailbox" in fails_cleanly(run_floor("intake", "mbox", not_mbox, site=site))


def test_reader_html_in_details_renders_inert(site: Path) -> None:
    from from_the_floor.web import render

    ok(run_floor("intake", "eml", DATA / "html-only.eml", site=site))
    q = question_mod.load(site / "questions" / "how-do-you-say-no-to-a-client.md")
    assert_inert(render.reader_markdown(q.details))


def test_readers_who_want_a_note_before_mail_is_set_up_are_named_once(site: Path) -> None:
    # Without a mail server the first sign used to be the weekly job's red run after the answer
    # went out: now the intake says once, as they arrive, where the mail settings go.
    no_mail = {"FLOOR_SMTP_HOST": ""}
    result = run_floor("intake", "mbox", DATA / "questions.mbox", "--notify", site=site, env=no_mail)
    said = ok(result) + result.stderr
    assert said.count("asked to hear by email when the answer is up") == 1, said
    assert "these 3 readers asked" in said
    assert "only once the mail settings are set up" in said and "FLOOR_SMTP_HOST" in said
    for address in ("sam.reader@example.org", "jo@example.com", "pat@example.net"):
        assert address not in said
    # readers who did not ask, or a column that can send mail, hear nothing of it
    quiet = ok(run_floor("intake", "eml", DATA / "plain.eml", site=site, env=no_mail))
    assert "mail settings" not in quiet
    with_mail = {"FLOOR_SMTP_HOST": "mail.example.org"}
    other = run_floor("intake", "eml", DATA / "html-only.eml", "--notify", site=site, env=with_mail)
    assert "mail settings" not in ok(other) + other.stderr
