"""Changing one field of a queued question, keeping every other byte of the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import frontmatter_text
from .atomic import atomic_write_text
from .question import Question, parse_text, read_text


def update(q: Question, changes: dict[str, Any], body: str | None = None) -> Question:
    """Apply field changes (value ``None`` removes the field) and validate before writing."""
    path: Path = q.path
    text = read_text(path)
    for key, value in changes.items():
        if value is None:
            text = frontmatter_text.remove_field(text, key, path)
        else:
            text = frontmatter_text.set_field(text, key, value, path)
    if body is not None:
        text = frontmatter_text.set_body(text, body, path)
    updated = parse_text(text, path, published=q.published)
    atomic_write_text(path, text)
    return updated


def replace_text(q: Question, text: str) -> Question:
    """Save text the author edited by hand, only if it still reads as a question."""
    updated = parse_text(text, q.path, published=q.published)
    atomic_write_text(q.path, text)
    return updated
