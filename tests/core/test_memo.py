"""memo.py: text → text memos shared by a build's processes and kept between builds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from from_the_floor.core import memo
from helpers_floor import CodeWhenUnpickled


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch) -> None:
    monkeypatch.setattr(memo, "_memos", {})


def counting(calls: list[str]):
    def produce(text: str) -> str:
        calls.append(text)
        return text.upper()

    return produce


def test_a_memo_produces_each_input_once() -> None:
    calls: list[str] = []
    m = memo.register("shout", counting(calls), keep=True)
    assert memo.register("shout", counting([]), keep=False) is m, "one memo per name"
    assert [m("a"), m("b"), m("a")] == ["A", "B", "A"]
    assert calls == ["a", "b"]


def test_what_a_child_produced_is_merged_into_its_parent() -> None:
    calls: list[str] = []
    m = memo.register("shout", counting(calls), keep=True)
    memo.merge({"shout": _produced_elsewhere(["x", "y"]), "unknown": {b"k": "v"}})
    assert m("x") == "X" and m("y") == "Y"
    assert calls == [], "merged results are not produced again"
    assert memo.additions()["shout"].keys() >= {_key("x"), _key("y")}


def _key(text: str) -> bytes:
    import hashlib

    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _produced_elsewhere(texts: list[str]) -> dict[bytes, str]:
    return {_key(t): t.upper() for t in texts}


def test_kept_memos_survive_a_save_and_load(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / ".cache" / memo.FILE
    kept = memo.register("kept", counting([]), keep=True, salt="v1")
    private = memo.register("reader", counting([]), keep=False)
    kept("author text")
    private("a reader's text")
    memo.save(path)

    monkeypatch.setattr(memo, "_memos", {})  # the next build
    calls: list[str] = []
    kept = memo.register("kept", counting(calls), keep=True, salt="v1")
    private_calls: list[str] = []
    private = memo.register("reader", counting(private_calls), keep=False)
    memo.load(path)
    assert kept("author text") == "AUTHOR TEXT" and calls == []
    private("a reader's text")
    assert private_calls == ["a reader's text"], "a reader's text is never kept"
    assert b"a reader" not in path.read_bytes().lower()


def test_a_changed_salt_discards_what_was_saved(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / memo.FILE
    memo.register("kept", counting([]), keep=True, salt="markdown 1")("text")
    memo.save(path)
    monkeypatch.setattr(memo, "_memos", {})
    calls: list[str] = []
    m = memo.register("kept", counting(calls), keep=True, salt="markdown 2")
    memo.load(path)
    m("text")
    assert calls == ["text"]


def test_the_file_is_rewritten_only_when_something_was_added(tmp_path: Path) -> None:
    path = tmp_path / memo.FILE
    m = memo.register("kept", counting([]), keep=True)
    m("one")
    memo.save(path)
    os.utime(path, (1, 1))
    m("one")
    memo.save(path)
    assert path.stat().st_mtime == 1
    m("two")
    memo.save(path)
    assert path.stat().st_mtime > 1


@pytest.mark.parametrize(
    "junk",
    [b"", b"not JSON", b"\x80\x04K\x01.", b'{"kept": ["", {"zz": "X"}]}', b'{"kept": ["", {"00": 1}]}'],
)
def test_a_damaged_file_is_ignored(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / memo.FILE
    path.write_bytes(junk)
    calls: list[str] = []
    m = memo.register("kept", counting(calls), keep=True)
    memo.load(path)
    assert m("x") == "X" and calls == ["x"]


@pytest.mark.parametrize("name", [memo.FILE, *memo.OLD_FILES])
def test_a_replaced_memo_file_never_runs_code(tmp_path: Path, name: str) -> None:
    import pickle

    witness = tmp_path / "pwned"
    (tmp_path / name).write_bytes(pickle.dumps({"kept": ("", CodeWhenUnpickled(witness))}))
    calls: list[str] = []
    m = memo.register("kept", counting(calls), keep=True)
    memo.load(tmp_path / memo.FILE)
    assert not witness.exists()
    assert m("x") == "X" and calls == ["x"]
    memo.save(tmp_path / memo.FILE)
    assert not (tmp_path / "floor-memo.pickle").exists(), "the old pickle is removed"


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
    memo.save(tmp_path / memo.FILE)
    assert len(remade) == 4
    for k in memo._memos.values():
        k.entries.clear(), k.used.clear(), k.added.clear()
    memo.load(tmp_path / memo.FILE)
    assert m.entries == {_key("hello"): "HELLO"}


def test_the_file_written_piece_by_piece_is_what_json_dump_writes(tmp_path: Path) -> None:
    first = memo.register("shout", counting([]), keep=True, salt="s1")
    second = memo.register("quote", lambda t: f'« {t} » \\ "', keep=True, salt="s2")
    memo.register("reader", counting([]), keep=False)("never saved")
    for text in ("a", "b", 'c "quoted"'):
        first(text), second(text)
    second.remake_later("a", lambda: '« a » \\ "')
    memo.save(tmp_path / memo.FILE)
    written = (tmp_path / memo.FILE).read_text(encoding="utf-8")
    saved = json.loads(written)
    assert written == json.dumps(saved, ensure_ascii=False)  # json.dump's own separators
    assert saved == {
        "shout": ["s1", {_key(t).hex(): t.upper() for t in ("a", "b", 'c "quoted"')}],
        "quote": ["s2", {_key(t).hex(): f'« {t} » \\ "' for t in ("a", "b", 'c "quoted"')}],
    }


def test_a_forked_process_writes_its_kept_results_beside_the_memo_file(tmp_path: Path) -> None:
    """additions(spill=…): a worker's kept results go to a file of its own, named after its
    parent (a killed build's file is swept as its other temps are); only their digests travel,
    and save() copies them into the memo file, each digest once, then removes the file."""
    from from_the_floor.core import forked, stale_temps

    path = tmp_path / ".cache" / memo.FILE
    kept = memo.register("kept", counting([]), keep=True, salt="v1")
    private = memo.register("reader", counting([]), keep=False)
    kept("both")  # made by the parent before the fork (the child's file may hold it too)

    def work() -> dict:
        kept("child 1"), kept('child "2"\nwith a line break'), kept("both later")
        private("a reader's text")
        return memo.additions(path)

    ok, handed = forked.spawn(work).result()
    assert ok
    spilled = handed["kept"]
    assert isinstance(spilled, memo.Spilled), "kept results travel as a file"
    assert spilled.keys >= {_key("child 1"), _key('child "2"\nwith a line break'), _key("both later")}
    assert handed["reader"] == {_key("a reader's text"): "A READER'S TEXT"}, "a reader's text travels"
    fragment = Path(spilled.path)
    assert fragment.parent == path.parent
    assert stale_temps._OURS.match(fragment.name)["pid"] == str(os.getpid())
    memo.merge(handed)
    assert _key("child 1") not in kept.entries, "this process does not hold their text"
    kept("both later")  # made here as well: written once
    memo.save(path)
    written = path.read_text(encoding="utf-8")
    assert written == json.dumps(json.loads(written), ensure_ascii=False)
    made = ("both", "child 1", 'child "2"\nwith a line break', "both later")
    assert json.loads(written) == {"kept": ["v1", {_key(t).hex(): t.upper() for t in made}]}
    assert written.count(_key("both").hex()) == written.count(_key("both later").hex()) == 1
    assert not fragment.exists() and sorted(p.name for p in path.parent.iterdir()) == [memo.FILE]


def test_a_spilled_file_alone_makes_the_memo_file_be_written_again(tmp_path: Path) -> None:
    path = tmp_path / memo.FILE
    kept = memo.register("kept", counting([]), keep=True)
    kept("old")
    memo.save(path)
    fragment = tmp_path / f".{memo.FILE}.{os.getpid()}.w1m0.tmp"
    fragment.write_text(f'"{_key("new").hex()}": "NEW"\n', encoding="utf-8")
    memo.merge({"kept": memo.Spilled(str(fragment), frozenset({_key("new")}))})
    memo.save(path)
    saved = json.loads(path.read_text(encoding="utf-8"))["kept"][1]
    assert saved == {_key("old").hex(): "OLD", _key("new").hex(): "NEW"}
    assert not fragment.exists()


def test_a_result_made_decoded_is_held_as_the_call_that_encodes_it(tmp_path: Path) -> None:
    """add_later: a caller that made a result in its decoded form (never as text) hands the memo
    the call that encodes it; it is used and added, made only when saved or asked for."""
    calls: list[str] = []
    m = memo.register("shout", counting(calls), keep=True)
    encoded: list[str] = []
    m.add_later("hello", lambda: encoded.append("x") or "HELLO")
    assert encoded == [] and calls == []
    memo.save(tmp_path / memo.FILE)
    assert encoded == ["x"] and calls == []
    saved = json.loads((tmp_path / memo.FILE).read_text(encoding="utf-8"))
    assert saved == {"shout": ["", {_key("hello").hex(): "HELLO"}]}
