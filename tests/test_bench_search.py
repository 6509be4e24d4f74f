"""bench/bench_search.py stays runnable (it asserts nothing, and nothing here checks a timing)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_search_bench_runs_its_three_builds(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_search.py"),
            "--posts",
            "6",
            "--runs",
            "1",
            "--keep",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    rows = [line.split()[0] for line in done.stdout.splitlines()[2:]]
    assert rows == ["cold", "weekly", "one"], done.stdout
