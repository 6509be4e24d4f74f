"""Question ids: readable ASCII slugs, unique in the site."""

from __future__ import annotations

import re

from from_the_floor.core.ids import MAX_LENGTH, slug_for, unique_id
from hypothesis import given, settings
from hypothesis import strategies as st

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def test_unicode_is_folded_to_ascii() -> None:
    assert slug_for("Ça va, naïve café?") == "ca-va-naive-cafe"
    assert slug_for("Straße über Öl") == "strasse-uber-ol"
    assert slug_for("Do you ever stalk your customers?") == "do-you-ever-stalk-your-customers"


def test_text_without_letters_still_gets_an_id() -> None:
    assert re.fullmatch(r"question-[0-9a-f]{8}", slug_for("???"))
    assert re.fullmatch(r"question-[0-9a-f]{8}", slug_for("🙂🙂"))
    assert slug_for("???") != slug_for("🙂🙂")  # different texts, different ids
    assert slug_for("???") == slug_for("???")


def test_long_questions_are_cut_at_a_word() -> None:
    slug = slug_for("why " * 40)
    assert len(slug) <= MAX_LENGTH
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"why"}


def test_unique_id_counts_up() -> None:
    assert unique_id("Hello there?", []) == "hello-there"
    assert unique_id("Hello there?", {"hello-there"}) == "hello-there-2"
    assert unique_id("Hello there?", {"hello-there", "hello-there-2"}) == "hello-there-3"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.sets(st.sampled_from(["question", "a", "a-2", "b"])))
def test_ids_are_always_safe_slugs(text: str, taken: set[str]) -> None:
    qid = unique_id(text, taken)
    assert SLUG.match(qid), qid
    assert qid not in taken
    assert len(qid) <= MAX_LENGTH + 4
