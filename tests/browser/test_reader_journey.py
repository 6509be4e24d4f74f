"""A reader's journey through the built demo site in a real Chromium, plus the
theme's promises: dark mode, the skip link, 320 px without sideways scrolling,
a print stylesheet, reading without JavaScript, and screenshots for review."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import feedparser
import pytest

pytestmark = pytest.mark.browser

NUMBER = re.compile(r"From the Floor #(\d+)")


def words(text: str) -> str:
    """Text with markup removed and whitespace collapsed, for comparing prose."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def post_number(page) -> int:
    """The number in the line above the headline ("From the Floor #3": the demo's name)."""
    match = NUMBER.search(page.locator("main hgroup .post-series").text_content() or "")
    assert match, f"no 'From the Floor #N' above the headline on {page.url}"
    return int(match.group(1))


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of a computed 'rgb(r, g, b)' colour."""
    r, g, b = (int(float(c)) / 255 for c in re.findall(r"[\d.]+", css_colour)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_home_post_next_tag_feed(new_page, site_url):
    page = new_page()
    page.goto("/")
    assert page.locator("main h1").count() == 1

    # Home → a post that has a successor in the series (not the latest one).
    older = page.locator("main .post-list a")
    assert older.count() >= 1, "the home page lists no earlier posts"
    older.last.click()
    page.wait_for_load_state()
    assert "/floor/" in page.url
    first = post_number(page)
    # the reader's question is the page's one heading of level 1, in the <title> too
    headline = page.locator("main hgroup h1").inner_text().strip()
    assert headline.endswith("?") and page.title().startswith(headline)
    assert page.get_by_role("heading", level=1).count() == 1
    for label in ("Quick answer", "More thoughtful answer"):
        assert page.get_by_role("heading", name=label).is_visible()

    # → next in the series.
    series = page.get_by_role("navigation", name=re.compile("series", re.I))
    series.locator("a[rel=next]").click()
    page.wait_for_load_state()
    assert post_number(page) == first + 1
    post_url = page.url
    answer = words(page.locator("main .floor-thoughtful-answer").first.inner_html())
    assert len(answer) > 80, "the post shows no thoughtful answer"

    # → one of its tags.
    tag = page.locator("main .post-tags a").first
    tag_name = tag.inner_text().strip()
    tag.click()
    page.wait_for_load_state()
    assert "/tag/" in page.url
    assert tag_name in page.locator("main h1").inner_text()
    listed = [
        urljoin(page.url, h)
        for h in page.locator("main .post-list a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    ]
    assert post_url in listed, "the tag page does not list the post it was reached from"

    # → the feed the site links to answers 200, parses, and carries the full answers.
    feed_link = page.get_by_role("link", name=re.compile(r"^feed", re.I)).first
    feed_url = urljoin(page.url, feed_link.get_attribute("href"))
    response = page.request.get(feed_url)
    assert response.status == 200, f"{feed_url} answered {response.status}"
    feed = feedparser.parse(
        response.body(), response_headers={**response.headers, "content-location": feed_url}
    )
    assert not feed.bozo, f"{feed_url} does not parse: {feed.get('bozo_exception')}"
    assert len(feed.entries) >= 2
    for entry in feed.entries:
        full = words(" ".join(c.value for c in entry.get("content", [])))
        assert "More thoughtful answer" in full, f"feed entry {entry.link} lacks the thoughtful answer"
    entry = next(
        (e for e in feed.entries if urljoin(site_url + "/", e.link) == post_url),
        None,
    )
    assert entry is not None, f"{post_url} is not in the feed"
    assert answer in words(entry.content[0].value)


def test_dark_mode_follows_the_system_setting(new_page, site_paths):
    colours = {}
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto(site_paths["post"])
        colours[scheme] = page.evaluate(
            """() => {
                const s = getComputedStyle(document.body);
                return [s.backgroundColor, s.color];
            }"""
        )
    light_bg, light_fg = colours["light"]
    dark_bg, dark_fg = colours["dark"]
    assert dark_bg != light_bg
    assert luminance(light_bg) > 0.8, f"light background {light_bg} is not light"
    assert luminance(light_fg) < 0.05, f"light-mode text {light_fg} is not dark"
    assert luminance(dark_bg) < 0.05, f"dark background {dark_bg} is not dark"
    assert luminance(dark_fg) > 0.6, f"dark-mode text {dark_fg} is not light"


def test_skip_link_is_first_and_moves_focus_to_main(new_page, site_paths):
    page = new_page()
    page.goto(site_paths["post"])
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.hash]")
    assert focused == ["skip-link", "#main"], f"first Tab focused {focused}"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 20, "focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"


@pytest.mark.parametrize("kind", ["home", "post", "tag", "tags", "archives", "about"])
def test_no_horizontal_scrolling_at_320px(new_page, site_paths, kind):
    page = new_page(width=320, height=640)
    page.goto(site_paths[kind])
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{kind} scrolls sideways at 320 px: {widths}"


def test_print_stylesheet_hides_navigation(new_page, site_paths):
    page = new_page()
    page.goto(site_paths["post"])
    nav = page.get_by_role("navigation", name="Site")
    assert nav.is_visible()
    page.emulate_media(media="print")
    assert not nav.is_visible()
    assert page.locator("main .floor-thoughtful-answer").is_visible()


def test_a_post_reads_without_javascript(new_page, site_paths):
    page = new_page(javascript=False)
    page.goto(site_paths["post"])
    for selector in ("h1", ".floor-quick-answer", ".floor-thoughtful-answer"):
        assert page.locator(f"main {selector}").first.is_visible()


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots(new_page, site_paths, artifacts_dir, width):
    for kind in ("home", "post"):
        for scheme in ("light", "dark"):
            page = new_page(width=width, height=800, color_scheme=scheme)
            page.goto(site_paths[kind])
            target = artifacts_dir / f"{kind}-{width}{'-dark' if scheme == 'dark' else ''}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 1000
