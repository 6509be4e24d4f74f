"""The characters a reader's text never keeps: one rule for intake and for the HTML of their Markdown.

Control characters (a terminal obeys them: colours, a bell, a cursor moved over the
line), the invisible format characters (bidi overrides that reverse the text after them,
zero-width spaces) and the noncharacters U+FFFE, U+FFFF and kin (XML 1.0 has no place
for them: one in a title made every feed unreadable). The zero-width joiner stays, as
emoji sequences need it.
"""

from __future__ import annotations

import re
import unicodedata

_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def unprintable(ch: str) -> bool:
    """Whether a reader's text loses ``ch`` (tab, newline and carriage return are the caller's)."""
    category = unicodedata.category(ch)
    if category == "Cc":
        return True
    if category == "Cf":
        return ch != "\u200d"
    code = ord(ch)
    return (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF


def drop(text: str, keep: str = "\t\n\r") -> str:
    """``text`` without its unprintable characters, but those in ``keep``."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text
    # every character dropped is one str.isprintable refuses: most text is checked at C speed
    if text.replace("\n", " ").replace("\t", " ").replace("\r", " ").isprintable():
        return text
    return "".join(ch for ch in text if ch.isprintable() or ch in keep or not unprintable(ch))
