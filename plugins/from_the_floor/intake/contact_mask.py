"""Contact details in a reader's own words ("write to me at ann@example.org") are masked.

A reader's contact belongs in the private ``contact`` field, never in the
question, the details or the name that a post shows. Every intake channel (and
``floor ask``) passes reader text through :func:`mask` before it is stored:
email addresses, ``mailto:`` links, the spelled-out forms people use to dodge
spam robots ("ann at example dot org", "ann[at]example[.]org") and phone
numbers (found with ``phonenumbers``, Google's libphonenumber: international
numbers always, national ones for the site's country) and handles that reach the
reader (see "handles" below: not a decorator or anything inside code) become
:data:`MASK`; then each word is read as a reader reads it
(core/contact_recogniser.py: invisible characters, look-alike letters,
entities), so an address hidden that way, or any form of this reader's own
contact, is masked too. The mask is the same every time, so a re-run stores the same text.
"""

from __future__ import annotations

import re

from ..core import contact_recogniser

MASK = "[address removed]"

_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]+"
_DOMAIN = r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}"
_EMAIL = rf"{_LOCAL}@{_DOMAIN}"
# [text](mailto:…) and <mailto:…> / <ann@example.org>: the whole link goes, its text may be the address
_MD_MAILTO = re.compile(r"\[[^\]\n]*\]\(\s*<?\s*mailto:[^)\s]*\s*>?\s*\)", re.IGNORECASE)
_ANGLE = re.compile(rf"<\s*(?:mailto:\s*)?{_EMAIL}\s*>", re.IGNORECASE)
# a letter of a script written without spaces may stand right before or after a contact (メールは
# mailto:… まで): see contact_recogniser.apart_from_words, which gives such letters back
_WORDS = contact_recogniser._SPACELESS
_MAILTO = re.compile(rf"(?:\b|(?<={_WORDS}))mailto:\S+", re.IGNORECASE)
_ADDRESS = re.compile(rf"(?<![\w.+-]){_EMAIL}", re.IGNORECASE)
# Spelled out. With brackets the intent is plain; bare " at … dot …" must end in a likely domain
# ending, so "look at this dot matrix" is left alone.
# "[arroba]", "(Punkt)", "[собака]": the words the recogniser reads in brackets, in every language
_AT_WORDS = "|".join(
    re.escape(w) for w in sorted(contact_recogniser.AT_WORDS, key=len, reverse=True) if w != "a"
)
_DOT_WORDS = "|".join(re.escape(w) for w in sorted(contact_recogniser.DOT_WORDS, key=len, reverse=True))
# "(a)" only set tight against both words (ann(a)example.fi): "option (a) example.com" is a list
_BR_AT = rf"(?:\s*[\[({{<]\s*(?:{_AT_WORDS}|@)\s*[\])}}>]\s*|[\[({{]a[\])}}])"
_BR_DOT = rf"\s*[\[({{<]\s*(?:{_DOT_WORDS}|\.)\s*[\])}}>]\s*"
# without brackets, the words for "@" and "." of the languages that spell addresses out most
_AT_SAID = r"at|arroba|arobase|chiocciola|@"
_DOT_SAID = r"dot|punto|punkt|point|ponto"
_BRACKETED = re.compile(
    rf"\b[\w.+-]+{_BR_AT}[\w-]+(?:(?:{_BR_DOT}|\.|\s+(?:{_DOT_SAID})\s+)[\w-]+)+", re.IGNORECASE
)
_TLDS = (
    "com|org|net|edu|gov|info|io|co|me|uk|de|fr|nl|be|es|it|pt|ch|at|se|no|dk|fi|ie|pl|cz|"
    "us|ca|au|nz|jp|cn|in|br|mx|eu|email|mail"
)
_SPELLED = re.compile(
    rf"\b[\w.+-]+\s+(?:{_AT_SAID})\s+[\w-]+(?:\s+(?:{_DOT_SAID})\s+[\w-]+)*\s+(?:{_DOT_SAID})\s+"
    rf"(?:{_TLDS})(?:\b|(?={_WORDS}))",
    re.IGNORECASE,
)


# Markdown's emphasis, strike-through and code-span delimiters: an address's local part may hold
# them (RFC 5322 allows "*", "_", "`", "~"), so a pattern takes "**ann@example.org" whole and
# leaves the closing "**" behind; a mailto: link takes the closing run with it
_MARKUP = "*_`~"
_LEADING = re.compile(r"[*_`~]+")
_TRAILING = re.compile(r"([*_`~]+)([.,;:!?)\]]*)\Z")


def _kept_markup(text: str, start: int, end: int) -> tuple[str, str]:
    """The Markdown delimiters at either end of ``text[start:end]`` (a contact about to be masked)
    that open or close emphasis or a code span around it, to be kept on either side of the mask
    so the Markdown stays balanced (``**ann@example.org**`` is ``**[address removed]**``, not
    ``[address removed]**``); with the sentence's punctuation a trailing run took with it."""
    found = text[start:end]
    lead = _LEADING.match(found)
    trail = _TRAILING.search(found)
    opening = lead.group(0) if lead and lead.end() < len(found) else ""
    closing = trail.group(1) if trail and trail.start() > 0 else ""
    outside_before = text[max(0, start - 3) : start].rstrip().split(" ")[-1]
    keep_lead = keep_trail = ""
    if opening and (closing == opening[::-1] or text.startswith(opening[::-1], end)):
        keep_lead = opening
    if closing and (keep_lead == closing[::-1] or outside_before.endswith(closing[::-1])):
        keep_trail = closing + trail.group(2)
    return keep_lead, keep_trail


# --- handles ---------------------------------------------------------------------------------
# A handle is how to reach a reader as much as an address is, but "@" also starts a decorator
# (@dataclass), a mention of a team (@everyone), a time or a place (@10am, "@ the meetup"). So:
# - a Fediverse handle (@ann@mastodon.social) and a handle that is a domain name
#   (@ann.bsky.social, @annjones.com) are masked wherever they stand: no decorator looks so;
# - a link to a profile on a service the kit knows (t.me/ann_k, x.com/ann_k,
#   mastodon.social/@ann_k, bsky.app/profile/ann.bsky.social) is masked: the link is the handle;
# - a plain @name is masked when its sentence names a service or asks to be reached ("I'm
#   @ann_k on Mastodon", "DM me @ann_k", "mon compte Insta : @ann_k");
# - nothing inside code (a code span, a fenced or indented block): @property there is code.
_HANDLE_NAME = r"[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"
# (an "@" only after a space, an opening bracket or quote, or emphasis: after a letter or an
# invisible character it is an address's, which the address patterns below take whole)
_HANDLE = re.compile(
    rf"(?<![^\s(\[{{\"'<>,;*_~])@(?!\d{{1,2}}(?::\d\d)?(?:am|pm|h)\b)({_HANDLE_NAME})(@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?(?![\w(@\-]|\.\w)"
)
_HANDLE_DOMAIN = re.compile(rf"\.(?:{_TLDS}|social|app|dev|xyz|online|site|blog)$", re.IGNORECASE)
_SERVICES = (
    "mastodon", "fediverse", "fedi", "twitter", "x", "instagram", "insta", "ig", "telegram", "tg",
    "tiktok", "threads", "bluesky", "bsky", "discord", "signal", "snapchat", "snap", "linkedin",
    "github", "gitlab", "reddit", "youtube", "twitch", "skype", "wechat", "whatsapp", "facebook",
    "fb", "messenger", "matrix", "keybase", "pixelfed", "lemmy", "tumblr", "medium", "substack",
)  # fmt: skip
_REACH_WORDS = (
    "dm", "dms", "pm", "message", "msg", "follow", "find", "reach", "contact", "ping", "add",
    "handle", "username", "account", "profile", "compte", "pseudo", "profil", "suivez", "écrivez",
    "contactez", "joindre",
)  # fmt: skip
_CONTEXT = re.compile(
    r"\b(?:" + "|".join(sorted((*_SERVICES, *_REACH_WORDS), key=len, reverse=True)) + r")\b", re.I
)
_PROFILE_LINK = re.compile(
    r"(?<![\w.@/-])(?:https?://)?(?:www\.|m\.)?(?:"
    + "|".join(re.escape(profile.split("{}")[0]) for profile in contact_recogniser.PROFILE_ADDRESSES)
    + rf"|[a-z0-9\-]+(?:\.[a-z0-9\-]+)+/@)@?{_HANDLE_NAME}/?(?![\w/@\-]|\.\w)",
    re.IGNORECASE,
)
# code: a fenced block, a code span, an indented line
_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|(`+)(?!`).+?(?<!`)\2(?!`)|^(?: {4}|\t)[^\n]*$", re.M | re.S)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")


def _mask_handles(text: str) -> tuple[str, int]:
    """The handles in ``text`` (outside code) that reach a reader, as :data:`MASK` (see above)."""
    if "@" not in text and "/" not in text:
        return text, 0
    spans: list[tuple[int, int]] = []
    code = (
        [m.span() for m in _CODE.finditer(text)]
        if "`" in text or "~" in text or "    " in text or "\t" in text
        else []
    )

    def in_code(at: int) -> bool:
        return any(start <= at < end for start, end in code)

    for found in _PROFILE_LINK.finditer(text):
        if not in_code(found.start()):
            spans.append(found.span())
    for found in _HANDLE.finditer(text):
        if in_code(found.start()) or any(s <= found.start() < e for s, e in spans):
            continue
        name, host = found.group(1), found.group(2)
        if host or ("." in name and _HANDLE_DOMAIN.search(name)):
            spans.append(found.span())
            continue
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, found.start())]
        start = starts[-1] if starts else 0
        ends = _SENTENCE_END.search(text, found.end())
        sentence = text[start : ends.start() if ends else len(text)]
        if _CONTEXT.search(sentence.replace(found.group(0), " ")):
            spans.append(found.span())
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + MASK + text[end:]
    return text, len(spans)


_DATE_LIKE = re.compile(r"^\(?\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\)?$|^\d{1,2}[.:]\d{2}$")


def _phones(text: str, region: str | None) -> list[tuple[int, int]]:
    import phonenumbers  # imported when reader text is cleaned, not by every floor command

    spans: list[tuple[int, int]] = []
    for where in dict.fromkeys((None, region)):
        try:
            for match in phonenumbers.PhoneNumberMatcher(text, where, leniency=phonenumbers.Leniency.VALID):
                if not _DATE_LIKE.match(match.raw_string):  # "05.11.2026" is a valid German number too
                    spans.append((match.start, match.end))
        except Exception:  # a bad region name or odd text must not stop an intake
            continue
    return spans


def mask(
    text: str | None, *, region: str | None = None, known: tuple[str, ...] = ()
) -> tuple[str | None, int]:
    """``text`` with every contact detail replaced by :data:`MASK`, and how many were replaced.

    ``known`` are addresses already known to be this reader's (From, Reply-To):
    they are masked wherever they appear, whatever their case.
    """
    if not text:
        return text, 0
    count = 0

    def sub(pattern: re.Pattern[str], value: str) -> str:
        nonlocal count

        def masked(found: re.Match[str]) -> str:
            before, address, after = contact_recogniser.apart_from_words(found.group(0))
            if not any(ch in address for ch in _MARKUP):
                return before + MASK + after
            start = found.start() + len(before)
            lead, trail = _kept_markup(found.string, start, start + len(address))
            return before + lead + MASK + trail + after

        value, n = pattern.subn(masked, value)
        count += n
        return value

    # links first, whole (their target may be the reader's own address: masked first, the link
    # would be left as "[text]([address removed])" and a mailto: as "[address removed] removed]")
    for pattern in (_MD_MAILTO, _ANGLE, _MAILTO):
        text = sub(pattern, text)
    for address in sorted({k for k in known if k and len(k) > 3}, key=len, reverse=True):
        text = sub(re.compile(re.escape(address), re.IGNORECASE), text)
    text, more = _mask_handles(text)  # before addresses: @ann@mastodon.social is one handle
    count += more
    for pattern in (_ADDRESS, _BRACKETED, _SPELLED):
        text = sub(pattern, text)
    merged: list[list[int]] = []
    for start, end in sorted(_phones(text, region)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        if MASK not in text[start:end]:
            text = text[:start] + MASK + text[end:]
            count += 1
    text, more = _read_as_a_reader(text, known)
    return text, count + more


def _read_as_a_reader(text: str, known: tuple[str, ...]) -> tuple[str, int]:
    """Words the patterns above cannot see, read as a reader reads them (contact_recogniser):
    an address with an invisible character or a look-alike letter in it, or one of this
    reader's own contacts in any recognisable form. Each such word becomes :data:`MASK`."""
    own = contact_recogniser.Recogniser([k for k in known if k and len(k) > 3]) if known else None
    words = re.split(r"(\s+)", text)
    count = 0
    for i, word in enumerate(words):
        if not word or word.isspace() or word == MASK:
            continue
        odd = not word.isascii() or "@" in word or "\\" in word or "&" in word or "%" in word
        if not ((odd and contact_recogniser.looks_like_address(word)) or (own and own.find(word))):
            continue
        count += 1
        # Japanese or Chinese text has no spaces to make words of: only the piece that shows the
        # contact goes (ご質問はann\u200b@example.orgまで keeps ご質問は and まで), unless it shows
        # only in the whole (an address whose own local part is such letters): then all of it
        pieces = contact_recogniser.spaceless_pieces(word) if not word.isascii() else [word]
        shown = [
            n
            for n, piece in enumerate(pieces)
            if (contact_recogniser.looks_like_address(piece)) or (own and own.find(piece))
        ]
        if len(pieces) > 1 and shown:
            words[i] = "".join(MASK if n in shown else piece for n, piece in enumerate(pieces))
        elif any(ch in word for ch in _MARKUP):
            lead, trail = _kept_markup(word, 0, len(word))
            words[i] = lead + MASK + trail
        else:
            words[i] = MASK
    return "".join(words), count
