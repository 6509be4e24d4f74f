"""A week with nothing to publish leaves the About page's bytes alone when its forecast does not move.

The About and Stats pages include the forecast. "Forecast as of <day>" is said only beside a
forecast that depends on the day (when the last planned answer goes out); beside "every question
so far has been answered" it named only the build's day, so every empty week's build changed
about/ and an unattended weekly job deployed it again.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers_floor import ok, run_floor

QID = "how-do-you-pick"


def test_an_empty_week_leaves_the_about_page_as_it_was(site: Path) -> None:
    ok(run_floor("ask", "How do you pick?", site=site, today="2026-12-06"))
    ok(run_floor("answer", QID, "--quick", "Y.", "--body", "B.", site=site))
    ok(run_floor("publish", site=site, today="2026-12-07"))
    about = site / "output" / "about" / "index.html"
    ok(run_floor("build", site=site, today="2026-12-08"))
    before = about.read_bytes()
    ok(run_floor("build", site=site, today="2026-12-15"))
    assert about.read_bytes() == before
    assert b"Every question so far has been answered or declined." in before
    assert b"Forecast as of" not in before
    # a forecast that does depend on the day still says which day it was made
    ok(run_floor("ask", "Do you skip a week?", site=site, today="2026-12-15"))
    ok(run_floor("answer", "do-you-skip-a-week", "--quick", "Y.", "--body", "B.", site=site))
    ok(run_floor("build", site=site, today="2026-12-15"))
    page = about.read_text(encoding="utf-8")
    assert "the last answer planned so far goes out on" in page
    assert 'Forecast as of <time datetime="2026-12-15">' in page


LIVE = {"FLOOR_SITEURL": "https://column.example.org"}


def _weekly_build(site: Path, day: str) -> str:
    """The build the weekly job runs: publishconf.py, with the site's address (so a sitemap)."""
    return ok(run_floor("build", "--settings", "publishconf.py", site=site, env=LIVE, today=day))


def test_an_empty_week_leaves_the_stats_page_and_the_sitemap_as_they_were(site: Path) -> None:
    """With nothing planned, the burndown ends on the day the count last moved and says so, and the
    sitemap gives the Stats page that day: empty weeks add no point, change no byte."""
    ok(run_floor("ask", "How do you pick?", site=site, today="2026-12-01"))
    ok(run_floor("answer", QID, "--quick", "Y.", "--body", "B.", site=site))
    ok(run_floor("publish", site=site, today="2026-12-07"))
    out = site / "output"
    _weekly_build(site, "2026-12-07")
    stats_page, sitemap = out / "stats" / "index.html", out / "sitemap.xml"
    first = stats_page.read_text(encoding="utf-8")
    assert "No question has been asked" not in first, "the post went out today: the chart is today's"
    assert "<lastmod>2026-12-07</lastmod>" in sitemap.read_text(encoding="utf-8")
    _weekly_build(site, "2026-12-14")
    quiet, listed = stats_page.read_bytes(), sitemap.read_bytes()
    for day in ("2026-12-21", "2026-12-28"):
        _weekly_build(site, day)
        assert stats_page.read_bytes() == quiet, day
        assert sitemap.read_bytes() == listed, day
    page = quiet.decode("utf-8")
    assert 'No question has been asked, and no answer published, since <time datetime="2026-12-07">' in page
    assert "2026-12-14" not in page and "2026-12-28" not in page
    stats_entry = re.search(r"<url><loc>[^<]*/stats/</loc><lastmod>([^<]*)</lastmod>", listed.decode())
    assert stats_entry and stats_entry.group(1) == "2026-12-07"

    # a new question moves the count: the chart runs to its day again, and the page says nothing old
    ok(run_floor("ask", "Do you skip a week?", site=site, today="2027-01-04"))
    _weekly_build(site, "2027-01-04")
    page = stats_page.read_text(encoding="utf-8")
    assert "No question has been asked" not in page and 'datetime="2027-01-04"' in page
    assert "<lastmod>2027-01-04</lastmod>" in sitemap.read_text(encoding="utf-8")
