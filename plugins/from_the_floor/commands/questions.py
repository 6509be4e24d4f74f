"""The queue's one-question jobs behind `floor answer/decline/hold/release/set` and the desk.

The CLI and the desk call these same functions, so a change made from either
face gets the same validation and the same message. Each takes the site lock
while it reads and rewrites the file: a publish or an intake merge takes the
same lock, so an edit never saves over a file that changed, or was moved,
after it was read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import edit as edit_mod
from ..core import journal, waiting
from ..core import queue as queue_mod
from ..core.atomic import atomic_write_text
from ..core.question import UNANSWERED, Question, read_text
from ..core.question import load as load_question
from ..core.site import Site
from ..errors import FloorError

# What `floor set` and the desk may change besides the answers (the rest is the reader's).
SETTABLE = ("priority", "pin", "not_before", "tags")


def _checked_id(qid: str) -> str:
    qid = qid.removesuffix(".md")
    if not qid or "/" in qid or "\\" in qid or qid.startswith("."):
        # an id is a file name in questions/ or content/floor/, never a path that could reach elsewhere
        raise FloorError(f"{qid!r} is not a question id (the file name without .md)")
    return qid


def find(site: Site, qid: str) -> Question:
    """The queued question ``qid``; a published or unknown id is a clear error."""
    qid = _checked_id(qid)
    path = site.questions_dir / f"{qid}.md"
    if path.exists():
        return load_question(path)
    try:
        return queue_mod.load(site).find(qid)
    except FloorError as missing:
        from ..core import withdrawn
        from ..core.waiting import day_text

        gone = next((w for w in withdrawn.read(site.root) if w.slug == qid), None)
        if gone is None:
            raise
        raise FloorError(
            f"post #{gone.number} ({qid}) was withdrawn on {day_text(gone.withdrawn)}: nothing of it is "
            f"left to edit ({withdrawn.STATE_FILE} keeps its number and address)"
        ) from missing


def digest(text: str) -> str:
    """What a form remembers of the file it was opened on (to see a change since)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def done_line(q: Question, name: str | None = None) -> str:
    """What every one-question change reports: ``id: status``, and for an unanswered question
    what it still lacks, with the command that adds it. ``name`` says the question another way
    than its id (the desk uses its words)."""
    missing = waiting.lacks(q) if q.status == UNANSWERED else None
    return f"{name or q.id}: {q.status}" + (f" ({missing})" if missing else "")


def question_words(question: str, limit: int = 60) -> str:
    """The question as its author reads it, in quotes, cut at a word near ``limit`` characters:
    an author knows a question by its words, not by the id made of them."""
    text = " ".join(question.split())
    if len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
        text = cut.rstrip(",;:.!?") + "…"
    return f"“{text}”"


def saved_line(saved: list[str], note: str = "") -> str:
    """Exactly what a `floor answer` wrote: 'saved the quick answer; the editor was …'."""
    said = f"saved {' and '.join(saved)}" if saved else "no changes saved"
    return f"{said}; {note}" if note else said


def saved_before(exc: FloorError, saved: list[str]) -> FloorError:
    """A refused edit's error, saying what `floor answer` had already saved before the editor."""
    if not saved:
        return exc
    verb = "was" if len(saved) == 1 else "were"
    return FloorError(
        f"{' and '.join(saved)} {verb} saved before the editor opened; then: {exc.problem}",
        path=exc.path,
        field=exc.field,
        line=exc.line,
    )


def rejected_path(q: Question) -> Path:
    """Where an edit that could not be saved is kept (beside the question, git-ignored by the dot)."""
    return q.path.with_name(f".{q.path.stem}.rejected-edit.md")


def keep_rejected(q: Question, text: str, exc: FloorError) -> FloorError:
    """Keep ``text`` aside and return the error that says where (the file is left as it was)."""
    keep = rejected_path(q)
    atomic_write_text(keep, text)
    return FloorError(
        f"{exc.problem}; the file is unchanged and your edit is kept in {keep}",
        path=exc.path,
        field=exc.field,
        line=exc.line,
    )


def _changed_since(q: Question, expected: str | None) -> FloorError | None:
    """An error if the file no longer has the digest ``expected`` (None: not checked)."""
    if expected is None:
        return None
    try:
        current = read_text(q.path)
    except FileNotFoundError:
        current = None
    if current is not None and digest(current) == expected:
        return None
    happened = "was moved or published" if current is None else "changed"
    return FloorError(
        f"the file {happened} since you opened it (an edit elsewhere, a publish or an intake merge)",
        path=q.path,
    )


def _apply(q: Question, changes: dict[str, Any], body: str | None, expected: str | None) -> Question:
    """Write ``changes`` (and ``body``) to ``q``'s file, unless it changed since ``expected``.

    When it changed, the edit applied to the file as it is now is kept aside
    (as `floor answer --edit` keeps a rejected edit) and the error says where.
    """
    conflict = _changed_since(q, expected)
    if conflict is not None:
        try:
            text = read_text(q.path)
            text = edit_mod.with_changes(text, q.path, changes, body)
        except (FloorError, OSError):
            text = _fields_note(changes, body)
        raise keep_rejected(q, text, conflict)
    return edit_mod.update(q, changes, body=body)


def _fields_note(changes: dict[str, Any], body: str | None) -> str:
    """An edit kept aside when the file is gone or unreadable: the fields, then the body."""
    lines = ["---", *(f"{k}: {edit_mod.frontmatter_text.dump_scalar(v)}" for k, v in changes.items()), "---"]
    return "\n".join(lines) + "\n" + (body or "")


def answer(
    site: Site, qid: str, quick: str | None, body: str | None, *, expected: str | None = None
) -> Question:
    """Write the quick and the more thoughtful answer (None leaves one as it is)."""
    changes = {"quick_answer": " ".join(quick.split())} if quick is not None else {}
    with journal.locked(site):
        q = find(site, qid)
        if not changes and body is None:
            return q
        return _apply(q, changes, body, expected)


def published_post(site: Site, qid: str) -> Question | None:
    """The published post ``qid`` (content/floor/ID.md), or None when there is none."""
    path = site.posts_dir / f"{_checked_id(qid)}.md"
    return load_question(path, published=True) if path.is_file() else None


def answer_published(site: Site, qid: str, quick: str, *, expected: str | None = None) -> Question:
    """Write a published post's quick answer (an imported post arrives without one).

    Only that field: the post's number, date and text are the published record.
    Refused, with nothing written, if the file changed since ``expected``. The
    refused text is not kept beside the post, where the build would read it as
    a post; the caller still has it.
    """
    with journal.locked(site):
        q = published_post(site, qid)
        if q is None:
            raise FloorError(f"no published post with id {qid!r} (content/floor/{qid}.md)")
        conflict = _changed_since(q, expected)
        if conflict is not None:
            raise conflict
        return edit_mod.update(q, {"quick_answer": " ".join(quick.split())})


def replace_text(site: Site, q: Question, text: str, *, expected: str) -> Question:
    """Save a whole file the author edited by hand (`floor answer --edit`); kept aside if refused."""
    try:
        with journal.locked(site):
            return edit_mod.replace_text(q, text, expected=expected)
    except FloorError as exc:
        raise keep_rejected(q, text, exc) from None


def decline(site: Site, qid: str, reason: str, *, expected: str | None = None) -> Question:
    """Decline with a private reason: it counts as done, and is never published."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise FloorError("give a reason (a private note: why it will not be answered)", field="declined")
    with journal.locked(site):
        return _apply(find(site, qid), {"declined": reason}, None, expected)


def undecline(site: Site, qid: str, *, expected: str | None = None) -> Question:
    """Take a decline back: the question waits in the queue again."""
    with journal.locked(site):
        return _apply(find(site, qid), {"declined": None}, None, expected)


def hold(site: Site, qid: str, *, expected: str | None = None) -> Question:
    with journal.locked(site):
        return _apply(find(site, qid), {"hold": True}, None, expected)


def release(site: Site, qid: str, *, expected: str | None = None) -> Question:
    with journal.locked(site):
        return _apply(find(site, qid), {"hold": None}, None, expected)


@dataclass(frozen=True)
class Unset:
    """Marks a field to remove (`floor set --pin none`)."""


UNSET = Unset()


def parse_date(value: str, field: str) -> dt.date | Unset:
    """YYYY-MM-DD, or 'none'/'' to remove the field."""
    text = (value or "").strip()
    if text.lower() in ("", "none"):
        return UNSET
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FloorError(
            f"{value!r} is not a date as YYYY-MM-DD (or 'none' to remove it)", field=field
        ) from None


def parse_priority(value: str) -> int | Unset:
    text = (value or "").strip()
    if text.lower() in ("", "none", "0"):
        return UNSET
    try:
        return int(text)
    except ValueError:
        raise FloorError(
            f"{value!r} is not a whole number (higher goes first; 0 or 'none' for the default)",
            field="priority",
        ) from None


def parse_tags(value: str) -> list[str] | Unset:
    """Comma-separated tags; an empty text removes them."""
    tags = list(dict.fromkeys(" ".join(t.split()) for t in (value or "").split(",") if t.strip()))
    return tags or UNSET


def set_fields(site: Site, qid: str, values: dict[str, Any], *, expected: str | None = None) -> Question:
    """Change priority, pin, not_before or tags (:data:`UNSET` removes one); others are refused."""
    unknown = sorted(set(values) - set(SETTABLE))
    if unknown:
        raise FloorError(f"cannot set {', '.join(unknown)}: only {', '.join(SETTABLE)}")
    changes = {k: (None if isinstance(v, Unset) else v) for k, v in values.items()}
    with journal.locked(site):
        return _apply(find(site, qid), changes, None, expected)
