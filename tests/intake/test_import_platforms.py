"""`floor import` on the exports of the platforms authors leave: Squarespace, Ghost, Substack, Medium,
podcast feeds — real files from other projects (tests/fixtures/import/SOURCES.md).

Expected counts are read from each file here, on its own terms (regular expressions over the
file, the csv module, json), never taken from the kit.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from from_the_floor.errors import FloorError
from from_the_floor.intake import ghost_documents, import_sources, import_substack
from helpers_floor import fails_cleanly, ok, run_floor

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
UTC = dt.UTC


def read(name: str | Path, data: bytes | None = None) -> import_sources.Source:
    path = FIXTURES / name
    return import_sources.read(data if data is not None else path.read_bytes(), path, tz=UTC)


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
    # the lazy picture once (its <noscript> twin is not a second copy); the post's thumbnail, its
    # featured image, is the other picture, above the text
    assert body.count(f'src="{picture.replace("&", "&amp;")}"') == 1 and body.count("<img") == 2


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


# --- Ghost -------------------------------------------------------------------------------------------


def ghost_posts(name: str) -> tuple[dict, list[dict]]:
    document = json.loads((FIXTURES / name).read_text())
    data = document["db"][0]["data"] if "db" in document else document["data"]
    return data, data["posts"]


def ghost_public(post: dict) -> bool:
    page = post.get("type") == "page" or post.get("page") in (1, True)
    return not page and post.get("status") == "published" and post.get("visibility", "public") == "public"


@pytest.mark.parametrize("name", ["ghost-0.x-export.json", "ghost-2-export-lexical.json"])
def test_a_ghost_export_gives_its_public_posts_with_tags_and_dates(name: str) -> None:
    data, posts = ghost_posts(name)
    public = [p for p in posts if ghost_public(p)]
    source = read(name)
    assert source.format.startswith("Ghost export")
    assert [p.slug for p in source.posts] == [p["slug"] for p in public]
    tag_names = {t["id"]: t["name"] for t in data.get("tags", [])}
    for post, found in zip(public, source.posts, strict=True):
        expected_tags = [
            tag_names[r["tag_id"]] for r in data.get("posts_tags", []) if r["post_id"] == post["id"]
        ]
        assert found.labels == expected_tags
        stamp = post["published_at"]
        expected = (
            dt.datetime.fromtimestamp(stamp / 1000, UTC)
            if isinstance(stamp, int)
            else dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        )
        assert found.date == expected


def test_a_ghost_post_with_only_its_lexical_document_keeps_its_image(site: Path) -> None:
    _, posts = ghost_posts("ghost-2-export-lexical.json")
    (lexical,) = [p for p in posts if not p.get("html")]
    src = json.loads(lexical["lexical"])["root"]["children"][0]["src"]
    out = ok(run_floor("import", FIXTURES / "ghost-2-export-lexical.json", "--all", site=site))
    assert "made from its Lexical document" in out and "by Alice Johnson" in out
    assert f'src="{src}"' in body_of(site, lexical["slug"])


def _author_line(site: Path, slug: str) -> str | None:
    front = (site / "content" / "floor" / f"{slug}.md").read_text().split("\n---\n", 1)[0]
    return next((line for line in front.splitlines() if line.startswith("author:")), None)


def test_a_post_by_someone_else_records_its_writer_and_the_column_s_own_posts_do_not(site: Path) -> None:
    """Ghost's posts by Alice Johnson and Bob Smith were signed by the site's AUTHOR on their pages
    and in the feeds; each now records its writer. A post with no author on record, and a
    post by the column's own author (the one-author blog moving in), record nothing."""
    data, posts = ghost_posts("ghost-2-export-lexical.json")
    names = {u["id"]: u["name"] for u in data["users"]}
    by = {r["post_id"]: names[r["author_id"]] for r in data["posts_authors"]}
    ok(run_floor("import", FIXTURES / "ghost-2-export-lexical.json", "--all", site=site))
    for post in posts:
        expected = f"author: {by[post['id']]}" if post["id"] in by else None
        assert _author_line(site, post["slug"]) == expected, post["slug"]
    assert set(by.values()) == {"Alice Johnson", "Bob Smith"}

    own = site.parent / "own"
    ok(run_floor("init", own, "--no-git", "--title", "Alice's column", "--author", "alice  johnson"))
    ok(run_floor("import", FIXTURES / "ghost-2-export-lexical.json", "--all", site=own))
    alices = [p["slug"] for p in posts if by.get(p["id"]) == "Alice Johnson"]
    assert alices and all(_author_line(own, slug) is None for slug in alices)
    bobs = [p["slug"] for p in posts if by.get(p["id"]) == "Bob Smith"]
    assert bobs and all(_author_line(own, slug) == "author: Bob Smith" for slug in bobs)


def test_ghost_pages_drafts_and_members_only_posts_are_counted_not_imported() -> None:
    document = json.loads((FIXTURES / "ghost-2-export-lexical.json").read_text())
    posts = document["db"][0]["data"]["posts"]
    posts[0]["visibility"] = "members"
    posts[1]["status"] = "draft"
    posts[2]["type"] = "page"
    source = read("ghost-2-export-lexical.json", json.dumps(document).encode())
    assert source.posts == []
    assert source.skipped == {"members-only post": 1, "draft": 1, "page": 1}


def _structure(markup: str) -> str:
    """HTML as Ghost and the kit both write it, minus what differs without meaning: heading ids,
    the card comments, empty paragraphs and whitespace between blocks."""
    markup = re.sub(r' id="[^"]*"', "", markup)
    markup = re.sub(r"<!--kg-card-(?:begin|end): \w+-->", "", markup)
    return re.sub(r">\s+<", "><", markup.replace("<p></p>", "")).strip()


def test_a_real_ghost_4_export_without_its_html_is_rendered_from_mobiledoc_as_ghost_did() -> None:
    """Ghost 4.47's own export: each post's Mobiledoc, rendered by the kit, is the HTML Ghost wrote."""
    document = json.loads((FIXTURES / "ghost-4.47-export.json").read_text())
    posts = document["db"][0]["data"]["posts"]
    ghost_html = {p["slug"]: p.pop("html") for p in posts}
    assert all(p.get("mobiledoc") and "html" not in p for p in posts)
    source = read("ghost-4.47-export.json", json.dumps(document).encode())
    assert source.format == "Ghost export (Ghost 4.47.4)"
    assert source.skipped == {"members-only post": 1}
    (found,) = source.posts
    (public,) = [p for p in posts if ghost_public(p)]
    assert found.slug == public["slug"] == "sample-2-title"
    assert found.date == dt.datetime(2023, 1, 14, 4, 29, 25, tzinfo=UTC)  # Ghost 4 writes UTC, no zone
    assert "Mobiledoc" in (found.made_from or "")
    feature = f'<figure><img src="{html.escape(public["feature_image"])}" alt=""></figure>'  # none in Ghost
    assert _structure(found.html) == feature + _structure(ghost_html[found.slug])  # the picture leads
    for post in posts:  # the members-only post's document too
        made, _ = ghost_documents.post_html(post)
        assert _structure(made) == _structure(ghost_html[post["slug"]])


def test_a_ghost_4_feature_image_keeps_the_alt_text_and_caption_ghost_keeps_in_posts_meta(
    site: Path, tmp_path: Path
) -> None:
    """Ghost 4 and 5 keep a feature image's alt text and caption in the export's posts_meta table
    (Ghost 4.47's export has one, its fields empty), not on the post: the import read only the
    post, so the author's description was lost and the post's title was said in its place."""
    document = json.loads((FIXTURES / "ghost-4.47-export.json").read_text())
    data = document["db"][0]["data"]
    (row,) = data["posts_meta"]
    assert "feature_image_alt" in row and "feature_image_alt" not in data["posts"][1]  # the layout
    (public,) = [p for p in data["posts"] if ghost_public(p)]
    row.update(
        post_id=public["id"],
        feature_image_alt="Waves breaking on a grey beach",
        feature_image_caption='Photo by <a href="https://unsplash.com/@someone">Someone</a>',
    )
    export = tmp_path / "ghost-export.json"
    export.write_text(json.dumps(document), encoding="utf-8")
    ok(run_floor("import", export, "--all", site=site))
    body = body_of(site, "sample-2-title")
    assert 'alt="Waves breaking on a grey beach"' in body
    assert '<figcaption>Photo by <a href="https://unsplash.com/@someone">Someone</a></figcaption>' in body
    assert f'alt="{public["title"]}"' not in body


def test_a_ghost_feature_image_without_alt_text_gets_an_empty_one_and_the_build_s_warning(site: Path) -> None:
    """Ghost's real export (2.x, Lexical) has feature images without alt text. The import gave them
    the post's title, so a screen reader heard the title twice (the heading, then the picture) and
    the build never asked the author to describe them, while every other picture without alt text
    arrives with an empty alt and the build's warning naming it."""
    export = json.loads((FIXTURES / "ghost-2-export-lexical.json").read_text(encoding="utf-8"))
    posts = export["db"][0]["data"]["posts"] if "db" in export else export["data"]["posts"]
    featured = [p for p in posts if p.get("feature_image") and ghost_public(p)]
    assert featured and not any(p.get("feature_image_alt") for p in featured)  # the case under test
    ok(run_floor("import", FIXTURES / "ghost-2-export-lexical.json", "--all", site=site))
    built = run_floor("build", site=site, env={"COLUMNS": "400"}, timeout=300)
    assert built.returncode == 0, built.stderr
    said = " ".join((built.stdout + built.stderr).split())
    for post in featured:
        name = post["feature_image"].rsplit("/", 1)[-1]
        page = (site / "output" / "floor" / post["slug"] / "index.html").read_text(encoding="utf-8")
        (image,) = [i for i in re.findall(r"<img\b[^>]*>", page) if name in i]
        assert re.search(r"""\balt=(""|'')""", image), image
        assert f"Empty alt attribute for image {name}" in said


def test_the_real_ghost_4_export_as_it_is_imports_its_one_public_post(site: Path) -> None:
    out = ok(run_floor("import", FIXTURES / "ghost-4.47-export.json", "--all", site=site))
    assert "1 members-only post" in out
    assert [p.stem for p in (site / "content" / "floor").glob("*.md")] == ["sample-2-title"]
    body = body_of(site, "sample-2-title")
    assert "Sample Quote 2" in body and "class Person" in body and "Sample Quote 1" not in body


GHOST_5 = FIXTURES / "ghost-5-members-paid.json"  # Ghost 4.47's real export, edited (SOURCES.md)


def test_a_ghost_5_public_post_s_members_only_parts_stay_out_of_the_column(site: Path) -> None:
    """Ghost 5 lets an author show a part of a public post only to members (paid ones here); its
    HTML keeps that part between kg-gated-block markers, which Ghost cuts for a visitor. The import
    published it to everyone. The paid, the email-only post and the members never come over."""
    data = json.loads(GHOST_5.read_text(encoding="utf-8"))["db"][0]["data"]
    (public,) = [p for p in data["posts"] if ghost_public(p)]
    assert 'nonMember:false memberSegment:"status:-free"' in public["html"]  # the case
    assert {p["status"] for p in data["posts"]} == {"published", "sent"} and data["members"]
    out = ok(run_floor("import", GHOST_5, "--all", site=site))
    assert "left out 1 part(s) Ghost showed only to members" in out
    assert "skipped (not public posts): 1 email-only post, 1 paid-members-only post" in out
    assert [p.stem for p in (site / "content" / "floor").glob("*.md")] == [public["slug"]]
    built = run_floor("build", site=site, timeout=300)
    assert built.returncode == 0, built.stderr
    page = (site / "output" / "floor" / public["slug"] / "index.html").read_text(encoding="utf-8")
    assert "Sample Quote 2" in page  # the block for everyone stays, without Ghost's markers
    assert "Paid members read on here" not in page and "kg-gated-block" not in page
    everything = [p for p in site.rglob("*") if p.is_file() and ".git" not in p.parts]
    for secret in ("Paid members read on here", data["members"][0]["email"], data["members"][0]["name"]):
        assert not [p for p in everything if secret.encode() in p.read_bytes()], secret


def test_a_lexical_card_only_members_saw_on_the_web_is_left_out() -> None:
    """Without Ghost's HTML the post is made from its Lexical: a card whose visibility shuts out
    visitors (Ghost 5's web.nonMember false, or the older showOnWeb false) is not on the column."""
    document = json.loads((FIXTURES / "ghost-2-export-lexical.json").read_text())
    post = document["db"][0]["data"]["posts"][2]
    lexical = json.loads(post["lexical"])
    (image,) = lexical["root"]["children"]
    shown = dict(image, src="https://example.com/images/for-everyone.jpg")
    shown["visibility"] = {"web": {"nonMember": True, "memberSegment": "status:free,status:-free"}}
    paid = dict(image, src="https://example.com/images/for-paying-members.jpg")
    paid["visibility"] = {"web": {"nonMember": False, "memberSegment": "status:-free"}, "email": {}}
    emailed = dict(image, src="https://example.com/images/in-the-email.jpg")
    emailed["visibility"] = {"showOnWeb": False, "showOnEmail": True, "segment": ""}
    lexical["root"]["children"] = [image, shown, paid, emailed]
    post["lexical"] = json.dumps(lexical)
    made, note = ghost_documents.post_html(post)
    assert "lexical-image.jpg" in made and "for-everyone.jpg" in made
    assert "for-paying-members.jpg" not in made and "in-the-email.jpg" not in made
    assert "left out 2 part(s) Ghost showed only to members" in (note or "")


def test_ghost_4_mobiledoc_media_cards_keep_their_audio_and_video() -> None:
    """Ghost 4 pages kept only as Mobiledoc (audio, video with caption, HTML and Markdown cards), from
    Ghost's migration tools: counted as pages; made posts, each card keeps its media."""
    context = json.loads((FIXTURES / "ghost-4-mobiledoc-media.json").read_text())
    document = context["result"]  # the migration tool's test context holds a Ghost import file
    source = read("ghost-4-mobiledoc-media.json", json.dumps(document).encode())
    assert [p.slug for p in source.posts] == ["lorem-ipsum", "unsupported-post"]
    assert source.skipped == {"page": 3}
    pages = [p for p in document["data"]["posts"] if p["type"] == "page"]
    for page in pages:
        page["type"] = "post"
    found = {p.slug: p for p in read("ghost-4-mobiledoc-media.json", json.dumps(document).encode()).posts}
    for page in pages:
        cards = dict(json.loads(page["mobiledoc"])["cards"])
        made = found[page["slug"]]
        if "audio" in cards:  # only Mobiledoc: made from it, every card's media kept
            assert not page.get("html") and "Mobiledoc" in (made.made_from or "")
            audio = f'<audio controls src="{cards["audio"]["src"]}"></audio>'
            assert made.html.index("Hello world") < made.html.index(audio) < made.html.index("Lorem ipsum")
            video = f'<video controls src="{cards["video"]["src"]}"></video>'
            assert f"{video}<figcaption>My video</figcaption>" in made.html
            assert '<a href="https://example.com/content/media/2022/02/' in made.html
            assert made.html.index("Hello world") < made.html.index("Lorem ipsum") < made.html.index("fin.")
        else:  # a Markdown card, with the HTML Ghost made of it: the kit renders the same
            ghost_made = page.pop("html")
            made_html, note = ghost_documents.post_html(page)
            assert "Mobiledoc" in (note or "") and made.made_from is None  # the import took Ghost's HTML
            assert _structure(made_html) == _structure(made.html) == _structure(ghost_made)


# --- Substack and Medium ----------------------------------------------------------------------------


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"export/{path.relative_to(folder).as_posix()}")
    return target


def test_a_substack_zip_gives_its_published_posts_and_the_podcast_keeps_its_audio(tmp_path: Path) -> None:
    rows = list(csv.DictReader((FIXTURES / "substack-export" / "posts.csv").open()))
    public = [r for r in rows if r["is_published"] == "TRUE" and r["type"] in ("newsletter", "podcast")]
    data = zipped(FIXTURES / "substack-export", tmp_path / "substack.zip").read_bytes()
    source = read("substack.zip", data)
    assert source.format == "Substack export"
    assert [p.slug for p in source.posts] == [r["post_id"].split(".", 1)[1] for r in public]
    (podcast,) = [r for r in public if r["podcast_url"]]
    (found,) = [p for p in source.posts if p.enclosures]
    assert found.enclosures[0].url == podcast["podcast_url"]
    assert source.skipped == {"draft": 1, "discussion thread": 1, "page": 1}


def test_a_substack_podcast_post_shows_its_audio(site: Path) -> None:
    out = ok(run_floor("import", FIXTURES / "substack-export", "--all", site=site))
    assert "kept its audio (audio/mpeg) as <audio>: https://example.com/my-audio/file.mp3" in out
    assert '<audio controls="" preload="none" src="https://example.com/my-audio/file.mp3">' in body_of(
        site, "podcast"
    )


def test_substack_s_own_buttons_are_left_out_and_counted(site: Path) -> None:
    """Substack's editor puts Subscribe and Leave-a-comment buttons in a post's text (the
    export's `button-wrapper` paragraphs). Imported as links, they sent the column's readers to
    the old newsletter's sign-up page and its comment threads."""
    folder = FIXTURES / "substack-export" / "posts"
    actions = {
        slug: re.findall(r'class="button-wrapper".*?href="([^"]+)"', p.read_text(encoding="utf-8"), re.S)
        for slug, p in (
            ("plain-text", folder / "123401.plain-text.html"),
            ("podcast", folder / "123402.podcast.html"),
        )
    }
    assert all(actions.values())  # the case under test, in the real export
    out = ok(run_floor("import", FIXTURES / "substack-export", "--all", site=site))
    for slug, hrefs in actions.items():
        assert f"dropped Substack's subscribe, share or comment button(s): {len(hrefs)}" in out
        body = body_of(site, slug)
        assert not [h for h in hrefs if h in body], body
    assert "Dolore magna aliqua. Ut enim ad minim veniam" in body_of(site, "plain-text")  # the text stays


def test_the_rule_above_a_dropped_closing_button_goes_with_it(site: Path) -> None:
    """The real "Plain Text" post ends on a rule (`<div><hr /></div>`) and then Substack's Sign-up
    button: with the button dropped, the post ended on a lone "---" under its last paragraph."""
    raw = (FIXTURES / "substack-export" / "posts" / "123401.plain-text.html").read_text(encoding="utf-8")
    assert re.search(r"<div><hr ?/></div>\s*<p class=\"button-wrapper\"[^>]*>.*?</p>\s*$", raw, re.S)
    ok(run_floor("import", FIXTURES / "substack-export", "--all", site=site))
    body = body_of(site, "plain-text").rstrip()
    assert body.endswith("Ut enim ad minim veniam, quis nostrud exercitation ullamco."), body
    kept, _ = import_substack.without_substack_buttons(
        '<p>One.</p><hr/><p>Two.</p><p class="button-wrapper"><a href="https://a.substack.com/subscribe">'
        "Sign up</a></p>"
    )
    assert "<hr/>" in kept  # a rule with the author's text after it stays
    kept, _ = import_substack.without_substack_buttons(
        '<p>One.</p><p class="button-wrapper"><a href="https://a.substack.com/subscribe">Sign up</a></p>'
        "<p>Two.</p><hr/>"
    )
    assert "<hr/>" in kept  # the button was not the end of the post: the closing rule is the author's


def test_a_button_the_author_made_to_link_elsewhere_stays() -> None:
    text = (
        '<p>Out now.</p><p class="button-wrapper"><a class="button primary" '
        'href="https://books.example.org/the-book"><span>Buy the book</span></a></p>'
        '<p class="button-wrapper"><a class="button primary" '
        'href="https://ada.substack.com/p/out-now?utm_source=substack&amp;action=share"><span>Share</span></a></p>'
    )
    kept, dropped = import_substack.without_substack_buttons(text)
    assert dropped == 1
    assert "https://books.example.org/the-book" in kept and "action=share" not in kept


def test_a_medium_zip_gives_its_stories_without_drafts_responses_or_id_suffixes(tmp_path: Path) -> None:
    folder = FIXTURES / "medium-export" / "posts"
    stories = {p.name: p.read_text() for p in folder.glob("*.html")}
    dated = [n for n, t in stories.items() if "dt-published" in t and "p-summary" in t]
    data = zipped(FIXTURES / "medium-export", tmp_path / "medium.zip").read_bytes()
    source = read("medium.zip", data)
    assert source.format == "Medium export"
    assert len(source.posts) == len(dated)
    assert source.skipped == {"draft": 1, "response": 1, "story without a date": 1}
    for post in source.posts:
        assert post.slug and not re.search(r"-[0-9a-f]{8,}$", post.slug)
        assert post.url is None or post.url.startswith("https://medium.com/")
    assert {p.slug for p in source.posts} >= {"testpost", "no-slug-post"}
    assert all(p.labels == ["Things", "Stuff"] for p in source.posts if p.slug == "testpost")


def test_a_medium_story_s_subtitle_is_its_quick_answer_and_not_repeated_under_it(site: Path) -> None:
    """Medium writes a story's subtitle twice: as its summary (the quick answer) and as the heading
    under its title in the text. The page showed it as the quick answer and again as the answer's
    first heading (and, in this story, again as an italic paragraph under the picture: a copy of
    the quick answer at the top of the text is dropped too, as for any platform's excerpt)."""
    page = (FIXTURES / "medium-export" / "posts" / "advanced-post.html").read_text(encoding="utf-8")
    said = " ".join(re.search(r'class="p-summary">(.*?)</section>', page, re.S).group(1).split())  # type: ignore[union-attr]
    assert 'graf--subtitle">' + said in page
    ok(run_floor("import", FIXTURES / "medium-export", "--all", site=site))
    text = (site / "content" / "floor" / "testpost.md").read_text(encoding="utf-8")
    assert f"quick_answer: {said}" in text
    body = body_of(site, "testpost")
    assert f"#### {said}" not in body and not body.lstrip().startswith("#")
    assert said not in body
    assert "This is a paragraph of text and stuff." in body  # the story's own text stays


@pytest.mark.parametrize(
    ("fixture", "slug"), [("medium-export", "testpost"), ("pelican-wordpressexport.xml", "caption-on-image")]
)
def test_a_picture_kept_in_a_figure_without_alt_text_gets_an_empty_one(
    site: Path, fixture: str, slug: str
) -> None:
    """Medium's figures and WordPress's [caption] images often have no alt at all. Kept as HTML
    as they were, the page had <img> without alt: not valid HTML, a screen reader reads the file
    name, and the build never named them, though docs/intake.md says every picture without a
    description arrives with an empty alt that each build names."""
    source = FIXTURES / fixture
    files = source.glob("posts/*.html") if source.is_dir() else [source]
    bare = [m for f in files for m in re.findall(r"<img\b[^>]*>", f.read_text(encoding="utf-8"))]
    assert [m for m in bare if "alt=" not in m]  # the case under test, in the real export
    ok(run_floor("import", source, "--all", site=site))
    body = body_of(site, slug)
    images = re.findall(r"<img\b[^>]*>", body)
    assert images and all(" alt=" in i for i in images), images
    build = run_floor("build", site=site)
    ok(build)
    page = (site / "output" / "floor" / slug / "index.html").read_text(encoding="utf-8")
    assert all(" alt=" in i for i in re.findall(r"<img\b[^>]*>", page))
    assert "Empty alt attribute for image" in " ".join((build.stdout + build.stderr).split())


@pytest.mark.parametrize(
    ("fixture", "slug", "excerpt"),
    [
        # Squarespace's excerpt: a copy of the post's first paragraph
        ("squarespace-sample.xml", "basic-post", r"<excerpt:encoded><!\[CDATA\[<p>(.*?)</p>\]\]>"),
        # a podcast feed's description beside the same text as its content
        ("libsyn-feed.xml", "dolor-simet", r"<content:encoded><!\[CDATA\[<p>(.*?)</p>"),
    ],
)
def test_an_excerpt_that_copies_the_opening_is_the_quick_answer_and_not_read_twice(
    site: Path, fixture: str, slug: str, excerpt: str
) -> None:
    """The quick answer taken from an excerpt or summary that is a copy of the post's first
    paragraph: the page showed it as the quick answer and again as the longer answer's opening."""
    said = re.search(excerpt, (FIXTURES / fixture).read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
    ok(run_floor("import", FIXTURES / fixture, "--all", site=site))
    text = (site / "content" / "floor" / f"{slug}.md").read_text(encoding="utf-8")
    assert f"quick_answer: {said}" in text
    assert said not in body_of(site, slug)


# --- what the kit does not read is named ------------------------------------------------------------


def test_files_that_are_not_exports_are_named_with_the_way_forward(tmp_path: Path) -> None:
    html_zip = tmp_path / "pages.zip"
    with zipfile.ZipFile(html_zip, "w") as archive:
        for path in (FIXTURES / "medium-export" / "posts").glob("*.html"):
            archive.write(path, path.name)  # no posts/ folder: not Medium's layout
    cases = {
        html_zip: "is a zip of 9 files (9 .html)",
        FIXTURES / "libsyn-feed.xml": None,
        Path(__file__).resolve().parent.parent
        / "fixtures"
        / "intake"
        / "outlook-simple.msg": "Outlook message (.msg)",
    }
    for path, expected in cases.items():
        if expected is None:
            continue
        with pytest.raises(FloorError) as caught:
            read(path, path.read_bytes())
        assert expected in caught.value.problem, caught.value.problem
        assert "floor import reads" in caught.value.problem or "floor intake eml" in caught.value.problem
    not_ghost = tmp_path / "package.json"
    not_ghost.write_text('{"name": "x", "version": "1.0.0"}')
    with pytest.raises(FloorError) as caught:
        read(not_ghost, not_ghost.read_bytes())
    assert "is a JSON file but not a Ghost export" in caught.value.problem


def test_an_enclosure_the_text_already_plays_is_not_added_twice() -> None:
    """WordPress's theme test data: the audio post has an [audio] shortcode and the same file as enclosure."""
    from from_the_floor.intake import import_qa, importer

    source = read("wp-theme-unit-test.xml")
    (post,) = [p for p in source.posts if p.enclosures and "[audio" in p.html]
    assert post.enclosures[0].url in post.html
    body = importer.convert(post, import_qa.labels_from_settings({})).body
    assert body.count("<audio") == 1


def test_an_untitled_post_asking_a_question_in_its_text_gets_that_question() -> None:
    from from_the_floor.intake import import_qa, importer

    data = (FIXTURES / "squarespace-sample.xml").read_bytes()
    asked = data.replace(b"<p>My content.</p>", b"<p>My content. How do I price my time as a freelancer?</p>")
    assert asked != data
    untitled = next(p for p in read("squarespace-sample.xml", asked).posts if not p.title)
    converted = importer.convert(untitled, import_qa.labels_from_settings({}))
    assert importer.untitled_question(untitled, converted) == "How do I price my time as a freelancer?"
    assert any("untitled" in note for note in converted.notes)


def test_a_ghost_image_card_keeps_its_alt_text_and_pelican_warns_only_of_images_without_one(
    site: Path, tmp_path: Path
) -> None:
    """Ghost's image cards (Lexical and Mobiledoc, and a gallery's images) hold the author's alt text:
    the import wrote alt="" instead, so a screen reader skipped the image and every build of the
    column printed Pelican's "Empty alt attribute" for text the author had written. An image that
    had no alt text in Ghost still gets Pelican's warning: that one is the author's to write."""
    export = json.loads((FIXTURES / "ghost-2-export-lexical.json").read_text(encoding="utf-8"))
    posts = export["db"][0]["data"]["posts"] if "db" in export else export["data"]["posts"]
    with_lexical = next(p for p in posts if p.get("lexical"))
    with_lexical["lexical"] = with_lexical["lexical"].replace(
        '"alt":""', '"alt":"A red bicycle \\"on\\" a wall"', 1
    )
    assert "A red bicycle" in with_lexical["lexical"]
    mobiledoc = {"version": "0.3.1", "markups": [], "atoms": [], "sections": [[10, 0], [10, 1]]}
    mobiledoc["cards"] = [
        ["image", {"src": "https://example.com/a.jpg", "alt": "A kite", "caption": "Flying"}],
        ["gallery", {"images": [{"src": "https://example.com/b.jpg", "alt": "A boat"}, "not an image"]}],
    ]
    made, _note = ghost_documents.post_html({"mobiledoc": json.dumps(mobiledoc)})
    assert '<img src="https://example.com/a.jpg" alt="A kite">' in made
    assert '<img src="https://example.com/b.jpg" alt="A boat">' in made
    path = tmp_path / "ghost.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    ok(run_floor("import", path, "--all", site=site))
    built = run_floor("build", site=site, env={"COLUMNS": "400"}, timeout=300)
    assert built.returncode == 0, built.stderr
    said = built.stdout + built.stderr
    assert "lexical-image.jpg" not in said  # its alt text came along
    assert "Empty alt attribute for image photo-1.jpg" in said  # Ghost had none for this one
    shown = {m for p in (site / "output").rglob("*.html") for m in re.findall(r"<img[^>]*>", p.read_text())}
    assert (
        """<img alt='A red bicycle "on" a wall' src="https://example.com/images/lexical-image.jpg"/>"""
        in shown
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (FIXTURES / "beehiiv-posts.csv", "is a CSV table (columns: id, web_title, status"),
        (FIXTURES / "wix-posts.csv", "is a CSV table (columns: Author, Main Category, Title"),
        (FIXTURES / "substack-export" / "posts.csv", "is Substack's posts.csv alone"),
        # Excel's "Unicode Text" (UTF-16 with its BOM, tabs): the header row was not read as UTF-8
        (
            FIXTURES.parent / "intake" / "excel-unicode-text.txt",
            "is a table in UTF-16, as Excel saves Unicode Text (columns: Question, Name, Date)",
        ),
    ],
)
def test_a_csv_given_to_import_is_named_as_a_table_not_as_broken_xml(
    site: Path, path: Path, expected: str
) -> None:
    """Beehiiv, Wix and Buttondown export posts as CSV, and Substack's export unzipped holds a
    posts.csv: given to floor import, each was "not well-formed XML (syntax error: line 1, column 0)"."""
    err = fails_cleanly(run_floor("import", path, "--all", site=site))
    assert expected in err and "XML" not in err and "nothing was imported" in err
    forward = "posts.csv beside its posts/ folder" if "Substack's" in expected else "floor intake csv"
    assert forward in err  # the way forward for each
    assert not list((site / "content" / "floor").glob("*.md"))


def test_utf16_text_that_is_no_table_is_named_and_a_utf16_feed_is_still_read(
    site: Path, tmp_path: Path
) -> None:
    """A UTF-16 file got "not well-formed XML (syntax error: line 1, column 1)" whatever it held;
    a feed saved as UTF-16 is XML that says so, and is read as before."""
    notes = tmp_path / "notes.txt"
    notes.write_text("Questions from the talk\nWhy Mondays?\n", encoding="utf-16")
    err = fails_cleanly(run_floor("import", notes, "--all", site=site))
    assert "is UTF-16 text, not an export" in err and "XML" not in err and "floor intake csv" in err
    text = (FIXTURES / "libsyn-feed.xml").read_text(encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text(text.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1), encoding="utf-16")
    out = ok(run_floor("import", feed, "--all", "--dry-run", site=site))
    assert len(re.findall(r"^would import #\d", out, re.M)) == 2, out


def test_blogger_s_api_json_is_named_with_the_way_to_blogger_s_own_backup(site: Path) -> None:
    """Blogger's API lists posts as JSON (Ghost's migration tools read it); given to floor import it
    was "not a Ghost export", with the way forward only from Ghost."""
    path = FIXTURES / "blogger-api-posts.json"
    assert json.loads(path.read_text(encoding="utf-8"))[0]["kind"] == "blogger#post"  # the case
    err = fails_cleanly(run_floor("import", path, "--all", site=site))
    assert "Blogger's API" in err and "Settings → Back up content" in err and "Ghost" not in err
    assert not list((site / "content" / "floor").glob("*.md"))


def test_a_substack_post_for_paying_or_free_subscribers_stays_out_and_is_counted(
    site: Path, tmp_path: Path
) -> None:
    """Substack's export holds a paid post's whole text beside the public ones; only posts.csv's
    `audience` tells them apart. The real export with its newsletter post made `only_paid` and its
    podcast `only_free`: neither text reaches the column, and the report names both."""
    folder = tmp_path / "substack-export"
    shutil.copytree(FIXTURES / "substack-export", folder)
    rows = (folder / "posts.csv").read_text(encoding="utf-8")
    assert (
        rows.count(",newsletter,everyone,Plain Text,&#x201C;") == 1 and rows.count(",podcast,everyone,") == 1
    )
    rows = rows.replace(
        ",newsletter,everyone,Plain Text,&#x201C;", ",newsletter,only_paid,Plain Text,&#x201C;"
    )
    (folder / "posts.csv").write_text(
        rows.replace(",podcast,everyone,", ",podcast,only_free,"), encoding="utf-8"
    )
    out = ok(run_floor("import", zipped(folder, tmp_path / "substack.zip"), "--all", site=site))
    assert "nothing new to import from this Substack export" in out
    assert "1 paid-subscribers-only post" in out and "1 subscribers-only post" in out
    assert not list((site / "content" / "floor").glob("*.md"))
