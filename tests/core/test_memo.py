"""memo.py: text → text memos shared by a build's processes and kept between builds."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from from_the_floor.core import memo
from helpers_floor import CodeWhenUnpickled, saved_memo


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch) -> None:
    monkeypatch.setattr(memo, "_memos", {})
    monkeypatch.setattr(memo, "_folder", None)


def counting(calls: list[str]):
    def produce(text: str) -> str:
        calls.append(text)
        return text.upper()

    return produce


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _shard(text: str) -> int:
    return int(_key(text)[:2], 16) % memo.SHARDS


def _new_process(monkeypatch) -> None:
    """The next build: a fresh registry, nothing in memory."""
    monkeypatch.setattr(memo, "_memos", {})
    monkeypatch.setattr(memo, "_folder", None)


def _texts_in_other_shards(count: int, prefix: str = "text") -> list[str]:
    """``count`` texts whose digests fall in ``count`` different shard files."""
    found: dict[int, str] = {}
    n = 0
    while len(found) < count:
        found.setdefault(_shard(f"{prefix} {n}"), f"{prefix} {n}")
        n += 1
    return list(found.values())


def test_a_memo_produces_each_input_once() -> None:
    calls: list[str] = []
    m = memo.register("shout", counting(calls), keep=True)
    assert memo.register("shout", counting([]), keep=False) is m, "one memo per name"
    assert [m("a"), m("b"), m("a")] == ["A", "B", "A"]
    assert calls == ["a", "b"]


def test_what_a_child_produced_is_merged_into_its_parent() -> None:
    calls: list[str] = []
    m = memo.register("shout", counting(calls), keep=True)
    memo.merge({"shout": {_key(t): t.upper() for t in ("x", "y")}, "unknown": {"k": "v"}})
    assert m("x") == "X" and m("y") == "Y"
    assert calls == [], "merged results are not produced again"
    assert memo.additions()["shout"].keys() >= {_key("x"), _key("y")}


def test_kept_memos_survive_a_save_and_load(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / ".cache" / memo.FOLDER
    kept = memo.register("kept", counting([]), keep=True, salt="v1")
    private = memo.register("reader", counting([]), keep=False)
    kept("author text")
    private("a reader's text")
    memo.save(folder)

    _new_process(monkeypatch)
    calls: list[str] = []
    kept = memo.register("kept", counting(calls), keep=True, salt="v1")
    private_calls: list[str] = []
    private = memo.register("reader", counting(private_calls), keep=False)
    memo.load(folder)
    assert kept("author text") == "AUTHOR TEXT" and calls == []
    private("a reader's text")
    assert private_calls == ["a reader's text"], "a reader's text is never kept"
    assert not any(b"a reader" in p.read_bytes().lower() for p in folder.iterdir())
    assert saved_memo(folder) == {"kept": {_key("author text"): "AUTHOR TEXT"}}


def test_a_cache_folder_that_cannot_be_written_keeps_nothing_and_the_build_goes_on(
    tmp_path: Path, monkeypatch
) -> None:
    """.cache/ made read-only or replaced by a file (a sudo build, a full disk): no error."""
    (tmp_path / ".cache").write_text("not a folder")
    folder = tmp_path / ".cache" / memo.FOLDER
    kept = memo.register("kept", counting([]), keep=True, salt="v1")
    kept("author text")
    memo.save(folder)  # raised NotADirectoryError, failing the whole build

    _new_process(monkeypatch)
    calls: list[str] = []
    kept = memo.register("kept", counting(calls), keep=True, salt="v1")
    memo.load(folder)
    assert kept("author text") == "AUTHOR TEXT" and calls == ["author text"], "worked out again"


def test_a_changed_salt_discards_what_was_saved(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / memo.FOLDER
    memo.register("kept", counting([]), keep=True, salt="markdown 1")("text")
    memo.save(folder)
    _new_process(monkeypatch)
    calls: list[str] = []
    m = memo.register("kept", counting(calls), keep=True, salt="markdown 2")
    memo.load(folder)
    m("text")
    assert calls == ["text"]
    memo.save(folder)
    assert json.loads(next(folder.iterdir()).read_text().split("\n")[0])["salt"] == "markdown 2"


def test_only_what_is_asked_for_is_read(tmp_path: Path, monkeypatch) -> None:
    """load() reads nothing; a result asked for reads the one file its digest is in."""
    folder = tmp_path / memo.FOLDER
    texts = _texts_in_other_shards(5)
    m = memo.register("kept", counting([]), keep=True)
    for text in texts:
        m(text)
    memo.save(folder)
    assert len(list(folder.iterdir())) == 5, "one file per shard"
    _new_process(monkeypatch)
    calls: list[str] = []
    m = memo.register("kept", counting(calls), keep=True)
    memo.load(folder)
    assert m.entries == {}
    assert m(texts[2]) == texts[2].upper() and calls == []
    assert m.entries == {_key(texts[2]): texts[2].upper()}, "the other files are not read"


def test_only_the_files_that_changed_are_written_again(tmp_path: Path, monkeypatch) -> None:
    """A build that adds one entry rewrites that entry's file; one that adds nothing and uses
    everything rewrites none, and results it only needs kept (touch_key) are not even read."""
    folder = tmp_path / memo.FOLDER
    texts = _texts_in_other_shards(6)
    m = memo.register("kept", counting([]), keep=True)
    for text in texts[:5]:
        m(text)
    memo.save(folder)
    for path in folder.iterdir():
        os.utime(path, (1, 1))

    _new_process(monkeypatch)
    read: list[int] = []  # the shards whose results were read
    read_shard = memo._read_shard

    def reading(path: Path, m: memo.Memo, shard: int, *, header_only: bool):
        if not header_only:
            read.append(shard)
        return read_shard(path, m, shard, header_only=header_only)

    monkeypatch.setattr(memo, "_read_shard", reading)
    calls: list[str] = []
    m = memo.register("kept", counting(calls), keep=True)
    memo.load(folder)
    assert m(texts[0]) == texts[0].upper()
    for text in texts[1:5]:
        m.touch_key(text)
    memo.save(folder)
    assert all(p.stat().st_mtime == 1 for p in folder.iterdir()), "nothing changed: nothing written"
    assert read == [_shard(texts[0])], "the results only kept were not read"

    m(texts[5])  # a new entry, in a file of its own
    memo.save(folder)
    changed = {p.name for p in folder.iterdir() if p.stat().st_mtime != 1}
    assert changed == {memo.shard_file(folder, "kept", _shard(texts[5])).name}
    assert calls == [texts[5]]
    assert saved_memo(folder)["kept"] == {_key(t): t.upper() for t in texts}


def test_an_entry_no_longer_used_goes_at_the_next_save(tmp_path: Path, monkeypatch) -> None:
    """Pruning: a deleted post's entries are dropped by the next build, which rewrites only the
    files they were in (a file left with nothing is removed)."""
    folder = tmp_path / memo.FOLDER
    texts = _texts_in_other_shards(3)
    neighbour = next(f"n {i}" for i in range(10_000) if _shard(f"n {i}") == _shard(texts[1]))
    m = memo.register("kept", counting([]), keep=True)
    for text in (*texts, neighbour):
        m(text)
    memo.save(folder)
    for path in folder.iterdir():
        os.utime(path, (1, 1))
    _new_process(monkeypatch)
    m = memo.register("kept", counting([]), keep=True)
    memo.load(folder)
    m.touch_key(texts[0])  # still used
    m.touch_key(neighbour)  # texts[1] and texts[2] are not
    memo.save(folder)
    assert saved_memo(folder)["kept"] == {
        _key(texts[0]): texts[0].upper(),
        _key(neighbour): neighbour.upper(),
    }
    assert memo.shard_file(folder, "kept", _shard(texts[0])).stat().st_mtime == 1, "left alone"
    assert memo.shard_file(folder, "kept", _shard(texts[1])).stat().st_mtime != 1, "pruned"
    assert not memo.shard_file(folder, "kept", _shard(texts[2])).exists()


def _saved_one(folder: Path) -> Path:
    memo.register("kept", counting([]), keep=True)("x")
    memo.save(folder)
    return memo.shard_file(folder, "kept", _shard("x"))


def _worked_out_again_and_saved(folder: Path, monkeypatch) -> None:
    """The next build works out the one result again (the file's was not used) and saves it."""
    _new_process(monkeypatch)
    calls: list[str] = []
    m = memo.register("kept", counting(calls), keep=True)
    memo.load(folder)
    assert m("x") == "X" and calls == ["x"]
    memo.save(folder)
    assert saved_memo(folder) == {"kept": {_key("x"): "X"}}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: "",
        lambda text: "not JSON",
        lambda text: "\x80\x04K\x01.",
        lambda text: text.replace('"salt": ""', '"salt": "other"'),
        lambda text: text.replace('"memo": "kept"', '"memo": "other"'),
        lambda text: text.replace(_key("x"), "zz" * 16),  # not hex
        lambda text: text.replace(_key("x"), _key("y")) if _shard("x") != _shard("y") else "",  # other shard
        lambda text: text.replace('"X"', "1"),  # a result not text
        lambda text: text.replace('["X"]', '["X", "Y"]'),  # more results than digests
        lambda text: text.split("\n")[0],  # no results
        lambda text: text.replace('"keys"', '"more": 1, "keys"'),
    ],
)
def test_a_damaged_file_is_not_used_and_is_written_again(tmp_path: Path, monkeypatch, spoil) -> None:
    folder = tmp_path / memo.FOLDER
    path = _saved_one(folder)
    path.write_text(spoil(path.read_text(encoding="utf-8")), encoding="utf-8")
    _worked_out_again_and_saved(folder, monkeypatch)


@pytest.mark.parametrize("keys", [[[1]], [{"a": 1}], [1], ["not a digest"], "text", None])
def test_a_file_whose_line_of_digests_is_damaged_is_not_kept(tmp_path: Path, monkeypatch, keys) -> None:
    folder = tmp_path / memo.FOLDER
    path = _saved_one(folder)
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(json.dumps({**json.loads(header), "keys": keys}) + "\n" + rest, encoding="utf-8")
    _new_process(monkeypatch)
    m = memo.register("kept", counting([]), keep=True)
    memo.load(folder)
    m.touch_key("x")
    memo.save(folder)
    assert not path.exists(), "nothing of it could be used: its result is worked out next time"


def test_a_damaged_file_only_kept_is_worked_out_when_asked_for(tmp_path: Path, monkeypatch) -> None:
    """A save reads only the line of digests of a file whose results were just kept: damage
    below it is found by the build that asks for a result, which works it out again."""
    folder = tmp_path / memo.FOLDER
    path = _saved_one(folder)
    path.write_text(path.read_text(encoding="utf-8").replace('"X"', "1"), encoding="utf-8")
    _new_process(monkeypatch)
    m = memo.register("kept", counting([]), keep=True)
    memo.load(folder)
    m.touch_key("x")
    memo.save(folder)
    _worked_out_again_and_saved(folder, monkeypatch)


@pytest.mark.parametrize("name", ["kept.00.json", *memo.OLD_FILES])
def test_a_replaced_memo_file_never_runs_code(tmp_path: Path, name: str) -> None:
    import pickle

    folder = tmp_path / memo.FOLDER
    folder.mkdir()
    witness = tmp_path / "pwned"
    for target in (folder / name, tmp_path / name):
        target.write_bytes(pickle.dumps({"kept": ("", CodeWhenUnpickled(witness))}))
    calls: list[str] = []
    m = memo.register("kept", counting(calls), keep=True)
    memo.load(folder)
    for text in _texts_in_other_shards(memo.SHARDS):
        m(text)
    assert not witness.exists()
    assert len(calls) == memo.SHARDS
    memo.save(folder)
    assert not any((tmp_path / old).exists() for old in memo.OLD_FILES), "the old files are removed"


def test_a_result_its_caller_keeps_decoded_is_made_again_only_when_asked(tmp_path: Path) -> None:
    """remake_later: the memo drops its text and holds the caller's way back to the same text,
    used when the result is asked for again, sent to the parent process or saved."""
    calls: list[str] = []
    m = memo.register("shout", counting(calls), keep=True)
    kept = m("hello")
    decoded = list(kept)  # what a caller keeps in another form
    remade: list[str] = []
    m.remake_later("hello", lambda: remade.append("x") or "".join(decoded))
    m.remake_later("never asked", lambda: "nothing")  # not in the memo: nothing is held
    assert not any(isinstance(v, str) for v in m.entries.values()), "the text is no longer held"
    assert m("hello") == "HELLO" and m.touch("hello") == "HELLO" and calls == ["hello"]
    assert memo.additions() == {"shout": {_key("hello"): "HELLO"}}  # text, to pickle
    memo.save(tmp_path / memo.FOLDER)
    assert len(remade) == 4
    for k in memo._memos.values():
        k.forget()
    memo.load(tmp_path / memo.FOLDER)
    assert m.touch("hello") == "HELLO" and m.entries == {_key("hello"): "HELLO"}


def test_the_files_are_json_with_each_result_as_json_dumps_writes_it(tmp_path: Path) -> None:
    first = memo.register("shout", counting([]), keep=True, salt="s1")
    second = memo.register("quote", lambda t: f'« {t} » \\ "\u2028', keep=True, salt="s2")
    memo.register("reader", counting([]), keep=False)("never saved")
    texts = ("a", "b", 'c "quoted"\nwith a line break')
    for text in texts:
        first(text), second(text)
    second.remake_later("a", lambda: '« a » \\ "\u2028')
    folder = tmp_path / memo.FOLDER
    memo.save(folder)
    assert saved_memo(folder) == {
        "shout": {_key(t): t.upper() for t in texts},
        "quote": {_key(t): f'« {t} » \\ "\u2028' for t in texts},
    }
    for path in folder.iterdir():
        _header, values = path.read_text(encoding="utf-8").split("\n", 1)
        assert (
            values == "[" + ",\n".join(json.dumps(v, ensure_ascii=False) for v in json.loads(values)) + "]\n"
        )


def test_a_forked_process_writes_its_kept_results_beside_the_memo_files(tmp_path: Path) -> None:
    """additions(spill=…): a worker's kept results go to a file of its own, named after its
    parent (a killed build's file is swept as its other temps are); only their digests travel,
    and save() copies them into the files they belong to, each digest once, then removes it."""
    from from_the_floor.core import forked, stale_temps

    folder = tmp_path / ".cache" / memo.FOLDER
    kept = memo.register("kept", counting([]), keep=True, salt="v1")
    private = memo.register("reader", counting([]), keep=False)
    kept("both")  # made by the parent before the fork (the child's file may hold it too)
    made_there = ["child 1", 'child "2"\nwith a line break', "both later", *_texts_in_other_shards(9, "c")]

    def work() -> dict:
        for text in made_there:
            kept(text)
        private("a reader's text")
        return memo.additions(folder)

    ok, handed = forked.spawn(work).result()
    assert ok
    spilled = handed["kept"]
    assert isinstance(spilled, memo.Spilled), "kept results travel as a file"
    assert spilled.keys >= {_key(t) for t in made_there}
    assert handed["reader"] == {_key("a reader's text"): "A READER'S TEXT"}, "a reader's text travels"
    fragment = Path(spilled.path)
    assert fragment.parent == folder
    assert stale_temps._OURS.match(fragment.name)["pid"] == str(os.getpid())
    memo.merge(handed)
    assert _key("child 1") not in kept.entries, "this process does not hold their text"
    kept("both later")  # made here as well: written once
    memo.save(folder)
    assert saved_memo(folder) == {"kept": {_key(t): t.upper() for t in ("both", *made_there)}}
    assert not fragment.exists() and not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_a_spilled_file_alone_makes_its_shard_be_written_again(tmp_path: Path) -> None:
    folder = tmp_path / memo.FOLDER
    kept = memo.register("kept", counting([]), keep=True)
    old, new = "old", next(f"new {i}" for i in range(10_000) if _shard(f"new {i}") == _shard("old"))
    kept(old)
    memo.save(folder)
    fragment = folder / f".spill.{os.getpid()}.w1m0.tmp"
    line = f"{_key(new)} {json.dumps(new.upper())}\n".encode()
    fragment.write_bytes(line)
    memo.merge({"kept": memo.Spilled(str(fragment), frozenset({_key(new)}), {_shard(new): (0, len(line))})})
    memo.save(folder)
    assert saved_memo(folder)["kept"] == {_key(old): "OLD", _key(new): new.upper()}
    assert not fragment.exists()


def test_a_result_made_decoded_is_held_as_the_call_that_encodes_it(tmp_path: Path) -> None:
    """add_later: a caller that made a result in its decoded form (never as text) hands the memo
    the call that encodes it; it is used and added, made only when saved or asked for."""
    calls: list[str] = []
    m = memo.register("shout", counting(calls), keep=True)
    encoded: list[str] = []
    m.add_later("hello", lambda: encoded.append("x") or "HELLO")
    assert encoded == [] and calls == []
    memo.save(tmp_path / memo.FOLDER)
    assert encoded == ["x"] and calls == []
    assert saved_memo(tmp_path / memo.FOLDER) == {"shout": {_key("hello"): "HELLO"}}


def test_a_build_that_does_not_load_the_memo_keeps_only_what_it_made(tmp_path: Path, monkeypatch) -> None:
    """Without load() (LOAD_CONTENT_CACHE off) nothing saved is trusted, not even to be copied."""
    folder = tmp_path / memo.FOLDER
    memo.register("kept", counting([]), keep=True)("x")
    memo.save(folder)
    _new_process(monkeypatch)
    m = memo.register("kept", counting([]), keep=True)
    m.touch_key("x")
    m("y")
    memo.save(folder)
    assert saved_memo(folder) == {"kept": {_key("y"): "Y"}}


def test_a_memo_registered_after_load_reads_the_folder_too(tmp_path: Path, monkeypatch) -> None:
    """A module imported later in the build registers its memo after load(): it still finds what
    the last build kept, and the save keeps it."""
    folder = tmp_path / memo.FOLDER
    memo.register("early", counting([]), keep=True)("e")
    memo.register("late", counting([]), keep=True)("l")
    memo.save(folder)
    _new_process(monkeypatch)
    memo.register("early", counting([]), keep=True)
    memo.load(folder)
    calls: list[str] = []
    late = memo.register("late", counting(calls), keep=True)
    assert late("l") == "L" and calls == []
    memo.save(folder)
    assert saved_memo(folder)["late"] == {_key("l"): "L"}


def test_a_digest_made_once_stands_for_its_text(tmp_path: Path, monkeypatch) -> None:
    """memo.digest: a caller that looks a text up in several memos digests it once."""
    calls: list[str] = []
    first = memo.register("first", counting(calls), keep=True)
    second = memo.register("second", counting([]), keep=True)
    first("long text"), second("long text")
    digest = memo.digest("long text")
    assert digest == _key("long text") and first.touch(digest) == "LONG TEXT" and calls == ["long text"]
    first.remake_later(digest, lambda: "LONG TEXT")
    assert not isinstance(first.entries[_key("long text")], str)
    memo.save(tmp_path)
    _new_process(monkeypatch)
    first = memo.register("first", counting([]), keep=True)
    second = memo.register("second", counting([]), keep=True)
    memo.load(tmp_path)
    second.touch_key(digest)  # kept, unread
    first.add_later(memo.digest("other"), lambda: "OTHER")
    assert first.touch("other") == "OTHER"
    memo.save(tmp_path)
    assert saved_memo(tmp_path) == {
        "first": {_key("other"): "OTHER"},
        "second": {_key("long text"): "LONG TEXT"},
    }
