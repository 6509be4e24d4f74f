"""forked.map_forked: the same results, in order, whether one process or several."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from from_the_floor.core import forked
from from_the_floor.errors import FloorError, FloorErrors


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_results_keep_the_items_order_across_processes(monkeypatch) -> None:
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_PROCESS", 10)
    items = list(range(57))
    results = forked.map_forked(_pid_and_square, items, processes=2)
    assert [square for _, square in results] == [n * n for n in items]
    assert len({pid for pid, _ in results}) == 2, "the work was shared"


def test_small_work_stays_in_this_process() -> None:
    results = forked.map_forked(_pid_and_square, list(range(5)), processes=2)
    assert {pid for pid, _ in results} == {os.getpid()}


def test_floor_errors_survive_the_trip_between_processes() -> None:
    error = FloorError("not a real date", path=Path("questions/q.md"), field="asked", line=3)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.field, copy.line, copy.path) == (error.message, "asked", 3, error.path)
    several = pickle.loads(pickle.dumps(FloorErrors([error, FloorError("other")])))
    assert several.message == f"{error.message}\nother"
