"""Helpers shared by the foundation tests: the real `floor` command, question files, trees.

Import these (``from helpers_floor import …``) rather than from conftest.py:
tests/browser/ has a conftest.py too, and pytest keeps only one module named
``conftest`` importable at a time.
"""

from __future__ import annotations

import hashlib
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# A Monday: with the skeleton's settings (Monday 09:00 UTC) a publish that day is due.
TODAY = "2026-11-09"

_SCRIPT = Path(sys.executable).parent / "floor"
FLOOR_COMMAND: list[str] = (
    [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "from_the_floor.cli"]
)


def floor_env(today: str | None = TODAY, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a `floor` subprocess: UTF-8, no editor, a fixed 'today'."""
    # (GITHUB_ACTIONS too: a test says when a run is the weekly job's, as CI would make every run so)
    env = {
        k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL", "FLOOR_TODAY", "GITHUB_ACTIONS")
    }
    env["PYTHONUTF8"] = "1"
    env["NO_COLOR"] = "1"
    if today is not None:
        env["FLOOR_TODAY"] = today
    env.update(extra or {})
    return env


def ctrl_c_as_at_a_terminal() -> None:
    """``preexec_fn`` for a `floor` child the test stops with SIGINT (Ctrl-C), as a terminal's
    Ctrl-C finds it: SIGINT neither ignored nor blocked. Both are inherited across exec, and a
    child that inherits them never stops (Python then installs no KeyboardInterrupt): a test run
    started in the background by a non-interactive shell or nohup ignores SIGINT, and the
    fresh-clone CI runs of 7 December saw `floor serve` outlive its SIGINT by 30 s."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def run_floor(
    *args: str | os.PathLike,
    site: Path | None = None,
    today: str | None = TODAY,
    env: dict[str, str] | None = None,
    input: str | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the real `floor` command; ``site`` becomes ``--site``; stdin is empty unless given."""
    command = [*FLOOR_COMMAND]
    if site is not None:
        command += ["--site", str(site)]
    command += [str(a) for a in args]
    return subprocess.run(
        command,
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=floor_env(today, env),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """Assert exit 0 (showing both streams if not); returns stdout."""
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    return result.stdout


def fails_cleanly(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """Assert exit ``code`` with a message on stderr and no traceback; returns stderr."""
    assert result.returncode == code, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip()
    return result.stderr


def write_question(site: Path, qid: str, text: str | bytes, *, folder: str = "questions") -> Path:
    """Write a question file as given (bytes for exact or invalid encodings)."""
    path = site / folder / f"{qid}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def question_text(
    question: str = "Is this a question?",
    *,
    asked: str = "2026-11-01",
    quick: str | None = None,
    body: str = "",
    **fields: str,
) -> str:
    """A small, valid question file; extra fields are written as given (raw YAML text)."""
    lines = ["---", f"question: {question}", f"asked: {asked}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines.append(f"quick_answer: {quick}" if quick is not None else "quick_answer:")
    lines += ["---", body]
    return "\n".join(lines)


# What any command that reads the queue may (re)write, a failed one included: derived from the
# question files, git-ignored, never the site's state (core/parse_cache.py, core/tag_slugs.py).
DERIVED_CACHES = (
    ".cache/floor-questions.json",
    ".cache/floor-tag-slugs.json",
    ".cache/floor-source-check.json",  # floor check's clean files (core/source_check.py)
    ".cache/floor-opened-contacts.age",  # the contacts the guard opened, sealed (core/guard.py)
)


def tree_digest(root: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """relative path → sha256 of every file under root (to prove nothing changed), the parse caches aside."""
    digest: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(skip) and rel not in DERIVED_CACHES:
            digest[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


_NOT_DEMO = (
    ".git",
    ".github",
    ".venv",
    "output",
    ".cache",
    "tests",
    "bench",
    "*.egg-info",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "node_modules",
    "test-artifacts",
    ".floor.lock",
)


def first_commit_at(site: Path, when: str) -> None:
    """Make ``site`` a git repository whose one commit (everything in it) is dated ``when`` (ISO):
    the column's start, or the last commit the weekly job counts from."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "Start the column")):
        subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True, env=env)


def copy_demo_site(target: Path) -> Path:
    """The repository's demo site, copied so a test never writes into the repo."""
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(*_NOT_DEMO))
    return target


class _Elements(HTMLParser):
    """Every start tag and its attributes, as a browser would parse them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


ACTIVE_TAGS = frozenset({"script", "iframe", "style", "img", "svg", "object", "embed"})


def assert_inert(html: str, *, allowed: frozenset[str] = frozenset()) -> None:
    """No script or embedded content, no on* handler, no javascript: URL in ``html``."""
    for tag, attrs in _Elements(html).tags:
        assert tag not in ACTIVE_TAGS - allowed, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)


def opened(site: Path, value: str | None) -> str | None:
    """A stored contact as the author reads it: sealed values opened with the site's own key."""
    from from_the_floor.core.site import Site

    return Site(site).keys.open(value)


def on_terminal(command: list[str], env: dict[str, str], timeout: float = 300) -> str:
    """Run ``command`` on a pseudo-terminal (as an author at a shell would) and return all it wrote."""
    import pty

    main, child = pty.openpty()
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, env=env)
    os.close(child)  # read while it writes: a full terminal buffer would block it
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other end is closed: all was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=timeout) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def counting_parses(monkeypatch) -> list[Path]:
    """Every question file actually parsed from now on in this process (not served from a store
    or the parse cache), in order."""
    from from_the_floor.core import question as question_mod

    calls: list[Path] = []
    real = question_mod.parse_text

    def counting(text, path, **kwargs):
        calls.append(path)
        return real(text, path, **kwargs)

    monkeypatch.setattr(question_mod, "parse_text", counting)
    return calls


class CodeWhenUnpickled:
    """A pickle payload that runs code when loaded: it creates the file ``witness`` (for the
    tests that a replaced cache file is never unpickled)."""

    def __init__(self, witness: Path) -> None:
        self.witness = witness

    def __reduce__(self):
        return (open, (str(self.witness), "w"))


class Terminal:
    """A command on a pseudo-terminal, driven as an author types: wait for a prompt, answer it."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.fd, child = pty.openpty()
        self.process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, env=env, cwd=cwd)
        os.close(child)
        self.seen = ""

    def expect(self, text: str, timeout: float = 60) -> str:
        """Everything written until ``text`` appears (fails after ``timeout`` seconds of silence)."""
        while text not in self.seen:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            assert ready, f"no {text!r} on the terminal; it shows:\n{self.seen}"
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the command ended
                chunk = b""
            assert chunk, f"the command ended before {text!r}; it showed:\n{self.seen}"
            self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        shown, self.seen = self.seen.split(text, 1)
        return shown + text

    def answer(self, text: str) -> None:
        os.write(self.fd, text.encode() + b"\r")

    def finish(self, timeout: float = 120) -> tuple[int, str]:
        rest = []
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            rest.append(chunk.decode("utf-8", "replace"))
        os.close(self.fd)
        return self.process.wait(timeout=timeout), self.seen + "".join(rest).replace("\r\n", "\n")


def saved_memo(folder: Path) -> dict[str, dict[str, str]]:
    """What a memo folder (core/memo.py) holds: {memo name: {digest: result}}, every shard file
    read whole and checked to be what the kit writes (a header line, then a JSON list)."""
    import json

    saved: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.json")):
        header_line, _, rest = path.read_text(encoding="utf-8").partition("\n")
        header = json.loads(header_line)
        values = json.loads(rest)
        assert path.name == f"{header['memo']}.{path.name.split('.')[-2]}.json"
        assert len(values) == len(header["keys"])
        entries = saved.setdefault(header["memo"], {})
        assert not entries.keys() & set(header["keys"]), "each digest in one file"
        entries.update(zip(header["keys"], values, strict=True))
    return saved


# pelican-quickstart's questions: where? title, author, language, URL prefix?, pagination?,
# per page, time zone, tasks.py?
QUICKSTART_ANSWERS = "\n".join(["", "My Blog", "Bea", "en", "n", "y", "10", "Europe/London", "n", ""])


def pelican_quickstart(folder: Path) -> Path:
    """A blog made in the new ``folder`` by Pelican's own pelican-quickstart, as an author makes one
    (the blog path of the README: a column added to someone's Pelican blog)."""
    folder.mkdir()
    made = subprocess.run(
        [str(Path(sys.executable).parent / "pelican-quickstart")],
        input=QUICKSTART_ANSWERS,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0 and (folder / "publishconf.py").is_file(), made.stdout + made.stderr
    return folder
