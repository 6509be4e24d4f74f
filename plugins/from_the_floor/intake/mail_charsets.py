"""A mail's charset label read as mail clients and browsers read it: the WHATWG Encoding Standard.

Mail clients write labels that name a smaller character set than they use:
Chinese clients label GBK text ``gb2312``, Outlook writes Korean as
``ks_c_5601-1987`` (which Python does not know at all), Japanese as
``shift_jis`` with Windows' extra characters, and many Western clients
``iso-8859-1`` or ``us-ascii`` for Windows-1252's curly quotes. Python's codecs
take each label literally, so those characters become U+FFFD or the message
is unreadable. The Encoding Standard maps each label to the superset actually
used (gb2312 → GBK, ks_c_5601-1987 → EUC-KR/949, shift_jis → Windows-31J,
iso-8859-1 → windows-1252 …); ``webencodings`` is its table, as Thunderbird
and every browser apply it.
"""

from __future__ import annotations

import email.header

import webencodings


def _codec(label: str | None) -> str | None:
    """The Python codec the Encoding Standard uses for a label; None for an unknown one."""
    found = webencodings.lookup((label or "us-ascii").strip())
    if found is None or found.name == "replacement":
        return None
    return found.codec_info.name


def decode(payload: bytes, label: str | None) -> tuple[str, str | None]:
    """(the text, a note when the label was unknown). Undecodable bytes become U+FFFD, never an error.

    A part labelled ASCII or Latin-1 whose bytes are valid UTF-8 is UTF-8 (a client that did not
    update its label); that is checked first, as a UTF-8 reading of other text almost never succeeds.
    """
    codec = _codec(label)
    if codec == "cp1252" and any(b > 0x7F for b in payload):
        try:
            return payload.decode("utf-8"), None
        except UnicodeDecodeError:
            pass
    if codec is None:
        return payload.decode(
            "utf-8", errors="replace"
        ), f"the text's charset {label!r} is unknown; read as UTF-8"
    return payload.decode(codec, errors="replace"), None


def header(raw: str) -> str:
    """A header's encoded words (``=?gb2312?B?…?=``) decoded with the same table."""
    parts = []
    for chunk, label in email.header.decode_header(raw):
        if isinstance(chunk, str):
            parts.append(chunk)
        else:
            parts.append(decode(chunk, label)[0])
    return "".join(parts)
