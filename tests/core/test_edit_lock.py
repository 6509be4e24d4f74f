"""Editing commands take the site lock and never save over a file that changed since it was read.

`floor answer --edit` keeps the editor open without the lock (an author may
take an hour); a publish or an intake merge in that time changes the file,
and saving the edit then would silently undo it. The edit is kept aside.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from filelock import FileLock
from helpers_floor import fails_cleanly, ok, question_text, run_floor, write_question

# A fake $EDITOR: meanwhile, "another run" changes the real file, then the author saves an edit.
EDITOR = """
import os, sys
edited = sys.argv[-1]
real = os.environ["REAL_FILE"]
meanwhile = os.environ["MEANWHILE"]
if meanwhile == "merge":
    with open(real, "ab") as handle:
        handle.write(b"A line an intake merge added.\\n")
elif meanwhile == "publish":
    os.replace(real, os.environ["MOVED_TO"])
data = open(edited, "rb").read().replace(b"quick_answer:", b"quick_answer: Edited by hand.", 1)
open(edited, "wb").write(data)
"""


@pytest.fixture
def question(site: Path) -> Path:
    return write_question(site, "edit-me", question_text("Edit me?", quick=""))


def editor_env(tmp_path: Path, real: Path, meanwhile: str, moved_to: Path | None = None) -> dict[str, str]:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    return {
        "EDITOR": f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}",
        "REAL_FILE": str(real),
        "MEANWHILE": meanwhile,
        "MOVED_TO": str(moved_to or ""),
    }


def test_an_edit_over_a_file_changed_meanwhile_is_kept_aside(site: Path, question: Path, tmp_path) -> None:
    env = editor_env(tmp_path, question, "merge")
    err = fails_cleanly(run_floor("answer", "edit-me", "--edit", site=site, env=env))
    assert "changed while you were editing it" in err
    text = question.read_text(encoding="utf-8")
    assert "A line an intake merge added." in text and "Edited by hand." not in text  # not undone
    kept = site / "questions" / ".edit-me.rejected-edit.md"
    assert str(kept) in err and "Edited by hand." in kept.read_text(encoding="utf-8")


def test_an_edit_of_a_question_published_meanwhile_is_kept_aside(
    site: Path, question: Path, tmp_path
) -> None:
    moved = site / "content" / "floor" / "edit-me.md"
    env = editor_env(tmp_path, question, "publish", moved)
    err = fails_cleanly(run_floor("answer", "edit-me", "--edit", site=site, env=env))
    assert "was moved or published while you were editing it" in err
    assert not question.exists() and moved.exists()  # no second copy brought back into the queue
    assert "Edited by hand." in (site / "questions" / ".edit-me.rejected-edit.md").read_text(encoding="utf-8")


def test_an_edit_with_nothing_in_between_is_saved(site: Path, question: Path, tmp_path) -> None:
    ok(run_floor("answer", "edit-me", "--edit", site=site, env=editor_env(tmp_path, question, "nothing")))
    assert "Edited by hand." in question.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [
        ("answer", "edit-me", "--quick", "Yes."),
        ("decline", "edit-me", "--reason", "No."),
        ("hold", "edit-me"),
        ("release", "edit-me"),
        ("split", "edit-me"),
    ],
)
def test_every_editing_command_waits_for_the_site_lock(site: Path, question: Path, command) -> None:
    before = question.read_bytes()
    with FileLock(str(site / ".floor.lock")):  # a publish or an intake is running
        result = run_floor(*command, site=site, env={"FLOOR_LOCK_TIMEOUT": "0.2"})
    err = fails_cleanly(result)
    assert "has held the lock" in err and ".floor.lock" in err
    assert question.read_bytes() == before
