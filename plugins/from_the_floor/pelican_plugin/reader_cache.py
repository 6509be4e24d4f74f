"""Pelican's reader cache, kept when the site moves to another folder.

Pelican keys its reader cache (``.cache/*-Readers``) by each file's absolute
path. A site checked out in another folder (another machine, a renamed
folder, a CI runner with another workspace) with last week's ``.cache/``
restored finds none of its posts there, and reads and converts every one of
them again: at 1,000 posts that was a quarter of the weekly build's CPU.

So the kit notes which content folder the caches were saved under
(:data:`ROOT_FILE`, written once Pelican has saved them), and when a
generator starts in another folder, the entries under the old one are moved
to the same relative path under the new one. Nothing else is trusted: Pelican
still checks each entry's stamp against its file (the kit's sites use
``CHECK_MODIFIED_METHOD = "md5"``: the file's bytes), and what a reader makes
of a file depends on the file's bytes, its path inside the content folder
and the settings, which are the same (the reader key and the build key leave
the site's own folder out).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.atomic import atomic_write_text
from . import opt_in

ROOT_FILE = "floor-reader-root.txt"  # in CACHE_PATH: the content folder the caches were saved under


def _record(settings: dict) -> Path | None:
    if not settings.get("CACHE_CONTENT") or not settings.get("CACHE_PATH"):
        return None
    return Path(settings["CACHE_PATH"]) / ROOT_FILE


def _content_root(settings: dict) -> str:
    return os.path.abspath(str(settings["PATH"]))


def rebase(generator) -> None:
    """generator_init: move the cache's entries from the folder the site was in to this one."""
    readers = getattr(generator, "readers", None)
    cache = getattr(readers, "_cache", None)
    record = _record(generator.settings)
    if not cache or not isinstance(cache, dict) or record is None:
        return
    try:
        old = record.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    new = _content_root(generator.settings)
    if not old or old == new or not os.path.isabs(old):
        return
    old_prefix, new_prefix = old.rstrip(os.sep) + os.sep, new.rstrip(os.sep) + os.sep
    kept = {k: v for k, v in cache.items() if not (isinstance(k, str) and k.startswith(old_prefix))}
    for key, value in cache.items():
        if key not in kept:  # an entry already made under this folder is the newer one
            kept.setdefault(new_prefix + key[len(old_prefix) :], value)
    readers._cache = kept


def note_root(generators) -> None:
    """all_generators_finalized: the caches Pelican has just saved are keyed under this folder."""
    if not generators:
        return
    settings = generators[0].settings
    record = _record(settings) if opt_in.active(settings) else None
    if record is None:
        return
    root = _content_root(settings)
    try:
        if record.read_text(encoding="utf-8") == root:
            return
    except (OSError, UnicodeDecodeError):
        pass
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(record, root)
    except OSError:
        pass  # no record: a moved site reads its posts again, as before
