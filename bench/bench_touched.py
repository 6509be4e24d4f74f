"""Bench (not a test): how many output files one weekly post changes.

    .venv/bin/python bench/bench_touched.py [--posts 1000] [--queued 3] [--weeks 50] [--keep DIR] [--json]

Generates a bench site (bench/generate_site.py), builds it as of the last
post's day, then does what the weekly job does a week later — ``floor
publish`` and ``floor build`` with ``--today`` on the next publishing day —
and compares a digest of every file under output/ before and after. The
files whose bytes changed are, at best, what a dependency-tracked build must
write again; the rest it could leave alone. Counts are grouped by kind
(article pages, tag pages, index pages, feeds, search index, other).

``--weeks N`` adds, without building, how many older posts' related sets
each of N more weekly posts changes (the kit's own ranking over the bench
posts' tags), since one week is a small sample.

It counts bytes, not what the build did, so it works whatever the build
does and shows the same figure with or without a build manifest.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench_site import generate_site, output_digests  # beside this script

FLOOR = str(Path(sys.executable).parent / "floor")
KINDS = ("article pages", "tag pages", "index pages", "feeds", "search index", "other")


def _pattern(save_as: str, *, paged: bool = False) -> re.Pattern[str] | None:
    """A Pelican *_SAVE_AS template ("tag/{slug}/index.html") as a regular expression;
    ``paged`` also matches the later pages of a list (Pelican's "index2.html")."""
    if not save_as:
        return None
    parts = [re.escape(p) for p in re.split(r"\{[^}]*\}", save_as)]
    text = "[^/]+".join(parts)
    if paged:
        text = re.sub(r"\\\.html\Z", r"\\d*\\.html", text)
    return re.compile(text + r"\Z")


def classifier(settings: dict) -> Callable[[str], str]:
    """Which kind an output path is, from the site's own URL settings (not guessed names)."""
    article = _pattern(settings.get("ARTICLE_SAVE_AS") or "")
    tag = _pattern(settings.get("TAG_SAVE_AS") or "", paged=True)
    lists = [
        _pattern(settings.get(f"{name.upper()}_SAVE_AS") or f"{name}.html", paged=True)
        for name in settings.get("DIRECT_TEMPLATES", ())
    ]
    lists += [
        _pattern(value, paged=True)
        for key, value in settings.items()
        if key.endswith("_ARCHIVE_SAVE_AS") and isinstance(value, str)
    ]

    def kind(path: str) -> str:
        name = path.rsplit("/", 1)[-1]
        if path.startswith("pagefind/"):
            return "search index"
        if path.startswith("feeds/") or name.endswith((".atom.xml", ".rss.xml")) or name == "feed.json":
            return "feeds"
        if article and article.match(path):
            return "article pages"
        if tag and tag.match(path):
            return "tag pages"
        if any(p and p.match(path) for p in lists):
            return "index pages"
        return "other"

    return kind


# The parts of an article page a weekly post can change, as the theme marks them.
SECTIONS = {
    "previous/next": re.compile(r'<nav class="series-nav".*?</ul>', re.S),
    "jump list": re.compile(r'<details class="series-jump">.*?</details>', re.S),
    "related": re.compile(r'<section class="related".*?</section>', re.S),
}


def sections(html: str) -> dict[str, str]:
    """An article page cut into the parts in SECTIONS and "the rest" (everything else)."""
    found, rest = {}, html
    for name, pattern in SECTIONS.items():
        match = pattern.search(rest)
        found[name] = match.group(0) if match else ""
        if match:
            rest = rest[: match.start()] + rest[match.end() :]
    found["the rest"] = rest
    return found


def article_sections(output: Path, paths: list[str]) -> dict[str, dict[str, str]]:
    return {p: sections((output / p).read_text("utf-8")) for p in paths}


def section_changes(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> dict[str, int]:
    """On how many article pages (present in both) each part changed."""
    counts = Counter()
    for path in before.keys() & after.keys():
        for name, text in after[path].items():
            if before[path].get(name) != text:
                counts[name] += 1
    return {name: counts[name] for name in [*SECTIONS, "the rest"]}


def site_settings(site: Path) -> dict:
    """The site's Pelican settings, read the way Pelican reads them."""
    from pelican.settings import read_settings

    return read_settings(str(site / "pelicanconf.py"))


def floor(site: Path, *args: str) -> None:
    proc = subprocess.run([FLOOR, "--site", str(site), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"floor {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")


def compare(before: dict[str, bytes], after: dict[str, bytes], kind: Callable[[str], str]) -> dict:
    """Per kind: how many files there are now, and how many changed, appeared or went away."""
    table = {k: Counter() for k in KINDS}
    for path, digest in after.items():
        row = table[kind(path)]
        row["files"] += 1
        if path not in before:
            row["added"] += 1
        elif before[path] != digest:
            row["changed"] += 1
    for path in before.keys() - after.keys():
        table[kind(path)]["removed"] += 1
    others = sorted(p for p in after if kind(p) == "other" and before.get(p) != after[p])
    return {
        "kinds": {k: {f: table[k][f] for f in ("files", "changed", "added", "removed")} for k in KINDS},
        "other_touched": others,
    }


def related_churn(posts: int, weeks: int, limit: int) -> list[int]:
    """For each of ``weeks`` posts added after ``posts``: how many older related sets change."""
    from from_the_floor.web import navigation

    generated = generate_site.make_posts(posts + weeks)
    items = [(p.number, p.number, tuple(p.tags)) for p in generated]
    changed = []
    before = navigation.related_by_tags(items[:posts], limit)
    for count in range(posts + 1, posts + weeks + 1):
        after = navigation.related_by_tags(items[:count], limit)
        changed.append(sum(1 for key, picks in before.items() if after[key] != picks))
        before = after
    return changed


def run(work: Path, posts: int, queued: int) -> dict:
    generate_site.generate(work, posts, queued=queued)
    info = json.loads((work / "bench-site.json").read_text("utf-8"))
    site = work / "floor"
    last_week = generate_site.LAST_POST_DAY.isoformat()
    kind = classifier(site_settings(site))
    floor(site, "--today", last_week, "build")
    before = output_digests(site / "output")
    articles = [p for p in before if kind(p) == "article pages"]
    parts_before = article_sections(site / "output", articles)
    floor(site, "--today", info["next_publish_day"], "publish")
    floor(site, "--today", info["next_publish_day"], "build")
    after = output_digests(site / "output")
    result = compare(before, after, kind)
    result["article_parts_changed"] = section_changes(
        parts_before, article_sections(site / "output", [p for p in articles if p in after])
    )
    result.update(posts=posts, queued=queued, built_on=last_week, published_on=info["next_publish_day"])
    return result


def render(result: dict) -> str:
    lines = [
        f"One weekly post on a {result['posts']:,}-post site "
        f"(built {result['built_on']}, then publish + build {result['published_on']}):",
        "",
        f"{'kind':<15}{'files':>8}{'changed':>9}{'added':>7}{'removed':>9}",
    ]
    total = Counter()
    for kind, row in result["kinds"].items():
        total.update(row)
        lines.append(f"{kind:<15}{row['files']:>8}{row['changed']:>9}{row['added']:>7}{row['removed']:>9}")
    lines.append(
        f"{'all':<15}{total['files']:>8}{total['changed']:>9}{total['added']:>7}{total['removed']:>9}"
    )
    touched = total["changed"] + total["added"] + total["removed"]
    lines += ["", f"written again at best: {touched} of {total['files']} files"]
    parts = ", ".join(f"{name} {n}" for name, n in result["article_parts_changed"].items())
    lines.append(f"earlier article pages whose part changed: {parts}")
    if result.get("related_churn"):
        churn = result["related_churn"]
        lines.append(
            f"related sets changed by each of the next {len(churn)} weekly posts: "
            f"total {sum(churn)}, median {statistics.median(churn):g}, max {max(churn)}"
        )
    if result["other_touched"]:
        lines.append("other files touched: " + ", ".join(result["other_touched"][:20]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--queued", type=int, default=3, help="answered questions waiting (at least 1)")
    parser.add_argument("--weeks", type=int, default=0, help="also replay N weekly posts' related sets")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (else a temporary one)")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    if args.queued < 1:
        parser.error("--queued must be at least 1: the weekly job needs a question to publish")
    with contextlib.ExitStack() as stack:
        if args.keep:
            work = args.keep
            shutil.rmtree(work, ignore_errors=True)
        else:
            room = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="floor-touched-", dir=room)))
        result = run(work, args.posts, args.queued)
    if args.weeks > 0:
        from from_the_floor.core.settings import READER_SITE_DEFAULTS

        result["related_churn"] = related_churn(args.posts, args.weeks, READER_SITE_DEFAULTS["FLOOR_RELATED"])
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
