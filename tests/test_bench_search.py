"""bench/bench_search.py stays runnable (it asserts nothing, and nothing here checks a timing)."""

from __future__ import annotations

from pathlib import Path

from helpers_bench import run_bench


def test_the_search_bench_runs_its_three_builds(tmp_path: Path) -> None:
    done = run_bench("bench_search.py", "--posts", "6", "--runs", "1", "--keep", str(tmp_path))
    rows = [line.split()[0] for line in done.stdout.splitlines()[2:]]
    assert rows == ["cold", "weekly", "one"], done.stdout
