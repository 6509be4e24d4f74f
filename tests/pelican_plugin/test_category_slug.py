"""The column's category page in a blog: FLOOR_CATEGORY_SLUG names it after the column for a new
column ("Ask Bea" at category/ask-bea.html), and a blog that never set it keeps the address every
earlier version gave it (category/from-the-floor.html), whatever the column is called."""

from __future__ import annotations

from pathlib import Path

from helpers_floor import fails_cleanly, ok, run_floor
from test_retire_in_a_blog import pelican_build, quickstart_blog


def publish_one(blog: Path) -> None:
    qid = ok(run_floor("ask", "Why a blog?", site=blog, today="2026-11-30")).strip()
    ok(run_floor("answer", qid, "--quick", "To write.", "--body", "B.", site=blog, today="2026-11-30"))
    ok(run_floor("publish", site=blog, today="2026-11-30"))


def test_the_slug_names_the_category_page_and_without_it_no_address_moves(tmp_path: Path) -> None:
    blog = quickstart_blog(tmp_path / "blog")
    conf = blog / "pelicanconf.py"  # a blog with Pelican's content cache on, which settings never reach
    conf.write_text(
        conf.read_text(encoding="utf-8") + "CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n",
        encoding="utf-8",
    )
    publish_one(blog)
    pelican_build(blog)
    output = blog / "output"
    assert (output / "category" / "from-the-floor.html").is_file()  # unset: as before
    assert not (output / "category" / "ask-bea.html").exists()

    conf.write_text(conf.read_text(encoding="utf-8") + 'FLOOR_CATEGORY_SLUG = "ask-bea"\n', encoding="utf-8")
    pelican_build(blog)  # Pelican's content cache holds the old slug: the kit reads the posts again
    page = (output / "category" / "ask-bea.html").read_text(encoding="utf-8")
    assert "Why a blog?" in page
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "category/ask-bea.html" in home and "category/from-the-floor.html" not in home

    conf.write_text(conf.read_text(encoding="utf-8") + 'FLOOR_CATEGORY_SLUG = "Ask Bea"\n', encoding="utf-8")
    said = fails_cleanly(run_floor("build", site=blog))
    assert "FLOOR_CATEGORY_SLUG: 'Ask Bea' is not a slug" in said and "e.g. 'ask-bea'" in said


def test_the_first_versions_slug_is_what_the_slugger_makes_of_the_kits_name() -> None:
    """web/links.py writes it out (checking the settings then needs no slugger): it must stay the
    address every earlier version gave the category page."""
    from from_the_floor.core.ids import slug_for
    from from_the_floor.web import links

    assert slug_for("From the Floor") == links.CATEGORY_SLUG
