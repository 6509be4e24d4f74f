"""The site lock the kit takes itself with ``flock``, and what it must keep of filelock's.

`floor publish` used to import filelock for the site lock (about 25 ms of its
process, a tenth of its CPU at 1,000 posts); the kit now flocks the same file
itself where the system can (journal.FlockLock) and keeps filelock for the rest.
Each test here pins one property the publish, intake and edit commands rely on.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from filelock import FileLock
from from_the_floor.core import journal

pytestmark = pytest.mark.skipif(not journal._HAS_FLOCK, reason="flock is a POSIX call")


def test_a_filelock_holder_and_the_kits_lock_exclude_each_other(tmp_path: Path) -> None:
    """Another process (an older kit, a test, a tool) holding filelock's lock on the file keeps
    the kit's out, and the kit's keeps filelock's out: both are flock on the same inode."""
    path = str(tmp_path / ".floor.lock")
    theirs = FileLock(path)
    with theirs, pytest.raises(TimeoutError):
        journal.FlockLock(path, 0.2).acquire()
    ours = journal.FlockLock(path, 5)
    ours.acquire()
    try:
        with pytest.raises(TimeoutError):
            FileLock(path, timeout=0.2).acquire()
    finally:
        ours.release()
    with FileLock(path, timeout=1):  # free again once the kit let go
        pass
    assert Path(path).exists(), "the file stays, so every process locks the same inode"


def test_another_process_is_kept_out_until_the_lock_is_let_go(tmp_path: Path) -> None:
    path = tmp_path / ".floor.lock"
    other = textwrap.dedent(
        f"""
        import sys
        from from_the_floor.core import journal
        try:
            journal.FlockLock({str(path)!r}, 0).acquire()
        except TimeoutError:
            print("busy", flush=True)
        sys.stdin.readline()  # the first process has let go
        lock = journal.FlockLock({str(path)!r}, 30)
        lock.acquire()
        print("took it", flush=True)
        lock.release()
        """
    )
    held = journal.FlockLock(str(path), 5)
    held.acquire()
    child = subprocess.Popen(
        [sys.executable, "-c", other], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout and child.stdin
    try:
        assert child.stdout.readline() == "busy\n"
    finally:
        held.release()
    out, _ = child.communicate("go\n", timeout=60)
    assert child.returncode == 0 and out == "took it\n"


def test_the_lock_is_reentrant_in_its_thread_and_a_wait_for_the_others(tmp_path: Path) -> None:
    """publish → queue.load → recover takes it three deep in one thread; the desk's other
    threads must wait, not walk in because the process already holds the file."""
    lock = journal.FlockLock(str(tmp_path / ".floor.lock"), 0.3)
    lock.acquire()
    lock.acquire()
    outcome: list[str] = []

    def other() -> None:
        try:
            lock.acquire()
        except TimeoutError:
            outcome.append("timed out")
        else:
            outcome.append("took it")
            lock.release()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert outcome == ["timed out"]
    lock.release()
    with pytest.raises(TimeoutError):  # still held once
        FileLock(str(tmp_path / ".floor.lock"), timeout=0.1).acquire()
    lock.release()
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert outcome == ["timed out", "took it"]
    with pytest.raises(RuntimeError):
        lock.release()


def test_a_lock_file_replaced_while_waiting_is_locked_again(tmp_path: Path) -> None:
    """Someone removes .floor.lock while a holder has it: the waiter must not take the old,
    unlinked file's lock (a third process would lock the new file beside it)."""
    path = tmp_path / ".floor.lock"
    holder = journal.FlockLock(str(path), 5)
    holder.acquire()
    path.unlink()
    path.write_text("")  # a new file at the path, locked by nobody
    old_fd = holder._fd
    lock = journal.FlockLock(str(path), 1)
    lock.acquire()  # takes the new file's lock at once
    try:
        assert os.fstat(lock._fd).st_ino == path.stat().st_ino != os.fstat(old_fd).st_ino
        with pytest.raises(TimeoutError):
            FileLock(str(path), timeout=0.1).acquire()
    finally:
        lock.release()
        holder.release()


@pytest.mark.filterwarnings("ignore:flock not supported")  # filelock says it falls back
def test_a_file_system_without_flock_hands_the_lock_to_filelock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    def no_flock(fd: int, op: int) -> None:
        raise OSError(errno.ENOSYS, "no flock here")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    taken: list[str] = []

    class Recorded(FileLock):
        def acquire(self, *args: object, **kwargs: object):  # type: ignore[override]
            taken.append("acquire")
            return super().acquire(*args, **kwargs)

    monkeypatch.setattr(journal, "_filelock", lambda path: Recorded(path, is_singleton=False))
    lock = journal.FlockLock(str(tmp_path / ".floor.lock"), 1)
    lock.acquire()
    lock.acquire()
    lock.release()
    lock.release()
    assert taken == ["acquire"] and lock._fd is None
