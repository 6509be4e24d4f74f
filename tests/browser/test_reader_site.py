"""The reader's pages in a real Chromium: search with the real Pagefind index, About with the
forecast, Ask, Stats with its build-time chart, and what surrounds a post (jump to any part,
related questions, share links). Numbers are checked against the `floor` CLI on the same site."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
from test_accessibility import WCAG_TAGS, describe, run_axe

pytestmark = pytest.mark.browser

NEW_PAGES = ["ask", "stats", "comment_policy", "search"]


def question_of(page) -> str:
    return page.locator("main h1").first.inner_text().strip()


def search_for(page, words: str) -> list[str]:
    """Type into the search form, submit, and return the result links (absolute)."""
    page.get_by_label("Words to look for").fill(words)
    page.get_by_role("button", name="Search").click()
    page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
    hrefs = page.locator("#search-results a").evaluate_all("links => links.map(a => a.href)")
    return hrefs


def test_search_finds_a_post_with_the_real_pagefind_index(new_page, site_paths, site_url, built_site):
    assert (built_site / "pagefind" / "pagefind.js").is_file(), "the build did not run Pagefind"
    page = new_page()
    page.goto(site_paths["post"])
    post_url = page.url
    # the longest word of the post's question: specific enough to find it
    word = max(re.findall(r"[A-Za-z]{4,}", question_of(page)), key=len)

    page.goto("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Search").click()
    page.wait_for_load_state()
    results = search_for(page, word)
    assert post_url in results, f"searching {word!r} found {results}"
    assert page.locator("#search-results mark").count() >= 1, "the hit is highlighted"
    assert f"q={word}" in page.url, "the query is kept in the address, so a search can be shared"

    page.locator(f'#search-results a[href="{urlsplit(post_url).path}"]').first.click()
    page.wait_for_load_state()
    assert page.url == post_url
    assert question_of(page)


def test_searching_a_tag_s_name_finds_every_post_filed_under_it(new_page, site_paths):
    """A reader who searches a tag's name ("listening" in the demo, which no answer's text holds)
    found nothing: the tags were not in the index. Every post on the tag's page is now found."""
    page = new_page()
    page.goto(site_paths["tag"])
    # the heading is "<span>Questions tagged</span> listening": the tag's name is its last words
    name = page.locator("main h1").evaluate("h => h.lastChild.textContent").strip()
    tagged = set(page.locator("main .post-list a").evaluate_all("links => links.map(a => a.href)"))
    assert name and tagged, "the tag page names a tag and lists its posts"
    page.goto(site_paths["search"])
    results = search_for(page, name)
    assert tagged <= set(results), f"searching the tag {name!r} found {results}, not all of {tagged}"


def test_a_result_s_excerpt_opens_with_the_post_s_words_not_its_title_again(new_page, site_paths):
    """The title is each result's link; the excerpt under it starts with the question's details or
    the answer (the search record holds the title apart), and a word only the title holds still
    finds the post."""
    page = new_page()
    page.goto(site_paths["post"])
    post_path = urlsplit(page.url).path
    title_words = set(re.findall(r"[A-Za-z]{5,}", question_of(page).lower()))
    rest = page.locator("main article").first.inner_text().lower().replace(question_of(page).lower(), " ")
    only_in_title = sorted(w for w in title_words if w not in rest)
    assert only_in_title, "the demo's post has a word that only its question holds"
    page.goto(f"/search/?q={only_in_title[0]}")
    page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
    found = page.locator("#search-results a").evaluate_all("links => links.map(a => a.pathname)")
    assert post_path in found, f"{only_in_title[0]!r}, in the title alone, found {found}"
    checked = 0
    for query in (only_in_title[0], "question", "answer"):
        page.goto(f"/search/?q={query}")
        page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
        items = page.locator("#search-results li")
        for i in range(items.count()):
            title = items.nth(i).locator("a").inner_text().strip()
            excerpt = items.nth(i).inner_text().strip()[len(title) :].strip()
            assert excerpt and not excerpt.startswith(title[:20]), f"{query!r}: {title!r}: {excerpt!r}"
            checked += 1
    assert checked >= 3


def test_a_search_link_runs_on_load_and_nonsense_finds_nothing(new_page):
    page = new_page()
    page.goto("/search/?q=answer")
    page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
    assert page.locator("#search-results li").count() >= 1
    assert search_for(page, "zzzyxq") == []
    assert page.locator("#search-status").inner_text().startswith("No answers found")


def test_only_posts_are_indexed(new_page, site_paths):
    page = new_page()
    page.goto("/search/?q=column")
    page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
    for href in page.locator("#search-results a").evaluate_all("links => links.map(a => a.href)"):
        assert "/floor/" in href, f"{href} is not a post"


def test_without_javascript_search_says_where_else_to_look(new_page):
    page = new_page(javascript=False)
    page.goto("/search/")
    note = page.locator("main").get_by_text("needs JavaScript")
    assert note.is_visible()
    assert page.locator("main").get_by_role("link", name="archives").is_visible()


def test_about_shows_how_it_works_and_the_forecast_from_the_plan(new_page, site_paths, floor_cli):
    plan = json.loads(floor_cli("schedule", "--json"))
    assert plan["last_post"], "the demo queue has answered questions waiting"
    page = new_page()
    page.goto(site_paths["about"])
    assert page.get_by_role("heading", name="How the column works").is_visible()
    assert page.get_by_role("heading", name="When it ends").is_visible()
    forecast = page.locator("main .about-end time").first.get_attribute("datetime")
    assert forecast == plan["last_post"]
    assert "Monday" in page.locator("main .about-column").inner_text(), "the publishing day (settings)"


def test_stats_page_numbers_match_floor_stats(new_page, site_paths, floor_cli):
    data = json.loads(floor_cli("stats", "--json"))
    page = new_page(javascript=False)  # the chart is drawn at build time: no JS needed to see it
    page.goto(site_paths["stats"])
    figures = dict(
        zip(
            page.locator("main .figures dt").all_inner_texts(),
            page.locator("main .figures dd").all_inner_texts(),
            strict=True,
        )
    )
    assert figures["Received"] == str(data["received"])
    assert figures["Answered"] == str(data["answered"])
    assert figures["Declined"] == str(data["declined"])
    assert figures["Waiting"] == str(data["waiting"])
    assert float(figures["Median days from asked to published"]) == data["median_days_asked_to_published"]
    assert page.locator("main .stats time").first.get_attribute("datetime") == data["last_post"]

    chart = page.locator("main figure.chart svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    assert chart.get_attribute("role") == "img" and "waiting" in chart.get_attribute("aria-label")
    assert page.locator("main figure.chart svg .series path.line").count() == 2, "history and forecast lines"
    rows = page.locator("main .tag-table tbody tr")
    assert rows.count() == len(data["tags"])
    assert rows.first.locator("th").inner_text() == data["tags"][0]["tag"]


def test_ask_page_uses_the_configured_channel_and_explains_privacy(new_page, site_paths):
    page = new_page()
    page.goto(site_paths["ask"])
    text = page.locator("main").inner_text()
    assert "anonymously" in text
    assert "shown only if you agree" in text
    assert "never published" in text
    link = page.get_by_role("link", name="Email your question")
    href = link.get_attribute("href")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and "@" in unquote(parts.path)
    assert parse_qs(parts.query)["subject"][0], "the subject is prefilled"


def test_jump_to_any_part_of_the_series(new_page, site_paths, built_site):
    posts = sorted((built_site / "floor").glob("*/index.html"))
    page = new_page()
    page.goto(site_paths["post"])
    jump = page.locator("main details.series-jump")
    jump.locator("summary").click()
    links = jump.locator("a")
    assert links.count() == len(posts), "a short series lists every part"
    current = jump.locator("a[aria-current=page]")
    assert current.count() == 1 and urljoin(page.url, current.get_attribute("href")) == page.url
    numbers = [int(n.strip("#")) for n in jump.locator(".n").all_inner_texts()]
    assert numbers == sorted(numbers) == list(range(1, len(posts) + 1))
    target = jump.locator("a:not([aria-current])").last
    href = urljoin(page.url, target.get_attribute("href"))
    target.click()
    page.wait_for_load_state()
    assert page.url == href


def tags_on(page) -> set[str]:
    return set(page.locator("main .post-tags a").all_inner_texts())


def test_related_questions_share_a_tag(new_page, built_site):
    checked = 0
    page = new_page()
    for post in sorted((built_site / "floor").glob("*/index.html")):
        page.goto(f"/{post.parent.relative_to(built_site).as_posix()}/")
        mine = tags_on(page)
        related = page.locator("main section.related .post-list a").evaluate_all(
            "links => links.map(a => a.href)"
        )
        assert page.url not in related
        for href in related:
            other = new_page()
            other.goto(href)
            assert mine & tags_on(other), f"{href} shares no tag with {page.url}"
            checked += 1
    assert checked, "no post has a related question in the demo"


def test_share_links_are_plain_urls_without_scripts(new_page, site_paths):
    page = new_page()
    page.goto(site_paths["post"])
    share = page.locator("main section.share")
    hrefs = share.locator("li a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs, "no share links"
    path = urlsplit(page.url).path
    for href in hrefs:
        assert urlsplit(href).scheme in {"mailto", "https"}, href
        assert path in unquote(href), f"{href} does not carry the post's address"
    scripts = page.evaluate(
        "() => [...document.scripts].map(s => [s.type, s.src ? new URL(s.src).origin : ''])"
    )
    origin = page.evaluate("() => location.origin")
    for kind, src in scripts:
        assert kind == "application/ld+json" or src == origin, f"a script from {src or 'inline'} on a post"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", NEW_PAGES)
def test_new_pages_have_no_wcag_violations(new_page, site_paths, axe_source, kind, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(site_paths[kind])
    if kind == "search":  # with results on screen
        search_for(page, "question")
    if kind == "stats":
        page.locator("main details.chart-data summary").click()
    violations = run_axe(page, axe_source, WCAG_TAGS)
    assert not violations, f"axe found on {kind} ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("kind", NEW_PAGES)
def test_new_pages_follow_axe_best_practices(new_page, site_paths, axe_source, kind):
    page = new_page()
    page.goto(site_paths[kind])
    violations = run_axe(page, axe_source, ["best-practice"])
    assert not violations, f"axe found on {kind}:\n{describe(violations)}"


def test_post_with_the_jump_list_open_has_no_wcag_violations(new_page, site_paths, axe_source):
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto(site_paths["post"])
        page.locator("main details.series-jump summary").click()
        violations = run_axe(page, axe_source, WCAG_TAGS)
        assert not violations, f"axe found on the post ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("kind", NEW_PAGES)
def test_new_pages_fit_320px(new_page, site_paths, kind):
    page = new_page(width=320, height=640)
    page.goto(site_paths[kind])
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{kind} scrolls sideways at 320 px: {widths}"
