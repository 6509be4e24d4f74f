"""Questions sent by email: .eml files and mbox mailboxes, read with Python's email package.

The subject becomes the question and the body its details; the sender's name
is the asker and their address the private contact. Quoted replies and
signatures are cut, an HTML-only message is turned into Markdown (cleaned
first), and attachments are left out with a note.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import mailbox
import re
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from . import html_markdown
from .errors import FloorError
from .inbox import Message
from .intake import NewQuestion

_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|sv|tr|r)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
# Where a reply's quoted original starts: everything from here down is someone else's text.
_QUOTE_HEADER = re.compile(
    r"^(?:on\b.{0,300}(?:\n.{0,300})?\bwrote:"  # Gmail wraps "On … <address>\nwrote:" over two lines
    r"|le\b.{0,300}\ba écrit\s?:"
    r"|am\b.{0,300}\bschrieb.{0,80}:"
    r"|-{2,}\s*original message\s*-{2,}"
    r"|_{10,}"
    r"|from:\s.+\n(?:sent|date):\s)",
    re.IGNORECASE | re.MULTILINE,
)
# A signature: RFC 3676's "-- " line, or a phone's footer.
_SIGNATURE = re.compile(
    r"^(?:-- ?$|--$|sent from my \w+|get outlook for \w+|sent from (?:mail|yahoo mail|outlook) for)",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE = re.compile(r"[^.?!]*\?")


def strip_reply(text: str) -> str:
    """The reader's own words: no quoted earlier message, no '>' lines, no signature."""
    text = text.replace("\r\n", "\n")
    quote = _QUOTE_HEADER.search(text)
    if quote:
        text = text[: quote.start()]
    signature = _SIGNATURE.search(text)
    if signature:
        text = text[: signature.start()]
    lines = [line for line in text.split("\n") if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def _body(msg: EmailMessage) -> tuple[str, list[str]]:
    """The message's text (plain preferred, else HTML as Markdown) and notes about it."""
    notes: list[str] = []
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", notes
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset: keep what can be read
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
        notes.append(f"the text's charset {part.get_content_charset()!r} is unknown; read as UTF-8")
    if not isinstance(content, str):
        return "", notes
    if part.get_content_type() == "text/html":
        content = html_markdown.to_markdown(content, reader=True)
    return strip_reply(content), notes


def _attachments(msg: EmailMessage) -> list[str]:
    names = []
    for part in msg.iter_attachments():
        names.append(part.get_filename() or part.get_content_type())
    return names


def _question_and_details(subject: str, body: str) -> tuple[str, str | None]:
    """Subject → question, body → details; a bare or generic subject takes the body's question."""
    subject = _REPLY_PREFIX.sub("", subject).strip()
    if "?" not in subject and len(subject.split()) <= 3:  # "", "Question", "From the Floor"
        for paragraph in re.split(r"\n\s*\n", body):
            asked = _SENTENCE.search(paragraph)
            if asked:
                return " ".join(asked.group(0).split()), body
    if not subject and body:
        first = body.split("\n\n", 1)
        return " ".join(first[0].split()), (first[1].strip() if len(first) > 1 else None) or None
    details = body if body and " ".join(body.split()) != " ".join(subject.split()) else None
    return subject, details


def _asked(msg: EmailMessage, tz: ZoneInfo, today: dt.date) -> dt.date:
    header = msg.get("date")
    moment = getattr(header, "datetime", None) if header is not None else None
    if moment is None:
        return today
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz).date()


def _sender(msg: EmailMessage) -> tuple[str | None, str | None]:
    """(display name, address): Reply-To's address when given, since that is where replies go."""
    name, address = None, None
    for header in ("from", "reply-to"):
        value = msg.get(header)
        addresses = getattr(value, "addresses", ()) if value is not None else ()
        if addresses:
            first = addresses[0]
            name = name or (first.display_name or None)
            address = first.addr_spec if "@" in (first.addr_spec or "") else address
    return name, address


def parse(raw: bytes, label: str, *, tz: ZoneInfo, today: dt.date, notify: bool = False) -> Message:
    """One email's bytes → a Message (a question, or a rejection with its reason)."""
    rejected = Message(label=label, raw=raw, suffix=".eml")
    if not raw.strip():
        rejected.reason = "the file is empty"
        return rejected
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if not any(msg.get(h) for h in ("from", "subject", "message-id", "date")):
            rejected.reason = "no email headers (From, Subject, Date): not an email message"
            return rejected
        body, notes = _body(msg)  # type: ignore[arg-type]
        subject = str(msg.get("subject") or "")
        question, details = _question_and_details(subject, body)
        name, address = _sender(msg)  # type: ignore[arg-type]
        asked = _asked(msg, tz, today)  # type: ignore[arg-type]
        attachments = _attachments(msg)  # type: ignore[arg-type]
        message_id = str(msg.get("message-id") or "").strip()
    except Exception as exc:  # the email package raises many kinds on broken input: never lose it
        rejected.reason = f"cannot read the message ({type(exc).__name__}: {exc})"
        return rejected
    if attachments:
        s = "s" if len(attachments) != 1 else ""
        notes.append(f"ignored {len(attachments)} attachment{s} ({', '.join(attachments)})")
    if not question.strip():
        rejected.reason = "no question: the subject and the body are empty"
        rejected.notes = notes
        return rejected
    return Message(
        label=label,
        raw=raw,
        suffix=".eml",
        notes=notes,
        new=NewQuestion(
            question=question,
            asked=asked,
            asker=name,
            contact=address,
            source="email",
            details=details,
            notify=notify and address is not None,
            intake_id=message_id or "sha256:" + hashlib.sha256(raw).hexdigest(),
        ),
    )


def read_eml(paths: list[Path], *, tz: ZoneInfo, today: dt.date, notify: bool = False) -> list[Message]:
    return [parse(Path(p).read_bytes(), Path(p).name, tz=tz, today=today, notify=notify) for p in paths]


def _unescape_from(raw: bytes) -> bytes:
    """mbox writers turn a body line "From …" into ">From …"; it is the reader's text, not a quote."""
    return re.sub(rb"(?m)^>(>*From )", rb"\1", raw)


def read_mbox(path: Path, *, tz: ZoneInfo, today: dt.date, notify: bool = False) -> list[Message]:
    """Every message in an mbox file; a file that is not one is an error before anything is read."""
    path = Path(path)
    with path.open("rb") as handle:
        start = handle.read(5)
    if start and start != b"From ":
        raise FloorError("is not an mbox mailbox: it must begin with a 'From ' line", path=path)
    box = mailbox.mbox(path, create=False)
    try:
        keys = list(box.iterkeys())
        return [
            parse(
                _unescape_from(box.get_bytes(key)),
                f"{path.name} message {n}",
                tz=tz,
                today=today,
                notify=notify,
            )
            for n, key in enumerate(keys, start=1)
        ]
    finally:
        box.close()
