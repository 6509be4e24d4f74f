"""Mail from every client: quote headers as reply-parsing projects' test mails write them, charset
labels read by the WHATWG table, an Outlook .msg named (tests/fixtures/intake/SOURCES.md)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from from_the_floor.intake import intake_email
from from_the_floor.intake.intake_email import strip_reply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "intake"
REPLIES = FIXTURES / "replies"
TZ = ZoneInfo("UTC")
TODAY = dt.date(2026, 11, 5)

# file → (the last words of the writer's own reply, the line that starts the quoted message)
QUOTED = {
    "mpr-swedish-gmail.txt": ("070-0000000", "ons 4 dec. 2024 kl. 20:42 skrev"),
    "mpr-danish-outlook.txt": ("Svar.", "-----Oprindelig meddelelse-----"),
    "mpr-german-gmail-wrapped.txt": ("nothing too hard here!", "Am So., 1. Jan. 2023 um 17:22 Uhr schrieb"),
    "erp-apple-mail-three-lines.txt": ("I get proper rendering as well.", "On Dec 16, 2011, at 12:47 PM"),
}


@pytest.mark.parametrize("name", sorted(QUOTED))
def test_quote_headers_of_other_clients_and_languages_are_cut(name: str) -> None:
    own, header = QUOTED[name]
    text = (REPLIES / name).read_text(encoding="utf-8")
    assert header in text and text.index(own) < text.index(header)
    kept = strip_reply(text)
    assert own in kept
    assert header not in kept and "wrote" not in kept.split(own)[-1]


def test_yahoo_classic_quote_header_is_cut() -> None:
    """Yahoo Mail's reply (Original Message), and its classic "--- On Mon, 4/2/12, X wrote:" form."""
    raw = (FIXTURES / "talon-yahoo-reply.eml").read_bytes()
    message = intake_email.parse(raw, "yahoo.eml", tz=TZ, today=TODAY)
    assert message.new is not None and (message.new.details or "").strip() in ("", "Hello")
    classic = raw.replace(
        b'----- Original Message -----\nFrom: "bob@xxx.mailgun.org" <bob@xxx.mailgun.org>',
        b"--- On Mon, 4/2/12, bob@xxx.mailgun.org <bob@xxx.mailgun.org> wrote:\n\n"
        b"> From: bob@xxx.mailgun.org",
    )
    assert classic != raw
    text = email.message_from_bytes(classic, policy=email.policy.default).get_body().get_content()
    assert strip_reply(text) == "Hello"


def test_korean_outlook_label_ks_c_5601_1987_is_read() -> None:
    raw = (FIXTURES / "outlook-ks-c-5601-1987.eml").read_bytes()
    body = raw.split(b"\r\n\r\n", 1)[1].strip()
    expected = body.decode("cp949")  # what the WHATWG table maps ks_c_5601-1987 to
    message = intake_email.parse(raw, "ks.eml", tz=TZ, today=TODAY)
    assert message.new is not None
    assert expected in (message.new.details or "") + message.new.question
    assert "\ufffd" not in (message.new.details or "") + message.new.question
    assert not any("unknown" in note for note in message.notes)


def test_gb2312_label_holding_gbk_characters_is_read_as_gbk() -> None:
    """Chinese clients label GBK text gb2312; 镕 is in GBK, not in GB 2312."""
    subject = "=?gb2312?B?" + __import__("base64").b64encode("朱镕基的问题?".encode("gbk")).decode() + "?="
    body = "请问朱镕基说了什么?".encode("gbk")
    raw = (
        b"From: Li <li@example.cn>\r\nTo: ask@example.org\r\nSubject: " + subject.encode() + b"\r\n"
        b"Message-ID: <gbk-1@example.cn>\r\nDate: Tue, 3 Nov 2026 10:00:00 +0800\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=gb2312\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body + b"\r\n"
    )
    message = intake_email.parse(raw, "gbk.eml", tz=TZ, today=TODAY)
    assert message.new is not None
    assert message.new.question == "朱镕基的问题?"
    assert "朱镕基说了什么" in (message.new.details or "")


def test_an_outlook_msg_is_named_with_the_way_forward() -> None:
    raw = (FIXTURES / "outlook-simple.msg").read_bytes()
    message = intake_email.parse(raw, "Simple.msg", tz=TZ, today=TODAY)
    assert message.new is None
    assert "an Outlook message (.msg)" in (message.reason or "") and ".eml" in (message.reason or "")
