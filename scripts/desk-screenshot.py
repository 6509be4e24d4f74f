#!/usr/bin/env python3
"""Take docs/desk.png, the README's picture of the desk: a new column, two questions, one being answered.

Run with the dev venv (`.venv/bin/python scripts/desk-screenshot.py`); needs Debian's chromium.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from from_the_floor.core.site import Site
from from_the_floor.desk import server
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-09"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        floor = [str(Path(sys.executable).with_name("floor")), "--site", str(root)]
        subprocess.run(
            [*floor[:1], "init", str(root), "--title", "Ask Robin", "--author", "Robin"],
            check=True,
            capture_output=True,
        )
        for text, tag in [
            ("Do you really read every comment?", "listening"),
            ("How do you decide which questions to answer first?", "process"),
        ]:
            subprocess.run(
                [*floor, "ask", text, "--asker", "Sam", "--tag", tag, "--asked", "2026-11-02"],
                check=True,
                capture_output=True,
            )
        with server.running(Site(root), 0, today=TODAY) as run, sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1180, "height": 760})
            page.goto(run.url)
            page.goto(f"http://127.0.0.1:{run.port}/q/do-you-really-read-every-comment")
            page.get_by_label("Quick answer").fill("Every one, though not always on the day it arrives.")
            page.get_by_label("More thoughtful answer").fill(
                "I read them on **Sunday mornings**, with coffee.\n\nThe ones that ask something land here."
            )
            page.frame_locator("#preview-frame").locator(".floor-thoughtful-answer strong").wait_for(
                timeout=120_000
            )
            page.screenshot(path=str(REPO / "docs" / "desk.png"))
            browser.close()


if __name__ == "__main__":
    main()
