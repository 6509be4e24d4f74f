"""Pelican's pure per-post helpers, each answer worked out once per build (a Pelican adapter).

While its generators run, Pelican works out the same things again for every
post, each time from scratch: a post's source path made relative to the
content folder (four times a post: making the post, its URL, its save_as,
the generator's record of it), the slug of its category and author (the same
few names, slugified once per post), the regular expression of intrasite
links (formatted and looked up in ``re``'s cache twice a post), a search of
the post's HTML for intrasite links (which, with Pelican's own pattern, need
a ``{`` or a ``|``) and for images with an empty ``alt`` (a pattern that
needs the text ``<img``). At 10,000 posts that is about two seconds of the build's
own process.

Each helper here answers from a memo only what is a pure function of its
arguments (strings and the setting it reads), so the answer is the one
Pelican's own function gives; anything else goes to Pelican's function. The
memos last for one build (:func:`installed`), and are installed only when
no other plugin listens to Pelican's signals and Pelican's functions are
its own (engine.run), so another plugin always sees Pelican's code.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterator
from typing import Any

import pelican.readers as readers_mod
import pelican.urlwrappers as urlwrappers_mod
from pelican.contents import Content
from pelican.settings import DEFAULT_CONFIG


def pelicans(function: Any) -> bool:
    """True when ``function`` is Pelican's own (no other plugin has replaced it)."""
    return getattr(function, "__module__", "").startswith("pelican.") and not getattr(
        function, "__module__", ""
    ).startswith("pelican.plugins.")


# Pelican's functions replaced for one build (installed), in the order installed() makes them
_REPLACED = (
    (Content, "get_relative_source_path"),
    (Content, "_get_intrasite_link_regex"),
    (Content, "get_static_links"),
    (Content, "_update_content"),
    (urlwrappers_mod, "slugify"),
    (readers_mod, "find_empty_alt"),
)


def available() -> bool:
    """True when every helper replaced here is still Pelican's own."""
    return all(pelicans(getattr(owner, name)) for owner, name in _REPLACED)


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """For one build: Pelican's pure per-post helpers answer from memos (see the module's docstring)."""
    originals = [getattr(owner, name) for owner, name in _REPLACED]
    (
        relative_original,
        regex_original,
        static_links_original,
        update_original,
        slugify_original,
        empty_alt_original,
    ) = originals
    relative: dict[tuple[str, str], str | None] = {}
    regexes: dict[str, re.Pattern] = {}

    def get_relative_source_path(self: Content, source_path: str | None = None) -> str | None:
        # relpath(abspath(join(PATH, source)), abspath(PATH)): with PATH absolute no step reads
        # the working folder, so the answer is a function of the two strings alone
        path = source_path or self.source_path
        base = self.settings["PATH"]
        if type(path) is str and type(base) is str and os.path.isabs(base):
            key = (base, path)
            if key not in relative:
                relative[key] = _inside(base, path) or relative_original(self, path)
            return relative[key]
        return relative_original(self, source_path)

    def get_intrasite_link_regex(self: Content) -> re.Pattern:
        pattern = self.settings["INTRASITE_LINK_REGEX"]
        if type(pattern) is not str:
            return regex_original(self)
        if pattern not in regexes:
            regexes[pattern] = regex_original(self)
        return regexes[pattern]

    def get_static_links(self: Content) -> set[str]:
        if _no_intrasite_link(self.settings, self._content):
            return set()
        return static_links_original(self)

    def update_content(self: Content, content: Any, siteurl: str) -> Any:
        if _no_intrasite_link(self.settings, content):
            return content  # what re.sub gives back for text it finds nothing in
        return update_original(self, content, siteurl)

    @functools.lru_cache(maxsize=4096)
    def slug_of(value: str, subs: tuple, preserve_case: bool, use_unicode: bool) -> str:
        return slugify_original(value, regex_subs=subs, preserve_case=preserve_case, use_unicode=use_unicode)

    def slugify(
        value: Any, regex_subs: Any = (), preserve_case: Any = False, use_unicode: Any = False
    ) -> str:
        # markup stripped, Unicode normalised, transliterated, substituted: text in, text out
        subs = _text_pairs(regex_subs)
        if (
            type(value) is not str
            or subs is None
            or type(preserve_case) is not bool
            or type(use_unicode) is not bool
        ):
            return slugify_original(
                value, regex_subs=regex_subs, preserve_case=preserve_case, use_unicode=use_unicode
            )
        return slug_of(value, subs, preserve_case, use_unicode)

    def find_empty_alt(content: Any, path: str) -> None:
        # Pelican's pattern matches only from a literal "<img": without one there is nothing to warn of
        if type(content) is str and "<img" not in content:
            return
        empty_alt_original(content, path)

    replacements = (
        get_relative_source_path,
        get_intrasite_link_regex,
        get_static_links,
        update_content,
        slugify,
        find_empty_alt,
    )
    for (owner, name), replacement in zip(_REPLACED, replacements, strict=True):
        setattr(owner, name, replacement)
    try:
        yield
    finally:
        for (owner, name), original in zip(_REPLACED, originals, strict=True):
            setattr(owner, name, original)


_PELICANS_LINKS = DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]  # [{|](?P<what>.*?)[|}]


def _no_intrasite_link(settings: dict, text: Any) -> bool:
    """True when Pelican's own intrasite link pattern cannot match ``text``: it has no ``{`` or ``|``."""
    return (
        type(text) is str
        and settings.get("INTRASITE_LINK_REGEX") == _PELICANS_LINKS
        and "{" not in text
        and "|" not in text
    )


def _inside(base: str, path: str) -> str | None:
    """``path`` relative to ``base`` when it is plainly inside it (both absolute and normal), else None.

    Then ``os.path.relpath`` of their absolute forms is the rest of ``path``
    after ``base`` and a separator: abspath of a normal absolute path is
    itself, and relpath drops the components the two share.
    """
    if os.sep != "/" or not path.startswith("/"):
        return None
    root = os.path.normpath(base)
    if root == "/" or os.path.normpath(path) != path or not path.startswith(root + "/"):
        return None
    return path[len(root) + 1 :]


def _text_pairs(pairs: Any) -> tuple[tuple[str, str], ...] | None:
    """``SLUG_REGEX_SUBSTITUTIONS`` as a key (pairs of text), or None when it is anything else."""
    if type(pairs) not in (list, tuple):
        return None
    out = []
    for pair in pairs:
        if type(pair) not in (list, tuple) or len(pair) != 2:
            return None
        source, target = pair
        if type(source) is not str or type(target) is not str:
            return None
        out.append((source, target))
    return tuple(out)
