"""Bench, not test: what a reader downloads to read one post, and Lighthouse's view of it.

    python bench/bench_pages.py                  # the demo site
    python bench/bench_pages.py --posts 1000     # a generated column (bench/generate_site.py)
    python bench/bench_pages.py --no-lighthouse

Builds a copy of the site with the production settings (publishconf.py, SITEURL
set to a local server, FLOOR_TODAY fixed), then for every post page prints the
HTML and the stylesheets it links, gzipped (level 6, a common server default),
and the scripts a reader would have to run to read it (target: 15 KB, 0 scripts;
JSON-LD is data, not a script). If Lighthouse is installed (`scripts/install-system-deps.sh
--bench`), it audits the median-sized post with Debian's Chromium and prints the
four category scores (target: 100 each). docs/reader-site.md records the figures.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"
TARGET = 15 * 1024
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
NOT_SITE = {".git", ".venv", "output", ".cache", "node_modules", "test-artifacts", "bench", "tests"}

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def floor() -> list[str]:
    script = Path(sys.executable).with_name("floor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "from_the_floor.cli"]


def site_copy(work: Path, posts: int | None) -> Path:
    if posts:
        sys.path.insert(0, str(REPO / "bench"))
        import generate_site

        return generate_site.generate(work / "generated", posts)["floor"]
    root = work / "demo"
    shutil.copytree(
        REPO, root, ignore=lambda d, names: {n for n in names if Path(d) == REPO and n in NOT_SITE}
    )
    return root


def build(root: Path, siteurl: str) -> Path:
    env = {**os.environ, "FLOOR_TODAY": TODAY, "FLOOR_SITEURL": siteurl, "PYTHONUTF8": "1"}
    result = subprocess.run(
        [*floor(), "--site", str(root), "build", "--settings", "publishconf.py"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"floor build failed:\n{result.stdout}\n{result.stderr}")
    return root / "output"


def measure(output: Path, siteurl: str) -> list[dict]:
    """Per post page: HTML and CSS bytes (raw and gzipped) and the scripts it runs."""
    rows = []
    for page in sorted((output / "floor").glob("*/index.html")):
        html = page.read_bytes()
        text = html.decode("utf-8")
        css = b""
        for href in _STYLESHEET.findall(text):
            css += (output / href.removeprefix(siteurl).lstrip("/")).read_bytes()
        scripts = [attrs for attrs in _SCRIPT.findall(text) if "application/ld+json" not in attrs]
        rows.append(
            {
                "page": page.parent.name,
                "html": len(html),
                "html_gz": gz(html),
                "css_gz": gz(css),
                "total_gz": gz(html) + gz(css),
                "scripts": len(scripts),
            }
        )
    return rows


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def lighthouse(url: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        result = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                f"--only-categories={','.join(CATEGORIES)}",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
            ],
            env={**os.environ, "CHROME_PATH": CHROME},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0 or not report.is_file():
            print(f"lighthouse failed (exit {result.returncode}): {result.stderr.strip()[-500:]}")
            return {}
        data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    for name in CATEGORIES:
        for ref in data["categories"][name]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                print(f"  {name}: {ref['id']} scored {audit['score']} {audit.get('displayValue', '')}")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, help="bench a generated column of N posts instead of the demo")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        siteurl = f"http://127.0.0.1:{port}"
        output = build(site_copy(Path(tmp), args.posts), siteurl)
        rows = measure(output, siteurl)
        if not rows:
            sys.exit("no post pages were built")
        width = max(len(r["page"]) for r in rows[:20])
        print(f"{'post page':<{width}}  {'HTML':>7}  {'HTML gz':>7}  {'CSS gz':>6}  {'total gz':>8}  scripts")
        for r in rows[:20]:
            print(
                f"{r['page']:<{width}}  {r['html']:>7}  {r['html_gz']:>7}  {r['css_gz']:>6}"
                f"  {r['total_gz']:>8}  {r['scripts']:>7}"
            )
        if len(rows) > 20:
            print(f"… {len(rows) - 20} more")
        totals = [r["total_gz"] for r in rows]
        worst = max(totals)
        print(
            f"\n{len(rows)} post pages; HTML + CSS gzipped: median {statistics.median(totals):.0f} B, "
            f"max {worst} B ({worst / 1024:.1f} KB; target <= {TARGET // 1024} KB: "
            f"{'met' if worst <= TARGET else 'MISSED'}); "
            f"scripts needed to read: {max(r['scripts'] for r in rows)}"
        )

        if args.no_lighthouse:
            return 0
        if not LIGHTHOUSE.exists() or not Path(CHROME).exists():
            print("Lighthouse skipped: run scripts/install-system-deps.sh --bench (and install chromium)")
            return 0
        median_page = sorted(rows, key=lambda r: r["total_gz"])[len(rows) // 2]["page"]
        server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(output)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"{siteurl}/floor/{median_page}/"
            print(f"\nLighthouse (Debian chromium, headless, default mobile emulation) for {url}")
            scores = lighthouse(url)
        finally:
            server.shutdown()
            server.server_close()
        if scores:
            print("  " + "  ".join(f"{name} {score}" for name, score in scores.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
