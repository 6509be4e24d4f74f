"""Readable, unique question ids; the id is also the post's URL slug."""

from __future__ import annotations

from collections.abc import Iterable

from slugify import slugify

from . import tag_slugs

MAX_LENGTH = 60


def slug_for(text: str) -> str:
    """A lower-case ASCII slug; unicode is transliterated (é→e, ß→ss, 東→dong).

    Text with nothing to transliterate (only punctuation, symbols or emoji)
    gets ``question-<hash of the text>``: readable, and different for
    different texts rather than ``question``, ``question-2``… by arrival order.
    """
    slug = slugify(text, max_length=MAX_LENGTH, word_boundary=True, save_order=True)
    return slug or tag_slugs.fallback("question", text)


def download_name(text: str) -> str:
    """A retired column's download name (``<name>.zip``, ``<name>.warc.gz``) from its title:
    accented letters keep their base letter ("Écrits du soir" → ``ecrits-du-soir``), other
    scripts are transliterated; a title with nothing to keep is ``column``."""
    return slugify(text, max_length=MAX_LENGTH, word_boundary=True, save_order=True) or "column"


def unique_id(text: str, taken: Iterable[str]) -> str:
    """The slug, or the slug with -2, -3 … when an earlier question has it."""
    if not isinstance(taken, (set, frozenset)):
        taken = set(taken)  # a set is looked into, not copied (an intake of 10,000 rows asks 10,000 times)
    base = slug_for(text)
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate
