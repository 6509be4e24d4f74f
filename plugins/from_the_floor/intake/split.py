"""`floor split`: undo a merge, turning a reader merged into a question back into a question."""

from __future__ import annotations

from ..core import journal, readers_file
from ..core import queue as queue_mod
from ..core.question import AlsoAsked, Question
from ..core.site import Site
from ..errors import FloorError
from . import intake


def _find(site: Site, qid: str) -> Question:
    q = queue_mod.load(site)
    for item in [*q.queued, *q.published]:
        if item.id == qid:
            return item
    raise FloorError(f"no question or post with id {qid!r}")


def split(site: Site, qid: str, entry: int | None = None) -> tuple[str, AlsoAsked]:
    """Move reader ``entry`` (1-based; default the last merged) of ``qid`` into a new queued question.

    The new question is written first and the reader removed after, so a
    crash in between leaves the reader in both places, never in neither.
    """
    with journal.locked(site):
        target = _find(site, qid)
        entries = readers_file.everyone(site.questions_dir, target)
        if not entries:
            raise FloorError(f"{qid} has no merged readers to split off", path=target.path)
        index = len(entries) if entry is None else entry
        if not 1 <= index <= len(entries):
            raise FloorError(
                f"{qid} has {len(entries)} merged reader{'s' if len(entries) != 1 else ''}; "
                f"give --entry 1 … {len(entries)}",
                path=target.path,
            )
        reader = entries[index - 1]
        new_id = intake.add(
            site,
            intake.NewQuestion(
                question=reader.question,
                asked=reader.asked,
                asker=reader.asker,
                contact=reader.contact,
                source=reader.source or "notes",
                details=reader.details,
                credit=reader.credit,
                notify=reader.notify,
                intake_id=reader.intake_id,
            ),
        )
        readers_file.replace(site.questions_dir, target, index - 1, None)
    return new_id, reader
