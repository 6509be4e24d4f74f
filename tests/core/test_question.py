"""Question files: parsing, validation messages, and the derived status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from from_the_floor.core import question as question_mod
from from_the_floor.core.question import DECLINED, HELD, PUBLISHED, READY, UNANSWERED, parse_text
from from_the_floor.errors import FloorError
from helpers_floor import counting_parses

PATH = Path("questions/some-question.md")


def parse(front: str, body: str = "", **kwargs) -> question_mod.Question:
    return parse_text(f"---\n{front}\n---\n{body}", PATH, **kwargs)


def test_a_full_question_parses() -> None:
    q = parse(
        "question: Do you ever stalk your customers?\n"
        "asked: 2026-10-30\n"
        "asker: Sam                # optional display name\n"
        "credit: false\n"
        "contact: sam@example.org\n"
        "source: email\n"
        "tags: [listening, social media]\n"
        "quick_answer: Yes.\n"
        "details: |\n  More *context*.\n"
        "priority: 2\n"
        "not_before: 2026-12-01\n"
        "pin: 2026-12-07",
        "The more thoughtful answer.\n",
    )
    assert q.id == "some-question"
    assert q.question == "Do you ever stalk your customers?"
    assert q.asked == dt.date(2026, 10, 30)
    assert q.asker == "Sam" and q.credit is False and q.public_asker is None
    assert q.contact == "sam@example.org"
    assert q.tags == ["listening", "social media"]
    assert q.details == "More *context*.\n"
    assert q.priority == 2
    assert q.not_before == dt.date(2026, 12, 1) and q.pin == dt.date(2026, 12, 7)
    assert q.body == "The more thoughtful answer."
    assert q.status == READY


def test_yaml_1_1_words_stay_text() -> None:
    q = parse("question: no\nasked: 2026-11-01\nasker: yes\nquick_answer: off\ntags: [no, on]", "b")
    assert q.question == "no"
    assert q.asker == "yes"
    assert q.quick_answer == "off"
    assert q.tags == ["no", "on"]


@pytest.mark.parametrize("word", ["true", "false"])
def test_a_boolean_question_is_a_clear_error(word: str) -> None:
    with pytest.raises(FloorError) as info:
        parse(f"question: {word}\nasked: 2026-11-01")
    assert info.value.field == "question"
    assert f'"{word}"' in info.value.message  # says how to keep it as text


@pytest.mark.parametrize(
    ("front", "field", "words"),
    [
        ("asked: 2026-11-01", "question", "is missing"),
        ("question: ''\nasked: 2026-11-01", "question", "is missing"),
        ("question: '   '\nasked: 2026-11-01", "question", "is empty"),
        ("question: Q?", "asked", "is missing"),
        # a required field misspelt: named with the spelling the file has
        (
            "qestion: Why?\nasked: 2026-11-01",
            "question",
            "is missing; every question needs it; the file has 'qestion': rename it 'question'",
        ),
        ("question: Q?\naksed: 2026-11-01", "asked", "the file has 'aksed': rename it 'asked'"),
        ("question: Q?\nasked: 2026-02-30", "asked", "not a real date"),
        ("question: Q?\nasked: 2026-13-01", "asked", "not a real date"),
        ("question: Q?\nasked: last week", "asked", "YYYY-MM-DD"),
        ("question: [a, b]\nasked: 2026-11-01", "question", "got a list"),
        ("question:\n  - a\nasked: 2026-11-01", "question", "got a list"),
        ("question: {a: b}\nasked: 2026-11-01", "question", "got a mapping"),
        ("question: Q?\nasked: [2026-11-01]", "asked", "got a list"),
        ("question: Q?\nasked: 2026-11-01\ncredit: maybe", "credit", "true or false"),
        ("question: Q?\nasked: 2026-11-01\npriority: high", "priority", "whole number"),
        ("question: Q?\nasked: 2026-11-01\ntags: {a: b}", "tags", "list of tags"),
        ("question: Q?\nasked: 2026-11-01\ntags: [[a]]", "tags", "must be text"),
        ("question: Q?\nasked: 2026-11-01\npin: 2026-02-29", "pin", "not a real date"),
        ("question: Q?\nasked: 2026-11-01\nnot_before: soon", "not_before", "YYYY-MM-DD"),
    ],
)
def test_invalid_fields_name_file_and_field(front: str, field: str, words: str) -> None:
    with pytest.raises(FloorError) as info:
        parse(front)
    err = info.value
    assert err.path == PATH
    assert err.field == field
    assert words in err.problem
    assert err.message.startswith(f"{PATH}: {field}: ")


def test_a_missing_field_never_suggests_a_reader_s_address() -> None:
    """A key that is a reader's address (pasted where `asked:` goes) is not shown as the near
    miss: the message goes to a terminal and a CI log."""
    with pytest.raises(FloorError) as info:
        parse("question: Q?\naskd@example.org: 2026-11-01")
    assert info.value.field == "asked" and "example.org" not in info.value.message



@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("- Ben Reader <ben.reader@example.org>", "got a line of text"),
        ("- [ben.reader@example.org]", "got a list"),
        ("- question: Q?\n    asked: 2026-11-01\n    ben.reader@example.org: yes", "is not shown"),
    ],
)
def test_a_merged_reader_written_wrongly_is_described_never_printed(entry: str, words: str) -> None:
    """An ``also_asked_by`` entry may hold a reader's contact: the error says what is wrong with
    it and where, and prints none of it (it reaches a terminal, a CI log)."""
    with pytest.raises(FloorError) as info:
        parse(f"question: Q?\nasked: 2026-11-01\nalso_asked_by:\n  {entry}")
    err = info.value
    assert err.field == "also_asked_by[1]"
    assert words in err.problem
    assert "ben.reader" not in err.message and "example.org" not in err.message


def test_a_mistyped_field_of_a_merged_reader_is_named() -> None:
    with pytest.raises(FloorError) as info:
        parse(
            "question: Q?\nasked: 2026-11-01\n"
            "also_asked_by:\n  - question: Q?\n    asked: 2026-11-01\n    contcat: x"
        )
    assert "'contcat'" in info.value.problem


MERGED_ASKED = "question: Q?\nasked: 2026-11-01\nalso_asked_by:\n  - question: Q?\n    asked: "
MERGED = "question: Q?\nasked: 2026-11-01\nalso_asked_by:\n  - question: Q?\n    asked: 2026-11-01\n"


@pytest.mark.parametrize(
    ("front", "field"),
    [
        (MERGED + "    notify: ben.reader@example.org", "also_asked_by[1].notify"),
        (MERGED + '    credit: "Ben Reader <ben.reader@example.org>"', "also_asked_by[1].credit"),
        (MERGED_ASKED + "ben.reader@example.org", "also_asked_by[1].asked"),
        (MERGED_ASKED + "+44 20 7946 0958", "also_asked_by[1].asked"),
        ("question: Q?\nasked: 2026-11-01\nnotify: ben.reader@example.org", "notify"),
        ("question: Q?\nasked: 2026-11-01\npriority: 020 7946 0958", "priority"),
        ("question: Q?\nasked: 2026-11-01\ntags: [{Ben Reader: ben.reader@example.org}]", "tags"),
    ],
)
def test_a_contact_in_the_wrong_field_is_described_never_printed(front: str, field: str) -> None:
    """An address or phone number put in a field that wants a date, a number or true/false is a
    reader's contact all the same: the error names the file and field and does not echo it."""
    with pytest.raises(FloorError) as info:
        parse(front)
    err = info.value
    assert err.field == field and ("not shown" in err.problem or "got a mapping" in err.problem)
    assert not any(part in err.message for part in ("Ben Reader", "ben.reader", "example.org", "7946"))


@pytest.mark.parametrize(
    ("front", "words"),
    [
        (MERGED + "    notify: yes please", "got 'yes please'"),
        ("question: Q?\nasked: 2026-02-30", "'2026-02-30' is not a real date"),
        ("question: Q?\nasked: 5 Nov", "'5 Nov' is not a date"),
        ("question: Q?\nasked: 2026-11-01\npriority: high", "got 'high'"),
    ],
)
def test_a_wrong_value_that_is_no_contact_is_still_shown(front: str, words: str) -> None:
    with pytest.raises(FloorError) as info:
        parse(front)
    assert words in info.value.problem


def test_a_reader_s_name_used_as_a_merged_reader_s_key_is_not_printed() -> None:
    """``- Jane Roe: jane@example.org`` makes a key of the name; a field name is shown only when it
    is close to one the entry can have."""
    with pytest.raises(FloorError) as info:
        parse(MERGED + "    Jane Roe: jane.roe@example.org")
    assert "Jane" not in info.value.message and "not shown" in info.value.problem
    with pytest.raises(FloorError) as info:
        parse(MERGED + "    notifiy: true")
    assert "'notifiy' (did you mean 'notify'?)" in info.value.problem


def test_statuses_are_derived() -> None:
    base = "question: Q?\nasked: 2026-11-01"
    assert parse(base).status == UNANSWERED
    assert parse(base + "\nquick_answer: Yes, really.").status == UNANSWERED  # no body yet
    assert parse(base, "Body only").status == UNANSWERED  # no quick answer yet
    assert parse(base + "\nquick_answer: Sure", "Body").status == READY
    assert parse(base + "\nquick_answer: Sure\nhold: true", "Body").status == HELD
    assert parse(base + "\nquick_answer: Sure\nhold: false", "Body").status == READY
    assert parse(base + "\ndeclined: Off topic").status == DECLINED
    assert parse(base + "\nquick_answer: Sure\nhold: true\ndeclined: No", "Body").status == DECLINED


def test_credit_controls_the_public_name() -> None:
    assert parse("question: Q?\nasked: 2026-11-01\nasker: Dana\ncredit: true").public_asker == "Dana"
    assert parse("question: Q?\nasked: 2026-11-01\nasker: Dana").public_asker is None
    assert parse("question: Q?\nasked: 2026-11-01\ncredit: true").public_asker is None


def test_tags_are_cleaned_and_deduplicated() -> None:
    q = parse("question: Q?\nasked: 2026-11-01\ntags: ['  social   media ', social media, x]")
    assert q.tags == ["social media", "x"]
    assert parse("question: Q?\nasked: 2026-11-01\ntags: a, b").tags == ["a", "b"]


def test_published_posts_need_date_and_number() -> None:
    front = "question: Q?\nasked: 2026-11-01\nquick_answer: A\n"
    with pytest.raises(FloorError) as info:
        parse(front + "number: 1", "Body", published=True)
    assert info.value.field == "date"
    with pytest.raises(FloorError, match="UTC offset"):
        parse(front + "number: 1\ndate: 2026-11-09T09:00:00", "Body", published=True)
    q = parse(front + "number: 1\ndate: 2026-11-09T09:00:00+00:00", "Body", published=True)
    assert q.status == PUBLISHED and q.number == 1 and q.date.tzinfo is not None


def test_crlf_body_reads_like_lf() -> None:
    text = "---\r\nquestion: Q?\r\nasked: 2026-11-01\r\nquick_answer: A\r\n---\r\nOne\r\n\r\nTwo\r\n"
    q = parse_text(text, PATH)
    assert q.body == "One\n\nTwo"
    assert q.status == READY


def test_unknown_fields_are_kept_aside() -> None:
    q = parse("question: Q?\nasked: 2026-11-01\npart: '2'\nmood: good")
    assert q.extra == {"part": "2", "mood": "good"}


def test_load_reports_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes(b"---\nquestion: caf\xe9?\nasked: 2026-11-01\n---\n")
    with pytest.raises(FloorError) as info:
        question_mod.load(path)
    assert info.value.path == path
    assert info.value.line == 2
    assert "UTF-8" in info.value.message


# --- reusing_parses: one parse per file per build -------------------------------------------

QUESTION_FILE = "---\nquestion: {text}\nasked: 2026-10-30\n---\n"


def _old_file(path: Path, text: str, *, age_seconds: int) -> Path:
    """A question file last changed ``age_seconds`` ago (older than the racy window)."""
    import os
    import time

    path.write_text(QUESTION_FILE.format(text=text), encoding="utf-8")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_outside_reusing_parses_every_load_parses(tmp_path: Path, monkeypatch) -> None:
    path = _old_file(tmp_path / "q.md", "First?", age_seconds=60)
    calls = counting_parses(monkeypatch)
    question_mod.load(path)
    question_mod.load(path)
    assert len(calls) == 2


def test_reusing_parses_parses_an_unchanged_file_once(tmp_path: Path, monkeypatch) -> None:
    path = _old_file(tmp_path / "q.md", "First?", age_seconds=60)
    calls = counting_parses(monkeypatch)
    with question_mod.reusing_parses():
        one = question_mod.load(path, published=False)
        two = question_mod.load(tmp_path / "." / "q.md")  # the same file by another spelling
        one.question = "changed by a caller"
        three = question_mod.load(path)
    assert len(calls) == 1
    assert two.question == three.question == "First?", "each caller gets its own copy"
    assert two == three and two is not three and type(two) is question_mod.Question


def test_a_parse_is_peeked_at_without_a_copy_and_only_while_the_file_is_unchanged(tmp_path: Path) -> None:
    """question.peek, for the contact guard's look at every file's contacts: the parse itself
    (as a question or as a post), none once the file's stat moved, none outside a build."""
    import os

    path = _old_file(tmp_path / "q.md", "First?", age_seconds=60)
    assert question_mod.peek(path, os.stat(path)) is None
    with question_mod.reusing_parses() as store:
        question_mod.load(path)
        (_key, (_stamp, parsed)), *_ = store.items()
        assert question_mod.peek(path, os.stat(path)) is parsed
        _old_file(path, "Second, longer?", age_seconds=30)
        assert question_mod.peek(path, os.stat(path)) is None


def test_reusing_parses_sees_a_changed_file(tmp_path: Path, monkeypatch) -> None:
    path = _old_file(tmp_path / "q.md", "First?", age_seconds=60)
    calls = counting_parses(monkeypatch)
    with question_mod.reusing_parses():
        assert question_mod.load(path).question == "First?"
        _old_file(path, "Second, longer?", age_seconds=30)
        assert question_mod.load(path).question == "Second, longer?"
        _old_file(path, "Third, longer?", age_seconds=20)  # same size, another mtime
        assert question_mod.load(path).question == "Third, longer?"
    assert len(calls) == 3


def test_a_file_changed_within_the_racy_window_is_not_kept(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "q.md"
    path.write_text(QUESTION_FILE.format(text="Just saved?"), encoding="utf-8")
    calls = counting_parses(monkeypatch)
    with question_mod.reusing_parses() as store:
        question_mod.load(path)
        question_mod.load(path)
    assert len(calls) == 2 and not store, "a just-written file may change again within its mtime tick"


def test_a_store_carries_parses_between_blocks(tmp_path: Path, monkeypatch) -> None:
    path = _old_file(tmp_path / "q.md", "First?", age_seconds=60)
    calls = counting_parses(monkeypatch)
    store: dict = {}
    with question_mod.reusing_parses(store):
        question_mod.load(path)
    with question_mod.reusing_parses(store):
        question_mod.load(path)
    question_mod.load(path)  # the block is over: parsed afresh
    assert len(calls) == 2


def test_a_bad_file_is_reported_every_time(tmp_path: Path) -> None:
    path = tmp_path / "q.md"
    path.write_text("---\nasked: 2026-10-30\n---\n", encoding="utf-8")
    with question_mod.reusing_parses():
        for _ in range(2):
            with pytest.raises(FloorError, match="question"):
                question_mod.load(path)


def test_a_big_queue_parsed_in_two_processes_equals_one(tmp_path: Path, monkeypatch) -> None:
    from from_the_floor.core import forked
    from from_the_floor.core import queue as queue_mod
    from from_the_floor.core.site import Site

    monkeypatch.setattr(forked, "MIN_ITEMS_PER_PROCESS", 5)
    site = tmp_path / "site"
    (site / "questions").mkdir(parents=True)
    (site / "content" / "floor").mkdir(parents=True)
    (site / "pelicanconf.py").write_text("", encoding="utf-8")
    for i in range(12):
        (site / "questions" / f"q{i:02}.md").write_text(QUESTION_FILE.format(text=f"Number {i}?"), "utf-8")
    (site / "questions" / "broken.md").write_text("---\nasked: 2026-02-30\n---\n", encoding="utf-8")
    one = queue_mod.load(Site(site), processes=1)
    two = queue_mod.load(Site(site), processes=2)
    assert [q.question for q in two.queued] == [q.question for q in one.queued]
    assert [e.message for e in two.errors] == [e.message for e in one.errors] and one.errors


# --- queue.load_folder: a folder read once a build --------------------------------------------


def _counting_loads(monkeypatch) -> list[Path]:
    calls: list[Path] = []
    real = question_mod.load_kept

    def counting(path, **kwargs):
        calls.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(question_mod, "load_kept", counting)
    return calls


def test_a_folder_is_read_once_a_block_each_caller_with_its_own_copies(tmp_path: Path, monkeypatch) -> None:
    """The retirement forecast and the reader site's stats both read every question of a build."""
    import os

    from from_the_floor.core import queue as queue_mod

    _old_file(tmp_path / "a.md", "First?", age_seconds=60)
    (tmp_path / "b.md").write_text("---\nasked: 2026-10-30\n---\n", encoding="utf-8")
    calls = _counting_loads(monkeypatch)
    with question_mod.reusing_parses():
        one = queue_mod.load_folder(tmp_path)
        ((held, _bad),) = question_mod.folder_loads().values()
        assert held is question_mod.peek(tmp_path / "a.md", os.stat(tmp_path / "a.md")), "no third copy held"
        one[0].question = "changed by the first caller"
        _old_file(tmp_path / "a.md", "Changed on disk within the build?", age_seconds=30)
        two = queue_mod.load_folder(tmp_path)
        three = queue_mod.load_folder(tmp_path, last=True)  # the stats: the table lets them go
        assert len(calls) == 2, "each file once, not once a caller"
        assert question_mod.folder_loads() == {}
        assert queue_mod.load_folder(tmp_path)[0].question == "Changed on disk within the build?"
    assert two[0].question == three[0].question == "First?"
    assert two[0] is not one[0] and three[0] is not two[0]
    assert isinstance(one[1], FloorError) and isinstance(three[1], FloorError)
    assert three[1].message == one[1].message and "question" in three[1].message


def test_a_folder_is_read_again_next_block_after_forget_and_outside(tmp_path: Path, monkeypatch) -> None:
    """A live-preview regeneration is a block of its own: it sees the author's edit."""
    from from_the_floor.core import queue as queue_mod

    _old_file(tmp_path / "a.md", "First?", age_seconds=60)
    calls = _counting_loads(monkeypatch)
    store: dict = {}
    with question_mod.reusing_parses(store):
        queue_mod.load_folder(tmp_path)
        question_mod.forget_parses()
        queue_mod.load_folder(tmp_path)
    _old_file(tmp_path / "a.md", "Second, longer?", age_seconds=30)
    with question_mod.reusing_parses(store):
        assert queue_mod.load_folder(tmp_path)[0].question == "Second, longer?"
    queue_mod.load_folder(tmp_path)
    queue_mod.load_folder(tmp_path)
    assert len(calls) == 5


def test_two_threads_in_their_own_blocks_keep_their_own_stores(tmp_path: Path) -> None:
    """The desk's preview engine and a page thread each load inside their own reusing_parses
    block at once: each parse lands in its own block's store, neither thread's leaving ends the
    other's block, and after both have left no store is in use outside a block."""
    import threading

    first = _old_file(tmp_path / "a.md", "From the first thread?", age_seconds=60)
    second = _old_file(tmp_path / "b.md", "From the second thread?", age_seconds=60)
    both_in, both_loaded, first_out = threading.Barrier(2), threading.Barrier(2), threading.Event()
    stores: dict[str, dict] = {"first": {}, "second": {}}
    seen: dict[str, object] = {}
    failures: list[BaseException] = []

    def run(name: str, path: Path) -> None:
        try:
            with question_mod.reusing_parses(stores[name]):
                both_in.wait(5)
                question_mod.load(path)
                both_loaded.wait(5)
                if name == "first":
                    first_out.set()
                    return
                first_out.wait(5)  # the first thread's block has ended; this one has not
                question_mod.load(path)
                seen["inside"] = question_mod.current_parses()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(n, p)) for n, p in (("first", first), ("second", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not failures
    assert [key for key, _ in stores["first"]] == [str(first)]
    assert [key for key, _ in stores["second"]] == [str(second)]
    assert seen["inside"] is stores["second"]
    assert question_mod.current_parses() is None and question_mod.folder_loads() is None
