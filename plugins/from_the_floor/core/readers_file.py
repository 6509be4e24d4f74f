"""Merged readers past the first ones: kept in the question's readers file, counted in the question.

A question the whole room asks (a talk, a form shared widely) would grow its
``also_asked_by`` block by half a KiB a reader (the sealed contact is most of
it) until the file is too big to read. So a question file lists the first
:data:`LISTED` merged readers, as the author reads them; every later one goes
to ``questions/readers/<id>.jsonl`` (one JSON object a line, the same fields
as an ``also_asked_by`` entry, the contact sealed), and the question says how
many: ``more_readers: 580``. The post counts them ("Asked by 601 readers");
`floor notify` and `floor split` reach them as they reach listed readers.

The readers file is named by the question's id, which its published post
keeps, so publishing leaves it where it is. It is written before the
question file, and only the first ``more_readers`` lines count: a run
killed between the two leaves the question as it was (a re-run merges those
readers again), never a reader counted who is not on file. A readers file no
question counts (its question deleted) is never read, and is replaced when a
new question of that id keeps readers apart.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..errors import FloorError
from .atomic import atomic_write_text
from .question import AlsoAsked, Question, parse_text, read_text

LISTED = 20  # merged readers listed in the question file itself; the rest are kept in its readers file
FOLDER = "readers"  # inside questions/: not part of the queue (only *.md directly in questions/ are)
FIELD = "more_readers"


def path_for(questions_dir: Path, qid: str) -> Path:
    return Path(questions_dir) / FOLDER / f"{qid}.jsonl"


def load(questions_dir: Path, q: Question) -> list[AlsoAsked]:
    """The readers kept apart for ``q`` (the first ``q.more_readers`` lines of its readers file)."""
    if not q.more_readers:
        return []
    path = path_for(questions_dir, q.id)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()[: q.more_readers]
    except FileNotFoundError:
        raise FloorError(
            f"the question counts {q.more_readers} readers kept in {FOLDER}/{path.name}, which is missing",
            path=q.path,
            field=FIELD,
        ) from None
    items = []
    for number, line in enumerate(lines, start=1):
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FloorError(f"line {number} is not JSON ({exc.msg})", path=path) from None
        items.append(item if not isinstance(item, dict) else {k: _text(v) for k, v in item.items()})
    from .question import _also_asked_by

    return _also_asked_by({"also_asked_by": items}, path)


def _text(value: object) -> object:
    """As the question file's YAML gives values to the parser: text and true/false as they are."""
    return value if isinstance(value, (str, bool, list, dict)) or value is None else str(value)


def everyone(questions_dir: Path, q: Question) -> list[AlsoAsked]:
    """Every merged reader in order: those listed in the question file, then those kept apart."""
    return [*q.also_asked_by, *load(questions_dir, q)]


def _line(entry: AlsoAsked) -> str:
    fields = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in entry.as_fields().items()}
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def _write(questions_dir: Path, qid: str, kept: list[AlsoAsked]) -> None:
    path = path_for(questions_dir, qid)
    if not kept:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, "".join(_line(e) + "\n" for e in kept))


def _save(q: Question, listed: list[AlsoAsked], more: int) -> Question:
    from . import frontmatter_text  # (here: floor check reads readers files' names, never YAML)
    from .edit import with_also_asked_by

    text = with_also_asked_by(read_text(q.path), q.path, listed)
    if more:
        text = frontmatter_text.set_field(text, FIELD, more, q.path)
    else:
        text = frontmatter_text.remove_field(text, FIELD, q.path)
    updated = parse_text(text, q.path, published=q.published)
    atomic_write_text(q.path, text)
    return updated


def add(questions_dir: Path, q: Question, new: list[AlsoAsked]) -> Question:
    """Merge ``new`` readers into ``q``: listed while there is room, then kept apart. One write each."""
    listed, kept = list(q.also_asked_by), load(questions_dir, q)
    if not kept:
        room = max(0, LISTED - len(listed))
        listed, new = listed + new[:room], new[room:]
    if new:
        kept += new
        _write(questions_dir, q.id, kept)
    return _save(q, listed, len(kept))


def replace(questions_dir: Path, q: Question, index: int, entry: AlsoAsked | None) -> Question:
    """Change merged reader ``index`` (0-based, over :func:`everyone`), or remove it (``entry`` None)."""
    listed = list(q.also_asked_by)
    if index < len(listed):
        listed[index : index + 1] = [] if entry is None else [entry]
        return _save(q, listed, q.more_readers)
    kept = load(questions_dir, q)
    at = index - len(listed)
    if not 0 <= at < len(kept):
        raise FloorError(f"there is no merged reader {index + 1}", path=q.path)
    kept[at : at + 1] = [] if entry is None else [entry]
    _write(questions_dir, q.id, kept)
    return _save(q, listed, len(kept))


def update(
    questions_dir: Path, q: Question, entries: list[AlsoAsked], changes: dict[int, AlsoAsked]
) -> Question:
    """Change several merged readers at once (indexes over ``entries``, :func:`everyone` of ``q``).

    One write of each file that changes, and none of one that does not: `floor notify` records a
    run's notes this way, not one rewrite of a 357 KB readers file per reader.
    """
    listed, kept = list(entries[: len(q.also_asked_by)]), list(entries[len(q.also_asked_by) :])
    for index, entry in changes.items():
        if not 0 <= index < len(entries):
            raise FloorError(f"there is no merged reader {index + 1}", path=q.path)
        if index < len(listed):
            listed[index] = entry
        else:
            kept[index - len(listed)] = entry
    if any(index >= len(listed) for index in changes):
        _write(questions_dir, q.id, kept)
    if any(index < len(listed) for index in changes):
        return _save(q, listed, len(kept))
    return q
