"""The one rule for the characters a reader's text keeps (core/unprintable.py), character by
character: what writing needs stays (real Persian, Kurdish, Hindi, Hebrew and Arabic text, and
Unicode's subdivision flags), what can act, reorder or hide goes, near-misses included."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from from_the_floor.core import unprintable
from from_the_floor.core.tag_slugs import spelling_key
from from_the_floor.intake import contact_mask
from from_the_floor.intake.duplicates import similarity
from from_the_floor.intake.intake import clean_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "writing"
SENTENCES = json.loads((FIXTURES / "sentences.json").read_text(encoding="utf-8"))
FLAGS = {
    line.split("flag: ")[1].strip(): "".join(chr(int(h, 16)) for h in line.split(";")[0].split())
    for line in (FIXTURES / "emoji-test-subdivision-flags.txt").read_text(encoding="utf-8").splitlines()
}

# The format characters (Cf) writing needs, as the module's docstring lists them
KEPT_FORMAT = {
    0x00AD, *range(0x0600, 0x0606), 0x061C, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x180E,
    0x200C, 0x200D, 0x200E, 0x200F, 0x110BD, 0x110CD, *range(0x13430, 0x13440),
    *range(0x1BCA0, 0x1BCA4),
}
TAG = {letter: chr(0xE0000 + ord(letter)) for letter in "abcdefghijklmnopqrstuvwxyz0123456789"}
BLACK_FLAG, CANCEL_TAG = "\U0001f3f4", "\U000e007f"


def tags(text: str) -> str:
    return "".join(TAG[c] for c in text)


@pytest.mark.parametrize("entry", SENTENCES, ids=[s["id"] for s in SENTENCES])
def test_real_text_keeps_every_character_it_was_written_with(entry: dict) -> None:
    text = entry["text"]
    assert entry["invisible"] == sorted(
        {f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cf"}
    )
    assert entry["invisible"], "each fixture holds an invisible character writing needs"
    assert unprintable.drop(text) == text
    assert clean_text(text) == text


@pytest.mark.parametrize("name", ["England", "Scotland", "Wales"])
def test_unicodes_subdivision_flags_survive(name: str) -> None:
    flag = FLAGS[name]
    assert len(flag) == 7 and flag.startswith(BLACK_FLAG) and flag.endswith(CANCEL_TAG)
    assert unprintable.drop(f"Supporting {flag} today?") == f"Supporting {flag} today?"
    assert clean_text(flag + flag) == flag + flag


@pytest.mark.parametrize(
    "hidden",
    [
        tags("gbsct") + CANCEL_TAG,  # a flag's tags without the black flag
        " " + tags("gbsct") + CANCEL_TAG,  # … after a space
        "\U0001f634" + tags("gbsct") + CANCEL_TAG,  # … after another emoji
        BLACK_FLAG + tags("gbsct"),  # no CANCEL TAG
        BLACK_FLAG + tags("ignoreallpreviousinstructions") + CANCEL_TAG,  # a hidden message
        BLACK_FLAG + tags("gb") + CANCEL_TAG,  # a region without a subdivision
        BLACK_FLAG + "".join(chr(0xE0000 + ord(c)) for c in "GBSCT") + CANCEL_TAG,  # capitals
        BLACK_FLAG + chr(0xE0020) + tags("gbsct") + CANCEL_TAG,  # TAG SPACE
        BLACK_FLAG + CANCEL_TAG,
        "\U000e0001" + tags("en"),  # the deprecated language tag
    ],
)
def test_tag_characters_outside_a_flag_are_dropped(hidden: str) -> None:
    kept = unprintable.drop(f"Is this{hidden} fine?")
    bases = ("", BLACK_FLAG, "\U0001f634", " ")
    assert kept in [f"Is this{base} fine?" for base in bases]
    assert not any(0xE0000 <= ord(c) <= 0xE007F for c in kept)


@pytest.mark.parametrize(
    "ch",
    [
        "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b",  # controls (C0, DEL, C1 with CSI)
        "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # embeddings, overrides, pop
        "\u2066", "\u2067", "\u2068", "\u2069",  # isolates
        "\u200b", "\u2060", "\ufeff",  # zero-width space, word joiner, BOM
        "\u2061", "\u2062", "\u2063", "\u2064", "\u206a", "\u206f",
        "\ufff9", "\ufffa", "\ufffb", "\U0001d173", "\U0001d17a",
        "\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff",  # noncharacters
        "\ud800", "\udfff",  # lone surrogates
    ],
)
def test_what_acts_reorders_or_hides_is_dropped(ch: str) -> None:
    assert unprintable.drop(f"ab{ch}c") == "abc"
    assert unprintable.drop(f"نمی\u200c{ch}دانیم") == "نمی\u200cدانیم"  # beside a kept one
    assert clean_text(f"Trust{ch} me") == "Trust me"


def test_a_trojan_source_line_loses_its_reordering_but_keeps_its_marks() -> None:
    line = "\u200fשלום\u202e }if (admin)\u2066 \u2069 {\u2069\u200e"
    assert unprintable.drop(line) == "\u200fשלום }if (admin)  {\u200e"


def test_every_format_character_is_decided() -> None:
    """Unicode's Cf list (of this Python's unicodedata) is exactly what the rule keeps plus what
    it drops: a format character added by a newer Unicode fails here until it is decided."""
    for code in range(0x110000):
        ch = chr(code)
        if unicodedata.category(ch) != "Cf" or 0xE0020 <= code <= 0xE007F:
            continue
        assert (unprintable.drop(ch) == ch) == (code in KEPT_FORMAT), f"U+{code:04X}"


def test_one_character_alone_is_judged_by_the_same_rule() -> None:
    assert unprintable.unprintable("\u202e") and unprintable.unprintable("\U000e0067")
    assert unprintable.unprintable("\n") and unprintable.unprintable("\x07")
    assert not any(unprintable.unprintable(ch) for ch in "a\u200c\u200d\u200e\u200f\u00ad\u061c🏴")


def test_printable_text_and_layout_are_untouched() -> None:
    text = "Tabs\tand\nlines\r\n, accents é, CJK 漢字, emoji 👩\u200d💻 and a soft\u00adhyphen"
    assert unprintable.drop(text) == text


@pytest.mark.parametrize("mark", ["\u200c", "\u00ad", "\u200e", "\u200f", "\u061c", "\u200d"])
def test_a_contact_split_by_a_kept_character_is_still_masked(mark: str) -> None:
    text = clean_text(f"Write to ann{mark}@exam{mark}ple.org please")
    assert mark in text
    masked, count = contact_mask.mask(text)
    assert count == 1 and "example" not in masked and "ann" not in masked


def test_a_contact_beside_a_flag_is_masked_and_the_flag_kept() -> None:
    flag = FLAGS["Wales"]
    masked, count = contact_mask.mask(clean_text(f"Write to ann@example.org{flag} please"))
    assert count == 1 and "example" not in masked and flag in masked


def test_a_word_with_or_without_its_non_joiner_is_one_word() -> None:
    persian = SENTENCES[1]["text"]
    bare = persian.replace("\u200c", "")
    assert similarity(persian, bare) == 1.0
    assert spelling_key("آن‌ها") == spelling_key("آنها") == spelling_key("آن\u200cها")
    assert spelling_key("soft\u00adware") == spelling_key("Software")
    assert spelling_key("آن‌ها") != spelling_key("آن ها")  # a space is another spelling
