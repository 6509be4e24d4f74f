"""The import's HTML → Markdown and Q&A parts, checked through the site's own Markdown renderer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from from_the_floor.core import queue as queue_mod
from from_the_floor.core.site import Site
from from_the_floor.intake import html_markdown, import_qa
from from_the_floor.web import render
from helpers_floor import ok, run_floor


def rendered(html: str, *, wordpress: bool = False) -> str:
    return render.author_markdown(html_markdown.convert_post(html, wordpress=wordpress).markdown)


def test_line_breaks_are_hard_breaks_not_backslashes() -> None:
    out = rendered("<p>Dear Robin,<br>I sell shoes.<br/>What now?</p>")
    assert out.count("<br") == 2 and "\\" not in out


def test_nested_lists_and_code_inside_a_list_item_keep_their_shape() -> None:
    source = (
        "<ul><li>one<ul><li>two<ol><li>three</li></ol></li></ul></li>"
        "<li>with code<pre><code>if x &lt; 1:\n    go()</code></pre></li></ul>"
    )
    out = rendered(source)
    assert re.search(r"<ul>\s*<li>one\s*<ul>\s*<li>two\s*<ol>\s*<li>three", out)
    item = out[out.index("with code") :]
    assert "<pre><code>if x &lt; 1:\n    go()" in item and item.index("<pre>") < item.index("</li>")


def test_two_lists_in_a_row_stay_two() -> None:
    out = rendered("<ol><li>a</li></ol><ol><li>b</li></ol>")
    assert out.count("<ol>") == 2


def test_text_that_shows_markup_stays_text() -> None:
    out = rendered("<p>Type &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; see</p><script>x()</script>")
    assert "<script" not in out and "&lt;script&gt;" in out and "&amp;amp;" in out


@pytest.mark.parametrize(
    "source",
    [
        "<p>[md](javascript:alert(9))</p>",
        "<p>![img](javascript:alert(9)) and [ref][1]</p><p>[1]: javascript:alert(9)</p>",
        "<p>\\[md](javascript:alert(9)) after a backslash</p>",
        "<p>&lt;javascript:alert(9)&gt; and `code` and [x](data:text/html,hi)</p>",
        "<p><em>[md](vbscript:msgbox(9))</em></p>",
    ],
)
def test_text_that_looks_like_markdown_stays_text(source: str) -> None:
    """An old post that *wrote* a Markdown link as text: no link, image or HTML appears."""
    out = rendered(source)
    assert "<a" not in out and "<img" not in out and "<code" not in out, out
    assert "javascript:alert(9)" in out or "data:text/html" in out or "vbscript:" in out  # still shown


def test_escaped_text_reads_as_it_did() -> None:
    out = rendered("<p>C:\\Users\\robin, [1], a `tick` and 2*3*4 _under_</p>")
    assert "C:\\Users\\robin, [1], a `tick` and 2*3*4 _under_" in out


def test_links_and_images_that_were_links_stay_links() -> None:
    out = rendered(
        '<p><a href="https://example.org/a_(b)">the [old] link</a> <img src="/x.png" alt="[x]"></p>'
    )
    assert '<a href="https://example.org/a_(b)">the [old] link</a>' in out and '<img alt="[x]"' in out


def test_embeds_from_the_allow_list_only() -> None:
    conversion = html_markdown.convert_post(
        '<p>Watch:</p><iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>'
        '<iframe src="https://tracker.example/frame"></iframe>'
        "<p>https://vimeo.com/123456</p>"
    )
    out = render.author_markdown(conversion.markdown)
    assert 'src="https://www.youtube.com/embed/abcdefghijk"' in out
    assert 'src="https://player.vimeo.com/video/123456"' in out
    assert "tracker.example" not in out
    assert any("tracker.example" in note for note in conversion.notes)


def test_shortcodes_become_figures_and_headings_move_under_the_page() -> None:
    html = (
        "<h1>Why</h1>\n\n"
        '[caption id="x" width="300"]<img src="https://old.example/a.jpg" alt="A shop">'
        " The shop floor[/caption]\n\n"
        '[gallery ids="7,8"]\n\n[embed]https://youtu.be/abcdefghijk[/embed]'
    )
    conversion = html_markdown.convert_post(
        html,
        wordpress=True,
        attachments={
            "7": ("https://old.example/7.jpg", "Seven"),
            "8": ("https://old.example/8.jpg", "Eight"),
        },
    )
    out = render.author_markdown(conversion.markdown)
    assert "<h3>Why</h3>" in out
    assert re.search(r"<figure><img[^>]*a\.jpg[^>]*/?><figcaption>The shop floor</figcaption></figure>", out)
    assert "7.jpg" in out and "8.jpg" in out and "youtube-nocookie.com/embed/abcdefghijk" in out
    assert "[caption" not in out and "[gallery" not in out and "[embed" not in out


@pytest.mark.parametrize(
    "markdown",
    [
        "**Query:** Should I?  \n**Quick answer:** Yes.  \n**More thoughtful answer:** Because.\n\nAnd more.",
        "Q: Should I?\n\nQuick answer: Yes.\n\nA: Because.\n\nAnd more.",
        "### Question\n\nShould I?\n\n### Short answer\n\nYes.\n\n### Long answer\n\nBecause.\n\nAnd more.",
        "__Question__\n\nShould I?\n\n__Short answer:__ Yes.\n\n__Long answer:__\n\nBecause.\n\nAnd more.",
    ],
)
def test_labelled_parts_in_their_usual_styles(markdown: str) -> None:
    parts = import_qa.split("A reader wrote in this week.\n\n" + markdown)
    assert parts is not None
    assert (parts.question, parts.quick_answer, parts.source) == ("Should I?", "Yes.", "label")
    assert parts.body == "A reader wrote in this week.\n\nBecause.\n\nAnd more."  # the intro stays


def test_labels_are_configurable_and_prose_is_not_a_label() -> None:
    labels = import_qa.labels_from_settings(
        {"FLOOR_IMPORT_LABELS": {"question": ["Frage"], "quick_answer": ["Kurz"], "body": ["Lang"]}}
    )
    parts = import_qa.split("Frage: Warum?\n\nKurz: Darum.\n\nLang: Weil.", labels)
    assert parts is not None and (parts.question, parts.quick_answer, parts.body) == (
        "Warum?",
        "Darum.",
        "Weil.",
    )
    assert import_qa.split("Answer the phone quickly.\n\nA question remains.") is None
    with pytest.raises(Exception, match="FLOOR_IMPORT_LABELS"):
        import_qa.labels_from_settings({"FLOOR_IMPORT_LABELS": {"questions": ["Q"]}})


@pytest.mark.parametrize(
    "markdown",
    [
        "![The shop](https://old.example/a.jpg)\n\n*Photo: the shop*\n\n## Heading",
        "https://www.youtube.com/watch?v=abcdefghijk\n\n<figure><img src=x></figure>",
        "Only one paragraph, the whole post.",
        "### A heading\n\n- a list",
    ],
)
def test_the_heuristic_never_picks_a_caption_image_url_heading_or_the_whole_post(markdown: str) -> None:
    assert import_qa.first_plain_paragraph(markdown) is None


def test_labelled_feed_post_through_floor_import(site: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>
<title>Ask Robin: returns</title><link>https://old.example/2020/05/15</link><guid>g1</guid>
<pubDate>Fri, 15 May 2020 09:00:00 GMT</pubDate>
<description><![CDATA[<p>Hello again.</p><p><b>Query:</b> Do you take returns?<br>
<b>Quick answer:</b> Within a month.<br>
<b>More thoughtful answer:</b> It depends on the shoe.</p>]]></description></item></channel></rss>""",
        encoding="utf-8",
    )
    out = ok(run_floor("import", feed, "--all", "--dry-run", site=site))
    assert "question: Do you take returns?" in out and "quick answer: from its label" in out
    ok(run_floor("import", feed, "--all", site=site))
    (post,) = queue_mod.load(Site(site)).published
    assert (post.question, post.quick_answer) == ("Do you take returns?", "Within a month.")
    assert post.body.startswith("Hello again.") and "It depends on the shoe." in post.body
    assert post.id == "do-you-take-returns"  # "15" is not a readable slug


def test_a_labelled_post_without_a_quick_answer_label_never_guesses_its_intro() -> None:
    from from_the_floor.intake import importer
    from from_the_floor.intake.import_formats import OldPost

    post = OldPost(
        title="t",
        html="<p>Thanks for all the letters this week.</p><p>Q: Should I?</p>"
        "<p>A: Yes, if you can.</p><p>Then tell us how it went.</p>",
        date=__import__("datetime").datetime(2020, 1, 1, tzinfo=__import__("datetime").UTC),
        guid="g",
    )
    done = importer.convert(post, import_qa.DEFAULT_LABELS)
    assert (done.question, done.quick, done.source) == ("Should I?", "Yes, if you can.", "heuristic")
    assert done.body == "Thanks for all the letters this week.\n\nThen tell us how it went."


def test_a_labelled_question_is_its_text_without_markdown_escapes() -> None:
    markdown = html_markdown.convert_post(
        "<p><b>Question:</b> Is [this] 2*3 or &lt;b&gt; in C:\\dir &amp;amp; more?</p>"
        "<p><b>Short answer:</b> Yes.</p><p><b>Long answer:</b> Because.</p>"
    ).markdown
    parts = import_qa.split(markdown)
    assert parts is not None
    assert parts.question == "Is [this] 2*3 or <b> in C:\\dir &amp; more?"


def test_relative_addresses_resolve_against_the_old_post_only_inside_tags() -> None:
    """Pictures and links at relative addresses keep their old host; an address written as text
    (a post that shows HTML in a code sample) and anchors, mail links and absolute ones stay."""
    from from_the_floor.intake.import_media import absolute_addresses

    html = (
        '<p><a href="../about/">about</a> <img src="pic.png"'
        ' srcset="/a-300.png 300w, //cdn.example/b.png 2x">'
        ' <a href="#top">top</a> <a href="mailto:ann@example.org">mail</a> <a href="https://x.example/">x</a>'
        ' <code>&lt;img src="/shown-as-text.png"&gt;</code></p>'
    )
    made, count = absolute_addresses(html, "https://old.example/2012/05/post/")
    assert count == 4
    assert 'href="https://old.example/2012/05/about/"' in made
    assert 'src="https://old.example/2012/05/post/pic.png"' in made
    assert 'srcset="https://old.example/a-300.png 300w, https://cdn.example/b.png 2x"' in made
    assert (
        'href="#top"' in made
        and 'href="mailto:ann@example.org"' in made
        and 'href="https://x.example/"' in made
    )
    assert '&lt;img src="/shown-as-text.png"&gt;' in made
    assert absolute_addresses(html, "/blog/post.html") == (html, 0)  # no old host known: unchanged
    assert absolute_addresses(html, None) == (html, 0)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>", "Markup: Title With Markup"),
        ("Tom &amp; Jerry &#8211; again", "Tom & Jerry \u2013 again"),
        ("<img src=x onerror=alert(1)>Hello <script>alert(2)</script>there", "Hello there"),
        ("&lt;b&gt; is how you write bold", "<b> is how you write bold"),  # the author's own words
        ("Is 2 < 3?", "Is 2 < 3?"),
    ],
)
def test_a_title_written_in_html_becomes_its_text(raw: str, text: str) -> None:
    """WordPress titles are HTML: the question is what a reader saw, never the tags as text, and
    nothing of the export's markup survives to be shown as markup."""
    assert html_markdown.title_text(raw) == text


@pytest.mark.parametrize(
    ("html", "shows"),
    [
        ("", False),
        ("  <p> </p>\n<br>", False),
        ("<!-- nothing --><div></div>", False),
        ("<p>A word.</p>", True),
        ('<figure><img src="https://example.org/a.jpg"></figure>', True),  # a picture without a caption
        ('<iframe src="https://www.youtube.com/embed/x"></iframe>', True),
    ],
)
def test_html_shows_something_when_it_has_text_or_a_picture_or_a_player(html: str, shows: bool) -> None:
    """An entry with no title is skipped only when its HTML shows nothing at all."""
    assert html_markdown.has_content(html) is shows
