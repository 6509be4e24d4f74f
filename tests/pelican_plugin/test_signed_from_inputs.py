"""Pages signed from their inputs stay exact: a change that alters a page's bytes renders it.

Each case builds a generated site, makes one change whose effect reaches
pages other than the changed post's own (a neighbour's card, a tag's list, a
post's summary on the home page, the day the statistics and forecast are
counted from), builds again, and compares output/ with a clean build of the
same sources. The page the change reaches must have changed (so the case can
fail) and the pages it does not reach must have been kept (so signing did not
get exact by rendering everything).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from from_the_floor.core.site import Site
from from_the_floor.pelican_plugin import build as build_mod
from helpers_build import assert_same, built_site, spy_rendered, tree
from test_incremental_build import TODAY, Author, clean_build, posts


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return built_site(tmp_path / "gen", 14, today=TODAY)


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The outputs the next build renders (not kept), relative to output/."""
    return spy_rendered(monkeypatch)


def _by_number(site: Path, number: int) -> Path:
    for post in posts(site):
        if f"\nnumber: {number}\n" in post.read_text(encoding="utf-8"):
            return post
    raise AssertionError(f"no post #{number}")


def _page_of(site: Path, post: Path) -> str:
    slug = re.search(r"\nslug: (\S+)", post.read_text(encoding="utf-8"))
    return f"floor/{slug.group(1) if slug else post.stem}/index.html"


def _front(post: Path, key: str, line: str) -> None:
    head, body = post.read_text(encoding="utf-8").split("\n---\n", 1)
    lines = [line if x.startswith(f"{key}:") else x for x in head.splitlines()]
    post.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")


def _rebuild_and_compare(
    site: Path, tmp_path: Path, rendered: list[str] | None = None, today: str = TODAY
) -> tuple[dict, dict]:
    """Build again; ``rendered`` then holds what this build rendered (not the clean build's)."""
    before = tree(site / "output")
    if rendered is not None:
        rendered.clear()
    build_mod.build(Site(site), jobs=1, today=today)
    after = tree(site / "output")
    mine = list(rendered) if rendered is not None else []
    assert_same(after, clean_build(site, tmp_path / "clean", today))
    if rendered is not None:
        rendered[:] = mine
    return before, after


def test_a_neighbours_question_reworded_renders_the_pages_that_link_to_it(
    site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    middle = _by_number(site, 7)
    _front(middle, "question", 'question: "Reworded: what do readers ask first?"')
    before, after = _rebuild_and_compare(site, tmp_path, rendered)
    for number in (6, 8):  # its neighbours show its question in their previous/next links
        page = _page_of(site, _by_number(site, number))
        assert before[page] != after[page], page
        assert page in rendered
    # every other post page rendered shows it (in its jump list or related questions)
    posts_rendered = [name for name in rendered if name.startswith("floor/")]
    assert all(before[name] != after[name] for name in posts_rendered)


def _tags(post: Path) -> list[str]:
    head = post.read_text(encoding="utf-8").split("\ntags: ", 1)[1].split("\n", 1)[0]
    return [t.strip() for t in head.strip("[]").split(",") if t.strip()]


def test_a_tag_taken_off_one_post_leaves_its_tag_page_and_feed(
    site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    from from_the_floor.pelican_plugin.slugs import pelican_slug

    members: dict[str, list[Path]] = {}
    for post in posts(site):
        for tag in _tags(post):
            members.setdefault(tag, []).append(post)
    tag, tagged = next((t, ps) for t, ps in sorted(members.items()) if len(ps) > 1)
    post = tagged[0]
    _front(post, "tags", f"tags: [{', '.join(t for t in _tags(post) if t != tag)}]")
    before, after = _rebuild_and_compare(site, tmp_path, rendered)
    page = f"tag/{pelican_slug(tag, {})}/index.html"
    assert page in after, "the tag keeps its other members"
    assert before[page] != after[page], "its page no longer lists the post"
    assert page in rendered
    assert set(rendered) < set(after), "not every page was rendered"


def test_a_quick_answer_changed_renders_the_home_page_that_shows_it(
    site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    newest = _by_number(site, 14)
    _front(newest, "quick_answer", 'quick_answer: "A new short answer, in other words."')
    before, after = _rebuild_and_compare(site, tmp_path, rendered)
    assert before["index.html"] != after["index.html"]
    assert "index.html" in rendered
    assert set(rendered) < set(after)


def test_another_day_renders_the_statistics_and_forecast_and_keeps_the_posts(
    site: Path, tmp_path: Path, rendered: list[str]
) -> None:
    day = "2026-12-14"  # weeks later: the forecast and the statistics count from another day
    before, after = _rebuild_and_compare(site, tmp_path, rendered, today=day)
    changed = {name for name in after if before.get(name) != after[name]}
    stats = [name for name in changed if name.startswith("stats/")]
    assert stats, f"the statistics page counts from the day: {sorted(changed)[:10]}"
    assert all(name in rendered for name in stats)
    a_post = _page_of(site, _by_number(site, 3))
    assert a_post not in rendered, "a post page does not show the day"


def test_every_step_of_an_author_leaves_output_equal_to_a_clean_build(site: Path, tmp_path: Path) -> None:
    """The steps above and the random ones, one after another on the same site."""
    author = Author(site, random.Random(24))
    for step in (author.edit_question, author.edit_tags, author.edit_quick_answer, author.add_post):
        step()
        _rebuild_and_compare(site, tmp_path)


def test_a_build_that_keeps_the_statistics_page_does_not_draw_its_chart(
    site: Path, tmp_path: Path, rendered: list[str], monkeypatch
) -> None:
    from from_the_floor.web import chart

    drawn: list[int] = []
    draw = chart.burndown_svg
    monkeypatch.setattr(chart, "burndown_svg", lambda *a, **k: drawn.append(1) or draw(*a, **k))
    Author(site, random.Random(3)).edit_answer()
    _before, after = _rebuild_and_compare(site, tmp_path, rendered)
    assert "stats/index.html" in after and "stats/index.html" not in rendered
    assert drawn == [1], "drawn once: by the clean build, not by the build that kept the page"
    assert b"<svg" in after["stats/index.html"]
