"""What a page is made from, as one digest: the template's sources and the values it can read.

A recorded page (engine.Page) is its template rendered with its local
context. Which names of that context the template can read is known before
rendering: Jinja's own static analysis (``jinja2.meta``) lists the names a
template and every template it extends, includes or imports leaves
undeclared. The page's signature is the digest of those templates' sources
and of each of those names' values; equal signatures mean equal pages, so an
unchanged signature lets the build keep last build's file.

Values are digested by what a template can see of them:

- a post or page (a Pelican ``Content``) by its own facts: its rendered
  content and summary, its URL, and every attribute and metadata value,
  where another post it links to (``floor_prev``, related questions, the
  series jump list) counts by its identity only (by its card, below, when the
  post is signed from its inputs: the card names the post too);
- the page's own post (``article``/``page``) also by what the kit's theme
  shows of the posts it links to (a "card": number, question, title, date,
  and the fields its URL is made from), since its template lists them;
- tags, categories and authors by name, slug and URL; pagination by its
  numbers and the posts it holds; anything else by its value, recursively;
- on the kit's list pages (tag, category, author and archive pages, with no
  template of theirs overridden) every post listed by its card only, since
  that is all ``post_list`` shows; in a feed, each entry by what the feed
  writer reads of it (card, content, summary, tags, category, author,
  modified), not by its neighbours, related questions or jump list. So one
  more post leaves every list and feed it is not in unchanged.

A post signed from its inputs is worked out again only when something it is
made of changed: the build manifest keeps each post's digests (its own facts,
its card, its feed entry) with a probe of what they are made of (its source
file's digest, the posts it links to, which attributes it has, and the values
Pelican may take from elsewhere than the file), and a post whose probe is the
one recorded, and whose linked posts' cards are the recorded ones, keeps its
digests (:meth:`Signer._own_kept`). A weekly post at 1,000 posts works out
44 posts again (the new one, its neighbours, the jump lists and related
questions that now show it); an answer edited, that post alone. A post whose
text links to another file (``{filename}``) keeps no digest of its text.

With the kit's own theme that is exactly what the templates read (they
follow one link from the page's own post, never two, show only a linked
post's card, and list posts by their own facts). Any other theme (or an
override of one of the kit's templates) gets the links' whole own facts for
every post it can reach, one link deep. A template whose references cannot be followed (a
template name computed at render time), a page made from a string template,
or a value that cannot be digested, has no signature: it is rendered every
build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import itertools
import json
import operator
import os
import re
import types
import zoneinfo
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, TemplateNotFound, meta, nodes
from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import Author, Category, Tag, URLWrapper

from .. import paths
from ..core import memo, stats
from . import theme_words

PRIMARY = ("article", "page")  # the page's own content: its links count by their own facts too
# the reader site's weekly facts, the build's moment in them (``now``) and the figures counted
# as of that moment (``stats``, core/stats.Stats.as_of): the kit's templates read only its day
# (tests/pelican_plugin/test_theme_dependencies.py holds them to it), so their pages count it by
# its day; signed to the microsecond, the Stats and About pages were rendered again, to the same
# bytes, by every build that ran Pelican that day (an edited answer's among them)
WEEKLY_FACTS, BUILD_MOMENT, FIGURES = "floor_stats", "now", "stats"
# the kit's templates that show each post they list by its card only (the post_list macro, and
# the site's pages in the header by URL and title): valid while every template they reach is the kit's
CARD_LISTS = frozenset({"tag.html", "category.html", "author.html", "archives.html", "period_archives.html"})
# the kit's paginated list templates: they read ``articles`` only when there is no ``articles_page``
# (no pagination), and index.html shows a page other than the home page (number 1) by cards only
PAGINATED_LISTS = frozenset({"index.html", "tag.html", "category.html", "author.html"})
# what Pelican's feed writer (and the kit's, engine.DeferredWriter) reads of an entry besides its card
_FEED_FIELDS = ("tags", "category", "author", "authors", "modified", "floor", "summary")
# attributes of a Content that are not what a template shows (the settings and the whole
# context are in the build key; the url caches are the engine's and url_memo's)
_SKIP = frozenset({"settings", "_context", "_content", "_summary", "_floor_pinned", "_floor_urls"})
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")  # a repr naming a memory address says nothing stable
_MAX_DEPTH = 12
# attributes a post or page gets from its own source file and the settings alone (Pelican's
# reader and Content, the kit's reader, the share links made from its URL and title): signed
# from inputs, they count by the source file's digest instead of their values
FROM_SOURCE = frozenset({"metadata", "tags", "category", "author", "authors"})
# what the reader's site works out for a post from its question file, its URL, title, date and
# tags and the settings (reader_site._decorate), when that file is the post's own source
DECORATED = frozenset(
    {"floor_share", "floor_qas", "floor_jsonld", "floor_description", "floor_modified", "floor_url"}
)
DECORATED_FROM = "floor_decorated_from"  # the question files a post was decorated from


class Unsigned(Exception):
    """A value (or template) the signature cannot follow: the page is rendered every build."""


def _h(*parts: str) -> str:
    # repr() of a tuple of strings quotes each one: unambiguous, and made at C speed
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _h_nested(parts: list) -> str:
    """A digest of nested tuples of text, numbers, truth values and None (repr is unambiguous)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclasses.dataclass(frozen=True)
class TemplateReads:
    names: frozenset[str]
    sources: str  # digest of every template source in the closure
    kit: bool  # every template in the closure is the kit's own theme's

    @functools.cached_property
    def ordered(self) -> tuple[str, ...]:
        return tuple(sorted(self.names))


class Signer:
    """Signatures for one build's pages; digests of shared values are worked out once."""

    def __init__(
        self,
        settings: Mapping[str, Any],
        site_root: Path | str | None = None,
        sources: Mapping[str, str] | None = None,
        previous: Mapping[str, list] | None = None,
    ) -> None:
        """``site_root``: paths inside it (a post's source_path) count relative to it, so the
        same site checked out in another folder signs its pages alike.

        ``sources``: the digest of every file the build read, by its path relative to the
        site (the build manifest's input stamps), when nothing but the kit and Pelican makes
        the posts: a post is then signed from its inputs (see :meth:`own`).

        ``previous``: the last build's post records (build_manifest.Manifest.posts), from a
        manifest made under the same build key and signed with the column's key: a post whose
        probe (:meth:`_probe`) is the one recorded keeps its recorded card and feed entry, and
        its own digest too when the posts it links to have their recorded cards
        (:meth:`_own_kept`), instead of having them worked out again."""
        self._sources = sources if site_root is not None else None
        self.siteurl = settings.get("SITEURL", "")
        self._root = str(Path(site_root).absolute()) + os.sep if site_root is not None else None
        self._card_fields = _card_fields(settings)
        self._card: dict[int, tuple[Any, str]] = {}
        self._entry: dict[int, tuple[Any, str]] = {}
        self._full_wide: dict[int, tuple[Any, str]] = {}
        self._templates: dict[tuple[int, str], TemplateReads | None] = {}
        # each template's source and analysis, read once though several closures reach it
        self._sources_read: dict[tuple[int, str], tuple] = {}
        self._values: dict[tuple[int, bool], tuple[Any, str]] = {}
        self._own: dict[int, tuple[Any, str]] = {}
        self._texts: dict[int, tuple[Any, tuple[str, str]]] = {}  # a post's content and summary digests
        self._by_inputs: dict[int, Content] = {}  # the posts whose own digest is from inputs
        # what a page reads of the shared context, by which names it reads of it (and how)
        self._common: dict[tuple, tuple[Any, str]] = {}
        self._refs: dict[int, tuple[Any, tuple]] = {}
        self._full: dict[int, tuple[Any, str]] = {}
        self._theme = os.path.realpath(paths.THEME_DIR)
        self._previous = previous if self._sources is not None else None
        self._probes: dict[int, tuple[Any, tuple | None]] = {}
        self._same: dict[int, tuple[Any, list | None]] = {}
        self._card_same: dict[int, bool] = {}  # whether a post's card is the recorded one, by id
        self._token_ids: dict[int, str] = {}  # a post (or None) in a probe, by id (held in _alive)
        self._alive: list[Any] = []
        # a post's attribute names, as its probe holds them, and those it looks at
        self._shapes: dict[tuple, tuple[str, tuple[str, ...]]] = {}
        self._lists: dict[tuple, tuple] = {}  # a list a probe holds, by its items' ids (_list_probe)
        self._last_list: dict[str, tuple] = {}  # the last list a probe held, by its attribute's name
        self._linked: dict[tuple, tuple] = {}  # a list an own digest holds, by its items' ids (_linked_part)
        self._last_linked: dict[str, tuple] = {}  # the last such list, by its attribute's name
        self._group_same: dict[int, tuple[tuple, bool]] = {}  # a probe's list of links: all cards kept?

    # -- templates ------------------------------------------------------------------

    def reads(self, template) -> TemplateReads | None:
        """The names ``template`` (with what it extends, includes, imports) can read, or None."""
        name = getattr(template, "name", None)
        env = getattr(template, "environment", None)
        if env is None:
            return None
        if not name:  # a string template is signed only when its maker says what its source is
            source = getattr(template, "floor_source", None)
            return _string_reads(env, source) if isinstance(source, str) else None
        key = (id(env), name)
        if key not in self._templates:
            self._templates[key] = _closure(env, name, self._theme, self._sources_read)
        return self._templates[key]

    # -- pages ----------------------------------------------------------------------

    def page(self, name: str, template, localcontext: Mapping[str, Any]) -> str | None:
        reads = self.reads(template)
        if reads is None:
            return None
        template_name = getattr(template, "name", None)
        listed = localcontext.get("articles_page") if reads.kit and template_name in PAGINATED_LISTS else None
        home = template_name == "index.html" and (not listed or listed.number == 1)
        cards = reads.kit and (template_name in CARD_LISTS or (template_name == "index.html" and not home))
        # engine.Page's context: the page's own values in front of the context all pages share
        maps = localcontext.maps if isinstance(localcontext, ChainMap) else (localcontext,)
        links = not reads.kit
        try:
            parts = ["page", name, reads.sources, self._scalar(localcontext.get("localsiteurl"))]
            if len(maps) == 2:
                own, common = maps
                keys = reads.names & own.keys()  # (at C speed) a handful: the rest are shared
                # what the page reads of the shared context, digested once for every page that
                # reads the same names of it (every post's page, say)
                shape = (reads, frozenset(keys), links, cards, bool(listed))
                hit = self._common.get(shape)
                if hit is None or hit[0] is not common:
                    names = [k for k in reads.ordered if k not in keys]
                    digest = self._context_part(names, (common,), reads, listed, links, cards)
                    hit = self._common[shape] = (common, digest)
                parts.append(hit[1])
                parts.append(self._context_part(sorted(keys), (own,), reads, listed, links, cards))
            else:
                parts.append(self._context_part(reads.ordered, maps, reads, listed, links, cards))
            return _h(*parts)
        except (Unsigned, RecursionError):
            return None

    def _context_part(self, keys, maps, reads: TemplateReads, listed, links: bool, cards: bool) -> str:
        """The digest of the values of ``keys`` a page's template reads, looked up in ``maps``."""
        parts = ["context"]
        for key in keys:
            if key == "articles" and listed:
                continue  # the kit's list templates read the whole list only when it is not paginated
            for mapping in maps:
                if key in mapping:
                    value = mapping[key]
                    break
            else:
                continue
            if key in PRIMARY and isinstance(value, Content):
                parts += [key, self.full(value, kit=reads.kit)]
            elif key == WEEKLY_FACTS and reads.kit:
                parts += [key, self.value(_moment_as_day(value), links=links, cards=cards)]
            else:
                parts += [key, self.value(value, links=links, cards=cards)]
        return _h(*parts)

    def feed(
        self, name: str, elements, context: Mapping[str, Any], path, url, feed_type, kwargs
    ) -> str | None:
        """A feed: its place and type, its items' own facts, and the settings (in the build key)."""
        try:
            items = [self.feed_entry(e) if isinstance(e, Content) else self.value(e) for e in elements]
            return _h(
                "feed",
                name,
                str(path),
                str(url),
                str(feed_type),
                self.value(dict(kwargs)),
                self._scalar(context.get("localsiteurl")),
                *items,
            )
        except (Unsigned, RecursionError):
            return None

    # -- values ---------------------------------------------------------------------

    def own(self, content: Content) -> str:
        """A post's or page's own facts; another Content it holds counts by identity (by its
        card, which names it, when the post is signed from its inputs)."""
        memo = self._own.get(id(content))
        if memo is not None and memo[0] is content:
            return memo[1]
        digest = None
        if self._sources is not None:
            digest = self._own_kept(content)
            if digest is None:
                digest = self._own_from_inputs(content)
        if digest is None:
            digest = self._own_by_value(content)
        self._own[id(content)] = (content, digest)
        return digest

    def _input_of(self, content: Content) -> tuple[str, str, str] | None:
        """(its source as signed, that file's path relative to the site, its digest: the
        manifest's stamp); None when the post is not made of that file alone (the parts of a
        multi-question post) or the file is not one of the site's inputs."""
        attrs = vars(content)
        if "floor_part" in attrs or "floor_question_ids" in attrs:
            return None
        source = self._source(content)
        if not source.startswith("<site>/"):
            return None
        rel = source[len("<site>/") :].replace(os.sep, "/")
        file_digest = self._sources.get(rel)
        return None if file_digest is None else (source, rel, file_digest)

    def _from_inputs_head(self, content: Content) -> list | None:
        """The start of a digest from inputs: the source file's path and digest (the manifest's
        stamp), the rendered content and summary; None without such a file (:meth:`_input_of`)."""
        found = self._input_of(content)
        if found is None:
            return None
        source, _rel, file_digest = found
        return [
            "from-inputs",
            type(content).__name__,
            source,
            file_digest,
            *self._text(content),
        ]

    def _text(self, content: Content) -> tuple[str, str]:
        """Digests of a post's rendered content and summary, taken once for its own digest and
        its feed entry (the text is most of what either hashes)."""
        memo = self._texts.get(id(content))
        if memo is None or memo[0] is not content:
            text = (_h("s", content.get_content(self.siteurl)), _h("s", content.get_summary(self.siteurl)))
            memo = self._texts[id(content)] = (content, text)
        return memo[1]

    def _own_from_inputs(self, content: Content) -> str | None:
        """A post's own facts from what it was made of, in one pass: its source file's digest
        (the manifest's stamp) stands for what the readers made of that file alone
        (FROM_SOURCE); its rendered content and summary (in which links to other posts are
        resolved) and every other attribute count by value, where each post it links to (a
        neighbour, a related question, an entry of the jump list) counts by its card, which
        names that post too. So the digest is also what the kit's templates show of the post
        and its links (:meth:`full`), worked out once per post: a page's links cost a lookup
        each (every card is worked out once), not a walk of their values. None (sign by value)
        for a post made of several files (the parts of a multi-question post) or from a file
        outside the site's inputs."""
        parts = self._from_inputs_head(content)
        if parts is None:
            return None
        attrs = vars(content)
        own_file = attrs.get(DECORATED_FROM) == (str(content.source_path),)
        card, ref = self.card, self._ref
        for key, value in sorted(attrs.items()):
            if key in _SKIP:
                continue
            if key in FROM_SOURCE or (own_file and key in DECORATED):
                parts.append(key)
                continue
            kind = type(value)
            if kind is list or kind is tuple:
                parts += [key, self._linked_part(key, value)]
            elif isinstance(value, Content):
                parts += [key, ("card", card(value))]
            else:
                parts += [key, ref(value)]
        digest = _h_nested(parts)
        self._by_inputs[id(content)] = content
        return digest

    def _linked_part(self, key: str, value: list | tuple) -> tuple:
        """A list an own digest holds (the jump list, the related questions), each post in it by
        its card and anything else by value, as one digest: worked out once per list, not once
        per post holding it. The posts of one block of the jump list hold equal lists (26
        different ones among 1,001 posts) and are signed one after the other, so the list is
        compared with the last one seen under its name, item by item by identity (at C speed),
        before it is looked up by its items' ids; the items are held with the result, so those
        ids stay theirs while it is kept."""
        last = self._last_linked.get(key)
        if (
            last is not None
            and last[1][1] == type(value).__name__  # (a tuple of a list's items is another value)
            and len(last[0]) == len(value)
            and all(map(operator.is_, last[0], value))
        ):
            return last[1]
        ids = (type(value), *map(id, value))
        hit = self._linked.get(ids)
        if hit is None:
            items = tuple(value)
            card, ref, cards = self.card, self._ref, self._card
            parts = []
            for item in items:
                if isinstance(item, Content):
                    memo = cards.get(id(item))
                    parts.append(("card", memo[1] if memo is not None and memo[0] is item else card(item)))
                else:
                    parts.append(ref(item))
            # (a tuple no _ref makes: a list or tuple gives one that starts with its type's name)
            hit = self._linked[ids] = (items, ("links-of", type(value).__name__, _h_nested(parts)))
        self._last_linked[key] = hit
        return hit[1]

    # -- the last build's digests, for the posts whose inputs did not change ---------------

    def _probe(self, content: Content) -> tuple | None:
        """(source path relative to the site, probe digest, the posts it links to), or None for
        a post whose digests are not kept between builds.

        The probe stands for what a post's digests from its inputs (:meth:`_own_from_inputs`,
        :meth:`card`, :meth:`feed_entry`) are made of, without reading it all: the source
        file's digest (the manifest's stamp), which the readers' and the kit's plugins' values
        are made from with the settings (the build key); the posts it links to (its neighbours,
        related questions, jump list, translations), by their source paths, looked up at C
        speed; which attributes it has; and the three values Pelican may take from elsewhere
        than the file (a date or modified time from the file system, a status from the clock).
        A post holding a value of another kind than those the readers and the kit's plugins
        set (text, numbers, dates, tags and the like, lists of them, posts) has no probe: its
        digests are worked out every build, as a post decorated from other files than its own
        (merged questions) has."""
        memo = self._probes.get(id(content))
        if memo is not None and memo[0] is content:
            return memo[1]
        found = self._probe_of(content)
        self._probes[id(content)] = (content, found)
        return found

    def _probe_of(self, content: Content) -> tuple | None:
        if hasattr(content, "_get_content"):
            return None
        attrs = vars(content)
        if attrs.get(DECORATED_FROM) != (str(content.source_path),):
            return None
        found = self._input_of(content)
        if found is None:
            return None
        _source, rel, file_digest = found
        # which attributes it has: the same few shapes for every post, each sorted once
        shape = self._shapes.get(tuple(attrs))
        if shape is None:
            shape = self._shapes[tuple(attrs)] = (
                _h("names", *sorted(attrs.keys() - _SKIP)),
                tuple(sorted(attrs.keys() - _PROBE_SKIP)),
            )
        names, keys = shape
        outside = (attrs.get("date"), attrs.get("modified"), attrs.get("_status"), attrs.get("status"))
        if not all(map(_SOURCE_KINDS.__contains__, map(type, outside))):
            return None
        parts = [type(content).__name__, rel, file_digest, names, repr(outside)]
        links: list[Content] = []
        groups: list[tuple] = []  # the lists' posts, each list's tuple shared by the posts holding it
        values = list(map(attrs.__getitem__, keys))
        # most attributes are plain values, passed over: the others picked out at C speed
        others = map(operator.not_, map(_SOURCE_KINDS.__contains__, map(type, values)))
        for key, value in itertools.compress(zip(keys, values, strict=True), others):
            kind = type(value)
            if kind is list or kind is tuple:
                token, held = self._list_probe(key, value)
                if token is None:
                    return None
                if token:  # (a list of plain values is passed over like one)
                    parts += [key, kind.__name__, token]
                    links += held
                    groups.append(held)
            elif isinstance(value, Content):
                parts += [key, self._token_ids.get(id(value)) or self._tokens_of((value,))[0]]
                links.append(value)
                groups.append((value,))
            else:
                return None  # a value the readers and the kit's plugins do not set
        text = "\0".join(parts)
        if text.count("\0") != len(parts) - 1:  # (no path, name or digest holds a NUL: a part did)
            return None
        return (
            rel,
            hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest(),
            tuple(links),
            tuple(groups),
        )

    def _list_probe(self, key: str, value: list | tuple) -> tuple[str | None, tuple]:
        """What a probe holds of a list of links (the jump list, the related questions): one
        digest of its posts (and gaps) by their source paths, with the posts in it; "" for a
        list of plain values only (passed over like one), None for one holding anything else.

        The posts of one block of the jump list have the same list, and are signed one after
        the other: the list is compared with the last one seen under its name, item by item by
        identity (at C speed), before it is looked up by its items' ids."""
        last = self._last_list.get(key)  # (never a list of plain values: those are not kept)
        if last is not None and len(last[0]) == len(value) and all(map(operator.is_, last[0], value)):
            return last[1]
        if all(map(_SOURCE_KINDS.__contains__, map(type, value))):  # (a list of posts: at its first)
            return _PLAIN
        ids = tuple(map(id, value))
        hit = self._lists.get(ids)
        if hit is None:
            items = tuple(value)  # held with the result, so the ids stay theirs while it is kept
            tokens = self._tokens_of(items)
            result = (None, ()) if tokens is None else (_h("links", *tokens), tuple(filter(_NOT_NONE, items)))
            hit = self._lists[ids] = (items, result)
        self._last_list[key] = hit
        return hit[1]

    def _tokens_of(self, value: list | tuple) -> list | None:
        """A list of posts (and None, the jump list's gaps) as their source paths, looked up at
        C speed; None if it holds anything else."""
        tokens = list(map(self._token_ids.get, map(id, value)))
        if None not in tokens:
            return tokens
        for item in itertools.compress(value, map(operator.not_, tokens)):  # the ones not seen yet
            if item is not None and not isinstance(item, Content):
                return None
            self._alive.append(item)  # (an id stays this object's while it is held)
            self._token_ids[id(item)] = "-" if item is None else f"{type(item).__name__}:{self._source(item)}"
        return list(map(self._token_ids.get, map(id, value)))

    def _unchanged(self, content: Content) -> list | None:
        """The last build's record of ``content`` when its probe is the one recorded, else None.
        (Its probe is taken here, while it is signed, for :meth:`records`.)"""
        if self._sources is None:
            return None
        memo = self._same.get(id(content))
        if memo is not None and memo[0] is content:
            return memo[1]
        record = None
        found = self._probe(content)
        if found is not None and self._previous is not None:
            record = self._previous.get(found[0])
            if record is not None and record[0] != found[1]:
                record = None
        self._same[id(content)] = (content, record)
        return record

    def _card_unchanged(self, content: Content) -> bool:
        """Whether a linked post's card is the one the last build recorded: at once when its
        probe is unchanged, else by working the card out (an answer edited leaves it as it was,
        so the posts that link to that post keep their digests)."""
        same = self._card_same.get(id(content))
        if same is None:
            if self._unchanged(content) is not None:
                same = True
            else:
                probe = self._probe(content)
                record = self._previous.get(probe[0]) if probe is not None else None
                same = record is not None and record[2] is not None and record[2] == self.card(content)
            self._card_same[id(content)] = same  # (the content is held in _same)
        return same

    def _own_kept(self, content: Content) -> str | None:
        """The recorded own digest of a post whose probe is unchanged and whose linked posts'
        cards are the recorded ones: its digest holds its links by their cards."""
        record = self._unchanged(content)
        if record is None or record[1] is None:
            return None
        for group in self._probe(content)[3]:
            if len(group) == 1:  # a neighbour
                same = self._card_same.get(id(group[0]))
                if same is None:
                    same = self._card_unchanged(group[0])
            else:  # a list, shared by the posts of a block (the jump list): looked at once
                memo = self._group_same.get(id(group))
                if memo is None or memo[0] is not group:
                    memo = self._group_same[id(group)] = (group, self._cards_unchanged(group))
                same = memo[1]
            if not same:
                return None
        self._by_inputs[id(content)] = content
        return record[1]

    def _cards_unchanged(self, linked: tuple) -> bool:
        """Whether every post in ``linked`` has the card the last build recorded."""
        same = list(map(self._card_same.get, map(id, linked)))  # at C speed: up to about 45 links
        if False in same:
            return False
        if None in same:  # the links not looked at yet (the later posts' cards): those alone
            unknown = itertools.compress(linked, map(operator.not_, same))
            return all(map(self._card_unchanged, unknown))
        return True

    def records(self) -> dict[str, list]:
        """This build's post records for the manifest: each post signed from its inputs with its
        probe and the digests worked out (or kept) for it. The own digest and feed entry are
        kept only for a post whose text links to no other file (Pelican's ``{filename}``
        links): its text then does not change unless its own probe does."""
        if self._sources is None:
            return {}
        found: dict[str, list] = {}
        twice: set[str] = set()
        for content, probe in self._probes.values():  # taken while the posts were signed
            if probe is None:
                continue
            rel, digest = probe[0], probe[1]
            if rel in found:
                twice.add(rel)  # two posts from one file: neither is kept
                continue
            key = id(content)
            own = self._own.get(key) if self._by_inputs.get(key) is content else None
            entry = self._entry.get(key)
            card = self._card.get(key)
            same = self._same.get(key)
            kept = same[1] if same is not None and same[0] is content else None
            # a record that kept a text digest was made of this very text, which had no links
            resolved = kept is not None and (kept[1] is not None or kept[3] is not None)
            resolved = resolved or _links_free(content, self.siteurl)
            found[rel] = [
                digest,
                own[1] if own is not None and own[0] is content and resolved else None,
                card[1] if card is not None and card[0] is content else None,
                entry[1] if entry is not None and entry[0] is content and resolved else None,
            ]
        for rel in twice:
            del found[rel]
        return found

    def _own_by_value(self, content: Content) -> str:
        # its URL is made from its metadata (below) and the settings (the build key)
        parts = [
            type(content).__name__,
            self._source(content),
            content.get_content(self.siteurl),
            content.get_summary(self.siteurl),
        ]
        attrs = vars(content)
        for key, value in sorted(attrs.items()):
            if key in _SKIP:
                continue
            if key == "metadata" and isinstance(value, Mapping):
                value = _metadata_beyond_attributes(value, attrs)
            parts += [key, self._ref(value)]
        return _h_nested(parts)

    def feed_entry(self, content: Content) -> str:
        """What a feed shows of a post: its card, its content and summary, tags, category,
        author and modified date (Writer._add_item_to_the_feed), nothing of its neighbours."""
        memo = self._entry.get(id(content))
        if memo is not None and memo[0] is content:
            return memo[1]
        record = self._unchanged(content)
        if record is not None and record[3] is not None:
            self._entry[id(content)] = (content, record[3])
            return record[3]
        attrs = vars(content)
        parts = ["entry", self.card(content), *self._text(content)]
        for key in _FEED_FIELDS:
            if key in attrs:
                parts += [key, self._ref(attrs[key])]
        digest = _h_nested(parts)
        self._entry[id(content)] = (content, digest)
        return digest

    def card(self, content: Content) -> str:
        """What the kit's theme shows of a post it links to: number, question, title, date, and
        whatever its URL is made from (the fields the URL settings name, slug, lang, category)."""
        memo = self._card.get(id(content))
        if memo is not None and memo[0] is content:
            return memo[1]
        record = self._unchanged(content)
        if record is not None and record[2] is not None:
            self._card[id(content)] = (content, record[2])
            return record[2]
        attrs = vars(content)
        parts = [type(content).__name__, self._source(content)]
        for key in self._card_fields:
            if key in attrs:
                parts += [key, self._ref(attrs[key])]
        digest = _h_nested(parts)
        self._card[id(content)] = (content, digest)
        return digest

    def full(self, content: Content, *, kit: bool = True) -> str:
        """Own facts, and what a template can show of every Content it links to (one step)."""
        memo_table = self._full if kit else self._full_wide
        memo = memo_table.get(id(content))
        if memo is not None and memo[0] is content:
            return memo[1]
        if kit and self._sources is not None:
            own = self.own(content)
            if self._by_inputs.get(id(content)) is content:  # its links are in it by their cards
                memo_table[id(content)] = (content, own)
                return own
        linked: list[str] = []
        for _key, value in sorted(vars(content).items()):
            if _key in _SKIP:
                continue
            for item in _contents_in(value):
                linked.append(self.card(item) if kit else self.own(item))
        digest = _h("full", self.own(content), *linked)
        memo_table[id(content)] = (content, digest)
        return digest

    def value(self, value: Any, *, links: bool = False, cards: bool = False, depth: int = 0) -> str:
        """A digest of what a template can read of ``value`` (``cards``: a post by its card only)."""
        if cards and isinstance(value, Content):  # a post in a list the kit shows by cards
            return self.card(value)
        scalar = _scalar_or_none(value)
        if scalar is not None:
            return scalar
        if depth > _MAX_DEPTH:
            raise Unsigned("too deep")
        memo_key = (id(value), links, cards)
        memo = self._values.get(memo_key)
        if memo is not None and memo[0] is value:
            return memo[1]
        digest = self._digest(value, links, depth, cards)
        self._values[memo_key] = (value, digest)
        return digest

    def _digest(self, value: Any, links: bool, depth: int, cards: bool = False) -> str:
        sub = depth + 1
        if isinstance(value, Content):
            if cards:
                return self.card(value)
            return self.full(value, kit=False) if links else self.own(value)
        if isinstance(value, URLWrapper):
            return _h(
                "wrapper", type(value).__name__, value.name, value.slug
            )  # its URL is made from its name and slug and the settings (the build key)
        if isinstance(value, PaginatorPage):
            return _h(
                "pagination-page",
                value.full_name,
                str(value.base_url),
                str(value.number),
                # its neighbours in reading order (stable pagination: not number ± 1)
                str(value.has_previous() and value.previous_page_number()),
                str(value.has_next() and value.next_page_number()),
                self.value(value.paginator, links=links, cards=cards, depth=sub),
                self.value(list(value.object_list), links=links, cards=cards, depth=sub),
            )
        if isinstance(value, Paginator):
            return _h(
                "paginator",
                value.name,
                str(value.url),
                str(value.per_page),
                str(value.orphans),
                str(value.num_pages),
                # the kit's templates read only num_pages of it; each page signs its own posts
                self.value(list(value.object_list), links=links, cards=cards, depth=sub) if links else "",
            )
        if isinstance(value, Mapping):
            items = sorted(
                (
                    (self._scalar(k), self.value(v, links=links, cards=cards, depth=sub))
                    for k, v in value.items()
                )
            )
            return _h("map", type(value).__name__, *(x for pair in items for x in pair))
        if isinstance(value, (list, tuple)):
            if value and all(map(isinstance, value, itertools.repeat(Content))):
                # a list of posts (a tag's, the archives'): each by what :meth:`value` gives a
                # post, looked up without a call of it per post
                if cards:
                    items = map(self.card, value)
                elif sub > _MAX_DEPTH:
                    raise Unsigned("too deep")
                else:
                    each = functools.partial(self.full, kit=False) if links else self.own
                    items = map(each, value)
                return _h("seq", type(value).__name__, *items)
            return _h(
                "seq",
                type(value).__name__,
                *(self.value(v, links=links, cards=cards, depth=sub) for v in value),
            )
        if isinstance(value, (set, frozenset)):
            return _h("set", *sorted(self.value(v, links=links, cards=cards, depth=sub) for v in value))
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)):
            return _h(
                "code", getattr(value, "__module__", "") or "", getattr(value, "__qualname__", repr(value))
            )
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            # (the statistics' weeks: a thousand small records of plain values, on two pages)
            parts = ["dataclass", type(value).__qualname__]
            for name in _field_names(type(value)):
                field = getattr(value, name)
                scalar = _scalar_or_none(field)
                parts += [
                    name,
                    scalar if scalar is not None else self.value(field, links=links, cards=cards, depth=sub),
                ]
            return _h(*parts)
        if hasattr(value, "__dict__") and not callable(value):
            attrs = sorted(
                (k, self.value(v, links=links, cards=cards, depth=sub)) for k, v in vars(value).items()
            )
            return _h("object", type(value).__qualname__, *(x for pair in attrs for x in pair))
        text = repr(value)
        if ADDRESS.search(text):
            raise Unsigned(f"cannot digest a {type(value).__qualname__}")
        return _h("repr", type(value).__qualname__, text)

    def _ref(self, value: Any, depth: int = 0) -> Any:
        """A Content attribute's value as plain nested tuples (other Contents by identity only),
        hashed once with the rest of the Content rather than piece by piece."""
        kind = type(value)
        if kind is str:
            return self._place(value)
        if kind is int or kind is bool or value is None:
            return value
        if depth > _MAX_DEPTH:
            raise Unsigned("too deep")
        if isinstance(value, Content):
            ref = self._refs.get(id(value))
            if ref is None or ref[0] is not value:
                ref = self._refs[id(value)] = (value, ("ref", type(value).__name__, self._source(value)))
            return ref[1]
        if isinstance(value, URLWrapper):
            return ("wrapper", type(value).__name__, value.name, value.slug)
        if kind is list or kind is tuple:
            return (kind.__name__, *(self._ref(v, depth + 1) for v in value))
        if isinstance(value, Mapping):
            items = sorted(((self._scalar(k), self._ref(v, depth + 1)) for k, v in value.items()), key=repr)
            return ("map", *items)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = dataclasses.fields(value)
            return (type(value).__qualname__, *(self._ref(getattr(value, f.name), depth + 1) for f in fields))
        return ("value", self.value(value))

    def _place(self, text: str) -> str:
        """A path inside the site, relative to it (the site's folder is no part of a page)."""
        root = self._root
        return "<site>/" + text[len(root) :] if root is not None and text.startswith(root) else text

    def _source(self, content: Content) -> str:
        return self._place(str(getattr(content, "source_path", "")))

    @staticmethod
    def _scalar(value: Any) -> str:
        scalar = _scalar_or_none(value)
        return (
            scalar
            if scalar is not None
            else _h("repr", type(value).__qualname__, ADDRESS.sub("", repr(value)))
        )


# the kinds of value Pelican's readers and Content and the kit's plugins make from a post's source
# file and the settings alone (the tags, category and authors, ``URLWrapper`` subclasses, too)
_SOURCE_KINDS = frozenset(
    {str, int, bool, float, type(None), dt.date, dt.datetime, zoneinfo.ZoneInfo, Tag, Category, Author}
)


_NOT_NONE = functools.partial(operator.is_not, None)
_PLAIN: tuple[str, tuple] = ("", ())  # what a probe holds of a list of plain values: nothing
_PROBE_SKIP = _SKIP | FROM_SOURCE | DECORATED  # what a probe passes over (but for its name)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    """A dataclass's field names, in order (``dataclasses.fields`` builds them each call)."""
    return tuple(f.name for f in dataclasses.fields(kind))


def _links_free(content: Content, siteurl: str) -> bool:
    """True when the text the reader made held no link Pelican resolves against other files
    (``{filename}``, ``{static}``…), so the page's text is that text as it is: Pelican's
    resolution (``re.sub``) hands back the very string it was given when nothing matched, and
    its result is memoised (the digest just worked out read it). A copy, were ``re.sub`` ever
    to make one, only means the post's text digest is not kept."""
    raw = vars(content).get("_content")
    return raw is None or content.get_content(siteurl) is raw


def _moment_as_day(facts: Any) -> Any:
    """``facts`` (the reader site's weekly facts) with the build's moment as its day, for the
    kit's templates, which read nothing else of it; anything not of that shape as it is."""
    if type(facts) is not dict:
        return facts
    moment = facts.get(BUILD_MOMENT)
    if type(moment) is not dt.datetime:
        return facts
    as_day = {**facts, BUILD_MOMENT: moment.date()}
    figures = facts.get(FIGURES)
    if type(figures) is stats.Stats and figures.as_of == moment:
        as_day[FIGURES] = dataclasses.replace(figures, as_of=moment.date())
    return as_day


def _scalar_or_none(value: Any) -> str | None:
    if value is None:
        return "n:"
    if isinstance(value, bool):
        return f"b:{value}"
    if isinstance(value, (int, float)) and not isinstance(value, enum.Enum):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, str):
        return "s:" + value if len(value) < 64 else _h("s", value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return f"t:{type(value).__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}"
    if isinstance(value, (dt.tzinfo, Path, enum.Enum)):
        return f"r:{type(value).__qualname__}:{value}"
    if isinstance(value, bytes):
        return _h("bytes", value.hex())
    return None


# what the kit's theme shows of a linked post (series navigation, jump list, related questions)
_CARD = ("number", "question", "title", "date", "locale_date", "slug", "lang", "category", "status")
_CARD += ("author", "authors", "override_url", "override_save_as", "in_default_lang", "translations")


def _card_fields(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The card's attributes, with every field a URL setting is formatted from ({date:%Y}, {slug}…)."""
    import string

    fields = set(_CARD)
    for key, value in settings.items():
        if isinstance(key, str) and key.endswith(("_URL", "_SAVE_AS")) and isinstance(value, str):
            try:
                parsed = list(string.Formatter().parse(value))
            except ValueError:
                continue
            for _text, field, _spec, _conv in parsed:
                if field:
                    fields.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    return tuple(sorted(fields))


def _metadata_beyond_attributes(metadata: Mapping[str, Any], attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Metadata values that are not the very object Pelican also set as an attribute (most are)."""
    missing = object()
    return {k: v for k, v in metadata.items() if attrs.get(str(k).lower(), missing) is not v}


def _contents_in(value: Any) -> list[Content]:
    if isinstance(value, Content):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, Content)]
    return []


def _closure(env: Environment, name: str, theme: str, read: dict | None = None) -> TemplateReads | None:
    """Names left undeclared by ``name`` and every template it reaches, or None if one is dynamic.

    ``read``: each template's part of that, by the environment and its name, as a signer keeps
    it for one build (the base layout is reached from every page's template: read once)."""
    names: set[str] = set()
    sources: list[str] = []
    kit = True
    todo, seen = [name], set()
    read = {} if read is None else read
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        key = (id(env), current)
        found = read.get(key)
        if found is None:
            found = read[key] = _template_part(env, current, theme)
        if found is _DYNAMIC:
            return None
        digest, in_theme, parsed = found
        sources.append(digest)
        if parsed is None:  # `include … ignore missing`: absent now
            continue
        kit = kit and in_theme
        names |= parsed.undeclared
        if None in parsed.refs:
            return None
        todo.extend(parsed.refs)
        if _reads_whole_context(env, parsed):
            return None
    return TemplateReads(frozenset(names), _h(*sorted(sources)), kit)


_DYNAMIC = ("dynamic",)  # a template that could not be read or parsed: no closure holds it


def _template_part(env: Environment, name: str, theme: str) -> tuple:
    """(digest of its name and source, whether it is the kit's theme's, its analysis), the
    analysis None for a template that is missing; _DYNAMIC for one that cannot be read or parsed."""
    try:
        source, filename, _uptodate = env.loader.get_source(env, name)
    except TemplateNotFound:
        return (_h("missing", name), True, None)
    except Exception:
        return _DYNAMIC
    in_theme = bool(filename) and os.path.commonpath([os.path.realpath(filename), theme]) == theme
    try:
        parsed = _parsed(env, source)
    except Exception:
        return _DYNAMIC
    return (_h(name, source), in_theme, parsed)


@dataclasses.dataclass(frozen=True)
class _Parsed:
    """What the signer needs of one template source: plain names, no tree."""

    undeclared: frozenset[str]
    refs: tuple[str | None, ...]  # None: a template name computed at render time
    filters: frozenset[str]
    tests: frozenset[str]
    calls: frozenset[str]  # names called as functions (globals, when not declared)


def _analyse(text: str) -> str:
    """The memo's pure function: a template's names as JSON, from its syntax and source."""
    syntax, source = json.loads(text)
    (block, block_end, var, var_end, comment, comment_end, line, line_comment, trim, lstrip, newline,
     trailing, extensions) = syntax  # fmt: skip
    env = Environment(
        block_start_string=block,
        block_end_string=block_end,
        variable_start_string=var,
        variable_end_string=var_end,
        comment_start_string=comment,
        comment_end_string=comment_end,
        line_statement_prefix=line,
        line_comment_prefix=line_comment,
        trim_blocks=trim,
        lstrip_blocks=lstrip,
        newline_sequence=newline,
        keep_trailing_newline=trailing,
        extensions=extensions,
    )
    # the names found do not depend on what a filter or test does, only that it exists
    env.filters = _AnyName(env.filters)
    env.tests = _AnyName(env.tests)
    return _names(env.parse(source))


class _AnyName(dict):
    """Filters or tests of which every name exists (the site's own are not known here)."""

    def get(self, key, default=None):
        return super().get(key) or _anything


def _anything(*_args, **_kwargs) -> None:
    return None


def _names(ast: nodes.Template) -> str:
    return json.dumps(
        [
            sorted(meta.find_undeclared_variables(ast)),
            list(meta.find_referenced_templates(ast)),
            sorted({n.name for n in ast.find_all(nodes.Filter)}),
            sorted({n.name for n in ast.find_all(nodes.Test)}),
            sorted({n.node.name for n in ast.find_all(nodes.Call) if isinstance(n.node, nodes.Name)}),
        ]
    )


# Parsing every template again was a fifth of signing: what it yields is a pure function of the
# source and the syntax, so it is kept between builds like the Markdown (core/memo.py, JSON).
_SALT = f"template-reads 1 {jinja2.__version__}"
# The same results for the kit's own theme, as the kit ships them (`make template-reads`): a
# build with no .cache/ (a first build, a CI run without its cache) parsed and analysed about 20
# templates, about 0.1 s of CPU on one core, for results that are the same on every site.
SHIPPED = Path(__file__).with_name("template_reads.json")


def _analyse_shipped_first(text: str) -> str:
    """The memo's function: :func:`_analyse`, whose result for the kit's own templates under the
    kit's syntax is shipped with the kit (:func:`shipped`, found by the memo's own digest of the
    same input), else worked out here."""
    found = shipped().get(memo.digest(text))
    return found if found is not None else _analyse(text)


@functools.cache
def shipped(path: Path = SHIPPED) -> dict[str, str]:
    """The shipped results by their input's digest, checked entry by entry: made under another
    Jinja (the salt), or not of the shape :func:`_names` writes, the file is not used at all."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    reads = data.get("reads") if isinstance(data, dict) and data.get("salt") == _SALT else None
    if not isinstance(reads, dict):
        return {}
    for key, value in reads.items():
        if not (isinstance(key, str) and _DIGEST.fullmatch(key) and isinstance(value, str)):
            return {}
        if _checked(value) is None:
            return {}
    return reads


_DIGEST = re.compile(r"[0-9a-f]{32}")
_analysis = memo.register("template-reads", _analyse_shipped_first, keep=True, salt=_SALT)


def _parsed(env: Environment, source: str) -> _Parsed:
    """A template's undeclared names, references and the filters, tests and calls it uses."""
    syntax = _syntax(env)
    try:
        found = _checked(_analysis(json.dumps([syntax, source])))
    except Exception:  # an extension that cannot be made again by its name: parse it here
        found = None
    if found is None:  # or a kept result not of the shape _names writes
        found = _checked(_names(env.parse(source)))
    if found is None:
        raise ValueError("template analysis failed")
    return found


def _syntax(env: Environment) -> list:
    """What parsing depends on besides the source: the delimiters, whitespace rules, extensions."""
    return [
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        sorted(f"{type(e).__module__}.{type(e).__qualname__}" for e in env.extensions.values()),
    ]


def _checked(text: str) -> _Parsed | None:
    try:
        names, refs, filters, tests, calls = json.loads(text)
    except (ValueError, TypeError):
        return None
    lists = (names, refs, filters, tests, calls)
    if not all(isinstance(x, list) for x in lists):
        return None
    if not all(type(v) is str for x in (names, filters, tests, calls) for v in x):
        return None
    if not all(v is None or type(v) is str for v in refs):
        return None
    return _Parsed(frozenset(names), tuple(refs), frozenset(filters), frozenset(tests), frozenset(calls))


def _string_reads(env: Environment, source: str) -> TemplateReads | None:
    try:
        parsed = _parsed(env, source)
    except Exception:
        return None
    if parsed.refs or _reads_whole_context(env, parsed):
        return None
    return TemplateReads(parsed.undeclared, _h("string", source), True)


def _reads_whole_context(env: Environment, parsed: _Parsed) -> bool:
    """True if a filter, test or global function used here is handed the whole context."""
    used = [(env.filters, name) for name in sorted(parsed.filters)]
    used += [(env.tests, name) for name in sorted(parsed.tests)]
    used += [(env.globals, name) for name in sorted(parsed.calls)]
    for table, name in used:
        func = table.get(name)
        if getattr(func, "__module__", "") == "jinja2.ext" or theme_words.is_installed_here(func):
            # Jinja's i18n (`_`, gettext, ngettext…): handed the context only to find the
            # installed catalogue (the column's language, in the build key) and autoescaping
            continue
        pass_arg = getattr(func, "jinja_pass_arg", None)
        if pass_arg is not None and getattr(pass_arg, "name", "") == "context":
            return True
    return False
