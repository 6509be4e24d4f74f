"""The order a reader expects a list of names in: "Year 2" before "Year 10", "école" with "Ecole".

Plain string order puts "Year 10" before "Year 2" and "Zoo" before "apple": lists an
author scans (tags on the desk and on the Stats page) read wrong that way.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"(\d+)")


def reading_key(name: str) -> tuple[tuple[str | int, ...], str]:
    """Sort key: runs of digits by their value, letters without case or accents, then the name
    itself so that two names that read alike still come in one fixed order."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    parts = _DIGITS.split(plain.casefold())
    # split() alternates text and digits, starting with text, so like compares with like
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts)), name
