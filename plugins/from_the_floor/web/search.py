"""Site search: Pagefind's index of the posts; the browser searches it.

The binary comes from the ``pagefind-bin`` wheel (no download at build
time). Two ways to a bundle:

- :class:`RecordIndex` (what a build uses): Pagefind runs as a service (its
  documented ``--service`` protocol, the one its Python and Node APIs speak)
  and is given each post as a record (URL, title, text) as soon as the posts
  are read, so it indexes on a spare core while Pelican renders. Records go
  in one fixed order, which fixes the bundle's bytes.
- :func:`index`: ``pagefind --site output/`` over the written HTML.

Either way the bundle is written only after the contact guard has passed
the output, and a stale bundle from an earlier build is replaced whole so
that deleted posts cannot be found. A large column's index is in several
bundles, re-indexed only where a post changed: search_shards.py.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core import phases
from ..core import staging as staging_mod
from ..core.build_manifest import digest_bytes
from ..errors import FloorError

BUNDLE = "pagefind"
# Pagefind's files that are one gzip stream each (index chunks, fragments, filters, meta, and its
# WebAssembly): such a file is whole when its stream ends
GZIPPED = (".pf_meta", ".pf_fragment", ".pf_index", ".pf_filter")
# What a bundle's file was when it was read whole: its digest, size, mtime_ns and inode
Read = tuple[str, int, int, int]


def executable() -> Path:
    """The Pagefind binary shipped by the pagefind-bin package."""
    try:
        import pagefind_bin
    except ImportError:
        raise FloorError(
            "Pagefind is not installed (pip install pagefind-bin), or set FLOOR_SEARCH = False",
            field="FLOOR_SEARCH",
        ) from None
    try:
        return Path(pagefind_bin.get_executable())
    except FileNotFoundError as exc:
        raise FloorError(f"the pagefind-bin package has no binary for this platform: {exc}") from None


# An unfinished bundle that has stopped changing (no file new, grown or rewritten) for STILL_FOR
# seconds, on a disk with less room than NEARLY_FULL: the disk is full (a bundle's smallest files
# are tens of KB; Pagefind stops at its first refused write). Low room alone is not enough: some
# FUSE and network mounts always report about 0 bytes free, and Pagefind may still be writing.
# Why 10 s: Pagefind writes a bundle's files one after another once asked, so on a working disk
# a gap between two of them is a small fraction of a second even on a loaded machine (at most
# 44 ms between two files of a 3,000-record bundle, load average 3.9); 10 s also
# rides out a network mount's short stall, and is still 30 times sooner than the usual timeout.
NEARLY_FULL = 1 << 20
STILL_FOR = 10.0
POLL = 0.02  # seconds between two looks at a bundle that is not yet whole
# the clock and the pause of those looks (tests put a counted, instant pair in their place)
_clock = time.monotonic
_pause = time.sleep


def _bundle_state(folder: Path, files: tuple) -> tuple | None:
    """Every file's name and size under ``folder``, out of ``files`` (:func:`_files_now`'s look,
    so the folder is not walked again), once the entry file reads as JSON; None before that."""
    try:
        json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    inside = os.path.join(folder, "")
    return tuple((path, size) for path, size, _mtime in files if path.startswith(inside))


def _files_now(folders: Iterable[Path]) -> tuple:
    """Every file under ``folders`` as it is now (path, size, mtime), whether or not the entry file
    is written yet: what changes while Pagefind is still writing. One walk a look: the bundles'
    states and their stillness are both read from it."""
    found = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                with contextlib.suppress(OSError):
                    st = os.stat(os.path.join(root, name))
                    found.append((os.path.join(root, name), st.st_size, st.st_mtime_ns))
    return tuple(sorted(found))


class _Stillness:
    """How long the bundles' files have stayed as they are, from the looks it is shown: the time
    counts from the first look, so it never claims a stillness it did not see."""

    def __init__(self) -> None:
        self._last: tuple | None = None
        self._since = 0.0

    def seconds(self, now: tuple) -> float:
        """Seconds since a file was last seen new, grown or rewritten (0 at the first look), ``now``
        being :func:`_files_now`'s look at them."""
        at = _clock()
        if now != self._last:
            self._last, self._since = now, at
        return at - self._since


def _shown_whole(name: str, data: bytes, fixed: Mapping[str, str], digest: str) -> bool:
    """Whether a file of a bundle Pagefind has just written shows by its own bytes that it is
    whole: a gzip stream that ends, JSON that parses, or the digest ``fixed`` gives for a file of
    that name (Pagefind's scripts, styles and WebAssembly, the same bytes in every bundle one
    Pagefind writes)."""
    if name in fixed:
        return fixed[name] == digest
    if name.endswith(GZIPPED) or name.startswith("wasm."):
        stream = zlib.decompressobj(wbits=31)
        try:
            stream.decompress(data)
        except zlib.error:
            return False
        return stream.eof and not stream.unused_data
    if name.endswith(".json"):
        try:
            json.loads(data)
        except ValueError:
            return False
        return True
    return False


def read_bundle(
    folder: Path, fixed: Mapping[str, str] | None = None, *, check: bool = True
) -> tuple[dict[str, Read], bool]:
    """Each file of the bundle at ``folder`` as read now (by its path in the bundle), and whether
    every one showed it was whole (:func:`_shown_whole`; ``fixed``: digests of Pagefind's fixed
    files, from a bundle of the same Pagefind). With ``check``, the reading stops at the first
    file that does not show it (nothing is returned: the bundle is read again once settled)."""
    fixed = fixed or {}
    found: dict[str, Read] = {}
    for base, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
                    st = os.fstat(handle.fileno())
            except OSError:
                return {}, False
            digest = digest_bytes(data)
            if check and not _shown_whole(name, data, fixed, digest):
                return {}, False
            found[rel] = (digest, st.st_size, st.st_mtime_ns, st.st_ino)
    return found, check


def remove_bundle(site: Path) -> None:
    """The whole search folder, the shards nested in it too (a stale or unwanted index)."""
    if is_bundle(Path(site) / BUNDLE):
        shutil.rmtree(Path(site) / BUNDLE)


def index(site: Path, *, timeout: float = 300) -> str:
    """Index ``site`` (the built output/) into ``site/pagefind/``; returns Pagefind's report."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise FloorError("there is no built site to index (no index.html)", path=site)
    bundle = site / BUNDLE
    remove_bundle(site)
    command = [str(executable()), "--site", str(site), "--output-subdir", BUNDLE, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FloorError(f"Pagefind could not run: {exc}", path=site) from None
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise FloorError(f"Pagefind failed (exit {result.returncode}): " + " | ".join(detail), path=site)
    return result.stdout


@dataclass(frozen=True)
class Record:
    """One searchable page: where it is, its title, and its text (plain, not HTML)."""

    url: str  # site-absolute, as Pagefind would make it from the file's path: /floor/x/
    title: str
    content: str
    number: int = 0  # the post's number: which shard holds it (search_shards.py)


def is_bundle(folder: Path) -> bool:
    """A Pagefind bundle (its entry file or its script is there)."""
    return (folder / "pagefind-entry.json").is_file() or (folder / "pagefind.js").is_file()


def replace_bundle(new: Path, dest: Path) -> None:
    """Make ``dest`` the bundle in ``new``, keeping the bundles nested in ``dest`` (the other
    shards, search_shards.py): everything else of the old bundle goes, so nothing stale stays."""
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        dest.unlink()  # never followed: a link would have the old bundle's files removed elsewhere
    if not dest.is_dir():
        dest.parent.mkdir(parents=True, exist_ok=True)
        new.rename(dest)
        return
    for entry in os.scandir(dest):
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if not is_bundle(path):
                shutil.rmtree(path)
        else:
            path.unlink()
    for entry in os.scandir(new):
        os.rename(entry.path, dest / entry.name)
    new.rmdir()


class RecordIndex:
    """A Pagefind service indexing records, and writing their bundles, in the background.

    :meth:`add` returns at once: a thread feeds the records to Pagefind, then
    has it write each bundle into ``staging`` (a folder beside the site, never
    inside it). One service holds every bundle of a build (one process, one
    start-up, working on a spare core while Pelican renders). :meth:`write`
    waits for that and moves each bundle to its folder in the site (``site/pagefind/``
    by default): call it once the contact guard has passed the site.
    :meth:`close` stops the service and removes the staging folder, so a build
    that fails leaves no bundle behind. Messages both ways are base64 JSON,
    each followed by a comma.
    """

    def __init__(self, site: Path, language: str, staging: Path, *, timeout: float = 300) -> None:
        self.site = Path(site).absolute()
        # digests of Pagefind's fixed files (its scripts, styles and WebAssembly) in a bundle
        # this Pagefind wrote, once :meth:`done_adding` has them: a new bundle's copies with
        # those digests are whole (:meth:`_settle`)
        self._fixed: dict[str, str] = {}
        self._read: list[dict[str, Read]] = []  # each written bundle's files as read once whole
        self.staging = Path(staging).absolute()
        self.language = language
        self.timeout = timeout
        self._replies: dict[int, dict] = {}
        self._changed = threading.Condition()
        self._ended = False
        self._next_id = 0
        self._send_lock = threading.Lock()
        self._feeder: threading.Thread | None = None
        # the bundles to index, as they are added (None: no more), for the feeder thread
        self._batches: queue.SimpleQueue[list[tuple[str, list[Record]]] | None] = queue.SimpleQueue()
        self._folders: list[str] = []  # each bundle's folder in the site, in the order written
        self._outcome: int | FloorError | None = None  # the records written, once the bundles are whole
        shutil.rmtree(self.staging, ignore_errors=True)
        try:
            self._proc = subprocess.Popen(
                [str(executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise FloorError(f"Pagefind could not run: {exc}", path=self.site) from None
        self._reader = threading.Thread(target=self._read_replies, name="pagefind-replies", daemon=True)
        self._reader.start()

    # -- the protocol -------------------------------------------------------------
    def _send(self, payload: dict) -> int:
        with self._send_lock:
            self._next_id += 1
            message = json.dumps({"message_id": self._next_id, "payload": payload}).encode("utf-8")
            try:
                self._proc.stdin.write(base64.b64encode(message) + b",")
                self._proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                pass  # the reply never comes: _wait says so
            return self._next_id

    def _read_replies(self) -> None:
        pending = b""
        while chunk := self._proc.stdout.read1(1 << 16):
            *messages, pending = (pending + chunk).split(b",")
            for raw in messages:
                reply = json.loads(base64.b64decode(raw))
                with self._changed:
                    self._replies[reply.get("message_id")] = reply.get("payload") or {}
                    self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def _wait(self, message_ids: Iterable[int]) -> list[dict]:
        ids = list(message_ids)
        with self._changed:
            self._changed.wait_for(lambda: self._ended or all(i in self._replies for i in ids), self.timeout)
            replies = [self._replies.pop(i, None) for i in ids]
        for reply in replies:
            if reply is None or reply.get("type") == "Error":
                detail = (reply or {}).get("message") or "it stopped or did not answer"
                raise FloorError(f"Pagefind failed: {detail}", path=self.site)
        return replies

    def _ask(self, payload: dict) -> dict:
        return self._wait([self._send(payload)])[0]

    # -- the interface --------------------------------------------------------------
    def add(self, records: Iterable[Record]) -> None:
        """Index ``records`` (in their order) as the one bundle ``site/pagefind/``, in the background."""
        self.add_bundles({BUNDLE: list(records)})

    def add_bundles(self, bundles: Mapping[str, Iterable[Record]], *, more: bool = False) -> None:
        """Index each bundle's records (in their order) and write it to staging, in the background.

        ``bundles``: each bundle's folder inside the site (``pagefind``, or a
        shard such as ``pagefind/part-2-of-4``) with its records. ``more``: other bundles may
        follow in another call (Pagefind starts on these meanwhile); none is written before
        :meth:`done_adding` (or a call without ``more``) says there are no more.
        """
        self._batches.put([(folder, list(records)) for folder, records in bundles.items()])
        if not more:
            self.done_adding()
        if self._feeder is None:
            self._feeder = threading.Thread(target=self._feed, name="pagefind-feeder", daemon=True)
            self._feeder.start()

    def done_adding(self, fixed: Mapping[str, str] | None = None) -> None:
        """No more bundles: the ones added are written. ``fixed``: digests of Pagefind's fixed files
        in a bundle this Pagefind wrote (a new bundle's copies with those digests are whole,
        :meth:`_settle`); known only once the kept shards are."""
        if fixed:
            self._fixed = dict(fixed)
        self._batches.put(None)

    def _feed(self) -> None:
        """(The feeder thread.) Each bundle as it comes: a new index and its records; once no more
        come, every bundle is written, waited for while the build signs and renders."""
        try:
            sent, writes = [], []
            while (batch := self._batches.get()) is not None:
                for folder, records in batch:
                    index_id = self._ask({"type": "NewIndex", "config": {}})["index_id"]
                    sent += [
                        self._send(
                            {
                                "type": "AddRecord",
                                "index_id": index_id,
                                "url": record.url,
                                "content": record.content,
                                "language": self.language,
                                "meta": {"title": record.title},
                            }
                        )
                        for record in records
                    ]
                    writes.append((index_id, str(self.staging / str(len(self._folders)))))
                    self._folders.append(folder)
            if not writes:  # no bundle was added (or the build stopped before any)
                self._outcome = 0
                return
            self._wait(sent)  # every record is in before a bundle is written
            ids = [self._send({"type": "WriteFiles", "index_id": i, "output_path": out}) for i, out in writes]
            # waited for here, while the build signs and renders, rather than at write()
            self._wait(ids)
            self._settle()
            self._outcome = len(sent)
        except FloorError as exc:
            self._outcome = exc

    def write(self) -> int:
        """Move each finished bundle to its folder in the site; returns how many records they hold."""
        try:
            if self._feeder is not None:
                self.done_adding()  # (already said, unless the caller forgot: nothing waits for more)
                self._feeder.join(2 * self.timeout)  # (it waits for the records, then the writing)
                if self._feeder.is_alive():
                    raise FloorError("Pagefind failed: it stopped or did not answer", path=self.site)
            outcome = self._outcome
            if isinstance(outcome, FloorError):
                raise outcome
            if outcome is None:
                raise FloorError("Pagefind was given nothing to index", path=self.site)
            count = outcome
            written = [self.staging / str(n) for n in range(len(self._folders))]
            self.site.mkdir(parents=True, exist_ok=True)
            # outermost first: a bundle nested in another is moved in once that one is in place
            pairs = sorted(zip(self._folders, written, strict=True), key=lambda pair: pair[0].count("/"))
            for folder, new in pairs:
                replace_bundle(new, self.site / folder)
        finally:
            self.close()
        return count

    def read_files(self) -> dict[str, dict[str, Read]]:
        """Each bundle :meth:`write` moved in (by its folder in the site): its files as they were
        read once Pagefind had written them whole (for the shards' record, which then need not
        read them again)."""
        return dict(zip(self._folders, self._read, strict=False))

    def _settle(self) -> None:
        """Wait until the bundles are whole: Pagefind can answer WriteFiles with files still being
        written (an empty pagefind-entry.json was seen under load), and stopping the service
        then would cut them short. Every file is read once: when each shows by its bytes that it
        is whole (:func:`read_bundle`) and the script is there, that is enough; otherwise the
        files must stay the same for a moment (names and sizes, POLL apart) and are then read
        again. A bundle that stops changing unfinished is a full disk if the disk is nearly full
        (:meth:`_no_room_then`), or without its script one Pagefind did not write; one still
        changing when the timeout comes is a timeout, whatever room the disk reports."""
        folders = [self.staging / str(n) for n in range(len(self._folders))]
        read = []
        for folder in folders:  # (a cold build has no kept copy of the fixed files: it stops at once)
            files, whole = read_bundle(folder, self._fixed)
            if not (whole and "pagefind.js" in files):
                break
            read.append(files)
        else:
            self._read = read
            return
        deadline = _clock() + self.timeout
        still = _Stillness()
        last = None
        while True:
            files = _files_now(folders)  # (one walk of the folders a look, for both questions)
            now = tuple(_bundle_state(folder, files) for folder in folders)
            scripts = all((folder / "pagefind.js").is_file() for folder in folders)
            if None not in now and now == last and scripts:
                self._read = [read_bundle(folder, check=False)[0] for folder in folders]
                return
            if self._ended:  # stopped (the build ended first): nothing more will be written
                self._no_room_then()
                raise FloorError("Pagefind stopped before its bundle was written", path=self.site)
            writing = still.seconds(files) < STILL_FOR
            if not writing:  # nothing more is being written
                self._no_room_then()
                if not scripts:  # (also when it wrote nothing at all there: no entry file either)
                    raise FloorError("Pagefind wrote no bundle", path=self.site)
            if _clock() > deadline:
                # a bundle still being written is a slow Pagefind, not a full disk, however little
                # room the disk reports (a still one on a nearly full disk was said above)
                if writing:
                    raise FloorError(
                        f"Pagefind timed out: it was still writing its search bundle after "
                        f"{self.timeout:g} s",
                        path=self.site,
                    )
                raise FloorError("Pagefind did not finish writing its bundle", path=self.site)
            last = now
            _pause(POLL)

    def _no_room_then(self) -> None:
        """Say that the disk is full when it is nearly so under a bundle that will not be finished
        (it stopped changing, Pagefind stopped, or the timeout came): Pagefind's own write error
        goes nowhere (its service writes after answering), so the bundle would only look
        unfinished, and the author would not know why."""
        free = staging_mod.free_bytes(self.staging)
        if free is not None and free < NEARLY_FULL:
            raise staging_mod.out_of_room(
                staging_mod.public_name(self.site),
                "Pagefind's search bundle (into a folder beside output/)",
            )

    def close(self) -> None:
        """Stop the service; remove the staging folder if its bundle was not moved in."""
        # a feeder still waiting for more bundles goes on with those it has: the service stops
        # below before the staging folder is removed, so nothing is written after that
        self._batches.put(None)
        if self._proc.poll() is None:
            phases.helper_ending("pagefind", self._proc.pid)  # its peak memory, for the bench
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._reader.join(timeout=5)
        shutil.rmtree(self.staging, ignore_errors=True)
