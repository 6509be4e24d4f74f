"""The Big List of Naughty Strings (tests/fixtures/hostile/SOURCES.md), a few strings of our own that
aim at mail headers, and a sample of them by kind for the tests where each string costs a browser
page or a Pelican preview.

The list itself is flat (its categories are comments in the text version only), so the sample's
kinds are worked out from the characters each string holds.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import yaml

BLNS = Path(__file__).resolve().parent / "fixtures" / "hostile" / "blns.json"
STRINGS: list[str] = json.loads(BLNS.read_text(encoding="utf-8"))

# Not in the list: what a reader would type to add a header or a recipient to a mail sent in
# their name, hide the rest of a line, or pass for someone else.
HEADER_ATTACKS: list[str] = [
    "Sam\r\nBcc: everyone@example.net",
    "Sam\nSubject: You have won",
    "Sam\rX-Injected: yes",
    "Sam\u2028Bcc: everyone@example.net",
    "Sam\u2029Cc: everyone@example.net",
    "Sam\x85Cc: everyone@example.net",
    "Sam\x0bX-Vertical-Tab: yes\x0cX-Form-Feed: yes",
    "=?utf-8?q?Sam=0D=0ABcc=3A_everyone=40example=2Enet?=",
    "boss@example.com",
    "Sam <boss@example.com>",
    '"Sam" <boss@example.com>, everyone@example.net',
    'Sam\\" <boss@example.com>',
    "Sam; Bcc: everyone@example.net",
    "x" * 2000,
    " ".join(["word"] * 600),
    "\u202eSam\u202c",
    "Sam\x1b]8;;https://example.net/\x07click\x1b]8;;\x07",
]

ALL: list[str] = STRINGS + HEADER_ATTACKS

# What a terminal acts on rather than shows: C0 controls but tab and newline, DEL, C1 controls,
# and the bidi controls that reorder what follows them (the "Trojan Source" characters).
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def raw_controls(text: str) -> list[str]:
    """The characters in ``text`` a terminal would obey instead of print."""
    return sorted(
        {repr(c) for c in text if (unicodedata.category(c) == "Cc" and c not in "\t\n") or c in BIDI}
    )


# What a mail, a comment, a page or a stored question must not hold (intake drops them): controls
# and the bidi controls that reorder what follows. The direction marks (U+200E/F, U+061C) are
# writing, kept by core/unprintable.py; only a terminal shows them as escapes (raw_controls).
REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def acting(text: str) -> list[str]:
    """The characters in ``text`` that a mail reader, a page or an editor would act on."""
    return sorted(
        {repr(c) for c in text if (unicodedata.category(c) == "Cc" and c not in "\t\n") or c in REORDERING}
    )


def _has(categories: str) -> Callable[[str], bool]:
    return lambda s: any(unicodedata.category(c) in categories.split() for c in s)


KINDS: dict[str, Callable[[str], bool]] = {
    "markup or script": lambda s: "<" in s or "javascript:" in s.lower() or "&" in s,
    "template or format": lambda s: "{{" in s or ("{" in s and "}" in s) or "%" in s,
    "quotes and SQL": lambda s: "'" in s or '"' in s or "--" in s,
    "control characters": _has("Cc"),
    "format characters (bidi, zero width)": _has("Cf"),
    "line separators": lambda s: any(c in s for c in "\r\n\u2028\u2029\x85\x0b\x0c"),
    "right to left": lambda s: any(unicodedata.bidirectional(c) in ("R", "AL") for c in s),
    "combining marks (zalgo)": lambda s: sum(unicodedata.category(c) == "Mn" for c in s) > 5,
    "emoji": lambda s: any(ord(c) >= 0x1F300 for c in s),
    "very long": lambda s: len(s) > 100,
    "blank or reserved": lambda s: not s.strip() or s.strip().lower() in ("null", "undefined", "nil", "true"),
    "numbers": lambda s: s.strip().lstrip("-+").replace(".", "", 1).isdigit(),
    "paths and shell": lambda s: "../" in s or "$(" in s or "`" in s or "|" in s,
}


def sample(per_kind: int = 2, strings: list[str] = ALL) -> list[str]:
    """``per_kind`` strings of each kind (the first ones the list holds, so the sample is the same
    every run), each string once; with the header attacks, which are few."""
    chosen: list[str] = []
    for test in KINDS.values():
        found = [s for s in strings if test(s) and s not in chosen]
        chosen += found[:per_kind]
    chosen += [s for s in HEADER_ATTACKS if s in strings and s not in chosen]
    return chosen


def yaml_value(value: object) -> str:
    """``value`` as one YAML scalar the kit's loader reads back as it was (escapes for controls)."""
    return yaml.safe_dump(value, allow_unicode=True, width=10**9, default_style='"').strip()
