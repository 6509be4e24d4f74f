"""Shell completion as the README documents it: click's `_FLOOR_COMPLETE=bash_source floor`."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers_floor import FLOOR_COMMAND, floor_env


def _floor(**env: str) -> str:
    done = subprocess.run(
        FLOOR_COMMAND, capture_output=True, text=True, env=floor_env(extra=env), check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bash_source_prints_a_script_bash_accepts() -> None:
    script = _floor(_FLOOR_COMPLETE="bash_source")
    assert "complete -o nosort -F _floor_completion floor" in script
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash here")
    checked = subprocess.run([bash, "-n"], input=script, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("floor ini", "1", "plain,init"),
        ("floor init --ask-e", "2", "plain,--ask-email"),
        ("floor retire --mode ", "3", "plain,archive"),
    ],
)
def test_commands_and_options_complete(words: str, cword: str, expected: str) -> None:
    out = _floor(_FLOOR_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=cword)
    assert expected in out.splitlines()
