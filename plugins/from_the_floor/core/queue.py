"""The queue and the published posts, read from disk: state is where a file is."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FloorError, FloorErrors
from . import forked
from . import question as question_mod
from .question import Question
from .site import Site


@dataclass
class Queue:
    """Everything the site knows: the queue, the published posts, and problems."""

    queued: list[Question] = field(default_factory=list)
    published: list[Question] = field(default_factory=list)
    errors: list[FloorError] = field(default_factory=list)

    def by_status(self, status: str) -> list[Question]:
        return [q for q in self.queued if q.status == status]

    @property
    def ids(self) -> set[str]:
        return {q.id for q in self.queued} | {q.id for q in self.published}

    def find(self, qid: str) -> Question:
        for q in self.queued:
            if q.id == qid:
                return q
        for q in self.published:
            if q.id == qid:
                raise FloorError(
                    f"question {qid!r} is already published ({q.path}); edit the post file",
                )
        raise FloorError(f"no question with id {qid!r} in the queue")

    def raise_errors(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise FloorErrors(self.errors)


def question_files(folder: Path) -> list[Path]:
    """Markdown files directly in ``folder`` (sub-folders such as inbox/ are not the queue)."""
    if not folder.is_dir():
        return []
    # by name: the same order as sorting the paths (one folder), without comparing Path objects
    return sorted((p for p in folder.glob("*.md") if not p.name.startswith(".")), key=lambda p: p.name)


def _parse(job: tuple[Path, bool]) -> Question | FloorError:
    path, published = job
    try:
        return question_mod.load(path, published=published)
    except FloorError as exc:
        return exc


def load(site: Site, *, processes: int | None = None) -> Queue:
    """Read every question and post, collecting problems instead of stopping at the first.

    Big queues are parsed by ``processes`` forked processes (default: every
    core this process may use; see forked.py).
    """
    from . import journal

    journal.recover(site)
    result = Queue()
    published_ids: set[str] = set()
    posts = question_files(site.posts_dir)
    queued = question_files(site.questions_dir)
    jobs = [(path, True) for path in posts] + [(path, False) for path in queued]
    parsed = forked.map_forked(_parse, jobs, processes)
    for q in parsed[: len(posts)]:
        if isinstance(q, FloorError):
            result.errors.append(q)
            continue
        result.published.append(q)
        published_ids.add(q.id)
    for path, q in zip(queued, parsed[len(posts) :], strict=True):
        if isinstance(q, FloorError):
            result.errors.append(q)
            continue
        if q.id in published_ids:
            result.errors.append(
                FloorError(
                    f"a post with the same id is already published in {site.posts_dir}; rename one of them",
                    path=path,
                )
            )
            continue
        result.queued.append(q)
    result.published.sort(key=lambda q: (q.number or 0, q.id))
    _check_numbers(result)
    return result


def _check_numbers(result: Queue) -> None:
    """Posts sharing a number must share a date: they are one multi-question post."""
    seen: dict[int, Question] = {}
    for q in result.published:
        first = seen.setdefault(q.number or 0, q)
        if first is not q and first.date != q.date:
            result.errors.append(
                FloorError(
                    f"has number {q.number} like {first.path.name} but a different date",
                    path=q.path,
                    field="number",
                )
            )
