"""Work shared among forked processes: the one fork-and-pipe worker the kit uses.

:func:`spawn` runs a function in a forked process and brings its result back
pickled through a pipe; :func:`map_forked` shares a pure function over many
items that way (reading 10,000 question files is mostly YAML work in Python;
two processes halve it). The build uses :func:`spawn` too: to validate the
queue while Pelican imports, to read posts, and to render pages. Where
``fork`` is missing, or there is too little work to pay for a process, the
callers run their work in a plain loop.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from . import phases

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_PROCESS = 1000  # below this a process costs more than it saves


def processes_available() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork")


@dataclass
class Child:
    """A forked process working on one share; :meth:`result` waits for it."""

    pid: int
    report: int  # the read end of its pipe
    goes_on: bool = False  # it has a step after its report (spawn's ``then``): reap() it later
    reaped: bool = False

    def result(self) -> tuple[bool, Any]:
        """(True, what the work returned), or (False, why not: its traceback, or no report).

        Reaps the process either way, so no zombie is left behind; but a process
        that goes on after its report (``spawn(..., then=...)``) and sent one is
        left to finish that step: :meth:`reap` it later.
        """
        try:
            with os.fdopen(self.report, "rb") as report:
                ok, value = pickle.load(report)
        except (EOFError, pickle.UnpicklingError) as exc:
            ok, value = False, f"no report ({exc})"
        else:
            if self.goes_on and ok:  # its step runs now: reaped later
                return True, value
        status = self.reap()
        return (bool(ok) and status == 0), value

    def reap(self) -> int:
        """Wait for the process to end (once) and return its exit status."""
        if self.reaped:
            return 0
        _, status, usage = os.wait4(self.pid, 0)
        self.reaped = True
        phases.worker_ended(usage.ru_maxrss)  # for the bench (FLOOR_PHASES), else nothing
        return status


def spawn(work: Callable[[], Any], then: Callable[[], None] | None = None) -> Child:
    """Run ``work()`` in a forked process; its return value (or its traceback) comes back pickled.

    ``then`` runs in that process once the report is sent: work whose result
    is not needed (saving a cache) keeps nobody waiting. The caller reaps the
    process with :meth:`Child.reap` when it likes (``result`` does not wait
    for it). It runs only after a report of success; what it raises is lost.

    The child leaves with ``os._exit``: the parent's exit handlers, open files
    and threads are the parent's alone.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_end)
        status = 0
        try:
            try:
                payload: tuple[bool, Any] = (True, work())
            except BaseException:
                status = 1
                payload = (False, traceback.format_exc())
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
            del payload  # (the report is sent: its memory is not held while the step runs)
            if then is not None and status == 0:
                then()
        except BaseException:
            status = 1
        finally:
            with contextlib.suppress(Exception):  # keep what the child printed
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(status)
    os.close(write_end)
    return Child(pid, read_end, goes_on=then is not None)


class Tickets:
    """The numbers ``0 .. count-1``, each handed once to whichever process asks first.

    Made before forking, it is shared by the processes forked after: work
    dealt this way ends at about the same time in each, however much else
    runs on the machine (a worker beside them, another program), where fixed
    shares leave one process waiting for the other.
    """

    def __init__(self, count: int, step: int = 1) -> None:
        import mmap
        import multiprocessing

        self.count = count
        self.step = max(1, step)
        self._next = mmap.mmap(-1, 8)  # anonymous and shared: forked processes see one counter
        self._lock = multiprocessing.Lock()

    def take(self) -> range:
        """The next ``step`` numbers (fewer at the end; an empty range once all are taken)."""
        with self._lock:
            start = int.from_bytes(self._next[:8], "little")
            end = min(self.count, start + self.step)
            self._next[:8] = max(start, end).to_bytes(8, "little")
        return range(start, end)


def map_forked(func: Callable[[T], R], items: Sequence[T], processes: int | None = None) -> list[R]:
    """``[func(item) for item in items]``, computed by up to ``processes`` processes.

    ``func`` must not raise (return the problem instead) and its results must
    pickle. A share whose process fails is computed again here.
    """
    wanted = processes_available() if processes is None else processes
    count = max(1, min(wanted, len(items) // MIN_ITEMS_PER_PROCESS))
    if count == 1 or not can_fork():
        return [func(item) for item in items]
    shares = [range(i, len(items), count) for i in range(count)]
    children = [(spawn(lambda share=share: [func(items[i]) for i in share]), share) for share in shares[1:]]
    results: list = [None] * len(items)
    for i in shares[0]:
        results[i] = func(items[i])
    for child, share in children:
        ok, values = child.result()
        if not ok:  # that share is computed again here
            values = [func(items[i]) for i in share]
        for i, value in zip(share, values, strict=True):
            results[i] = value
    return results
