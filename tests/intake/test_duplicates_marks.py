"""Near-duplicates in scripts that spell words with vowel signs and other marks (Hindi …).

Python's ``\\w`` leaves marks out, so the duplicate check once cut "हिन्दी" into bits of
letters at its vowel signs, and two different Hindi questions shared those bits: unrelated
sentences scored up to 0.58, and "I like reading books" met "I like writing books". Real
sentences from the Hindi PUD treebank (tests/fixtures/intake/SOURCES.md) and near-miss pairs.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from from_the_floor.intake import duplicates

LIMIT = duplicates.DEFAULT_THRESHOLD
HINDI = (
    (Path(__file__).resolve().parent.parent / "fixtures" / "intake" / "pud" / "hi_pud-sample.txt")
    .read_text(encoding="utf-8")
    .splitlines()
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("हिन्दी नमस्ते", 2),  # Hindi: vowel signs inside both words
        ("தமிழ் மொழி", 2),  # Tamil
        ("বাংলা ভাষা", 2),  # Bengali
        ("ਪੰਜਾਬੀ ਬੋਲੀ", 2),  # Gurmukhi
    ],
)
def test_a_word_with_vowel_signs_stays_one_word(text: str, words: int) -> None:
    assert len(duplicates.normalise(text).split()) == words


def test_no_two_different_real_hindi_sentences_are_taken_for_one() -> None:
    assert len(set(HINDI)) == len(HINDI) == 100
    for a, b in itertools.combinations(HINDI, 2):
        assert duplicates.similarity(a, b) < 0.5, (a, b)


def test_a_real_hindi_sentence_matches_itself_without_its_punctuation() -> None:
    for sentence in HINDI:
        bare = sentence.replace("।", "").replace(",", "")
        assert duplicates.similarity(sentence, bare) == 1.0, sentence


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("क्या आप बिल्लियों को पसंद करते हैं?", "क्या आप कुत्तों को पसंद करते हैं?"),  # cats / dogs
        ("मुझे किताबें पढ़ना पसंद है, आपको?", "मुझे किताबें लिखना पसंद है, आपको?"),  # reading / writing
        ("क्या आप बिल्लियों को पसंद करते हैं?", "क्या आप बिल्लियों को पसंद नहीं करते हैं?"),  # "not"
    ],
)
def test_one_changed_word_or_a_negation_is_another_question(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) < LIMIT


def test_the_same_hindi_question_in_another_order_still_matches() -> None:
    assert duplicates.similarity("क्या आप बिल्लियों को पसंद करते हैं?", "आप बिल्लियों को पसंद करते हैं क्या?") == 1.0


@pytest.mark.parametrize(
    "forms",
    [
        ["बिल्ली", "बिल्लियाँ", "बिल्लियां", "बिल्लियों"],  # cat: feminine in ी
        ["किताब", "किताबें", "किताबों"],  # book: feminine, no vowel at the end
        ["लड़का", "लड़के", "लड़कों"],  # boy: masculine in ा
        ["माता", "माताएँ", "माताओं"],  # mother: feminine in ा
        ["वस्तु", "वस्तुएँ", "वस्तुओं"],  # thing: feminine in ु
    ],
)
def test_a_hindi_plural_or_oblique_form_is_the_same_word(forms: list[str]) -> None:
    questions = [f"क्या आप {form} के बारे में लिखते हैं?" for form in forms]
    for a, b in itertools.combinations(questions, 2):
        assert duplicates.similarity(a, b) == 1.0, (a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("लड़कियाँ", "लड़के"),  # girls / boys: the feminine ी stays
        ("लड़की", "लड़का"),
        ("क्यों", "क्या"),  # why / what: question words are not stemmed
    ],
)
def test_hindi_stemming_keeps_different_words_apart(a: str, b: str) -> None:
    assert duplicates.similarity(f"आप {a} पसंद करते हैं?", f"आप {b} पसंद करते हैं?") < LIMIT


def test_hindi_cats_and_dogs_stay_apart_in_any_form() -> None:
    assert duplicates.similarity("क्या आपको बिल्लियाँ पसंद हैं?", "क्या आपको बिल्ली पसंद है?") == 1.0
    assert duplicates.similarity("क्या आपको बिल्लियाँ पसंद हैं?", "क्या आपको कुत्ते पसंद हैं?") < LIMIT
