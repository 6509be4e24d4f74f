"""Adding a question to the queue: the one place new question files are written."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from . import frontmatter_text
from .atomic import create_exclusive
from .errors import FloorError
from .ids import unique_id
from .queue import load as load_queue
from .site import Site


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Drop control characters a reader's client may have sent; keep newlines only if asked."""
    out = []
    for ch in text:
        if ch in "\n\t" and multiline:
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            out.append(" " if ch in "\n\t\r" else "")
        else:
            out.append(ch)
    cleaned = "".join(out)
    if multiline:
        return "\n".join(line.rstrip() for line in cleaned.strip().splitlines())
    return " ".join(cleaned.split())


@dataclass
class NewQuestion:
    question: str
    asked: dt.date
    asker: str | None = None
    contact: str | None = None
    source: str = "notes"
    tags: list[str] = field(default_factory=list)
    details: str | None = None
    credit: bool = False
    notify: bool = False  # the reader agreed to hear when the answer is up (floor notify)
    intake_id: str | None = None  # where it came from (Message-ID, issue URL…): never imported twice


def render_file(q: NewQuestion) -> str:
    """The new file's text, in the key order of the design brief."""
    d = frontmatter_text.dump_scalar
    lines = ["---", f"question: {d(q.question)}", f"asked: {q.asked.isoformat()}"]
    if q.asker:
        lines.append(f"asker: {d(q.asker)}")
    lines.append(f"credit: {d(q.credit)}")
    if q.contact:
        lines.append(f"contact: {d(q.contact)}")
    if q.notify:
        lines.append("notify: true")
    lines.append(f"source: {d(q.source)}")
    if q.intake_id:
        lines.append(f"intake_id: {d(q.intake_id)}")
    lines.append(f"tags: {d(q.tags)}")
    if q.details:
        lines.append(f"details: {d(q.details)}")
    lines += ["quick_answer:", "---", ""]
    return "\n".join(lines)


def clean(new: NewQuestion) -> NewQuestion:
    """Strip what a reader's client may have sent besides text (in place; returned for chaining)."""
    new.question = clean_text(new.question)
    new.details = (clean_text(new.details, multiline=True) or None) if new.details else None
    new.asker = (clean_text(new.asker) or None) if new.asker else None
    new.contact = (clean_text(new.contact) or None) if new.contact else None
    new.intake_id = (clean_text(new.intake_id) or None) if new.intake_id else None
    new.tags = [t for t in (clean_text(t) for t in new.tags) if t]
    return new


def add(site: Site, new: NewQuestion) -> str:
    """Write questions/<id>.md and return the id; never overwrites a file."""
    clean(new)
    if not new.question:
        raise FloorError("the question is empty", field="question")
    new.contact = site.keys.seal(new.contact)  # never written in plain text
    taken = (
        load_queue(site).ids
        | {p.stem for p in site.questions_dir.glob("*.md")}
        | {p.stem for p in site.posts_dir.glob("*.md")}
    )
    text = render_file(new)
    from .question import parse_text

    site.questions_dir.mkdir(parents=True, exist_ok=True)
    while True:
        qid = unique_id(new.question, taken)
        path = site.questions_dir / f"{qid}.md"
        parse_text(text, path)  # what we write must read back cleanly
        if create_exclusive(path, text):
            return qid
        taken.add(qid)  # another intake took the name since we looked
