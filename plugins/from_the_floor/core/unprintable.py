"""The characters a reader's text never keeps: one rule for intake and for the HTML of their Markdown.

Unicode's "format" characters (category Cf) are invisible, but many of them are part of
how a language is written, so the rule is decided one group at a time: a character goes
when it can act on the author's screen, reorder or hide text, or break a feed, and stays
when a writing system needs it (without it a word is spelled wrongly).

Dropped:

- **controls** (C0 but tab, newline and carriage return, which the caller handles; DEL;
  C1): a terminal obeys them (colours, a bell, a cursor moved over the line) and XML 1.0
  has no place for them, so one in a post made every feed unwritable;
- **bidi embeddings, overrides and isolates** U+202A–202E, U+2066–2069: they reorder
  everything after them up to the end of the paragraph ("Trojan Source"), so a reader's
  text could show the author's words backwards or move a link's visible text;
- **zero-width space U+200B, word joiner U+2060, BOM / zero-width no-break space
  U+FEFF**: they change nothing a reader sees in a word, so their one use in a
  question is to split a word invisibly (a tag, a duplicate, a slur past a filter);
  scripts written without spaces (Thai, Khmer) lose only a line-break hint;
- **invisible operators U+2061–2064, the deprecated shaping controls U+206A–206F, the
  interlinear annotation marks U+FFF9–FFFB, the musical beam and slur controls
  U+1D173–1D17A, the language tag U+E0001**: no prose needs them, and the annotation
  marks hide text from some readers and not others;
- **tag characters U+E0020–E007F outside a flag**: invisible, and able to carry a whole
  hidden message ("ASCII smuggling");
- **noncharacters** U+FFFE, U+FFFF (and the last two of every plane) and U+FDD0–FDEF: XML
  1.0 has no place for them (one in a title made both feeds malformed), and lone
  **surrogates**, which no UTF-8 file can hold.

Kept, because writing needs them:

- **zero-width non-joiner U+200C**: Persian, Kurdish, Urdu, Hindi, Marathi and others
  write it inside words (Persian نمی‌دانیم is misspelled without it);
- **zero-width joiner U+200D**: emoji sequences (a family, a profession) and the half
  forms of Indic scripts;
- **left-to-right and right-to-left marks U+200E, U+200F, the Arabic letter mark U+061C**:
  a reader mixing Hebrew or Arabic with Latin text types them so numbers and brackets sit
  where they mean; they settle the direction of the characters beside them only, and
  reorder nothing beyond;
- **soft hyphen U+00AD**: where a long word may break; it shows only at a line's end;
- **number and end-of-verse signs that span the digits after them** U+0600–0605, U+06DD,
  U+070F, U+0890–0891, U+08E2, U+110BD, U+110CD;
- **Mongolian vowel separator U+180E, Egyptian hieroglyph and shorthand format controls**
  (U+13430–1343F, U+1BCA0–1BCA3): part of those scripts' spelling;
- **tag characters inside an emoji flag**: the black flag U+1F3F4, then a region (two
  letters or three digits) and a subdivision (one to four letters or digits) as tag
  characters, then CANCEL TAG U+E007F, as Unicode's emoji standard (UTS #51) spells the
  flags of Scotland, Wales and England. At most seven hidden letters, which spell a place.

The contact recogniser reads text without any of these (core/contact_recogniser.py), so
a kept character never hides an address from it.
"""

from __future__ import annotations

import re

_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_TAG_LETTER = "\U000e0061-\U000e007a"
_TAG_DIGIT = "\U000e0030-\U000e0039"
_FLAG = (
    f"\U0001f3f4(?:[{_TAG_LETTER}]{{2}}|[{_TAG_DIGIT}]{{3}})"
    f"[{_TAG_LETTER}{_TAG_DIGIT}]{{1,4}}\U000e007f"
)
# Written out rather than derived from unicodedata: a test checks it against Unicode's Cf list.
# Two classes, as Python's re looks through one that mixes planes and surrogates ten times slower.
_DROP_BMP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # controls but tab, newline and carriage return
    "\u200b\u2060\ufeff"  # zero-width space, word joiner, BOM
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\u2061-\u2064\u206a-\u206f\ufff9-\ufffb"  # invisible operators, deprecated, annotations
    "\ufdd0-\ufdef\ufffe\uffff]"  # noncharacters
)
_DROP_WIDE = re.compile(
    "[\ud800-\udfff"  # lone surrogates
    "\U0001d173-\U0001d17a\U000e0001"  # musical format controls, the language tag
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
_TAG = re.compile("[\U000e0020-\U000e007f]")
_FLAG_OR_TAG = re.compile(f"({_FLAG})|[\U000e0020-\U000e007f]")
# the kept format characters most text holds (and a reader may or may not type in a word):
# set aside before str.isprintable looks again, and left out when words are compared (fold)
_COMMON_KEPT = "\u200c\u200d\u200e\u200f\u00ad\u061c"


def _kept_flag(match: re.Match[str]) -> str:
    return match.group(1) or ""


def drop(text: str) -> str:
    """``text`` without its unprintable characters (tab, newline and carriage return stay).

    Most text holds none, and is let through at C speed: plain ASCII without controls, or
    text that str.isprintable passes (it refuses every character dropped here, and the kept
    format characters too, so the common ones are set aside first)."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text
    shown = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    if shown.isprintable():
        return text
    for ch in _COMMON_KEPT:
        if ch in shown:
            shown = shown.replace(ch, " ")
    if shown.isprintable():
        return text
    text = _DROP_BMP.sub("", text)
    if max(text, default="") > "\uffff" or not text.isprintable():
        text = _DROP_WIDE.sub("", text)
        if _TAG.search(text):  # rare: only then the slower look for a flag around each one
            text = _FLAG_OR_TAG.sub(_kept_flag, text)
    return text


def unprintable(ch: str) -> bool:
    """Whether a reader's text loses the character ``ch`` met on its own: a tag character
    outside a flag does (tab, newline and carriage return too: where they may stay is the
    caller's to say, as intake.clean_text does)."""
    return ch in "\t\n\r" or drop(ch) != ch


def fold(text: str) -> str:
    """``text`` without the invisible characters a reader may or may not type in the same word
    (soft hyphen, zero-width non-joiner and joiner, the direction marks), for comparing
    words: Persian نمی‌دانیم typed with or without its non-joiner is one word to its reader."""
    if text.isascii():
        return text
    for ch in _COMMON_KEPT:  # str.replace, not str.translate: ten times faster on such text
        if ch in text:
            text = text.replace(ch, "")
    return text
