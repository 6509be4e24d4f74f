"""`make bench` stays runnable: bench/bench_site.py on a tiny generated site, every section once.

The bench measures and asserts nothing; these tests check that it ran every section and that
what it reports about the output (which files changed bytes) is what happened. No timings.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _load("bench_site")


def test_changed_files_counts_added_removed_and_rewritten() -> None:
    before = {"same": b"1", "rewritten": b"2", "removed": b"3"}
    after = {"same": b"1", "rewritten": b"9", "added": b"4"}
    assert bench.changed_files(before, after) == (3, len(after))
    assert bench.changed_files(after, after) == (0, len(after))


def test_output_digests_follow_the_bytes(tmp_path: Path) -> None:
    (tmp_path / "floor" / "a").mkdir(parents=True)
    page = tmp_path / "floor" / "a" / "index.html"
    page.write_text("<p>one</p>", encoding="utf-8")
    first = bench.output_digests(tmp_path)
    assert list(first) == ["floor/a/index.html"]
    page.write_text("<p>one</p>", encoding="utf-8")  # written again, same bytes
    assert bench.changed_files(first, bench.output_digests(tmp_path)) == (0, 1)
    page.write_text("<p>two</p>", encoding="utf-8")
    assert bench.changed_files(first, bench.output_digests(tmp_path)) == (1, 1)
    assert bench.output_digests(tmp_path / "missing") == {}


def test_growth_table_divides_by_the_smallest_size() -> None:
    def row(cost: str, who: str, posts: int, wall: float) -> object:
        return bench.Row("s", "l", [bench.Sample(wall, wall, 1024)], posts=posts, cost=cost, who=who)

    rows = [row("cold", "floor", 10, 2.0), row("cold", "floor", 50, 7.0), row("cold", "pelican", 10, 1.0)]
    table = bench.growth_table(rows)
    floor_line = next(line for line in table.splitlines() if "cold build: floor" in line)
    assert f"(×{7.0 / 2.0:.1f})" in floor_line and "(×1.0)" in floor_line
    pelican_line = next(line for line in table.splitlines() if "cold build: plain Pelican" in line)
    assert pelican_line.rstrip().endswith("—")  # not measured at 50 posts


def test_the_bench_runs_every_section_on_a_tiny_site(tmp_path: Path) -> None:
    figures = tmp_path / "bench.json"
    cmd = [sys.executable, str(ROOT / "bench" / "bench_site.py"), "--sizes", "20", "--runs", "1"]
    cmd += ["--skip-queue", "--work", str(tmp_path / "work"), "--json", str(figures)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(figures.read_text(encoding="utf-8"))["rows"]
    assert {r["section"][:3] for r in rows} == {"(a)", "(h)", "(f)", "(b)", "(c)", "(d)", "(g)"}
    for r in rows:
        assert r["label"] in done.stdout
        assert r["runs"] == (10 if r["cost"] == "start" else 1)

    def one(cost: str, who: str = "floor") -> dict:
        (found,) = [r for r in rows if (r["cost"], r["who"]) == (cost, who)]
        return found

    ((unchanged, total),) = one("nothing")["files_changed"]
    assert unchanged == 0 and total > 20  # nothing changed: not one byte of output differs
    ((edited, after_edit),) = one("edit")["files_changed"]
    assert 1 <= edited < after_edit  # the post's page at least, not the whole site
    ((weekly, after_week),) = one("weekly")["files_changed"]
    assert 1 <= weekly <= after_week
    ((fresh, fresh_total),) = one("weekly-cache-only")["files_changed"]
    assert fresh == fresh_total  # no output/ restored: every file is new
    # the weekly job as the earlier sessions measured it: built on the last build's own day
    ((same_day, after_same_day),) = one("weekly-same-day")["files_changed"]
    assert 1 <= same_day <= after_same_day and not one("weekly-same-day")["target"]
    # as the weekly workflow builds: publishconf.py and FLOOR_SITEURL, last week's output/ made
    # with the same settings, so the week changes the same files as with pelicanconf.py (restoring
    # a pelicanconf.py output/ instead rewrites most pages: every address becomes absolute)
    ((with_url, after_with_url),) = one("weekly-publishconf")["files_changed"]
    assert with_url == weekly and after_with_url == after_week
    assert not one("weekly-publishconf")["target"]
    assert one("cold")["target"] and one("nothing")["target"] and one("memory")["target"]
    # (g): the build's own process apart from Pagefind's (each from the build's record), and
    # the largest of all of them (wait4) no smaller than either
    own, pagefind, largest = (one("memory", who)["peak_mib"] for who in ("floor", "pagefind", "largest"))
    assert 0 < own <= largest and 0 < pagefind <= largest
    assert not one("memory", "pagefind")["target"]  # the target is the kit's own process
    assert "How each cost grows" in done.stdout
    assert "The parallel share of `floor build`" in done.stdout
    for cost in ("cold", "weekly"):
        phases = [p["phase"] for p in one(cost)["phases"]]
        assert "rendering the pages" in phases and "signing the pages" in phases, phases
        assert one(cost)["build_cpu_s"] > 0

    help_text = subprocess.run(
        [str(Path(sys.executable).parent / "floor"), "build", "--help"], capture_output=True, text=True
    ).stdout
    assert ("--full" in help_text) == ("floor build --full (warm cache)" in done.stdout)
