"""The search index in shards: a build re-indexes only the shards whose records changed.

Pagefind cannot update a bundle, and indexing costs about 1 ms of CPU a
post, so a column's posts are split into shards, each its own Pagefind
bundle, and a shard whose records hash the same as last build's is kept as
it is in output/. The reader's browser searches them all: the first is
``pagefind/`` (what the search page imports), the others are nested in it
(``pagefind/part-2-of-4/`` …) and merged into it with Pagefind's
``mergeIndex``, which loads no second copy of Pagefind's WebAssembly
(docs/performance-log.md, "Search", has the reader's cost).

Which shard: a post's number modulo the number of shards. Every shard then
holds an even share of the column, old and new posts alike, so each bundle's
word statistics (Pagefind ranks with BM25, per bundle) are close to the
whole column's (blocks of consecutive posts would leave the newest few in a
bundle of their own, weighed very differently); the search page then scales
each shard's scores to the column's word weights (theme/static/js/search.js).
A new post re-indexes one shard, an edit its own post's shard. How many shards:
:data:`SHARD_RECORDS` posts or fewer is one bundle (exactly the single
``pagefind/`` of a small column); past that the count doubles (2, 4, then
at most :data:`MAX_SHARDS`), each doubling indexing everything once.

What is kept, and why it can be trusted: ``floor-search-shards.json`` in the
cache folder records each shard's records digest and the digest of every file
of its bundle. The records digest is taken from each post's key (:class:`Post`:
a digest of everything its record is made from, which the build holds before
it makes any record: its URL, title and number, its questions' decoration key
and the "asked by" lines), the kit's code, the language, Pagefind's version
and the layout; a post's record (its whole text) is made only for a shard that
changed. A shard is kept only when both still match the
files in output/; the record is signed with the column's key when the key is
here, as the build manifest is. Folder names come from numbers only, never
from a post's text.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import json
import os
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core import sealing
from ..core.atomic import atomic_write_text
from ..core.build_manifest import Stamp, digest_file, digest_text, read_stamp, same_stat, stamp_read
from .search import BUNDLE, GZIPPED, Read, Record, is_bundle

SHARD_RECORDS = 300  # posts in one bundle before the index is split (tests set it lower)
MAX_SHARDS = 8  # the most bundles a reader's first search fetches the start of
STATE_FILE = "floor-search-shards.json"  # in the cache folder (CACHE_PATH)
FORMAT = "search-shards 3"  # bump when what a shard holds for the same records, or its digest, changes
_PART = re.compile(r"part-(\d+)-of-(\d+)")


@dataclass(frozen=True)
class Post:
    """A post before its search record is made: its number, a digest of everything its record
    is made from (the same key, the same record), and how to make the record."""

    number: int
    key: str
    record: Callable[[], Record]


@dataclass(frozen=True)
class Shard:
    """One bundle: its folder inside output/, its posts (in post order) and their digest."""

    folder: str
    posts: tuple[Post, ...]
    digest: str

    def records(self) -> list[Record]:
        """Its posts' records, made now (for a shard that is indexed again)."""
        return [post.record() for post in self.posts]


def shard_count(posts: int, per_shard: int | None = None, most: int | None = None) -> int:
    """1 up to ``per_shard`` posts, then doubling (2, 4, 8 …) up to ``most``."""
    per_shard = max(1, per_shard or SHARD_RECORDS)
    most = max(1, most or MAX_SHARDS)
    count = 1
    while count < most and posts > count * per_shard:
        count *= 2
    return min(count, most)


def folder_of(part: int, count: int) -> str:
    """The first shard is ``pagefind/`` itself; the others are nested in it."""
    return BUNDLE if part == 0 else f"{BUNDLE}/part-{part + 1}-of-{count}"


@functools.cache
def pagefind_version() -> str:
    """The installed Pagefind's version: another Pagefind writes other bundles."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "unknown"


def plan(posts: Sequence[Post], language: str, salt: str = "") -> list[Shard]:
    """The shards of ``posts``: each post by its number, in the order given. ``salt``: what
    the records depend on besides the posts' keys (the kit's code)."""
    count = shard_count(len(posts))
    parts: list[list[Post]] = [[] for _ in range(count)]
    for post in posts:
        parts[post.number % count].append(post)
    shards = []
    for part, members in enumerate(parts):
        folder = folder_of(part, count)
        rows = [[p.key, p.number] for p in members]
        digest = digest_text(FORMAT, pagefind_version(), language, salt, folder, rows)
        shards.append(Shard(folder, tuple(members), digest))
    return shards


def merge_urls(folders: Sequence[str]) -> list[str]:
    """The site paths the search page merges into the first bundle: every other shard."""
    return [folder + "/" for folder in folders if folder != BUNDLE]


def folders_on_disk(output: Path) -> list[str]:
    """The shards a built output/ holds (the live preview's search page serves those)."""
    root = Path(output) / BUNDLE
    if not is_bundle(root):
        return []
    parts = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(root):
            found = _PART.fullmatch(entry.name)
            if found and entry.is_dir(follow_symlinks=False) and is_bundle(Path(entry.path)):
                parts.append((int(found.group(1)), f"{BUNDLE}/{entry.name}"))
    return [BUNDLE, *(folder for _n, folder in sorted(parts))]


def bundle_files(
    output: Path,
    folder: str,
    known: Mapping[str, list] | None = None,
    stamps: dict[str, Stamp] | None = None,
    written: Mapping[str, Read] | None = None,
) -> dict[str, str] | None:
    """Each file of the bundle at ``folder`` (not the shards nested in it) with its digest.

    ``known``: digests the build already took of output/'s files ([size, mtime_ns, digest] by
    the path inside output/, build_state.want_output), used for a file whose size and mtime
    are still those; any other file is hashed. ``stamps``: for a bundle just written, each
    file's stamp as it was read (build_manifest.read_stamp) goes in here, by its path inside
    output/, so the build's record at the end need not read the file again. ``written``: the
    bundle's files as the index read them once Pagefind had written them whole
    (search.RecordIndex.read_files, by the path in the bundle): a file that is still that one
    (size, mtime, inode) is not read again."""
    root = Path(output) / folder
    if not is_bundle(root):
        return None
    known = known or {}
    written = written or {}
    files: dict[str, str] = {}
    # by path strings: a weekly build checks every kept shard's files (about 270 a shard) on
    # the way to starting Pagefind, and a path object made three times a file was most of it
    top = os.fspath(root)
    for base, dirs, names in os.walk(top):
        if base == top:
            dirs[:] = [d for d in dirs if not _PART.fullmatch(d)]
            inside = ""  # the path inside the bundle, "/"-separated
        else:
            inside = base[len(top) + 1 :].replace(os.sep, "/") + "/"
        for name in names:
            rel = inside + name
            path = os.path.join(base, name)
            stamp = known.get(f"{folder}/{rel}")  # its digest holds while its size and mtime do
            done = written.get(rel)
            if stamp is not None and same_stat(path, stamp):
                digest = stamp[2]
            elif done is not None and (read := stamp_read(path, *done)) is not None:
                digest = done[0]
                if stamps is not None:
                    stamps[f"{folder}/{rel}"] = read
            elif stamps is not None:
                read = read_stamp(path)
                digest = None if read is None else read[2]
                if read is not None:
                    stamps[f"{folder}/{rel}"] = read
            else:
                digest = digest_file(path)
            if digest is None:
                return None
            files[rel] = digest
    return files


class State:
    """What the last build's shards were, kept in the cache folder (see the module's note)."""

    def __init__(self, path: Path | None, key: bytes | None) -> None:
        self.path, self.key = path, key
        self.shards: dict[str, dict] = {}
        self._kept: set[str] = set()
        if path is None:
            return
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            shards = saved["shards"]
            if saved.get("format") != FORMAT or not isinstance(shards, dict):
                return
            signed = key is None or hmac.compare_digest(str(saved.get("mac")), sealing.json_mac(shards, key))
            if not signed:
                return  # edited, or signed with another key: nothing is kept
            self.shards = {str(k): v for k, v in shards.items() if isinstance(v, dict)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.shards = {}

    def unchanged(
        self, output: Path, shards: Sequence[Shard], known: Mapping[str, list] | None = None
    ) -> set[str]:
        """The folders of ``shards`` that output/ holds exactly as the last build wrote them
        (``known``: the digests the build's check of output/ took, see :func:`bundle_files`)."""
        kept = set()
        for shard in shards:
            saved = self.shards.get(shard.folder)
            if not saved or saved.get("records") != shard.digest:
                continue
            files = bundle_files(output, shard.folder, known)
            if files and files == saved.get("files"):
                kept.add(shard.folder)
        self._kept = kept
        return kept

    def fixed_files(self) -> dict[str, str]:
        """Digests of Pagefind's fixed files (its scripts, styles and WebAssembly, the same bytes in
        every bundle one Pagefind writes) in a kept shard, for telling a new bundle's copies whole
        (search.RecordIndex); empty when no shard is kept."""
        for folder in sorted(self._kept):
            files = self.shards[folder].get("files") or {}
            return {
                rel: digest
                for rel, digest in files.items()
                if "/" not in rel and not rel.endswith((".json", *GZIPPED)) and isinstance(digest, str)
            }
        return {}

    def save(
        self,
        output: Path,
        shards: Sequence[Shard],
        stamps: dict[str, Stamp] | None = None,
        written: Mapping[str, Mapping[str, Read]] | None = None,
    ) -> None:
        """Record ``shards`` as output/ now holds them (a write that fails keeps nothing).

        ``stamps``: the stamps of the files read for it (:func:`bundle_files`) go in here.
        ``written``: the re-indexed shards' files as read once whole (by folder, see
        :func:`bundle_files`)."""
        if self.path is None:
            return
        written = written or {}
        record = {}
        for shard in shards:
            if shard.folder in self._kept:  # its files were just read: they are as recorded
                record[shard.folder] = self.shards[shard.folder]
                continue
            files = bundle_files(output, shard.folder, stamps=stamps, written=written.get(shard.folder))
            if files is not None:
                record[shard.folder] = {"records": shard.digest, "files": files}
        body = {"format": FORMAT, "shards": record}
        if self.key is not None:
            body["mac"] = sealing.json_mac(record, self.key)
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(body, sort_keys=True) + "\n")


def remove_other_shards(output: Path, shards: Sequence[Shard]) -> None:
    """Remove shard folders of another layout (fewer posts, or the old single bundle's size)."""
    root = Path(output) / BUNDLE
    wanted = {shard.folder for shard in shards}
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(root):
            if _PART.fullmatch(entry.name) and f"{BUNDLE}/{entry.name}" not in wanted:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
