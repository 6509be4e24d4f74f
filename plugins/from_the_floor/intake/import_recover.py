"""A WordPress-format export that is not well-formed XML, made well-formed again.

Squarespace's export is always one (its URLs and titles carry bare ``&`` and
HTML entities such as ``&mdash;``, which XML does not know), and so is any WXR
that a plugin or a hand edit left with a stray ``&``. Read as a feed, such a
file publishes its drafts, pages and attachments as posts; so the kit mends the
one thing that breaks it — ampersands outside CDATA sections — and parses the
result with defusedxml again (the same defences as any export). Line numbers
are unchanged, so a file that is still broken is refused at the line of its
problem.
"""

from __future__ import annotations

import html.entities
import re

_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
# CDATA sections and comments are left as they are: an "&" inside them is already text.
_SKIP = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.DOTALL)
_AMPERSAND = re.compile(rb"&(#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]{0,31};)?")
_WORDPRESS_FORMAT = re.compile(rb"xmlns:wp\s*=|<wp:wxr_version>")


def looks_like_wordpress(data: bytes) -> bool:
    """Whether a file claims to be a WordPress-format export (WXR), well-formed or not."""
    return bool(_WORDPRESS_FORMAT.search(data[:65536]))


def _mend(match: re.Match[bytes]) -> bytes:
    reference = match.group(1)
    if reference is None:
        return b"&amp;"
    name = reference[:-1].decode("ascii")
    if reference.startswith(b"#") or name in _XML_ENTITIES:
        return match.group(0)
    character = html.entities.html5.get(name + ";")
    if character is None:  # "&foo;" that no HTML knows: it was text
        return b"&amp;" + reference
    return "".join(f"&#{ord(c)};" for c in character).encode("ascii")


def escape_ampersands(data: bytes) -> tuple[bytes, int]:
    """The document with each bare ``&`` escaped and HTML's named entities as numeric ones.

    Returns the new bytes and how many ampersands were changed (for the import report).
    """
    changed = 0

    def mend(match: re.Match[bytes]) -> bytes:
        nonlocal changed
        replacement = _mend(match)
        changed += replacement != match.group(0)
        return replacement

    out: list[bytes] = []
    position = 0
    for skip in _SKIP.finditer(data):
        out += [_AMPERSAND.sub(mend, data[position : skip.start()]), skip.group(0)]
        position = skip.end()
    out.append(_AMPERSAND.sub(mend, data[position:]))
    return b"".join(out), changed
