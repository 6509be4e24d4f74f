"""`floor notify`: a personal note to each reader whose question has been answered.

Who: the asker of every published post whose date has passed, and every
reader merged into it (``also_asked_by``), when they left a contact and
agreed (``notify: true``) and have not been notified yet. How: an email over
SMTP, or, for a contact ``github:OWNER/NAME/issues/N`` (questions filed as
issues), a comment on the issue, which is then closed.

Once each: right after a note goes out, a line saying so is appended to the
journal and fsynced (core/told.py); every few notes and at the end of the run
the journal is folded into ``notified: <moment>`` in the post (and readers)
files, atomically, under the site lock. A re-run folds a journal a killed run
left before it chooses whom to tell, so it sends nothing twice; a note that
fails is reported and the others still go out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import os
import re
import secrets
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from ..core import contact_recogniser, readers_file
from ..core import queue as queue_mod
from ..core import settings as settings_mod
from ..core import told as told_mod
from ..core.question import Question
from ..core.site import Site
from ..errors import FloorError
from ..intake import intake, intake_github
from ..services import github_api, mailer
from ..services.github_api import GitHub
from ..web.links import post_url

DEFAULT_SUBJECT = "Your question is answered: {question}"
DEFAULT_BODY = """Hello {name},

Thank you for your question to {site}:

    {question}

The answer is up: {url}

{author}
"""


@dataclass
class Note:
    """One personal note: to whom, how, and what it says."""

    post: Question
    entry: int | None  # None: the post's asker; else the index in also_asked_by
    name: str | None
    contact: str
    channel: str  # "email" | "issue"
    url: str
    subject: str
    body: str
    stored: str | None = None  # the contact as the file holds it (sealed): how record() finds the reader

    @property
    def who(self) -> str:
        """Names the reader without their contact (safe for a public CI log)."""
        reader = "the asker" if self.entry is None else f"reader {self.entry + 2}"
        return f"{reader} of {self.post.id}"


@dataclass
class Result:
    sent: list[str] = dataclasses.field(default_factory=list)
    failed: list[str] = dataclasses.field(default_factory=list)


def site_url(site: Site, override: str | None = None) -> str:
    """Where answers are linked from: --site-url, FLOOR_SITEURL, publishconf.py, pelicanconf.py."""
    candidates: list[Any] = [override, os.environ.get("FLOOR_SITEURL")]
    publishconf = site.root / "publishconf.py"
    if publishconf.exists():
        candidates.append(settings_mod.read_conf(publishconf).get("SITEURL"))
    candidates.append(site.settings.raw.get("SITEURL"))
    for candidate in candidates:
        if candidate:
            url = str(candidate).rstrip("/")
            if not url.startswith(("https://", "http://")):
                raise FloorError(f"{url!r} is not a web address (https://…)", field="SITEURL")
            return url
    raise FloorError(
        "the site's public address is unknown, so there is no link to send: set SITEURL in "
        "publishconf.py, or FLOOR_SITEURL, or give --site-url",
        field="SITEURL",
    )


def known_site_url(site: Site, override: str | None = None, *, quiet: bool = False) -> str | None:
    """:func:`site_url` when one is set, else None (the import's report and `floor redirects` say
    what the old addresses need either way). A value that is not a web address is an error, or
    None when ``quiet`` (a report after the work is done must not fail over it)."""
    if not (override or os.environ.get("FLOOR_SITEURL") or site.settings.raw.get("SITEURL")):
        publishconf = site.root / "publishconf.py"
        if not publishconf.exists() or not settings_mod.read_conf(publishconf).get("SITEURL"):
            return None
    try:
        return site_url(site, override)
    except FloorError:
        if quiet:
            return None
        raise


def templates(raw: dict[str, Any]) -> tuple[str, str]:
    """FLOOR_NOTIFY_SUBJECT and FLOOR_NOTIFY_BODY, checked: {name} {question} {url} {site} {author}."""
    found = []
    for key, default in (("FLOOR_NOTIFY_SUBJECT", DEFAULT_SUBJECT), ("FLOOR_NOTIFY_BODY", DEFAULT_BODY)):
        text = str(raw.get(key) or default)
        try:
            text.format(name="n", question="q", url="u", site="s", author="a")
        except (KeyError, IndexError, ValueError) as exc:
            raise FloorError(
                f"{text!r} is not a valid pattern ({exc}); "
                "use {name}, {question}, {url}, {site} and {author}",
                field=key,
            ) from None
        found.append(text)
    return found[0], found[1]


def _channel(contact: str) -> tuple[str | None, str]:
    """How to reach a reader, and where: their GitHub issue, or the first email address the
    contact field holds (``Bob <bob@example.org>``, ``bob@example.org, 07700 900456`` and an
    older kit's ``"bob@example.org"`` all reach bob@example.org: contact_recogniser)."""
    if intake_github.parse_contact(contact):
        return "issue", contact
    for address in contact_recogniser.emails_in_field(contact):
        if " " not in address and not address.startswith('"'):
            return "email", address
    return None, contact


@dataclass(frozen=True)
class Reader:
    """One reader of a post as notify needs them: the one place contacts are read from a post."""

    entry: int | None
    name: str | None
    contact: str | None
    agreed: bool
    notified: str | None
    source: str | None
    intake_id: str | None

    @property
    def who(self) -> str:
        return "the asker" if self.entry is None else f"reader {self.entry + 2}"


def readers(post: Question, questions_dir: Path | None = None) -> list[Reader]:
    """The post's asker, then each merged reader (``also_asked_by``, then its readers file), in order."""
    found = [Reader(None, post.asker, post.contact, post.notify, post.notified, post.source, post.intake_id)]
    merged = readers_file.everyone(questions_dir, post) if questions_dir is not None else post.also_asked_by
    found += [
        Reader(i, e.asker, e.contact, bool(e.notify), e.notified, e.source, e.intake_id)
        for i, e in enumerate(merged)
    ]
    return found


def issue_problem(reader: Reader) -> str | None:
    """Why an issue contact may not be acted on, or None when `floor intake github` recorded it.

    Only the GitHub channel writes ``source: issue`` together with an
    ``intake_id`` that is the issue's own address; a contact typed into a CSV
    row, an email or by hand cannot make notify comment on (and close) an
    issue of some other repository with the site's token.
    """
    parsed = intake_github.parse_contact(reader.contact or "")
    if parsed is None:
        return "the contact is not a GitHub issue"
    repo, number = parsed
    url = urllib.parse.urlsplit(reader.intake_id or "")
    read_from = url.path.strip("/").rsplit("/issues/", 1)
    if (
        reader.source != "issue"
        or url.scheme not in ("http", "https")
        or len(read_from) != 2
        or read_from[0].lower() != repo.lower()
        or read_from[1] != str(number)
    ):
        return (
            f"the contact names an issue of {repo}, a repository `floor intake github` did not read "
            "this question from; refusing to comment there"
        )
    return None


def without_consent(site: Site, now: dt.datetime) -> int:
    """Readers of posts out by ``now`` who left a contact but did not agree to hear back: why
    `floor notify` may tell no one (a contact alone is not consent; `floor ask --notify` is)."""
    q = queue_mod.load(site)
    return sum(
        1
        for post in q.published
        if post.date is not None and post.date <= now
        for reader in readers(post, site.questions_dir)
        if reader.contact and not reader.agreed and not reader.notified
    )


def pending(site: Site, now: dt.datetime, base_url: str | None) -> tuple[list[Note], list[str]]:
    """The notes due (posts out by ``now``), and why any reader who agreed cannot be reached."""
    q = queue_mod.load(site)
    q.raise_errors()
    raw = site.settings.raw
    subject_t, body_t = templates(raw)
    notes: list[Note] = []
    skipped: list[str] = []
    # told by a killed run but not yet folded into the files (--dry-run does not fold: it writes nothing)
    journaled = {(t.post, t.entry, t.who) for t in told_mod.read(site)}
    for post in q.published:
        if post.date is None or post.date > now:
            continue
        for reader in readers(post, site.questions_dir):
            if not (reader.contact and reader.agreed) or reader.notified:
                continue
            if journaled and (post.id, reader.entry, told_mod.digest(site, reader.contact)) in journaled:
                continue
            # opened only here, for a reader who is due a note: sealed everywhere else
            stored = reader.contact
            reader = dataclasses.replace(reader, contact=site.keys.open(stored, where=post.path) or "")
            entry, name = reader.entry, reader.name
            channel, contact = _channel(reader.contact)
            problem = issue_problem(reader) if channel == "issue" else None
            if channel is None:
                problem = "the contact is neither an email address nor a GitHub issue"
            if problem:
                skipped.append(f"{reader.who} of {post.id}: {problem}")
                continue
            base_url = base_url or site_url(site)  # only needed once someone is due a note
            url = post_url(base_url, raw, post, q.published)
            name = intake.clean_text(name or "") or None
            values = {
                "name": (markdown_text(name) if channel == "issue" else name) if name else "there",
                "question": intake.clean_text(post.question),
                "url": url,
                "site": raw.get("SITENAME", ""),
                "author": raw.get("AUTHOR", ""),
            }
            subject = one_header_line(subject_t.format(**values))
            if len(subject) > 120:
                subject = subject[:119].rstrip() + "…"
            body = issue_body(body_t, values) if channel == "issue" else body_t.format(**values)
            notes.append(Note(post, entry, name, contact, channel, url, subject, body, stored))
    return notes, skipped


def preview(note: Note) -> str:
    """What --dry-run prints for one note: never the address (CI logs are public), only who."""
    if note.channel == "issue":
        repo, number = intake_github.parse_contact(note.contact) or ("?", 0)
        head = f"Comment on {repo}#{number}, then close it:"
    else:
        head = f"Email to {note.who}{_named(note)}\nSubject: {note.subject}"
    return f"--- {note.who}\n{head}\n\n{note.body.rstrip()}\n"


def _named(note: Note) -> str:
    return f" ({note.name})" if note.name else ""


def scrub(text: str, contact: str) -> str:
    """A server's error line without the reader's address (SMTP refusals quote the recipient)."""
    parts = [part.value for part in contact_recogniser.parse_field(contact)]
    for form in sorted({contact.strip(), parseaddr(contact)[1], *parts}, key=len, reverse=True):
        if form:
            text = re.sub(re.escape(form), "<the reader's address>", text, flags=re.IGNORECASE)
    return text


# what Markdown on GitHub acts on in a line of prose: markup, links (bare addresses are linked too),
# @mentions, #references, emphasis, tables, HTML and entities
_MARKDOWN_ACTIVE = re.compile(r"[\\`*_\[\]<>!@#&|~:]|www\.")


def markdown_text(text: str) -> str:
    """A reader's one-line ``text`` for the prose of a GitHub comment: as it is when Markdown leaves
    it alone, else as a code span, shown as typed. The comment is the column's own: a reader's
    ``@someone`` would notify that account from it, ``[x](https://…)`` be a link in the author's
    voice, ``<img …>`` an image."""
    if not _MARKDOWN_ACTIVE.search(text):
        return text
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# a line Markdown shows as code whatever it holds: four spaces (or a tab) of indentation
_CODE_LINE = re.compile(r"(?: {4,}|\t)")
# a list item or a quote: an indented line below it (blank lines between) is its paragraph
_CONTAINER = re.compile(r"(?:[-+*>]|\d{1,9}[.)])")
_HTML = re.compile(r" {0,3}<")  # where an HTML block may start


def _code_block_at(lines: list[str], index: int, token: str) -> bool:
    """Whether line ``index``, the token alone on an indented line, is an indented code block in
    CommonMark, so the question there is shown as typed. Only where that is plain to see: after a
    blank line (or at the top), below a block of text starting at the margin that is no list item
    or quote (an indented line there is that item's paragraph, Markdown and all). Anywhere else the
    question is written as text Markdown leaves alone."""
    line = lines[index]
    if line.lstrip(" \t") != token or not _CODE_LINE.match(line):
        return False
    if index > 0 and lines[index - 1].strip():
        return False  # right after a paragraph's line: it continues that paragraph
    above = lines[:index]
    while above and not above[-1].strip():
        above.pop()
    block: list[str] = []
    while above and above[-1].strip():
        block.append(above.pop())
    return all(not text[:1].isspace() and not _CONTAINER.match(text) for text in block)


def issue_body(template: str, values: dict[str, str]) -> str:
    """``template`` filled for a GitHub comment: the reader's question as it is where the template
    shows it as code (the default body's indented line), and as :func:`markdown_text` anywhere
    else, where Markdown would act on it (a mention, a link, an image, HTML), as the name always is.
    A custom FLOOR_NOTIFY_BODY that puts ``{question}`` in a sentence is as safe as the default."""
    token = f"floor-question-{secrets.token_hex(8)}"
    lines = template.format(**{**values, "question": token}).split("\n")
    last = max((i for i, line in enumerate(lines) if token in line), default=-1)
    if any(_HTML.match(line) for line in lines[: last + 1]):
        # an HTML block (<pre>, <details>, a comment) may run past blank lines and hold the
        # question as HTML, where neither a code span nor an indented line keeps it text
        raise FloorError(
            "has a line starting with HTML before {question}; a GitHub comment shows HTML blocks "
            "as HTML, where the reader's question could not be kept as text: use Markdown there",
            field="FLOOR_NOTIFY_BODY",
        )
    question = values["question"]
    shown = [
        line.replace(token, question)
        if _code_block_at(lines, i, token)
        else line.replace(token, markdown_text(question))
        for i, line in enumerate(lines)
    ]
    return "\n".join(shown)


def one_header_line(text: str) -> str:
    """``text`` as a header's value: one line, and no ``=?`` that would start an encoded word.

    The email package reads ``=?utf-8?q?…=0D=0A…?=`` in a header's value as an encoded word and,
    in the Python versions before the fix for CVE-2024-6923, writes what it decodes (a line break
    and a header of the reader's making) straight into the message; a reader's question that
    reaches the subject must stay the words it is.
    """
    return " ".join(text.split()).replace("=?", "= ?")


_NAME_MAX = 78  # a display name longer than a header line is not a name a mail client shows whole


def recipient(name: str | None, address: str) -> Address:
    """The To header's value: the reader's address, with their name as its display name when that
    name arrives exactly as written.

    The name is the reader's own text, cleaned to one line (``pending``). It is left out when it
    holds an ``@`` (a mail client would show an address the note did not go to) or an ``=?`` (see
    :func:`one_header_line`), when it is longer
    than a line, and when the email package's folding would not give it back as one display name
    (it splits some quoted names with markup into several malformed addresses): the greeting in
    the body still uses it.
    """
    if name and "@" not in name and "=?" not in name and len(name) <= _NAME_MAX:
        named = Address(display_name=name, addr_spec=address)
        probe = EmailMessage()
        probe["To"] = named
        back = email.message_from_bytes(probe.as_bytes(), policy=email.policy.default)["To"]
        if not back.defects and back.addresses == (named,):
            return named
    return Address(addr_spec=address)


def email_for(note: Note, cfg: mailer.SmtpConfig, now: dt.datetime, sitename: str) -> EmailMessage:
    msg = EmailMessage()
    name, address = parseaddr(cfg.sender)
    msg["From"] = cfg.sender if name or not sitename else formataddr((sitename, address))
    msg["To"] = recipient(note.name, note.contact)
    msg["Subject"] = note.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    msg.set_content(note.body)
    for header in ("To", "Subject"):  # what the email package made of them: one line each
        if any(ch in str(msg[header]) for ch in "\r\n"):
            raise mailer.MailError(f"the note's {header} header would not be one line; not sent")
    return msg


def record(writer: told_mod.Writer, note: Note, stamp: str) -> None:
    """Write down at once that this reader was told: one fsynced journal line (core/told.py), folded
    into the post and readers files every few notes and at the end of the run."""
    writer.add(note.post.id, note.entry, note.stored or note.contact, stamp)


def apply_earlier_records(site: Site) -> list[str]:
    """Fold the records a killed run left in the journal into the files, before anyone is chosen;
    returns a line for each record that matched no reader any more."""
    return told_mod.fold(site)


RECORD_SUBJECT = "Record who was told their answer is up"


def commit_unrecorded_records(site: Site) -> str | None:
    """Commit the ``notified`` records an earlier run wrote but never committed; the subject, or None.

    A run stopped between a note and its commit leaves the record in the
    folder only: the re-run has nobody to tell, and without this the record
    would never reach the repository, so the weekly job, which works from it,
    would tell those readers a second time. Only files whose record the last
    commit lacks are committed (an unrelated edit to an older post is left alone).
    """
    from ..services import gitops

    changed = {change.path for change in gitops.column_changes(site)}
    if not changed:
        return None
    paths: set[str] = set()
    head: dict[str, str] = {}
    for post in queue_mod.load(site).published:
        for reader in readers(post, site.questions_dir):
            if not reader.notified:
                continue
            # the asker's record and a listed reader's are in the post; only a reader kept apart is
            # recorded in the readers file
            listed = reader.entry is None or reader.entry < len(post.also_asked_by)
            where = post.path if listed else readers_file.path_for(site.questions_dir, post.id)
            rel = where.relative_to(site.root).as_posix()
            if rel in changed and rel not in paths:
                if rel not in head:  # once a file: a readers file is 357 KB for 600 readers
                    head[rel] = gitops.head_text(site, rel)
                if str(reader.notified) not in head[rel]:
                    paths.add(rel)
    if paths:  # a journal an earlier commit carried is gone now that it is folded
        paths.add(told_mod.NAME)
    return gitops.commit_paths(site, sorted(paths), RECORD_SUBJECT) if paths else None


def send(
    site: Site, notes: list[Note], now: dt.datetime, *, told: Callable[[str], None] | None = None
) -> Result:
    """Send each note, recording each one as soon as it is out; failures are collected, not raised.

    ``told`` hears each "emailed …" line as soon as that note is recorded, so a run stopped half-way
    (Ctrl-C, a cancelled job) has already said who was told.
    """
    result = Result()
    said = told or (lambda _line: None)
    stamp = now.isoformat(timespec="seconds")
    raw = site.settings.raw
    channels = _Channels(raw)
    writer = told_mod.Writer(site)
    posts = {note.post.id: note.post.path for note in notes}
    try:
        for note in notes:
            if writer.pending >= told_mod.FOLD_EVERY:
                _fold(site, posts, writer, result)
            try:
                if note.channel == "email":
                    smtp = channels.smtp()
                    message = email_for(note, smtp.cfg, now, str(raw.get("SITENAME") or ""))
                    smtp.send(message, to=note.contact)  # the envelope: never read back from a header
                    record(writer, note, stamp)
                    result.sent.append(f"emailed {note.who}")
                    said(result.sent[-1])
                    continue
                api = channels.github()
                repo, number = intake_github.parse_contact(note.contact) or ("", 0)
                api.comment(repo, number, note.body)
                record(writer, note, stamp)
                result.sent.append(f"commented on {repo}#{number} for {note.who}")
                said(result.sent[-1])
                try:
                    api.close(repo, number)
                except FloorError as exc:
                    result.failed.append(
                        f"{note.who}: commented on {repo}#{number} but could not close it; "
                        f"close it by hand ({exc.message})"
                    )
            except (FloorError, mailer.MailError, OSError) as exc:
                reason = exc.message if isinstance(exc, FloorError) else str(exc)
                result.failed.append(f"{note.who} ({note.channel}): {scrub(reason, note.contact)}")
    finally:
        channels.close()
        writer.close()
        if writer.pending:  # also after Ctrl-C: what went out is recorded in the files now
            _fold(site, posts, writer, result)
    return result


def _fold(site: Site, posts: dict[str, Path], writer: told_mod.Writer, result: Result) -> None:
    lost = told_mod.fold(site, posts)
    result.failed += [f"{line} (the note went out; nothing was recorded)" for line in lost]
    writer.close()  # the journal was removed: the next note starts a new one
    writer.pending = 0


class _Channels:
    """The SMTP session and GitHub client, opened on first use; a setup problem fails each note alike."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self._smtp: mailer.Mailer | None = None
        self._api: GitHub | None = None
        self._problems: dict[str, FloorError] = {}

    def smtp(self) -> mailer.Mailer:
        if self._smtp is None:
            if "smtp" not in self._problems:
                try:
                    self._smtp = mailer.Mailer(mailer.config(self.raw))
                    return self._smtp
                except FloorError as exc:
                    self._problems["smtp"] = exc
            raise self._problems["smtp"]
        return self._smtp

    def github(self) -> GitHub:
        if self._api is None:
            if "github" not in self._problems:
                try:
                    self._api = github_api.client(self.raw, need_token=True)
                    return self._api
                except FloorError as exc:
                    self._problems["github"] = exc
            raise self._problems["github"]
        return self._api

    def close(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
