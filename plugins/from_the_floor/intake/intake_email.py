"""Questions sent by email: .eml files and mbox mailboxes, read with Python's email package.

The subject becomes the question and the body its details; the sender's name
is the asker and their From address the private contact (a Reply-To address
is masked in the text, like From). Quoted replies and signatures are cut in
the languages mail clients write them, a forwarded question is the original
sender's, an HTML-only message is turned into Markdown (cleaned first), and
attachments (calendar invitations, vCards…) are left out with a note. Gmail
Takeout's sent mail and Thunderbird's deleted-but-not-compacted messages in an
mbox are kept aside, not filed.
"""

from __future__ import annotations

import datetime as dt
import email
import email.errors
import email.policy
import email.utils
import hashlib
import re
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from ..core.terminal import progress
from ..errors import FloorError
from . import html_markdown, mail_charsets
from .inbox import Message
from .intake import NewQuestion

# Re:/Fwd: in the languages mail clients write them (AW/WG German, SV Nordic, TR/RV French/Spanish…)
_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|tr|rv|r|i|enc|odp|antw|doorst|res)\s*(?:\[\d+\])?\s*:\s*)+",
    re.IGNORECASE,
)
_FORWARD_PREFIX = re.compile(r"^\s*(?:fwd?|wg|tr|rv|i|enc|doorst|vs)\s*:", re.IGNORECASE)
# A forwarded message's start, as Gmail, Outlook, Apple Mail and Thunderbird write it, in several languages
_FORWARD = re.compile(
    r"^[ \t>]*(?:"
    r"-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transf[ée]r[ée]"
    r"|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada"
    r"|vidarebefordrat meddelande|videresendt meddelelse|wiadomo[sś][cć] przekazana)\s*-{2,}"
    r"|begin forwarded message:|anfang der weitergeleiteten nachricht:"
    r"|d[ée]but du message r[ée]exp[ée]di[ée]\s?:"
    r"|inicio del mensaje reenviado:|inizio messaggio inoltrato:|begin doorgestuurd bericht:"
    r"|in[ií]cio da mensagem reencaminhada:"
    r")[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Header words of a quoted or forwarded message block (Outlook writes them in the reader's language)
_FROM_WORDS = r"from|von|de|da|van|fr[åa]n|od|fra"
_SENT_WORDS = (
    r"sent|date|gesendet|datum|envoy[ée]|enviad[ao] em|enviado|enviada|inviato|data|verzonden|skickat|sendt"
    r"|wys[łl]ano|fecha"
)
_HEADER_KEY = re.compile(
    rf"^[ \t]*\**(?P<key>{_FROM_WORDS}|{_SENT_WORDS}"
    r"|to|an|[àa]|para|aan|till|til|do|cc|kopie|subject"
    r"|betreff|objet|asunto|oggetto|onderwerp|assunto|[äa]mne|emne|temat|reply-to)"
    r"\**[ \t]*:\**[ \t]*(?P<value>.*)$",
    re.IGNORECASE,
)
_SUBJECT_KEYS = {
    "subject",
    "betreff",
    "objet",
    "asunto",
    "oggetto",
    "onderwerp",
    "assunto",
    "ämne",
    "amne",
    "emne",
    "temat",
}
_FROMS = {"from", "von", "de", "da", "van", "från", "fran", "od", "fra"}
_DATES = {
    "fecha",
    "sent",
    "date",
    "gesendet",
    "datum",
    "envoyé",
    "envoye",
    "enviado",
    "enviada",
    "inviato",
    "data",
    "verzonden",
    "skickat",
    "sendt",
    "wysłano",
    "wyslano",
}
# Where a reply's quoted original starts: everything from here down is someone else's text.
_WROTE_ELSEWHERE = (  # "wrote" where a dated header line ends with it (Gmail, Apple Mail, Outlook)
    r"skrev|kirjoitti|yazd[ıi]|[íi]rta|έγραψε|napsal(?:\(a\)|a)?|написал(?:а|\(а\))?|написав(?:ла)?"
)
_QUOTE_HEADER = re.compile(
    # Gmail wraps "On … <address>\nwrote:" over two or three lines; Yahoo writes
    # "--- On Wed, 4/4/12, X wrote:",
    # Zoho "---- On Wed, … X wrote ----"
    r"^[ \t]*(?:-{2,}[ \t]*)?(?:on\b(?=[^\n]*\d).{0,300}(?:\n.{0,300}){0,2}\bwrote(?::|[ \t]*-{2,})"
    r"|in a message dated\b.{0,300}(?:\n.{0,300})?\bwrites:"  # AOL
    r"|le\b.{0,300}(?:\n.{0,300})?\ba [ée]crit\s?:"
    r"|am\b(?=[^\n]*\d).{0,300}(?:\n.{0,300}){0,2}\bschrieb[^\n]{0,120}(?:\n[^\n]{0,120})?:[ \t]*$"
    rf"|(?=[^\n]*\d)[^\n]{{0,300}}\b(?:{_WROTE_ELSEWHERE})\b[^\n]{{0,200}}:[ \t]*$"
    r"|(?=[^\n]*\d)[^\n]{0,300}(?:写道|寫道|작성|が書きました)[ \t]*[:：][ \t]*$"
    r"|el\b.{0,300}(?:\n.{0,300})?\bescribi[óo]\s?:"
    r"|il\b.{0,300}(?:\n.{0,300})?\bha scritto\s?:"
    r"|op\b.{0,300}(?:\n.{0,300})?\b(?:schreef|het volgende geschreven).{0,120}:"
    r"|em\b.{0,300}(?:\n.{0,300})?\bescreveu\s?:"
    r"|den\b.{0,300}(?:\n.{0,300})?\bskrev.{0,120}:"
    r"|w dniu\b.{0,300}(?:\n.{0,300})?\bnapisa[łl](?:\(a\))?\s?:"
    r"|w dniu\b.{0,300}\bpisze\s?:[ \t]*$"  # Thunderbird, Polish
    r"|.{0,300}\bnapisa[łl]\(a\)\s?:[ \t]*$"  # Gmail, Polish: "pon., 2 lis 2026 … napisał(a):"
    r"|\d{4}年\d{1,2}月\d{1,2}日.{0,300}:[ \t]*$"  # Gmail, Japanese: "2026年11月2日(月) 10:00 Robin <…>:"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}\b.{0,100}\bпользователь\b.{0,300}(?:\n.{0,300})?\bнаписал(?:а|\(а\))?\s?:"
    r"|-{2,}\s*(?:original message|urspr[üu]ngliche nachricht|message d'origine|mensaje original"
    r"|messaggio originale|oorspronkelijk bericht|mensagem original|ursprungligt meddelande"
    r"|oprindelig meddelelse|opprinnelig melding|alkuper[äa]inen viesti|p[ůu]vodn[íi] zpr[áa]va"
    r"|eredeti [üu]zenet|oryginalna wiadomo[śs][ćc]|исходное сообщение|原始邮件|原始郵件)\s*-{2,}"
    r"|_{10,}"
    rf"|\**(?:{_FROM_WORDS})\**\s?:\**\s.+\n\**(?:{_SENT_WORDS})\**\s?:)",
    re.IGNORECASE | re.MULTILINE,
)
# A signature: RFC 3676's "-- " line, or a phone's footer.
_SIGNATURE = re.compile(
    r"^(?:-- ?$|--$|sent from my \w+|get outlook for \w+|sent from (?:mail|yahoo mail|outlook) for"
    r"|von meinem \w+ gesendet|envoy[ée] de mon \w+|enviado desde mi \w+|inviato da(?:l mio)? \w+"
    r"|verzonden vanaf mijn \w+|skickat från min \w+)",
    re.IGNORECASE | re.MULTILINE,
)
# The rule Outlook draws above the quoted message's header ("______", "------"), left at the end.
_TRAILING_RULE = re.compile(r"(?:\n[ \t]*[-_=*]{3,}[ \t]*)+\s*\Z")
_SENTENCE = re.compile(r"[^.?!]*\?")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Microsoft's Compound File, which Outlook's .msg is
_OUTLOOK_STREAM = "__substg1.0_".encode("utf-16-le")  # the name of a .msg property stream


def strip_reply(text: str) -> str:
    """The reader's own words: no quoted earlier message, no '>' lines, no signature.

    A reply written below the quote (Thunderbird's bottom-posting) keeps the words under it.
    """
    text = text.replace("\r\n", "\n")
    quote = _QUOTE_HEADER.search(text)
    if quote:
        above = text[: quote.start()]
        if above.strip():
            text = above
        else:
            below = text[quote.end() :].split("\n")
            if _HEADER_KEY.match(text[quote.start() :].split("\n", 1)[0]):  # Outlook's "From: … Sent: …"
                below = below[1:]
                while below and _HEADER_KEY.match(below[0]):
                    below = below[1:]
            text = "\n".join(line for line in below if not line.lstrip().startswith(">"))
            later = _QUOTE_HEADER.search(text)  # the words under the quote end at the next one
            if later and text[: later.start()].strip():
                text = text[: later.start()]
    signature = _SIGNATURE.search(text)
    if signature:
        text = text[: signature.start()]
    lines = [line for line in text.split("\n") if not line.lstrip().startswith(">")]
    return _TRAILING_RULE.sub("", "\n".join(lines)).strip()


def _header_block(text: str) -> tuple[dict[str, str], str] | None:
    """A forwarded message's "From: … / Subject: …" lines (any of the languages) and the text below."""
    lines = text.replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    headers: dict[str, str] = {}
    while index < len(lines):
        match = _HEADER_KEY.match(lines[index].lstrip("> "))
        if not match:
            break
        key = match.group("key").lower()
        kind = (
            "from"
            if key in _FROMS
            else "date"
            if key in _DATES
            else "subject"
            if key in _SUBJECT_KEYS
            else key
        )
        headers.setdefault(kind, match.group("value").strip().strip("*").strip())
        index += 1
    if "from" not in headers:
        return None
    body = "\n".join(line[1:].lstrip() if line.startswith(">") else line for line in lines[index:])
    return headers, body


def _forwarded(text: str, subject: str) -> tuple[dict[str, str], str] | None:
    """(headers, body) of the message forwarded in ``text``, or None if it is not a forward."""
    marker = _FORWARD.search(text)
    if marker:
        return _header_block(text[marker.end() :])
    if _FORWARD_PREFIX.match(subject):  # Outlook forwards with a bare "From: … Sent: …" block
        block = re.search(
            rf"(?im)^[ \t]*\**(?:{_FROM_WORDS})\**\s?:\**\s.+\n\**(?:{_SENT_WORDS})\**\s?:", text
        )
        if block:
            return _header_block(text[block.start() :])
    return None


def _address(value: str) -> tuple[str | None, str | None]:
    """(name, address) from a forwarded From line: "Ann <a@x>", "Ann [mailto:a@x]", "a@x"."""
    value = re.sub(r"\[\s*mailto:([^\]]+)\]", r"<\1>", value)
    value = re.sub(r"\[([^\]]*)\]\(mailto:[^)]*\)", r"\1", value)  # Markdown from an HTML forward
    name, address = email.utils.parseaddr(value)
    address = address if "@" in address else None
    if not name and not address:
        name = value.strip() or None
    return (name.strip(" \"'") or None) if name else None, address


def _body(msg: EmailMessage) -> tuple[str, list[str]]:
    """The message's whole text (plain preferred, else HTML as Markdown) and notes about it."""
    notes: list[str] = []
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", notes
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return "", notes
    # the charset label as the WHATWG Encoding Standard reads it (gb2312 → GBK, ks_c_5601-1987 → 949 …)
    content, unknown = mail_charsets.decode(payload, part.get_content_charset())
    if unknown:
        notes.append(unknown)
    if part.get_content_type() == "text/html":
        content = html_markdown.to_markdown(content, reader=True)
    content = content.replace("\r\n", "\n")
    if str(part.get_param("format") or "").lower() == "flowed":
        content = unflow(content, delsp=str(part.get_param("delsp") or "").lower() == "yes")
    return content, notes


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed text (Thunderbird, Apple Mail) as the writer typed it: soft breaks joined.

    A line ending in a space continues on the next; a leading space was added
    by the sender ("space-stuffing"); the "-- " signature line stays a line.
    """
    out: list[str] = []
    carry = ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]
        if line.endswith(" ") and line != "-- " and not line.startswith(">"):
            carry += line[:-1] if delsp else line
            continue
        out.append(carry + line)
        carry = ""
    if carry:
        out.append(carry)
    return "\n".join(out)


def _subject(msg: EmailMessage) -> str:
    """The Subject, its encoded words decoded with the WHATWG table (a gb2312 label holding GBK)."""
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == "subject"), None)
    if raw is None:
        return ""
    if "=?" not in raw:
        return _header_text(msg, "subject")
    return " ".join(mail_charsets.header(re.sub(r"\r?\n(?=[ \t])", "", raw)).split())


def _attached_forward(msg: EmailMessage, subject: str) -> bytes | None:
    """The attached message of a "Fwd:" whose forward is an attachment (message/rfc822), if one."""
    if not _FORWARD_PREFIX.match(subject):
        return None
    inner = [part for part in msg.iter_attachments() if part.get_content_type() == "message/rfc822"]
    if len(inner) != 1:
        return None
    content = inner[0].get_content()
    return content.as_bytes() if isinstance(content, EmailMessage) else None


def _leaves(part: EmailMessage, alternative: bool = False) -> list[tuple[EmailMessage, bool]]:
    """(part, is it another rendering of the body) for each part that holds content, however deeply
    multiparts nest; an attached message is one leaf."""
    if part.get_content_maintype() != "multipart":
        return [(part, alternative)]
    inside = part.get_content_subtype() == "alternative"
    return [leaf for sub in part.iter_parts() for leaf in _leaves(sub, inside)]  # type: ignore[arg-type]


_READABLE = {"text/plain", "text/html"}  # the body's own text, not attachments


def _attachments(msg: EmailMessage) -> list[str]:
    """What the reader attached: a part marked attachment, or a part that is neither the mail's text
    nor another rendering of it (Outlook's invitation sits beside the body as text/calendar).

    Walking the leaves (not iter_attachments) keeps a nested multipart, which
    is only packaging around the body, from being reported as an attachment.
    """
    body = msg.get_body(preferencelist=("plain", "html"))
    names = []
    for part, alternative in _leaves(msg):
        if part is body or part is msg:
            continue
        if part.get_content_disposition() == "attachment" or not (
            alternative or part.get_content_type() in _READABLE
        ):
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
    try:
        header = msg.get("date")
        moment = getattr(header, "datetime", None) if header is not None else None
    except _MALFORMED:  # Python's header parser gave up: the date as written, if it reads as one
        moment = _moment(_raw_header(msg, "date"))
    if moment is None:
        return today
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz).date()


_HEADER_NAMES = {"from": "From", "reply-to": "Reply-To"}
# What Python's own header decoding leaves of bytes its literal codec could not read.
_UNDECODED = re.compile("[\udc80-\udcff\ufffd]")


def _header_addresses(msg: EmailMessage, header: str, notes: list[str]) -> list[tuple[str | None, str]]:
    """(display name, address) pairs of an address header.

    A line break (CR/LF) hidden in an RFC 2047 encoded name makes Python's
    parser refuse the whole header; the addresses are still good, so the
    header is read again with the break as a space, and a note says so.
    Python also takes an encoded name's charset label literally (a ``gb2312``
    name holding GBK characters comes out with undecodable bytes); such a
    name is read again by the WHATWG table, as the subject and the text are.
    """
    try:
        value = msg.get(header)
        addresses = getattr(value, "addresses", ())
        found = [(each.display_name or None, each.addr_spec or "") for each in addresses]
        if not any(_UNDECODED.search(name or "") for name, _ in found):
            return found
        broken = False
    except _MALFORMED:
        broken = True
    raws = [str(v) for k, v in msg.raw_items() if k.lower() == header]
    hidden_break = any(re.search(r"=\?[^?]*\?[bBqQ]\?", raw) for raw in raws)
    pairs = []
    for name, address in email.utils.getaddresses([re.sub(r"\r?\n(?=[ \t])", "", raw) for raw in raws]):
        decoded = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", mail_charsets.header(name)).split())
        pairs.append((decoded or None, "".join(address.split())))
    if broken:
        notes.append(
            f"the {_HEADER_NAMES[header]} header's name held a line break inside its encoded text; "
            "it was read as a space"
            if hidden_break
            else f"the {_HEADER_NAMES[header]} header does not follow the email standard; "
            "its address was read as written"
        )
    return pairs


# What Python's email package raises on a header or part it cannot take apart (its parser
# indexes past the end of a truncated Message-ID, say): read the raw text instead, or say which
# part of the message could not be read.
_MALFORMED = (ValueError, IndexError, TypeError, AttributeError, KeyError, email.errors.MessageError)


def _raw_header(msg: EmailMessage, name: str) -> str | None:
    """A header as written (folded lines joined), without Python's parsing of it."""
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == name), None)
    return re.sub(r"\r?\n(?=[ \t])", "", raw).strip() if raw is not None else None


def _header_text(msg: EmailMessage, name: str) -> str:
    """A header's text, decoded; as written when Python's parser cannot take it apart."""
    try:
        return str(msg.get(name) or "")
    except _MALFORMED:
        return _raw_header(msg, name) or ""


def _problem(exc: BaseException) -> str:
    """What went wrong, in an author's words (never the exception's text: it may quote the mail)."""
    if isinstance(exc, (IndexError, KeyError)):  # LookupErrors, but of Python's parser, not a charset
        return "it does not follow the email standard (RFC 5322), so it cannot be taken apart"
    if isinstance(exc, UnicodeError):
        return "it holds text that is not in the character set it declares"
    if isinstance(exc, LookupError):
        return "it names a character set or encoding this computer does not know"
    if isinstance(exc, RecursionError):
        return "its parts are nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "it is too large to read"
    return "it does not follow the email standard (RFC 5322), so it cannot be taken apart"


def _sender(msg: EmailMessage, notes: list[str]) -> tuple[str | None, str | None, list[str]]:
    """(display name, From address, every address of the sender) from From and Reply-To.

    The contact is From: the reader. Reply-To (a list, an assistant, another
    address of theirs) is only masked wherever it shows in the text.
    """
    name, address, addresses = None, None, []
    for header in ("from", "reply-to"):
        for display_name, addr_spec in _header_addresses(msg, header, notes):
            if "@" in addr_spec:
                addresses.append(addr_spec)
                if header == "from" and address is None:
                    address = addr_spec
            if header == "from":
                name = name or display_name
    if address is None and addresses:
        address = addresses[0]  # no usable From: Reply-To is the only way back
    return name, address, addresses


def _moment(header: object) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(str(header)) if header else None
    except (TypeError, ValueError, IndexError):
        return None


_MOZILLA_DELETED = 0x0008  # Thunderbird keeps a deleted message in the mbox until the folder is compacted


def _skip(msg: EmailMessage) -> str | None:
    """Why a mailbox export's message is not a reader's (Gmail's Sent label, Thunderbird's deleted flag)."""
    labels = {x.strip().casefold() for x in _header_text(msg, "x-gmail-labels").split(",")}
    if "sent" in labels:
        return "a message you sent (Gmail label Sent), not a reader's question"
    if "chat" in labels:
        return "a chat message (Gmail label Chat), not an email"
    status = _header_text(msg, "x-mozilla-status").strip()
    if re.fullmatch(r"[0-9a-fA-F]{4}", status) and int(status, 16) & _MOZILLA_DELETED:
        return "deleted in Thunderbird (X-Mozilla-Status), not yet compacted away"
    return None


def parse(raw: bytes, label: str, *, tz: ZoneInfo, today: dt.date, notify: bool = False) -> Message:
    """One email's bytes → a Message (a question, or a rejection with its reason)."""
    rejected = Message(label=label, raw=raw, suffix=".eml")
    if not raw.strip():
        rejected.reason = "the file is empty"
        return rejected
    if raw.startswith(_OLE2):
        rejected.suffix = ".msg"  # kept as what it is
        rejected.reason = (
            "an Outlook message (.msg), not a standard email file (floor intake reads .eml and mbox): "
            "drag it out of Outlook on the web or Outlook for Mac, which save it as .eml, or forward it "
            "to an address you read in another mail client, then run floor intake eml on the .eml"
            if _OUTLOOK_STREAM in raw
            else "an Office 97–2003 file (.doc, .xls, .msg …), not an email message"
        )
        return rejected
    stage = "its headers"  # what was being read, for the sentence if the email package gives up
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        present = {k.lower() for k, v in msg.raw_items() if str(v).strip()}
        if not present & {"from", "subject", "message-id", "date"}:
            rejected.reason = "no email headers (From, Subject, Date): not an email message"
            return rejected
        skip = _skip(msg)  # type: ignore[arg-type]
        if skip:
            rejected.reason = skip
            return rejected
        stage = "its text (the body)"
        text, notes = _body(msg)  # type: ignore[arg-type]
        stage = "its Subject header"
        subject = _subject(msg)  # type: ignore[arg-type]
        stage = "its From header"
        name, address, private = _sender(msg, notes)  # type: ignore[arg-type]
        stage = "its Date header"
        asked = _asked(msg, tz, today)  # type: ignore[arg-type]
        stage = "its attachments"
        attachments = _attachments(msg)  # type: ignore[arg-type]
        stage = "its Message-ID header"
        message_id = _header_text(msg, "message-id").strip()  # type: ignore[arg-type]
        stage = "the message forwarded as an attachment"
        attached = _attached_forward(msg, subject)  # type: ignore[arg-type]
        if attached is not None:  # "Forward as attachment": the attached message is the question
            inner = parse(attached, label, tz=tz, today=today, notify=notify)
            if inner.new is not None:
                note = f"forwarded by {name or 'someone'} as an attachment: its sender is the asker"
                inner.notes.insert(0, note)
                inner.new.private = [*private, *inner.new.private]
                inner.raw = raw
                return inner
        stage = "the forwarded message in its text"
        forward = _forwarded(text, subject)
        if forward is not None:
            headers, text = forward
            original_name, original_address = _address(headers["from"])
            notes.append(
                f"forwarded by {name or 'someone'}: the original sender"
                f"{' (' + original_name + ')' if original_name else ''} is the asker"
            )
            if original_address:
                private.append(original_address)
            name, address = original_name, original_address
            subject = headers.get("subject", "")
            moment = _moment(headers.get("date"))
            if moment is not None:
                asked = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(tz).date()
        stage = "its text (the body)"
        question, details = _question_and_details(subject, strip_reply(text))
    except Exception as exc:  # the email package raises many kinds on broken input: never lose it
        rejected.reason = (
            f"cannot read {stage}: {_problem(exc)}. Open it in your mail program and forward it to "
            "yourself (the copy is a well-formed email; its original sender is still the asker), "
            "then take in that copy, or add the question with `floor ask`"
        )
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
            private=private,
        ),
    )


def read_eml(paths: list[Path], *, tz: ZoneInfo, today: dt.date, notify: bool = False) -> list[Message]:
    return [parse(Path(p).read_bytes(), Path(p).name, tz=tz, today=today, notify=notify) for p in paths]


def _unescape_from(raw: bytes) -> bytes:
    """mboxrd: a writer turns a body line ">*From …" into ">>*From …"; one '>' comes off on reading."""
    return re.sub(rb"(?m)^>(>*From )", rb"\1", raw)


# An mbox separator: "From <sender or -> <ctime>", as mutt, Thunderbird, Gmail Takeout and qmail write it
# (Gmail puts the zone before the year). A body line "From what I've seen…" is the reader's text.
_DAY = rb"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?"
_MONTH = rb"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_ZONE = rb"(?:[ \t]+(?:[+-]\d{4}|[a-z]{1,5}))?"
_SEPARATOR = re.compile(
    rb"From \S+[ \t]+%s[ \t]+(?:%s[ \t]+\d{1,2}|\d{1,2}[ \t]+%s)[ \t]+\d{1,2}:\d{2}(?::\d{2})?%s[ \t]+\d{4}%s"
    rb"[ \t]*\r?\n?\Z" % (_DAY, _MONTH, _MONTH, _ZONE, _ZONE),
    re.IGNORECASE,
)


def split_mbox(data: bytes) -> list[bytes]:
    """Each message of an mbox, its "From " line off and ">From" unescaped (mboxrd).

    A new message starts only at a line that looks like a separator and follows a
    blank line (or starts the file, then any "From " line does). Python's mailbox.mbox starts one at any line
    beginning "From ", so a reader's unescaped "From …" line would cut their message.
    """
    messages: list[list[bytes]] = []
    previous_blank = True
    for line in data.splitlines(keepends=True):
        first = not messages  # the file's first line is a separator whatever its date looks like
        if line.startswith(b"From ") and (first or (previous_blank and _SEPARATOR.match(line))):
            if messages and messages[-1] and not messages[-1][-1].strip():
                messages[-1].pop()  # the blank line before a separator belongs to the mbox, not the body
            messages.append([])
            previous_blank = False
            continue
        if messages:
            messages[-1].append(line)
        previous_blank = not line.strip()
    return [_unescape_from(b"".join(lines)) for lines in messages]


def read_mbox(path: Path, *, tz: ZoneInfo, today: dt.date, notify: bool = False) -> list[Message]:
    """Every message in an mbox file; a file that is not one is an error before anything is read."""
    path = Path(path)
    data = path.read_bytes()
    if data and not data.startswith(b"From "):
        raise FloorError("is not an mbox mailbox: it must begin with a 'From ' line", path=path)
    raws = split_mbox(data)
    return [
        parse(raw, f"{path.name} message {n}", tz=tz, today=today, notify=notify)
        for n, raw in progress(enumerate(raws, start=1), len(raws), "reading messages")
    ]
