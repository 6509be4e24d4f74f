"""The hostile strings (tests/helpers_hostile.py: the Big List of Naughty Strings and a few aimed at mail
headers) where tests/test_hostile_strings.py does not take them: the mail `floor notify` sends a
reader, the issues `floor intake github` reads, and what `floor queue`, `floor check` and
`floor schedule` print about questions that hold them.

The posts and questions here are written as files, with the strings exactly as they are (YAML
escapes for the control characters): a file edited by hand, or one from an older kit, is as
untrusted as a reader's message, and nothing on the way cleans it first. Each test runs every
string: a run of `floor notify` or `floor intake github` takes them all at once.
"""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from helpers_floor import run_floor, write_question
from helpers_hostile import ALL, raw_controls, yaml_value
from helpers_intake import LoopbackController, Mailbox, smtp_env

NOW = "2026-11-09T12:00:00+00:00"
REPO = "robin/from-the-floor"
# line breaks a header must never carry once decoded, whatever their spelling
BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
WORD = re.compile(r"[A-Za-z0-9]{3,}")


def said_cleanly(run: subprocess.CompletedProcess[str], codes: tuple[int, ...] = (0,)) -> str:
    """What a command printed, once it is known to have ended as expected without a traceback or a
    raw control character (asserted on flags: pytest's diff of a long output takes minutes)."""
    said = run.stdout + run.stderr
    crashed = "Traceback" in said
    assert run.returncode in codes and not crashed, f"exit {run.returncode}\n{said[-3000:]}"
    assert not raw_controls(said), raw_controls(said)
    return said


def _asked(s: str, i: int) -> str:
    """The question a post asks: the string, or words of its own when the string is blank."""
    return s if s.strip() else f"Blank question {i}?"


def _post(i: int, s: str, contact: str, **extra: str) -> str:
    fields = {
        "question": yaml_value(_asked(s, i)),
        "asked": "2026-11-01",
        "asker": yaml_value(s),
        "contact": contact,
        "notify": "true",
        "quick_answer": "Yes.",
        "title": f'"From the Floor #{i + 1}: post {i}"',
        "date": "2026-11-09T09:00:00+00:00",
        "number": str(i + 1),
        "slug": f"post-{i}",
        **extra,
    }
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\nBecause.\n"


@pytest.fixture
def smtp():
    box = Mailbox()
    controller = LoopbackController(box, hostname="127.0.0.1", port=0)
    controller.start()
    yield controller, box
    controller.stop()


# --- floor notify: the mail to a reader ----------------------------------------------------


def test_notify_mail_carries_each_string_as_text_and_never_as_a_header(site: Path, smtp) -> None:
    controller, box = smtp
    for i, s in enumerate(ALL):
        write_question(site, f"post-{i}", _post(i, s, f"reader{i}@example.org"), folder="content/floor")
    dry = run_floor("notify", "--dry-run", site=site, today=NOW, env=smtp_env(controller))
    said_cleanly(dry)
    assert f"dry run: {len(ALL)} to notify" in dry.stdout
    run = run_floor("notify", site=site, today=NOW, env=smtp_env(controller))
    said_cleanly(run)
    assert f"{len(ALL)} sent, 0 failed" in run.stdout, run.stdout[-2000:]
    assert len(box.raw) == len(ALL)

    for (_, rcpts), raw in zip(box.envelopes, box.raw, strict=True):
        assert len(rcpts) == 1, rcpts  # one recipient: the reader's name added none
        i = int(re.fullmatch(r"reader(\d+)@example\.org", rcpts[0])[1])
        s, where = ALL[i], f"string {i}: {ALL[i][:60]!r}"
        # on the wire: no line longer than SMTP allows, every header line a header or its fold
        lines = raw.split(b"\r\n")
        assert all(len(line) <= 998 for line in lines), where
        head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        assert all(re.match(rb"^([A-Za-z-]+:( |$)|[ \t])", line) for line in head), (where, head)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert msg.defects == [], (where, msg.defects)
        names = [k.lower() for k in msg]
        assert sorted(names) == sorted(
            ["from", "to", "subject", "date", "message-id", "mime-version", "content-type",
             "content-transfer-encoding"]
        ), (where, names)
        for name in ("to", "subject", "from"):
            assert msg[name].defects == (), (where, name, msg[name].defects)
        to = msg["to"].addresses
        assert len(to) == 1 and to[0].addr_spec == rcpts[0], (where, str(msg["to"]))
        shown_name = to[0].display_name
        # (the email package may double a space where a header folds beside an encoded word)
        subject = " ".join(str(msg["subject"]).split())
        for text in (shown_name, subject):
            assert not raw_controls(text) and not BREAKS & set(text), (where, text)
            assert not any(unicodedata.category(c) == "Cf" and c != "\u200d" for c in text), (where, text)
        # a name that is an address would show the reader a recipient that is not them
        assert "@" not in shown_name, (where, shown_name)
        assert len(subject) <= 120, (where, subject)
        body = msg.get_content().replace("\r\n", "\n")  # the wire's line ends
        assert not raw_controls(body), (where, raw_controls(body))
        assert f"https://floor.example.net/floor/post-{i}/" in body, where
        # the reader's words arrive as words: nothing dropped but what cannot be shown
        flat = " ".join(body.split())
        for word in WORD.findall(_asked(s, i)):
            assert word in flat, (where, word)


# --- floor intake github: issues as GitHub sends them --------------------------------------
