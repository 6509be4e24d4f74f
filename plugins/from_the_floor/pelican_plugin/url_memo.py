"""Each post's URL worked out once while Pelican's generators run (a Pelican adapter).

Pelican formats a post's ``url`` and ``save_as`` from its settings and
metadata at every access (``Content.get_url_setting``: a copy of the
metadata, the source path made relative to the content folder, then
``str.format``). While the generators run, each post's URL is asked for
five or six times (its validity, its page, the JSON-LD, the search records,
the sitemap, the feeds), about 6,000 formattings at 1,000 posts.

Here each answer is kept on the post with a fingerprint of exactly what it
was made from: the URL setting's text (which names the class, a draft or
not, and the language's variant) and the value of every field that text
names, as ``url_format`` would hand it over. An answer is used again only
while that fingerprint is unchanged, so a plugin that changes a post's slug,
date or category later in the build gets the new URL, as from Pelican. Only
Pelican's own ``Article`` and ``Page`` are remembered (a subclass may format
its URL another way), and a field of a kind the fingerprint cannot compare
exactly (anything but text, numbers, truth values and dates) is formatted
by Pelican every time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import string
from collections.abc import Iterator
from typing import Any

from pelican.contents import Article, Content, Page

_KINDS = (Article, Page)
_MEMO = "_floor_urls"  # on the post: (id of the post, {key: (fingerprint, value)})
_PLAIN = (str, int, float, bool, type(None))
_NOPE = object()


@functools.lru_cache(maxsize=256)
def _fields(pattern: str) -> tuple[str, ...] | None:
    """The names ``pattern`` formats (``{date:%Y}`` → date); None for positional or odd fields."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        return None
    names = []
    for _text, field, _spec, _conversion in parsed:
        if field is None:
            continue
        name = field.split(".", 1)[0].split("[", 1)[0]
        if not name or name.isdigit():
            return None
        names.append(name)
    return tuple(names)


def _value(value: Any) -> Any:
    """A value as the fingerprint holds it, or the _NOPE marker when it cannot be compared exactly."""
    kind = type(value)
    if kind in _PLAIN:
        return (kind, value)
    if kind is dt.datetime:
        return (kind, value.isoformat(), value.tzname())
    if kind is dt.date:
        return (kind, value.isoformat())
    return _NOPE


def fingerprint(content: Content, key: str) -> tuple | None:
    """What ``content.get_url_setting(key)`` is made from, or None if it cannot be told exactly."""
    variant = key if content.in_default_lang else f"lang_{key}"
    # the setting Pelican's own Article._expand_settings and Page._expand_settings format
    if type(content) is Article:
        klass = "draft" if content.status == "draft" else "article"
    else:
        klass = "draft_page" if content.status == "draft" else "page"
    pattern = content.settings.get(f"{klass}_{variant}".upper())
    if type(pattern) is not str:
        return None
    names = _fields(pattern)
    if names is None:
        return None
    metadata = content.metadata
    parts: list[Any] = [pattern]
    for name in names:
        if name == "path":
            parts.append((metadata.get("path"), content.source_path, content.settings.get("PATH")))
            continue
        if name in ("author", "category"):
            wrapper = getattr(content, name, None)
            value = "" if wrapper is None else wrapper.slug
        elif name == "slug":
            value = getattr(content, "slug", "")
        elif name == "lang":
            value = getattr(content, "lang", "en")
        elif name == "date":
            if not hasattr(content, "date"):
                return None  # Pelican takes the clock's time
            value = content.date
        else:
            value = metadata.get(name, _NOPE)
        held = _value(value)
        if held is _NOPE:
            return None
        parts.append(held)
    return tuple(parts)


@contextlib.contextmanager
def remembered_urls() -> Iterator[None]:
    """While the generators run, a post's URL is formatted again only when its inputs change."""
    original = Content.get_url_setting

    def get_url_setting(self: Content, key: str) -> str:
        if type(self) not in _KINDS or hasattr(self, "override_" + key):
            return original(self, key)
        marks = fingerprint(self, key)
        if marks is None:
            return original(self, key)
        memo = self.__dict__.get(_MEMO)
        if memo is None or memo[0] != id(self):  # a copy.copy of a post shares its dict, not its memo
            memo = self.__dict__[_MEMO] = (id(self), {})
        hit = memo[1].get(key)
        if hit is not None and hit[0] == marks:
            return hit[1]
        value = original(self, key)
        memo[1][key] = (marks, value)
        return value

    Content.get_url_setting = get_url_setting
    try:
        yield
    finally:
        Content.get_url_setting = original
