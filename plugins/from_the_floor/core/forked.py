"""A pure function over many items, shared among forked processes: big queues on every core.

Reading 10,000 question files is mostly YAML work in Python; two processes
halve it. Results travel back pickled, in the items' order. Where ``fork``
is missing, or there is too little work to pay for a process, it is a plain
loop.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_PROCESS = 1000  # below this a process costs more than it saves


def processes_available() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_forked(func: Callable[[T], R], items: Sequence[T], processes: int | None = None) -> list[R]:
    """``[func(item) for item in items]``, computed by up to ``processes`` processes.

    ``func`` must not raise (return the problem instead) and its results must
    pickle. A share whose process fails is computed again here.
    """
    wanted = processes_available() if processes is None else processes
    count = max(1, min(wanted, len(items) // MIN_ITEMS_PER_PROCESS))
    if count == 1 or not hasattr(os, "fork"):
        return [func(item) for item in items]
    shares = [range(i, len(items), count) for i in range(count)]
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, int, range]] = []
    for share in shares[1:]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            os.close(read_end)
            status = 0
            try:
                with os.fdopen(write_end, "wb") as out:
                    pickle.dump([func(items[i]) for i in share], out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end, share))
    results: list = [None] * len(items)
    for i in shares[0]:
        results[i] = func(items[i])
    for pid, read_end, share in children:
        try:
            with os.fdopen(read_end, "rb") as report:
                values = pickle.load(report)
        except (EOFError, pickle.UnpicklingError):
            values = [func(items[i]) for i in share]
        os.waitpid(pid, 0)
        for i, value in zip(share, values, strict=True):
            results[i] = value
    return results
