"""desk.words: a CLI message's `floor …` steps in the desk's words, everything else escaped."""

from __future__ import annotations

from from_the_floor.core import retire_switch
from from_the_floor.desk.words import desk_words


def test_a_step_the_desk_takes_is_a_link_and_reader_text_stays_text() -> None:
    said = desk_words('<b>x</b> has no answer yet: `floor answer q<1> --quick "…" --edit`')
    assert said == '&lt;b&gt;x&lt;/b&gt; has no answer yet: <a href="/q/q%3C1%3E">answer it on its page</a>'


def test_the_retirement_switch_is_named_by_its_button() -> None:
    off = retire_switch.Switch(armed=False, grace_weeks=4, set_in=None).text()
    on = retire_switch.Switch(armed=True, grace_weeks=4, set_in="pelicanconf.py").text()
    assert "`floor retire --when-done`" in off  # the CLI's words are unchanged
    assert "`" not in desk_words(off) and 'href="/schedule#retire-h">Arm retirement</a>' in desk_words(off)
    assert 'href="/schedule#retire-h">Disarm retirement</a> button on the Schedule page turns it off' in (
        desk_words(on)
    )


def test_a_step_only_the_terminal_takes_says_so() -> None:
    said = desk_words("is ready but has no slot; `floor check` says why")
    assert said == "is ready but has no slot; <code>floor check</code> in a terminal says why"
    assert desk_words("3 question file(s) cannot be read; `floor check`").endswith(
        '<a href="/">the queue</a> names them'
    )


def test_the_import_report_s_posts_without_a_quick_answer_link_to_their_pages() -> None:
    said = desk_words(
        "2 post(s) need a quick answer (add a quick_answer line to content/floor/ID.md): with-tags, a<b"
    )
    assert said == (
        "2 post(s) need a quick answer; write it on each post's page: "
        '<a href="/q/with-tags">with-tags</a>, <a href="/q/a%3Cb">a&lt;b</a>'
    )


def test_the_import_report_s_posts_without_a_quick_answer_beyond_ten_are_not_links() -> None:
    said = desk_words(
        "12 post(s) need a quick answer (add a quick_answer line to content/floor/ID.md): "
        + ", ".join(f"post-{n}" for n in range(10))
        + "; 2 more: floor check names each"
    )
    assert said.count("<a href=") == 10 and '<a href="/q/post-9">post-9</a>; 2 more' in said


def test_the_import_s_word_about_committing_points_to_the_push_button() -> None:
    said = desk_words(
        "not committed yet: the weekly job builds only what is pushed; `floor push` commits the posts"
    )
    assert '<a href="/publish#push">Push, on the Publish page,</a> commits the posts' in said
