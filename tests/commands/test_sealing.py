"""Readers' contacts sealed at rest: no tracked file of a site holds one in plain text.

The site is fed through the real `floor` command (ask, email, mbox, CSV, a
merge, a split, a rejected message), committed to git, and then every tracked
file and every commit is searched for each reader's address. The age files are
also opened by Debian's `age` tool, so an author never depends on this kit to
read their own data.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.core import sealing
from from_the_floor.core.site import Site
from from_the_floor.errors import FloorError
from helpers_floor import fails_cleanly, ok, opened, question_text, run_floor, tree_digest, write_question
from helpers_intake import LoopbackController, Mailbox, smtp_env
from helpers_publish import git, git_init

DATA = Path(__file__).parent.parent / "data" / "intake"
REAL = Path(__file__).parent.parent / "fixtures" / "intake"  # messages as real mail clients sent them
NOW = "2026-11-09T12:00:00+00:00"


def readers_in(paths: list[Path]) -> set[str]:
    """Every reader's address the fixtures hold, read from the files themselves (not typed in here):
    the senders of each message, and the CSV cells that are addresses."""
    import csv
    import email
    import email.policy
    import mailbox
    from email.utils import getaddresses

    def senders(msg) -> set[str]:
        values = [str(v) for key in ("From", "Reply-To", "Sender") for v in msg.get_all(key) or []]
        return {addr.lower() for _name, addr in getaddresses(values) if "@" in addr}

    found: set[str] = set()
    for path in paths:
        if path.suffix == ".eml":
            found |= senders(email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
        elif path.suffix == ".mbox":
            for msg in mailbox.mbox(path):
                found |= senders(msg)
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                cells = [cell.strip() for row in csv.reader(handle) for cell in row]
            found |= {c.lower() for c in cells if "@" in c and " " not in c and "." in c.split("@")[-1]}
    return found


def test_init_makes_the_key_pair(site: Path) -> None:
    key = site / ".floor" / "age-key.txt"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert ".floor/" in (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    keys = Site(site).keys
    assert keys.recipient and keys.recipient.startswith("age1")
    assert keys.recipient in key.read_text(encoding="utf-8")  # the file names its public key
    assert keys.can_open


def test_every_channel_seals_and_git_holds_no_plain_contact(site: Path) -> None:
    ok(run_floor("ask", "Do you keep my address?", "--contact", "Asker.One@Example.org", site=site))
    ok(run_floor("intake", "eml", *sorted(DATA.glob("*.eml")), site=site))
    ok(run_floor("intake", "eml", *sorted(REAL.glob("*.eml")), site=site))  # real mail clients' messages
    ok(run_floor("intake", "mbox", REAL / "thunderbird-inbox.mbox", site=site))
    ok(run_floor("intake", "mbox", DATA / "questions.mbox", site=site))
    ok(run_floor("intake", "csv", DATA / "talk-notes.csv", site=site))
    ok(run_floor("intake", "csv", DATA / "contact-centre.csv", site=site))
    git_init(site)  # everything a user would commit and push
    tracked = [site / p for p in git(site, "ls-files").split()]
    assert any("rejected" in str(p) for p in tracked), "a rejected message is kept for a retry"
    contacts = readers_in(
        sorted(DATA.iterdir()) + sorted(REAL.glob("*.eml")) + [REAL / "thunderbird-inbox.mbox"]
    )
    contacts |= {"asker.one@example.org"}
    assert len(contacts) >= 5

    def holds(text: str, contact: str) -> bool:  # as an address, not inside a Message-ID's local part
        return re.search(rf"(?<![\w.+-]){re.escape(contact)}(?![\w-])", text) is not None

    for path in tracked:
        text = path.read_bytes().decode("utf-8", errors="replace").lower()
        for contact in contacts:
            assert not holds(text, contact), (path, contact)
    log = ["git", "-C", str(site), "log", "-p", "--text", "--all"]
    history = subprocess.run(log, capture_output=True, check=True).stdout.decode("utf-8", "replace").lower()
    assert not [c for c in contacts if holds(history, c)]
    # and the author still reads them all
    stored = [question_mod.load(p) for p in (site / "questions").glob("*.md")]
    plain = {opened(site, q.contact).lower() for q in stored if q.contact}
    plain |= {opened(site, e.contact).lower() for q in stored for e in q.also_asked_by if e.contact}
    assert "asker.one@example.org" in plain and len(plain) >= 4


def test_the_age_tool_opens_what_the_kit_sealed(site: Path) -> None:
    age = shutil.which("age")
    if age is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's age is missing: scripts/install-system-deps.sh installs it")
        pytest.skip("Debian's age is not installed")
    qid = ok(run_floor("ask", "Can age read this?", "--contact", "zoe@example.org", site=site)).strip()
    value = question_mod.load(site / "questions" / f"{qid}.md").contact
    done = subprocess.run(
        [age, "--decrypt", "-i", str(site / ".floor" / "age-key.txt")],
        input=base64.b64decode(value.removeprefix("age:")),
        capture_output=True,
        check=True,
    )
    assert done.stdout == b"zoe@example.org"


@pytest.mark.parametrize("overrides", [False, True])
def test_the_missing_key_warning_is_said_once_per_build(site: Path, overrides: bool) -> None:
    """The sources are checked in a worker beside the build; with template overrides (a theme of
    the site's own, or a copy of the kit's site, does the same) the build's process makes the
    detector again for the output check: the warning is still said once."""
    for who in ("ana@example.org", "bo@example.org"):
        ok(run_floor("ask", f"A question from {who[:3]}?", "--contact", who, site=site))
    (site / ".floor" / "age-key.txt").unlink()
    if overrides:
        (site / "overrides").mkdir()
        with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
            conf.write('\nTHEME_TEMPLATES_OVERRIDES = ["overrides"]\n')
    built = run_floor("build", site=site, env={"FLOOR_JOBS": "2"})  # two jobs: the guard's worker
    ok(built)
    said = built.stdout + built.stderr
    assert len(re.findall(r"cannot look for 2 sealed", said)) == 1, said


def test_without_the_key_everything_but_reading_contacts_works(site: Path) -> None:
    qid = ok(run_floor("ask", "Will you tell me?", "--contact", "kim@example.org", "--notify", site=site))
    qid = qid.strip()
    ok(run_floor("answer", qid, "--quick", "Yes.", "--body", "When it is up.", site=site))
    key = site / ".floor" / "age-key.txt"
    saved = key.read_text(encoding="utf-8")
    key.unlink()
    # sealing needs only the public key: intake and ask still work
    ok(run_floor("ask", "Another one?", "--contact", "lee@example.org", site=site))
    ok(run_floor("queue", site=site))
    ok(run_floor("check", site=site))
    ok(run_floor("publish", site=site))
    built = run_floor("build", site=site)
    ok(built)
    assert re.search(r"cannot look for \d+ sealed", built.stderr + built.stdout)
    shown = ok(run_floor("show", "another-one", site=site))
    assert "sealed (the private key is missing" in shown
    err = fails_cleanly(run_floor("notify", "--dry-run", site=site, today=NOW))
    assert "private key is missing" in err and "FLOOR_AGE_KEY" in err
    assert "kim@example.org" not in err
    # the CI secret in place of the file
    env = {"FLOOR_AGE_KEY": saved, "FLOOR_SITEURL": "https://column.example.net"}
    out = ok(run_floor("notify", "--dry-run", site=site, today=NOW, env=env))
    assert "Email to the asker of will-you-tell-me" in out  # opened, and still never printed
    assert "kim@example.org" not in out


def test_notify_sends_to_the_opened_address_and_records_it(site: Path) -> None:
    qid = ok(run_floor("ask", "Will you write?", "--contact", "kim@example.org", "--notify", site=site))
    ok(run_floor("answer", qid.strip(), "--quick", "Yes.", "--body", "Soon.", site=site))
    ok(run_floor("publish", site=site))
    box = Mailbox()
    controller = LoopbackController(box, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        env = {**smtp_env(controller), "FLOOR_SITEURL": "https://column.example.net"}
        out = ok(run_floor("notify", site=site, today=NOW, env=env))
    finally:
        controller.stop()
    assert "kim@example.org" not in out
    assert [rcpts for _sender, rcpts in box.envelopes] == [["kim@example.org"]]
    post = question_mod.load(next((site / "content" / "floor").glob("*.md")), published=True)
    assert post.notified and sealing.is_sealed(post.contact)


def test_seal_converts_a_site_in_place_once(site: Path) -> None:
    path = write_question(
        site, "old-question", question_text("Old question?", contact="old.reader@example.org")
    )
    merged = path.read_text(encoding="utf-8").replace(
        "\n---\n",
        "\nalso_asked_by:\n  - question: Same?\n    asked: 2026-11-01\n    contact: jo@example.com\n---\n",
        1,
    )
    path.write_text(merged, encoding="utf-8")
    rejected = site / "questions" / "inbox" / "rejected"
    rejected.mkdir(parents=True)
    (rejected / "msg-1.eml").write_bytes((DATA / "plain.eml").read_bytes())
    (rejected / "msg-1.reason.txt").write_text("msg\nrejected: test\n", encoding="utf-8")
    warned = run_floor("check", site=site)
    assert "old-question.md: contact: stored in plain text" in warned.stderr
    assert "msg-1.eml: a kept message stored in plain text" in warned.stderr

    out = ok(run_floor("seal", site=site))
    assert "2 contacts sealed in 1 file, 1 kept message sealed" in out
    after = path.read_text(encoding="utf-8")
    assert "old.reader@example.org" not in after and "jo@example.com" not in after
    q = question_mod.load(path)
    assert opened(site, q.contact) == "old.reader@example.org"
    assert opened(site, q.also_asked_by[0].contact) == "jo@example.com"
    # only the contact values changed: the other lines are as they were
    kept = [line for line in merged.splitlines() if "contact:" not in line]
    assert [line for line in after.splitlines() if "contact:" not in line] == kept
    assert not (rejected / "msg-1.eml").exists()
    sealed_msg = rejected / "msg-1.eml.age"
    assert Site(site).keys.open_bytes(sealed_msg.read_bytes()) == (DATA / "plain.eml").read_bytes()
    assert "plain text" not in run_floor("check", site=site).stderr

    before = tree_digest(site)
    assert "0 contacts sealed in 0 files, 0 kept messages sealed" in ok(run_floor("seal", site=site))
    assert tree_digest(site) == before
    # a sealed message kept for a retry goes back in through intake, opened with the key
    retried = ok(run_floor("intake", "eml", sealed_msg, site=site))
    assert "1 added" in retried or "already imported" in retried or "asked again" in retried


def test_seal_on_a_site_without_a_key_creates_one(site: Path) -> None:
    conf = site / "pelicanconf.py"
    conf.write_text(
        "\n".join(line for line in conf.read_text().splitlines() if "FLOOR_AGE_RECIPIENT" not in line) + "\n"
    )
    shutil.rmtree(site / ".floor")
    write_question(site, "legacy", question_text("Legacy?", contact="legacy@example.org"))
    err = fails_cleanly(run_floor("intake", "eml", DATA / "plain.eml", site=site))
    assert "floor keys init" in err
    assert not list((site / "questions").glob("do-you-*.md")), "nothing half-done"
    out = ok(run_floor("seal", site=site))
    assert "created the column's key pair" in out and "gh secret set FLOOR_AGE_KEY" in out
    assert 'FLOOR_AGE_RECIPIENT = "age1' in conf.read_text()
    assert opened(site, question_mod.load(site / "questions" / "legacy.md").contact) == "legacy@example.org"


def test_rotate_reseals_everything_to_a_new_key(site: Path) -> None:
    ok(run_floor("ask", "First?", "--contact", "first@example.org", site=site))
    ok(run_floor("intake", "eml", DATA / "not-an-email.eml", site=site))
    old_public = Site(site).keys.recipient
    old_value = question_mod.load(site / "questions" / "first.md").contact
    out = ok(run_floor("keys", "rotate", site=site))
    assert "1 contact re-sealed in 1 file, 1 kept message re-sealed" in out
    fresh = Site(site).keys
    assert fresh.recipient != old_public
    new_value = question_mod.load(site / "questions" / "first.md").contact
    assert new_value != old_value and fresh.open(new_value) == "first@example.org"
    # the new key alone opens the new files; the old key stays in the file for git history
    text = (site / ".floor" / "age-key.txt").read_text(encoding="utf-8")
    newest = sealing.identities_in(text)[0]
    assert sealing.Keys(site, None, env_key=str(newest)).open(new_value) == "first@example.org"
    with pytest.raises(FloorError):
        sealing.Keys(site / "nowhere", None, env_key=str(newest)).open(old_value)
    assert fresh.open(old_value) == "first@example.org"
    assert fresh.recipient in (site / "pelicanconf.py").read_text()
