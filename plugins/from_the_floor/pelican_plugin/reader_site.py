"""The reader's site, as a Pelican plugin: a thin adapter over the core modules.

It adds what readers and machines need around the posts — the Ask, Stats,
comment-policy and search pages, the forecast on the About page, related
questions, share links, a jump to any part, comments, JSON-LD, Open Graph,
per-tag feeds, a JSON Feed, sitemap.xml and robots.txt — and indexes the
built site with Pagefind. Every decision lives in a core module (stats,
navigation, jsonld, jsonfeed, seo, chart, search, reader_settings); this
module only moves values between Pelican and them. Like plugin.py, it never
moves files or decides dates.
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import functools
import html
import json
import logging
import os
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from ..core import build_manifest as manifest_mod
from ..core import guard, i18n, memo, schedule, site_scope, stats, titles, withdrawn
from ..core import queue as queue_mod
from ..core import settings as settings_mod
from ..core.build_manifest import kit_code
from ..core.question import Question
from ..errors import FloorError
from ..web import chart, jsonfeed, jsonld, navigation, reader_settings, render, search, search_shards, seo
from . import build_state, opt_in, peers, plugin, theme_fallback

log = logging.getLogger(__name__)

TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
DESCRIPTION_LENGTH = 200
NOT_FOUND_PAGE = "404.html"
PAGE_TEMPLATES = {"ask": "ask", "stats": "stats", "comment_policy": "comment_policy", "search": "search"}


# --- where things are ---------------------------------------------------------------------


def _root(settings: dict) -> Path:
    return Path(settings["PATH"]).resolve().parent


def _conf_path(settings: dict) -> Path:
    return _root(settings) / "pelicanconf.py"


def _folders(settings: dict) -> tuple[Path, Path]:
    """content/floor/ (published) and questions/ (the queue), as plugin.py finds them."""
    posts = Path(settings["PATH"]).resolve() / settings.get("FLOOR_POSTS_DIR", "floor")
    queue = _root(settings) / settings.get("FLOOR_QUESTIONS_DIR", "questions")
    return posts, queue


def _reader(settings: dict) -> reader_settings.ReaderSettings:
    return reader_settings.from_mapping(settings, _conf_path(settings))


def _load(folder: Path, *, published: bool) -> list[Question]:
    """Read-only: unlike queue.load this never finishes an interrupted publish (the CLI does)."""
    found = []
    # (read once a build: the retirement forecast read these folders when Pelican started)
    for item in queue_mod.load_folder(folder, published=published, last=True):
        if isinstance(item, FloorError):
            log.warning("From the Floor: skipped in the stats: %s", item.message)
        else:
            found.append(item)
    return found


def _has_about_template(settings: dict) -> bool:
    """The kit's theme, or a copy of it (the demo's theme/), renders the About page with
    about.html; another theme keeps its own page.html (which never showed the forecast)."""
    if theme_fallback.kit_theme(settings):
        return True
    templates = Path(str(settings.get("THEME", ""))) / "templates"
    return (templates / "about.html").is_file() and (templates / "_about_column.html").is_file()


def _url(settings: dict, path: str) -> str:
    return seo.absolute(settings.get("SITEURL", ""), path)


def _absolute(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://"))


def _shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


# --- signals ------------------------------------------------------------------------------


def configure(pelican) -> None:
    """Validate the reader settings before anything is read: a typo fails at once."""
    _reader(pelican.settings)
    peers.announce(pelican.settings)
    build_state.question_read.connect(_warm_jsonld)  # held weakly: a module-level function


def _warm_jsonld(q: Question, **_kwargs) -> None:
    """Run as each post is read (in parallel in a cold build): the JSON-LD text is memoised."""
    jsonld.qa_from_question(q)


def _tag_feeds(settings: dict, reader: reader_settings.ReaderSettings) -> dict[str, str] | None:
    """The per-tag feed paths: Pelican's own TAG_FEED_* when the site sets them (Pelican then
    writes them), else ours (written by the generator below, FLOOR_TAG_FEED_ITEMS each)."""
    if settings.get("TAG_FEED_ATOM") or settings.get("TAG_FEED_RSS"):
        return {
            "atom": settings.get("TAG_FEED_ATOM_URL") or settings.get("TAG_FEED_ATOM") or "",
            "rss": settings.get("TAG_FEED_RSS_URL") or settings.get("TAG_FEED_RSS") or "",
            "ours": False,
        }
    if not reader.tag_feeds:
        return None
    return {"atom": TAG_FEED_ATOM, "rss": TAG_FEED_RSS, "ours": True}


def add_generator(pelican) -> type[Generator]:
    return ReaderSiteGenerator


# Search indexes started while the posts were decorated, by build (id of its settings).
_indexing: dict[int, _Indexing] = {}


class _Indexing:
    """A build's search shards (web/search_shards.py): those whose records changed are being
    indexed by Pagefind on a spare core while Pelican renders; the others are kept."""

    def __init__(self, settings: dict, posts: list[search_shards.Post]) -> None:
        self.output = Path(settings["OUTPUT_PATH"]).absolute()
        language = i18n.language_tag(settings.get("DEFAULT_LANG"))  # Pagefind's, as <html lang>
        # a shard's digest is taken from its posts' keys; the kit's code stands for how a
        # post's record is made from them (its QAs' text, kept by their decoration's key)
        shards = search_shards.plan(posts, language, kit_code())
        # kept with the content cache (a blog without one gets no new folder): floor init's sites
        cache = settings.get("CACHE_PATH") if settings.get("CACHE_CONTENT") else None
        key = manifest_mod.record_key(_root(settings)) if cache else None
        self.state = search_shards.State(Path(cache) / search_shards.STATE_FILE if cache else None, key)
        fresh = build_state.fresh(settings)  # --full, or another kit or settings: index everything
        # A shard whose records differ from the last build's is indexed again whatever output/
        # holds: Pagefind starts on it now, while the others' files are checked (only a
        # changed shard's records are made: each post's whole text)
        recorded = {} if fresh else self.state.shards
        certain = [s for s in shards if (recorded.get(s.folder) or {}).get("records") != s.digest]
        maybe = [s for s in shards if s not in certain]
        self.index: search.RecordIndex | None = None
        try:
            if certain:
                self._index(language).add_bundles({s.folder: s.records() for s in certain}, more=bool(maybe))
            # the other shards' files are read in the staging folder, with the digests its check took
            checked = build_state.want_output(settings) if maybe else {}
            kept = self.state.unchanged(self.output, maybe, checked) if maybe else set()
            # (a shard whose files were changed behind the build's back)
            if late := {s.folder: s.records() for s in maybe if s.folder not in kept}:
                self._index(language).add_bundles(late, more=True)
        except BaseException:
            self.close()  # (the staging folder's check failed: Pagefind, started already, stops)
            raise
        if self.index is not None:
            # (a kept shard's copies of Pagefind's fixed files tell the new bundles' copies whole)
            self.index.done_adding(fixed=self.state.fixed_files())
        # the records go once Pagefind has them (every post's text: 9 MiB at 5,000 posts);
        # what is written and recorded later needs only each shard's folder and digest
        self.shards = [dataclasses.replace(s, posts=()) for s in shards]

    def _index(self, language: str) -> search.RecordIndex:
        """The Pagefind service indexing this build's changed shards (started on first use)."""
        if self.index is None:
            staging = self.output.with_name(f".{self.output.name}-{search.BUNDLE}.{os.getpid()}.tmp")
            self.index = search.RecordIndex(self.output, language, staging)  # beside output/
        return self.index

    def write(self) -> dict[str, manifest_mod.Stamp]:
        """Move the re-indexed shards in, remove those of another layout, record what is there;
        returns the stamps of the files read for that record (by absolute path), once Pagefind
        has stopped writing them (build_state.output_written)."""
        written = {}
        if self.index is not None:
            self.index.write()  # (Pagefind has stopped: nothing writes into the bundles now)
            written = self.index.read_files()  # (read whole while the build rendered)
        search_shards.remove_other_shards(self.output, self.shards)
        stamps: dict[str, manifest_mod.Stamp] = {}
        self.state.save(self.output, self.shards, stamps, written)
        return {os.path.join(self.output, *rel.split("/")): stamp for rel, stamp in stamps.items()}

    def close(self) -> None:
        if self.index is not None:
            self.index.close()


def _start_index(settings: dict, posts: list[search_shards.Post]) -> list[str]:
    """Start indexing the posts (see _Indexing); returns the shards' folders in output/."""
    _stop_index(settings)
    indexing = _indexing[id(settings)] = _Indexing(settings, posts)
    return [shard.folder for shard in indexing.shards]


def _stop_index(settings: dict) -> _Indexing | None:
    index = _indexing.pop(id(settings), None)
    if index is not None:
        index.close()
    return index


@atexit.register
def _stop_all() -> None:  # a build that failed before `finalized` leaves its index unwritten
    for index in list(_indexing.values()):
        index.close()
    _indexing.clear()


def index_search(pelican) -> None:
    """Write the search bundles, after the contact guard has passed the output (run here, so the
    order holds): the shards indexed during the build, else Pagefind over output/. A site
    without search keeps no bundle from an earlier build."""
    settings = pelican.settings
    index = _indexing.pop(id(settings), None)
    output = Path(settings["OUTPUT_PATH"])
    if not _reader(settings).search:
        search.remove_bundle(output)
        return
    try:
        if not plugin.output_guarded(settings):
            guard.check_output(output, _folders(settings), region=settings_mod.phone_region(settings))
        if index is not None:
            build_state.output_written.send(settings, stamps=index.write())
        else:
            search.index(output)
    finally:
        if index is not None:
            index.close()


def register() -> None:
    opt_in.connect(signals.initialized, configure, "reader_site")
    opt_in.connect(signals.get_generators, add_generator, "reader_site")
    opt_in.connect(signals.finalized, index_search, "reader_site")
    signals.feed_generated.connect(state_feed_language)


def state_feed_language(context: Any, feed: Any) -> None:
    """Give each Atom and RSS feed the column's language (Atom's ``xml:lang``, RSS's
    ``<language>``), as the pages' ``<html lang>`` and the JSON Feed already say it.

    Pelican's Writer makes feedgenerator's feed without a language; this signal comes
    after the feed is made and before it is written, in whichever process writes it. The
    sender is the build's context (the settings and more), so the column test reads it,
    and whether the site loaded this part of the kit (opt_in.wired).
    """
    if not isinstance(context, dict) or not (opt_in.active(context) and opt_in.wired(context, "reader_site")):
        return
    stated = str(context.get("DEFAULT_LANG") or "").strip()
    if stated and getattr(feed, "feed", {}).get("language") is None:
        feed.feed["language"] = i18n.language_tag(stated)


_last_related: tuple[tuple, dict[int, list[int]]] | None = None


def _related(items: tuple, limit: int) -> dict[int, list[int]]:
    """navigation.related_by_tags, kept while the posts' numbers and tags stay the same.

    A live preview decorates every post again after each save; an edit to an
    answer changes no tag, so the last result (read-only) still holds.
    """
    global _last_related
    if _last_related is None or _last_related[0] != (items, limit):
        _last_related = ((items, limit), navigation.related_by_tags(items, limit))
    return _last_related[1]


def _search_record(url: str, article, questions: list[Question], lang: i18n.Language) -> search.Record:
    """A post's search record: each Q&A's text, then its answer, then who asked; the title apart.

    The title is the record's ``title`` (Pagefind searches it as it searches the text, and the
    search page shows it as the result's link), not the text's first words: Pagefind's excerpt
    of a short post, or of a hit near its start, is the text's first thirty words, so every
    result read its own title again under its title link. A post of one question has that
    question as its heading (render.post_html) and does not show it again above the answer, so
    its text starts after the question (the details, if any). Who asked comes after the answer,
    so that an excerpt opens with what the reader came for; the words are all still there.
    """
    asked = [render.asked_line(q, lang, markup=False) for q in questions]
    parts: list[str] = []
    single = len(article.floor_qas) == 1
    for qa, asked_line in zip(article.floor_qas, asked, strict=True):
        text = qa.text
        if (
            single
            and qa.question
            and _same_words(qa.question, article.title)
            and text.startswith(qa.question)
        ):
            text = text[len(qa.question) :].strip()  # the details, if any
        parts += [text, qa.answer, asked_line]
    tags = _tag_names(article)
    if tags:  # last, so an excerpt opens with them only when a tag is what was searched for
        parts.append(lang.gettext("Tags") + "\n" + ", ".join(tags))
    content = "\n\n".join(p for p in parts if p)
    return search.Record(url, article.title, content, article.number)


def _tag_names(article) -> list[str]:
    """The post's tags as its page shows them: a reader who searches a tag's name ("privacy",
    "vie privée") finds the posts filed under it, as the page's tag links and the tags index
    would, even where the words of the answer are others."""
    return [str(t.name) for t in getattr(article, "tags", None) or []]


def _same_words(a: str, b: str) -> bool:
    return " ".join(html.unescape(a).split()).casefold() == " ".join(html.unescape(b).split()).casefold()


# --- each post's text and description, kept between builds; its JSON-LD, made when rendered --

# the attribute a post the live preview hands on keeps its decoration in, with what it was made from
KEPT_DECORATION = "_floor_decoration_kept"
DECORATION = "decoration 3"  # bump when what _decorate_text makes of the same input changes


@dataclasses.dataclass(frozen=True)
class Posting:
    """A post's JSON-LD (its BlogPosting), made when its page is rendered: held as what it is
    made from (the questions' texts are the post's floor_qas), not as text beside them for the
    whole build (14 MiB at 5,000 posts), nor kept in the memo."""

    headline: str
    url: str
    published: str
    modified: str | None
    author: dict[str, Any] | list[dict[str, Any]]
    publisher: dict[str, Any]
    keywords: tuple[str, ...]
    questions: tuple[jsonld.QA, ...]
    language: str | None
    description: str

    def __html__(self) -> str:  # what Jinja's |safe (markupsafe.Markup) takes
        data = jsonld.blog_posting(
            headline=self.headline,
            url=self.url,
            published=dt.datetime.fromisoformat(self.published),
            modified=dt.datetime.fromisoformat(self.modified) if self.modified else None,
            author=self.author,
            publisher=self.publisher,
            keywords=self.keywords,
            questions=self.questions,
            language=self.language,
            description=self.description,
        )
        return jsonld.script_json(data)

    __str__ = __html__


def _signed_by(article, author: dict[str, Any]) -> dict[str, Any] | list[dict[str, Any]]:
    """Who the post's JSON-LD names as its author: the site's AUTHOR, unless the post records
    who else wrote it (an imported post by someone else: ``author:`` in its file)."""
    writers = getattr(article, "floor_authors", None)
    if not writers:
        return author
    people = [jsonld.person(name) for name in writers]
    return people[0] if len(people) == 1 else people


def _posting(given: list, qas: list[jsonld.QA], description: str) -> Posting | None:
    """The JSON-LD of the post ``given`` describes (see _decorate), None without a question."""
    _version, _fields, title, url, published, modified, author, publisher, tags, lang = given
    if not qas:
        return None
    return Posting(
        title, url, published, modified, author, publisher, tuple(tags), tuple(qas), lang, description
    )


def _decorated(given: list) -> tuple[list[jsonld.QA], str]:
    """A post's questions as text and its description, from its questions' fields."""
    qas = [jsonld.qa_from_fields(*f[:5], f[5] and dt.date.fromisoformat(f[5]), f[6]) for f in given[1]]
    return qas, _shorten(qas[0].answer.split("\n\n")[0]) if qas else ""


def _decorate_text(given: str) -> str:
    """The memo's pure function: a post's questions as text and its description, from its
    questions' fields (the rest of ``given`` is what its JSON-LD is made from, when rendered)."""
    return _decoration_text(*_decorated(json.loads(given)))


def _decoration_text(qas: list[jsonld.QA], description: str) -> str:
    """What the memo keeps of a post's decoration; :func:`_decoration_checked` reads it back.
    Not its JSON-LD text: that is made from these when its page is rendered (Posting), and was
    three fifths of the memo, read by every build and never used."""
    rows = [
        [qa.qid, qa.question, qa.text, qa.asked.isoformat() if qa.asked else None, qa.asker, qa.answer,
         qa.answer_id]
        for qa in qas
    ]
    return json.dumps([rows, description], ensure_ascii=False)


# Kept in .cache/floor-memo/ with the Markdown (JSON, core/memo.py): a post that did not
# change is not worked out again. The salt is the kit's code, so another kit starts afresh, and
# what the answers' texts in it depend on (jsonld.ANSWER_TEXT_SALT: Python-Markdown, the Python
# whose html.parser read them), so a new Markdown or Python does too.
# Looked up by the digest of what a decoration is made of (_decorate), never called with a text.
_decorations = memo.register(
    "post-decoration", _decorate_text, keep=True, salt=f"{DECORATION} {kit_code()} {jsonld.ANSWER_TEXT_SALT}"
)


def _decoration_checked(text: str) -> tuple[list[jsonld.QA], str] | None:
    """A kept result, if it has exactly the shape _decorate_text writes."""
    try:
        rows, description = json.loads(text)
        qas = []
        for qid, question, q_text, asked, asker, answer, answer_id in rows:
            if not all(type(v) is str for v in (qid, question, q_text, answer, answer_id)):
                return None
            if any(v is not None and type(v) is not str for v in (asked, asker)):
                return None
            day = dt.date.fromisoformat(asked) if asked is not None else None
            qas.append(jsonld.QA(qid, question, q_text, day, asker, answer, answer_id))
    except (ValueError, TypeError):
        return None
    if type(description) is not str:
        return None
    return qas, description


@dataclasses.dataclass(frozen=True)
class BurndownChart:
    """The statistics page's burndown chart, drawn only when that page is rendered.

    Drawing it (pygal's import and render) was about 0.05–0.08 s of every build,
    though a build that keeps the statistics page never shows it. The page's
    signature digests these fields, what the drawing is made from (the language
    by its code: its catalogue is the kit's, in the build key, as is pygal's version).
    """

    history: tuple[stats.Point, ...]
    forecast: tuple[stats.Point, ...]
    lang_code: str  # the column's language (i18n.language of its code is the same catalogue)

    def __bool__(self) -> bool:  # chart.burndown_svg draws nothing without a history
        return bool(self.history)

    def __html__(self) -> str:  # what Jinja's |safe (markupsafe.Markup) takes
        return chart.burndown_svg(self.history, self.forecast, lang=i18n.language(self.lang_code)) or ""

    __str__ = __html__


@dataclasses.dataclass(frozen=True)
class ShareLinks:
    """A post's share links (navigation.share_links), made when its page is rendered: a
    thousand posts' links held for the whole build were a megabyte."""

    url: str
    title: str
    services: tuple[str, ...]

    def __iter__(self):
        return iter(navigation.share_links(self.url, self.title, self.services))

    def __len__(self) -> int:  # one link a service
        return len(self.services)


def _question_ids(article) -> list[str]:
    """The ids of the questions a post answers (one, or several for a post of several)."""
    return getattr(article, "floor_question_ids", None) or [article.question_id]


# --- the generator ------------------------------------------------------------------------


class ReaderSiteGenerator(Generator):
    """Decorates the posts (after the article generator) and writes the reader pages."""

    _keep_decorations = False  # (_decorate_posts: the live preview's, when no other plugin listens)

    def generate_context(self) -> None:
        settings = self.settings
        self.reader = _reader(settings)
        floor_settings = settings_mod.from_mapping(settings, _conf_path(settings))
        self.lang = lang = i18n.for_settings(settings)
        tz = floor_settings.timezone
        self.now = build_state.now(settings, tz)
        # A retired column (retirement.py's FLOOR_RETIRED) is counted as of its last day, so
        # every later rebuild of the archive writes the same pages.
        retired = settings.get("FLOOR_RETIRED") or None
        if retired and isinstance(retired.get("date"), dt.datetime):
            self.now = min(self.now, retired["date"].astimezone(tz))
        posts_dir, queue_dir = _folders(settings)
        published = _load(posts_dir, published=True)
        queued = _load(queue_dir, published=False)
        gone = withdrawn.posted(_root(settings))
        plan = schedule.make_plan(queued, floor_settings, self.now, published, withdrawn.dates(gone))
        self.stats = stats.compute(queued, published, plan, self.now, withdrawn.numbers(gone))
        self.questions = {q.id: q for q in published}
        others = sum(1 for a in self.context.get("articles", []) if not getattr(a, "floor", False))
        old_posts = bool(others) or any(q.from_archive for q in published)
        # a blog that added the plugin gets the column's posts, pages and feeds, not site-wide files
        self.column_is_site = site_scope.column_is_site(
            kit_theme=theme_fallback.column_theme(settings), other_articles=others
        )
        self.articles = sorted(
            (a for a in self.context.get("articles", []) if getattr(a, "floor", False)),
            key=lambda a: a.number,
        )
        self._decorate_posts(tz)
        self.search_folders: list[str] = []
        if self.reader.search and settings.get("FLOOR_LIVE_PREVIEW"):
            # the preview serves the last build's bundles, so its search page merges those; a
            # retired column's whole rebuild writes one bundle over the pages (search.index)
            output = Path(settings["OUTPUT_PATH"])
            self.search_folders = [] if retired else search_shards.folders_on_disk(output)
        elif self.reader.search:
            build_state.verdict_needed.send(settings)  # the posts' text goes to Pagefind next
            self.search_folders = _start_index(settings, self._search_posts())
        if not settings.get("FLOOR_LIVE_PREVIEW"):
            # a build has decorated every post and made its search record: the parsed questions
            # go (the live preview keeps them for the next edit, answers_edited)
            self.questions = {}
            self._decorated_as = {}
        about_template = _has_about_template(settings)
        for page in self.context.get("pages", []):
            page.floor_description = _shorten(jsonld.html_to_text(page.content))
            if about_template and page.slug == self.reader.about_slug and page.template == "page":
                page.template = "about"  # the one page that shows the forecast (about.html)
        # Two context values, split by how often they change (a dependency-tracked build
        # re-renders a page when a value its templates read changes): floor_site holds what
        # only a settings edit or retirement changes, and every page reads it; floor_stats
        # holds what each post or each new day changes, and only the pages showing it read it.
        self.context["floor_stats"] = {
            "stats": self.stats,
            "now": self.now,
            "chart": BurndownChart(tuple(self.stats.history), tuple(self.stats.forecast), lang.code),
            "chart_summary": chart.summary(self.stats.history, self.stats.forecast, lang),
            "tag_urls": {tag.name: tag.url for tag, _ in self.context.get("tags", [])},
        }
        self.context["floor_site"] = {
            "reader": self.reader,
            "urls": self.reader.pages,
            "schedule": {
                "weekday": i18n.weekday_name(floor_settings.weekday, lang),
                "time": floor_settings.publish_time.strftime("%H:%M"),
                "timezone": i18n.zone_name(str(tz), lang),  # "London", "Paris" ("Londres" in French)
                # as a sentence says it: "London time", "heure de Londres", "heure d’Amsterdam"
                "zone_time": i18n.zone_time(str(tz), lang),
                "per_post": floor_settings.questions_per_post,
            },
            "json_feed": self.reader.json_feed,
            "lang": i18n.language_tag(settings.get("DEFAULT_LANG")),  # <html lang>: "fr-CA", not "fr_CA"
            "dir": i18n.text_direction(settings.get("DEFAULT_LANG")),  # <html dir="rtl"> for Arabic …
            # the language of the kit's words when it is not the page's (no catalogue: English), so
            # the search page's "1 answer" / "2 answers" follows English plural rules, not Japanese
            "words_lang": None if lang.has_catalogue else i18n.SOURCE_LANGUAGE,
            "tag_feeds": self._tag_feeds(),
            "description": self.reader.description,
            "retired": retired,
            "ask_open": self.reader.ask.is_open and not retired,
            # what the listings call what they list: "questions" only while every post is a
            # reader's question; an old post `floor import` brought over (Question.from_archive),
            # or a blog's own article in the kit's theme, makes them "posts"
            "old_posts": old_posts,
            # each post one reader's question, so a count of posts (the tags page) is one of questions
            "one_each": not old_posts and all(len(_question_ids(a)) == 1 for a in self.articles),
        }

    def _tag_feeds(self) -> dict | None:
        """_tag_feeds; in a blog, with the slugs of the tags the kit writes a feed for ("only"),
        so the kit's tag page links no feed for the blog's own tags."""
        feeds = _tag_feeds(self.settings, self.reader)
        if feeds and feeds["ours"] and not self.column_is_site:
            feeds["only"] = [tag.slug for tag, _ in self._feed_tags()]
        return feeds

    def _feed_tags(self) -> list:
        """The tags that get the kit's feeds: every tag of a site that is the column; in a blog,
        the column's own tags (every post a column post), never the blog's posts under its name."""
        tags = self.context.get("tags", [])
        if self.column_is_site:
            return list(tags)
        return [(tag, posts) for tag, posts in tags if all(getattr(a, "floor", False) for a in posts)]

    def _search_posts(self) -> list[search_shards.Post]:
        """Each post as the search index sees it: the key of its record, taken from what the
        build holds already (its decoration's key stands for its QAs' text), and its record,
        made only if its shard changed (search_shards.Post)."""
        posts = []
        for index, article in enumerate(self.articles):
            # the post's questions, URL and decoration's key, as its decoration found them
            decoration_key, path, questions = self._decorated_as[index]
            # each "Asked by … on …" line is made of who asked (the credited names and how many
            # others), the day asked (in the decoration's key) and the column's language (in
            # every shard's digest): those stand for it here, and it is written out in Babel's
            # date format only for the records made (search_shards.Shard.records)
            askers = [[q.credited_names, q.uncredited_count, q.from_archive] for q in questions]
            url = "/" + path
            made_of = [url, article.title, article.number, decoration_key, askers, _tag_names(article)]
            key = memo.digest(json.dumps(made_of, ensure_ascii=False))
            record = functools.partial(_search_record, url, article, questions, self.lang)
            posts.append(search_shards.Post(article.number, key, record))
        return posts

    def _questions_of(self, article) -> list[Question]:
        return [self.questions[i] for i in _question_ids(article) if i in self.questions]

    def _decorate_posts(self, tz) -> None:
        """Related questions, the series jump, share links, comments, description, JSON-LD."""
        reader, settings = self.reader, self.settings
        related = _related(
            tuple(
                (i, a.number, tuple(t.name for t in getattr(a, "tags", [])))
                for i, a in enumerate(self.articles)
            ),
            reader.related,
        )
        author = jsonld.person(settings.get("AUTHOR") or settings.get("SITENAME", ""), _url(settings, ""))
        publisher = reader.publisher or author
        # each block's jump list is made once and shared by the block's posts (the same posts,
        # so the same pages); it is never changed in place, only replaced (answers_edited)
        made: dict[int, list] = {}  # by the block's window (one tuple a block)
        jumps = []
        for window in navigation.series_windows(len(self.articles), reader.series_jump):
            if id(window) not in made:
                made[id(window)] = [None if i is None else self.articles[i] for i in window]
            jumps.append(made[id(window)])
        self._decoration = (related, author, publisher, tz, jumps)
        # the live preview hands an unchanged post's Article on to the next generation (preview.py,
        # KeptPosts): its decoration is kept on it with what it was made from, and used again
        # when that is the same (never in a build, nor when another plugin listens)
        self._keep_decorations = False
        if settings.get("FLOOR_LIVE_PREVIEW"):
            from .engine import foreign_receivers

            self._keep_decorations = not foreign_receivers()
        # each post's decoration key, URL (in the site) and questions, by its place: what its
        # search key is made of too (_search_posts), worked out once
        self._decorated_as: dict[int, tuple[str, str, list[Question]]] = {}
        for index, article in enumerate(self.articles):
            self._decorate(index, article)
        jsonld.forget_question_texts()

    def _decorate(self, index: int, article) -> None:
        reader, settings = self.reader, self.settings
        related, author, publisher, tz, jumps = self._decoration
        questions = self._questions_of(article)
        # what the build manifest signs this post's decoration by (page_signatures.DECORATED)
        article.floor_decorated_from = tuple(str(q.path) for q in questions)
        path = article.url
        url = _url(settings, path)
        article.floor_url = url
        article.floor_related = [self.articles[i] for i in related[index]]
        article.floor_jump = jumps[index]
        article.floor_share = ShareLinks(url, article.title, tuple(reader.share))
        closed = any(reader_settings.comments_closed(q.extra.get("comments"), q.path) for q in questions)
        article.floor_comments_open = reader.comments.open_for(closed)
        modified = max(
            (m for q in questions if (m := reader_settings.modified_at(q.extra.get("modified"), tz, q.path))),
            default=None,
        )
        article.floor_modified = modified or article.date
        # each question's fields: what its QA is made from
        fields = []
        for q in questions:
            # an old post from the archive has no asked date on record (Question.from_archive)
            asked, asker = (None if q.from_archive else q.asked.isoformat()), q.public_asker
            fields.append([q.id, q.question, q.details, q.quick_answer, q.body, asked, asker])
        given = [
            DECORATION,
            fields,
            article.title,
            url,
            article.date.isoformat(),
            modified.isoformat() if modified is not None else None,
            _signed_by(article, author),
            publisher,
            [t.name for t in getattr(article, "tags", [])],
            i18n.language_tag(settings.get("DEFAULT_LANG")),  # inLanguage
        ]
        held = article.__dict__.get(KEPT_DECORATION) if self._keep_decorations else None
        if held is not None and held[0] == given:
            # a post the preview handed on, made from the same values: everything below is a
            # function of ``given`` alone, and its memo entries were marked used when it was made
            _given, key, qas, description, posting = held
            self._decorated_as[index] = (key, path, questions)
        else:
            key, qas, description, posting = self._decoration_of(given)
            self._decorated_as[index] = (key, path, questions)
            if self._keep_decorations:
                setattr(article, KEPT_DECORATION, (given, key, qas, description, posting))
            else:
                article.__dict__.pop(KEPT_DECORATION, None)
        article.floor_description = description
        if posting is not None:
            article.floor_jsonld = posting
        else:  # (a post the live preview handed on from the last generation may have had one)
            article.__dict__.pop("floor_jsonld", None)
        article.floor_qas = qas

    @staticmethod
    def _decoration_of(given: list) -> tuple[str, list[jsonld.QA], str, Posting | None]:
        """A post's decoration key, questions as text, description and JSON-LD, from ``given``
        (_decorate), kept in the memo between builds."""
        # the same row as ``given``'s fields with each answer by its digest, not its whole text
        # (what the decoration is keyed by); the answers' own kept renderings stay kept
        # (jsonld.keep_answers)
        made_of = []
        for qid, question, details, quick_answer, body, asked, asker in given[1]:
            quick, kept_body = jsonld.keep_answers(quick_answer, body)
            made_of.append([qid, question, details, quick, kept_body, asked, asker])
        # what the decoration is made of: the questions' fields (the rest of ``given`` is what
        # the JSON-LD is made from when rendered)
        key = memo.digest(json.dumps([DECORATION, made_of], ensure_ascii=False))
        kept = _decorations.touch(key)
        made = _decoration_checked(kept) if kept is not None else None
        if made is None:  # not kept (or not in the shape _decorate_text writes): worked out here
            qas, description = _decorated(given)
        else:  # its JSON-LD is made from the same input when its page is rendered
            qas, description = made
        posting = _posting(given, qas, description)
        # the post holds it decoded: the memo holds no text of it until it is saved
        remake = functools.partial(_decoration_text, qas, description)
        if made is None:
            _decorations.add_later(key, remake)
        else:
            _decorations.remake_later(key, remake)
        return key, qas, description, posting

    def answers_edited(self, article, question: Question) -> None:
        """The live preview's fast path: only this post's answers (or details) changed.

        Everything derived from them is worked out again: the post's JSON-LD and
        description here; the caller updates the post's content and summary.
        """
        self.questions[question.id] = question
        self._decorate(self.articles.index(article), article)

    def json_feed_text(self) -> str:
        return jsonfeed.dumps(self._json_feed())

    # --- output ------------------------------------------------------------------------------

    def generate_output(self, writer) -> None:
        relative = self.settings.get("RELATIVE_URLS", False)
        theme_fallback.write_kit_static(self.settings, Path(self.output_path))
        for name, template in PAGE_TEMPLATES.items():
            if name == "search" and not self.reader.search:
                continue
            url = self.reader.pages[name]
            extra = {}
            if name == "search":  # the search shards the page merges into the first
                extra["floor_search_merge"] = search_shards.merge_urls(self.search_folders)
            writer.write_file(
                url + "index.html",
                self.get_template(template),
                self.context,
                relative_urls=relative,
                url=url,
                floor_page=name,
                page_url=url,
                **extra,
            )
        if self._wants(self.reader.not_found_page) and not self._site_has_own_404():
            # at the root, where GitHub Pages and other hosts look for it; links from the site's
            # root (never relative), since it is shown at whatever address was asked for
            writer.write_file(
                NOT_FOUND_PAGE,
                self.get_template("404"),
                self.context,
                relative_urls=False,
                floor_page="not_found",
            )
        tag_feeds = self.context["floor_site"]["tag_feeds"]
        if tag_feeds and tag_feeds["ours"]:
            self._write_tag_feeds(writer)
        if self.reader.json_feed:
            self._write(writer, self.reader.json_feed, self.json_feed_text())
        if self._wants(self.reader.sitemap) and not peers.sitemap_by_peer(self.settings):
            if self.column_is_site or _absolute(self.settings.get("SITEURL")):
                self._write(writer, "sitemap.xml", seo.sitemap_xml(self._sitemap_entries()))
            else:  # the sitemap protocol wants every <loc> absolute: never a relative one in a blog
                log.warning(
                    "FLOOR_SITEMAP = True: no sitemap.xml written, SITEURL is not a full address "
                    "(https://…) in this build's settings; set it, e.g. in publishconf.py"
                )
        if self._wants(self.reader.robots) and not peers.robots_by_peer(self.settings):
            self._write(writer, "robots.txt", self._robots())

    def _wants(self, setting: bool | None) -> bool:
        return site_scope.wanted(setting, column_is_the_site=self.column_is_site)

    def _site_has_own_404(self) -> bool:
        """A blog's own 404 page (a page or file saved as 404.html) is kept; the kit's is not written."""
        own = [*self.context.get("pages", []), *self.context.get("hidden_pages", [])]
        own += self.context.get("staticfiles", [])
        return any(getattr(item, "save_as", None) == NOT_FOUND_PAGE for item in own)

    def _write_tag_feeds(self, writer) -> None:
        """Atom and RSS for each tag, newest first, full entries, FLOOR_TAG_FEED_ITEMS of them.

        Pelican's own tag feeds hold up to FEED_MAX_ITEMS (100) entries each; with the
        whole Q&A in every entry, a 1,000-post column spends seconds writing feeds that
        a subscriber reads only the top of.
        """
        # Pelican's writer puts SITENAME and " - " before the title it is handed ("Ask Bea - writing"):
        # in a blog, the column's name goes after it ("My Blog - Ask Bea: writing"), never the site's twice
        column = None if self.column_is_site else titles.column_name(self.settings)
        for tag, tagged in self._feed_tags():
            newest = sorted(tagged, key=lambda a: a.date, reverse=True)[: self.reader.tag_feed_items]
            title = tag.name if column is None else self.lang.gettext("%(name)s: %(tag)s") % {
                "name": column,
                "tag": tag.name,
            }
            for kind, pattern in (("atom", TAG_FEED_ATOM), ("rss", TAG_FEED_RSS)):
                path = pattern.format(slug=tag.slug)
                writer.write_feed(newest, self.context, path, path, kind, feed_title=title)

    def _write(self, writer, name: str, text: str) -> None:
        """A text file, through Pelican's writer like every page (so a deferred or parallel
        writer — engine.py, the live preview — handles it as it handles the rest)."""
        writer.write_file(name, self._text_template, self.context, floor_text=text)

    @functools.cached_property
    def _text_template(self):
        """The text files' template, compiled once for the JSON Feed, the sitemap and robots.txt
        (Jinja compiles a string template anew on every from_string: about 1 ms each)."""
        source = "{{ floor_text|safe }}"
        template = self.env.from_string(source)
        template.floor_source = source  # a string template: the build manifest signs it by this
        return template

    def _json_feed(self) -> dict[str, Any]:
        settings = self.settings
        limit = settings.get("FEED_MAX_ITEMS") or None
        newest = sorted(self.articles, key=lambda a: a.date, reverse=True)[:limit]
        items = []
        for article in newest:
            questions = []
            for qa in article.floor_qas:
                entry = {"id": qa.qid, "question": qa.question}
                if qa.asked is not None:  # none for an old post from the archive
                    entry["asked"] = qa.asked.isoformat()
                if qa.asker:
                    entry["asker"] = qa.asker
                questions.append(entry)
            items.append(
                jsonfeed.Item(
                    id=article.floor_url,
                    url=article.floor_url,
                    title=article.title,
                    content_html=article.get_content(settings.get("SITEURL", "")),
                    summary=article.floor_description or None,
                    date_published=article.date,
                    date_modified=article.floor_modified,
                    tags=[t.name for t in getattr(article, "tags", [])],
                    number=article.number,
                    questions=questions,
                    authors=[{"name": n} for n in getattr(article, "floor_authors", None) or []],
                )
            )
        author = settings.get("AUTHOR")
        return jsonfeed.feed(
            # the column's own feed: in a blog, named after the column, not the blog
            title=str(settings.get("SITENAME") or "")
            if self.column_is_site
            else titles.column_name(settings),
            items=items,
            home_page_url=_url(settings, ""),
            feed_url=_url(settings, self.reader.json_feed or ""),
            description=self.reader.description,
            language=i18n.language_tag(settings.get("DEFAULT_LANG")),
            authors=[{"name": author}] if author else [],
        )

    def _sitemap_entries(self) -> list[tuple[str, Any]]:
        settings, context = self.settings, self.context
        articles = list(context.get("articles", []))
        latest = max((a.date for a in articles), default=None)
        entries: list[tuple[str, Any]] = [(_url(settings, ""), latest)]
        for name in settings.get("DIRECT_TEMPLATES", []):
            if name == "index":
                continue
            save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
            if save_as:
                entries.append((_url(settings, save_as.removesuffix("index.html")), latest))
        for article in sorted(articles, key=lambda a: a.date):
            modified = getattr(article, "floor_modified", None) or getattr(article, "modified", None)
            entries.append((_url(settings, article.url), modified or article.date))
        for page in context.get("pages", []):
            entries.append((_url(settings, page.url), None))
        if settings.get("TAG_SAVE_AS"):
            for tag, tagged in context.get("tags", []):
                entries.append((_url(settings, tag.url), max(a.date for a in tagged)))
        for name in ("ask", "stats", "comment_policy"):  # the search page is noindex
            lastmod = self._stats_lastmod() if name == "stats" else None
            entries.append((_url(settings, self.reader.pages[name]), lastmod))
        return entries

    def _stats_lastmod(self) -> dt.date | None:
        """The Stats page's last change, as far as the files date it: today while its chart runs
        to today (a forecast starts today, or something happened today); the day the count last
        moved while nothing is planned (its chart ends there, and an empty week's sitemap stays
        as it was); none before any question (the page says only that)."""
        figures = self.stats
        if not figures.history:
            return None
        return figures.quiet_since or self.now.date()

    def _robots(self) -> str:
        from urllib.parse import urlsplit

        prefix = urlsplit(self.settings.get("SITEURL", "")).path.rstrip("/")
        disallow = [f"{prefix}/{search.BUNDLE}/"] if self.reader.search else []
        # FLOOR_SITEMAP's default (None) means "when the column is the site", as for writing it
        wanted = self._wants(self.reader.sitemap) and not peers.sitemap_by_peer(self.settings)
        sitemap = _url(self.settings, "sitemap.xml") if wanted else None
        return seo.robots_txt(sitemap, disallow)
