"""queue.question_files: each file of a folder as ``folder / name`` gives it, without that cost."""

from __future__ import annotations

import os
import pathlib
from pathlib import Path

import pytest
from from_the_floor.core import queue as queue_mod

NAMES = ["a.md", "question-00023.md", "é ü.md", "b c.md", "x\\y.md", "-.md"]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    for name in [*NAMES, ".hidden.md", "..md", "notes.txt"]:
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "inbox").mkdir()
    return folder


@pytest.mark.parametrize("form", ["absolute", "relative", "dot", "trailing"])
def test_each_file_is_the_path_folder_slash_name_gives(tmp_path, monkeypatch, form) -> None:
    """The same paths (equal, the same text, the same parts, the same type) as ``folder / name``
    for every name of the listing, the folder given absolute, relative, as ``.`` or with a
    trailing separator."""
    folder = _folder(tmp_path)
    monkeypatch.chdir(tmp_path if form != "dot" else folder)
    given = {
        "absolute": folder,
        "relative": Path("questions"),
        "dot": Path("."),
        "trailing": Path(str(folder) + os.sep),
    }[form]
    found = queue_mod.question_files(given)
    expected = [given / name for name in sorted(NAMES)]
    assert found == expected
    assert [str(p) for p in found] == [str(p) for p in expected]
    assert [p.parts for p in found] == [p.parts for p in expected]
    assert {type(p) for p in found} == {type(given)}
    assert [p.read_text(encoding="utf-8") for p in found] == ["x"] * len(NAMES)


def test_the_names_are_not_parsed_again(tmp_path, monkeypatch) -> None:
    """On a Python whose paths add a listed name without parsing it (3.11's ``_parse_args`` is
    what ``/`` pays per name), question_files never parses one: 10,000 names cost about 15 ms
    more of a warm `floor queue` that way."""
    folder = _folder(tmp_path)
    parse = getattr(pathlib.PurePath, "_parse_args", None)
    if parse is None or not hasattr(folder, "_make_child_relpath"):
        pytest.skip("this Python's paths are made another way")
    calls = []

    def counted(cls, args):
        calls.append(args)
        return parse.__func__(cls, args)

    monkeypatch.setattr(pathlib.PurePath, "_parse_args", classmethod(counted))
    assert folder / "a.md" and calls, "the count sees a parse"
    calls.clear()
    assert len(queue_mod.question_files(folder)) == len(NAMES)
    assert calls == []
