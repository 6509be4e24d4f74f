"""The burndown chart, drawn to SVG at build time with pygal.

Why pygal: it is a charting library whose only output is SVG, pure Python
with no compiled dependencies (matplotlib would add numpy, Pillow and ~50 MB
to every build machine, and draws text as paths unless told otherwise). Its
colours go into a <style> block, so they can be the theme's CSS custom
properties: the chart inlined in the page follows light and dark mode. We
turn its JavaScript off (``js=[]``, and drop the config <script> it still
writes): the chart needs none to be read.

The output is made deterministic — pygal stamps a random id and today's date
into each chart — so a rebuild with the same data writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence

from ..core.i18n import ENGLISH, Language
from ..core.stats import Point

CHART_ID = "floor-burndown"
_UUID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


def _style():
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="var(--fg)",
        foreground_strong="var(--fg)",
        foreground_subtle="var(--rule)",
        colors=("var(--accent)", "var(--mark)"),
        font_family="inherit",
        label_font_size=14,
        major_label_font_size=14,
        legend_font_size=15,
        title_font_size=16,
        guide_stroke_color="var(--rule)",
        major_guide_stroke_color="var(--rule)",
        opacity="1",
        opacity_hover="1",
        transition="0s",
    )


def _y_labels(top: int) -> list[int]:
    """Whole-number ticks (questions come in ones), at most about six of them."""
    step = max(1, -(-top // 5))
    return list(range(0, top + step, step))


def _x_labels(first: dt.date, last: dt.date) -> tuple[list[dt.date], str]:
    """Ticks and the date form (core/i18n.py) they are written in."""
    """About six dates to label: month starts for a long column, weeks for a short one."""
    months = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if len(months) >= 2:
        ticks, fmt = months, "month"
    else:
        ticks = [first + dt.timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]
        fmt = "day"
    step = -(-len(ticks) // 6)
    return ticks[::step], fmt


# pygal draws every line 1px wide (its .reactive rule beats the series' stroke width);
# the forecast's dashes go on its line, and guides are drawn solid and faint.
EXTRA_CSS = (
    f"#{CHART_ID} .series .line{{stroke-width:3px}}"
    f"#{CHART_ID} .serie-1 .line{{stroke-dasharray:9 6}}"
    f"#{CHART_ID} .axis .guide.line{{stroke-dasharray:none}}"
)


def summary(history: Sequence[Point], forecast: Sequence[Point], lang: Language = ENGLISH) -> str:
    """The chart in one sentence: its accessible name."""
    if not history:
        return lang.gettext("No questions yet, so nothing to chart.")
    peak = max(history, key=lambda p: p.waiting)
    now = history[-1]
    values = {
        "peak": peak.waiting,
        "peak_date": lang.date(peak.day),
        "now": now.waiting,
        "now_date": lang.date(now.day),
    }
    # the peak is today's figure (a new column, a growing queue): said once, not twice
    at_peak = peak.day == now.day
    if not peak.waiting:
        return lang.gettext("Questions waiting for an answer, week by week: none so far.")
    if not forecast:
        if at_peak:
            return (
                lang.gettext(
                    "Questions waiting for an answer, week by week: %(now)d on %(now_date)s, the most so far."
                )
                % values
            )
        return (
            lang.gettext(
                "Questions waiting for an answer, week by week: a peak of %(peak)d on %(peak_date)s, "
                "%(now)d on %(now_date)s."
            )
            % values
        )
    end = forecast[-1]
    if at_peak:
        return lang.gettext(
            "Questions waiting for an answer, week by week: %(now)d on %(now_date)s, the most so far; "
            "forecast: %(end)d by %(end_date)s if no new questions arrive."
        ) % {**values, "end": end.waiting, "end_date": lang.date(end.day)}
    return lang.gettext(
        "Questions waiting for an answer, week by week: a peak of %(peak)d on %(peak_date)s, "
        "%(now)d on %(now_date)s; forecast: %(end)d by %(end_date)s if no new questions arrive."
    ) % {**values, "end": end.waiting, "end_date": lang.date(end.day)}


def burndown_svg(
    history: Sequence[Point],
    forecast: Sequence[Point],
    *,
    width: int = 520,
    height: int = 300,
    lang: Language = ENGLISH,
) -> str | None:
    """An inline-ready <svg> (no XML declaration, no script), or None with nothing to draw.

    The last drawing is kept: a live preview asks again after every save, with the
    same figures unless a question was added, answered or published.
    """
    global _last
    key = (tuple(history), tuple(forecast), width, height, lang.code)
    if _last is None or _last[0] != key:
        _last = (key, _draw(history, forecast, width, height, lang))
    return _last[1]


_last: tuple[tuple, str | None] | None = None

# The theme's light colours (theme/static/css/floor.css), for a chart shown on its own: drawn
# inline, the chart takes them from the page's custom properties; opened as an image (the desk's
# <img>), it sees no page, every var() was unset and the lines were drawn in no colour at all.
OWN_COLOURS = "--fg:#1d1d1b;--accent:#0b5cad;--mark:#a3361b;--rule:#d9d6cc"


def standalone(svg: str) -> str:
    """The chart's SVG as a document of its own: it sets the colours its style reads."""
    return re.sub(r"(<style\b[^>]*>)", rf"\1#{CHART_ID}{{{OWN_COLOURS}}}", svg, count=1)


def _draw(
    history: Sequence[Point], forecast: Sequence[Point], width: int, height: int, lang: Language
) -> str | None:
    if not history:
        return None
    import pygal

    points = [*history, *forecast]
    top = max(max(p.waiting for p in points), 1)
    ticks, fmt = _x_labels(min(p.day for p in points), max(p.day for p in points))
    chart = pygal.DateLine(
        style=_style(),
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=width,
        height=height,
        show_dots=False,
        fill=False,
        # no legend: its colour squares told the lines apart by colour alone (the forecast is
        # told by its dashes), and drawn in the chart it shrank with it (9 px text on a phone);
        # the page's caption says which line is which, in text that reflows at any width
        show_legend=False,
        show_x_guides=False,
        x_labels=ticks,
        truncate_label=-1,
        x_value_formatter=lambda d: lang.date(d, fmt),
        y_labels=_y_labels(top),
        range=(0, _y_labels(top)[-1]),
        margin=8,
        margin_right=36,
        spacing=12,
        tooltip_border_radius=0,
    )
    # the series' names are drawn nowhere (no legend, no tooltips): not words for the catalogue
    chart.add("waiting", [(p.day, p.waiting) for p in history])
    if forecast:
        chart.add("forecast", [(p.day, p.waiting) for p in forecast])
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))  # pygal's tooltip config: no JS here
    svg = _UUID.sub(CHART_ID, svg)
    label = html.escape(summary(history, forecast, lang), quote=True)
    head, _, tail = svg.rpartition("</style>")
    svg = head + EXTRA_CSS + "</style>" + tail
    svg = re.sub(r"<title>Pygal</title>", f"<title>{label}</title>", svg, count=1)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
