"""Bench (not a test): the desk's whole-page preview of a queued question, on a site of N posts.

    .venv/bin/python bench/bench_desk.py [--posts 200] [--edits 5]

A `floor init` site with N generated published posts and one queued question.
Prints the seconds for the first preview (the shadow site made and generated
by the live preview's engine: Pelican imported, every post read) and the
median of ``--edits`` previews after an answer was saved (the engine patches
the one post). The keystroke preview does not use the engine (the post's text
is redrawn by the build's own function in the browser).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from from_the_floor.commands import init_site, questions
from from_the_floor.core import clock
from from_the_floor.core.site import Site
from from_the_floor.desk.page_preview import PagePreview
from generate_site import floor_file, make_posts

TODAY = "2026-11-09"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        init_site.create(root, title="Bench Column", author="Bench", timezone="UTC")
        for post in make_posts(args.posts):
            (root / "content" / "floor" / f"{post.id}.md").write_text(floor_file(post), encoding="utf-8")
        (root / "questions" / "benched.md").write_text(
            "---\nquestion: Is the desk quick?\nasked: 2026-11-01\nquick_answer:\n---\n", encoding="utf-8"
        )
        site = Site(root)
        now = clock.now(site.settings.timezone, TODAY)
        pages = PagePreview(site, today=TODAY)
        started = time.perf_counter()
        pages.render(questions.find(site, "benched"), now)
        first = time.perf_counter() - started
        times = []
        for n in range(args.edits):
            q = questions.answer(site, "benched", f"Yes {n}.", f"Answer number {n}.\n")
            started = time.perf_counter()
            page = pages.render(q, now)
            times.append(time.perf_counter() - started)
            assert f"Answer number {n}.".encode() in page
        pages.close()
    print(f"posts: {args.posts}")
    print(f"first whole-page preview: {first:.2f} s")
    print(f"after a saved answer (median of {args.edits}): {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
