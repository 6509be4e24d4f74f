"""The queue and the published posts, read from disk: state is where a file is."""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FloorError, FloorErrors
from . import heap, parse_cache
from . import question as question_mod
from .question import Question
from .site import Site


@dataclass
class Queue:
    """Everything the site knows: the queue, the published posts, and problems."""

    queued: list[Question] = field(default_factory=list)
    published: list[Question] = field(default_factory=list)
    errors: list[FloorError] = field(default_factory=list)
    # under kept_parses: which state of the files this is (KeptParses.generation); the same number
    # again means no file was added, changed or removed between the two loads. None otherwise.
    generation: int | None = None

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
        raise FloorError(f"no question with id {qid!r} in the queue{self._nearest(qid)}")

    def _nearest(self, qid: str) -> str:
        """What to try instead of an id that is not there: a near miss (a letter off, a word
        shortened), or where the ids are listed. A mistyped id should not send the author
        looking through the folder."""
        import difflib

        near = difflib.get_close_matches(qid.strip().lower(), sorted(self.ids), n=1, cutoff=0.8)
        if near:
            return f"; did you mean {near[0]!r}?"
        return ": `floor queue` lists the ids of the waiting questions"

    def raise_errors(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise FloorErrors(self.errors)


def question_files(folder: Path) -> list[Path]:
    """Markdown files directly in ``folder`` (sub-folders such as inbox/ are not the queue)."""
    kept = _kept.get()
    if kept is not None:  # the paths made once (10,000 of them: 0.1 s a load)
        return kept.paths(folder, question_names(folder))
    return list(map(_child_maker(folder), question_names(folder)))


def _child_maker(folder: Path) -> Callable[[str], Path]:
    """What makes ``folder / name`` for a name the folder's listing gave (one part, no separator):
    the path's own way of adding such a name, as its ``iterdir`` does, where this Python has it,
    without parsing the name again (10,000 names: about 15 ms of a warm `floor queue`, a fifth of
    the cost of ``/``); else ``/`` itself."""
    made = getattr(folder, "_make_child_relpath", None)
    return made if callable(made) else folder.joinpath


class KeptParses:
    """A site's parse cache held in memory between loads, by a process that loads the whole site
    again and again (the desk: every page). Each load still lists the folders and takes every
    file's stat, so a change made in a terminal or an editor shows on the next load; what it
    skips is reading the cache file again (0.2-0.4 s at 10,000 questions), remaking every
    question from its entry, and making every path. Loads are taken one at a time (the desk
    serves pages from several threads). Use it with :func:`kept_parses`.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._stores: dict[Path, parse_cache.ParseCache] = {}
        self._paths: dict[str, dict[str, Path]] = {}
        self._generations: dict[Path, tuple[int, int]] = {}  # cache file -> (files loaded, generation)

    def loaded(self, cache_file: Path, files: int, changed: bool) -> int:
        """Count a load of the site: its generation moves when a file was read (added, changed,
        or its stat moved) or the number of files changed (one removed)."""
        count, generation = self._generations.get(cache_file, (-1, 0))
        if changed or files != count:
            generation += 1
        self._generations[cache_file] = (files, generation)
        return generation

    def store(self, cache_file: Path) -> parse_cache.ParseCache:
        """The cache of this site (its cache file), read from disk the first time only."""
        found = self._stores.get(cache_file)
        if found is None:
            found = self._stores[cache_file] = parse_cache.ParseCache(cache_file)
        found.begin()
        return found

    def paths(self, folder: Path, names: list[str]) -> list[Path]:
        """The folder's files as paths, each made once (the same object every load)."""
        with self.lock:
            made = self._paths.setdefault(os.fspath(folder), {})
            if len(made) > 2 * len(names) + 100:  # many renamed or deleted since: start again
                made.clear()
            out = list(map(made.get, names))
            child = _child_maker(folder)
            for n, path in enumerate(out):
                if path is None:
                    out[n] = made[names[n]] = child(names[n])
        return out  # type: ignore[return-value]


_kept: contextvars.ContextVar[KeptParses | None] = contextvars.ContextVar("floor_kept_parses", default=None)


@contextlib.contextmanager
def kept_parses(kept: KeptParses) -> Iterator[None]:
    """Within the block (this thread, or the tasks and threads it starts), :func:`load` uses
    ``kept``: see :class:`KeptParses`."""
    token = _kept.set(kept)
    try:
        yield
    finally:
        _kept.reset(token)


def load_folder(folder: Path, *, published: bool = False, last: bool = False) -> list[Question | FloorError]:
    """Every question file of ``folder`` loaded (question.load), in :func:`question_files`
    order, with the problem in place of a file that has one; read-only (no journal recovery).

    Inside question.reusing_parses the folder is read once for the block: a build's retirement
    forecast (when Pelican starts) and its reader site's stats (in the generators) both need
    every post and queued question, about 10 µs a file each time (0.1-0.2 s at 10,000 posts).
    The table holds the parse store's own objects (question.load_kept), so it costs a list, and
    each call gets its own copies; after ``last`` (the block's last reader of the folder: the
    stats) the table lets them go. It goes with the block too (a live-preview regeneration reads
    afresh) and with question.forget_parses.
    """
    loads = question_mod.folder_loads()
    key = (os.fspath(folder), published)
    found = loads.pop(key, None) if loads is not None else None
    if found is None:
        found = []
        for path in question_files(folder):
            try:
                found.append(question_mod.load_kept(path, published=published))
            except FloorError as exc:
                found.append(exc)
    if loads is None:
        return found
    if not last:
        loads[key] = found
    return [item if isinstance(item, FloorError) else question_mod.copy(item) for item in found]


# folder (absolute) → its names, while a reader of the whole site (`floor check`) keeps them
_listings: dict[str, list[str]] | None = None


@contextlib.contextmanager
def listings_kept() -> Iterator[None]:
    """Within the block each folder is listed once: `floor check` reads the questions and posts
    folders for the queue, the plain-contact warnings and the contact check's verdicts, 10,000
    names each time at 10,000 questions. Only for a block that writes no question file (a
    listing is not taken again); the outermost block lets them go."""
    global _listings
    outer = _listings
    if outer is None:
        _listings = {}
    try:
        yield
    finally:
        if outer is None:
            _listings = None


def question_names(folder: Path) -> list[str]:
    """The names of :func:`question_files`, sorted (the same order as sorting the paths of one
    folder); inside :func:`listings_kept`, the folder's first listing (a copy of it)."""
    kept = _listings
    if kept is None:
        return _names(folder)
    key = os.path.abspath(folder)
    names = kept.get(key)
    if names is None:
        names = kept[key] = _names(folder)
    return list(names)


def _names(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.name.endswith(".md") and not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []


@dataclass(frozen=True)
class ReadBefore:
    """Digests this build already took of files' bytes (the build manifest's check of its inputs,
    on a fresh checkout whose stats all moved): [size, mtime_ns, digest, ctime_ns] by the path
    inside the site, hashed at ``since_ns`` or later. A file whose stat is still the one given,
    out of the racy window before ``since_ns`` (build_manifest.racy), has those bytes: it is
    not read a second time to tell whether they are the ones the parse cache holds.

    Only digests taken from the bytes in this build stand here, never the parse cache's own
    nor the last record's (docs/performance.md: an unsigned cache must not vouch for a source).
    """

    stamps: Mapping[str, Sequence]
    since_ns: int
    _read_since: Callable[..., bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from . import build_manifest  # (here, once: the queue commands never make one)

        object.__setattr__(self, "_read_since", build_manifest.read_since)

    def digest(self, rel: str, st: os.stat_result) -> bytes | None:
        stamp = self.stamps.get(rel)
        if stamp is None or not self._read_since(st, stamp, self.since_ns):
            return None
        try:
            return bytes.fromhex(stamp[2])
        except (TypeError, ValueError):
            return None


_SAME = "same bytes"  # a missed file's bytes are the ones the parse cache holds
_GONE = "gone"  # a listed file that no longer exists


def _read_and_parse(job: tuple[Path, bool, bytes | None]) -> tuple[Question | FloorError | str, bytes]:
    """One file read once: its digest, and its parse unless the bytes are the cached ones."""
    path, published, known = job
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:  # moved or deleted since the folder was listed: not in the queue now
        return _GONE, b""
    found = parse_cache.digest(raw)
    if found == known:
        return _SAME, found
    try:
        return question_mod.parse_text(question_mod.decode(raw, path), path, published=published), found
    except FloorError as exc:
        return exc, found


def _take_in(
    store: parse_cache.ParseCache,
    jobs: list[tuple[Path, bool]],
    misses: list[tuple[int, tuple[str, bool], parse_cache.Stamp | None]],
    outcomes: list[tuple[Question | FloorError | str, bytes]],
    results: list[Question | FloorError | None],
    kept: list[tuple[int, dict]],
    now: int,
) -> None:
    """What the readers found for the missed files: into ``results`` (or ``kept``), and into the cache."""
    for (i, key, stamp), (outcome, found) in zip(misses, outcomes, strict=True):
        path, published = jobs[i]
        if outcome == _GONE:
            store.forget(key)
            continue  # results[i] stays None: the caller skips it
        if isinstance(outcome, str):  # the same bytes as the cached parse
            fields = store.same_bytes(key, stamp, found, now) if stamp is not None else None
            if fields is not None:
                kept.append((i, fields))
                continue
            outcome = _read_and_parse((path, published, None))[0]  # they disagree after all
            if outcome == _GONE:
                continue
        if isinstance(outcome, FloorError):
            store.forget(key)  # a broken file is parsed, and reported, every time
        elif stamp is not None and isinstance(outcome, Question):
            store.store(key, stamp, found, outcome, now)
        results[i] = outcome  # type: ignore[assignment]


def parse_files(
    site: Site,
    jobs: list[tuple[Path, bool]],
    processes: int | None = None,
    *,
    cache: bool = True,
    later: list[Callable[[], None]] | None = None,
    read_before: ReadBefore | None = None,
    read_now: dict[str, list] | None = None,
    keep_stats: bool = True,
    generation: list[int] | None = None,
) -> list[Question | FloorError | None]:
    """Each ``(path, published)`` parsed, or its problem (None: the file is gone since it was listed).

    Unchanged files come from the parse cache; ``jobs`` is every file of the
    site's queue and posts, since the cache keeps entries for these files
    only. Files the cache cannot vouch for are read (and hashed) and, when
    their bytes are new, parsed by forked processes (forked.py). Inside
    question.reusing_parses the build's in-memory store is used and filled too.
    With ``later``, saving the parse cache is appended there for the caller
    to run once it has handed the questions on (the build's worker).
    ``read_before``: digests the build took of these files' bytes already (:class:`ReadBefore`):
    a file they show to hold the cached bytes is not read again. ``read_now``: the files this
    call read get their stamp here, [size, mtime_ns, digest, ctime_ns] by the path inside the
    site (the stat taken before reading), for the build manifest's check of its inputs
    (build_manifest.stamp_inputs' ``read``). ``keep_stats=False``: the parse cache is not written
    when all that changed is files' stats (parse_cache.ParseCache.save). ``generation``: under
    :func:`kept_parses`, the load's generation is appended (:attr:`Queue.generation`).
    """
    kept = _kept.get() if cache else None
    rest = (site, jobs, processes, later, read_before, read_now, keep_stats)
    if kept is not None:
        with kept.lock:
            where = parse_cache.cache_file(site.root, site.settings.raw)
            found, read_any = _parse_files(kept.store(where), *rest, held=True)
            if generation is not None:
                generation.append(kept.loaded(where, len(jobs), read_any))
            return found
    store = parse_cache.ParseCache(parse_cache.cache_file(site.root, site.settings.raw) if cache else None)
    return _parse_files(store, *rest, held=False)[0]


def _parse_files(
    store: parse_cache.ParseCache,
    site: Site,
    jobs: list[tuple[Path, bool]],
    processes: int | None,
    later: list[Callable[[], None]] | None,
    read_before: ReadBefore | None,
    read_now: dict[str, list] | None,
    keep_stats: bool,
    *,
    held: bool,
) -> tuple[list[Question | FloorError | None], bool]:
    """:func:`parse_files` with its cache (``held``: kept between loads, so its questions are
    too), and whether it read any file its cache could not vouch for."""
    now = time.time_ns()
    root = str(site.root) + os.sep
    results: list[Question | FloorError | None] = [None] * len(jobs)
    kept: list[tuple[int, dict]] = []  # cached fields, made into questions once the cache is saved
    stats: list[os.stat_result | None] = [None] * len(jobs)
    keys: list[tuple[str, bool]] = [("", False)] * len(jobs)
    misses: list[tuple[int, tuple[str, bool], parse_cache.Stamp | None]] = []
    with heap.collector_off():
        for i, (path, published) in enumerate(jobs):
            name = str(path)
            key = keys[i] = (name[len(root) :] if name.startswith(root) else name, published)
            try:
                st = stats[i] = os.stat(name)
            except OSError:
                misses.append((i, key, None))  # gone since the folder was listed: reading says so
                continue
            stamp = parse_cache.stamp_of(st)
            fields = store.fresh(key, stamp)
            q = question_mod.reused(path, published, st)
            if q is not None:
                results[i] = q
            elif fields is not None:
                kept.append((i, fields))
            else:
                misses.append((i, key, stamp))
    work, known = [], {}
    for n, (i, key, stamp) in enumerate(misses):
        cached = store.digest_of(key)
        st = stats[i]
        seen = read_before.digest(key[0], st) if read_before and cached and stamp and st else None
        if seen is not None and seen == cached:
            known[n] = (_SAME, seen)  # the build's input check read these bytes: the cached ones
        else:
            work.append((jobs[i][0], jobs[i][1], cached))
    outcomes: list = []
    if work:  # (an unchanged queue forks nothing, nor imports what forking needs)
        from . import forked

        outcomes = forked.map_forked(_read_and_parse, work, processes)
    if known:
        rest = iter(outcomes)
        outcomes = [known[n] if n in known else next(rest) for n in range(len(misses))]
    if read_now is not None:
        from . import build_manifest

        for (i, key, _stamp), (outcome, found) in zip(misses, outcomes, strict=True):
            st = stats[i]
            if st is not None and found and outcome != _GONE:
                read_now[key[0]] = build_manifest.input_stamp(st, found.hex())
    with heap.collector_off():
        _take_in(store, jobs, misses, outcomes, results, kept, now)
    if later is None or held:  # (a kept cache is saved now: the next load may come before `later` runs)
        store.save(stats=keep_stats)
    else:
        later.append(store.save)
    with heap.collector_off():
        make = store.question if held else lambda _key, fields, path: parse_cache.rebuild(fields, path)
        for i, fields in kept:
            results[i] = make(keys[i], fields, jobs[i][0])
    for i, q in enumerate(results):
        st = stats[i]
        if isinstance(q, Question) and st is not None:
            question_mod.remember(jobs[i][0], jobs[i][1], st, q)
    return results, bool(misses)  # type: ignore[return-value]


def load(
    site: Site,
    *,
    processes: int | None = None,
    cache: bool = True,
    later: list[Callable[[], None]] | None = None,
    read_before: ReadBefore | None = None,
    read_now: dict[str, list] | None = None,
    keep_stats: bool = True,
) -> Queue:
    """Read every question and post, collecting problems instead of stopping at the first.

    Unchanged files come from the parse cache (parse_cache.py; ``cache=False``
    reads and parses every file); big queues are parsed by ``processes``
    forked processes (default: every core this process may use; see forked.py).
    ``later``, ``read_before``, ``read_now``, ``keep_stats``: see :func:`parse_files`.
    """
    from . import journal

    journal.recover(site)
    result = Queue()
    published_ids: set[str] = set()
    posts = question_files(site.posts_dir)
    queued = question_files(site.questions_dir)
    jobs = [(path, True) for path in posts] + [(path, False) for path in queued]
    generation: list[int] = []
    parsed = parse_files(
        site,
        jobs,
        processes,
        cache=cache,
        later=later,
        read_before=read_before,
        read_now=read_now,
        keep_stats=keep_stats,
        generation=generation,
    )
    result.generation = generation[0] if generation else None
    for q in parsed[: len(posts)]:
        if q is None:
            continue
        if isinstance(q, FloorError):
            result.errors.append(q)
            continue
        result.published.append(q)
        published_ids.add(q.id)
    for path, q in zip(queued, parsed[len(posts) :], strict=True):
        if q is None:
            continue
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
