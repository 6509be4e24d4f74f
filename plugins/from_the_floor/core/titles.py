"""A post's title as readers see it, for posts published under the kit's old default pattern.

Until the column's own name replaced the kit's, ``FLOOR_TITLE`` defaulted to
"From the Floor #{number}: {question}", and publishing wrote that into each
post's ``title``. The author never chose those words, so a post whose title is
exactly what the old default made is shown with the site's current pattern;
a title the author wrote (or a pattern they set) is kept as it is. The post's
file, slug and URL do not change.
"""

from __future__ import annotations

LEGACY_PATTERN = "From the Floor #{number}: {question}"
DEFAULT_PATTERN = "{question}"


def shown_title(stored: str, number: int | None, pattern: str) -> str:
    """``stored`` remade with ``pattern`` when the old default pattern wrote it, else unchanged."""
    if number is None or pattern == LEGACY_PATTERN:
        return stored
    prefix = LEGACY_PATTERN.split("{question}")[0].format(number=number)
    if not stored.startswith(prefix) or not stored[len(prefix) :].strip():
        return stored
    try:
        return pattern.format(number=number, question=stored[len(prefix) :])
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return stored  # `floor check` names a broken pattern; the build keeps the stored title


def column_name(raw: dict) -> str:
    """The column's name: ``FLOOR_NAME`` in a blog that is more than the column, else SITENAME
    (a site made by `floor init --title` is the column)."""
    return str(raw.get("FLOOR_NAME") or raw.get("SITENAME") or "")
