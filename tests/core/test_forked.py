"""forked: the one fork-and-pipe worker; map_forked gives the same results, in order, whether one
process or several."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
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


def test_spawn_brings_back_the_result_or_the_traceback_and_reaps_the_child() -> None:
    parent = os.getpid()
    ok, value = forked.spawn(lambda: (os.getpid(), [1, 2, 3])).result()
    assert ok and value[0] != parent and value[1] == [1, 2, 3]  # it ran in another process

    def broken() -> None:
        raise ValueError("a share that fails")

    child = forked.spawn(broken)
    ok, value = child.result()
    assert not ok and "ValueError: a share that fails" in value
    with pytest.raises(ChildProcessError):  # already reaped: no zombie left behind
        os.waitpid(child.pid, 0)


def test_a_step_after_the_report_keeps_nobody_waiting(tmp_path: Path) -> None:
    # the worker's report comes back while its `then` step (saving a cache) still runs; the step
    # here waits until the parent has the report, so a result() that waited for it would hang
    # until the step gives up
    go_read, go_write = os.pipe()
    witness = tmp_path / "step"

    def step() -> None:
        import select

        told, _, _ = select.select([go_read], [], [], 20)
        witness.write_text("after the report" if told else "gave up waiting")

    child = forked.spawn(lambda: "the parses", then=step)
    ok, value = child.result()
    os.write(go_write, b"1")
    assert (ok, value) == (True, "the parses")
    assert child.reap() == 0
    assert witness.read_text() == "after the report"
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(child.pid, 0)
    os.close(go_read)
    os.close(go_write)


def test_a_failed_work_skips_its_step_and_is_reaped_at_once(tmp_path: Path) -> None:
    witness = tmp_path / "step"

    def broken() -> None:
        raise ValueError("no parses")

    child = forked.spawn(broken, then=lambda: witness.write_text("ran"))
    ok, value = child.result()
    assert not ok and "ValueError: no parses" in value
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, 0)
    assert not witness.exists()


def test_a_share_whose_process_dies_is_computed_again_here(monkeypatch) -> None:
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_PROCESS", 1)
    parent = os.getpid()

    def where(item: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # the child dies without a report
        return item * 2

    assert forked.map_forked(where, list(range(6)), processes=2) == [0, 2, 4, 6, 8, 10]


@pytest.mark.parametrize(("count", "step"), [(1000, 4), (7, 3), (1, 4), (0, 2)])
def test_tickets_give_each_number_once_to_whichever_process_asks(count: int, step: int) -> None:
    tickets = forked.Tickets(count, step)

    def take_all() -> list[int]:
        taken: list[int] = []
        while picked := tickets.take():
            assert len(picked) <= step
            taken += picked
        return taken

    children = [forked.spawn(take_all) for _ in range(2)]
    here = take_all()
    there = []
    for child in children:
        ok, taken = child.result()
        assert ok
        there += taken
    assert sorted(here + there) == list(range(count))  # every number once, in one process only
    assert not tickets.take()  # and none after the last


def test_tickets_taken_before_a_fork_are_not_given_again() -> None:
    tickets = forked.Tickets(10, 4)
    assert list(tickets.take()) == [0, 1, 2, 3]
    ok, taken = forked.spawn(lambda: list(tickets.take())).result()
    assert ok and taken == [4, 5, 6, 7]  # the worker sees this process's counter, and moves it
    assert list(tickets.take()) == [8, 9]
