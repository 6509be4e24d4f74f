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

from .errors import FloorError
from .inbox import Message
from .intake import NewQuestion

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
_YES = {"yes", "y", "true", "1", "on", "x", "✓"}
_NO = {"no", "n", "false", "0", "off", ""}
_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")


def _normal(header: str) -> str:
    return " ".join(re.sub(r"[-_]+", " ", header.strip().lower()).split())


def map_headers(headers: list[str], path: Path) -> tuple[dict[str, int], list[str]]:
    """column → index, and the headers nobody reads; no question column is an error."""
    found: dict[str, int] = {}
    unused: list[str] = []
    for index, header in enumerate(headers):
        name = _normal(header)
        column = next((c for c, names in COLUMNS.items() if name in names), None)
        if column is None or column in found:
            if header.strip():
                unused.append(header.strip())
            continue
        found[column] = index
    if "question" not in found:
        accepted = ", ".join(COLUMNS["question"])
        raise FloorError(
            f"no question column: the header row is {', '.join(h.strip() for h in headers) or 'empty'}; "
            f"name the question's column one of: {accepted} (see docs/intake.md)",
            path=path,
            line=1,
        )
    return found, unused


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FloorError(
            "is not UTF-8 text; save it as 'CSV UTF-8' (nothing was imported)", path=path, line=line
        ) from None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """Commas, or the semicolons and tabs spreadsheets write in many locales."""
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


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
) -> Message:
    def cell(column: str) -> str:
        index = cols.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    out = io.StringIO()
    csv.writer(out, dialect=dialect).writerow(row)
    raw = (header_line + "\n" + out.getvalue()).encode("utf-8")
    message = Message(label=label, raw=raw, suffix=".csv")
    try:
        asked = today
        if cell("asked"):
            match = _DATE.match(cell("asked"))
            if not match:
                raise ValueError(f"asked: {cell('asked')!r} is not a date; write it as YYYY-MM-DD")
            try:
                asked = dt.date.fromisoformat(match.group(1))
            except ValueError as exc:
                raise ValueError(f"asked: {cell('asked')!r} is not a real date ({exc})") from None
        credit = _yes_no(cell("credit"), "credit")
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


def read(path: Path, *, source: str, today: dt.date, notify: bool = False) -> tuple[list[Message], list[str]]:
    """Every data row as a Message, and notes (columns that were not read)."""
    path = Path(path)
    text = _decode(path.read_bytes(), path)
    dialect = _dialect(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect=dialect, strict=True))
    except csv.Error as exc:
        raise FloorError(f"is not valid CSV ({exc}); nothing was imported", path=path) from None
    if not rows:
        raise FloorError("is empty: expected a header row, then one question per row", path=path)
    cols, unused = map_headers(rows[0], path)
    notes = [f"ignored column{'s' if len(unused) > 1 else ''}: {', '.join(unused)}"] if unused else []
    header = io.StringIO()
    csv.writer(header, dialect=dialect).writerow(rows[0])
    header_line = header.getvalue().rstrip("\r\n")
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
        )
        for number, row in enumerate(rows[1:], start=2)
        if any(c.strip() for c in row)
    ]
    return messages, notes
