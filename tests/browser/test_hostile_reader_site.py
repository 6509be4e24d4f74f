"""The public site of a column whose readers typed the widest things they could, in Debian's Chromium:
no page scrolls sideways on a 320 px phone or at 200 % zoom, and the post's heading and its
previous/next links stay inside the page.

Each reader's question, name (credited) and tag is one of the hostile strings with the longest run of
characters and no space in it (tests/helpers_hostile.py; a 2,000-letter word, a markup attack,
96 digits, the Cyrillic alphabet): a browser cannot wrap such a run at a word, so the theme has to
let it break anywhere. One small site of four posts, built once.

Left out: the Big List's Thai string of stacked vowel marks. Each of its clusters is one character
to a browser, which no CSS may break; it is narrow where a Thai font is installed (every phone and
desktop), and drawn as a row of empty boxes where none is (this test's machine).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers_floor import ok, run_floor  # noqa: E402
from helpers_hostile import ALL, yaml_value  # noqa: E402
from helpers_serve import serve  # noqa: E402

TODAY = "2026-02-02"


def _longest_run(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


# the four strings with the longest unbroken runs (Thai aside: see the module's docstring)
WIDE = sorted((s for s in ALL if "\u0e14" not in s), key=_longest_run, reverse=True)[:4]
# (width, height, device pixel ratio): a small phone, and a 1280 px window zoomed to 200 %
VIEWS = [(320, 640, 1), (640, 400, 2)]
# the innermost elements whose text reaches past the window's right edge (for the failure message)
OVERFLOWING = """() => {
  const found = new Set(), walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    if (right > innerWidth + 1) {
      const el = node.parentElement;
      const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
      found.add(name + ' ' + Math.round(right));
    }
  }
  return [...found];
}"""


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `floor init` column with one post a week for four weeks, each reader's fields a wide string."""
    site = tmp_path_factory.mktemp("wide") / "column"
    ok(
        run_floor(
            "init",
            site,
            "--title",
            "Ask Me Anything",
            "--author",
            "Ada",
            "--ask-email",
            "ada@example.org",
            "--no-input",
            "--no-git",
            today=TODAY,
        )
    )
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write('FLOOR_START = "2026-01-05"\nFLOOR_CATCH_UP = "all"\nFLOOR_SEARCH = False\n')
    for i, text in enumerate(WIDE, 1):
        fields = [
            f"question: {yaml_value(text)}",
            f"asked: 2026-01-0{i}",
            f"asker: {yaml_value(text)}",
            "credit: true",
            f"tags: [{yaml_value(text)}, plain]",
            "quick_answer: Yes.",
        ]
        (site / "questions" / f"wide-{i}.md").write_text(
            "---\n" + "\n".join(fields) + f"\n---\n\nThe longer answer to question {i}.\n", encoding="utf-8"
        )
    ok(run_floor("publish", site=site, today=TODAY))
    ok(run_floor("build", site=site, today=TODAY))
    return site / "output"


def _pages(output: Path) -> list[str]:
    """Every page a reader reaches from the menu, each post, and each tag's page."""
    posts = sorted(p.parent.name for p in (output / "floor").glob("*/index.html"))
    tags = sorted(p.parent.name for p in (output / "tag").glob("*/index.html"))
    assert len(posts) == len(WIDE), posts
    fixed = ["/", "/archives/", "/tags/", "/stats/", "/about/", "/ask/"]
    return fixed + [f"/floor/{slug}/" for slug in posts] + [f"/tag/{slug}/" for slug in tags]


@pytest.mark.parametrize(("width", "height", "scale"), VIEWS, ids=["320px", "zoom200"])
def test_no_page_scrolls_sideways_with_the_widest_reader_text(browser, wide_site, width, height, scale):
    wide: dict[str, list[str]] = {}
    with serve(wide_site) as url:
        # a 1280 px window at 200 % lays a page out 640 CSS pixels wide, two device pixels to each
        context = browser.new_context(
            base_url=url, viewport={"width": width, "height": height}, device_scale_factor=scale
        )
        try:
            page = context.new_page()
            for path in _pages(wide_site):
                response = page.goto(path)
                assert response is not None and response.status == 200, path
                if page.evaluate("document.scrollingElement.scrollWidth") > width:
                    wide[path] = page.evaluate(OVERFLOWING)
        finally:
            context.close()
    assert not wide, f"pages wider than {width} px: {wide}"


def test_a_posts_heading_and_its_neighbours_stay_inside_the_page(browser, wide_site):
    """The middle posts have a wide question above them and a wide one on each side."""
    width = 320
    posts = sorted(p.parent.name for p in (wide_site / "floor").glob("*/index.html"))
    outside: dict[str, list] = {}
    with serve(wide_site) as url:
        context = browser.new_context(base_url=url, viewport={"width": width, "height": 640})
        try:
            page = context.new_page()
            for slug in posts:
                response = page.goto(f"/floor/{slug}/")
                assert response is not None and response.status == 200, slug
                boxes = page.evaluate(
                    """() => [...document.querySelectorAll('h1, .series-nav a')].map(e => {
                         const r = e.getBoundingClientRect();
                         return [e.tagName + ' ' + e.textContent.trim().slice(0, 20), r.left, r.right];
                       })"""
                )
                assert any(name.startswith("A ") for name, _, _ in boxes), f"{slug}: no previous/next link"
                beyond = [
                    (name, round(left), round(right))
                    for name, left, right in boxes
                    if left < 0 or right > width
                ]
                if beyond:
                    outside[slug] = beyond
        finally:
            context.close()
    assert not outside, f"outside the {width} px page: {outside}"
