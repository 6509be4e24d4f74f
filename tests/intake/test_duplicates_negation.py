"""Negation in Chinese, Japanese and Thai: a question and its opposite are never one question.

Those scripts have no spaces, so there is no "not" word to look up: the negating characters
(不, 没, 别; ない, ません, 書くな; ไม่, อย่า) are found inside the text, after the everyday phrases
that hold them without negating (是不是, 对不起, すみません, かもしれない, หรือไม่ …).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.core.question import Question
from from_the_floor.intake import duplicates

LIMIT = duplicates.DEFAULT_THRESHOLD
ZH = "你为什么每周只回答一个读者的问题？"
ZH_TRADITIONAL = "你為什麼每週只回答一個讀者的問題？"
JA = "なぜ毎週読者の質問に一つだけ答えるのですか？"
TH = "ทำไมคุณถึงตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์"

# long questions and the same question negated (all of them merged before: 0.88 to 0.94)
NEGATED = [
    (ZH, "你为什么每周不只回答一个读者的问题？"),
    (ZH, "你为什么每周没只回答一个读者的问题？"),
    (ZH_TRADITIONAL, "你為什麼每週沒有只回答一個讀者的問題？"),
    ("你应该每周只回答一个读者的问题吗？", "你别每周只回答一个读者的问题，好吗？"),
    ("你應該每週只回答一個讀者的問題嗎？", "你別每週只回答一個讀者的問題，好嗎？"),
    (JA, "なぜ毎週読者の質問に一つだけ答えないのですか？"),
    (JA, "なぜ毎週読者の質問に一つだけ答えなかったのですか？"),
    ("毎週読者の質問に一つだけ答えますか？", "毎週読者の質問に一つだけ答えませんか？"),
    ("毎週読者の質問に一つだけ答えるよと言うのはなぜ", "毎週読者の質問に一つだけ答えるなと言うのはなぜ"),
    (TH, "ทำไมคุณถึงไม่ตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์"),
    ("ควรตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์ไหม", "อย่าตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์ไหม"),
]
# both negate, or neither does: the negation is not a reason to keep them apart
BOTH_NEGATE = [
    ("你为什么每周不只回答一个读者的问题？", "你为什么每周不只回答一个读者的问题呢"),
    ("なぜ毎週読者の質問に一つだけ答えないのですか？", "なぜ毎週、読者の質問に一つだけ答えないのですかね"),
    ("ทำไมคุณถึงไม่ตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์", "ทำไมคุณถึงไม่ตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์ครับ"),
]
# phrases that hold a negating character without negating: "sorry", "excuse me", "may I ask"
NOT_NEGATING = [
    (ZH, "对不起，" + ZH),
    (ZH, "不好意思，" + ZH),
    (JA, "すみません、" + JA),
    (TH, "ไม่ทราบว่า" + TH),
]


@pytest.mark.parametrize(("a", "b"), NEGATED)
def test_a_long_question_and_its_negation_are_different_questions(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) == 0.0
    assert duplicates.similarity(b, a) == 0.0


@pytest.mark.parametrize(("a", "b"), BOTH_NEGATE + NOT_NEGATING)
def test_a_rewording_that_negates_as_much_still_matches(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) >= LIMIT
    assert duplicates.similarity(b, a) >= LIMIT


# the same question with and without a phrase that holds a negating character without negating:
# a wrongly read negation scores 0, whatever else the letters share
HOLDS_NOT_NEGATING = [
    ("你每周只回答一个读者的问题吗？", "你是不是每周只回答一个读者的问题？"),  # A-not-A: a yes-no question
    ("你每周只回答一个读者的问题吗？", "你有没有每周只回答一个读者的问题？"),
    ("你每周只回答一个读者的问题吗？", "你每周只回答一个读者的问题不？"),  # a closing 不 asks, as 吗 does
    ("你每周只回答一个读者的问题吗？", "你每周只回答一个读者的问题没有？"),
    ("毎週読者の質問に一つだけ答えますか？", "毎週読者の質問に一つだけ答えるかもしれませんか？"),  # "maybe"
    ("毎週読者の質問に一つだけ答えますか？", "毎週読者の質問に一つだけ答えても構いませんか？"),  # "may I"
    ("毎週読者の質問に一つだけ答えますか？", "毎週読者の質問に一つだけ答えなければなりませんか？"),  # "must"
    # "… or not?" closes a yes-no question; อย่าง ("way") is not อย่า ("don't")
    ("คุณตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์ไหม", "คุณตอบคำถามของผู้อ่านแค่ข้อเดียวทุกสัปดาห์หรือไม่"),
    ("คุณตอบคำถามของผู้อ่านทุกสัปดาห์ไหม", "คุณตอบคำถามของผู้อ่านอย่างไรทุกสัปดาห์"),
]


@pytest.mark.parametrize(("a", "b"), HOLDS_NOT_NEGATING)
def test_a_phrase_that_only_holds_a_negating_character_does_not_negate(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) > 0.5
    assert duplicates.similarity(b, a) > 0.5


def test_a_negation_in_a_kana_wording_is_read_as_japanese() -> None:
    """別 is "another" in Japanese, not "don't": only a wording without kana is read as Chinese."""
    assert duplicates.similarity("毎週別の質問に答えますか", "毎週の質問に答えますか") > 0.5
    assert duplicates.similarity("别每周回答这个读者的问题", "每周回答这个读者的问题") == 0.0
    assert duplicates.similarity("别人每周回答这个读者的问题吗", "每周回答这个读者的问题吗") > 0.5


def test_unrelated_questions_that_both_negate_stay_apart() -> None:
    """The negation only ever keeps questions apart: it adds nothing for them to share."""
    pairs = [
        ("你为什么不喜欢猫？", "你为什么不写专栏？"),
        ("なぜ猫が好きではないのですか？", "なぜコラムを書かないのですか？"),
        ("ทำไมคุณไม่ชอบแมว", "ทำไมคุณไม่เขียนคอลัมน์"),
    ]
    for a, b in pairs:
        assert duplicates.similarity(a, b) < 0.5


def test_the_index_keeps_a_question_and_its_negation_apart() -> None:
    index = duplicates.Index(LIMIT)
    for n, (a, _) in enumerate(NEGATED):
        index.add(Question(id=f"q{n}", path=Path(f"q{n}.md"), question=a, asked=dt.date(2026, 1, 1)))
    for a, b in NEGATED:
        found = index.best(b)
        assert found is None or found.question.question != a, b
        again = index.best(a.rstrip("？") + "。")
        assert again is not None and again.question.question == a, a
