"""A week with nothing to publish leaves the About page's bytes alone when its forecast does not move.

The About and Stats pages include the forecast. "Forecast as of <day>" is said only beside a
forecast that depends on the day (when the last planned answer goes out); beside "every question
so far has been answered" it named only the build's day, so every empty week's build changed
about/ and an unattended weekly job deployed it again.
"""

from __future__ import annotations

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
