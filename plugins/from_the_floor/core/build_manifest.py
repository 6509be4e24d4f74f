"""The build manifest: what the last build read and wrote, so the next one does only what changed.

It lives beside the output folder (``.output.manifest.json`` for ``output/``)
and holds, from the last build that passed the contact guard:

- ``key``: the digest of everything that reaches every page at once (the
  kit's and Pelican's versions, the settings as Pelican read them, the
  installed packages). A manifest whose key differs from this build's is not
  trusted: every page is rendered.
- ``fast``: the digest of what the ``floor build`` command line could see
  before starting Pelican (the same versions, the settings file and extra
  arguments, the build's moment as the plan sees it), and ``inputs``: the
  size, mtime, digest and ctime of every file under the folders the build
  read. The ctime is there because an edit that keeps the size and puts the
  mtime back (``touch -d``, ``os.utime``, some editors and sync tools) leaves
  size and mtime as they were, while no call can set the ctime back (git's
  index keeps it for the same reason); a file whose stamp differs is hashed.
  When both match and output/ is as the manifest left it, nothing can have
  changed and the build stops before importing Pelican.
- ``outputs``: each output file (by its path inside output/) with its size,
  mtime and ctime as written, its kind (a page or feed the kit recorded, a static
  file, anything else), for pages and feeds the signature of what it was
  rendered from (pelican_plugin/page_signatures.py), and the digest of its
  bytes. A file is kept only when its bytes still have that digest: a fresh
  checkout with last week's output/ restored (new mtimes, another folder)
  keeps every file that did not change, and a file changed behind the
  build's back (its size and mtime put back or not) is made again, never
  deployed. A file whose size, mtime and ctime are the ones recorded (out of
  the racy window) has not been written since, so it is not read again: the
  ctime is what no edit can put back, as for the inputs.
- ``clean``: digests of output files the contact guard found clean, valid
  while ``guard`` (the digest of the files contacts are read from, and
  whether the private key was there to open them) is unchanged.
- ``posts``: for each post or page signed from its inputs (by its source
  file's path relative to the site), a probe of what its digests are made
  of (its source file's digest, the posts it links to, see
  pelican_plugin/page_signatures.py) and the digests themselves (its own
  facts, its card, its feed entry): the next build works out again only the
  digests of the posts whose probe changed, and the pages that read them.

Every path is relative to the site (or to output/), so the record holds when
the site is checked out somewhere else.

The manifest is signed when the column's private key is here (the key file
or ``FLOOR_AGE_KEY``, core/sealing.py): a keyed digest of the whole record,
with a key derived from the private key, so a record edited to match a
tampered output/ is refused and every page is built again. Without the
private key the record cannot be signed; every kept output is still checked
against the digest it records, and no post's digests are taken from it
(every page is signed afresh). The file is a line with the format, the
kit's version and the signature, then the record as the exact JSON text the
signature covers: written once, and checked by hashing those bytes rather
than by serialising the record again.

Nothing here is secret: paths and digests of files that are in the site's
repository or its published output, never a contact or a digest of one (a
digest of an address could be confirmed by guessing it). A file that cannot
be read, or says another format, is no manifest: the build renders
everything.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import itertools
import json
import operator
import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..version import __version__
from . import heap, phases
from .atomic import atomic_binary
from .parse_cache import RACY_NS

FORMAT = 5  # 2: outputs by content digest, the record signed with the private key; 3: inputs' ctime;
# 4: outputs' ctime; 5: the signature on a line of its own, over the record's bytes as written, and
# the posts' digests with their probes
# a file changed less than one timestamp tick before it was stamped may change again unseen
# within the same tick (git's "racy clean" rule): it is hashed next time, never trusted by
# its stat (:func:`racy`: the parse cache's RACY_NS for whole-second timestamps, else FINE_RACY_NS)

Stamp = list  # [size, mtime_ns, digest hex] (an output kept); an input's adds its ctime_ns
INPUT_FIELDS = 4  # an input stamp: [size, mtime_ns, digest hex, ctime_ns]
OUTPUT_FIELDS = 6  # an output record: [size, mtime_ns, kind, signature, digest hex, ctime_ns]
POST_FIELDS = 4  # a post record: [probe, own digest, card digest, feed entry digest] (None: not kept)
TOP_LEVEL = "*"  # a root named ``folder/*``: the files directly in ``folder``, not its subfolders


def path_for(output: Path) -> Path:
    """Where the manifest of ``output`` lives: beside it, named after it."""
    output = Path(output).absolute()
    return output.with_name(f".{output.name}.manifest.json")


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_file(path: str | Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return _handle_digest(handle)
    except OSError:
        return None


_SMALL = 1 << 20  # a file up to this size is read in one call to be hashed


def digest_sized(path: str, size: int) -> str | None:
    """:func:`digest_file` of a file whose size a stat has just given: a small one is read with one
    ``read`` of its size and one byte more (a short read is the end of a regular file), without a
    buffered reader's loop; 2,500 pages cost 0.06 s instead of 0.08 s. A file that grew since is
    read to its end; a large one is read as :func:`digest_file` reads it."""
    if size > _SMALL:
        return digest_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        data = os.read(fd, size + 1)
        digest = hashlib.blake2b(data, digest_size=16)
        if len(data) > size:
            while block := os.read(fd, 1 << 20):
                digest.update(block)
    except OSError:
        return None
    finally:
        os.close(fd)
    return digest.hexdigest()


def _handle_digest(handle) -> str:
    """The digest of an open file's bytes, the one every stamp of a file holds."""
    return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def digest_text(*parts: Any) -> str:
    """A digest of JSON-able parts, the same in every process and on every machine."""
    data = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return digest_bytes(data.encode("utf-8"))


@dataclass
class Counts:
    rendered: int = 0
    kept: int = 0
    removed: int = 0
    unchanged: bool = False  # nothing changed: the build stopped before Pelican
    distrusted: bool = False  # a record was there but failed its signature: everything was made again
    unsigned: bool = False  # ... because it was made without the private key this build has
    replaced: int = 0  # kept outputs whose bytes no longer matched the record: made again
    foreign: int = 0  # files in output/ no build made (nor the record knows): not published
    withdrawn_meanwhile: bool = False  # `floor withdraw` ran during the build: its caches were emptied
    # why nothing of the last build was reused though its record was there (incremental.py)
    fresh_because: str = ""
    # the modules of other plugins' receivers of Pelican's signals (engine.foreign_receivers):
    # they may read what the build's inputs do not cover, so the next build runs Pelican
    listeners: tuple[str, ...] = ()

    def describe(self) -> str:
        said = self._describe()
        if self.withdrawn_meanwhile:
            said += (
                "; withdrawn.json changed while it ran (floor withdraw), so its caches were emptied "
                "again and output/ may still hold the withdrawn post: build again"
            )
        return said

    def _describe(self) -> str:
        if self.unchanged:
            return "nothing changed since the last build"
        if self.distrusted and self.unsigned:
            return (
                f"rendered all {self.rendered:,} pages and feeds: the last build's record was made "
                "without this column's private key (before `floor keys init`, or where the key was "
                "not set), so it was not trusted; the next build keeps what does not change"
            )
        if self.distrusted:
            return (
                f"rendered all {self.rendered:,} pages and feeds: the last build's record did not match "
                "its signature (edited by hand, or made with another private key)"
            )
        total = self.rendered + self.kept
        parts = [f"rendered {self.rendered:,} of {total:,} pages and feeds"]
        if self.fresh_because and not self.kept:
            parts = [f"rendered all {total:,} pages and feeds: {self.fresh_because}"]
        if self.kept:
            parts.append(f"kept {self.kept:,} unchanged")
        if self.removed:
            parts.append(f"removed {self.removed:,} no longer made")
        if self.replaced:
            parts.append(f"made {self.replaced:,} again that had changed since the last build")
        if self.foreign:
            parts.append(f"left out {self.foreign:,} files in output/ that no build made")
        said = ", ".join(parts)
        if self.listeners:
            names = ", ".join(self.listeners[:4]) + (
                f" and {len(self.listeners) - 4} more" if len(self.listeners) > 4 else ""
            )
            said += (
                f"; other plugins listen to Pelican ({names}): every build runs Pelican, and a page "
                "is kept only when all it shows is unchanged"
            )
        return said


@dataclass
class Manifest:
    key: str = ""
    fast: str = ""
    roots: list[str] = field(default_factory=list)
    inputs: dict[str, Stamp] = field(default_factory=dict)
    # rel -> [size, mtime_ns, kind, sig, digest, ctime_ns]
    outputs: dict[str, list] = field(default_factory=dict)
    guard: str = ""
    clean: list[str] = field(default_factory=list)
    # source path relative to the site -> [probe, own, card, entry] (page_signatures.Signer.records)
    posts: dict[str, list] = field(default_factory=dict)
    # read with its signature checked: only then may posts' digests be taken from it
    signed: bool = field(default=False, compare=False)
    # the kit's code digest (kit_code) that made it; "" in a record from a kit that kept none:
    # when the key differs, it tells a new kit from new settings, so the build can say which
    code: str = field(default="", compare=False)

    def output_sig(self, rel: str) -> str | None:
        entry = self.outputs.get(rel)
        return entry[3] if entry else None


def record_key(site_root: Path) -> bytes | None:
    """The key the manifest is signed with: derived from the column's private key(s), if here."""
    from .sealing import ENV_KEY, Keys  # the key file and FLOOR_AGE_KEY, read as the guard reads them

    try:
        ring = Keys(root=Path(site_root), recipient=None, env_key=os.environ.get(ENV_KEY)).ring
    except Exception:  # an unreadable key is reported by the guard; here it only means "unsigned"
        return None
    if not ring:
        return None
    return hashlib.blake2b("\n".join(ring).encode("utf-8"), digest_size=32, person=b"floor-manifest").digest()


def key_id(key: bytes | None) -> str | None:
    """Which signing key (a digest of the derived key: says nothing of the private key)."""
    return None if key is None else hashlib.blake2b(key, digest_size=16, person=b"floor-key-id").hexdigest()


def _mac(body: bytes, key: bytes) -> str:
    from .sealing import bytes_mac  # (imported with the key: record_key has loaded it)

    return bytes_mac(body, key)


@dataclass
class Loaded:
    """What :func:`read` found: the manifest, or None with whether a record failed its signature."""

    manifest: Manifest | None
    forged: bool = False
    unsigned: bool = False  # forged because it holds no signature at all (made without the key)
    other: bool = False  # a record was there, written by another kit (its format or version)


def read(path: Path, key: bytes | None = None) -> Loaded:
    """The manifest at ``path``; with ``key``, only if its signature is right (else ``forged``).

    The first line names the format, the kit and the signature: another format or kit is
    refused before the rest is parsed, and the signature is checked on the record's bytes."""
    try:
        head_text, _, body = Path(path).read_bytes().partition(b"\n")
        head = json.loads(head_text)
    except (OSError, ValueError):
        return Loaded(None)
    if not isinstance(head, dict):
        return Loaded(None)
    if head.get("format") != FORMAT or head.get("kit") != __version__:
        return Loaded(None, other=True)
    body = body.rstrip(b"\n")
    if key is not None:
        mac = head.get("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(body, key)):
            return Loaded(None, forged=True, unsigned=mac is None)
    try:
        with heap.collector_off():  # (about 45,000 rows at 10,000 posts, all kept: nothing to collect)
            raw = json.loads(body)
        if raw.get("format") != FORMAT or raw.get("kit") != __version__:
            return Loaded(None)
        manifest = Manifest(
            key=raw["key"],
            fast=raw["fast"],
            roots=raw["roots"],
            inputs=raw["inputs"],
            outputs=raw["outputs"],
            guard=raw["guard"],
            clean=raw["clean"],
            posts=raw["posts"],
            signed=key is not None,
            code=str(raw.get("code", "")),
        )
    except (KeyError, TypeError, AttributeError, ValueError):
        return Loaded(None)
    return Loaded(manifest) if _well_formed(manifest) else Loaded(None)


# each field's type, as save writes them (JSON hands back str keys, and lists of these)
_INT, _STR, _NONE = int, str, type(None)
_INPUT_ROW = (_INT, _INT, _STR, _INT)  # [size, mtime_ns or -1, digest, ctime_ns]
_OUTPUT_ROWS = frozenset(
    {(_INT, _INT, _STR, sig, _STR, _INT) for sig in (_STR, _NONE)}  # [size, mtime, kind, sig, digest, ctime]
)


def _row_types(row: Any) -> tuple:
    return tuple(map(type, row)) if type(row) is list else ()


def _well_formed(manifest: Manifest) -> bool:
    """Every field of the record of the type :func:`save` writes: a record edited by hand (or by
    another program) into another shape is no record, never a build that trips over it. Checked
    a table at a time, at C speed where it can be (a 10,000-post record has about 45,000 rows)."""
    m = manifest
    scalars = (m.key, m.fast, m.guard)
    if not all(type(v) is str for v in scalars) or type(m.roots) is not list or type(m.clean) is not list:
        return False
    if not all(type(t) is dict for t in (m.inputs, m.outputs, m.posts)):
        return False
    if not set(map(type, itertools.chain(m.roots, m.clean))) <= {_STR}:
        return False
    if not set(map(_row_types, m.inputs.values())) <= {_INPUT_ROW}:
        return False
    if not set(map(_row_types, m.outputs.values())) <= _OUTPUT_ROWS:
        return False
    posts = m.posts.values()
    return (
        set(map(type, posts)) <= {list}
        and set(map(len, posts)) <= {POST_FIELDS}
        and set(map(type, itertools.chain.from_iterable(posts))) <= {_STR, _NONE}
    )


def load(path: Path, key: bytes | None = None) -> Manifest | None:
    """The manifest at ``path``, or None when it is missing, unreadable, of another format, or
    (given the signing ``key``) not signed with it."""
    return read(path, key).manifest


def save(path: Path, manifest: Manifest, key: bytes | None = None) -> None:
    """Write ``manifest`` atomically (a crash leaves the old one, which the next build checks),
    signed with ``key`` when there is one: serialised once, the signature made on those bytes."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "kit": __version__,
        "key": manifest.key,
        "fast": manifest.fast,
        "roots": manifest.roots,
        "inputs": manifest.inputs,
        "outputs": manifest.outputs,
        "guard": manifest.guard,
        "clean": sorted(manifest.clean),
        "posts": manifest.posts,
        "code": manifest.code or kit_code(),  # a new record: this kit's
    }
    head: dict[str, Any] = {"format": FORMAT, "kit": __version__}
    with atomic_binary(Path(path)) as handle:
        # the body is encoded and written a piece at a time, never held whole (8 MB of str and
        # 8 MB of bytes at 10,000 posts, at the very end of a cold build, where its peak was)
        if key is None:
            handle.write(json.dumps(head).encode("utf-8") + b"\n")
            handle.writelines(_body_pieces(data))
        else:
            from .sealing import mac_stream  # (imported with the key: record_key has loaded it)

            # the head line names the body's MAC, known once the body is written: a placeholder
            # of the same length first (a MAC is always 64 hex digits), then the real one over it
            handle.write(json.dumps({**head, "mac": "0" * 64}).encode("utf-8") + b"\n")
            mac = mac_stream(key)
            for piece in _body_pieces(data):
                mac.update(piece)
                handle.write(piece)
            handle.seek(0)
            handle.write(json.dumps({**head, "mac": mac.hexdigest()}).encode("utf-8"))
            handle.seek(0, os.SEEK_END)
        handle.write(b"\n")


_ROWS_A_PIECE = 4096


def _body_pieces(data: dict[str, Any]) -> Iterator[bytes]:
    """``json.dumps(data, separators=(",", ":"))`` as ASCII bytes (a file name's odd bytes
    escaped), in pieces: a large table is encoded some rows at a time, the same bytes joined."""
    dumps = functools.partial(json.dumps, separators=(",", ":"))
    opening = b"{"
    for name, value in data.items():
        yield opening + dumps(name).encode("ascii") + b":"
        opening = b","
        if type(value) is dict and len(value) > _ROWS_A_PIECE:
            rows = iter(value.items())
            start = b"{"
            while batch := dict(itertools.islice(rows, _ROWS_A_PIECE)):
                yield start + dumps(batch)[1:-1].encode("ascii")
                start = b","
            yield b"}"
        else:
            yield dumps(value).encode("ascii")
    yield b"}" if opening == b"," else b"{}"


def remove(path: Path) -> None:
    """Forget the manifest: the next build renders everything."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


# --- files ------------------------------------------------------------------------


def walk(folder: Path) -> dict[str, os.stat_result]:
    """Every regular file under ``folder`` (symlinks followed), relative POSIX path -> stat.

    One ``scandir`` per folder and one stat per file (a folder's own comes with its entry in
    the folder above): the nothing-changed build walks every input and output with it, and
    every build walks output/ once at its end (a thousand posts are a thousand folders)."""
    return dict(walk_files(folder))


def walk_files(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """:func:`walk`'s files one at a time, in the same order, for a caller that needs each
    stat only while it looks at it (the record at the end of a build: 24,000 stats held at
    once were about 14 MiB of the build's peak at 10,000 posts)."""
    try:
        st = os.stat(folder)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk_into(str(folder), st, "", set())


def _walk_into(
    path: str, st: os.stat_result, prefix: str, seen: set[tuple[int, int]]
) -> Iterator[tuple[str, os.stat_result]]:
    if (st.st_ino, st.st_dev) in seen:  # a symlink back up the tree: walked once
        return
    try:
        with os.scandir(path) as listing:
            entries = sorted(listing, key=_name)
    except OSError:
        return
    seen = seen | {(st.st_ino, st.st_dev)}
    for entry in entries:
        try:
            st = entry.stat()  # follows a symlink (os.stat of the entry)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_into(entry.path, st, f"{prefix}{entry.name}/", seen)
        elif stat.S_ISREG(st.st_mode):
            yield prefix + entry.name, st


_name = operator.attrgetter("name")


def _is_file(st: os.stat_result) -> bool:
    return stat.S_ISREG(st.st_mode)


def stamp_inputs(
    roots: Iterable[Path],
    site_root: Path,
    previous: Mapping[str, Stamp] | None = None,
    read: tuple[Mapping[str, Stamp], int] | None = None,
) -> dict[str, Stamp]:
    """Size, mtime, digest and ctime of every file under ``roots`` (folders or single files).

    Keyed by the path relative to the site (absolute when outside it). A file
    whose size, mtime and ctime match ``previous`` keeps its digest unread
    (stamps taken in the racy window were saved without an mtime, see
    :func:`settle_racy`, so they never match).

    ``read``: (stamps, since_ns) that this very build took of files as it read their bytes
    (the questions' check reads every question and post whose stat moved, as on a fresh
    checkout): a file whose size, mtime and ctime are still those, out of the racy window
    before ``since_ns``, takes that digest instead of being read again. Only digests taken
    from the bytes in this build may stand here: an unsigned cache's must not (it could make
    the contact guard skip a changed source).
    """
    previous = previous or {}
    taken, since = read if read is not None else ({}, 0)
    stamps: dict[str, Stamp] = {}
    for key, (path, st) in input_files(roots, site_root).items():
        old = previous.get(key)
        if old is not None and _same_input(st, old):
            stamps[key] = old
            continue
        seen = taken.get(key)
        if seen is not None and read_since(st, seen, since):
            stamps[key] = input_stamp(st, seen[2])
            continue
        digest = digest_file(path)
        if digest is not None:
            stamps[key] = input_stamp(st, digest)
    return stamps


def input_stamp(st: os.stat_result, digest: str) -> Stamp:
    """An input's stamp: [size, mtime_ns, digest, ctime_ns] of the file ``st`` is of, whose bytes
    have ``digest`` (the layout :func:`_same_input` and :func:`read_since` compare)."""
    return [st.st_size, st.st_mtime_ns, digest, st.st_ctime_ns]


def read_since(st: os.stat_result, stamp: Stamp, since_ns: int) -> bool:
    """An input stamp taken from a file's bytes at ``since_ns`` or later still gives the bytes of
    the file ``st`` is of: its size, mtime and ctime are the stamp's, and out of the racy window
    before ``since_ns`` (:func:`racy`), so the file was not written while it was read. The build's
    input check and the questions' check each take the other's digests by it."""
    return _same_input(st, stamp) and not racy(st.st_mtime_ns, st.st_ctime_ns, since_ns)


def _same_input(st: os.stat_result, stamp: Stamp) -> bool:
    return (
        len(stamp) == INPUT_FIELDS
        and st.st_size == stamp[0]
        and st.st_mtime_ns == stamp[1]
        and st.st_ctime_ns == stamp[3]
    )


def input_files(roots: Iterable[Path], site_root: Path) -> dict[str, tuple[str, os.stat_result]]:
    """Every file under ``roots`` (folders, single files, ``folder/*``), by its key: the path
    relative to the site (absolute when outside it), with its path (a string: most callers only
    compare stats, and 10,000 path objects cost more than the walk) and its stat."""
    found: dict[str, tuple[str, os.stat_result]] = {}
    for root in roots:
        root = Path(root)
        if root.name == TOP_LEVEL:  # the files directly in a folder (the site's own: settings, retired.json)
            base, files = root.parent, _top_level(root.parent)
        elif root.is_dir():
            base, files = root, walk(root)
        else:
            base, files = root.parent, dict(zip([root.name], _single(root).values(), strict=False))
        prefix = _key(base, site_root)
        where = str(base).rstrip(os.sep) + os.sep
        for rel, st in files.items():
            key = rel if prefix == "." else f"{prefix}/{rel}"
            if key not in found:
                found[key] = (where + rel, st)
    return found


def _top_level(folder: Path) -> dict[str, os.stat_result]:
    found: dict[str, os.stat_result] = {}
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return found
    for name in names:
        if not name.startswith("."):
            for st in _single(folder / name).values():
                found[name] = st
    return found


def _single(path: Path) -> dict[Path, os.stat_result]:
    try:
        st = os.stat(path)
    except OSError:
        return {}
    return {path: st} if _is_file(st) else {}


def _key(path: Path, site_root: Path) -> str:
    full = os.path.abspath(path)
    base = os.path.abspath(site_root)
    if os.path.commonpath([full, base]) == base:
        return os.path.relpath(full, base).replace(os.sep, "/")
    return Path(full).as_posix()


def settle_racy(stamps: dict[str, Stamp], now_ns: int) -> dict[str, Stamp]:
    """Stamps whose mtime or ctime is within the racy window lose their mtime, so they are hashed
    next time."""
    return {k: ([v[0], -1, *v[2:]] if racy(v[1], v[-1], now_ns) else v) for k, v in stamps.items()}


FINE_RACY_NS = 100_000_000  # the racy window where timestamps have sub-second parts


def racy(mtime_ns: int, ctime_ns: int, now_ns: int) -> bool:
    """Whether a file stamped at ``now_ns`` may still change without its stat showing it: when
    its mtime or ctime is within one timestamp tick of now. File systems that keep whole seconds
    (FAT's two, HFS+ and ext3's one) get the parse cache's two-second window; those whose
    timestamps have sub-second parts tick at most every 10 ms (the kernel's coarse clock at
    HZ=100; NTFS 100 ns), so a tenth of a second is ample. Without it, the build right after a
    build would hash every file written in that build's last two seconds."""
    coarse = mtime_ns % 1_000_000_000 == 0 and ctime_ns % 1_000_000_000 == 0
    return now_ns - max(mtime_ns, ctime_ns) < (RACY_NS if coarse else FINE_RACY_NS)


def inputs_now(
    manifest: Manifest, site_root: Path, read: tuple[Mapping[str, Stamp], int] | None = None
) -> dict[str, Stamp]:
    """Stamps of the files under the manifest's roots as they are now (hashing only what moved;
    ``read``: digests this build took as it read files, as :func:`stamp_inputs` takes them)."""
    return stamp_inputs(roots_of(manifest, site_root), site_root, manifest.inputs, read)


def inputs_unchanged(manifest: Manifest, site_root: Path, now: dict[str, Stamp] | None = None) -> bool:
    """True when every file under the manifest's roots is as it recorded (by stat, else by digest)."""
    now = inputs_now(manifest, site_root) if now is None else now
    if now.keys() != manifest.inputs.keys():
        return False
    return all(now[k][2] == v[2] for k, v in manifest.inputs.items())


def roots_of(manifest: Manifest, site_root: Path) -> list[Path]:
    return [Path(r) if Path(r).is_absolute() else Path(site_root) / r for r in manifest.roots]


def root_names(roots: Iterable[Path], site_root: Path) -> list[str]:
    """The roots as the manifest keeps them: relative to the site when inside it."""
    return sorted({_key(Path(r), site_root) for r in roots})


def outputs_now(manifest: Manifest, output: Path, now_ns: int | None = None) -> dict[str, list] | None:
    """The manifest's output records brought up to date when output/ holds exactly the files it
    recorded with their recorded bytes (by stat when a file's size, mtime and ctime are the
    recorded ones, else by digest: a file changed with its size and mtime put back has a new
    ctime, and is hashed), else None. A file hashed because its stamp differed (a
    restored output/, a record taken in the racy window) gets its stamp now, settled against
    ``now_ns`` as :func:`settle_racy` does: the next check finds it by stat."""
    files = walk(output)
    records = manifest.outputs
    if files.keys() != records.keys():
        return None
    now_ns = time.time_ns() if now_ns is None else now_ns
    fresh: dict[str, list] = {}
    base = str(output)
    for rel, st in files.items():
        record = records[rel]
        if _same_output(st, record):
            fresh[rel] = record
            continue
        if digest_file(Path(base, rel)) != record[4]:
            return None
        fresh[rel] = _output_record(st, record[2], record[3], record[4], now_ns)
    return fresh


def _same_output(st: os.stat_result, record: list) -> bool:
    """Size, mtime and ctime as recorded (a record taken in the racy window has mtime -1)."""
    return (
        st.st_size == record[0]
        and st.st_mtime_ns == record[1]
        and st.st_ctime_ns == record[5]
        and record[1] != -1
    )


def _output_record(st: os.stat_result, kind: str, sig: str | None, digest: str, now_ns: int | None) -> list:
    unsure = now_ns is not None and racy(st.st_mtime_ns, st.st_ctime_ns, now_ns)
    return [st.st_size, -1 if unsure else st.st_mtime_ns, kind, sig, digest, st.st_ctime_ns]


def same_stat(path: str | Path, record: list) -> bool:
    """True when ``path`` has the size and mtime an output record (or input stamp) gives."""
    try:
        return _matches(os.stat(path), record)
    except OSError:
        return False


def _matches(st: os.stat_result, record: list) -> bool:
    return st.st_size == record[0] and st.st_mtime_ns == record[1]


def unwritten_outputs(
    manifest: Manifest, output: Path, stats: Mapping[str, os.stat_result] | None = None
) -> dict[str, tuple[int, int]]:
    """The files of ``output`` not written since the record was taken (size, mtime and ctime as
    recorded, out of the racy window), each by its inode and device: a hard link of one in the
    staging folder is the same file, so its bytes are the recorded ones (:func:`verify_outputs`).
    ``stats``: the files' stats as staging.prepare took them before linking (else ``output`` is
    walked)."""
    found: dict[str, tuple[int, int]] = {}
    for rel, st in (walk(output) if stats is None else stats).items():
        record = manifest.outputs.get(rel)
        if record is not None and _same_output(st, record):
            found[rel] = (st.st_ino, st.st_dev)
    return found


def verify_outputs(
    manifest: Manifest,
    folder: Path,
    *,
    spare: Iterable[str] = (),
    unwritten: Mapping[str, tuple[int, int]] | None = None,
    stats: Mapping[str, os.stat_result | None] | None = None,
) -> tuple[dict[str, Stamp], list[str]]:
    """Check every file in ``folder`` (a build's staging copy of output/) against the record.

    Returns (stamps of the files whose bytes are the ones recorded, the other files): a file
    the record does not know or whose digest differs cannot be kept. Top-level names in
    ``spare`` (Pelican's OUTPUT_RETENTION: a ``.git``, say) are the site's own, not checked.
    ``unwritten`` (:func:`unwritten_outputs` of output/ before it was staged): a file that is
    one of those, by inode, is not read again (linking it changed its ctime, not its bytes).
    ``stats``: every file ``folder`` holds with its stat, as the step that filled it saw them
    (staging.Listing: None where it did not see it), instead of a walk of ``folder``.
    """
    spare = set(spare)
    unwritten = unwritten or {}
    good: dict[str, Stamp] = {}
    bad: list[str] = []
    top = os.fspath(folder)
    for rel, seen in (walk(folder) if stats is None else stats).items():
        if rel.split("/", 1)[0] in spare:
            continue
        st = seen
        if st is None:
            try:
                st = os.stat(os.path.join(top, rel))
            except OSError:
                continue  # (as a walk skips it)
        record = manifest.outputs.get(rel)
        if record is not None and unwritten.get(rel) == (st.st_ino, st.st_dev):
            good[rel] = [st.st_size, st.st_mtime_ns, record[4]]
            continue
        digest = digest_sized(os.path.join(top, rel), st.st_size)
        if record is not None and digest is not None and digest == record[4]:
            good[rel] = [st.st_size, st.st_mtime_ns, digest]
        else:
            bad.append(rel)
    return good, bad


def vouched(stamps: Mapping[str, Stamp], since_ns: int) -> dict[str, Stamp]:
    """The digests in ``stamps`` ([size, mtime_ns, digest] of files, taken at ``since_ns`` or
    later) that still hold for a file with that size and mtime: those whose mtime is out of the
    racy window before ``since_ns`` (:func:`racy`). A file whose mtime is more than one
    timestamp tick older than that cannot have been written since its digest was taken without
    its mtime moving; one within the tick could have, unseen. The build's check of the kept
    outputs took these before the build's start; the search shards and the record at the end
    both take them from here."""
    return {rel: stamp for rel, stamp in stamps.items() if not racy(stamp[1], stamp[1], since_ns)}


def written_stamp(path: str, data: bytes) -> Stamp | None:
    """What a writer that has just put ``data`` in ``path`` knows of the file: [size, mtime_ns,
    digest of ``data``, ctime_ns, inode], for :func:`stamp_outputs` (None if it is gone)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _writer_stamp(st, digest_bytes(data))


def read_stamp(path: str | Path) -> Stamp | None:
    """A writer's stamp (:func:`written_stamp`) of a file it has just finished and that nothing
    else writes into (the search bundles once Pagefind has stopped): its bytes are read once,
    here, and the record at the end of the build reads them no more (None if it is gone)."""
    try:
        with open(path, "rb") as handle:
            digest = _handle_digest(handle)
            st = os.fstat(handle.fileno())
    except OSError:
        return None
    return _writer_stamp(st, digest)


def stamp_read(path: str | Path, digest: str, size: int, mtime_ns: int, inode: int) -> Stamp | None:
    """A writer's stamp (:func:`written_stamp`) of a file whose bytes, read earlier, have
    ``digest``, if it is still the file that was read then (its size, mtime and inode; a rename
    since, which moves its ctime, is allowed); None otherwise (it must be read again)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if (st.st_size, st.st_mtime_ns, st.st_ino) != (size, mtime_ns, inode):
        return None
    return _writer_stamp(st, digest)


def copy_stamped(source: str, destination: str) -> Stamp | None:
    """Copy ``source`` to ``destination`` (its bytes only, as ``shutil.copyfile``), a block at a
    time, and stamp the copy as its writer (:func:`written_stamp`) with the digest of the bytes
    it wrote. Raises OSError as a copy does."""
    digest = hashlib.blake2b(digest_size=16)
    with open(source, "rb") as src, open(destination, "wb") as dst:
        while block := src.read(1 << 20):
            digest.update(block)
            dst.write(block)
    try:
        st = os.stat(destination)
    except OSError:
        return None
    return _writer_stamp(st, digest.hexdigest())


def same_copy_stamped(source: str, destination: str) -> Stamp | None:
    """The stamp of ``destination`` when it already holds ``source``'s bytes (last build's copy,
    in the staging folder), so the copy can be skipped and the file keep its time; None when it
    does not (another size, other bytes, a link, missing), and the copy goes ahead."""
    try:
        st = os.stat(destination, follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode) or st.st_size != os.stat(source).st_size:
            return None
        digest = hashlib.blake2b(digest_size=16)
        with open(source, "rb") as src, open(destination, "rb") as dst:
            while block := src.read(1 << 20):
                if dst.read(len(block)) != block:
                    return None
                digest.update(block)
            if dst.read(1):
                return None
        if not _still(os.stat(destination, follow_symlinks=False), _writer_stamp(st, "")):
            return None  # changed while it was read
    except OSError:
        return None
    return _writer_stamp(st, digest.hexdigest())


def _writer_stamp(st: os.stat_result, digest: str) -> Stamp:
    """A writer's stamp of the file ``st`` is of, whose bytes have ``digest``: [size, mtime_ns,
    digest, ctime_ns, inode], the fields :func:`_still` compares (one layout for every writer)."""
    return [st.st_size, st.st_mtime_ns, digest, st.st_ctime_ns, st.st_ino]


def _still(st: os.stat_result, stamp: Stamp) -> bool:
    """The file is the one ``stamp`` was taken of: its size and mtime (and, for a writer's own
    stamp, its ctime and inode) are the ones the stamp gives."""
    if st.st_size != stamp[0] or st.st_mtime_ns != stamp[1]:
        return False
    return len(stamp) < 5 or (st.st_ctime_ns == stamp[3] and st.st_ino == stamp[4])


def stamp_outputs(
    output: Path,
    kinds: Mapping[str, tuple[str, str | None]],
    known: Mapping[str, Stamp] | None = None,
) -> dict[str, list]:
    """The manifest's record of every file now in ``output``: [size, mtime_ns, kind, signature,
    digest, ctime_ns] (a file written in the racy window before now is recorded without its
    mtime, so the next build hashes it).

    ``known``: digests this build already has, by the path inside ``output``, reused while the
    file is still the one each was taken of (:func:`_still`); any other file is hashed. They are
    the kept files' digests its check took, as far as :func:`vouched` vouches for them (a
    kept file restored with new times a moment before the build is then read once, not twice),
    and the stamps the rendering processes took of the pages and feeds as they wrote them
    (:func:`written_stamp`: the digest of the very bytes written, valid while the file keeps its
    inode, size, mtime and ctime. A file replaced since has another inode, and nothing writes
    into a page in place: the staging folder's hard links rely on the same rule,
    engine.links_are_safe).
    """
    known_at, kind_of = (known or {}).get, kinds.get
    now = time.time_ns()
    # (:func:`racy` at once for the files stamped well before now or just now, which are nearly
    # all: a tick either way decides it only between the fine and the coarse window)
    surely, maybe = now - FINE_RACY_NS, now - RACY_NS
    records: dict[str, list] = {}
    for rel, st in walk_files(output):
        old = known_at(rel)
        if old is not None and _still(st, old):
            digest = old[2]
        else:
            digest = digest_file(Path(output) / rel)
            if digest is None:
                continue
        mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
        latest = mtime if mtime > ctime else ctime
        unsure = latest > surely or (latest > maybe and racy(mtime, ctime, now))
        records[rel] = [st.st_size, -1 if unsure else mtime, *kind_of(rel, _OTHER), digest, ctime]
    return records


_OTHER = ("other", None)


# --- what the command line can see -----------------------------------------------------

_SECRET_WORDS = ("KEY", "PASSWORD", "TOKEN", "SECRET")


def environment() -> dict[str, str]:
    """The FLOOR_*/PELICAN* variables a build may read; secrets by presence only."""
    seen: dict[str, str] = {}
    for name, value in os.environ.items():
        if not name.startswith(("FLOOR_", "PELICAN")) or name == phases.ENV:
            continue  # (where the bench wants the build's phases noted changes no page)
        if any(word in name for word in _SECRET_WORDS):
            value = "set" if value else ""
        seen[name] = value
    return dict(sorted(seen.items()))


@functools.lru_cache(maxsize=1)
def packages() -> tuple[str, ...]:
    """Every installed distribution, by its metadata folder's name (``pelican-4.12.0.dist-info``).

    A plugin or a library installed, removed or upgraded means a new key.
    The folder names carry name and version; listing them costs a directory
    read per path entry, where reading each distribution's metadata costs
    a tenth of a second.
    """
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")))
    return tuple(sorted(found))


@functools.lru_cache(maxsize=1)
def kit_code() -> str:
    """The kit's own modules by name and content: a kit changed in place (an editable install,
    a patched file) is a new kit even at the same version number, and the same kit installed
    again (a fresh CI machine: new mtimes) is the same."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=16)
    for rel in sorted(walk(package)):
        if rel.endswith((".py", ".mo")) and "__pycache__" not in rel:  # code, and the catalogues
            digest.update(rel.encode("utf-8") + b"\0")
            try:
                digest.update((package / rel).read_bytes())
            except OSError:
                digest.update(b"missing")
    return digest.hexdigest()


def fast_key(*, settings_file: str, extra: Iterable[str], moment: str, signing: str | None = None) -> str:
    """Digest of what decides the build before Pelican starts, except the files (stamped apart).

    ``signing`` (:func:`key_id` of the private key): whether the guard can open sealed
    contacts changes what it checks.
    """
    return digest_text(
        kit_code(),
        signing,
        FORMAT,
        __version__,
        sys.version,
        settings_file,
        list(extra),
        environment(),
        list(packages()),
        moment,
    )
