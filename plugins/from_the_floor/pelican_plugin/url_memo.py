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
from pelican.utils import path_to_url

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


def _inputs(content: Content, key: str) -> tuple[tuple, str, dict[str, Any]] | None:
    """What ``content.get_url_setting(key)`` is made from (its fingerprint), the URL setting
    and the values it formats but for ``path``; None if it cannot be told exactly.

    ``path`` is left out of the values: working it out is most of Pelican's
    cost, and a remembered URL does not need it (the fingerprint holds what it
    is made from instead).
    """
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
    values: dict[str, Any] = {}
    for name in names:
        if name == "path":
            parts.append((metadata.get("path", _NOPE), content.source_path, content.settings.get("PATH")))
            continue
        if name in ("author", "category"):
            wrapper = getattr(content, name, _NOPE)
            value = "" if wrapper is _NOPE else wrapper.slug
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
        values[name] = value
    return tuple(parts), pattern, values


def _pelicans_formatting() -> bool:
    """True when Pelican's own code formats every remembered post's URL (no plugin replaced it)."""
    functions = (
        Content.__dict__["url_format"].fget,
        Content._expand_settings,
        Article._expand_settings,
        Page._expand_settings,
    )
    return all(getattr(f, "__module__", None) == "pelican.contents" for f in functions)


@contextlib.contextmanager
def remembered_urls(*, direct: bool = False) -> Iterator[None]:
    """While the generators run, a post's URL is formatted again only when its inputs change.

    ``direct``: a URL not yet remembered is formatted here, from the values
    the fingerprint has just read, as Pelican's ``_expand_settings`` formats
    it (the setting's text, ``str.format`` with ``url_format``'s values for
    the fields it names), instead of through ``url_format``, which copies
    every field of the post's metadata and makes its source path relative
    again for each URL. Only while Pelican's own formatting code is in place.
    """
    original = Content.get_url_setting
    direct = direct and _pelicans_formatting()

    def get_url_setting(self: Content, key: str) -> str:
        if type(self) not in _KINDS or hasattr(self, "override_" + key):
            return original(self, key)
        try:
            made = _inputs(self, key)
        except Exception:  # Pelican's own formatting raises it, or not, as it always has
            made = None
        if made is None:
            return original(self, key)
        marks, pattern, values = made
        memo = self.__dict__.get(_MEMO)
        if memo is None or memo[0] != id(self):  # a copy.copy of a post shares its dict, not its memo
            memo = self.__dict__[_MEMO] = (id(self), {})
        hit = memo[1].get(key)
        if hit is not None and hit[0] == marks:
            return hit[1]
        value = _format(self, pattern, values) if direct else original(self, key)
        memo[1][key] = (marks, value)
        return value

    Content.get_url_setting = get_url_setting
    try:
        yield
    finally:
        Content.get_url_setting = original


def _format(content: Content, pattern: str, values: dict[str, Any]) -> str:
    """``pattern`` formatted as ``Content._expand_settings`` formats it, from ``values``.

    ``str.format`` reads only the fields the pattern names, so these values
    (``url_format``'s for each of them) give the same text as all of them.
    """
    if "path" in _fields(pattern):  # url_format: the metadata's path, or the source made relative
        metadata = content.metadata
        values = {
            **values,
            "path": path_to_url(
                metadata["path"] if "path" in metadata else content.get_relative_source_path()
            ),
        }
    return pattern.format(**values)
