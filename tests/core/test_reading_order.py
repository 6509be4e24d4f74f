"""reading_key: lists of names in the order a reader expects."""

from __future__ import annotations

from from_the_floor.core.reading_order import reading_key


def test_numbers_by_value_letters_without_case_or_accents():
    names = ["Year 10", "Year 2", "Year 1", "chapter 3b", "Chapter 3a", "Ärger", "Apfel", "2027", "10"]
    assert sorted(names, key=reading_key) == [
        "10",
        "2027",
        "Apfel",
        "Ärger",
        "Chapter 3a",
        "chapter 3b",
        "Year 1",
        "Year 2",
        "Year 10",
    ]


def test_names_that_read_alike_still_have_one_order():
    assert sorted(["b", "B"], key=reading_key) == sorted(["B", "b"], key=reading_key) == ["B", "b"]
    assert sorted(["Year 01", "Year 1"], key=reading_key) == ["Year 01", "Year 1"]
