"""`floor intake eml` / `mbox` on messages real mail clients sent (tests/fixtures/intake/SOURCES.md).

Most files are other mail-parsing projects' test data, kept byte for byte:
Outlook 2000 and Eudora messages in Windows-1252 and ISO-8859-1 (quoted-printable,
multipart/alternative and /related, HTML only), ISO-2022-JP and base64 UTF-8
Japanese, a Yahoo encoded-word subject, a Gmail forward from 2005, and replies
from Gmail, Apple Mail, Thunderbird, Outlook and Gmail for Android (Russian).
"""

from __future__ import annotations

import datetime as dt
import mailbox
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.intake import intake, intake_email
from from_the_floor.intake.contact_mask import MASK
from helpers_floor import ok, opened, run_floor, tree_digest

DATA = Path(__file__).resolve().parent.parent / "fixtures" / "intake"
TZ = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 9)


def take(name: str) -> tuple[intake.NewQuestion, list[str]]:
    message = intake_email.parse((DATA / name).read_bytes(), name, tz=TZ, today=TODAY)
    assert message.new is not None, message.reason
    return intake.clean(message.new), message.notes


@pytest.mark.parametrize(
    ("name", "question", "asker", "in_details"),
    [
        # Windows-1252, quoted-printable, an encoded-word subject (and a second From header, ignored)
        (
            "outlook2000-windows-1252.eml",
            "Die Hasen und die Frösche (Microsoft Outlook 00)",
            "Doug Sauder",
            "mißliche",
        ),
        # multipart/alternative, ISO-8859-1: the plain part is read
        (
            "eudora-alternative-latin1.eml",
            "Die Hasen und die Frösche",
            "Doug Sauder",
            "Die Hasen klagten einst über",
        ),
        # HTML only, ISO-8859-1: cleaned into Markdown
        ("eudora-html-only-latin1.eml", "Die Hasen und die Frösche", "Doug Sauder", "ärger als der Tod"),
        # multipart/related (HTML with inline images) inside multipart/alternative
        (
            "outlook2000-related.eml",
            "Test message from Microsoft Outlook 00",
            "Doug Sauder",
            "The Hare and the Tortoise",
        ),
        ("iso-2022-jp.eml", "まみむめも", "Mikel Lindsaar", "すみません。"),
        ("utf8-base64-ja.eml", "まみむめも", "Mikel Lindsaar", "かきく"),
        (
            "yahoo-encoded-word-subject.eml",
            "Simple text. How are you? Как ты поживаешь?",
            "Hello",
            "по-русски",
        ),
    ],
)
def test_real_messages_become_the_expected_question(name, question, asker, in_details) -> None:
    new, _ = take(name)
    assert new.question == question
    assert new.asker == asker
    assert in_details in new.details
    assert "=E4" not in new.details and "=\n" not in new.details and "<" not in new.details


def test_related_images_are_ignored_with_a_note_and_signatures_cut() -> None:
    _, notes = take("outlook2000-related.eml")
    assert notes == ["ignored 2 attachments (blueball.png, redball.png)"]
    new, _ = take("utf8-base64-ja.eml")
    assert "lindsaar.net" not in new.details  # below the "-- " line


@pytest.mark.parametrize(
    "name",
    [
        "talon-gmail-reply.eml",
        "talon-apple-mail-reply.eml",
        "talon-thunderbird-reply.eml",  # written below the quote
        "talon-outlook-reply.eml",  # "From: … Sent: …" block
        "talon-android-reply-ru.eml",  # base64 UTF-8, "… пользователь … написал:"
    ],
)
def test_real_replies_keep_only_the_readers_words(name: str) -> None:
    new, _ = take(name)
    assert new.question == "Test"  # "Re:"/"RE:" dropped
    assert new.details == "Hello"
    assert new.masked == 0  # the quoted header's addresses went with the quote


def test_a_forwarded_question_belongs_to_the_original_sender() -> None:
    new, notes = take("gmail-forward-2005.eml")
    assert new.question == "Signed email causes file attachments"  # the forwarded subject, "Fwd:" gone
    assert (new.asker, new.contact) == ("xxxxx xxxxxx", "xxxxxxxx@xxx.com")
    assert new.asked == dt.date(2005, 5, 8)
    assert new.details.startswith("Hi,\n\nJust started to use my xxxxxxxx account")
    assert "We should not include these files" not in new.details  # the forwarder's note
    assert notes == [
        "forwarded by xxxxxxxxx xxxxxxx: the original sender (xxxxx xxxxxx) is the asker",
        "ignored 1 attachment (smime.p7s)",
    ]


def test_a_question_forwarded_as_an_attachment() -> None:
    new, notes = take("forward-as-attachment.eml")
    original, _ = take("eudora-alternative-latin1.eml")
    assert (new.question, new.asker, new.contact, new.asked) == (
        original.question,
        original.asker,
        original.contact,
        original.asked,
    )
    assert new.intake_id == original.intake_id  # the same message, however it arrives
    assert "For the column." not in new.details
    assert notes == ["forwarded by Robin Ashdown as an attachment: its sender is the asker"]


def test_invitation_and_vcard_are_left_out_and_the_signature_is_masked() -> None:
    new, notes = take("outlook-invitation-and-vcard.eml")
    assert new.question == "Can I bring a question to your talk?"
    assert notes == ["ignored 2 attachments (Ann Example.vcf, invite.ics)"]
    assert "BEGIN:" not in new.details
    assert new.details.endswith(f"Café Manager | {MASK} | {MASK}")
    assert new.contact == "ann.example@example.org" and new.masked == 2


def raw(subject: str, body: str, sender: str = "Robin Ashdown <robin@example.net>") -> bytes:
    head = (
        f"From: {sender}\nTo: column@example.net\nSubject: {subject}\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n"
    )
    return (head + "Content-Type: text/plain; charset=utf-8\n\n" + body).encode("utf-8")


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (  # Outlook, German
            "WG: Frage zur Kolumne",
            "Siehe unten.\n\nVon: Ann Weber <ann@example.de>\nGesendet: Montag, 2. November 2026 09:12\n"
            "An: Robin Ashdown <robin@example.net>\nBetreff: Wie wählen Sie die Fragen aus?\n\n"
            "Wie wählen Sie die Fragen aus?\n\nAnn",
        ),
        (  # Apple Mail, French
            "Fwd: Une question",
            "Pour ta rubrique.\n\nDébut du message réexpédié :\n\nDe: Ann Weber <ann@example.de>\n"
            "Objet: Wie wählen Sie die Fragen aus?\nDate: 2 novembre 2026 à 09:12:00 UTC+1\n"
            "À: Robin <robin@example.net>\n\nWie wählen Sie die Fragen aus?\n\nAnn",
        ),
        (  # Gmail, Italian
            "I: domanda",
            "---------- Messaggio inoltrato ---------\nDa: Ann Weber <ann@example.de>\n"
            "Data: lun 2 nov 2026 alle ore 09:12\nOggetto: Wie wählen Sie die Fragen aus?\n"
            "A: <robin@example.net>\n\n\nWie wählen Sie die Fragen aus?\n\nAnn",
        ),
        (  # Outlook, Dutch, Outlook's "[mailto:…]" form
            "Doorst: vraag",
            "-----Oorspronkelijk bericht-----\nVan: Ann Weber [mailto:ann@example.de]\n"
            "Verzonden: maandag 2 november 2026 09:12\nAan: Robin\n"
            "Onderwerp: Wie wählen Sie die Fragen aus?\n\nWie wählen Sie die Fragen aus?\n\nAnn",
        ),
    ],
)
def test_forwards_in_several_languages(subject: str, body: str) -> None:
    message = intake_email.parse(raw(subject, body), "fwd.eml", tz=TZ, today=TODAY)
    new = intake.clean(message.new)
    assert (new.question, new.asker, new.contact) == (
        "Wie wählen Sie die Fragen aus?",
        "Ann Weber",
        "ann@example.de",
    )
    assert new.details == "Wie wählen Sie die Fragen aus?\n\nAnn"
    assert message.notes[0].startswith("forwarded by Robin Ashdown")


@pytest.mark.parametrize(
    "marker",
    [
        "El lun, 2 nov 2026 a las 10:00, Robin (<robin@example.net>) escribió:",
        "Il giorno lun 2 nov 2026 alle ore 10:00 Robin <robin@example.net> ha scritto:",
        "Op ma 2 nov. 2026 om 10:00 schreef Robin <robin@example.net>:",
        "Em seg., 2 de nov. de 2026 às 10:00, Robin <robin@example.net> escreveu:",
        "Den mån 2 nov. 2026 kl 10:00 skrev Robin <robin@example.net>:",
        "pon., 2 lis 2026 o 10:00 Robin <robin@example.net> napisał(a):",
        "W dniu 02.11.2026 o 10:00, Robin pisze:",
        "2026年11月2日(月) 10:00 Robin <robin@example.net>:",
        "Le lun. 2 nov. 2026 à 10:00, Robin <robin@example.net> a écrit :",
        "-----Ursprüngliche Nachricht-----",
        "De : Robin <robin@example.net>\nEnvoyé : lundi 2 novembre 2026 10:00",
    ],
)
def test_reply_markers_in_several_languages(marker: str) -> None:
    text = f"Meine Frage steht oben.\n\n{marker}\n> Schreiben Sie mir.\n"
    assert intake_email.strip_reply(text) == "Meine Frage steht oben."


def test_format_flowed_is_unflowed() -> None:
    flowed = "A long line that the client \nwrapped here.\n> quoted \n-- \nSam"
    assert intake_email.unflow(flowed) == "A long line that the client wrapped here.\n> quoted \n-- \nSam"
    assert intake_email.unflow("Zusammen \nschreiben", delsp=True) == "Zusammenschreiben"
    assert intake_email.unflow(" From a stuffed line") == "From a stuffed line"


def test_reply_to_is_masked_and_from_is_the_contact() -> None:
    path = DATA / "gmail-takeout.mbox"
    first = intake_email.read_mbox(path, tz=TZ, today=TODAY)[0]
    new = intake.clean(first.new)
    assert new.contact == "mina.k@example.com"  # From: the reader, not their Reply-To
    assert new.details == f"And if they do, do you publish what they say?\n\nMina\n{MASK}"


def test_thunderbird_mbox_skips_what_was_deleted() -> None:
    path = DATA / "thunderbird-inbox.mbox"
    messages = intake_email.read_mbox(path, tz=TZ, today=TODAY)
    assert len(messages) == len(mailbox.mbox(path))
    lee, deleted, joerg = messages
    assert lee.new.question == "How long should a quick answer be?"
    assert "From the posts I have read" in lee.new.details  # ">From" unescaped
    assert "Is that a rule, or does it depend" in lee.new.details  # format=flowed: soft break joined
    assert deleted.new is None and "deleted in Thunderbird" in deleted.reason
    assert joerg.new.asker == "Jörg Weiß"
    assert joerg.new.question.startswith("Darf ich Sie etwas fragen")  # "AW: Ihre Kolumne" says nothing
    assert "Fragen Sie mich" not in joerg.new.details


def test_cli_gmail_takeout_mbox(site: Path) -> None:
    path = DATA / "gmail-takeout.mbox"
    result = run_floor("intake", "mbox", path, site=site)
    out = ok(result)
    assert len(mailbox.mbox(path)) == 3
    assert "2 added, 0 merged, 0 already imported, 1 rejected" in out
    assert "a message you sent (Gmail label Sent)" in result.stderr
    assert "note: gmail-takeout.mbox message 3: forwarded by Pablo Ruiz" in out
    assert "note: gmail-takeout.mbox message 1: removed 1 contact detail" in out
    assert "@" not in out  # no address on the terminal
    q = question_mod.load(site / "questions" / "como-eliges-las-preguntas.md")
    assert (q.asker, opened(site, q.contact), q.credit) == ("Lucía Ruiz", "lucia.ruiz@example.es", False)
    before = tree_digest(site)
    assert "2 already imported" in ok(run_floor("intake", "mbox", path, site=site))
    assert tree_digest(site) == before


def test_a_big_mailbox_shows_progress_on_a_terminal_only(site: Path, tmp_path: Path) -> None:
    """A long mbox (the real messages here, twice over) shows rich's bar on a terminal; in a pipe
    (a CI log) it prints only its report."""
    import mailbox

    from helpers_floor import FLOOR_COMMAND, floor_env, on_terminal

    box_path = tmp_path / "big.mbox"
    box = mailbox.mbox(box_path)
    messages = sorted(DATA.glob("*.eml")) * 2
    for eml in messages:
        box.add(eml.read_bytes())
    box.close()
    assert len(messages) >= 20
    piped = run_floor("intake", "mbox", box_path, site=site)
    assert piped.returncode == 0 and "reading messages" not in piped.stdout + piped.stderr

    env = {k: v for k, v in floor_env().items() if k != "CI"}
    command = [*FLOOR_COMMAND, "--site", str(site), "intake", "mbox", str(box_path)]
    assert "reading messages" in on_terminal(command, env)


def test_an_unescaped_from_line_in_a_body_does_not_cut_the_message(tmp_path: Path) -> None:
    # Thunderbird's real mailbox, with the ">From" its writer escaped put back as a bare "From"
    # after a blank line (mboxo writers and hand-made mailboxes leave it so), and a mboxrd ">>From"
    data = (DATA / "thunderbird-inbox.mbox").read_bytes()
    data = data.replace(b">From the posts", b"From the posts").replace(b"Lee\n", b">>From Lee\n", 1)
    path = tmp_path / "inbox.mbox"
    path.write_bytes(data)
    messages = intake_email.read_mbox(path, tz=TZ, today=TODAY)
    assert len(messages) == 3
    new = messages[0].new
    assert new is not None and new.details is not None
    assert "From the posts I have read" in new.details
    assert "does it depend on the question?" in new.details
    assert b"\n>From Lee\n" in messages[0].raw  # mboxrd: one '>' comes off (a quote line, then cut)
    assert [m.label for m in messages][1:] == ["inbox.mbox message 2", "inbox.mbox message 3"]


def test_a_line_break_in_an_encoded_from_name_keeps_the_message() -> None:
    real = (DATA / "eudora-alternative-latin1.eml").read_bytes()
    raw = real.replace(b"From: Doug Sauder <", b"From: =?utf-8?q?Doug=0D=0ASauder?= <")
    message = intake_email.parse(raw, "mail.eml", tz=TZ, today=TODAY)
    assert message.new is not None, message.reason
    assert message.new.asker == "Doug Sauder"
    assert message.new.contact == "dwsauder@example.com"
    assert message.notes == [
        "the From header's name held a line break inside its encoded text; it was read as a space"
    ]


def test_a_deeply_nested_multipart_reports_no_attachment() -> None:
    # the real multipart/alternative message wrapped in two multipart/mixed layers, as list
    # software and forwarding gateways wrap it, with no attachment anywhere
    real = (DATA / "eudora-alternative-latin1.eml").read_bytes()
    head, body = real.split(b"Content-Type: multipart/alternative;", 1)
    inner_type, inner_body = body.split(b"\r\n\r\n", 1)
    raw = (
        head + b'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
        b'--outer\r\nContent-Type: multipart/mixed; boundary="middle"\r\n\r\n'
        b"--middle\r\nContent-Type: multipart/alternative;"
        + inner_type
        + b"\r\n\r\n"
        + inner_body
        + b"\r\n--middle--\r\n--outer--\r\n"
    )
    nested = intake_email.parse(raw, "nested.eml", tz=TZ, today=TODAY)
    flat = intake_email.parse(real, "flat.eml", tz=TZ, today=TODAY)
    assert nested.new is not None and flat.new is not None
    assert nested.notes == flat.notes == []
    assert nested.new.details == flat.new.details
    # a real attachment deep inside is still reported
    pdf = (
        b"--middle\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="a.pdf"\r\n\r\nJVBER\r\n'
    )
    attached = intake_email.parse(
        raw.replace(b"--middle--", pdf + b"--middle--"), "n.eml", tz=TZ, today=TODAY
    )
    assert attached.notes == ["ignored 1 attachment (a.pdf)"]


# --- broken mails: CPython's own test messages (msg_01, msg_29), broken as real mails are -------

_PY_01 = (DATA / "python-msg_01.txt").read_bytes()
_PY_29 = (DATA / "python-msg_29.txt").read_bytes()
_ID = b"Message-ID: <15090.61304.110929.45684@aaa.zzz.org>"


@pytest.mark.parametrize(
    "raw",
    [
        _PY_01.replace(_ID, b"Message-ID: <15090.61304.110929.45684@"),  # cut short by a gateway
        _PY_01.replace(_ID, b"Message-ID: <<<<15090.61304.110929.45684@aaa.zzz.org>"),
        _PY_01.replace(_ID, b"Message-ID: <15090.61304.110929.45684@aaa.zzz.org>\nDate: 4 May"),
        _PY_01.replace(b"Date: Fri, 4 May 2001 14:05:44 -0400", b"Date: Fri, 4 May 2001 25:05:44 -99"),
    ],
    ids=["truncated Message-ID", "Message-ID with extra angle brackets", "two Date headers", "bad Date"],
)
def test_a_header_pythons_parser_gives_up_on_is_read_as_written(raw: bytes) -> None:
    """Python's header parser raises IndexError on a truncated or doubled-bracket Message-ID: the
    question is still taken in (the id as written), never rejected with the exception's text."""
    message = intake_email.parse(raw, "msg_01.eml", tz=TZ, today=TODAY)
    assert message.new is not None, message.reason
    assert message.new.question == "This is a test message"
    assert message.new.contact == "bbb@ddd.com"
    assert message.new.intake_id.startswith("<15090.61304.110929.45684@") or message.new.intake_id.startswith(
        "<<<<"
    )


def test_a_message_that_cannot_be_taken_apart_says_what_and_why(site: Path, tmp_path: Path) -> None:
    """msg_29 cut inside its Content-Type parameters (a transfer that stopped half-way): Python's
    parser raises IndexError. The author reads which part and why, in words, with what to do;
    `floor intake mbox` names the file and the message's place in it."""
    broken = _PY_29[: _PY_29.index(b'title*1*="')] + b"title*1*"
    message = intake_email.parse(broken, "msg_29.eml", tz=TZ, today=TODAY)
    assert message.new is None
    assert message.reason is not None and message.reason.startswith(
        "cannot read its headers: it does not follow the email standard (RFC 5322)"
    )
    assert "Error" not in message.reason and "index out of range" not in message.reason
    assert "forward it to yourself" in message.reason
    eml = tmp_path / "from-the-form.eml"
    eml.write_bytes(broken)
    result = run_floor("intake", "eml", eml, site=site)
    assert "rejected from-the-form.eml: cannot read its headers: it does not follow" in result.stderr
    assert "Traceback" not in result.stderr and "IndexError" not in result.stdout + result.stderr
    box = tmp_path / "readers.mbox"
    good = b"From bbb@ddd.com Fri May  4 14:05:44 2001\n" + _PY_01 + b"\n"
    bad = b"From bbb@ddd.com Fri May  4 14:06:44 2001\n" + broken.replace(b"Subject: This", b"Subject: That")
    box.write_bytes(good + bad + b"\n")
    result = run_floor("intake", "mbox", box, site=site)
    assert "rejected readers.mbox message 2: cannot read its headers" in result.stderr, result.stderr
    assert "IndexError" not in result.stdout + result.stderr
