"""Pelican's run, with its write phase taken apart (a Pelican adapter).

Pelican renders every page as its generators ask for it, one after another.
Here the generators run exactly as in ``Pelican.run`` but write through a
:class:`DeferredWriter`, which records each page (template + local context)
instead of rendering it. The recorded pages are then either

- rendered and written by several processes at once (``floor build``:
  rendering is most of a build once reading is cached, and parallelises
  cleanly; each process also scans what it writes for readers' contacts), or
- rendered one at a time when asked for (``floor serve --live``: an edit
  re-renders only the page a reader looks at).

Either way each page is rendered from the same context with the same template
as Pelican would, so the bytes are the same (tests/pelican_plugin/test_fast_paths.py). For
builds, the posts the content cache lacks are also read in several processes
first (:func:`prefetch_articles`).
Anything this module cannot mirror faithfully (another Pelican major version,
a custom Pelican class or writer) falls back to ``Pelican.run`` unchanged.
"""

from __future__ import annotations

import collections
import contextlib
import io
import logging
import os
import time
import weakref
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import markupsafe
import pelican
from pelican import Pelican, signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import _filter_discardable_metadata
from pelican.urlwrappers import URLWrapper
from pelican.utils import (
    clean_output_dir,
    get_relative_path,
    maybe_pluralize,
    path_to_url,
    sanitised_join,
)
from pelican.writers import FileOverwriteFailedError, Writer

from ..core import build_manifest, forked, guard, memo, phases, staging
from ..core import heap as heap_mod
from ..core import question as question_mod
from ..core.heap import SiteHeap
from . import build_state, pelican_memos, translations, url_memo
from .pagination import FloorPaginator

if TYPE_CHECKING:  # Pelican's signals are blinker's (a dependency of Pelican's, not the kit's)
    from blinker import Signal

logger = logging.getLogger(__name__)

# Below this many pages a second process costs more than it saves.
MIN_PAGES_PER_PROCESS = 150
# Posts a reading process takes at a time (forked.Tickets): few enough that the processes end
# within a few posts of each other, enough that taking them costs nothing to speak of.
READ_STEP = 4
# Pages a writing process takes at a time (forked.Tickets), for the same reasons.
WRITE_STEP = 4
# Below this many pages to render, forking a writing process costs about what it saves (an edit
# renders a handful): they are rendered here.
MIN_RENDERED_TO_FORK = 32


@dataclass
class Page:
    """One output file as Pelican's Writer would have rendered it."""

    kind: ClassVar[str] = "page"  # in the build manifest
    name: str  # relative to the output folder
    path: str  # absolute
    template: Any
    localcontext: MutableMapping[str, Any]  # the page's own values in front of the shared context
    context: dict[str, Any]  # the shared context (Pelican updates localsiteurl on it)
    skip: bool = False  # an earlier override_output write already owns this file
    keep: bool = False  # unchanged since the last build (incremental.py): its file is kept

    def signature(self, signer) -> str | None:
        return signer.page(self.name, self.template, self.localcontext)

    def render(self) -> str:
        if self.localcontext["localsiteurl"]:
            self.context["localsiteurl"] = self.localcontext["localsiteurl"]
        return self.template.render(flattened(self.localcontext))


def flattened(values: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The dict Jinja's ``render`` makes of a page's context (``dict(values)``), made quickly.

    A page's context is its own values in front of the shared one (a ChainMap), and ``dict()``
    of a ChainMap looks every one of its ~200 names up through each map, a KeyError at a time:
    about 0.2 ms a page. Copying the maps from the back, each over the last, gives the same
    names in the same order with the same values; a mapping of another type is left to ``dict()``.
    """
    if type(values) is not ChainMap or not all(type(m) is dict for m in values.maps):
        return values
    flat = dict(values.maps[-1])
    for front in reversed(values.maps[:-1]):
        flat.update(front)
    return flat


@dataclass
class Feed:
    """One feed, made when written (Writer.write_feed, its text captured)."""

    kind: ClassVar[str] = "feed"
    name: str
    path: str
    render: Callable[[], str]
    skip: bool = False
    keep: bool = False
    inputs: tuple = ()  # (elements, context, path, url, feed_type, kwargs) as write_feed got them

    def signature(self, signer) -> str | None:
        elements, context, path, url, feed_type, kwargs = self.inputs
        return signer.feed(self.name, elements, context, path, url, feed_type, kwargs)


def encode(text: str) -> bytes:
    """The bytes ``open(path, "w", encoding="utf-8")`` writes for ``text``."""
    if os.linesep != "\n":  # text mode's newline translation
        text = text.replace("\n", os.linesep)
    return text.encode("utf-8")


def write_bytes_if_changed(path: str, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly those bytes.

    An unchanged file keeps its mtime and costs a read, not a rewrite. A
    changed one is replaced (written beside it, renamed over), never written
    into: the staging folder's files may be hard links to output/'s.
    """
    exists = True
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as old:
                if old.read() == data:
                    return False
    except OSError:
        exists = False
        os.makedirs(os.path.dirname(path), exist_ok=True)
    if not exists:
        with open(path, "wb") as f:
            f.write(data)
        return True
    temp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(temp, "wb") as f:
        f.write(data)
    os.replace(temp, path)
    return True


def write_if_changed(path: str, text: str) -> bool:
    return write_bytes_if_changed(path, encode(text))


class _TextBuffer(io.StringIO):
    """A text "file" for Writer.write_feed that lands on disk only if its bytes changed."""

    def __init__(self, path: str, sink: Callable[[str, str], Any]) -> None:
        super().__init__()
        self._path = path
        self._sink = sink

    def close(self) -> None:
        if not self.closed:
            self._sink(self._path, self.getvalue())
        super().close()


class DeferredWriter(Writer):
    """Pelican's Writer, except that ``write_file`` records pages for later.

    Pagination, local contexts and the overwrite rules are Pelican 4's own
    (``Writer.write_file`` and ``_open_w``); only the rendering moves.
    Feeds are written at once (``defer_feeds=False``) or recorded as
    :class:`Feed` jobs too.
    """

    def __init__(self, output_path: str, settings: dict | None = None, *, defer_feeds: bool = False) -> None:
        super().__init__(output_path, settings=settings)
        self.pages: list[Page] = []
        self.feeds: list[Feed] = []
        self.defer_feeds = defer_feeds
        self.direct_feeds: list[str] = []  # feeds written at once (a plugin listens to them)
        self._capture: dict[str, str] | None = None

    def _create_new_feed(self, feed_type, feed_title, context):
        """In the kit's theme the site's name and a tag's name are text: kept as typed in Atom and RSS.

        Every page of the kit's theme shows ``SITENAME`` escaped (``Ask "Zoë" & <Friends>``
        reads as typed), but Pelican makes a feed's title with ``Markup(title).striptags()``,
        so the feeds said ``Ask "Zoë" &`` and a typed ``&amp;`` became ``&``. Escaped first, the
        title comes back out of striptags exactly. A blog's own theme keeps Pelican's reading
        (its ``SITENAME`` may hold markup its pages render).
        """
        from .theme_fallback import column_theme

        if not column_theme(self.settings):
            return super()._create_new_feed(feed_type, feed_title, context)
        title = markupsafe.escape(context["SITENAME"])
        if feed_title:
            title = title + " - " + feed_title  # (Markup + text escapes the text)
        return super()._create_new_feed(feed_type, None, ChainMap({"SITENAME": title}, context))

    def _add_item_to_the_feed(self, feed, item) -> None:
        """A Q&A post's title is the reader's text: kept as typed in Atom and RSS.

        Pelican reads every title as HTML (``Markup(title).striptags()``), so
        ``Is <b> bold?`` would lose its ``<b>`` and a typed ``&amp;`` would
        become ``&``. Escaped first, the text comes back out of striptags
        exactly, and feedgenerator escapes it once for the XML.
        """
        if not getattr(item, "floor", False):  # the author's own posts: Pelican's HTML titles
            super()._add_item_to_the_feed(feed, item)
            return
        title = item.title
        item.title = markupsafe.escape(title)
        try:
            super()._add_item_to_the_feed(feed, item)
        finally:
            item.title = title

    # -- bookkeeping exactly as Writer._open_w, without opening anything --
    def _claim(self, path: str, override: bool) -> bool:
        """Apply Pelican's overwrite rules; False when the write is to be skipped."""
        skip = False
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', path)
            skip = True
        elif path in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" as Pelican has already '
                    "written to it previously (set `override=True` if intended)"
                )
            logger.info('Overwriting "%s"', path)
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return not skip

    def _open_w(self, filename, encoding, override=False):
        """Feeds: write only changed bytes, or capture the text of a deferred feed."""
        if self._capture is not None:
            return _TextBuffer(filename, self._capture.__setitem__)
        if not self._claim(filename, override):
            return open(os.devnull, "w", encoding=encoding)
        self.direct_feeds.append(filename)
        return _TextBuffer(filename, write_if_changed)

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", **kwargs):
        if not (self.defer_feeds and path):
            return super().write_feed(elements, context, path, url, feed_type, **kwargs)
        full_path = sanitised_join(self.output_path, path)
        if not self._claim(full_path, kwargs.get("override_output", False)):
            return None
        elements = list(elements)

        def render() -> str:
            self._capture = {}
            try:
                Writer.write_feed(self, elements, context, path, url, feed_type, **kwargs)
                return self._capture[full_path]
            finally:
                self._capture = None

        inputs = (elements, context, path, url, feed_type, dict(kwargs))
        self.feeds.append(
            Feed(os.path.relpath(full_path, self.output_path), full_path, render, inputs=inputs)
        )
        return None

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        """Record the page(s) Pelican's Writer.write_file would render."""
        if not name:
            return

        def localcontext_for(save_as: str, values: dict) -> ChainMap:
            # Pelican copies the whole shared context for each page; only what differs is kept
            # here, in front of the shared context, so a thousand pages waiting to be written do
            # not hold a thousand copies of it. The shared context does not change once the
            # generators write (but for localsiteurl, which is taken now as Pelican takes it).
            own: dict[str, Any] = {"localsiteurl": context.get("localsiteurl", None)}
            if relative_urls:
                relative_url = path_to_url(get_relative_path(save_as))
                own["SITEURL"] = relative_url
                own["localsiteurl"] = relative_url
            own["output_file"] = save_as
            own.update(values)
            return ChainMap(own, context)

        def record(save_as: str, localcontext: dict) -> None:
            path = sanitised_join(self.output_path, save_as)
            skip = not self._claim(path, override_output)
            self.pages.append(Page(save_as, path, template, localcontext, context, skip))

        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}

        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = (
                self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
            )
            paginators = {
                key: FloorPaginator(name, url, val, self.settings, per_page) for key, val in paginated.items()
            }
            made: dict[tuple[str, int], Any] = {}  # each page once: it is also its neighbours' neighbour

            def page_of(key: str, paginator: FloorPaginator, number: int) -> Any:
                if (key, number) not in made:
                    made[key, number] = paginator.page(number)
                return made[key, number]

            for page_num in range(next(iter(paginators.values())).num_pages):
                paginated_kwargs = kwargs.copy()
                for key, paginator in paginators.items():
                    previous_page = page_of(key, paginator, page_num) if page_num > 0 else None
                    page = page_of(key, paginator, page_num + 1)
                    next_page = (
                        page_of(key, paginator, page_num + 2) if page_num + 1 < paginator.num_pages else None
                    )
                    paginated_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": previous_page,
                            f"{key}_next_page": next_page,
                        }
                    )
                record(page.save_as, localcontext_for(page.save_as, paginated_kwargs))
        else:
            record(name, localcontext_for(name, kwargs))


# --- writing the recorded pages ---------------------------------------------------


@contextlib.contextmanager
def pinned_urls() -> Iterator[None]:
    """While pages render, each post's and tag's URL settings are worked out once.

    Pelican formats ``url``/``save_as`` from the metadata at every access
    (tens of thousands per build: every list shows every post's link). Once
    the generators are done nothing changes the metadata, so each value is
    kept on its object for the rest of the write phase.
    """
    content_original = Content.get_url_setting
    wrapper_properties = {name: URLWrapper.__dict__[name] for name in ("url", "save_as", "page_name")}

    def get_url_setting(self, key: str) -> str:
        pinned = self.__dict__.setdefault("_floor_pinned", {})
        if key not in pinned:
            pinned[key] = content_original(self, key)
        return pinned[key]

    def pinned_property(name: str, original: property) -> property:
        def get(self):
            pinned = self.__dict__.setdefault("_floor_pinned", {})
            if name not in pinned:
                pinned[name] = original.fget(self)
            return pinned[name]

        return property(get)

    Content.get_url_setting = get_url_setting
    for name, original in wrapper_properties.items():
        setattr(URLWrapper, name, pinned_property(name, original))
    try:
        yield
    finally:
        Content.get_url_setting = content_original
        for name, original in wrapper_properties.items():
            setattr(URLWrapper, name, original)


Written = dict[str, list]  # absolute path -> build_manifest.written_stamp of what was written there


def _write_jobs(
    jobs: Iterable[Page | Feed], detector: guard.Detector | None, written: Written | None = None
) -> None:
    """Render and write; ``detector`` scans each file's bytes (and remembers the clean ones);
    ``written`` gets each file's stamp with the digest of its bytes, taken from those bytes."""
    for job in jobs:
        if job.skip or job.keep:
            continue
        data = encode(job.render())
        write_bytes_if_changed(job.path, data)
        logger.info('Writing "%s"', job.path)
        if detector is not None:
            detector.find_in_bytes(data)  # a leak is reported, naming the file, at `finalized`
        if written is not None:
            stamp = build_manifest.written_stamp(job.path, data)
            if stamp is not None:
                written[job.path] = stamp


def _write_taken(
    jobs: Sequence[Page | Feed],
    tickets: forked.Tickets,
    detector: guard.Detector | None,
    written: Written | None,
) -> None:
    """Render and write the jobs whose tickets this process takes, until none is left."""
    while picked := tickets.take():
        _write_jobs([jobs[i] for i in picked], detector, written)


def _write_share(
    alone: Sequence[Page | Feed],
    jobs: Sequence[Page | Feed],
    tickets: forked.Tickets,
    detector: guard.Detector | None,
    stamped: bool,
) -> tuple[set[bytes], Written | None] | OSError:
    """Runs in a forked process: write ``alone``, then the ``jobs`` whose tickets it takes; the
    digests of what it found clean, and the stamps of what it wrote (``stamped``).

    A write the disk had no room for comes back as its OSError, to be raised in the build's
    process: a worker's failure is otherwise only its traceback's text, and the build would
    print that instead of saying the disk is full."""
    known = set(detector.clean) if detector is not None else set()
    written: Written | None = {} if stamped else None
    try:
        _write_jobs(alone, detector, written)
        _write_taken(jobs, tickets, detector, written)
    except OSError as exc:
        if not staging.no_room(exc):
            raise
        return OSError(exc.errno, exc.strerror, exc.filename)
    return (detector.clean - known if detector is not None else set()), written


def write_pages(
    jobs: list[Page | Feed],
    processes: int = 1,
    detector: guard.Detector | None = None,
    *,
    stamped: bool = False,
) -> Written:
    """Render and write every page (and deferred feed), in up to ``processes`` forked processes.

    Jobs are dealt round-robin, so each process gets a like mix of article,
    tag and index pages. Each process also scans what it writes for contacts
    (``detector``), so the guard at ``finalized`` only hashes those files.
    ``content_written`` is then sent for every page, in Pelican's order, from
    this process, where plugins can hear it.

    ``stamped``: each process also takes the stamp of each file it wrote, with the digest of
    the bytes it had in hand (build_manifest.written_stamp), and they are returned by path: the
    build's record then reads none of them again.
    """
    with pinned_urls():
        clean, written = _write_in(jobs, processes, detector, stamped)
    if detector is not None:
        detector.clean |= clean  # what the other processes found clean
    for job in jobs:
        if isinstance(job, Page):
            signals.content_written.send(job.path, context=job.localcontext)
    return written


def _write_in(
    jobs: list[Page | Feed], processes: int, detector: guard.Detector | None, stamped: bool
) -> tuple[set[bytes], Written]:
    todo = [job for job in jobs if not (job.skip or job.keep)]
    processes = max(1, min(processes, len(jobs) // MIN_PAGES_PER_PROCESS))
    if len(todo) < MIN_RENDERED_TO_FORK:
        processes = 1
    written: Written = {}
    mine = written if stamped else None  # (what this process writes is stamped into it)
    if processes == 1 or not forked.can_fork():
        _write_jobs(todo, detector, mine)
        return set(), written
    ahead, rest, alone = _one_of_each_template(todo)
    # Jinja compiles a template (and what it includes) when first rendered: rendered here before
    # the fork, each kind of page leaves base.html, the macros … compiled for every process
    _write_jobs(ahead, detector, mine)
    # the rest is taken a few pages at a time by whichever process is free (forked.Tickets), so
    # the processes end together though a worker renders the pages alone of their template
    # first (the stats page's chart is about a third of a weekly build's rendering); the feeds
    # are taken first, being the longest to render, so the last pages taken are short ones
    rest.sort(key=lambda job: not isinstance(job, Feed))
    tickets = forked.Tickets(len(rest), WRITE_STEP)
    workers = processes - 1
    children: list[forked.Child] = []
    failures: list[str] = []
    no_room: OSError | None = None  # a worker's write the disk had no room for
    clean: set[bytes] = set()
    try:
        for n in range(workers):
            share = alone[n::workers]
            children.append(
                forked.spawn(lambda share=share: _write_share(share, rest, tickets, detector, stamped))
            )
        _write_taken(rest, tickets, detector, mine)
    finally:
        for child in children:
            ok, value = child.result()
            if ok and isinstance(value, OSError):
                no_room = value
            elif ok:
                clean |= value[0]
                written.update(value[1] or {})
            else:
                failures.append(str(value))
    if no_room is not None:  # said by the build as the disk being full (staging.out_of_room)
        raise no_room
    if failures:
        raise RuntimeError("rendering failed in a worker process:\n" + failures[0])
    for job in jobs:  # the shared context ends as a sequential run leaves it
        if isinstance(job, Page) and job.localcontext["localsiteurl"] and not job.skip:
            job.context["localsiteurl"] = job.localcontext["localsiteurl"]
    return clean, written


def _one_of_each_template(
    todo: Sequence[Page | Feed],
) -> tuple[list[Page | Feed], list[Page | Feed], list[Page | Feed]]:
    """``todo`` split into the first page of each template that renders more than one of them,
    the rest, and the pages whose template renders no other: those are left to a writing
    process, where their template is compiled once all the same, so that what only they load
    never reaches the build's own process (the stats page's chart loads pygal and lxml: about
    6 MiB of its peak)."""
    uses = collections.Counter(id(job.template) for job in todo if getattr(job, "template", None) is not None)
    ahead: list[Page | Feed] = []
    rest: list[Page | Feed] = []
    alone: list[Page | Feed] = []
    seen: set[int] = set()
    for job in todo:
        template = getattr(job, "template", None)
        if template is None:
            rest.append(job)
        elif uses[id(template)] == 1:
            alone.append(job)
        elif id(template) not in seen:
            seen.add(id(template))
            ahead.append(job)
        else:
            rest.append(job)
    return ahead, rest, alone


# --- writing into a staging folder of hard links ------------------------------------


def _known_writer(module: str) -> bool:
    """The kit's own modules and Pelican's core replace the files they write, never write into them."""
    if module.startswith(("from_the_floor.", "pelican.plugins.from_the_floor")):
        return True
    return module.startswith("pelican.") and not module.startswith("pelican.plugins.")


def foreign_receivers() -> list[str]:
    """The modules of signal receivers from other plugins: any may write into an output file in place."""
    found: set[str] = set()
    for name in dir(signals):
        for receiver in list(getattr(getattr(signals, name), "receivers", {}).values()):
            target = receiver() if isinstance(receiver, weakref.ref) else receiver
            if target is None:
                continue
            module = getattr(target, "__module__", None) or type(target).__module__ or ""
            if not _known_writer(module):
                found.add(module)
    return sorted(found)


def links_are_safe() -> bool:
    """True when the staging folder may hold hard links to output/'s files: no other plugin listens."""
    return not foreign_receivers()


@contextlib.contextmanager
def replacing_static_copies(stamps: dict[str, build_manifest.Stamp] | None = None) -> Iterator[None]:
    """While Pelican copies static files, a destination is unlinked first: ``shutil.copyfile``
    writes into an existing file, which in a staging folder of hard links is output/'s too.

    ``stamps``: when given (no other plugin listens, and Pelican's copy is its own), each copy
    is stamped with the digest of the bytes it wrote, by its absolute path
    (build_manifest.copy_stamped), as the rendering processes stamp the pages: the record at
    the end of the build then reads none of the copies again. Pelican copies the theme's static
    files (and, by default, every static file) anew every build; a destination that already
    holds the source's bytes (the last build's, in the staging folder) is kept instead, so a
    build that changed nothing there leaves the file and its time alone (a host that syncs by
    time is not sent the same files every week). A destination still there (it could not be
    unlinked) is left to Pelican's own copy."""
    import pelican.utils as utils_mod

    original = utils_mod.copy_file
    own = stamps is not None and getattr(original, "__module__", None) == "pelican.utils"

    def copy_file(source: str, destination: str) -> None:
        if own and (kept := build_manifest.same_copy_stamped(source, destination)) is not None:
            stamps[destination] = kept  # the last build's copy, the same bytes: it keeps its time
            return
        if not os.path.islink(destination):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
                os.unlink(destination)
        if own and not os.path.lexists(destination):
            _copy_stamped(source, destination, stamps, utils_mod.logger)
        else:
            original(source, destination)

    utils_mod.copy_file = copy_file
    try:
        yield
    finally:
        utils_mod.copy_file = original


def _copy_stamped(source: str, destination: str, stamps: dict[str, build_manifest.Stamp], log) -> None:
    """Pelican's copy_file (the same bytes, the same warning when it fails), with the bytes it
    wrote stamped (build_manifest.copy_stamped)."""
    stamps.pop(destination, None)
    try:
        stamp = build_manifest.copy_stamped(source, destination)
    except OSError as e:
        log.warning("A problem occurred copying file %s to %s; %s", source, destination, e)
        return
    if stamp is not None:
        stamps[destination] = stamp


# --- reading in parallel -----------------------------------------------------------

_prefetch_processes = 1  # set by run() for the duration of a build
_listing_handed_over = False  # set by run() while Pelican's own helpers may be stood in for


def _read(todo: Sequence[tuple[str, Any]], tickets: forked.Tickets) -> list[tuple[str, Any]]:
    """Read the posts whose tickets this process takes, until none is left."""
    out = []
    while picked := tickets.take():
        for i in picked:
            path, reader = todo[i]
            try:
                content, metadata = reader.read(path)
            except Exception:  # Pelican reads it again in order, and reports it as it always does
                continue
            out.append((path, (content, _filter_discardable_metadata(metadata))))
    return out


def prefetch_articles(generator) -> None:
    """article_generator_init: read the uncached posts in several processes first (:func:`_prefetch`);
    then say the reading is done (``build_state.reading_done``: the contact guard's worker
    starts on the core Pelican's work after it leaves free)."""
    try:
        _prefetch(generator)
    finally:
        build_state.reading_done.send(generator)


def _prefetch(generator) -> None:
    """Read the uncached posts in several processes.

    Reading (YAML + Markdown) is most of a cold build, and Pelican reads one
    file after another. Here the files the reader cache lacks are read by
    ``_prefetch_processes`` forked processes, with the very reader Pelican
    would use, and the results go into that cache, stamped as Pelican stamps
    them; Pelican then finds every file cached. Only reader-level caching
    (Pelican's default) is used this way; anything else reads as usual.
    """
    from .plugin import FloorMarkdownReader, memo_path

    processes = _prefetch_processes
    readers = getattr(generator, "readers", None)
    settings = generator.settings
    if processes < 2 or readers is None or not forked.can_fork():
        return
    if settings.get("CONTENT_CACHING_LAYER") != "reader":
        return
    stamps: dict[str, Any] = {}
    stamp_of = readers._get_file_stamp

    def memo_stamp(filename: str) -> Any:  # each file is hashed once per build, not twice
        if filename not in stamps:
            stamps[filename] = stamp_of(filename)
        return stamps[filename]

    readers._get_file_stamp = memo_stamp
    todo: list[tuple[str, Any]] = []
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    if _listing_handed_over:
        _hand_over_listing(generator, settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"], files)
    for rel in sorted(files):
        reader = readers.readers.get(rel.rsplit(".", 1)[-1])
        if isinstance(reader, FloorMarkdownReader):
            path = os.path.abspath(os.path.join(generator.path, rel))
            if readers.get_cached_data(path, None) is None:
                todo.append((path, reader))
    processes = min(processes, len(todo) // MIN_PAGES_PER_PROCESS)
    if processes < 2:
        return
    # each process takes the next few posts until none is left, so they end together whatever
    # else runs beside them (the contact guard's worker reads the sources meanwhile); the kept
    # results a worker made go to a file of its own beside the memo file, which this process
    # copies in when it saves it: they never cross the pipe nor sit in this process
    tickets = forked.Tickets(len(todo), READ_STEP)
    spill = memo_path(settings)
    children = [
        forked.spawn(lambda: (_read(todo, tickets), memo.additions(spill))) for _ in range(processes - 1)
    ]
    results = _read(todo, tickets)
    for child in children:
        ok, value = child.result()
        if ok:
            share_results, converted = value
            results += share_results
            memo.merge(converted)  # each question's texts, for its post's JSON-LD (web/jsonld.py)
        # else: the posts it took are read by Pelican itself, in order
    for path, data in results:
        readers._cache[path] = (memo_stamp(path), data)


def _hand_over_listing(generator, paths: Any, exclude: Any, files: set[str]) -> None:
    """Pelican's ``generate_context`` lists the articles' folders again, with the same arguments,
    right after the prefetch listed them (about 5 ms at 1,000 posts, 45 ms at 10,000): its next
    such call is handed a copy of this listing instead, once. Only while Pelican's own
    ``get_files`` and ``_include_path`` do the listing (pelican_memos.pelicans) and, as for the
    other stand-ins, no other plugin listens to Pelican's signals (run() decides that)."""
    kind = type(generator)
    if not all(pelican_memos.pelicans(getattr(kind, name, None)) for name in ("get_files", "_include_path")):
        return
    listed = (list(paths or ()), list(exclude or ()))  # as they were when listed

    def get_files(paths, exclude=None, extensions=None):  # Pelican's signature
        del generator.get_files  # once: any later call lists the folders itself
        if extensions is None and (list(paths or ()), list(exclude or ())) == listed:
            return set(files)
        return kind.get_files(generator, paths, exclude, extensions)

    generator.get_files = get_files


# --- the run ---------------------------------------------------------------------


def can_split(instance: Pelican) -> bool:
    """True when this module can stand in for ``instance.run()`` byte for byte."""
    if not pelican.__version__.startswith("4."):
        return False
    if type(instance).run is not Pelican.run:  # a custom PELICAN_CLASS
        return False
    return not any(isinstance(w, type) for _, w in signals.get_writer.send(instance))


def _others_hear(signal: Signal) -> bool:
    """True when a receiver other than the kit's own listens to ``signal``: the kit's (the
    feeds' language, reader_site) runs wherever the feed is made, deferred or not."""
    from . import reader_site

    own = id(reader_site.state_feed_language)  # blinker's key for a plain function
    return any(key != own for key in signal.receivers)


def generate(instance: Pelican, writer: Writer, *, clean: bool = True) -> list:
    """``Pelican.run`` up to and including the generators' output phase.

    ``clean=False``: an incremental build does not empty the output folder
    (DELETE_OUTPUT_DIRECTORY); it removes what is no longer made instead.
    """
    context = instance.settings.copy()
    context["generated_content"] = {}
    context["static_links"] = set()
    context["static_content"] = {}
    context["localsiteurl"] = instance.settings["SITEURL"]
    generators = [
        cls(
            context=context,
            settings=instance.settings,
            path=instance.path,
            theme=instance.theme,
            output_path=instance.output_path,
        )
        for cls in instance._get_generator_classes()
    ]
    if (
        clean
        and instance.delete_outputdir
        and os.path.commonpath([os.path.realpath(instance.output_path)])
        != os.path.commonpath([os.path.realpath(instance.output_path), os.path.realpath(instance.path)])
    ):
        clean_output_dir(instance.output_path, instance.output_retention)
    for p in generators:
        if hasattr(p, "generate_context"):
            p.generate_context()
        if hasattr(p, "check_disabled_readers"):
            p.check_disabled_readers()
    signals.all_generators_finalized.send(generators)
    for p in generators:
        if hasattr(p, "refresh_metadata_intersite_links"):
            p.refresh_metadata_intersite_links()
    for p in generators:
        if hasattr(p, "generate_output"):
            p.generate_output(writer)
    return generators


def run(instance: Pelican, processes: int = 1, plan=None, heap: SiteHeap | None = None) -> None:
    """Build like ``instance.run()``, reading and rendering in ``processes`` processes.

    ``plan`` (incremental.Plan) keeps the pages unchanged since the last
    build and removes the outputs no longer made, before ``finalized``.
    ``heap`` (core/heap.py) is told when the site is made and its pages signed, before the
    writing processes fork.
    """
    global _prefetch_processes, _listing_handed_over
    if not can_split(instance):
        if heap is not None:  # Pelican makes and writes the site in one go: collected as it always was
            heap.made()
        instance.run()
        return
    start = time.time()
    # Feeds are made in the writing processes too, unless a plugin listens to them being made.
    feeds_heard = _others_hear(signals.feed_generated) or _others_hear(signals.feed_written)
    writer = DeferredWriter(instance.output_path, settings=instance.settings, defer_feeds=not feeds_heard)
    signals.article_generator_init.connect(prefetch_articles)
    _prefetch_processes = processes
    # (what the kit writes is stamped for the record when nothing else writes into output/)
    stamped = plan is not None and links_are_safe()
    copied: dict[str, build_manifest.Stamp] | None = {} if stamped else None
    phases.mark("Pelican's generators (reading the posts)")
    with contextlib.ExitStack() as answered_once:
        # Pelican's per-post helpers answer from memos only when no other plugin could tell, and
        # then until the pages are written (a post's URL and content are asked for again there)
        direct = answered_once.enter_context(_shortcuts())
        _listing_handed_over = direct  # (the articles' folders listed once, _hand_over_listing)
        try:
            with replacing_static_copies(copied), url_memo.remembered_urls(direct=direct):
                generators = generate(instance, writer, clean=plan is None or not plan.trusted)
        finally:
            _prefetch_processes = 1
            _listing_handed_over = False
        if direct:
            answered_once.enter_context(url_memo.remembered_urls(direct=True))
        jobs = [*writer.pages, *writer.feeds]
        # the sources passed the guard and only the kit transforms them: no page needs a second look
        detector = None if build_state.sources_checked(instance.settings) else _detector(instance.settings)
        if not instance.settings.get("FLOOR_LIVE_PREVIEW"):  # (the preview keeps its store between saves)
            question_mod.forget_parses()  # every generator has read what it needs of the questions
        # every post is read and decorated: what the generators let go of (the posts as read, the
        # parses, the questions' texts) goes back to the system before the pages are signed
        heap_mod.give_back()
        phases.mark("signing the pages")
        if plan is not None:
            with pinned_urls():
                plan.before_writing(instance, jobs, writer.direct_feeds, generators, detector)
        if heap is not None:
            heap.made()  # the site and its pages' signatures, before the writing processes fork
        phases.mark("rendering the pages")
        written = write_pages(jobs, processes, detector, stamped=stamped)
    if plan is not None:
        plan.take_written({**(copied or {}), **written}, instance.output_path)
        plan.remove_stale(Path(instance.output_path))
    heap_mod.give_back()  # (this process's share of the pages, rendered and let go)
    phases.mark("finalized (the guard's last look, the search index)")
    with _taking_written(plan if stamped else None, instance):
        signals.finalized.send(instance)
    _report(generators, time.time() - start)


@contextlib.contextmanager
def _taking_written(plan, instance: Pelican) -> Iterator[None]:
    """While Pelican's last signal runs, the stamps a part of the kit sends of the files it wrote
    (build_state.output_written: the search bundles) go to ``plan`` for the record at the end;
    without a plan to take them (or with another plugin listening) they are not taken."""
    if plan is None:
        yield
        return

    def take(settings, stamps=None, **_kwargs) -> None:
        if settings is instance.settings and stamps:
            plan.take_written(stamps, instance.output_path)

    build_state.output_written.connect(take, weak=False)
    try:
        yield
    finally:
        build_state.output_written.disconnect(take)


@contextlib.contextmanager
def answered_once() -> Iterator[None]:
    """Around :func:`generate` outside :func:`run` (the live preview's regenerations): Pelican's
    per-post helpers and each post's URL answered once, as a build's generators have them, so
    a regeneration does not pay for what a build no longer does (on the same conditions)."""
    with _shortcuts() as direct, url_memo.remembered_urls(direct=direct):
        yield


@contextlib.contextmanager
def _shortcuts() -> Iterator[bool]:
    """Pelican's pure per-post helpers answered once (pelican_memos) and its translations found
    a group at a time (translations) while the generators run and the pages are written, when
    no other plugin listens to Pelican's signals; yields whether they are in place."""
    if foreign_receivers() or not pelican_memos.available() or not translations.available():
        yield False
        return
    with pelican_memos.installed(), translations.grouped():
        yield True


def _detector(settings: dict) -> guard.Detector | None:
    """The contact guard's detector, made before the writing processes fork (they share it)."""
    from .plugin import contact_detector

    try:
        return contact_detector(settings)
    except OSError:
        return None  # the guard at `finalized` reads everything itself


def _report(generators: list, seconds: float) -> None:
    """Pelican's closing line, word for word."""
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages = next(g for g in generators if isinstance(g, PagesGenerator))
    counts = [
        maybe_pluralize(len(articles.articles) + len(articles.translations), "article", "articles"),
        maybe_pluralize(len(articles.drafts) + len(articles.drafts_translations), "draft", "drafts"),
        maybe_pluralize(
            len(articles.hidden_articles) + len(articles.hidden_translations),
            "hidden article",
            "hidden articles",
        ),
        maybe_pluralize(len(pages.pages) + len(pages.translations), "page", "pages"),
        maybe_pluralize(
            len(pages.hidden_pages) + len(pages.hidden_translations), "hidden page", "hidden pages"
        ),
    ]
    drafts = maybe_pluralize(
        len(pages.draft_pages) + len(pages.draft_translations), "draft page", "draft pages"
    )
    pelican.console.print(f"Done: Processed {', '.join(counts)} and {drafts} in {seconds:.2f} seconds.")
