"""`floor merge`: the author joins a near-duplicate into the question it repeats (undone by `floor split`).

Intake merges what it is sure of (FLOOR_DUPLICATE_THRESHOLD); below that,
:func:`suggestions` lists the likely repeats for the author to judge, and
:func:`merge` does what intake would have done: the question's reader (and
any readers merged into it) join the other question's ``also_asked_by``, and
its file goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import journal, readers_file
from ..core import queue as queue_mod
from ..core.question import AlsoAsked, Question
from ..core.site import Site
from ..errors import FloorError
from . import duplicates

SUGGEST_FROM = 0.5  # the Dice score of content words from which a question is worth showing as alike


@dataclass(frozen=True)
class Suggestion:
    question: Question
    score: float


def suggestions(
    q: Question, others: list[Question], *, limit: int = 5, index: duplicates.Index | None = None
) -> list[Suggestion]:
    """Queued (not declined) or published questions most like ``q``, best first.

    ``index``: :func:`suggestion_index` of these ``others``, made once for many questions (the
    desk keeps one until a file changes); without it one is made for this call, which at 10,000
    questions is still a few times quicker than scoring ``q`` against every one of them."""
    index = suggestion_index(others) if index is None else index
    found = [
        Suggestion(index.question(qid), score)
        for qid, score in index.alike(q.question).items()
        if qid != q.id
    ]
    found.sort(key=lambda s: (-s.score, s.question.id))
    return found[:limit]


def suggestion_index(others: list[Question]) -> duplicates.Index:
    """The questions :func:`suggestions` may name (queued but not declined, or published), each
    with its own wording and its merged readers', indexed by the words they hold."""
    index = duplicates.Index(SUGGEST_FROM)
    for other in others:
        if not other.declined:
            index.add(other)
    return index


def _as_entry(q: Question) -> AlsoAsked:
    return AlsoAsked(
        question=q.question,
        asked=q.asked,
        asker=q.asker,
        credit=q.credit,
        contact=q.contact,
        source=q.source,
        details=q.details,
        intake_id=q.intake_id,
        notify=q.notify,
    )


def merge(site: Site, qid: str, into: str) -> Question:
    """Merge queued question ``qid`` into ``into`` (queued or published); returns the updated target.

    A question with an answer is refused (merging would drop the answer). The
    target is written first and the merged file removed after, so a crash in
    between leaves the reader in both places, never in neither.
    """
    if qid == into:
        raise FloorError(f"{qid} cannot be merged into itself")
    with journal.locked(site):
        queue = queue_mod.load(site)
        source = next((q for q in queue.queued if q.id == qid), None)
        if source is None:
            queue.find(qid)  # the queue's own "no question with id …" error
            raise FloorError(f"{qid} is published; only a queued question can be merged into another")
        target = next((q for q in [*queue.queued, *queue.published] if q.id == into), None)
        if target is None:
            queue.find(into)
            raise FloorError(f"no question or post with id {into!r}")
        if (source.quick_answer or "").strip() or source.body.strip():
            raise FloorError(
                f"{qid} has an answer, which merging would drop; remove it first or decline the question",
                path=source.path,
            )
        joining = [_as_entry(source), *readers_file.everyone(site.questions_dir, source)]
        updated = readers_file.add(site.questions_dir, target, joining)
        source.path.unlink()
        readers_file.path_for(site.questions_dir, source.id).unlink(missing_ok=True)
    return updated


def merged_line(qid: str, target: Question) -> str:
    """What `floor merge` and the desk say after a merge."""
    return f"merged {qid} into {target.id}: {target.readers} readers asked it"
