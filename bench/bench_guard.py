"""The contact guard's share of a cold build (issue 21's target: at most 5 % at 1,000 posts).

The guard's work in a build is: read every reader's contact (the build's own
parses, sealed ones opened), make the recogniser, and check every input file
the build read. :func:`measure` does exactly that, in a fresh process, on a
site that has just been built (its build manifest lists the inputs), after
the queue has been read as the build's validation reads it; the figure is the
time of that work alone. bench_site.py puts it beside the cold build of the
same site; run alone, this script generates a site, builds it and prints both.

    python bench/bench_guard.py --posts 1000 --runs 3
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_site

    with tempfile.TemporaryDirectory(prefix="floor-guard-bench-") as work:
        sites = bench_site.generate_site.generate(Path(work), args.posts, queued=3)
        site = sites["floor"]
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
