"""Bench (not a test): `floor intake csv` at volume.

    .venv/bin/python bench/bench_intake.py [--rows 10000] [--readers 600] [--keep DIR]

Two runs on a new `floor init` site (with its key, as intake needs), each
`floor intake csv` as a real subprocess, as an author would run it:

- **distinct**: a CSV of ``--rows`` different questions (deterministic: a
  seeded random.Random, words from a made-up vocabulary, one reader each),
  the first intake of a busy form. Target: 10,000 rows in under a minute on
  the project's 2-core machine;
- **one question, many readers**: ``--readers`` rows asking one question in
  a few wordings (a talk where the whole room asked the same thing), into the
  site above. Every row after the first must be reported as merged, and the
  question file must stay small (the readers past the first ones are kept in
  its readers file, docs/intake.md).

Then both CSVs are taken in again: a re-run must add nothing. Prints the wall
times, the rates and the question file's size.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from from_the_floor.commands import init_site

TODAY = "2026-11-16"
TARGET = 60.0  # seconds for 10,000 distinct rows
LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
FREQUENCIES = [12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8]
FREQUENCIES += [2.4, 2.4, 2.2, 2.0, 2.0, 1.9, 1.5, 1.0, 0.8, 0.2, 0.2, 0.1, 0.1]
WORDINGS = [
    "How do you decide which reader questions to answer first?",
    "How do you decide which questions from readers to answer first?",
    "How do you decide which reader questions you answer first?",
]


def floor_command() -> list[str]:
    script = Path(sys.executable).parent / "floor"
    return [str(script)] if script.exists() else [sys.executable, "-m", "from_the_floor.cli"]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Made-up words with English letter frequencies, 3 to 11 letters: as many near-misses as words have."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(LETTERS, weights=FREQUENCIES, k=rng.randint(3, 11))))
    return sorted(words)


def distinct_rows(count: int, seed: int = 20261116) -> list[dict[str, str]]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    rows = []
    for i in range(count):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 12)))
        rows.append(
            {
                "Timestamp": f"2026-11-{1 + i % 14:02d} 10:{i % 60:02d}",
                "Your question": f"Why {text}?",
                "Your name": f"Reader {i}",
                "Email": f"reader{i}@example.org",
                "Notify me": "yes" if i % 3 == 0 else "no",
            }
        )
    return rows


def crowd_rows(count: int) -> list[dict[str, str]]:
    return [
        {
            "Timestamp": f"2026-11-15 09:{i % 60:02d}",
            "Your question": WORDINGS[i % len(WORDINGS)],
            "Your name": f"Listener {i}",
            "Email": f"listener{i}@example.net",
            "Notify me": "yes" if i % 2 else "no",
        }
        for i in range(count)
    ]


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def intake(site: Path, path: Path) -> tuple[float, str]:
    command = [*floor_command(), "--site", str(site), "intake", "csv", str(path)]
    env = {**os.environ, "FLOOR_TODAY": TODAY, "PYTHONUTF8": "1"}
    began, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    print(f"  ({_children_cpu() - cpu:.1f} s of CPU: on a busy machine the wall time is longer)")
    return took, done.stdout


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--readers", type=int, default=600)
    parser.add_argument("--keep", type=Path, help="Make the site here and keep it.")
    args = parser.parse_args()
    ram = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    root = args.keep or Path(tempfile.mkdtemp(prefix="floor-bench-intake-", dir=ram))
    site = root / "site"
    if site.exists():
        shutil.rmtree(site)
    init_site.create(site, title="Bench Column", author="Bench", timezone="Europe/London")
    distinct, crowd = root / "distinct.csv", root / "crowd.csv"
    write_csv(distinct, distinct_rows(args.rows))
    write_csv(crowd, crowd_rows(args.readers))
    try:
        took, out = intake(site, distinct)
        last = out.strip().splitlines()[-1]
        verdict = "ok" if args.rows < 10_000 or took <= TARGET else f"OVER {TARGET:.0f} s"
        print(f"distinct: {args.rows} rows in {took:.1f} s ({args.rows / took:.0f} rows/s) {verdict}: {last}")
        took, out = intake(site, crowd)
        merged = out.count("\nmerged ") + out.startswith("merged ")
        files = sorted((site / "questions").glob("how-do-you-decide*.md"))
        size = sum(f.stat().st_size for f in files)
        print(
            f"one question, {args.readers} readers: {took:.1f} s; {merged} merges reported; "
            f"{len(files)} question file(s), {size / 1024:.1f} KiB: {out.strip().splitlines()[-1]}"
        )
        again = [intake(site, f) for f in (distinct, crowd)]
        print(
            f"re-run of both: {sum(t for t, _ in again):.1f} s: "
            + " / ".join(o.strip().splitlines()[-1] for _, o in again)
        )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(
        f"reproduce: {Path(sys.executable).as_posix()} bench/bench_intake.py "
        f"--rows {args.rows} --readers {args.readers}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
