"""`floor notify`: one personal note per reader who agreed, by SMTP (aiosmtpd on 127.0.0.1) or on
their GitHub issue (a local API server); each recorded at once, so nothing is sent twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import signal
import socket
import ssl
import subprocess
from pathlib import Path

import pytest
from from_the_floor.commands import notify
from from_the_floor.core import question as question_mod
from from_the_floor.core import told
from from_the_floor.errors import FloorError
from from_the_floor.services import mailer
from helpers_floor import (
    FLOOR_COMMAND,
    fails_cleanly,
    floor_env,
    ok,
    opened,
    question_text,
    run_floor,
    tree_digest,
    write_question,
)
from helpers_intake import (
    GitHubServer,
    LoopbackController,
    Mailbox,
    authenticator,
    github_env,
    loopback_smtp,
    self_signed_cert,
    smtp_env,
)

NOW = "2026-11-09T12:00:00+00:00"
REPO = "robin/from-the-floor"
STALK = """---
question: Do you ever stalk your customers?
asked: 2026-11-02
asker: Sam
credit: false
contact: sam@example.org
notify: true
source: email
quick_answer: Only a little.
title: "From the Floor #1: Do you ever stalk your customers?"
date: 2026-11-09T09:00:00+00:00
number: 1
slug: do-you-ever-stalk-your-customers
also_asked_by:
  - question: Have you ever stalked your customers?
    asked: 2026-11-03
    asker: Jo
    credit: true
    contact: jo@example.com
    notify: true
  - question: Do you stalk customers?
    asked: 2026-11-04
    asker: Pat
    contact: pat@example.net
  - question: Do you look customers up before calls?
    asked: 2026-11-05
    asker: octo
    contact: github:robin/from-the-floor/issues/7
    source: issue
    intake_id: https://github.com/robin/from-the-floor/issues/7
    notify: true
---
It depends what you mean by stalk.
"""


def post(question: str, number: int, date: str, **fields: str) -> str:
    qid = question.lower().rstrip("?").replace(" ", "-")
    return question_text(
        question,
        quick="Yes.",
        body="Because.",
        title=f'"From the Floor #{number}: {question}"',
        date=date,
        number=str(number),
        slug=qid,
        **fields,
    )


@pytest.fixture
def column(site: Path) -> Path:
    """A post with four readers (three agreed; one by issue), a later post, one without consent."""
    write_question(site, "do-you-ever-stalk-your-customers", STALK, folder="content/floor")
    later = post("Why Mondays", 2, "2026-11-16T09:00:00+00:00", contact="kim@example.org", notify="true")
    write_question(site, "why-mondays", later, folder="content/floor")
    quiet = post("No note please", 1, "2026-11-09T09:00:00+00:00", contact="lee@example.org", part="2")
    write_question(site, "no-note-please", quiet, folder="content/floor")
    # the two posts numbered 1 are one post in two parts
    stalk = site / "content" / "floor" / "do-you-ever-stalk-your-customers.md"
    stalk.write_text(
        stalk.read_text(encoding="utf-8").replace("number: 1\n", "number: 1\npart: 1\n"), encoding="utf-8"
    )
    queued = question_text("Not out yet?", contact="max@example.org", notify="true")
    write_question(site, "not-out-yet", queued)
    return site


@pytest.fixture
def smtp():
    with loopback_smtp() as server:
        yield server


@pytest.fixture
def gh():
    with GitHubServer() as state:
        state.add_issue(REPO, 7, "Do you look customers up before calls?", login="octo")
        yield state


def load(site: Path, qid: str) -> question_mod.Question:
    return question_mod.load(site / "content" / "floor" / f"{qid}.md", published=True)


def test_each_reader_who_agreed_gets_one_note(column: Path, smtp, gh) -> None:
    controller, box = smtp
    env = {**smtp_env(controller), **github_env(gh)}
    out = ok(run_floor("notify", site=column, today=NOW, env=env))
    assert "3 sent, 0 failed" in out
    assert "emailed the asker of do-you-ever-stalk-your-customers" in out
    assert "sam@example.org" not in out  # a CI log never shows a contact
    assert sorted(to for _, (to,) in box.envelopes) == ["jo@example.com", "sam@example.org"]
    sam = next(m for m in box.messages if "sam@" in m["To"])
    assert sam["Subject"] == "Your question is answered: Do you ever stalk your customers?"
    assert sam["From"] == "Robin <robin@example.net>"
    assert sam["Date"] == "Mon, 09 Nov 2026 12:00:00 +0000"
    text = sam.get_content()
    assert text.startswith("Hello Sam,")
    url = "https://floor.example.net/floor/do-you-ever-stalk-your-customers/#do-you-ever-stalk-your-customers"
    assert url in text
    # the issue reader: a comment with the link, then the issue is closed
    assert gh.comments == [(REPO, 7, gh.comments[0][2])] and url in gh.comments[0][2]
    assert gh.issues[REPO][0]["state"] == "closed" and gh.issues[REPO][0]["state_reason"] == "completed"

    stalk = load(column, "do-you-ever-stalk-your-customers")
    assert stalk.notified == NOW
    assert [e.notified for e in stalk.also_asked_by] == [NOW, None, NOW]  # Pat did not agree
    assert load(column, "why-mondays").notified is None  # not out yet
    assert load(column, "no-note-please").notified is None

    # once each: a re-run sends nothing and changes nothing
    snapshot = tree_digest(column)
    again = ok(run_floor("notify", site=column, today=NOW, env=env))
    assert again.startswith("nobody to notify: 2 readers of published posts")
    # why no one: Pat and the asker of no-note-please left a contact without agreeing
    assert "left a contact but did not agree to hear back" in again and "@" not in again
    assert len(box.messages) == 2 and len(gh.comments) == 1
    assert tree_digest(column) == snapshot
    # a week later the next post's asker is due
    ok(run_floor("notify", site=column, today="2026-11-16T10:00:00+00:00", env=env))
    assert [m["To"] for m in box.messages][-1] == "kim@example.org"


def test_dry_run_shows_the_notes_and_sends_nothing(column: Path, smtp) -> None:
    _, box = smtp
    snapshot = tree_digest(column)
    out = ok(
        run_floor("notify", "--dry-run", site=column, today=NOW, env={"FLOOR_SITEURL": "https://f.example/"})
    )
    assert "Email to the asker of do-you-ever-stalk-your-customers (Sam)" in out
    assert "Email to reader 2 of do-you-ever-stalk-your-customers (Jo)" in out
    for address in ("sam@example.org", "jo@example.com", "pat@example.net"):
        assert address not in out  # a dry run in CI prints to a public log too
    assert f"Comment on {REPO}#7, then close it:" in out
    assert "https://f.example/floor/do-you-ever-stalk-your-customers/#do-you-ever-stalk-your-customers" in out
    assert "dry run: 3 to notify; nothing was sent or recorded" in out
    assert box.messages == [] and tree_digest(column) == snapshot


def test_a_failure_is_reported_and_the_others_are_recorded(column: Path, smtp, gh) -> None:
    controller, box = smtp
    box.refuse.add("jo@example.com")
    env = {**smtp_env(controller), **github_env(gh)}
    result = run_floor("notify", site=column, today=NOW, env=env)
    err = fails_cleanly(result)
    assert "failed: reader 2 of do-you-ever-stalk-your-customers (email)" in err
    assert "jo@example.com" not in err and "<the reader's address>" in err  # the server quoted it
    assert "2 sent, 1 failed" in result.stdout
    stalk = load(column, "do-you-ever-stalk-your-customers")
    assert stalk.notified == NOW and [e.notified for e in stalk.also_asked_by] == [None, None, NOW]
    # fixed: the next run sends only the one that failed
    box.refuse.clear()
    ok(run_floor("notify", site=column, today="2026-11-09T13:00:00+00:00", env=env))
    assert [m["To"] for m in box.messages] == ["Sam <sam@example.org>", "Jo <jo@example.com>"]
    assert (
        load(column, "do-you-ever-stalk-your-customers").also_asked_by[0].notified
        == "2026-11-09T13:00:00+00:00"
    )
    assert len(gh.comments) == 1


def test_unreachable_smtp_still_notifies_issues(column: Path, gh) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**github_env(gh), "FLOOR_SMTP_HOST": "127.0.0.1", "FLOOR_SMTP_PORT": str(port)}
    env |= {
        "FLOOR_SMTP_TLS": "none",
        "FLOOR_SMTP_FROM": "r@example.net",
        "FLOOR_SITEURL": "https://f.example",
    }
    result = run_floor("notify", site=column, today=NOW, env=env)
    err = fails_cleanly(result)
    assert err.count("cannot connect to 127.0.0.1") == 2
    assert "1 sent, 2 failed" in result.stdout
    assert [e.notified for e in load(column, "do-you-ever-stalk-your-customers").also_asked_by] == [
        None,
        None,
        NOW,
    ]


def test_closing_the_issue_fails_but_the_comment_is_recorded(column: Path, smtp, gh) -> None:
    controller, _ = smtp
    gh.fail_close = True
    result = run_floor("notify", site=column, today=NOW, env={**smtp_env(controller), **github_env(gh)})
    err = fails_cleanly(result)
    assert f"commented on {REPO}#7 but could not close it; close it by hand" in err
    assert load(column, "do-you-ever-stalk-your-customers").also_asked_by[2].notified == NOW
    assert gh.issues[REPO][0]["state"] == "open"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    made = self_signed_cert(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("openssl is needed to make a test certificate")
    return made


def test_starttls_and_login_with_settings_and_environment(column: Path, certificate) -> None:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Mailbox()
    controller = LoopbackController(
        box,
        hostname="127.0.0.1",
        port=0,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator("robin", "s3cret"),
        auth_required=True,
    )
    controller.start()
    try:
        conf = column / "pelicanconf.py"
        conf.write_text(
            conf.read_text(encoding="utf-8")
            + f'\nFLOOR_SMTP_HOST = "127.0.0.1"\nFLOOR_SMTP_PORT = {controller.port}\n'
            + 'FLOOR_SMTP_USER = "robin"\nFLOOR_SMTP_FROM = "robin@example.net"\n'
            + f'FLOOR_SMTP_CAFILE = "{cert}"\n'
            + 'SITEURL = "https://floor.example.net"\nSITENAME = "From the Floor"\n',
            encoding="utf-8",
        )
        wrong = run_floor("notify", site=column, today=NOW, env={"FLOOR_SMTP_PASSWORD": "nope"})
        assert "authentication" in fails_cleanly(wrong).lower()
        assert box.messages == []
        assert load(column, "do-you-ever-stalk-your-customers").notified is None
        result = run_floor("notify", site=column, today=NOW, env={"FLOOR_SMTP_PASSWORD": "s3cret"})
        assert "2 sent, 1 failed" in result.stdout  # the issue: no GITHUB_TOKEN here
        assert "GITHUB_TOKEN is not set" in result.stderr
        assert len(box.messages) == 2
        assert box.messages[0]["From"] == "From the Floor <robin@example.net>"
    finally:
        controller.stop()


def test_a_weekly_job_without_mail_settings_says_where_they_go(column: Path, monkeypatch) -> None:
    """The weekly job passes empty repository variables when none are set: the run failed every
    week, and the mail to the author named FLOOR_SMTP_HOST but not where it is set."""
    env = {"FLOOR_SITEURL": "https://f.example", "CI": "true", "FLOOR_SMTP_HOST": "", "FLOOR_SMTP_FROM": ""}
    err = fails_cleanly(run_floor("notify", site=column, today=NOW, env=env))
    line = next(x for x in err.splitlines() if "FLOOR_SMTP_HOST: is not set" in x)
    assert "Settings > Secrets and variables > Actions > Variables" in line
    assert "FLOOR_SMTP_FROM" in line and "secret FLOOR_SMTP_PASSWORD" in line
    for name in mailer.SETTINGS:
        monkeypatch.delenv(name, raising=False)
    raw = {"FLOOR_SMTP_HOST": "smtp.example.net"}
    with pytest.raises(FloorError) as err_from:
        mailer.config(raw)
    assert err_from.value.field == "FLOOR_SMTP_FROM"
    assert "is not set" in err_from.value.message and "Actions > Variables" in err_from.value.message


def test_site_url_is_needed_only_when_someone_is_due(column: Path, tmp_path: Path) -> None:
    err = fails_cleanly(run_floor("notify", site=column, today=NOW))
    assert "public address is unknown" in err
    early = run_floor("notify", site=column, today="2026-11-01")
    assert "nobody to notify" in ok(early)


def test_post_url_follows_article_url() -> None:
    when = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)
    one = question_mod.Question(
        id="a",
        path=Path("a.md"),
        question="A?",
        asked=when.date(),
        number=3,
        date=when,
        slug="a",
        published=True,
    )
    raw = {"ARTICLE_URL": "{date:%Y}/{slug}.html"}
    assert notify.post_url("https://x.example", raw, one, [one]) == "https://x.example/2026/a.html"
    with pytest.raises(FloorError) as err:
        notify.post_url("https://x.example", {"ARTICLE_URL": "{nope}/"}, one, [one])
    assert err.value.field == "ARTICLE_URL"


def test_smtp_settings_are_checked(monkeypatch) -> None:
    for name in mailer.SETTINGS:
        monkeypatch.delenv(name, raising=False)
    base = {"FLOOR_SMTP_HOST": "smtp.example.net", "FLOOR_SMTP_FROM": "r@example.net"}
    cfg = mailer.config(base)
    assert (cfg.port, cfg.tls, cfg.user) == (587, "starttls", None)
    assert mailer.config({**base, "FLOOR_SMTP_TLS": "ssl"}).port == 465
    monkeypatch.setenv("FLOOR_SMTP_PORT", "2525")
    assert mailer.config(base).port == 2525  # the environment wins
    for bad, field in (
        ({"FLOOR_SMTP_HOST": ""}, "FLOOR_SMTP_HOST"),
        ({"FLOOR_SMTP_TLS": "maybe"}, "FLOOR_SMTP_TLS"),
        ({"FLOOR_SMTP_FROM": "robin"}, "FLOOR_SMTP_FROM"),
        ({"FLOOR_SMTP_TLS": "none", "FLOOR_SMTP_USER": "robin"}, "FLOOR_SMTP_TLS"),  # no password in clear
    ):
        with pytest.raises(FloorError) as err:
            mailer.config({**base, **bad})
        assert err.value.field == field


def test_ask_notify_needs_a_contact(site: Path) -> None:
    assert "--notify needs --contact" in fails_cleanly(
        run_floor("ask", "Why?", "--notify", site=site), code=2
    )
    qid = ok(run_floor("ask", "Why?", "--notify", "--contact", "kim@example.org", site=site)).strip()
    q = question_mod.load(site / "questions" / f"{qid}.md")
    assert q.notify and opened(site, q.contact) == "kim@example.org"


def _git(column: Path, *args: str) -> str:
    """git in the column's folder, as an author named A, its output."""
    done = subprocess.run(
        ["git", "-C", str(column), "-c", "user.name=A", "-c", "user.email=a@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_commit_records_who_was_told_in_one_commit(column: Path, smtp, gh) -> None:
    git = functools.partial(_git, column)

    git("init", "--quiet", "--initial-branch=main")
    git("add", "-A")
    git("commit", "--quiet", "-m", "start")
    controller, box = smtp
    env = {
        **smtp_env(controller),
        **github_env(gh),
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
    }
    out = ok(run_floor("notify", "--commit", site=column, today=NOW, env=env))
    assert "committed: Record who was told their answer is up" in out
    assert git("log", "--format=%s").splitlines() == ["Record who was told their answer is up", "start"]
    assert git("show", "--name-only", "--format=").split() == [
        "content/floor/do-you-ever-stalk-your-customers.md"
    ]
    assert git("status", "--porcelain") == ""
    # nothing more to tell: no new commit
    assert "nobody to notify" in ok(run_floor("notify", "--commit", site=column, today=NOW, env=env))
    assert len(git("log", "--format=%s").splitlines()) == 2

    # a run stopped after the notes and their records, before the commit: the re-run commits the
    # records (or the weekly job, working from the repository, would tell the readers again) and
    # leaves an unrelated edit alone
    git("reset", "--quiet", "HEAD~1")
    other = column / "content" / "floor" / "no-note-please.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nA late fix.\n", encoding="utf-8")
    sent = len(box.envelopes)
    out = ok(run_floor("notify", "--commit", site=column, today=NOW, env=env))
    assert "committed the records of an earlier run that were never committed" in out
    assert "nobody to notify" in out
    assert git("log", "--format=%s").splitlines() == ["Record who was told their answer is up", "start"]
    assert git("status", "--porcelain").split() == ["M", "content/floor/no-note-please.md"]
    assert len(box.envelopes) == sent, "nobody is told twice"


@pytest.mark.parametrize(
    "fields",
    [
        # read from robin/from-the-floor#7, but the contact was changed to another repository's issue
        "source: issue\n    intake_id: https://github.com/robin/from-the-floor/issues/7",
        "source: csv\n    intake_id: csv:row-7",  # typed into a CSV row
        "source: issue\n    intake_id: csv:row-7",  # a CSV row that claims to be an issue
        "source: issue",  # no record of where it was read from
    ],
)
def test_an_issue_the_intake_did_not_read_is_refused(column: Path, gh, fields: str) -> None:
    """A contact pointing at another repository's issue never gets the site's token used on it."""
    stalk = column / "content" / "floor" / "do-you-ever-stalk-your-customers.md"
    text = stalk.read_text(encoding="utf-8")
    forged = text.replace(
        "contact: github:robin/from-the-floor/issues/7\n    source: issue\n"
        "    intake_id: https://github.com/robin/from-the-floor/issues/7",
        f"contact: github:other/repo/issues/7\n    {fields}",
    )
    assert forged != text
    stalk.write_text(forged, encoding="utf-8")
    gh.add_issue("other/repo", 7, "Somebody else's issue", login="victim")
    env = {**github_env(gh), "FLOOR_SITEURL": "https://f.example", "FLOOR_SMTP_HOST": ""}
    result = run_floor("notify", site=column, today=NOW, env=env)
    assert (
        "cannot notify reader 4 of do-you-ever-stalk-your-customers: the contact names an issue of "
        "other/repo, a repository `floor intake github` did not read" in result.stderr
    )
    assert gh.comments == [] and gh.issues["other/repo"][0]["state"] == "open"
    assert load(column, "do-you-ever-stalk-your-customers").also_asked_by[2].notified is None


@pytest.mark.parametrize(
    "field",
    [
        "'Kim Lee <kim@example.org>'",
        "'kim@example.org, 07700 900456'",
        "'\"kim@example.org\"'",
        "mailto:kim@example.org",
    ],
)
def test_a_contact_holding_more_than_an_address_is_notified_at_its_address(
    column: Path, smtp, gh, field: str
) -> None:
    """Fields an older kit stored whole (a display name, a list, quotes) still reach the reader."""
    controller, box = smtp
    later = column / "content" / "floor" / "why-mondays.md"
    later.write_text(
        later.read_text(encoding="utf-8").replace("contact: kim@example.org", f"contact: {field}"),
        encoding="utf-8",
    )
    env = {**smtp_env(controller), **github_env(gh)}
    out = ok(run_floor("notify", site=column, today="2026-11-16T10:00:00+00:00", env=env))
    assert "4 sent, 0 failed" in out
    assert "kim@example.org" in [to for _, (to,) in box.envelopes]
    assert "kim@" not in out and "07700" not in out


def test_a_run_stopped_half_way_has_already_said_who_was_told(column: Path, smtp, gh, monkeypatch) -> None:
    """Each 'emailed …' line is printed as its note goes out: Ctrl-C after one says that one."""
    from from_the_floor.core.site import Site

    controller, box = smtp
    for name, value in smtp_env(controller).items():
        monkeypatch.setenv(name, value)
    now = dt.datetime.fromisoformat(NOW)
    notes, _ = notify.pending(Site(column), now, None)
    emails = [n for n in notes if n.channel == "email"]
    assert len(emails) == 2

    class Stopped(Exception):
        """The author's Ctrl-C, right after the first line was printed."""

    heard: list[str] = []

    def told(line: str) -> None:
        heard.append(line)
        raise Stopped

    with pytest.raises(Stopped):
        notify.send(Site(column), emails, now, told=told)
    assert heard == [f"emailed {emails[0].who}"] and len(box.messages) == 1
    # the re-run tells only the other reader, and prints it too
    out = ok(run_floor("notify", site=column, today=NOW, env={**smtp_env(controller), **github_env(gh)}))
    assert f"emailed {emails[1].who}" in out and f"emailed {emails[0].who}" not in out
    assert len(box.messages) == 2


def test_a_merged_readers_record_left_uncommitted_is_committed_though_the_asker_was_not_told(
    column: Path, smtp, gh
) -> None:
    """Sam did not agree, Jo (merged, listed in the post) did: Jo's record, left uncommitted by a
    stopped run, is committed by the next `notify --commit`, or the weekly job would mail Jo again."""
    git = functools.partial(_git, column)

    for name in ("why-mondays", "no-note-please"):
        (column / "content" / "floor" / f"{name}.md").unlink()
    (column / "questions" / "not-out-yet.md").unlink(missing_ok=True)
    stalk = column / "content" / "floor" / "do-you-ever-stalk-your-customers.md"
    text = stalk.read_text(encoding="utf-8")
    stalk.write_text(text.replace("notify: true\n", "notify: false\n", 1), encoding="utf-8")
    git("init", "--quiet", "--initial-branch=main")
    git("add", "-A")
    git("commit", "--quiet", "-m", "start")
    controller, box = smtp
    env = {**smtp_env(controller), **github_env(gh), "GIT_AUTHOR_NAME": "A"}
    out = ok(run_floor("notify", site=column, today=NOW, env=env))  # as a run stopped before its commit
    assert "emailed reader 2 of do-you-ever-stalk-your-customers" in out and "the asker" not in out
    out = ok(run_floor("notify", "--commit", site=column, today=NOW, env=env))
    assert "committed the records of an earlier run that were never committed" in out
    assert git("status", "--porcelain") == ""
    assert "notified: " in git("show", "HEAD:content/floor/do-you-ever-stalk-your-customers.md")
    assert [to for _, (to,) in box.envelopes] == ["jo@example.com"]


class _KillOnSecond(Mailbox):
    """Accepts the first note; holds the second until the test has killed the run, then refuses it."""

    def __init__(self, journal: Path) -> None:
        super().__init__()
        self.journal = journal
        self.process: subprocess.Popen[str] | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if not self.messages or self.process is None:
            return await super().handle_DATA(server, session, envelope)
        # the run sends the second note only after the first is written down: kill it now, before
        # any fold could write the first into the post
        assert self.process is not None
        for _ in range(500):
            if self.journal.exists() and self.journal.read_bytes().endswith(b"\n"):
                break
            await asyncio.sleep(0.01)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        return "451 4.3.0 Try again later"


def test_a_kill_after_the_server_accepted_and_before_the_fold_mails_nobody_twice(column: Path, gh) -> None:
    """kill -9 right after the first note was accepted (the post not yet rewritten): the journal line
    fsynced after the accept makes the re-run skip that reader, fold the record and mail the rest."""
    journal = column / told.NAME
    box = _KillOnSecond(journal)
    controller = LoopbackController(box, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        env = floor_env(NOW, {**smtp_env(controller), **github_env(gh)})
        box.process = subprocess.Popen(
            [*FLOOR_COMMAND, "--site", str(column), "notify"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        box.process.communicate(timeout=120)
        assert box.process.returncode == -signal.SIGKILL
        first = [to for _, (to,) in box.envelopes]
        assert first == ["sam@example.org"]
        # killed before the fold: the record is only in the journal, the post does not have it
        assert load(column, "do-you-ever-stalk-your-customers").notified is None
        lines = journal.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 and "sam@" not in lines[0] and "example" not in lines[0]
        out = ok(run_floor("notify", "--dry-run", site=column, today=NOW, env=env))
        assert "Email to the asker of do-you-ever-stalk-your-customers" not in out
        assert journal.exists()  # a dry run writes nothing
        box.process = None  # the same real command again, undisturbed now
        out = ok(run_floor("notify", site=column, today=NOW, env=env))
        assert "the asker of do-you-ever-stalk" not in out
    finally:
        controller.stop()
    sent = [to for _, (to,) in box.envelopes]
    assert sorted(sent) == ["jo@example.com", "sam@example.org"]  # #2 is not out yet
    assert not journal.exists()
    stalk = load(column, "do-you-ever-stalk-your-customers")
    assert stalk.notified is not None and stalk.also_asked_by[0].notified is not None


def test_a_torn_last_journal_line_is_ignored_and_a_bad_one_refused(column: Path, smtp, gh) -> None:
    """A kill while a line was being written leaves half a line: it counts for nobody (that reader
    is told again, the documented window), and the complete line before it still holds."""
    from from_the_floor.core.site import Site

    controller, box = smtp
    env = {**smtp_env(controller), **github_env(gh)}
    stalk = load(column, "do-you-ever-stalk-your-customers")
    writer = told.Writer(Site(column))
    writer.add(stalk.id, 0, stalk.also_asked_by[0].contact, "2026-11-09T11:00:00+00:00")  # Jo was told
    writer.close()
    journal = column / told.NAME
    with journal.open("a", encoding="utf-8") as f:
        f.write('{"post":"do-you-ever-stalk-your-customers","entry":nu')  # Sam's line, torn by the kill
    out = ok(run_floor("notify", site=column, today=NOW, env=env))
    assert "reader 2 of do-you-ever-stalk-your-customers" not in out
    assert [to for _, (to,) in box.envelopes] == ["sam@example.org"]
    stalk = load(column, "do-you-ever-stalk-your-customers")
    assert str(stalk.also_asked_by[0].notified).startswith("2026-11-09T11:00:00")
    assert not journal.exists()

    journal.write_text(
        '{"post":"why-mondays","entry":null,"who":null,"at":"x"}\nnot json\n', encoding="utf-8"
    )
    err = fails_cleanly(run_floor("notify", site=column, today=NOW, env=env))
    assert told.NAME in err and "line 2" in err
    assert journal.exists() and len(box.messages) == 1  # refused before anyone was mailed


def test_notify_to_600_readers_reads_and_writes_each_file_a_few_times_not_once_a_reader(
    site: Path, smtp, monkeypatch
) -> None:
    """600 readers of one question (20 listed, 580 in its readers file): the run's work grows with
    the readers, not their square: the readers file is parsed and rewritten once per fold."""
    from from_the_floor.core import atomic, edit, readers_file
    from from_the_floor.core import question as qmod
    from from_the_floor.core.site import Site

    keys = Site(site).keys
    merged = [
        {
            "question": "Do you ever stalk your customers?",
            "asked": "2026-11-03",
            "asker": f"Listener {i}",
            "contact": keys.seal(f"l{i}@example.net"),
            "notify": True,
        }
        for i in range(599)
    ]
    text = post(
        "Do you ever stalk your customers",
        1,
        "2026-11-09T09:00:00+00:00",
        contact="sam@example.org",
        notify="true",
    )
    head, _, body = text.partition("\n---\n")
    lines = [head, f"more_readers: {599 - readers_file.LISTED}", "also_asked_by:"]
    for m in merged[: readers_file.LISTED]:
        lines += [f"  - question: {m['question']}", f"    asked: {m['asked']}", f"    asker: {m['asker']}"]
        lines += [f"    contact: {m['contact']}", "    notify: true"]
    text = "\n".join(lines) + "\n---\n" + body
    path = write_question(site, "do-you-ever-stalk-your-customers", text, folder="content/floor")
    kept = readers_file.path_for(site / "questions", "do-you-ever-stalk-your-customers")
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text("".join(json.dumps(m) + "\n" for m in merged[readers_file.LISTED :]), encoding="utf-8")
    assert qmod.load(path, published=True).readers == 600

    controller, box = smtp
    for name, value in smtp_env(controller).items():
        monkeypatch.setenv(name, value)
    now = dt.datetime.fromisoformat(NOW)
    notes, skipped = notify.pending(Site(site), now, None)
    assert len(notes) == 600 and not skipped

    counts = {"parse": 0, "write": 0}

    def counted(name: str, fn):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(readers_file, "load", counted("parse", readers_file.load))
    for module in (readers_file, edit):
        monkeypatch.setattr(module, "atomic_write_text", counted("write", atomic.atomic_write_text))
    result = notify.send(Site(site), notes, now)
    assert len(result.sent) == 600 and not result.failed and len(box.messages) == 600
    folds = -(-600 // told.FOLD_EVERY)
    # each fold parses the readers file once and writes it and the post at most once each (the
    # asker's record once more); before, every note parsed it twice and wrote both files
    assert counts["parse"] <= folds
    assert counts["write"] <= 2 * folds + 1
    done = qmod.load(path, published=True)
    assert done.notified is not None
    assert all(e.notified for e in readers_file.everyone(site / "questions", done))
    assert not (site / told.NAME).exists()


def test_a_killed_runs_journal_is_folded_and_committed_by_notify_commit(column: Path, gh) -> None:
    """The weekly job works from the repository: `notify --commit` after a kill writes the journal's
    record into the post, commits it (and the journal's removal, had it been committed), mails the rest."""

    git = functools.partial(_git, column)

    git("init", "--quiet", "--initial-branch=main")
    git("add", "-A")
    git("commit", "--quiet", "-m", "start")
    journal = column / told.NAME
    box = _KillOnSecond(journal)
    controller = LoopbackController(box, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        env = floor_env(NOW, {**smtp_env(controller), **github_env(gh), "GIT_AUTHOR_NAME": "A"})
        box.process = subprocess.Popen(
            [*FLOOR_COMMAND, "--site", str(column), "notify", "--commit"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        box.process.communicate(timeout=120)
        assert box.process.returncode == -signal.SIGKILL and journal.exists()
        git("add", "-A")  # the author commits everything by hand: the journal goes with it
        git("commit", "--quiet", "-m", "by hand")
        box.process = None
        out = ok(run_floor("notify", "--commit", site=column, today=NOW, env=env))
    finally:
        controller.stop()
    assert "committed the records of an earlier run that were never committed" in out and "committed: " in out
    assert sorted(to for _, (to,) in box.envelopes) == ["jo@example.com", "sam@example.org"]
    assert git("status", "--porcelain") == ""
    assert told.NAME not in git("ls-files")
    head = git("show", "HEAD:content/floor/do-you-ever-stalk-your-customers.md")
    assert head.count("notified: ") == 3  # Sam (from the journal), Jo, and the issue reader


HOSTILE_QUESTION = "Do you ever stalk @octocat? See [this](https://evil.example) <img src=x> **now**"

# a note's fields, the question a reader's hostile one (each test takes its own copy)
HOSTILE_VALUES = {
    "name": "Sam",
    "question": HOSTILE_QUESTION,
    "url": "https://f.example/q/",
    "site": "S",
    "author": "R",
}


def _inline(body: str) -> list:
    from markdown_it import MarkdownIt

    return [tok for block in MarkdownIt("commonmark").parse(body) if block.children for tok in block.children]


@pytest.mark.parametrize(
    "template",
    [
        "Hi {name}, you asked {question} and the answer is up: {url}",
        "Hi {name},\n\n{question}\n\nThe answer: {url}",
        "Hi {name},\n\n- You asked:\n\n    {question}\n\n{url}",  # the list item's paragraph, not code
        "Hi {name},\n\n- You asked\nlazily:\n\n    {question}\n\n{url}",
        "Hi {name}, you asked:\n    {question}\n{url}",  # indented, but it continues the paragraph
    ],
)
def test_a_custom_body_shows_the_question_on_an_issue_as_text_markdown_leaves_alone(template: str) -> None:
    """FLOOR_NOTIFY_BODY in the author's words: wherever `{question}` sits, a reader's question in a
    comment mentions no one, links nowhere and adds no HTML or markup, and is all there as typed."""
    values = dict(HOSTILE_VALUES)
    body = notify.issue_body(template, values)
    inline = _inline(body)
    kinds = {tok.type for tok in inline}
    assert kinds <= {"text", "code_inline", "softbreak"}, (kinds, body)
    plain = "".join(tok.content for tok in inline if tok.type == "text")
    assert "@octocat" not in plain and "<img" not in plain and "](" not in plain, body
    assert any(tok.type == "code_inline" and tok.content == HOSTILE_QUESTION for tok in inline), body


@pytest.mark.parametrize(
    "template",
    ["<pre>\n\nHi {name},\n\n    {question}\n\n</pre> {url}", "<details>\n{question}\n</details>"],
)
def test_a_custom_body_with_an_html_block_before_the_question_is_refused_for_an_issue(template: str) -> None:
    """An HTML block (some run past blank lines) would show the question as HTML: refused with the
    setting named, before any note is sent (the notes are all made first)."""
    values = {"name": "Sam", "question": HOSTILE_QUESTION, "url": "u", "site": "S", "author": "R"}
    with pytest.raises(FloorError, match="starting with HTML before") as caught:
        notify.issue_body(template, values)
    assert caught.value.field == "FLOOR_NOTIFY_BODY"
    assert notify.issue_body(template.replace("{question}", "the question"), values)  # none: fine


def test_the_default_body_keeps_the_question_in_its_code_block_as_typed() -> None:
    values = dict(HOSTILE_VALUES)
    body = notify.issue_body(notify.DEFAULT_BODY, values)
    assert body == notify.DEFAULT_BODY.format(**values)  # unchanged: the indented line is code
    from markdown_it import MarkdownIt

    blocks = MarkdownIt("commonmark").parse(body)
    assert [b.content for b in blocks if b.type == "code_block"] == [HOSTILE_QUESTION + "\n"]


def test_a_custom_body_on_an_issue_is_protected_and_the_email_keeps_the_words(column: Path, smtp, gh) -> None:
    controller, box = smtp
    stalk = column / "content" / "floor" / "do-you-ever-stalk-your-customers.md"
    text = stalk.read_text(encoding="utf-8")
    stalk.write_text(
        text.replace("question: Do you ever stalk your customers?", f"question: '{HOSTILE_QUESTION}'", 1),
        encoding="utf-8",
    )
    with (column / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nFLOOR_NOTIFY_BODY = "Hi {name}, you asked {question}: {url}"\n')
    env = {**smtp_env(controller), **github_env(gh)}
    ok(run_floor("notify", site=column, today=NOW, env=env))
    [(_, _, comment)] = gh.comments
    plain = "".join(tok.content for tok in _inline(comment) if tok.type == "text")
    assert "@octocat" not in plain and f"`{HOSTILE_QUESTION}`" in comment
    sam = next(m for m in box.messages if "sam@" in m["To"])
    assert f"you asked {HOSTILE_QUESTION}:" in sam.get_content()  # plain text mail: the words as typed


def test_ask_notify_before_mail_is_set_up_says_so_once(site: Path) -> None:
    """`floor ask --notify` with an email contact and no mail server: a note (exit 0) saying the
    reader is told only once the mail settings are set up, and where; never the address."""
    no_mail = {"FLOOR_SMTP_HOST": ""}
    args = ("ask", "Why twice?", "--asker", "Ben", "--contact", "Ben <ben.oneil@example.org>", "--notify")
    result = run_floor(*args, site=site, env=no_mail)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "why-twice"
    assert result.stderr.count("only once the mail settings are set up") == 1, result.stderr
    assert "this reader asked to hear by email" in result.stderr
    assert "Actions > Variables" in result.stderr
    assert "ben.oneil@example.org" not in result.stdout + result.stderr
    # not asked to hear back, no address to write to (a handle), or a mail server set: no note
    for extra, env in (
        (("--contact", "ann@example.org"), no_mail),
        (("--contact", "@octo", "--notify"), no_mail),
        (("--contact", "cy@example.org", "--notify"), {"FLOOR_SMTP_HOST": "mail.example.org"}),
    ):
        other = run_floor("ask", f"Question {extra[1]}?", *extra, site=site, env=env)
        assert other.returncode == 0 and "mail settings" not in other.stderr, (extra, other.stderr)
