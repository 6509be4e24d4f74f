"""Bench (not a test): what the search index costs a build, and a reader's first search.

    .venv/bin/python bench/bench_search.py [--posts 1000] [--runs 3] [--floor PATH] [--keep DIR]
    .venv/bin/python bench/bench_search.py --reader [--posts 1000] [--shard-records 300]
    .venv/bin/python bench/bench_search.py --pagefind [--posts 1000] [--runs 3]

Build mode: generates a bench site (bench/generate_site.py) and runs, ``--runs``
times each, the three builds of docs/performance.md with ``FLOOR_PHASES`` set:
a cold ``floor build --today 2026-11-08``; the weekly job on a copy of the
built site (``floor publish --today 2026-11-09``, ``floor build --today
2026-11-09``); one answer edited (a sentence appended to a middle post) and
``floor build --today 2026-11-08``. For each it prints the build's CPU
(user+system of ``floor`` and every process it waited for) and the CPU of the
workers reaped in the "finalized" phase, which is where Pagefind's process
ends. ``--floor`` runs another kit's ``floor`` (a checkout of main, to compare).

Reader mode: builds the site once (in this process, with the shard size
``--shard-records``, so ``--shard-records 100000`` gives the single bundle),
serves output/ on 127.0.0.1 and has Debian's Chromium (Playwright, as the
browser tests) open the search page and search one word; prints the number
of requests and bytes the first search fetched from the search folder, by
kind of file, and how long a new visitor waits for the first results (from
the navigation's start, nothing cached) on loopback and on two throttled
mobile networks (``NETWORKS``).

Pagefind mode: builds the site once (in this process) and keeps the records
the build handed Pagefind, then has Pagefind's service index them again,
``--runs`` times each way, and prints Pagefind's own CPU (its process's
user+system, reaped once the bundles are written): every record in one
bundle, in 4 and in 8 (what a bundle costs beyond its records), half the
records in one bundle (what a record costs), and every record without the
title its text starts with. Then what the records' text is made of.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from bench_site import generate_site  # beside this script

FLOOR = str(Path(sys.executable).parent / "floor")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_floor(floor: str, site: Path, *args: str, phases: Path | None = None) -> tuple[float, float]:
    """Run ``floor``; returns (its CPU with its workers', the finalized phase's workers' CPU)."""
    env = dict(os.environ)
    if phases is not None:
        env["FLOOR_PHASES"] = str(phases)
    before = _children_cpu()
    proc = subprocess.run([floor, "--site", str(site), *args], capture_output=True, text=True, env=env)
    cpu = _children_cpu() - before
    if proc.returncode != 0:
        raise SystemExit(f"floor {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    finalized = 0.0
    if phases is not None and phases.is_file():
        for row in json.loads(phases.read_text(encoding="utf-8")):
            if row["phase"].startswith("finalized"):
                finalized += row["workers_cpu"]
    return cpu, finalized


def edit_one_answer(site: Path) -> None:
    posts = sorted((site / "content" / "floor").glob("*.md"))
    middle = posts[len(posts) // 2]
    with middle.open("a", encoding="utf-8") as handle:
        handle.write("\nOne more sentence, added for the bench.\n")


def build_mode(args: argparse.Namespace, root: Path) -> None:
    rows: dict[str, list[tuple[float, float]]] = {"cold": [], "weekly": [], "one edit": []}
    phases = root / "phases.json"
    for run in range(args.runs):
        site = generate_site.generate(root / f"gen{run}", args.posts, queued=3)["floor"]
        rows["cold"].append(timed_floor(args.floor, site, "build", "--today", "2026-11-08", phases=phases))
        week = root / f"week{run}"
        shutil.copytree(site, week, symlinks=True)
        timed_floor(args.floor, week, "publish", "--today", "2026-11-09")
        rows["weekly"].append(timed_floor(args.floor, week, "build", "--today", "2026-11-09", phases=phases))
        shutil.rmtree(week)
        edit_one_answer(site)
        edited = timed_floor(args.floor, site, "build", "--today", "2026-11-08", phases=phases)
        rows["one edit"].append(edited)
        shutil.rmtree(site.parent)
    print(f"{args.posts} posts, {args.runs} runs, medians ({os.getloadavg()[0]:.1f} load average at the end)")
    print(f"{'build':10} {'CPU s':>8} {'finalized workers CPU s':>24}")
    for name, values in rows.items():
        cpu = statistics.median(v[0] for v in values)
        pagefind = statistics.median(v[1] for v in values)
        print(f"{name:10} {cpu:8.2f} {pagefind:24.2f}")


def reader_mode(args: argparse.Namespace, root: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
    from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # the browser tests' Chromium and server
    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.web import search_shards
    from playwright.sync_api import sync_playwright

    site = generate_site.generate(root / "gen", args.posts, queued=0)["floor"]
    search_shards.SHARD_RECORDS = args.shard_records
    os.environ["FLOOR_TODAY"] = "2026-11-08"
    build_mod.build(Site(site), jobs=1)
    output = site / "output"
    shards = search_shards.folders_on_disk(output)
    fetched: list[tuple[str, int]] = []
    with serve(output) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url)
        page.goto("/search/")
        page.wait_for_load_state("networkidle")

        def seen(response) -> None:
            path = urlsplit(response.url).path
            if path.startswith("/pagefind/"):
                fetched.append((path, len(response.body())))

        page.on("response", seen)
        page.goto(f"/search/?q={args.word}")
        page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
        page.wait_for_load_state("networkidle")
        found = page.locator("#search-results li").count()
        first = list(fetched)  # the first search only: later ones reuse what it fetched
        took = []
        for _ in range(5):  # later searches (chunks loaded): the browser's own work, in ms
            took.append(
                page.evaluate(
                    """async (words) => {
                        const status = document.getElementById('search-status');
                        status.textContent = '';
                        const input = document.querySelector('input[name=q]');
                        input.value = words;
                        const start = performance.now();
                        input.form.requestSubmit();
                        while (!/found/.test(status.textContent)) await new Promise(r => setTimeout(r, 1));
                        return performance.now() - start;
                    }""",
                    args.later,
                )
            )
        listed = page.locator("#search-results a").evaluate_all("a => a.map(x => new URL(x.href).pathname)")
        first_ms = {name: _first_results_ms(browser, url, args, rate) for name, rate in NETWORKS.items()}
        ranked = {}
        for word in args.rank_words:  # the top 20 for each further word, for comparing layouts
            page.goto(f"/search/?q={word}")
            page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
            ranked[word] = page.locator("#search-results a").evaluate_all(
                "a => a.map(x => new URL(x.href).pathname)"
            )
        browser.close()
    kinds: Counter = Counter()
    sizes: Counter = Counter()
    for path, size in first:
        name = path.rsplit("/", 1)[-1]
        kind = name.split(".")[-1] if "." in name else name
        kind = "wasm" if name.startswith("wasm.") else kind
        kinds[kind] += 1
        sizes[kind] += size
    print(f"{args.posts} posts, {len(shards)} bundle(s), searching {args.word!r}: {found} results listed")
    print(f"first search: {len(first)} requests, {sum(sizes.values()) / 1024:.1f} KiB from /pagefind/")
    for kind in sorted(kinds):
        print(f"  {kind:14} {kinds[kind]:4} requests {sizes[kind] / 1024:8.1f} KiB")
    print(f"a later search for {args.later!r}: {statistics.median(took):.0f} ms (median of 5, in the page)")
    for name, times in first_ms.items():
        each = ", ".join(f"{t:.0f}" for t in times)
        print(f"first results, a new visitor, {name}: {statistics.median(times):.0f} ms (each run: {each})")
    if args.ranking:
        args.ranking.write_text(json.dumps({args.word: listed, **ranked}, indent=1) + "\n", encoding="utf-8")


# Networks a reader's first search is timed on: none (loopback), and Chromium's own throttling
# at two mobile speeds (download and upload in kbit/s, round trip in ms; Chrome's DevTools presets
# "Slow 4G" and "Fast 4G" are close to these). The local server speaks HTTP/1.0, so requests
# queue six at a time, as on a host without HTTP/2.
NETWORKS = {"loopback": None, "1.6 Mbit/s, 150 ms": (1600, 750, 150), "9 Mbit/s, 60 ms": (9000, 1500, 60)}

# Set on every new page: the moment (ms since the navigation began) the results are listed.
_FOUND_AT = """
new MutationObserver((changes, observer) => {
  const status = document.getElementById('search-status');
  if (status && /found/.test(status.textContent)) {
    window.floorFoundAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def _first_results_ms(browser, url: str, args: argparse.Namespace, rate) -> list[float]:
    """A new visitor (nothing cached) opens the search page with ``args.word`` in its address:
    milliseconds from the navigation's start to the results listed, ``args.first_runs`` times."""
    times = []
    for _ in range(args.first_runs):
        context = browser.new_context(base_url=url)
        page = context.new_page()
        if rate is not None:
            down, up, rtt = rate
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": rtt,
                    "downloadThroughput": down * 125,
                    "uploadThroughput": up * 125,
                },
            )
        page.add_init_script(_FOUND_AT)
        page.goto(f"/search/?q={args.word}")
        page.wait_for_function("() => window.floorFoundAt !== undefined", timeout=120_000)
        times.append(page.evaluate("window.floorFoundAt"))
        context.close()
    return times


def _handed_records(site: Path) -> list:
    """Build ``site`` here; the records the build handed Pagefind, in post order."""
    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build as build_mod
    from from_the_floor.web import search

    handed: list = []
    original = search.RecordIndex.add_bundles

    def add_bundles(self, bundles, **kwargs):
        bundles = {folder: list(records) for folder, records in bundles.items()}
        handed.extend(record for records in bundles.values() for record in records)
        return original(self, bundles, **kwargs)

    search.RecordIndex.add_bundles = add_bundles
    os.environ["FLOOR_TODAY"] = "2026-11-08"
    try:
        build_mod.build(Site(site), jobs=1)
    finally:
        search.RecordIndex.add_bundles = original
    return sorted(handed, key=lambda record: record.number)


def pagefind_cpu(records: list, bundles: int, root: Path, language: str = "en") -> float:
    """Pagefind's CPU (its process, reaped when it stops) to index ``records`` into ``bundles``
    bundles by post number, as a build shards them, and write them."""
    from from_the_floor.web import search, search_shards

    out = root / "pagefind-out"
    shutil.rmtree(out, ignore_errors=True)
    before = _children_cpu()
    index = search.RecordIndex(out, language, root / "pagefind-staging")
    index.add_bundles(
        {
            search_shards.folder_of(n, bundles): [r for r in records if r.number % bundles == n]
            for n in range(bundles)
        }
    )
    count = index.write()  # waits for every bundle, then stops (and reaps) the service
    if count != len(records):
        raise SystemExit(f"Pagefind indexed {count} records of {len(records)}")
    return _children_cpu() - before


def pagefind_mode(args: argparse.Namespace, root: Path) -> None:
    import dataclasses

    site = generate_site.generate(root / "gen", args.posts, queued=3)["floor"]
    records = _handed_records(site)
    untitled = [dataclasses.replace(r, content=r.content.removeprefix(r.title).lstrip("\n")) for r in records]
    ways = {
        "every record, 1 bundle": (records, 1),
        "every record, 4 bundles": (records, 4),
        "every record, 8 bundles": (records, 8),
        "half the records, 1 bundle": (records[::2], 1),
        "every record, no title in its text, 1 bundle": (untitled, 1),
    }
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    for _run in range(args.runs):
        for name, (chosen, bundles) in ways.items():
            cpu[name].append(pagefind_cpu(chosen, bundles, root))
    load = os.getloadavg()[0]
    print(f"{len(records)} records, {args.runs} runs, medians ({load:.1f} load average at the end)")
    print(f"{'Pagefind indexing':46} {'records':>8} {'chars':>10} {'CPU s':>7} {'ms a record':>12}")
    for name, (chosen, _bundles) in ways.items():
        seconds = statistics.median(cpu[name])
        chars = sum(len(r.content) for r in chosen)
        print(f"{name:46} {len(chosen):8} {chars:10} {seconds:7.2f} {1000 * seconds / len(chosen):12.2f}")
    total = sum(len(r.content) for r in records)
    titles = sum(len(r.title) for r in records if r.content.startswith(r.title))
    repeated = sum(1 for r in records if r.content.startswith(f"{r.title}\n\n{r.title}"))
    lines = [line for r in records for line in r.content.split("\n\n")]
    asked = sum(len(line) for line in lines if line.startswith("Asked by "))
    print(f"the records' text: {total:,} characters; the title it starts with {100 * titles / total:.1f} %,")
    print(f"  the 'Asked by …' lines {100 * asked / total:.1f} %; {repeated} of {len(records)} records")
    print("  repeat their title as the question's text that follows it (so does the page)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--floor", default=FLOOR, help="the floor command to time (another kit's)")
    parser.add_argument("--keep", type=Path, help="work here (kept) instead of a temporary folder")
    parser.add_argument("--reader", action="store_true", help="a reader's first search instead of builds")
    parser.add_argument("--pagefind", action="store_true", help="Pagefind's own CPU for a build's records")
    parser.add_argument("--shard-records", type=int, default=300, help="reader mode: posts a shard holds")
    parser.add_argument("--word", default="garden", help="reader mode: the word searched")
    parser.add_argument("--later", default="slow coffee", help="reader mode: the words of the timed searches")
    parser.add_argument(
        "--first-runs", type=int, default=5, help="reader mode: new visitors timed per network"
    )
    parser.add_argument("--ranking", type=Path, help="reader mode: write the top 20 results as JSON here")
    parser.add_argument("--rank-words", nargs="*", default=[], help="reader mode: more words to rank")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as temp:
        root = args.keep or Path(temp)
        root.mkdir(parents=True, exist_ok=True)
        mode = reader_mode if args.reader else pagefind_mode if args.pagefind else build_mode
        mode(args, root)


if __name__ == "__main__":
    main()
