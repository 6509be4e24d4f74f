"""Helpers for the publish, workflow and weekly-simulation tests.

Sites are made in-process (fast) with the same code as `floor init`; the
commands under test always run as real `floor` subprocesses with FLOOR_TODAY
set, so no test reads the real clock. Git runs with the user's and the
system's configuration switched off, so a developer's hooks or signing
settings cannot change the outcome.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import yaml
from from_the_floor.commands import init_site
from from_the_floor.core.frontmatter_text import dump_scalar

REPO = Path(__file__).resolve().parent.parent
_SCRIPT = Path(sys.executable).parent / "floor"
FLOOR = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "from_the_floor.cli"]

# Never part of "the tree": the lock file, build output and caches, git's own folder.
IGNORED = (".floor.lock", "output/", ".cache/", ".git/", "__pycache__/")


def floor_env(today: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A `floor` subprocess environment: UTF-8, no editor, hermetic git, the given 'today'."""
    env = {k: v for k, v in os.environ.items() if k not in ("FLOOR_TODAY", "EDITOR", "VISUAL")}
    env.update(
        PYTHONUTF8="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
    )
    env.pop("GITHUB_ACTIONS", None)
    if today is not None:
        env["FLOOR_TODAY"] = today
    env.update(extra or {})
    return env


def floor(
    site: Path, *args: str, today: str | None = None, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `floor --site SITE ARGS…` and return the finished process (never raises)."""
    return subprocess.run(
        [*FLOOR, "--site", str(site), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=floor_env(today, extra_env),
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The stdout of a command that must have succeeded."""
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def new_site(root: Path, *, timezone: str = "UTC", **floor_settings: object) -> Path:
    """A `floor init` site whose FLOOR_ settings are overridden (``catch_up="all"`` → FLOOR_CATCH_UP)."""
    init_site.create(root, title="Test Column", author="Tester", timezone=timezone)
    lines = [f"FLOOR_{name.upper()} = {value!r}" for name, value in floor_settings.items()]
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\n# test overrides\n" + "\n".join(lines) + "\n")
    return root


def add_question(
    site: Path,
    qid: str,
    *,
    asked: str,
    answered: bool = True,
    question: str | None = None,
    **fields: str,
) -> Path:
    """A question file in questions/; extra fields are raw YAML values (``hold="true"``)."""
    text = question or f"What about {qid.replace('-', ' ')}?"
    lines = ["---", f"question: {dump_scalar(text)}", f"asked: {asked}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines.append(f"quick_answer: Short answer to {qid}." if answered else "quick_answer:")
    lines += ["---", f"The longer answer to {qid}.\n" if answered else ""]
    path = site / "questions" / f"{qid}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def answer(path: Path) -> None:
    """Answer an unanswered question file in place (what `floor answer` would do)."""
    text = path.read_text(encoding="utf-8").replace("quick_answer:\n", f"quick_answer: Yes, {path.stem}.\n")
    path.write_text(text + f"The longer answer to {path.stem}.\n", encoding="utf-8")


def snapshot(root: Path, ignore: tuple[str, ...] = IGNORED) -> dict[str, bytes]:
    """Every file under root (relative posix path → bytes), minus ``ignore`` prefixes/names."""
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        parts = rel.split("/")
        if any(rel.startswith(i) or (not i.endswith("/") and parts[-1] == i) for i in ignore):
            continue
        if any(f"{p}/" in ignore for p in parts[:-1]):
            continue
        if path.is_file():
            files[rel] = path.read_bytes()
    return files


def posts(site: Path) -> dict[str, str]:
    """Published post files: name → text."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((site / "content" / "floor").glob("*.md"))}


def field(text: str, key: str) -> str | None:
    """A front-matter value, as text (YAML without type guessing)."""
    return yaml.load(text.split("---", 2)[1], Loader=yaml.BaseLoader).get(key)


def git(root: Path, *args: str) -> str:
    """Run git in root (hermetic config); return stdout; fail the test on error."""
    done = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=floor_env(),
        check=False,
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def git_init(root: Path, *, identity: bool = True) -> None:
    """A repository on branch main with everything committed."""
    git(root, "init", "--quiet", "--initial-branch=main")
    if identity:
        git(root, "config", "user.name", "Author")
        git(root, "config", "user.email", "author@example.org")
    git(root, "add", "-A")
    git(root, *_who(identity), "commit", "--quiet", "-m", "Start the column")


def _who(identity: bool) -> list[str]:
    return [] if identity else ["-c", "user.name=Author", "-c", "user.email=author@example.org"]


def commits(root: Path) -> list[str]:
    """Commit subjects, newest first."""
    return git(root, "log", "--format=%s").splitlines()


# --- a tiny cron evaluator (the five standard fields), for the workflow's schedule -----------


def _cron_field(spec: str, low: int, high: int) -> set[int]:
    values: set[int] = set()
    for part in spec.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/")
            step = int(step_text)
        if part == "*":
            start, end = low, high
        elif "-" in part:
            start, end = (int(x) for x in part.split("-"))
        else:
            start = end = int(part)
        values.update(range(start, end + 1, step))
    return values


def cron_fires(expr: str, moment: dt.datetime) -> bool:
    """Whether a weekday-keyed cron expression (UTC) fires at ``moment``'s minute."""
    minute, hour, dom, month, dow = expr.split()
    assert dom == "*" and month == "*", "the weekly job is keyed to a weekday only"
    moment = moment.astimezone(dt.UTC)
    return (
        moment.minute in _cron_field(minute, 0, 59)
        and moment.hour in _cron_field(hour, 0, 23)
        and (moment.isoweekday() % 7) in {d % 7 for d in _cron_field(dow, 0, 7)}
    )


def first_run_after(crons: list[str], start: dt.datetime) -> dt.datetime:
    """The first minute at or after ``start`` at which one of ``crons`` fires (UTC)."""
    moment = start.astimezone(dt.UTC).replace(second=0, microsecond=0)
    for _ in range(8 * 24 * 60):
        if moment >= start and any(cron_fires(c, moment) for c in crons):
            return moment
        moment += dt.timedelta(minutes=1)
    raise AssertionError("no cron run within a week")


def workflow(path: Path = REPO / ".github" / "workflows" / "weekly.yml") -> dict:
    """The weekly workflow as data (the YAML 1.1 key ``on`` read back as "on")."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data
