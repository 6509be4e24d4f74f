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
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from from_the_floor.core import unprintable
from from_the_floor.intake import intake
from helpers_floor import run_floor, write_question
from helpers_hostile import ALL, acting, raw_controls, yaml_value
from helpers_intake import GitHubServer, github_env, loopback_smtp, smtp_env
from markdown_it import MarkdownIt

NOW = "2026-11-09T12:00:00+00:00"
SITEURL = "https://floor.example.net"
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
    with loopback_smtp() as server:
        yield server


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
            [
                "from",
                "to",
                "subject",
                "date",
                "message-id",
                "mime-version",
                "content-type",
                "content-transfer-encoding",
            ]
        ), (where, names)
        for name in ("to", "subject", "from"):
            assert msg[name].defects == (), (where, name, msg[name].defects)
        to = msg["to"].addresses
        assert len(to) == 1 and to[0].addr_spec == rcpts[0], (where, str(msg["to"]))
        shown_name = to[0].display_name
        # (the email package may double a space where a header folds beside an encoded word)
        subject = " ".join(str(msg["subject"]).split())
        for text in (shown_name, subject):
            assert not acting(text) and not BREAKS & set(text), (where, text)
            # nothing the kit's rule for a reader's text takes out (core/unprintable.py)
            assert unprintable.drop(text) == text, (where, text)
        # a name that is an address would show the reader a recipient that is not them
        assert "@" not in shown_name, (where, shown_name)
        assert len(subject) <= 120, (where, subject)
        body = msg.get_content().replace("\r\n", "\n")  # the wire's line ends
        assert not acting(body), (where, acting(body))
        assert f"https://floor.example.net/floor/post-{i}/" in body, where
        # the reader's words arrive as words: nothing dropped but what cannot be shown
        flat = " ".join(body.split())
        for word in WORD.findall(_asked(s, i)):
            assert word in flat, (where, word)


def test_notify_comment_on_an_issue_shows_each_name_as_typed_and_pings_no_one(site: Path) -> None:
    """The note to a reader who asked in a GitHub issue is a comment in the column's name: a
    reader's name there must not mention another account, link, or add markup to it."""
    with GitHubServer() as gh:
        for i, s in enumerate(ALL):
            gh.add_issue(REPO, i + 1, f"Question {i}?")
            issue = f"https://github.com/{REPO}/issues/{i + 1}"
            contact = f"github:{REPO}/issues/{i + 1}"
            text = _post(i, s, contact, source="issue", intake_id=issue)
            write_question(site, f"post-{i}", text, folder="content/floor")
        run = run_floor("notify", site=site, today=NOW, env={**github_env(gh), "FLOOR_SITEURL": SITEURL})
        said_cleanly(run)
        assert f"{len(ALL)} sent, 0 failed" in run.stdout, run.stdout[-2000:]
        comments = {number: body for _, number, body in gh.comments}
    assert len(comments) == len(ALL)
    markdown = MarkdownIt("commonmark")
    for number, body in comments.items():
        i = number - 1
        where = f"string {i}: {ALL[i][:60]!r}"
        assert not acting(body), (where, acting(body))
        greeting = markdown.parse(body.split("\n\n", 1)[0])  # "Hello {name},"
        inline = [tok for block in greeting if block.children for tok in block.children]
        kinds = {tok.type for tok in inline}
        assert kinds <= {"text", "code_inline", "softbreak"}, (where, kinds, body[:200])
        plain = "".join(tok.content for tok in inline if tok.type == "text")
        assert not re.search(r"[@<>\[\]]|https?:|www\.", plain), (where, plain)
        shown = " ".join("".join(tok.content for tok in inline).split())
        for word in WORD.findall(ALL[i]):  # the name is all there, as typed
            assert word in shown, (where, word, shown)


# --- floor intake github: issues as GitHub sends them --------------------------------------


def _form_body(s: str) -> str:
    """An issue made with the Ask page's form, as GitHub writes it: the string in every field."""
    return (
        f"### Your question\n\n{s}\n\n### More detail (optional)\n\n{s}\n\n"
        f"### Name to show with the question (optional)\n\n{s}\n\n"
        "### Credit\n\n- [X] You may show this name with my question in the column.\n"
    )


def _words(i: int, s: str) -> str:
    """Words no other issue's title has (the duplicate finder reads past numbers)."""
    return "Question " + hashlib.sha256(f"{i}{s}".encode()).hexdigest()[:16] + "?"


def test_github_issues_carrying_each_string_are_filed_or_refused_in_one_line(site: Path) -> None:
    """Three issues per string: the string as the title, the body and a label; in every field of
    the Ask page's issue form; as the author's login (GitHub allows none of them but plain ones,
    so an API or a proxy that sends one is refused for that issue alone)."""
    n = len(ALL)
    with GitHubServer() as gh:
        for i, s in enumerate(ALL):
            gh.add_issue(REPO, i + 1, s, body=s, labels=["question", s], login=f"reader-{i}")
            gh.add_issue(REPO, n + i + 1, f"Question: {s}", body=_form_body(s), login=f"former-{i}")
            gh.add_issue(REPO, 2 * n + i + 1, _words(i, s), body="Details.", login=s)
        run = run_floor("intake", "github", "--repo", REPO, site=site, env=github_env(gh))
        said = said_cleanly(run)
    summary = re.search(r"^(\d+) added, (\d+) merged, (\d+) already imported, (\d+) rejected$", said, re.M)
    assert summary, said[-3000:]
    assert sum(map(int, summary.groups())) == 3 * n
    refused = re.findall(r"^rejected issue #(\d+): (.*)$", said, re.M)
    assert len(refused) == int(summary[4])
    for number, reason in refused:
        i = (int(number) - 1) % n
        group = (int(number) - 1) // n
        if group == 2:  # the login: one line that shows it escaped, never raw
            assert reason.startswith("user.login: ") and "is not a GitHub login" in reason, reason
        else:  # a title or form that holds no words once cleaned
            assert reason.startswith("no question"), (number, reason)
            assert not intake.clean_text(ALL[i]), (number, reason)  # nothing left but blanks
    plain_logins = sum(1 for s in ALL if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}", s))
    assert sum(1 for number, _ in refused if int(number) > 2 * n) == n - plain_logins

    queue = json.loads(said_cleanly(run_floor("queue", "--json", site=site)))
    entries = queue if isinstance(queue, list) else queue["questions"]
    assert len(entries) == int(summary[1])
    for entry in entries:
        assert not acting(json.dumps(entry, ensure_ascii=False)), entry["id"]
    for path in sorted((site / "questions").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert not acting(text.replace("\r", "")), (path.name, acting(text))
        stored = re.search(r"^contact: (.*)$", text, re.M)
        assert stored is None or stored.group(1).startswith("age:"), path  # sealed, never plain


# --- the terminal: floor queue, check and schedule -----------------------------------------


def _queued(i: int, s: str) -> str:
    fields = {
        "question": yaml_value(_asked(s, i)),
        "asked": "2026-11-01",
        "asker": yaml_value(s),
        "credit": "true",
        "details": yaml_value(s),
        "tags": f"[{yaml_value(s)}]",
        "quick_answer": "Yes." if i % 2 == 0 else "",
    }
    body = "A longer answer.\n" if i % 2 == 0 else ""
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\n" + body


def test_queue_check_and_schedule_print_each_string_escaped(site: Path) -> None:
    """Every string in a queued question's text, name, details and a tag, half of them answered so
    the schedule plans them; the commands may refuse a question (a tag too long for an address),
    in one line each, but never crash or print a raw control character."""
    for i, s in enumerate(ALL):
        write_question(site, f"q-{i}", _queued(i, s))
    outputs = {}
    for args in (
        ("queue",),
        ("queue", "--all"),
        ("queue", "--json"),
        ("check",),
        ("check", "--json"),
        ("schedule", "--weeks", "600"),
        ("schedule", "--weeks", "600", "--json"),
    ):
        run = run_floor(*args, site=site)
        outputs[args] = said_cleanly(run, codes=(0, 1))
        if "--json" in args and run.stdout.strip():
            json.loads(run.stdout)  # the same data, controls written as JSON escapes
    for args in (("queue",), ("queue", "--all")):  # one long tag does not widen every row
        assert max(map(len, outputs[args].splitlines())) <= 100, args
    queued = json.loads(outputs[("queue", "--json")].split("\nerror:")[0])
    entries = queued if isinstance(queued, list) else queued["questions"]
    by_id = {e["id"]: e for e in entries}
    for i, s in enumerate(ALL):  # the JSON keeps the reader's words: escaped, not lost
        entry = by_id.get(f"q-{i}")
        if entry is not None and s.strip():
            assert entry["question"] == s, (i, entry["question"])
