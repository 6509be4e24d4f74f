"""`floor import` on the exports of the platforms authors leave: Squarespace, Ghost, Substack, Medium,
podcast feeds — real files from other projects (tests/fixtures/import/SOURCES.md).

Expected counts are read from each file here, on its own terms (regular expressions over the
file, the csv module, json), never taken from the kit.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from from_the_floor.errors import FloorError
from from_the_floor.intake import import_formats
from helpers_floor import fails_cleanly, ok, run_floor

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
UTC = dt.UTC


def read(name: str | Path, data: bytes | None = None) -> import_formats.Source:
    path = FIXTURES / name
    return import_formats.read(data if data is not None else path.read_bytes(), path, tz=UTC)


def wxr_public_items(data: bytes) -> list[bytes]:
    """The items of a WordPress-format file that are public posts, found without an XML parser."""
    items = re.findall(rb"<item>(.*?)</item>", data, re.DOTALL)
    return [
        item
        for item in items
        if b"<wp:post_type>post</wp:post_type>" in item
        and b"<wp:status>publish</wp:status>" in item
        and b"<wp:post_password>" not in item.replace(b"<wp:post_password></wp:post_password>", b"")
    ]


# --- a WordPress-format file that is not well-formed XML ------------------------------------------


def test_squarespace_export_is_mended_and_only_its_public_posts_come(tmp_path: Path) -> None:
    data = (FIXTURES / "squarespace-sample.xml").read_bytes()
    with pytest.raises(ElementTree.ParseError):  # the case under test: bare & and &mdash;
        ElementTree.fromstring(data)
    expected = wxr_public_items(data)
    source = read("squarespace-sample.xml")
    assert source.format == "WordPress export"
    assert len(source.posts) == len(expected) == 2
    assert source.skipped == {"page": 2, "attachment": 1, "draft": 1}
    assert "not well-formed XML" in source.notes[0]
    # slugs from Squarespace's file names and dated paths come out clean
    assert [p.slug for p in source.posts] == ["basic-post", "my-dated-post"]


def test_squarespace_untitled_post_gets_no_dated_path_as_question(site: Path) -> None:
    out = ok(run_floor("import", FIXTURES / "squarespace-sample.xml", "--all", site=site))
    assert "not well-formed XML" in out
    text = (site / "content" / "floor" / "my-dated-post.md").read_text()
    question = re.search(r"^question: (.*)$", text, re.MULTILINE).group(1)  # type: ignore[union-attr]
    assert "2023" not in question and "/" not in question and question == "My dated post"
    assert "untitled" in out
    assert not (site / "content" / "floor" / "basic-post-html.md").exists()
    assert (site / "content" / "floor" / "basic-post.md").exists()


def test_a_wxr_with_one_stray_ampersand_keeps_its_public_post_rules() -> None:
    data = (FIXTURES / "wp-small-export-1.1.xml").read_bytes()
    broken = data.replace(b"<title>", b"<title>Q&A: ", 1)  # one bare & in the first title
    expected = wxr_public_items(data)
    assert len(read("wp-small-export-1.1.xml", broken).posts) == len(expected)
    assert len(read("wp-small-export-1.1.xml").posts) == len(expected)


def test_a_wxr_broken_otherwise_is_refused_at_its_line_never_read_as_a_feed() -> None:
    data = (FIXTURES / "squarespace-sample.xml").read_bytes()
    lines = data.split(b"\n")
    cut = b"\n".join(lines[:31]) + b"\n<item><title>x</titl></item></channel></rss>\n"
    with pytest.raises(FloorError) as caught:
        read("squarespace-sample.xml", cut)
    assert "line 32" in caught.value.problem and "WordPress-format" in caught.value.problem


def test_cli_refusal_names_the_file_and_line(site: Path, tmp_path: Path) -> None:
    data = (FIXTURES / "squarespace-sample.xml").read_bytes()
    broken = tmp_path / "export.xml"
    broken.write_bytes(data.replace(b"</channel>", b"<item></channel>"))
    err = fails_cleanly(run_floor("import", broken, "--all", site=site))
    assert "export.xml" in err and "line" in err and "Traceback" not in err
    assert not list((site / "content" / "floor").glob("*.md"))


# --- fidelity: lazy images, enclosures, players ----------------------------------------------------


def body_of(site: Path, slug: str) -> str:
    return (site / "content" / "floor" / f"{slug}.md").read_text().split("\n---\n", 1)[1]


def test_squarespace_lazy_image_keeps_its_picture_and_its_twin_is_not_text(site: Path) -> None:
    data = (FIXTURES / "squarespace-sample.xml").read_bytes()
    picture = re.search(rb'data-src="([^"]+)"', data).group(1).decode()  # type: ignore[union-attr]
    ok(run_floor("import", FIXTURES / "squarespace-sample.xml", "--all", site=site))
    body = body_of(site, "basic-post")
    assert f'src="{picture.replace("&", "&amp;")}"' in body
    assert "&lt;img" not in body and "<noscript" not in body
    assert body.count("<img") == 1


def test_data_image_alone_and_srcset_alone_give_the_picture() -> None:
    from from_the_floor.intake import import_media

    data = (FIXTURES / "squarespace-sample.xml").read_text()
    img = re.search(r'<img class="thumb-image".*?>', data, re.DOTALL).group(0)  # type: ignore[union-attr]
    only_image = re.sub(r'\s+data-src="[^"]+"', "", img)
    html, notes = import_media.prepare(only_image)
    assert re.search(r'src="https://images\.unsplash\.com/photo-1601275225755', html) and notes
    srcset = only_image.replace(
        "data-image=",
        'srcset="https://example.org/small.jpg 300w, https://example.org/big.jpg 1200w" data-x=',
    )
    html, _ = import_media.prepare(srcset)
    assert 'src="https://example.org/big.jpg"' in html


def test_a_libsyn_podcast_feed_keeps_each_episodes_audio_and_says_so(site: Path) -> None:
    data = (FIXTURES / "libsyn-feed.xml").read_text()
    audio = re.findall(r'<enclosure[^>]*type="audio/mpeg"[^>]*url="([^"]+)"', data)
    assert len(audio) == 2
    out = ok(run_floor("import", FIXTURES / "libsyn-feed.xml", "--all", site=site))
    for url in audio:
        assert f"kept its audio (audio/mpeg) as <audio>: {url}" in out
    bodies = "".join(body_of(site, p.stem) for p in (site / "content" / "floor").glob("*.md"))
    assert sorted(re.findall(r'<audio[^>]*src="([^"]+)"', bodies)) == sorted(
        u.replace("&", "&amp;") for u in audio
    )
    # the link of each item is the .mp3 itself: not a slug
    assert not list((site / "content" / "floor").glob("*-mp3.md"))


def test_a_wordpress_podcast_post_gets_its_audio_instead_of_a_foreign_player(site: Path) -> None:
    data = (FIXTURES / "wp-audio-enclosure-libsyn-player.xml").read_text()
    enclosure = re.search(r"<wp:meta_value><!\[CDATA\[(http\S+\.mp3)", data).group(1)  # type: ignore[union-attr]
    assert "html5-player.libsyn.com" in data
    out = ok(run_floor("import", FIXTURES / "wp-audio-enclosure-libsyn-player.xml", "--all", site=site))
    assert "player is replaced by the episode's own audio file" in out
    (post,) = (site / "content" / "floor").glob("*.md")
    body = body_of(site, post.stem)
    assert f'<audio controls="" preload="none" src="{enclosure}"></audio>' in body
    assert "<iframe" not in body and "episode description" in body
