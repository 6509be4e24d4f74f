"""Bench (not a test): what a persistent site model would save the weekly job.

    .venv/bin/python bench/bench_model.py [--posts 1000] [--keep DIR]

On a generated site (bench/generate_site.py, ``--queued 3``) it measures, as
CPU and wall seconds beside the load average:

(a) a cold ``floor build --today 2026-11-08`` (no output/, .cache/ or manifest);
(b) the weekly job on a copy of that built site (output/, .cache/ and the
    manifest kept): ``floor publish --today 2026-11-09``, then ``floor build``,
    with the build's phases (FLOOR_PHASES);
(c) the prototype, in its own process: the live preview (pelican_plugin/
    preview.py, one Pelican run held in memory) loaded on another copy of
    last week's site, told that the weekly publish happened (the same
    ``floor publish`` run beside it), then

    (c1) reading only the changed source file (the new post, with Pelican's
         own reader and the kit's signals; the removed question file needs
         no reading);
    (c2) bringing the context up to date the only way the preview can today:
         Pelican's generators run again over every post, from the in-memory
         reader cache (nothing is read from disk or converted again), timed
         generator by generator;
    (c3) rendering only the affected pages: the pages and feeds whose bytes
         the weekly build (b) changed (what a dependency-tracked model must
         render at least), each compared with the file (b) wrote; the
         templates are compiled already (the model rendered those pages once
         before the publish, as a running preview has), and the contact
         check the preview makes of each page is timed apart;
    (c4) what loading a persisted model could cost: every post's fields
         written as JSON (never pickle), read back, and Pelican's Article
         objects made again from them.

What the prototype does not do: update Pelican's context incrementally
(insert one Article and redo only the neighbours, tag lists, paginators,
related posts and the reader-site plugin's context). (c2) is what that step
costs when done by re-running the generators, so c1 + c3 is the floor of a
model that would, and c1 + c2 + c3 is what the live preview pays today.
The affected set comes from comparing (b)'s output with last week's, outside
the timing; a real model would get it from page signatures (the weekly
build's signing phase). Figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_site import generate_site, output_digests, ram_folder, run_measured  # beside this script

FLOOR = str(Path(sys.executable).parent / "floor")
LAST_WEEK = "2026-11-08"
THIS_WEEK = "2026-11-09"


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def floor(site: Path, today: str, *args: str) -> list[str]:
    return [FLOOR, "--site", str(site), "--today", today, *args]


def copy_site(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, symlinks=True)


class Clock:
    """CPU (this process) and wall seconds since the last call."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def lap(self) -> dict[str, float]:
        cpu, wall = time.process_time() - self.cpu, time.perf_counter() - self.wall
        self.reset()
        return {"cpu": round(cpu, 4), "wall": round(wall, 4)}


# --- (c): the model, in its own process ---------------------------------------------------


def _timed_generators(instance, totals: dict[str, float]) -> None:
    """Wrap each generator class's two phases so their CPU seconds add up in ``totals``."""
    for cls in instance._get_generator_classes():
        for phase in ("generate_context", "generate_output"):
            original = cls.__dict__.get(phase)
            if original is None or getattr(original, "_bench_timed", False):
                continue

            def timed(self, *args, _original=original, _key=f"{cls.__name__}.{phase}", **kwargs):
                start = time.process_time()
                try:
                    return _original(self, *args, **kwargs)
                finally:
                    totals[_key] = totals.get(_key, 0.0) + time.process_time() - start

            timed._bench_timed = True
            setattr(cls, phase, timed)


def _read_new_post(preview, new_posts: list[str]) -> int:
    """(c1): the new post files read as the articles generator reads one (reader + signals)."""
    from from_the_floor.core import question as question_mod
    from from_the_floor.pelican_plugin.preview import _in_dir, read_article
    from pelican.generators import ArticlesGenerator

    articles = next(g for g in preview._generators if isinstance(g, ArticlesGenerator))
    with _in_dir(preview.site.root), question_mod.reusing_parses(preview._parses):
        for path in new_posts:
            read_article(articles, str(path))
    return len(new_posts)


def _persisted(preview) -> dict:
    """(c4): every post's fields as JSON, read back, and the Article objects made again."""
    from pelican.contents import Article
    from pelican.generators import ArticlesGenerator

    articles = next(g for g in preview._generators if isinstance(g, ArticlesGenerator))
    clock = Clock()
    records = [
        {
            "source_path": a.source_path,
            "content": a._content,
            "metadata": {k: v for k, v in a.metadata.items() if isinstance(v, str | int | float | bool)},
            "tags": [t.name for t in getattr(a, "tags", [])],
            "date": a.date.isoformat(),
        }
        for a in articles.articles
    ]
    text = json.dumps(records)
    dumped = clock.lap()
    loaded = json.loads(text)
    parsed = clock.lap()
    by_source = {a.source_path: a for a in articles.articles}
    for record in loaded:  # the metadata Pelican's readers made (objects), from the live model
        Article(
            record["content"],
            metadata=dict(by_source[record["source_path"]].metadata),
            settings=articles.settings,
            source_path=record["source_path"],
            context=articles.context,
        )
    made = clock.lap()
    return {
        "posts": len(loaded),
        "bytes": len(text.encode()),
        "dump": dumped,
        "parse": parsed,
        "articles": made,
    }


def _kept_caches(root: Path) -> dict:
    """What today's weekly build loads of last week instead: Pelican's reader cache (a pickle
    Pelican itself writes and reads; gzip-compressed by default) and the kit's memo file."""
    import gzip
    import pickle

    figures = {}
    clock = Clock()
    cache = root / ".cache" / "ArticlesGenerator-Readers"
    if cache.exists():
        raw = cache.read_bytes()
        data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        pickle.loads(data)  # Pelican's own file, from this bench's own build
        figures["pelican_reader_cache"] = {"bytes": len(raw), **clock.lap()}
    memo = root / ".cache" / "floor-memo"  # core/memo.py: a header line, then a JSON list, per file
    if memo.is_dir():
        size = 0
        for shard in memo.glob("*.json"):
            text = shard.read_text(encoding="utf-8")
            header, _, values = text.partition("\n")
            json.loads(header), json.loads(values)
            size += len(text.encode())
        figures["floor_memo"] = {"bytes": size, **clock.lap()}
    return figures


def model_worker(root: Path, affected_file: Path, reference: Path) -> dict:
    """The prototype's figures (printed as JSON on stdout)."""
    from from_the_floor.core.site import Site
    from from_the_floor.pelican_plugin import build_state, engine
    from from_the_floor.pelican_plugin.preview import LivePreview

    figures: dict = {}
    clock = Clock()
    preview = LivePreview(Site(root), today=LAST_WEEK)
    preview.refresh()
    figures["load_model"] = (
        clock.lap()
    )  # once per process: what the desk or `floor serve --live` pays at start
    affected = json.loads(affected_file.read_text(encoding="utf-8"))
    for name in affected:  # a running preview has served pages: its templates are compiled
        with contextlib.suppress(Exception):
            preview.render(name)
    figures["warm_templates"] = clock.lap()
    totals: dict[str, float] = {}
    _timed_generators(preview._instance, totals)

    posts_dir = preview.site.posts_dir
    before = set(posts_dir.glob("*.md"))
    subprocess.run(floor(root, THIS_WEEK, "publish"), check=True, capture_output=True)
    new_posts = sorted(str(p) for p in set(posts_dir.glob("*.md")) - before)
    figures["new_posts"] = [os.path.basename(p) for p in new_posts]

    # the weekly publish happened: the model is told the new day and the changed files
    preview.today = THIS_WEEK
    preview._instance.settings[build_state.TODAY] = THIS_WEEK
    clock.reset()
    _read_new_post(preview, new_posts)
    figures["c1_read_changed"] = clock.lap()
    generations = preview.generations
    preview.refresh()
    figures["c2_generators_again"] = clock.lap()
    figures["c2_by_generator"] = {k: round(v, 4) for k, v in sorted(totals.items())}
    figures["c2_patched"] = preview.patches  # 0: the answer-only fast path did not apply
    figures["c2_generations"] = preview.generations - generations

    renderable = [n for n in affected if n in preview._pages or n in preview._feeds]
    clock.reset()
    rendered = {
        name: engine.encode((preview._pages.get(name) or preview._feeds[name]).render())
        for name in renderable
    }
    figures["c3_render_affected"] = clock.lap()
    for data in rendered.values():  # what the preview does to each response; a build guards the sources
        preview._detector.find_in_bytes(data)
    figures["c3_guard_each_page"] = clock.lap()
    same = sum(1 for name, data in rendered.items() if (reference / name).read_bytes() == data)
    figures["c3_pages"] = {
        "affected": len(affected),
        "rendered": len(rendered),
        "equal_to_weekly_build": same,
        "not_pages": sorted(set(affected) - set(renderable)),
        "pages_and_feeds_in_model": len(preview._pages) + len(preview._feeds),
    }
    figures["c4_persisted"] = _persisted(preview)
    figures["c4_kept_caches"] = _kept_caches(root)
    return figures


# --- the orchestration ---------------------------------------------------------------------


def sample(cmd: list[str], env: dict | None = None) -> dict[str, float]:
    s = run_measured(cmd, env=env)
    return {"cpu": round(s.cpu, 3), "wall": round(s.wall, 3)}


def bench(work: Path, posts: int) -> dict:
    figures: dict = {"posts": posts, "load": {"start": load()}}
    generated = generate_site.generate(work / "generated", posts, queued=3)["floor"]
    last_week = work / "last-week"
    copy_site(generated, last_week)
    figures["a_cold_build"] = sample(floor(last_week, LAST_WEEK, "build"))
    figures["load"]["after_a"] = load()

    weekly = work / "weekly"
    copy_site(last_week, weekly)
    old = output_digests(weekly / "output")
    figures["b_publish"] = sample(floor(weekly, THIS_WEEK, "publish"))
    phases_file = work / "phases.json"
    env = {**os.environ, "FLOOR_PHASES": str(phases_file)}
    figures["b_weekly_build"] = sample(floor(weekly, THIS_WEEK, "build"), env)
    figures["b_phases"] = json.loads(phases_file.read_text(encoding="utf-8"))
    new = output_digests(weekly / "output")
    affected = sorted(n for n, d in new.items() if old.get(n) != d)
    figures["b_changed_files"] = {
        "changed": len(affected),
        "removed": len(set(old) - set(new)),
        "all": len(new),
    }
    figures["load"]["after_b"] = load()

    model_site = work / "model"
    copy_site(last_week, model_site)
    affected_file = work / "affected.json"
    affected_file.write_text(json.dumps(affected), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(model_site), str(affected_file), str(weekly / "output")],
        check=True,
        capture_output=True,
        text=True,
    )
    figures["c_model"] = json.loads(out.stdout.strip().splitlines()[-1])
    figures["load"]["end"] = load()
    return figures


def report(f: dict) -> str:
    a, b, c = f["a_cold_build"], f["b_weekly_build"], f["c_model"]

    def row(label: str, s: dict) -> str:
        return f"  {label:<62} {s['cpu']:>7.2f} {s['wall']:>7.2f} {s['cpu'] / a['cpu']:>7.2f}×"

    c1, c2, c3 = c["c1_read_changed"], c["c2_generators_again"], c["c3_render_affected"]
    floor_ = {"cpu": c1["cpu"] + c3["cpu"], "wall": c1["wall"] + c3["wall"]}
    today = {"cpu": floor_["cpu"] + c2["cpu"], "wall": floor_["wall"] + c2["wall"]}
    pages = c["c3_pages"]
    lines = [
        f"{f['posts']:,} posts; load average {f['load']['start']} (start), {f['load']['after_a']} (after a), "
        f"{f['load']['after_b']} (after b), {f['load']['end']} (end) on {os.cpu_count()} CPUs",
        f"  {'':<62} {'CPU s':>7} {'wall s':>7} {'÷ cold':>8}",
        row("(a) cold floor build", a),
        row("(b) weekly floor build (output/, .cache/, manifest kept)", b),
        row("    its floor publish (a process of its own)", f["b_publish"]),
        row("(c1) model: read the changed file (the new post)", c1),
        row("(c2) model: Pelican's generators again over every post, warm", c2),
        row(f"(c3) model: render the {pages['rendered']} affected pages and feeds", c3),
        row("(c1 + c3) model that updates its context in place (floor)", floor_),
        row("(c1 + c2 + c3) the live preview as it is", today),
        row("     building the model once (a process's start, not weekly)", c["load_model"]),
        row("     the preview's contact check of each rendered page (c3 apart)", c["c3_guard_each_page"]),
        f"  affected by the weekly post: {pages['affected']} output files changed of "
        f"{f['b_changed_files']['all']} ({f['b_changed_files']['removed']} removed); "
        f"{pages['rendered']} are pages or feeds the model renders, {pages['equal_to_weekly_build']} "
        f"byte-equal to (b)'s; the rest: {', '.join(pages['not_pages'][:8])}"
        + (" …" if len(pages["not_pages"]) > 8 else ""),
        "  (c2) by generator, CPU s: "
        + ", ".join(f"{k} {v:.2f}" for k, v in c["c2_by_generator"].items() if v >= 0.005),
        "  (b) phases, CPU s (this process + workers): "
        + ", ".join(f"{p['phase']} {p['cpu'] + p['workers_cpu']:.2f}" for p in f["b_phases"]),
    ]
    p = c["c4_persisted"]
    lines.append(
        f"  (c4) a persisted model of {p['posts']:,} posts as JSON: {p['bytes'] / 1e6:.1f} MB, written in "
        f"{p['dump']['cpu']:.2f} s, parsed in {p['parse']['cpu']:.2f} s, Articles made again in "
        f"{p['articles']['cpu']:.2f} s CPU"
    )
    for name, k in c["c4_kept_caches"].items():
        lines.append(
            f"  (c4) today's weekly build loads {name}: {k['bytes'] / 1e6:.1f} MB in {k['cpu']:.2f} s CPU"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--worker", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(model_worker(*args.worker)))
        return
    with contextlib.ExitStack() as stack:
        if args.keep:
            work = args.keep
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="floor-model-", dir=ram_folder()))
            )
        figures = bench(work, args.posts)
    print(report(figures))
    if args.json:
        print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
