"""The contact guard's share of a cold build (issue 21's target: at most 5 % at 1,000 posts).

The guard's work in a build is: read every reader's contact (the build's own
parses, sealed ones opened), make the recogniser, and check every input file
the build read. :func:`measure` does exactly that, in a fresh process, on a
site that has just been built (its build manifest lists the inputs), after
the queue has been read as the build's validation reads it; the figure is the
time of that work alone. bench_site.py puts it beside the cold build of the
same site; run alone, this script generates a site, builds it and prints both.

    python bench/bench_guard.py --posts 1000 --runs 3

``--readers 600`` makes one waiting question asked by 600 readers (the first
reader's contact in the question, the others in its readers file, all sealed):
a quarter each email addresses, phone numbers of many countries (each
country's example mobile number, from libphonenumber's data) and British
national numbers, and handles (``@name``, ``@name@host``, ``@name.bsky.social``),
so the figure includes looking for every kind of contact a reader gives.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs in a fresh process: the guard's own work in a build, timed from its first import.
_GUARD = """
import sys, time
from pathlib import Path
from from_the_floor.core import build_manifest, question, queue
from from_the_floor.core.site import Site

site = Site(Path(sys.argv[1]))
manifest = build_manifest.load(build_manifest.path_for(site.output_dir))
# as in a cold build (no .cache/): every sealed contact is opened, none taken from the last build
(site.root / ".cache" / "floor-opened-contacts.age").unlink(missing_ok=True)
with question.reusing_parses():
    queue.load(site)  # the build's validation: the parses the guard reuses
    start, cpu = time.perf_counter(), time.process_time()
    from from_the_floor.core import guard, settings, source_check

    folders = [site.posts_dir, site.questions_dir]
    detector = guard.folder_detector(folders, settings.phone_region(site.settings.raw))
    files = source_check.files_of(manifest.inputs, site.root)
    source_check.check(files, detector, site_root=site.root, question_folders=folders)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(took, len(files), sum(f.stat().st_size for f in files), cpu)
"""


def measure(site: Path) -> tuple[float, int, int]:
    """Seconds of the guard's work on ``site`` (built), and how many input files and bytes it read."""
    seconds, files, size, _cpu = measure_cpu(site)
    return seconds, files, size


def measure_cpu(site: Path) -> tuple[float, int, int, float]:
    """As :func:`measure`, with the CPU seconds of the guard's work last (on a shared machine the
    wall time says more about the other processes than about the guard)."""
    out = subprocess.run(
        [sys.executable, "-c", _GUARD, str(site)], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2]), float(out[3])


def crowd_contacts(readers: int) -> list[str]:
    """``readers`` made-up contacts of every kind: addresses, numbers of many countries, British
    national numbers, handles."""
    import phonenumbers

    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    numbers = [
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        for region in regions
        if (example := phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE))
    ]
    handles = ("@reader_{}", "@reader{}@social.example", "@reader{}.bsky.social")
    contacts = []
    for n in range(readers):
        kind = n % 4
        if kind == 0:
            contacts.append(f"reader.{n}@example.net")
        elif kind == 1:
            contacts.append(numbers[(n // 4) % len(numbers)])
        elif kind == 2:
            contacts.append(f"07700 9{n:05d}")
        else:
            contacts.append(handles[(n // 4) % len(handles)].format(n))
    return contacts


def add_crowd(site: Path, readers: int) -> None:
    """One waiting question of ``site`` asked by ``readers`` readers (see the module's text)."""
    import json

    from from_the_floor.core import readers_file
    from from_the_floor.core.site import Site

    seal = Site(site).keys.seal
    first, *others = crowd_contacts(readers)
    question = sorted((site / "questions").glob("*.md"))[0]
    head, rest = question.read_text(encoding="utf-8").split("\n", 1)
    lines = [line for line in rest.split("\n") if not line.startswith("contact:")]
    extra = [f"contact: {seal(first)}"] + ([f"more_readers: {len(others)}"] if others else [])
    question.write_text("\n".join([head, *extra, *lines]), encoding="utf-8")
    if others:
        folder = readers_file.path_for(site / "questions", question.stem)
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.write_text(
            "".join(json.dumps({"asked": "2026-11-02", "contact": seal(c)}) + "\n" for c in others),
            encoding="utf-8",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--readers", type=int, default=0, help="one waiting question asked by this many readers"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_site

    with tempfile.TemporaryDirectory(prefix="floor-guard-bench-") as work:
        sites = bench_site.generate_site.generate(Path(work), args.posts, queued=3)
        site = sites["floor"]
        if args.readers:
            add_crowd(site, args.readers)
        builds, guards, build_cpus, guard_cpus = [], [], [], []
        sealed = sum("contact: age:" in p.read_text(encoding="utf-8") for p in site.rglob("*.md"))
        for _ in range(args.runs):
            bench_site.clean_floor(site)
            start = time.perf_counter()
            sample = bench_site.run_measured(bench_site.floor_build_cmd(site))
            builds.append(time.perf_counter() - start)
            build_cpus.append(sample.cpu)
            seconds, files, size, cpu = measure_cpu(site)
            guards.append(seconds)
            guard_cpus.append(cpu)
        build, guard = statistics.median(builds), statistics.median(guards)
        build_cpu, guard_cpu = statistics.median(build_cpus), statistics.median(guard_cpus)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} CPUs")
        print(
            f"cold build, {args.posts:,} posts ({sealed} sealed contacts): "
            f"{build:.2f} s wall, {build_cpu:.2f} s CPU"
        )
        print(
            f"contact guard: {guard:.2f} s wall, {guard_cpu:.2f} s CPU, over {files:,} input files "
            f"({size / 1e6:.1f} MB), the sealed contacts opened (median of {args.runs})"
        )
        print(
            f"guard's share of the cold build: {100 * guard_cpu / build_cpu:.1f} % of its CPU, "
            f"{100 * guard / build:.1f} % of its wall time"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
