"""On a second build of the demo (Isso comments on, one post closed with `comments: closed`,
asking through GitHub, and a published question full of `</script>`): comments load only when
asked for, closed posts say so, and reader text cannot break out of the JSON-LD script."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import extruct
import pytest
from site_variant import BREAKOUT, ISSO_URL
from test_accessibility import WCAG_TAGS, describe, run_axe

pytestmark = pytest.mark.browser

HOSTILE = "/floor/can-i-write-a-script-here/"
# Stands in for Isso's embed.min.js (the test has no network): it shows that it ran,
# with the configuration the page handed it.
STUB_ISSO = """
const me = document.querySelector('script[data-isso]');
document.getElementById('isso-thread').textContent = 'isso loaded from ' + me.dataset.isso;
"""


def closed_post(root: Path) -> str:
    for path in sorted((root / "content" / "floor").glob("*.md")):
        if "\ncomments: closed\n" in path.read_text(encoding="utf-8"):
            return f"/floor/{path.stem}/"
    raise AssertionError("the variant site has no closed post")


def open_post(root: Path) -> str:
    closed = closed_post(root)
    for path in sorted((root / "output" / "floor").glob("*/index.html")):
        url = f"/floor/{path.parent.name}/"
        if url not in (closed, HOSTILE):
            return url
    raise AssertionError("no open post")


def test_comments_load_only_when_the_reader_asks(variant_page, variant_root):
    requests: list[str] = []
    page = variant_page()
    page.on("request", lambda r: requests.append(r.url))
    page.route(
        f"{ISSO_URL}js/embed.min.js",
        lambda route: route.fulfill(body=STUB_ISSO, content_type="text/javascript"),
    )
    page.goto(open_post(variant_root))
    section = page.get_by_role("region", name="Comments")
    assert "comments.invalid" in section.inner_text(), "the page says which host comments load from"
    assert section.get_by_role("link", name="comment policy").is_visible()
    assert not [u for u in requests if "comments.invalid" in u], "a third-party request before asking"
    assert not section.get_by_text("need JavaScript").is_visible()

    section.get_by_role("button", name="Show comments").click()
    thread = page.locator("#isso-thread")
    thread.filter(has_text="isso loaded").wait_for()
    assert thread.inner_text() == f"isso loaded from {ISSO_URL}"
    assert [u for u in requests if u == f"{ISSO_URL}js/embed.min.js"]
    assert section.get_by_role("button", name="Show comments").count() == 0


def test_without_javascript_comments_say_so_and_nothing_loads(variant_page, variant_root):
    requests: list[str] = []
    page = variant_page(javascript=False)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(open_post(variant_root))
    section = page.get_by_role("region", name="Comments")
    assert section.get_by_text("Comments need JavaScript").is_visible()
    assert not section.get_by_role("button", name="Show comments").is_visible()
    assert not [u for u in requests if "comments.invalid" in u]


def test_a_post_with_comments_closed(variant_page, variant_root):
    page = variant_page()
    page.goto(closed_post(variant_root))
    section = page.get_by_role("region", name="Comments")
    assert section.inner_text().endswith("Comments are closed for this post.")
    assert section.get_by_role("button").count() == 0
    assert page.locator("#isso-thread").count() == 0
    assert page.evaluate("() => [...document.scripts].every(s => s.type === 'application/ld+json')")


def test_a_question_full_of_script_tags_stays_text(variant_page, variant_root):
    dialogs: list[str] = []
    page = variant_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(HOSTILE)
    assert page.locator("main h1").inner_text() == f"Can I write {BREAKOUT} here?"
    assert BREAKOUT in page.locator("main .floor-asker").inner_text()
    scripts = page.evaluate("() => [...document.scripts].map(s => s.type || 'classic')")
    assert scripts.count("application/ld+json") == 1
    assert [s for s in scripts if s != "application/ld+json"] == ["classic"], "only the comments script"
    assert dialogs == [], "reader text ran as a script"

    # the JSON-LD a crawler sees holds the exact text
    markup = (variant_root / "output" / HOSTILE.strip("/") / "index.html").read_text(encoding="utf-8")
    data = extruct.extract(markup, base_url=page.url, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert len(data) == 1
    question = data[0]["mainEntity"]
    assert question["name"] == f"Can I write {BREAKOUT} here?"
    assert question["author"]["name"] == BREAKOUT, "credited: the name is given, as text"
    assert f"<!-- {BREAKOUT}" in question["text"], "reader Markdown (a code span) keeps its text"
    assert f"<!-- {BREAKOUT}" in page.locator("main .floor-details").inner_text()
    # and the browser's own parser agrees: the element ends where the page ends it
    raw = page.evaluate("() => document.querySelector('script[type=\"application/ld+json\"]').textContent")
    assert json.loads(raw)["mainEntity"]["name"] == question["name"]
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', markup, re.DOTALL).group(1)
    assert "<" not in block and ">" not in block


def test_ask_through_a_github_issue_form(variant_page):
    page = variant_page()
    page.goto("/ask/")
    href = page.get_by_role("link", name="Ask on GitHub").get_attribute("href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/example/column/issues/new")
    assert parse_qs(parts.query)["template"] == ["question.yml"]
    template = Path(__file__).resolve().parents[2] / ".github" / "ISSUE_TEMPLATE" / "question.yml"
    assert template.is_file(), "the issue form the link opens ships with the kit"
    assert "public" in page.locator("main").inner_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_comments_and_ask_pages_have_no_wcag_violations(variant_page, variant_root, axe_source, scheme):
    for path in (open_post(variant_root), closed_post(variant_root), "/ask/", "/comment-policy/", HOSTILE):
        page = variant_page(color_scheme=scheme)
        page.goto(path)
        violations = run_axe(page, axe_source, WCAG_TAGS)
        assert not violations, f"axe found on {path} ({scheme}):\n{describe(violations)}"


def test_search_results_show_hostile_reader_text_as_text(variant_page, variant_root):
    """Pagefind keeps page text as data; the results list must not turn it back into markup."""
    assert (variant_root / "output" / "pagefind" / "pagefind.js").is_file()
    dialogs: list[str] = []
    page = variant_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/search/?q=write")
    page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
    results = page.locator("#search-results")
    assert HOSTILE in results.locator("a").evaluate_all("links => links.map(a => a.pathname)")
    assert results.locator("script, img, iframe, svg, [onerror], [onclick]").count() == 0
    assert "alert(1)" in results.inner_text(), "the reader's text is shown, as text"
    assert dialogs == [], "reader text ran as a script"
