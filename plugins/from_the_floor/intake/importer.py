"""`floor import`: earlier "From the Floor" posts from another blog become published posts.

Every post is parsed and converted before anything is written; then the new
posts and any renumbered ones are written through the publish journal, so a
run is all-or-nothing, and under the site lock, so it cannot race a publish.

Numbers follow dates. The series is numbered in date order: imported posts
(older, as a rule) come first, and posts already published here are
renumbered after them. A renumbered post keeps its file, slug and URL; its
title changes only if it was the FLOOR_TITLE pattern's (an edited title is
kept). Re-running finds every post already on file (by ``intake_id``, the old
post's id, or ``original_url``) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from ..core import frontmatter_text, journal, withdrawn
from ..core import queue as queue_mod
from ..core.ids import slug_for, unique_id
from ..core.publish import title_for
from ..core.question import Question, parse_text, read_text
from ..core.site import Site
from ..core.tag_slugs import first_spellings, spelling_key
from ..core.terminal import progress
from ..core.titles import LEGACY_PATTERN
from ..errors import FloorError
from . import html_markdown, import_links, import_media, import_qa, import_sources
from .import_formats import OldPost, Source
from .inbox import known_values

_UNREADABLE_SLUGS = frozenset(
    {"doc", "docs", "index", "post", "entry", "page", "untitled", "default", "p", "view"}
)


@dataclass
class Planned:
    """One imported post as it will be written, and what the report says of it."""

    id: str
    number: int
    date: dt.datetime
    title: str
    original_url: str | None
    question: str = ""
    quick_source: str = "none"  # label, excerpt, heuristic or none
    notes: list[str] = field(default_factory=list)  # what the conversion dropped or changed


@dataclass
class ImportResult:
    source_format: str
    added: list[Planned] = field(default_factory=list)
    renumbered: list[tuple[str, int, int]] = field(default_factory=list)  # (id, old, new)
    already: int = 0
    dry_run: bool = False
    skipped: Counter[str] = field(default_factory=Counter)  # kinds of entries that are not public posts
    notes: list[str] = field(default_factory=list)  # what was mended in the source file as a whole
    live_posts: int = 0  # posts the column had published before this import
    in_feeds: int = 0  # imported posts among the newest FEED_MAX_ITEMS: subscribers' apps may show them
    finished: str | None = None  # an interrupted run's journal this run finished first: its summary

    @property
    def need_quick_answer(self) -> list[Planned]:
        """Imported posts whose quick answer is empty: the author writes one in the post's file."""
        return [p for p in self.added if p.quick_source == "none"]


def readable_slug(slug: str | None) -> bool:
    """An old URL's last part worth keeping: words, not a number, a file name or a placeholder."""
    if not slug:
        return False
    made = slug_for(slug)
    return (
        bool(made)
        and not made.replace("-", "").isdigit()
        and made not in _UNREADABLE_SLUGS
        and (sum(c.isalpha() for c in made) >= 3)
    )


def read_source(source: str, *, tz: dt.tzinfo, old_url: str | None) -> Source:
    """A file path, or an http(s) address of a feed or export."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": "from-the-floor"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                data = response.read()
        except OSError as exc:
            raise FloorError(f"cannot download {source}: {getattr(exc, 'reason', exc)}") from None
    else:
        path = Path(source)
        if path.is_dir():  # an unpacked Substack or Medium export
            return import_sources.read_folder(path, old_url=old_url)
        if not path.is_file():
            raise FloorError("no such file", path=path)
        data = path.read_bytes()
    return import_sources.read(data, source, tz=tz, old_url=old_url)


def which_posts(source: str, *, tz: dt.tzinfo, old_url: str | None, shown: int = 12) -> str:
    """What to say to `floor import SOURCE` given neither --label nor --all: the export's posts
    and their labels, counted, so that the author chooses from what the file holds rather than
    guessing a category's name (the first thing an author moving a blog runs)."""
    found = read_source(source, tz=tz, old_url=old_url)
    posts = [p for p in found.posts if not empty_post(p)]
    counts = Counter(label for p in posts for label in dict.fromkeys(p.labels) if label)
    if not posts:
        return f"this {found.format} holds no published post to bring over"
    said = "--all brings over " + ("its one post" if len(posts) == 1 else f"all {len(posts)} posts")
    said += f" (this {found.format})"
    if not counts:
        return f"{said}: no category or label to choose from"
    common = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    listed = ", ".join(f"{terminal_safe(name)} ({n})" for name, n in common[:shown])
    more = f", and {len(common) - shown} more" if len(common) > shown else ""
    return f"{said}; --label NAME only those in one category or label: {listed}{more}"


def title_regex(pattern: str) -> re.Pattern[str]:
    """A title made by FLOOR_TITLE ("From the Floor #{number}: {question}") → its question."""
    parts = re.split(r"(\{number\}|\{question\})", pattern)
    regex = ""
    for part in parts:
        if part == "{number}":
            regex += r"\s*\d+\s*"
        elif part == "{question}":
            regex += r"(?P<question>.+?)"
        else:
            regex += r"\s*".join(re.escape(word) for word in part.split()) if part.strip() else r"\s*"
    return re.compile(rf"^\s*{regex}\s*$", re.IGNORECASE | re.DOTALL)


def question_from_title(title: str, *patterns: re.Pattern[str]) -> str:
    """The question inside an old post's title: the first pattern that takes something off it."""
    whole = " ".join(title.split())
    for pattern in patterns:
        match = pattern.match(title)
        if match and "question" in match.groupdict() and match.group("question").strip():
            found = " ".join(match.group("question").split())
            if found != whole:
                return found
    return whole


def title_patterns(pattern: str, label: str | None) -> list[re.Pattern[str]]:
    """How an old post's title may hold its question: the site's FLOOR_TITLE, then the way
    columns usually number posts ("<label> #12: …"), then the kit's old default title."""
    found = [pattern]
    if label:
        found.append(label + " #{number}: {question}")
    found.append(LEGACY_PATTERN)
    return [title_regex(p) for p in dict.fromkeys(found)]


_ASKED = re.compile(r"[^.!?\n]*\?")


def untitled_question(post: OldPost, converted: Converted) -> str:
    """An untitled post's question: the first sentence of its text that asks one, else its slug in words.

    Never its dated path (``blog2023/04/05/my-dated-post``): the slug is already its last part.
    The report says so, for the author to check.
    """
    text = converted.quick + "\n\n" + converted.body
    for paragraph in text.split("\n\n"):
        asked = _ASKED.search(re.sub(r"[*_`#>\[\]]|\(http[^)]*\)", "", paragraph))
        if asked and len(asked.group(0).split()) >= 3:
            converted.notes.append("untitled: its question is the first one in its text; check it")
            return " ".join(asked.group(0).split())
    if readable_slug(post.slug):
        converted.notes.append("untitled: its question was made from its address; write the real one")
        words = slug_for(post.slug or "").replace("-", " ")
        return words[:1].upper() + words[1:]
    return ""


def split_quick_answer(markdown: str) -> tuple[str, str]:
    """(quick answer, the rest) by the heuristic: the first paragraph of plain prose, if more follows."""
    found = import_qa.first_plain_paragraph(markdown)
    return (" ".join(found[0].split()), found[1]) if found else ("", markdown)


@dataclass
class Converted:
    """An old post's fields for the column, and the notes for the report."""

    question: str | None
    quick: str
    body: str
    source: str
    notes: list[str]


def convert(post: OldPost, labels: Mapping[str, list[str]]) -> Converted:
    """HTML → Markdown, then the column's parts: labels first, then the excerpt, then the heuristic."""
    absolute, moved = import_media.absolute_addresses(post.html, post.url)
    prepared, media_notes = import_media.prepare(absolute, post.enclosures)
    if moved:
        media_notes.insert(0, f"relative address(es) made absolute against its old address: {moved}")
    conversion = html_markdown.convert_post(
        prepared, wordpress=post.wordpress, attachments=post.attachments, children=post.children
    )
    notes = ([post.made_from] if post.made_from else []) + media_notes + list(conversion.notes)
    if post.authors:
        notes.append("by " + ", ".join(dict.fromkeys(post.authors)))
    parts = import_qa.split(conversion.markdown, labels)
    if parts is not None:
        notes.append("labelled parts: " + " / ".join(dict.fromkeys(parts.labels)))
        if parts.quick_answer:
            return Converted(parts.question, parts.quick_answer, parts.body, "label", notes)
        question, intro, body = parts.question, parts.intro, parts.body[len(parts.intro) :].strip()
    else:
        question, intro, body = None, "", conversion.markdown
    if post.excerpt_html:
        excerpt = html_markdown.convert_post(post.excerpt_html, wordpress=post.wordpress).markdown
        if excerpt.strip():
            quick = " ".join(excerpt.split())
            text = import_qa.without_repeat(parts.body if parts else body, quick)
            return Converted(question, quick, text, "excerpt", notes)
    quick, rest = split_quick_answer(body)  # in a labelled post, from the answer, never the intro
    if quick:
        return Converted(question, quick, "\n\n".join(x for x in (intro, rest) if x), "heuristic", notes)
    return Converted(question, "", parts.body if parts else body, "none", notes)


EMPTY = "entry with neither title nor text"


def empty_post(post: OldPost) -> bool:
    """An entry with no title and nothing to show (no text, picture, player or excerpt): skipped."""
    return not (
        post.title.strip()
        or post.enclosures
        or html_markdown.has_content(post.html)
        or html_markdown.has_content(post.excerpt_html or "")
    )


def matches_label(post: OldPost, label: str | None) -> bool:
    if label is None:
        return True
    wanted = {label.casefold(), slug_for(label)}
    return any(x.casefold() in wanted or slug_for(x) in wanted for x in post.labels + post.aliases if x)


def _post_text(
    post: OldPost,
    qid: str,
    number: int,
    title: str,
    question: str,
    tz: dt.tzinfo,
    label: str | None,
    converted: Converted,
    intake_id: str,
    site_author: str | Iterable[str] = "",
    spellings: Mapping[str, str] | None = None,
) -> str:
    quick, body = converted.quick, converted.body
    date = shown_date(post, tz)
    tags = list(dict.fromkeys(spelled(t, spellings or {}) for t in post_tags(post, label)))
    d = frontmatter_text.dump_scalar
    lines = [
        "---",
        f"question: {d(question)}",
        f"asked: {date.date().isoformat()}",
        "credit: false",
        "source: import",
        f"tags: {d(tags)}",
        f"quick_answer: {d(quick)}" if quick else "quick_answer:",
        f"title: {d(title)}",
        f"date: {d(date)}",
        f"number: {number}",
        f"slug: {d(qid)}",
    ]
    signed = byline(post.authors, site_author)
    if signed:
        lines.append(f"author: {d(signed[0] if len(signed) == 1 else signed)}")
    if post.url:
        lines.append(f"original_url: {d(post.url)}")
    lines += [f"intake_id: {d(intake_id)}", "---", body.strip("\n"), ""]
    return "\n".join(lines)


# The nouns the readers count skipped entries by, each with its plural; other kinds are adjectives
# ("scheduled", "password-protected"), plurals already ("settings") or a platform's own type names.
_PLURALS = {
    "attachment": "attachments",
    "comment": "comments",
    "draft": "drafts",
    "entry": "entries",
    "item": "items",
    "page": "pages",
    "post": "posts",
    "response": "responses",
    "story": "stories",
    "template": "templates",
    "thread": "threads",
}


def counted(n: int, kind: str) -> str:
    """``n kind`` as the report says it: "70 menu items, 21 pages", not "70 menu item, 21 page".
    The noun is the last word before a "with"/"without" ("2 stories without a date")."""
    if n == 1:
        return f"1 {kind}"
    head, sep, tail = kind.partition(" with")
    words = head.split(" ")
    words[-1] = _PLURALS.get(words[-1], words[-1])
    return f"{n} {' '.join(words)}{sep}{tail}"


def shown_date(post: OldPost, tz: dt.tzinfo) -> dt.datetime:
    """The post's date as its page shows it: on the old blog's clock when the export says what that
    was (so the day is the one its readers saw, and its dated old address names), else in the site's
    zone. The moment is the same either way, so the series' order and numbers do not change.
    Whole seconds, as every post's date is written: Medium's and Substack's exports give
    milliseconds, which only made `date: 2017-04-21 17:11:55.799000+00:00` hard to read and edit."""
    return (post.date if post.local else post.date.astimezone(tz)).replace(microsecond=0)


def post_tags(post: OldPost, label: str | None) -> list[str]:
    """An old post's tags, then its categories or labels (not the one the import filtered on)."""
    return post.tags + [x for x in post.labels if not matches_label_text(x, label)]


def tag_spellings(existing: list[Question], posts: list[OldPost], label: str | None) -> dict[str, str]:
    """Each tag's one spelling, by tag_slugs.spelling_key: the site's own first, then the first
    the import meets. A WordPress tag "edge case" beside a category "Edge Case" is one word to a
    reader and one page to Pelican; written both ways, every `floor check` would warn about
    what the import itself did, and the stats would count the word twice."""
    return first_spellings(
        [t for q in existing for t in q.tags] + [t for p in posts for t in post_tags(p, label)]
    )


def spelled(name: str, spellings: Mapping[str, str]) -> str:
    return spellings.get(spelling_key(name), name)


def _name(name: str) -> str:
    return " ".join(name.split())


def byline(authors: list[str], own: str | Iterable[str]) -> list[str]:
    """Who an imported post is signed by, when that is not the column's own author: the
    export's names (WordPress, Ghost, Medium), or none when there are none or they are only
    the column's own (``own``: the site's ``AUTHOR`` and the author's other names, which sign
    the column's posts already)."""
    mine = {_name(n).casefold() for n in ([own] if isinstance(own, str) else own)}
    names = [n for n in dict.fromkeys(_name(a) for a in authors) if n]
    if all(n.casefold() in mine for n in names):
        return []
    return names


def writers(posts: list[OldPost]) -> Counter[str]:
    """Each writer the posts name, with how many posts they wrote (names as the export spells them)."""
    return Counter(n for p in posts for n in dict.fromkeys(_name(a) for a in p.authors) if n)


def own_names(posts: list[OldPost], site_author: str, given: Iterable[str]) -> tuple[set[str], str | None]:
    """The names that sign the column's own posts, and the one writer taken as the author.

    The site's ``AUTHOR`` and the names given with ``--own-name``; and, when the posts name
    one writer only, that writer: a blog with a single writer moving in is its author's own,
    whatever name it signed with (WordPress's login ``admin``, an old full name), and its posts
    are signed as the column's. A blog with several writers keeps each one's name."""
    found = writers(posts)
    names = {site_author, *given}
    sole = next(iter(found)) if len(found) == 1 else None
    if sole is not None and _name(sole).casefold() not in {_name(n).casefold() for n in names}:
        return names | {sole}, sole
    return names, None


def matches_label_text(value: str, label: str | None) -> bool:
    """Whether a category is the one the import filtered on (it is not kept as a tag)."""
    if label is None:
        return False
    return value.casefold() == label.casefold() or slug_for(value) == slug_for(label)


def intake_ids(posts: list[OldPost]) -> list[str]:
    """Each post's identity: its guid, made unique when two posts share one (both are kept)."""
    seen: Counter[str] = Counter()
    ids = []
    for post in posts:
        seen[post.guid] += 1
        ids.append(post.guid if seen[post.guid] == 1 else f"{post.guid}#{seen[post.guid]}")
    return ids


def _no_withdrawal_half_done(published: list[Question], gone: list[withdrawn.Withdrawn]) -> None:
    """Refuse while a withdrawn post's file is still here (a `floor withdraw` stopped before it
    deleted it): the series would count the post and its record as two posts, one number apart."""
    numbers = withdrawn.numbers(gone)
    left = next((p for p in published if p.number in numbers), None)
    if left is not None:
        raise FloorError(
            f"post #{left.number} is withdrawn but its file is still here: run `floor withdraw {left.id}` "
            "again to finish, then import",
            path=left.path,
        )


def plan(
    site: Site,
    posts: list[OldPost],
    *,
    label: str | None,
    title_pattern: str | None,
    labels: Mapping[str, list[str]] | None = None,
    own_name: Iterable[str] = (),
) -> tuple[journal.Change, ImportResult]:
    """The files an import writes (new posts) and rewrites (renumbered posts); reads only."""
    q = queue_mod.load(site)
    q.raise_errors()
    settings = site.settings
    tz = settings.timezone
    words = labels if labels is not None else import_qa.labels_from_settings(settings.raw)
    site_author = str(settings.raw.get("AUTHOR") or "")
    patterns = title_patterns(title_pattern or settings.title, label)
    known_ids = set(known_values(site, "intake_id"))
    known_urls = set(known_values(site, "original_url"))
    chosen = [p for p in posts if matches_label(p, label)]
    identities = intake_ids(chosen)
    fresh = [
        (p, ident)
        for p, ident in zip(chosen, identities, strict=True)
        if ident not in known_ids and not (p.url and p.url in known_urls)
    ]
    new = [p for p, _ in fresh]
    gone_entries = withdrawn.read(site.root)  # (a damaged record stops the import: numbers are not guessed)
    _no_withdrawal_half_done(q.published, gone_entries)
    result = ImportResult(source_format="")
    result.already = len(chosen) - len(new)
    converted = [convert(post, words) for post in progress(new, len(new), "converting posts")]
    questions = [
        c.question or question_from_title(post.title, *patterns) or untitled_question(post, c)
        for post, c in zip(new, converted, strict=True)
    ]
    # a post's id is its old slug when readable (recognisable next to the old URL), else its question's
    taken = (
        q.ids | {p.stem for p in queue_mod.question_files(site.questions_dir)} | withdrawn.slugs(gone_entries)
    )
    ids: dict[int, str] = {}
    for n, post in enumerate(new):
        base = post.slug if readable_slug(post.slug) else (questions[n] or post.title or "imported post")
        ids[n] = unique_id(base, taken)
        taken.add(ids[n])

    # links between old posts lead to their new pages (imported now or before), not to the old blog
    targets: dict[str, str] = {}
    for key in ("original_url", "intake_id"):
        for value, path in known_values(site, key).items():
            found = import_links.address_key(value)
            if found and path.parent == site.posts_dir:
                targets.setdefault(found, path.name)
    for n, post in enumerate(new):
        for address in (post.url, fresh[n][1]):
            found = import_links.address_key(address)
            if found:
                targets.setdefault(found, f"{ids[n]}.md")
    targets = import_links.with_undated(targets)
    for done in converted:  # the body only: Pelican turns {filename} into an address in a post's text
        done.body, moved = import_links.relink(done.body, targets)
        if moved:
            done.notes.append(f"links to other imported posts now lead to their new pages: {moved}")

    own, sole = own_names(new, site_author, own_name)
    others = {n: k for n, k in writers(new).items() if byline([n], own)}
    if sole is not None:
        result.notes.append(
            f"every post names one writer, {sole}, taken to be you: they are signed "
            f"{site_author or 'AUTHOR'}, as the column's own "
            "(an author: line in a post's file signs it otherwise)"
        )
    elif others:
        result.notes.append(
            "posts by other writers keep their names: "
            + ", ".join(f"{n} ({k})" for n, k in sorted(others.items(), key=lambda x: (-x[1], x[0])))
            + "; if one of these is you on the old blog, --own-name NAME signs those posts as the "
            "column's own (after the import: delete their author: line)"
        )

    spellings = tag_spellings(q.published + q.queued, new, label)
    respelled = sorted(
        {
            (t, spellings[spelling_key(t)])
            for p in new
            for t in post_tags(p, label)
            if spellings[spelling_key(t)] != t
        }
    )
    if respelled:
        result.notes.append(
            "tags that differ only in capitals, spaces or hyphens are one tag, written one way: "
            + ", ".join(f"{old!r} as {one!r}" for old, one in respelled)
        )

    # the whole series in date order: existing posts by number (parts share one), new posts one each,
    # and the withdrawn posts, which keep their place (key: minus their number), so no number is
    # given twice and each notice shows the number its post now has
    by_number: dict[int, list[Question]] = {}
    for item in q.published:
        by_number.setdefault(item.number or 0, []).append(item)
    gone = {w.number: w for w in gone_entries}
    slots = sorted(
        [_Slot(parts[0].date, False, number) for number, parts in by_number.items()]  # type: ignore[arg-type]
        + [_Slot(w.date, False, -number) for number, w in gone.items()]
        + [_Slot(post.date, True, n) for n, post in enumerate(new)]
    )
    renumbered_gone: list[withdrawn.Withdrawn] = []
    change = journal.Change()
    for position, slot in enumerate(slots, start=1):
        if slot.imported:
            post, qid, done = new[slot.key], ids[slot.key], converted[slot.key]
            question = questions[slot.key] or qid
            title = title_for(settings.title, position, [_Titled(question)])  # type: ignore[list-item]
            text = _post_text(
                post,
                qid,
                position,
                title,
                question,
                tz,
                label,
                done,
                fresh[slot.key][1],
                own,
                spellings,
            )
            target = site.posts_dir / f"{qid}.md"
            parse_text(text, target, published=True)  # what we write must read back as a post
            change.write[target.relative_to(site.root).as_posix()] = text
            result.added.append(
                Planned(
                    qid,
                    position,
                    shown_date(post, tz),
                    title,
                    post.url,
                    question=question,
                    quick_source=done.source,
                    notes=done.notes,
                )
            )
        elif slot.key < 0:
            was = gone[-slot.key]
            renumbered_gone.append(replace(was, number=position))
            if was.number != position:
                result.renumbered.append((was.slug or "a withdrawn post", was.number, position))
        elif slot.key != position:
            parts = sorted(by_number[slot.key], key=lambda p: (int(p.extra.get("part") or 0), p.id))
            old_title = title_for(settings.title, slot.key, parts)
            new_title = title_for(settings.title, position, parts)
            for item in parts:
                text = frontmatter_text.set_field(read_text(item.path), "number", position, item.path)
                if item.title == old_title:
                    text = frontmatter_text.set_field(text, "title", new_title, item.path)
                change.write[item.path.relative_to(site.root).as_posix()] = text
                result.renumbered.append((item.id, slot.key, position))
    if set(renumbered_gone) != set(gone.values()):  # a withdrawn post's number moved
        change.write[withdrawn.STATE_FILE] = withdrawn.file_text(renumbered_gone)
    result.live_posts = len(q.published)
    if result.live_posts and result.added:
        feed_size = int(settings.raw.get("FEED_MAX_ITEMS", 100) or 0) or len(slots)  # Pelican's default
        newest = sorted(slots, reverse=True)[:feed_size]
        result.in_feeds = sum(slot.imported for slot in newest)
    change.summary = f"import {len(result.added)} posts"
    return change, result


@dataclass(order=True)
class _Slot:
    """A place in the series: on a date, an existing post (by number) or an imported one (by index).

    On the same date an existing post comes first (False < True).
    """

    date: dt.datetime
    imported: bool
    key: int


@dataclass
class _Titled:
    """What title_for reads of a question: its text."""

    question: str


def run(
    site: Site,
    source: str,
    *,
    label: str | None,
    title_pattern: str | None = None,
    old_url: str | None = None,
    dry_run: bool = False,
    timezone: dt.tzinfo | None = None,
    own_name: Iterable[str] = (),
) -> ImportResult:
    """Parse everything, then write everything (through the journal) or nothing.

    ``timezone`` is the old blog's, for a WordPress post that has only its local date.
    ``own_name``: the author's names on the old blog; posts by them are signed as the column's own.
    """
    found = read_source(source, tz=timezone or site.settings.timezone, old_url=old_url)
    fmt, posts = found.format, [p for p in found.posts if not empty_post(p)]
    if len(posts) < len(found.posts):  # a feed's bare entry: a post called after its address, of nothing
        found.skipped[EMPTY] += len(found.posts) - len(posts)
    if label is not None and not any(matches_label(p, label) for p in posts):
        seen = sorted({x for p in posts for x in p.labels}, key=str.casefold)
        raise FloorError(
            f"no published post in this {fmt} has the label/category {label!r}"
            + (f"; its labels are: {', '.join(seen)}" if seen else "; its posts have no labels")
            + " (nothing was imported)",
            path=source,
        )
    if dry_run:
        _, result = plan(site, posts, label=label, title_pattern=title_pattern, own_name=own_name)
    else:
        with journal.locked(site):
            # a run stopped while writing its posts is finished here, before planning: say so, as
            # its report (numbers, renumbering, posts that need a quick answer) was never printed
            finished = journal.waiting_summary(site)
            if finished is not None:
                journal.recover(site)
            change, result = plan(site, posts, label=label, title_pattern=title_pattern, own_name=own_name)
            result.finished = finished
            if change.write:
                journal.commit(site, change)
    result.source_format = fmt
    result.dry_run = dry_run
    result.skipped = found.skipped
    result.notes = found.notes + result.notes  # the file's mending first, then the posts'
    return result


_NAMED_NEEDING_ANSWER = 10  # posts named in the report's "need a quick answer" line


def report_lines(
    result: ImportResult, *, uncommitted: str | None = None, site_url: str | None = None
) -> list[str]:
    """The import report: per post its number, date, slug, question, quick answer's source, changes.

    ``uncommitted``: the posts folder (relative to the site) when the site is a git repository.
    The import never commits, and the weekly job builds only what is pushed: a blog moved over
    and never committed would be missing from the published site, so the last line says how.
    ``site_url``: the column's public address, when known (the old addresses' line says whether
    they are on its host).
    """
    verb = "would import" if result.dry_run else "imported"
    lines: list[str] = []
    if result.finished is not None:
        line = f"finished an interrupted run first ({result.finished or 'its journal'})"
        if result.finished.startswith("import "):
            line += (
                ": its posts are in content/floor/, but its report was never printed; "
                "floor check names any post that still needs a quick answer"
            )
        lines.append(line)
    lines += [f"note: {terminal_safe(note)}" for note in result.notes]
    for post in result.added:
        origin = f" from {terminal_safe(post.original_url)}" if post.original_url else ""
        lines.append(f"{verb} #{post.number} ({post.date.date().isoformat()}): {post.id}{origin}")
        lines.append(f"    question: {terminal_safe(post.question)}")
        lines.append(f"    quick answer: {_QUICK_SOURCE[post.quick_source]}")
        lines += [f"    changed: {terminal_safe(note)}" for note in post.notes]
    for qid, old, new in result.renumbered:
        lines.append(f"{'would renumber' if result.dry_run else 'renumbered'} {qid}: #{old} -> #{new}")
    lines += _live_column_lines(result)
    if result.skipped:
        kinds = ", ".join(
            counted(n, kind) for kind, n in sorted(result.skipped.items(), key=lambda x: (-x[1], x[0]))
        )
        lines.append(f"skipped (not public posts): {kinds}")
    if result.already:
        lines.append(f"{result.already} already imported")
    if result.need_quick_answer:
        # the first few by name; a blog of 2,000 posts made this one line of 800 names (each post's
        # own lines above say "needs one", and floor check names them all)
        ids = [p.id for p in result.need_quick_answer]
        named = ", ".join(ids[:_NAMED_NEEDING_ANSWER])
        more = len(ids) - _NAMED_NEEDING_ANSWER
        lines.append(
            f"{len(ids)} post(s) need a quick answer (add a quick_answer line to content/floor/ID.md): "
            + named
            + (f"; {more} more: floor check names each" if more > 0 else "")
        )
    lines += _old_address_lines(result, site_url)
    if not result.added:
        lines.append(f"nothing new to import from this {result.source_format}")
    if result.dry_run:
        lines.append("dry run: nothing was changed")
    elif uncommitted and (result.added or result.renumbered):
        lines.append(
            "not committed yet: the weekly job builds only what is pushed; `floor push` commits "
            f'the posts and sends them (or `git add {uncommitted} && git commit -m "Import earlier posts"`)'
        )
    return lines


def _old_address_lines(result: ImportResult, site_url: str | None) -> list[str]:
    """What becomes of the posts' old addresses: redirect pages when the old blog's host is this
    site's (a blog moved in place), else the old host's own rules, which `floor redirects` prints."""
    hosts = Counter(urlsplit(p.original_url).netloc.lower() for p in result.added if p.original_url)
    hosts.pop("", None)
    if not hosts:
        return []
    count = sum(hosts.values())
    here = urlsplit(site_url or "").netloc.lower()
    if here and here in hosts:
        return [
            f"old addresses: {hosts[here]} of these posts were at {terminal_safe(here)}, this site's "
            "host: each build with its SITEURL writes a redirect page at the old address; short "
            "links (?p=123) need a server rule: `floor redirects` lists every old address with its new one"
        ]
    where = terminal_safe(", ".join(sorted(hosts)))
    return [
        f"old addresses: {count} post(s) keep their address at {where}; to send readers of the old "
        "blog here, `floor redirects` lists each old address with its new one (--format apache or "
        "netlify writes the rules); a blog moved here in place needs none: the build writes a redirect "
        "page at each old address on SITEURL's host"
    ]


def _live_column_lines(result: ImportResult) -> list[str]:
    """Once, when readers already follow the column: what they will notice, and the alternative."""
    if not (result.live_posts and result.added) or not (result.renumbered or result.in_feeds):
        return []
    will = "would" if result.dry_run else "will"
    seen = []
    if result.renumbered:
        qid, old, new = result.renumbered[0]
        seen.append(f"the numbers they knew change ({qid} {will} be #{new}, not #{old})")
    if result.in_feeds:
        seen.append(
            f"{result.in_feeds} old post(s) {will} be in the site's feeds, "
            "where subscribers' feed readers may show them as new"
        )
    posts = "1 published post" if result.live_posts == 1 else f"{result.live_posts} published posts"
    return [
        f"warning: this column already has {posts}, so its readers {will} notice this import: "
        + "; and ".join(seen)
        + ". If you do not want that, do not import: link to the old blog from a page "
        "(content/pages/) instead. Imports are best run before the column's first post."
    ]


_QUICK_SOURCE = {
    "label": "from its label",
    "excerpt": "the post's excerpt",
    "heuristic": "guessed (the first plain paragraph)",
    "none": "none found: needs one",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Text from the old blog on one line, without control characters (escape sequences)."""
    return _CONTROL.sub(" ", text)
