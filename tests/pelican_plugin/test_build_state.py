"""The build's own state: --today and the guard's verdict travel in the build's settings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from from_the_floor.pelican_plugin import build_state
from helpers_floor import ok, question_text, run_floor, write_question


def test_the_builds_today_wins_over_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("FLOOR_TODAY", "2026-01-05")
    settings: dict = {build_state.TODAY: "2027-03-01"}
    assert build_state.now(settings, ZoneInfo("Europe/London")).date() == dt.date(2027, 3, 1)
    # a plain `pelican` run: only what the author set in the environment
    assert build_state.today({}) == "2026-01-05"
    monkeypatch.delenv("FLOOR_TODAY")
    assert build_state.today({}) is None


def test_the_guard_verdict_belongs_to_one_build() -> None:
    first, second = {}, {}
    build_state.mark_guarded(first)
    assert build_state.guarded(first) and not build_state.guarded(second)
    build_state.mark_guarded(first, False)  # a preview's next generation starts unguarded
    assert not build_state.guarded(first)


def test_floor_build_hands_its_today_to_the_plugins_not_the_environment(site) -> None:
    """`--today` given to `floor build` dates the About page's forecast even when the
    environment says otherwise: the build's settings carry it. An answered question waits for
    its slot, so the forecast names a planned last post, the one forecast that says its day."""
    write_question(
        site, "is-it-planned", question_text("Is it planned?", asked="2026-05-25", quick="Yes.", body="B.")
    )
    out = ok(run_floor("--today", "2027-02-01", "build", site=site, today="2026-06-01"))
    assert "built" in out
    about = (site / "output" / "about" / "index.html").read_text(encoding="utf-8")
    assert 'Forecast as of <time datetime="2027-02-01">' in about
    assert "1 February 2027" in about and "1 June 2026" not in about
