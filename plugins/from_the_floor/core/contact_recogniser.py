"""Readers' email addresses and phone numbers, found in text the way a reader reads it.

One module for every part that cares: intake masking, ``floor check``, the
build guard (guard.py), ``floor notify`` and the desk. It does three things:

- **Parses a contact field** into each address and number it holds
  (:func:`parse_field`): ``Bob Jones <bob@example.org>``, lists
  (``dan@example.org, 07700 900456``), labels (``mobile: …``), extensions
  (``ext. 12``, ``x12``), quotes, ``mailto:`` and ``tel:`` links, RFC 2047
  encoded names. Intake stores the bare form (:func:`bare_field`); fields
  stored earlier with a display name are parsed when read.
- **Reads text as a reader sees it** (:func:`address_views`,
  :func:`digit_views`): entities, percent-escapes and JSON escapes decoded;
  Markdown's backslash escapes read; every default-ignorable and format
  character dropped (zero-width, bidi controls U+2066–2069, U+061C, variation
  selectors such as U+FE0F, tag characters, the Hangul fillers U+3164…); a run
  shown right to left (U+202E, ``<bdo dir="rtl">``, CSS ``direction: rtl``)
  also read back reversed; NFKC and case folded; each character replaced by its
  confusable prototype (the skeleton of Unicode TS #39, from Unicode's
  confusables.txt); defanged ``[@]``, ``(at)``, ``[.]``, ``(dot)`` read as
  ``@`` and ``.``; Markdown's inline markup (emphasis, code spans, links) read as
  the page shows it; for numbers, digits of every script made ASCII and any
  separator (spaces, dots, dashes, U+2212, ``·``, ``<br>``, markup) allowed.
- **Matches whole addresses and whole numbers** (:class:`Recogniser`): an
  address only where no other address character touches it, so a reader
  ``ann@example.org`` never matches ``joann@example.org`` or
  ``ann@example.org.uk``; a number only with no further digit before or after
  it (directly or across one tight separator), after an optional country code
  and trunk prefix, so a longer number or an order number ending in its digits
  never matches.

Numbers said in words (English and French: "oh-two-oh seven nine…", "zéro six,
douze…") and a keypad's letters after digits (``1-800-FLOWERS``) are one more
view for numbers (:func:`said_view`).

What it deliberately does not read: an address assembled by a script at
page load, text inside images, letters standing in for digits
(``O7700``), and an address split across a line break inside a word
(``ann@exam<br>ple.org``) other than by ``<wbr>``, a soft hyphen or a
hyphenated line end. docs/privacy.md says why.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from urllib.parse import unquote

EMAIL, PHONE, OTHER = "email", "phone", "other"
MIN_LENGTH = 4  # a contact shorter than this would match innocent text
MIN_PHONE_DIGITS = 7  # fewer digits would match dates and counts


@dataclass(frozen=True)
class Part:
    """One address or number in a contact field, in its bare form."""

    kind: str  # EMAIL, PHONE or OTHER (a handle, a name: anything else the reader gave)
    value: str


# --- parsing a contact field ---------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_ANGLE = re.compile(r"<\s*(?:mailto:\s*)?([^<>\s@]+@[^<>\s]+?)\s*>", re.IGNORECASE)
_MAILTO = re.compile(r"mailto:\s*([^\s<>,;\"'()\[\]]+)", re.IGNORECASE)
_QUOTED_ADDR = re.compile(r'"(?:[^"\\\n]|\\.)+"@[^\s<>,;()"]+')
_ADDR = re.compile(r"[^\s<>,;:()\[\]\"']+(?:'[^\s<>,;:()\[\]\"']+)*@(?:\[[^\]\s]+\]|[^\s<>,;()\[\]\"']+)")
_TEL = re.compile(r"tel:\s*([+\d(][^\s<>,;\"']*)", re.IGNORECASE)
_PHONE_RUN = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().\-/\u00a0\u2010-\u2015\u2212]*\d(?!\w)")
_TRAILING = ".,;:!?'\")]}>"


def parse_field(value: str | None) -> list[Part]:
    """Every address and number in a contact field, in order; else the field itself (a handle).

    ``"Bob Jones" <bob@example.org>``, ``dan@example.org, 07700 900456``,
    ``mobile: +44 7700 900456 ext. 12``, ``mailto:ann@example.org``,
    ``tel:+44-20-7946-0958``, an RFC 2047 encoded name: each address and
    number comes out bare; a field holding neither (``@ann_on_mastodon``)
    is one :data:`OTHER` part, quotes taken off.
    """
    text = _field_text(value)
    if not text:
        return []
    parts: list[tuple[int, Part]] = []
    rest = text

    def take(pattern: re.Pattern[str], kind: str, group: int = 0) -> None:
        nonlocal rest
        for match in pattern.finditer(rest):
            bare = _bare(match.group(group), kind)
            if bare:
                parts.append((match.start(), Part(kind, bare)))
            rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]

    take(_ANGLE, EMAIL, 1)
    take(_MAILTO, EMAIL, 1)
    take(_TEL, PHONE, 1)
    take(_QUOTED_ADDR, EMAIL)
    take(_ADDR, EMAIL)
    for match in _PHONE_RUN.finditer(rest):
        if sum(ch.isdigit() for ch in match.group(0)) >= MIN_PHONE_DIGITS:
            parts.append((match.start(), Part(PHONE, match.group(0).strip())))
    if not parts:
        plain = text.strip().strip("\"'").strip()
        return [Part(OTHER, plain)] if plain else []
    found: list[Part] = []
    for _, part in sorted(parts, key=lambda p: p[0]):
        if part not in found:
            found.append(part)
    return found


def _field_text(value: str | None) -> str:
    """The field as text: RFC 2047 words decoded, invisible characters dropped, NFKC."""
    if not value:
        return ""
    text = str(value)
    if _ENCODED_WORD.search(text):
        from email.header import decode_header, make_header

        with contextlib.suppress(ValueError, LookupError, UnicodeError):
            text = str(make_header(decode_header(text)))
    text = _mapped(text, _ignorable_table())
    return unicodedata.normalize("NFKC", text).replace("\r", " ").replace("\n", " ").strip()


def _bare(found: str, kind: str) -> str:
    value = found.strip()
    if kind == EMAIL:
        value = unquote(value.split("?", 1)[0]) if "%" in value or "?" in value else value
        value = value.rstrip(_TRAILING) if not value.endswith("]") else value
        value = value.lstrip("'(<[{")
        if "@" not in value.strip("@"):
            return ""
        return value
    value = unquote(value).split(";", 1)[0].strip()
    return value if sum(ch.isdigit() for ch in value) >= MIN_PHONE_DIGITS else ""


def bare_field(value: str | None) -> str | None:
    """The field as intake stores it: its addresses and numbers, bare, joined by ``, ``."""
    if value is None:
        return None
    parts = parse_field(value)
    if not parts:
        return value.strip() or None
    return ", ".join(part.value for part in parts)


def emails_in_field(value: str | None) -> list[str]:
    """The email addresses a contact field holds (notify writes to the first)."""
    return [part.value for part in parse_field(value) if part.kind == EMAIL]


# --- reading text as a reader sees it ---------------------------------------------------------

_DATA = "unicode_data"
# Every format character (category Cf, Unicode 15.1) and every other default-ignorable code point
# (DerivedCoreProperties.txt): zero-width and joiners, bidi controls, the Arabic letter mark,
# variation selectors, tag characters, Hangul fillers. A test checks the list against the
# running Python's own Unicode data.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_DIGIT = re.compile(r"\d")  # re's \d is every decimal digit (category Nd) of every script


@functools.cache
def _ignorable_table() -> dict[int, None]:
    """Every format and default-ignorable character mapped to nothing."""
    ignorable: dict[int, None] = {}
    for first, last in _IGNORABLE_RANGES:
        ignorable.update(dict.fromkeys(range(first, last + 1)))
    return ignorable


@functools.cache
def _digit_table() -> dict[int, str]:
    """Every decimal digit of every script (Arabic-Indic, Devanagari, fullwidth …) to its ASCII
    digit. Made when first needed (a phone number, or a non-ASCII text read for one): finding
    them costs a pass over every character, 10 ms that a site whose readers gave only email
    addresses never needs."""
    every = "".join(map(chr, range(0x80, 0x20000)))
    return {ord(d): str(unicodedata.decimal(d)) for d in _DIGIT.findall(every)}


# read in the file's bytes: its lines hold only ASCII codes (decoding its 650 KB of comments,
# most of them look-alike letters, would cost more than the reading)
_CONFUSABLE_LINE = re.compile(rb"^([0-9A-F]+) ;\t([0-9A-F ]+?) ;", re.MULTILINE)


@functools.cache
def _skeleton_table() -> dict[int, str]:
    """Unicode's confusables.txt (UTS #39): each character to its prototype (case folded)."""
    data = resources.files(__package__).joinpath(_DATA, "confusables.txt").read_bytes()
    return {
        int(source, 16): "".join(chr(int(code, 16)) for code in target.split()).casefold()
        for source, target in _CONFUSABLE_LINE.findall(data.removeprefix(codecs.BOM_UTF8))
    }


_ASCII_PAIRS: dict[int, tuple[dict, tuple[tuple[str, str], ...]]] = {}  # by table: its ASCII keys


def _ascii_pairs(table: dict[int, str | None]) -> tuple[tuple[str, str], ...]:
    """The entries of ``table`` for ASCII characters (a handful: ``0``, ``1``, ``m``, quotes …)."""
    kept = _ASCII_PAIRS.get(id(table))
    if kept is None or kept[0] is not table:  # (the table is held, so its id is never reused)
        kept = (table, tuple((chr(code), target or "") for code, target in table.items() if code < 128))
        _ASCII_PAIRS[id(table)] = kept
    return kept[1]


def _mapped(text: str, table: dict[int, str | None]) -> str:
    """``text.translate(table)``, by one C-speed replace per distinct character the table maps.

    A page holds a few dozen distinct characters; ``str.translate`` with a large
    table looks each of its million characters up in Python's dict instead. An
    ASCII text can hold only the table's few ASCII keys: each is looked for
    directly, rather than making the set of the text's characters (no target
    of these tables holds a key, so the order of the replaces does not matter).
    """
    if text.isascii():
        for ch, target in _ascii_pairs(table):
            if ch in text:
                text = text.replace(ch, target)
        return text
    for ch in set(text):
        if ord(ch) in table:
            text = text.replace(ch, table[ord(ch)] or "")
    return text


@functools.cache
def _upper_table() -> dict[int, str]:
    """The skeleton for the first pass, before case folding: all of it but ASCII ``I`` (which
    confusables.txt reads as ``l``; folded first it is ``i``, so ``BILL`` stays ``bill``)."""
    return {code: target for code, target in _skeleton_table().items() if code != ord("I")}


def _skeletal(folded_nfkc: str) -> str:
    """Confusables mapped before case folding (a capital Greek Β is a B, not a β) and after it."""
    once = _mapped(folded_nfkc, _upper_table()).casefold()
    return _mapped(once, _skeleton_table()).casefold()


def skeleton(text: str) -> str:
    """The text's confusable skeleton (UTS #39 section 4, with NFKC and case folding)."""
    return _fold(text)


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\([\"/\\])")
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_NAMED = re.compile(r"&[a-zA-Z][a-zA-Z0-9]+;?")
_COMMON_ENTITIES = (("&quot;", '"'), ("&#39;", "'"), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"))
_ROUNDS = 4  # an entity escaped in a feed inside an attribute is three deep
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown's backslash escapes: "\@" shows "@"


def _json_char(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16)) if match.group(1) else match.group(2)


def decoded(text: str) -> str:
    """Entities, percent-escapes and JSON escapes decoded until nothing changes (a few rounds)."""
    for _ in range(_ROUNDS):
        before = text
        if "&" in text:
            for entity, char in _COMMON_ENTITIES:  # the usual ones at C speed; the rest below
                text = text.replace(entity, char)
            if "&" in text:
                text = html.unescape(text.replace("&amp;", "&"))
        if "%" in text and _PERCENT.search(text):
            text = unquote(text, errors="replace")
        if "\\" in text:
            text = _JSON_ESCAPE.sub(_json_char, text)
            if "\\" in text:
                text = _MD_ESCAPE.sub(r"\1", text)
        if text == before:
            break
    return text


_RTL_HINTS = ("\u202e", "\u202b", "\u2067", "rtl")
# starts a view read backwards: what surrounds a reversed run is read backwards too, so the
# sentence's full stop comes before the address there (the match may follow a ".")
_REVERSED = "\x00reversed\x00"
_TAG = re.compile(r"<[^<>]*>")
_INVISIBLE_TAGS = re.compile(r"<wbr\s*/?>|&shy;", re.IGNORECASE)
# "@" and "." as readers spell them in brackets to dodge address harvesters, in English and in the
# languages of the columns' readers (ann[arroba]example[punto]org, ann(ät)example(Punkt)de,
# ann[собака]example[точка]ru, ann(a)example.fi). In brackets only: a bare word is a sentence's.
AT_WORDS = (
    "at", "a", "ät", "arroba", "arobase", "arobace", "chiocciola", "klammeraffe", "affe",
    "małpa", "malpa", "собака", "sobaka", "snabel-a", "kukac", "zavináč", "zavinac",
    "apenstaart", "apenstaartje", "アット", "アットマーク", "あっと",
)  # fmt: skip
DOT_WORDS = (
    "dot", "punkt", "punto", "point", "ponto", "kropka", "точка", "tochka", "pont", "piste",
    "tečka", "tecka", "punt", "prick", "ドット", "どっと", "点",
)  # fmt: skip


@functools.cache
def _bracketed(words: tuple[str, ...], sign: str) -> re.Pattern[str]:
    """``[word]``, ``(word)``, ``{word}`` or the sign itself in brackets, for each word as written
    and as its look-alike letters read (a text is mapped to those before it is looked at)."""
    forms = set(words)
    if any(not word.isascii() for word in words):
        forms |= {_mapped(unicodedata.normalize("NFKC", w), _upper_table()) for w in words}
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"[\[({{]\s*(?:{alternatives}|{re.escape(sign)})\s*[\])}}]", re.IGNORECASE)


def _at() -> re.Pattern[str]:
    return _bracketed(AT_WORDS, "@")


def _dot() -> re.Pattern[str]:
    return _bracketed(DOT_WORDS, ".")


# Spaces around "@" are closed up anywhere; around "." only when the dot has a space before it
# ("example . org", "example [dot] org"): a sentence's full stop ("… example.org. Thanks", or at
# a line's end) keeps its space, or the address would run into the next word and not be found.
_SPACED_AT = re.compile(r"\s*@\s*")
_SPACED_DOT = re.compile(r"[ \t]+\.[ \t]*")
_HYPHEN_BREAK = re.compile(r"-\r?\n\s*")
# a "+tag" at the end of a local part (sub-addressing: ann+news@… reaches ann@…'s mailbox at
# almost every provider), taken out in one more view; a "+" opening the local part is not a tag
_PLUS_TAG = re.compile(r"(?<=[\w.\-])\+[\w.\-+]*(?=@)")
# the ideographic full stop (and its halfwidth form, which NFKC makes it) separates a domain's
# labels as a dot does (IDNA's mapping): ann@example。org is ann@example.org. Only between two
# ASCII letters or digits, so a sentence's own full stop after an address stays one.
_IDEOGRAPHIC_DOT = re.compile(r"(?<=[0-9A-Za-z])[\u3002\uff61](?=[0-9A-Za-z])")


# Markdown's inline markup, as the page shows it: the words of a code span, a link or an image's
# alt text, and emphasis (``*``, ``_``, ``~~``) without its delimiters. ``*ann*@example.org`` is
# ``<em>ann</em>@example.org`` on the page, and ``**020** **7946** **0958**`` one number: the
# sources are read as Markdown shows them. An underscore inside a word is not emphasis
# (``snake_case``), as in Python-Markdown and CommonMark.
_MD_MARKERS = ("*", "_", "`", "[", "~~")
_MD_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\](?:\((?:[^()\s]|\([^()\s]*\))*(?:\s+[^()\n]*)?\)|\[[^\[\]\n]*\])")
_MD_STAR = re.compile(r"(\*{1,3}|~~)(?=[^\s*~])(.+?)(?<=[^\s*~])\1")
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])(_{1,3})(?=[^\s_])(.+?)(?<=[^\s_])\1(?![^\W_])")


def markdown_shown(text: str) -> str:
    """``text`` with Markdown's inline markup taken out as a page shows it (code spans, links,
    images, emphasis): what a reader reads of ``*ann*@example.org`` or ``[ann](…)@example.org``."""
    if "`" in text:
        text = _MD_CODE.sub(r"\2", text)
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    for _ in range(3):  # nested emphasis: **_ann_**
        before = text
        if "*" in text or "~~" in text:
            text = _MD_STAR.sub(r"\2", text)
        if "_" in text:
            text = _MD_UNDERSCORE.sub(r"\2", text)
        if text == before:
            break
    return text


def _has_markdown(text: str) -> bool:
    return any(marker in text for marker in _MD_MARKERS)


# between two pieces of a text read apart: no address or number spans it (more than three
# characters that are neither letters, digits nor spaces)
_APART = "\n\x00\x00\x00\x00\n"
_AT_SIGNS = ("@", "\uff20", "\ufe6b")  # with the fullwidth and small forms NFKC makes "@"
_MD_BY_DIGIT = re.compile(r"\d[*_`~\]]|[*_`~\[]\d")


def _markdown_lines(text: str, wanted) -> str | None:
    """The lines of ``text`` for which ``wanted(line)`` holds, each with the lines either side,
    Markdown's inline markup taken out as the page shows it; pieces not next to each other kept
    apart. None when no such line holds any markup. (Markup inside an address or a number sits
    on its line: reading only those lines keeps a long post's cost to its few such lines.)"""
    rows = text.split("\n")
    keep = sorted(
        {k for n, row in enumerate(rows) if wanted(row) for k in (n - 1, n, n + 1) if 0 <= k < len(rows)}
    )
    if not keep or not any(_has_markdown(rows[n]) for n in keep):
        return None
    pieces, last = [], None
    for n in keep:
        if last is not None:
            pieces.append("\n" if n == last + 1 else _APART)
        pieces.append(rows[n])
        last = n
    return markdown_shown("".join(pieces))


def _shows_at(row: str) -> bool:
    return any(sign in row for sign in _AT_SIGNS) or (
        ("(" in row or "[" in row or "{" in row) and bool(_at().search(row))
    )


def _reads_rtl(text: str) -> bool:
    return any(hint in text for hint in _RTL_HINTS[:3]) or "rtl" in text.casefold()


def _fold(text: str) -> str:
    """Invisible characters dropped, NFKC, case folded, defanged forms read, confusables mapped."""
    if "<w" in text or "<W" in text or "&shy" in text:
        text = _INVISIBLE_TAGS.sub("", text)
    if not text.isascii():
        if "\u3002" in text or "\uff61" in text:
            text = _IDEOGRAPHIC_DOT.sub(".", text)
        # look-alikes first: NFKC would make some another letter's (a long s an s, not an f)
        text = _mapped(_mapped(text, _ignorable_table()), _upper_table())
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    if "[" in text or "(" in text or "{" in text:
        text = _dot().sub(".", _at().sub("@", text))
    return _skeletal(text)


def _closed_up(text: str) -> str:
    """Spaces around ``@`` and ``.`` removed, a hyphenated line end joined."""
    if "-\n" in text or "-\r\n" in text:
        text = _HYPHEN_BREAK.sub("", text)
    return _SPACED_DOT.sub(".", _SPACED_AT.sub("@", text))


def address_views(text: str) -> list[str]:
    """The ways a reader may read ``text``, for addresses: as it is shown, with markup between
    letters gone, with spaces around ``@`` and ``.`` closed up, and any right-to-left run reversed."""
    plain = decoded(text)
    base = _fold(plain)
    views = [base]
    if "<" in base:
        views.append(_TAG.sub("", base))
    if "@" in base and _has_markdown(plain):
        # read before folding: a backtick's look-alike is an apostrophe, which an address may hold
        shown = _markdown_lines(_TAG.sub("", plain) if "<" in plain else plain, _shows_at)
        if shown is not None:
            views.append(_fold(shown))
    if "@" in base:
        views += [_closed_up(v) for v in list(views)]
        if "+" in base:
            views += [untagged for v in list(views) if (untagged := _PLUS_TAG.sub("", v)) != v]
    if _reads_rtl(plain):
        views += [_REVERSED + v[::-1] for v in list(views)] + [_REVERSED + _fold(_TAG.sub("", plain)[::-1])]
    return views


def _digits_as_ascii(plain: str) -> str:
    """Decoded text as the number patterns read it: invisible characters gone, NFKC (full-width
    and other compatibility forms), and every script's digits as ASCII ones."""
    if plain.isascii():
        return plain
    plain = _mapped(plain, _ignorable_table())
    if not unicodedata.is_normalized("NFKC", plain):
        plain = unicodedata.normalize("NFKC", plain)
    return _mapped(plain, _digit_table())


def digit_views(text: str) -> list[str]:
    """The ways a reader may read ``text``, for phone numbers: markup as a separator, invisible
    characters gone, NFKC, every script's digits as ASCII, any right-to-left run reversed."""
    plain = decoded(text)
    rtl = _reads_rtl(plain)
    plain = _digits_as_ascii(plain)
    views = [_TAG.sub(" ", plain), plain] if "<" in plain else [plain]  # markup between, or in a link
    if _has_markdown(plain):
        shown = _markdown_lines(views[0], _MD_BY_DIGIT.search)
        if shown is not None:
            views.append(shown)
    if rtl:
        views += [v[::-1] for v in views]
    return views


# --- numbers said in words, and a keypad's letters ---------------------------------------------

# The words a reader says a number with, in English and French (the kit's languages): each digit,
# the teens and tens (French says a number in pairs: "zéro six, douze, trente-quatre"), "hundred"
# as a number is said ("oh-eight-hundred" is 0800), "plus" before a country code; "double" and
# "triple" repeat what follows ("double-oh seven" is 007); French joins "vingt et un".
_SAID_DIGITS = {
    "zero": 0, "oh": 0, "o": 0, "nought": 0, "naught": 0, "one": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60,
}  # fmt: skip
_SAID_OTHER = {"double": "double", "triple": "triple", "hundred": "00", "cent": "00", "plus": "+", "et": "et"}
_KEYPAD = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "2223334445556667777888999922233344455566677778889999",
)
# A keypad's letters after digits: words joined by dashes (1-800-FLOWERS, 1-800-MY-APPLE,
# 1-800-flowers), or one word of capitals after a dot or a space (0800 FLOWERS, 1.800.FLOWERS),
# of four letters or more and not in a line of capitals: "in 2023 the team", "1661.txt" and
# "IN 1888 THE TEAM WON" are prose. Looked for from the dash, dot or space, each found by re at
# C speed (a literal first character), then read whole on its line.
_KEYPAD_CAPITALS = r"[. ][A-Z]{4,}(?!\w|[ .\-][A-Z]{2})"
_KEYPAD_RUN = re.compile(
    rf"(?<![\w+])\+?\d+(?:\W{{1,3}}\d+)*"
    rf"(?:(?:-[A-Za-z]{{2,}}(?!\w))+(?:{_KEYPAD_CAPITALS})?|{_KEYPAD_CAPITALS})"
)
_KEYPAD_HINTS = (
    re.compile(r"-(?<=[0-9]-)[A-Za-z]{2}"),
    re.compile(r"\.(?<=[0-9]\.)[A-Z]{4}"),
)
_KEYPAD_TOKEN = re.compile(r"\+?\d+|[A-Za-z]+")
_DIGIT_GROUPS_BEFORE = re.compile(r"(?:\+?\d+[^\w+]{1,3})+\Z")


@functools.cache
def _said_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a run of at least three said words and digit groups, starting with a word, after a space;
    one token of such a run). The run starts with a literal space, which re finds at C speed (a
    class such as ``\\s`` costs a test at every character: lines are joined with spaces
    instead); the words are one trie, in small letters, capitals and with a capital first (the
    text is not lowered, nor matched ignoring case: both cost a pass). It also stops where
    capitals follow digits and a space (0800 FLOWERS)."""
    forms = {f for w in {*_SAID_DIGITS, *_SAID_OTHER} for f in (w, w.upper(), w.capitalize())}
    words = _trie_source(sorted(forms))
    group = r"\+?\d+\b"
    run = rf"\**(?:{words})\b(?:[^\w+]{{1,3}}(?:(?:{words})\b|{group})){{2,}}"
    return re.compile(rf" (?:(?<=[0-9] )(?=[A-Z]{{4}})|{run})"), re.compile(rf"(?:{words})\b|{group}")


def _spoken(values: list[int | str | None]) -> str | None:
    """The digits that a run's values say (each a said word's number, a digit group, ``+``,
    ``00`` for "hundred", ``double``, ``triple``, ``et``, or None for a word that says no digit);
    None when they are fewer than a phone number's."""
    digits: list[str] = []
    i = 0

    def at(k: int) -> int | str | None:
        return values[k] if k < len(values) else None

    while i < len(values):
        value, nxt = values[i], at(i + 1)
        if value in ("double", "triple"):
            if isinstance(nxt, int) or (isinstance(nxt, str) and nxt.isdigit()):
                digits.append(str(nxt) * (2 if value == "double" else 3))
                i += 1
            else:
                digits.append(" ")
        elif isinstance(value, int):
            if value == 10 and isinstance(nxt, int) and 7 <= nxt <= 9:  # dix-sept is seventeen
                value, i = 10 + nxt, i + 1
                nxt = at(i + 1)
            if value in (20, 60) and nxt == "et" and at(i + 2) in (1, 11):  # vingt et un
                i += 1
                nxt = at(i + 1)
            if value == 4 and nxt == 20:  # quatre-vingt(s)
                value, i = 80, i + 1
                nxt = at(i + 1)
            if value >= 20 and value % 10 == 0 and isinstance(nxt, int):
                teens = value in (60, 80)  # soixante-quinze, quatre-vingt-dix-neuf
                if nxt == 10 and teens and isinstance(at(i + 2), int) and 7 <= at(i + 2) <= 9:
                    nxt, i = 10 + at(i + 2), i + 1
                starts_eighty = nxt == 4 and at(i + 2) == 20  # "quatre-vingts quatre-vingt-…"
                if (1 <= nxt <= 9 and not starts_eighty) or (teens and 10 <= nxt <= 19):
                    value, i = value + nxt, i + 1
            digits.append(str(value))
        elif value is None or value == "et":
            digits.append(" ")  # a word that says no digit ends the number
        else:
            digits.append(value)
        i += 1
    said = "".join(digits)
    return said if sum(ch.isdigit() for ch in said) >= MIN_PHONE_DIGITS else None


def said_view(text: str) -> str | None:
    """The numbers ``text`` says in words, in a keypad's letters or with look-alike letters among
    its digits, each as its digits (kept apart from the next); None when it says none.

    Only readers' own numbers are looked for in it, whole, so prose that counts ("two or three
    times a week", "one in five readers") shows no one's number: its words do not make seven
    digits in a row, and where they do, those are not a reader's.
    """
    plain = _digits_as_ascii(decoded(text))
    # (a space before the text, so that its first word follows one as every other word does)
    plain = " " + (_TAG.sub(" ", plain) if "<" in plain else plain)
    said: list[str] = []
    after_space, token = _said_patterns()
    keypad: set[int] = set()  # where a keypad's letters may follow digits
    for found in after_space.finditer(plain.replace("\n", " ") if "\n" in plain else plain):
        if found.end() - found.start() == 1:
            keypad.add(found.start())
            continue
        # digit groups before the first word belong to the number ("07700 nine double oh …")
        start = found.start() + 1
        groups = _DIGIT_GROUPS_BEFORE.search(plain, max(0, start - 40), start)
        values: list[int | str | None] = []
        for piece in token.finditer((groups.group(0) if groups else "") + found.group(0)[1:]):
            word = piece.group(0).casefold()
            values.append(_SAID_DIGITS.get(word, _SAID_OTHER.get(word, word)))
        if (digits := _spoken(values)) is not None:
            said.append(digits)
    for hint in _KEYPAD_HINTS:
        keypad.update(found.start() for found in hint.finditer(plain))
    lines = {plain.rfind("\n", 0, at) + 1 for at in keypad}  # the lines that may show one
    for start in sorted(lines):
        end = plain.find("\n", start)
        for found in _KEYPAD_RUN.finditer(plain, start, end if end >= 0 else len(plain)):
            values = [
                word if word.lstrip("+").isdigit() else word.translate(_KEYPAD)
                for word in _KEYPAD_TOKEN.findall(found.group(0))
            ]
            if (digits := _spoken(values)) is not None:
                said.append(digits)
    return _APART.join(said) if said else None


# --- matching whole addresses and whole numbers --------------------------------------------

# an address character right before or after a match makes it part of another address
_ADDRESS_BEFORE = r"(?<![\w.+\-])"
_REVERSED_BEFORE = r"(?<![\w+\-])"
_ADDRESS_AFTER = r"(?![\w\-]|\.[\w\-])"
# a handle ends as an address does: "@ann.bsky.social" or "@app.route" is not "@ann" or "@app"
_OTHER_AFTER = r"(?![\w\-]|\.[\w\-])"
# A letter of a script written without spaces between words (Chinese, Japanese, Korean's
# particles, Thai, Lao, Khmer, Myanmar) does not, beside an address's ASCII end: such text puts an
# address straight against its words (メールはann@example.orgまで), and no address continues a
# Latin local part or top-level domain with them. (An address whose own end is such a letter
# keeps the plain rule: 田中@… is not 山田中@….) Those patterns are compiled, and used, only for
# a text holding such letters: the extra test at every position doubles a search's cost.
_SPACELESS = (
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3040-\u30ff"
    "\u3100-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)
_HAS_SPACELESS = re.compile(_SPACELESS)
_BESIDE_SPACELESS = rf"(?<={_SPACELESS})(?=[\x00-\x7f])"
_BEFORE_SPACELESS = rf"(?<=[\x00-\x7f])(?={_SPACELESS})"
_SEP = r"\W{0,3}"  # between two digits: any three non-alphanumeric characters at most
_TIGHT = r"[ .\-\u00a0]"  # one of these between two digits keeps them in one number
_NUMBER_BEFORE = rf"(?<!\d)(?<!\d{_TIGHT})"
_NUMBER_AFTER = rf"(?!\d)(?!{_TIGHT}\d)"


@functools.lru_cache(maxsize=1024)
def _domains(domain: str) -> frozenset[str]:
    """The domain as written, in Unicode and in punycode (IDNA 2008 with UTS 46 mapping)."""
    import idna

    forms = {domain}
    for convert in (idna.encode, idna.decode):
        try:
            out = convert(domain, uts46=True)
        except (idna.IDNAError, UnicodeError, ValueError):
            continue
        forms.add(out.decode("ascii") if isinstance(out, bytes) else out)
    return frozenset(forms)


def _address_needles(address: str) -> set[str]:
    value = address.strip()
    forms = {value}
    if "@" in value.strip("@"):
        local, domain = value.rsplit("@", 1)
        locals_ = {local}
        if len(local) > 2 and local[0] == local[-1] == '"':
            locals_.add(local[1:-1])  # "john doe"@… read without its quotes
        elif "+" in local.strip("+"):
            locals_.add(local.split("+", 1)[0])  # ann+floor@… is also ann@…: the same mailbox
        forms |= {f"{lp}@{d}" for lp in locals_ for d in _domains(domain)}
        if local.startswith("@") and _HANDLE.fullmatch(local):
            # a Fediverse handle (@ann@mastodon.social): its profile's address shows it too
            name = local[1:]
            forms |= {f"{name}@{d}" for d in _domains(domain)} | {f"{d}/@{name}" for d in _domains(domain)}
    return {n for n in (_fold(f) for f in forms) if len(n) >= MIN_LENGTH}


# A handle a reader gave is shown by a link to its profile as much as by the handle: the services
# readers give handles of, and how their profile addresses hold one. A handle with dots
# that is a domain name (@ann.bsky.social, Bluesky's) is found without its "@" wherever it stands.
PROFILE_ADDRESSES = (
    "t.me/{}",
    "telegram.me/{}",
    "x.com/{}",
    "twitter.com/{}",
    "instagram.com/{}",
    "threads.net/@{}",
    "threads.com/@{}",
    "tiktok.com/@{}",
    "youtube.com/@{}",
    "github.com/{}",
    "bsky.app/profile/{}",
    "facebook.com/{}",
    "linkedin.com/in/{}",
)
_HANDLE = re.compile(r"@[\w.\-]+")
# a handle that is a domain name (Bluesky's: ann.bsky.social, ann.example.org, annjones.com), found
# without its "@"; not a name with a dot in it (Instagram's @ann.jones), which prose may hold
_DOMAIN_HANDLE = re.compile(r"[\w\-]+(?:\.[\w\-]+){2,}|[\w\-]+\.(?:com|net|org|social|app|dev|io|me|xyz)")


def _handle_needles(value: str) -> set[str]:
    """What a reader gave that is neither an address nor a number (a handle, a name,
    ``github:…``) as written; a handle that is a domain name also without its "@"."""
    forms = {value}
    if _HANDLE.fullmatch(value) and _DOMAIN_HANDLE.fullmatch(value[1:]):
        forms.add(value[1:])
    return {n for n in (_fold(f) for f in forms) if len(n) >= MIN_LENGTH}


@functools.cache
def _profile_prefixes() -> tuple[str, ...]:
    """The profile addresses before the handle's name, read as a text is read (``t.me/`` folds to
    ``t.rne/``: the skeleton reads ``m`` as ``rn``), so a view is tested for them as it stands."""
    return tuple(sorted({_fold(profile.split("{}")[0]) for profile in PROFILE_ADDRESSES}))


def _profile_source(names: Iterable[str]) -> str:
    """A pattern of any of ``names`` (folded handles without their "@") in a profile address: a
    host's "www." or "m." may come first, no other address character."""
    hosts = "|".join(re.escape(prefix) for prefix in sorted(_profile_prefixes(), key=len, reverse=True))
    subdomain = "|".join(re.escape(_fold(sub)) for sub in ("www.", "m."))
    return _ADDRESS_BEFORE + f"(?:{subdomain})?(?:{hosts})(" + _trie_source(names) + ")" + _OTHER_AFTER


@dataclass(frozen=True)
class _Number:
    national: str  # the national significant number
    country: str | None  # its country calling code, when the reader gave it (or the site's region)
    trunks: tuple[str, ...]  # national (trunk) prefixes: "0", "8", "06" …


def _number(value: str, region: str | None) -> _Number | None:
    """A phone part as its national significant number, country code and trunk prefixes."""
    import phonenumbers

    plain = _mapped(value, _digit_table())
    digits = re.sub(r"\D", "", plain)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    international = plain.lstrip().startswith("+") or digits.startswith("00")
    if international:
        try:
            number = phonenumbers.parse("+" + digits.removeprefix("00"), None)
            national = phonenumbers.national_significant_number(number)
            if len(national) >= MIN_PHONE_DIGITS - 1:
                code = number.country_code
                return _Number(national, str(code), _trunks(code))
        except phonenumbers.NumberParseException:
            pass
        return _Number(digits.removeprefix("00"), None, ())
    if region:
        try:
            number = phonenumbers.parse(digits, region)
            national = phonenumbers.national_significant_number(number)
            if len(national) >= MIN_PHONE_DIGITS - 1 and digits.endswith(national):
                code = number.country_code
                return _Number(national, str(code), _trunks(code))
        except phonenumbers.NumberParseException:
            pass
    national = digits.lstrip("0")
    return _Number(national, None, ("0",) if national != digits else ()) if national else None


# what no number's digits can stand across (a letter, or more than three other characters between
# two digits: _SEP), and what is left once the rest of such a text is taken out
_NUMBER_BREAK = re.compile(r"[^\W\d]+|\W{4,}")
_NOT_DIGIT = re.compile(r"[^\dx]+")
# the same for an ASCII text, in one C pass of bytes.translate (the two substitutions above cost a
# regex step per character: a third of the guard's time at 600 readers): letters and "_" become
# "x", every other character but a digit goes. Digits farther apart than a number's separators
# allow are joined here, so more numbers may seem present: only more patterns are tried, and
# each still decides on the text itself.
_ASCII_DIGITS = bytes(ord("x") if chr(i).isalpha() or chr(i) == "_" else i for i in range(256))
_ASCII_NOT_DIGIT = bytes(i for i in range(128) if not (chr(i).isalnum() or chr(i) == "_"))
_SIMPLE_PREFIX = re.compile(r"[\d|?()\[\]:]+")


def _trunks(country_code: int) -> tuple[str, ...]:
    """The national (trunk) prefixes of a country code's regions, as regex sources: ``0``, and
    libphonenumber's own pattern where it is a plain one (Belarus ``0|80?``)."""
    import phonenumbers

    trunks = {"0"}
    for region in phonenumbers.region_codes_for_country_code(country_code):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if metadata is None:
            continue
        if metadata.national_prefix:
            trunks.add(re.escape(metadata.national_prefix))
        parsing = metadata.national_prefix_for_parsing
        if parsing and _SIMPLE_PREFIX.fullmatch(parsing):
            trunks.add(re.sub(r"\((?!\?)", "(?:", parsing))
    return tuple(sorted(trunks))


def _number_prefix(country: str | None, trunks: tuple[str, ...]) -> str:
    """What may come before the national number: a country code (with +, 00 or 011, or bare),
    a trunk prefix (``0``, ``(0)``), or both (``+44 (0) 20 …``)."""
    trunk = "|".join(sorted(trunks, key=len, reverse=True))
    # twice: a prefix written apart ("8 0152 …" in Belarus)
    trunk_part = rf"(?:\(?(?:{trunk})\)?{_SEP}){{1,2}}" if trunks else ""
    if country:
        cc = rf"(?:(?:\+|00|011){_SEP})?{re.escape(country)}{_SEP}"
    else:
        cc = rf"(?:\+|00){_SEP}\d{{1,3}}{_SEP}"
    both = rf"{cc}(?:{trunk_part})?" if trunk_part else cc
    options = [both] + ([trunk_part] if trunk_part else [])
    return "(?:" + "|".join(options) + ")?"


def _trie_source(needles: Iterable[str], between: str = "") -> str:
    """One regex source matching any needle, shaped as a trie (``between`` goes between characters).

    A flat alternation of hundreds of literals makes ``re`` try every branch at
    every position; nested by shared prefixes, each position costs a few
    character tests, so one pass over a text checks every needle at once.
    """
    root: dict[str, dict] = {}
    end = ""  # the key marking "a needle ends here" (needles are never empty)
    for needle in needles:
        node = root
        for ch in needle:
            node = node.setdefault(ch, {})
        node[end] = {}

    def build(node: dict[str, dict], first: bool) -> str:
        out = []
        while len(node) == 1 and end not in node:  # a chain: no branching, no recursion
            (ch, node), *_ = node.items()
            out.append(("" if first else between) + re.escape(ch))
            first = False
        branches = [
            ("" if first else between) + re.escape(ch) + build(child, False)
            for ch, child in sorted(node.items())
            if ch != end
        ]
        if branches:
            single = len(branches) == 1 and len(branches[0]) == 1
            group = branches[0] if single else "(?:" + "|".join(branches) + ")"
            out.append(group + "?" if end in node else group)
        return "".join(out)

    return build(root, True)


class Recogniser:
    """Finds any of some contacts (whole contact fields), in any form a reader would recognise.

    ``region`` (ISO code, e.g. ``GB``) places a number the reader gave
    without its country code, so it is also found written internationally.
    """

    def __init__(self, contacts: Iterable[str], *, region: str | None = None) -> None:
        self.addresses: dict[str, str] = {}  # folded needle -> the contact field it comes from
        self.others: dict[str, str] = {}
        self.profiles: dict[str, str] = {}  # a handle's folded name -> the contact field
        self.numbers: dict[str, str] = {}  # national number -> the contact field
        by_prefix: dict[tuple[str | None, tuple[str, ...]], set[str]] = {}
        for contact in sorted(set(contacts)):
            for part in parse_field(contact):
                if part.kind == EMAIL:
                    for needle in _address_needles(part.value):
                        self.addresses.setdefault(needle, contact)
                elif part.kind == PHONE:
                    number = _number(part.value, region)
                    if number is not None:
                        self.numbers.setdefault(number.national, contact)
                        by_prefix.setdefault((number.country, number.trunks), set()).add(number.national)
                else:
                    for needle in _handle_needles(part.value):
                        self.others.setdefault(needle, contact)
                    if _HANDLE.fullmatch(part.value) and len(part.value) > 1:
                        self.profiles.setdefault(_fold(part.value[1:]), contact)
        self._address = (
            re.compile(_ADDRESS_BEFORE + "(" + _trie_source(self.addresses) + ")" + _ADDRESS_AFTER)
            if self.addresses
            else None
        )
        self._other = (
            re.compile(_ADDRESS_BEFORE + "(" + _trie_source(self.others) + ")" + _OTHER_AFTER)
            if self.others
            else None
        )
        # a handle in a link to its profile: looked for only in a view that shows such a link
        self._profile = re.compile(_profile_source(self.profiles)) if self.profiles else None
        # a match of the addresses' pattern is one of their needles: when each has an "@", a view
        # without one cannot hold any (most of a column's text), so it is not searched at all
        self._address_has_at = all("@" in needle for needle in self.addresses)
        # in a view read backwards the left boundary may be a full stop: those patterns are
        # compiled when a text is first read backwards (right-to-left text), which few sites
        # hold (compiling a pattern of every address costs about as much as making the rest)
        self._reversed: dict[re.Pattern[str], re.Pattern[str]] = {}
        self._spaceless: dict[re.Pattern[str], re.Pattern[str]] = {}
        self._numbers = [
            re.compile(
                _NUMBER_BEFORE
                + _number_prefix(country, trunks)
                + "(?P<number>"
                + _trie_source(nationals, between=_SEP)
                + ")"
                + _NUMBER_AFTER
            )
            for (country, trunks), nationals in sorted(by_prefix.items(), key=repr)
        ]
        # Each pattern above allows separators between every digit and a prefix before, so it
        # costs a few steps at every position of a text, one pass per country code the readers'
        # numbers have. A number's digits stand together once everything but digits is taken out
        # of the text, so one plain pass over those digits (for every number at once) says which
        # patterns can match at all: usually none. (Digits farther apart than a number's
        # separators allow are kept apart by an "x".)
        self._pattern_of: dict[str, list[int]] = {}
        for n, ((_country, _trunks), nationals) in enumerate(sorted(by_prefix.items(), key=repr)):
            for national in nationals:
                self._pattern_of.setdefault(national, []).append(n)
        self._national_lengths = sorted({len(national) for national in self._pattern_of})
        self._digits_only = (
            re.compile("(?=(" + _trie_source(self._pattern_of) + "))") if self._pattern_of else None
        )

    def _number_patterns(self, view: str) -> list[re.Pattern[str]]:
        """The number patterns that may match in ``view``: those of the numbers whose digits it
        holds in a row (any national number that is a prefix of one found is counted too)."""
        if view.isascii():
            digits = view.encode("ascii").translate(_ASCII_DIGITS, _ASCII_NOT_DIGIT).decode("ascii")
        else:
            digits = _NOT_DIGIT.sub("", _NUMBER_BREAK.sub("x", view))
        wanted: set[int] = set()
        for found in self._digits_only.findall(digits):
            for length in self._national_lengths:
                wanted.update(self._pattern_of.get(found[:length], ()))
        return [self._numbers[n] for n in sorted(wanted)]

    def _backwards(self, pattern: re.Pattern[str]) -> re.Pattern[str]:
        """``pattern`` for a view read backwards (its left boundary may be a full stop)."""
        found = self._reversed.get(pattern)
        if found is None:
            found = re.compile(pattern.pattern.replace(_ADDRESS_BEFORE, _REVERSED_BEFORE, 1))
            self._reversed[pattern] = found
        return found

    def _beside_spaceless(self, pattern: re.Pattern[str]) -> re.Pattern[str]:
        """``pattern`` for a view holding letters of a script written without spaces: such a
        letter beside the match's ASCII first or last character does not join it."""
        found = self._spaceless.get(pattern)
        if found is None:
            source = pattern.pattern
            before = next(b for b in (_ADDRESS_BEFORE, _REVERSED_BEFORE) if source.startswith(b))
            after = next(a for a in (_ADDRESS_AFTER, _OTHER_AFTER) if source.endswith(a))
            body = source[len(before) : len(source) - len(after)]
            found = re.compile(
                f"(?:{before}|{_BESIDE_SPACELESS})" + body + f"(?:{after}|{_BEFORE_SPACELESS})"
            )
            self._spaceless[pattern] = found
        return found

    def __bool__(self) -> bool:
        return bool(self.addresses or self.others or self.numbers or self.profiles)

    def find(self, text: str) -> str | None:
        """The contact field one of whose addresses or numbers ``text`` shows, if any."""
        if not self or not text:
            return None
        if self._numbers:
            views = digit_views(text) if any(ch.isdigit() for ch in text) else []
            said = said_view(text)
            for view in views if said is None else [*views, said]:
                for pattern in self._number_patterns(view):
                    found = pattern.search(view)
                    if found:
                        return self.numbers[re.sub(r"\D", "", found.group("number"))]
        if self._address is not None or self._other is not None or self._profile is not None:
            tables = (
                (self._address, self.addresses),
                (self._other, self.others),
                (self._profile, self.profiles),
            )
            for view in address_views(text):
                reversed_ = view.startswith(_REVERSED)
                no_at = self._address_has_at and "@" not in view
                for pattern, table in tables:
                    if pattern is None or (no_at and table is self.addresses):
                        continue
                    if table is self.profiles and not any(p in view for p in _profile_prefixes()):
                        continue
                    chosen = self._backwards(pattern) if reversed_ else pattern
                    if not view.isascii() and _HAS_SPACELESS.search(view):
                        chosen = self._beside_spaceless(chosen)
                    found = chosen.search(view)
                    if found:
                        return table[found.group(1)]
        return None

    def lines(self, text: str) -> list[int]:
        """The numbers (from 1) of the lines where ``text`` shows a contact; a form spread over
        lines is named by its first line. Empty when it shows none."""
        if self.find(text) is None:
            return []
        rows = text.splitlines()
        hits = [n for n, row in enumerate(rows, 1) if self.find(row) is not None]
        if hits:
            return hits
        for n in range(1, len(rows)):
            if self.find(rows[n - 1] + "\n" + rows[n]) is not None:
                return [n]
        return [1]


# --- any address at all (intake masking) -----------------------------------------------------

LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]+"
DOMAIN = r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}"
ANY_ADDRESS = re.compile(rf"(?<![\w.+-]){LOCAL}@{DOMAIN}", re.IGNORECASE)


@functools.cache
def _word_letter(ch: str) -> bool:
    """Whether ``ch`` is a character of a script written without spaces (a letter, or a vowel
    sign on one) whose look-alike is not an ASCII character (Katakana ``ノ`` reads as ``/``,
    Thai ``๐`` as ``o``: those may be part of an address, so they are never cut off one)."""
    return bool(_HAS_SPACELESS.match(ch)) and not _skeletal(ch).isascii()


def apart_from_words(found: str) -> tuple[str, str, str]:
    """``found`` (a match of an address pattern whose local part and domain are ``\\w`` runs,
    written with an ``@`` or spelled out) as (the words before it, the address, the words after).

    Japanese, Chinese, Korean and Thai text sets an address straight against its words
    (``ご質問はann@example.orgまで``): such letters before the local part's first ASCII
    letter or digit, or after the domain's last one, are the sentence's, not the address's (the
    rule the recogniser reads addresses by). An address that is itself such letters at that end
    (``田中@example.jp``, ``田中.taro@…``, ``ann@example.みんな``) keeps them all: masking too
    much hides a word, too little would show part of an address.
    """
    if found.isascii():
        return "", found, ""
    start = 0
    while start < len(found) and _word_letter(found[start]):
        start += 1
    # an ASCII letter or digit after them, or Markdown's emphasis or code span around the address
    # (…は**ann@…**まで); not 田中@… or 田中.taro@…, whose local part itself begins with them
    if start == len(found) or not (
        found[start].isascii() and (found[start].isalnum() or found[start] in "*`")
    ):
        start = 0
    end = len(found)
    # the domain: after the "@", or the last space or bracket of a spelled-out "[at]"/" at " form
    domain = max(found.rfind(sep) for sep in "@ \t])}>")
    for i in range(max(domain, start) + 1, len(found)):
        if _word_letter(found[i]) and found[i - 1].isascii() and found[i - 1].isalnum():
            end = i
            break
    return found[:start], found[start:end], found[end:]


def spaceless_pieces(word: str) -> list[str]:
    """``word`` cut where a letter of a script written without spaces meets any other character
    (``ご質問はann@example.orgまで`` is ``ご質問は``, ``ann@example.org``, ``まで``): the pieces a
    reader of such text sees as separate words. Joined, they are ``word``."""
    pieces: list[str] = []
    for ch in word:
        if pieces and _word_letter(ch) == _word_letter(pieces[-1][-1]):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def looks_like_address(token: str) -> bool:
    """Whether a word, read as a reader reads it (invisible characters, look-alikes, defanged
    forms), is an email address."""
    return any(ANY_ADDRESS.search(view) for view in address_views(token))
