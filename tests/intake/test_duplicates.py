"""Near-duplicates: what counts as the same question, the setting, and "asked by N readers"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.core import guard
from from_the_floor.core.question import AlsoAsked, Question, parse_text
from from_the_floor.errors import FloorError
from from_the_floor.intake import duplicates

LIMIT = duplicates.DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Do you ever stalk your customers?", "do you ever stalk your customers"),
        ("Do you ever stalk your customers?", "Have you ever stalked your custmers?"),  # tense, typo
        ("Why answer questions in public?", "Why do you answer questions in public?"),
        ("Is it OK to disagree with a reader?", "Is it ok to disagree with readers?"),
        ("Ça va, naïve café?", "ca va naive cafe"),
    ],
)
def test_same_question_in_other_words_matches(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) >= LIMIT
    assert duplicates.similarity(b, a) >= LIMIT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # one changed word is a different question, however alike the letters are
        ("Do you ever stalk your customers?", "Do you ever call your customers?"),
        ("How long should an answer be?", "How short should an answer be?"),
        ("How long should an answer be?", "How long should a question be?"),
        ("Do you read every comment?", "Do you reply to every comment?"),
        # question words and negations are not noise
        ("Why do you write?", "How do you write?"),
        ("Should I use a script?", "Should I not use a script?"),
        ("Why?", "How?"),
    ],
)
def test_different_questions_do_not_match(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) < LIMIT


def test_threshold_setting() -> None:
    assert duplicates.threshold({}) == duplicates.DEFAULT_THRESHOLD
    assert duplicates.threshold({"FLOOR_DUPLICATE_THRESHOLD": 1}) == 1.0
    assert duplicates.threshold({"FLOOR_DUPLICATE_THRESHOLD": None}) is None
    assert duplicates.threshold({"FLOOR_DUPLICATE_THRESHOLD": False}) is None
    for bad in (0, 1.5, "0.9", True, -1):
        with pytest.raises(FloorError) as err:
            duplicates.threshold({"FLOOR_DUPLICATE_THRESHOLD": bad}, Path("pelicanconf.py"))
        assert "FLOOR_DUPLICATE_THRESHOLD" in err.value.message


def _question(qid: str, text: str, **fields) -> Question:
    return Question(id=qid, path=Path(f"{qid}.md"), question=text, asked=dt.date(2026, 11, 1), **fields)


def test_best_match_takes_the_closest_and_reads_merged_wording() -> None:
    near = _question("near", "Do you ever stalk your customers online?")
    exact = _question("exact", "Do you stalk customers?")
    merged = _question(
        "merged",
        "How do you pick the next question?",
        also_asked_by=[
            AlsoAsked(question="What decides which question goes next?", asked=dt.date(2026, 11, 2))
        ],
    )
    match = duplicates.best_match("Do you ever stalk your customers?", [near, exact, merged], LIMIT)
    assert match is not None and match.question.id == "exact" and match.score == 1.0
    match = duplicates.best_match("Which question goes next: what decides it?", [near, exact, merged], LIMIT)
    assert match is not None and match.question.id == "merged"
    assert match.matched_text == "What decides which question goes next?"
    assert duplicates.best_match("Do you ever stalk your customers?", [exact], None) is None


def test_declined_questions_are_not_merge_targets() -> None:
    declined = _question("no", "Do you stalk customers?", declined="off topic")
    queued = _question("yes", "Another one?")
    post = _question("post", "Published?", published=True)
    assert [q.id for q in duplicates.merge_candidates([declined, queued], [post])] == ["yes", "post"]


def _entry(asker: str | None, credit: bool) -> AlsoAsked:
    return AlsoAsked(question="Same?", asked=dt.date(2026, 11, 2), asker=asker, credit=credit)


@pytest.mark.parametrize(
    ("asker", "credit", "entries", "expected"),
    [
        ("Sam", False, [], "a reader"),
        ("Sam", True, [], "Sam"),
        ("Sam", False, [("Jo", False), (None, False)], "3 readers"),
        ("Sam", True, [("Jo", False), ("Pat", False)], "Sam and 2 other readers"),
        ("Sam", True, [("Jo", True), (None, False)], "Sam, Jo and 1 other reader"),
        (None, False, [("Jo", True)], "Jo and 1 other reader"),
        ("Sam", True, [("Jo", True)], "Sam and Jo"),
    ],
)
def test_asked_by_names_only_credited_readers(asker, credit, entries, expected) -> None:
    q = _question("q", "Same?", asker=asker, credit=credit, also_asked_by=[_entry(*e) for e in entries])
    assert q.asked_by == expected
    assert q.readers == 1 + len(entries)


MERGED_FILE = """---
question: Do you ever stalk your customers?
asked: 2026-11-02
asker: Sam
credit: false
contact: sam@example.org
quick_answer:
also_asked_by:
  - question: Have you ever stalked your customers?
    asked: 2026-11-03
    asker: Jo
    credit: true
    contact: jo.private@example.com
    notify: true
  - question: Do you stalk customers?
    asked: 2026-11-04
    credit: false
    contact: "+44 20 7946 0002"
---
"""


def test_merged_readers_parse_and_stay_private(tmp_path: Path) -> None:
    path = tmp_path / "questions" / "q.md"
    path.parent.mkdir()
    path.write_text(MERGED_FILE, encoding="utf-8")
    q = parse_text(MERGED_FILE, path)
    assert [e.asker for e in q.also_asked_by] == ["Jo", None]
    assert q.also_asked_by[0].notify and not q.also_asked_by[1].notify
    assert q.asked_by == "Jo and 2 other readers"
    assert "also_asked_by" not in q.extra
    # guard.py protects every merged reader's contact, as strictly as the asker's
    contacts = guard.contacts_in([path.parent])
    assert contacts == {"sam@example.org", "jo.private@example.com", "+44 20 7946 0002"}
    output = tmp_path / "output"
    output.mkdir()
    (output / "page.html").write_text("<p>Write to jo.private&#64;example.com</p>", encoding="utf-8")
    assert guard.scan(output, contacts) == [(output / "page.html", "jo.private@example.com")]


def test_a_malformed_merged_reader_names_the_entry(tmp_path: Path) -> None:
    bad = MERGED_FILE.replace("asked: 2026-11-04", "asked: soon")
    with pytest.raises(FloorError) as err:
        parse_text(bad, tmp_path / "q.md")
    assert err.value.field == "also_asked_by[2].asked"
    with pytest.raises(FloorError) as err:
        parse_text(MERGED_FILE.replace("    notify: true", "    notfy: true"), tmp_path / "q.md")
    assert err.value.field == "also_asked_by[1]" and "notfy" in err.value.problem


# Questions in another language than the column's: the filler words of German and French are
# not what makes two questions one (they were counted as content, and one changed noun among
# twelve shared fillers still scored 93 %, so intake merged two different questions).
OTHER_LANGUAGE_DIFFERENT = [
    (
        "Was soll ich tun, wenn ich mit meiner Arbeit an der Kolumne nicht mehr zufrieden bin?",
        "Was soll ich tun, wenn ich mit meinen Lesern an der Kolumne nicht mehr zufrieden bin?",
    ),
    (
        "Wie kann ich als Autor einer Kolumne mit der Kritik von meinen Lesern umgehen?",
        "Wie kann ich als Autor einer Kolumne mit dem Lob von meinen Lesern umgehen?",
    ),
    (
        "Que dois-je faire quand je ne suis plus content de mon travail pour la chronique ?",
        "Que dois-je faire quand je ne suis plus content de mes lecteurs pour la chronique ?",
    ),
    ("Warum schreiben Sie über Kunden?", "Warum schreiben Sie nicht über Kunden?"),  # negated
    ("Pourquoi répondez-vous aux lecteurs ?", "Pourquoi ne répondez-vous pas aux lecteurs ?"),
]
OTHER_LANGUAGE_SAME = [
    (
        "Wie oft sollte ich einen neuen Beitrag für die Kolumne schreiben?",
        "Wie oft soll ich denn einen neuen Beitrag für meine Kolumne schreiben?",
    ),
    (
        "Combien de temps faut-il pour écrire une réponse à une question ?",
        "Combien de temps vous faut-il pour écrire la réponse à une question ?",
    ),
    (
        "Comment choisissez-vous les questions auxquelles vous répondez ?",
        "Comment est-ce que vous choisissez les questions auxquelles vous répondez ?",
    ),
    ("Warum antworten Sie öffentlich auf Fragen?", "Warum antwortest du öffentlich auf die Fragen?"),
]


@pytest.mark.parametrize(("a", "b"), OTHER_LANGUAGE_DIFFERENT)
def test_different_questions_in_german_or_french_do_not_match(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) < LIMIT
    assert duplicates.similarity(b, a) < LIMIT


@pytest.mark.parametrize(("a", "b"), OTHER_LANGUAGE_SAME)
def test_the_same_question_reworded_in_german_or_french_still_matches(a: str, b: str) -> None:
    assert duplicates.similarity(a, b) >= LIMIT
    assert duplicates.similarity(b, a) >= LIMIT


def test_intake_s_index_scores_other_languages_as_similarity_does() -> None:
    """The index intake uses at volume finds the reworded question and not the different one."""
    index = duplicates.Index(LIMIT)
    pairs = OTHER_LANGUAGE_DIFFERENT + OTHER_LANGUAGE_SAME
    for n, (a, _) in enumerate(pairs):
        index.add(Question(id=f"q{n}", path=Path(f"q{n}.md"), question=a, asked=dt.date(2026, 1, 1)))
    for n, (_, b) in enumerate(pairs):
        found = index.best(b)
        if n < len(OTHER_LANGUAGE_DIFFERENT):
            assert found is None or found.question.id != f"q{n}", b
        else:
            assert found is not None and found.question.id == f"q{n}", b


def test_a_german_or_french_function_word_still_counts_in_an_english_question() -> None:
    """Each language's list applies to wordings in that language: "die", "son", "war", "hat" are
    English words that carry the question there."""
    assert duplicates.content_words("Would you die for your column?") == ["die", "column"]
    assert duplicates.similarity("Did your son start the war?", "Did your son start the hat?") < LIMIT


def test_the_score_in_words_never_rounds_up_to_a_match_it_is_not() -> None:
    """A "100% alike" beside two different texts read as a mistake: every key word the same is said
    in words, and a near score is rounded down, never up to 100."""
    same = duplicates.similarity(
        "How do you decide which reader questions to answer first?",
        "How do you decide which questions from readers to answer first?",
    )
    assert same == 1.0 and duplicates.how_alike(same) == "same key words"
    assert duplicates.how_alike(0.996) == "99% alike"
    assert duplicates.how_alike(0.845) == "84% alike"
    assert duplicates.how_alike(None) == "0% alike"
