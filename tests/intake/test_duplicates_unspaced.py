"""Near-duplicates in scripts written without spaces (Chinese, Japanese, Thai …): pairs of characters.

Real sentences come from Universal Dependencies' PUD treebanks (tests/fixtures/intake/SOURCES.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import unicodedata
from pathlib import Path

import pytest
from from_the_floor.core.question import AlsoAsked, Question
from from_the_floor.intake import duplicates

LIMIT = duplicates.DEFAULT_THRESHOLD
PUD = Path(__file__).resolve().parent.parent / "fixtures" / "intake" / "pud"


def _sentences(language: str) -> list[str]:
    return (PUD / f"{language}_pud-sample.txt").read_text(encoding="utf-8").splitlines()


# the same question with one noun changed: cats / dogs, rice / news, key / oyster
DIFFERENT = [
    ("你喜欢猫吗？", "你喜欢狗吗？"),
    ("猫は好きですか？", "犬は好きですか？"),
    ("คุณชอบแมวไหม", "คุณชอบหมาไหม"),
    ("かぎはどこですか", "かきはどこですか"),  # only the voicing mark differs
    ("ข้าวที่นี่อร่อยไหม", "ข่าวที่นี่อร่อยไหม"),  # only the tone mark differs
    ("Do you like 猫?", "Do you like 狗?"),
    # function letters around the noun do not wash it out: 你 是不是 也 很 … 呢 are left out
    ("请问你是不是也很喜欢猫呢？", "请问你是不是也很喜欢狗呢？"),
    ("あなたは猫が好きですか？", "あなたは犬が好きですか？"),
    ("คุณชอบแมวไหมครับ", "คุณชอบหมาไหมครับ"),
    # reader / author: twelve letters that carry the meaning, one of them changed (merged before: 88 %)
    ("你为什么每周只回答一个读者的问题？", "你为什么每周只回答一个作者的问题？"),
]
# the same question, a particle or the punctuation added
SAME = [
    ("你为什么每周只回答一个读者的问题？", "你为什么每周只回答一个读者的问题呢？"),
    ("なぜ毎週読者の質問に一つだけ答えるのですか？", "なぜ毎週、読者の質問に一つだけ答えるのですかね"),
    (
        "ทำไมคุณถึงตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์",
        "ทำไมคุณถึงตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์ครับ",
    ),
    ("你喜欢猫吗？", "你喜欢猫吗"),
    ("ﾈｺは好きですか", "ネコは好きですか？"),  # half-width katakana, as old phones type it
    # another particle, a yes-no form, "you" moved or added, another measure word, a politeness
    ("你喜欢猫吗？", "你是不是喜欢猫？"),
    ("你为什么每周只回答一个读者的问题？", "为什么你每周只回答一位读者的问题呢？"),
    ("猫は好きですか？", "あなたは猫が好きですか？"),
    ("คุณชอบแมวไหม", "คุณชอบแมวหรือเปล่าครับ"),
    ("你为什么每周只回答一个读者的问题？", "请问，你为什么每周只回答一个读者的问题？"),
]


def test_function_letters_never_bring_a_changed_noun_closer() -> None:
    """However many particles a question gathers, one changed noun among two others stays 50 %."""
    for n in range(40):
        padding = "了吗呢吧是的"[: n % 6] * (n // 6 + 1)
        a, b = "你喜欢猫" + padding, "你喜欢狗" + padding
        assert duplicates.similarity(a, b) == 0.5, n
        assert duplicates.similarity("我" * n + "喜欢猫", "我" * n + "喜欢狗") == 0.5, n


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_one_changed_noun_is_another_question(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) < LIMIT
    assert duplicates.similarity(b, a) < LIMIT


@pytest.mark.parametrize(("a", "b"), SAME)
def test_the_same_question_with_a_particle_added_still_matches(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) >= LIMIT
    assert duplicates.similarity(b, a) >= LIMIT


def test_runs_become_pairs_of_letters_with_their_marks() -> None:
    # the first and last letter count once more: a changed first noun changes two words, not one;
    # function letters (你 "you", 吗 the question particle) are left out, and the rest paired across them
    assert duplicates.content_words("你喜欢猫吗？") == ["喜欢", "欢猫", "喜^", "猫$"]
    assert duplicates.content_words("读者的问题") == ["读者", "者问", "问题", "读^", "题$"]
    assert duplicates.content_words("猫？") == ["猫"]  # a lone character stays itself
    # nothing but particles: every letter is read; で keeps its voicing mark
    assert duplicates.content_words("ですか")[:2] == ["です", "すか"]
    assert duplicates.content_words("ข้าว")[:2] == ["ข้า", "าว"]  # ข keeps its vowel and tone marks
    # the Latin words beside them are read as before: stemmed, function words left out
    words = duplicates.content_words("Do you use Pelicanの使い方?")
    assert words == ["use", "pelican", "使い", "い方", "使^", "方$"]


def test_a_long_run_is_never_taken_for_a_misspelt_word() -> None:
    """A pair of Thai letters with their marks reaches five code points: still not a "word" with typos."""
    a, b = "ซี่นั่น", "ซี่นี่น"
    assert len(duplicates.content_words(a)[0]) >= 5
    assert duplicates.similarity(a, b) < LIMIT


@pytest.mark.parametrize("language", ["zh", "ja", "th"])
def test_no_two_different_real_sentences_are_taken_for_one(language: str) -> None:
    sentences = _sentences(language)
    assert len(set(sentences)) == len(sentences) >= 25
    for a, b in itertools.combinations(sentences, 2):
        assert duplicates.similarity(a, b) < LIMIT, (a, b)


def _reworded(language: str, sentence: str) -> list[str]:
    """The sentence without its punctuation, and with a particle changed, dropped or added."""
    bare = "".join(ch for ch in sentence if unicodedata.category(ch)[0] not in "PS")
    if language == "zh":
        particle = sentence.replace("的", "", 1)  # one "of" dropped
    elif language == "ja":
        particle = sentence.replace("は", "が", 1)  # topic marker for subject marker
    else:
        particle = sentence + "ครับ"  # the polite particle a man ends a sentence with
    # three letters more on a phrase of five (ทิ้งไมค์, "mic drop") is not a rewording but a third of it
    return [bare, particle] if len(sentence) >= 10 else [bare]


@pytest.mark.parametrize("language", ["zh", "ja", "th"])
def test_a_real_sentence_matches_itself_reworded(language: str) -> None:
    for sentence in _sentences(language):
        for other in _reworded(language, sentence):
            assert duplicates.similarity(sentence, other) >= LIMIT, other


@pytest.mark.parametrize("language", ["zh", "ja", "th"])
def test_the_index_finds_the_real_sentence_best_match_finds(language: str) -> None:
    sentences = _sentences(language)
    questions = [
        Question(id=f"q{n}", path=Path(f"q{n}.md"), question=s, asked=dt.date(2026, 1, 1))
        for n, s in enumerate(sentences)
    ]
    index = duplicates.Index(LIMIT)
    for q in questions:
        index.add(q)
    for n, sentence in enumerate(sentences):
        for text in _reworded(language, sentence):
            got = index.best(text)
            assert got is not None and got.question.id == f"q{n}", text
            want = duplicates.best_match(text, questions, LIMIT)
            assert want is not None and (got.question.id, got.score) == (want.question.id, want.score)


def test_the_index_scores_unspaced_text_as_comparing_with_every_question_does() -> None:
    """Index.best against best_match on short runs from a few letters: many near pairs, few equal ones."""
    rng = random.Random(15)
    letters = ["猫", "狗", "你", "喜", "欢", "吗", "は", "が", "か", "が", "ข้", "ข่", "า", "ว", "ที่", "น"]
    latin = ["reader", "readers", "column", "not", "why"]

    def wording() -> str:
        runs = ["".join(rng.choices(letters, k=rng.randint(1, 9))) for _ in range(rng.randint(1, 2))]
        return " ".join(runs + rng.choices(latin, k=rng.randint(0, 2)))

    questions = [
        Question(
            id=f"q{n}",
            path=Path(f"q{n}.md"),
            question=wording(),
            asked=dt.date(2026, 1, 1),
            also_asked_by=[AlsoAsked(question=wording(), asked=dt.date(2026, 1, 1))],
        )
        for n in range(300)
    ]
    for limit in (0.5, 0.7, LIMIT):
        index = duplicates.Index(limit)
        for q in questions:
            index.add(q)
        for _ in range(300):
            text = wording()
            want = duplicates.best_match(text, questions, limit)
            got = index.best(text)
            assert (got and got.score) == (want and want.score), text
