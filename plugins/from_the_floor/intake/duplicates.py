"""Near-duplicate questions: the same question asked again, in other words or by another reader.

Two questions are compared by their content words: normalised (case, accents,
punctuation), without function words ("do", "you", "the" …: English ones,
or French or German ones for a question that holds more of those, since
readers do not always write in the column's language and shared filler
alone made two different questions 90 % alike), lightly
stemmed ("stalked" = "stalk", "readers" = "reader"), and with a typo allowed
in longer words. The score is the Dice coefficient of those word bags, 0 … 1.
Comparing characters alone is fooled by one changed word ("Do you ever stalk
your customers?" and "… call your customers?" are 92 % alike as text), and
the word that changes is usually the one that matters.

Chinese, Japanese, Thai, Lao, Khmer and Myanmar are written without spaces
between words, so a whole clause would be one "word", and the typo allowance
would take two questions that differ in one noun for one word misspelt. Their
runs are compared as overlapping pairs of characters instead ("喜欢猫" is
喜欢, 欢猫; a lone character stays itself), the usual way to
compare such text without a dictionary, and those pairs are never typos of
each other. Their vowel, tone and voicing marks are kept: in Thai ข้าว is
rice and ข่าว news, in Japanese か and が are different sounds. Their function
letters (的 吗 是 了, の は を が, ครับ ไหม …) are left out before pairing, as
English function words are, so particles never wash out a changed noun, and
their negations (不 没 别, ない ません, ไม่ อย่า) negate as "not" does.
Hindi's plural and oblique endings are taken off as English plurals are
(बिल्लियाँ, बिल्लियों = बिल्ली).

Opposites are never alike: a word and its negated form ("publish" and
"unpublish", "legal" and "illegal", "like" and "dislike", with un-, in-, il-,
im-, ir-, dis-, non-) are never one word misspelt, and two questions one of
which negates ("not", "never", "don't" …) and the other does not are
different questions, however many words they share.

Intake at volume (a form with ten thousand answers) compares a new question
only with the wordings that share a word with it, or a word up to two
letters away (:class:`Index`: an inverted index, and the words' two-letter
deletions for typos), and only where the Dice score could still reach the
threshold; the score itself is computed as :func:`similarity` computes it.
The standard library (:mod:`difflib`) is enough for that score, and rapidfuzz
would buy speed the index already gives, for a compiled dependency.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..core import unprintable
from ..core.question import Question
from ..errors import FloorError

SETTING = "FLOOR_DUPLICATE_THRESHOLD"
DEFAULT_THRESHOLD = 0.85
TYPO_RATIO = 0.8  # two words of 5+ letters this alike are one word misspelt


def _category_spans(blocks: list[tuple[int, int]], categories: str) -> list[tuple[int, int]]:
    """The runs of code points in ``blocks`` whose Unicode category starts with one of
    ``categories`` ("M": marks; "LMN": letters, marks and digits), worked out once, at import."""
    spans: list[tuple[int, int]] = []
    for start, end in blocks:
        run: int | None = None
        for cp in range(start, end + 2):
            keep = cp <= end and unicodedata.category(chr(cp))[0] in categories
            if keep and run is None:
                run = cp
            elif not keep and run is not None:
                spans.append((run, cp - 1))
                run = None
    return spans


def _as_class(spans: list[tuple[int, int]]) -> str:
    """Code point spans as the inside of a regex character class."""
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in sorted(spans))


def _spelling_marks() -> str:
    """The vowel signs and other marks that spell a word in the scripts written with spaces
    between words but with marks inside them (Devanagari, Bengali, Gurmukhi, Gujarati, Odia,
    Tamil, Telugu, Kannada, Malayalam, Sinhala, Tibetan, and others of that family), as a regex
    class. ``\\w`` leaves marks out, so without them "हिन्दी" was cut into "ह" and "नद" and two
    different Hindi questions shared their bits of letters; Latin accents are dropped before
    (:func:`_plain`), and the scripts written without spaces are paired (:func:`_pairs`)."""
    blocks = [(0x0900, 0x0DFF), (0x0F00, 0x0FFF), (0x1900, 0x1AFF), (0x1B00, 0x1BFF), (0xA800, 0xA8FF)]
    blocks += [(0x11000, 0x111FF), (0x11300, 0x1137F)]  # Brahmi … Sharada; Grantha
    return _as_class(_category_spans(blocks, "M"))


_NOT_WORD = re.compile(f"[^\\w{_spelling_marks()}]+")


def _unspaced_class() -> str:
    """The letters, digits and marks of the scripts written without spaces, as a regex class.

    Han and kana are taken by block (ideographs are all letters); the smaller
    scripts' blocks also hold punctuation and symbols (Thai ๚, Myanmar ။, Khmer ។),
    which must still split, so their letters and marks are picked from Unicode's
    categories once, at import.
    """
    spans = [
        (0x3005, 0x3007),  # 々 〆 〇
        (0x3021, 0x3029),  # Hangzhou numerals
        (0x3031, 0x3035),  # kana repeat marks
        (0x3041, 0x309F),  # hiragana, the combining voicing marks
        (0x30A1, 0x30FA),  # katakana
        (0x30FC, 0x30FF),  # prolonged sound mark, iteration marks
        (0x31F0, 0x31FF),  # katakana extensions
        (0x3400, 0x4DBF),  # CJK extension A
        (0x4E00, 0x9FFF),  # CJK unified ideographs
        (0xF900, 0xFAFF),  # compatibility ideographs (NFKD maps most away)
        (0x20000, 0x323AF),  # CJK extensions B onwards
    ]
    # Thai and Lao; Myanmar; Khmer; Myanmar extensions B and A
    small = [(0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)]
    return _as_class(spans + _category_spans(small, "LMN"))


_UNSPACED = _unspaced_class()
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_UNSPACED_RUN = re.compile(f"[{_UNSPACED}]+")
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
# The same for French (the kit's other language) and German, written as normalise() leaves them
# (no accents; "qu'il" is "qu il"). The question words stay (comment, pourquoi, wie, warum …).
_FRENCH_TEXT = """
    le la les l un une des du de d et ou mais donc car ni a au aux en dans par pour sur sous
    avec sans ce cet cette ces c ca cela ceci est es suis sommes etes sont etre ete ai as avons
    avez ont avoir je j tu il elle on nous vous ils elles me m te t se s mon ma mes ton ta tes
    son sa ses notre nos votre vos leur leurs y lui que qu si plus tres aussi alors faire fais
    fait faut dois doit devons devez devrais devrait peux peut pouvez puis voudrais bonjour merci
    vraiment deja
"""
_GERMAN_TEXT = """
    der die das den dem des ein eine einen einem einer eines und oder aber auch als am an auf
    aus bei bin bis bist da damit dann dass denn dich dir doch du er es euch euer eure fur hab
    habe haben hast hat hatte ich ihm ihn ihnen ihr ihre ihren im in ist ja jede jeden jeder
    jedes man mein meine meinem meinen meiner mich mir mit nach noch nun nur ob schon sein seine
    seinen sich sie sind so soll sollen sollte sollten uber um uns unser unsere vom von vor war
    waren weil wenn werde werden will wir wird zu zum zur kann kannst konnen konnte konnten muss
    mussen mal sehr mehr etwa gibt tun tut eigentlich hallo danke bitte wirklich
"""
FRENCH_STOPWORDS = frozenset(_FRENCH_TEXT.split())
GERMAN_STOPWORDS = frozenset(_GERMAN_TEXT.split())
# words that turn a question into its opposite ("n't" is read from "don t", "can t" …)
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "non",
        "nor",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "wont",
        "wouldnt",
        "shouldnt",
        "couldnt",
        "nothing",
        "nobody",
        "none",
        "neither",
        # French and German: "ne … pas" ("n est pas" once normalised), "nicht", "kein" …
        "ne",
        "pas",
        "jamais",
        "rien",
        "aucun",
        "aucune",
        "nicht",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "nie",
        "niemals",
        "nichts",
        "niemand",
    ]
)
NEGATING_PREFIXES = ("un", "in", "il", "im", "ir", "dis", "non")


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: what the words say, not how.
    A zero-width non-joiner or another optional invisible mark joins, never splits, a word.

    A run of Chinese, Japanese, Thai, Lao, Khmer or Myanmar stays whole, as its own
    "word", with its marks (recomposed: で, not て and a voicing mark): there the marks
    are letters, not accents, and splitting at them would cut Thai words apart."""
    decomposed = unicodedata.normalize("NFKD", unprintable.fold(text))
    if not _UNSPACED_CHAR.search(decomposed):
        return _plain(decomposed)
    parts, start = [], 0
    for run in _UNSPACED_RUN.finditer(decomposed):
        parts += [_plain(decomposed[start : run.start()]), unicodedata.normalize("NFC", run.group())]
        start = run.end()
    parts.append(_plain(decomposed[start:]))
    return " ".join(p for p in parts if p)


def _plain(decomposed: str) -> str:
    """normalise() for text in the scripts written with spaces: accents dropped, split at the rest."""
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).replace("_", " ").split())


# Hindi's function words and negations, taken through normalise() as a question's words are
# (its virama dropped with the other combining marks: "क्या" is compared as "कया"). "क्या" itself
# stays, as "what" does in English: it is also the question word.
_HINDI_TEXT = """
    आप आपको आपका आपकी आपके तुम तुम्हें तुम्हारा तुम्हारी मैं मुझे मेरा मेरी मेरे हम हमें हमारा हमारी
    हमारे वह वे यह ये उस उसे उसका उसकी उसके इस इसे इसका इसकी इसके को का की के में से पर तक और या
    लेकिन भी ही तो कि जो एक है हैं हूँ हो था थी थे करना करता करती करते कर रहा रही रहे गया गई गए
    लिए बहुत कृपया नमस्ते धन्यवाद जी
"""
HINDI_STOPWORDS = frozenset(normalise(w) for w in _HINDI_TEXT.split())
NEGATIONS = NEGATIONS | frozenset(normalise(w) for w in ("नहीं", "न", "मत"))


# Reading a run of the scripts written without spaces. There are no words to look up, so
# function words and negations are found as letters inside the run:
# - what is *dropped*, as English drops its function words: particles and other function letters
#   (的 吗 是 了, の は を が, ครับ ไหม …), politeness (对不起, すみません), and the letters of a
#   yes-no question form (是不是, 有没有, a closing 不 or หรือไม่), which ask and do not negate;
# - what only *holds* a negating letter without negating (不过 "but", 淹没 "flood", 别人 "others",
#   少ない "few", かもしれない "maybe", 書かなければならない "must", ไม่ว่า "no matter" …): kept;
# - the *negations* (不 没 别, ない ません なかった 書くな, ไม่ อย่า): counted, as "not" is, and
#   dropped from the letters, so two questions that both negate share nothing more for it, and
#   "why not write" meets "why didn't you write".
# The letters left are paired across what was dropped ("读者的问题" reads as 读者问题).
_KANA = re.compile("[\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff]")


@dataclass(frozen=True)
class _RunRules:
    dropped: tuple[re.Pattern[str], ...]  # a pattern's group "d", if it has one, else all of it
    kept: re.Pattern[str]
    negation: re.Pattern[str]
    letters: frozenset[str]  # single function letters


_CHINESE = _RunRules(
    dropped=(
        re.compile("(.)(?P<d>[不没沒]\\1)"),  # 是不是: the 不是 goes, the 是 is read as any letter
        re.compile("(?<!什么)(?<!什麼)[不没沒]有?$|对不起|對不起|不好意思|不客气|不客氣|请问|請問"),
    ),
    kept=re.compile(
        "差不多|了不起|不得不|要不然|要不|不然|不过|不過|不仅|不僅|不但|不管|不论|不論|不久|不断|不斷"
        "|不少|不错|不錯|[淹埋出沉吞湮覆][没沒]|[没沒]收"
        "|[特分区區告性类類级級个個差识識辨离離派鉴鑑判][别別]|[别別][人的处處名墅致扭针針]"
    ),
    negation=re.compile("[不没沒]|(?:^|(?<=[你您请請就可也都还還万萬先们們]))[别別]"),
    letters=frozenset(
        "的地得了着著吗嗎呢吧啊呀嘛哦啦是有在和与與及或也都就还還很把被给給这這那个個些一我你您他她它们們咱请請"
    ),
)
_JAPANESE = _RunRules(
    dropped=(re.compile("すみません|すいません|あなた|わたし|私|僕"),),
    kept=re.compile(
        "な(?:けれ|く)(?:ば|ては|ちゃ)(?:なら|なり|いけ)(?:ない|ません)|ないと(?:いけ|だめ|ダメ)(?:ない|ません)?"
        "|[少危]な(?:い|かった)|すくない|あぶない|かもしれ(?:ない|ません)|(?:かま|構)いません"
        "|(?:仕方|しかた|しょう)が?ない|もったいない|途方もない"
    ),
    negation=re.compile("ない|なかった|ません|(?<![よそ])[うくぐすつぬぶむる]な(?=$|よ|と)"),
    letters=frozenset("はがをにへでとのもかねよやだす"),
)
_THAI_PARTICLES = "ครับ|ค่ะ|คะ|ไหม|มั้ย|นะ|จ้ะ|จ๊ะ|จ้า|เหรอ|หรอ|ล่ะ|หรือเปล่า|หรือไม่|ใช่ไหม|ใช่มั้ย"
_THAI = _RunRules(
    dropped=(re.compile(f"(?:{_THAI_PARTICLES})+$|^ไม่ทราบว่า|และ|ของ|ใน|ที่|ก็|จะ|ฉัน|คุณ(?!ภาพ|ค่า|สมบัติ)"),),
    kept=re.compile("หรือไม่|ไม่(?:ว่า|เป็นไร|ทราบว่า|กี่)"),
    negation=re.compile("ไม่|อย่า(?!ง)"),
    letters=frozenset(),
)


def _read_runs(runs: list[str]) -> tuple[list[list[str]], int]:
    """The letters of each run that carry its meaning (with their marks), and how many times
    the runs negate. Thai's rules read its own letters; Han is read as Japanese in a wording
    that has kana, as Chinese otherwise (別 is "another" in Japanese, "don't" in Chinese)."""
    rules = (_THAI, _JAPANESE if any(_KANA.search(run) for run in runs) else _CHINESE)
    negations = 0
    read: list[list[str]] = []
    for run in runs:
        drop = [False] * len(run)
        for rule in rules:
            for pattern in rule.dropped:
                for m in pattern.finditer(run):
                    start, end = m.span("d") if "d" in pattern.groupindex else m.span()
                    drop[start:end] = [True] * (end - start)
            masked = "".join("・" if gone else ch for ch, gone in zip(run, drop, strict=True))
            masked = rule.kept.sub(lambda m: "・" * len(m.group()), masked)
            for m in rule.negation.finditer(masked):
                negations += 1
                drop[m.start() : m.end()] = [True] * (m.end() - m.start())
        read.append(
            _letters(
                "".join(
                    ch for ch, gone in zip(run, drop, strict=True) if not gone and ch not in rules[1].letters
                )
            )
        )
    if not any(read):  # nothing but particles ("ですか"): read every letter, as before
        read = [_letters(run) for run in runs]
    return read, negations


def _unspaced(word: str) -> bool:
    """A run (or a pair of characters) of a script written without spaces: never a typo of another."""
    return _UNSPACED_CHAR.match(word) is not None


def _letters(run: str) -> list[str]:
    """The letters of a run without spaces, each with the vowel, tone or voicing marks after it."""
    letters: list[str] = []
    for ch in run:
        if letters and unicodedata.category(ch)[0] == "M":
            letters[-1] += ch
        else:
            letters.append(ch)
    return letters


def _pairs(runs: list[list[str]]) -> list[str]:
    """What the runs without spaces of one wording are compared by: overlapping pairs of their
    letters (a run of one letter stays itself), and the wording's first and last letter once more.

    Without those two, a changed first or last letter changes one pair where a letter
    inside changes two, so "ข้าว…" (rice …) and "ข่าว…" (news …) were 91 % alike;
    marked with ^ and $, they never meet a pair or another wording's inner letter.
    """
    words: list[str] = []
    ends: list[str] = []
    count = 0
    for letters in runs:
        count += len(letters)
        ends += letters[:1] + letters[-1:]
        words += letters if len(letters) < 2 else [a + b for a, b in itertools.pairwise(letters)]
    if count >= 2:
        words += [ends[0] + "^", ends[-1] + "$"]
    return [w for w in words if not w.rstrip("^$").isdigit()]  # Thai digits are digits


# Hindi's plural and oblique endings, as normalise() leaves them, and what each becomes: बिल्ली,
# बिल्लियाँ, बिल्लियों (cat, cats) are बिल्ली; किताब, किताबें, किताबों (book) are किताब; लड़का, लड़के,
# लड़कों (boy) are लड़क. The feminine ी stays, so लड़की (girl) and its plurals stay apart from them.
_HINDI_ENDINGS = tuple(
    (normalise(ending), normalise(replacement))
    for ending, replacement in [
        ("ियाँ", "ी"),
        ("ियां", "ी"),
        ("ियों", "ी"),
        ("ुएँ", "ु"),
        ("ुएं", "ु"),
        ("ुओं", "ु"),
        ("ाएँ", ""),
        ("ाएं", ""),
        ("ाओं", ""),
        ("ों", ""),
        ("ें", ""),
        ("ा", ""),
        ("े", ""),
    ]
)


# "what" and "why" would both end as कय: question words are not noise
_HINDI_UNSTEMMED = frozenset(normalise(w) for w in ("क्या", "क्यों"))


def _hindi_stem(word: str) -> str:
    """A light Hindi stem: the commonest plural and oblique endings, so "बिल्लियों" meets "बिल्ली"."""
    if word in _HINDI_UNSTEMMED:
        return word
    for ending, replacement in _HINDI_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)] + replacement
    return word


def _stem(word: str) -> str:
    """A light English stem: plurals and -ed/-ing endings, so "stalked" meets "stalk" (Hindi's
    own endings for a word in Devanagari)."""
    if "\u0900" <= word[-1] <= "\u097f":
        return _hindi_stem(word)
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word[:-2].endswith(("s", "x", "z", "ch", "sh")):
                continue  # "uses" → "use" (by the "s" rule), "boxes" → "box"
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)] + replacement
    return word


def _function_words(tokens: list[str]) -> frozenset[str]:
    """The function words of the language a wording is in: English's, unless more of its words
    are French, German or Hindi ones. Each list applies to its own language only: "die", "son",
    "war" and "hat" are words that matter in an English question."""
    chosen, most = STOPWORDS, sum(t in STOPWORDS for t in tokens)
    for other in (FRENCH_STOPWORDS, GERMAN_STOPWORDS, HINDI_STOPWORDS):
        found = sum(t in other for t in tokens)
        if found > most:
            chosen, most = other, found
    return chosen


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> tuple[tuple[str, ...], int, str]:
    """(content words, how many negations, the normalised text) of one wording."""
    tokens = normalise(text).split()
    filler = _function_words(tokens)
    words: list[str] = []
    runs: list[str] = []
    for w in tokens:
        if _unspaced(w):
            runs.append(w)
        elif w not in filler and not w.isdigit():
            words.append(_stem(w))
    negations = sum(
        1
        for i, w in enumerate(tokens)
        if w in NEGATIONS or (w == "t" and i and tokens[i - 1].endswith("n"))  # don't → "don t"
    )
    if runs:
        letters, run_negations = _read_runs(runs)
        words += _pairs(letters)
        negations += run_negations
    return tuple(words), negations, " ".join(tokens)


def content_words(text: str) -> list[str]:
    """The words that carry a question's meaning, stemmed."""
    return list(_words(text)[0])


@functools.lru_cache(maxsize=262144)
def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if _opposite(a, b):
        return False
    if min(len(a), len(b)) < 5 or 2 * min(len(a), len(b)) < TYPO_RATIO * (len(a) + len(b)):
        return False  # too short to misspell, or too different in length to reach the ratio
    if _unspaced(a) or _unspaced(b):
        return False  # pairs of characters: one changed letter is another pair, not a typo
    matcher = SequenceMatcher(None, *sorted((a, b)))  # the same answer either way round
    return matcher.quick_ratio() >= TYPO_RATIO and matcher.ratio() >= TYPO_RATIO


def _opposite(a: str, b: str) -> bool:
    """One word is the other negated by a prefix: "unpublish"/"publish", "illegal"/"legal"."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(long == prefix + short for prefix in NEGATING_PREFIXES)


def _opposites(wa: tuple[str, ...], wb: tuple[str, ...]) -> bool:
    """One wording holds a word the other holds negated by a prefix."""
    sa, sb = set(wa), set(wb)
    for mine, theirs in ((sa, sb), (sb, sa)):
        for word in mine:
            if any(word.startswith(p) and word[len(p) :] in theirs for p in NEGATING_PREFIXES):
                return True
    return False


def similarity(a: str, b: str) -> float:
    """0.0 … 1.0: the Dice coefficient of the two questions' content words (1.0: the same words).

    Opposite questions score 0: one negates and the other does not, or they
    hold a word and its negated form.
    """
    (wa, na, ta), (wb, nb, tb) = _words(a), _words(b)
    if not wa or not wb:
        # nothing but function words ("Why?", "How are you?"): only the same text matches
        return 1.0 if ta == tb and ta else 0.0
    return _dice(wa, na, wb, nb)


def _dice(wa: tuple[str, ...], na: int, wb: tuple[str, ...], nb: int) -> float:
    if (na > 0) != (nb > 0) or _opposites(wa, wb):
        return 0.0
    left = Counter(wa)
    shared = 0
    for word in wb:
        if left[word]:
            hit: str | None = word
        elif len(word) < 5 or _unspaced(word):
            continue  # too short to misspell, or a pair of letters: only the same word is it
        else:
            hit = next((w for w in left if left[w] and _same_word(w, word)), None)
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


def how_alike(score: float | None) -> str:
    """The score in words for the author: "same key words" where every content word matched
    (the texts still differ in small words, order or spelling, and "100 % alike" beside two
    different texts read as a mistake), else the percentage rounded down, so 99.6 % is not
    shown as 100."""
    score = score or 0.0
    if score >= 1.0:
        return "same key words"
    return f"{math.floor(score * 100)}% alike"


def merge_candidates(queued: Iterable[Question], published: Iterable[Question]) -> list[Question]:
    """What a new question may merge into: anything queued but declined, and every published post.

    A declined question is left alone: a new reader asking it again is worth
    the author's second look, so it is queued on its own.
    """
    return [q for q in queued if not q.declined] + list(published)


@functools.lru_cache(maxsize=65536)
def _deletions(word: str) -> frozenset[str]:
    """The word with a letter taken out (two, from 8 letters): words a typo apart share one.

    Two words :func:`_same_word` takes as one differ by one letter below 8
    letters (two changes bring a shorter word's ratio under 0.8), by up to two
    from there; longer words three letters apart are the ones not found.
    """
    once = {word[:i] + word[i + 1 :] for i in range(len(word))}
    if len(word) < 8:
        return frozenset({word} | once)
    return frozenset({word} | once | {w[:i] + w[i + 1 :] for w in once for i in range(len(w))})


class Index:
    """Wordings of the questions a new one may merge into, found by the words they share.

    :meth:`best` gives what :func:`best_match` gives over the same wordings
    (the highest score at or above the limit; the first wording added wins a
    tie), comparing only the wordings that share a word, or a word up to two
    letters away, and only where the share could still reach the limit.
    """

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self._wordings: list[tuple[str, str, tuple[str, ...], int]] = []  # (id, text, words, negations)
        self._questions: dict[str, Question] = {}
        self._by_word: dict[str, list[int]] = {}
        self._by_deletion: dict[str, set[str]] = {}
        self._by_text: dict[str, list[int]] = {}  # wordings of function words only, by their text
        self._near: dict[str, set[str]] = {}  # indexed word of 5+ letters → the indexed words alike
        self._seen: set[tuple[str, tuple[str, ...], bool, str]] = set()

    def add(self, question: Question, wordings: Iterable[str] | None = None) -> None:
        """Index ``question`` (its own wording and its merged readers', unless ``wordings`` are given)."""
        self._questions[question.id] = question
        if wordings is None:
            wordings = [question.question, *(e.question for e in question.also_asked_by)]
        for text in wordings:
            words, negations, normal = _words(text)
            seen = (question.id, tuple(sorted(words)), negations > 0, normal if not words else "")
            if seen in self._seen:
                continue  # the same words again (a crowd asking alike): the same score, once
            self._seen.add(seen)
            n = len(self._wordings)
            self._wordings.append((question.id, text, words, negations))
            if not words:
                self._by_text.setdefault(normal, []).append(n)
            for word in set(words):
                if word not in self._by_word:
                    self._new_word(word)
                self._by_word[word].append(n)

    def _new_word(self, word: str) -> None:
        self._by_word[word] = []
        if len(word) >= 5 and not _unspaced(word):
            near = self._misspelt(word)
            for other in near:
                self._near[other].add(word)
            self._near[word] = near | {word}
            for key in _deletions(word):
                self._by_deletion.setdefault(key, set()).add(word)

    def _misspelt(self, word: str) -> set[str]:
        """Indexed words that are ``word`` misspelt (found by a shared deletion, then compared)."""
        near: set[str] = set()
        for key in _deletions(word):
            near.update(w for w in self._by_deletion.get(key, ()) if w != word and _same_word(word, w))
        return near

    def _alike(self, word: str) -> set[str]:
        """Indexed words that count as ``word`` (itself, or the same word misspelt)."""
        if word in self._near:
            return self._near[word]
        if len(word) < 5 or _unspaced(word):
            return {word} if word in self._by_word else set()
        return self._misspelt(word)

    def best(self, text: str) -> Match | None:
        """The indexed wording most like ``text``, at or above the limit, or None.

        A wording of ``b`` words reaches the limit only by sharing at least
        ``s`` of the new text's ``a`` words, ``s`` ≥ limit·a / (2 − limit)
        (Dice is at most 2s / (a + s)). So it holds one of any ``a − s + 1`` of
        them: only the wordings holding one of the rarest ``a − s + 1`` words
        (or a misspelling of one) are scored (the prefix filter of set joins).
        """
        best: tuple[float, int] | None = None
        for score, n in self._scored(text):  # in the order added: the first of a tie wins
            if best is None or score > best[0]:
                best = (score, n)
        return self._match(best[1], best[0]) if best else None

    def alike(self, text: str) -> dict[str, float]:
        """Every indexed question with a wording at or above the limit against ``text``, with its
        best score: what scoring ``text`` against each question's wordings in turn would find
        (merge.suggestions over 10,000 questions), found among the few that share a word."""
        found: dict[str, float] = {}
        for score, n in self._scored(text):
            qid = self._wordings[n][0]
            found[qid] = max(score, found.get(qid, 0.0))
        return found

    def question(self, qid: str) -> Question:
        """The indexed question with this id."""
        return self._questions[qid]

    def _scored(self, text: str) -> Iterator[tuple[float, int]]:
        """(score, wording) of each indexed wording at or above the limit against ``text``, in
        the order they were added (see :meth:`best` for how the candidates are narrowed)."""
        words, negations, normal = _words(text)
        if not words:
            yield from ((1.0, n) for n in (self._by_text.get(normal, []) if normal else []))
            return
        need = max(1, math.ceil(self.limit * len(words) / (2 - self.limit) - 1e-9))
        postings = []
        for word in words:  # each occurrence: shared words are counted with repeats
            holders: set[int] = set()
            for alike in self._alike(word):
                holders.update(self._by_word[alike])
            postings.append(holders)
        postings.sort(key=len)
        candidates = set().union(*postings[: len(words) - need + 1])
        for n in sorted(candidates):
            _, _, other, other_negations = self._wordings[n]
            shared = sum(n in holders for holders in postings)  # at most this many words pair up
            if 2 * min(shared, len(other)) < self.limit * (len(words) + len(other)):
                continue
            score = _dice(words, negations, other, other_negations)
            if score >= self.limit:
                yield score, n

    def _match(self, n: int, score: float) -> Match:
        qid, wording, _, _ = self._wordings[n]
        return Match(self._questions[qid], score, wording)
