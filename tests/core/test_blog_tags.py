"""core/blog_tags.py: the tags of a blog's own posts, read from each post's metadata header as
Pelican's readers find them, so the column's tags can be written as the blog spells them."""

from __future__ import annotations

from pathlib import Path

from from_the_floor.core import blog_tags
from from_the_floor.core.site import Site
from helpers_floor import run_floor


def _blog(tmp_path: Path) -> Site:
    root = tmp_path / "blog"
    root.mkdir()
    (root / "pelicanconf.py").write_text(
        'PLUGINS = ["pelican.plugins.from_the_floor"]\nFLOOR_NAME = "Ask Bea"\nTIMEZONE = "UTC"\n',
        encoding="utf-8",
    )
    (root / "questions").mkdir()
    content = root / "content"
    (content / "floor").mkdir(parents=True)
    (content / "2024").mkdir()
    files = {
        "hello.md": "Title: Hello\nDate: 2026-10-01\nTags: Post Formats, misc\n\nTags: not, these\n",
        "2024/long.markdown": "title: Long\ntags: Garden Tools;\n    Sowing, and Reaping\n\nBody.\n",
        "notes.rst": "Notes\n#####\n\n:date: 2026-10-02\n:tags: reStructuredText, misc\n\nBody.\n",
        "page.html": '<html><head><meta name="tags" content="Hand Made, misc" /></head></html>\n',
        "floor/00001.md": "---\ntags: [column only]\n---\n",
        "image.png": "Tags: not a post\n",
        "untagged.md": "Title: Nothing\n\nTags: after the header\n",
    }
    for rel, text in files.items():
        (content / rel).write_text(text, encoding="utf-8")
    return Site(root)


def test_each_post_format_gives_its_tags_and_the_column_and_bodies_give_none(tmp_path: Path) -> None:
    site = _blog(tmp_path)
    assert blog_tags.own_tags(site) == [  # a folder's own files, then its folders'
        "Post Formats",
        "misc",
        "reStructuredText",
        "misc",
        "Hand Made",
        "misc",
        "Garden Tools",
        "Sowing, and Reaping",  # a semicolon in the value: Pelican splits on semicolons only
    ]


def test_a_column_made_by_floor_init_has_no_blog_tags(tmp_path: Path) -> None:
    run_floor("init", tmp_path / "col", "--title", "Ask Ada", "--author", "Ada", "--timezone", "UTC")
    assert blog_tags.own_tags(Site(tmp_path / "col")) == []
