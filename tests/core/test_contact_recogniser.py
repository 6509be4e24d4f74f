"""contact_recogniser.py: a contact field's parts, text read as a reader reads it, whole matches.

Each form of issue 21 is checked through guard.Detector, the guard's own entry, so a
form the guard let through before fails here.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from from_the_floor.core import contact_recogniser as cr
from from_the_floor.core import guard
from from_the_floor.core.contact_recogniser import EMAIL, OTHER, PHONE, Part

# --- a contact field holds addresses and numbers ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "parts"),
    [
        ("Bob Jones <bob@example.org>", [Part(EMAIL, "bob@example.org")]),
        ('"Jones, Bob" <bob@example.org>', [Part(EMAIL, "bob@example.org")]),
        ("dan@example.org, 07700 900456", [Part(EMAIL, "dan@example.org"), Part(PHONE, "07700 900456")]),
        (
            "dan@example.org; eve@example.net",
            [Part(EMAIL, "dan@example.org"), Part(EMAIL, "eve@example.net")],
        ),
        ("mobile: +44 7700 900456 ext. 12", [Part(PHONE, "+44 7700 900456")]),
        ("07700 900456 x12", [Part(PHONE, "07700 900456")]),
        ("Tel. (020) 7946 0958 extension 4", [Part(PHONE, "(020) 7946 0958")]),
        ('"ann@example.org"', [Part(EMAIL, "ann@example.org")]),
        ("'ann@example.org'", [Part(EMAIL, "ann@example.org")]),
        ("mailto:ann@example.org", [Part(EMAIL, "ann@example.org")]),
        ("<mailto:ann%40example.org>", [Part(EMAIL, "ann@example.org")]),
        ("mailto:ann@example.org?subject=Hi", [Part(EMAIL, "ann@example.org")]),
        ("tel:+44-20-7946-0958", [Part(PHONE, "+44-20-7946-0958")]),
        ("tel:+442079460958;ext=12", [Part(PHONE, "+442079460958")]),
        ("=?utf-8?q?Ann_J=C3=B6nes?= <ann@example.org>", [Part(EMAIL, "ann@example.org")]),
        ("=?utf-8?b?ImFubkBleGFtcGxlLm9yZyI=?=", [Part(EMAIL, "ann@example.org")]),  # "ann@example.org"
        ('"john doe"@example.org', [Part(EMAIL, '"john doe"@example.org')]),
        ("o'brien@example.org", [Part(EMAIL, "o'brien@example.org")]),
        ("@ann_on_mastodon", [Part(OTHER, "@ann_on_mastodon")]),
        ("", []),
    ],
)
def test_a_contact_field_is_parsed_into_each_address_and_number(field: str, parts: list[Part]) -> None:
    assert cr.parse_field(field) == parts


def test_intake_stores_the_bare_form() -> None:
    assert cr.bare_field('Bob Jones <bob@example.org>, "mobile: 07700 900456"') == (
        "bob@example.org, 07700 900456"
    )
    assert cr.bare_field("  @ann_on_mastodon ") == "@ann_on_mastodon"
    assert cr.bare_field("=?utf-8?b?ImFubkBleGFtcGxlLm9yZyI=?=") == "ann@example.org"


# --- every form of issue 21: found ----------------------------------------------------------------

ANN = "ann@example.org"
PHONE_UK = "+44 20 7946 0958"

FORMS = {
    # the contact field is more than a bare address
    "display name": ("Ann Jones <ann@example.org>", "Write to ann@example.org."),
    "two contacts in one field, the address": ("ann@example.org, 07700 900456", "Write to ann@example.org."),
    "two contacts in one field, the number": ("ann@example.org, 07700 900456", "Call 07700 900456."),
    "a labelled number with an extension": ("mobile: 07700 900456 ext. 12", "Call 07700 900456."),
    "quoted, as intake eml stored it": ('"ann@example.org"', "Write to ann@example.org."),
    "mailto: in the field": ("mailto:ann@example.org", "Write to ann@example.org."),
    "tel: in the field": ("tel:+44-20-7946-0958", "Call 020 7946 0958."),
    # invisible characters
    "U+2066 left-to-right isolate": (ANN, "Write to ann\u2066@example.org\u2069."),
    "U+2067 right-to-left isolate (its text not reversed)": (ANN, "Write to \u2067ann@example.org\u2069."),
    "U+2068 first strong isolate": (ANN, "Write to ann@\u2068example.org\u2069."),
    "U+061C Arabic letter mark": (ANN, "Write to a\u061cnn@example.org."),
    "U+FE0F variation selector": (ANN, "Write to ann\ufe0f@example\ufe0f.org."),
    "tag characters": (ANN, "Write to ann\U000e0061\U000e007f@example.org."),
    "U+3164 Hangul filler": (ANN, "Write to ann\u3164@example.org."),
    "U+115F Hangul choseong filler": (ANN, "Write to ann@exam\u115fple.org."),
    "zero width joiner": (ANN, "Write to ann@exa\u200dmple.org."),
    # shown reversed
    "U+202E right-to-left override": (ANN, "Write to \u202egro.elpmaxe@nna\u202c."),
    "U+202E as an entity": (ANN, "Write to &#x202e;gro.elpmaxe@nna&#x202c;."),
    '<bdo dir="rtl">': (ANN, 'Write to <bdo dir="rtl">gro.elpmaxe@nna</bdo>.'),
    "CSS direction: rtl": (
        ANN,
        '<span style="unicode-bidi: bidi-override; direction: rtl">gro.elpmaxe@nna</span>',
    ),
    "CSS direction: rtl in a class": (
        ANN,
        "<style>.r{direction:rtl;unicode-bidi:bidi-override}</style>"
        "<span class=r>gro.elp<b>maxe</b>@nna</span>",
    ),
    # look-alike letters
    "a Cyrillic а": (ANN, "Write to \u0430nn@example.org."),
    "a Cyrillic е and о in the domain": (ANN, "Write to ann@\u0435xample.\u043erg."),
    "mathematical letters": (ANN, "Write to \U0001d41a\U0001d427\U0001d427@example.org."),
    "a Greek ο": (ANN, "Write to ann@example.\u03bfrg."),
    # defanged
    "[@] and [.]": (ANN, "Write to ann[@]example[.]org."),
    "(at) and (dot)": (ANN, "Write to ann(at)example(dot)org."),
    "[ at ] and [ dot ], spaced": (ANN, "Write to ann [ at ] example [ dot ] org."),
    # a sentence after a spaced or defanged address (its full stop used to join the next word)
    "(at) and [dot], spaced, a sentence after": (ANN, "Write to ann (at) example [dot] org. Thanks!"),
    "@ and . spaced, a sentence after": (ANN, "Write to ann @ example . org. Then call."),
    "(at) and [dot], spaced, at a line's end": (ANN, "Write to ann (at) example [dot] org.\nThanks."),
    # entities, escapes
    "an entity per character": (ANN, "".join(f"&#{ord(c)};" for c in ANN)),
    "percent-encoded": (ANN, "mailto:ann%40example%2Eorg"),
    "a Markdown escape": (ANN, "Write to ann\\@example\\.org."),
    "emphasis markup between": (ANN, "Write to <em>ann</em>@example.org."),
    # phone separators
    "phone split by <br>": (PHONE_UK, "Call 020<br>7946<br/>0958."),
    "phone split by middle dots": (PHONE_UK, "Call 020·7946·0958."),
    "phone split by U+2212 minus": (PHONE_UK, "Call 020\u22127946\u22120958."),
    "phone split by en dashes": (PHONE_UK, "Call 020\u20137946\u20130958."),
    "phone in Arabic-Indic digits": (PHONE_UK, "Call ٠٢٠ ٧٩٤٦ ٠٩٥٨."),
    "phone in Devanagari digits": (PHONE_UK, "Call ०२० ७९४६ ०९५८."),
    "phone in fullwidth digits": (PHONE_UK, "Call ０２０ ７９４６ ０９５８."),
    "phone with markup between its groups": (PHONE_UK, "Call <b>020</b> <i>7946</i> 0958."),
    "phone with an invisible character inside": (PHONE_UK, "Call 020 79\u200b46 0958."),
    "phone written reversed with U+202E": (PHONE_UK, "Call \u202e8590 6497 020\u202c."),
    "phone as tel: with +44 (0)": (PHONE_UK, '<a href="tel:+44(0)2079460958">call</a>'),
    # sub-addressing: the same mailbox with a +tag
    "a +tag added to the reader's address": (ANN, "Write to ann+news@example.org."),
    "the reader's +tag taken off": ("ann+floor@example.org", "Write to ann@example.org."),
    "another +tag on the reader's address": ("ann+floor@example.org", "Write to ann+news@example.org."),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_of_issue_21_is_found(form: str) -> None:
    contact, text = FORMS[form]
    assert guard.Detector({contact}).find(f"<p>{text}</p>") == contact


# --- look-alike but different: never found ------------------------------------------------------

NEAR_MISSES = {
    "a longer address ending in it": (ANN, "Write to joann@example.org."),
    "a longer address with a dot": (ANN, "Write to jo.ann@example.org."),
    "a longer domain": (ANN, "Write to ann@example.org.uk."),
    "a subdomain of another": (ANN, "Write to ann@mail.example.org."),
    "another top-level domain": (ANN, "Write to ann@example.com."),
    "the column's own ask address": ("ann@example.org", "Ask us at joann@example.org or desk@example.org."),
    "the words, not defanged": (ANN, "Ann at example dot org told us."),
    "spaced and defanged, a longer address": (ANN, "Write to joann (at) example [dot] org. Thanks"),
    "spaced and defanged, a longer domain": (ANN, "Write to ann (at) example [dot] org [dot] uk."),
    "an order number ending in the phone's digits": (PHONE_UK, "Order 55502079460958 shipped."),
    "an order number ending in its national digits": (PHONE_UK, "Order no. 982079460958."),
    "a longer number": (PHONE_UK, "Call 020 7946 09581."),
    "a longer number, spaced": (PHONE_UK, "Call 020 7946 0958 1."),
    "a number before it": (PHONE_UK, "Ref 7 020 7946 0958"),
    "the next number": (PHONE_UK, "Call 020 7946 0959."),
    "a number missing a digit": (PHONE_UK, "Call 020 7946 095."),
    "a national number after another country code": ("07700 900456", "Order 447700900456."),
    "a handle inside a longer one": ("@ann_on_mastodon", "Follow @ann_on_mastodon2."),
    "the handle's name without the @ in a word": ("@ann_on_mastodon", "See xann_on_mastodon."),
    "a longer address with a +tag": (ANN, "Write to joann+news@example.org."),
    "the name as another address's tag": (ANN, "Write to news+ann@example.org."),
    "a +tag on a longer domain": (ANN, "Write to ann+news@example.org.uk."),
    "a longer address than the tagged reader's": ("ann+floor@example.org", "Write to joann@example.org."),
}


@pytest.mark.parametrize("case", sorted(NEAR_MISSES))
def test_look_alike_but_different_text_is_not_a_contact(case: str) -> None:
    contact, text = NEAR_MISSES[case]
    assert guard.Detector({contact}).find(f"<p>{text}</p>") is None


def test_a_contact_beside_a_look_alike_is_still_found() -> None:
    detector = guard.Detector({ANN})
    assert detector.find("joann@example.org, ann@example.org") == ANN
    assert guard.Detector({PHONE_UK}).find("Order 55502079460958; call 020 7946 0958.") == PHONE_UK


# --- Unicode's confusables data: every look-alike of every letter and digit of an address ------


def _lookalikes() -> dict[str, list[str]]:
    """Prototype (a-z, 0-9) -> every single character confusables.txt maps to it alone."""
    table = cr._skeleton_table()
    found: dict[str, list[str]] = {}
    for code, target in table.items():
        char = chr(code)
        letter = unicodedata.category(char).startswith(("L", "N"))  # letters and digits, not symbols
        if len(target) == 1 and re.fullmatch(r"[a-z]", target) and not char.isascii() and letter:
            found.setdefault(target, []).append(char)
    return found


def test_every_confusable_letter_in_an_address_is_found() -> None:
    lookalikes = _lookalikes()
    assert sum(map(len, lookalikes.values())) > 500, "the data file is Unicode's"
    address = "the.quick.brown.fox@jumps-over.lazy.dog"  # every letter a-z
    detector = guard.Detector({address})
    missed = []
    for prototype, chars in sorted(lookalikes.items()):
        at = address.index(prototype)
        for char in chars:
            written = address[:at] + char + address[at + 1 :]
            if detector.find(f"<p>Write to {written} today.</p>") != address:
                missed.append((prototype, f"U+{ord(char):04X}"))
    assert missed == []


def test_an_address_made_of_look_alikes_is_not_a_different_address() -> None:
    """The skeleton does not make different letters alike: each letter's look-alikes are its own."""
    detector = guard.Detector({"the.quick.brown.fox@jumps-over.lazy.dog"})
    assert detector.find("the.quick.brown.fix@jumps-over.lazy.dog") is None
    assert detector.find("the.quick.brawn.fox@jumps-over.lazy.dog") is None


# --- the reading helpers -------------------------------------------------------------------------


def test_the_ignorable_list_holds_every_format_character_of_this_python() -> None:
    table = cr._ignorable_table()
    missing = [hex(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf" and c not in table]
    assert missing == []
    for code in (0x2066, 0x2067, 0x2068, 0x2069, 0x061C, 0xFE0F, 0xE0041, 0x3164, 0x115F, 0x034F):
        assert code in table


def test_lines_name_where_a_text_shows_the_contact() -> None:
    detector = guard.Detector({ANN})
    text = "one\ntwo ann@example.org\nthree\nwrite to ann@\nexample.org\n"
    assert detector.lines(text) == [2]
    assert detector.lines("one\nwrite to ann@\nexample.org\n") == [2]
    assert detector.lines("nothing here") == []


def test_any_address_is_recognised_through_invisible_characters_and_look_alikes() -> None:
    assert cr.looks_like_address("ann\u200b@example.org")
    assert cr.looks_like_address("\u0430nn@ex\u0430mple.org")
    assert cr.looks_like_address("ann[@]example[.]org")
    assert not cr.looks_like_address("ann at the office")


_TABLES = [cr._ignorable_table, cr._digit_table, cr._upper_table, cr._skeleton_table]


def _mapped_by_set(text: str, table: dict) -> str:
    """What _mapped does for any text: one replace per distinct character the table maps."""
    for ch in set(text):
        if ord(ch) in table:
            text = text.replace(ch, table[ord(ch)] or "")
    return text


@pytest.mark.parametrize("table", _TABLES, ids=lambda t: t.__name__)
def test_an_ascii_text_is_mapped_as_by_every_character(table) -> None:
    # the ASCII shortcut looks for the table's ASCII keys one by one, in the table's order:
    # that gives the same text only while no target of an ASCII key holds another key
    mapping = table()
    ascii_keys = {chr(code) for code in mapping if code < 128}
    for key in ascii_keys:
        assert not set(mapping[ord(key)] or "") & ascii_keys, key
    every_key = "".join(sorted(ascii_keys))
    samples = [
        "",
        every_key,
        every_key[::-1] * 3,
        'ann@example.org "m0m" 100% |I| `1` mm',
        "".join(map(chr, range(128))),
        "plain text with none of them",
    ]
    for text in samples:
        assert cr._mapped(text, mapping) == _mapped_by_set(text, mapping), text


def test_the_ascii_keys_are_found_in_a_text_of_any_shape() -> None:
    # (a text that folds differently would let a contact through or refuse a near-miss)
    for text in ("ann@examp1e.org", "ANN@EXAMPLE.0RG", 'a"nn@example.org', "ann@exarnple.org"):
        assert (
            cr.skeleton(text)
            == _mapped_by_set(
                _mapped_by_set(text, cr._upper_table()).casefold(), cr._skeleton_table()
            ).casefold()
        )


def test_the_backward_patterns_are_compiled_only_for_a_text_read_backwards() -> None:
    """A full stop may stand before an address read backwards (its left boundary there): those
    patterns are compiled when a right-to-left text first needs them, and find what they did."""
    recogniser = cr.Recogniser(["ann@example.org", "Ann's handle ann_j_writes"])
    assert recogniser.find("Nothing to see here, written left to right.") is None
    assert not recogniser._reversed, "no text read backwards yet"
    assert recogniser.find("Write to \u202egro.elpmaxe@nna.\u202c") == "ann@example.org"
    assert len(recogniser._reversed) == 2


def test_the_digits_of_every_script_are_found_only_when_a_number_needs_them() -> None:
    """Finding every script's digits costs a pass over every character: a site whose readers
    gave only addresses, reading ASCII text, never pays it; a number still finds them."""
    cr._digit_table.cache_clear()
    recogniser = cr.Recogniser(["ann@example.org"])
    assert recogniser.find("Write to ann@example.org, or call 0207 946 0958.") == "ann@example.org"
    assert cr._digit_table.cache_info().currsize == 0
    phone = cr.Recogniser(["+44 20 7946 0958"], region="GB")
    assert phone.find("Call \u0660\u0662\u0660 \u0667\u0669\u0664\u0666 \u0660\u0669\u0665\u0668.")
    assert cr._digit_table.cache_info().currsize == 1


class _CountedPattern:
    """A compiled pattern that counts its searches (re.Pattern itself cannot be wrapped)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.inner, self.pattern, self.searches = pattern, pattern.pattern, 0

    def search(self, text: str):
        self.searches += 1
        return self.inner.search(text)


def test_a_view_without_an_at_sign_is_not_searched_for_addresses() -> None:
    """Every address needle holds an "@", so a view without one is not searched; text that only
    shows an "@" once read as a reader reads it (defanged, an entity) is still searched."""
    recogniser = cr.Recogniser(["ann@example.org"])
    counted = recogniser._address = _CountedPattern(recogniser._address)
    assert recogniser.find("Write to Ann at the example office, or (not) [at all].") is None
    assert counted.searches == 0
    assert recogniser.find("Write to ann(at)example(dot)org.") == "ann@example.org"
    assert recogniser.find("Write to ann&#64;example.org.") == "ann@example.org"
    assert counted.searches == 2


def test_skipping_views_without_an_at_sign_finds_what_searching_every_view_finds() -> None:
    """Differential: every form and near miss above, against the same recogniser searching
    every view (as before the shortcut), and a handle or a needle without an "@" is searched."""
    for contact, text in [*FORMS.values(), *NEAR_MISSES.values()]:
        fast = cr.Recogniser([contact], region="GB")
        slow = cr.Recogniser([contact], region="GB")
        slow._address_has_at = False
        for shown in (text, f"<p>{text}</p>", text.upper()):
            assert fast.find(shown) == slow.find(shown), (contact, shown)
    handle = cr.Recogniser(["@ann_on_mastodon"])
    assert handle.find("Follow ann_on_mastodon now") is None
    assert handle.find("Follow @ann_on_mastodon now") == "@ann_on_mastodon"


# --- Markdown's inline markup in the sources: read as the page shows it -------------------------

# Each source is Markdown as an author might type it around a reader's address or number; the
# page Python-Markdown makes of it shows the contact whole (checked below, so a form that does
# not render as the contact cannot sit in this list), and the source check reads the source.
MARKDOWN_FORMS = {
    "emphasis on the local part": (ANN, "Write to *ann*@example.org."),
    "strong emphasis on the local part": (ANN, "Write to **ann**@example.org."),
    "underscore emphasis on the local part": (ANN, "Write to _ann_@example.org."),
    "emphasis on the domain": (ANN, "Write to ann@*example*.org."),
    "emphasis inside a word": (ANN, "Write to a*nn*@example.org."),
    "nested emphasis": (ANN, "Write to **_ann_**@example.org."),
    "a code span for the local part": (ANN, "Write to `ann`@example.org."),
    "a link's text for the local part": (ANN, "Write to [ann](https://example.net/)@example.org."),
    "a number's groups in strong emphasis": (PHONE_UK, "Call **020** **7946** **0958**."),
    "a number's groups in underscore emphasis": (PHONE_UK, "Call __020__ __7946__ __0958__."),
    "a number's first group emphasised": (PHONE_UK, "Call _020_ 7946 0958."),
    "a number's groups in code spans": (PHONE_UK, "Call `020` `7946` `0958`."),
}

# Markdown that does not show the contact: an underscore inside a word is not emphasis, so these
# are other addresses on the page, and must not be refused.
MARKDOWN_NEAR_MISSES = {
    "underscores inside the local part": ("annj@example.org", "Write to ann_j_@example.org."),
    "snake case before the address": ("case@example.org", "Write to snake_case_@example.org."),
    "emphasis around a longer address": (ANN, "Write to *joann*@example.org."),
    "a code span around a longer number": (PHONE_UK, "Call `020 7946 09581`."),
}


def _shown_by_markdown(source: str) -> str:
    import markdown

    page = markdown.markdown(source)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("form", sorted(MARKDOWN_FORMS))
def test_markdown_markup_inside_a_contact_is_read_as_the_page_shows_it(form: str) -> None:
    contact, source = MARKDOWN_FORMS[form]
    shown = _shown_by_markdown(source)
    assert guard.Detector({contact}, region="GB").find(shown) == contact, "the page shows the contact"
    assert guard.Detector({contact}, region="GB").find(source) == contact


@pytest.mark.parametrize("case", sorted(MARKDOWN_NEAR_MISSES))
def test_markdown_that_shows_another_address_is_not_a_contact(case: str) -> None:
    contact, source = MARKDOWN_NEAR_MISSES[case]
    assert guard.Detector({contact}, region="GB").find(_shown_by_markdown(source)) is None
    assert guard.Detector({contact}, region="GB").find(source) is None


# --- scripts written without spaces: an address against the words around it -------------------

# Chinese, Japanese, Thai (and Korean's particles) put an address straight against the sentence's
# words; the address still ends where its ASCII ends.
SPACELESS_FORMS = {
    "Japanese, the address between kana": (ANN, "ご質問はann@example.orgまでお送りください。"),
    "Japanese, a full stop after it": (ANN, "連絡先はann@example.org。"),
    "Chinese, between ideographs": (ANN, "请发邮件至ann@example.org联系我们"),
    "Korean, a particle after it": (ANN, "이메일은ann@example.org로 보내세요"),
    "Thai, between words": (ANN, "ส่งอีเมลถึงann@example.orgครับ"),
    "a handle before Japanese": ("@ann_on_mastodon", "フォローは@ann_on_mastodonまで"),
    "the ideographic full stop between a domain's labels": (ANN, "ann@example。org"),
    "the halfwidth ideographic full stop": (ANN, "ann@example｡org"),
}
SPACELESS_NEAR_MISSES = {
    "a longer address before kana": (ANN, "ご質問はjoann@example.orgまで"),
    "a subdomain in Chinese": (ANN, "请发邮件至ann@example.org.cn联系我们"),
    "a longer domain, its labels split by ideographic full stops": (ANN, "ann@example。org。uk"),
    "an address whose local part is Japanese, inside a longer one": ("田中@example.jp", "山田中@example.jp"),
}


@pytest.mark.parametrize("form", sorted(SPACELESS_FORMS))
def test_an_address_against_the_words_of_a_spaceless_script_is_found(form: str) -> None:
    contact, text = SPACELESS_FORMS[form]
    assert guard.Detector({contact}).find(f"<p>{text}</p>") == contact


@pytest.mark.parametrize("case", sorted(SPACELESS_NEAR_MISSES))
def test_another_address_in_a_spaceless_script_is_not_a_contact(case: str) -> None:
    contact, text = SPACELESS_NEAR_MISSES[case]
    assert guard.Detector({contact}).find(f"<p>{text}</p>") is None


# --- many readers' numbers: one pass over a text's digits picks the patterns to try ------------


def _every_region_number() -> list[str]:
    """libphonenumber's example fixed-line and mobile number of every region (the phonenumbers
    package's metadata), written internationally: readers of some 200 country codes."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    found = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None and len(phonenumbers.national_significant_number(number)) >= 7:
                found.add(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))
    return sorted(found)


def test_picking_number_patterns_by_digits_finds_what_trying_every_pattern_finds() -> None:
    """Differential: the recogniser tries only the patterns of numbers whose digits a text holds
    in a row; against the same recogniser trying every pattern, on every form and near miss here
    and on each example number written in each of libphonenumber's formats."""
    import phonenumbers

    numbers = _every_region_number()
    contacts = numbers + [c for c, _ in [*FORMS.values(), *NEAR_MISSES.values(), *MARKDOWN_FORMS.values()]]
    fast = cr.Recogniser(contacts, region="GB")
    slow = cr.Recogniser(contacts, region="GB")
    slow._number_patterns = lambda view: slow._numbers
    assert len(slow._numbers) > 100, "readers of many country codes"
    texts = [t for _, t in [*FORMS.values(), *NEAR_MISSES.values(), *MARKDOWN_FORMS.values()]]
    for contact in numbers:
        number = phonenumbers.parse(contact)
        for form in phonenumbers.PhoneNumberFormat.E164, 1, 2, 3:
            texts.append(f"Call {phonenumbers.format_number(number, form)} today.")
    texts.append("A page of no number: 12 May 2026, 10:30, £4.99, v3.11.2, 192.168.0.1, ISBN 978-0-306")
    found = 0
    for text in texts:
        assert fast.find(text) == slow.find(text), text
        found += fast.find(text) is not None
    assert found > 4 * len(numbers)


# --- near misses from real data: bank accounts, ISBNs, IMEIs, barcodes ------------------------

GUARD_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "guard"
STDNUM = ["iban", "isbn", "imei", "ean"]  # python-stdnum's test files (tests/fixtures/guard/SOURCES.md)


def _all_example_numbers() -> list[str]:
    """Every example number libphonenumber keeps (every region, every type), internationally."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    found = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        for kind in range(12):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None and len(phonenumbers.national_significant_number(number)) >= 7:
                found.add(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))
    assert len(found) > 900 and PhoneNumberType.MOBILE < 12
    return sorted(found)


@pytest.mark.parametrize("region", [None, "GB", "DE", "US"])
def test_real_account_numbers_isbns_and_barcodes_are_not_readers_numbers(region: str | None) -> None:
    """Each line of python-stdnum's tests for IBANs, ISBNs, IMEIs and EANs, against every example
    number as a reader's contact: a line may be refused only where it shows that number's own
    national digits as one number (libphonenumber's examples are placeholders such as
    1 23 45 67 89, which an ISBN's groups can spell whole); no other digit run is taken."""
    import phonenumbers

    recogniser = cr.Recogniser(_all_example_numbers(), region=region)
    lines = 0
    for name in STDNUM:
        text = (GUARD_FIXTURES / f"stdnum-test_{name}.doctest").read_text(encoding="utf-8")
        for line in text.splitlines():
            lines += 1
            found = recogniser.find(line)
            if found is None:
                continue
            national = phonenumbers.national_significant_number(phonenumbers.parse(found))
            runs = [re.sub(r"\D", "", run) for run in re.findall(r"\d(?:[ .\-]?\d)*", line)]
            assert name == "isbn" and national in runs, (name, line, found)
    assert lines > 500


def test_the_spaceless_patterns_are_used_only_for_a_text_holding_such_letters() -> None:
    recogniser = cr.Recogniser(["ann@example.org"])
    assert recogniser.find("Write to joann@example.org, written in English.") is None
    assert not recogniser._spaceless, "no Chinese, Japanese, Korean or Thai text read yet"
    assert recogniser.find("ご質問はann@example.orgまで") == "ann@example.org"
    assert len(recogniser._spaceless) == 1


# --- "@" and "." spelled in brackets in other languages --------------------------------------

FOREIGN_DEFANGED = {
    "Spanish, arroba and punto": (ANN, "Escríbeme a ann[arroba]example[punto]org"),
    "Spanish, spaced in parentheses": (ANN, "ann (arroba) example (punto) org"),
    "Portuguese, ponto": (ANN, "ann(arroba)example(ponto)org"),
    "French, arobase and point": (ANN, "ann[arobase]example[point]org"),
    "German, ät and Punkt": (ANN, "Schreib an ann(ät)example(Punkt)org"),
    "German, at and Punkt, capitals": (ANN, "ANN [AT] EXAMPLE [PUNKT] ORG"),
    "Finnish, (a)": (ANN, "ann(a)example.org"),
    "Italian, chiocciola": (ANN, "ann[chiocciola]example[punto]org"),
    "Polish, małpa and kropka": (ANN, "ann[małpa]example[kropka]org"),
    "Russian, собака and точка": (ANN, "ann[собака]example[точка]org"),
    "Dutch, apenstaartje": (ANN, "ann{apenstaartje}example{punt}org"),
    "Japanese, アットマーク and ドット": (ANN, "ann（アットマーク）example（ドット）org"),
    "in a Markdown line": (ANN, "Mail *ann*[arroba]example[punto]org"),
}
FOREIGN_DEFANGED_NEAR_MISSES = {
    "a longer address": (ANN, "joann[arroba]example[punto]org"),
    "a longer domain": (ANN, "ann[arroba]example[punto]org[punto]uk"),
    "the words, not in brackets": (ANN, "ann arroba example punto org"),
    "a list's (a)": (ANN, "Option (a) example.org is ours, (b) is not"),
}


@pytest.mark.parametrize("form", sorted(FOREIGN_DEFANGED))
def test_at_and_dot_spelled_in_brackets_in_other_languages_are_read(form: str) -> None:
    contact, text = FOREIGN_DEFANGED[form]
    assert guard.Detector({contact}).find(f"<p>{text}</p>") == contact


@pytest.mark.parametrize("case", sorted(FOREIGN_DEFANGED_NEAR_MISSES))
def test_other_addresses_spelled_in_other_languages_are_not_a_contact(case: str) -> None:
    contact, text = FOREIGN_DEFANGED_NEAR_MISSES[case]
    assert guard.Detector({contact}).find(f"<p>{text}</p>") is None


# --- a handle shown by a link to its profile ----------------------------------------------------

HANDLE_FORMS = {
    "a Telegram link": ("@ann_tg", "Ask her: [Telegram](https://t.me/ann_tg)"),
    "an X profile": ("@ann_tg", "https://x.com/ann_tg/status/1"),
    "an Instagram profile": ("@ann_tg", "<a href='https://www.instagram.com/ann_tg/'>photos</a>"),
    "a Threads profile": ("@ann_tg", "threads.net/@ann_tg"),
    "a GitHub profile, in capitals": ("@ann_tg", "github.com/Ann_TG"),
    "a Mastodon profile": ("@ann@mastodon.social", "[her toots](https://mastodon.social/@ann)"),
    "a Mastodon handle without its first @": ("@ann@mastodon.social", "Follow ann@mastodon.social."),
    "a Bluesky handle without its @": ("@ann.bsky.social", "She posts as ann.bsky.social."),
    "a Bluesky profile": ("@ann.bsky.social", "https://bsky.app/profile/ann.bsky.social"),
    "a Bluesky handle on its own domain": ("@ann.example.org", "bsky.app/profile/ann.example.org"),
    "a Bluesky handle that is a domain, without its @": ("@annjones.com", "Her handle: annjones.com"),
    "an Instagram name with a dot": ("@ann.jones", "https://www.instagram.com/ann.jones/"),
}
HANDLE_NEAR_MISSES = {
    "another Telegram name": ("@ann_tg", "https://t.me/ann_tg2"),
    "a channel ending in it": ("@ann_tg", "https://t.me/joann_tg"),
    "the name under another site's path": ("@ann_tg", "https://example.org/ann_tg_notes"),
    "the same name on another Mastodon server": ("@ann@mastodon.social", "https://mastodon.online/@ann"),
    "a longer name on the same server": ("@ann@mastodon.social", "https://mastodon.social/@anna"),
    "a Bluesky handle inside a longer domain": ("@ann.bsky.social", "joann.bsky.social"),
    "a Bluesky handle as a subdomain": ("@ann.bsky.social", "photos.ann.bsky.social.example"),
    "a decorator that begins with the handle": ("@app_config", "@app_config.setter"),
    "a name with a dot, not a domain, in prose": ("@ann.jones", "Thanks to Ann.Jones for asking."),
}


@pytest.mark.parametrize("form", sorted(HANDLE_FORMS))
def test_a_handle_is_found_in_a_link_to_its_profile(form: str) -> None:
    contact, text = HANDLE_FORMS[form]
    assert guard.Detector({contact}).find(f"<p>{text}</p>") == contact


@pytest.mark.parametrize("case", sorted(HANDLE_NEAR_MISSES))
def test_another_handle_or_profile_is_not_a_contact(case: str) -> None:
    contact, text = HANDLE_NEAR_MISSES[case]
    assert guard.Detector({contact}).find(f"<p>{text}</p>") is None


# --- real mail and libphonenumber's own test numbers -------------------------------------------

MAIL = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "intake").glob("*.eml")) + sorted(
    (Path(__file__).resolve().parents[1] / "fixtures" / "intake").glob("*.mbox")
)


def _real_mail() -> dict[str, str]:
    return {path.name: path.read_bytes().decode("utf-8", "replace") for path in MAIL}


def test_every_address_in_real_mail_is_found_and_its_near_neighbours_are_not() -> None:
    """The headers and bodies of real mail clients' messages (tests/fixtures/intake/SOURCES.md):
    From, To, Reply-To, Message-IDs, signatures. Each address in them, as a reader's, is found on
    the lines that hold it; readers with an address one step away (a longer local part, a
    subdomain, a longer domain, another top-level domain) are found nowhere."""
    texts = _real_mail()
    addresses = {
        m.group(0).lower()
        for text in texts.values()
        for m in cr.ANY_ADDRESS.finditer(text)
        if "/" not in m.group(0) and "=" not in m.group(0)
    }
    assert len(addresses) > 50
    neighbours = set()
    for address in addresses:
        local, domain = address.rsplit("@", 1)
        stem, _, tld = domain.rpartition(".")
        neighbours |= {f"jo{local}@{domain}", f"{local}@{domain}.uk", f"{local}@mail.{domain}"}
        neighbours.add(f"{local}@{stem}.{'net' if tld != 'net' else 'org'}")
    neighbours -= {a.lower() for text in texts.values() for a in re.findall(r"[\w.+-]+@[\w.-]+", text)}
    others = cr.Recogniser(neighbours)
    for name, text in texts.items():
        assert others.lines(text) == [], name
    for address in sorted(addresses):
        recogniser = cr.Recogniser([address])
        for name, text in texts.items():
            whole = rf"(?<![\w.+\-]){re.escape(address)}(?![\w\-]|\.[\w\-])"  # not xxx@ in xxxx@
            holds = re.search(whole, text.lower()) is not None
            lines = recogniser.lines(text)
            assert bool(lines) == holds, (name, address)


PHONE_FIXTURE = GUARD_FIXTURES / "libphonenumber-phonenumbermatchertest.py.txt"
# The numbers libphonenumber's matcher tests find in text, in the formats they are written in
# there: NumberTest("…", "US") and doTestFindInContext("…", "NZ") (the region reads the national
# ones), full-width forms written as \uFF14 escapes, one joined with "+ u(…)".
_PHONE_CASE = re.compile(
    r'(?:doTestFindInContext|NumberTest)\((?:u\()?("(?:[^"\\]|\\.)*")\)?'
    r'(?:\s*\+\s*u\(("(?:[^"\\]|\\.)*")\))?,\s*"([A-Z]{2})"\)'
)
# Written in ways the check does not read (docs/privacy.md): an "x" between digit groups, a
# Singapore carrier's own international prefix (008, 019), Argentina's mobile "15" after the area
# code (the number is stored +54 9 …), and "xx" standing for digits.
PHONE_NOT_READ = {
    "1650 x 253 - 1234",
    "650 x 253 - 1234",
    "0081-650-333-6000",
    "0191-650-333-6000",
    "0343 15 555 1212",
    "03715 15 65 4320",
    "(0xx) 123456789",
    "(0xx) 123456789 x 1234",
}


def _phone_cases() -> list[tuple[str, str]]:
    text = PHONE_FIXTURE.read_text(encoding="utf-8")
    decode = lambda quoted: quoted[1:-1].encode("ascii").decode("unicode_escape")  # noqa: E731
    return [
        (decode(m.group(1)) + (decode(m.group(2)) if m.group(2) else ""), m.group(3))
        for m in _PHONE_CASE.finditer(text)
    ]


def test_libphonenumbers_test_numbers_are_found_as_written_and_their_neighbours_are_not() -> None:
    """Each number of libphonenumber's matcher tests that parses (with the real metadata) is a
    reader's, given internationally, in the site's region that test reads it in: it is found as
    the test writes it (national, with carrier or international prefixes, slashes, full-width
    digits, extensions after it); the reader whose number ends one digit later is not."""
    import phonenumbers

    cases = _phone_cases()
    assert len(cases) > 100
    found = 0
    for raw, region in cases:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if len(phonenumbers.national_significant_number(number)) < 6:
            continue
        given = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        neighbour = given[:-1] + str((int(given[-1]) + 1) % 10)
        text = f"Call {raw} after six."
        if raw not in PHONE_NOT_READ:
            assert cr.Recogniser([given], region=region).find(text) == given, (raw, region)
            found += 1
        assert cr.Recogniser([neighbour], region=region).find(text) is None, (raw, region)
    assert found > 100


@pytest.mark.parametrize("region", [None, "GB", "DE", "US"])
def test_the_dates_times_and_digit_runs_of_libphonenumbers_tests_are_not_other_readers_numbers(
    region: str | None,
) -> None:
    """Every line of libphonenumber's matcher tests (dates such as 03/27/2011, times, 1979-2011,
    "12.1 - 23.71 - 23.45", numbers of the test metadata's made-up countries) against every
    example number as a reader's: a line is refused only where it shows that number's own
    national digits as one number (1 23 45 67 89, a placeholder, is written whole there)."""
    import phonenumbers

    recogniser = cr.Recogniser(_all_example_numbers(), region=region)
    lines = PHONE_FIXTURE.read_text(encoding="utf-8").splitlines()
    for line in lines:
        found = recogniser.find(line)
        if found is not None:
            national = phonenumbers.national_significant_number(phonenumbers.parse(found))
            runs = [re.sub(r"\D", "", run) for run in re.findall(r"\d(?:[ .\-/]?\d)*", line)]
            assert national in runs, (line, found)
    assert len(lines) > 900


# --- a number said in words, or spelled with a keypad's letters ----------------------------------

SAID_FORMS = {
    "English words, oh for zero": (PHONE_UK, "Ring me on oh-two-oh seven nine four six oh nine five eight."),
    "double and triple": ("07700 900456", "It's zero seven seven double-oh nine double-oh four five six."),
    "digits and words mixed": ("07700 900456", "Text 07700 nine double oh four five six, after six."),
    "in capitals, over two lines": (
        "07700 900456",
        "ZERO SEVEN SEVEN\nDOUBLE OH NINE DOUBLE OH FOUR FIVE SIX",
    ),
    "a capital first, at the text's start": ("07700 900456", "Zero seven seven double oh nine double oh 456"),
    "its country code said": ("07700 900456", "plus four four seven seven oh oh nine oh oh four five six"),
    "emphasis around some words": (PHONE_UK, "**oh two oh** seven nine four six oh nine five eight"),
    "teens and tens": (PHONE_UK, "oh twenty, seventy-nine, forty-six, oh nine, fifty-eight"),
    "French, by pairs": (
        "+33 6 12 34 56 78",
        "Appelez le zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.",
    ),
    "French, seventy to ninety-nine": (
        "+33 6 71 80 97 99",
        "Au zéro six soixante et onze quatre-vingts quatre-vingt-dix-sept quatre-vingt-dix-neuf.",
    ),
    "a vanity number": ("+1 800 356 9377", "Order at 1-800-FLOWERS today."),
    "a vanity number in small letters after a dash": ("+1 800 356 9377", "Order at 1-800-flowers today."),
    "a vanity number in capitals after a space": ("0800 356 9377", "Freephone 0800 FLOWERS."),
    "a vanity number of two words": ("+1 800 692 7753", "Call 1-800-MY-APPLE."),
}


@pytest.mark.parametrize("form", sorted(SAID_FORMS))
def test_a_readers_number_said_in_words_or_keypad_letters_is_found(form: str) -> None:
    contact, text = SAID_FORMS[form]
    assert guard.Detector({contact}, region="GB").find(f"<p>{text}</p>") == contact


SAID_NEAR_MISSES = {
    "counting": (PHONE_UK, "Two or three times a week, one in five readers, seven or eight of them."),
    "a longer number said": (PHONE_UK, "oh two oh seven nine four six oh nine five eight one"),
    "the next number said": (PHONE_UK, "oh two oh seven nine four six oh nine five nine"),
    "a number before it": (PHONE_UK, "seven oh two oh seven nine four six oh nine five eight"),
    "words broken by a word that is no digit": (
        PHONE_UK,
        "oh two oh seven nine four and six oh nine five eight",
    ),
    "a keypad's small letters after a space": ("+1 800 356 9377", "Call 1 800 flowers for a bunch."),
    "a year, then words in small letters": (
        "+1 888 843 8326",
        "In 1888 the team won, and in 1888 THE TEAM was a play.",
    ),
    "a year, then a line of capitals": ("+1 888 843 8326", "IN 1888 THEATRES WERE FULL."),
    "a file name after digits": ("+1 661 889 8000", "See 1661.txt or 1661.zip."),
    "French counting": (
        "+33 6 12 34 56 78",
        "Six ou sept fois par semaine, un lecteur sur cinq, deux ou trois.",
    ),
}


@pytest.mark.parametrize("case", sorted(SAID_NEAR_MISSES))
def test_prose_with_number_words_is_not_a_readers_number(case: str) -> None:
    contact, text = SAID_NEAR_MISSES[case]
    assert guard.Detector({contact}, region="GB").find(f"<p>{text}</p>") is None


@pytest.mark.parametrize("region", [None, "GB", "FR", "US"])
def test_a_public_domain_novels_numbers_in_words_are_no_readers_number(region: str | None) -> None:
    """The paragraphs of The Adventures of Sherlock Holmes that hold three number words or more
    (tests/fixtures/guard/SOURCES.md: "seventeen steps", "six feet six inches", "a quarter to
    eight", "one or two"), against every example number libphonenumber keeps as a reader's."""
    text = (GUARD_FIXTURES / "sherlock-holmes-paragraphs-with-numbers.txt").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    assert len(paragraphs) > 100
    recogniser = cr.Recogniser(_all_example_numbers(), region=region)
    assert [p for p in paragraphs if recogniser.find(p) is not None] == []


def test_a_number_said_in_words_is_read_only_where_words_are_looked_for() -> None:
    """The said digits are a view like the others: its number is found whole, and prose that
    says fewer than a phone number's digits makes no view at all."""
    assert cr.said_view("two or three times a week") is None
    assert cr.said_view("oh two oh seven nine four six oh nine five eight") == "02079460958"
    assert cr.said_view("Order at 1-800-FLOWERS.") == "18003569377"
    assert cr.said_view("In 1888 the team won.") is None
