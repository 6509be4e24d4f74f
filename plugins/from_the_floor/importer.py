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
from dataclasses import dataclass, field
from pathlib import Path

from . import frontmatter_text, html_markdown, import_formats, journal
from . import queue as queue_mod
from .errors import FloorError
from .ids import slug_for, unique_id
from .import_formats import OldPost
from .inbox import known_values
from .publish import title_for
from .question import Question, parse_text, read_text
from .site import Site

_BLOCK_START = re.compile(r"^(?:#|!\[|[-*+] |\d+[.)] |>|\||```|<)")


@dataclass
class Planned:
    """One imported post as it will be written."""

    id: str
    number: int
    date: dt.datetime
    title: str
    original_url: str | None


@dataclass
class ImportResult:
    source_format: str
    added: list[Planned] = field(default_factory=list)
    renumbered: list[tuple[str, int, int]] = field(default_factory=list)  # (id, old, new)
    already: int = 0
    dry_run: bool = False


def read_source(source: str, *, tz: dt.tzinfo, old_url: str | None) -> tuple[str, list[OldPost]]:
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
        if not path.is_file():
            raise FloorError("no such file", path=path)
        data = path.read_bytes()
    return import_formats.read(data, source, tz=tz, old_url=old_url)


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


def question_from_title(title: str, pattern: re.Pattern[str]) -> str:
    match = pattern.match(title)
    if match and "question" in match.groupdict() and match.group("question").strip():
        return " ".join(match.group("question").split())
    return " ".join(title.split())


def split_quick_answer(markdown: str) -> tuple[str, str]:
    """(quick answer, the rest): the first plain paragraph leads, as in the column's own posts."""
    blocks = [b for b in re.split(r"\n\s*\n", markdown) if b.strip()]
    for i, block in enumerate(blocks):
        if not _BLOCK_START.match(block.lstrip()):
            rest = blocks[:i] + blocks[i + 1 :]
            return " ".join(block.split()), "\n\n".join(rest)
    return "", markdown


def matches_label(post: OldPost, label: str | None) -> bool:
    if label is None:
        return True
    wanted = {label.casefold(), slug_for(label)}
    return any(x.casefold() in wanted or slug_for(x) in wanted for x in post.labels + post.aliases if x)


def _post_text(
    post: OldPost, qid: str, number: int, title: str, question: str, tz: dt.tzinfo, label: str | None
) -> str:
    body = html_markdown.to_markdown(post.html, reader=False, wordpress=post.wordpress)
    if post.excerpt_html:
        excerpt = html_markdown.to_markdown(post.excerpt_html, reader=False, wordpress=post.wordpress)
        quick = " ".join(excerpt.split())
    else:
        quick, body = split_quick_answer(body)
    date = post.date.astimezone(tz)
    tags = [
        t for t in dict.fromkeys(post.tags + [x for x in post.labels if not matches_label_text(x, label)])
    ]
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
    if post.url:
        lines.append(f"original_url: {d(post.url)}")
    lines += [f"intake_id: {d(post.guid)}", "---", body.strip("\n"), ""]
    return "\n".join(lines)


def matches_label_text(value: str, label: str | None) -> bool:
    """Whether a category is the one the import filtered on (it is not kept as a tag)."""
    if label is None:
        return False
    return value.casefold() == label.casefold() or slug_for(value) == slug_for(label)


def plan(
    site: Site, posts: list[OldPost], *, label: str | None, title_pattern: str | None
) -> tuple[journal.Change, ImportResult]:
    """The files an import writes (new posts) and rewrites (renumbered posts); reads only."""
    q = queue_mod.load(site)
    q.raise_errors()
    settings = site.settings
    tz = settings.timezone
    pattern = title_regex(title_pattern or settings.title)
    known_ids = set(known_values(site, "intake_id"))
    known_urls = set(known_values(site, "original_url"))
    chosen = [p for p in posts if matches_label(p, label)]
    new = [p for p in chosen if p.guid not in known_ids and not (p.url and p.url in known_urls)]
    result = ImportResult(source_format="")
    result.already = len(chosen) - len(new)
    # a post's id is its old slug when free (readable, and recognisable next to the old URL)
    taken = q.ids | {p.stem for p in queue_mod.question_files(site.questions_dir)}
    ids: dict[int, str] = {}
    for n, post in enumerate(new):
        ids[n] = unique_id(post.slug or question_from_title(post.title, pattern), taken)
        taken.add(ids[n])

    # the whole series in date order: existing posts by number (parts share one), new posts one each
    by_number: dict[int, list[Question]] = {}
    for item in q.published:
        by_number.setdefault(item.number or 0, []).append(item)
    slots = sorted(
        [_Slot(parts[0].date, False, number) for number, parts in by_number.items()]  # type: ignore[arg-type]
        + [_Slot(post.date, True, n) for n, post in enumerate(new)]
    )
    change = journal.Change()
    for position, slot in enumerate(slots, start=1):
        if slot.imported:
            post, qid = new[slot.key], ids[slot.key]
            question = question_from_title(post.title, pattern) or qid
            title = title_for(settings.title, position, [_Titled(question)])  # type: ignore[list-item]
            text = _post_text(post, qid, position, title, question, tz, label)
            target = site.posts_dir / f"{qid}.md"
            parse_text(text, target, published=True)  # what we write must read back as a post
            change.write[target.relative_to(site.root).as_posix()] = text
            result.added.append(Planned(qid, position, post.date.astimezone(tz), title, post.url))
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
) -> ImportResult:
    """Parse everything, then write everything (through the journal) or nothing."""
    fmt, posts = read_source(source, tz=site.settings.timezone, old_url=old_url)
    if label is not None and not any(matches_label(p, label) for p in posts):
        seen = sorted({x for p in posts for x in p.labels}, key=str.casefold)
        raise FloorError(
            f"no published post in this {fmt} has the label/category {label!r}"
            + (f"; its labels are: {', '.join(seen)}" if seen else "; its posts have no labels")
            + " (nothing was imported)",
            path=source,
        )
    if dry_run:
        _, result = plan(site, posts, label=label, title_pattern=title_pattern)
    else:
        with journal.locked(site):
            change, result = plan(site, posts, label=label, title_pattern=title_pattern)
            if change.write:
                journal.commit(site, change)
    result.source_format = fmt
    result.dry_run = dry_run
    return result


def redirects(posts: list[Question]) -> dict[str, str]:
    """old address → the post's slug, for every imported post (for a redirect page or server rule)."""
    return {p.original_url: (p.slug or p.id) for p in posts if p.original_url}
