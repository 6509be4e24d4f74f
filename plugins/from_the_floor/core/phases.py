"""Where a build's time goes, phase by phase: wall time and CPU time, for the bench.

With ``FLOOR_PHASES`` naming a file, ``floor build`` notes at each step the
wall clock and the CPU time of its process and of the worker processes it has
waited for, and writes them there as JSON when it ends. CPU over wall is how
many cores a phase kept busy: 1.0 is one core, 2.0 both. A shared machine
stretches the wall time, so the bench pairs this with the load average.
Without the variable nothing is measured (a mark is one dictionary lookup).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

ENV = "FLOOR_PHASES"
_marks: list[tuple[str, float, float, float]] = []


def mark(name: str) -> None:
    """The phase ``name`` starts now (and the one before it ends)."""
    if not os.environ.get(ENV):
        return
    t = os.times()
    _marks.append((name, time.perf_counter(), t.user + t.system, t.children_user + t.children_system))


def summary() -> list[dict[str, Any]]:
    """Each phase's wall seconds, its own CPU seconds and its workers' (reaped in that phase)."""
    out = []
    for (name, wall, own, kids), (_n, wall2, own2, kids2) in itertools.pairwise(_marks):
        out.append(
            {
                "phase": name,
                "wall": round(wall2 - wall, 4),
                "cpu": round(own2 - own, 4),
                "workers_cpu": round(kids2 - kids, 4),
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
