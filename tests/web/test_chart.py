"""chart: the burndown as inline SVG — drawn by pygal, no script, same bytes every build."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from from_the_floor.core import i18n
from from_the_floor.core.stats import Point
from from_the_floor.web import chart

SVG = "{http://www.w3.org/2000/svg}"
START = dt.date(2026, 10, 4)
HISTORY = [Point(START + dt.timedelta(days=7 * i), n) for i, n in enumerate([1, 3, 4, 4, 5])]
FORECAST = [Point(HISTORY[-1].day, 5), Point(dt.date(2026, 11, 16), 4), Point(dt.date(2026, 11, 23), 2)]


def test_an_accessible_inline_svg_without_script():
    svg = chart.burndown_svg(HISTORY, FORECAST)
    assert svg is not None and svg.startswith("<svg ")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert "forecast: 2 by 23 November 2026" in root.get("aria-label")
    assert not list(root.iter(f"{SVG}script"))
    assert "<script" not in svg and "<!--" not in svg
    assert "var(--accent)" in svg and "var(--mark)" in svg, "colours follow the theme (dark mode)"
    lines = [p for p in root.iter(f"{SVG}path") if "line" in (p.get("class") or "").split()]
    assert len([p for p in lines if "reactive" in p.get("class")]) == 2, "history and forecast"


def test_the_chart_draws_no_legend():
    """The legend told the lines apart by colour squares alone, at 9 px on a phone (it shrinks
    with the chart); the page's caption says which line is which (solid, dashed)."""
    for lang in ("en", "fr"):
        svg = chart.burndown_svg(HISTORY, FORECAST, lang=i18n.language(lang))
        assert not [g for g in ET.fromstring(svg).iter(f"{SVG}g") if "legends" in (g.get("class") or "")]
        assert not {"Waiting", "Forecast", "En attente", "Prévision"} & set(labels(svg))


def test_deterministic_output():
    assert chart.burndown_svg(HISTORY, FORECAST) == chart.burndown_svg(HISTORY, FORECAST)


def labels(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.text]


def test_labels_are_whole_numbers_and_dates():
    short = labels(chart.burndown_svg(HISTORY, []))  # five weeks: weekly dates
    assert "4 Oct" in short and "1 Nov" in short
    assert "0" in short and "5" in short
    assert not [t for t in short if t.replace(".", "").isdigit() and "." in t], "whole questions only"
    long = [Point(START + dt.timedelta(days=7 * i), i % 4) for i in range(40)]  # months
    assert {"Nov 2026", "Jan 2027"} <= set(labels(chart.burndown_svg(long, [])))


def test_nothing_to_draw():
    assert chart.burndown_svg([], []) is None
    assert chart.summary([], []) == "No questions yet, so nothing to chart."


def test_a_peak_that_is_today_is_said_once():
    """A new column's chart (one week, or a queue still growing) named the same figure and day
    twice: "a peak of 2 on 14 December 2026, 2 on 14 December 2026"."""
    today = [Point(dt.date(2026, 12, 14), 2)]
    assert chart.summary(today, []) == (
        "Questions waiting for an answer, week by week: 2 on 14 December 2026, the most so far."
    )
    assert chart.summary(HISTORY, FORECAST) == (
        "Questions waiting for an answer, week by week: 5 on 1 November 2026, the most so far; "
        "forecast: 2 by 23 November 2026 if no new questions arrive."
    )
    assert chart.summary([Point(dt.date(2026, 12, 1), 0)], []) == (
        "Questions waiting for an answer, week by week: none so far."
    )
    falling = [*HISTORY, Point(dt.date(2026, 11, 8), 3)]
    assert chart.summary(falling, []) == (
        "Questions waiting for an answer, week by week: a peak of 5 on 1 November 2026, 3 on 8 November 2026."
    )
