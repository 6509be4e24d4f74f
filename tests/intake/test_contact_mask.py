"""Contact details in a reader's words are masked on the common intake path (and by `floor ask`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.intake import intake
from from_the_floor.intake.contact_mask import MASK, mask
from helpers_floor import ok, run_floor


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Write to me at ann@example.org please", f"Write to me at {MASK} please"),
        ("Ann.O'Neil+col@mail.example.co.uk wrote it", f"{MASK} wrote it"),
        ("[mail me](mailto:ann@example.org) or <ann@example.org>", f"{MASK} or {MASK}"),
        ("mailto:ann@example.org?subject=hi", MASK),
        ("ann at example dot org", MASK),
        ("ann [at] example [dot] org", MASK),
        ("ann(at)example.org", MASK),
        ("ann {at} mail {dot} example {dot} com", MASK),
        ("call +44 20 7946 0958 or +1 (212) 555-0143", f"call {MASK} or {MASK}"),
    ],
)
def test_contact_details_are_masked(text: str, masked: str) -> None:
    result, count = mask(text)
    assert result == masked
    assert count == masked.count(MASK)
    assert mask(result) == (result, 0)  # stable: masking again changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "I looked at this dot matrix printer",
        "We met at 10 and sold 1,250 copies in 2026",
        "See https://example.com/a@b for the thread",
        "@octocat said hi",
        "Is 3.14159 a good answer?",
    ],
)
def test_ordinary_words_are_left_alone(text: str) -> None:
    assert mask(text) == (text, 0)


@pytest.mark.parametrize("region", ["DE", "GB", "US", "FR"])
def test_dates_and_counts_are_not_phone_numbers(region: str) -> None:
    text = "Am 05.11.2026 um 14.30 kamen 1234567 Leser, Bestellung 12345678 (2026-11-05, 11/05/2026)"
    assert mask(text, region=region) == (text, 0)


def test_national_numbers_need_the_region() -> None:
    assert mask("Ring 020 7946 0958") == ("Ring 020 7946 0958", 0)
    assert mask("Ring 020 7946 0958", region="GB") == (f"Ring {MASK}", 1)
    assert mask("Tel. 030 12345678", region="DE") == (f"Tel. {MASK}", 1)


def test_clean_masks_question_details_and_name_but_keeps_the_contact() -> None:
    new = intake.NewQuestion(
        question="Can you answer at ann@example.org?",
        asked=dt.date(2026, 11, 9),
        asker="ann@example.org",
        contact="ann@example.org",
        details="Or ring ANN@EXAMPLE.ORG's desk: +44 20 7946 0958",
        private=["a.work@example.net"],
    )
    intake.clean(new)
    assert new.question == f"Can you answer at {MASK}?"
    assert new.asker is None  # the "name" was only an address
    assert new.details == f"Or ring {MASK}'s desk: {MASK}"
    assert new.contact == "ann@example.org" and new.masked == 4
    intake.clean(new)
    assert new.masked == 4


def test_floor_ask_says_what_it_removed(site: Path) -> None:
    result = run_floor("ask", "Why Mondays?", "--details", "Reply to kim at example dot org", site=site)
    qid = ok(result).strip()
    assert "removed 1 contact detail" in result.stderr
    q = question_mod.load(site / "questions" / f"{qid}.md")
    assert q.details == f"Reply to {MASK}"


def test_the_sites_time_zone_gives_the_phone_region(site: Path) -> None:
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nTIMEZONE = 'Europe/London'\n", encoding="utf-8")
    qid = ok(
        run_floor("ask", "Can you ring me?", "--details", "On 020 7946 0958, evenings", site=site)
    ).strip()
    assert question_mod.load(site / "questions" / f"{qid}.md").details == f"On {MASK}, evenings"
    conf.write_text(conf.read_text(encoding="utf-8") + "FLOOR_PHONE_REGION = None\n", encoding="utf-8")
    qid = ok(run_floor("ask", "Or text me?", "--details", "On 020 7946 0958", site=site)).strip()
    assert question_mod.load(site / "questions" / f"{qid}.md").details == "On 020 7946 0958"


@pytest.mark.parametrize(
    "text",
    [
        "Write to ann\u200b@example.org please",  # a zero-width space inside
        "Write to \u0430nn@ex\u0430mple.org please",  # Cyrillic а
        "Write to ann\u2066@example.org\u2069 please",  # bidi isolates
        "Write to ann&#64;example.org please",  # an entity
    ],
)
def test_an_address_hidden_from_the_patterns_is_masked_as_a_reader_reads_it(text: str) -> None:
    masked, count = mask(text)
    assert count == 1 and MASK in masked and "example" not in masked
    assert masked.startswith("Write to ") and masked.endswith(" please")


def test_the_readers_own_contact_is_masked_in_any_form() -> None:
    masked, count = mask(
        "Call me on 07700\u00b7900\u00b7456 or at b\u043eb@example.org", known=("bob@example.org",)
    )
    assert "example.org" not in masked
    assert count >= 1


def test_look_alike_text_is_left_alone() -> None:
    text = "Ask joann at the desk; café prices rose 12%."
    assert mask(text, known=("ann@example.org",)) == (text, 0)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Bob Jones <bob@example.org>", "bob@example.org"),
        ('"bob@example.org"', "bob@example.org"),  # what intake eml stored from an RFC 2047 From
        ("=?utf-8?q?Bob_J=C3=B6nes?= <bob@example.org>", "bob@example.org"),
        ("bob@example.org, mobile: 07700 900456 ext. 3", "bob@example.org, 07700 900456"),
        ("github:acme/app1234567/issues/1234567", "github:acme/app1234567/issues/1234567"),
        ("@bob_on_mastodon", "@bob_on_mastodon"),
    ],
)
def test_intake_keeps_each_contact_in_its_bare_form(given: str, stored: str) -> None:
    new = intake.clean(intake.NewQuestion("A question?", dt.date(2026, 11, 1), contact=given))
    assert new.contact == stored


# Japanese, Chinese, Korean and Thai put an address straight against their words (modelled on
# real READMEs and mail: "…は、**address**までご連絡ください。"): the address goes, the words stay.
@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("お問い合わせはann@example.orgまでご連絡ください。", f"お問い合わせは{MASK}までご連絡ください。"),
        ("正式なお問い合わせは、**ann@example.org**まで。", f"正式なお問い合わせは、**{MASK}**まで。"),
        ("ご質問は**ann@example.org**まで", f"ご質問は**{MASK}**まで"),
        (
            "ご利用の場合は`ann@example.org`までご連絡ください。",
            f"ご利用の場合は`{MASK}`までご連絡ください。",
        ),
        (
            "お問い合わせはmailto:ann@example.orgまでご連絡ください。",
            f"お問い合わせは{MASK}までご連絡ください。",
        ),
        ("連絡先はann[at]example[dot]orgまでお願いします。", f"連絡先は{MASK}までお願いします。"),
        ("連絡先はann at example dot orgまでお願いします。", f"連絡先は{MASK}までお願いします。"),
        ("連絡はann@例え.jpまで", f"連絡は{MASK}まで"),  # a Japanese domain, an ASCII ending
        ("联系我：ann@example.org谢谢", f"联系我：{MASK}谢谢"),
        ("이메일은ann@example.org로 보내주세요", f"이메일은{MASK}로 보내주세요"),
        ("ส่งอีเมลถึงann@example.orgครับ", f"ส่งอีเมลถึง{MASK}ครับ"),
        # hidden from the patterns, found as a reader reads it: only that piece of the "word" goes
        ("連絡はann\u200b@example.orgまで。明日また", f"連絡は{MASK}まで。明日また"),
        ("連絡はann&#64;example.orgまでお願いします", f"連絡は{MASK}までお願いします"),
        ("連絡はａｎｎ＠ｅｘａｍｐｌｅ．ｏｒｇまで", f"連絡は{MASK}まで"),
    ],
)
def test_words_of_a_script_without_spaces_beside_an_address_are_kept(text: str, masked: str) -> None:
    assert mask(text) == (masked, 1)
    assert mask(masked) == (masked, 0)


@pytest.mark.parametrize(
    "text",
    [
        "連絡は田中@example.jpまで",  # the local part itself is kanji: all of it goes
        "連絡はtaro.田中@example.jpまで",
        "連絡は田中.taro@example.jpまで",
        "連絡はann@example.みんなまで",  # a Japanese top-level domain
        "連絡はаnn@example.orgまで",  # a Cyrillic а
        "連絡はann（at）example（dot）orgまで",  # fullwidth brackets
        "連絡はann@example。orgまで",  # the ideographic full stop as the domain's dot
        "連絡はannノbob@example.orgまで",  # katakana ノ reads as "/", which an address may hold
    ],
)
def test_no_part_of_an_address_is_left_beside_japanese_words(text: str) -> None:
    masked, count = mask(text)
    assert count == 1 and MASK in masked  # 連絡は may go with 田中: too much hidden, not too little
    assert "example" not in masked and "田中" not in masked and "ann" not in masked and "bob" not in masked


def test_a_japanese_message_keeps_its_words_around_an_address() -> None:
    """A real Japanese message (base64 UTF-8, tests/fixtures/intake/SOURCES.md) whose body names
    a colleague's address in a sentence: the address is masked, the sentence is not."""
    import base64

    from from_the_floor.intake import intake_email

    raw = (Path(__file__).resolve().parent.parent / "fixtures" / "intake" / "utf8-base64-ja.eml").read_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]  # the file keeps its CRLF line ends
    body = "かきくえこ\n同僚のdesk@example.jpにも聞きましたが、まだ答えがありません。\n"
    message = intake_email.parse(
        head + b"\r\n\r\n" + base64.encodebytes(body.encode("utf-8")),
        "utf8-base64-ja.eml",
        tz=dt.UTC,
        today=dt.date(2026, 11, 9),
    )
    assert message.new is not None
    new = intake.clean(message.new)
    assert new.details == f"かきくえこ\n同僚の{MASK}にも聞きましたが、まだ答えがありません。"
    assert new.masked == 1


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Escríbeme: ann arroba example punto com, gracias", f"Escríbeme: {MASK}, gracias"),
        ("Escríbeme a ann[arroba]example[punto]es", f"Escríbeme a {MASK}"),
        ("Schreib an ann(ät)example(Punkt)de bitte", f"Schreib an {MASK} bitte"),
        ("Scrivi a marco chiocciola example punto it", f"Scrivi a {MASK}"),
        ("Пишите ann[собака]example[точка]ru", f"Пишите {MASK}"),
        ("Kirjoita ann(a)example.fi", f"Kirjoita {MASK}"),
    ],
)
def test_at_and_dot_spelled_in_other_languages_are_masked(text: str, masked: str) -> None:
    assert mask(text) == (masked, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Option (a) example.com is fine, (b) is not",
        "Siehe Punkt (a) und Punkt (b).",
        "Lo vedo al punto it, arroba todo.",
    ],
)
def test_other_languages_words_for_at_and_dot_alone_are_left(text: str) -> None:
    assert mask(text) == (text, 0)


@pytest.mark.parametrize(
    "text",
    [
        "Write [to me](mailto:ann@example.org) today",  # an HTML mail's link, made Markdown
        "Write mailto:ann@example.org today",
        "Write mailto:ANN@example.org?subject=Hi today",
    ],
)
def test_a_link_to_the_readers_own_address_is_masked_whole(text: str) -> None:
    assert mask(text, known=("ann@example.org",)) == ("Write [address removed] today", 1)


# --- Markdown around a masked contact stays balanced ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Write to **ann@example.org** please", f"Write to **{MASK}** please"),
        ("Write to *ann@example.org*.", f"Write to *{MASK}*."),
        ("Write to _ann@example.org_.", f"Write to _{MASK}_."),
        ("Write to __ann@example.org__.", f"Write to __{MASK}__."),
        ("Write to ***ann@example.org***!", f"Write to ***{MASK}***!"),
        ("Write to **_ann@example.org_** now", f"Write to **_{MASK}_** now"),
        ("Write to `ann@example.org`.", f"Write to `{MASK}`."),
        ("Write to ~~ann@example.org~~", f"Write to ~~{MASK}~~"),
        ("Write to **mailto:ann@example.org**.", f"Write to **{MASK}**."),
        (
            "My [**ann@example.org**](https://example.org/me) page",
            f"My [**{MASK}**](https://example.org/me) page",
        ),
        ("Write to **ann\u200b@example.org**.", f"Write to **{MASK}**."),
        ("*ann@example.org*, or **bob@example.net**", f"*{MASK}*, or **{MASK}**"),
    ],
)
def test_markdown_around_a_masked_address_stays_balanced(text: str, masked: str) -> None:
    """The page shows the emphasis, code span or link as the reader wrote it, around the mask;
    before, the opening delimiters went with the address (``[address removed]**``)."""
    result, count = mask(text)
    assert result == masked
    assert count == masked.count(MASK)
    assert "ann" not in result and "bob" not in result


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # no closing delimiter: the underscore or stars may be the address's own characters
        ("_ann@example.org wrote", f"{MASK} wrote"),
        ("**ann@example.org and more", f"{MASK} and more"),
        ("*ann@example.org_ wrote", f"{MASK}_ wrote"),
    ],
)
def test_an_unclosed_delimiter_is_masked_with_the_address(text: str, masked: str) -> None:
    assert mask(text) == (masked, 1)


# --- handles in a reader's words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("I'm @ann_k on Mastodon, by the way.", f"I'm {MASK} on Mastodon, by the way."),
        ("DM me @ann_k if you like.", f"DM me {MASK} if you like."),
        ("Mon compte Insta : @ann_k", f"Mon compte Insta : {MASK}"),
        ("Find me at @ann@mastodon.social", f"Find me at {MASK}"),
        ("My name there is @ann.bsky.social.", f"My name there is {MASK}."),
        ("see t.me/ann_k or https://x.com/ann_k", f"see {MASK} or {MASK}"),
        ("It's https://mastodon.social/@ann_k now.", f"It's {MASK} now."),
        ("bsky.app/profile/ann.bsky.social", MASK),
    ],
)
def test_a_handle_that_reaches_the_reader_is_masked(text: str, masked: str) -> None:
    """A handle is how to reach a reader (a question mailed from an address may name their
    Mastodon account): masked where it says so, or where its form says it."""
    result, count = mask(text)
    assert result == masked
    assert count == masked.count(MASK)
    assert "ann" not in result
    assert mask(result) == (result, 0)


@pytest.mark.parametrize(
    "text",
    [
        "Use @dataclass for that.",
        "Why does `@property` on Mastodon's code run twice?",
        "On GitHub:\n\n```python\n@app.route('/')\ndef home(): ...\n```",
        "    @decorator   # indented code, on GitHub",
        "The @app.route('/') decorator",
        "See you @ the meetup, DM me after.",
        "Lunch @10am? Ping me.",
        "@everyone at work asks this.",
        "https://github.com/getpelican/pelican is on GitHub",
        "x.com/ann_k/status/123 said so",
    ],
)
def test_an_at_sign_that_is_no_handle_is_left(text: str) -> None:
    assert mask(text) == (text, 0)


def test_the_readers_own_handle_is_masked_without_a_word_around_it() -> None:
    """The sender's own sealed contact, a handle, is masked whatever the sentence says."""
    result, count = mask("Thanks! @ann_k", known=("@ann_k",))
    assert (result, count) == (f"Thanks! {MASK}", 1)
