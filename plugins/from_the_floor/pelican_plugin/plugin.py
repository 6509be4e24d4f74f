"""The Pelican adapter: read published questions as posts, merge multi-question
posts, and refuse a build that would leak a contact. It renders only: it never
moves files or decides dates.
"""

from __future__ import annotations

import copy
import itertools
import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import CachingGenerator
from pelican.readers import MarkdownReader

from ..core import guard, i18n, memo, tag_slugs
from ..core import question as question_mod
from ..core.atomic import atomic_write_text
from ..core.settings import phone_region
from ..core.titles import DEFAULT_PATTERN, column_name, shown_title
from ..web import links, reader_settings, render
from . import build_state, member_lists, opt_in, pagination, reader_cache, theme_fallback, theme_words

CATEGORY = "From the Floor"  # the posts' category name before columns had their own (its slug stays)


def posts_dir(settings: dict) -> str:
    return os.path.join(os.path.abspath(settings["PATH"]), settings.get("FLOOR_POSTS_DIR", "floor"))


class _OwnTagSlugs(logging.Filter):
    """Pelican warns 'Unable to generate valid slug for Tag "🎉"' when it first works out the
    slug of a tag of only symbols or emoji; the kit's own tags get one at that very moment
    (tag_slugs.fitting: ``tag-<hash>``), so for them the warning, every build, was wrong.
    Another post's tags (a blog's own) still get it: Pelican writes those to ``tag/.html``."""

    _MESSAGE = 'Unable to generate valid slug for %s "%s".'

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (record.msg == self._MESSAGE and args and args[-1] in self.names)


_OWN_TAGS = _OwnTagSlugs()
logging.getLogger("pelican.urlwrappers").addFilter(_OWN_TAGS)


class FloorMarkdownReader(MarkdownReader):
    """Markdown files under content/floor/ are question files (YAML front matter);
    every other Markdown file is read by the reader the blog would use without the kit
    (``other``: another plugin's, such as pelican-jinja2content's; else Pelican's own)."""

    def __init__(self, settings: dict, other=None) -> None:
        super().__init__(settings)
        self.other = other

    def read(self, source_path: str):
        posts = posts_dir(self.settings)
        if os.path.commonpath([os.path.abspath(source_path), posts]) != posts:
            if self.other is not None:
                return self.other.read(source_path)
            return super().read(source_path)
        q = question_mod.load(Path(source_path), published=True)
        lang = i18n.for_settings(self.settings)
        # a file edited by hand may hold what intake drops (controls, bidi overrides): the feeds
        # could not be written at all (XML 1.0 has no place for a control), so neither is Pelican's
        pattern = str(self.settings.get("FLOOR_TITLE") or DEFAULT_PATTERN)
        title = shown_title(q.title or q.question, q.number, pattern)
        metadata = {
            "title": render.one_line(title),
            "date": q.date,
            "slug": q.slug or q.id,
            "number": q.number,
            "category": _category(self),
            "question_id": q.id,
            "question": render.one_line(q.question),
            "asked": q.asked,
            "summary": render.summary_html(q),
            "floor": True,
        }
        if q.tags:
            # handed over as the list it is: Pelican splits a string of tags at every ";" when
            # one holds a ";" (else at ","), so a reader's "a;b" tag regrouped all the others
            # (each already as the pages show it: core/question.clean_tag, when the file was read)
            tags = self.process_metadata("tags", list(q.tags))
            _OWN_TAGS.names = set(q.tags)
            try:
                for tag in tags:
                    # only symbols: never the empty URL segment; too long: never a failed build
                    fitting = tag_slugs.fitting(tag.slug, tag.name)
                    if fitting != tag.slug:
                        tag.slug = fitting
            finally:
                _OWN_TAGS.names = set()
            # "Template" and "template" are one tag page: the post is listed on it once
            metadata["tags"] = list({tag.slug: tag for tag in reversed(tags)}.values())[::-1]
        if q.public_asker:
            metadata["asker"] = render.one_line(q.public_asker)
        # a revised answer's `modified:` is Pelican's own `modified` too, so the Atom feed's
        # <updated> says it was revised, as the JSON Feed, the page and the sitemap already do
        modified = reader_settings.modified_at(
            q.extra.get("modified"), ZoneInfo(self.settings.get("TIMEZONE") or "UTC"), q.path
        )
        if modified is not None:
            metadata["modified"] = modified
        writers = question_mod.post_authors(q.extra.get("author"), q.path)
        if writers:  # an imported post by someone else: signed by them, not the site's AUTHOR
            metadata["authors"] = self.process_metadata("authors", writers)
            metadata["floor_authors"] = writers
        part = q.extra.get("part")
        if part is not None:
            # one part of a multi-question post: merge_multi_question_posts joins the sections
            # (the Markdown inside is memoised, so this second rendering costs only formatting)
            metadata["floor_part"] = int(part)
            metadata["floor_section"] = render.question_section(q, anchor=True, lang=lang)
        # an imported post's old addresses travel with it: finalize finds them without the file
        metadata[build_state.OLD_ADDRESSES] = (
            [q.original_url or "", q.intake_id or ""] if q.source == question_mod.IMPORTED else False
        )
        build_state.question_read.send(q)  # e.g. the reader's site memoises its JSON-LD here
        # contact, declined reasons and notify flags are never handed to Pelican
        return render.post_html([q], lang), metadata


def _category(reader):
    """The posts' category, named after the column; its slug (in ARTICLE_URL's {category}, the
    category page's address) is FLOOR_CATEGORY_SLUG, else the one every earlier version wrote,
    so no URL of a site that never set it moves."""
    category = reader.process_metadata("category", column_name(reader.settings) or CATEGORY)
    category.slug = links.category_slug(reader.settings)
    return category


def add_reader(generator) -> None:
    """generator_init: the question files are read by the kit, the blog's other Markdown by
    whatever reader it had. Another plugin may claim Markdown for itself at ``readers_init``
    (pelican-jinja2content, a Markdown-variant reader) or the blog's ``READERS`` may; Pelican
    calls that signal's receivers in no fixed order, so claiming it there too made one of them
    lose at random: the column's posts read as plain Markdown (no question, no quick answer,
    a "[tag]" tag, the folder's name as category, and a reader's text run as a Jinja template),
    or the blog's own posts no longer read by its plugin. Once the readers exist, the one in
    place is wrapped instead."""
    readers = getattr(getattr(generator, "readers", None), "readers", None)
    if readers is None:
        return
    for ext in FloorMarkdownReader.file_extensions:
        current = readers.get(ext)
        if isinstance(current, FloorMarkdownReader):
            continue  # (generators share no readers; a second call is harmless all the same)
        own = current is None or type(current) is MarkdownReader
        readers[ext] = FloorMarkdownReader(generator.settings, None if own else current)


def merge_multi_question_posts(generator) -> None:
    """Questions published together share a number; show them as one post."""
    groups: dict[int, list] = {}
    for article in generator.articles:
        if getattr(article, "floor", False) and getattr(article, "floor_part", None):
            groups.setdefault(article.number, []).append(article)
    if not groups:
        return
    merged_away = set()
    replacements = {}
    for _number, parts in groups.items():
        parts.sort(key=lambda a: a.floor_part)
        first = copy.copy(parts[0])
        lang = i18n.for_settings(generator.settings)
        sections = [render.toc_html(((p.question_id, p.question) for p in parts), lang)]
        sections += [p.floor_section for p in parts]
        first._content = "".join(sections)
        tags = []
        for p in parts:
            for tag in getattr(p, "tags", []):
                if tag not in tags:
                    tags.append(tag)
        first.tags = tags
        first.floor_question_ids = [p.question_id for p in parts]
        replacements[id(parts[0])] = first
        merged_away.update(id(p) for p in parts[1:])
    generator.articles = [replacements.get(id(a), a) for a in generator.articles if id(a) not in merged_away]


def link_series(generator) -> None:
    """Previous/next in the numbered series (not by date, which can tie)."""
    series = sorted((a for a in generator.articles if getattr(a, "floor", False)), key=lambda a: a.number)
    for article in series:  # an article object can outlive a regeneration (the live preview)
        article.__dict__.pop("floor_prev", None)
        article.__dict__.pop("floor_next", None)
    for before, after in itertools.pairwise(series):
        before.floor_next = after
        after.floor_prev = before


def contact_folders(settings: dict) -> list[Path]:
    """Where readers' contacts are: the published posts and the queue."""
    root = Path(settings["PATH"]).resolve().parent
    return [Path(posts_dir(settings)), root / settings.get("FLOOR_QUESTIONS_DIR", "questions")]


def contact_detector(settings: dict) -> guard.Detector:
    """The contact guard's detector for this site: every reader's contact, each phone number
    placed in the site's phone region (FLOOR_PHONE_REGION, else the time zone's country)."""
    return guard.folder_detector(contact_folders(settings), phone_region(settings))


def check_no_contacts(pelican) -> None:
    """The output check: skipped when `floor build` checked every source and only the kit's own
    transformations ran (build_state.sources_checked); else every output file is scanned."""
    if not build_state.sources_checked(pelican.settings):
        settings = pelican.settings
        guard.check_output(
            Path(settings["OUTPUT_PATH"]), contact_folders(settings), region=phone_region(settings)
        )
    build_state.mark_guarded(pelican.settings)  # reader_site's search index need not scan again


def output_guarded(settings: dict) -> bool:
    return build_state.guarded(settings)


def forget_guarded(generator) -> None:
    """A preview regenerates with the same settings: each generation starts unguarded."""
    build_state.mark_guarded(generator.settings, False)


def _no_stamp(filename: str) -> bytes:
    return b""


def skip_idle_stamps(generator) -> None:
    """Don't hash every source file for a generator-level cache that is switched off.

    With CONTENT_CACHING_LAYER = "reader" (the default) Pelican still md5s each
    article twice for the empty generator-level cache, whose lookups miss
    whatever the stamp is; the reader-level cache, which does the work, keeps
    its own stamps.
    """
    if isinstance(generator, CachingGenerator) and not generator._cache_data_policy and not generator._cache:
        generator._get_file_stamp = _no_stamp


def settle_templates(pelican) -> None:
    """Templates do not change during a build: skip Jinja's stat of each template at each use.

    Jinja's ``auto_reload`` re-checks a template's mtime every time it is
    included (once per post in every list); a site that sets it keeps its value.
    With Pelican's content cache on and the column's private key at hand,
    compiled templates are kept in ``CACHE_PATH/jinja`` (signed_bytecode.py:
    Jinja's bytecode is code, so each file is authenticated with a key derived
    from the author's key and a replaced one is never run), so a build
    compiles only the templates that changed. Without the key templates are
    compiled every build.
    """
    settings = pelican.settings
    jinja = dict(settings.get("JINJA_ENVIRONMENT") or {})
    jinja.setdefault("auto_reload", False)
    extensions = list(jinja.get("extensions") or [])
    if "jinja2.ext.i18n" not in extensions:  # the theme's words come from the column's catalogue
        extensions.append("jinja2.ext.i18n")
    jinja["extensions"] = extensions
    if settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH") and "bytecode_cache" not in jinja:
        from ..core import sealing
        from .signed_bytecode import SignedBytecodeCache

        key = sealing.keys_near(contact_folders(settings)).mac_key("jinja-bytecode")
        folder = Path(settings["CACHE_PATH"]) / "jinja"
        if key is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                jinja["bytecode_cache"] = SignedBytecodeCache(str(folder), key)
            except OSError:
                pass  # no cache folder: templates are compiled as usual
    settings["JINJA_ENVIRONMENT"] = jinja


READER_KEY_FILE = "floor-reader-key.txt"  # in CACHE_PATH


def reader_key(settings: dict) -> str:
    """What the reader bakes into a post's cached HTML besides its file: the column's language,
    its catalogues, the title pattern, the column's name and its category's slug."""
    return "|".join(
        [
            i18n.for_settings(settings).code,
            i18n.catalogue_stamp(),
            str(settings.get("FLOOR_TITLE") or DEFAULT_PATTERN),
            column_name(settings),
            str(settings.get("FLOOR_CATEGORY_SLUG") or ""),
        ]
    )


def forget_cache_of_other_words(pelican) -> None:
    """initialized: a post read in another language (or under another title pattern) is read
    again. Pelican's content cache is keyed on each file alone, and settings changes do not
    reach it: without this, switching DEFAULT_LANG would keep every cached post's labels.

    The key the cache is now read under is recorded once the build is through
    (:func:`record_reader_key`): a build that stops before (a bad question file, a contact in
    a source) leaves the last one's key, and writes nothing here."""
    path = _reader_key_path(pelican.settings)
    if path is not None and _recorded_reader_key(path) != reader_key(pelican.settings):
        pelican.settings["LOAD_CONTENT_CACHE"] = False


def record_reader_key(pelican) -> None:
    """finalized: Pelican's content cache now holds what this build read (it saved it after
    reading): its key is this build's. A build that failed before this point leaves the old
    key, so the next one reads every post again rather than trust what it cannot vouch for."""
    path = _reader_key_path(pelican.settings)
    if path is None:
        return
    key = reader_key(pelican.settings)
    if _recorded_reader_key(path) != key:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, key)
        except OSError:
            pass  # no cache folder: nothing cached to distrust either


def _in_content_cache(settings: dict, name: str) -> Path | None:
    """``name`` in Pelican's cache folder, if this site keeps a content cache (else None)."""
    if not settings.get("CACHE_CONTENT") or not settings.get("CACHE_PATH"):
        return None
    return Path(settings["CACHE_PATH"]) / name


def _reader_key_path(settings: dict) -> Path | None:
    return _in_content_cache(settings, READER_KEY_FILE)


def _recorded_reader_key(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def install_language(generator) -> None:
    """generator_init: the theme's words and dates in the column's language (DEFAULT_LANG).

    Jinja's i18n extension, as Pelican themes use it (i18n_subsites installs it the same way),
    with the kit's catalogue; a blog whose own plugin installed another catalogue keeps it.
    """
    env = getattr(generator, "env", None)
    if env is None or not hasattr(env, "install_gettext_translations"):
        return
    lang = i18n.for_settings(generator.settings)
    theirs = env.globals.get("gettext")
    if theirs is None or getattr(theirs, "__floor__", False):
        theme_words.install(env, lang.translations)  # Jinja's newstyle gettext, each word looked up once
        env.globals["gettext"].__floor__ = True
    elif env.globals.get("pgettext") is None:
        env.globals["pgettext"] = _without_context(theirs)
    env.policies["ext.i18n.trimmed"] = True
    env.filters["floor_date"] = lang.date
    env.filters["floor_number"] = lambda value: i18n.format_number(value, lang)
    env.filters["floor_withdrawn"] = lambda numbers: i18n.withdrawn_sentence(numbers, lang)


def _without_context(gettext):
    """``pgettext`` for a catalogue another plugin installed without one (Jinja's
    ``install_gettext_callables(gettext, ngettext)``): the kit's templates give a few words a
    context (the search button's "Search"), which that catalogue then reads as the same word
    without it, instead of the page failing on an undefined ``pgettext``."""
    from jinja2 import pass_context

    @pass_context
    def pgettext(context, _context_name: str, message: str, **variables):
        return context.call(gettext, message, **variables)

    return pgettext


def memo_path(settings: dict) -> Path | None:
    """The folder the memos are kept in (memo.FOLDER), if this site keeps a content cache."""
    return _in_content_cache(settings, memo.FOLDER)


def load_markdown_memo(pelican) -> None:
    """Answers converted by the last build need no converting again (memo.FOLDER, read as
    each of its files is asked for)."""
    path = memo_path(pelican.settings)
    # a build that does not load the cache reads nothing kept (not another site's, either)
    memo.load(path if pelican.settings.get("LOAD_CONTENT_CACHE") else None)


def save_markdown_memo(pelican) -> None:
    """Keep the memos for the next build; a build (not the live preview, which converts again
    after each save) then lets go of them: nothing after the pages needs them, and the record
    at the end of the build, where its memory peaks, takes their place."""
    path = memo_path(pelican.settings)
    if path is not None:
        memo.save(path)
    if not pelican.settings.get("FLOOR_LIVE_PREVIEW"):
        memo.forget_all()


def refuse_secret_settings(pelican) -> None:
    """Stop before Pelican caches its settings (with any password in them) into .cache/."""
    from ..core.settings import secret_settings
    from ..errors import FloorErrors

    problems = secret_settings(pelican.settings, Path("the build settings (pelicanconf.py, publishconf.py)"))
    if problems:
        raise FloorErrors(problems)


def sweep_stale_temps(pelican) -> None:
    """A killed build's temps: in output/ and the cache, and staging folders beside output/."""
    from ..core import stale_temps

    output = Path(pelican.output_path)
    stale_temps.sweep([output.parent])
    stale_temps.sweep([output, Path(pelican.settings.get("CACHE_PATH") or output)], recursive=True)


def register() -> None:
    pagination.install()  # Pelican's Writer paginates as floor build does (FLOOR_STABLE_PAGINATION)
    opt_in.connect(signals.initialized, refuse_secret_settings)
    opt_in.connect(signals.initialized, sweep_stale_temps)
    opt_in.connect(signals.initialized, settle_templates)
    opt_in.connect(signals.initialized, theme_fallback.adapt_settings)
    opt_in.connect(signals.generator_init, theme_fallback.offer_kit_templates)
    opt_in.connect(signals.generator_init, install_language)
    opt_in.connect(signals.initialized, forget_cache_of_other_words)
    opt_in.connect(signals.finalized, record_reader_key)
    opt_in.connect(signals.initialized, load_markdown_memo)
    opt_in.connect(signals.finalized, save_markdown_memo)
    opt_in.connect(signals.article_generator_init, skip_idle_stamps)
    opt_in.connect(signals.article_generator_init, reader_cache.rebase)  # before prefetch_articles
    opt_in.connect(signals.page_generator_init, reader_cache.rebase)
    opt_in.connect(signals.all_generators_finalized, reader_cache.note_root)
    opt_in.connect(signals.article_generator_init, forget_guarded)
    opt_in.connect(signals.page_generator_init, skip_idle_stamps)
    opt_in.connect(signals.generator_init, add_reader)  # before article_generator_init's prefetch
    opt_in.connect(signals.article_generator_pretaxonomy, merge_multi_question_posts)
    opt_in.connect(signals.article_generator_finalized, member_lists.index)  # first: others see its lists
    opt_in.connect(signals.article_generator_finalized, link_series)
    opt_in.connect(signals.finalized, check_no_contacts)
