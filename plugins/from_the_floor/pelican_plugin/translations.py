"""Pelican's translation grouping, one group at a time (a Pelican adapter).

Pelican's generators sort the posts by their translation id (the slug) and
group them, then list as translations every post "not in" the list of
originals: a search of that whole list for each post, which grows with the
square of the column (about 2.5 s at 10,000 posts, in every build that runs
the generators, the weekly one included).

Here Pelican's own ``process_translations`` is handed one group at a time
(the posts that share an id, sorted the same way first), and the groups'
answers are joined in order. A post is equal only to itself, so a post of
one group is never "in" another group's originals, and the joined lists are
the ones Pelican makes, with the same warnings; posts of a class with an
equality of its own go to Pelican's function whole.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from itertools import groupby
from operator import attrgetter
from typing import Any

import pelican.generators as generators_mod


def _identity_only(items: list) -> bool:
    """True when every item is equal only to itself (Python's default equality)."""
    return all(type(x).__eq__ is object.__eq__ and type(x).__ne__ is object.__ne__ for x in items)


def by_group(original: Callable) -> Callable:
    """``original`` (Pelican's process_translations) applied to each group of posts in turn."""

    def process_translations(content_list: Any, translation_id: Any = None) -> tuple[list, list]:
        if not translation_id or type(content_list) is not list or not _identity_only(content_list):
            return original(content_list, translation_id)
        names = {translation_id} if isinstance(translation_id, str) else translation_id
        try:
            key = attrgetter(*names)
            content_list.sort(key=key)  # as Pelican sorts the caller's list
        except (TypeError, AttributeError):
            return original(content_list, translation_id)  # its own message for the author
        index: list = []
        translations: list = []
        for _id, items in groupby(content_list, key):
            originals, others = original(list(items), translation_id)
            index += originals
            translations += others
        return index, translations

    return process_translations


def available() -> bool:
    """True when the generators still call Pelican's own function."""
    return getattr(generators_mod.process_translations, "__module__", "") == "pelican.utils"


@contextlib.contextmanager
def grouped() -> Iterator[None]:
    """While the generators run, translations are found one group of posts at a time."""
    original = generators_mod.process_translations
    generators_mod.process_translations = by_group(original)
    try:
        yield
    finally:
        generators_mod.process_translations = original
