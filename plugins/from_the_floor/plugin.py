"""The Pelican adapter: read published questions as posts, merge multi-question
posts, and refuse a build that would leak a contact. It renders only: it never
moves files or decides dates.
"""

from __future__ import annotations

import copy
import itertools
import os
from pathlib import Path

from pelican import signals
from pelican.readers import MarkdownReader

from . import guard, render
from . import question as question_mod

CATEGORY = "From the Floor"


def _posts_dir(settings: dict) -> str:
    return os.path.join(os.path.abspath(settings["PATH"]), settings.get("FLOOR_POSTS_DIR", "floor"))


class FloorMarkdownReader(MarkdownReader):
    """Markdown files under content/floor/ are question files (YAML front matter);
    every other Markdown file is read by Pelican's own reader."""

    def read(self, source_path: str):
        posts = _posts_dir(self.settings)
        if os.path.commonpath([os.path.abspath(source_path), posts]) != posts:
            return super().read(source_path)
        q = question_mod.load(Path(source_path), published=True)
        metadata = {
            "title": q.title or q.question,
            "date": q.date,
            "slug": q.slug or q.id,
            "number": q.number,
            "category": self.process_metadata("category", CATEGORY),
            "question_id": q.id,
            "question": q.question,
            "asked": q.asked,
            "summary": render.summary_html(q),
            "floor": True,
        }
        if q.tags:
            metadata["tags"] = self.process_metadata("tags", ", ".join(q.tags))
        if q.public_asker:
            metadata["asker"] = q.public_asker
        part = q.extra.get("part")
        if part is not None:
            metadata["floor_part"] = int(part)
        metadata["floor_section"] = render.question_section(q, anchor=True)
        # contact, declined reasons and notify flags are never handed to Pelican
        return render.post_html([q]), metadata


def add_reader(readers) -> None:
    for ext in FloorMarkdownReader.file_extensions:
        readers.reader_classes[ext] = FloorMarkdownReader


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
        sections = [render.toc_html((p.question_id, p.question) for p in parts)]
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
    for before, after in itertools.pairwise(series):
        before.floor_next = after
        after.floor_prev = before


def check_no_contacts(pelican) -> None:
    settings = pelican.settings
    root = Path(settings["PATH"]).resolve().parent
    folders = [
        Path(_posts_dir(settings)),
        root / settings.get("FLOOR_QUESTIONS_DIR", "questions"),
    ]
    guard.check_output(Path(settings["OUTPUT_PATH"]), folders)


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.article_generator_pretaxonomy.connect(merge_multi_question_posts)
    signals.article_generator_finalized.connect(link_series)
    signals.finalized.connect(check_no_contacts)
