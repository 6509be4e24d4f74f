"""Bench (not a test): what sealing readers' contacts costs a build and the weekly job.

    .venv/bin/python bench/bench_sealing.py [--posts 1000] [--repeat 3]

Generates the bench's `floor init` site (bench/generate_site.py: about 60 % of
its posts carry a reader's contact, in plain text as an older site has them),
then times, as real subprocesses, with the contacts plain and after
`floor seal`:

- the contact guard's reading of every contact (what each build does before
  it can scan a page: sealed ones are opened with the site's key);
- a whole cold `floor build` (no output/, no cache).

Prints the median wall time of ``--repeat`` runs of each and the ratio
sealed / plain. The machine is shared: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_site

FLOOR = Path(sys.executable).parent / "floor"
READ_CONTACTS = (
    "import sys; from pathlib import Path; from from_the_floor.core import guard; "
    "site = Path(sys.argv[1]); "
    "print(len(guard.contacts_in([site / 'content' / 'floor', site / 'questions'])))"
)


def timed(command: list[str], repeat: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - start)
        out = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return statistics.median(times), out


def measure(site: Path, repeat: int) -> dict[str, tuple[float, str]]:
    return {
        "read every contact (the guard)": timed([sys.executable, "-c", READ_CONTACTS, str(site)], repeat),
        # cold each time (no output/, no .cache/): `floor seal` rewrote the files, so a warm cache
        # would favour one side
        "floor build (cold)": timed(
            [
                "sh",
                "-c",
                f'rm -rf "{site}/output" "{site}/.cache" && exec "{FLOOR}" --site "{site}" '
                "--today 2026-11-30 build",
            ],
            repeat,
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="floor-bench-seal-") as tmp:
        site = generate_site.generate(Path(tmp), args.posts, queued=20)["floor"]
        plain = measure(site, args.repeat)
        seal = subprocess.run([str(FLOOR), "--site", str(site), "seal"], capture_output=True, text=True)
        if seal.returncode != 0:
            sys.exit(seal.stderr)
        summary = seal.stdout.strip().splitlines()[-1]
        sealed = measure(site, args.repeat)
    print(f"{args.posts} posts; floor seal: {summary}")
    print(f"{'':34} {'plain':>9} {'sealed':>9} {'ratio':>7}")
    for name in plain:
        (a, n_plain), (b, n_sealed) = plain[name], sealed[name]
        extra = f"  ({n_plain} / {n_sealed} contacts)" if name.startswith("read") else ""
        print(f"{name:34} {a:8.2f}s {b:8.2f}s {b / a:6.2f}x{extra}")


if __name__ == "__main__":
    main()
