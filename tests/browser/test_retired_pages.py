"""A retired copy of the demo site in Chromium: the archive pages pass axe (WCAG A/AA and
best practices, light and dark), the notice's links work, and a redirect-mode page is
accessible too. Reuses tests/browser/conftest.py's `browser` and `axe_source` fixtures;
the retired site is this module's own copy, built and served on an ephemeral port."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from from_the_floor.web import redirects
from helpers_floor import copy_demo_site, ok, run_floor
from helpers_serve import serve

pytestmark = pytest.mark.browser

TODAY = "2026-12-14"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def retired_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, retired (archive mode, --force: the demo still has questions) and built."""
    site = copy_demo_site(tmp_path_factory.mktemp("retired") / "site")
    ok(run_floor("retire", "--force", site=site, today=TODAY))
    ok(run_floor("build", site=site, today=TODAY))
    return site / "output"


@pytest.fixture(scope="module")
def retired_url(retired_site: Path) -> Iterator[str]:
    with serve(retired_site) as url:
        yield url


@pytest.fixture
def open_page(browser, retired_url: str):
    """open_page(path, color_scheme) → a page of the retired site; HTTP errors fail the test."""
    contexts = []
    problems: list[str] = []

    def make(path: str, color_scheme: str = "light"):
        context = browser.new_context(
            base_url=retired_url, color_scheme=color_scheme, reduced_motion="reduce"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "response",
            lambda r: (
                problems.append(f"HTTP {r.status} for {r.url}")
                if r.url.startswith(retired_url) and r.status >= 400
                else None
            ),
        )
        page.goto(path)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


def run_axe(page, axe_source: str, tags: list[str]) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            const where = (v) => v.nodes.map((n) => n.target.join(" ")).join(", ");
            return {ran: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
                    violations: r.violations.map((v) => `${v.id}: ${v.help} at ${where(v)}`)};
        }""",
        tags,
    )
    assert result["ran"] > 0, "axe ran no rules"
    return result["violations"]


def retired_paths(output: Path) -> dict[str, str]:
    post = sorted(p.parent.name for p in (output / "floor").glob("*/index.html"))[0]
    return {
        "home": "/",
        "post": f"/floor/{post}/",
        "farewell": "/farewell/",
        "complete": "/the-complete-column/",
        "archives": "/archives/",
        "tag": "/" + sorted(p.parent for p in (output / "tag").glob("*/index.html"))[0]
        .relative_to(output)
        .as_posix()
        + "/",
        "tags": "/tags/",
        "about": "/about/",
        "ask": "/ask/",
        "stats": "/stats/",
        "comment_policy": "/comment-policy/",
        "search": "/search/",
        "not_found": "/404.html",
    }


# every kind of page a reader of the ended column can reach, each with the notice on it
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "kind",
    ["home", "post", "farewell", "complete", "archives", "tag", "tags", "about", "ask", "stats",
     "comment_policy", "search", "not_found"],
)
def test_retired_pages_have_no_wcag_violations(open_page, retired_site, axe_source, kind, scheme) -> None:
    page = open_page(retired_paths(retired_site)[kind], scheme)
    assert page.get_by_role("region", name="This column has ended").is_visible()
    violations = run_axe(page, axe_source, WCAG_TAGS)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("kind", ["home", "complete"])
def test_retired_pages_follow_axe_best_practices(open_page, retired_site, axe_source, kind) -> None:
    page = open_page(retired_paths(retired_site)[kind])
    violations = run_axe(page, axe_source, ["best-practice"])
    assert not violations, "\n".join(violations)


def test_the_notice_links_lead_somewhere(open_page, retired_site) -> None:
    page = open_page("/")
    notice = page.get_by_role("region", name="This column has ended")
    for name in ("The complete column", "the whole site (zip)", "a web archive (WARC)", "The farewell"):
        href = notice.get_by_role("link", name=name).get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200, (name, href)
    notice.get_by_role("link", name="The complete column").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "The complete column"
    posts = sorted((retired_site / "floor").glob("*/index.html"))
    assert page.locator("main article.complete-post").count() == len(posts)


def test_a_redirect_page_is_accessible(browser, axe_source) -> None:
    markup = redirects.redirect_page(
        "https://new.example.org/floor/x/", title="From the Floor #1: A question?", sitename="From the Floor"
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(re.sub(r'<meta http-equiv="refresh"[^>]*>', "", markup))  # stay on the page
        assert not run_axe(page, axe_source, [*WCAG_TAGS, "best-practice"])
        assert page.get_by_role("link", name="https://new.example.org/floor/x/").is_visible()
    finally:
        context.close()
