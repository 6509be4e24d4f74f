"""Near-duplicate questions: the same question asked again, in other words or by another reader.

Two questions are compared by their content words: normalised (case, accents,
punctuation), without English function words ("do", "you", "the" …), lightly
stemmed ("stalked" = "stalk", "readers" = "reader"), and with a typo allowed
in longer words. The score is the Dice coefficient of those word bags, 0 … 1.
Comparing characters alone is fooled by one changed word ("Do you ever stalk
your customers?" and "… call your customers?" are 92 % alike as text), and
the word that changes is usually the one that matters.

The standard library (:mod:`difflib`) is enough: a column's queue holds at most
a few hundred short questions, so checking a new one against all of them takes
milliseconds, and rapidfuzz's speed would buy nothing but a compiled dependency.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..core.question import Question
from ..errors import FloorError

SETTING = "FLOOR_DUPLICATE_THRESHOLD"
DEFAULT_THRESHOLD = 0.85
TYPO_RATIO = 0.8  # two words of 5+ letters this alike are one word misspelt

_NOT_WORD = re.compile(r"[^\w]+")
# English function words; not the question words (why/how …) nor negations, which change the question
_STOPWORD_TEXT = """
    a about after again all also am an and any are as at be been being but by can could
    did do does doing done for from get got had has have having he her here hers him his
    i if in into is it its just let me might more most much must my of on or our ours
    out over own please s same shall she should so some such t than that the their them
    then there these they this those to too under up us very was we were which while will
    with would you your yours yourself ever every each really ok okay hi hello dear thanks thank
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: what the words say, not how."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).replace("_", " ").split())


def _stem(word: str) -> str:
    """A light English stem: plurals and -ed/-ing endings, so "stalked" meets "stalk"."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word[:-2].endswith(("s", "x", "z", "ch", "sh")):
                continue  # "uses" → "use" (by the "s" rule), "boxes" → "box"
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)] + replacement
    return word


def content_words(text: str) -> list[str]:
    """The words that carry a question's meaning, stemmed."""
    return [_stem(w) for w in normalise(text).split() if w not in STOPWORDS and not w.isdigit()]


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and SequenceMatcher(None, a, b).ratio() >= TYPO_RATIO


def similarity(a: str, b: str) -> float:
    """0.0 … 1.0: the Dice coefficient of the two questions' content words (1.0: the same words)."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        # nothing but function words ("Why?", "How are you?"): only the same text matches
        return 1.0 if normalise(a) == normalise(b) and normalise(a) else 0.0
    left = Counter(wa)
    shared = 0
    for word in wb:
        hit = word if left[word] else next((w for w in left if left[w] and _same_word(w, word)), None)
        if hit is not None:
            left[hit] -= 1
            shared += 1
    return 2 * shared / (len(wa) + len(wb))


def threshold(raw: dict[str, Any], path: Path | None = None) -> float | None:
    """FLOOR_DUPLICATE_THRESHOLD: a number above 0 and at most 1; None or False turns merging off."""
    value = raw.get(SETTING, DEFAULT_THRESHOLD)
    if value is None or value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise FloorError(
            f"{value!r} must be a number above 0 and at most 1 (e.g. 0.85), or None to never merge",
            path=path,
            field=SETTING,
        )
    return float(value)


@dataclass(frozen=True)
class Match:
    """The question a new one duplicates, how closely, and the wording that matched."""

    question: Question
    score: float
    matched_text: str


def best_match(text: str, candidates: Iterable[Question], limit: float | None) -> Match | None:
    """The candidate most like ``text`` at or above ``limit`` (its own or a merged reader's wording)."""
    if limit is None:
        return None
    best: Match | None = None
    for candidate in candidates:
        for wording in [candidate.question, *(e.question for e in candidate.also_asked_by)]:
            score = similarity(text, wording)
            if score >= limit and (best is None or score > best.score):
                best = Match(candidate, score, wording)
    return best


def merge_candidates(queued: Iterable[Question], published: Iterable[Question]) -> list[Question]:
    """What a new question may merge into: anything queued but declined, and every published post.

    A declined question is left alone: a new reader asking it again is worth
    the author's second look, so it is queued on its own.
    """
    return [q for q in queued if not q.declined] + list(published)
