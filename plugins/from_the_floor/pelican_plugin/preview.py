"""`floor serve --live`: a preview that is fresh the moment a file is saved.

Pelican has no incremental build, and a full rebuild renders every page. The
preview keeps one Pelican instance in memory and, on each page request:

1. stats the source folders (content, theme, questions, settings; a few ms);
2. if anything changed, runs Pelican's generators again (``engine.generate``)
   with an in-memory reader cache, so only changed files are read and
   converted, and a :class:`~engine.DeferredWriter` that records the pages
   instead of rendering them;
3. renders just the requested page from that context, once per change.

Every page is the output of the same template with the same context as in a
full build, so a response equals the file a clean ``floor build`` writes
(tests/pelican_plugin/test_fast_paths.py). The contact guard checks each response before it
is sent. This module is a Pelican adapter; the core never imports it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import html
import logging
import mimetypes
import os
import posixpath
import threading
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import BytecodeCache
from pelican import Pelican, signals
from pelican.contents import Article, Content
from pelican.generators import ArticlesGenerator
from pelican.settings import read_settings

from ..core import guard, parse_cache
from ..core import question as question_mod
from ..core.site import Site
from ..errors import FloorError
from ..services import local_server
from . import build_state, engine, namespace_plugins
from .plugin import contact_detector, posts_dir
from .reader_site import ReaderSiteGenerator

LIVE_CACHES = "FLOOR_LIVE_READER_CACHES"  # settings key: the readers whose in-memory caches go on
LIVE_POSTS = "FLOOR_LIVE_KEPT_POSTS"  # settings key: the unchanged posts handed to the next generation


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept across regenerations (Jinja checks each source's checksum)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


def _no_save() -> None:
    """The live reader cache stays in memory; the build's .cache is left alone."""


def _use_live_cache(generator) -> None:
    """generator_init: share one in-memory reader cache across regenerations, and (when no other
    plugin listens to Pelican's signals) each source's stamp for it, kept by the file's stat.

    The cache handed on is the one the last generation's readers ended with, not the one they
    began with: on the first generation the kit moves a cache saved under another folder to
    this one after this signal (reader_cache.rebase, at article_generator_init), and the dict
    it began with, keyed under the old folder, made the first change read every post again.
    """
    caches = generator.settings.get(LIVE_CACHES)
    readers = getattr(generator, "readers", None)
    if caches is None or readers is None or not readers._cache_data_policy:
        return
    key = readers._cache_path
    last = caches.get(key)
    if last is not None:
        readers._cache = last._cache
    caches[key] = readers  # (first generation: it starts from what was loaded from .cache)
    readers.save_cache = _no_save
    if not engine.foreign_receivers():
        readers._get_file_stamp = _stamps_kept_by_stat(
            readers._get_file_stamp, caches.setdefault((_STAMPS, key), {})
        )
        kept = generator.settings.get(LIVE_POSTS)
        if kept is not None and type(generator) is ArticlesGenerator:
            kept.attach(generator)


_STAMPS = "file stamps"  # beside each reader cache in LIVE_CACHES: path -> (its stat, Pelican's stamp)


def _stamps_kept_by_stat(stamp_of: Callable[[str], Any], kept: dict) -> Callable[[str], Any]:
    """Pelican's stamp of a source (CHECK_MODIFIED_METHOD: with the kit's "md5", a hash of the
    whole file), worked out again only when the file's stat changed.

    Pelican's reader cache checks every post's stamp at every regeneration, so
    each regeneration read and hashed every source file (1,000 at 1,000 posts)
    to find the one that changed. A stamp is kept with the file's size, times,
    inode and device and used again while they are the same; a file changed
    too recently to be told apart by its stat (parse_cache.is_racy, as for the
    kept parses) is hashed every time until it is older.
    """

    def stamp(filename: str) -> Any:
        try:
            seen = parse_cache.stamp_of(os.stat(filename))
        except (OSError, TypeError, ValueError):
            return stamp_of(filename)  # Pelican's own answer for what it cannot read
        hit = kept.get(filename)
        if hit is not None and hit[0] == seen:
            return hit[1]
        value = stamp_of(filename)
        if parse_cache.is_racy(seen):
            kept.pop(filename, None)
        else:  # (the stat was taken before the hash: a file changed meanwhile has another stat)
            kept[filename] = (seen, value)
        return value

    return stamp


class KeptPosts:
    """Each unchanged post's ``Article`` handed from one generation to the next: the in-place
    update of the preview's site for an edit that is not an answer's (a tag, a title, a post
    added or removed).

    A regeneration runs Pelican's generators over every post; for a post whose
    file did not change, Pelican's reader cache answers, and a new ``Article`` is
    made from the same text and metadata with the same settings. Here the last
    generation's ``Article`` is handed back instead, through Pelican's own hook
    for a kept post (the articles generator's ``get_cached_data``), given the new
    generation's context; everything derived from the whole list (order, tags,
    categories, dates, neighbours, translations, the reader site's decoration,
    pages, feeds) is made again as before, and Pelican's memoised renderings of
    it were dropped with the generation it came from (_forget_renderings).

    A post is kept only when nothing but its own file and the settings made it:
    a single-question post in the posts folder, published, with no translations,
    whose file's stat (the preview's signature of it) was out of the racy window
    when it was read and is the same now; and whose formatted fields (its
    summary) had no intrasite link when it was read, since Pelican writes those
    links' URLs into the post's metadata once (refresh_metadata_intersite_links),
    and another post's URL can change. The preview's instance is made again for a
    settings change, and this store with it; nothing is kept when another plugin
    listens to Pelican's signals (their receivers would not hear a kept post read).
    """

    def __init__(self) -> None:
        self.posts: dict[str, tuple[tuple, Article]] = {}  # source path -> (its signature, the post)
        self.seen: dict[str, tuple] = {}  # this generation's signature: path -> (mtime, ctime, size)
        self.read: dict[int, tuple[Article, bool]] = {}  # posts read this generation, linkless or not
        self.reused = 0  # posts handed on, in all (tests/pelican_plugin/test_preview_in_place.py)
        self.started_ns = 0

    def begin(self, signature: tuple) -> None:
        """A generation starts from ``signature`` (LivePreview._signature, taken just before)."""
        self.seen = {os.path.abspath(path): tuple(rest) for path, *rest in signature}
        self.read = {}
        self.started_ns = time.time_ns()

    def attach(self, generator: ArticlesGenerator) -> None:
        """generator_init (no other plugin listening): the kept posts answer the generator's
        lookup of its cache; each post it reads is looked at for intrasite links first."""
        own_lookup = generator.get_cached_data
        readers = generator.readers
        read_file = readers.read_file

        def get_cached_data(filename: str, default: Any = None) -> Any:
            path = os.path.abspath(os.path.join(generator.path, filename))
            hit = self.posts.get(path)
            if hit is not None and hit[0] == self.seen.get(path):
                article = hit[1]
                article._context = generator.context
                self.reused += 1
                return article
            return own_lookup(filename, default)

        def read(*args: Any, **kwargs: Any) -> Any:
            content = read_file(*args, **kwargs)
            if isinstance(content, Article):
                self.read[id(content)] = (content, not _links_in_formatted_fields(content))
            return content

        generator.get_cached_data = get_cached_data
        readers.read_file = read

    def keep(self, generator: ArticlesGenerator, posts: str) -> None:
        """After a generation that built: the posts the next one may take as they are."""
        kept: dict[str, tuple[tuple, Article]] = {}
        for article in generator.articles:
            if article.status != "published" or article.translations or not _single_post(article, posts):
                continue
            path = os.path.abspath(article.source_path)
            seen = self.seen.get(path)
            if seen is None or self.started_ns - max(seen[0], seen[1]) < parse_cache.RACY_NS:
                continue  # (saved too recently for its stat to tell a later save apart)
            old = self.posts.get(path)
            fresh = self.read.get(id(article))
            if (old is not None and old[1] is article and old[0] == seen) or (
                fresh is not None and fresh[0] is article and fresh[1]
            ):
                kept[path] = (seen, article)
        self.posts = kept
        self.read = {}

    def forget(self) -> None:
        self.posts = {}
        self.read = {}


def _links_in_formatted_fields(article: Article) -> bool:
    """True if a field Pelican formats once into the post's metadata (FORMATTED_FIELDS: the
    summary) has an intrasite link, whose URL is another post's and may change."""
    regex = article._get_intrasite_link_regex()
    values = [article.metadata.get(key) for key in article.settings.get("FORMATTED_FIELDS", [])]
    values.append(getattr(article, "_summary", None))
    return any(isinstance(value, str) and regex.search(value) for value in values)


class _ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _in_dir(path: Path) -> Iterator[None]:
    """Pelican settings files (publishconf.py) import relative to the site folder."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def read_article(articles: Any, path: str) -> Any:
    """One post file read as Pelican's articles generator reads it: its reader, then its signals
    (what the plugin and the reader site hook), so the Article is the one a build would make."""
    return articles.readers.read_file(
        base_path=articles.path,
        path=os.path.relpath(path, articles.path),
        content_class=Article,
        context=articles.context,
        preread_signal=signals.article_generator_preread,
        preread_sender=articles,
        context_signal=signals.article_generator_context,
        context_sender=articles,
    )


class LivePreview:
    """The site's pages, rendered on demand from an always-current context."""

    def __init__(self, site: Site, *, settings_file: str | None = None, today: str | None = None) -> None:
        self.today = today  # the `floor` command's --today, handed to every generation
        self.site = site
        self.conf = site.root / (settings_file or site.conf_name)
        if not self.conf.exists():
            raise FloorError("settings file not found", path=self.conf)
        self.lock = threading.RLock()
        self._instance: Pelican | None = None
        self._stamp: Any = None
        self._pages: dict[str, engine.Page] = {}
        self._feeds: dict[str, engine.Feed] = {}
        self._rendered: dict[str, bytes] = {}
        self._errors: list[str] = []
        self._static: set[str] = set()
        self._direct: set[str] = set()
        self._whole_build = False
        self._parses: dict = {}  # question parses kept between regenerations (question.py)
        self._patched: dict[str, tuple] = {}  # path → (stamp, parse) of posts patched since
        self._generators: list = []
        self._kept = KeptPosts()
        self._detector: guard.Detector | None = None
        self.generations = 0  # context refreshes, one per change
        self.patches = 0  # of which answer-only edits patched in place (_patch_answers)

    # -- watching ---------------------------------------------------------------
    def _watched(self) -> list[Path]:
        settings = self._instance.settings if self._instance else {}
        roots = [self.site.content_dir, self.site.questions_dir]
        if settings.get("THEME"):
            roots.append(Path(settings["THEME"]))
        roots += [Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", [])]
        return roots

    def _signature(self) -> tuple:
        """(path, mtime_ns, ctime_ns, size) of every watched file: a change anywhere shows here
        (the ctime too: an edit that keeps the size and puts the mtime back still moves it)."""
        entries: list[tuple[str, int, int, int]] = []
        for conf in {self.conf, self.site.conf_path}:
            with contextlib.suppress(OSError):
                st = conf.stat()
                entries.append((str(conf), st.st_mtime_ns, st.st_ctime_ns, st.st_size))
        stack = [str(p) for p in self._watched()]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as it:
                    for entry in it:
                        if entry.is_dir(follow_symlinks=True):
                            stack.append(entry.path)
                        else:
                            with contextlib.suppress(OSError):
                                st = entry.stat()
                                entries.append((entry.path, st.st_mtime_ns, st.st_ctime_ns, st.st_size))
            except OSError:
                continue
        entries.sort()
        return tuple(entries)

    # -- generating -------------------------------------------------------------
    def _new_instance(self) -> Pelican:
        with _in_dir(self.site.root):
            settings = read_settings(str(self.conf))
        settings["DELETE_OUTPUT_DIRECTORY"] = False  # never wipe output/ under a running preview
        if self.today:
            settings[build_state.TODAY] = self.today
        if settings.get("CONTENT_CACHING_LAYER") != "reader":
            settings["CONTENT_CACHING_LAYER"] = "reader"
        settings["CACHE_CONTENT"] = True
        settings[LIVE_CACHES] = {}
        self._kept = settings[LIVE_POSTS] = KeptPosts()  # a new instance keeps no post of the last
        settings["FLOOR_LIVE_PREVIEW"] = True  # reader_site: no search index is started per change
        jinja = dict(settings.get("JINJA_ENVIRONMENT") or {})
        jinja.setdefault("bytecode_cache", _MemoryBytecodeCache())
        settings["JINJA_ENVIRONMENT"] = jinja
        signals.generator_init.connect(_use_live_cache)
        with _in_dir(self.site.root), namespace_plugins.imported_when_used():
            return Pelican(settings)

    def refresh(self) -> bool:
        """Regenerate if any watched file changed; True when it did."""
        with self.lock:
            stamp = self._signature()
            if stamp == self._stamp and self._instance is not None:
                return False
            conf_stamp = [e for e in stamp if e[0] in (str(self.conf), str(self.site.conf_path))]
            if self._instance is None or conf_stamp != getattr(self, "_conf_stamp", None):
                self._instance = self._new_instance()
                self._conf_stamp = conf_stamp
                stamp = self._signature()  # the theme folder may differ now
            elif self._patch_answers(self._stamp, stamp):
                self._stamp = stamp
                self.generations += 1
                self.patches += 1
                return True
            self._generate(stamp)
            self._stamp = stamp
            return True

    def _patch_answers(self, old_stamp: tuple | None, new_stamp: tuple) -> bool:
        """The author's usual edit, an answer rewritten, without regenerating the site.

        When every changed file is a single-question post whose question file
        differs from the last parse only in ``quick_answer``, the answer body or
        ``details``, no other page's shape can change: the post is read again
        by Pelican's reader and its content and summary replace the old ones on
        the same Article (which every recorded page and feed refers to), with
        Pelican's memoised renderings of it dropped; the reader-site plugin
        redoes the post's JSON-LD and description, and the JSON Feed's text is
        made again. Anything else (a title, tags, a date, a new or deleted
        file, a multi-question post) regenerates everything. Returns False when
        it did nothing.
        """
        if self._errors or self._whole_build or old_stamp is None or not self._generators:
            return False
        before = {path: rest for path, *rest in old_stamp}
        after = {path: rest for path, *rest in new_stamp}
        if before.keys() != after.keys():
            return False
        changed = [path for path, rest in after.items() if before[path] != rest]
        articles = next((g for g in self._generators if isinstance(g, ArticlesGenerator)), None)
        reader_site = next((g for g in self._generators if isinstance(g, ReaderSiteGenerator)), None)
        if not changed or articles is None:
            return False
        posts = posts_dir(self._instance.settings)
        by_source = {os.path.abspath(a.source_path): a for a in articles.articles}
        edits = []
        with _in_dir(self.site.root), question_mod.reusing_parses(self._parses):
            for path in changed:
                article = by_source.get(os.path.abspath(path))
                if article is None or not _single_post(article, posts):
                    return False
                old = self._last_parse(path, before[path], article, reader_site)
                if old is None:
                    return False
                try:
                    new = question_mod.load(Path(path), published=True)
                    fresh = read_article(articles, path)
                except Exception:  # the full regeneration reports it
                    return False
                same_but_answers = dataclasses.replace(
                    new, body=old.body, quick_answer=old.quick_answer, details=old.details
                )
                if same_but_answers != old or fresh.metadata.keys() != article.metadata.keys():
                    return False
                edits.append((article, new, fresh))
                # a file saved this moment is not kept by the parse store (racy), yet the
                # next edit of the same answer is compared with this parse
                self._patched[os.path.abspath(path)] = (tuple(after[path]), new)
        for article, question, fresh in edits:
            article._content = fresh._content
            if "summary" in fresh.metadata:
                article.metadata["summary"] = fresh.metadata["summary"]
                article._summary = fresh.metadata["summary"]
            article.refresh_metadata_intersite_links()
            for memoised in (Content.get_content, Content.get_summary):
                for key in [k for k in memoised.cache if k and k[0] is article]:
                    del memoised.cache[key]
            if reader_site is not None:
                reader_site.answers_edited(article, question)
        if reader_site is not None and reader_site.reader.json_feed in self._pages:
            json_feed = self._pages[reader_site.reader.json_feed]
            json_feed.localcontext["floor_text"] = reader_site.json_feed_text()
        self._rendered = {}
        return True

    def _last_parse(self, path: str, seen: list, article, reader_site) -> question_mod.Question | None:
        """The question file as the current context was made from it, if known.

        ``seen`` is the file's (mtime, ctime, size) when the context was made (its
        entry in :meth:`_signature`); a kept parse (question.reusing_parses' store,
        whose stamp begins with the same three numbers) counts only if it is of that file.
        """
        if reader_site is not None:
            return reader_site.questions.get(getattr(article, "question_id", None))
        patched = self._patched.get(os.path.abspath(path))
        if patched is not None and patched[0] == tuple(seen):
            return patched[1]
        kept = self._parses.get((os.path.abspath(path), True))
        if kept is None or kept[0][:3] != tuple(seen):
            return None
        return kept[1]

    def _generate(self, signature: tuple) -> None:
        instance = self._instance
        assert instance is not None
        kept = self._kept
        errors = _ErrorLog()
        pelican_log = logging.getLogger("pelican")
        pelican_log.addHandler(errors)
        self._pages, self._feeds, self._rendered = {}, {}, {}
        self._patched = {}
        _forget_renderings(self._generators)
        self._generators = []
        # A retired column's pages are rewritten at `finalized` (retirement.py): build it whole.
        self._whole_build = bool(instance.settings.get("FLOOR_RETIRED"))
        started = time.time_ns() - 50_000_000  # file mtimes come from a coarser clock
        if self._whole_build:
            kept.forget()
        kept.begin(signature)
        try:
            writer = engine.DeferredWriter(instance.output_path, instance.settings, defer_feeds=True)
            with _in_dir(self.site.root), question_mod.reusing_parses(self._parses):
                if self._whole_build:
                    engine.run(instance, processes=1)
                    generators = []
                else:  # (pages render later, on request, with Pelican's own helpers)
                    with engine.answered_once():
                        generators = engine.generate(instance, writer)
        except Exception as exc:  # shown on every page until the next save fixes it
            errors.messages.append(f"{type(exc).__name__}: {exc}")
        finally:
            pelican_log.removeHandler(errors)
            instance.settings["LOAD_CONTENT_CACHE"] = False  # from now on the cache lives in memory
        self.generations += 1
        self._errors = errors.messages
        if self._errors:
            kept.forget()
            return
        self._generators = generators
        articles = next((g for g in generators if type(g) is ArticlesGenerator), None)
        if articles is None:
            kept.forget()
        else:
            kept.keep(articles, posts_dir(instance.settings))
        self._pages = {p.name: p for p in writer.pages if not p.skip}
        self._feeds = {f.name: f for f in writer.feeds if not f.skip}
        self._static = _static_names(instance.settings, generators)
        # files a generator wrote itself, not through Pelican's writer (JSON Feed, sitemap.xml …)
        self._direct = _written_since(Path(instance.output_path), started)
        if not any(isinstance(g, ReaderSiteGenerator) for g in generators):
            self._keep_post_parses(generators)
        # every contact in the sources as they are now, read inside the preview's parse store:
        # a file this generation parsed, or kept unchanged, is not read from disk again; one the
        # store cannot vouch for (saved a moment ago, racy) is (guard._parsed_values)
        with _in_dir(self.site.root), question_mod.reusing_parses(self._parses):
            self._detector = contact_detector(instance.settings)

    def _keep_post_parses(self, generators: list) -> None:
        """Parse the single-question posts the reader cache served, for :meth:`_last_parse`.

        Without the reader-site plugin nothing else parses a post that Pelican's
        cache answered for, and the answer-only fast path needs each post as the
        context was made from it. Parses are kept by stat, so a regeneration
        parses only what changed (about 0.1 s for 1,000 posts the first time).
        """
        articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
        if articles is None:
            return
        posts = posts_dir(self._instance.settings)
        with _in_dir(self.site.root), question_mod.reusing_parses(self._parses):
            for article in articles.articles:
                if _single_post(article, posts):
                    with contextlib.suppress(FloorError, OSError):
                        question_mod.load(Path(article.source_path), published=True)

    # -- answering ----------------------------------------------------------------
    @property
    def output_dir(self) -> Path:
        return Path(self._instance.output_path) if self._instance else self.site.output_dir

    def names(self) -> list[str]:
        """Every file a build would write: pages and feeds (rendered here) and static files."""
        with self.lock:
            self.refresh()
            return sorted({*self._pages, *self._feeds, *self._static, *self._direct})

    @property
    def errors(self) -> list[str]:
        return list(self._errors)

    def render(self, name: str) -> bytes | None:
        """The bytes a full build would write to output/NAME, or None if it is not a page."""
        with self.lock:
            self.refresh()
            if self._errors:
                raise FloorError("the site does not build:\n" + "\n".join(self._errors))
            data = self._rendered.get(name)
            if data is None:
                if name in self._pages:
                    text = self._pages[name].render()
                elif name in self._feeds:
                    text = self._feeds[name].render()
                else:
                    return None
                data = engine.encode(text)
                self._check(name, data)
                self._rendered[name] = data
            return data

    def _serves_from_disk(self, name: str) -> bool:
        """Static files, files generators wrote, and what the last build's `finalized` left.

        The last kind (the Pagefind bundle, _headers …) is served as the last
        `floor build` made it; an HTML page the sources no longer produce (a
        deleted post) is not served at all.
        """
        if self._whole_build or name in self._static or name in self._direct:
            return True
        return not name.endswith(".html") and name not in self._pages

    def _check(self, name: str, data: bytes) -> None:
        found = self._detector.find_in_bytes(data) if self._detector else None
        if found is not None:
            raise FloorError(
                "a reader's private contact detail would appear on this page; "
                "it is not served. Remove it from the page's source.",
                path=self.output_dir / name,
            )

    def static_file(self, name: str) -> bytes | None:
        """A static file (theme assets, images) as copied to output/, guarded like a page.

        Only files the current sources still produce are served: a deleted
        post's old page, left in output/ by an earlier build, is not.
        """
        with self.lock:
            self.refresh()
            if not self._serves_from_disk(name):
                return None
            path = self.output_dir / name
            try:
                if not path.resolve().is_relative_to(self.output_dir.resolve()):
                    return None  # a symbolic link out of output/ is never followed
                data = path.read_bytes()
            except (OSError, ValueError):
                return None
            self._check(name, data)
        return data


def _single_post(article: Article, posts: str) -> bool:
    """A post made from one question file in the posts folder (not a part of a merged post)."""
    in_posts = os.path.dirname(os.path.abspath(article.source_path)) == posts
    return in_posts and getattr(article, "floor_part", None) is None


def _static_names(settings: dict, generators: list) -> set[str]:
    """Output names of the static files: theme assets and content's static files."""
    names: set[str] = set()
    theme = Path(settings["THEME"])
    target = Path(settings["THEME_STATIC_DIR"])
    ignores = settings.get("IGNORE_FILES") or []
    for entry in settings["THEME_STATIC_PATHS"]:
        source = theme / entry
        if source.is_file():
            names.add((target / source.name).as_posix())
        elif source.is_dir():
            for folder, dirs, files in os.walk(source):
                dirs[:] = [d for d in dirs if not any(fnmatch.fnmatch(d, i) for i in ignores)]
                for file in files:
                    if not any(fnmatch.fnmatch(file, i) for i in ignores):
                        rel = (Path(folder) / file).relative_to(source)
                        names.add(posixpath.normpath((target / rel).as_posix()))
    for generator in generators:
        for static in getattr(generator, "staticfiles", []):
            if static.save_as:
                names.add(posixpath.normpath(static.save_as))
    return names


def _forget_renderings(generators: list) -> None:
    """Drop Pelican's memoised renderings of the last generation's posts and pages.

    ``Content.get_content`` and ``get_summary`` keep each answer in a dict on
    the function, keyed by the object itself, for the life of the process. A
    regeneration makes new objects, so the old ones were never asked again, yet
    each kept its whole generation alive (every post, page and list, through
    its context): the preview's memory grew by about 8-10 MB at each
    regeneration at 1,000 posts, and each pass of the cycle collector walked
    all of it. Only the entries of the generation being replaced go; any other
    object's stay as they are.
    """
    contexts = {id(g.context) for g in generators if isinstance(getattr(g, "context", None), dict)}
    if not contexts:
        return
    for memoised in (Content.get_content, Content.get_summary):
        cache = memoised.cache
        for key in [k for k in cache if k and id(getattr(k[0], "_context", None)) in contexts]:
            del cache[key]


def _written_since(output: Path, since_ns: int) -> set[str]:
    """The files under ``output`` modified since ``since_ns``, by their names in it: a stat
    each (from the listing's entries, without a path joined and made relative per file, as
    ``os.walk`` would), following no link to a folder, as ``os.walk`` does not."""
    written: set[str] = set()
    stack = [(os.fspath(output), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            listing = os.scandir(folder)
        except OSError:
            continue
        with listing:
            for entry in listing:
                with contextlib.suppress(OSError):
                    if entry.is_dir():
                        if not entry.is_symlink():
                            stack.append((entry.path, f"{prefix}{entry.name}/"))
                    elif entry.stat().st_mtime_ns >= since_ns:
                        written.add(prefix + entry.name)
    return written


def url_to_name(url_path: str) -> str | None:
    """'/floor/x/' -> 'floor/x/index.html'; None for paths that climb out."""
    path = unquote(urlsplit(url_path).path)
    if path.endswith("/"):
        path += "index.html"
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or name in ("", ".") or any(ord(ch) < 32 or ch == "\x7f" for ch in name):
        return None  # a NUL or control character names no file (and would stop os.stat with an error)
    return name


def _error_page(title: str, message: str) -> bytes:
    return (
        f"<!doctype html><meta charset='utf-8'><title>Preview: {html.escape(title)}</title>"
        f"<h1>{html.escape(title)}</h1><pre>{html.escape(message)}</pre>"
    ).encode()


def handler_for(preview: LivePreview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "floor-live"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, ctype: str, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _answer(self, head: bool) -> None:
            name = url_to_name(self.path)
            if name is None:
                self._not_found(head)
                return
            try:
                data = preview.render(name)
                if data is None:
                    data = preview.static_file(name)
                if data is None and f"{name}/index.html" in preview.names():
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", "/" + name + "/")
                    self.end_headers()
                    return
            except FloorError as exc:
                self._send(500, _error_page("Not served", exc.message), "text/html; charset=utf-8", head)
                return
            if data is None:
                self._not_found(head)
                return
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype.endswith(("xml", "javascript", "json")):
                ctype += "; charset=utf-8"
            self._send(200, data, ctype, head)

        def _not_found(self, head: bool) -> None:
            """The site's own 404 page, rendered from the sources as they are now, with status 404."""
            try:
                body = preview.render(local_server.NOT_FOUND_PAGE)
            except FloorError:
                body = None
            if body is None:
                body = local_server.not_found_body(preview.output_dir)
            self._send(404, body, "text/html; charset=utf-8", head)

        def do_GET(self) -> None:
            self._answer(head=False)

        def do_HEAD(self) -> None:
            self._answer(head=True)

    return Handler


def make_server(preview: LivePreview, bind: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """The live preview on ``bind:port`` (a port in use is one clear error, as for `floor serve`)."""
    return local_server.make_server(handler_for(preview), bind, port)


def serve(
    site: Site,
    *,
    bind: str = "127.0.0.1",
    port: int = 8000,
    settings_file: str | None = None,
    ready: Callable[[str, int], None] | None = None,
    today: str | None = None,
) -> None:
    """Generate once, then answer requests until interrupted; ``ready`` gets a note and the port."""
    preview = LivePreview(site, settings_file=settings_file, today=today)
    started = time.perf_counter()
    preview.refresh()
    if preview.errors:
        raise FloorError("the site does not build:\n" + "\n".join(preview.errors))
    server = make_server(preview, bind, port)
    if ready:
        ready(
            f"{len(preview.names())} pages ready in {time.perf_counter() - started:.2f} s",
            server.server_address[1],
        )
    local_server.serve_until_interrupted(server)
