"""Changing one field of a queued question, keeping every other byte of the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import FloorError
from . import frontmatter_text
from .atomic import atomic_write_text
from .question import AlsoAsked, Question, parse_text, read_text


def update(q: Question, changes: dict[str, Any], body: str | None = None) -> Question:
    """Apply field changes (value ``None`` removes the field) and validate before writing."""
    path: Path = q.path
    text = with_changes(read_text(path), path, changes, body)
    updated = parse_text(text, path, published=q.published)
    atomic_write_text(path, text)
    return updated


def with_changes(text: str, path: Path, changes: dict[str, Any], body: str | None = None) -> str:
    """``text`` with the field changes and the new body applied, every other byte kept."""
    for key, value in changes.items():
        if value is None:
            text = frontmatter_text.remove_field(text, key, path)
        else:
            text = frontmatter_text.set_field(text, key, value, path)
    if body is not None:
        text = frontmatter_text.set_body(text, body, path)
    return text


def replace_text(q: Question, text: str, *, expected: str | None = None) -> Question:
    """Save text the author edited by hand, only if it still reads as a question.

    ``expected`` is the file as it was when the edit began: if the file now
    differs (a publish moved it, an intake merged a reader into it), saving
    would silently undo that change, so it is refused. Call with the site
    lock held, so nothing changes it between this check and the write.
    """
    if expected is not None:
        try:
            current = read_text(q.path)
        except FileNotFoundError:
            current = None
        if current != expected:
            happened = "was moved or published" if current is None else "changed"
            raise FloorError(
                f"the file {happened} while you were editing it (a publish or an intake merge since)",
                path=q.path,
            )
    updated = parse_text(text, q.path, published=q.published)
    atomic_write_text(q.path, text)
    return updated


def render_also_asked_by(entries: list[AlsoAsked], newline: str = "\n") -> str:
    """The ``also_asked_by:`` block, one field per line.

    Block style (not a one-line flow list) keeps each reader readable for the
    author and puts every ``contact:`` on a line of its own, where guard.py
    finds it even in a file that no longer parses.
    """
    lines = ["also_asked_by:"]
    for entry in entries:
        for n, (key, value) in enumerate(entry.as_fields().items()):
            lines.append(f"{'  - ' if n == 0 else '    '}{key}: {frontmatter_text.dump_scalar(value)}")
    return newline.join(lines) + newline


def set_also_asked_by(q: Question, entries: list[AlsoAsked]) -> Question:
    """Replace the question's merged askers (an empty list removes the field)."""
    path: Path = q.path
    text = with_also_asked_by(read_text(path), path, entries)
    updated = parse_text(text, path, published=q.published)
    atomic_write_text(path, text)
    return updated


def with_also_asked_by(text: str, path: Path, entries: list[AlsoAsked]) -> str:
    """``text`` with its ``also_asked_by`` block replaced (or removed, for no entries)."""
    text = frontmatter_text.remove_field(text, "also_asked_by", path)
    if entries:
        sp = frontmatter_text.split(text, path)
        newline = "\r\n" if "\r\n" in text[: sp.body_start] else "\n"
        before = text[: sp.fm_end]
        if before and not before.endswith("\n"):
            before += newline
        text = before + render_also_asked_by(entries, newline) + text[sp.fm_end :]
    return text
