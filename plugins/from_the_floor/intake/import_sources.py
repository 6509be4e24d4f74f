"""Which kind of export a file (or folder) is, and its reader; a file the kit does not read is named.

XML goes to ``import_formats`` (WordPress, Squarespace, Blogger, feeds); JSON to
the Ghost reader; a zip or folder to Substack's or Medium's. Anything else —
another JSON file, a zip of other files, an Outlook message, a PDF, a Word
document or a workbook — is refused with what it is and the way forward,
never with a parser's message about XML.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from ..errors import FloorError
from . import import_bundle, import_formats, import_ghost, import_medium, import_substack
from .import_bundle import Bundle
from .import_formats import Source

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Microsoft's Compound File: .msg, .doc, .xls
_FORWARD = (
    "floor import reads a WordPress, Squarespace, Blogger, Ghost (.json), Substack (.zip) or "
    "Medium (.zip) export, or an RSS/Atom feed"
)


def read(data: bytes, origin: str | Path, *, tz: dt.tzinfo, old_url: str | None = None) -> Source:
    """The public posts of whatever export the bytes are; else a clear error naming what they are."""
    try:
        head = data[:8]
        if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
            return read_bundle(import_bundle.from_zip(data), old_url, what="zip")
        if head.startswith(_OLE2):
            raise FloorError(_ole2(data))
        if head.startswith(b"%PDF"):
            raise FloorError(f"is a PDF document, not an export; {_FORWARD}")
        stripped = data.removeprefix(b"\xef\xbb\xbf").lstrip()
        wide = head[:2] in (b"\xff\xfe", b"\xfe\xff")  # UTF-16: Excel's "Unicode Text", Notepad's "Unicode"
        if wide:
            stripped = data.decode("utf-16", "replace").lstrip("\ufeff \t\r\n").encode("utf-8")
        table = _csv_columns(stripped)
        if table is not None:
            raise FloorError(_csv(table, wide=wide))
        if wide and stripped[:1] != b"<":
            raise FloorError(
                f"is UTF-16 text, not an export; {_FORWARD}. Readers' questions in a table saved as "
                "Unicode Text go to floor intake csv, which reads UTF-16"
            )
        if stripped[:1] in (b"{", b"["):
            document = import_ghost.parse_json(data)
            if document is not None:
                if import_ghost.is_ghost(document):
                    return import_ghost.read_ghost(document, old_url)
                if _blogger_api(document):
                    raise FloorError(
                        "is a list of posts from Blogger's API (kind blogger#post), not Blogger's "
                        "export; in Blogger use Settings → Back up content and give floor import "
                        "that .xml (it also tells drafts and pages apart)"
                    )
                raise FloorError(
                    "is a JSON file but not a Ghost export (it has no db[0].data.posts); "
                    f"{_FORWARD}. From Ghost, use Settings → Advanced → Import/Export → Export content"
                )
    except FloorError as exc:
        if exc.path is not None:
            raise
        raise FloorError(f"{exc.problem}; nothing was imported", path=str(origin)) from None
    return import_formats.read(data, origin, tz=tz, old_url=old_url)


def read_folder(folder: Path, *, old_url: str | None = None) -> Source:
    """An unpacked Substack or Medium export."""
    try:
        return read_bundle(import_bundle.from_folder(folder), old_url, what="folder")
    except FloorError as exc:
        if exc.path is not None:
            raise
        raise FloorError(f"{exc.problem}; nothing was imported", path=str(folder)) from None


def read_bundle(bundle: Bundle, old_url: str | None, *, what: str) -> Source:
    if import_substack.is_substack(bundle):
        return import_substack.read_substack(bundle, old_url)
    if import_medium.is_medium(bundle):
        return import_medium.read_medium(bundle)
    ghost = [n for n in bundle.names if n.endswith(".json")]
    for name in ghost[:5]:  # a Ghost export zipped by hand
        document = import_ghost.parse_json(bundle.read(name))
        if document is not None and import_ghost.is_ghost(document):
            return import_ghost.read_ghost(document, old_url)
    raise FloorError(_describe(bundle, what))


def _describe(bundle: Bundle, what: str) -> str:
    """What a zip or folder holds, said plainly, with the way forward."""
    names = bundle.names
    if any(n.startswith("word/") for n in names):
        return f"is a Word document, not an export; {_FORWARD}"
    if any(n.startswith("xl/") for n in names) or any(n == "content.xml" for n in names):
        return (
            f"is a spreadsheet workbook, not an export; {_FORWARD} (questions in a sheet: floor intake csv)"
        )
    kinds: dict[str, int] = {}
    for name in names:
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else "other"
        kinds[suffix] = kinds.get(suffix, 0) + 1
    if not names:
        return f"is an empty {what}; {_FORWARD}"
    top = ", ".join(
        f"{n} .{k}" if k != "other" else f"{n} other"
        for k, n in sorted(kinds.items(), key=lambda x: -x[1])[:4]
    )
    pages = kinds.get("html", 0) + kinds.get("htm", 0)
    hint = (
        " Its HTML files are not a Medium export (no posts/ folder of h-entry stories) nor a Substack "
        "one (no posts.csv); export the blog from its own settings, or give its RSS feed's address"
        if pages
        else ""
    )
    inner_xml = [n for n in names if n.endswith(".xml")]
    if inner_xml:
        hint += f"{'; if' if hint else ' If'} {inner_xml[0]} is the export, unzip it and import that file"
    return f"is a {what} of {len(names)} files ({top}), not an export the kit reads; {_FORWARD}.{hint}"


def _blogger_api(document: object) -> bool:
    """Posts as Blogger's API lists them (``blogger#post`` items, or a ``blogger#postList``)."""
    if isinstance(document, dict):
        kind = str(document.get("kind") or "")
        document = document.get("items") if kind == "blogger#postList" else [document]
    return (
        isinstance(document, list)
        and bool(document)
        and isinstance(document[0], dict)
        and document[0].get("kind") == "blogger#post"
    )


def _csv_columns(data: bytes) -> list[str] | None:
    """A CSV table's column names, when the file is one (a header row of at least three short
    names, split by commas, semicolons or tabs); else None."""
    if data[:1] == b"<":
        return None
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        line = first.decode("utf-8")
    except UnicodeDecodeError:
        return None
    delimiter = max(",;\t", key=line.count)
    columns = next(csv.reader([line], delimiter=delimiter), [])
    names = [c.strip() for c in columns]
    if len(names) < 3 or any(len(c) > 80 or "<" in c for c in names) or sum(bool(c) for c in names) < 3:
        return None
    return names


def _csv(columns: list[str], *, wide: bool = False) -> str:
    """A CSV given to floor import: said as a table, with the way forward (Substack's posts.csv alone
    is the export unzipped and half given; a form's answers go to floor intake csv). ``wide``: the
    table is UTF-16, as Excel saves "Unicode Text"; said, since the author may not know it."""
    if {"post_id", "is_published"} <= set(columns):
        return (
            "is Substack's posts.csv alone: floor import needs the export's .zip, or the folder that "
            "holds posts.csv beside its posts/ folder"
        )
    shown = ", ".join(_printable(c) for c in columns[:5]) + (", …" if len(columns) > 5 else "")
    kind = "a table in UTF-16, as Excel saves Unicode Text" if wide else "a CSV table"
    return (
        f"is {kind} (columns: {shown}), not an export floor import reads; {_FORWARD}. From a "
        "platform that exports posts only as CSV (Beehiiv, Wix, Buttondown), give its RSS feed's "
        "address; readers' questions in a table go to floor intake csv"
    )


def _printable(name: str) -> str:
    """A column name for a one-line message: printable, without line breaks, and short."""
    text = "".join(ch if ch.isprintable() else " " for ch in name)
    return text[:40]


def _ole2(data: bytes) -> str:
    """An Office 97–2003 compound file: an Outlook message is named for what it is."""
    if "__substg1.0_".encode("utf-16-le") in data or "__properties_version1.0".encode("utf-16-le") in data:
        return (
            "is an Outlook message (.msg), not an export; for a reader's question, drag it out of Outlook "
            "on the web or Outlook for Mac (which save it as .eml) and use floor intake eml on the .eml"
        )
    return f"is an Office 97–2003 document (.doc, .xls or .ppt), not an export; {_FORWARD}"
