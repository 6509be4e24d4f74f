"""Where a build's time and memory go, phase by phase, for the bench.

With ``FLOOR_PHASES`` naming a file, ``floor build`` notes at each step the
wall clock and the CPU time of its process and of the worker processes it has
waited for, and writes them there as JSON when it ends. CPU over wall is how
many cores a phase kept busy: 1.0 is one core, 2.0 both. A shared machine
stretches the wall time, so the bench pairs this with the load average.

Memory is noted apart for each process, since a build's largest process is
not always its own: ``rss_kib`` is the build process's peak resident set so
far (getrusage), ``workers_rss_kib`` the largest peak of the forked workers
reaped in the phase, and ``helpers`` the peaks of the other programs it ran
(Pagefind's indexer), each read just before the program ends. A forked
worker's resident set counts the pages it still shares with the build
process. Without the variable nothing is measured (a mark is one dictionary
lookup).
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

ENV = "FLOOR_PHASES"
_marks: list[tuple[str, float, float, float, int]] = []
# peaks noted since the last mark: the workers' (KiB), and other programs' by name
_workers: list[int] = []
_helpers: dict[str, int] = {}
_phase_peaks: list[tuple[int, dict[str, int]]] = []


def active() -> bool:
    """Whether this build is being measured (``FLOOR_PHASES`` is set)."""
    return bool(os.environ.get(ENV))


def mark(name: str) -> None:
    """The phase ``name`` starts now (and the one before it ends)."""
    if not active():
        return
    t = os.times()
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    if _marks:  # what was noted since the last mark belongs to the phase that ends
        _phase_peaks.append((max(_workers, default=0), dict(_helpers)))
    _workers.clear()
    _helpers.clear()
    _marks.append(
        (name, time.perf_counter(), t.user + t.system, t.children_user + t.children_system, own_peak)
    )


def worker_ended(peak_kib: int) -> None:
    """A forked worker was reaped; ``peak_kib`` is its peak resident set (wait4's ru_maxrss)."""
    if active():
        _workers.append(peak_kib)


def helper_ending(name: str, pid: int) -> None:
    """Another program (``name``, process ``pid``) is about to end: note its peak resident set."""
    if not active():
        return
    peak = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return  # not on Linux, or it has gone: nothing to note
    _helpers[name] = max(_helpers.get(name, 0), peak)


def summary() -> list[dict[str, Any]]:
    """Each phase's wall seconds, its own CPU seconds and its workers' (reaped in that phase), and
    the peaks in KiB: this process's so far, its workers' and other programs' ended in the phase."""
    out = []
    pairs = itertools.pairwise(_marks)
    for ((name, wall, own, kids, _), (_n, wall2, own2, kids2, rss2)), (workers, helpers) in zip(
        pairs, _phase_peaks, strict=False
    ):
        out.append(
            {
                "phase": name,
                "wall": round(wall2 - wall, 4),
                "cpu": round(own2 - own, 4),
                "workers_cpu": round(kids2 - kids, 4),
                "rss_kib": rss2,
                "workers_rss_kib": workers,
                "helpers": helpers,
            }
        )
    return out


def save() -> None:
    """Close the last phase and write the record to ``$FLOOR_PHASES`` (if set)."""
    target = os.environ.get(ENV)
    if not target:
        return
    mark("end")
    try:
        Path(target).write_text(json.dumps(summary(), indent=1) + "\n", encoding="utf-8")
    except OSError:
        pass  # a bench aid: a build never fails for it
    finally:
        _marks.clear()
        _phase_peaks.clear()
