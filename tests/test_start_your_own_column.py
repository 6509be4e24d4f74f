"""The README's "Start your own column", walked line by line as a new author would: the kit from a
wheel in a fresh virtual environment (the wheelhouse stands in for the clone and the package
index), then every `floor` and `cd` line of the README's block, exactly as written.

Two things stand in for the author: an editor that writes the thoughtful answer when `floor answer
--edit` opens it, and a port the system picks for `floor serve` (8000 may be taken on a shared
machine); the page it serves is then requested.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from helpers_floor import REPO, ctrl_c_as_at_a_terminal, ok
from helpers_kit import wheel_venv

TODAY = "2026-11-09T10:00:00+00:00"  # a Monday morning, after the skeleton's 09:00 slot
EDITOR = """
import sys
path = sys.argv[1]
with open(path, "a", encoding="utf-8") as handle:
    handle.write("\\nI keep a list of every question readers send, and the list decides.\\n")
"""


def readme_steps() -> list[list[str]]:
    """The README block's commands after the install lines, comments removed, as argv lists."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Start your own column", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    steps = [shlex.split(line, comments=True) for line in block.splitlines()]
    commands = [argv for argv in steps if argv]
    first = next(i for i, argv in enumerate(commands) if argv[0] == "floor")
    assert [argv[0] for argv in commands[first:]] == [
        "floor",
        "cd",
        "floor",
        "floor",
        "floor",
        "floor",
        "floor",
    ]
    return commands[first:]


def test_the_readme_steps_make_a_column_from_a_wheel(kit_wheelhouse: Path, tmp_path: Path) -> None:
    bin_dir = wheel_venv(kit_wheelhouse, tmp_path / "kit")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Ada\n\temail = ada@example.org\n", encoding="utf-8")
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR, encoding="utf-8")
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        PATH=os.pathsep.join([str(bin_dir), env.get("PATH", "/usr/bin:/bin")]),
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        EDITOR=f"{sys.executable} {editor}",
        FLOOR_TODAY=TODAY,
        PYTHONUTF8="1",
    )
    cwd = tmp_path / "author"
    cwd.mkdir()
    said: dict[str, str] = {}
    for argv in readme_steps():
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            continue
        if argv[1] == "serve":
            break
        done = subprocess.run(
            argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        said[argv[1]] = ok(done)
        assert "Traceback" not in done.stderr
    assert Path(shutil.which("floor", path=env["PATH"])).parent == bin_dir  # the wheel's floor
    assert "Readers ask by email, at ada@example.org." in said["init"]
    assert said["ask"].strip() == "how-do-you-decide-what-to-write-about"
    assert "published #1" in said["publish"]
    site = cwd
    assert (site / "output" / "index.html").is_file()
    assert [p.name for p in (site / "content" / "floor").glob("*.md")] == [
        "how-do-you-decide-what-to-write-about.md"
    ]
    assert subprocess.run(
        ["git", "log", "--format=%s"], cwd=site, env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines() == ["Start the column"]

    serve = subprocess.Popen(
        ["floor", "serve", "--port", "0"],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    try:
        line = serve.stdout.readline()
        assert "http://localhost:" in line, line + serve.stderr.read()
        base = "http://127.0.0.1:" + line.split("http://localhost:", 1)[1].split("/", 1)[0]
        with urllib.request.urlopen(
            base + "/floor/how-do-you-decide-what-to-write-about/", timeout=60
        ) as page:
            html = page.read().decode("utf-8")
        assert page.status == 200
        assert "How do you decide what to write about?" in html and "Ask Me Anything" in html
        assert "I keep a list of every question readers send" in html
        assert "ben@example.org" not in html  # the reader's contact never reaches a page
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        serve.wait(timeout=30)
        serve.stdout.close()
        serve.stderr.close()
