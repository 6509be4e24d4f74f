"""Questions from a CSV file (notes from a talk, a contact-centre log), columns found by header name.

docs/intake.md lists the header names; case, spaces, '-' and '_' do not
matter. A row that cannot become a question (no text, a date that is not
one) is kept aside with its reason, never dropped; a file without a question
column is refused before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path

from ..errors import FloorError
from . import contact_mask
from .inbox import Message
from .intake import NewQuestion, clean_text

# column → the header names that mean it (normalised: lower case, single spaces)
COLUMNS: dict[str, tuple[str, ...]] = {
    "question": ("question", "q", "text", "subject"),
    "details": (
        "details",
        "detail",
        "message",
        "more",
        "body",
        "description",
        "notes",
        "comment",
        "comments",
        "anything else",
        "anything else?",
    ),
    "asker": ("asker", "name", "asked by", "from", "reader", "caller"),
    "contact": ("contact", "email", "e mail", "email address", "phone"),
    "asked": ("asked", "date", "when", "received", "timestamp"),
    "tags": ("tags", "tag", "topic", "topics"),
    "credit": ("credit", "credited", "credit ok"),
    "notify": ("notify", "reply", "notify me", "send answer"),
    "source": ("source", "channel"),
    "id": ("id", "ref", "reference", "ticket", "ticket id"),
}
# Spreadsheets write TRUE/FALSE in the sheet's language (WAHR/FALSCH, VRAI/FAUX…)
_YES = {"yes", "y", "true", "1", "on", "x", "✓", "ja", "wahr", "oui", "vrai", "sí", "si", "verdadero", "vero"}
_NO = {"no", "n", "false", "0", "off", "", "nein", "falsch", "non", "faux", "falso"}
_ISO = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$")
# 05/11/2026, 11/5/26, 05-11-2026, 05.11.2026, each maybe with a time ("14:03", "2:03:27 PM")
_NUMERIC = re.compile(
    r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:[ ,T]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?\s*$"
)
_NAMED = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y")
_NAMED_TIME = re.compile(r"^(.*?\d{4})(?:,|\s+at)?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?$")
DATE_ORDERS = ("auto", "dmy", "mdy")
_WORKBOOK = {
    b"PK\x03\x04": "a spreadsheet workbook (.xlsx/.ods)",
    b"\xd0\xcf\x11\xe0": "an Excel 97 workbook (.xls)",
}


def _normal(header: str) -> str:
    """Lower case, single spaces, no '-'/'_', no leading "your"/"the" (Google Forms' "Your question"),
    no trailing "(UTC)" or "(optional)" (Typeform's "Submit Date (UTC)")."""
    text = re.sub(r"\s*\((?:utc|gmt|optional|required)\)\s*$", "", header.strip().lower())
    words = re.sub(r"[-_:]+", " ", text).split()
    while len(words) > 1 and words[0] in ("your", "the", "reader's", "readers"):
        words = words[1:]
    return " ".join(words)


def _by_pattern(name: str) -> str | None:
    """The column a form tool's header means, when it is not one of the names above.

    Forms title their columns with the field's label: "What's your question?",
    "What would you like to ask?", "What is your email address?", "Full name";
    and their own columns with the submission's time: "Submitted at" (Tally),
    "Submit Date (UTC)" (Typeform), "Completion time" (Microsoft Forms),
    "Submission Date" (Jotform), "created_at" (Netlify), "_date" (Formspree).
    """
    words = set(re.findall(r"[a-z']+", name))
    if name.endswith("?") and name.split()[0] in _YES_NO_OPENERS:
        return consent_asked(name)  # "Can we print your name?" is consent, never the question or a name
    if name in _SUBMITTED or (
        words & {"submitted", "submission", "submit", "completion", "created"}
        and words & {"at", "date", "time", "on"}
    ):
        return "asked"
    if "email" in words or "e mail" in name or "mail address" in name:
        return "contact"
    if words & {"question", "ask"} or (name.endswith("?") and words & {"wonder", "curious", "know"}):
        return "question"
    if (
        "name" in words
        and not words & {"last", "surname", "family", "user", "company", "business"}
        and not re.search(r"\bname of\b", name)  # "the official name of your course" names a thing
    ):
        return "asker"
    if words & {"message", "details", "comments", "context", "background"}:
        return "details"
    if name in ("#", "submission id", "response id", "entry id", "response #"):
        return "id"
    return None


def consent_asked(name: str) -> str | None:
    """``credit`` or ``notify`` when a yes/no question plainly asks for that one consent, else None.

    A reader's yes in "May we print your name with it?" (Microsoft Forms) or "Can we
    email you when it is answered?" (Jotform) is their consent, and ignoring it leaves
    them uncredited and untold. Only a plain ask counts: a question that is negated
    ("… not print …", "stay anonymous?"), asks for part of a name ("initials", "first
    name only"), or asks for both at once is not read, so a yes never means more than
    the reader agreed to.
    """
    words = set(re.findall(r"[a-z]+(?:'[a-z]+)?", name))
    if not name.endswith("?") or name.split()[0] not in _YES_NO_OPENERS:
        return None
    if words & _NOT_PLAIN or "n't" in name or "n’t" in name:
        return None
    credit = bool(words & {"credit", "credited"}) or (bool(words & {"name"}) and bool(words & _CREDIT_VERBS))
    notify = "you" in words and bool(words & _NOTIFY_VERBS) and bool(words & _WHEN_ANSWERED)
    if credit == notify:  # neither, or both in one question
        return None
    return "credit" if credit else "notify"


_NOT_PLAIN = frozenset(
    {
        "not",
        "no",
        "never",
        "dont",
        "anonymous",
        "anonymously",
        "without",
        "instead",
        "only",
        "initials",
        "first",
    }
)
_CREDIT_VERBS = frozenset(
    {"print", "publish", "use", "show", "mention", "include", "quote", "display", "credit"}
)
_NOTIFY_VERBS = frozenset({"email", "mail", "notify", "tell", "let", "contact", "message", "write", "send"})
_WHEN_ANSWERED = frozenset({"answered", "answer", "answers", "published", "posted", "up", "online", "ready"})

# A plain yes in a form's consent column: the word alone, or with "please"/"thanks" after it
_PLAIN_YES = re.compile(
    r"^(?:" + "|".join(map(re.escape, sorted(_YES - {""}))) + r")(?:[ ,]+(?:please|thanks|thank you))?[.!]*$"
)


_YES_NO_OPENERS = frozenset(
    {"can", "may", "could", "do", "does", "did", "should", "would", "shall", "is", "are", "will", "want"}
)
_SUBMITTED = frozenset(
    {
        "submitted",
        "submitted at",
        "submit date",
        "submission date",
        "completion time",
        "created at",
        "created",
        "date submitted",
        "date",
        "_date",
    }
)
# Columns form tools add that never belong to a question (start times, respondent and network ids).
_FORM_MACHINERY = frozenset(
    {
        "start time",
        "start date",
        "stage date",
        "respondent id",
        "network id",
        "last modified time",
        "response type",
        "ip",
        "ip address",
        "user agent",
        "referrer",
        "tags",
        "total points",
        "quiz feedback",
    }
)


def _chosen(headers: list[str], chosen: dict[str, str], path: Path) -> dict[str, int]:
    """column → index of the headers the author named with ``--column FIELD=TITLE``."""
    names = [_normal(h) for h in headers]
    found: dict[str, int] = {}
    for column, title in chosen.items():
        if column not in COLUMNS:
            raise FloorError(
                f"--column {clean_text(column)}=…: that is not a column; use one of {', '.join(COLUMNS)}"
            )
        matches = [i for i, name in enumerate(names) if name == _normal(title)]
        if not matches:
            raise FloorError(
                f"--column {column}=…: no column is titled {clean_text(title)!r}; the header row is "
                + ", ".join(clean_text(h.strip()) for h in headers),
                path=path,
                line=1,
            )
        found[column] = matches[0]
    return found


def map_headers(
    headers: list[str], path: Path, chosen: dict[str, str] | None = None
) -> tuple[dict[str, int], list[str]]:
    """column → index, and the headers nobody reads; no question column is an error.

    The columns the author named (``--column``) come first; every other header is
    matched by name (docs/intake.md), then by a form tool's pattern.
    """
    found = _chosen(headers, chosen or {}, path)
    unused: list[str] = []
    names = [_normal(h) for h in headers]
    for index, name in enumerate(names):
        if index in found.values():
            continue
        column = next((c for c, accepted in COLUMNS.items() if name in accepted), None)
        if column is not None and column not in found:
            found[column] = index
    for index, (header, name) in enumerate(zip(headers, names, strict=True)):
        if index in found.values():
            continue
        column = None if name in _FORM_MACHINERY else _by_pattern(name)
        if column is None or column in found:
            if header.strip():
                unused.append(header.strip())
            continue
        found[column] = index
    if "question" not in found:
        accepted = ", ".join(COLUMNS["question"])
        raise FloorError(
            f"no question column: the header row is {', '.join(h.strip() for h in headers) or 'empty'}; "
            f"name the question's column one of: {accepted}, or say which column holds it with "
            "--column question='ITS TITLE' (see docs/intake.md)",
            path=path,
            line=1,
        )
    return found, unused


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 with or without Excel's BOM, or UTF-16 with a BOM (Excel's "Unicode Text")."""
    for magic, kind in _WORKBOOK.items():
        if data.startswith(magic):
            raise FloorError(
                f"is {kind}, not CSV; save the sheet as 'CSV UTF-8' (Excel) or download it as "
                "'Comma-separated values' (Google Sheets, LibreOffice) and import that",
                path=path,
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FloorError("is not valid UTF-16 text (nothing was imported)", path=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FloorError(
            "is not UTF-8 text; save it as 'CSV UTF-8' (nothing was imported)", path=path, line=line
        ) from None


class _Sheet(csv.excel):
    """What Excel, Google Sheets and LibreOffice write: '"' quotes, doubled inside a cell."""

    delimiter = ","


def _dialect(text: str) -> type[csv.Dialect]:
    """Commas, or the semicolons and tabs spreadsheets write in many locales: the header row decides.

    Not csv.Sniffer: from one line it guesses quoting rules too, and gets ``""`` wrong.
    """
    header = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", header)  # a quoted header may hold any character
    counts = {d: outside.count(d) for d in ",;\t"}
    best = max(counts, key=lambda d: counts[d])
    return type("Sheet", (_Sheet,), {"delimiter": best if counts[best] else ","})


def _sep_line(text: str) -> tuple[str, str | None]:
    """Excel's optional first line ``sep=;`` names the delimiter; it is not the header."""
    match = re.match(r"^sep=(.)\r?\n", text)
    return (text[match.end() :], match.group(1)) if match else (text, None)


def date_order(values: list[str], dialect: type[csv.Dialect], choice: str = "auto") -> str | None:
    """dmy or mdy for the file's numeric dates: told, else seen (a 13th-or-later day), else None.

    A semicolon-separated file comes from a locale that writes the day first.
    """
    if choice != "auto":
        return choice
    day_first = month_first = False
    for value in values:
        match = _NUMERIC.match(value)
        if match and match.group(2) != ".":
            first, second = int(match.group(1)), int(match.group(3))
            day_first |= first > 12
            month_first |= second > 12
    if day_first != month_first:
        return "dmy" if day_first else "mdy"
    return "dmy" if dialect.delimiter == ";" and not month_first else None


def parse_date(value: str, order: str | None) -> dt.date:
    """A spreadsheet's date cell (ISO, numeric in the file's order, or with an English month name)."""
    text = value.strip()
    match = _ISO.match(text)
    try:
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _NUMERIC.match(text)
        if match:
            a, sep, b, year = int(match.group(1)), match.group(2), int(match.group(3)), match.group(4)
            full = int(year) + (2000 if len(year) == 2 else 0)
            if sep == ".":  # 05.11.2026: only ever day first
                return dt.date(full, b, a)
            if order is None:
                if a != b and a <= 12 and b <= 12:
                    raise ValueError(
                        f"{value!r} could be day/month or month/day; run with --dates dmy or --dates mdy"
                    )
                order = "mdy" if b > 12 else "dmy"
            return dt.date(full, b, a) if order == "dmy" else dt.date(full, a, b)
    except ValueError as exc:
        if "day/month or month/day" in str(exc):
            raise
        raise ValueError(f"{value!r} is not a real date ({exc})") from None
    timed = _NAMED_TIME.match(text)  # Jotform's "Apr 7, 2025 10:22 AM": the date is the part before
    for candidate in (text, timed.group(1)) if timed else (text,):
        for pattern in _NAMED:
            try:
                return dt.datetime.strptime(candidate, pattern).date()
            except ValueError:
                continue
    raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")


def plain_yes(value: str) -> bool:
    """A form's consent answer counts only when it is a plain yes ("Yes", "Yes, please");
    "Maybe", "Only my initials" or an empty cell is no, since the reader did not plainly agree."""
    return bool(_PLAIN_YES.match(" ".join(value.strip().lower().split())))


def _consent_notes(
    rows: list[list[str]],
    cols: dict[str, int],
    asked_consent: frozenset[str],
    notify: bool,
    phone_region: str | None = None,
) -> list[str]:
    """What the author is told about each consent the form asked for: how many plainly said yes,
    that nothing else counts, and which rows answered something that is neither yes nor no."""
    notes: list[str] = []
    data = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]

    def cell(row: list[str], column: str) -> str:
        return _cell(row, cols, column)

    for column in sorted(asked_consent):
        title = clean_text(rows[0][cols[column]].strip())
        said_yes = [row for _, row in data if plain_yes(cell(row, column))]
        told = f"{column}: only a plain yes to {title!r} counts; {len(said_yes)} of {len(data)} said yes"
        if column == "credit":
            told += " (credit: true)"
        else:
            reachable = [r for r in said_yes if cell(r, "contact")]
            told += f", {len(reachable)} of them with a contact (notify: true, for floor notify)"
            if notify:
                told += "; --notify is not used: the form asked each reader"
        notes.append(told)
        for number, row in data:
            answer = cell(row, column)
            if answer and not plain_yes(answer) and answer.lower() not in _NO:
                # the reader's own words, printed and shown on the desk: an address or number
                # they wrote into the answer goes, as it does from their question
                shown, _ = contact_mask.mask(
                    clean_text(answer), region=phone_region, known=(cell(row, "contact"),)
                )
                shown = shown if len(shown) <= 40 else shown[:39] + "…"
                notes.append(f"{column}: row {number} answered {shown!r}, not a plain yes: taken as no")
    return notes


def _cell(row: list[str], cols: dict[str, int], column: str) -> str:
    """A row's value for ``column``, stripped; "" where the row is short or the column absent, and
    for Microsoft Forms' "anonymous" respondent (the form did not ask who), which is no one's name
    or contact."""
    index = cols.get(column)
    value = row[index].strip() if index is not None and index < len(row) else ""
    if column in ("asker", "contact") and value.lower() == "anonymous":
        return ""
    return value


def _yes_no(value: str, column: str) -> bool:
    word = value.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"{column}: {value!r} is not yes or no")


def _row_message(
    row: list[str],
    cols: dict[str, int],
    header_line: str,
    label: str,
    *,
    source: str,
    today: dt.date,
    notify: bool,
    dialect,
    order: str | None,
    asked_consent: frozenset[str] = frozenset(),
) -> Message:
    def cell(column: str) -> str:
        return _cell(row, cols, column)

    out = io.StringIO()
    csv.writer(out, dialect=dialect).writerow(row)
    raw = (header_line + "\n" + out.getvalue()).encode("utf-8")
    message = Message(label=label, raw=raw, suffix=".csv")
    try:
        asked = today
        if cell("asked"):
            try:
                asked = parse_date(cell("asked"), order)
            except ValueError as exc:
                raise ValueError(f"asked: {exc}") from None
        credit = plain_yes(cell("credit")) if "credit" in asked_consent else _yes_no(cell("credit"), "credit")
        if "notify" in asked_consent:
            wants_notify = plain_yes(cell("notify"))
        else:
            wants_notify = _yes_no(cell("notify"), "notify") if "notify" in cols else notify
    except ValueError as exc:
        message.reason = str(exc)
        return message
    if not cell("question"):
        message.reason = "no question: the question cell is empty"
        return message
    if cell("id"):
        intake_id = f"csv:{cell('id')}"
    else:  # the row's own cells, as written: re-reading the same file gives the same id
        content = {c: cell(c) for c in ("question", "details", "asker", "contact", "asked") if cell(c)}
        digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()[:16]
        intake_id = f"csv:sha256:{digest}"
    message.new = NewQuestion(
        question=cell("question"),
        asked=asked,
        asker=cell("asker") or None,
        contact=cell("contact") or None,
        source=cell("source") or source,
        tags=[t.strip() for t in re.split(r"[,;]", cell("tags")) if t.strip()],
        details=cell("details") or None,
        credit=credit,
        notify=wants_notify and bool(cell("contact")),
        intake_id=intake_id,
    )
    return message


def read(
    path: Path,
    *,
    source: str,
    today: dt.date,
    notify: bool = False,
    dates: str = "auto",
    columns: dict[str, str] | None = None,
    phone_region: str | None = None,
) -> tuple[list[Message], list[str]]:
    """Every data row as a Message, and notes (columns that were not read).

    ``dates`` is the order of numeric dates (``auto``: found from the file);
    ``columns`` the columns the author named, field → the column's title;
    ``phone_region`` where a national number in a note's quoted answer is recognised.
    """
    path = Path(path)
    text, sep = _sep_line(_decode(path.read_bytes(), path))
    dialect = _dialect(text)
    if sep:
        dialect = type("Sheet", (_Sheet,), {"delimiter": sep})
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect=dialect, strict=True))
    except csv.Error as exc:
        raise FloorError(f"is not valid CSV ({exc}); nothing was imported", path=path) from None
    if not rows:
        raise FloorError("is empty: expected a header row, then one question per row", path=path)
    cols, unused = map_headers(rows[0], path, columns)
    unused = [clean_text(u) for u in unused]  # printed: no line breaks or control characters
    taken = "; ".join(
        f"{column} ← {clean_text(rows[0][index].strip())}"
        for column, index in sorted(cols.items(), key=lambda x: x[1])
    )
    notes = [f"columns: {taken}"]
    if unused:
        notes.append(f"ignored column{'s' if len(unused) > 1 else ''}: {', '.join(unused)}")
    # consent asked by the form's own question (found by its pattern, not named by the author)
    asked_consent = frozenset(
        c
        for c in ("credit", "notify")
        if c in cols and c not in (columns or {}) and _normal(rows[0][cols[c]]) not in COLUMNS[c]
    )
    notes += _consent_notes(rows, cols, asked_consent, notify, phone_region)
    header = io.StringIO()
    csv.writer(header, dialect=dialect).writerow(rows[0])
    header_line = header.getvalue().rstrip("\r\n")
    column = cols.get("asked")
    seen = [row[column] for row in rows[1:] if column is not None and column < len(row)]
    order = date_order(seen, dialect, dates)
    messages = [
        _row_message(
            row,
            cols,
            header_line,
            f"{path.name} row {number}",
            source=source,
            today=today,
            notify=notify,
            dialect=dialect,
            order=order,
            asked_consent=asked_consent,
        )
        for number, row in enumerate(rows[1:], start=2)
        if any(c.strip() for c in row)
    ]
    return messages, notes
