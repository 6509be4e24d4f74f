"""Finding the column's own parts in an old post: the question, the quick answer, the rest.

Old Q&A posts are often written as labelled parts ("Query: … / Quick answer: …
/ More thoughtful answer: …", "Q: … A: …"), bold or not, with line breaks or
paragraphs between them. The labels are matched at the start of a line of the
converted Markdown; text before the first label is the post's introduction and
stays in the body. Only a post without labels falls back to a heuristic, which
takes the first paragraph of plain prose, never a heading, an image, a caption,
a bare address or the whole post; when nothing fits, the quick answer is empty
and the report says so.

The words are FLOOR_IMPORT_LABELS in pelicanconf.py (a dict of lists; defaults
below, in English).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import FloorError

ROLES = ("question", "quick_answer", "body")
DEFAULT_LABELS: dict[str, list[str]] = {
    "question": [
        "Question",
        "Query",
        "Q",
        "The question",
        "Reader question",
        "Reader's question",
        "You asked",
    ],
    "quick_answer": [
        "Quick answer",
        "Short answer",
        "The short answer",
        "Short version",
        "In short",
        "TL;DR",
        "TLDR",
    ],
    "body": [
        "More thoughtful answer",
        "Thoughtful answer",
        "Long answer",
        "The long answer",
        "Longer answer",
        "Full answer",
        "The answer",
        "Answer",
        "A",
    ],
}
_COLON = r"[:：—–]"
_BLOCK_START = re.compile(r"^(?:#|!\[|\[!\[|[-*+] |\d+[.)] |>|\||```|~~~|<|    |\t)")
_BARE_URL = re.compile(r"^<?https?://\S+>?$|^\[https?://[^\]]+\]\([^)]+\)$")
_EMPHASIS_ONLY = re.compile(r"^(\*{1,2}|_{1,2}).+\1$", re.DOTALL)
_IMAGE_BLOCK = re.compile(r"^(?:!\[|\[!\[|<figure|<img)")
# A paragraph that introduces what follows: it ends in a colon ("Verify that:"), or it runs on
# into a list, code or table without ending its sentence ("… to make sure that" + a list).
_ENDS_IN_COLON = re.compile(r":[*_]*$")
_ENDS_SENTENCE = re.compile(r"[.!?…。！？\"”’')\]][*_]*$")
_LIST_CODE_OR_TABLE = re.compile(r"^(?:[-*+] |\d+[.)] |```|~~~|    |\t|\||<table)")


@dataclass
class Parts:
    """A post split into the column's fields; ``source`` says how the quick answer was found."""

    question: str | None
    quick_answer: str
    body: str
    source: str  # "label", "excerpt", "heuristic" or "none"
    labels: list[str]  # the labels found, in order (for the report)
    intro: str = ""  # the text before the first label (the body starts with it)


def labels_from_settings(raw: Mapping[str, Any], path: object = None) -> dict[str, list[str]]:
    """FLOOR_IMPORT_LABELS, checked: each role's words replace the default list."""
    value = raw.get("FLOOR_IMPORT_LABELS")
    if value is None:
        return DEFAULT_LABELS
    if not isinstance(value, Mapping) or set(value) - set(ROLES):
        raise FloorError(
            f"must be a dict with the keys {', '.join(ROLES)} (lists of label words), not {value!r}",
            field="FLOOR_IMPORT_LABELS",
            path=path if isinstance(path, str) else None,
        )
    labels = dict(DEFAULT_LABELS)
    for role, words in value.items():
        if not isinstance(words, list | tuple) or not all(isinstance(w, str) and w.strip() for w in words):
            raise FloorError(f"{role!r} must be a list of words, not {words!r}", field="FLOOR_IMPORT_LABELS")
        labels[role] = [w.strip() for w in words]
    return labels


def _pattern(labels: Mapping[str, list[str]]) -> re.Pattern[str]:
    groups = []
    for role in ROLES:
        words = sorted(labels.get(role, []), key=len, reverse=True)
        if words:
            alternatives = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in words)
            groups.append(f"(?P<{role}>{alternatives})")
    label = "|".join(groups)
    return re.compile(
        rf"^(?P<lead>\#{{1,6}}[ \t]+)?(?P<open>\*\*|__|\*|_)?[ \t]*(?:{label})(?![^\W_])"
        rf"[ \t]*(?P<c1>{_COLON}|:)?[ \t]*(?P=open)?[ \t]*(?P<c2>{_COLON}|:)?[ \t]*(?P<rest>[^\n]*)",
        re.IGNORECASE | re.MULTILINE,
    )


def _labelled(markdown: str, pattern: re.Pattern[str]) -> list[tuple[str, str, int, int]]:
    """(role, label as written, start, end of the label) for each real label."""
    found = []
    for match in pattern.finditer(markdown):
        role = next(r for r in ROLES if match.group(r) is not None)
        word = match.group(role)
        colon = match.group("c1") or match.group("c2")
        alone = not match.group("rest").strip()
        styled = bool(match.group("lead") or match.group("open"))
        if colon or (styled and alone and len(word) > 1):
            found.append((role, word, match.start(), match.start("rest")))
    return found


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")


def _plain(text: str) -> str:
    """A question as one line of text: emphasis markers, Markdown's backslash escapes and breaks go.

    The question is shown as text, never as Markdown: ``\\[`` is ``[`` again, ``&lt;`` is ``<``.
    """
    text = re.sub(r"(?<!\\)(\*\*|__)", "", text)
    text = _ESCAPED.sub(r"\1", text).replace("&lt;", "<").replace("&amp;", "&")  # html_markdown's
    return " ".join(text.split()).strip()


def split(markdown: str, labels: Mapping[str, list[str]] = DEFAULT_LABELS) -> Parts | None:
    """The labelled parts, or None when the post is not written with (at least two kinds of) labels."""
    found = _labelled(markdown, _pattern(labels))
    if len({role for role, *_ in found}) < 2:
        return None
    parts: dict[str, list[str]] = {role: [] for role in ROLES}
    intro = markdown[: found[0][2]].strip()
    for n, (role, _word, _start, end) in enumerate(found):
        stop = found[n + 1][2] if n + 1 < len(found) else len(markdown)
        text = markdown[end:stop].strip()
        if text:
            parts[role].append(text)
    body = "\n\n".join(([intro] if intro else []) + parts["body"])
    quick = "\n\n".join(parts["quick_answer"])
    question = _plain(" ".join(parts["question"])) or None
    return Parts(question, quick, body, "label" if quick else "none", [w for _, w, *_ in found], intro)


def _blocks(markdown: str) -> list[str]:
    return [b.strip("\n") for b in re.split(r"\n\s*\n", markdown) if b.strip()]


def _said(text: str) -> str:
    """A paragraph's words alone: no emphasis, escapes or line breaks, any case."""
    return " ".join(re.sub(r"[*_\\]", "", text).split()).casefold()


def without_repeat(markdown: str, quick: str, *, within: int = 3) -> str:
    """The text without its first paragraph when that says what the quick answer says.

    Platforms write a post's excerpt or summary as a copy of its opening (Squarespace's excerpt,
    a feed's description beside its content): taken as the quick answer, it would be read twice,
    once above the longer answer and again as its first paragraph. Only a paragraph among the
    first few blocks (after a picture or a player) is dropped; a later one is the author's.
    """
    wanted = _said(quick)
    blocks = _blocks(markdown)
    for i, block in enumerate(blocks[:within]):
        if wanted and _said(block) == wanted:
            return "\n\n".join(blocks[:i] + blocks[i + 1 :])
    return markdown


def first_plain_paragraph(markdown: str) -> tuple[str, str] | None:
    """(quick answer, the rest) when a paragraph of prose leads and more follows, else None."""
    blocks = _blocks(markdown)
    for i, block in enumerate(blocks):
        text = block.strip()
        after_image = i > 0 and _IMAGE_BLOCK.match(blocks[i - 1].strip()) is not None
        if (
            _BLOCK_START.match(block)
            or _BARE_URL.match(text)
            or _EMPHASIS_ONLY.match(text)
            or "![" in text
            or (after_image and len(text.split()) < 25)
        ):
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else ""
        if _ENDS_IN_COLON.search(text) or (
            _LIST_CODE_OR_TABLE.match(following) and not _ENDS_SENTENCE.search(text)
        ):
            return None  # a lead-in: alone it answers nothing, and its list would lose its opening
        rest = blocks[:i] + blocks[i + 1 :]
        if not any(not _IMAGE_BLOCK.match(b.strip()) for b in rest):
            return None  # it would be the whole post
        return text, "\n\n".join(rest)
    return None
