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
the output, and a stale bundle from an earlier build is removed first so
that deleted posts cannot be found.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core import phases
from ..errors import FloorError

BUNDLE = "pagefind"


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


def _bundle_state(folder: Path) -> tuple | None:
    """Every file's name and size, once the entry file reads as JSON; None before that."""
    try:
        json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sizes = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                sizes.append((os.path.join(root, name), os.path.getsize(os.path.join(root, name))))
    return tuple(sorted(sizes))


def _remove_stale_bundle(site: Path) -> None:
    bundle = site / BUNDLE
    if (bundle / "pagefind-entry.json").is_file() or (bundle / "pagefind.js").is_file():
        shutil.rmtree(bundle)


def index(site: Path, *, timeout: float = 300) -> str:
    """Index ``site`` (the built output/) into ``site/pagefind/``; returns Pagefind's report."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise FloorError("there is no built site to index (no index.html)", path=site)
    bundle = site / BUNDLE
    _remove_stale_bundle(site)
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


class RecordIndex:
    """A Pagefind service indexing records, and writing their bundle, in the background.

    :meth:`add` returns at once: a thread feeds the records to Pagefind, then
    has it write the bundle into ``staging`` (a folder beside the site, never
    inside it). :meth:`write` waits for that and moves the bundle into
    ``site/pagefind/``: call it once the contact guard has passed the site.
    :meth:`close` stops the service and removes the staging folder, so a build
    that fails leaves no bundle behind. Messages both ways are base64 JSON,
    each followed by a comma.
    """

    def __init__(self, site: Path, language: str, staging: Path, *, timeout: float = 300) -> None:
        self.site = Path(site).absolute()
        self.staging = Path(staging).absolute()
        self.language = language
        self.timeout = timeout
        self._replies: dict[int, dict] = {}
        self._changed = threading.Condition()
        self._ended = False
        self._next_id = 0
        self._feeder: threading.Thread | None = None
        self._outcome: tuple[int, int] | FloorError | None = None  # (records, WriteFiles id)
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
        self._index_id = self._ask({"type": "NewIndex", "config": {}})["index_id"]

    # -- the protocol -------------------------------------------------------------
    def _send(self, payload: dict) -> int:
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
        """Index ``records`` (in their order) and write their bundle to staging, in the background."""
        items = list(records)

        def feed() -> None:
            try:
                sent = [
                    self._send(
                        {
                            "type": "AddRecord",
                            "index_id": self._index_id,
                            "url": record.url,
                            "content": record.content,
                            "language": self.language,
                            "meta": {"title": record.title},
                        }
                    )
                    for record in items
                ]
                self._wait(sent)  # every record is in before the bundle is written
                write = {"type": "WriteFiles", "index_id": self._index_id, "output_path": str(self.staging)}
                self._outcome = (len(sent), self._send(write))
            except FloorError as exc:
                self._outcome = exc

        self._feeder = threading.Thread(target=feed, name="pagefind-feeder", daemon=True)
        self._feeder.start()

    def write(self) -> int:
        """Move the finished bundle into ``site/pagefind/``; returns how many records it holds."""
        try:
            if self._feeder is not None:
                self._feeder.join(self.timeout)
            outcome = self._outcome
            if isinstance(outcome, FloorError):
                raise outcome
            if outcome is None:
                raise FloorError("Pagefind was given nothing to index", path=self.site)
            count, write_id = outcome
            self._wait([write_id])
            if not (self.staging / "pagefind.js").is_file():
                raise FloorError("Pagefind wrote no bundle", path=self.site)
            self._settle()
            _remove_stale_bundle(self.site)
            self.site.mkdir(parents=True, exist_ok=True)
            self.staging.rename(self.site / BUNDLE)
        finally:
            self.close()
        return count

    def _settle(self) -> None:
        """Wait until the bundle is whole: Pagefind can answer WriteFiles with files still being
        written (an empty pagefind-entry.json was seen under load), and stopping the service
        then would cut them short."""
        deadline = time.monotonic() + self.timeout
        last = None
        while True:
            now = _bundle_state(self.staging)
            if now is not None and now == last:
                return
            if time.monotonic() > deadline:
                raise FloorError("Pagefind did not finish writing its bundle", path=self.site)
            last = now
            time.sleep(0.02)

    def close(self) -> None:
        """Stop the service; remove the staging folder if its bundle was not moved in."""
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
