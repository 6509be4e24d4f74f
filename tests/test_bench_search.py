"""bench/bench_search.py stays runnable (it asserts nothing, and nothing here checks a timing)."""

from __future__ import annotations

from pathlib import Path

from helpers_bench import run_bench


def test_the_search_bench_runs_its_three_builds(tmp_path: Path) -> None:
    done = run_bench("bench_search.py", "--posts", "6", "--runs", "1", "--keep", str(tmp_path))
    rows = [line.split()[0] for line in done.stdout.splitlines()[2:]]
    assert rows == ["cold", "weekly", "one"], done.stdout


def test_the_search_bench_measures_pagefind_alone(tmp_path: Path) -> None:
    done = run_bench("bench_search.py", "--pagefind", "--posts", "6", "--runs", "1", "--keep", str(tmp_path))
    rows = {
        line[:46].strip(): line[46:].split()
        for line in done.stdout.splitlines()
        if line.startswith(("every", "half"))
    }
    assert list(rows) == [
        "every record, 1 bundle",
        "every record, 4 bundles",
        "every record, 8 bundles",
        "half the records, 1 bundle",
        "every record, no title in its text, 1 bundle",
    ], done.stdout
    assert [values[0] for values in rows.values()] == ["6", "6", "6", "3", "6"], done.stdout
